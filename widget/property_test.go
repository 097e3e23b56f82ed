package widget_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/calldash/calldash"
	"github.com/calldash/calldash/filter"
	"github.com/calldash/calldash/sample"
	"github.com/calldash/calldash/widget"
)

var propNow = time.Date(2025, 11, 28, 18, 0, 0, 0, time.UTC)

func randomCalls(seed uint64, n int) []calldash.Call {
	r := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	return sample.Random(r, n, propNow.AddDate(0, 0, -20), propNow)
}

// propertyWidgets are widgets whose invariants the property tests check.
var propertyWidgets = []string{
	`{"chart_type":"pie","field":"topic"}`,
	`{"chart_type":"pie","field":"success"}`,
	`{"chart_type":"pie","field":"agent.id"}`,
	`{"chart_type":"pie","field":"metadata.priority"}`,
	`{"chart_type":"pie","field":"metric_evaluations.value","metric":14}`,
	`{"chart_type":"pie","field":"metric_evaluations.value","metric":12}`,
	`{"chart_type":"bar","field":"duration","aggregation_function":"p95","time_period":"hour"}`,
	`{"chart_type":"bar","field":"success","aggregation_function":"avg","time_period":"week"}`,
	`{"chart_type":"bar","field":"topic","group_by":{"type":"field","field":"call_ended_reason"}}`,
	`{"chart_type":"bar","field":"duration","aggregation_function":"sum","group_by":{"type":"bucket","interval":7200000}}`,
	`{"chart_type":"bar","field":"metric_evaluations.value","metric":13,"aggregation_function":"avg","time_period":"day"}`,
	`{"chart_type":"line","field":"duration"}`,
	`{"chart_type":"line","field":"metric_evaluations.value","metric":12}`,
	`{"chart_type":"stat"}`,
}

type decoded struct {
	Data json.RawMessage `json:"data"`
}

// metrics gives the sample metrics up front, so that a metric with no
// evaluation in a small data set is still known.
func metrics() widget.Option {
	return widget.WithMetrics(sample.Metrics()...)
}

func preview(t *testing.T, w string, src widget.Source, opts ...widget.Option) []byte {
	t.Helper()
	opts = append([]widget.Option{widget.WithNow(propNow), widget.WithTimePolicy(filter.TimePolicy{}), widget.WithLatencyMetric(16), metrics()}, opts...)
	spec, err := widget.Decode([]byte(w))
	if err != nil {
		t.Fatalf("%s: %v", w, err)
	}
	resp, err := widget.Preview(context.Background(), spec, src, opts...)
	if err != nil {
		t.Fatalf("%s: %v", w, err)
	}
	return resp.AppendJSON(nil)
}

// TestPiePercentagesSumTo100 checks that pie percentages sum to exactly
// 100.0 whenever a row exists.
func TestPiePercentagesSumTo100(t *testing.T) {
	for seed := range uint64(20) {
		calls := randomCalls(seed, 1+int(seed)*17)
		for _, w := range propertyWidgets[:6] {
			var resp struct {
				Data []struct {
					Value      int64       `json:"value"`
					Percentage json.Number `json:"percentage"`
				} `json:"data"`
			}
			out := preview(t, w, widget.Calls(calls))
			if err := json.Unmarshal(out, &resp); err != nil {
				t.Fatal(err)
			}
			var tenths, rows int64
			for _, s := range resp.Data {
				var whole, frac int64
				if _, err := fmt.Sscanf(string(s.Percentage), "%d.%1d", &whole, &frac); err != nil {
					t.Fatalf("percentage %s: %v", s.Percentage, err)
				}
				tenths += whole*10 + frac
				rows += s.Value
			}
			if rows > 0 && tenths != 1000 {
				t.Errorf("seed %d %s: percentages sum to %d tenths, want 1000:\n%s", seed, w, tenths, out)
			}
		}
	}
}

