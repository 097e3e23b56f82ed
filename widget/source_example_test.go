package widget_test

import (
	"context"
	"fmt"
	"os"
	"time"

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
