package filter

import (
	"strconv"

	"github.com/shopspring/decimal"

	"github.com/calldash/calldash/internal/jsonx"
)

// A Kind is the JSON type of a [Value].
type Kind uint8

// The kinds of values. The zero Value is null.
const (
	KindNull Kind = iota
	KindBool
	KindNumber
	KindString
	KindList // only in filter values, for OpIn
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
	case KindList:
		return "array"
	}
	return "invalid"
}

// A Value is a JSON scalar with exact numbers: a field value of a call log
// or a filter value. Lists appear only as the value of an "in" condition.
// The zero Value is null.
type Value struct {
	Kind Kind
	Bool bool            // for KindBool
	Num  decimal.Decimal // for KindNumber, exact
	Str  string          // for KindString
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

// IsNull reports whether v is null.
func (v Value) IsNull() bool { return v.Kind == KindNull }

// Equal reports whether v and w have the same kind and value; numbers
// compare numerically (1.0 equals 1).
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

// AppendJSON appends the canonical JSON text of v: numbers in plain decimal
// notation without trailing zeros, strings without HTML escaping.
func (v Value) AppendJSON(b []byte) []byte {
	switch v.Kind {
	case KindBool:
		return strconv.AppendBool(b, v.Bool)
	case KindNumber:
		return append(b, v.Num.String()...)
	case KindString:
		return jsonx.Quote(b, v.Str)
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
// "true"/"false", or the canonical decimal text of a number; "" for null.
func (v Value) Label() string {
	switch v.Kind {
	case KindBool:
		return strconv.FormatBool(v.Bool)
	case KindNumber:
		return v.Num.String()
	case KindString:
		return v.Str
	}
	return ""
}

// maxExponent bounds the decimal exponent of numbers read from JSON, so
// that "1e999999999" cannot make a billion-digit number.
const maxExponent = 1000

// parseNumber reads a JSON number literal exactly.
func parseNumber(text string) (decimal.Decimal, bool) {
	if len(text) > 1000 {
		return decimal.Decimal{}, false
	}
	d, err := decimal.NewFromString(text)
	if err != nil {
		return decimal.Decimal{}, false
	}
	if e := d.Exponent(); !d.IsZero() && (e > maxExponent || e < -maxExponent) {
		return decimal.Decimal{}, false
	}
	if d.IsZero() {
		d = decimal.Zero
	}
	return d, true
}

// fromJSON converts a scalar or array jsonx value; objects give ok=false.
func fromJSON(j *jsonx.Value) (Value, bool) {
	switch j.Kind {
	case jsonx.Null:
		return Null, true
	case jsonx.Bool:
		return Bool(j.Bool), true
	case jsonx.Number:
		d, ok := parseNumber(j.Text)
		if !ok {
			return Null, false
		}
		return Number(d), true
	case jsonx.String:
		return String(j.Text), true
	case jsonx.Array:
		list := make([]Value, len(j.Elems))
		for i, e := range j.Elems {
			v, ok := fromJSON(e)
			if !ok || v.Kind == KindList {
				return Null, false
			}
			list[i] = v
		}
		return Value{Kind: KindList, List: list}, true
	}
	return Null, false
}
