// Package plan resolves a widget for the engines that answer it: the
// widget's spec against a schema and the combination rules (a [Plan]),
// and the settings of one preview with its effective filter, clock, zone
// and buckets (a [Query]). The memory, Table and SQL engines and the
// result builder all read a Query; package widget makes one per widget.
package plan

import (
	"runtime"
	"time"

	"github.com/calldash/calldash"
	"github.com/calldash/calldash/aggregate"
	"github.com/calldash/calldash/filter"
)

// DefaultMaxBuckets is the default cap on the buckets of a bar chart.
const DefaultMaxBuckets = 10000

// DefaultMaxCells is the default cap on the cells of an answer: buckets ×
// groups of a bar chart, slices of a pie, points of a line.
const DefaultMaxCells = 100_000

// A Config holds the settings of one preview (widget's options).
type Config struct {
	Schema        *filter.Schema
	Limits        filter.Limits
	Now           time.Time // zero until Resolve sets it from the clock
	Location      *time.Location
	WeekStart     time.Weekday
	Dashboard     filter.Node // the dashboard's filters
	Override      filter.Node // replaces the widget's filters when Overridden
	Overridden    bool
	Policy        filter.TimePolicy
	GapFill       bool
	MaxBuckets    int
	MaxPoints     int
	MaxCells      int // the cap on an answer's cells; 0 or less: none
	TopGroups     int
	AvgPlaces     int32
	LatencyMetric int64
	Metrics       map[int64]calldash.Metric
	Parallelism   int
}

// DefaultConfig returns the default settings: the call-log schema and
// limits, UTC, weeks from Monday, the default time-range policy, gap
// filling, 10,000 buckets, 100,000 cells, avg to 4 places.
func DefaultConfig() Config {
	return Config{
		Schema:     filter.CallLogs(),
		Limits:     filter.DefaultLimits(),
		Location:   time.UTC,
		WeekStart:  time.Monday,
		Policy:     filter.DefaultTimePolicy(),
		GapFill:    true,
		MaxBuckets: DefaultMaxBuckets,
		MaxCells:   DefaultMaxCells,
		AvgPlaces:  aggregate.DefaultAvgPlaces,
	}
}

// Resolve fixes the clock: a zero Now becomes time.Now(), once, so that
// every widget of a preview sees the same instant.
func (c *Config) Resolve() {
	if c.Now.IsZero() {
		c.Now = time.Now()
	}
}

// Workers returns the goroutines a preview may use: Parallelism, or
// GOMAXPROCS when it is not positive.
func (c *Config) Workers() int {
	if c.Parallelism <= 0 {
		return runtime.GOMAXPROCS(0)
	}
	return c.Parallelism
}
