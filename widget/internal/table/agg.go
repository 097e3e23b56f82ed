package table

import (
	"cmp"
	"math"
	"slices"
	"time"

	"github.com/shopspring/decimal"

	"github.com/calldash/calldash"
	"github.com/calldash/calldash/aggregate"
	"github.com/calldash/calldash/chart"
	"github.com/calldash/calldash/widget/internal/plan"
	"github.com/calldash/calldash/widget/internal/result"
)

// tableMaxBuckets bounds the buckets a Table precomputes over its time
// span; a wider span is aggregated record by record.
const tableMaxBuckets = 1 << 16

// maxCells bounds the cells (buckets × groups) a bar aggregates in
// columns: 4M cells of three int64 counters are 96 MB; a wider bar is
// answered from the records.
const maxCells = 1 << 22

// newAgg returns the column aggregation of a widget, or nil when the
// records must be read as the memory source does.
func (t *Table) newAgg(q *plan.Query, r *result.Run) tableAgg {
	p := q.Plan
	if p.Chart() == chart.StatChart {
		return t.newStatAgg(q)
	}
	if p.Metric || p.Field == nil || p.Field.Call == nil || p.Field.Prefix {
		return nil
	}
	col := t.cols[p.Field.Name]
	if col == nil {
		return nil
	}
	switch p.Chart() {
	case chart.PieChart:
		var blocks []int64
		if t.summaries {
			blocks = col.blockCodes()
		}
		switch v := &col.codes; {
		case v.w8 != nil:
			return newPieAgg(col, v.w8, blocks)
		case v.w16 != nil:
			return newPieAgg(col, v.w16, blocks)
		case v.w32 != nil:
			return newPieAgg(col, v.w32, blocks)
		}
	case chart.BarChart:
		return t.newBarAgg(q, r, col)
	}
	return nil
}

// pieAgg counts the rows of each dictionary code.
type pieAgg[C code] struct {
	col    *column
	codes  []C // col's
	counts []int64
	blocks []int64 // the column's blockCodes, or nil
}

func newPieAgg[C code](col *column, codes []C, blocks []int64) *pieAgg[C] {
	return &pieAgg[C]{col: col, codes: codes, counts: make([]int64, len(col.dict)), blocks: blocks}
}

func (a *pieAgg[C]) add(sel []int32) { countCodes(a.counts, a.codes, sel) }

func (a *pieAgg[C]) addAll(lo, hi int, _ []int32) {
	if a.blocks == nil {
		countAll(a.counts, a.codes[lo:hi])
		return
	}
	addBlock(a.counts, a.blocks, lo)
}

// addBlock adds to counts the code counts of the block that starts at
// row lo, from a column's blockCodes.
func addBlock(counts, blocks []int64, lo int) {
	nd := len(counts)
	b := lo / blockSize
	for c, n := range blocks[b*nd : (b+1)*nd] {
		counts[c] += n
	}
}

func (a *pieAgg[C]) finish(r *result.Run) error {
	for code, n := range a.counts {
		if n > 0 {
			r.AddPie(a.col.labels[code], n)
		}
	}
	return nil
}

// statAgg computes a stat widget from the success and duration columns:
// rows per success code, and the sum and count of the durations.
type statAgg[C code] struct {
	success []C // codes
	dict    []calldash.Value
	perCode []int64      // rows per success code
	dur     []int64      // the durations; nil when durVals gives them
	durVals *blockValues // of a duration column with a dictionary
	scale   int32
	sum, n  int64
	// Summaries of whole blocks: blockCodes of success (nil when not
	// kept) and blockSums of duration.
	successBlocks []int64
	durBlocks     []blockSum
	places        int32 // of avg
}

func (t *Table) newStatAgg(q *plan.Query) tableAgg {
	succ, dur := t.cols["success"], t.cols["duration"]
	if q.Config.LatencyMetric != 0 || succ == nil || !succ.codes.ok() || dur == nil || !dur.allNum {
		return nil
	}
	switch v := &succ.codes; {
	case v.w8 != nil:
		return newStatAggOf(t, q, succ, v.w8, dur)
	case v.w16 != nil:
		return newStatAggOf(t, q, succ, v.w16, dur)
	}
	return newStatAggOf(t, q, succ, succ.codes.w32, dur)
}

