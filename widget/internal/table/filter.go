package table

import (
	"math"

	"github.com/shopspring/decimal"

	"github.com/calldash/calldash"
	"github.com/calldash/calldash/filter"
	"github.com/calldash/calldash/widget/internal/plan"
)

// A pred narrows a selection of rows of a block.
type pred interface {
	// keep returns the rows of sel that satisfy the pred, in order, in
	// sel's own array. base is the first row of the block; sel holds
	// rows of [base, base+blockSize).
	keep(sel []int32, base int32) []int32
	// keepAll returns the rows of the block [lo, hi) that satisfy the
	// pred, in order, in the array of sel (which has room for hi-lo);
	// or all, and sel's content unspecified, when every row does.
	// Reading a column in order spares writing every row's number
	// first.
	keepAll(lo, hi int, sel []int32) (kept []int32, all bool)
}

// numberAndKeep is keepAll for a pred that only reads a selection.
func numberAndKeep(p pred, lo, hi int, sel []int32) ([]int32, bool) {
	sel = sel[:hi-lo]
	rowNumbers(sel, int32(lo))
	sel = p.keep(sel, int32(lo))
	return sel, len(sel) == hi-lo
}

// predCompiler turns a filter into preds over a Table's columns.
type predCompiler struct {
	t       *Table
	q       *plan.Query
	columns bool // the query's schema is the one of the columns
}

func (c *predCompiler) node(n filter.Node) (pred, error) {
	switch n := n.(type) {
	case *filter.Group:
		if n.Operator == filter.GroupSameRow || !c.columns {
			return c.rows(n)
		}
		members := filter.Members(n, c.q.Filter.Schema())
		ps := make([]pred, 0, len(members))
		for _, m := range members {
			p, err := c.node(m)
			if err != nil {
				return nil, err
			}
			ps = append(ps, p)
		}
		if n.Operator == filter.GroupOr {
			if len(ps) == 1 {
				return ps[0], nil
			}
			return &orPred{ps: ps, rest: make([]int32, blockSize), try: make([]int32, blockSize), mark: make([]bool, blockSize)}, nil
		}
		if len(ps) == 1 {
			return ps[0], nil
		}
		return andPred(ps), nil
	case *filter.Condition:
		if !c.columns {
			return c.rows(n)
		}
		return c.condition(n)
	}
	return c.rows(n)
}

// rows decides n with the in-memory matcher, record by record.
func (c *predCompiler) rows(n filter.Node) (pred, error) {
	m, err := filter.Compile(c.q.Filter.Part(n), c.q.Env)
	if err != nil {
		return nil, err
	}
	return &rowPred{m: m, rows: c.t.reader()}, nil
}

func (c *predCompiler) condition(n *filter.Condition) (pred, error) {
	f, _, ok := c.q.Config.Schema.Lookup(n.Field)
	if !ok || f.Prefix || f.Metric {
		return c.rows(n)
	}
	if tc, ok := c.t.times[f.Name]; ok && f.Time != nil {
		if p := c.timeCondition(n, tc); p != nil {
			return p, nil
		}
		return c.rows(n)
	}
	col := c.t.cols[f.Name]
	if col == nil || f.Call == nil {
		return c.rows(n)
	}
	if col.codes.ok() {
		// Decide the condition once per distinct value, on a record that
		// holds it: the matcher reads nothing but this field.
		m, err := filter.Compile(c.q.Filter.Part(n), c.q.Env)
		if err != nil {
			return nil, err
		}
		ok := make([]uint8, len(col.dict))
		rows := c.t.reader()
		for code, row := range col.first {
			if row >= 0 && m.Match(rows.row(int(row))) {
				ok[code] = 1
			}
		}
		return newDictPred(&col.codes, ok), nil
	}
	if col.num != nil {
		if p := c.numCondition(n, col); p != nil {
			return p, nil
		}
	}
	return c.rows(n)
}

// numCondition compiles a comparison of a scaled column with a number;
// nil when the columns cannot decide it.
func (c *predCompiler) numCondition(n *filter.Condition, col *column) pred {
	var fallback *filter.Matcher
	if col.hasBig {
		m, err := filter.Compile(c.q.Filter.Part(n), c.q.Env)
		if err != nil {
			return nil
		}
		fallback = m
	}
	p := &rangePred{vals: col.num, zones: col.zones, big: fallback, rows: c.t.reader()}
	switch {
	case n.Op == filter.OpIsNull && n.Value.Kind == calldash.KindBool:
		// isnull true keeps only nulls, false every value.
		p.lo, p.hi, p.neg, p.null = minValid, math.MaxInt64, n.Value.Bool, n.Value.Bool
		return p
	case n.Value.Kind != calldash.KindNumber:
		return nil
	}
	if !setRange(p, n.Op, n.Value.Num.Shift(col.scale)) {
		return nil
	}
	return p
}

