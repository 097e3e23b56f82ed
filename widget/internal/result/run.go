// Package result builds the data of one widget from its rows: line
// points, bar cells per bucket and group (gap filling, top-N folding),
// pie slices with their percentages, and stat tiles. The memory engines
// add call logs; the Table and SQL engines add the aggregates they
// computed. Every engine ends in the same Finish, so the same rows give
// the same bytes.
package result

import (
	"cmp"
	"slices"
	"time"

	"github.com/calldash/calldash"
	"github.com/calldash/calldash/aggregate"
	"github.com/calldash/calldash/chart"
	"github.com/calldash/calldash/widget/internal/plan"
)

// An Answer is a widget's data.
type Answer struct {
	Data      chart.Data
	Truncated bool // a line chart's points were cut by the cap on points
}

// A Run accumulates the rows of one widget: the memory engines add call
// logs to it, the Table and SQL engines the aggregates they computed.
type Run struct {
	q           *plan.Query
	p           *plan.Plan
	learnMetric bool // the metric's name and eval type are still unknown
	metric      calldash.Metric
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

	// tooManyCells: a line or pie answer would have more cells than
	// maxCells (q.Config.MaxCells; bars keep their own count).
	maxCells, maxPoints int
	tooManyCells        bool
}

type linePoint struct {
	id, evalID int64
	at         time.Time
	value      calldash.Value
	time       time.Time // datetime values
}

func New(q *plan.Query) *Run {
	p := q.Plan
	r := &Run{q: q, p: p, maxCells: q.Config.MaxCells, maxPoints: q.Config.MaxPoints}
	if p.Metric {
		if m, ok := q.Config.Metrics[p.MetricID]; ok {
			r.metric, r.metricSeen = m, true
		} else {
			r.learnMetric = true
		}
	}
	if f := p.Field; f != nil && !p.Metric {
		switch {
		case f.Time != nil:
			r.at = f.Time
		case f.Key != nil:
			key := p.Key
			get := f.Key
			r.value = func(c *calldash.Call) calldash.Value { return get(c, key) }
		default:
			r.value = f.Call
		}
	}
	if f := p.GroupField; f != nil {
		if f.Key != nil {
			key, get := p.GroupKey, f.Key
			r.group = func(c *calldash.Call) calldash.Value { return get(c, key) }
		} else {
			r.group = f.Call
		}
	}
	switch p.Chart() {
	case chart.BarChart:
		r.bar = newBarState(q)
	case chart.PieChart:
		r.pie = map[chart.Label]int64{}
	case chart.StatChart:
		r.stat = newStatState(q.Config)
	}
	return r
}

// learn looks for the widget's metric among the evaluations of any record,
// matched or not, so that its name and eval type are known.
func (r *Run) learn(c *calldash.Call) {
	for i := range c.MetricEvaluations {
		e := &c.MetricEvaluations[i]
		if e.MetricID == r.p.MetricID {
			r.metric = calldash.Metric{ID: e.MetricID, Name: e.MetricName.Str, EvalType: e.EvalType}
			r.metricSeen, r.learnMetric = true, false
			return
		}
	}
}

// merge adds to r the rows of o, a run of the same widget over records
// that come after r's: the answer is the one a single run over both would
// give (the first record holding the metric still names it; values keep
// their order).
func (r *Run) merge(o *Run) {
	if !r.metricSeen && o.metricSeen {
		r.metric, r.metricSeen, r.learnMetric = o.metric, true, false
	}
	r.line = append(r.line, o.line...)
	r.tooManyCells = r.tooManyCells || o.tooManyCells
	if max := r.maxCells; max > 0 && len(r.line) > max && (r.maxPoints <= 0 || r.maxPoints > max) {
		r.tooManyCells = true
	}
	o.flushPie()
	for label, n := range o.pie {
		r.pie[label] += n
	}
	switch r.p.Chart() {
	case chart.BarChart:
		r.bar.merge(&o.bar)
	case chart.StatChart:
		r.stat.merge(&o.stat)
	}
}

