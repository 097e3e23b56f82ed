package widget

import (
	"context"
	"errors"
	"fmt"
	"iter"

	"github.com/calldash/calldash"
	"github.com/calldash/calldash/aggregate"
	"github.com/calldash/calldash/filter"
)

// A Source is where [Preview] finds call logs: records in memory ([Calls],
// [Stream]) or a database.
type Source interface {
	preview(ctx context.Context, q *query) (*Response, error)
}

// Preview computes a widget's chart data from src (SPEC §4, §5). It checks
// the spec against the schema and the combination rules, combines the
// dashboard filters with the widget's (or the override), applies the
// time-range policy, and then answers from src. Invalid input gives a
// calldash.ErrorList (or a *calldash.Error) and no response.
func Preview(ctx context.Context, s *Spec, src Source, opts ...Option) (*Response, error) {
	cfg := newConfig(opts)
	q, err := newQuery(s, &cfg)
	if err != nil {
		return nil, err
	}
	return src.preview(ctx, q)
}

// A query is everything a source needs to answer a widget.
type query struct {
	cfg     *config
	plan    *plan
	filter  *filter.Checked // the effective filter
	env     filter.Env
	buckets aggregate.Bucketer    // bar charts
	gap     *aggregate.Boundaries // the buckets gap filling returns; nil when not filling
	lo, hi  filter.Bound          // the effective filter's bounds on timestamp (bar charts)
}

func newQuery(s *Spec, cfg *config) (*query, error) {
	p, err := newPlan(s, cfg)
	if err != nil {
		return nil, err
	}
	widgetFilter := s.Filters
	if cfg.overridden {
		widgetFilter = cfg.override
	}
	checked, err := filter.Check(filter.And(cfg.dashboard, widgetFilter), cfg.schema, filter.WithLimits(cfg.limits))
	if err != nil {
		return nil, err
	}
	q := &query{
		cfg:    cfg,
		plan:   p,
		filter: checked,
		env:    filter.Env{Now: cfg.now, Location: cfg.loc},
	}
	if err := filter.CheckTimeRange(q.filter, q.env, cfg.policy); err != nil {
		return nil, err
	}
	if s.ChartType == Bar {
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
func (q *query) bucketing() error {
	p, cfg := q.plan, q.cfg
	if p.bucketMS > 0 {
		f, err := aggregate.NewFixed(p.bucketMS, cfg.loc)
		if err != nil {
			return calldash.Errorf("$.group_by.interval", calldash.ErrType, "%v", err)
		}
		q.buckets = f
	} else {
		period := s2period(p.spec.TimePeriod)
		q.buckets = aggregate.NewCalendar(period, cfg.loc, cfg.weekStart)
	}
	lo, hi, err := filter.TimeBounds(q.filter, q.env)
	if err == nil {
		q.lo, q.hi = lo, hi
	}
	if !cfg.gapFill {
		return nil
	}
	if err != nil {
		return err
	}
	if !lo.Set {
		return nil
	}
	r := aggregate.Range{Lo: lo.Time, LoExclusive: !lo.Inclusive, Hi: cfg.now}
	if hi.Set {
		r.Hi, r.HiExclusive = hi.Time, !hi.Inclusive
	}
	// Enumerated here, once, so that an oversized range is an error before
	// any record is read.
	gap, err := aggregate.Enumerate(q.buckets, r, cfg.maxBuckets)
	if err != nil {
		return bucketError(err, cfg.maxBuckets)
	}
	q.gap = gap
	return nil
}

func bucketError(err error, max int) error {
	if errors.Is(err, calldash.ErrTooManyBuckets) {
		return calldash.Errorf("$.time_period", calldash.ErrTooManyBuckets, "the chart would have more than %d buckets (limit MaxBuckets); narrow the time range or use a longer time_period", max)
	}
	return err
}

func s2period(s string) aggregate.Period {
	if s == "" {
		return aggregate.Day
	}
	p, err := aggregate.ParsePeriod(s)
	if err != nil {
		panic(fmt.Sprintf("widget: unchecked time_period %q", s)) // Decode checked it
	}
	return p
}

// Calls is a [Source] over call logs in memory.
func Calls(calls []calldash.Call) Source { return memory{slice: calls} }

// Stream is a [Source] over a sequence of call logs, read once.
func Stream(seq iter.Seq[calldash.Call]) Source { return memory{seq: seq} }