// setRange sets the range of p for "value op f", f being the filter
// value in the column's scale; false for an operator it cannot express.
func setRange(p *rangePred, op filter.Op, f decimal.Decimal) bool {
	floor, ceil := f.Floor(), f.Ceil()
	p.lo, p.hi = minValid, math.MaxInt64
	switch op {
	case filter.OpGte:
		p.lo = clampInt(ceil, &p.empty, true)
	case filter.OpGt:
		p.lo = clampInt(floor.Add(decimal.NewFromInt(1)), &p.empty, true)
	case filter.OpLte:
		p.hi = clampInt(floor, &p.empty, false)
	case filter.OpLt:
		p.hi = clampInt(ceil.Sub(decimal.NewFromInt(1)), &p.empty, false)
	case filter.OpEq, filter.OpNeq:
		if !f.Equal(floor) {
			p.empty = true
		} else {
			p.lo = clampInt(floor, &p.empty, true)
			p.hi = clampInt(floor, &p.empty, false)
		}
		if op == filter.OpNeq {
			p.neg, p.null = true, true
		}
	default:
		return false
	}
	if p.empty {
		p.lo, p.hi = 1, 0
	}
	return true
}

// clampInt returns d clamped to the valid range of a scaled column; when
// d lies beyond the range on the side that empties the range (above for
// a lower bound, below for an upper bound), it sets *empty.
func clampInt(d decimal.Decimal, empty *bool, lower bool) int64 {
	switch {
	case d.GreaterThan(decimal.NewFromInt(math.MaxInt64)):
		if lower {
			*empty = true
		}
		return math.MaxInt64
	case d.LessThan(decimal.NewFromInt(minValid)):
		if !lower {
			*empty = true
		}
		return minValid
	}
	return d.IntPart()
}

// timeCondition compiles a comparison of a datetime column; nil when the
// columns cannot decide it.
func (c *predCompiler) timeCondition(n *filter.Condition, tc timeColumn) pred {
	p := &rangePred{vals: tc.vals, zones: tc.zones, rows: c.t.reader()}
	if tc.hasBig {
		m, err := filter.Compile(c.q.Filter.Part(n), c.q.Env)
		if err != nil {
			return nil
		}
		p.big = m
	}
	if n.Op == filter.OpIsNull {
		if n.Value.Kind != calldash.KindBool {
			return nil
		}
		p.lo, p.hi, p.neg, p.null = minValid, math.MaxInt64, n.Value.Bool, n.Value.Bool
		return p
	}
	if n.Value.Kind != calldash.KindString {
		return nil
	}
	at, op, err := filter.ResolveTime(n.Value.Str, n.Op, c.q.Env)
	if err != nil {
		return nil
	}
	ns := timeNanos(at)
	if ns <= bigNum {
		return nil
	}
	p.lo, p.hi = minValid, math.MaxInt64
	switch op {
	case filter.OpGte:
		p.lo = ns
	case filter.OpGt:
		p.lo = ns + 1
	case filter.OpLte:
		p.hi = ns
	case filter.OpLt:
		p.hi = ns - 1
	case filter.OpEq:
		p.lo, p.hi = ns, ns
	case filter.OpNeq:
		p.lo, p.hi, p.neg = ns, ns, true
	default:
		return nil
	}
	p.null = op.NullMatches()
	return p
}

// andPred keeps the rows every member keeps.
type andPred []pred

func (a andPred) keep(sel []int32, base int32) []int32 {
	for _, p := range a {
		if len(sel) == 0 {
			break
		}
		sel = p.keep(sel, base)
	}
	return sel
}

func (a andPred) keepAll(lo, hi int, sel []int32) ([]int32, bool) {
	for k, p := range a {
		kept, all := p.keepAll(lo, hi, sel)
		if !all {
			return a[k+1:].keep(kept, int32(lo)), false
		}
	}
	return sel, true
}

// orPred keeps the rows some member keeps; each member sees only the
// rows no earlier member kept.
type orPred struct {
	ps        []pred
	rest, try []int32
	mark      []bool
}

func (o *orPred) keep(sel []int32, base int32) []int32 {
	rest := append(o.rest[:0], sel...)
	mark := o.mark[:blockSize]
	for _, i := range sel {
		mark[i-base] = false
	}
	for _, p := range o.ps {
		if len(rest) == 0 {
			break
		}
		try := p.keep(append(o.try[:0], rest...), base)
		if len(try) == 0 {
			continue
		}
		for _, i := range try {
			mark[i-base] = true
		}
		k := 0
		for _, i := range rest {
			if !mark[i-base] {
				rest[k] = i
				k++
			}
		}
		rest = rest[:k]
	}
	k := 0
	for _, i := range sel {
		if mark[i-base] {
			sel[k] = i
			k++
		}
	}
	return sel[:k]
}