// newStatAggOf is newStatAgg for success codes of type C.
func newStatAggOf[C code](t *Table, q *plan.Query, succ *column, codes []C, dur *column) tableAgg {
	vals, per, maxAbs, scale, numeric := dur.values()
	if vals == nil && per == nil || !numeric || maxAbs > 0 && int64(t.n) > math.MaxInt64/maxAbs {
		return nil
	}
	a := &statAgg[C]{success: codes, dict: succ.dict, perCode: make([]int64, len(succ.dict)), dur: vals, scale: scale,
		places: q.Config.AvgPlaces}
	if per != nil {
		a.durVals = newBlockValues(per, dur.codes, false)
	}
	if t.summaries {
		a.successBlocks, a.durBlocks = succ.blockCodes(), dur.blockSums()
	}
	return a
}

func (a *statAgg[C]) add(sel []int32) {
	if len(sel) == 0 {
		return
	}
	perCode, dur := a.perCode, a.dur
	lo := int32(0) // the row of dur[0]
	if a.durVals != nil {
		lo = sel[0] &^ (blockSize - 1)
		dur = a.durVals.load(int(lo), min(int(lo)+blockSize, len(a.success)))
	}
	var sum, n int64
	for _, i := range sel {
		perCode[a.success[i]]++
		if v := dur[i-lo]; v != nullNum {
			sum += v
			n++
		}
	}
	a.sum += sum
	a.n += n
}

func (a *statAgg[C]) addAll(lo, hi int, scratch []int32) {
	if a.successBlocks == nil {
		sel := scratch[:hi-lo]
		rowNumbers(sel, int32(lo))
		a.add(sel)
		return
	}
	addBlock(a.perCode, a.successBlocks, lo)
	s := a.durBlocks[lo/blockSize]
	a.sum += s.sum
	a.n += int64(hi-lo) - s.nulls
}

func (a *statAgg[C]) finish(r *result.Run) error {
	var s result.Stat
	for code, rows := range a.perCode {
		s.Total += rows
		if v := a.dict[code]; v.Kind == calldash.KindBool {
			s.Known += rows
			if v.Bool {
				s.Succeeded += rows
			}
		}
	}
	s.Duration = aggregate.FromPartial(aggregate.Avg, a.places,
		aggregate.Partial{Rows: s.Total, Count: a.n, IsNum: a.n > 0, Num: decimal.New(a.sum, -a.scale)})
	s.Latency = aggregate.New(aggregate.P95, a.places) // no latency metric (see newStatAgg)
	r.SetStat(s)
	return nil
}

// barAgg aggregates a bar chart in scaled integers: one cell per bucket
// (and group code).
type barAgg[C code] struct {
	fn     aggregate.Func
	ts     []int64
	zones  []zone // of ts
	idx    bucketIndex
	bounds *aggregate.Boundaries
	vals   []int64 // the plotted field as a scaled column
	scale  int32
	gcodes []C // group codes; nil when ungrouped
	glabel []chart.Label
	ng     int
	rows   []int64
	nulls  []int64     // null values (rarer than the others: fewer increments)
	acc    []int64     // sum; min or max, starting at a sentinel
	pvals  valueChunks // percentiles: the values and their cells
	ranks  *cellRanks  // percentiles whose rows come in cell order: instead of pvals
	sorted bool        // ts is in ascending order
	sums   []blockSum  // ungrouped counts, sums and averages: the column's blockSums
	places int32       // of avg

	// A field with a dictionary is read a block at a time (see enter):
	// its values from blockVals, and ts, zones, gcodes and sums cut to
	// the block, so that the kernels index them by row in the block.
	blockVals *blockValues
	full      struct {
		ts     []int64
		zones  []zone
		gcodes []C
		sums   []blockSum
	}
}

