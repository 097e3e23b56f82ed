package filter

import (
	"unicode/utf8"

	"github.com/calldash/calldash/internal/fold"
)

// Case-insensitive matching for contains, startswith and endswith: runes
// compare by their simple-folding representative (package
// internal/fold). The needle is folded once, when the filter is compiled;
// the haystack is folded rune by rune while it is compared, without
// allocating.

// A folded is a needle in folded form.
type folded []rune

// foldString returns the folded runes of s.
func foldString(s string) folded { return fold.Runes(s) }

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
		if fold.Rune(r) != want {
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
		if fold.Rune(r) != n[k] {
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
		if fold.Rune(r) == first && n[1:].prefixAt(s, i+size) {
			return true
		}
		i += size
	}
	return false
}
