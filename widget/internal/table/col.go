package table

import (
	"maps"
	"math"
	"math/bits"
	"slices"
	"sync"
	"time"

	"github.com/shopspring/decimal"

	"github.com/calldash/calldash"
	"github.com/calldash/calldash/chart"

	"github.com/calldash/calldash/internal/dec"
)

// This file holds the columns of a [Table]: scaled integers for numbers,
// dictionary codes for fields with few distinct values, Unix nanoseconds
// for instants.

// Sentinels of a scaled-integer column. Real values are never at or below
// bigNum: a value that would be is stored as bigNum.
const (
	nullNum  = math.MinInt64     // null
	bigNum   = math.MinInt64 + 1 // a value the column cannot hold exactly (read the record instead)
	minValid = math.MinInt64 + 2
)

// maxScale bounds the decimal places of a scaled column: a number with
// more places is stored as bigNum.
const maxScale = 9

// MaxDict bounds the distinct values of a dictionary column.
func MaxDict(n int) int { return max(1024, n/16) }

// A column is one call-level field of every record.
type column struct {
	// Scaled numbers, set when every non-null value is a number: the value
	// × 10^scale, nullNum for null, bigNum for a number that does not fit.
	num    []int64
	zones  []zone // of num
	scale  int32
	hasBig bool
	maxAbs int64 // largest |value| of num (for overflow-free sums)

	allNum bool // every non-null value is a number (num may still be nil: see values)

	// Dictionary, set when the field has few distinct values: code i is
	// the code of row i's value; code 0 is null.
	codes  codeVec
	dict   []calldash.Value // by code
	first  []int32          // a row holding each code; -1 when none does
	labels []chart.Label    // chart.LabelOf of each code

	// The value of each dictionary code as a scaled number (booleans are
	// 0 and 1): numbers at dictScale, nullNum for null, bigNum for
	// strings and numbers that do not fit. Built on first use; the rows'
	// values are read through the codes a block at a time (blockValues),
	// never copied for the whole column.
	dictNum   lazy[[]int64]
	dictScale int32

	// In a Table without records, what gives the values back besides
	// the dictionary and the numbers (see value): the numbers that do
	// not fit a scaled column, by row, and the values of a column that
	// has neither.
	big    map[int32]calldash.Value
	rest   *valueStore
	intBig map[int32]int64 // of an integer column: the values at or below bigNum

	// Summaries of each block, built on first use (see blockCodes and
	// blockSums).
	codeCounts lazy[[]int64]
	sums       lazy[[]blockSum]
}

// A blockSum is what one block of a scaled column adds up to: the sum of
// its non-null values, and the number of nulls. A sum is only read where
// the column holds no bigNum and its whole sum cannot overflow, so
// neither can a block's.
type blockSum struct{ sum, nulls int64 }

// summaryCodes bounds the dictionary of a column whose blocks' code
// counts are kept: at most 2 KiB per block of 4,096 rows, half a byte
// per row (the codes take one).
const summaryCodes = 256

// A code is the type of a dictionary column's codes.
type code interface{ ~uint8 | ~uint16 | ~uint32 }

// A codeVec holds the codes of a dictionary column in the narrowest
// width that holds them all: one byte per row for at most 256 distinct
// values, two for at most 65,536, four beyond. Exactly one of the slices
// is non-nil, none for a column without a dictionary. The kernels that
// read codes are generic over the width.
type codeVec struct {
	w8  []uint8
	w16 []uint16
	w32 []uint32
}

// newCodeVec returns an empty codeVec of one-byte codes with room for n.
func newCodeVec(n int) codeVec { return codeVec{w8: make([]uint8, 0, n)} }

// ok reports whether v holds codes (the column has a dictionary).
func (v *codeVec) ok() bool { return v.w8 != nil || v.w16 != nil || v.w32 != nil }

func (v *codeVec) len() int { return len(v.w8) + len(v.w16) + len(v.w32) }

func (v *codeVec) cap() int { return cap(v.w8) + cap(v.w16) + cap(v.w32) }

// at returns the code of row i.
func (v *codeVec) at(i int) uint32 {
	switch {
	case v.w8 != nil:
		return uint32(v.w8[i])
	case v.w16 != nil:
		return uint32(v.w16[i])
	}
	return v.w32[i]
}