func (t *Table) newBarAgg(q *plan.Query, r *result.Run, col *column) tableAgg {
	if !t.tsOK || t.n == 0 {
		return nil
	}
	fn := r.Func()
	vals, per, maxAbs, _, numeric := col.values()
	if vals == nil && per == nil || fn != aggregate.Count && !numeric {
		return nil
	}
	if (fn == aggregate.Sum || fn == aggregate.Avg) && maxAbs > 0 && int64(t.n) > math.MaxInt64/maxAbs {
		return nil // a sum could overflow
	}
	g := q.Plan.GroupField
	if g == nil {
		return newBarAggOf[uint8](t, q, fn, col, nil, nil)
	}
	if g.Prefix || g.Call == nil || q.Config.TopGroups > 0 && fn.Percentile() > 0 {
		return nil
	}
	gc := t.cols[g.Name]
	if gc == nil || !gc.codes.ok() {
		return nil
	}
	switch v := &gc.codes; {
	case v.w8 != nil:
		return newBarAggOf(t, q, fn, col, gc, v.w8)
	case v.w16 != nil:
		return newBarAggOf(t, q, fn, col, gc, v.w16)
	}
	return newBarAggOf(t, q, fn, col, gc, gc.codes.w32)
}

// newBarAggOf is newBarAgg for the group column gc (nil when ungrouped),
// whose codes gcodes are of type C.
func newBarAggOf[C code](t *Table, q *plan.Query, fn aggregate.Func, col, gc *column, gcodes []C) tableAgg {
	vals, per, _, scale, _ := col.values()
	a := &barAgg[C]{fn: fn, ts: t.ts, zones: t.tsZones, vals: vals, scale: scale, ng: 1, sorted: t.tsSorted, places: q.Config.AvgPlaces}
	if per != nil {
		// (A count reads only whether a value is null: without nulls,
		// no value need be read.)
		a.blockVals = newBlockValues(per, col.codes, fn == aggregate.Count && !col.hasNulls())
	}
	if gc != nil {
		a.gcodes, a.glabel, a.ng = gcodes, gc.labels, len(gc.dict)
	}
	span := aggregate.Range{Lo: time.Unix(0, t.minTs), Hi: time.Unix(0, t.maxTs)}
	bounds, err := aggregate.Enumerate(q.Buckets, span, tableMaxBuckets)
	if err != nil || bounds.Len() == 0 || bounds.Len()*a.ng > maxCells {
		return nil
	}
	a.bounds = bounds
	a.idx = newBucketIndex(bounds)
	if t.summaries && a.gcodes == nil && (fn == aggregate.Count || fn == aggregate.Sum || fn == aggregate.Avg) {
		a.sums = col.blockSums()
	}
	if a.blockVals != nil {
		a.full.ts, a.full.zones, a.full.gcodes, a.full.sums = a.ts, a.zones, a.gcodes, a.sums
	}
	cells := bounds.Len() * a.ng
	a.rows, a.nulls = make([]int64, cells), make([]int64, cells)
	if p := fn.Percentile(); p > 0 && a.gcodes == nil && t.tsSorted {
		// The rows come in time order, so in bucket order: each
		// bucket's percentile is taken as soon as its last row is seen.
		a.ranks = &cellRanks{p: p, cell: -1, ranks: make([]int64, cells)}
	}
	if fn.Percentile() == 0 && fn != aggregate.Count {
		a.acc = make([]int64, cells)
		// Values lie in [minValid, MaxInt64]: the first one replaces these.
		switch fn {
		case aggregate.Min:
			for c := range a.acc {
				a.acc[c] = math.MaxInt64
			}
		case aggregate.Max:
			for c := range a.acc {
				a.acc[c] = math.MinInt64
			}
		}
	}
	return a
}

// enter cuts the columns of a field with a dictionary to the block that
// starts at row lo, whose values it loads.
func (a *barAgg[C]) enter(lo int) {
	hi, b := min(lo+blockSize, len(a.full.ts)), lo/blockSize
	a.ts, a.zones = a.full.ts[lo:hi], a.full.zones[b:b+1]
	if a.full.gcodes != nil {
		a.gcodes = a.full.gcodes[lo:hi]
	}
	if a.full.sums != nil {
		a.sums = a.full.sums[b : b+1]
	}
	a.vals = a.blockVals.load(lo, hi)
}

