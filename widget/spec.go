package widget

import (
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/calldash/calldash"
	"github.com/calldash/calldash/aggregate"
	"github.com/calldash/calldash/chart"
	"github.com/calldash/calldash/filter"
	"github.com/calldash/calldash/internal/jsonx"
	"github.com/calldash/calldash/internal/names"
	"github.com/calldash/calldash/widget/internal/plan"
)

// A Spec is a decoded, shape-checked widget. The zero value of a typed
// key stands for both "" and null in the input.
type Spec struct {
	Dashboard           *int64           // dashboard id, nil for null
	Name                *string          // nil for null
	Filters             filter.Node      // nil for no filter
	ChartType           chart.Type       // required
	DataType            filter.Type      // 0: inferred; else TypeNumeric, TypeBoolean, TypeString, TypeDatetime or TypeDynamic
	Field               string           // "" only for stat
	Metric              *int64           // required when Field is metric_evaluations.value
	TimePeriod          aggregate.Period // 0: none given (bar: day)
	AggregationFunction aggregate.Func   // 0: none given (bar: count)
	GroupBy             *GroupBy
	Metadata            []byte // front-end layout, passed through untouched; nil when absent
}

// A GroupBy splits bar items by a field's value or replaces the time
// period with fixed-width buckets.
type GroupBy struct {
	Type     GroupType
	Field    string // for GroupField
	Interval int64  // for GroupBucket: bucket width in milliseconds, a positive multiple of 1000
}

// A GroupType is the kind of a group_by.
type GroupType string

// The group_by kinds.
const (
	GroupField  GroupType = "field"  // split the bars by the value of a field
	GroupBucket GroupType = "bucket" // fixed-width buckets instead of the time period
)

// MetricField is the field whose rows are metric evaluations.
const MetricField = plan.MetricField

// The JSON names of the enumerated keys; "" (or null) is allowed where a
// key is optional.
var (
	chartTypes    = []string{"line", "bar", "pie", "stat"}
	dataTypes     = []string{"numeric", "boolean", "string", "datetime", "dynamic", ""}
	timePeriods   = []string{"hour", "day", "week", "month", ""}
	aggregations  = []string{"count", "sum", "avg", "min", "max", "p50", "p95", "p99", ""}
	readOnlyKeys  = []string{"id", "effective_filters", "metric_name", "created_at", "updated_at"}
	specKeys      = []string{"dashboard", "name", "filters", "chart_type", "data_type", "field", "metric", "time_period", "aggregation_function", "group_by", "metadata"}
	maxTextLength = 255
)

// Bounds of a widget document outside its filters (the front-end
// "metadata" may be large, but not unboundedly so).
const (
	maxDocArray   = 10000
	maxDocMembers = 1000
)

// A Decoder reads widgets against a schema and filter limits. The zero
// Decoder uses the call-log schema and the default limits.
type Decoder struct {
	Schema *filter.Schema // nil: filter.CallLogs()
	Limits filter.Limits  // zero: filter.DefaultLimits()
}

// Decode reads a widget with the zero [Decoder].
func Decode(data []byte) (*Spec, error) { return Decoder{}.Decode(data) }

// Decode reads a widget from JSON and checks every key: JSON types,
// enumerations, lengths, unknown keys, the filters (against the decoder's
// schema) and the combinations of data type, chart type and aggregation —
// except those that depend on a metric's eval type, which [Preview]
// checks once the metric is known. All problems are reported together as
// a calldash.ErrorList sorted by path.
func (dec Decoder) Decode(data []byte) (*Spec, error) {
	cfg := plan.DefaultConfig()
	if dec.Schema != nil {
		cfg.Schema = dec.Schema
	}
	if dec.Limits != (filter.Limits{}) {
		cfg.Limits = dec.Limits
	}
	j, err := jsonx.ParseLimits(data, jsonx.Limits{
		MaxDepth:   2*cfg.Limits.MaxDepth + 8,
		MaxArray:   max(cfg.Limits.MaxList, cfg.Limits.MaxNodes, maxDocArray) + 1,
		MaxMembers: maxDocMembers,
	})
	if err != nil {
		var je *jsonx.Error
		if errors.As(err, &je) {
			kind := calldash.ErrSyntax
			if errors.Is(err, jsonx.ErrDepth) || errors.Is(err, jsonx.ErrTooLarge) {
				kind = calldash.ErrLimit
			}
			return nil, calldash.ErrorList{calldash.Errorf(je.Path, kind, "%s", je.Msg)}
		}
		return nil, err
	}
	d := decoder{data: data, cfg: &cfg}
	s := d.spec(j)
	if s != nil && !d.keyErrors() {
		// Report combination problems together with the others.
		_, err := plan.New(s.plan(), cfg.Schema, cfg.Limits)
		d.addErr(err)
	}
	if len(d.errs) > 0 {
		d.errs.Sort()
		return nil, d.errs
	}
	return s, nil
}