// append adds code c, widening the codes into a new array when c does
// not fit their width (slices of the old array, held by Tables already
// built, stay as they are).
func (v *codeVec) append(c uint32) {
	switch {
	case v.w8 != nil && c <= math.MaxUint8:
		v.w8 = append(v.w8, uint8(c))
	case v.w8 != nil:
		v.w16 = widen[uint16](v.w8)
		v.w8 = nil
		v.append(c)
	case v.w16 != nil && c <= math.MaxUint16:
		v.w16 = append(v.w16, uint16(c))
	case v.w16 != nil:
		v.w32 = widen[uint32](v.w16)
		v.w16 = nil
		v.append(c)
	default:
		v.w32 = append(v.w32, c)
	}
}

// grow makes room for n more codes of the present width.
func (v *codeVec) grow(n int) {
	switch {
	case v.w8 != nil:
		v.w8 = growBy(v.w8, n)
	case v.w16 != nil:
		v.w16 = growBy(v.w16, n)
	case v.w32 != nil:
		v.w32 = growBy(v.w32, n)
	}
}

// widen returns codes in a new, wider array with the same capacity.
func widen[W, C code](codes []C) []W {
	out := make([]W, len(codes), max(cap(codes), len(codes)+1))
	for i, c := range codes {
		out[i] = W(c)
	}
	return out
}

// slice returns the first n codes, with no room to append in place.
func (v *codeVec) slice(n int) codeVec {
	switch {
	case v.w8 != nil:
		return codeVec{w8: v.w8[:n:n]}
	case v.w16 != nil:
		return codeVec{w16: v.w16[:n:n]}
	case v.w32 != nil:
		return codeVec{w32: v.w32[:n:n]}
	}
	return codeVec{}
}

// countRange adds one to counts[code] for each code of the rows [lo, hi).
func (v *codeVec) countRange(counts []int64, lo, hi int) {
	switch {
	case v.w8 != nil:
		countAll(counts, v.w8[lo:hi])
	case v.w16 != nil:
		countAll(counts, v.w16[lo:hi])
	case v.w32 != nil:
		countAll(counts, v.w32[lo:hi])
	}
}

// mapCodes sets out[i] to per[codes[i]].
func mapCodes[C code](out, per []int64, codes []C) {
	out = out[:len(codes)]
	for i, c := range codes {
		out[i] = per[c]
	}
}

// blockCodes returns the number of rows of each code in each block: the
// count of code c in block b is at b*len(dict)+c. It is nil for a column
// without a dictionary, or with more than summaryCodes codes.
func (col *column) blockCodes() []int64 {
	if !col.codes.ok() || len(col.dict) > summaryCodes {
		return nil
	}
	return col.codeCounts.get(func() []int64 {
		nd, n := len(col.dict), col.codes.len()
		counts := make([]int64, blocks(n)*nd)
		for b := range blocks(n) {
			lo := b * blockSize
			col.codes.countRange(counts[b*nd:(b+1)*nd], lo, min(lo+blockSize, n))
		}
		return counts
	})
}

// blockSums returns the sum and nulls of each block of the column's
// values (see values).
func (col *column) blockSums() []blockSum {
	return col.sums.get(func() []blockSum {
		vals, per, _, _, _ := col.values()
		n := len(vals)
		var bv *blockValues
		if per != nil {
			n, bv = col.codes.len(), newBlockValues(per, col.codes, false)
		}
		sums := make([]blockSum, blocks(n))
		for b := range sums {
			lo, hi := b*blockSize, min((b+1)*blockSize, n)
			if bv != nil {
				sums[b].sum, sums[b].nulls = sumAll(bv.load(lo, hi))
			} else {
				sums[b].sum, sums[b].nulls = sumAll(vals[lo:hi])
			}
		}
		return sums
	})
}

// A blockValues gives the scaled values of a dictionary column's rows
// one block at a time, from the codes and the value of each code: the
// column's values are never held for every row at once (8 bytes a row
// for a field such as success, which a widget averages).
type blockValues struct {
	per   []int64 // the value of each code
	codes codeVec
	// zeros: every value is taken as 0 (a count of a column without
	// nulls reads only whether a value is null).
	zeros bool
	buf   []int64 // blockSize values, reused block after block (made on the first load)
}

func newBlockValues(per []int64, codes codeVec, zeros bool) *blockValues {
	return &blockValues{per: per, codes: codes, zeros: zeros, buf: make([]int64, blockSize)}
}

