package sqlgen_test

import (
	"fmt"

	"github.com/calldash/calldash/sqlgen"
)

// A layout over a service's own tables: a wide calls table with the
// agent name on the row and JSON metadata, evaluations holding their
// value in one JSON column, one tenant column.
func ExampleParseLayout() {
	l, err := sqlgen.ParseLayout([]byte(`{
	  "calls": {"table": "app.calls", "scope": ["project_id"],
	            "columns": {"id": "id", "timestamp": "started_at", "topic": "topic",
	                        "agent.id": "agent_id", "agent.agent_name": "agent_name", "metadata": "meta"}},
	  "evaluations": {"table": "app.evals",
	                  "columns": {"id": "id", "call": "call_id", "metric.id": "metric_id",
	                              "metric.name": "metric_name", "metric.eval_type": "metric_kind", "value": "value"}}}`))
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(l.ScopeColumns())
	scoped, err := l.Scoped(map[string]any{"project_id": 42})
	fmt.Println(scoped != nil, err)

	_, err = sqlgen.ParseLayout([]byte(`{"calls": {"table": "calls", "columns": {"id": "id", "timestmap": "ts"}}}`))
	fmt.Println(err)
	// Output:
	// [project_id]
	// true <nil>
	// $.calls.columns: "timestamp" is required
	// $.calls.columns.timestmap: unknown field "timestmap" (did you mean "timestamp"?); known: id, timestamp, duration, success, is_reviewed, call_ended_reason, dropoff_point, topic, customer_number, agent.id, agent.agent_name, metadata
}