func (a *barAgg[C]) add(sel []int32) {
	if len(sel) == 0 {
		return
	}
	if a.blockVals != nil {
		lo := sel[0] &^ (blockSize - 1)
		a.enter(int(lo))
		for k := range sel {
			sel[k] -= lo
		}
	}
	// Records logged in time order put a whole block in one bucket, or
	// in a few runs of rows of one bucket each: then no row needs a
	// lookup.
	idx := &a.idx
	z := a.zones[int(sel[0])/blockSize]
	first, last := idx.of(z.min), idx.of(z.max)
	switch {
	case first == last:
		a.addRun(sel, first)
	case a.sorted:
		ts := a.ts
		for b := first; b <= last && len(sel) > 0; b++ {
			end := idx.nanos[b+1]
			k, _ := slices.BinarySearchFunc(sel, end, func(i int32, end int64) int { return cmp.Compare(ts[i], end) })
			a.addRun(sel[:k], b)
			sel = sel[k:]
		}
	default:
		a.addCells(sel, -1)
	}
}

func (a *barAgg[C]) addAll(lo, hi int, scratch []int32) {
	idx := &a.idx
	if a.blockVals != nil {
		if z := a.full.zones[lo/blockSize]; a.full.sums != nil && idx.of(z.min) == idx.of(z.max) {
			s := a.full.sums[lo/blockSize] // (the whole block in one cell: no value read)
			a.addTotals(idx.of(z.min), int64(hi-lo), s.nulls, s.sum)
			return
		}
		a.enter(lo)
		lo, hi = 0, hi-lo
	}
	z := a.zones[lo/blockSize]
	first, last := idx.of(z.min), idx.of(z.max)
	switch {
	case first == last && a.sums != nil:
		// The whole block, in one cell.
		s := a.sums[lo/blockSize]
		a.addTotals(first, int64(hi-lo), s.nulls, s.sum)
	case first == last:
		a.addSpan(lo, hi, first, scratch)
	case a.sorted:
		for b := first; b <= last && lo < hi; b++ {
			k, _ := slices.BinarySearch(a.ts[lo:hi], idx.nanos[b+1])
			a.addSpan(lo, lo+k, b, scratch)
			lo += k
		}
	default:
		sel := scratch[:hi-lo]
		rowNumbers(sel, int32(lo))
		a.addCells(sel, -1)
	}
}

// addSpan adds the rows [lo, hi), which all fall in bucket one: addRun
// without a selection.
func (a *barAgg[C]) addSpan(lo, hi, one int, scratch []int32) {
	switch {
	case lo == hi:
	case a.ranks != nil:
		a.addRanksAll(a.vals[lo:hi], one)
	case a.gcodes == nil && (a.fn == aggregate.Sum || a.fn == aggregate.Avg):
		sum, nulls := sumAll(a.vals[lo:hi])
		a.addTotals(one, int64(hi-lo), nulls, sum)
	case a.gcodes != nil && (a.fn == aggregate.Count || a.fn == aggregate.Sum || a.fn == aggregate.Avg):
		a.addGroupsAll(a.gcodes[lo:hi], a.vals[lo:hi], one)
	default:
		sel := scratch[:hi-lo]
		rowNumbers(sel, int32(lo))
		a.addCells(sel, one)
	}
}

// addRun adds rows that all fall in bucket one.
func (a *barAgg[C]) addRun(sel []int32, one int) {
	switch {
	case len(sel) == 0:
	case a.ranks != nil:
		a.addRanks(sel, one)
	case a.gcodes == nil && (a.fn == aggregate.Sum || a.fn == aggregate.Avg):
		a.addOne(sel, one)
	case a.gcodes != nil && (a.fn == aggregate.Count || a.fn == aggregate.Sum || a.fn == aggregate.Avg):
		a.addGroups(sel, one)
	default:
		a.addCells(sel, one)
	}
}

