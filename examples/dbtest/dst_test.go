package dbtest_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"github.com/calldash/calldash"
	"github.com/calldash/calldash/chart"
	"github.com/calldash/calldash/dialect"
	"github.com/calldash/calldash/examples/internal/sqltest"
	"github.com/calldash/calldash/filter"
	"github.com/calldash/calldash/widget"
)

// dstCases are calendar steps onto wall clocks that a DST change skips or
// repeats in New York, with the instant each must resolve to: a skipped
// one with the offset before the gap (02:30 EST = 07:30Z, which reads
// 03:30 EDT), a repeated one as its first occurrence (01:30 EDT = 05:30Z).
var dstCases = []struct {
	name, now, step string
	bound           time.Time // the instant the step resolves to
}{
	{"gap now-1d", "2025-03-10T06:30:00Z", "now-1d", time.Date(2025, 3, 9, 7, 30, 0, 0, time.UTC)},
	{"gap now-1w", "2025-03-16T06:30:00Z", "now-1w", time.Date(2025, 3, 9, 7, 30, 0, 0, time.UTC)},
	{"gap now-1M", "2025-04-09T06:30:00Z", "now-1M", time.Date(2025, 3, 9, 7, 30, 0, 0, time.UTC)},
	{"gap now+1d", "2025-03-08T07:30:00Z", "now+1d", time.Date(2025, 3, 9, 7, 30, 0, 0, time.UTC)},
	{"overlap now-1d", "2025-11-03T06:30:00Z", "now-1d", time.Date(2025, 11, 2, 5, 30, 0, 0, time.UTC)},
	{"overlap now+1d", "2025-11-01T05:30:00Z", "now+1d", time.Date(2025, 11, 2, 5, 30, 0, 0, time.UTC)},
}

// dstCalls are calls every 10 minutes over the hours around both changes.
func dstCalls() []calldash.Call {
	var calls []calldash.Call
	for _, from := range []time.Time{time.Date(2025, 3, 9, 4, 0, 0, 0, time.UTC), time.Date(2025, 11, 2, 3, 0, 0, 0, time.UTC)} {
		for i := range 36 {
			calls = append(calls, calldash.Call{
				ID:        int64(len(calls) + 1),
				Timestamp: from.Add(time.Duration(i) * 10 * time.Minute),
				Duration:  calldash.Number(decimal.NewFromInt(int64(i))),
				Topic:     calldash.String([]string{"billing", "support"}[i%2]),
			})
		}
	}
	return calls
}

// TestDSTStep answers, in memory and on every database, a stat and an
// hour bar chart bounded by a calendar step onto a skipped or repeated
// wall clock: the calls counted are exactly those from the instant the
// step must resolve to, and every source gives the same bytes.
func TestDSTStep(t *testing.T) {
	calls := dstCalls()
	ny, err := time.LoadLocation("America/New_York")
	if err != nil {
		t.Skip(err)
	}
	type source struct {
		name string
		src  widget.Source
	}
	sources := []source{{"memory", widget.Calls(calls)}, {"table", widget.NewTable(calls)}}
	for _, name := range sqltest.Names {
		if !sqltest.Available(name) {
			t.Logf("%s not available: set %s", name, sqltest.EnvVar(name))
			continue
		}
		db, d, prefix := sqltest.Open(t, name, calls)
		sources = append(sources, source{name, widget.SQL(db, d, widget.WithTablePrefix(prefix))})
	}
	if sqltest.ClickHouseClusterAvailable() {
		cl := sqltest.OpenClickHouseCluster(t, calls)
		sources = append(sources, source{"clickhouse", widget.SQL(cl.DB, dialect.ClickHouse, widget.WithTablePrefix(cl.Prefix))})
	}
	for _, c := range dstCases {
		now, err := time.Parse(time.RFC3339, c.now)
		if err != nil {
			t.Fatal(err)
		}
		want := 0
		for _, call := range calls {
			if !call.Timestamp.Before(c.bound) && call.Timestamp.Before(now.Add(48*time.Hour)) {
				want++
			}
		}
		filters := fmt.Sprintf(`{"operator":"and","conditions":[{"field":"timestamp","op":"gte","value":%q},`+
			`{"field":"timestamp","op":"lt","value":"now+2d"}]}`, c.step)
		opts := []widget.Option{widget.WithNow(now), widget.WithLocation(ny), widget.WithTimePolicy(filter.TimePolicy{})}
		for _, w := range []string{
			`{"chart_type":"stat","field":"","filters":` + filters + `}`,
			`{"chart_type":"bar","field":"duration","aggregation_function":"sum","time_period":"hour","filters":` + filters + `}`,
		} {
			spec, err := widget.Decode([]byte(w))
			if err != nil {
				t.Fatal(err)
			}
			var first []byte
			for _, s := range sources {
				resp, err := widget.Preview(context.Background(), spec, s.src, opts...)
				if err != nil {
					t.Fatalf("%s %s: %v", c.name, s.name, err)
				}
				got := resp.AppendJSON(nil)
				if first == nil {
					first = got
					if spec.ChartType == chart.StatChart {
						var stat struct {
							Data struct {
								TotalCalls int `json:"total_calls"`
							} `json:"data"`
						}
						if err := json.Unmarshal(got, &stat); err != nil {
							t.Fatal(err)
						}
						if stat.Data.TotalCalls != want {
							t.Errorf("%s: %s counts %d calls, want %d (from %s)", c.name, s.name, stat.Data.TotalCalls, want, c.bound.Format(time.RFC3339))
						}
					}
					continue
				}
				if !bytes.Equal(got, first) {
					t.Errorf("%s: %s answers\n%s\nmemory answers\n%s", c.name, s.name, got, first)
				}
			}
		}
	}
}
