package widget

import (
	"context"
	"iter"
	"slices"
	"time"

	"github.com/calldash/calldash"
	"github.com/calldash/calldash/chart"
	"github.com/calldash/calldash/filter"
)

// memory answers widgets from call logs in memory, in one pass.
type memory struct {
	slice   []calldash.Call
	seq     iter.Seq[calldash.Call]
	minPart int // the fewest records a worker reads (see previewMany); 0: defaultMinPart
}

// checkEvery is how many records are read between looks at ctx.
const checkEvery = 4096

// defaultMinPart is the fewest records of a slice that a worker of its own
// reads: about 5 ms of work for W1, so that a part is worth its
// goroutine and its merge.
const defaultMinPart = 1 << 15

func (m memory) preview(ctx context.Context, q *query) (*Response, error) {
	resps, errs := m.previewMany(ctx, []*query{q}, q.cfg.workers())
	return resps[0], errs[0]
}

// A memRun is one widget of a pass over the records.
type memRun struct {
	match *filter.Matcher
	r     *run
	slot  int
}

// previewMany answers several widgets in one pass over the records. A
// slice is cut into up to workers consecutive parts (of at least minPart
// records), read at the same time, each for every widget; the runs of the
// later parts are then merged, in order, into those of the first. Unlike
// giving each worker a group of widgets (measured as fast on the 8-widget
// dashboard with 2 workers), the work is even whatever the widgets cost,
// and every worker has some even for a single widget. A stream is read
// once.
func (m memory) previewMany(ctx context.Context, qs []*query, workers int) ([]*Response, []error) {
	resps, errs := make([]*Response, len(qs)), make([]error, len(qs))
	minPart := m.minPart
	if minPart <= 0 {
		minPart = defaultMinPart
	}
	parts := 1
	if m.seq == nil {
		parts = max(1, min(workers, len(m.slice)/minPart))
	}
	// runs[p] are the widgets' runs over part p.
	runs := make([][]memRun, parts)
	for i, q := range qs {
		match, err := filter.Compile(q.filter, q.env)
		if err != nil {
			errs[i] = err
			continue
		}
		for p := range runs {
			runs[p] = append(runs[p], memRun{match, newRun(q), i})
		}
	}
	forEach(parts, parts, func(p int) {
		part := m
		if m.seq == nil {
			part.slice = m.slice[p*len(m.slice)/parts : (p+1)*len(m.slice)/parts]
		}
		part.pass(ctx, runs[p])
	})
	for k, mr := range runs[0] {
		if err := ctx.Err(); err != nil {
			errs[mr.slot] = err
			continue
		}
		for _, later := range runs[1:] {
			mr.r.merge(later[k].r)
		}
		resps[mr.slot], errs[mr.slot] = mr.r.finish()
	}
	return resps, errs
}

// pass reads the records once, adding each to the widgets it matches.
func (m memory) pass(ctx context.Context, runs []memRun) {
	n := 0
	visit := func(c *calldash.Call) bool {
		if n++; n%checkEvery == 0 && ctx.Err() != nil {
			return false
		}
		for k := range runs {
			mr := &runs[k]
			if mr.r.learnMetric {
				mr.r.learn(c)
			}
			if mr.match.Match(c) {
				mr.r.add(c)
			}
		}
		return true
	}
	if m.seq != nil {
		// One variable for every record: the address of the loop
		// variable would move each record to the heap (an allocation and
		// a copy of a wide struct per record).
		var cur calldash.Call
		for c := range m.seq {
			cur = c
			if !visit(&cur) {
				break
			}
		}
		return
	}
	for i := range m.slice {
		if !visit(&m.slice[i]) {
			break
		}
	}
}

// A run accumulates the rows of one widget.
type run struct {
	q           *query
	p           *plan
	learnMetric bool // the metric's name and eval type are still unknown
	metric      Metric
	metricSeen  bool

	// readers
	value func(c *calldash.Call) calldash.Value
	at    func(c *calldash.Call) time.Time // datetime fields
	group func(c *calldash.Call) calldash.Value

	line []linePoint
	bar  barState
	pie  map[chart.Label]int64 // see flushPie
	stat statState

	// Pie rows are counted by label number, and added to pie by flushPie.
	pieLabels labelIndex
	pieCounts []int64
}

type linePoint struct {
	id, evalID int64
	at         time.Time
	value      calldash.Value
	time       time.Time // datetime values
}

