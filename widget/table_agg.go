package widget

import (
	"math"
	"slices"
	"time"

	"github.com/shopspring/decimal"

	"github.com/calldash/calldash/aggregate"
	"github.com/calldash/calldash/chart"
	"github.com/calldash/calldash/filter"
)

// tableMaxBuckets bounds the buckets a Table precomputes over its time
// span; a wider span is aggregated record by record.
const tableMaxBuckets = 1 << 16

// newAgg returns the column aggregation of a widget, or nil when the
// records must be read as the memory source does.
func (t *Table) newAgg(q *query, r *run) tableAgg {
	p := q.plan
	if p.chart == Stat {
		return t.newStatAgg(q)
	}
	if p.metric || p.field == nil || p.field.Call == nil || p.field.Prefix {
		return nil
	}
	col := t.cols[p.field.Name]
	if col == nil {
		return nil
	}
	switch p.chart {
	case Pie:
		if col.codes == nil {
			return nil
		}
		return &pieAgg{col: col, counts: make([]int64, len(col.dict))}
	case Bar:
		return t.newBarAgg(q, r, col)
	}
	return nil
}

// pieAgg counts the rows of each dictionary code.
type pieAgg struct {
	col    *column
	counts []int64
}

func (a *pieAgg) add(sel []int32) {
	codes, counts := a.col.codes, a.counts
	for _, i := range sel {
		counts[codes[i]]++
	}
}

func (a *pieAgg) finish(r *run) error {
	for code, n := range a.counts {
		if n > 0 {
			r.pie[a.col.labels[code]] += n
		}
	}
	return nil
}

// statAgg computes a stat widget from the success and duration columns.
type statAgg struct {
	total, known, succeeded int64
	success                 []uint32 // codes
	isKnown, isTrue         []int64  // per code: 1 or 0
	dur                     []int64
	scale                   int32
	sum, n                  int64
}

func (t *Table) newStatAgg(q *query) tableAgg {
	succ, dur := t.cols["success"], t.cols["duration"]
	if q.cfg.latencyMetric != 0 || succ == nil || succ.codes == nil || dur == nil || dur.num == nil || dur.hasBig {
		return nil
	}
	if dur.maxAbs > 0 && int64(len(dur.num)) > math.MaxInt64/dur.maxAbs {
		return nil
	}
	a := &statAgg{success: succ.codes, dur: dur.num, scale: dur.scale,
		isKnown: make([]int64, len(succ.dict)), isTrue: make([]int64, len(succ.dict))}
	for code, v := range succ.dict {
		if v.Kind == filter.KindBool {
			a.isKnown[code] = 1
			if v.Bool {
				a.isTrue[code] = 1
			}
		}
	}
	return a
}

func (a *statAgg) add(sel []int32) {
	a.total += int64(len(sel))
	for _, i := range sel {
		c := a.success[i]
		a.known += a.isKnown[c]
		a.succeeded += a.isTrue[c]
		if v := a.dur[i]; v != nullNum {
			a.sum += v
			a.n++
		}
	}
}

func (a *statAgg) finish(r *run) error {
	s := &r.stat
	s.total, s.known, s.succeeded = a.total, a.known, a.succeeded
	s.duration = aggregate.FromPartial(aggregate.Avg, s.places,
		aggregate.Partial{Rows: a.total, Count: a.n, IsNum: a.n > 0, Num: decimal.New(a.sum, -a.scale)})
	return nil
}

// barAgg aggregates a bar chart in scaled integers: one cell per bucket
// (and group code).
type barAgg struct {
	fn     aggregate.Func
	ts     []int64
	idx    bucketIndex
	bounds *aggregate.Boundaries
	vals   []int64 // the plotted field as a scaled column
	scale  int32
	gcodes []uint32 // group codes; nil when ungrouped
	glabel []chart.Label
	ng     int
	rows   []int64
	n      []int64 // non-null values
	acc    []int64 // sum, min or max
	pvals  [][]int64
}

func (t *Table) newBarAgg(q *query, r *run, col *column) tableAgg {
	if !t.tsOK || len(t.calls) == 0 {
		return nil
	}
	fn := r.bar.fn
	vals, maxAbs, scale, numeric := col.values()
	if vals == nil || fn != aggregate.Count && !numeric {
		return nil
	}
	if (fn == aggregate.Sum || fn == aggregate.Avg) && maxAbs > 0 && int64(len(vals)) > math.MaxInt64/maxAbs {
		return nil // a sum could overflow
	}
	a := &barAgg{fn: fn, ts: t.ts, vals: vals, scale: scale, ng: 1}
	if g := q.plan.groupField; g != nil {
		if g.Prefix || g.Call == nil || q.cfg.topGroups > 0 && fn.Percentile() > 0 {
			return nil
		}
		gc := t.cols[g.Name]
		if gc == nil || gc.codes == nil {
			return nil
		}
		a.gcodes, a.glabel, a.ng = gc.codes, gc.labels, len(gc.dict)
	}
	span := aggregate.Range{Lo: time.Unix(0, t.minTs), Hi: time.Unix(0, t.maxTs)}
	bounds, err := aggregate.Enumerate(q.buckets, span, tableMaxBuckets)
	if err != nil || bounds.Len() == 0 || bounds.Len()*a.ng > 1<<22 {
		return nil
	}
	a.bounds = bounds
	a.idx = newBucketIndex(bounds)
	cells := bounds.Len() * a.ng
	a.rows, a.n = make([]int64, cells), make([]int64, cells)
	if fn.Percentile() > 0 {
		a.pvals = make([][]int64, cells)
	} else if fn != aggregate.Count {
		a.acc = make([]int64, cells)
	}
	return a
}

