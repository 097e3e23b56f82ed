package dbtest_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"github.com/calldash/calldash"
	"github.com/calldash/calldash/filter"
	"github.com/calldash/calldash/sqlstore"
	"github.com/calldash/calldash/widget"
)

// beyondNumbers are JSON numbers of a user's data beyond the exact decimal
// type of MariaDB (DECIMAL(65,30)) or ClickHouse (Decimal(38, 18)), or at
// its edge, as a user's JSON may spell them.
var beyondNumbers = []string{
	`1e40`,                              // beyond both: 41 integer digits
	`1e-31`,                             // beyond both: 31 fractional digits, with an exponent
	`0.0000000000000000000000000000001`, // the same without one
	`0.1234567890123456789012345678901`, // 31 significant fractional digits
	`1234567890123456789012345678901234567.5`, // a long mantissa: 37 integer digits
	`15e-31`,                // 1.5e-30: an integer mantissa shifted past 30 places
	`1e20`,                  // MariaDB holds it, ClickHouse does not
	`0.0000000000000000001`, // 1e-19: MariaDB holds it, ClickHouse does not
	`1.5e-19`,               // MariaDB holds it exactly (20 places)
	`5.000000000000000000000000000000000000000`, // 5, spelled with 39 fractional zeros
}

// rangeWidgets read the number x of each call's metadata and the JSON
// evaluation value of metric 1 in every way a widget can: labels, filters
// and aggregates.
var rangeWidgets = []string{
	`{"chart_type": "pie", "field": "metadata.x"}`,
	`{"chart_type": "bar", "field": "duration", "time_period": "day", "group_by": {"type": "field", "field": "metadata.x"}}`,
	`{"chart_type": "stat", "filters": {"operator": "and", "conditions": [{"field": "metadata.x", "op": "eq", "value": 5}]}}`,
	`{"chart_type": "stat", "filters": {"operator": "and", "conditions": [{"field": "metadata.x", "op": "lt", "value": 6}]}}`,
	`{"chart_type": "stat", "filters": {"operator": "and", "conditions": [{"field": "metadata.x", "op": "gt", "value": 0}]}}`,
	`{"chart_type": "stat", "filters": {"operator": "and", "conditions": [{"field": "metadata.x", "op": "in", "value": [5, 10.27]}]}}`,
	`{"chart_type": "stat", "filters": {"operator": "and", "conditions": [{"field": "metadata.x", "op": "neq", "value": 0}]}}`,
	`{"chart_type": "pie", "field": "metric_evaluations.value", "metric": 1}`,
	`{"chart_type": "bar", "field": "metric_evaluations.value", "metric": 1, "aggregation_function": "sum", "time_period": "day"}`,
	`{"chart_type": "bar", "field": "metric_evaluations.value", "metric": 1, "aggregation_function": "avg", "time_period": "day"}`,
	`{"chart_type": "bar", "field": "metric_evaluations.value", "metric": 1, "aggregation_function": "min", "time_period": "day"}`,
	`{"chart_type": "bar", "field": "metric_evaluations.value", "metric": 1, "aggregation_function": "max", "time_period": "day"}`,
	`{"chart_type": "bar", "field": "metric_evaluations.value", "metric": 1, "aggregation_function": "p50", "time_period": "day"}`,
	`{"chart_type": "bar", "field": "metric_evaluations.value", "metric": 1, "aggregation_function": "p95", "time_period": "day"}`,
	`{"chart_type": "line", "field": "metric_evaluations.value", "metric": 1}`,
	`{"chart_type": "stat", "filters": {"operator": "and", "conditions": [{"field": "metric_evaluations.value", "op": "lte", "value": 10.27}]}}`,
	`{"chart_type": "stat", "filters": {"operator": "and", "conditions": [{"field": "metric_evaluations.value", "op": "eq", "value": 5}]}}`,
}

