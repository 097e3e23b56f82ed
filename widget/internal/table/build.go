package table

import (
	"cmp"
	"encoding/binary"
	"maps"
	"math"
	"slices"
	"strings"
	"time"

	"github.com/shopspring/decimal"

	"github.com/calldash/calldash"
	"github.com/calldash/calldash/filter"
)

// This file builds a Table from calls given one at a time (a Builder),
// with or without keeping the records. Without them, the columns and a
// compact copy of what they do not hold (metadata, metric evaluations,
// strings with too many distinct values) give each record back when a
// widget needs it (see Table.row).

// A Builder builds a Table from calls added one by one.
type Builder struct {
	keep      bool // no records: keep what gives them back
	dictLimit int  // < 0: MaxDict of the number of rows
	summaries bool
	n         int

	ts    []int64
	tsSum numSummary
	tsBig map[int32]time.Time // with keep: timestamps that ts cannot hold
	times []timeBuilder
	ints  []intBuilder
	cols  []fieldBuilder
	rest  restBuilder
}

type timeBuilder struct {
	name string
	read func(*calldash.Call) time.Time
	vals []int64
	sum  numSummary // of vals
	ts   bool       // the values so far are those of Builder.ts, which vals does not hold yet
}

type intBuilder struct {
	name string
	read func(*calldash.Call) (int64, bool)
	vals []int64
	sum  numSummary      // of vals
	big  map[int32]int64 // with keep: values at or below bigNum
}

type fieldBuilder struct {
	name string
	read func(*calldash.Call) calldash.Value
	at   func(*calldash.Call) *calldash.Value // the field read returns, when the Builder knows it; or nil
	b    *columnBuilder
}

// NewBuilder returns a Builder of a Table that keeps no records: the
// calls added may be reused once Add returns. Tables without records
// answer exactly what Tables with them answer.
func NewBuilder() *Builder { return newBuilder(0, -1, true, true) }

// newBuilder returns a Builder of about n rows.
func newBuilder(n, dictLimit int, summaries, keep bool) *Builder {
	b := &Builder{keep: keep, dictLimit: dictLimit, summaries: summaries, ts: make([]int64, 0, n)}
	for _, f := range filter.CallLogs().Fields() {
		switch {
		case f.Prefix || f.Metric:
		case f.Time != nil:
			b.times = append(b.times, timeBuilder{name: f.Name, read: f.Time, ts: true})
		case f.CallInt != nil:
			b.ints = append(b.ints, intBuilder{name: f.Name, read: f.CallInt, vals: make([]int64, 0, n)})
		case f.Call != nil:
			b.cols = append(b.cols, fieldBuilder{f.Name, f.Call, fieldAt(f.Name), newColumnBuilder(n, dictLimit, keep)})
		}
	}
	return b
}

// Len returns the number of rows added.
func (b *Builder) Len() int { return b.n }

// Grow makes room for n more rows in the columns, so that a batch of n
// calls is added without copying the columns as they grow.
func (b *Builder) Grow(n int) {
	b.ts = growBy(b.ts, n)
	for k := range b.times {
		if tb := &b.times[k]; !tb.ts {
			tb.vals = growBy(tb.vals, n)
		}
	}
	for k := range b.ints {
		b.ints[k].vals = growBy(b.ints[k].vals, n)
	}
	for _, f := range b.cols {
		f.b.grow(n)
	}
	if b.keep {
		b.rest.ends.grow(n)
	}
}

