package chart

import (
	"encoding/json"
	"math/rand/v2"
	"strings"
	"testing"
	"time"
	_ "time/tzdata"

	"github.com/google/go-cmp/cmp"
	"github.com/shopspring/decimal"

	"github.com/calldash/calldash"
)

func dec(s string) decimal.Decimal { return decimal.RequireFromString(s) }

func TestShapesJSON(t *testing.T) {
	ny, _ := time.LoadLocation("America/New_York")
	day := time.Date(2025, 11, 2, 0, 0, 0, 0, ny)
	tests := []struct {
		name string
		v    any
		want string
	}{
		{"point", Point{ID: 12, Timestamp: day.Add(90 * time.Minute), Value: calldash.Number(dec("45.50"))},
			`{"id":12,"timestamp":"2025-11-02T01:30:00-04:00","value":45.5}`},
		{"point bool", Point{ID: 1, Timestamp: day.UTC(), Value: calldash.Bool(true)},
			`{"id":1,"timestamp":"2025-11-02T04:00:00Z","value":true}`},
		{"bar", Bar{TimeInterval: day, Value: calldash.Number(dec("0.6667")), SampleCount: 3},
			`{"time_interval":"2025-11-02T00:00:00-04:00","value":0.6667,"sample_count":3}`},
		{"bar empty count", Bar{TimeInterval: day, Value: calldash.Int(0)},
			`{"time_interval":"2025-11-02T00:00:00-04:00","value":0,"sample_count":0}`},
		{"bar grouped", Bar{TimeInterval: day, Value: calldash.Null, SampleCount: 2, Grouped: true, Group: Text("billing")},
			`{"time_interval":"2025-11-02T00:00:00-04:00","value":null,"sample_count":2,"group":"billing"}`},
		{"bar null group", Bar{TimeInterval: day, Value: calldash.Int(1), SampleCount: 1, Grouped: true},
			`{"time_interval":"2025-11-02T00:00:00-04:00","value":1,"sample_count":1,"group":null}`},
		{"bar time value", Bar{TimeInterval: day, Value: calldash.Time(day.Add(time.Hour)), SampleCount: 1},
			`{"time_interval":"2025-11-02T00:00:00-04:00","value":"2025-11-02T01:00:00-04:00","sample_count":1}`},
		{"slice", Slice{Label: Text("true"), Value: 2, Percentage: 667},
			`{"label":"true","value":2,"percentage":66.7}`},
		{"slice null", Slice{Label: NullLabel, Value: 0, Percentage: 0},
			`{"label":null,"value":0,"percentage":0.0}`},
		{"slice all", Slice{Label: Text("x"), Value: 5, Percentage: 1000},
			`{"label":"x","value":5,"percentage":100.0}`},
		{"stat", Stat{TotalCalls: 3, SuccessRate: calldash.Number(dec("0.6667")), AvgDuration: calldash.Number(dec("42.5000")), P95Latency: calldash.Number(dec("1.2"))},
			`{"total_calls":3,"success_rate":0.6667,"avg_duration":42.5,"p95_latency":1.2}`},
		{"stat empty", Stat{},
			`{"total_calls":0,"success_rate":null,"avg_duration":null,"p95_latency":null}`},
		{"list", []Bar{{TimeInterval: day.UTC(), Value: calldash.Null}},
			`[{"time_interval":"2025-11-02T04:00:00Z","value":null,"sample_count":0}]`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := json.Marshal(tc.v)
			if err != nil {
				t.Fatal(err)
			}
			if string(got) != tc.want {
				t.Errorf("got\n%s\nwant\n%s", got, tc.want)
			}
		})
	}
}

