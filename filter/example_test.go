package filter_test

import (
	"errors"
	"fmt"
	"time"

	"github.com/calldash/calldash"
	"github.com/calldash/calldash/filter"
)

// The canonical form has no spaces, fixed key order and numbers in plain
// decimal notation; null and {} are "no filter".
func ExampleParse() {
	n, err := filter.Parse([]byte(`{
		"conditions": [
			{"value": 6e1, "op": "gte", "field": "duration"},
			{"field": "topic", "op": "contains", "value": "50%_off"}],
		"operator": "and"}`))
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(filter.Format(n))
	fmt.Println(n.(*filter.Group).Conditions[1].Path())

	none, _ := filter.Parse([]byte(`{}`))
	fmt.Println(filter.Format(none))
	// Output:
	// {"operator":"and","conditions":[{"field":"duration","op":"gte","value":60},{"field":"topic","op":"contains","value":"50%_off"}]}
	// $.conditions[1]
	// null
}

// Every problem of the input is reported, sorted by path, with a sentinel
// kind.
func ExampleValidate() {
	_, err := filter.Validate([]byte(`{"operator": "and", "conditions": [
		{"field": "duration", "op": "gt", "value": "60"},
		{"field": "topic", "op": "equals", "value": "billing"},
		{"field": "agent_id", "op": "eq", "value": 7}]}`), filter.CallLogs())
	fmt.Println(err)

	var list calldash.ErrorList
	if errors.As(err, &list) {
		for _, e := range list {
			fmt.Printf("%s: unknown operator? %t\n", e.Path, errors.Is(e, calldash.ErrUnknownOperator))
		}
	}
	// Output:
	// $.conditions[0].value: field "duration" is numeric; got string "60"
	// $.conditions[1].op: unknown operator "equals" (did you mean "eq"?)
	// $.conditions[2].field: field "agent_id" is a name for plotting only; in filters write "agent.id"
	// $.conditions[0].value: unknown operator? false
	// $.conditions[1].op: unknown operator? true
	// $.conditions[2].field: unknown operator? false
}

// exCalls decodes call logs from JSON literals.
func exCalls(lines ...string) []calldash.Call {
	calls := make([]calldash.Call, len(lines))
	for i, l := range lines {
		if err := calls[i].UnmarshalJSON([]byte(l)); err != nil {
			panic(err)
		}
	}
	return calls
}

// A compiled filter decides call by call. Null values never match, except
// with neq and isnull; metadata values compare by their JSON type.
func ExampleCompile() {
	calls := exCalls(
		`{"id": 1, "timestamp": "2025-11-28T09:00:00Z", "duration": 45.5, "topic": "Facturación",
		  "metadata": {"priority": 3}}`,
		`{"id": 2, "timestamp": "2025-11-27T16:00:00Z", "duration": null, "topic": "billing",
		  "metadata": {"priority": "3"}}`,
		`{"id": 3, "timestamp": "2025-11-20T10:00:00Z", "duration": 120, "topic": null}`,
	)
	env := filter.Env{Now: time.Date(2025, 11, 28, 18, 0, 0, 0, time.UTC), Location: time.UTC}
	for _, text := range []string{
		`{"field": "topic", "op": "contains", "value": "FACTURACIÓN"}`,
		`{"field": "duration", "op": "neq", "value": 45.5}`,
		`{"field": "duration", "op": "isnull", "value": true}`,
		`{"field": "metadata.priority", "op": "eq", "value": 3}`,
		`{"field": "metadata.priority", "op": "in", "value": [3, "3"]}`,
		`{"field": "timestamp", "op": "gte", "value": "today-1d"}`,
		`{"operator": "or", "conditions": []}`,
	} {
		n, err := filter.Validate([]byte(text), nil)
		if err != nil {
			fmt.Println(err)
			return
		}
		m, err := filter.Compile(n, env)
		if err != nil {
			fmt.Println(err)
			return
		}
		var ids []int64
		for i := range calls {
			if m.Match(&calls[i]) {
				ids = append(ids, calls[i].ID)
			}
		}
		fmt.Println(text, "→", ids)
	}
	// Output:
	// {"field": "topic", "op": "contains", "value": "FACTURACIÓN"} → [1]
	// {"field": "duration", "op": "neq", "value": 45.5} → [2 3]
	// {"field": "duration", "op": "isnull", "value": true} → [2]
	// {"field": "metadata.priority", "op": "eq", "value": 3} → [1]
	// {"field": "metadata.priority", "op": "in", "value": [3, "3"]} → [1 2]
	// {"field": "timestamp", "op": "gte", "value": "today-1d"} → [1 2]
	// {"operator": "or", "conditions": []} → []
}