// Add adds c as the next row.
func (b *Builder) Add(c *calldash.Call) {
	i := b.n
	b.n++
	ns := timeNanos(c.Timestamp)
	if ns <= bigNum {
		ns = bigNum
		if b.keep {
			if b.tsBig == nil {
				b.tsBig = map[int32]time.Time{}
			}
			b.tsBig[int32(i)] = c.Timestamp
		}
	}
	b.ts = append(b.ts, ns)
	for k := range b.times {
		tb := &b.times[k]
		v := timeNanos(tb.read(c))
		if tb.ts {
			if v == ns {
				continue // (the timestamp itself: its values are those of ts)
			}
			tb.vals, tb.ts = make([]int64, i, cap(b.ts)), false
			tb.sum.reset()
			copy(tb.vals, b.ts)
		}
		tb.vals = append(tb.vals, v)
	}
	for k := range b.ints {
		ib := &b.ints[k]
		v, ok := ib.read(c)
		switch {
		case !ok:
			v = nullNum
		case v <= bigNum:
			if b.keep {
				if ib.big == nil {
					ib.big = map[int32]int64{}
				}
				ib.big[int32(i)] = v
			}
			v = bigNum
		}
		ib.vals = append(ib.vals, v)
	}
	for k := range b.cols {
		f := &b.cols[k]
		if f.at != nil {
			f.b.add(i, f.at(c))
		} else {
			v := f.read(c)
			f.b.add(i, &v)
		}
	}
	if b.keep {
		b.rest.add(c)
	}
}

// Table returns the Table of the calls added so far. The Builder may
// take more calls afterwards, which that Table does not see: it shares
// the arrays of the Builder, which only appends to them.
func (b *Builder) Table() *Table {
	n := b.n
	t := &Table{
		n:         n,
		ts:        slices.Clip(b.ts),
		cols:      map[string]*column{},
		times:     map[string]timeColumn{},
		shape:     schemaShape(filter.CallLogs()),
		summaries: b.summaries,
	}
	// (The summaries read only the rows added since the last snapshot.)
	st := b.tsSum.stats(t.ts)
	t.tsOK, t.minTs, t.maxTs = !st.hasBig, st.min, st.max
	t.tsZones, t.tsSorted = st.zones, st.sorted
	for k := range b.times {
		tb := &b.times[k]
		tc := timeColumn{vals: t.ts, hasBig: st.hasBig, zones: st.zones} // the timestamp itself: one slice for both
		if !tb.ts {
			tc.vals = slices.Clip(tb.vals[:n])
			vs := tb.sum.stats(tc.vals)
			tc.hasBig, tc.zones = vs.hasBig, vs.zones
		}
		t.times[tb.name] = tc
	}
	for k := range b.ints {
		ib := &b.ints[k]
		col := &column{num: slices.Clip(ib.vals), intBig: maps.Clone(ib.big)}
		col.summarizeFrom(&ib.sum)
		t.cols[ib.name] = col
	}
	for _, f := range b.cols {
		t.cols[f.name] = f.b.finish(n)
	}
	if b.keep {
		t.rows = &rowStore{tsBig: maps.Clone(b.tsBig), rest: b.rest.snapshot()}
		t.rows.setters(t)
	}
	return t
}

// A rowStore gives the records of a Table without them back from its
// columns and a compact copy of the rest.
type rowStore struct {
	tsBig map[int32]time.Time
	rest  restStore
	ints  []intSetter
	vals  []valueSetter
}

type intSetter struct {
	col *column
	set func(*calldash.Call, int64)
}

type valueSetter struct {
	col *column
	set func(*calldash.Call, calldash.Value)
}

// setters finds the column of each field of a call.
func (s *rowStore) setters(t *Table) {
	for name, col := range t.cols {
		if set := intField(name); set != nil {
			s.ints = append(s.ints, intSetter{col, set})
		} else if set := valueField(name); set != nil {
			s.vals = append(s.vals, valueSetter{col, set})
		}
	}
}

// intField returns the setter of an integer field of a call log.
func intField(name string) func(*calldash.Call, int64) {
	if name == "id" {
		return func(c *calldash.Call, v int64) { c.ID = v }
	}
	return nil
}

