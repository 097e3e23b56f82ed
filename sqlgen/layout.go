package sqlgen

import (
	"strings"

	"github.com/calldash/calldash/dialect"
	"github.com/calldash/calldash/filter"
)

// A Layout says where each field of a call log lives in SQL: the tables
// of the calls, their agents, their metric evaluations and the metrics,
// and the column of each field. Every statement calldash writes reads its
// table and column names from a Layout and quotes them with the dialect;
// nothing else reaches the SQL text as an identifier.
//
// The default layout ([DefaultLayout]) is calldash's own tables:
//
//	call_logs(id, timestamp, duration, success, is_reviewed, call_ended_reason,
//	          dropoff_point, topic, customer_number, agent_id, metadata)
//	agents(id, agent_name)
//	metrics(id, name, eval_type)
//	metric_evaluations(id, call_log_id, metric_id, value_number, value_bool, value_text)
//
// An evaluation's value lives in the column of its JSON type (the others
// NULL); metadata is one JSON object column; agent and metric names live
// once per id in their tables.
type Layout struct {
	calls, agents, evals, metrics string // table names as written, without quotes

	callCols                        map[string]string // field name → column of the call row
	agentCols, evalCols, metricCols map[string]string
}

// DefaultLayout returns calldash's default layout with every table name
// prefixed by prefix ("" for the plain names), e.g. for the scratch tables
// of package sqlstore. The prefix comes from the program, never from a
// request: it is quoted as part of the identifier.
func DefaultLayout(prefix string) *Layout {
	return &Layout{
		calls:   prefix + "call_logs",
		agents:  prefix + "agents",
		evals:   prefix + "metric_evaluations",
		metrics: prefix + "metrics",
		callCols: map[string]string{
			"id": "id", "timestamp": "timestamp", "duration": "duration", "success": "success",
			"is_reviewed": "is_reviewed", "call_ended_reason": "call_ended_reason", "dropoff_point": "dropoff_point",
			"topic": "topic", "customer_number": "customer_number", "agent.id": "agent_id", "metadata": "metadata",
		},
		agentCols:  map[string]string{"id": "id", "agent_name": "agent_name"},
		evalCols:   map[string]string{"id": "id", "call": "call_log_id", "metric.id": "metric_id", "value_number": "value_number", "value_bool": "value_bool", "value_text": "value_text"},
		metricCols: map[string]string{"id": "id", "name": "name", "eval_type": "eval_type"},
	}
}

// The table aliases of every statement: the call row is c, its agent a,
// an evaluation row e and its metric m.
const (
	callAlias   = "c"
	agentAlias  = "a"
	evalAlias   = "e"
	metricAlias = "m"
)

// table returns the quoted name of a table: each part of a qualified name
// ("app.calls") quoted on its own.
func table(d dialect.Dialect, name string) string {
	if !strings.Contains(name, ".") {
		return d.Quote(name)
	}
	parts := strings.Split(name, ".")
	for i, p := range parts {
		parts[i] = d.Quote(p)
	}
	return strings.Join(parts, ".")
}

// A place is where a field's value is read: a column of one of the
// aliased rows.
type place struct {
	alias, column string
}

func (p place) sql(d dialect.Dialect) string { return p.alias + "." + d.Quote(p.column) }

// callCol returns the place of a column of the call row (by field name:
// "id", "timestamp", "agent.id", …); ok is false when the layout has none.
func (l *Layout) callCol(field string) (place, bool) {
	c, ok := l.callCols[field]
	return place{callAlias, c}, ok
}

// agentName returns where an agent's name lives: on the call row, or in
// the agents table (joined as a).
func (l *Layout) agentName() (p place, joined, ok bool) {
	if c, ok := l.callCols["agent.agent_name"]; ok {
		return place{callAlias, c}, false, true
	}
	if c, ok := l.agentCols["agent_name"]; ok && l.agents != "" {
		return place{agentAlias, c}, true, true
	}
	return place{}, false, false
}

func (l *Layout) evalCol(name string) string   { return l.evalCols[name] }
func (l *Layout) metricCol(name string) string { return l.metricCols[name] }
func (l *Layout) agentCol(name string) string  { return l.agentCols[name] }
func (l *Layout) hasEvaluations() bool         { return l.evals != "" }

// A loc is where a field's value is read in SQL.
type loc struct {
	col    place // the column; for metadata and a JSON evaluation value the JSON column
	json   bool  // col holds JSON: a metadata object or one evaluation value
	agents bool  // col is on the agents row (a), which must be joined
	metric bool  // col is on the metrics row (m), which must be joined to the evaluation
	// An evaluation value in one column per JSON type.
	typed              bool
	num, boolean, text place
}

// The fields of package filter's call-log schema that live on an
// evaluation row.
const (
	fieldMetricID   = "metric_evaluations.metric.id"
	fieldMetricName = "metric_evaluations.metric.name"
	fieldEvalValue  = "metric_evaluations.value"
)

// locate returns where the field named name is read; ok is false when the
// layout has no column for it.
func (l *Layout) locate(name string) (loc, bool) {
	switch name {
	case "agent.agent_name":
		p, joined, ok := l.agentName()
		return loc{col: p, agents: joined}, ok
	case fieldMetricID:
		c, ok := l.evalCols["metric.id"]
		return loc{col: place{evalAlias, c}}, ok && l.hasEvaluations()
	case fieldMetricName:
		if c, ok := l.evalCols["metric.name"]; ok {
			return loc{col: place{evalAlias, c}}, true
		}
		c, ok := l.metricCols["name"]
		return loc{col: place{metricAlias, c}, metric: true}, ok && l.metrics != ""
	case fieldEvalValue:
		if !l.hasEvaluations() {
			return loc{}, false
		}
		if c, ok := l.evalCols["value"]; ok {
			return loc{col: place{evalAlias, c}, json: true}, true
		}
		return loc{typed: true,
			num:     place{evalAlias, l.evalCols["value_number"]},
			boolean: place{evalAlias, l.evalCols["value_bool"]},
			text:    place{evalAlias, l.evalCols["value_text"]}}, true
	case "metadata":
		p, ok := l.callCol(name)
		return loc{col: p, json: true}, ok
	}
	p, ok := l.callCol(name)
	return loc{col: p}, ok
}

// readsAgents reports whether the filter reads a column of the agents row.
func (l *Layout) readsAgents(f *filter.Checked) bool {
	agents := false
	filter.Walk(f.Node(), func(n filter.Node) bool {
		if c, ok := n.(*filter.Condition); ok {
			if at, ok := l.locate(fieldName(f.Schema(), c.Field)); ok && at.agents {
				agents = true
			}
		}
		return !agents
	})
	return agents
}
