package widget_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/calldash/calldash"
	"github.com/calldash/calldash/filter"
	"github.com/calldash/calldash/internal/golden"
	"github.com/calldash/calldash/sqlgen"
	"github.com/calldash/calldash/widget"
)

// The layout shapes of the golden statements: renamed columns with JSON
// values and names on the rows; typed values with joined, scoped agents
// and metrics tables in a schema; and a calls table alone, most fields
// left out.
var goldenLayouts = []struct{ name, doc string }{
	{"wide", `{"calls": {"table": "calls", "scope": ["tenant"],
	  "columns": {"id": "call_id", "timestamp": "started_at", "duration": "dur_s", "success": "is_ok", "topic": "subject",
	    "agent.id": "agent", "agent.agent_name": "agent_label", "metadata": "meta"}},
	 "evaluations": {"table": "evals", "columns": {"id": "eval_id", "call": "of_call", "metric.id": "metric",
	    "metric.name": "metric_label", "metric.eval_type": "metric_kind", "value": "val"}}}`},
	{"typed", `{"calls": {"table": "app.calls", "scope": ["project_id"],
	  "columns": {"id": "id", "timestamp": "at", "duration": "seconds", "success": "succeeded", "call_ended_reason": "reason", "topic": "topic", "agent.id": "agent_ref", "metadata": "extra"}},
	 "agents": {"table": "app.agents", "scope": ["project_id"], "columns": {"id": "aid", "agent_name": "title"}},
	 "evaluations": {"table": "app.evaluations", "scope": ["project_id"],
	  "columns": {"id": "eid", "call": "call_ref", "metric.id": "metric_ref", "value_number": "num", "value_bool": "flag", "value_text": "label"}},
	 "metrics": {"table": "app.metrics", "columns": {"id": "mid", "name": "metric_name", "eval_type": "kind"}}}`},
	{"calls_only", `{"calls": {"table": "ops.calls", "columns": {"id": "id", "timestamp": "ts", "topic": "topic"}}}`},
}

// TestSQLLayoutGolden compiles one widget per shape of a layout for every
// dialect: a metadata pie, a metric pie, a bar grouped by agent name with
// a metric condition, a stat with a latency metric, and a field the
// layout left out.
func TestSQLLayoutGolden(t *testing.T) {
	widgets := []string{
		`{"chart_type": "pie", "field": "metadata.region", "filters": {"field": "timestamp", "op": "gte", "value": "now-7d"}}`,
		`{"chart_type": "pie", "field": "metric_evaluations.value", "metric": 14, "filters": {"field": "timestamp", "op": "gte", "value": "now-7d"}}`,
		`{"chart_type": "bar", "field": "duration", "aggregation_function": "avg", "group_by": {"type": "field", "field": "agent.agent_name"},
		  "filters": {"operator": "and", "conditions": [{"field": "timestamp", "op": "gte", "value": "now-7d"},
		    {"field": "metric_evaluations.metric.name", "op": "eq", "value": "accuracy"}, {"field": "metric_evaluations.value", "op": "gt", "value": 0.5}]}}`,
		`{"chart_type": "stat", "filters": {"field": "timestamp", "op": "gte", "value": "now-7d"}}`,
		`{"chart_type": "pie", "field": "call_ended_reason", "filters": {"field": "timestamp", "op": "gte", "value": "now-7d"}}`,
	}
	opts := []widget.Option{widget.WithNow(time.Date(2025, 11, 28, 18, 0, 0, 0, time.UTC)), widget.WithLatencyMetric(12),
		widget.WithMetrics(calldash.Metric{ID: 14, Name: "sentiment", EvalType: calldash.EvalEnum}, calldash.Metric{ID: 12, Name: "accuracy", EvalType: calldash.EvalNumeric})}
	for _, gl := range goldenLayouts {
		t.Run(gl.name, func(t *testing.T) {
			l, err := sqlgen.ParseLayout([]byte(gl.doc))
			if err != nil {
				t.Fatal(err)
			}
			scope := map[string]any{}
			for _, c := range l.ScopeColumns() {
				scope[c] = "t1"
			}
			if l, err = l.Scoped(scope); err != nil {
				t.Fatal(err)
			}
			var b strings.Builder
			for i, w := range widgets {
				spec, err := widget.Decode([]byte(w))
				if err != nil {
					t.Fatal(err)
				}
				for _, d := range sqlDialects {
					writeStatement(t, &b, fmt.Sprintf("-- widget %d, %s", i, d.Name()), spec, d, l, opts)
				}
			}
			golden.Check(t, "../testdata/widget-sql-layouts/"+gl.name+".golden", b.String(), *update)
		})
	}
}

// TestStatementUnscoped: a layout with scope columns and no values
// compiles nothing.
func TestStatementUnscoped(t *testing.T) {
	l, err := sqlgen.ParseLayout([]byte(goldenLayouts[0].doc))
	if err != nil {
		t.Fatal(err)
	}
	spec, _ := widget.Decode([]byte(`{"chart_type": "stat"}`))
	_, _, err = widget.Statement(spec, sqlDialects[0], l, widget.WithTimePolicy(filter.TimePolicy{}))
	if err != sqlgen.ErrUnscoped {
		t.Errorf("got %v, want sqlgen.ErrUnscoped", err)
	}
}

// BenchmarkCompileSQLLayout is BenchmarkCompileSQL for W1–W4 over a
// user's layout: typed values, joined agents and metrics in a schema,
// every table scoped (target: under 20 µs, as over the default layout).
func BenchmarkCompileSQLLayout(b *testing.B) {
	l, err := sqlgen.ParseLayout([]byte(goldenLayouts[1].doc))
	if err != nil {
		b.Fatal(err)
	}
	if l, err = l.Scoped(map[string]any{"project_id": 7}); err != nil {
		b.Fatal(err)
	}
	benchCompile(b, benchWidgets[:4], l)
}
