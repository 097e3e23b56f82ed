package calldash

import (
	"time"

	"github.com/shopspring/decimal"

	idec "github.com/calldash/calldash/internal/dec"
)

// AppendDecimal appends the canonical text of d: plain decimal notation,
// no exponent, no trailing zeros after the point, no point for integers
// (4.5000 → 4.5, 60 → 60, 1E+3 → 1000, -0.50 → -0.5, 0.000 → 0). It does
// not depend on shopspring/decimal's package-level settings.
func AppendDecimal(b []byte, d decimal.Decimal) []byte { return idec.Append(b, d) }

// FormatDecimal returns the canonical text of d, as [AppendDecimal].
func FormatDecimal(d decimal.Decimal) string { return string(AppendDecimal(nil, d)) }

// AppendTime appends t in RFC 3339 in t's location: "Z" for a zero offset
// (UTC), otherwise ±hh:mm; seconds always present; fractional seconds only
// when non-zero, without trailing zeros.
func AppendTime(b []byte, t time.Time) []byte {
	return t.AppendFormat(b, time.RFC3339Nano)
}