// load returns the values of the rows [lo, hi) of one block, valid until
// the next load.
func (bv *blockValues) load(lo, hi int) []int64 {
	if bv.buf == nil {
		bv.buf = make([]int64, blockSize)
	}
	out := bv.buf[:hi-lo]
	switch v := &bv.codes; {
	case bv.zeros:
	case v.w8 != nil:
		mapCodes(out, bv.per, v.w8[lo:hi])
	case v.w16 != nil:
		mapCodes(out, bv.per, v.w16[lo:hi])
	default:
		mapCodes(out, bv.per, v.w32[lo:hi])
	}
	return out
}

// blocks returns the number of blocks of n rows.
func blocks(n int) int { return (n + blockSize - 1) / blockSize }

// A lazy value is built on first use, once, also under concurrent use.
type lazy[T any] struct {
	once sync.Once
	v    T
}

func (l *lazy[T]) get(build func() T) T {
	l.once.Do(func() { l.v = build() })
	return l.v
}

// A dictIndex finds the dictionary code of a value: one map per kind of
// value, so that a string is hashed as a string (the common case, and
// several times faster than a struct key holding one).
type dictIndex struct {
	bools [2]uint32 // false, true; 0 when not seen (code 0 is null)
	strs  map[string]uint32
	seen  [strCache]strSlot // strings of strs looked up lately, by strSlotOf
	nums  numIndex          // numbers with at most 18 digits
	big   map[string]uint32 // other numbers, by canonical text
}

// strCache is the number of slots of a dictIndex's cache of strings.
const strCache = 64

// A strSlot is a string of a dictIndex and its code + 1 (0: empty).
type strSlot struct {
	s    string
	code uint32
}

// strSlotOf returns the slot of s in the cache of strings: a hash of its
// length and three of its bytes, which a map's hash of every byte costs
// several times over. Call logs hold few distinct strings per field
// (regions, topics, reasons), which mostly share their bytes (decoded
// strings are interned), so comparing with the string of the slot is
// usually a comparison of pointers.
func strSlotOf(s string) int {
	n := len(s)
	if n == 0 {
		return 0
	}
	h := uint(n)*0x9E3779B1 ^ uint(s[0])*0x85EBCA77 ^ uint(s[n/2])*0xC2B2AE3D ^ uint(s[n-1])*0x27D4EB2F
	return int(h>>7) % strCache
}

// code returns the code of v (null is 0) and whether v has one yet.
func (x *dictIndex) code(v *calldash.Value) (uint32, bool) {
	var c uint32
	var ok bool
	switch v.Kind {
	case calldash.KindNull:
		return 0, true
	case calldash.KindBool:
		c = x.bools[b2i(v.Bool)]
		ok = c != 0
	case calldash.KindString:
		slot := &x.seen[strSlotOf(v.Str)]
		if slot.code != 0 && slot.s == v.Str {
			return slot.code - 1, true
		}
		if c, ok = x.strs[v.Str]; ok {
			*slot = strSlot{v.Str, c + 1}
		}
	case calldash.KindNumber:
		if co, e, small := dec.Small(v.Num); small {
			c, ok = x.nums.get(dec.Key{Coef: co, Exp: e})
		} else {
			c, ok = x.big[calldash.FormatDecimal(v.Num)]
		}
	}
	return c, ok
}

// set records the code of v (not null).
func (x *dictIndex) set(v *calldash.Value, c uint32) {
	switch v.Kind {
	case calldash.KindBool:
		x.bools[b2i(v.Bool)] = c
	case calldash.KindString:
		if x.strs == nil {
			x.strs = map[string]uint32{}
		}
		x.strs[v.Str] = c
	case calldash.KindNumber:
		if co, e, small := dec.Small(v.Num); small {
			x.nums.set(dec.Key{Coef: co, Exp: e}, c)
		} else {
			if x.big == nil {
				x.big = map[string]uint32{}
			}
			x.big[calldash.FormatDecimal(v.Num)] = c
		}
	}
}

// A numIndex maps numbers of at most 18 digits to codes: open
// addressing over a power-of-two table of slots, a few times faster than
// a map with a struct key (the pool of a Table without records looks up
// several numbers per call).
type numIndex struct {
	slots []numSlot
	shift uint // 64 - log2(len(slots))
	n     int
}

// A numSlot is one slot of a numIndex: a key's fields side by side take
// 16 bytes where a dec.Key and a code took 24, so that more slots share
// the cache.
type numSlot struct {
	coef int64
	exp  int32
	code uint32 // the code + 1; 0: an empty slot
}