// addCells adds rows cell by cell; one is their bucket, or -1 when
// each row's must be found.
func (a *barAgg[C]) addCells(sel []int32, one int) {
	ts, vals, rows, nulls, acc := a.ts, a.vals, a.rows, a.nulls, a.acc
	idx := &a.idx
	gcodes, ng := a.gcodes, a.ng
	cell := func(i int32) int {
		c := one
		if c < 0 {
			c = idx.of(ts[i])
		}
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
			if vals[i] == nullNum {
				nulls[c]++
			}
		}
	case aggregate.Sum, aggregate.Avg:
		for _, i := range sel {
			c := cell(i)
			rows[c]++
			if v := vals[i]; v != nullNum {
				acc[c] += v
			} else {
				nulls[c]++
			}
		}
	case aggregate.Min:
		for _, i := range sel {
			c := cell(i)
			rows[c]++
			if v := vals[i]; v != nullNum {
				acc[c] = min(acc[c], v)
			} else {
				nulls[c]++
			}
		}
	case aggregate.Max:
		for _, i := range sel {
			c := cell(i)
			rows[c]++
			if v := vals[i]; v != nullNum {
				acc[c] = max(acc[c], v)
			} else {
				nulls[c]++
			}
		}
	default:
		for _, i := range sel {
			c := cell(i)
			rows[c]++
			if v := vals[i]; v != nullNum {
				a.pvals.add(v, c)
			} else {
				nulls[c]++
			}
		}
	}
}

// addOne adds rows that all fall in cell c of an ungrouped sum or
// average, in registers rather than in the cell.
func (a *barAgg[C]) addOne(sel []int32, c int) {
	sum, nulls := sumValues(a.vals, sel)
	a.addTotals(c, int64(len(sel)), nulls, sum)
}

// addTotals adds to cell c of an ungrouped count, sum or average the
// totals of some of its rows: their number, their nulls and the sum of
// their values (dropped for a count).
func (a *barAgg[C]) addTotals(c int, rows, nulls, sum int64) {
	a.rows[c] += rows
	a.nulls[c] += nulls
	if a.acc != nil {
		a.acc[c] += sum
	}
}

// addGroups adds rows that all fall in bucket one of a grouped count,
// sum or average: the cells are that bucket's row, indexed by group code.
func (a *barAgg[C]) addGroups(sel []int32, one int) {
	base := one * a.ng
	rows, nulls := a.rows[base:base+a.ng], a.nulls[base:base+a.ng]
	gcodes, vals := a.gcodes, a.vals
	if a.fn == aggregate.Count {
		for _, i := range sel {
			g := gcodes[i]
			rows[g]++
			if vals[i] == nullNum {
				nulls[g]++
			}
		}
		return
	}
	acc := a.acc[base : base+a.ng]
	for _, i := range sel {
		g := gcodes[i]
		rows[g]++
		if v := vals[i]; v != nullNum {
			acc[g] += v
		} else {
			nulls[g]++
		}
	}
}

// addGroupsAll is addGroups over the rows whose group codes and values
// are gcodes and vals.
func (a *barAgg[C]) addGroupsAll(gcodes []C, vals []int64, one int) {
	base := one * a.ng
	rows, nulls := a.rows[base:base+a.ng], a.nulls[base:base+a.ng]
	vals = vals[:len(gcodes)]
	if a.fn == aggregate.Count {
		for i, g := range gcodes {
			rows[g]++
			if vals[i] == nullNum {
				nulls[g]++
			}
		}
		return
	}
	acc := a.acc[base : base+a.ng]
	for i, g := range gcodes {
		rows[g]++
		if v := vals[i]; v != nullNum {
			acc[g] += v
		} else {
			nulls[g]++
		}
	}
}

// addRanksAll is addRanks over the rows whose values are vals.
func (a *barAgg[C]) addRanksAll(vals []int64, c int) {
	cr := a.ranks
	if c != cr.cell {
		cr.flush()
		cr.cell = c
	}
	buf := slices.Grow(cr.vals, len(vals))
	k := len(buf)
	buf = buf[:k+len(vals)]
	for _, v := range vals {
		// No branch: a value is written, and kept by moving on.
		buf[k] = v
		k += b2i(v != nullNum)
	}
	a.rows[c] += int64(len(vals))
	a.nulls[c] += int64(len(vals) - (k - len(cr.vals)))
	cr.vals = buf[:k]
}

