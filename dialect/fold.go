package dialect

import (
	"strconv"
	"strings"
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

// foldTranslation returns the code points to translate and what they
// become: every member of the orbit of a rune of needle that is not the
// orbit's representative, at the same position as its representative
// (fold.Pairs, in its order). Both have as many runes.
func foldTranslation(needle string) (from, to string) {
	var f, t strings.Builder
	for _, p := range fold.Pairs(needle) {
		f.WriteString(p[0])
		t.WriteString(p[1])
	}
	return f.String(), t.String()
}

// foldReplace returns LIKE (written by like) of expr folded with nested
// calls of replace (each binding from and to), and the arguments after
// those of expr; ok is false when that takes more than MaxNestedReplace
// calls or the needle holds a NUL.
func foldReplace(expr, needle string, m Match, replace, like func(string) string) (string, []any, bool) {
	pairs := fold.Pairs(needle)
	if len(pairs) > MaxNestedReplace || strings.IndexByte(needle, 0) >= 0 {
		return "", nil, false
	}
	args := make([]any, 0, 2*len(pairs)+1)
	for _, p := range pairs {
		expr = replace(expr)
		args = append(args, p[0], p[1])
	}
	return like(expr), append(args, foldLikePattern(needle, m)), true
}

// foldRegex returns the regular expression that finds needle ignoring
// case where m says: per rune, a bracketed class of its orbit in \x{…}
// escapes (no literal character, so no engine reads a NUL or a
// metacharacter from the needle, and ClickHouse's prefilter, which
// misreads escapes outside classes, finds no literal to extract).
func foldRegex(needle string, m Match) string {
	var b strings.Builder
	b.Grow(8*utf8.RuneCountInString(needle) + 4)
	if m == MatchPrefix {
		b.WriteString(`\A`)
	}
	var buf []byte
	for _, r := range needle {
		b.WriteByte('[')
		for _, o := range fold.Orbit(r) {
			buf = append(buf[:0], `\x{`...)
			buf = strconv.AppendInt(buf, int64(o), 16)
			buf = append(buf, '}')
			b.Write(buf)
		}
		b.WriteByte(']')
	}
	if m == MatchSuffix {
		b.WriteString(`\z`)
	}
	return b.String()
}
