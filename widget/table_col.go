package widget

import (
	"math"
	"sync"
	"time"

	"github.com/shopspring/decimal"

	"github.com/calldash/calldash/chart"
	"github.com/calldash/calldash/filter"
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

// maxDict bounds the distinct values of a dictionary column.
func maxDict(n int) int { return max(1024, n/16) }

// A column is one call-level field of every record.
type column struct {
	// Scaled numbers, set when every non-null value is a number: the value
	// × 10^scale, nullNum for null, bigNum for a number that does not fit.
	num    []int64
	zones  []zone // of num
	scale  int32
	hasBig bool
	maxAbs int64 // largest |value| of num (for overflow-free sums)

	// Dictionary, set when the field has few distinct values: codes[i] is
	// the code of row i's value; code 0 is null.
	codes  []uint32
	dict   []filter.Value // by code
	first  []int32        // a row holding each code; -1 when none does
	labels []chart.Label  // chart.LabelOf of each code

	// The values of a dictionary as a scaled column (booleans are 0 and
	// 1): numbers at numScale, nullNum for null, bigNum for strings and
	// numbers that do not fit. Built on first use.
	dictNum   lazy[scaled]
	dictScale int32
}

// scaled is a scaled column and the largest |value| in it.
type scaled struct {
	vals   []int64
	maxAbs int64
}

// A lazy value is built on first use, once, also under concurrent use.
type lazy[T any] struct {
	once sync.Once
	v    T
}

func (l *lazy[T]) get(build func() T) T {
	l.once.Do(func() { l.v = build() })
	return l.v
}

// A numberKey identifies a number by value in a dictionary.
type dictKey struct {
	kind filter.Kind
	b    bool
	s    string
	coef int64
	exp  int32
}

// smallDec returns d as coef×10^exp with no trailing zeros in coef, when
// the coefficient has at most 18 digits.
func smallDec(d decimal.Decimal) (coef int64, exp int32, ok bool) {
	if d.NumDigits() > 18 {
		return 0, 0, false
	}
	c, e := d.CoefficientInt64(), d.Exponent()
	if c == 0 {
		return 0, 0, true
	}
	for c%10 == 0 {
		c /= 10
		e++
	}
	return c, e, true
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
	p := pow10[k]
	v := coef * p
	if v/p != coef || v < minValid {
		return 0, false
	}
	return v, true
}

var pow10 = func() (p [19]int64) {
	p[0] = 1
	for i := 1; i < len(p); i++ {
		p[i] = p[i-1] * 10
	}
	return p
}()

func keyOf(v filter.Value) dictKey {
	switch v.Kind {
	case filter.KindBool:
		return dictKey{kind: v.Kind, b: v.Bool}
	case filter.KindString:
		return dictKey{kind: v.Kind, s: v.Str}
	case filter.KindNumber:
		if c, e, ok := smallDec(v.Num); ok {
			return dictKey{kind: v.Kind, coef: c, exp: e}
		}
		return dictKey{kind: v.Kind, s: chart.FormatDecimal(v.Num), exp: math.MinInt32}
	}
	return dictKey{}
}

// newColumn reads one field of n records.
func newColumn(n, limit int, read func(i int) filter.Value) *column {
	col := &column{}
	allNum := true
	scale := int32(0)
	codes := make([]uint32, n)
	ids := map[dictKey]uint32{{}: 0}
	col.dict, col.first = []filter.Value{filter.Null}, []int32{-1}
	for i := range n {
		v := read(i)
		switch v.Kind {
		case filter.KindNull:
		case filter.KindNumber:
			if _, e, ok := smallDec(v.Num); ok && -e > scale {
				scale = min(-e, maxScale)
			}
		default:
			allNum = false
		}
		if codes == nil {
			continue
		}
		k := keyOf(v)
		code, ok := ids[k]
		if !ok {
			if len(col.dict) >= limit {
				codes = nil
				continue
			}
			code = uint32(len(col.dict))
			ids[k] = code
			col.dict = append(col.dict, v)
			col.first = append(col.first, int32(i))
		} else if code == 0 && col.first[0] < 0 {
			col.first[0] = int32(i)
		}
		codes[i] = code
	}
	if codes != nil {
		col.codes = codes
		col.labels = make([]chart.Label, len(col.dict))
		for c, v := range col.dict {
			col.labels[c] = chart.LabelOf(v)
		}
		col.dictScale = 0
		for _, v := range col.dict {
			if v.Kind == filter.KindNumber {
				if _, e, ok := smallDec(v.Num); ok && -e > col.dictScale {
					col.dictScale = min(-e, maxScale)
				}
			}
		}
	} else {
		col.dict, col.first = nil, nil
	}
	if allNum {
		col.num, col.scale = make([]int64, n), scale
		for i := range n {
			v := read(i)
			if v.Kind == filter.KindNull {
				col.num[i] = nullNum
				continue
			}
			x, ok := scaledOf(v.Num, scale)
			if !ok {
				col.num[i], col.hasBig = bigNum, true
				continue
			}
			col.num[i] = x
			col.maxAbs = max(col.maxAbs, x, -x)
		}
		col.zones = zonesOf(col.num)
	}
	return col
}

// intColumn reads an integer field (see filter.Field.CallInt) into a
// scaled column of scale 0, without a dictionary: ids are distinct.
func intColumn(n int, read func(i int) (int64, bool)) *column {
	col := &column{num: make([]int64, n)}
	for i := range n {
		v, ok := read(i)
		switch {
		case !ok:
			v = nullNum
		case v <= bigNum:
			v, col.hasBig = bigNum, true
		default:
			col.maxAbs = max(col.maxAbs, v, -v)
		}
		col.num[i] = v
	}
	col.zones = zonesOf(col.num)
	return col
}

func scaledOf(d decimal.Decimal, scale int32) (int64, bool) {
	c, e, ok := smallDec(d)
	if !ok {
		return 0, false
	}
	return scaleTo(c, e, scale)
}

// values returns the field as a scaled column: the number column, or the
// dictionary's values (booleans as 0 and 1, strings as bigNum), and
// whether every non-null value is a number (or a boolean) that fits.
func (col *column) values() (vals []int64, maxAbs int64, scale int32, numeric bool) {
	if col.num != nil {
		return col.num, col.maxAbs, col.scale, !col.hasBig
	}
	if col.codes == nil {
		return nil, 0, 0, false
	}
	sc := col.dictNum.get(func() scaled {
		per := make([]int64, len(col.dict))
		for c, v := range col.dict {
			per[c] = bigNum
			switch v.Kind {
			case filter.KindNull:
				per[c] = nullNum
			case filter.KindBool:
				if v.Bool {
					per[c] = pow10[col.dictScale]
				} else {
					per[c] = 0
				}
			case filter.KindNumber:
				if x, ok := scaledOf(v.Num, col.dictScale); ok {
					per[c] = x
				}
			}
		}
		out := make([]int64, len(col.codes))
		for i, c := range col.codes {
			out[i] = per[c]
		}
		return scaled{out, maxAbsOf(per)}
	})
	numeric = true
	for _, v := range col.dict {
		if v.Kind != filter.KindNull && v.Kind != filter.KindBool {
			if _, ok := scaledOf(v.Num, col.dictScale); v.Kind != filter.KindNumber || !ok {
				numeric = false
			}
		}
	}
	return sc.vals, sc.maxAbs, col.dictScale, numeric
}

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
	zs := make([]zone, (len(vals)+blockSize-1)/blockSize)
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
