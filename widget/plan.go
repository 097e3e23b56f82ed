package widget

import (
	"fmt"
	"slices"
	"strings"

	"github.com/calldash/calldash"
	"github.com/calldash/calldash/filter"
	"github.com/calldash/calldash/internal/names"
)

// A plan is a spec resolved against a schema: what each row is, how it
// plots, and the effective period, aggregation and grouping.
type plan struct {
	spec        *Spec
	chart       ChartType
	field       *filter.Field // nil for stat
	key         string        // metadata key of a Prefix field
	metric      bool          // rows are the evaluation rows of spec.Metric
	metricID    int64
	dataType    string // resolved: numeric, boolean, string or datetime ("" for stat)
	displayName string
	period      string // effective time_period ("" when it does not apply)
	agg         string // effective aggregation_function ("" when it does not apply)
	groupField  *filter.Field
	groupKey    string
	bucketMS    int64 // fixed-width buckets of a bucket group_by
}

// Data types of SPEC §4.1.
const (
	typeNumeric  = "numeric"
	typeBoolean  = "boolean"
	typeString   = "string"
	typeDatetime = "datetime"
	typeDynamic  = "dynamic"
)

// newPlan resolves everything that does not depend on a metric's eval type
// and returns every problem found, sorted by path.
func newPlan(s *Spec, cfg *config) (*plan, error) {
	p := &plan{spec: s, chart: s.ChartType}
	var errs calldash.ErrorList
	add := func(path string, kind error, format string, args ...any) {
		errs = append(errs, calldash.Errorf(path, kind, format, args...))
	}
	switch {
	case s.ChartType == Stat:
		if s.Field != "" {
			add("$.field", calldash.ErrCombination, "must be empty for a stat widget; got %s", quote(s.Field))
		}
	case s.Field == "":
		add("$.field", calldash.ErrRequired, "field is required for a %s chart", s.ChartType)
	default:
		f, key, ok := cfg.schema.Resolve(s.Field)
		switch {
		case !ok:
			msg := fmt.Sprintf("unknown field %s", quote(s.Field))
			if near := names.Nearest(s.Field, plottable(cfg.schema)); near != "" {
				msg += fmt.Sprintf(" (did you mean %q?)", near)
			}
			add("$.field", calldash.ErrUnknownField, "%s; plottable fields: %s", msg, strings.Join(plottable(cfg.schema), ", "))
		case f.Plot == 0 && !f.Metric:
			add("$.field", calldash.ErrField, "%s cannot be plotted; plottable fields: %s", quote(s.Field), strings.Join(plottable(cfg.schema), ", "))
		case f.Prefix && !cfg.limits.ValidKey(key):
			add("$.field", calldash.ErrMetadataKey, "%s: a metadata key must be non-empty, without dots, and at most %d bytes", quote(s.Field), cfg.limits.MaxMetadataKey)
		case f.Metric && s.Field != MetricField:
			add("$.field", calldash.ErrField, "%s cannot be plotted; plottable fields: %s", quote(s.Field), strings.Join(plottable(cfg.schema), ", "))
		default:
			p.field, p.key = f, key
			p.displayName = f.DisplayName
			if f.Prefix {
				p.displayName = key
			}
			if f.Metric {
				p.metric = true
				if s.Metric == nil {
					add("$.metric", calldash.ErrRequired, "metric is required when field is %q", MetricField)
				} else {
					p.metricID = *s.Metric
				}
			} else {
				p.dataType = plotType(f)
				if s.DataType != "" && s.DataType != p.dataType && !(s.DataType == typeDynamic && f.Type == filter.TypeDynamic) {
					add("$.data_type", calldash.ErrCombination, "%s contradicts field %s, which is %s", quote(s.DataType), quote(s.Field), p.dataType)
				}
			}
		}
	}
	if s.GroupBy != nil {
		switch {
		case s.ChartType != Bar:
			add("$.group_by", calldash.ErrCombination, "only bar charts can be grouped; chart_type is %q", s.ChartType)
		case s.GroupBy.Type == "bucket":
			p.bucketMS = s.GroupBy.Interval
		default:
			f, key, ok := cfg.schema.Resolve(s.GroupBy.Field)
			if !ok || f.Metric || f.Plot != filter.TypeString && f.Plot != filter.TypeBoolean {
				add("$.group_by.field", calldash.ErrField, "%s cannot group bars; allowed: %s", quote(s.GroupBy.Field), strings.Join(groupable(cfg.schema), ", "))
			} else if f.Prefix && !cfg.limits.ValidKey(key) {
				add("$.group_by.field", calldash.ErrMetadataKey, "%s: a metadata key must be non-empty, without dots, and at most %d bytes", quote(s.GroupBy.Field), cfg.limits.MaxMetadataKey)
			} else {
				p.groupField, p.groupKey = f, key
			}
		}
	}
	if len(errs) > 0 {
		errs.Sort()
		return nil, errs
	}
	if s.ChartType == Bar {
		// The bar defaults of SPEC §4.2, known before a metric is resolved
		// (its eval type only decides whether they are allowed).
		p.period, p.agg = s.TimePeriod, s.AggregationFunction
		switch {
		case p.bucketMS > 0: // fixed buckets replace the time period
			p.period = ""
		case p.period == "":
			p.period = "day"
		}
		if p.agg == "" {
			p.agg = "count"
		}
	}
	if !p.metric {
		if err := p.checkCombination(""); err != nil {
			return nil, err
		}
	}
	return p, nil
}

