package calldash

import (
	"bytes"
	"strconv"
	"time"

	"github.com/shopspring/decimal"

	"github.com/calldash/calldash/internal/jsonx"
)

// A Kind is the type of a [Value].
type Kind uint8

// The kinds of values. The zero Value is null.
const (
	KindNull   Kind = iota
	KindBool        // true or false
	KindNumber      // an exact decimal
	KindString      // a UTF-8 string (any bytes, as a Go string)
	KindTime        // an instant; only in results (datetime aggregates and line values)
	KindList        // a list of scalars; only in filter values, for the "in" operator
)

func (k Kind) String() string {
	switch k {
	case KindNull:
		return "null"
	case KindBool:
		return "boolean"
	case KindNumber:
		return "number"
	case KindString:
		return "string"
	case KindTime:
		return "datetime"
	case KindList:
		return "array"
	}
	return "invalid"
}

// A Value is a scalar with exact numbers: a field value of a call log, a
// filter value, or a value of a chart. Lists appear only as the value of
// an "in" condition, instants only in results. The zero Value is null.
type Value struct {
	Kind Kind
	Bool bool            // for KindBool
	Num  decimal.Decimal // for KindNumber, exact
	Str  string          // for KindString
	Time time.Time       // for KindTime; printed in its own location
	List []Value         // for KindList
}

// Null is the null value.
var Null = Value{}

// Bool returns a boolean value.
func Bool(b bool) Value { return Value{Kind: KindBool, Bool: b} }

// String returns a string value.
func String(s string) Value { return Value{Kind: KindString, Str: s} }

// Number returns a number value.
func Number(d decimal.Decimal) Value { return Value{Kind: KindNumber, Num: d} }

// Int returns an integer number value.
func Int(i int64) Value { return Value{Kind: KindNumber, Num: decimal.NewFromInt(i)} }

// Time returns a datetime value; it prints in t's location (call t.In(loc)
// first).
func Time(t time.Time) Value { return Value{Kind: KindTime, Time: t} }

// IsNull reports whether v is null.
func (v Value) IsNull() bool { return v.Kind == KindNull }

// Equal reports whether v and w have the same kind and value: numbers
// numerically (1.0 equals 1), instants by their printed form (the same
// instant in the same offset).
func (v Value) Equal(w Value) bool {
	if v.Kind != w.Kind {
		return false
	}
	switch v.Kind {
	case KindBool:
		return v.Bool == w.Bool
	case KindNumber:
		return v.Num.Equal(w.Num)
	case KindString:
		return v.Str == w.Str
	case KindTime:
		return bytes.Equal(AppendTime(nil, v.Time), AppendTime(nil, w.Time))
	case KindList:
		if len(v.List) != len(w.List) {
			return false
		}
		for i := range v.List {
			if !v.List[i].Equal(w.List[i]) {
				return false
			}
		}
	}
	return true
}

// AppendJSON appends the canonical JSON text of v: numbers by
// [AppendDecimal], instants as RFC 3339 strings by [AppendTime], strings
// without HTML escaping.
func (v Value) AppendJSON(b []byte) []byte {
	switch v.Kind {
	case KindBool:
		return strconv.AppendBool(b, v.Bool)
	case KindNumber:
		return AppendDecimal(b, v.Num)
	case KindString:
		return jsonx.Quote(b, v.Str)
	case KindTime:
		b = append(b, '"')
		b = AppendTime(b, v.Time)
		return append(b, '"')
	case KindList:
		b = append(b, '[')
		for i, e := range v.List {
			if i > 0 {
				b = append(b, ',')
			}
			b = e.AppendJSON(b)
		}
		return append(b, ']')
	}
	return append(b, "null"...)
}

// MarshalJSON writes the canonical JSON text of v.
func (v Value) MarshalJSON() ([]byte, error) { return v.AppendJSON(nil), nil }

// Label returns the text of v as a chart label: the string itself,
// "true"/"false", or the canonical decimal text of a number; "" for null
// and lists.
func (v Value) Label() string {
	switch v.Kind {
	case KindBool:
		return strconv.FormatBool(v.Bool)
	case KindNumber:
		return FormatDecimal(v.Num)
	case KindString:
		return v.Str
	case KindTime:
		return string(AppendTime(nil, v.Time))
	}
	return ""
}

// Bounds of the JSON numbers calldash reads: they keep "1e999999999" from
// becoming a billion-digit decimal.
const (
	MaxNumberDigits   = 1000 // bytes of a number's JSON text
	MaxNumberExponent = 1000 // |exponent| of a non-zero number
)

// ParseNumber reads a JSON number literal exactly. ok is false when the
// text is not a number or lies beyond [MaxNumberDigits] or
// [MaxNumberExponent].
func ParseNumber(text string) (d decimal.Decimal, ok bool) {
	if len(text) > MaxNumberDigits {
		return decimal.Decimal{}, false
	}
	d, err := decimal.NewFromString(text)
	if err != nil {
		return decimal.Decimal{}, false
	}
	if e := d.Exponent(); !d.IsZero() && (e > MaxNumberExponent || e < -MaxNumberExponent) {
		return decimal.Decimal{}, false
	}
	if d.IsZero() {
		d = decimal.Zero
	}
	return d, true
}

// scalarOf converts a JSON scalar; ok is false for objects, arrays and
// numbers out of range.
func scalarOf(j *jsonx.Value) (Value, bool) {
	switch j.Kind {
	case jsonx.Null:
		return Null, true
	case jsonx.Bool:
		return Bool(j.Bool), true
	case jsonx.Number:
		d, ok := ParseNumber(j.Text)
		if !ok {
			return Null, false
		}
		return Number(d), true
	case jsonx.String:
		return String(j.Text), true
	}
	return Null, false
}
