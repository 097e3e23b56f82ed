package sqlitefn

import (
	"cmp"
	"strconv"

	"github.com/shopspring/decimal"
)

// The fast path: most numbers in a table are short decimals ("183.27",
// "60") that fit an int64 coefficient and a small exponent. Those are
// parsed, compared, summed and printed here without allocating; anything
// else goes through shopspring/decimal as before. Every function here
// either gives the answer the decimal path would give or says it cannot.

// A small is the decimal coef·10^exp with at most maxDigits digits in
// coef and |exp| ≤ maxExp.
type small struct {
	coef int64
	exp  int32
}

const (
	maxDigits = 18   // 10^18 - 1 < 2^63: room to scale and add
	maxExp    = 1000 // well inside decimal.MaxDecodeExponent (10000)
	maxLen    = 64   // longer text takes the decimal path

	maxInt64 int64 = 1<<63 - 1
)

// pow10[i] is 10^i.
var pow10 = [...]int64{
	1, 10, 100, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9,
	1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18,
}

// parseSmall reads s as decimal.NewFromString would: an optional sign,
// digits with at most one '.', at least one digit, then optionally 'e' or
// 'E', an optional sign and digits. ok is false when s is not of that
// form or does not fit a small; the decimal path then decides. Every s
// that parseSmall accepts, parseDecimal accepts with the same value.
func parseSmall[T string | []byte](s T) (x small, ok bool) {
	n := len(s)
	if n > maxLen {
		return small{}, false
	}
	i := 0
	neg := false
	if i < n && (s[i] == '+' || s[i] == '-') {
		neg = s[i] == '-'
		i++
	}
	// Digits before and after the point. coef may wrap when there are
	// more than maxDigits; it is not used then. (The two loops stay
	// written out: one inlined helper for both measured 14 % slower in
	// BenchmarkCompare, the collation's path for every row.)
	var coef int64
	start := i
	for ; i < n; i++ {
		c := s[i] - '0'
		if c > 9 {
			break
		}
		coef = coef*10 + int64(c)
	}
	digits, frac := i-start, 0
	if i < n && s[i] == '.' {
		i++
		fstart := i
		for ; i < n; i++ {
			c := s[i] - '0'
			if c > 9 {
				break
			}
			coef = coef*10 + int64(c)
		}
		frac = i - fstart
		digits += frac
	}
	if digits == 0 || digits > maxDigits && significant(s[start:i]) > maxDigits {
		return small{}, false
	}
	exp := -frac
	if i < n {
		if s[i] != 'e' && s[i] != 'E' {
			return small{}, false
		}
		i++
		eneg := false
		if i < n && (s[i] == '+' || s[i] == '-') {
			eneg = s[i] == '-'
			i++
		}
		if i == n {
			return small{}, false
		}
		e := 0
		for ; i < n; i++ {
			c := s[i]
			if c < '0' || c > '9' {
				return small{}, false
			}
			if e = e*10 + int(c-'0'); e > maxExp+maxLen {
				return small{}, false
			}
		}
		if eneg {
			e = -e
		}
		exp += e
	}
	if exp < -maxExp || exp > maxExp {
		return small{}, false
	}
	if neg {
		coef = -coef
	}
	return small{coef, int32(exp)}, true
}

// significant is the number of digits in s from the first nonzero one.
func significant[T string | []byte](s T) int {
	n := 0
	for i := 0; i < len(s); i++ {
		if c := s[i]; c != '.' && (n > 0 || c != '0') {
			n++
		}
	}
	return n
}

// smallInt is v as a small; ok is false when v has more than maxDigits
// digits.
func smallInt(v int64) (small, bool) {
	if v <= -pow10[maxDigits] || v >= pow10[maxDigits] {
		return small{}, false
	}
	return small{v, 0}, true
}

func (x small) decimal() decimal.Decimal { return decimal.New(x.coef, x.exp) }

