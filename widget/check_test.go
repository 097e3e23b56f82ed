package widget_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/calldash/calldash"
	"github.com/calldash/calldash/filter"
	"github.com/calldash/calldash/widget"
	"github.com/calldash/calldash/widget/widgettest"
)

// TestCheck: on every hostile input, Check returns the error Preview
// returns (nil where Preview answers), without any calls.
func TestCheck(t *testing.T) {
	calls := widgettest.LoadSample(t, "../testdata/calls/sample.jsonl")
	checked, refused := 0, 0
	for _, c := range widgettest.HostileCases(t, "../testdata/hostile") {
		spec, err := widget.Decode(c.Input)
		if err != nil {
			continue // Decode's errors, not Check's
		}
		checked++
		_, want := widget.Preview(context.Background(), spec, widget.Calls(calls), c.Options(t)...)
		got := widget.Check(spec, c.Options(t)...)
		if (got == nil) != (want == nil) || got != nil && got.Error() != want.Error() {
			t.Errorf("%s: Check: %v\nPreview: %v", c.Name, got, want)
		}
		if got != nil {
			refused++
		}
		if got != nil && !calldash.IsInvalid(got) {
			t.Errorf("%s: Check's error is not invalid input: %v", c.Name, got)
		}
	}
	if checked < 50 || refused < 5 {
		t.Fatalf("%d hostile widgets decode, %d of them refused: too few to tell", checked, refused)
	}
}

// ExampleCheck checks a widget before any call is loaded.
func ExampleCheck() {
	spec, err := widget.Decode([]byte(`{"chart_type": "bar", "field": "duration", "aggregation_function": "avg", "time_period": "day"}`))
	if err != nil {
		panic(err)
	}
	fmt.Println(widget.Check(spec))
	fmt.Println(widget.Check(spec, widget.WithTimePolicy(filter.TimePolicy{})))
	// Output:
	// $: Timestamp filter is required: add a "gt" or "gte" condition on "timestamp", outside any "or" and "same_row" group, e.g. {"field": "timestamp", "op": "gte", "value": "now-7d"}. Maximum allowed range is 30 days.
	// <nil>
}
