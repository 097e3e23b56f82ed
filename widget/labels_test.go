package widget_test

import (
	"context"
	"fmt"
	"maps"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"github.com/calldash/calldash"
	"github.com/calldash/calldash/chart"
	"github.com/calldash/calldash/filter"
	"github.com/calldash/calldash/widget"
)

// TestManyLabels answers a bar chart with more groups than a bucket's row
// holds, and a pie with more labels than a labelIndex numbers, from a
// slice cut into parts: every count must be the one counted here.
func TestManyLabels(t *testing.T) {
	day := time.Date(2025, 3, 1, 0, 0, 0, 0, time.UTC)
	const n = 2*65536 + 5000 // two parts, each past the 65,536 labels a part numbers
	calls := make([]calldash.Call, n)
	type cellKey struct {
		day   int
		group string
	}
	wantBars := map[cellKey]int64{}  // by agent.id
	wantNames := map[cellKey]int64{} // by agent.agent_name
	wantPie := map[chart.Label]int64{}
	for i := range calls {
		d := i % 3
		agent := i * 5 % (n - 11) // numbers past the rows, past maxLabels
		calls[i] = calldash.Call{
			ID:        int64(i + 1),
			Timestamp: day.AddDate(0, 0, d).Add(time.Duration(i) * time.Millisecond),
			AgentID:   calldash.Number(decimal.NewFromInt(int64(agent))),
			AgentName: calldash.String(fmt.Sprintf("agent %07d", i*7%(n-7))),
		}
		wantBars[cellKey{d, fmt.Sprint(agent)}]++
		wantNames[cellKey{d, calls[i].AgentName.Str}]++
		wantPie[chart.LabelOf(calls[i].AgentName)]++
	}
	// More cells than the default cap: this test is about the labels.
	opts := []widget.Option{widget.WithTimePolicy(filter.TimePolicy{}), widget.WithNow(day.AddDate(0, 0, 3)), widget.WithParallelism(2), widget.WithMaxCells(0)}
	bar, err := widget.Decode([]byte(`{"chart_type":"bar","field":"agent.id","time_period":"day","group_by":{"type":"field","field":"agent.id"}}`))
	if err != nil {
		t.Fatal(err)
	}
	names, err := widget.Decode([]byte(`{"chart_type":"bar","field":"agent.id","time_period":"day","group_by":{"type":"field","field":"agent.agent_name"}}`))
	if err != nil {
		t.Fatal(err)
	}
	pie, err := widget.Decode([]byte(`{"chart_type":"pie","field":"agent.agent_name"}`))
	if err != nil {
		t.Fatal(err)
	}
	resps, errs := widget.PreviewMany(context.Background(), []*widget.Spec{bar, names, pie}, widget.CallsMinPart(calls, n/3), opts...)
	for _, err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	for k, want := range []map[cellKey]int64{wantBars, wantNames} {
		got := map[cellKey]int64{}
		for _, b := range resps[k].Data.(chart.Bars) {
			got[cellKey{int(b.TimeInterval.Sub(day) / (24 * time.Hour)), b.Group.Str}] += b.SampleCount
		}
		if !maps.Equal(got, want) {
			t.Errorf("bar %d: %d cells, want %d; or counts differ", k, len(got), len(want))
		}
	}
	gotPie := map[chart.Label]int64{}
	for _, s := range resps[2].Data.(chart.Slices) {
		gotPie[s.Label] += s.Value
	}
	if !maps.Equal(gotPie, wantPie) {
		t.Errorf("pie: %d slices, want %d; or counts differ", len(gotPie), len(wantPie))
	}
}