// addRanks adds rows that all fall in cell c of an ungrouped percentile
// whose cells come in order.
func (a *barAgg[C]) addRanks(sel []int32, c int) {
	vals, cr := a.vals, a.ranks
	if c != cr.cell {
		cr.flush()
		cr.cell = c
	}
	nulls := int64(0)
	for _, i := range sel {
		if v := vals[i]; v != nullNum {
			cr.vals = append(cr.vals, v)
		} else {
			nulls++
		}
	}
	a.rows[c] += int64(len(sel))
	a.nulls[c] += nulls
}

// cellRanks takes the percentile of each cell of a bar chart whose rows
// come in cell order (a cell's rows are never followed by an earlier
// cell's): it holds the values of one cell at a time, where valueChunks
// holds every value.
type cellRanks struct {
	p     int     // the percentile
	cell  int     // the cell whose values vals holds; -1 before the first
	vals  []int64 // reused from cell to cell
	ranks []int64 // the percentile of each cell that has values
}

// flush takes the percentile of the cell being filled.
func (cr *cellRanks) flush() {
	if len(cr.vals) > 0 {
		cr.ranks[cr.cell] = aggregate.NearestRank(cr.vals, cr.p)
		cr.vals = cr.vals[:0]
	}
}

func (a *barAgg[C]) finish(r *result.Run) error {
	n := make([]int64, len(a.rows)) // non-null values per cell
	for c, rows := range a.rows {
		n[c] = rows - a.nulls[c]
	}
	var byCell [][]int64 // percentiles: the values of each cell
	switch {
	case a.ranks != nil:
		a.ranks.flush()
	case a.fn.Percentile() > 0:
		byCell = a.groupValues(n)
	}
	for bucket := range a.bounds.Len() {
		start := a.bounds.Start(bucket)
		for g := range a.ng {
			c := bucket*a.ng + g
			if a.rows[c] == 0 {
				continue
			}
			p := aggregate.Partial{Rows: a.rows[c], Count: n[c], IsNum: n[c] > 0}
			if p.IsNum {
				switch a.fn {
				case aggregate.Count:
				case aggregate.Sum, aggregate.Avg, aggregate.Min, aggregate.Max:
					p.Num = decimal.New(a.acc[c], -a.scale)
				default:
					var rank int64
					if a.ranks != nil {
						rank = a.ranks.ranks[c]
					} else {
						rank = aggregate.NearestRank(byCell[c], a.fn.Percentile())
					}
					p.Num = decimal.New(rank, -a.scale)
				}
			}
			var label chart.Label
			if a.gcodes != nil {
				label = a.glabel[g]
			}
			r.AddBar(start, label, aggregate.FromPartial(a.fn, a.places, p))
		}
	}
	return nil
}

// valueChunks holds values and their cells in the order added, in
// chunks that never move: one growing slice would be copied again and
// again (most of a percentile's time, before).
type valueChunks struct {
	vals      []int64 // the chunk being filled
	cells     []int32
	fullVals  [][]int64
	fullCells [][]int32
}

const valueChunk = 1 << 14

func (vc *valueChunks) add(v int64, c int) {
	if len(vc.vals) == cap(vc.vals) {
		vc.grow()
	}
	vc.vals = append(vc.vals, v)
	vc.cells = append(vc.cells, int32(c))
}

func (vc *valueChunks) grow() {
	if vc.vals != nil {
		vc.fullVals, vc.fullCells = append(vc.fullVals, vc.vals), append(vc.fullCells, vc.cells)
	}
	vc.vals, vc.cells = make([]int64, 0, valueChunk), make([]int32, 0, valueChunk)
}

// chunks returns every chunk.
func (vc *valueChunks) chunks() (vals [][]int64, cells [][]int32) {
	return append(vc.fullVals, vc.vals), append(vc.fullCells, vc.cells)
}

