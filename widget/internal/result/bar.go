package result

import (
	"cmp"
	"slices"
	"time"

	"github.com/calldash/calldash"
	"github.com/calldash/calldash/aggregate"
	"github.com/calldash/calldash/widget/internal/plan"

	"github.com/calldash/calldash/chart"
)

// barState accumulates a bar chart: one accumulator per bucket and group.
type barState struct {
	fn         aggregate.Func
	places     int32
	maxBuckets int
	locate     *aggregate.Locator
	loc        *time.Location
	cells      map[cell]*aggregate.Accumulator
	starts     map[int64]time.Time // bucket start (Unix µs) → start
	tooMany    bool
	folded     bool // the groups came folded from a database

	// The cap on cells (0: none), checked as cells are made: gapLen is
	// the number of buckets gap filling gives every group (0 without),
	// topN the groups kept (0: all), seen the groups that have a cell.
	maxCells     int
	gapLen       int
	topN         int
	seen         map[chart.Label]struct{}
	tooManyCells bool

	// Rows find their cell without a map lookup keyed by the group's
	// text: groups are numbered as they arrive, and the cells of a bucket
	// are a slice by group number. Rows of one bucket come in a run when
	// records are in time order, and then cost no lookup at all.
	groups   labelIndex
	byBucket map[int64][]*aggregate.Accumulator // bucket start (Unix µs) → cells by group
	bucket   int64                              // of the last row
	row      []*aggregate.Accumulator           // byBucket[bucket]; nil: look it up
}

type cell struct {
	bucket int64 // bucket start, Unix microseconds (exact: starts are whole milliseconds, in any year)
	group  chart.Label
}

func newBarState(q *plan.Query) barState {
	return barState{
		fn:         q.Plan.Func,
		places:     q.Config.AvgPlaces,
		maxBuckets: q.Config.MaxBuckets,
		locate:     aggregate.NewLocator(q.Buckets),
		loc:        q.Config.Location,
		cells:      map[cell]*aggregate.Accumulator{},
		starts:     map[int64]time.Time{},
		maxCells:   q.Config.MaxCells,
		gapLen:     gapLen(q),
		topN:       q.Config.TopGroups,
		seen:       map[chart.Label]struct{}{},
	}
}

// gapLen is the number of buckets that gap filling gives each group of
// q's answer, 0 without gap filling.
func gapLen(q *plan.Query) int {
	if q.Gap == nil {
		return 0
	}
	return q.Gap.Len()
}

// cellsFor returns the cells of an answer with the cells and groups
// (after top-N folding) made so far.
func (b *barState) cellsFor(groups int) int {
	if b.gapLen > 0 {
		return max(b.gapLen, len(b.starts)) * max(groups, 1)
	}
	return len(b.cells)
}

// newCell records the group of a cell about to be made; false (and
// tooManyCells) when the answer would then have too many cells. With
// top-N groups still to fold and no gap filling, the cells left after
// folding are unknown until finish, which checks them.
func (b *barState) newCell(group chart.Label) bool {
	if b.maxCells <= 0 {
		return true
	}
	b.seen[group] = struct{}{}
	groups := len(b.seen)
	if b.topN > 0 && !b.folded && groups > b.topN {
		if b.gapLen == 0 {
			return true
		}
		groups = b.topN + 1 // the groups kept and "Other"
	}
	n := len(b.cells) + 1
	if b.gapLen > 0 {
		n = b.cellsFor(groups)
	}
	if n > b.maxCells {
		b.tooManyCells = true
		return false
	}
	return true
}

// add adds one row at instant at: value v, or for datetime fields the
// instant t (zero for null).
func (b *barState) add(at time.Time, group calldash.Value, grouped bool, v calldash.Value, t time.Time) {
	start := b.locate.Start(at)
	us := start.UnixMicro()
	if b.row == nil || us != b.bucket {
		b.bucket, b.row = us, b.byBucket[us]
	}
	var g int32
	if grouped {
		g = b.groups.of(group)
	}
	var acc *aggregate.Accumulator
	if g >= 0 && int(g) < len(b.row) {
		acc = b.row[g]
	}
	if acc == nil {
		if acc = b.findCell(start, g, group); acc == nil {
			return
		}
	}
	switch {
	case !t.IsZero():
		acc.AddTime(t)
	default:
		acc.Add(v)
	}
}

// newBucket records a bucket start; false (and tooMany) when it would be
// one bucket too many.
func (b *barState) newBucket(ns int64, start time.Time) bool {
	if _, seen := b.starts[ns]; seen {
		return true
	}
	if len(b.starts) >= b.maxBuckets && b.maxBuckets > 0 {
		b.tooMany = true
		return false
	}
	b.starts[ns] = start
	return true
}

// maxRowGroups bounds the groups found through a bucket's row: a row is
// as long as the highest group number in it, for every bucket. Rows of
// other groups find their cell in the map.
const maxRowGroups = 256