// valueField returns the setter of a scalar field of a call log (see
// filter.CallLogs).
func valueField(name string) func(*calldash.Call, calldash.Value) {
	switch name {
	case "duration":
		return func(c *calldash.Call, v calldash.Value) { c.Duration = v }
	case "success":
		return func(c *calldash.Call, v calldash.Value) { c.Success = v }
	case "is_reviewed":
		return func(c *calldash.Call, v calldash.Value) { c.IsReviewed = v }
	case "call_ended_reason":
		return func(c *calldash.Call, v calldash.Value) { c.CallEndedReason = v }
	case "dropoff_point":
		return func(c *calldash.Call, v calldash.Value) { c.DropoffPoint = v }
	case "topic":
		return func(c *calldash.Call, v calldash.Value) { c.Topic = v }
	case "customer_number":
		return func(c *calldash.Call, v calldash.Value) { c.CustomerNumber = v }
	case "agent.id":
		return func(c *calldash.Call, v calldash.Value) { c.AgentID = v }
	case "agent.agent_name":
		return func(c *calldash.Call, v calldash.Value) { c.AgentName = v }
	}
	return nil
}

// fieldAt returns the field of a call that the reader of the call-log
// field name returns (see filter.CallLogs), or nil: reading it in place
// spares a copy of a Value per field and call.
func fieldAt(name string) func(*calldash.Call) *calldash.Value {
	switch name {
	case "duration":
		return func(c *calldash.Call) *calldash.Value { return &c.Duration }
	case "success":
		return func(c *calldash.Call) *calldash.Value { return &c.Success }
	case "is_reviewed":
		return func(c *calldash.Call) *calldash.Value { return &c.IsReviewed }
	case "call_ended_reason":
		return func(c *calldash.Call) *calldash.Value { return &c.CallEndedReason }
	case "dropoff_point":
		return func(c *calldash.Call) *calldash.Value { return &c.DropoffPoint }
	case "topic":
		return func(c *calldash.Call) *calldash.Value { return &c.Topic }
	case "customer_number":
		return func(c *calldash.Call) *calldash.Value { return &c.CustomerNumber }
	case "agent.id":
		return func(c *calldash.Call) *calldash.Value { return &c.AgentID }
	case "agent.agent_name":
		return func(c *calldash.Call) *calldash.Value { return &c.AgentName }
	}
	return nil
}

// A rowReader reads the records of a Table, one at a time: from the
// records, or rebuilt in a call of its own (which the next read
// overwrites). Each run has its own.
type rowReader struct {
	t    *Table
	call calldash.Call
	meta map[string]calldash.Value // reused by call
	evs  []calldash.Evaluation     // reused by call
}

func (t *Table) reader() *rowReader { return &rowReader{t: t} }

// row returns record i.
func (r *rowReader) row(i int) *calldash.Call {
	t := r.t
	if t.rows == nil {
		return &t.calls[i]
	}
	s, c := t.rows, &r.call
	if ns := t.ts[i]; ns != bigNum {
		c.Timestamp = time.Unix(0, ns).UTC()
	} else {
		c.Timestamp = s.tsBig[int32(i)]
	}
	for _, f := range s.ints {
		f.set(c, f.col.int(i))
	}
	for _, f := range s.vals {
		f.set(c, f.col.value(i))
	}
	c.Metadata, c.MetricEvaluations = nil, nil
	s.rest.read(i, r)
	return c
}

// int returns the value of row i of an integer column.
func (col *column) int(i int) int64 {
	switch v := col.num[i]; v {
	case nullNum:
		return 0
	case bigNum:
		return col.intBig[int32(i)]
	default:
		return v
	}
}

// value returns the value of row i of a column of a Table without
// records.
func (col *column) value(i int) calldash.Value {
	switch {
	case col.codes.ok():
		return col.dict[col.codes.at(i)]
	case col.num != nil:
		switch v := col.num[i]; v {
		case nullNum:
			return calldash.Null
		case bigNum:
			return col.big[int32(i)]
		default:
			return calldash.Number(decimal.New(v, -col.scale))
		}
	case col.rest != nil:
		return col.rest.get(i)
	}
	return calldash.Null
}

// A valueStore holds the values of a column that has neither a
// dictionary nor numbers only: strings packed one after the other, in a
// text per block of blockSize rows (so the text is never copied as it
// grows), other values as they are.
type valueStore struct {
	texts []*strings.Builder // each block's strings (String shares its bytes)
	strs  []string           // once a snapshot: each block's text
	ends  rowEnds            // end of each row's string in its block's text
	nulls []uint64           // bit i: row i is null
	vals  []calldash.Value   // every row's value, once one is neither a string nor null
}

