package chart

import (
	"strings"

	"github.com/calldash/calldash"
	"github.com/calldash/calldash/internal/jsonx"
)

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
// [calldash.Value.Label] (the string, "true"/"false", or the number's
// canonical decimal text).
func LabelOf(v calldash.Value) Label {
	switch v.Kind {
	case calldash.KindNull, calldash.KindList:
		return NullLabel
	}
	return Text(v.Label())
}

// Compare orders labels byte-wise, the null label after every string:
// -1 if l sorts before m, +1 if after, 0 if equal.
func (l Label) Compare(m Label) int {
	switch {
	case l.Valid && m.Valid:
		return strings.Compare(l.Str, m.Str)
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