// home returns the first slot to probe for k: the high bits of a
// multiplicative hash.
func (x *numIndex) home(k dec.Key) int {
	h := (uint64(k.Coef) ^ uint64(uint32(k.Exp))<<56 ^ uint64(uint32(k.Exp))) * 0x9E3779B97F4A7C15
	return int(h >> x.shift)
}

// get returns the code of k and whether k has one.
func (x *numIndex) get(k dec.Key) (uint32, bool) {
	if x.n == 0 {
		return 0, false
	}
	mask := len(x.slots) - 1
	for i := x.home(k); ; i = (i + 1) & mask {
		s := &x.slots[i]
		if s.code == 0 {
			return 0, false
		}
		if s.coef == k.Coef && s.exp == k.Exp {
			return s.code - 1, true
		}
	}
}

// set records the code of k, which has none yet.
func (x *numIndex) set(k dec.Key, c uint32) {
	if (x.n+1)*4 > len(x.slots)*3 {
		old := x.slots
		size := max(16, 2*len(old))
		x.slots, x.shift, x.n = make([]numSlot, size), uint(64-bits.TrailingZeros(uint(size))), 0
		for _, s := range old {
			if s.code != 0 {
				x.set(dec.Key{Coef: s.coef, Exp: s.exp}, s.code-1)
			}
		}
	}
	mask := len(x.slots) - 1
	i := x.home(k)
	for x.slots[i].code != 0 {
		i = (i + 1) & mask
	}
	x.slots[i] = numSlot{k.Coef, k.Exp, c + 1}
	x.n++
}

// scaleTo returns coef×10^(exp+scale) when it is an integer in the valid
// range of a scaled column.
func scaleTo(coef int64, exp, scale int32) (int64, bool) {
	k := exp + scale
	switch {
	case coef == 0:
		return 0, true
	case k < 0 || k > 18:
		return 0, false
	}
	p := dec.Pow10(int(k))
	v := coef * p
	if v/p != coef || v < minValid {
		return 0, false
	}
	return v, true
}

// A columnBuilder makes the column of one field from the records given
// in order, so that a Table is built in one pass over the records (the
// fields of a record share its cache lines) rather than one per field.
type columnBuilder struct {
	col    *column
	limit  int   // most distinct values of the dictionary; < 0: MaxDict of the rows so far
	allNum bool  // every non-null value so far is a number
	scale  int32 // the most decimal places of those numbers (up to maxScale)
	codes  codeVec
	ids    *dictIndex
	last   uint32 // the code of the row before, when it has one (call logs repeat a value often)

	// While allNum, from the first number on: each row's number scaled
	// to scale (rescaled in place when a number with more places comes),
	// nullNum for null, bigNum for a number that does not fit.
	nums []int64
	sum  numSummary // of nums

	// With keep (a Table without records), what the column cannot give
	// back: the numbers of more than 18 digits, and every value once the
	// column has neither a dictionary nor numbers only.
	keep bool
	big  map[int32]calldash.Value
	rest *valueStore
}

// newColumnBuilder returns the builder of a column of about n rows.
func newColumnBuilder(n, limit int, keep bool) *columnBuilder {
	return &columnBuilder{
		col:    &column{dict: []calldash.Value{calldash.Null}, first: []int32{-1}},
		limit:  limit,
		allNum: true,
		codes:  newCodeVec(n),
		ids:    &dictIndex{},
		keep:   keep,
	}
}

// grow makes room for n more rows.
func (b *columnBuilder) grow(n int) {
	b.codes.grow(n)
	if b.nums != nil {
		b.nums = growBy(b.nums, n)
	}
	if b.rest != nil && b.rest.vals == nil {
		b.rest.ends.grow(n)
	}
}