func (vs *valueStore) add(v calldash.Value) {
	i := vs.ends.len() + len(vs.vals)
	if vs.vals == nil && (v.Kind == calldash.KindString || v.Kind == calldash.KindNull) {
		if v.Kind == calldash.KindNull {
			for len(vs.nulls) <= i/64 {
				vs.nulls = append(vs.nulls, 0)
			}
			vs.nulls[i/64] |= 1 << (i % 64)
		}
		if i%blockSize == 0 {
			// A block's strings take about as many bytes as the block's
			// before (a 32nd more, as the packed rows of a restBuilder).
			t := &strings.Builder{}
			if k := len(vs.texts); k > 0 {
				t.Grow(vs.texts[k-1].Len() + vs.texts[k-1].Len()/32 + 64)
			}
			vs.texts = append(vs.texts, t)
		}
		t := vs.texts[len(vs.texts)-1]
		if t.Len()+len(v.Str) <= math.MaxUint32 {
			t.WriteString(v.Str)
			vs.ends.add(uint32(t.Len()))
			return
		}
	}
	if vs.vals == nil {
		vals := make([]calldash.Value, 0, i+1)
		for j := range i {
			vals = append(vals, vs.get(j))
		}
		vs.vals, vs.texts, vs.ends, vs.nulls = vals, nil, rowEnds{}, nil
	}
	vs.vals = append(vs.vals, v)
}

// snapshot returns the values of the first n rows, which later adds do
// not change.
func (vs *valueStore) snapshot(n int) *valueStore {
	if vs.vals != nil {
		return &valueStore{vals: vs.vals[:n:n]}
	}
	strs := make([]string, blocks(n))
	for k := range strs {
		strs[k] = vs.texts[k].String()
	}
	return &valueStore{strs: strs, ends: vs.ends.snapshot(n), nulls: slices.Clone(vs.nulls)}
}

func (vs *valueStore) get(i int) calldash.Value {
	if vs.vals != nil {
		return vs.vals[i]
	}
	if i/64 < len(vs.nulls) && vs.nulls[i/64]&(1<<(i%64)) != 0 {
		return calldash.Null
	}
	lo, hi := vs.ends.span(i)
	var text string
	if vs.strs != nil {
		text = vs.strs[i/blockSize]
	} else {
		text = vs.texts[i/blockSize].String()
	}
	return calldash.String(text[lo:hi])
}

// rowEnds holds where each row's bytes end in its block's data: for each
// group of endGroup rows the end of the row before it (0 at a block's
// start), and for each row a uint16 past that; once a group's rows take
// more than 65,535 bytes, a uint32 per row (wide). Rows are only added:
// a snapshot shares the arrays.
type rowEnds struct {
	base []uint32
	off  []uint16
	wide []uint32 // instead of base and off
}

// endGroup is the number of rows of a group of rowEnds; it divides
// blockSize.
const endGroup = 256

func (e *rowEnds) len() int { return len(e.off) + len(e.wide) }

// add adds the next row, whose bytes end at end in its block's data.
func (e *rowEnds) add(end uint32) {
	if e.wide != nil {
		e.wide = append(e.wide, end)
		return
	}
	i := len(e.off)
	if i%endGroup == 0 {
		base := uint32(0)
		if i%blockSize != 0 {
			base = e.end(i - 1)
		}
		e.base = append(e.base, base)
	}
	if d := end - e.base[len(e.base)-1]; d <= math.MaxUint16 {
		e.off = append(e.off, uint16(d))
		return
	}
	wide := make([]uint32, i, max(cap(e.off), i+1))
	for j := range wide {
		wide[j] = e.end(j)
	}
	e.wide, e.base, e.off = append(wide, end), nil, nil
}

