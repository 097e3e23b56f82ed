package aggregate

import (
	"cmp"
	"fmt"
	"time"

	"github.com/shopspring/decimal"

	"github.com/calldash/calldash"

	"github.com/calldash/calldash/internal/dec"
)

// DefaultAvgPlaces is the number of decimal places [Avg] rounds to by
// default.
const DefaultAvgPlaces = 4

// A ResultKind says what a [Result] holds.
type ResultKind uint8

// The kinds of results. The zero Result is null.
const (
	NullResult   ResultKind = iota // no value: the aggregate had no input
	NumberResult                   // an exact number in Result.Num
	TimeResult                     // an instant in Result.Time (Min/Max over datetimes)
)

// A Result is the value of an aggregate: null, an exact decimal number, or
// an instant. The zero Result is null.
type Result struct {
	Kind ResultKind
	Num  decimal.Decimal // for NumberResult; may carry trailing zeros (Avg is 4.5000), compare with Equal
	Time time.Time       // for TimeResult
}

// IsNull reports whether r is null.
func (r Result) IsNull() bool { return r.Kind == NullResult }

// String returns "null", the number in plain decimal notation (as
// decimal.Decimal.String), or the instant in RFC 3339 with nanoseconds.
func (r Result) String() string {
	switch r.Kind {
	case NumberResult:
		return r.Num.String()
	case TimeResult:
		return r.Time.Format(time.RFC3339Nano)
	}
	return "null"
}

var decOne, decZero = decimal.NewFromInt(1), decimal.NewFromInt(0)

// An Accumulator computes one aggregate over a stream of values in one
// pass. Its memory does not grow with the number of values, except for the
// percentile functions, which keep every non-null value.
//
// Inputs ([Accumulator.Add]):
//   - null values are ignored by every function (but counted by
//     [Accumulator.Rows]);
//   - numbers are exact decimals;
//   - booleans are numbers 1 (true) and 0 (false): Avg is the fraction of
//     true, Sum the number of true values, Min/Max/percentiles 0 or 1;
//   - strings count for Count and are ignored by the other functions;
//   - datetimes ([Accumulator.AddTime]) count for Count and give a
//     [TimeResult] for Min and Max; the other functions ignore them.
//
// Mixing numbers and datetimes in one Accumulator is not meaningful; Min
// and Max then report the numbers.
//
// The zero Accumulator is not usable; build one with [New]. Accumulator is
// a value type: a slice of them (one per bucket) needs no allocation per
// bucket. It is not safe for concurrent use.
type Accumulator struct {
	fn     Func
	places int32
	rows   int64 // Add/AddTime calls, nulls included
	n      int64 // non-null values
	nn     int64 // numeric values (numbers and booleans)

	// Sum/Avg: the sum is big + small×10^smallExp; small holds the terms
	// whose coefficients fit an int64, so that adding costs no allocation.
	small    int64
	smallExp int32
	big      decimal.Decimal
	hasBig   bool

	// Min/Max over numbers and over datetimes.
	ext        decimal.Decimal
	tmin, tmax time.Time
	nt         int64 // datetime values

	// Percentiles: the values, in any order.
	vals []decimal.Decimal
}

// New returns an Accumulator for f. avgPlaces is the number of decimal
// places Avg rounds to (half away from zero); pass [DefaultAvgPlaces]. It
// must be >= 0. New panics if f is not a valid Func.
func New(f Func, avgPlaces int32) Accumulator {
	if f < Count || f > P99 {
		panic(fmt.Sprintf("aggregate.New: invalid Func %d", f))
	}
	if avgPlaces < 0 {
		panic(fmt.Sprintf("aggregate.New: negative avgPlaces %d", avgPlaces))
	}
	return Accumulator{fn: f, places: avgPlaces}
}

// Func returns the accumulator's function.
func (a *Accumulator) Func() Func { return a.fn }

// Rows returns the number of values added, nulls included: the
// sample_count of a bar.
func (a *Accumulator) Rows() int64 { return a.rows }

// Count returns the number of non-null values added.
func (a *Accumulator) Count() int64 { return a.n }

// Reset empties the accumulator, keeping its function, places and (for
// percentiles) its buffer.
func (a *Accumulator) Reset() {
	*a = Accumulator{fn: a.fn, places: a.places, vals: a.vals[:0]}
}

// Add adds one value. See [Accumulator] for how each kind of value counts.
func (a *Accumulator) Add(v calldash.Value) {
	a.rows++
	switch v.Kind {
	case calldash.KindNull:
		return
	case calldash.KindNumber:
		a.n++
		a.addNum(v.Num)
	case calldash.KindBool:
		a.n++
		if v.Bool {
			a.addNum(decOne)
		} else {
			a.addNum(decZero)
		}
	default:
		a.n++
	}
}

// AddTime adds one datetime value; see [Accumulator].
func (a *Accumulator) AddTime(t time.Time) {
	a.rows++
	a.n++
	if a.nt == 0 || t.Before(a.tmin) {
		a.tmin = t
	}
	if a.nt == 0 || t.After(a.tmax) {
		a.tmax = t
	}
	a.nt++
}

// AddNull counts one row without a value (the same as Add(calldash.Null)).
func (a *Accumulator) AddNull() { a.rows++ }

func (a *Accumulator) addNum(d decimal.Decimal) {
	first := a.nn == 0
	a.nn++
	switch a.fn {
	case Sum, Avg:
		a.addSum(d)
	case Min:
		if first || cmpDec(d, a.ext) < 0 {
			a.ext = d
		}
	case Max:
		if first || cmpDec(d, a.ext) > 0 {
			a.ext = d
		}
	case P50, P95, P99:
		a.vals = append(a.vals, d)
	}
}

