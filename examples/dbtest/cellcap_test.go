package dbtest_test

import (
	"context"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"github.com/calldash/calldash"
	"github.com/calldash/calldash/examples/internal/sqltest"
	"github.com/calldash/calldash/widget"
	"github.com/calldash/calldash/widget/widgettest"
)

// TestMaxCellsGrouped: a grouped bar or a pie with more cells than
// WithMaxCells(n) — on SQLite, more groups than the cap its group
// aggregate keeps — is the same error as in memory, and one of exactly n
// cells the same bytes.
func TestMaxCellsGrouped(t *testing.T) {
	const days, topics = 4, 150
	day := time.Date(2025, 3, 1, 0, 0, 0, 0, time.UTC)
	var calls []calldash.Call
	for d := range days {
		for topic := range topics {
			for n := range topic%3 + 1 {
				calls = append(calls, calldash.Call{
					ID:        int64(len(calls) + 1),
					Timestamp: day.AddDate(0, 0, d).Add(time.Duration(topic*5+n) * time.Second),
					Topic:     calldash.String("topic " + strconv.Itoa(topic)),
					Duration:  calldash.Number(decimal.New(int64(len(calls)%97), -1)),
				})
			}
		}
	}
	ts := `"filters":{"field":"timestamp","op":"gte","value":"2025-03-01T00:00:00Z"}`
	bar := func(agg string) string {
		return `{"chart_type":"bar","field":"duration","aggregation_function":"` + agg +
			`","time_period":"day","group_by":{"type":"field","field":"topic"},` + ts + `}`
	}
	shapes := []struct {
		name, widget string
		cells        int
	}{
		{"bar-sum", bar("sum"), days * topics},
		{"bar-p95", bar("p95"), days * topics},
		{"bar-count", bar("count"), days * topics},
		{"pie", `{"chart_type":"pie","field":"topic",` + ts + `}`, topics},
	}
	now := widget.WithNow(day.AddDate(0, 0, days-1).Add(18 * time.Hour))
	for _, name := range sqltest.Names {
		t.Run(name, func(t *testing.T) {
			if !sqltest.Available(name) {
				t.Skipf("set %s to run against %s", sqltest.EnvVar(name), name)
			}
			db, d, prefix := sqltest.Open(t, name, calls)
			src := widget.SQL(db, d, widget.WithTablePrefix(prefix))
			for _, s := range shapes {
				spec, err := widget.Decode([]byte(s.widget))
				if err != nil {
					t.Fatal(err)
				}
				for _, max := range []int{s.cells, s.cells - 1, s.cells / 3, 1} {
					opts := []widget.Option{now, widget.WithMaxCells(max)}
					want := widgettest.AnswerText(widget.Preview(context.Background(), spec, widget.Calls(calls), opts...))
					got := widgettest.AnswerText(widget.Preview(context.Background(), spec, src, opts...))
					refused := strings.HasPrefix(want, "error: ")
					switch {
					case refused != (max < s.cells):
						t.Errorf("%s max %d of %d cells: memory %.200s", s.name, max, s.cells, want)
					case got != want:
						t.Errorf("%s max %d of %d cells:\n got %.300s\nwant %.300s", s.name, max, s.cells, got, want)
					}
				}
			}
		})
	}
}
