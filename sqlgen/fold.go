package sqlgen

import (
	"strings"

	"github.com/calldash/calldash/dialect"
	"github.com/calldash/calldash/internal/fold"
)

// folded returns the text expression expr folded for a comparison with
// the folded needle — nested [dialect.Dialect.Replace] calls, one per pair of
// fold.Pairs — and its arguments (from, to for each pair, innermost
// first). With no pairs (a needle without letters) it is expr itself.
func folded(d dialect.Dialect, expr, needle string) (string, []any) {
	pairs := fold.Pairs(needle)
	args := make([]any, 0, 2*len(pairs))
	for _, p := range pairs {
		expr = d.Replace(expr)
		args = append(args, p[0], p[1])
	}
	return expr, args
}

// likePattern returns the LIKE pattern of contains (prefix and suffix
// false), startswith (prefix) or endswith (suffix) for the folded needle, with
// "%", "_" and dialect.EscapeChar escaped.
func likePattern(needle string, prefix, suffix bool) string {
	var b strings.Builder
	if !prefix {
		b.WriteByte('%')
	}
	for _, r := range fold.String(needle) {
		if r == '%' || r == '_' || r == dialect.EscapeChar {
			b.WriteRune(dialect.EscapeChar)
		}
		b.WriteRune(r)
	}
	if !suffix {
		b.WriteByte('%')
	}
	return b.String()
}