// TestSampleCountsAddUp checks that the bars' sample counts add up to the
// number of rows that pass the filter.
func TestSampleCountsAddUp(t *testing.T) {
	calls := randomCalls(7, 400)
	filters := []string{
		`null`,
		`{"field":"success","op":"eq","value":true}`,
		`{"field":"topic","op":"contains","value":"BILL"}`,
		`{"operator":"or","conditions":[{"field":"duration","op":"gt","value":10},{"field":"metadata.priority","op":"eq","value":"3"}]}`,
	}
	for _, f := range filters {
		n, err := filter.Validate([]byte(f), filter.CallLogs())
		if err != nil {
			t.Fatal(err)
		}
		m, err := filter.Compile(n, filter.Env{Now: propNow})
		if err != nil {
			t.Fatal(err)
		}
		var calls13, evals13 int64
		for i := range calls {
			if m.Match(&calls[i]) {
				calls13++
				for _, e := range calls[i].MetricEvaluations {
					if e.MetricID == 13 {
						evals13++
					}
				}
			}
		}
		for _, tc := range []struct {
			widget string
			want   int64
		}{
			{`{"chart_type":"bar","field":"duration","aggregation_function":"avg","time_period":"day","filters":` + f + `}`, calls13},
			{`{"chart_type":"bar","field":"topic","time_period":"hour","group_by":{"type":"field","field":"agent_id"},"filters":` + f + `}`, calls13},
			{`{"chart_type":"bar","field":"metric_evaluations.value","metric":13,"aggregation_function":"p50","filters":` + f + `}`, evals13},
		} {
			for _, top := range []int{0, 2} {
				var resp struct {
					Data []struct {
						SampleCount int64 `json:"sample_count"`
					} `json:"data"`
				}
				if err := json.Unmarshal(preview(t, tc.widget, widget.Calls(calls), widget.WithTopGroups(top)), &resp); err != nil {
					t.Fatal(err)
				}
				var sum int64
				for _, b := range resp.Data {
					sum += b.SampleCount
				}
				if sum != tc.want {
					t.Errorf("%s (top %d): sample counts sum to %d, want %d", tc.widget, top, sum, tc.want)
				}
			}
		}
	}
}

// TestOrderIndependent checks that shuffling the records, or streaming them
// through an iterator, does not change any response.
func TestOrderIndependent(t *testing.T) {
	calls := randomCalls(11, 300)
	r := rand.New(rand.NewPCG(1, 2))
	for _, w := range propertyWidgets {
		for _, zone := range []string{"UTC", "America/New_York"} {
			loc, err := time.LoadLocation(zone)
			if err != nil {
				t.Fatal(err)
			}
			want := preview(t, w, widget.Calls(calls), widget.WithLocation(loc))
			shuffled := slices.Clone(calls)
			r.Shuffle(len(shuffled), func(i, j int) { shuffled[i], shuffled[j] = shuffled[j], shuffled[i] })
			if got := preview(t, w, widget.Calls(shuffled), widget.WithLocation(loc)); string(got) != string(want) {
				t.Errorf("%s in %s: shuffled records give\n%s\nwant\n%s", w, zone, got, want)
			}
			if got := preview(t, w, widget.Stream(slices.Values(shuffled)), widget.WithLocation(loc)); string(got) != string(want) {
				t.Errorf("%s in %s: streamed records give\n%s\nwant\n%s", w, zone, got, want)
			}
		}
	}
}

// TestCancel checks that a cancelled context stops a long aggregation.
func TestCancel(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	var seen int
	endless := func(yield func(calldash.Call) bool) {
		base := propNow.Add(-time.Hour)
		for i := int64(1); ; i++ {
			if seen++; seen == 10000 {
				cancel()
			}
			if !yield(calldash.Call{ID: i, Timestamp: base, Duration: calldash.Int(i)}) {
				return
			}
		}
	}
	spec, err := widget.Decode([]byte(`{"chart_type":"bar","field":"duration","aggregation_function":"avg","filters":{"field":"timestamp","op":"gte","value":"today"}}`))
	if err != nil {
		t.Fatal(err)
	}
	_, err = widget.Preview(ctx, spec, widget.Stream(endless), widget.WithNow(propNow))
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("got %v, want context.Canceled", err)
	}
	if seen > 10000+8192 {
		t.Errorf("read %d records after cancelling; want it to stop within a few thousand", seen-10000)
	}
}

