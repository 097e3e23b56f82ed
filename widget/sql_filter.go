package widget

import (
	"errors"

	sq "github.com/Masterminds/squirrel"

	"github.com/calldash/calldash/dialect"
	"github.com/calldash/calldash/filter"
)

// filterSQL compiles the effective filter of q into a WHERE condition over
// call_logs aliased c, for tables named with prefix.
//
// Interim: until filter.SQL lands, only timestamp range conditions under
// and groups are compiled (enough for most fixtures); anything else is an
// error, never a different answer.
func filterSQL(q *query, d dialect.Dialect, prefix string) (sq.Sqlizer, error) {
	ok := true
	filter.Walk(q.filter, func(n filter.Node) bool {
		switch n := n.(type) {
		case *filter.Group:
			if n.Operator != filter.GroupAnd {
				ok = false
			}
		case *filter.Condition:
			if n.Field != "timestamp" || !n.Op.Ordered() {
				ok = false
			}
		}
		return ok
	})
	if !ok {
		return nil, errors.New("widget: filter.SQL is not available yet")
	}
	lo, hi, err := filter.TimeBounds(q.filter, q.cfg.schema, q.env)
	if err != nil {
		return nil, err
	}
	and := sq.And{}
	ts := "c." + d.Quote("timestamp")
	if lo.Set {
		op := " > ?"
		if lo.Inclusive {
			op = " >= ?"
		}
		and = append(and, sq.Expr(ts+op, d.TimeArg(lo.Time)))
	}
	if hi.Set {
		op := " < ?"
		if hi.Inclusive {
			op = " <= ?"
		}
		and = append(and, sq.Expr(ts+op, d.TimeArg(hi.Time)))
	}
	if len(and) == 0 {
		return sq.Expr("1 = 1"), nil
	}
	return and, nil
}