func newRun(q *query) *run {
	p := q.plan
	r := &run{q: q, p: p}
	if p.metric {
		if m, ok := q.cfg.metrics[p.metricID]; ok {
			r.metric, r.metricSeen = m, true
		} else {
			r.learnMetric = true
		}
	}
	if f := p.field; f != nil && !p.metric {
		switch {
		case f.Time != nil:
			r.at = f.Time
		case f.Key != nil:
			key := p.key
			get := f.Key
			r.value = func(c *calldash.Call) calldash.Value { return get(c, key) }
		default:
			r.value = f.Call
		}
	}
	if f := p.groupField; f != nil {
		if f.Key != nil {
			key, get := p.groupKey, f.Key
			r.group = func(c *calldash.Call) calldash.Value { return get(c, key) }
		} else {
			r.group = f.Call
		}
	}
	switch p.chart {
	case Bar:
		r.bar = newBarState(q)
	case Pie:
		r.pie = map[chart.Label]int64{}
	case Stat:
		r.stat = newStatState(q.cfg)
	}
	return r
}

// learn looks for the widget's metric among the evaluations of any record,
// matched or not, so that its name and eval type are known.
func (r *run) learn(c *calldash.Call) {
	for i := range c.MetricEvaluations {
		e := &c.MetricEvaluations[i]
		if e.MetricID == r.p.metricID {
			r.metric = Metric{ID: e.MetricID, Name: e.MetricName.Str, EvalType: e.EvalType}
			r.metricSeen, r.learnMetric = true, false
			return
		}
	}
}

// merge adds to r the rows of o, a run of the same widget over records
// that come after r's: the answer is the one a single run over both would
// give (the first record holding the metric still names it; values keep
// their order).
func (r *run) merge(o *run) {
	if !r.metricSeen && o.metricSeen {
		r.metric, r.metricSeen, r.learnMetric = o.metric, true, false
	}
	r.line = append(r.line, o.line...)
	o.flushPie()
	for label, n := range o.pie {
		r.pie[label] += n
	}
	switch r.p.chart {
	case Bar:
		r.bar.merge(&o.bar)
	case Stat:
		r.stat.merge(&o.stat)
	}
}

// add adds the rows of a matched call.
func (r *run) add(c *calldash.Call) {
	if r.p.chart == Stat {
		r.stat.add(c)
		return
	}
	if r.p.metric {
		for i := range c.MetricEvaluations {
			if e := &c.MetricEvaluations[i]; e.MetricID == r.p.metricID {
				r.addRow(c, e.ID, e.Value, time.Time{})
			}
		}
		return
	}
	if r.at != nil {
		r.addRow(c, 0, calldash.Null, r.at(c))
		return
	}
	r.addRow(c, 0, r.value(c), time.Time{})
}

// addRow adds one row: a value, or for datetime fields an instant (zero
// for null).
func (r *run) addRow(c *calldash.Call, evalID int64, v calldash.Value, t time.Time) {
	switch r.p.chart {
	case Line:
		if v.IsNull() && t.IsZero() {
			return
		}
		r.line = append(r.line, linePoint{id: c.ID, evalID: evalID, at: c.Timestamp, value: v, time: t})
	case Bar:
		var g calldash.Value
		if r.group != nil {
			g = r.group(c)
		}
		r.bar.add(c.Timestamp, g, r.group != nil, v, t)
	case Pie:
		id := r.pieLabels.of(v)
		if id < 0 {
			r.pie[chart.LabelOf(v)]++
			return
		}
		if int(id) >= len(r.pieCounts) {
			r.pieCounts = append(r.pieCounts, make([]int64, int(id)+1-len(r.pieCounts))...)
		}
		r.pieCounts[id]++
	}
}

// flushPie adds the rows counted by label number to pie.
func (r *run) flushPie() {
	for id, n := range r.pieCounts {
		if n > 0 {
			r.pie[r.pieLabels.label(int32(id))] += n
		}
	}
	r.pieCounts = r.pieCounts[:0]
}

func (r *run) finish() (*Response, error) {
	p := r.p
	if p.metric {
		if !r.metricSeen {
			return nil, calldash.ErrorList{calldash.Errorf("$.metric", calldash.ErrMetric, "metric %d does not exist", p.metricID)}
		}
		if err := p.resolveMetric(r.metric); err != nil {
			return nil, err
		}
	}
	resp := newResponse(p)
	switch p.chart {
	case Line:
		r.finishLine(resp)
	case Bar:
		data, err := r.bar.finish(r.q)
		if err != nil {
			return nil, err
		}
		resp.Data = data
	case Pie:
		r.flushPie()
		resp.Data = Slices(chart.Pie(r.pie))
	case Stat:
		resp.Data = r.stat.finish()
	}
	return resp, nil
}

func (r *run) finishLine(resp *Response) {
	slices.SortFunc(r.line, func(a, b linePoint) int {
		if c := a.at.Compare(b.at); c != 0 {
			return c
		}
		if a.id != b.id {
			return cmpInt(a.id, b.id)
		}
		return cmpInt(a.evalID, b.evalID)
	})
	if max := r.q.cfg.maxPoints; max > 0 && len(r.line) > max {
		r.line = r.line[:max]
		resp.Truncated = true
	}
	resp.Data = lineData(r.line, r.q.cfg.loc)
}

func cmpInt(a, b int64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}