// TestDatetimeField checks the datetime row of the valid combinations with a schema that
// plots a datetime field: line points carry RFC 3339 values in the zone and
// bar min/max are instants.
func TestDatetimeField(t *testing.T) {
	fields := filter.CallLogs().Fields()
	var defs []filter.Field
	for _, f := range fields {
		defs = append(defs, *f)
	}
	defs = append(defs, filter.Field{
		Name: "reviewed_at", Type: filter.TypeDatetime, Ops: filter.SetOf(filter.OpGt, filter.OpLt),
		DisplayName: "Reviewed At", Plot: filter.TypeDatetime,
		Time: func(c *calldash.Call) time.Time {
			if c.IsReviewed.Kind != calldash.KindBool || !c.IsReviewed.Bool {
				return time.Time{} // null
			}
			return c.Timestamp.Add(90 * time.Minute)
		},
	})
	schema, err := filter.NewSchema(defs, nil)
	if err != nil {
		t.Fatal(err)
	}
	calls := []calldash.Call{
		{ID: 1, Timestamp: propNow.Add(-3 * time.Hour), IsReviewed: calldash.Bool(true)},
		{ID: 2, Timestamp: propNow.Add(-2 * time.Hour), IsReviewed: calldash.Bool(false)},
		{ID: 3, Timestamp: propNow.Add(-1 * time.Hour), IsReviewed: calldash.Bool(true)},
	}
	ny, _ := time.LoadLocation("America/New_York")
	tests := []struct{ widget, want string }{
		{`{"chart_type":"line","field":"reviewed_at","filters":{"field":"timestamp","op":"gte","value":"today"}}`,
			`[{"id":1,"timestamp":"2025-11-28T10:00:00-05:00","value":"2025-11-28T11:30:00-05:00"},{"id":3,"timestamp":"2025-11-28T12:00:00-05:00","value":"2025-11-28T13:30:00-05:00"}]`},
		{`{"chart_type":"bar","field":"reviewed_at","aggregation_function":"max","time_period":"day","filters":{"field":"timestamp","op":"gte","value":"today"}}`,
			`[{"time_interval":"2025-11-28T00:00:00-05:00","value":"2025-11-28T13:30:00-05:00","sample_count":3}]`},
		{`{"chart_type":"bar","field":"reviewed_at","aggregation_function":"count","data_type":"datetime","filters":{"field":"timestamp","op":"gte","value":"today"}}`,
			`[{"time_interval":"2025-11-28T00:00:00-05:00","value":2,"sample_count":3}]`},
	}
	for _, tt := range tests {
		opts := []widget.Option{widget.WithSchema(schema), widget.WithNow(propNow), widget.WithLocation(ny)}
		spec, err := widget.Decoder{Schema: schema}.Decode([]byte(tt.widget))
		if err != nil {
			t.Fatalf("%s: %v", tt.widget, err)
		}
		resp, err := widget.Preview(context.Background(), spec, widget.Calls(calls), opts...)
		if err != nil {
			t.Fatalf("%s: %v", tt.widget, err)
		}
		var got decoded
		if err := json.Unmarshal(resp.AppendJSON(nil), &got); err != nil {
			t.Fatal(err)
		}
		if string(got.Data) != tt.want {
			t.Errorf("%s:\n got %s\nwant %s", tt.widget, got.Data, tt.want)
		}
	}
	// pie is not allowed for datetime.
	spec, err := widget.Decoder{Schema: schema}.Decode([]byte(`{"chart_type":"pie","field":"reviewed_at"}`))
	if err == nil {
		t.Fatalf("pie of a datetime field decoded: %+v", spec)
	}
}
