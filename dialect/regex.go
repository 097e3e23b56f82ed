package dialect

import (
	"fmt"
	"regexp/syntax"
	"strconv"
	"strings"
	"unicode"

	"github.com/calldash/calldash/internal/fold"
)

// A regexFlavor is a database regular-expression engine that calldash
// translates RE2 patterns into.
type regexFlavor uint8

const (
	flavorARE  regexFlavor = iota + 1 // PostgreSQL advanced regular expressions
	flavorPCRE                        // MariaDB's PCRE2 (UTF mode)
)

// maxAREBound is the largest repetition count of PostgreSQL's ARE (DUPMAX).
const maxAREBound = 255

// translateRegex rewrites an RE2 pattern (unanchored, case-sensitive, the
// flags of regexp.Compile) into an equivalent pattern of the flavor, or
// returns an error naming the construct it cannot translate exactly.
//
// The pattern is parsed with regexp/syntax and printed back node by node
// in a small subset whose meaning RE2, ARE and PCRE2 share: literals
// (written as escapes, except ASCII letters and digits), character classes
// as explicit code point ranges (so \d, \w, \pL and (?i) classes keep RE2's
// exact sets, not the database's tables), "." without and with the s flag,
// concatenation, alternation, non-capturing groups, repetition (greediness
// is dropped: it does not change whether a text matches), \A and \z for
// RE2's ^ and $ outside multi-line mode. A (?i) literal becomes the class
// of its simple folding orbit, as RE2 matches it. Not translated: multi-line
// ^ and $, \b and \B (word boundaries differ), NUL on PostgreSQL (text
// cannot hold it), ARE repetition counts above 255, and a class or pattern
// that matches nothing.
func translateRegex(pattern string, fl regexFlavor) (string, error) {
	re, err := syntax.Parse(pattern, syntax.Perl)
	if err != nil {
		return "", fmt.Errorf("invalid regular expression: %v", err)
	}
	var b strings.Builder
	if fl == flavorPCRE {
		b.WriteString("(?-imsx)") // whatever default_regex_flags says
	}
	if err := printRegex(&b, re, fl); err != nil {
		return "", err
	}
	return b.String(), nil
}

func printRegex(b *strings.Builder, re *syntax.Regexp, fl regexFlavor) error {
	switch re.Op {
	case syntax.OpEmptyMatch:
		b.WriteString("(?:)")
	case syntax.OpLiteral:
		b.WriteString("(?:")
		for _, r := range re.Rune {
			if re.Flags&syntax.FoldCase != 0 && unicode.SimpleFold(r) != r {
				o := fold.Orbit(r)
				ranges := make([]rune, 0, 2*len(o))
				for _, m := range o {
					ranges = append(ranges, m, m)
				}
				if err := printClass(b, ranges, fl); err != nil {
					return err
				}
				continue
			}
			if err := printRune(b, r, fl); err != nil {
				return err
			}
		}
		b.WriteString(")")
	case syntax.OpCharClass:
		return printClass(b, re.Rune, fl)
	case syntax.OpAnyCharNotNL:
		b.WriteString(`[^\n]`)
	case syntax.OpAnyChar:
		if fl == flavorARE {
			b.WriteString(".") // ARE's "." matches newline by default
		} else {
			b.WriteString("(?s:.)")
		}
	case syntax.OpBeginText:
		b.WriteString(`\A`)
	case syntax.OpEndText:
		if fl == flavorARE {
			b.WriteString(`\Z`) // ARE's \Z is the end of the string only
		} else {
			b.WriteString(`\z`)
		}
	case syntax.OpBeginLine, syntax.OpEndLine:
		return fmt.Errorf("multi-line ^ and $ ((?m)) are not translated")
	case syntax.OpWordBoundary, syntax.OpNoWordBoundary:
		return fmt.Errorf(`word boundaries (\b, \B) are not translated`)
	case syntax.OpCapture:
		b.WriteString("(?:")
		if err := printRegex(b, re.Sub[0], fl); err != nil {
			return err
		}
		b.WriteString(")")
	case syntax.OpStar, syntax.OpPlus, syntax.OpQuest:
		b.WriteString("(?:")
		if err := printRegex(b, re.Sub[0], fl); err != nil {
			return err
		}
		b.WriteString(")")
		b.WriteString(map[syntax.Op]string{syntax.OpStar: "*", syntax.OpPlus: "+", syntax.OpQuest: "?"}[re.Op])
	case syntax.OpRepeat:
		if fl == flavorARE && (re.Min > maxAREBound || re.Max > maxAREBound) {
			return fmt.Errorf("repetition counts above %d are not supported", maxAREBound)
		}
		b.WriteString("(?:")
		if err := printRegex(b, re.Sub[0], fl); err != nil {
			return err
		}
		b.WriteString("){")
		b.WriteString(strconv.Itoa(re.Min))
		switch {
		case re.Max < 0:
			b.WriteString(",")
		case re.Max != re.Min:
			b.WriteString("," + strconv.Itoa(re.Max))
		}
		b.WriteString("}")
	case syntax.OpConcat:
		b.WriteString("(?:")
		for _, s := range re.Sub {
			if err := printRegex(b, s, fl); err != nil {
				return err
			}
		}
		b.WriteString(")")
	case syntax.OpAlternate:
		b.WriteString("(?:")
		for i, s := range re.Sub {
			if i > 0 {
				b.WriteString("|")
			}
			if err := printRegex(b, s, fl); err != nil {
				return err
			}
		}
		b.WriteString(")")
	case syntax.OpNoMatch:
		return fmt.Errorf("the pattern matches nothing")
	default:
		return fmt.Errorf("construct %v is not translated", re.Op)
	}
	return nil
}

// printClass prints a character class of rune ranges (pairs lo, hi).
func printClass(b *strings.Builder, ranges []rune, fl regexFlavor) error {
	var kept []rune
	for i := 0; i+1 < len(ranges); i += 2 {
		lo, hi := ranges[i], ranges[i+1]
		if fl == flavorARE && lo == 0 {
			lo = 1 // PostgreSQL text never holds NUL
		}
		if lo <= hi {
			kept = append(kept, lo, hi)
		}
	}
	if len(kept) == 0 {
		return fmt.Errorf("a character class matches nothing")
	}
	b.WriteString("[")
	for i := 0; i < len(kept); i += 2 {
		if err := printRune(b, kept[i], fl); err != nil {
			return err
		}
		if kept[i+1] != kept[i] {
			b.WriteString("-")
			if err := printRune(b, kept[i+1], fl); err != nil {
				return err
			}
		}
	}
	b.WriteString("]")
	return nil
}

// printRune prints one rune as a literal: ASCII letters and digits as
// themselves, everything else as an escape of its code point.
func printRune(b *strings.Builder, r rune, fl regexFlavor) error {
	if r < 0x80 && (r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9') {
		b.WriteRune(r)
		return nil
	}
	switch fl {
	case flavorARE:
		if r == 0 {
			return fmt.Errorf("NUL cannot occur in PostgreSQL text")
		}
		if r <= 0xFFFF {
			fmt.Fprintf(b, `\u%04X`, r)
		} else {
			fmt.Fprintf(b, `\U%08X`, r)
		}
	default:
		fmt.Fprintf(b, `\x{%X}`, r)
	}
	return nil
}
