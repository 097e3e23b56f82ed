package readme_test

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/calldash/calldash/examples/readme"
)

// The README's first snippet: a bar of the average duration of successful
// calls per day, over three calls of JSON Lines.
func ExampleMemory() {
	w := []byte(`{"chart_type": "bar", "field": "duration", "aggregation_function": "avg", "time_period": "day",
		"filters": {"operator": "and", "conditions": [
			{"field": "timestamp", "op": "gte", "value": "today-1d"},
			{"field": "success", "op": "eq", "value": true}]}}`)
	calls := strings.NewReader(`{"id": 1, "timestamp": "2025-11-27T15:00:00Z", "duration": 30.5, "success": true}
{"id": 2, "timestamp": "2025-11-27T16:00:00Z", "duration": 90, "success": true}
{"id": 3, "timestamp": "2025-11-28T14:00:00Z", "duration": 12, "success": false}
`)
	now := time.Date(2025, 11, 28, 18, 0, 0, 0, time.UTC)
	out, err := readme.Memory(context.Background(), w, calls, now)
	fmt.Println(string(out), err)

	bad := []byte(`{"chart_type": "bar", "field": "duration", "filters": {"field": "success", "op": "gt", "value": true}}`)
	out, err = readme.Memory(context.Background(), bad, strings.NewReader(""), now)
	fmt.Println(string(out))
	// Output:
	// {"widget_id":null,"field_name":"duration","chart_type":"bar","data":[{"time_interval":"2025-11-27T00:00:00-05:00","value":60.25,"sample_count":2},{"time_interval":"2025-11-28T00:00:00-05:00","value":null,"sample_count":0}],"aggregation_function":"avg","time_period":"day","group_by":null,"can_group_by":true,"metadata":{"display_name":"Duration","data_type":"numeric","filter_value":null}} <nil>
	// {"filters":["$.filters.op: operator \"gt\" is not allowed for boolean field \"success\"; allowed: eq, neq, isnull"]}
}
