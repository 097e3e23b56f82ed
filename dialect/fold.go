package dialect

import (
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/calldash/calldash/internal/fold"
)

// Case-insensitive matching (contains, startswith, endswith): the forms
// the dialects share. Each is exact, because each compares
// representatives of simple-folding orbits (package internal/fold), never
// the database's own case tables, and each grows linearly with the
// needle:
//
//   - a translation of code points (PostgreSQL's translate): the text's
//     runes of the needle's orbits become their representatives, then
//     LIKE compares with the folded needle;
//   - nested byte-exact REPLACE calls, one per member of those orbits,
//     then LIKE: fast, but databases parse nesting recursively (ClickHouse
//     crashed, MariaDB overran its thread stack and SQLite hit its
//     recursion limit at 1,200 to 1,870 letters), so only up to
//     [MaxNestedReplace] calls;
//   - a regular expression of one bracketed class per rune of the needle,
//     each listing the rune's orbit as \x{…} escapes, anchored with \A or
//     \z (RE2 and PCRE2 read it alike); it also carries a NUL, which LIKE
//     patterns cannot.

// A Match is where a case-insensitive match must lie in the text.
type Match uint8

// The kinds of case-insensitive matches.
const (
	MatchContains Match = iota // anywhere
	MatchPrefix                // at the start (startswith)
	MatchSuffix                // at the end (endswith)
)

// MaxNestedReplace is the largest number of nested REPLACE calls a
// dialect writes for one case-insensitive match; beyond it, or for a
// needle with a NUL, it writes the regular expression form.
const MaxNestedReplace = 32

// foldLikePattern returns the LIKE pattern of the folded needle for m,
// with "%", "_" and EscapeChar escaped.
func foldLikePattern(needle string, m Match) string {
	var b strings.Builder
	b.Grow(len(needle) + 2)
	if m != MatchPrefix {
		b.WriteByte('%')
	}
	for _, r := range needle {
		r = fold.Rune(r)
		if r == '%' || r == '_' || r == EscapeChar {
			b.WriteRune(EscapeChar)
		}
		b.WriteRune(r)
	}
	if m != MatchSuffix {
		b.WriteByte('%')
	}
	return b.String()
}

// foldOrbits calls each for the orbit of every rune of needle once, in the
// order of first occurrence, with the orbit's representative and its
// sorted members (valid until each returns), until each returns false.
func foldOrbits(needle string, each func(rep rune, orbit []rune) bool) {
	var seen []uint64 // a bit per fold.OrbitIndex
	var orbit []rune
	for _, r := range needle {
		i, ok := fold.OrbitIndex(r)
		if !ok {
			continue
		}
		if seen == nil {
			seen = make([]uint64, (fold.Orbits()+63)/64)
		}
		if seen[i/64]&(1<<(i%64)) != 0 {
			continue
		}
		seen[i/64] |= 1 << (i % 64)
		orbit = fold.AppendOrbit(orbit[:0], r)
		if !each(fold.Rune(r), orbit) {
			return
		}
	}
}

// foldTranslation returns the code points to translate and what they
// become: every member of the orbit of a rune of needle that is not the
// orbit's representative, at the same position as its representative.
// Both have as many runes.
func foldTranslation(needle string) (from, to string) {
	var f, t strings.Builder
	foldOrbits(needle, func(rep rune, orbit []rune) bool {
		for _, m := range orbit {
			if m != rep {
				f.WriteRune(m)
				t.WriteRune(rep)
			}
		}
		return true
	})
	return f.String(), t.String()
}

// foldReplace returns LIKE (written by like) of expr folded with nested
// calls of replace (each binding a member of an orbit of the needle and
// the orbit's representative), and the arguments after those of expr; ok
// is false when that takes more than MaxNestedReplace calls or the needle
// holds a NUL.
func foldReplace(expr, needle string, m Match, replace, like func(string) string) (string, []any, bool) {
	if strings.IndexByte(needle, 0) >= 0 {
		return "", nil, false
	}
	var args []any
	foldOrbits(needle, func(rep rune, orbit []rune) bool {
		for _, o := range orbit {
			if o != rep {
				args = append(args, string(o), string(rep))
			}
		}
		return len(args) <= 2*MaxNestedReplace
	})
	if len(args) > 2*MaxNestedReplace {
		return "", nil, false
	}
	for range len(args) / 2 {
		expr = replace(expr)
	}
	return like(expr), append(args, foldLikePattern(needle, m)), true
}

// foldRegex returns the regular expression that finds needle ignoring
// case where m says. A rune with other case forms becomes a bracketed
// class of its orbit ("[Kk\x{212a}]"); any other rune is itself when it
// is a letter or a digit, else a one-rune class ("[\x{0}]", "[\x{2e}]").
// No escape stands outside a class: ClickHouse's prefilter misreads
// "\x00" there. Members that are letters are written as they are, the
// others as \x{…} escapes, so that no engine reads a NUL or a
// metacharacter from the needle. The size is at most 12 bytes per byte
// of needle (an "s": "[Ss\x{17f}]").
func foldRegex(needle string, m Match) string {
	var b strings.Builder
	b.Grow(4*len(needle) + 4)
	if m == MatchPrefix {
		b.WriteString(`\A`)
	}
	// In a long needle, each orbit's class is written once and copied
	// from the text after: where it lies in b, by fold.OrbitIndex (hi 0:
	// not written yet).
	var written [][2]int32
	memo := len(needle) > 256
	var orbit []rune
	for _, r := range needle {
		i, cased := fold.OrbitIndex(r)
		switch {
		case cased && written != nil && written[i][1] != 0:
			b.WriteString(b.String()[written[i][0]:written[i][1]])
		case cased:
			lo := b.Len()
			orbit = fold.AppendOrbit(orbit[:0], r)
			writeClass(&b, orbit)
			if memo {
				if written == nil {
					written = make([][2]int32, fold.Orbits())
				}
				written[i] = [2]int32{int32(lo), int32(b.Len())}
			}
		case r < utf8.RuneSelf && '0' <= r && r <= '9':
			b.WriteByte(byte(r))
		case r >= utf8.RuneSelf && (unicode.IsLetter(r) || unicode.IsDigit(r)):
			b.WriteRune(r)
		default:
			orbit = append(orbit[:0], r)
			writeClass(&b, orbit)
		}
	}
	if m == MatchSuffix {
		b.WriteString(`\z`)
	}
	return b.String()
}

// writeClass writes the bracketed class of members: letters as they are,
// other runes as \x{…} escapes.
func writeClass(b *strings.Builder, members []rune) {
	var buf [16]byte
	b.WriteByte('[')
	for _, o := range members {
		if unicode.IsLetter(o) {
			b.WriteRune(o)
			continue
		}
		b.WriteString(`\x{`)
		b.Write(strconv.AppendInt(buf[:0], int64(o), 16))
		b.WriteByte('}')
	}
	b.WriteByte(']')
}
