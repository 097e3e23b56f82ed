package widget_test

import (
	"context"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/calldash/calldash"
	"github.com/calldash/calldash/widget"
)

// A Table holds the calls in columns, built once: a dashboard's widgets
// and requests share it, and each answer costs a pass over the columns
// the widget reads.
func ExampleNewTable() {
	table := widget.NewTable(exampleData())
	now := time.Date(2025, 11, 28, 18, 0, 0, 0, time.UTC)
	for _, w := range []string{
		`{"chart_type": "bar", "field": "duration", "aggregation_function": "sum", "time_period": "day",
		  "filters": {"field": "timestamp", "op": "gte", "value": "2025-11-27"}}`,
		`{"chart_type": "pie", "field": "success", "filters": {"field": "timestamp", "op": "gte", "value": "2025-11-27"}}`,
	} {
		spec, err := widget.Decode([]byte(w))
		if err != nil {
			fmt.Println(err)
			return
		}
		resp, err := widget.Preview(context.Background(), spec, table, widget.WithNow(now))
		if err != nil {
			fmt.Println(err)
			return
		}
		os.Stdout.Write(resp.Data.AppendJSON(nil))
		fmt.Println()
	}
	// Output:
	// [{"time_interval":"2025-11-27T00:00:00Z","value":105.5,"sample_count":2},{"time_interval":"2025-11-28T00:00:00Z","value":30.25,"sample_count":2}]
	// [{"label":"true","value":2,"percentage":50.0},{"label":"false","value":1,"percentage":25.0},{"label":null,"value":1,"percentage":25.0}]
}

// DecodeTable reads JSON Lines straight into a Table, without a slice of
// calls in between; a bad line stops it with the line and the JSON path.
func ExampleDecodeTable() {
	jsonl := `{"id": 1, "timestamp": "2025-11-27T10:00:00Z", "duration": 60, "topic": "billing"}
{"id": 2, "timestamp": "2025-11-27T11:00:00Z", "duration": 30.5, "topic": "billing"}
{"id": 3, "timestamp": "2025-11-28T09:00:00Z", "duration": null, "topic": "support"}
`
	table, err := widget.DecodeTable(strings.NewReader(jsonl))
	if err != nil {
		fmt.Println(err)
		return
	}
	spec, err := widget.Decode([]byte(`{"chart_type": "pie", "field": "topic",
	  "filters": {"field": "timestamp", "op": "gte", "value": "2025-11-27"}}`))
	if err != nil {
		fmt.Println(err)
		return
	}
	resp, err := widget.Preview(context.Background(), spec, table, widget.WithNow(time.Date(2025, 11, 28, 18, 0, 0, 0, time.UTC)))
	if err != nil {
		fmt.Println(err)
		return
	}
	os.Stdout.Write(resp.Data.AppendJSON(nil))
	fmt.Println()

	_, err = widget.DecodeTable(strings.NewReader(jsonl + `{"id": 4, "timestamp": "2025-11-28T10:00:00Z", "duration": "long"}`))
	fmt.Println(err)
	// Output:
	// [{"label":"billing","value":2,"percentage":66.7},{"label":"support","value":1,"percentage":33.3}]
	// line 4: $.duration: got string, want number or null
}

// A LiveTable takes calls as they come and drops the old ones; each
// preview answers from the calls of the moment it starts.
func ExampleLiveTable() {
	live := widget.NewLiveTable()
	live.Append(exampleData()...)
	now := time.Date(2025, 11, 28, 18, 0, 0, 0, time.UTC)
	spec, err := widget.Decode([]byte(`{"chart_type": "stat",
	  "filters": {"field": "timestamp", "op": "gte", "value": "2025-11-27"}}`))
	if err != nil {
		fmt.Println(err)
		return
	}
	show := func() {
		resp, err := widget.Preview(context.Background(), spec, live, widget.WithNow(now))
		if err != nil {
			fmt.Println(err)
			return
		}
		fmt.Printf("%d calls: %s\n", live.Len(), resp.Data.AppendJSON(nil))
	}
	show()
	live.Append(calldash.Call{ID: 100, Timestamp: now.Add(-time.Hour), Duration: calldash.Int(90), Success: calldash.Bool(true)})
	show()
	fmt.Println("dropped", live.Drop(time.Date(2025, 11, 28, 0, 0, 0, 0, time.UTC)))
	show()
	// Output:
	// 4 calls: {"total_calls":4,"success_rate":0.6667,"avg_duration":45.25,"p95_latency":null}
	// 5 calls: {"total_calls":5,"success_rate":0.75,"avg_duration":56.4375,"p95_latency":null}
	// dropped 2
	// 3 calls: {"total_calls":3,"success_rate":1,"avg_duration":60.125,"p95_latency":null}
}
