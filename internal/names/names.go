// Package names helps error messages talk about names: it suggests the
// nearest known name for a typo and quotes user input without letting a
// 10 KB string into a message.
package names

import (
	"strconv"
	"strings"
	"unicode/utf8"
)

// Nearest returns the candidate nearest to s by edit distance when it is
// close enough to be a likely typo ("equals" → "eq"), else "".
func Nearest(s string, candidates []string) string {
	if len(s) > 64 || s == "" {
		return ""
	}
	lower := strings.ToLower(s)
	best, bestDist := "", 0
	for _, c := range candidates {
		d := distance(lower, c)
		if best == "" || d < bestDist {
			best, bestDist = c, d
		}
	}
	if best == "" {
		return ""
	}
	limit := max(1, min(3, len(best)/3))
	if strings.HasPrefix(best, lower) || strings.HasPrefix(lower, best) {
		limit = max(limit, len(lower)-len(best), len(best)-len(lower))
	}
	if bestDist > limit {
		return ""
	}
	return best
}

func distance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

// Quote quotes s for an error message, cut to 64 bytes.
func Quote(s string) string { return strconv.Quote(Shorten(s)) }

// Shorten cuts s to 64 bytes at a rune boundary, marking the cut with "...".
func Shorten(s string) string {
	const max = 64
	if len(s) <= max {
		return s
	}
	cut := max
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + "..."
}
