package plan

import (
	"errors"

	"github.com/calldash/calldash"
	"github.com/calldash/calldash/aggregate"
	"github.com/calldash/calldash/chart"
	"github.com/calldash/calldash/filter"
)

// A Query is everything an engine needs to answer one widget.
type Query struct {
	Config  *Config
	Plan    *Plan
	Filter  *filter.Checked // the effective filter
	Env     filter.Env
	Buckets aggregate.Bucketer    // bar charts
	Gap     *aggregate.Boundaries // the buckets gap filling returns; nil when not filling
	Lo, Hi  filter.Bound          // the effective filter's bounds on timestamp (bar charts)
}

// NewQuery resolves a widget for one preview: its plan, its effective
// filter (the dashboard's filters AND the widget's, or the override),
// checked once, the time-range policy, and for a bar chart its buckets
// and the range gap filling covers. cfg must be resolved ([Config.Resolve]).
func NewQuery(s Spec, widgetFilter filter.Node, cfg *Config) (*Query, error) {
	p, err := New(s, cfg.Schema, cfg.Limits)
	if err != nil {
		return nil, err
	}
	if cfg.Overridden {
		widgetFilter = cfg.Override
	}
	env := filter.Env{Now: cfg.Now, Location: cfg.Location}
	checked, err := filter.Check(filter.And(cfg.Dashboard, widgetFilter), cfg.Schema, filter.WithLimits(cfg.Limits), filter.WithEnv(env))
	if err != nil {
		return nil, err
	}
	q := &Query{
		Config: cfg,
		Plan:   p,
		Filter: checked,
		Env:    env,
	}
	if err := filter.CheckTimeRange(q.Filter, q.Env, cfg.Policy); err != nil {
		return nil, err
	}
	if s.Chart == chart.BarChart {
		if err := q.bucketing(); err != nil {
			return nil, err
		}
	}
	return q, nil
}

// bucketing sets the bucketer of a bar chart, the timestamp bounds of the
// effective filter, and the range gap filling covers: those bounds, the
// upper one defaulting to now. Bounds that do not resolve are an error
// only for gap filling; the filter reports them anyway when it runs.
func (q *Query) bucketing() error {
	p, cfg := q.Plan, q.Config
	if p.BucketMS > 0 {
		f, err := aggregate.NewFixed(p.BucketMS, cfg.Location)
		if err != nil {
			return calldash.Errorf("$.group_by.interval", calldash.ErrType, "%v", err)
		}
		q.Buckets = f
	} else {
		q.Buckets = aggregate.NewCalendar(p.Period, cfg.Location, cfg.WeekStart)
	}
	lo, hi, err := filter.TimeBounds(q.Filter, q.Env)
	if err == nil {
		q.Lo, q.Hi = lo, hi
	}
	if !cfg.GapFill {
		return nil
	}
	if err != nil {
		return err
	}
	if !lo.Set {
		return nil
	}
	r := aggregate.Range{Lo: lo.Time, LoExclusive: !lo.Inclusive, Hi: cfg.Now}
	if hi.Set {
		r.Hi, r.HiExclusive = hi.Time, !hi.Inclusive
	}
	// Enumerated here, once, so that an oversized range is an error before
	// any record is read.
	gap, err := aggregate.Enumerate(q.Buckets, r, cfg.MaxBuckets)
	if err != nil {
		return BucketError(err, cfg.MaxBuckets)
	}
	q.Gap = gap
	return nil
}

// BucketError is the error of a bar chart whose range or data span more
// than max buckets; other errors are returned as they are.
func BucketError(err error, max int) error {
	if errors.Is(err, calldash.ErrTooManyBuckets) {
		return calldash.Errorf("$.time_period", calldash.ErrTooManyBuckets, "the chart would have more than %d buckets (limit MaxBuckets); narrow the time range or use a longer time_period", max)
	}
	return err
}

// CellError is the error of an answer that would have more than max
// cells (buckets × groups of a bar chart, slices of a pie, points of a
// line): an error, never a truncation.
func CellError(max int) error {
	return calldash.Errorf("$", calldash.ErrLimit, "the answer would have more than %d cells (limit MaxCells: buckets × groups of a bar chart, slices of a pie, points of a line); narrow the filters, use top groups or a longer time_period", max)
}

// MetricError is the error of a metric widget whose metric is found
// nowhere.
func (q *Query) MetricError() error {
	return calldash.ErrorList{calldash.Errorf("$.metric", calldash.ErrMetric, "metric %d does not exist", q.Plan.MetricID)}
}
