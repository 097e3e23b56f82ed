package widget

import (
	"strconv"
	"time"

	"github.com/shopspring/decimal"

	"github.com/calldash/calldash"
	"github.com/calldash/calldash/aggregate"
	"github.com/calldash/calldash/chart"
	"github.com/calldash/calldash/internal/jsonx"
)

// A Response is a widget's chart data and description (SPEC §4.6).
type Response struct {
	WidgetID            *int64    // always nil for previews
	FieldName           string    // the widget's field as given
	ChartType           ChartType // the widget's chart type
	Data                ChartData // []chart.Point, []chart.Bar, []chart.Slice or chart.Stat
	AggregationFunction string    // effective aggregation; "" (null) where it does not apply
	TimePeriod          string    // effective time period; "" (null) where it does not apply
	GroupBy             *GroupBy  // the widget's group_by
	CanGroupBy          bool      // true for bar charts
	DisplayName         string    // human-readable field name (the metric's name for metric widgets)
	DataType            string    // numeric, boolean, string or datetime; "" (null) for stat
	FilterValue         *int64    // the metric id of metric widgets
	Truncated           bool      // a line chart's points were cut by [WithMaxPoints]
}

// ChartData is the data of a response: a JSON array or object.
type ChartData interface{ AppendJSON([]byte) []byte }

// Points is the data of a line chart.
type Points []chart.Point

// Bars is the data of a bar chart.
type Bars []chart.Bar

// Slices is the data of a pie chart.
type Slices []chart.Slice

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

func newResponse(p *plan) *Response {
	r := &Response{
		FieldName:           p.spec.Field,
		ChartType:           p.chart,
		AggregationFunction: p.agg,
		TimePeriod:          p.period,
		GroupBy:             p.spec.GroupBy,
		CanGroupBy:          p.chart == Bar,
		DisplayName:         p.displayName,
		DataType:            p.dataType,
	}
	if p.metric {
		id := p.metricID
		r.FilterValue = &id
	}
	return r
}

// MarshalJSON writes the response in the key order of SPEC §4.6; the key
// "truncated" is present only when a line chart was cut.
func (r *Response) MarshalJSON() ([]byte, error) { return r.AppendJSON(nil), nil }

// AppendJSON appends the JSON of r.
func (r *Response) AppendJSON(b []byte) []byte {
	b = append(b, `{"widget_id":`...)
	b = appendOptInt(b, r.WidgetID)
	b = append(b, `,"field_name":`...)
	b = jsonx.Quote(b, r.FieldName)
	b = append(b, `,"chart_type":`...)
	b = jsonx.Quote(b, string(r.ChartType))
	b = append(b, `,"data":`...)
	if r.Data == nil {
		b = append(b, "[]"...)
	} else {
		b = r.Data.AppendJSON(b)
	}
	b = append(b, `,"aggregation_function":`...)
	b = appendOptString(b, r.AggregationFunction)
	b = append(b, `,"time_period":`...)
	b = appendOptString(b, r.TimePeriod)
	b = append(b, `,"group_by":`...)
	switch g := r.GroupBy; {
	case g == nil:
		b = append(b, "null"...)
	case g.Type == "bucket":
		b = append(b, `{"type":"bucket","interval":`...)
		b = strconv.AppendInt(b, g.Interval, 10)
		b = append(b, '}')
	default:
		b = append(b, `{"type":"field","field":`...)
		b = jsonx.Quote(b, g.Field)
		b = append(b, '}')
	}
	b = append(b, `,"can_group_by":`...)
	b = strconv.AppendBool(b, r.CanGroupBy)
	if r.Truncated {
		b = append(b, `,"truncated":true`...)
	}
	b = append(b, `,"metadata":{"display_name":`...)
	b = jsonx.Quote(b, r.DisplayName)
	b = append(b, `,"data_type":`...)
	b = appendOptString(b, r.DataType)
	b = append(b, `,"filter_value":`...)
	b = appendOptInt(b, r.FilterValue)
	return append(b, "}}"...)
}

func appendOptInt(b []byte, v *int64) []byte {
	if v == nil {
		return append(b, "null"...)
	}
	return strconv.AppendInt(b, *v, 10)
}

func appendOptString(b []byte, s string) []byte {
	if s == "" {
		return append(b, "null"...)
	}
	return jsonx.Quote(b, s)
}

func lineData(points []linePoint, loc *time.Location) Points {
	out := make(Points, len(points))
	for i, p := range points {
		v := p.value
		if !p.time.IsZero() {
			v = calldash.Time(p.time.In(loc))
		}
		out[i] = chart.Point{ID: p.id, Timestamp: p.at.In(loc), Value: v}
	}
	return out
}

// statState accumulates a stat widget.
type statState struct {
	latency   int64
	total     int64
	known     int64
	succeeded int64
	duration  aggregate.Accumulator
	p95       aggregate.Accumulator
	places    int32
}

func newStatState(cfg *config) statState {
	return statState{
		latency:  cfg.latencyMetric,
		duration: aggregate.New(aggregate.Avg, cfg.avgPlaces),
		p95:      aggregate.New(aggregate.P95, cfg.avgPlaces),
		places:   cfg.avgPlaces,
	}
}

func (s *statState) add(c *calldash.Call) {
	s.total++
	if c.Success.Kind == calldash.KindBool {
		s.known++
		if c.Success.Bool {
			s.succeeded++
		}
	}
	s.duration.Add(c.Duration)
	if s.latency != 0 {
		for i := range c.MetricEvaluations {
			if e := &c.MetricEvaluations[i]; e.MetricID == s.latency {
				s.p95.Add(e.Value)
			}
		}
	}
}

// merge adds the calls of o, which come after s's.
func (s *statState) merge(o *statState) {
	s.total += o.total
	s.known += o.known
	s.succeeded += o.succeeded
	s.duration.Merge(&o.duration)
	s.p95.Merge(&o.p95)
}

func (s *statState) finish() chart.Stat {
	st := chart.Stat{TotalCalls: s.total}
	if s.known > 0 {
		st.SuccessRate = calldash.Number(decimal.NewFromInt(s.succeeded).DivRound(decimal.NewFromInt(s.known), s.places))
	}
	st.AvgDuration = resultValue(s.duration.Result(), time.UTC)
	st.P95Latency = resultValue(s.p95.Result(), time.UTC)
	return st
}
