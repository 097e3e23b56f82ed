package widget

import (
	"strconv"

	"github.com/calldash/calldash/aggregate"
	"github.com/calldash/calldash/chart"
	"github.com/calldash/calldash/filter"
	"github.com/calldash/calldash/internal/jsonx"
	"github.com/calldash/calldash/widget/internal/plan"
	"github.com/calldash/calldash/widget/internal/result"
)

// A Response is a widget's chart data and description: the body of the
// hosted API's preview_data endpoint.
type Response struct {
	WidgetID            *int64           // always nil for previews
	FieldName           string           // the widget's field as given
	ChartType           chart.Type       // the widget's chart type
	Data                chart.Data       // chart.Points, chart.Bars, chart.Slices or a chart.Stat
	AggregationFunction aggregate.Func   // effective aggregation; 0 (null) where it does not apply
	TimePeriod          aggregate.Period // effective time period; 0 (null) where it does not apply
	GroupBy             *GroupBy         // the widget's group_by
	CanGroupBy          bool             // true for bar charts
	DisplayName         string           // human-readable field name (the metric's name for metric widgets)
	DataType            filter.Type      // numeric, boolean, string or datetime; 0 (null) for stat
	FilterValue         *int64           // the metric id of metric widgets
	Truncated           bool             // a line chart's points were cut by [WithMaxPoints]
}

func newResponse(s *Spec, p *plan.Plan, a *result.Answer) *Response {
	r := &Response{
		FieldName:           s.Field,
		ChartType:           s.ChartType,
		Data:                a.Data,
		AggregationFunction: p.Func,
		TimePeriod:          p.Period,
		GroupBy:             s.GroupBy,
		CanGroupBy:          s.ChartType == chart.BarChart,
		DisplayName:         p.DisplayName,
		DataType:            p.DataType,
		Truncated:           a.Truncated,
	}
	if p.Metric {
		id := p.MetricID
		r.FilterValue = &id
	}
	return r
}

// MarshalJSON writes the response in the hosted API's key order; the key
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
	b = appendOptString(b, r.AggregationFunction.String())
	b = append(b, `,"time_period":`...)
	b = appendOptString(b, r.TimePeriod.String())
	b = append(b, `,"group_by":`...)
	switch g := r.GroupBy; {
	case g == nil:
		b = append(b, "null"...)
	case g.Type == GroupBucket:
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
	b = appendOptString(b, dataTypeName(r.DataType))
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

// dataTypeName is the JSON name of a resolved data type, "" for none.
func dataTypeName(t filter.Type) string {
	if t == 0 {
		return ""
	}
	return t.String()
}