func (a *barAgg) add(sel []int32) {
	ts, vals, rows, n, acc := a.ts, a.vals, a.rows, a.n, a.acc
	idx := &a.idx
	gcodes, ng := a.gcodes, a.ng
	cell := func(i int32) int {
		c := idx.of(ts[i])
		if gcodes != nil {
			c = c*ng + int(gcodes[i])
		}
		return c
	}
	switch a.fn {
	case aggregate.Count:
		for _, i := range sel {
			c := cell(i)
			rows[c]++
			if vals[i] != nullNum {
				n[c]++
			}
		}
	case aggregate.Sum, aggregate.Avg:
		if gcodes == nil {
			for _, i := range sel {
				c := idx.of(ts[i])
				rows[c]++
				if v := vals[i]; v != nullNum {
					n[c]++
					acc[c] += v
				}
			}
			return
		}
		for _, i := range sel {
			c := cell(i)
			rows[c]++
			if v := vals[i]; v != nullNum {
				n[c]++
				acc[c] += v
			}
		}
	case aggregate.Min:
		for _, i := range sel {
			c := cell(i)
			rows[c]++
			if v := vals[i]; v != nullNum {
				if n[c] == 0 || v < acc[c] {
					acc[c] = v
				}
				n[c]++
			}
		}
	case aggregate.Max:
		for _, i := range sel {
			c := cell(i)
			rows[c]++
			if v := vals[i]; v != nullNum {
				if n[c] == 0 || v > acc[c] {
					acc[c] = v
				}
				n[c]++
			}
		}
	default:
		for _, i := range sel {
			c := cell(i)
			rows[c]++
			if v := vals[i]; v != nullNum {
				n[c]++
				a.pvals[c] = append(a.pvals[c], v)
			}
		}
	}
}

func (a *barAgg) finish(r *run) error {
	b := &r.bar
	for bucket := range a.bounds.Len() {
		start := a.bounds.Start(bucket)
		for g := range a.ng {
			c := bucket*a.ng + g
			if a.rows[c] == 0 {
				continue
			}
			p := aggregate.Partial{Rows: a.rows[c], Count: a.n[c], IsNum: a.n[c] > 0}
			if p.IsNum {
				switch a.fn {
				case aggregate.Count:
				case aggregate.Sum, aggregate.Avg, aggregate.Min, aggregate.Max:
					p.Num = decimal.New(a.acc[c], -a.scale)
				default:
					vs := a.pvals[c]
					p.Num = decimal.New(nth(vs, aggregate.Rank(a.fn.Percentile(), len(vs))-1), -a.scale)
				}
			}
			var label chart.Label
			if a.gcodes != nil {
				label = a.glabel[g]
			}
			b.addCell(start, label, aggregate.FromPartial(a.fn, b.places, p))
		}
	}
	return nil
}

// A bucketIndex finds the bucket of an instant with one table lookup: the
// span is cut into granules of equal width, each knowing the bucket its
// start falls in; the few instants of a granule that a boundary crosses
// step forward to the next bucket.
type bucketIndex struct {
	base  int64
	shift uint // granules are 1<<shift nanoseconds wide
	first []int32
	nanos []int64 // the boundaries: start of each bucket, then the end of the last
}

func newBucketIndex(b *aggregate.Boundaries) bucketIndex {
	starts := b.Starts()
	nanos := make([]int64, len(starts)+1)
	for i, s := range starts {
		nanos[i] = aggregate.UnixNano(s)
	}
	nanos[len(starts)] = aggregate.UnixNano(b.End())
	base, end := nanos[0], nanos[len(starts)]
	// 2^39 ns is about 9 minutes; wider spans get wider granules, so that
	// there are at most about 2^20 of them.
	shift := uint(39)
	for (end-base)>>shift > 1<<20 {
		shift++
	}
	x := bucketIndex{base: base, shift: shift, nanos: nanos}
	x.first = make([]int32, (end-base)>>shift+1)
	bucket := 0
	for k := range x.first {
		at := base + int64(k)<<shift
		for bucket < len(starts)-1 && at >= nanos[bucket+1] {
			bucket++
		}
		x.first[k] = int32(bucket)
	}
	return x
}

// of returns the bucket of the instant ns, which must lie in the span.
func (x *bucketIndex) of(ns int64) int {
	b := int(x.first[(ns-x.base)>>x.shift])
	for ns >= x.nanos[b+1] {
		b++
	}
	return b
}

// nth returns the k-th smallest of vs (0-based), reordering vs: a
// quickselect, linear on average, instead of a sort. Small or stubborn
// ranges are sorted.
func nth(vs []int64, k int) int64 {
	lo, hi := 0, len(vs) // the k-th is in vs[lo:hi]
	for rounds := 0; hi-lo > 16; rounds++ {
		if rounds > 64 {
			break
		}
		a, b, c := vs[lo], vs[lo+(hi-lo)/2], vs[hi-1]
		pivot := max(min(a, b), min(max(a, b), c)) // median of three
		// Three-way partition: < pivot | == pivot | > pivot.
		lt, i, gt := lo, lo, hi
		for i < gt {
			switch v := vs[i]; {
			case v < pivot:
				vs[lt], vs[i] = vs[i], vs[lt]
				lt++
				i++
			case v > pivot:
				gt--
				vs[gt], vs[i] = vs[i], vs[gt]
			default:
				i++
			}
		}
		switch {
		case k < lt:
			hi = lt
		case k >= gt:
			lo = gt
		default:
			return pivot
		}
	}
	slices.Sort(vs[lo:hi])
	return vs[k]
}
