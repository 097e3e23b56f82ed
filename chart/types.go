package chart

import (
	"strconv"
	"time"

	"github.com/calldash/calldash"
)

// A Point is one line-chart point: a row with a non-null value.
//
//	{"id":1,"timestamp":"2025-11-03T10:30:00Z","value":45.5}
type Point struct {
	ID        int64          // the call id
	Timestamp time.Time      // the call time, printed in its location (call t.In(loc) first)
	Value     calldash.Value // a number, boolean or datetime
}

// AppendJSON appends the JSON object of p.
func (p Point) AppendJSON(b []byte) []byte {
	b = append(b, `{"id":`...)
	b = strconv.AppendInt(b, p.ID, 10)
	b = append(b, `,"timestamp":"`...)
	b = calldash.AppendTime(b, p.Timestamp)
	b = append(b, `","value":`...)
	b = p.Value.AppendJSON(b)
	return append(b, '}')
}

// MarshalJSON writes the JSON object of p.
func (p Point) MarshalJSON() ([]byte, error) { return p.AppendJSON(nil), nil }

// A Bar is one bar-chart item: a bucket (and, when grouped, a group).
//
//	{"time_interval":"2025-11-03T00:00:00Z","value":4.5,"sample_count":2}
//	{"time_interval":"2025-11-03T00:00:00Z","value":1,"sample_count":1,"group":"billing"}
type Bar struct {
	TimeInterval time.Time      // the bucket start, printed in its location
	Value        calldash.Value // the aggregate: a number, a datetime (min/max of datetimes) or null
	SampleCount  int64          // rows in the bucket (and group), nulls included
	Grouped      bool           // whether the "group" key is written
	Group        Label          // the group label, when Grouped
}

// AppendJSON appends the JSON object of r; the "group" key is present only
// when r.Grouped.
func (r Bar) AppendJSON(b []byte) []byte {
	b = append(b, `{"time_interval":"`...)
	b = calldash.AppendTime(b, r.TimeInterval)
	b = append(b, `","value":`...)
	b = r.Value.AppendJSON(b)
	b = append(b, `,"sample_count":`...)
	b = strconv.AppendInt(b, r.SampleCount, 10)
	if r.Grouped {
		b = append(b, `,"group":`...)
		b = r.Group.AppendJSON(b)
	}
	return append(b, '}')
}

// MarshalJSON writes the JSON object of r.
func (r Bar) MarshalJSON() ([]byte, error) { return r.AppendJSON(nil), nil }

// A Percent is a percentage with one decimal, in tenths of a percent:
// Percent(333) is 33.3%.
type Percent int64

// AppendJSON appends p as a JSON number with exactly one decimal: 33.3,
// 100.0, 0.0.
func (p Percent) AppendJSON(b []byte) []byte {
	v := int64(p)
	if v < 0 {
		b = append(b, '-')
		v = -v
	}
	b = strconv.AppendInt(b, v/10, 10)
	b = append(b, '.')
	return append(b, byte('0'+v%10))
}

// MarshalJSON writes p as a JSON number with one decimal.
func (p Percent) MarshalJSON() ([]byte, error) { return p.AppendJSON(nil), nil }

// String returns p with one decimal, e.g. "33.3".
func (p Percent) String() string { return string(p.AppendJSON(nil)) }

// A Slice is one pie-chart slice: the number of rows with one distinct
// value.
//
//	{"label":"billing","value":3,"percentage":60.0}
//	{"label":null,"value":2,"percentage":40.0}
type Slice struct {
	Label      Label   // the value's label; null for the null slice
	Value      int64   // the row count
	Percentage Percent // share of all rows, see [Percentages]
}

// AppendJSON appends the JSON object of s.
func (s Slice) AppendJSON(b []byte) []byte {
	b = append(b, `{"label":`...)
	b = s.Label.AppendJSON(b)
	b = append(b, `,"value":`...)
	b = strconv.AppendInt(b, s.Value, 10)
	b = append(b, `,"percentage":`...)
	b = s.Percentage.AppendJSON(b)
	return append(b, '}')
}

// MarshalJSON writes the JSON object of s.
func (s Slice) MarshalJSON() ([]byte, error) { return s.AppendJSON(nil), nil }

// A Stat is the stat-chart object.
//
//	{"total_calls":10,"success_rate":0.75,"avg_duration":42.5,"p95_latency":null}
type Stat struct {
	TotalCalls  int64          // calls passing the filter
	SuccessRate calldash.Value // fraction of successful calls among calls with a known outcome, or null
	AvgDuration calldash.Value // average duration in seconds, or null
	P95Latency  calldash.Value // nearest-rank p95 of the latency metric, or null
}

// AppendJSON appends the JSON object of s.
func (s Stat) AppendJSON(b []byte) []byte {
	b = append(b, `{"total_calls":`...)
	b = strconv.AppendInt(b, s.TotalCalls, 10)
	b = append(b, `,"success_rate":`...)
	b = s.SuccessRate.AppendJSON(b)
	b = append(b, `,"avg_duration":`...)
	b = s.AvgDuration.AppendJSON(b)
	b = append(b, `,"p95_latency":`...)
	b = s.P95Latency.AppendJSON(b)
	return append(b, '}')
}

// MarshalJSON writes the JSON object of s.
func (s Stat) MarshalJSON() ([]byte, error) { return s.AppendJSON(nil), nil }

// A Type is how a widget draws its data: "line", "bar", "pie" or "stat".
type Type string

// The chart types.
const (
	LineChart Type = "line"
	BarChart  Type = "bar"
	PieChart  Type = "pie"
	StatChart Type = "stat"
)

// Data is the data of a widget's response: [Points], [Bars], [Slices] (a
// JSON array each) or a [Stat] (an object).
type Data interface{ AppendJSON([]byte) []byte }

// Points is the data of a line chart.
type Points []Point

// Bars is the data of a bar chart.
type Bars []Bar

// Slices is the data of a pie chart.
type Slices []Slice

// AppendJSON appends the JSON array of p.
func (p Points) AppendJSON(b []byte) []byte { return appendArray(b, p) }

// AppendJSON appends the JSON array of r.
func (r Bars) AppendJSON(b []byte) []byte { return appendArray(b, r) }

// AppendJSON appends the JSON array of s.
func (s Slices) AppendJSON(b []byte) []byte { return appendArray(b, s) }

func appendArray[T interface{ AppendJSON([]byte) []byte }](b []byte, items []T) []byte {
	b = append(b, '[')
	for i, it := range items {
		if i > 0 {
			b = append(b, ',')
		}
		b = it.AppendJSON(b)
	}
	return append(b, ']')
}