// findCell returns the cell of the last row's bucket for group number g (-1:
// none; then of the group's value), made if new; nil (and tooMany) when
// its bucket would be one too many.
func (b *barState) findCell(start time.Time, g int32, group calldash.Value) *aggregate.Accumulator {
	key := cell{bucket: b.bucket}
	switch {
	case g >= 0:
		key.group = b.groups.label(g)
	default:
		key.group = chart.LabelOf(group)
	}
	acc := b.cells[key]
	if acc == nil {
		if !b.newBucket(key.bucket, start) || !b.newCell(key.group) {
			return nil
		}
		a := aggregate.New(b.fn, b.places)
		acc = &a
		b.cells[key] = acc
	}
	if g < 0 || g >= maxRowGroups {
		return acc
	}
	if int(g) >= len(b.row) {
		b.row = append(b.row, make([]*aggregate.Accumulator, int(g)+1-len(b.row))...)
	}
	b.row[g] = acc
	if b.byBucket == nil {
		b.byBucket = map[int64][]*aggregate.Accumulator{}
	}
	b.byBucket[b.bucket] = b.row
	return acc
}

// addPartial adds the aggregate of one bucket and group that a database
// computed (the SQL source). The database already folded top-N groups.
func (b *barState) addPartial(start time.Time, group chart.Label, acc aggregate.Accumulator) {
	b.folded = true
	b.addCell(start, group, acc)
}

// addCell adds the aggregate of one bucket and group computed elsewhere
// (a database, or the columns of a Table); an existing cell of the same
// bucket and group absorbs it.
func (b *barState) addCell(start time.Time, group chart.Label, acc aggregate.Accumulator) {
	key := cell{bucket: start.UnixMicro(), group: group}
	if !b.newBucket(key.bucket, start) {
		return
	}
	if into := b.cells[key]; into != nil {
		// Two keys of one bucket (cannot happen for percentiles, whose
		// partition is the bucket key itself).
		into.Merge(&acc)
	} else if b.newCell(group) {
		b.cells[key] = &acc
	}
}

// merge adds the cells of o, over records that come after b's.
func (b *barState) merge(o *barState) {
	b.tooMany = b.tooMany || o.tooMany
	b.tooManyCells = b.tooManyCells || o.tooManyCells
	for key, acc := range o.cells {
		b.addCell(o.starts[key.bucket], key.group, *acc)
	}
}

// finish returns the bar items: ordered by time, then group label (null
// last); with gap filling, every bucket of the range for every group that
// has a row.
func (b *barState) finish(q *plan.Query) (chart.Bars, error) {
	if b.tooMany {
		return nil, plan.BucketError(calldash.ErrTooManyBuckets, b.maxBuckets)
	}
	grouped := q.Plan.GroupField != nil
	if grouped && q.Config.TopGroups > 0 && !b.folded {
		b.foldGroups(q.Config.TopGroups)
	}
	if b.maxCells > 0 && !b.tooManyCells {
		groups := map[chart.Label]struct{}{}
		for key := range b.cells {
			groups[key.group] = struct{}{}
		}
		b.tooManyCells = b.cellsFor(len(groups)) > b.maxCells
	}
	if b.tooManyCells {
		return nil, plan.CellError(b.maxCells)
	}
	bars := make(chart.Bars, 0, len(b.cells))
	for key, acc := range b.cells {
		bars = append(bars, chart.Bar{
			TimeInterval: b.starts[key.bucket].In(b.loc),
			Value:        resultValue(acc.Result(), b.loc),
			SampleCount:  acc.Rows(),
			Grouped:      grouped,
			Group:        key.group,
		})
	}
	if q.Gap == nil {
		chart.SortBars(bars)
		return bars, nil
	}
	starts := make([]time.Time, q.Gap.Len())
	for i, s := range q.Gap.Starts() {
		starts[i] = s.In(b.loc)
	}
	empty := calldash.Null
	if b.fn == aggregate.Count {
		empty = calldash.Int(0)
	}
	return chart.Fill(bars, starts, grouped, empty), nil
}

// foldGroups keeps the n groups with the most rows (see chart.TopGroups)
// and merges every other group, in every bucket, into chart.Other.
func (b *barState) foldGroups(n int) {
	groups := map[chart.Label]int64{}
	for key, acc := range b.cells {
		groups[key.group] += acc.Rows()
	}
	keep := chart.TopGroups(groups, n)
	if len(keep) == len(groups) {
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
func resultValue(r aggregate.Result, loc *time.Location) calldash.Value {
	switch r.Kind {
	case aggregate.NumberResult:
		return calldash.Number(r.Num)
	case aggregate.TimeResult:
		return calldash.Time(r.Time.In(loc))
	}
	return calldash.Null
}
