package widget_test

import (
	"context"
	"fmt"
	"os"
	"time"

	"github.com/calldash/calldash/filter"
	"github.com/calldash/calldash/widget"
)

// A dashboard answered from a Table built once, two widgets at a time;
// the Table can serve the next request too.
func ExamplePreviewMany() {
	table := widget.NewTable(exampleData())
	var specs []*widget.Spec
	for _, w := range []string{
		`{"chart_type": "pie", "field": "success"}`,
		`{"chart_type": "bar", "field": "duration", "aggregation_function": "max", "time_period": "day"}`,
		`{"chart_type": "pie", "field": "metric_evaluations.value", "metric": 99}`,
	} {
		s, err := widget.Decode([]byte(w))
		if err != nil {
			fmt.Println(err)
			continue
		}
		specs = append(specs, s)
	}
	now := time.Date(2025, 11, 28, 18, 0, 0, 0, time.UTC)
	lastDays, err := filter.Parse([]byte(`{"field": "timestamp", "op": "gte", "value": "today-2d"}`))
	if err != nil {
		fmt.Println(err)
		return
	}
	resps, errs := widget.PreviewMany(context.Background(), specs, table,
		widget.WithNow(now), widget.WithDashboardFilters(lastDays), widget.WithParallelism(2))
	for i := range specs {
		if errs[i] != nil {
			fmt.Println(errs[i])
			continue
		}
		os.Stdout.Write(resps[i].Data.AppendJSON(nil))
		fmt.Println()
	}
	// Output:
	// [{"label":"true","value":2,"percentage":50.0},{"label":"false","value":1,"percentage":25.0},{"label":null,"value":1,"percentage":25.0}]
	// [{"time_interval":"2025-11-26T00:00:00Z","value":null,"sample_count":0},{"time_interval":"2025-11-27T00:00:00Z","value":60,"sample_count":2},{"time_interval":"2025-11-28T00:00:00Z","value":30.25,"sample_count":2}]
	// $.metric: metric 99 does not exist
}
