package widgettest

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"testing"
	"time"

	"github.com/calldash/calldash"
	"github.com/calldash/calldash/filter"
	"github.com/calldash/calldash/widget"
)

// A Fixture is one case of testdata/widget: a widget, the calls, and how
// to evaluate it.
type Fixture struct {
	Widget           json.RawMessage `json:"widget"`
	Calls            json.RawMessage `json:"calls"` // "sample" (testdata/calls/sample.jsonl) or an array of call logs
	Now              string          `json:"now"`
	TZ               string          `json:"tz"`
	WeekStart        string          `json:"week_start"`
	DashboardFilters json.RawMessage `json:"dashboard_filters"`
	FilterOverride   json.RawMessage `json:"filter_override"`
	GapFill          *bool           `json:"gap_fill"`
	TopGroups        int             `json:"top_groups"`
	MaxPoints        int             `json:"max_points"`
	MaxBuckets       int             `json:"max_buckets"`
	LatencyMetric    int64           `json:"latency_metric"`
	NoTimePolicy     bool            `json:"no_time_policy"`
}

var weekdays = map[string]time.Weekday{
	"sunday": time.Sunday, "monday": time.Monday, "tuesday": time.Tuesday, "wednesday": time.Wednesday,
	"thursday": time.Thursday, "friday": time.Friday, "saturday": time.Saturday,
}

// LoadSample reads the sample call logs of the file at path
// (testdata/calls/sample.jsonl of the repository).
func LoadSample(t testing.TB, path string) []calldash.Call {
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	calls, err := calldash.DecodeCalls(f)
	if err != nil {
		t.Fatal(err)
	}
	return calls
}

// options turns a fixture's settings into preview options.
func (fx *Fixture) Options(t *testing.T) []widget.Option {
	t.Helper()
	now, err := time.Parse(time.RFC3339, fx.Now)
	if err != nil {
		t.Fatalf("fixture now: %v", err)
	}
	opts := []widget.Option{widget.WithNow(now)}
	if fx.TZ != "" {
		loc, err := time.LoadLocation(fx.TZ)
		if err != nil {
			t.Fatal(err)
		}
		opts = append(opts, widget.WithLocation(loc))
	}
	if fx.WeekStart != "" {
		opts = append(opts, widget.WithWeekStart(weekdays[fx.WeekStart]))
	}
	parse := func(raw json.RawMessage) filter.Node {
		n, err := filter.Validate(raw, filter.CallLogs())
		if err != nil {
			t.Fatalf("fixture filter: %v", err)
		}
		return n.Node()
	}
	if fx.DashboardFilters != nil {
		opts = append(opts, widget.WithDashboardFilters(parse(fx.DashboardFilters)))
	}
	if fx.FilterOverride != nil {
		opts = append(opts, widget.WithFilterOverride(parse(fx.FilterOverride)))
	}
	if fx.GapFill != nil {
		opts = append(opts, widget.WithGapFill(*fx.GapFill))
	}
	if fx.TopGroups > 0 {
		opts = append(opts, widget.WithTopGroups(fx.TopGroups))
	}
	if fx.MaxPoints > 0 {
		opts = append(opts, widget.WithMaxPoints(fx.MaxPoints))
	}
	if fx.MaxBuckets > 0 {
		opts = append(opts, widget.WithMaxBuckets(fx.MaxBuckets))
	}
	if fx.LatencyMetric != 0 {
		opts = append(opts, widget.WithLatencyMetric(fx.LatencyMetric))
	}
	if fx.NoTimePolicy {
		opts = append(opts, widget.WithTimePolicy(filter.TimePolicy{}))
	}
	return opts
}

func (fx *Fixture) CallsOf(t *testing.T, sample []calldash.Call) []calldash.Call {
	t.Helper()
	if string(fx.Calls) == `"sample"` || fx.Calls == nil {
		return sample
	}
	var raws []json.RawMessage
	if err := json.Unmarshal(fx.Calls, &raws); err != nil {
		t.Fatalf("fixture calls: %v", err)
	}
	calls := make([]calldash.Call, len(raws))
	for i, r := range raws {
		if err := calls[i].UnmarshalJSON(r); err != nil {
			t.Fatalf("fixture calls[%d]: %v", i, err)
		}
	}
	return calls
}

// run answers a fixture from src: the indented response JSON, or the error
// as text and as the hosted API's body.
func (fx *Fixture) Run(t *testing.T, src widget.Source) string {
	t.Helper()
	opts := fx.Options(t)
	spec, err := widget.Decode(fx.Widget)
	var resp *widget.Response
	if err == nil {
		resp, err = widget.Preview(context.Background(), spec, src, opts...)
	}
	if err != nil {
		return fmt.Sprintf("error:\n%v\n\nbody:\n%s\n", err, widget.ErrorBody(err))
	}
	var b bytes.Buffer
	if err := json.Indent(&b, resp.AppendJSON(nil), "", "  "); err != nil {
		t.Fatalf("response is not JSON: %v\n%s", err, resp.AppendJSON(nil))
	}
	b.WriteByte('\n')
	return b.String()
}

func ReadFixture(t *testing.T, path string) *Fixture { return ReadStrict[Fixture](t, path) }

// ReadStrict decodes the JSON file at path into a T, refusing unknown keys.
func ReadStrict[T any](t *testing.T, path string) *T {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var v T
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&v); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return &v
}
