package widgettest

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"github.com/calldash/calldash"
	"github.com/calldash/calldash/widget"
)

// A CellCase is a widget at the cap on an answer's cells
// ([widget.WithMaxCells]): its answer must be refused with
// [calldash.ErrLimit] exactly when it has more cells than the cap.
type CellCase struct {
	Name   string
	Widget string
	Opts   []widget.Option
	Cells  int // the cells of the answer without a cap
}

// CellCalls are the calls of the cell cases: 3 days × 12 topics (a
// topic i has i+1 calls, so that top groups are well defined), each with
// a duration.
func CellCalls() []calldash.Call {
	day := time.Date(2025, 3, 1, 0, 0, 0, 0, time.UTC)
	var calls []calldash.Call
	for d := range 3 {
		for topic := range 12 {
			for n := range topic + 1 {
				calls = append(calls, calldash.Call{
					ID:        int64(len(calls) + 1),
					Timestamp: day.AddDate(0, 0, d).Add(time.Duration(topic*60+n) * time.Minute),
					Topic:     calldash.String("topic " + strconv.Itoa(topic)),
					Duration:  calldash.Number(decimal.NewFromInt(int64(len(calls)))),
				})
			}
		}
	}
	return calls
}

// CellCases returns the cell cases, each at and just below its size.
func CellCases() []CellCase {
	opts := []widget.Option{widget.WithNow(time.Date(2025, 3, 3, 18, 0, 0, 0, time.UTC))}
	ts := `"filters":{"field":"timestamp","op":"gte","value":"2025-03-01T00:00:00Z"}`
	shapes := []struct {
		name, widget string
		opts         []widget.Option
		cells        int
	}{
		{"pie", `{"chart_type":"pie","field":"topic",` + ts + `}`, nil, 12},
		{"bar-gap-groups", `{"chart_type":"bar","field":"duration","time_period":"day","group_by":{"type":"field","field":"topic"},` + ts + `}`, nil, 3 * 12},
		{"bar-top-groups", `{"chart_type":"bar","field":"duration","time_period":"day","group_by":{"type":"field","field":"topic"},` + ts + `}`,
			[]widget.Option{widget.WithTopGroups(4)}, 3 * 5},
		{"bar-no-gap", `{"chart_type":"bar","field":"duration","time_period":"hour","group_by":{"type":"field","field":"topic"},` + ts + `}`,
			[]widget.Option{widget.WithGapFill(false)}, 3 * 12},
		{"bar-no-gap-top", `{"chart_type":"bar","field":"duration","time_period":"hour","group_by":{"type":"field","field":"topic"},` + ts + `}`,
			[]widget.Option{widget.WithGapFill(false), widget.WithTopGroups(3)}, 3 * 12},
		{"bar-hours", `{"chart_type":"bar","field":"duration","time_period":"hour",` + ts + `}`, nil, 67},
		{"line", `{"chart_type":"line","field":"duration",` + ts + `}`, nil, 3 * 78},
		{"line-points", `{"chart_type":"line","field":"duration",` + ts + `}`, []widget.Option{widget.WithMaxPoints(100)}, 100},
	}
	var cases []CellCase
	for _, s := range shapes {
		for _, max := range []int{s.cells, s.cells - 1, 1} {
			o := append(append(append([]widget.Option{}, opts...), s.opts...), widget.WithMaxCells(max))
			cases = append(cases, CellCase{Name: fmt.Sprintf("%s/max%d", s.name, max), Widget: s.widget, Opts: o, Cells: s.cells})
		}
	}
	return cases
}

// CheckCells answers the cell cases from src: an answer when the cap
// holds it, an ErrLimit error at $ otherwise.
func CheckCells(t *testing.T, src widget.Source) {
	t.Helper()
	for i, c := range CellCases() {
		spec, err := widget.Decode([]byte(c.Widget))
		if err != nil {
			t.Fatal(err)
		}
		_, err = widget.Preview(context.Background(), spec, src, c.Opts...)
		over := i%3 != 0 // the cases at max-1 and 1
		var e *calldash.Error
		switch {
		case over && (!errors.Is(err, calldash.ErrLimit) || !errors.As(err, &e) || e.Path != "$"):
			t.Errorf("%s (%d cells): got %v, want the MaxCells error", c.Name, c.Cells, err)
		case !over && err != nil:
			t.Errorf("%s (%d cells): %v", c.Name, c.Cells, err)
		}
	}
}