func TestPercentages(t *testing.T) {
	tests := []struct {
		name   string
		counts []int64
		want   string
	}{
		{"empty", nil, "[]"},
		{"zeros", []int64{0, 0, 0}, "[0.0 0.0 0.0]"},
		{"one", []int64{5}, "[100.0]"},
		{"with zero", []int64{0, 5}, "[0.0 100.0]"},
		{"halves", []int64{1, 1}, "[50.0 50.0]"},
		{"thirds ties to first", []int64{1, 1, 1}, "[33.4 33.3 33.3]"},
		{"sixths", []int64{1, 1, 1, 1, 1, 1}, "[16.7 16.7 16.7 16.7 16.6 16.6]"},
		{"largest remainder wins over order", []int64{2, 2, 2, 1}, "[28.6 28.6 28.5 14.3]"},
		{"2 of 3", []int64{2, 1}, "[66.7 33.3]"},
		{"sevenths", []int64{1, 1, 1, 1, 1, 1, 1}, "[14.3 14.3 14.3 14.3 14.3 14.3 14.2]"},
		{"half tenth tie goes first", []int64{1999, 1}, "[100.0 0.0]"},
		{"half tenth tie goes first small", []int64{1, 1999}, "[0.1 99.9]"},
		{"tiny share", []int64{19999, 1}, "[100.0 0.0]"},
		{"larger remainder", []int64{1998, 2}, "[99.9 0.1]"},
		{"huge counts", []int64{1 << 61, 1 << 61, 1 << 61}, "[33.4 33.3 33.3]"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := Percentages(tc.counts)
			var parts []string
			for _, p := range got {
				parts = append(parts, p.String())
			}
			if s := "[" + strings.Join(parts, " ") + "]"; s != tc.want {
				t.Errorf("Percentages(%v) = %s, want %s", tc.counts, s, tc.want)
			}
		})
	}
}

// TestPercentagesProperties: with any positive count the percentages sum
// to exactly 100.0, and each is within 0.1 of the exact share.
func TestPercentagesProperties(t *testing.T) {
	r := rand.New(rand.NewPCG(11, 12))
	for iter := range 20000 {
		n := 1 + r.IntN(12)
		counts := make([]int64, n)
		var total int64
		scale := []int64{2, 10, 1000, 1 << 40}[r.IntN(4)]
		for i := range counts {
			if r.IntN(4) > 0 {
				counts[i] = r.Int64N(scale)
			}
			total += counts[i]
		}
		got := Percentages(counts)
		var sum int64
		for i, p := range got {
			sum += int64(p)
			if total == 0 {
				if p != 0 {
					t.Fatalf("iter %d: %v → %v, want zeros", iter, counts, got)
				}
				continue
			}
			// |p/1000 - c/total| < 1/1000  ⇔  |p×total - c×1000| < total
			diff := decimal.NewFromInt(int64(p)).Mul(decimal.NewFromInt(total)).
				Sub(decimal.NewFromInt(counts[i]).Mul(decimal.NewFromInt(1000))).Abs()
			if diff.Cmp(decimal.NewFromInt(total)) >= 0 {
				t.Fatalf("iter %d: %v → %v: slice %d off by 0.1 or more", iter, counts, got, i)
			}
		}
		if total > 0 && sum != 1000 {
			t.Fatalf("iter %d: %v → %v sums to %d tenths", iter, counts, got, sum)
		}
	}
}

func TestPercentagesNegativePanics(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Error("no panic")
		}
	}()
	Percentages([]int64{1, -1})
}

func TestPie(t *testing.T) {
	got := Pie(map[Label]int64{
		Text("b"): 2, Text("a"): 2, NullLabel: 2, Text("B"): 2, Text("é"): 2, Text("z"): 5,
	})
	var labels []string
	var pcts []string
	for _, s := range got {
		labels = append(labels, s.Label.String())
		pcts = append(pcts, s.Percentage.String())
	}
	want := []string{"z", "B", "a", "b", "é", "null"}
	if diff := cmp.Diff(want, labels); diff != "" {
		t.Errorf("order (-want +got):\n%s", diff)
	}
	// 5/15 = 33.33…, 2/15 = 13.33… each: floors 333 + 5×133 = 998; the two
	// missing tenths go to the largest remainders (all equal 0.33…):
	// z first, then B.
	if diff := cmp.Diff([]string{"33.4", "13.4", "13.3", "13.3", "13.3", "13.3"}, pcts); diff != "" {
		t.Errorf("percentages (-want +got):\n%s", diff)
	}
	if len(Pie(nil)) != 0 {
		t.Error("Pie(nil) not empty")
	}
}

