package filter

import (
	"strconv"
	"strings"

	"github.com/shopspring/decimal"

	"github.com/calldash/calldash"
	"github.com/calldash/calldash/internal/jsonx"
)

// A Node is a filter expression: a *Condition or a *Group.
type Node interface {
	Path() string   // JSON path of this node in the input, e.g. "$.conditions[1]"
	String() string // canonical JSON form; Parse of it gives an equal node
	node()
}

// A Condition is a leaf: {"field": F, "op": OP, "value": V}.
type Condition struct {
	Field string         // field name as written, e.g. "duration" or "metadata.region"
	Op    Op             // comparison operator
	Value calldash.Value // the value as written (a list for OpIn)
	At    string         // JSON path of the node
}

// A Group combines conditions: {"operator": "and"|"or"|"same_row", "conditions": [...]}.
type Group struct {
	Operator   GroupOp // and, or or same_row
	Conditions []Node  // the members, in input order
	At         string  // JSON path of the node
}

// Path returns the JSON path of the condition in its input.
func (c *Condition) Path() string { return c.At }

// Path returns the JSON path of the group in its input.
func (g *Group) Path() string { return g.At }

func (*Condition) node() {}
func (*Group) node()     {}

// String returns the canonical JSON form of the condition.
func (c *Condition) String() string { return string(c.appendJSON(nil)) }

// String returns the canonical JSON form of the group.
func (g *Group) String() string { return string(g.appendJSON(nil)) }

// Format returns the canonical JSON form of n, "null" for a nil node (no filter).
func Format(n Node) string {
	if n == nil {
		return "null"
	}
	return n.String()
}

func appendNode(b []byte, n Node) []byte {
	switch n := n.(type) {
	case *Condition:
		return n.appendJSON(b)
	case *Group:
		return n.appendJSON(b)
	}
	return append(b, "null"...)
}

func (c *Condition) appendJSON(b []byte) []byte {
	b = append(b, `{"field":`...)
	b = jsonx.Quote(b, c.Field)
	b = append(b, `,"op":`...)
	b = jsonx.Quote(b, c.Op.String())
	b = append(b, `,"value":`...)
	b = appendValue(b, c.Value)
	return append(b, '}')
}

// appendValue appends v's canonical JSON, as [calldash.Value.AppendJSON],
// except for a number whose plain decimal text is longer than a filter
// may hold ([calldash.MaxNumberDigits]: -1e999 has 1,001 characters, and
// so has 1e-999): it is written in exponent notation instead, so that
// the canonical form of a valid filter is valid again.
func appendValue(b []byte, v calldash.Value) []byte {
	switch v.Kind {
	case calldash.KindNumber:
		return appendNumber(b, v.Num)
	case calldash.KindList:
		b = append(b, '[')
		for i, e := range v.List {
			if i > 0 {
				b = append(b, ',')
			}
			b = appendValue(b, e)
		}
		return append(b, ']')
	}
	return v.AppendJSON(b)
}

// appendNumber appends d in plain decimal notation when that fits
// [calldash.MaxNumberDigits], otherwise in the shorter of two exponent
// forms that read back as d within the limits: the coefficient as an
// integer ("15e-1000"), or with one digit before the point ("1.5e-999").
// Both keep the exponent of the coefficient d was read with, the one
// the exponent limit applies to.
func appendNumber(b []byte, d decimal.Decimal) []byte {
	start := len(b)
	b = calldash.AppendDecimal(b, d)
	if len(b)-start <= calldash.MaxNumberDigits {
		return b
	}
	b = b[:start]
	coef := d.Coefficient().String()
	exp := int64(d.Exponent())
	sign := ""
	if coef[0] == '-' {
		sign, coef = "-", coef[1:]
	}
	whole := sign + coef + "e" + strconv.FormatInt(exp, 10)
	pointed := whole
	if len(coef) > 1 {
		pointed = sign + coef[:1] + "." + coef[1:] + "e" + strconv.FormatInt(exp+int64(len(coef))-1, 10)
	}
	if len(pointed) < len(whole) {
		return append(b, pointed...)
	}
	return append(b, whole...)
}

func (g *Group) appendJSON(b []byte) []byte {
	b = append(b, `{"operator":`...)
	b = jsonx.Quote(b, g.Operator.String())
	b = append(b, `,"conditions":[`...)
	for i, n := range g.Conditions {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendNode(b, n)
	}
	return append(b, "]}"...)
}