// TestLayoutJSONNumbersBeyond: a number of a user's JSON (metadata, a JSON
// evaluation value) that the dialect's exact decimal type cannot hold is
// never answered inexactly. Each data set holds 5, 10.27 and one number of
// beyondNumbers; every widget of rangeWidgets must give memory's bytes, or
// on MariaDB and ClickHouse an error naming the dialect — and the bytes
// whenever the dialect holds the number exactly (PostgreSQL and SQLite
// always do). The default layout's metadata, written in the loader's
// canonical form by someone else than the loader, is held to the same.
func TestLayoutJSONNumbersBeyond(t *testing.T) {
	at := time.Date(2025, 11, 27, 12, 0, 0, 0, time.UTC)
	opts := []widget.Option{widget.WithNow(at.Add(24 * time.Hour)), widget.WithTimePolicy(filter.TimePolicy{}), widget.WithGapFill(false)}
	for _, tg := range jsonTargets(t) {
		t.Run(tg.name, func(t *testing.T) {
			for _, beyond := range beyondNumbers {
				values := []string{`5`, `10.27`, beyond}
				var jsonl strings.Builder
				for i, v := range values {
					fmt.Fprintf(&jsonl, `{"id": %d, "timestamp": %q, "duration": 1, "metadata": {"x": %s}, "metric_evaluations": [{"id": %d, "metric": {"id": 1, "name": "score", "eval_type": "numeric"}, "value": %s}]}`+"\n",
						i+1, at.Add(time.Duration(i)*time.Hour).Format(time.RFC3339), v, 100+i, v)
				}
				calls, err := calldash.DecodeCalls(strings.NewReader(jsonl.String()))
				if err != nil {
					t.Fatal(err)
				}
				// The dialect must answer exactly when its type holds the number.
				mustAnswer := tg.name == "postgres" || tg.name == "sqlite" || tg.d.CheckNumber(decimal.RequireFromString(beyond)) == nil
				check := func(t *testing.T, src widget.Source, widgets []string) {
					ctx := context.Background()
					for _, w := range widgets {
						spec, err := widget.Decode([]byte(w))
						if err != nil {
							t.Fatal(err)
						}
						want := answerText(widget.Preview(ctx, spec, widget.Calls(calls), opts...))
						if strings.HasPrefix(want, "error") {
							t.Fatalf("%s: memory: %s", w, want)
						}
						got := answerText(widget.Preview(ctx, spec, src, opts...))
						if got == want {
							continue
						}
						refused := strings.HasPrefix(got, "error: ") && strings.Contains(got, "not supported on "+tg.d.Name())
						if mustAnswer || !refused {
							t.Errorf("%s:\n got %s\nwant %s (or, beyond the dialect's type, an error naming it)", w, got, want)
						}
					}
				}
				t.Run("user/"+beyond, func(t *testing.T) {
					l, prefix := createJSONLayout(t, tg)
					var callRows, evalRows [][]any
					for i, v := range values {
						callRows = append(callRows, []any{int64(i + 1), tg.d.TimeArg(calls[i].Timestamp), tg.d.NumberArg(decimal.NewFromInt(1)), `{"x":` + v + `}`})
						evalRows = append(evalRows, []any{int64(100 + i), int64(i + 1), int64(1), "score", "numeric", v})
					}
					insertJSONLayout(t, tg, prefix, callRows, evalRows)
					check(t, widget.SQL(tg.db, tg.d, widget.WithLayout(l)), rangeWidgets)
				})
				t.Run("default/"+beyond, func(t *testing.T) {
					prefix := sqlstore.NewPrefix()
					ctx := context.Background()
					t.Cleanup(func() { sqlstore.Drop(context.Background(), tg.db, tg.d, prefix) })
					if err := sqlstore.Create(ctx, tg.db, tg.d, prefix); err != nil {
						t.Fatal(err)
					}
					// The loader refuses such numbers; another program may
					// still write them, in the loader's canonical form.
					var callRows [][]any
					for i, v := range values {
						canonical := decimal.RequireFromString(v).String()
						callRows = append(callRows, []any{int64(i + 1), tg.d.TimeArg(calls[i].Timestamp), tg.d.NumberArg(decimal.NewFromInt(1)), `{"x":` + canonical + `}`})
					}
					insertRaw(t, tg.db, tg.d, prefix+"call_logs", []string{"id", "timestamp", "duration", "metadata"}, callRows)
					var metadataWidgets []string
					for _, w := range rangeWidgets {
						if !strings.Contains(w, "metric") {
							metadataWidgets = append(metadataWidgets, w)
						}
					}
					check(t, widget.SQL(tg.db, tg.d, widget.WithTablePrefix(prefix)), metadataWidgets)
				})
			}
		})
	}
}
