package dialect

import (
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Fold returns the canonical case folding of s: every rune replaced by the
// representative of its orbit under [unicode.SimpleFold] (the relation of
// [strings.EqualFold] and of the in-memory matcher). The representative is
// the lower-case member of the orbit: ToLower(ToUpper(r)) when that lies
// in the orbit ("ſ", "S" → "s"; "ς", "Σ" → "σ"; U+0345, "ι", U+1FBE → "ι";
// KELVIN SIGN → "k"; "ẞ" → "ß"), otherwise ToLower(r), otherwise the rune
// itself ("İ" and "ı" are orbits of their own and stay as they are). Two
// strings of equal length in runes are equal ignoring case exactly when
// their folds are equal.
func Fold(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		b.WriteRune(foldRune(r))
	}
	return b.String()
}

// foldRune returns the representative of r's simple folding orbit.
func foldRune(r rune) rune {
	if r < utf8.RuneSelf {
		if 'A' <= r && r <= 'Z' {
			r += 'a' - 'A'
		}
		if r != 'k' && r != 's' {
			return r
		}
	}
	if unicode.SimpleFold(r) == r {
		return r
	}
	if l := unicode.ToLower(unicode.ToUpper(r)); inOrbit(r, l) {
		return l
	}
	if l := unicode.ToLower(r); inOrbit(r, l) {
		return l
	}
	return r
}

// inOrbit reports whether x is in r's simple folding orbit.
func inOrbit(r, x rune) bool {
	if x == r {
		return true
	}
	for f := unicode.SimpleFold(r); f != r; f = unicode.SimpleFold(f) {
		if f == x {
			return true
		}
	}
	return false
}

// orbit returns r's simple folding orbit, sorted.
func orbit(r rune) []rune {
	o := []rune{r}
	for f := unicode.SimpleFold(r); f != r; f = unicode.SimpleFold(f) {
		o = append(o, f)
	}
	slices.Sort(o)
	return o
}

// FoldPairs returns the replacements that fold a text for a comparison
// with Fold(needle): for every orbit of a rune of needle, each member that
// is not the orbit's representative, paired with the representative
// (e.g. "S" → "s" and "ſ" → "s" for a needle with an "s"). Sorted by the
// representative, then the member.
//
// Replacing them in a text t (in any order) gives a t' in which the runes
// of the needle's orbits are their representatives and every other rune
// is unchanged, so that Fold(needle) occurs in t' at a rune position
// exactly when the needle occurs in t there ignoring case: a rune outside
// the needle's orbits can never equal a representative of them. The
// comparison therefore needs nothing of the database but a byte-exact
// REPLACE, whatever its Unicode tables (see [Folded]).
func FoldPairs(needle string) [][2]string {
	seen := map[rune]bool{}
	var pairs [][2]string
	for _, r := range needle {
		rep := foldRune(r)
		if seen[rep] {
			continue
		}
		seen[rep] = true
		for _, m := range orbit(r) {
			if m != rep {
				pairs = append(pairs, [2]string{string(m), string(rep)})
			}
		}
	}
	slices.SortFunc(pairs, func(a, b [2]string) int {
		if c := strings.Compare(a[1], b[1]); c != 0 {
			return c
		}
		return strings.Compare(a[0], b[0])
	})
	return pairs
}

// Folded returns the text expression expr folded for a comparison with
// Fold(needle) — nested [Dialect.Replace] calls, one per pair of
// [FoldPairs] — and its arguments (from, to for each pair, innermost
// first). With no pairs (a needle without letters) it is expr itself.
func Folded(d Dialect, expr, needle string) (string, []any) {
	pairs := FoldPairs(needle)
	args := make([]any, 0, 2*len(pairs))
	for _, p := range pairs {
		expr = d.Replace(expr)
		args = append(args, p[0], p[1])
	}
	return expr, args
}

// LikePattern returns the LIKE pattern of contains (prefix and suffix
// false), startswith (prefix) or endswith (suffix) for Fold(needle), with
// "%", "_" and [EscapeChar] escaped.
func LikePattern(needle string, prefix, suffix bool) string {
	var b strings.Builder
	if !prefix {
		b.WriteByte('%')
	}
	for _, r := range Fold(needle) {
		if r == '%' || r == '_' || r == EscapeChar {
			b.WriteRune(EscapeChar)
		}
		b.WriteRune(r)
	}
	if !suffix {
		b.WriteByte('%')
	}
	return b.String()
}
