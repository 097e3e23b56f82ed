// Package memory answers widgets from call logs in memory, a slice or a
// sequence, in one pass over the records for every widget at once.
package memory

import (
	"context"
	"iter"

	"github.com/calldash/calldash"
	"github.com/calldash/calldash/filter"
	"github.com/calldash/calldash/widget/internal/plan"
	"github.com/calldash/calldash/widget/internal/result"
	"github.com/calldash/calldash/widget/internal/workers"
)

// A Source is call logs in memory: a slice, or a sequence read once.
type Source struct {
	Slice   []calldash.Call
	Seq     iter.Seq[calldash.Call]
	MinPart int // the fewest records a worker reads (see Answer); 0: DefaultMinPart
}

// checkEvery is how many records are read between looks at ctx.
const checkEvery = 4096

// DefaultMinPart is the fewest records of a slice that a worker of its own
// reads: about 5 ms of work for a filtered bar chart, so that a part is worth its
// goroutine and its merge.
const DefaultMinPart = 1 << 15

// A memRun is one widget of a pass over the records.
type memRun struct {
	match *filter.Matcher
	r     *result.Run
	slot  int
}

// Answer answers several widgets in one pass over the records. A
// slice is cut into up to workers consecutive parts (of at least MinPart
// records), read at the same time, each for every widget; the runs of the
// later parts are then merged, in order, into those of the first. Unlike
// giving each worker a group of widgets (measured as fast on the 8-widget
// dashboard with 2 workers), the work is even whatever the widgets cost,
// and every worker has some even for a single widget. A stream is read
// once.
func (m Source) Answer(ctx context.Context, qs []*plan.Query, nworkers int) ([]*result.Answer, []error) {
	resps, errs := make([]*result.Answer, len(qs)), make([]error, len(qs))
	minPart := m.MinPart
	if minPart <= 0 {
		minPart = DefaultMinPart
	}
	parts := 1
	if m.Seq == nil {
		parts = max(1, min(nworkers, len(m.Slice)/minPart))
	}
	// runs[p] are the widgets' runs over part p.
	runs := make([][]memRun, parts)
	for i, q := range qs {
		match, err := filter.Compile(q.Filter, q.Env)
		if err != nil {
			errs[i] = err
			continue
		}
		for p := range runs {
			runs[p] = append(runs[p], memRun{match, result.New(q), i})
		}
	}
	workers.ForEach(parts, parts, func(p int) {
		part := m
		if m.Seq == nil {
			part.Slice = m.Slice[p*len(m.Slice)/parts : (p+1)*len(m.Slice)/parts]
		}
		part.pass(ctx, runs[p])
	})
	for k, mr := range runs[0] {
		if err := ctx.Err(); err != nil {
			errs[mr.slot] = err
			continue
		}
		for _, later := range runs[1:] {
			mr.r.Merge(later[k].r)
		}
		resps[mr.slot], errs[mr.slot] = mr.r.Finish()
	}
	return resps, errs
}

// pass reads the records once, adding each to the widgets it matches.
func (m Source) pass(ctx context.Context, runs []memRun) {
	n := 0
	visit := func(c *calldash.Call) bool {
		if n++; n%checkEvery == 0 && ctx.Err() != nil {
			return false
		}
		for k := range runs {
			mr := &runs[k]
			if mr.r.LearnsMetric() {
				mr.r.Learn(c)
			}
			if mr.match.Match(c) {
				mr.r.Add(c)
			}
		}
		return true
	}
	if m.Seq != nil {
		// One variable for every record: the address of the loop
		// variable would move each record to the heap (an allocation and
		// a copy of a wide struct per record).
		var cur calldash.Call
		for c := range m.Seq {
			cur = c
			if !visit(&cur) {
				break
			}
		}
		return
	}
	for i := range m.Slice {
		if !visit(&m.Slice[i]) {
			break
		}
	}
}
