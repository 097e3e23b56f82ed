package filter

import (
	"unicode"
	"unicode/utf8"
)

// Case-insensitive matching for contains, startswith and endswith
// (SPEC §3.2): two runes are equal ignoring case when they lie in the same
// orbit of [unicode.SimpleFold], the relation strings.EqualFold uses. So "K"
// (U+212A KELVIN SIGN) equals "k", "ſ" (U+017F LONG S) equals "s", and "Σ",
// "σ" and "ς" (final sigma) are all equal; full foldings that change the
// number of runes ("ß" vs "ss") do not apply.
//
// Every rune is mapped to a canonical member of its orbit, the smallest
// one. The needle is folded once, when the filter is compiled; the haystack
// is folded rune by rune while it is compared, without allocating.

// foldRune returns the smallest rune of r's simple case folding orbit.
func foldRune(r rune) rune {
	if r < utf8.RuneSelf {
		// In ASCII the upper-case letter is the smallest member of its orbit
		// (the orbits of 'k' and 's' also hold U+212A and U+017F, which are
		// larger).
		if 'a' <= r && r <= 'z' {
			r -= 'a' - 'A'
		}
		return r
	}
	least := r
	for f := unicode.SimpleFold(r); f != r; f = unicode.SimpleFold(f) {
		least = min(least, f)
	}
	return least
}

// A folded is a needle in canonical folded form.
type folded []rune

// foldString returns the canonical folded runes of s.
func foldString(s string) folded {
	f := make(folded, 0, len(s))
	for _, r := range s {
		f = append(f, foldRune(r))
	}
	return f
}

// prefixAt reports whether the needle matches s at byte offset i.
func (n folded) prefixAt(s string, i int) bool {
	for _, want := range n {
		if i >= len(s) {
			return false
		}
		r, size := rune(s[i]), 1
		if r >= utf8.RuneSelf {
			r, size = utf8.DecodeRuneInString(s[i:])
		}
		if foldRune(r) != want {
			return false
		}
		i += size
	}
	return true
}

// hasPrefix reports whether s starts with the needle, ignoring case.
func (n folded) hasPrefix(s string) bool { return n.prefixAt(s, 0) }

// hasSuffix reports whether s ends with the needle, ignoring case.
func (n folded) hasSuffix(s string) bool {
	j := len(s)
	for k := len(n) - 1; k >= 0; k-- {
		if j == 0 {
			return false
		}
		r, size := rune(s[j-1]), 1
		if r >= utf8.RuneSelf {
			r, size = utf8.DecodeLastRuneInString(s[:j])
		}
		if foldRune(r) != n[k] {
			return false
		}
		j -= size
	}
	return true
}

// in reports whether s contains the needle, ignoring case. The empty needle
// is in every string.
func (n folded) in(s string) bool {
	if len(n) == 0 {
		return true
	}
	first := n[0]
	for i := 0; i < len(s); {
		r, size := rune(s[i]), 1
		if r >= utf8.RuneSelf {
			r, size = utf8.DecodeRuneInString(s[i:])
		}
		if foldRune(r) == first && n[1:].prefixAt(s, i+size) {
			return true
		}
		i += size
	}
	return false
}