// end returns where the bytes of row i end.
func (e *rowEnds) end(i int) uint32 {
	if e.wide != nil {
		return e.wide[i]
	}
	return e.base[i/endGroup] + uint32(e.off[i])
}

// span returns where the bytes of row i start and end in its block's
// data.
func (e *rowEnds) span(i int) (lo, hi uint32) {
	if i%blockSize > 0 {
		lo = e.end(i - 1)
	}
	return lo, e.end(i)
}

// grow makes room for n more rows.
func (e *rowEnds) grow(n int) {
	if e.wide != nil {
		e.wide = growBy(e.wide, n)
		return
	}
	e.off = growBy(e.off, n)
	e.base = growBy(e.base, n/endGroup+1)
}

// snapshot returns the ends of the first n rows.
func (e *rowEnds) snapshot(n int) rowEnds {
	if e.wide != nil {
		return rowEnds{wide: e.wide[:n:n]}
	}
	g := (n + endGroup - 1) / endGroup
	return rowEnds{base: e.base[:g:g], off: e.off[:n:n]}
}

// bytes returns the bytes the arrays of e take.
func (e *rowEnds) bytes() int64 {
	return 4*int64(cap(e.base)) + 2*int64(cap(e.off)) + 4*int64(cap(e.wide))
}

// A restBuilder packs the metadata and the metric evaluations of each
// call into bytes: counts, and numbers of entries in pools of keys and
// values.
type restBuilder struct {
	data [][]byte // the rows of each block of blockSize rows
	ends rowEnds  // end of each row in its block's data
	keys map[string]uint64
	keyv []string
	vals dictIndex
	valv valuePool // code 0 is null
	mets []metric  // the metrics of the evaluations, by code
	metm map[metric]uint64

	entries []entry  // scratch: one call's metadata as codes
	newKeys []string // scratch: the keys of a call with a key or value not yet pooled
}

// An entry is one metadata key and value as codes of the pools.
type entry struct{ key, val uint64 }

// A metric is what an evaluation says of its metric: its id, eval type
// and name, a string (or null) or else a value of the pool.
type metric struct {
	id       int64
	evalType string
	kind     calldash.Kind // of the name
	name     string        // a string name
	nameCode uint64        // another name's code in the pool of values
}

// smallPool bounds the pools searched one by one rather than hashed.
const smallPool = 16

// metric returns the code of e's metric.
func (b *restBuilder) metric(e *calldash.Evaluation) uint64 {
	m := metric{id: e.MetricID, evalType: e.EvalType, kind: e.MetricName.Kind, name: e.MetricName.Str}
	if m.kind != calldash.KindString && m.kind != calldash.KindNull {
		m.nameCode = b.value(&e.MetricName) // (not from JSON, where names are strings)
	}
	if len(b.mets) <= smallPool {
		for c, o := range b.mets {
			if o == m {
				return uint64(c)
			}
		}
	} else if c, ok := b.metm[m]; ok {
		return c
	}
	c := uint64(len(b.mets))
	b.mets = append(b.mets, m)
	if len(b.mets) > smallPool {
		if b.metm == nil {
			b.metm = map[metric]uint64{}
			for k, o := range b.mets {
				b.metm[o] = uint64(k)
			}
		}
		b.metm[m] = c
	}
	return c
}

// A valuePool holds values by code in chunks of poolChunk: a pool that
// grows is never copied (a chunk of Values holds pointers, and copying
// one made garbage for the collector to scan).
type valuePool struct {
	chunks [][]calldash.Value
	n      int
}

// poolChunk is the number of values of a chunk of a valuePool.
const poolChunk = 1024

// add adds v and returns its code.
func (p *valuePool) add(v *calldash.Value) uint32 {
	k := len(p.chunks) - 1
	switch {
	case k < 0 || len(p.chunks[k]) == poolChunk:
		size := poolChunk
		if k < 0 {
			size = 8 // the first chunk grows as values come: a small Table stays small
		}
		p.chunks = append(p.chunks, make([]calldash.Value, 0, size))
		k++
	case len(p.chunks[k]) == cap(p.chunks[k]): // the first chunk, up to poolChunk
		c := make([]calldash.Value, len(p.chunks[k]), min(2*cap(p.chunks[k]), poolChunk))
		copy(c, p.chunks[k])
		p.chunks[k] = c
	}
	p.chunks[k] = append(p.chunks[k], *v)
	p.n++
	return uint32(p.n - 1)
}