// Outside same_row, each metric condition may be satisfied by a different
// evaluation row; inside same_row, one row must satisfy them all.
func ExampleMatcher_Match() {
	call := exCalls(`{"id": 7, "timestamp": "2025-10-15T12:00:00Z", "metric_evaluations": [
		{"id": 919, "metric": {"id": 12, "name": "accuracy", "eval_type": "numeric"}, "value": 0.64},
		{"id": 920, "metric": {"id": 13, "name": "empathy", "eval_type": "continuous_qualitative"}, "value": 3.9}]}`)[0]
	env := filter.Env{Now: time.Date(2025, 11, 28, 18, 0, 0, 0, time.UTC)}
	for _, text := range []string{
		`{"operator": "and", "conditions": [
			{"field": "metric_evaluations.metric.id", "op": "eq", "value": 12},
			{"field": "metric_evaluations.value", "op": "gt", "value": 0.9}]}`,
		`{"operator": "same_row", "conditions": [
			{"field": "metric_evaluations.metric.id", "op": "eq", "value": 12},
			{"field": "metric_evaluations.value", "op": "gt", "value": 0.9}]}`,
		// neq: no row equals 14.
		`{"field": "metric_evaluations.metric.id", "op": "neq", "value": 14}`,
	} {
		n, err := filter.Validate([]byte(text), nil)
		if err != nil {
			fmt.Println(err)
			return
		}
		m, err := filter.Compile(n, env)
		if err != nil {
			fmt.Println(err)
			return
		}
		fmt.Println(m.Match(&call))
	}
	// Output:
	// true
	// false
	// true
}

// "today" is the start of the day with gte and its end with lte; both are
// computed in the Env's zone.
func ExampleResolveTime() {
	env := filter.Env{
		Now:      time.Date(2025, 11, 28, 18, 0, 0, 0, time.UTC),
		Location: time.FixedZone("UTC+9", 9*3600),
	}
	for _, c := range []struct {
		value string
		op    filter.Op
	}{
		{"now-15m", filter.OpGt},
		{"today", filter.OpGte},
		{"today", filter.OpLte},
		{"today-7d", filter.OpGte},
		{"now-1M", filter.OpGte},
		{"2025-11-03", filter.OpGte},
		{"2025-11-03T10:30:00Z", filter.OpLt},
	} {
		t, op, err := filter.ResolveTime(c.value, c.op, env)
		if err != nil {
			fmt.Println(err)
			continue
		}
		fmt.Printf("%s %s → %s %s\n", c.op, c.value, op, t.Format(time.RFC3339))
	}
	_, _, err := filter.ResolveTime("yesterday", filter.OpGte, env)
	fmt.Println(err != nil)
	// Output:
	// gt now-15m → gt 2025-11-29T02:45:00+09:00
	// gte today → gte 2025-11-29T00:00:00+09:00
	// lte today → lt 2025-11-30T00:00:00+09:00
	// gte today-7d → gte 2025-11-22T00:00:00+09:00
	// gte now-1M → gte 2025-10-29T03:00:00+09:00
	// gte 2025-11-03 → gte 2025-11-03T00:00:00+09:00
	// lt 2025-11-03T10:30:00Z → lt 2025-11-03T19:30:00+09:00
	// true
}

// The effective filter of a widget is the dashboard's filter AND the
// widget's; no filter (nil) drops out.
func ExampleAnd() {
	dashboard, _ := filter.Parse([]byte(`{"field": "timestamp", "op": "gte", "value": "now-7d"}`))
	widget, _ := filter.Parse([]byte(`{"operator": "or", "conditions": [
		{"field": "success", "op": "eq", "value": false},
		{"field": "dropoff_point", "op": "isnull", "value": false}]}`), filter.AtPath("$.filters"))
	none, _ := filter.Parse([]byte(`null`))

	fmt.Println(filter.Format(filter.And(dashboard, widget)))
	fmt.Println(filter.Format(filter.And(dashboard, none)))
	fmt.Println(filter.Format(filter.And(none, nil)))
	fmt.Println(widget.(*filter.Group).Conditions[1].Path())
	// Output:
	// {"operator":"and","conditions":[{"field":"timestamp","op":"gte","value":"now-7d"},{"operator":"or","conditions":[{"field":"success","op":"eq","value":false},{"field":"dropoff_point","op":"isnull","value":false}]}]}
	// {"field":"timestamp","op":"gte","value":"now-7d"}
	// null
	// $.filters.conditions[1]
}
