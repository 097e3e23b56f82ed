package dbtest_test

import (
	"context"
	"errors"
	"testing"

	"github.com/calldash/calldash"
	"github.com/calldash/calldash/filter"
	"github.com/calldash/calldash/widget"
	"github.com/calldash/calldash/widget/widgettest"
)

// TestScopeAttacks: widgets and filters written to reach another tenant's
// rows — or groups that match everything, neq and isnull on every field,
// overrides, dashboard filters, metric subqueries, a scope column named as
// a field — count only the first tenant's rows on every database: the
// answer is memory's over that tenant's calls alone.
func TestScopeAttacks(t *testing.T) {
	d := widgettest.DataSets(9)[0]
	other := otherTenant(widgettest.DataSets(10)[0].Calls)
	sets := layoutSets(t, d.Calls, other)
	everything := `{"operator": "or", "conditions": [
	  {"field": "id", "op": "neq", "value": -1}, {"field": "id", "op": "gt", "value": 0},
	  {"field": "topic", "op": "isnull", "value": true}, {"field": "topic", "op": "neq", "value": "x"},
	  {"field": "metadata.tenant", "op": "isnull", "value": true}, {"field": "metadata.tenant", "op": "neq", "value": "acme"},
	  {"field": "agent.agent_name", "op": "isnull", "value": true}, {"field": "agent.agent_name", "op": "neq", "value": "x"},
	  {"field": "metric_evaluations.value", "op": "isnull", "value": true}, {"field": "metric_evaluations.metric.name", "op": "neq", "value": "x"},
	  {"field": "metric_evaluations.metric.id", "op": "neq", "value": 12},
	  {"operator": "same_row", "conditions": [{"field": "metric_evaluations.metric.name", "op": "startswith", "value": ""}]}]}`
	widgets := []string{
		`{"chart_type": "stat", "filters": ` + everything + `}`,
		`{"chart_type": "pie", "field": "agent.agent_name", "filters": ` + everything + `}`,
		`{"chart_type": "bar", "field": "duration", "aggregation_function": "count", "time_period": "month", "group_by": {"type": "field", "field": "agent.id"}, "filters": ` + everything + `}`,
		`{"chart_type": "pie", "field": "metric_evaluations.value", "metric": 14, "filters": ` + everything + `}`,
		`{"chart_type": "line", "field": "metric_evaluations.value", "metric": 12}`,
		`{"chart_type": "pie", "field": "metadata.region"}`,
	}
	override, err := filter.Parse([]byte(everything))
	if err != nil {
		t.Fatal(err)
	}
	optSets := [][]widget.Option{
		{widget.WithNow(d.End), widget.WithTimePolicy(filter.TimePolicy{}), widget.WithGapFill(false)},
		{widget.WithNow(d.End), widget.WithTimePolicy(filter.TimePolicy{}), widget.WithGapFill(false), widget.WithFilterOverride(override), widget.WithDashboardFilters(override)},
		{widget.WithNow(d.End), widget.WithTimePolicy(filter.TimePolicy{}), widget.WithGapFill(false), widget.WithLatencyMetric(12)},
	}
	ctx := context.Background()
	for _, s := range sets {
		t.Run(s.name, func(t *testing.T) {
			src := widget.SQL(s.db, s.d, widget.WithLayout(s.layout))
			for i, w := range widgets {
				spec, err := widget.Decode([]byte(w))
				if err != nil {
					t.Fatal(err)
				}
				for k, opts := range optSets {
					want := answerText(widget.Preview(ctx, spec, widget.Calls(d.Calls), opts...))
					if got := answerText(widget.Preview(ctx, spec, src, opts...)); got != want {
						t.Errorf("widget %d, options %d:\n got %s\nwant %s", i, k, got, want)
					}
				}
			}
			// No field reaches a scope column.
			for _, col := range s.layout.ScopeColumns() {
				for _, w := range []string{
					`{"chart_type": "pie", "field": "` + col + `"}`,
					`{"chart_type": "stat", "filters": {"field": "` + col + `", "op": "neq", "value": 0}}`,
				} {
					spec, err := widget.Decode([]byte(w))
					if err != nil {
						continue // refused when decoded: fine
					}
					_, err = widget.Preview(ctx, spec, src, optSets[0]...)
					if !errors.Is(err, calldash.ErrUnknownField) {
						t.Errorf("%s: got %v, want an unknown field", w, err)
					}
				}
			}
		})
	}
}