// get returns the value of code c.
func (p *valuePool) get(c uint64) calldash.Value { return p.chunks[c/poolChunk][c%poolChunk] }

// snapshot returns the values so far, which later adds do not change.
func (p *valuePool) snapshot() valuePool {
	chunks := slices.Clone(p.chunks)
	if k := len(chunks) - 1; k >= 0 {
		chunks[k] = slices.Clip(chunks[k])
	}
	return valuePool{chunks: chunks, n: p.n}
}

// A restStore is what a restBuilder built.
type restStore struct {
	data [][]byte
	ends rowEnds
	keys []string
	vals valuePool
	mets []storedMetric
}

// A storedMetric is a metric as evaluations give it back.
type storedMetric struct {
	id       int64
	name     calldash.Value
	evalType string
}

// keyCode returns the code of key k and whether it has one.
func (b *restBuilder) keyCode(k string) (uint64, bool) {
	if len(b.keyv) <= smallPool {
		// A few keys (metadata keys, eval types, mostly shared strings):
		// comparing them is faster than hashing.
		for c, s := range b.keyv {
			if s == k {
				return uint64(c), true
			}
		}
		return 0, false
	}
	c, ok := b.keys[k]
	return c, ok
}

// key returns the code of key k, a new one if it has none.
func (b *restBuilder) key(k string) uint64 {
	if c, ok := b.keyCode(k); ok {
		return c
	}
	if b.keys == nil {
		b.keys = map[string]uint64{}
	}
	c := uint64(len(b.keyv))
	b.keys[k] = c
	b.keyv = append(b.keyv, k)
	return c
}

// value returns the code of v in the pool of values. Numbers are pooled
// by value (5.0 and 5 are one), as everywhere in a Table.
func (b *restBuilder) value(v *calldash.Value) uint64 {
	c, ok := b.vals.code(v)
	if !ok {
		c = b.valv.add(v)
		b.vals.set(v, c)
	}
	return uint64(c)
}

func (b *restBuilder) add(c *calldash.Call) {
	if b.valv.n == 0 {
		b.valv.add(&calldash.Null)
	}
	i := b.ends.len()
	if i%blockSize == 0 {
		// A block's rows take about as many bytes as the block's before:
		// a 32nd more (the sum of 4,096 rows varies much less) is rarely
		// outgrown, and leaves less room unused than append's growth.
		size := 0
		if k := len(b.data); k > 0 {
			size = len(b.data[k-1]) + len(b.data[k-1])/32 + 64
		}
		b.data = append(b.data, make([]byte, 0, size))
	}
	d := b.data[len(b.data)-1]
	if c.Metadata == nil {
		d = binary.AppendUvarint(d, 0)
	} else {
		d = binary.AppendUvarint(d, uint64(len(c.Metadata))+1)
		for _, e := range b.metadata(c.Metadata) {
			d = binary.AppendUvarint(d, e.key)
			d = binary.AppendUvarint(d, e.val)
		}
	}
	if c.MetricEvaluations == nil {
		d = binary.AppendUvarint(d, 0)
	} else {
		d = binary.AppendUvarint(d, uint64(len(c.MetricEvaluations))+1)
		prev := int64(0)
		for k := range c.MetricEvaluations {
			e := &c.MetricEvaluations[k]
			// The id as the difference from the one before (evaluations
			// are numbered in sequence: one byte each after the first).
			d = binary.AppendVarint(d, e.ID-prev)
			prev = e.ID
			d = binary.AppendUvarint(d, b.metric(e))
			d = binary.AppendUvarint(d, b.value(&e.Value))
		}
	}
	b.data[len(b.data)-1] = d
	b.ends.add(uint32(len(d)))
}

