package widget

import (
	"time"

	"github.com/calldash/calldash"
	"github.com/calldash/calldash/filter"
	"github.com/calldash/calldash/widget/internal/plan"
)

// An Option configures [Preview] and [PreviewMany]. Every setting is per
// call; the package has no global configuration.
type Option func(*plan.Config)

// config returns the settings of opts, its clock fixed.
func config(opts []Option) plan.Config {
	c := plan.DefaultConfig()
	for _, o := range opts {
		o(&c)
	}
	c.Resolve()
	return c
}

// WithSchema sets the field schema (default filter.CallLogs()).
func WithSchema(s *filter.Schema) Option { return func(c *plan.Config) { c.Schema = s } }

// WithLimits sets the filter limits (default filter.DefaultLimits()).
func WithLimits(l filter.Limits) Option { return func(c *plan.Config) { c.Limits = l } }

// WithNow sets the clock: the instant "now" of relative times, of the
// time-range policy and of the default upper bound of gap filling.
func WithNow(t time.Time) Option { return func(c *plan.Config) { c.Now = t } }

// WithLocation sets the time zone of buckets, dates, "today" and of the
// printed times (default UTC).
func WithLocation(loc *time.Location) Option { return func(c *plan.Config) { c.Location = loc } }

// WithWeekStart sets the first day of week buckets (default Monday).
func WithWeekStart(d time.Weekday) Option { return func(c *plan.Config) { c.WeekStart = d } }

// WithDashboardFilters sets the dashboard's filters, ANDed with the
// widget's .
func WithDashboardFilters(n filter.Node) Option { return func(c *plan.Config) { c.Dashboard = n } }

// WithFilterOverride replaces the widget's filters for this request; the
// dashboard's filters still apply. A nil node removes the widget filters.
func WithFilterOverride(n filter.Node) Option {
	return func(c *plan.Config) { c.Override, c.Overridden = n, true }
}

// WithTimePolicy replaces the time-range policy (default:
// a timestamp lower bound at most 30 days before now is required).
func WithTimePolicy(p filter.TimePolicy) Option { return func(c *plan.Config) { c.Policy = p } }

// WithGapFill turns gap filling on (the default) or off.
func WithGapFill(on bool) Option { return func(c *plan.Config) { c.GapFill = on } }

// WithMaxBuckets sets the largest number of buckets a bar chart may have
// (default 10,000); more is an error, never a truncation.
func WithMaxBuckets(n int) Option { return func(c *plan.Config) { c.MaxBuckets = n } }

// WithMaxCells sets the largest number of cells an answer may have —
// buckets × groups of a bar chart (after gap filling and top-N folding),
// slices of a pie, points of a line — (default 100,000; 0 or less: no
// cap). More is an error (calldash.ErrLimit), never a truncation; every
// source stops before it builds them (SQL reads at most one row more than
// the cap).
func WithMaxCells(n int) Option { return func(c *plan.Config) { c.MaxCells = n } }

// WithMaxPoints caps the points of a line chart (0, the default, means no
// cap). When the cap cuts, the response's Truncated is true and the points
// kept are the first ones in order.
func WithMaxPoints(n int) Option { return func(c *plan.Config) { c.MaxPoints = n } }

// WithTopGroups keeps the n groups with the most rows of a field group_by
// and folds the rest into one "Other" group computed from their raw rows
// (0, the default, keeps every group).
func WithTopGroups(n int) Option { return func(c *plan.Config) { c.TopGroups = n } }

// WithAvgPlaces sets the decimal places avg is rounded to, half away from
// zero (default 4).
func WithAvgPlaces(n int32) Option { return func(c *plan.Config) { c.AvgPlaces = n } }

// WithLatencyMetric names the metric whose nearest-rank p95 is a stat
// widget's p95_latency (default none: p95_latency is null).
func WithLatencyMetric(id int64) Option { return func(c *plan.Config) { c.LatencyMetric = id } }

// WithParallelism sets how many goroutines [Preview] and [PreviewMany]
// may use: n ≤ 0 (the default) means runtime.GOMAXPROCS(0), 1 does all the
// work on the calling goroutine. [Calls] cuts a slice of at least 65,536
// records into parts read at the same time (see [PreviewMany]); a [Table]
// answers one widget on one goroutine, several widgets several at a time;
// a [Stream], which can be read only once, is always read on one.
func WithParallelism(n int) Option { return func(c *plan.Config) { c.Parallelism = n } }

// WithMetrics supplies the metrics that metric widgets may plot, so that
// their eval type and name are known without looking at the records.
func WithMetrics(ms ...calldash.Metric) Option {
	return func(c *plan.Config) {
		if c.Metrics == nil {
			c.Metrics = make(map[int64]calldash.Metric, len(ms))
		}
		for _, m := range ms {
			c.Metrics[m.ID] = m
		}
	}
}
