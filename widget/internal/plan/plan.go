package plan

import (
	"fmt"
	"slices"
	"strings"

	"github.com/calldash/calldash"
	"github.com/calldash/calldash/aggregate"
	"github.com/calldash/calldash/chart"
	"github.com/calldash/calldash/filter"
	"github.com/calldash/calldash/internal/names"
)

// MetricField is the field whose rows are metric evaluations.
const MetricField = "metric_evaluations.value"

// A Spec is what a plan is made from: the keys of a widget that decide
// its data (the rest of the widget passes through package widget).
type Spec struct {
	Chart      chart.Type
	DataType   filter.Type // 0: inferred
	Field      string
	Metric     *int64
	TimePeriod aggregate.Period // 0: none given
	Func       aggregate.Func   // 0: none given
	GroupField string           // a field group_by, "" for none
	BucketMS   int64            // a bucket group_by: fixed buckets of this many milliseconds
	Grouped    bool             // the widget has a group_by (GroupField or BucketMS)
}

// A Plan is a widget resolved against a schema: what each row is, how it
// plots, and the effective period, aggregation and grouping.
type Plan struct {
	Spec        Spec
	Field       *filter.Field // nil for stat
	Key         string        // metadata key of a prefix Field
	Metric      bool          // rows are the evaluation rows of metric MetricID
	MetricID    int64
	DataType    filter.Type // resolved: numeric, boolean, string or datetime (0 for stat)
	DisplayName string
	Period      aggregate.Period // effective time_period (0 where it does not apply)
	Func        aggregate.Func   // effective aggregation_function (0 where it does not apply)
	GroupField  *filter.Field
	GroupKey    string
	BucketMS    int64 // fixed-width buckets of a bucket group_by
}

// Chart returns the plan's chart type.
func (p *Plan) Chart() chart.Type { return p.Spec.Chart }

// New resolves everything that does not depend on a metric's eval type
// and returns every problem found, sorted by path.
func New(s Spec, schema *filter.Schema, limits filter.Limits) (*Plan, error) {
	p := &Plan{Spec: s}
	var errs calldash.ErrorList
	add := func(path string, kind error, format string, args ...any) {
		errs = append(errs, calldash.Errorf(path, kind, format, args...))
	}
	switch {
	case s.Chart == chart.StatChart:
		if s.Field != "" {
			add("$.field", calldash.ErrCombination, "must be empty for a stat widget; got %s", names.Quote(s.Field))
		}
	case s.Field == "":
		add("$.field", calldash.ErrRequired, "field is required for a %s chart", s.Chart)
	default:
		f, key, ok := schema.Resolve(s.Field)
		switch {
		case !ok:
			msg := fmt.Sprintf("unknown field %s", names.Quote(s.Field))
			if near := names.Nearest(s.Field, plottable(schema)); near != "" {
				msg += fmt.Sprintf(" (did you mean %q?)", near)
			}
			add("$.field", calldash.ErrUnknownField, "%s; plottable fields: %s", msg, strings.Join(plottable(schema), ", "))
		case f.Plot == 0 && !f.Metric:
			add("$.field", calldash.ErrField, "%s cannot be plotted; plottable fields: %s", names.Quote(s.Field), strings.Join(plottable(schema), ", "))
		case f.Prefix && !limits.ValidKey(key):
			add("$.field", calldash.ErrMetadataKey, "%s: a metadata key must be non-empty, without dots, and at most %d bytes", names.Quote(s.Field), limits.MaxMetadataKey)
		case f.Metric && s.Field != MetricField:
			add("$.field", calldash.ErrField, "%s cannot be plotted; plottable fields: %s", names.Quote(s.Field), strings.Join(plottable(schema), ", "))
		default:
			p.Field, p.Key = f, key
			p.DisplayName = f.DisplayName
			if f.Prefix {
				p.DisplayName = key
			}
			if f.Metric {
				p.Metric = true
				if s.Metric == nil {
					add("$.metric", calldash.ErrRequired, "metric is required when field is %q", MetricField)
				} else {
					p.MetricID = *s.Metric
				}
			} else {
				p.DataType = plotType(f)
				if s.DataType != 0 && s.DataType != p.DataType && !(s.DataType == filter.TypeDynamic && f.Type == filter.TypeDynamic) {
					add("$.data_type", calldash.ErrCombination, "%s contradicts field %s, which is %s", names.Quote(s.DataType.String()), names.Quote(s.Field), p.DataType)
				}
			}
		}
	}
	if s.Grouped {
		switch {
		case s.Chart != chart.BarChart:
			add("$.group_by", calldash.ErrCombination, "only bar charts can be grouped; chart_type is %q", s.Chart)
		case s.BucketMS > 0:
			p.BucketMS = s.BucketMS
		default:
			f, key, ok := schema.Resolve(s.GroupField)
			if !ok || f.Metric || f.Plot != filter.TypeString && f.Plot != filter.TypeBoolean {
				add("$.group_by.field", calldash.ErrField, "%s cannot group bars; allowed: %s", names.Quote(s.GroupField), strings.Join(groupable(schema), ", "))
			} else if f.Prefix && !limits.ValidKey(key) {
				add("$.group_by.field", calldash.ErrMetadataKey, "%s: a metadata key must be non-empty, without dots, and at most %d bytes", names.Quote(s.GroupField), limits.MaxMetadataKey)
			} else {
				p.GroupField, p.GroupKey = f, key
			}
		}
	}
	if len(errs) > 0 {
		errs.Sort()
		return nil, errs
	}
	if s.Chart == chart.BarChart {
		// The bar defaults, known before a metric is resolved (its eval
		// type only decides whether they are allowed).
		p.Period, p.Func = s.TimePeriod, s.Func
		switch {
		case p.BucketMS > 0: // fixed buckets replace the time period
			p.Period = 0
		case p.Period == 0:
			p.Period = aggregate.Day
		}
		if p.Func == 0 {
			p.Func = aggregate.Count
		}
	}
	if !p.Metric {
		if err := p.checkCombination(""); err != nil {
			return nil, err
		}
	}
	return p, nil
}