// add reads the value of row i, the next row.
func (b *columnBuilder) add(i int, v *calldash.Value) {
	col := b.col
	switch v.Kind {
	case calldash.KindNull:
		if b.nums != nil {
			b.nums = append(b.nums, nullNum)
		}
	case calldash.KindNumber:
		if !b.allNum {
			break
		}
		if b.nums == nil { // the first number: the rows before are null
			b.nums = make([]int64, i, max(b.codes.cap(), i+1))
			b.sum.reset()
			for j := range i {
				b.nums[j] = nullNum
			}
		}
		x := int64(bigNum)
		if c, e, ok := dec.Small(v.Num); ok {
			if -e > b.scale && b.scale < maxScale {
				b.rescale(min(-e, maxScale))
			}
			if y, ok := scaleTo(c, e, b.scale); ok {
				x = y
			}
		}
		if x == bigNum && b.keep {
			if b.big == nil {
				b.big = map[int32]calldash.Value{}
			}
			b.big[int32(i)] = *v
		}
		b.nums = append(b.nums, x)
	default:
		if b.allNum && b.keep && !b.codes.ok() {
			b.rest = b.numbersSoFar(i)
		}
		b.allNum, b.nums = false, nil
	}
	if b.codes.ok() {
		var code uint32
		var ok bool
		if d := &col.dict[b.last]; d.Kind == v.Kind && (v.Kind == calldash.KindString && d.Str == v.Str || v.Kind == calldash.KindBool && d.Bool == v.Bool) {
			code, ok = b.last, true // (no hash of the string)
		} else {
			code, ok = b.ids.code(v)
		}
		switch {
		case ok:
			if code == 0 && col.first[0] < 0 {
				col.first[0] = int32(i)
			}
			b.codes.append(code)
		case len(col.dict) >= b.limit && b.limit >= 0 || b.limit < 0 && len(col.dict) >= MaxDict(i):
			b.dropDict(i) // too many distinct values: no dictionary
		default:
			code = uint32(len(col.dict))
			b.ids.set(v, code)
			col.dict = append(col.dict, *v)
			col.first = append(col.first, int32(i))
			b.codes.append(code)
		}
		b.last = code
	}
	if b.rest != nil {
		b.rest.add(*v)
	}
}

// dropDict gives up the dictionary at row n (rows before it have codes);
// with keep and not only numbers, their values go to the rest.
func (b *columnBuilder) dropDict(n int) {
	if b.keep && !b.allNum {
		b.rest = &valueStore{}
		for j := range n {
			b.rest.add(b.col.dict[b.codes.at(j)])
		}
	}
	b.codes, b.ids = codeVec{}, nil
}

// rescale scales the numbers so far to scale places, in a new array
// (columns already made keep the old one); those that no longer fit
// become bigNum (with keep, their values go to big).
func (b *columnBuilder) rescale(scale int32) {
	k := scale - b.scale
	b.nums = slices.Clone(b.nums)
	b.sum.reset()
	for j, x := range b.nums {
		if x <= bigNum {
			continue
		}
		y, ok := scaleTo(x, 0, k)
		if !ok {
			y = bigNum
			if b.keep {
				if b.big == nil {
					b.big = map[int32]calldash.Value{}
				}
				b.big[int32(j)] = calldash.Number(decimal.New(x, -b.scale))
			}
		}
		b.nums[j] = y
	}
	b.scale = scale
}

// numbersSoFar returns the values of the first n rows, all numbers or
// null, as a valueStore.
func (b *columnBuilder) numbersSoFar(n int) *valueStore {
	vs := &valueStore{}
	for j := range n {
		x := int64(nullNum)
		if b.nums != nil {
			x = b.nums[j]
		}
		switch x {
		case nullNum:
			vs.add(calldash.Null)
		case bigNum:
			vs.add(b.big[int32(j)])
		default:
			vs.add(calldash.Number(decimal.New(x, -b.scale)))
		}
	}
	return vs
}

// finish returns the column of the n rows added so far. The builder
// may take more rows afterwards: the column shares its arrays, which
// the builder only appends to (or replaces), never changes below n.
func (b *columnBuilder) finish(n int) *column {
	if b.codes.ok() && b.limit < 0 && len(b.col.dict) > MaxDict(n) {
		b.dropDict(n)
	}
	col := &column{allNum: b.allNum}
	if b.codes.ok() {
		nd := len(b.col.dict)
		col.codes = b.codes.slice(n)
		col.dict = b.col.dict[:nd:nd]
		col.first = slices.Clone(b.col.first)
		col.labels = make([]chart.Label, nd)
		for c, v := range col.dict {
			col.labels[c] = chart.LabelOf(v)
			if v.Kind == calldash.KindNumber {
				if _, e, ok := dec.Small(v.Num); ok && -e > col.dictScale {
					col.dictScale = min(-e, maxScale)
				}
			}
		}
	}
	if b.allNum && !col.codes.ok() {
		// (With a dictionary, values gives the numbers from it, on first
		// use: 8 bytes a row spared for fields like agent.id, which no
		// widget adds up.)
		col.scale = b.scale
		if b.nums == nil { // no number at all: every row is null
			b.nums = make([]int64, n, b.codes.cap())
			b.sum.reset()
			for i := range b.nums {
				b.nums[i] = nullNum
			}
		}
		col.num = b.nums[:n:n]
		col.summarizeFrom(&b.sum)
	}
	if b.keep {
		col.big = maps.Clone(b.big)
		if b.rest != nil && !col.codes.ok() && col.num == nil {
			col.rest = b.rest.snapshot(n)
		}
	}
	return col
}

