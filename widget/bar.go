package widget

import (
	"cmp"
	"slices"
	"time"

	"github.com/calldash/calldash/aggregate"
	"github.com/calldash/calldash/chart"
	"github.com/calldash/calldash/filter"
)

// barState accumulates a bar chart: one accumulator per bucket and group.
type barState struct {
	fn         aggregate.Func
	places     int32
	maxBuckets int
	locate     *aggregate.Locator
	loc        *time.Location
	cells      map[cell]*aggregate.Accumulator
	starts     map[int64]time.Time // bucket start (Unix ns) → start
	groups     map[chart.Label]int64
	tooMany    bool
	folded     bool // the groups came folded from a database
}

type cell struct {
	bucket int64 // bucket start, Unix nanoseconds
	group  chart.Label
}

func newBarState(q *query) barState {
	fn, err := aggregate.ParseFunc(barFunc(q.plan))
	if err != nil {
		fn = aggregate.Count // Decode checked it; unreachable
	}
	return barState{
		fn:         fn,
		places:     q.cfg.avgPlaces,
		maxBuckets: q.cfg.maxBuckets,
		locate:     aggregate.NewLocator(q.buckets),
		loc:        q.cfg.loc,
		cells:      map[cell]*aggregate.Accumulator{},
		starts:     map[int64]time.Time{},
		groups:     map[chart.Label]int64{},
	}
}

// barFunc returns the name of a bar chart's aggregation. For a metric
// widget whose metric is not resolved yet, plan.agg is still empty: the
// spec's own value (default count) is the one resolveMetric will confirm
// or reject.
func barFunc(p *plan) string {
	switch {
	case p.agg != "":
		return p.agg
	case p.spec.AggregationFunction != "":
		return p.spec.AggregationFunction
	}
	return "count"
}

// add adds one row at instant at: value v, or for datetime fields the
// instant t (zero for null).
func (b *barState) add(at time.Time, group filter.Value, grouped bool, v filter.Value, t time.Time) {
	start := b.locate.Start(at)
	key := cell{bucket: aggregate.UnixNano(start)}
	if grouped {
		key.group = chart.LabelOf(group)
	}
	acc := b.cells[key]
	if acc == nil {
		if _, seen := b.starts[key.bucket]; !seen {
			if len(b.starts) >= b.maxBuckets && b.maxBuckets > 0 {
				b.tooMany = true
				return
			}
			b.starts[key.bucket] = start
		}
		a := aggregate.New(b.fn, b.places)
		acc = &a
		b.cells[key] = acc
	}
	switch {
	case !t.IsZero():
		acc.AddTime(t)
	default:
		acc.Add(v)
	}
	b.groups[key.group]++
}

// addPartial adds the aggregate of one bucket and group that a database
// computed (the SQL source). The database already folded top-N groups.
func (b *barState) addPartial(start time.Time, group chart.Label, acc aggregate.Accumulator) {
	key := cell{bucket: aggregate.UnixNano(start), group: group}
	if _, seen := b.starts[key.bucket]; !seen {
		if len(b.starts) >= b.maxBuckets && b.maxBuckets > 0 {
			b.tooMany = true
			return
		}
		b.starts[key.bucket] = start
	}
	if into := b.cells[key]; into != nil {
		// Two keys of one bucket (cannot happen for percentiles, whose
		// partition is the bucket key itself).
		into.Merge(&acc)
	} else {
		b.cells[key] = &acc
	}
	b.groups[key.group] += acc.Rows()
	b.folded = true
}

// finish returns the bar items: ordered by time, then group label (null
// last); with gap filling, every bucket of the range for every group that
// has a row.
func (b *barState) finish(q *query) (Bars, error) {
	if b.tooMany {
		return nil, bucketError(aggregate.ErrTooManyBuckets, b.maxBuckets)
	}
	grouped := q.plan.groupField != nil
	if grouped && q.cfg.topGroups > 0 && !b.folded {
		b.foldGroups(q.cfg.topGroups)
	}
	bars := make(Bars, 0, len(b.cells))
	for key, acc := range b.cells {
		bars = append(bars, chart.Bar{
			TimeInterval: b.starts[key.bucket].In(b.loc),
			Value:        resultValue(acc.Result(), b.loc),
			SampleCount:  acc.Rows(),
			Grouped:      grouped,
			Group:        key.group,
		})
	}
	if q.gapRange == nil {
		chart.SortBars(bars)
		return bars, nil
	}
	bounds, err := aggregate.Enumerate(q.buckets, *q.gapRange, b.maxBuckets)
	if err != nil {
		return nil, bucketError(err, b.maxBuckets)
	}
	starts := make([]time.Time, bounds.Len())
	for i, s := range bounds.Starts() {
		starts[i] = s.In(b.loc)
	}
	empty := chart.Null
	if b.fn == aggregate.Count {
		empty = chart.Int(0)
	}
	return chart.Fill(bars, starts, grouped, empty), nil
}

// foldGroups keeps the n groups with the most rows (see chart.TopGroups)
// and merges every other group, in every bucket, into chart.Other.
func (b *barState) foldGroups(n int) {
	keep := chart.TopGroups(b.groups, n)
	if len(keep) == len(b.groups) {
		return
	}
	var moved []cell
	for key := range b.cells {
		if !keep[key.group] {
			moved = append(moved, key)
		}
	}
	// Merge in a fixed order, so that nothing depends on map order.
	slices.SortFunc(moved, func(x, y cell) int {
		if c := cmp.Compare(x.bucket, y.bucket); c != 0 {
			return c
		}
		return x.group.Compare(y.group)
	})
	for _, key := range moved {
		acc := b.cells[key]
		delete(b.cells, key)
		dst := cell{key.bucket, chart.Other}
		if into := b.cells[dst]; into != nil {
			into.Merge(acc)
		} else {
			b.cells[dst] = acc
		}
	}
}

// resultValue converts an aggregate to a chart value printed in loc.
func resultValue(r aggregate.Result, loc *time.Location) chart.Value {
	switch r.Kind {
	case aggregate.NumberResult:
		return chart.Number(r.Num)
	case aggregate.TimeResult:
		return chart.Time(r.Time.In(loc))
	}
	return chart.Null
}
