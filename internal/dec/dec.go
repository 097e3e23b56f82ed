// Package dec holds the helpers of calldash's fast paths for exact
// decimals whose coefficient fits an int64: the powers of ten and the
// split of a decimal into such a coefficient and an exponent.
package dec

import (
	"strconv"

	"github.com/shopspring/decimal"
)

// MaxPow is the largest k with 10^k in an int64.
const MaxPow = 18

// pow10 holds 10^0 .. 10^18; it is only read.
var pow10 = [MaxPow + 1]int64{
	1, 10, 100, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9,
	1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18,
}

// Pow10 returns 10^k for 0 ≤ k ≤ [MaxPow].
func Pow10(k int) int64 { return pow10[k] }

// Digits returns the number of decimal digits of u (1 for 0).
func Digits(u uint64) int {
	n := 1
	for u >= 10 {
		u /= 10
		n++
	}
	return n
}

// Small returns d as coef×10^exp with no trailing zeros in coef, when the
// coefficient has at most 18 digits (ok is false otherwise). It does not
// allocate.
func Small(d decimal.Decimal) (coef int64, exp int32, ok bool) {
	if d.NumDigits() > MaxPow {
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

// A Key is a small decimal as a comparable value, coef×10^exp with no
// trailing zeros in coef (as [Small] returns it): equal numbers have
// equal keys, so they can key maps.
type Key struct {
	Coef int64
	Exp  int32
}

// Append appends the canonical text of d (calldash.AppendDecimal's: plain
// notation, no trailing zeros after the point, no point for integers),
// without copying the coefficient when it fits an int64.
func Append(b []byte, d decimal.Decimal) []byte {
	var buf [20]byte
	var digits []byte
	if d.NumDigits() <= MaxPow {
		// The coefficient is an int64: no copy of its big.Int.
		digits = strconv.AppendInt(buf[:0], d.CoefficientInt64(), 10)
	} else {
		digits = d.Coefficient().Append(buf[:0], 10)
	}
	return appendDigits(b, digits, int(d.Exponent()))
}

// String returns the text of [Append] as a string.
func String(d decimal.Decimal) string {
	var buf [48]byte
	return string(Append(buf[:0], d))
}

// appendDigits appends the canonical text of the decimal digits × 10^exp,
// digits the coefficient's (a leading '-' for a negative one).
func appendDigits(b, digits []byte, exp int) []byte {
	if len(digits) == 1 && digits[0] == '0' {
		return append(b, '0')
	}
	if digits[0] == '-' {
		b = append(b, '-')
		digits = digits[1:]
	}
	if exp >= 0 {
		b = append(b, digits...)
		for range exp {
			b = append(b, '0')
		}
		return b
	}
	// Drop trailing zeros of the fraction.
	for exp < 0 && digits[len(digits)-1] == '0' {
		digits = digits[:len(digits)-1]
		exp++
	}
	if exp == 0 {
		return append(b, digits...)
	}
	frac := -exp
	if len(digits) > frac {
		b = append(b, digits[:len(digits)-frac]...)
		b = append(b, '.')
		return append(b, digits[len(digits)-frac:]...)
	}
	b = append(b, '0', '.')
	for range frac - len(digits) {
		b = append(b, '0')
	}
	return append(b, digits...)
}