// resolveMetric completes a metric plan once the metric is known.
func (p *plan) resolveMetric(m Metric) error {
	p.displayName = m.Name
	switch m.EvalType {
	case calldash.EvalNumeric, calldash.EvalContinuous:
		p.dataType = typeNumeric
	case calldash.EvalBinary:
		p.dataType = typeBoolean
	default:
		p.dataType = typeString
	}
	if dt := p.spec.DataType; dt != "" && dt != typeDynamic && dt != p.dataType {
		return calldash.ErrorList{calldash.Errorf("$.data_type", calldash.ErrCombination, "%s contradicts metric %d (%s), whose values are %s", quote(dt), m.ID, m.EvalType, p.dataType)}
	}
	return p.checkCombination(m.EvalType)
}

// checkCombination applies the table of SPEC §4.2 and the defaults of
// bar charts.
func (p *plan) checkCombination(evalType string) error {
	s := p.spec
	var errs calldash.ErrorList
	add := func(path string, format string, args ...any) {
		errs = append(errs, calldash.Errorf(path, calldash.ErrCombination, format, args...))
	}
	if s.ChartType == Stat {
		return nil
	}
	charts, aggs := combinations(p.dataType, evalType)
	what := fmt.Sprintf("%s field %s", p.dataType, quote(s.Field))
	if p.metric {
		what = fmt.Sprintf("metric %d (%s)", p.metricID, evalType)
	}
	if !slices.Contains(charts, string(s.ChartType)) {
		add("$.chart_type", "%q is not allowed for %s; allowed: %s", s.ChartType, what, strings.Join(charts, ", "))
	}
	switch s.ChartType {
	case Bar:
		if slices.Contains(charts, "bar") && !slices.Contains(aggs, p.agg) {
			add("$.aggregation_function", "%q is not allowed for %s; allowed: %s", p.agg, what, strings.Join(aggs, ", "))
		}
	case Line, Pie:
		if s.TimePeriod != "" {
			add("$.time_period", "must be empty for a %s chart; got %q", s.ChartType, s.TimePeriod)
		}
		if a := s.AggregationFunction; a != "" && !(s.ChartType == Pie && a == "count") {
			allowed := `"" or null`
			if s.ChartType == Pie {
				allowed = `"count", "" or null`
			}
			add("$.aggregation_function", "must be empty for a %s chart; got %q; allowed: %s", s.ChartType, a, allowed)
		}
	}
	if len(errs) > 0 {
		errs.Sort()
		return errs
	}
	return nil
}

// combinations returns the chart types and bar aggregations of SPEC §4.2.
func combinations(dataType, evalType string) (charts, aggs []string) {
	all := []string{"count", "sum", "avg", "min", "max", "p50", "p95", "p99"}
	switch evalType {
	case calldash.EvalNumeric, calldash.EvalContinuous:
		return []string{"line", "bar", "pie"}, all
	case calldash.EvalBinary:
		return []string{"pie", "bar"}, []string{"count", "avg"}
	case calldash.EvalEnum:
		return []string{"pie"}, nil
	}
	switch dataType {
	case typeNumeric:
		return []string{"line", "bar"}, all
	case typeBoolean:
		return []string{"pie", "bar"}, []string{"count", "avg"}
	case typeDatetime:
		return []string{"line", "bar"}, []string{"count", "min", "max"}
	}
	return []string{"pie", "bar"}, []string{"count"}
}

func plotType(f *filter.Field) string {
	switch {
	case f.Plot == filter.TypeDatetime:
		return typeDatetime
	case f.Plot == filter.TypeNumeric:
		return typeNumeric
	case f.Plot == filter.TypeBoolean:
		return typeBoolean
	}
	return typeString
}

func plottable(s *filter.Schema) []string {
	var names []string
	for _, f := range s.Fields() {
		switch {
		case f.Metric && f.Name == MetricField:
			names = append(names, f.Name)
		case f.Metric:
		case f.Prefix:
			names = append(names, f.Name+".<key>")
		case f.Plot != 0:
			names = append(names, f.Name)
		}
	}
	return names
}

func groupable(s *filter.Schema) []string {
	var names []string
	for _, f := range s.Fields() {
		if f.Metric || f.Plot != filter.TypeString && f.Plot != filter.TypeBoolean {
			continue
		}
		if f.Prefix {
			names = append(names, f.Name+".<key>")
		} else {
			names = append(names, f.Name)
		}
	}
	return names
}

func quote(s string) string { return names.Quote(s) }
