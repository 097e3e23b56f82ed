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

const exampleCalls = `{"id":1,"timestamp":"2025-11-27T09:00:00Z","duration":45.5,"success":true,"topic":"billing"}
{"id":2,"timestamp":"2025-11-27T15:30:00Z","duration":60,"success":false,"topic":"billing"}
{"id":3,"timestamp":"2025-11-28T10:00:00Z","duration":null,"success":true,"topic":"shipping"}
{"id":4,"timestamp":"2025-11-28T11:00:00Z","duration":30.25,"topic":null}
`

func exampleData() []calldash.Call {
	calls, err := calldash.DecodeCalls(strings.NewReader(exampleCalls))
	if err != nil {
		panic(err)
	}
	return calls
}

// exampleBar is a bar chart of the average duration per day over the
// last three days.
const exampleBar = `{
	"chart_type": "bar", "field": "duration", "aggregation_function": "avg", "time_period": "day",
	"filters": {"field": "timestamp", "op": "gte", "value": "today-2d"}}`

// A bar chart of the average duration per day; the empty day is filled.
func ExamplePreview_bar() {
	spec, err := widget.Decode([]byte(exampleBar))
	if err != nil {
		fmt.Println(err)
		return
	}
	now := time.Date(2025, 11, 28, 18, 0, 0, 0, time.UTC)
	resp, err := widget.Preview(context.Background(), spec, widget.Calls(exampleData()), widget.WithNow(now))
	if err != nil {
		fmt.Println(err)
		return
	}
	os.Stdout.Write(resp.Data.AppendJSON(nil))
	// Output:
	// [{"time_interval":"2025-11-26T00:00:00Z","value":null,"sample_count":0},{"time_interval":"2025-11-27T00:00:00Z","value":52.75,"sample_count":2},{"time_interval":"2025-11-28T00:00:00Z","value":30.25,"sample_count":2}]
}

// A pie chart of topics: the null slice comes last, and the percentages
// sum to exactly 100.0.
func ExamplePreview_pie() {
	spec, err := widget.Decode([]byte(`{"chart_type": "pie", "field": "topic",
		"filters": {"field": "timestamp", "op": "gte", "value": "2025-11-27"}}`))
	if err != nil {
		fmt.Println(err)
		return
	}
	now := time.Date(2025, 11, 28, 18, 0, 0, 0, time.UTC)
	resp, err := widget.Preview(context.Background(), spec, widget.Calls(exampleData()), widget.WithNow(now))
	if err != nil {
		fmt.Println(err)
		return
	}
	os.Stdout.Write(resp.AppendJSON(nil))
	// Output:
	// {"widget_id":null,"field_name":"topic","chart_type":"pie","data":[{"label":"billing","value":2,"percentage":50.0},{"label":"shipping","value":1,"percentage":25.0},{"label":null,"value":1,"percentage":25.0}],"aggregation_function":null,"time_period":null,"group_by":null,"can_group_by":false,"metadata":{"display_name":"Topic","data_type":"string","filter_value":null}}
}

// A stat tile; success_rate counts only calls whose outcome is known.
func ExamplePreview_stat() {
	spec, err := widget.Decode([]byte(`{"chart_type": "stat",
		"filters": {"field": "timestamp", "op": "gte", "value": "now-7d"}}`))
	if err != nil {
		fmt.Println(err)
		return
	}
	now := time.Date(2025, 11, 28, 18, 0, 0, 0, time.UTC)
	resp, err := widget.Preview(context.Background(), spec, widget.Calls(exampleData()), widget.WithNow(now))
	if err != nil {
		fmt.Println(err)
		return
	}
	os.Stdout.Write(resp.Data.AppendJSON(nil))
	// Output:
	// {"total_calls":4,"success_rate":0.6667,"avg_duration":45.25,"p95_latency":null}
}

// Invalid widgets give every problem at once, each with its JSON path;
// ErrorBody renders them like the hosted API.
func ExampleDecode_errors() {
	_, err := widget.Decode([]byte(`{"chart_type": "pie", "field": "duration",
		"filters": {"field": "duration", "op": "equals", "value": 60}}`))
	fmt.Println(err)
	fmt.Printf("%s\n", widget.ErrorBody(err))
	// Output:
	// $.chart_type: "pie" is not allowed for numeric field "duration"; allowed: line, bar
	// $.filters.op: unknown operator "equals" (did you mean "eq"?)
	// {"chart_type":["\"pie\" is not allowed for numeric field \"duration\"; allowed: line, bar"],"filters":["$.filters.op: unknown operator \"equals\" (did you mean \"eq\"?)"]}
}

// The time-range policy of the hosted API: a lower bound on timestamp,
// at most 30 days back.
func ExampleErrorBody_timeRange() {
	spec, _ := widget.Decode([]byte(`{"chart_type": "pie", "field": "topic",
		"filters": {"field": "timestamp", "op": "gte", "value": "now-90d"}}`))
	_, err := widget.Preview(context.Background(), spec, widget.Calls(exampleData()))
	fmt.Printf("%s\n", widget.ErrorBody(err))
	// Output:
	// {"detail":"Timestamp filter value is too far in the past. Maximum allowed range is 30 days."}
}