func (o *orPred) keepAll(lo, hi int, sel []int32) ([]int32, bool) {
	return numberAndKeep(o, lo, hi, sel)
}

// rowPred decides a node with the matcher, record by record.
type rowPred struct {
	m    *filter.Matcher
	rows *rowReader
}

func (p *rowPred) keep(sel []int32, _ int32) []int32 {
	k := 0
	for _, i := range sel {
		if p.m.Match(p.rows.row(int(i))) {
			sel[k] = i
			k++
		}
	}
	return sel[:k]
}

func (p *rowPred) keepAll(lo, hi int, sel []int32) ([]int32, bool) {
	return numberAndKeep(p, lo, hi, sel)
}

// dictPred keeps the rows whose dictionary code satisfies the condition.
type dictPred[C code] struct {
	codes []C
	ok    []uint8 // 1 for the codes that satisfy it
}

// newDictPred returns the dictPred of codes of their width.
func newDictPred(codes *codeVec, ok []uint8) pred {
	switch {
	case codes.w8 != nil:
		return &dictPred[uint8]{codes.w8, ok}
	case codes.w16 != nil:
		return &dictPred[uint16]{codes.w16, ok}
	}
	return &dictPred[uint32]{codes.w32, ok}
}

func (p *dictPred[C]) keep(sel []int32, _ int32) []int32 {
	codes, ok := p.codes, p.ok
	k := 0
	for _, i := range sel {
		// No branch: a row is written, and kept by moving on.
		sel[k] = i
		k += int(ok[codes[i]])
	}
	return sel[:k]
}

func (p *dictPred[C]) keepAll(lo, hi int, sel []int32) ([]int32, bool) {
	codes, ok := p.codes[lo:hi], p.ok
	sel = sel[:len(codes)]
	k := 0
	for j, code := range codes {
		sel[k] = int32(lo + j)
		k += int(ok[code])
	}
	return sel[:k], k == len(codes)
}

// rangePred keeps the rows of a scaled or instant column whose value is
// in [lo, hi] (outside it when neg); null rows when null; rows the column
// cannot hold (bigNum) as the matcher decides.
type rangePred struct {
	vals   []int64
	zones  []zone // per block
	lo, hi int64
	neg    bool
	null   bool
	empty  bool
	big    *filter.Matcher // nil when the column holds every value
	rows   *rowReader
}

// decide returns whether the pred keeps every row of the block that
// starts at row base, or none, when the block's zone tells.
func (p *rangePred) decide(base int) (every, none bool) {
	if p.empty && p.simple() {
		return false, true
	}
	z := p.zones[base/blockSize]
	if p.empty || z.special {
		return false, false
	}
	in := z.min <= z.max && p.lo <= z.min && z.max <= p.hi // every value is in [lo, hi]
	out := z.min > z.max || z.max < p.lo || z.min > p.hi   // none is
	return in && !p.neg || out && p.neg, out && !p.neg || in && p.neg
}

// simple reports whether the pred is lo <= v <= hi alone: nulls and the
// sentinels are below lo, and the test is one unsigned comparison.
func (p *rangePred) simple() bool { return !p.neg && !p.null && p.big == nil }

func (p *rangePred) keepAll(lo, hi int, sel []int32) ([]int32, bool) {
	switch every, none := p.decide(lo); {
	case every:
		return sel, true
	case none:
		return sel[:0], false
	case !p.simple():
		return numberAndKeep(p, lo, hi, sel)
	}
	vals := p.vals[lo:hi]
	ulo, width := uint64(p.lo), uint64(p.hi)-uint64(p.lo)
	sel = sel[:len(vals)]
	k := 0
	for j, v := range vals {
		sel[k] = int32(lo + j)
		k += b2i(uint64(v)-ulo <= width)
	}
	return sel[:k], k == len(vals)
}

func (p *rangePred) keep(sel []int32, base int32) []int32 {
	vals, lo, hi := p.vals, p.lo, p.hi
	k := 0
	switch every, none := p.decide(int(base)); {
	case every:
		return sel
	case none:
		return sel[:0]
	}
	if p.simple() {
		// Without a branch.
		ulo, width := uint64(lo), uint64(hi)-uint64(lo)
		for _, i := range sel {
			sel[k] = i
			k += b2i(uint64(vals[i])-ulo <= width)
		}
		return sel[:k]
	}
	for _, i := range sel {
		var ok bool
		switch v := vals[i]; v {
		case nullNum:
			ok = p.null
		case bigNum:
			ok = p.big != nil && p.big.Match(p.rows.row(int(i)))
		default:
			ok = (v >= lo && v <= hi) != p.neg
		}
		if ok {
			sel[k] = i
			k++
		}
	}
	return sel[:k]
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}