func TestLabels(t *testing.T) {
	for _, tc := range []struct {
		v    calldash.Value
		want Label
	}{
		{calldash.Null, NullLabel},
		{calldash.String(""), Text("")},
		{calldash.String("null"), Text("null")},
		{calldash.Bool(true), Text("true")},
		{calldash.Number(dec("7.50")), Text("7.5")},
		{calldash.Int(7), Text("7")},
	} {
		if got := LabelOf(tc.v); got != tc.want {
			t.Errorf("LabelOf(%v) = %#v, want %#v", tc.v, got, tc.want)
		}
	}
	if NullLabel.Compare(Text("")) != 1 || Text("").Compare(NullLabel) != -1 || NullLabel.Compare(NullLabel) != 0 ||
		Text("a").Compare(Text("b")) != -1 || Text("b").Compare(Text("B")) != 1 {
		t.Error("Label.Compare")
	}
}

func barStrings(bars []Bar) []string {
	var out []string
	for _, b := range bars {
		out = append(out, string(b.AppendJSON(nil)))
	}
	return out
}

func TestFill(t *testing.T) {
	ny, _ := time.LoadLocation("America/New_York")
	d1 := time.Date(2025, 11, 1, 0, 0, 0, 0, ny)
	d2 := time.Date(2025, 11, 2, 0, 0, 0, 0, ny)
	d3 := time.Date(2025, 11, 3, 0, 0, 0, 0, ny)
	starts := []time.Time{d1, d2, d3}
	tests := []struct {
		name    string
		bars    []Bar
		grouped bool
		empty   calldash.Value
		want    []string
	}{
		{"ungrouped no bars", nil, false, calldash.Int(0), []string{
			`{"time_interval":"2025-11-01T00:00:00-04:00","value":0,"sample_count":0}`,
			`{"time_interval":"2025-11-02T00:00:00-04:00","value":0,"sample_count":0}`,
			`{"time_interval":"2025-11-03T00:00:00-05:00","value":0,"sample_count":0}`,
		}},
		{"ungrouped matched by instant", []Bar{{TimeInterval: d2.UTC(), Value: calldash.Int(4), SampleCount: 4}}, false, calldash.Null, []string{
			`{"time_interval":"2025-11-01T00:00:00-04:00","value":null,"sample_count":0}`,
			`{"time_interval":"2025-11-02T04:00:00Z","value":4,"sample_count":4}`,
			`{"time_interval":"2025-11-03T00:00:00-05:00","value":null,"sample_count":0}`,
		}},
		{"grouped no bars", nil, true, calldash.Null, nil},
		{"grouped", []Bar{
			{TimeInterval: d3, Value: calldash.Int(1), SampleCount: 1, Grouped: true, Group: Text("b")},
			{TimeInterval: d1, Value: calldash.Int(2), SampleCount: 2, Grouped: true},
			{TimeInterval: d1, Value: calldash.Int(3), SampleCount: 3, Grouped: true, Group: Text("a")},
		}, true, calldash.Null, []string{
			`{"time_interval":"2025-11-01T00:00:00-04:00","value":3,"sample_count":3,"group":"a"}`,
			`{"time_interval":"2025-11-01T00:00:00-04:00","value":null,"sample_count":0,"group":"b"}`,
			`{"time_interval":"2025-11-01T00:00:00-04:00","value":2,"sample_count":2,"group":null}`,
			`{"time_interval":"2025-11-02T00:00:00-04:00","value":null,"sample_count":0,"group":"a"}`,
			`{"time_interval":"2025-11-02T00:00:00-04:00","value":null,"sample_count":0,"group":"b"}`,
			`{"time_interval":"2025-11-02T00:00:00-04:00","value":null,"sample_count":0,"group":null}`,
			`{"time_interval":"2025-11-03T00:00:00-05:00","value":null,"sample_count":0,"group":"a"}`,
			`{"time_interval":"2025-11-03T00:00:00-05:00","value":1,"sample_count":1,"group":"b"}`,
			`{"time_interval":"2025-11-03T00:00:00-05:00","value":null,"sample_count":0,"group":null}`,
		}},
		{"bar outside starts kept", []Bar{{TimeInterval: d3.AddDate(0, 0, 1), Value: calldash.Int(1), SampleCount: 1}}, false, calldash.Int(0), []string{
			`{"time_interval":"2025-11-01T00:00:00-04:00","value":0,"sample_count":0}`,
			`{"time_interval":"2025-11-02T00:00:00-04:00","value":0,"sample_count":0}`,
			`{"time_interval":"2025-11-03T00:00:00-05:00","value":0,"sample_count":0}`,
			`{"time_interval":"2025-11-04T00:00:00-05:00","value":1,"sample_count":1}`,
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := barStrings(Fill(tc.bars, starts, tc.grouped, tc.empty))
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("%s (-want +got):\n%s", tc.name, diff)
			}
		})
	}
}

