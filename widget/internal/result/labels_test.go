package result

import (
	"fmt"
	"maps"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"github.com/calldash/calldash"
	"github.com/calldash/calldash/chart"

	"github.com/calldash/calldash/widget/internal/plan"
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
	r := &Run{p: &plan.Plan{Spec: plan.Spec{Chart: chart.PieChart}}, pie: map[chart.Label]int64{}}
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