type decoder struct {
	data []byte
	cfg  *plan.Config
	errs calldash.ErrorList
}

func (d *decoder) errorf(path string, kind error, format string, args ...any) {
	d.errs = append(d.errs, calldash.Errorf(path, kind, format, args...))
}

func (d *decoder) spec(j *jsonx.Value) *Spec {
	if j.Kind != jsonx.Object {
		d.errorf("$", calldash.ErrType, "a widget must be a JSON object; got %s", j.Describe())
		return nil
	}
	s := &Spec{}
	for _, m := range j.Members {
		path := jsonx.Key("$", m.Key)
		v := m.Value
		switch m.Key {
		case "dashboard":
			s.Dashboard = d.optInt(v, path)
		case "name":
			s.Name = d.optText(v, path)
		case "filters":
			checked, err := filter.Validate(d.data[v.Start:v.End], d.cfg.Schema, filter.AtPath(path), filter.WithLimits(d.cfg.Limits))
			if err != nil {
				d.addErr(err)
			} else {
				s.Filters = checked.Node()
			}
		case "chart_type":
			s.ChartType = chart.Type(d.choice(v, path, chartTypes, false))
		case "data_type":
			s.DataType = dataTypeOf(d.choice(v, path, dataTypes, true))
		case "field":
			if t := d.optText(v, path); t != nil {
				s.Field = *t
			}
		case "metric":
			s.Metric = d.optInt(v, path)
		case "time_period":
			s.TimePeriod, _ = aggregate.ParsePeriod(d.choice(v, path, timePeriods, true))
		case "aggregation_function":
			s.AggregationFunction, _ = aggregate.ParseFunc(d.choice(v, path, aggregations, true))
		case "group_by":
			s.GroupBy = d.groupBy(v, path)
		case "metadata":
			s.Metadata = d.data[v.Start:v.End]
		default:
			if !slices.Contains(readOnlyKeys, m.Key) {
				msg := fmt.Sprintf("unknown key %s", names.Quote(m.Key))
				if s := names.Nearest(m.Key, specKeys); s != "" {
					msg += fmt.Sprintf(" (did you mean %q?)", s)
				}
				d.errorf(path, calldash.ErrUnknownKey, "%s; allowed keys: %s", msg, strings.Join(specKeys, ", "))
			}
		}
	}
	if j.Get("chart_type") == nil {
		d.errorf("$.chart_type", calldash.ErrRequired, "chart_type is required; allowed: %s", strings.Join(chartTypes, ", "))
	}
	return s
}

// keyErrors reports whether a key that the combination rules read has an
// error of its own (then those rules would only repeat it).
func (d *decoder) keyErrors() bool {
	for _, e := range d.errs {
		if !strings.HasPrefix(e.Path, "$.filters") {
			return true
		}
	}
	return false
}

func (d *decoder) addErr(err error) {
	if err == nil {
		return
	}
	var list calldash.ErrorList
	if errors.As(err, &list) {
		d.errs = append(d.errs, list...)
		return
	}
	var e *calldash.Error
	if errors.As(err, &e) {
		d.errs = append(d.errs, e)
		return
	}
	d.errorf("$", calldash.ErrSyntax, "%v", err)
}

func (d *decoder) optInt(v *jsonx.Value, path string) *int64 {
	switch v.Kind {
	case jsonx.Null:
		return nil
	case jsonx.Number:
		if n, err := strconv.ParseInt(v.Text, 10, 64); err == nil {
			return &n
		}
	}
	d.errorf(path, calldash.ErrType, "must be an integer or null; got %s", v.Describe())
	return nil
}

func (d *decoder) optText(v *jsonx.Value, path string) *string {
	switch v.Kind {
	case jsonx.Null:
		return nil
	case jsonx.String:
		if n := utf8.RuneCountInString(v.Text); n > maxTextLength {
			d.errorf(path, calldash.ErrTooLong, "must be at most %d characters; got %d", maxTextLength, n)
			return nil
		}
		return &v.Text
	}
	d.errorf(path, calldash.ErrType, "must be a string or null; got %s", v.Describe())
	return nil
}

