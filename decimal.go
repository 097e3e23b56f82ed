package calldash

import (
	"time"

	"github.com/shopspring/decimal"
)

// AppendDecimal appends the canonical text of d: plain decimal notation,
// no exponent, no trailing zeros after the point, no point for integers
// (4.5000 → 4.5, 60 → 60, 1E+3 → 1000, -0.50 → -0.5, 0.000 → 0). It does
// not depend on shopspring/decimal's package-level settings.
func AppendDecimal(b []byte, d decimal.Decimal) []byte {
	coef := d.Coefficient()
	exp := int(d.Exponent())
	if coef.Sign() == 0 {
		return append(b, '0')
	}
	digits := coef.Append(nil, 10)
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

// FormatDecimal returns the canonical text of d, as [AppendDecimal].
func FormatDecimal(d decimal.Decimal) string { return string(AppendDecimal(nil, d)) }

// AppendTime appends t in RFC 3339 in t's location: "Z" for a zero offset
// (UTC), otherwise ±hh:mm; seconds always present; fractional seconds only
// when non-zero, without trailing zeros.
func AppendTime(b []byte, t time.Time) []byte {
	return t.AppendFormat(b, time.RFC3339Nano)
}
