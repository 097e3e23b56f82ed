package sqlgen

import (
	"github.com/calldash/calldash/dialect"
	"github.com/calldash/calldash/filter"
)

// foldMatch returns the case-insensitive condition of contains,
// startswith or endswith (op) on the text expression expr: the dialect's
// [dialect.Dialect.FoldMatch], whose size grows linearly with the needle.
func foldMatch(d dialect.Dialect, expr frag, op filter.Op, needle string) frag {
	m := dialect.MatchContains
	switch op {
	case filter.OpStartsWith:
		m = dialect.MatchPrefix
	case filter.OpEndsWith:
		m = dialect.MatchSuffix
	}
	cond, args := d.FoldMatch(expr.sql, needle, m)
	return frag{cond, append(append(make([]any, 0, len(expr.args)+len(args)), expr.args...), args...)}
}
