package chart

import (
	"bytes"
	"strconv"
	"time"

	"github.com/shopspring/decimal"

	"github.com/calldash/calldash/filter"
	"github.com/calldash/calldash/internal/jsonx"
)

// A Kind is the JSON type of a [Value].
type Kind uint8

// The kinds of values. The zero Value is null.
const (
	KindNull   Kind = iota // JSON null
	KindNumber             // a JSON number from an exact decimal
	KindBool               // true or false
	KindTime               // an RFC 3339 string
	KindString             // a JSON string
)

// A Value is a data value of a chart: null, an exact number, a boolean, an
// instant or a string. The zero Value is null.
type Value struct {
	Kind Kind
	Num  decimal.Decimal // for KindNumber
	Bool bool            // for KindBool
	Time time.Time       // for KindTime; printed in its own location
	Str  string          // for KindString
}

// Null is the null value.
var Null = Value{}

// Number returns a number value.
func Number(d decimal.Decimal) Value { return Value{Kind: KindNumber, Num: d} }

// Int returns an integer number value.
func Int(i int64) Value { return Value{Kind: KindNumber, Num: decimal.NewFromInt(i)} }

// Bool returns a boolean value.
func Bool(b bool) Value { return Value{Kind: KindBool, Bool: b} }

// Time returns a datetime value; it prints in t's location (call t.In(loc)
// first).
func Time(t time.Time) Value { return Value{Kind: KindTime, Time: t} }

// String returns a string value.
func String(s string) Value { return Value{Kind: KindString, Str: s} }

// FromFilter converts a filter value (a call-log field value) to a Value.
// A list (only found in filter "in" values) becomes null.
func FromFilter(v filter.Value) Value {
	switch v.Kind {
	case filter.KindBool:
		return Bool(v.Bool)
	case filter.KindNumber:
		return Number(v.Num)
	case filter.KindString:
		return String(v.Str)
	}
	return Null
}

// IsNull reports whether v is null.
func (v Value) IsNull() bool { return v.Kind == KindNull }

// AppendJSON appends the JSON text of v: numbers by [AppendDecimal], times
// by [AppendTime], strings without HTML escaping.
func (v Value) AppendJSON(b []byte) []byte {
	switch v.Kind {
	case KindNumber:
		return AppendDecimal(b, v.Num)
	case KindBool:
		return strconv.AppendBool(b, v.Bool)
	case KindTime:
		b = append(b, '"')
		b = AppendTime(b, v.Time)
		return append(b, '"')
	case KindString:
		return jsonx.Quote(b, v.Str)
	}
	return append(b, "null"...)
}

// MarshalJSON writes the JSON text of v.
func (v Value) MarshalJSON() ([]byte, error) { return v.AppendJSON(nil), nil }

// String returns the JSON text of v.
func (v Value) String() string { return string(v.AppendJSON(nil)) }

// Equal reports whether v and w have the same kind and value (numbers
// numerically, times as instants in the same offset).
func (v Value) Equal(w Value) bool {
	if v.Kind != w.Kind {
		return false
	}
	switch v.Kind {
	case KindNumber:
		return v.Num.Equal(w.Num)
	case KindBool:
		return v.Bool == w.Bool
	case KindTime:
		return bytes.Equal(AppendTime(nil, v.Time), AppendTime(nil, w.Time))
	case KindString:
		return v.Str == w.Str
	}
	return true
}

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

// A Label is a group or pie-slice label: a string, or null (the slice or
// group of null values). The zero Label is null. Labels are comparable and
// can key maps.
type Label struct {
	Str   string // the text, when Valid
	Valid bool   // false for the null label
}

// NullLabel is the null label.
var NullLabel = Label{}

// Text returns the string label s.
func Text(s string) Label { return Label{Str: s, Valid: true} }

// LabelOf returns the label of a field value: null for null, otherwise
// [filter.Value.Label] (the string, "true"/"false", or the number's
// canonical decimal text).
func LabelOf(v filter.Value) Label {
	switch v.Kind {
	case filter.KindNull, filter.KindList:
		return NullLabel
	case filter.KindNumber:
		return Text(FormatDecimal(v.Num))
	}
	return Text(v.Label())
}

// Compare orders labels byte-wise, the null label after every string:
// -1 if l sorts before m, +1 if after, 0 if equal.
func (l Label) Compare(m Label) int {
	switch {
	case l.Valid && m.Valid:
		switch {
		case l.Str < m.Str:
			return -1
		case l.Str > m.Str:
			return 1
		}
		return 0
	case l.Valid:
		return -1
	case m.Valid:
		return 1
	}
	return 0
}

// AppendJSON appends the label as a JSON string, or null.
func (l Label) AppendJSON(b []byte) []byte {
	if !l.Valid {
		return append(b, "null"...)
	}
	return jsonx.Quote(b, l.Str)
}

// MarshalJSON writes the label as a JSON string, or null.
func (l Label) MarshalJSON() ([]byte, error) { return l.AppendJSON(nil), nil }

// String returns the label's text, or "null" for the null label (for
// messages; a string label "null" prints the same).
func (l Label) String() string {
	if !l.Valid {
		return "null"
	}
	return l.Str
}