// groupValues returns the percentile values of each cell, whose counts
// are n. When the cells came in order (records in time order), a cell's
// values are a run of the chunks: it is used where it lies, copied only
// when it spans two chunks. Otherwise a counting sort by cell gathers
// them.
func (a *barAgg[C]) groupValues(n []int64) [][]int64 {
	vchunks, cchunks := a.pvals.chunks()
	sorted, last := true, int32(0)
	for _, cells := range cchunks {
		if len(cells) > 0 && (cells[0] < last || !slices.IsSorted(cells)) {
			sorted = false
			break
		}
		if len(cells) > 0 {
			last = cells[len(cells)-1]
		}
	}
	byCell := make([][]int64, len(n))
	if sorted {
		k, j := 0, 0 // the next value: vchunks[k][j]
		for c, count := range n {
			for count > 0 && j == len(vchunks[k]) {
				k, j = k+1, 0
			}
			if j+int(count) <= len(vchunks[k]) {
				byCell[c] = vchunks[k][j : j+int(count) : j+int(count)]
				j += int(count)
				continue
			}
			vals := make([]int64, 0, count)
			for left := int(count); left > 0; {
				if j == len(vchunks[k]) {
					k, j = k+1, 0
				}
				take := min(left, len(vchunks[k])-j)
				vals = append(vals, vchunks[k][j:j+take]...)
				j, left = j+take, left-take
			}
			byCell[c] = vals
		}
		return byCell
	}
	var total int64
	next := make([]int64, len(n)) // where the next value of each cell goes
	for c, k := range n {
		next[c] = total
		total += k
	}
	vals := make([]int64, total)
	for k, chunk := range vchunks {
		for j, c := range cchunks[k] {
			vals[next[c]] = chunk[j]
			next[c]++
		}
	}
	var off int64
	for c, k := range n {
		byCell[c] = vals[off : off+k : off+k]
		off += k
	}
	return byCell
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

// countCodes adds one to counts[codes[i]] for each row i of sel, which
// holds at most blockSize rows: it gathers their codes, then counts them.
func countCodes[C code](counts []int64, codes []C, sel []int32) {
	var buf [blockSize]C
	rows := buf[:len(sel)]
	for k, i := range sel {
		rows[k] = codes[i]
	}
	countAll(counts, rows)
}

// countAll adds one to counts[code] for each of codes. A run of rows
// with the same code would make each increment wait for the one before
// it (a load after a store to the same place): rows go to four counters
// in turn, added up at the end.
func countAll[C code](counts []int64, codes []C) {
	const lanes = 4
	if len(counts) > 64 || len(codes) < 64 {
		for _, c := range codes {
			counts[c]++
		}
		return
	}
	var buf [lanes * 64]int64
	lane := buf[:lanes*len(counts)]
	for ; len(codes) >= lanes; codes = codes[lanes:] {
		lane[int(codes[0])*lanes]++
		lane[int(codes[1])*lanes+1]++
		lane[int(codes[2])*lanes+2]++
		lane[int(codes[3])*lanes+3]++
	}
	for _, c := range codes {
		counts[c]++
	}
	for c := range counts {
		l := lane[c*lanes : c*lanes+lanes : c*lanes+lanes]
		counts[c] += l[0] + l[1] + l[2] + l[3]
	}
}

// sumAll returns the sum of the non-null values of vals and the number
// of null ones: sumValues without a selection.
func sumAll(vals []int64) (sum, nulls int64) {
	for _, v := range vals {
		null := int64(b2i(v == nullNum))
		nulls += null
		sum += v & (null - 1) // 0 for null
	}
	return sum, nulls
}

// sumValues returns the sum of the non-null values of the rows of sel and
// the number of null ones, without a branch per row.
func sumValues(vals []int64, sel []int32) (sum, nulls int64) {
	for _, i := range sel {
		v := vals[i]
		null := int64(b2i(v == nullNum))
		nulls += null
		sum += v & (null - 1) // 0 for null
	}
	return sum, nulls
}