// cmp compares x and y exactly: -1, 0 or +1.
func (x small) cmp(y small) int {
	switch {
	case x.exp == y.exp:
		return cmp.Compare(x.coef, y.coef)
	case x.exp > y.exp:
		if c, ok := scale(x.coef, x.exp-y.exp); ok {
			return cmp.Compare(c, y.coef)
		}
	default:
		if c, ok := scale(y.coef, y.exp-x.exp); ok {
			return cmp.Compare(x.coef, c)
		}
	}
	// The exponents are far apart: compare the signs, then the
	// magnitudes, first by the position of the leading digit, then digit by
	// digit once both coefficients have the same length (at most maxDigits,
	// no overflow).
	sx, sy := sign(x.coef), sign(y.coef)
	if sx != sy || sx == 0 {
		return cmp.Compare(sx, sy)
	}
	mx, my := x.coef*int64(sx), y.coef*int64(sy)
	nx, ny := numDigits(mx), numDigits(my)
	var c int
	switch lx, ly := nx+int(x.exp), ny+int(y.exp); {
	case lx != ly:
		c = cmp.Compare(lx, ly)
	case nx < ny:
		c = cmp.Compare(mx*pow10[ny-nx], my)
	default:
		c = cmp.Compare(mx, my*pow10[nx-ny])
	}
	return c * sx
}

func sign(v int64) int {
	switch {
	case v < 0:
		return -1
	case v > 0:
		return 1
	}
	return 0
}

// numDigits is the number of decimal digits of v, 0 < v < 10^18.
func numDigits(v int64) int {
	n := 1
	for n < maxDigits && v >= pow10[n] {
		n++
	}
	return n
}

// scale is c·10^d for d > 0; ok is false when that overflows an int64.
func scale(c int64, d int32) (int64, bool) {
	if d > maxDigits || c > scaleLimit[d] || c < -scaleLimit[d] {
		return 0, false
	}
	return c * pow10[d], true
}

// scaleLimit[i] is the largest c with c·10^i ≤ maxInt64.
var scaleLimit = [...]int64{
	maxInt64, maxInt64 / 1e1, maxInt64 / 1e2, maxInt64 / 1e3, maxInt64 / 1e4,
	maxInt64 / 1e5, maxInt64 / 1e6, maxInt64 / 1e7, maxInt64 / 1e8, maxInt64 / 1e9,
	maxInt64 / 1e10, maxInt64 / 1e11, maxInt64 / 1e12, maxInt64 / 1e13, maxInt64 / 1e14,
	maxInt64 / 1e15, maxInt64 / 1e16, maxInt64 / 1e17, maxInt64 / 1e18,
}

// addScaled is c1·10^e1 + c2·10^e2 as a coefficient at the smaller
// exponent; ok is false when that overflows an int64 (the coefficient is
// not limited to maxDigits here).
func addScaled(c1 int64, e1 int32, c2 int64, e2 int32) (int64, int32, bool) {
	switch {
	case c2 == 0:
		return c1, e1, true
	case c1 == 0:
		return c2, e2, true
	case e1 > e2:
		var ok bool
		if c1, ok = scale(c1, e1-e2); !ok {
			return 0, 0, false
		}
		e1 = e2
	case e2 > e1:
		var ok bool
		if c2, ok = scale(c2, e2-e1); !ok {
			return 0, 0, false
		}
	}
	s := c1 + c2
	if (s^c1)&(s^c2) < 0 {
		return 0, 0, false
	}
	return s, e1, true
}

// canonicalSmall writes coef·10^exp as canonical does: no exponent, no
// trailing zeros after the point, "0" for zero. coef may be any int64.
func canonicalSmall(coef int64, exp int32) string {
	if coef == 0 {
		return "0"
	}
	for exp < 0 && coef%10 == 0 {
		coef /= 10
		exp++
	}
	var buf [48]byte
	b := buf[:0]
	if coef < 0 {
		b = append(b, '-')
	}
	u := uint64(coef)
	if coef < 0 {
		u = -u
	}
	if exp >= 0 {
		b = strconv.AppendUint(b, u, 10)
		for range exp {
			b = append(b, '0')
		}
		return string(b)
	}
	var dbuf [20]byte
	digits := strconv.AppendUint(dbuf[:0], u, 10)
	point := len(digits) + int(exp) // digits before the point
	if point > 0 {
		b = append(b, digits[:point]...)
		b = append(b, '.')
		b = append(b, digits[point:]...)
		return string(b)
	}
	b = append(b, '0', '.')
	for range -point {
		b = append(b, '0')
	}
	b = append(b, digits...)
	return string(b)
}