// small returns the coefficient of d if it fits an int64 (with room: at
// most 18 digits), without allocating.
func small(d decimal.Decimal) (int64, bool) {
	if d.NumDigits() > 18 {
		return 0, false
	}
	return d.CoefficientInt64(), true
}

// scale returns c×10^k, reporting overflow.
func scale(c int64, k int32) (int64, bool) {
	if k == 0 || c == 0 {
		return c, true
	}
	if k < 0 || k > 18 { // negative: a difference of exponents that overflowed int32
		return 0, false
	}
	p := dec.Pow10(int(k))
	r := c * p
	if r/p != c {
		return 0, false
	}
	return r, true
}

// add returns x+y, reporting overflow.
func add(x, y int64) (int64, bool) {
	s := x + y
	if (x >= 0) == (y >= 0) && (s >= 0) != (x >= 0) {
		return 0, false
	}
	return s, true
}

func (a *Accumulator) addSum(d decimal.Decimal) {
	c0, ok := small(d)
	if !ok {
		a.addBig(d)
		return
	}
	e := d.Exponent()
	if a.small == 0 {
		a.small, a.smallExp = c0, e
		return
	}
	c, s, se := c0, a.small, a.smallExp
	switch {
	case e > se:
		c, ok = scale(c, e-se)
	case e < se:
		s, ok = scale(s, se-e)
		se = e
	}
	if ok {
		s, ok = add(s, c)
	}
	if !ok { // move the int64 sum to the big one and start again
		a.addBig(decimal.New(a.small, a.smallExp))
		s, se = c0, e
	}
	a.small, a.smallExp = s, se
}

func (a *Accumulator) addBig(d decimal.Decimal) {
	if !a.hasBig {
		a.big, a.hasBig = d, true
		return
	}
	a.big = a.big.Add(d)
}

// cmpDec compares x and y, without allocating when both coefficients are
// small.
func cmpDec(x, y decimal.Decimal) int {
	if cx, ok := small(x); ok {
		if cy, ok := small(y); ok {
			ex, ey := x.Exponent(), y.Exponent()
			okx, oky := true, true
			switch {
			case ex > ey:
				cx, okx = scale(cx, ex-ey)
			case ex < ey:
				cy, oky = scale(cy, ey-ex)
			}
			if okx && oky {
				return cmp.Compare(cx, cy)
			}
		}
	}
	return x.Cmp(y)
}

// sum returns the exact sum of the numeric values.
func (a *Accumulator) sum() decimal.Decimal {
	s := decimal.New(a.small, a.smallExp)
	if a.hasBig {
		s = a.big.Add(s)
	}
	return s
}

// Result returns the aggregate of the values added so far: null when the
// function had no input (no numeric value, or for Min/Max no numeric or
// datetime value), except Count, which is 0. Result may be called any
// number of times; more values may be added after it.
func (a *Accumulator) Result() Result {
	switch a.fn {
	case Count:
		return Result{Kind: NumberResult, Num: decimal.NewFromInt(a.n)}
	case Sum:
		if a.nn == 0 {
			return Result{}
		}
		return Result{Kind: NumberResult, Num: a.sum()}
	case Avg:
		if a.nn == 0 {
			return Result{}
		}
		return Result{Kind: NumberResult, Num: a.sum().DivRound(decimal.NewFromInt(a.nn), a.places)}
	case Min, Max:
		if a.nn > 0 {
			return Result{Kind: NumberResult, Num: a.ext}
		}
		if a.nt > 0 {
			if a.fn == Min {
				return Result{Kind: TimeResult, Time: a.tmin}
			}
			return Result{Kind: TimeResult, Time: a.tmax}
		}
		return Result{}
	default:
		if len(a.vals) == 0 {
			return Result{}
		}
		return Result{Kind: NumberResult, Num: percentile(a.vals, Rank(a.fn.Percentile(), len(a.vals))-1)}
	}
}

// Rank returns the nearest rank of the p-th percentile among n sorted
// values: ⌈p/100 × n⌉, at least 1 (1-based; 0 when n is 0).
func Rank(p, n int) int {
	if n <= 0 {
		return 0
	}
	r := (p*n + 99) / 100
	return min(max(r, 1), n)
}

// Merge adds the values of b to a, as if they had been added to a. Both
// must have the same function.
func (a *Accumulator) Merge(b *Accumulator) {
	if a.fn != b.fn {
		panic(fmt.Sprintf("aggregate: Merge of %s into %s", b.fn, a.fn))
	}
	a.rows += b.rows
	a.n += b.n
	switch a.fn {
	case Sum, Avg:
		if b.nn > 0 {
			a.addBig(b.sum())
		}
	case Min, Max:
		if b.nn > 0 {
			if a.nn == 0 {
				a.ext = b.ext
			} else if c := cmpDec(b.ext, a.ext); c < 0 && a.fn == Min || c > 0 && a.fn == Max {
				a.ext = b.ext
			}
		}
		if b.nt > 0 {
			if a.nt == 0 || b.tmin.Before(a.tmin) {
				a.tmin = b.tmin
			}
			if a.nt == 0 || b.tmax.After(a.tmax) {
				a.tmax = b.tmax
			}
		}
	case P50, P95, P99:
		a.vals = append(a.vals, b.vals...)
	}
	a.nn += b.nn
	a.nt += b.nt
}