// Walk calls fn for n and every node below it, parents first, and stops
// descending where fn returns false.
func Walk(n Node, fn func(Node) bool) {
	if n == nil || !fn(n) {
		return
	}
	if g, ok := n.(*Group); ok {
		for _, c := range g.Conditions {
			Walk(c, fn)
		}
	}
}

// And returns the conjunction of the non-nil nodes: nil when there are
// none, the node itself when there is one. It is how dashboard and widget
// filters are combined.
func And(nodes ...Node) Node {
	var kept []Node
	for _, n := range nodes {
		if n != nil {
			kept = append(kept, n)
		}
	}
	switch len(kept) {
	case 0:
		return nil
	case 1:
		return kept[0]
	}
	return &Group{Operator: GroupAnd, Conditions: kept, At: "$"}
}

// A GroupOp is how a group combines its conditions.
type GroupOp uint8

// The group operators.
const (
	GroupAnd     GroupOp = iota + 1 // every condition holds
	GroupOr                         // some condition holds
	GroupSameRow                    // one metric evaluation row satisfies every condition
)

var groupOpNames = map[string]GroupOp{"and": GroupAnd, "or": GroupOr, "same_row": GroupSameRow}

func (g GroupOp) String() string {
	switch g {
	case GroupAnd:
		return "and"
	case GroupOr:
		return "or"
	case GroupSameRow:
		return "same_row"
	}
	return "invalid"
}

// An Op is a condition's comparison operator.
type Op uint8

// The operators.
const (
	OpEq Op = iota + 1
	OpNeq
	OpGt
	OpGte
	OpLt
	OpLte
	OpContains
	OpStartsWith
	OpEndsWith
	OpIn
	OpIsNull
	OpRegex
	numOps
)

// opInfo is the one operator table read by the validator, the matcher and
// the SQL compiler.
var opInfo = [numOps]struct {
	name      string
	ordered   bool // gt gte lt lte
	text      bool // contains startswith endswith: strings only, case-insensitive
	nullMatch bool // a null/missing field value matches (neq)
}{
	OpEq:         {name: "eq"},
	OpNeq:        {name: "neq", nullMatch: true},
	OpGt:         {name: "gt", ordered: true},
	OpGte:        {name: "gte", ordered: true},
	OpLt:         {name: "lt", ordered: true},
	OpLte:        {name: "lte", ordered: true},
	OpContains:   {name: "contains", text: true},
	OpStartsWith: {name: "startswith", text: true},
	OpEndsWith:   {name: "endswith", text: true},
	OpIn:         {name: "in"},
	OpIsNull:     {name: "isnull"},
	OpRegex:      {name: "regex"},
}

// Ops lists every operator in the order of the filter language.
func Ops() []Op {
	ops := make([]Op, 0, numOps-1)
	for op := OpEq; op < numOps; op++ {
		ops = append(ops, op)
	}
	return ops
}

// ParseOp returns the operator named s.
func ParseOp(s string) (Op, bool) {
	for op := OpEq; op < numOps; op++ {
		if opInfo[op].name == s {
			return op, true
		}
	}
	return 0, false
}

func (op Op) String() string {
	if op > 0 && op < numOps {
		return opInfo[op].name
	}
	return "invalid"
}

// Ordered reports whether op is gt, gte, lt or lte.
func (op Op) Ordered() bool { return op > 0 && op < numOps && opInfo[op].ordered }

// Text reports whether op is contains, startswith or endswith.
func (op Op) Text() bool { return op > 0 && op < numOps && opInfo[op].text }

// NullMatches reports whether a null or missing field value satisfies op
// (true only for neq; isnull is decided by its value).
func (op Op) NullMatches() bool { return op > 0 && op < numOps && opInfo[op].nullMatch }

// An OpSet is a set of operators.
type OpSet uint16

// Has reports whether op is in s.
func (s OpSet) Has(op Op) bool { return s&(1<<op) != 0 }

// SetOf returns the set of ops.
func SetOf(ops ...Op) OpSet {
	var s OpSet
	for _, op := range ops {
		s |= 1 << op
	}
	return s
}

// List returns the operators of s in table order.
func (s OpSet) List() []Op {
	var ops []Op
	for op := OpEq; op < numOps; op++ {
		if s.Has(op) {
			ops = append(ops, op)
		}
	}
	return ops
}

func (s OpSet) String() string {
	names := make([]string, 0, numOps)
	for _, op := range s.List() {
		names = append(names, op.String())
	}
	return strings.Join(names, ", ")
}
