package widget

import (
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/calldash/calldash"
	"github.com/calldash/calldash/filter"
	"github.com/calldash/calldash/internal/jsonx"
	"github.com/calldash/calldash/internal/names"
)

// A ChartType is how a widget draws its data.
type ChartType string

// The chart types of SPEC §4.1.
const (
	Line ChartType = "line"
	Bar  ChartType = "bar"
	Pie  ChartType = "pie"
	Stat ChartType = "stat"
)

// A Spec is a decoded, shape-checked widget (SPEC §4.1). Empty strings
// stand for both "" and null in the input.
type Spec struct {
	Dashboard           *int64      // dashboard id, nil for null
	Name                *string     // nil for null
	Filters             filter.Node // nil for no filter
	ChartType           ChartType
	DataType            string // "", "numeric", "boolean", "string", "datetime" or "dynamic"
	Field               string // "" only for stat
	Metric              *int64 // required when Field is metric_evaluations.value
	TimePeriod          string // "", "hour", "day", "week" or "month"
	AggregationFunction string // "", "count", "sum", "avg", "min", "max", "p50", "p95" or "p99"
	GroupBy             *GroupBy
	Metadata            []byte // front-end layout, passed through untouched; nil when absent
}

// A GroupBy splits bar items by a field's value or replaces the time
// period with fixed-width buckets.
type GroupBy struct {
	Type     string // "field" or "bucket"
	Field    string // for "field"
	Interval int64  // for "bucket": bucket width in milliseconds, a positive multiple of 1000
}

// MetricField is the field whose rows are metric evaluations.
const MetricField = "metric_evaluations.value"

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

// Decode reads a widget from JSON and checks every key: JSON types,
// enumerations, lengths, unknown keys, the filters (against the schema
// given with [WithSchema], the call-log schema by default) and the
// combinations of SPEC §4.2 — except those that depend on a metric's eval
// type, which [Preview] checks once the metric is known. All problems are
// reported together as a calldash.ErrorList sorted by path.
func Decode(data []byte, opts ...Option) (*Spec, error) {
	cfg := newConfig(opts)
	j, err := jsonx.ParseLimits(data, jsonx.Limits{
		MaxDepth:   2*cfg.limits.MaxDepth + 8,
		MaxArray:   max(cfg.limits.MaxList, cfg.limits.MaxNodes, maxDocArray) + 1,
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
		_, err := newPlan(s, &cfg)
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
	cfg  *config
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
			checked, err := filter.Validate(d.data[v.Start:v.End], d.cfg.schema, filter.AtPath(path), filter.WithLimits(d.cfg.limits))
			if err != nil {
				d.addErr(err)
			} else {
				s.Filters = checked.Node()
			}
		case "chart_type":
			s.ChartType = ChartType(d.choice(v, path, chartTypes, false))
		case "data_type":
			s.DataType = d.choice(v, path, dataTypes, true)
		case "field":
			if t := d.optText(v, path); t != nil {
				s.Field = *t
			}
		case "metric":
			s.Metric = d.optInt(v, path)
		case "time_period":
			s.TimePeriod = d.choice(v, path, timePeriods, true)
		case "aggregation_function":
			s.AggregationFunction = d.choice(v, path, aggregations, true)
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
	g.Type = d.choice(t, path+".type", []string{"field", "bucket"}, false)
	allowed := map[string][]string{"field": {"type", "field"}, "bucket": {"type", "interval"}}[g.Type]
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
