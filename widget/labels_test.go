package widget

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
)

// TestLabelIndex checks that values get the same number exactly when
// they have the same label, and that a number gives back that label,
// whatever the caches in front of the maps hold.
func TestLabelIndex(t *testing.T) {
	num := func(s string) calldash.Value { return calldash.Number(decimal.RequireFromString(s)) }
	values := []calldash.Value{
		calldash.Null, calldash.String(""), calldash.String("a"), calldash.Bool(true), calldash.String("true"),
		calldash.Bool(false), num("5"), num("5.000"), num("50e-1"), calldash.String("5"), num("-5"),
		num("0"), num("0.0"), num("1e18"), num("123456789012345678901234567890"),
		calldash.String("123456789012345678901234567890"), num("64"), num("128"), num("0.64"),
		{Kind: calldash.KindList, List: []calldash.Value{calldash.String("a")}},
	}
	// Strings of one length, first, middle and last byte: one cache slot.
	for i := range 100 {
		values = append(values, calldash.String(fmt.Sprintf("a%02dxyz%02da", i, i%7)))
	}
	var x labelIndex
	ids := map[chart.Label]int32{}
	// Twice over, in both orders: the caches hold other labels each time.
	order := append(append(append([]calldash.Value{}, values...), values...), reversed(values)...)
	for _, v := range order {
		want := chart.LabelOf(v)
		id := x.of(v)
		if got := x.label(id); got != want {
			t.Fatalf("label(of(%v)) = %v, want %v", v, got, want)
		}
		if prev, ok := ids[want]; ok && prev != id {
			t.Fatalf("of(%v) = %d, but %d before for the label %v", v, id, prev, want)
		}
		ids[want] = id
	}
	seen := map[int32]chart.Label{}
	for label, id := range ids {
		if other, ok := seen[id]; ok {
			t.Fatalf("labels %v and %v have the same number %d", label, other, id)
		}
		seen[id] = label
	}
}

func reversed(vs []calldash.Value) []calldash.Value {
	out := make([]calldash.Value, len(vs))
	for i, v := range vs {
		out[len(vs)-1-i] = v
	}
	return out
}

// TestFlushPie checks that pie rows are counted once, however often they
// are flushed.
func TestFlushPie(t *testing.T) {
	r := &run{p: &plan{chart: Pie}, pie: map[chart.Label]int64{}}
	for _, s := range []string{"a", "b", "a"} {
		r.addRow(nil, 0, calldash.String(s), time.Time{})
	}
	r.flushPie()
	r.addRow(nil, 0, calldash.Null, time.Time{})
	r.flushPie()
	r.flushPie()
	want := map[chart.Label]int64{chart.Text("a"): 2, chart.Text("b"): 1, chart.NullLabel: 1}
	if !maps.Equal(r.pie, want) {
		t.Fatalf("pie = %v, want %v", r.pie, want)
	}
}

// TestManyLabels answers a bar chart with more groups than a bucket's row
// holds, and a pie with more labels than a labelIndex numbers, from a
// slice cut into parts: every count must be the one counted here.
func TestManyLabels(t *testing.T) {
	day := time.Date(2025, 3, 1, 0, 0, 0, 0, time.UTC)
	const n = 2*maxLabels + 5000 // two parts, each past maxLabels
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
	opts := []Option{WithTimePolicy(filter.TimePolicy{}), WithNow(day.AddDate(0, 0, 3)), WithParallelism(2)}
	bar, err := Decode([]byte(`{"chart_type":"bar","field":"agent.id","time_period":"day","group_by":{"type":"field","field":"agent.id"}}`), opts...)
	if err != nil {
		t.Fatal(err)
	}
	names, err := Decode([]byte(`{"chart_type":"bar","field":"agent.id","time_period":"day","group_by":{"type":"field","field":"agent.agent_name"}}`), opts...)
	if err != nil {
		t.Fatal(err)
	}
	pie, err := Decode([]byte(`{"chart_type":"pie","field":"agent.agent_name"}`), opts...)
	if err != nil {
		t.Fatal(err)
	}
	resps, errs := PreviewMany(context.Background(), []*Spec{bar, names, pie}, memory{slice: calls, minPart: n / 3}, opts...)
	for _, err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	for k, want := range []map[cellKey]int64{wantBars, wantNames} {
		got := map[cellKey]int64{}
		for _, b := range resps[k].Data.(Bars) {
			got[cellKey{int(b.TimeInterval.Sub(day) / (24 * time.Hour)), b.Group.Str}] += b.SampleCount
		}
		if !maps.Equal(got, want) {
			t.Errorf("bar %d: %d cells, want %d; or counts differ", k, len(got), len(want))
		}
	}
	gotPie := map[chart.Label]int64{}
	for _, s := range resps[2].Data.(Slices) {
		gotPie[s.Label] += s.Value
	}
	if !maps.Equal(gotPie, wantPie) {
		t.Errorf("pie: %d slices, want %d; or counts differ", len(gotPie), len(wantPie))
	}
}