func TestSortBars(t *testing.T) {
	d1 := time.Date(2025, 11, 1, 0, 0, 0, 0, time.UTC)
	bars := []Bar{
		{TimeInterval: d1.Add(time.Hour), Grouped: true, Group: Text("a")},
		{TimeInterval: d1, Grouped: true},
		{TimeInterval: d1, Grouped: true, Group: Text("b")},
		{TimeInterval: d1, Grouped: true, Group: Text("B")},
	}
	SortBars(bars)
	var got []string
	for _, b := range bars {
		got = append(got, b.TimeInterval.Format("15")+" "+b.Group.String())
	}
	if diff := cmp.Diff([]string{"00 B", "00 b", "00 null", "01 a"}, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

func TestTopGroups(t *testing.T) {
	counts := map[Label]int64{
		Text("billing"): 10, Text("support"): 4, Text("sales"): 4, NullLabel: 4, Text("Other"): 50, Text("x"): 1,
	}
	tests := []struct {
		name string
		n    int
		want []Label
	}{
		{"top 1", 1, []Label{Text("billing")}},
		{"top 2 tie by label", 2, []Label{Text("billing"), Text("sales")}},
		{"top 3", 3, []Label{Text("billing"), Text("sales"), Text("support")}},
		{"top 4 null after strings", 4, []Label{Text("billing"), Text("sales"), Text("support"), NullLabel}},
		{"all", 5, []Label{Text("billing"), Text("sales"), Text("support"), NullLabel, Text("x")}},
		{"more than all", 50, []Label{Text("billing"), Text("sales"), Text("support"), NullLabel, Text("x")}},
		{"no limit", 0, []Label{Text("billing"), Text("sales"), Text("support"), NullLabel, Text("x")}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			keep := TopGroups(counts, tc.n)
			want := make(map[Label]bool)
			for _, l := range tc.want {
				want[l] = true
			}
			if diff := cmp.Diff(want, keep); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

func BenchmarkPercentages(b *testing.B) {
	counts := []int64{812, 345, 298, 122, 77, 31, 9, 3, 1, 1}
	b.ResetTimer()
	for range b.N {
		_ = Percentages(counts)
	}
}

func BenchmarkBarJSON(b *testing.B) {
	bar := Bar{TimeInterval: time.Date(2025, 11, 1, 0, 0, 0, 0, time.UTC), Value: calldash.Number(dec("42.1234")), SampleCount: 17,
		Grouped: true, Group: Text("billing")}
	buf := make([]byte, 0, 256)
	b.ResetTimer()
	for range b.N {
		buf = bar.AppendJSON(buf[:0])
	}
}
