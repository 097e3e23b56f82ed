package widget

import (
	sq "github.com/Masterminds/squirrel"

	"github.com/calldash/calldash/dialect"
	"github.com/calldash/calldash/filter"
)

// filterSQL compiles the effective filter of q into a WHERE condition over
// call_logs aliased filter.CallAlias, for tables named with prefix. agents
// reports whether the condition reads the agents row (filter.AgentAlias),
// which the statement must then join.
func filterSQL(q *query, d dialect.Dialect, prefix string) (where sq.Sqlizer, agents bool, err error) {
	where, err = filter.SQL(q.filter, d, q.env, filter.Tables{Prefix: prefix})
	if err != nil {
		return nil, false, err
	}
	filter.Walk(q.filter.Node(), func(n filter.Node) bool {
		if c, ok := n.(*filter.Condition); ok {
			if f, _, ok := q.cfg.schema.Lookup(c.Field); ok && f.SQL.Table == "agents" {
				agents = true
			}
		}
		return !agents
	})
	return where, agents, nil
}