// ResolveMetric completes a metric plan once the metric is known.
func (p *Plan) ResolveMetric(m calldash.Metric) error {
	p.DisplayName = m.Name
	switch m.EvalType {
	case calldash.EvalNumeric, calldash.EvalContinuous:
		p.DataType = filter.TypeNumeric
	case calldash.EvalBinary:
		p.DataType = filter.TypeBoolean
	default:
		p.DataType = filter.TypeString
	}
	if dt := p.Spec.DataType; dt != 0 && dt != filter.TypeDynamic && dt != p.DataType {
		return calldash.ErrorList{calldash.Errorf("$.data_type", calldash.ErrCombination, "%s contradicts metric %d (%s), whose values are %s", names.Quote(dt.String()), m.ID, m.EvalType, p.DataType)}
	}
	return p.checkCombination(m.EvalType)
}

// checkCombination applies the table of valid combinations of data type,
// chart type and aggregation.
func (p *Plan) checkCombination(evalType string) error {
	s := p.Spec
	var errs calldash.ErrorList
	add := func(path string, format string, args ...any) {
		errs = append(errs, calldash.Errorf(path, calldash.ErrCombination, format, args...))
	}
	if s.Chart == chart.StatChart {
		return nil
	}
	charts, aggs := combinations(p.DataType, evalType)
	what := fmt.Sprintf("%s field %s", p.DataType, names.Quote(s.Field))
	if p.Metric {
		what = fmt.Sprintf("metric %d (%s)", p.MetricID, evalType)
	}
	if !slices.Contains(charts, s.Chart) {
		add("$.chart_type", "%q is not allowed for %s; allowed: %s", s.Chart, what, joinCharts(charts))
	}
	switch s.Chart {
	case chart.BarChart:
		if slices.Contains(charts, chart.BarChart) && !slices.Contains(aggs, p.Func) {
			add("$.aggregation_function", "%q is not allowed for %s; allowed: %s", p.Func, what, joinFuncs(aggs))
		}
	case chart.LineChart, chart.PieChart:
		if s.TimePeriod != 0 {
			add("$.time_period", "must be empty for a %s chart; got %q", s.Chart, s.TimePeriod)
		}
		if a := s.Func; a != 0 && !(s.Chart == chart.PieChart && a == aggregate.Count) {
			allowed := `"" or null`
			if s.Chart == chart.PieChart {
				allowed = `"count", "" or null`
			}
			add("$.aggregation_function", "must be empty for a %s chart; got %q; allowed: %s", s.Chart, a, allowed)
		}
	}
	if len(errs) > 0 {
		errs.Sort()
		return errs
	}
	return nil
}

var allFuncs = []aggregate.Func{aggregate.Count, aggregate.Sum, aggregate.Avg, aggregate.Min, aggregate.Max, aggregate.P50, aggregate.P95, aggregate.P99}

// combinations returns the chart types and bar aggregations a data type
// (or a metric's eval type) allows.
func combinations(dataType filter.Type, evalType string) (charts []chart.Type, aggs []aggregate.Func) {
	line, bar, pie := chart.LineChart, chart.BarChart, chart.PieChart
	boolAggs := []aggregate.Func{aggregate.Count, aggregate.Avg}
	switch evalType {
	case calldash.EvalNumeric, calldash.EvalContinuous:
		return []chart.Type{line, bar, pie}, allFuncs
	case calldash.EvalBinary:
		return []chart.Type{pie, bar}, boolAggs
	case calldash.EvalEnum:
		return []chart.Type{pie}, nil
	}
	switch dataType {
	case filter.TypeNumeric:
		return []chart.Type{line, bar}, allFuncs
	case filter.TypeBoolean:
		return []chart.Type{pie, bar}, boolAggs
	case filter.TypeDatetime:
		return []chart.Type{line, bar}, []aggregate.Func{aggregate.Count, aggregate.Min, aggregate.Max}
	}
	return []chart.Type{pie, bar}, []aggregate.Func{aggregate.Count}
}

func joinCharts(ts []chart.Type) string {
	s := make([]string, len(ts))
	for i, t := range ts {
		s[i] = string(t)
	}
	return strings.Join(s, ", ")
}

func joinFuncs(fs []aggregate.Func) string {
	s := make([]string, len(fs))
	for i, f := range fs {
		s[i] = f.String()
	}
	return strings.Join(s, ", ")
}

// plotType is the data type a field plots as.
func plotType(f *filter.Field) filter.Type {
	switch f.Plot {
	case filter.TypeDatetime, filter.TypeNumeric, filter.TypeBoolean:
		return f.Plot
	}
	return filter.TypeString
}

func plottable(s *filter.Schema) []string {
	var out []string
	for _, f := range s.Fields() {
		switch {
		case f.Metric && f.Name == MetricField:
			out = append(out, f.Name)
		case f.Metric:
		case f.Prefix:
			out = append(out, f.Name+".<key>")
		case f.Plot != 0:
			out = append(out, f.Name)
		}
	}
	return out
}

func groupable(s *filter.Schema) []string {
	var out []string
	for _, f := range s.Fields() {
		if f.Metric || f.Plot != filter.TypeString && f.Plot != filter.TypeBoolean {
			continue
		}
		if f.Prefix {
			out = append(out, f.Name+".<key>")
		} else {
			out = append(out, f.Name)
		}
	}
	return out
}
