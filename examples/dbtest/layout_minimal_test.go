package dbtest_test

import (
	"context"
	"errors"
	"slices"
	"testing"

	"github.com/calldash/calldash"
	"github.com/calldash/calldash/filter"
	"github.com/calldash/calldash/sqlgen"
	"github.com/calldash/calldash/sqlstore"
	"github.com/calldash/calldash/widget"
	"github.com/calldash/calldash/widget/widgettest"
)

// TestLayoutFieldsLeftOut: a calls table alone, with three fields besides
// id and timestamp, on every database. Widgets over those fields answer as
// memory does over the same calls; a widget or filter naming another field
// (or a metric) is the unknown-field error; a stat widget has no success
// rate without a success column, as memory over calls without outcomes.
func TestLayoutFieldsLeftOut(t *testing.T) {
	d := widgettest.DataSets(4)[0]
	projected := slices.Clone(d.Calls)
	for i := range projected {
		c := projected[i]
		projected[i] = calldash.Call{ID: c.ID, Timestamp: c.Timestamp, Duration: c.Duration, Topic: c.Topic, AgentID: c.AgentID}
	}
	opts := []widget.Option{widget.WithNow(d.End), widget.WithTimePolicy(filter.TimePolicy{}), widget.WithGapFill(false)}
	answers := []string{
		`{"chart_type": "pie", "field": "topic"}`,
		`{"chart_type": "bar", "field": "duration", "aggregation_function": "p95", "time_period": "week", "group_by": {"type": "field", "field": "agent.id"}}`,
		`{"chart_type": "line", "field": "duration", "filters": {"field": "topic", "op": "contains", "value": "BILL"}}`,
		`{"chart_type": "stat", "filters": {"operator": "or", "conditions": [{"field": "agent.id", "op": "isnull", "value": true}, {"field": "duration", "op": "gt", "value": 10}]}}`,
	}
	unknown := []string{
		`{"chart_type": "pie", "field": "call_ended_reason"}`,
		`{"chart_type": "pie", "field": "metric_evaluations.value", "metric": 12}`,
		`{"chart_type": "stat", "filters": {"field": "success", "op": "eq", "value": true}}`,
		`{"chart_type": "stat", "filters": {"field": "metadata.region", "op": "eq", "value": "x"}}`,
		`{"chart_type": "bar", "field": "duration", "group_by": {"type": "field", "field": "agent.agent_name"}}`,
	}
	ctx := context.Background()
	for _, tg := range jsonTargets(t) {
		t.Run(tg.name, func(t *testing.T) {
			prefix := sqlstore.NewPrefix()
			l, err := sqlgen.ParseLayout([]byte(`{"calls": {"table": "` + prefix + `calls",
			  "columns": {"id": "id", "timestamp": "ts", "duration": "secs", "topic": "about", "agent.id": "agent"}}}`))
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { sqlstore.DropLayout(context.Background(), tg.db, tg.d, l) })
			if err := sqlstore.CreateLayout(ctx, tg.db, tg.d, l); err != nil {
				t.Fatal(err)
			}
			if err := sqlstore.LoadLayout(ctx, tg.db, tg.d, l, slices.Values(projected)); err != nil {
				t.Skipf("%s refuses the calls: %v", tg.name, err)
			}
			src := widget.SQL(tg.db, tg.d, widget.WithLayout(l))
			for _, w := range answers {
				spec, err := widget.Decode([]byte(w))
				if err != nil {
					t.Fatal(err)
				}
				want := answerText(widget.Preview(ctx, spec, widget.Calls(projected), opts...))
				if got := answerText(widget.Preview(ctx, spec, src, opts...)); got != want {
					t.Errorf("%s:\n got %s\nwant %s", w, got, want)
				}
			}
			for _, w := range unknown {
				spec, err := widget.Decode([]byte(w))
				if err != nil {
					t.Fatal(err)
				}
				_, err = widget.Preview(ctx, spec, src, opts...)
				if !errors.Is(err, calldash.ErrUnknownField) && !errors.Is(err, calldash.ErrField) {
					t.Errorf("%s: got %v, want an unknown field", w, err)
				}
			}
		})
	}
}