// add adds the rows of a matched call.
func (r *Run) add(c *calldash.Call) {
	if r.p.Chart() == chart.StatChart {
		r.stat.add(c)
		return
	}
	if r.p.Metric {
		for i := range c.MetricEvaluations {
			if e := &c.MetricEvaluations[i]; e.MetricID == r.p.MetricID {
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
func (r *Run) addRow(c *calldash.Call, evalID int64, v calldash.Value, t time.Time) {
	switch r.p.Chart() {
	case chart.LineChart:
		if v.IsNull() && t.IsZero() {
			return
		}
		if r.linePointsFull() {
			return
		}
		r.line = append(r.line, linePoint{id: c.ID, evalID: evalID, at: c.Timestamp, value: v, time: t})
	case chart.BarChart:
		var g calldash.Value
		if r.group != nil {
			g = r.group(c)
		}
		r.bar.add(c.Timestamp, g, r.group != nil, v, t)
	case chart.PieChart:
		id := r.pieLabels.of(v)
		if id < 0 {
			r.pie[chart.LabelOf(v)]++
			return
		}
		if int(id) >= len(r.pieCounts) {
			if max := r.maxCells; max > 0 && int(id) > max { // id non-null labels
				r.tooManyCells = true
				return
			}
			r.pieCounts = append(r.pieCounts, make([]int64, int(id)+1-len(r.pieCounts))...)
		}
		r.pieCounts[id]++
	}
}

// linePointsFull reports whether a line answer already holds as many
// points as it may: with a cap on cells below the cap on points, one
// point more is an error (tooManyCells), and the rows after it are not
// kept.
func (r *Run) linePointsFull() bool {
	cells, points := r.maxCells, r.maxPoints
	if cells <= 0 || points > 0 && points <= cells || len(r.line) < cells {
		return false
	}
	r.tooManyCells = true
	return true
}

// flushPie adds the rows counted by label number to pie.
func (r *Run) flushPie() {
	for id, n := range r.pieCounts {
		if n > 0 {
			r.pie[r.pieLabels.label(int32(id))] += n
		}
	}
	r.pieCounts = r.pieCounts[:0]
}

// Finish returns the widget's data, once every row was added: a
// metric widget's metric resolved (an error when it was found nowhere or
// does not fit the widget), line points sorted and cut, bars filled and
// folded, pie percentages computed.
func (r *Run) Finish() (*Answer, error) {
	p := r.p
	if p.Metric {
		if !r.metricSeen {
			return nil, r.q.MetricError()
		}
		if err := p.ResolveMetric(r.metric); err != nil {
			return nil, err
		}
	}
	r.flushPie()
	if max := r.maxCells; r.tooManyCells || max > 0 && len(r.pie) > max {
		return nil, plan.CellError(max)
	}
	resp := &Answer{}
	switch p.Chart() {
	case chart.LineChart:
		r.finishLine(resp)
	case chart.BarChart:
		data, err := r.bar.finish(r.q)
		if err != nil {
			return nil, err
		}
		resp.Data = data
	case chart.PieChart:
		resp.Data = chart.Slices(chart.Pie(r.pie))
	case chart.StatChart:
		resp.Data = r.stat.finish()
	}
	return resp, nil
}

func (r *Run) finishLine(resp *Answer) {
	slices.SortFunc(r.line, func(a, b linePoint) int {
		if c := a.at.Compare(b.at); c != 0 {
			return c
		}
		if c := cmp.Compare(a.id, b.id); c != 0 {
			return c
		}
		return cmp.Compare(a.evalID, b.evalID)
	})
	if max := r.q.Config.MaxPoints; max > 0 && len(r.line) > max {
		r.line = r.line[:max]
		resp.Truncated = true
	}
	resp.Data = lineData(r.line, r.q.Config.Location)
}

// LearnsMetric reports whether the run still looks for its metric's name
// and eval type among the evaluations of the records ([Run.Learn]).
func (r *Run) LearnsMetric() bool { return r.learnMetric }

// Learn looks for the widget's metric among the evaluations of c, which
// may or may not pass the filter.
func (r *Run) Learn(c *calldash.Call) { r.learn(c) }

// Add adds the rows of a call that passes the filter.
func (r *Run) Add(c *calldash.Call) { r.add(c) }

// Merge adds to r the rows of o, a run of the same widget over records
// that come after r's.
func (r *Run) Merge(o *Run) { r.merge(o) }

// Metric returns the widget's metric, when known.
func (r *Run) Metric() (calldash.Metric, bool) { return r.metric, r.metricSeen }

// SetMetric gives the run its metric, known elsewhere (a database), or
// tells it that there is none (ok false); it stops looking in the records.
func (r *Run) SetMetric(m calldash.Metric, ok bool) {
	r.metric, r.metricSeen, r.learnMetric = m, ok, false
}

// A LinePoint is one row of a line chart computed elsewhere: the call,
// the evaluation (0 for call rows), the call's instant, and the value or,
// for datetime fields, the instant.
type LinePoint struct {
	ID, EvalID int64
	At         time.Time
	Value      calldash.Value
	Time       time.Time
}

// AddLine adds a line point.
func (r *Run) AddLine(p LinePoint) {
	if r.linePointsFull() {
		return
	}
	r.line = append(r.line, linePoint{id: p.ID, evalID: p.EvalID, at: p.At, value: p.Value, time: p.Time})
}

// AddBar adds the aggregate of one bucket (starting at start) and group,
// computed elsewhere; a cell of the same bucket and group absorbs it.
func (r *Run) AddBar(start time.Time, group chart.Label, acc aggregate.Accumulator) {
	r.bar.addCell(start, group, acc)
}

// AddFoldedBar is AddBar for a database that already folded the top-N
// groups into "Other".
func (r *Run) AddFoldedBar(start time.Time, group chart.Label, acc aggregate.Accumulator) {
	r.bar.addPartial(start, group, acc)
}

// AddPie adds n rows to the pie slice of label.
func (r *Run) AddPie(label chart.Label, n int64) {
	if _, ok := r.pie[label]; !ok && r.maxCells > 0 && len(r.pie) >= r.maxCells {
		r.tooManyCells = true
		return
	}
	r.pie[label] += n
}

// Stat is a stat widget computed elsewhere: the calls, those with a known
// outcome, the successful ones, the durations (an avg) and the latency
// values (a p95).
type Stat struct {
	Total, Known, Succeeded int64
	Duration, Latency       aggregate.Accumulator
}

// SetStat sets a stat widget's numbers.
func (r *Run) SetStat(s Stat) {
	r.stat.total, r.stat.known, r.stat.succeeded = s.Total, s.Known, s.Succeeded
	r.stat.duration, r.stat.p95 = s.Duration, s.Latency
}

// Func returns the aggregation of a bar chart.
func (r *Run) Func() aggregate.Func { return r.bar.fn }