// summarizeFrom sets what summarize sets, from s, the summary of the
// rows of col.num that a builder read before.
func (col *column) summarizeFrom(s *numSummary) {
	st := s.stats(col.num)
	col.hasBig, col.maxAbs, col.zones = st.hasBig, st.maxAbs, st.zones
}

// summarize sets what the predicates know of the numbers of col.num
// before reading them: whether one is out of range (bigNum), the largest
// magnitude of the others, and the zones of the column.
func (col *column) summarize() {
	for _, x := range col.num {
		switch {
		case x == bigNum:
			col.hasBig = true
		case x != nullNum:
			col.maxAbs = max(col.maxAbs, x, -x)
		}
	}
	col.zones = zonesOf(col.num)
}

func scaledOf(d decimal.Decimal, scale int32) (int64, bool) {
	c, e, ok := dec.Small(d)
	if !ok {
		return 0, false
	}
	return scaleTo(c, e, scale)
}

// values returns the field as scaled integers: the number column
// (vals), or the value of each dictionary code (per: booleans as 0 and 1,
// strings as bigNum; see blockValues), or neither; the largest |value|,
// the scale, and whether every non-null value is a number (or a boolean)
// that fits.
func (col *column) values() (vals, per []int64, maxAbs int64, scale int32, numeric bool) {
	if col.num != nil {
		return col.num, nil, col.maxAbs, col.scale, !col.hasBig
	}
	if !col.codes.ok() {
		return nil, nil, 0, 0, false
	}
	per = col.dictNum.get(func() []int64 {
		per := make([]int64, len(col.dict))
		for c, v := range col.dict {
			per[c] = bigNum
			switch v.Kind {
			case calldash.KindNull:
				per[c] = nullNum
			case calldash.KindBool:
				if v.Bool {
					per[c] = dec.Pow10(int(col.dictScale))
				} else {
					per[c] = 0
				}
			case calldash.KindNumber:
				if x, ok := scaledOf(v.Num, col.dictScale); ok {
					per[c] = x
				}
			}
		}
		return per
	})
	numeric = true
	for _, v := range col.dict {
		if v.Kind != calldash.KindNull && v.Kind != calldash.KindBool {
			if _, ok := scaledOf(v.Num, col.dictScale); v.Kind != calldash.KindNumber || !ok {
				numeric = false
			}
		}
	}
	return nil, per, maxAbsOf(per), col.dictScale, numeric
}

// hasNulls reports whether some row of a dictionary column is null.
func (col *column) hasNulls() bool { return col.first[0] >= 0 }

// maxAbsOf returns the largest |v| of a scaled column's values.
func maxAbsOf(vals []int64) int64 {
	var m int64
	for _, v := range vals {
		if v > bigNum {
			m = max(m, v, -v)
		}
	}
	return m
}

// timeNanos returns t as Unix nanoseconds, nullNum for the zero time and
// bigNum for an instant outside the range of int64 nanoseconds.
func timeNanos(t time.Time) int64 {
	if t.IsZero() {
		return nullNum
	}
	const maxSec = math.MaxInt64/int64(time.Second) - 1
	if s := t.Unix(); s > maxSec || s < -maxSec {
		return bigNum
	}
	return t.UnixNano()
}

// A zone is what one block of a scaled or instant column holds: the
// smallest and largest value, and whether a null or a bigNum is there
// too. A filter skips a block its range misses and keeps, untested, a
// block its range covers (records logged in time order make this the
// common case for timestamps).
type zone struct {
	min, max int64 // of the values other than the sentinels; min > max when none
	special  bool  // the block holds nullNum or bigNum
}

// zonesOf returns the zones of the blocks of vals.
func zonesOf(vals []int64) []zone {
	zs := make([]zone, blocks(len(vals)))
	for b := range zs {
		z := zone{min: math.MaxInt64, max: math.MinInt64}
		for _, v := range vals[b*blockSize : min((b+1)*blockSize, len(vals))] {
			if v <= bigNum {
				z.special = true
				continue
			}
			z.min, z.max = min(z.min, v), max(z.max, v)
		}
		zs[b] = z
	}
	return zs
}
