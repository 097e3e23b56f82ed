package chart_test

import (
	"encoding/json"
	"fmt"
	"time"

	"github.com/shopspring/decimal"

	"github.com/calldash/calldash/chart"

	"github.com/calldash/calldash"
)

func ExamplePercentages() {
	fmt.Println(chart.Percentages([]int64{1, 1, 1}))
	fmt.Println(chart.Percentages([]int64{2, 1}))
	fmt.Println(chart.Percentages([]int64{0, 0}))
	// Output:
	// [33.4 33.3 33.3]
	// [66.7 33.3]
	// [0.0 0.0]
}

func ExamplePie() {
	slices := chart.Pie(map[chart.Label]int64{
		chart.Text("billing"): 2,
		chart.NullLabel:       2,
		chart.Text("support"): 1,
		chart.Text("account"): 2,
	})
	out, _ := json.Marshal(slices)
	fmt.Println(string(out))
	// Output:
	// [{"label":"account","value":2,"percentage":28.6},{"label":"billing","value":2,"percentage":28.6},{"label":null,"value":2,"percentage":28.5},{"label":"support","value":1,"percentage":14.3}]
}

func ExampleFill() {
	day := func(d int) time.Time { return time.Date(2025, 11, d, 0, 0, 0, 0, time.UTC) }
	bars := []chart.Bar{
		{TimeInterval: day(2), Value: calldash.Number(decimal.RequireFromString("4.5000")), SampleCount: 2,
			Grouped: true, Group: chart.Text("billing")},
		{TimeInterval: day(1), Value: calldash.Int(7), SampleCount: 1, Grouped: true, Group: chart.NullLabel},
	}
	filled := chart.Fill(bars, []time.Time{day(1), day(2)}, true, calldash.Null)
	for _, b := range filled {
		out, _ := json.Marshal(b)
		fmt.Println(string(out))
	}
	// Output:
	// {"time_interval":"2025-11-01T00:00:00Z","value":null,"sample_count":0,"group":"billing"}
	// {"time_interval":"2025-11-01T00:00:00Z","value":7,"sample_count":1,"group":null}
	// {"time_interval":"2025-11-02T00:00:00Z","value":4.5,"sample_count":2,"group":"billing"}
	// {"time_interval":"2025-11-02T00:00:00Z","value":null,"sample_count":0,"group":null}
}

func ExampleTopGroups() {
	counts := map[chart.Label]int64{
		chart.Text("billing"): 10,
		chart.Text("support"): 4,
		chart.Text("sales"):   4,
		chart.NullLabel:       4,
		chart.Text("Other"):   9,
	}
	keep := chart.TopGroups(counts, 2)
	fmt.Println(keep[chart.Text("billing")], keep[chart.Text("sales")], keep[chart.Text("support")],
		keep[chart.NullLabel], keep[chart.Other])
	// Output:
	// true true false false false
}

func ExampleStat() {
	s := chart.Stat{
		TotalCalls:  12,
		SuccessRate: calldash.Number(decimal.RequireFromString("0.7500")),
		AvgDuration: calldash.Number(decimal.RequireFromString("60.0")),
		P95Latency:  calldash.Null,
	}
	out, _ := json.Marshal(s)
	fmt.Println(string(out))
	// Output:
	// {"total_calls":12,"success_rate":0.75,"avg_duration":60,"p95_latency":null}
}

func ExamplePoint() {
	ny, err := time.LoadLocation("America/New_York")
	if err != nil {
		panic(err)
	}
	ts := time.Date(2025, 11, 3, 10, 30, 0, 0, time.UTC).In(ny)
	for _, p := range []chart.Point{
		{ID: 1, Timestamp: ts, Value: calldash.Number(decimal.RequireFromString("45.50"))},
		{ID: 2, Timestamp: ts.Add(1500 * time.Millisecond), Value: calldash.Bool(true)},
		{ID: 3, Timestamp: ts, Value: calldash.Time(ts.UTC())},
	} {
		out, _ := json.Marshal(p)
		fmt.Println(string(out))
	}
	// Output:
	// {"id":1,"timestamp":"2025-11-03T05:30:00-05:00","value":45.5}
	// {"id":2,"timestamp":"2025-11-03T05:30:01.5-05:00","value":true}
	// {"id":3,"timestamp":"2025-11-03T05:30:00-05:00","value":"2025-11-03T10:30:00Z"}
}