// choice reads one of allowed; null reads as "" when nullable.
func (d *decoder) choice(v *jsonx.Value, path string, allowed []string, nullable bool) string {
	if v.Kind == jsonx.Null && nullable {
		return ""
	}
	if v.Kind == jsonx.String && slices.Contains(allowed, v.Text) {
		return v.Text
	}
	shown := allowed
	if nullable {
		shown = append(allowed[:len(allowed)-1:len(allowed)-1], `"" or null`)
	}
	if v.Kind != jsonx.String {
		d.errorf(path, calldash.ErrType, "must be a string; got %s; allowed: %s", v.Describe(), strings.Join(shown, ", "))
		return ""
	}
	msg := fmt.Sprintf("%s is not a valid choice", names.Quote(v.Text))
	if s := names.Nearest(v.Text, allowed); s != "" {
		msg += fmt.Sprintf(" (did you mean %q?)", s)
	}
	d.errorf(path, calldash.ErrChoice, "%s; allowed: %s", msg, strings.Join(shown, ", "))
	return ""
}

func (d *decoder) groupBy(v *jsonx.Value, path string) *GroupBy {
	if v.Kind == jsonx.Null {
		return nil
	}
	if v.Kind != jsonx.Object {
		d.errorf(path, calldash.ErrType, `must be null, {"type":"field","field":F} or {"type":"bucket","interval":MS}; got %s`, v.Describe())
		return nil
	}
	g := &GroupBy{}
	t := v.Get("type")
	if t == nil {
		d.errorf(path, calldash.ErrRequired, `group_by needs "type": "field" or "bucket"`)
		return nil
	}
	g.Type = GroupType(d.choice(t, path+".type", []string{"field", "bucket"}, false))
	allowed := map[string][]string{"field": {"type", "field"}, "bucket": {"type", "interval"}}[string(g.Type)]
	for _, m := range v.Members {
		if allowed != nil && !slices.Contains(allowed, m.Key) {
			d.errorf(jsonx.Key(path, m.Key), calldash.ErrUnknownKey, "unknown key %s in a %q group_by; allowed keys: %s", names.Quote(m.Key), g.Type, strings.Join(allowed, ", "))
		}
	}
	switch g.Type {
	case "field":
		f := v.Get("field")
		if f == nil {
			d.errorf(path, calldash.ErrRequired, `a "field" group_by needs "field"`)
			return nil
		}
		if f.Kind != jsonx.String || f.Text == "" {
			d.errorf(path+".field", calldash.ErrType, "must be a non-empty string; got %s", f.Describe())
			return nil
		}
		if n := utf8.RuneCountInString(f.Text); n > maxTextLength {
			d.errorf(path+".field", calldash.ErrTooLong, "must be at most %d characters; got %d", maxTextLength, n)
			return nil
		}
		g.Field = f.Text
	case "bucket":
		iv := v.Get("interval")
		if iv == nil {
			d.errorf(path, calldash.ErrRequired, `a "bucket" group_by needs "interval" (milliseconds, a positive multiple of 1000)`)
			return nil
		}
		n, err := strconv.ParseInt(iv.Text, 10, 64)
		if iv.Kind != jsonx.Number || err != nil || n <= 0 || n%1000 != 0 {
			d.errorf(path+".interval", calldash.ErrType, "must be a positive multiple of 1000 (milliseconds); got %s", iv.Describe())
			return nil
		}
		g.Interval = n
	default:
		return nil
	}
	return g
}

// dataTypeOf returns the type of a data_type name ("" or an unknown name:
// 0, inferred).
func dataTypeOf(name string) filter.Type {
	for _, t := range []filter.Type{filter.TypeNumeric, filter.TypeBoolean, filter.TypeString, filter.TypeDatetime, filter.TypeDynamic} {
		if t.String() == name {
			return t
		}
	}
	return 0
}

// plan returns the keys of s that decide its data.
func (s *Spec) plan() plan.Spec {
	p := plan.Spec{
		Chart:      s.ChartType,
		DataType:   s.DataType,
		Field:      s.Field,
		Metric:     s.Metric,
		TimePeriod: s.TimePeriod,
		Func:       s.AggregationFunction,
	}
	if g := s.GroupBy; g != nil {
		p.Grouped = true
		if g.Type == GroupBucket {
			p.BucketMS = g.Interval
		} else {
			p.GroupField = g.Field
		}
	}
	return p
}