// metadata returns the entries of m by key code. The codes do not
// depend on the order of a map's iteration: when a key or value is not
// pooled yet, the keys are pooled in sorted order, then their values
// (so a Table's bytes are the same for the same calls).
func (b *restBuilder) metadata(m map[string]calldash.Value) []entry {
	es := b.entries[:0]
	for k, v := range m {
		kc, ok := b.keyCode(k)
		vc, vok := b.vals.code(&v)
		if !ok || !vok {
			es = b.metadataNew(m, es[:0])
			break
		}
		es = append(es, entry{kc, uint64(vc)})
	}
	if len(es) <= 12 {
		for i := 1; i < len(es); i++ { // insertion sort: a few entries
			for j := i; j > 0 && es[j].key < es[j-1].key; j-- {
				es[j], es[j-1] = es[j-1], es[j]
			}
		}
	} else {
		slices.SortFunc(es, func(x, y entry) int { return cmp.Compare(x.key, y.key) })
	}
	b.entries = es
	return es
}

// metadataNew appends the entries of m to es, pooling its keys and
// values in the sorted order of the keys.
func (b *restBuilder) metadataNew(m map[string]calldash.Value, es []entry) []entry {
	keys := b.newKeys[:0]
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		es = append(es, entry{key: b.key(k)})
	}
	for i, k := range keys {
		v := m[k]
		es[i].val = b.value(&v)
	}
	clear(keys) // (the scratch holds no strings of a call)
	b.newKeys = keys[:0]
	return es
}

// snapshot returns the rows so far, which later adds do not change.
func (b *restBuilder) snapshot() restStore {
	mets := make([]storedMetric, len(b.mets))
	for i, m := range b.mets {
		mets[i] = storedMetric{id: m.id, evalType: m.evalType}
		switch m.kind {
		case calldash.KindString:
			mets[i].name = calldash.String(m.name)
		case calldash.KindNull:
		default:
			mets[i].name = b.valv.get(m.nameCode)
		}
	}
	data := slices.Clone(b.data)
	if k := len(data) - 1; k >= 0 {
		data[k] = slices.Clip(data[k])
	}
	return restStore{data: data, ends: b.ends.snapshot(b.ends.len()), keys: slices.Clip(b.keyv), vals: b.valv.snapshot(), mets: mets}
}

// read sets the metadata and evaluations of row i in r's call.
func (s *restStore) read(i int, r *rowReader) {
	lo, hi := s.ends.span(i)
	d := s.data[i/blockSize][lo:hi]
	next := func() uint64 {
		v, n := binary.Uvarint(d)
		d = d[n:]
		return v
	}
	nextInt := func() int64 {
		v, n := binary.Varint(d)
		d = d[n:]
		return v
	}
	c := &r.call
	if n := next(); n > 0 {
		if r.meta == nil {
			r.meta = map[string]calldash.Value{}
		}
		clear(r.meta)
		for range n - 1 {
			k := s.keys[next()]
			r.meta[k] = s.vals.get(next())
		}
		c.Metadata = r.meta
	}
	if n := next(); n > 0 {
		evs := r.evs[:0]
		prev := int64(0)
		for range n - 1 {
			var e calldash.Evaluation
			e.ID = prev + nextInt()
			prev = e.ID
			m := &s.mets[next()]
			e.MetricID, e.MetricName, e.EvalType = m.id, m.name, m.evalType
			e.Value = s.vals.get(next())
			evs = append(evs, e)
		}
		r.evs = evs
		c.MetricEvaluations = evs
	}
}

// Without returns a Builder of the rows of b that drop does not take (a
// record rebuilt for each), in their order; b must keep no records
// (NewBuilder).
func (b *Builder) Without(drop func(*calldash.Call) bool) *Builder {
	t := b.Table()
	nb := newBuilder(0, b.dictLimit, b.summaries, true)
	r := t.reader()
	for i := range t.n {
		if c := r.row(i); !drop(c) {
			nb.Add(c)
		}
	}
	return nb
}
