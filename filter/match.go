package filter

import (
	"errors"
	"math"
	"math/bits"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/shopspring/decimal"

	"github.com/calldash/calldash"

	"github.com/calldash/calldash/internal/dec"
)

// A Matcher decides whether a call log passes a filter, in memory. Make one
// with [Compile]; it is safe for concurrent use.
//
// # Semantics
//
// The rules:
//
//   - A nil filter matches every call. An empty "and" group matches every
//     call, an empty "or" group none.
//   - A null or missing field value never satisfies a condition, except
//     neq (null counts as "not equal") and isnull: true. isnull: false is
//     satisfied by every present value.
//   - Values compare by their JSON type: a number filter value matches only
//     numbers, a string only strings, a boolean only booleans, so "3" does
//     not equal 3. A field value of another type than the filter value is
//     treated like null: it never satisfies eq, gt, gte, lt, lte, in or a
//     string operator, and it satisfies neq. This is how the dynamic fields
//     (metadata.<key>, metric_evaluations.value) behave; the typed fields
//     behave the same way, should a schema's reader ever return another
//     type.
//   - Numbers are exact decimals: 1.0 equals 1, 0.3 equals 0.30 and 1e2
//     equals 100.
//   - eq, neq, gt, gte, lt and lte on strings compare bytes (UTF-8 code point
//     order), case-sensitively.
//   - contains, startswith and endswith match only string values and ignore
//     case by Unicode simple case folding (the relation of strings.EqualFold:
//     "K" KELVIN SIGN equals "k", "ſ" equals "s", "ς" equals "σ" and "Σ";
//     "ß" does not equal "ss"). Every character of the value is literal,
//     "%", "_" and "\" included. An empty value matches every string.
//   - regex is an RE2 pattern (package regexp), case-sensitive and
//     unanchored, matched against string values only.
//   - in matches when the field equals some element of the list, each
//     element compared by its own JSON type; null elements match nothing, and
//     [] matches nothing.
//   - Datetime values are resolved once, by [ResolveTime] with the Env given
//     to Compile, into an instant and the effective operator ("today" with
//     lt or lte becomes lt the next midnight); field values compare as
//     instants, whatever their zone. A zero time.Time read from a datetime
//     field counts as null.
//
// # Metric evaluations
//
// A call has zero or more evaluation rows. Conditions on
// metric_evaluations.* fields are decided over the rows:
//
//   - A same_row group is true when one single row satisfies every member of
//     the group, members being conditions on metric_evaluations.* fields and
//     nested and/or groups evaluated against that same row, with the
//     ordinary null rules (neq matches a null value, isnull decides by the
//     row's value). A same_row group nested in a same_row group is an "and"
//     on the same row. An empty same_row group is true when the call has at
//     least one row (that row satisfies the empty group).
//   - Outside same_row, a metric_evaluations.* condition is true when some
//     row satisfies it, with three exceptions: neq V is true when no row
//     equals V (a call without rows matches; rows whose value is null or of
//     another type do not equal V); isnull: true is true when no row has a
//     non-null value (a call without rows matches); isnull: false is true
//     when some row has a non-null value.
//
// So {"operator":"and","conditions":[metric.id eq 12, value gt 0.9]} holds
// for a call with a row of metric 12 valued 0.5 and a row of metric 14
// valued 0.95, while the same conditions in a same_row group do not.
type Matcher struct {
	match func(c *calldash.Call) bool // nil: every call matches
}

// Compile turns a checked filter into a [Matcher]. Datetime values are
// resolved once, here, with env: "now" is env.Now (time.Now() when zero)
// and dates and "today" are in env.Location; a value that resolves outside
// the years the filter language allows is an [calldash.ErrInvalidTime]
// error. A filter without a root node matches every call.
//
// The compiled matcher is a tree of closures specialised by field reader
// and operator: reading a call costs no allocation, no reflection and no
// lookup of field names (a metadata key is looked up in the call's map).
// See [Matcher] for the semantics.
func Compile(f *Checked, env Env) (*Matcher, error) {
	if f.root == nil {
		return &Matcher{}, nil
	}
	c := &compiler{schema: f.schema, env: env}
	p := c.call(f.root)
	if len(c.errs) > 0 {
		c.errs.Sort()
		return nil, c.errs
	}
	return &Matcher{match: p}, nil
}

// Match reports whether the call passes the filter. A nil *Matcher matches
// every call.
func (m *Matcher) Match(c *calldash.Call) bool {
	if m == nil || m.match == nil {
		return true
	}
	return m.match(c)
}

type (
	callPred = func(c *calldash.Call) bool
	rowPred  = func(e *calldash.Evaluation) bool
)

type compiler struct {
	schema *Schema
	env    Env
	errs   calldash.ErrorList
}

func (c *compiler) errorf(path string, kind error, format string, args ...any) {
	c.errs = append(c.errs, calldash.Errorf(path, kind, format, args...))
}

// call compiles a node evaluated against a whole call.
func (c *compiler) call(n Node) callPred {
	switch n := n.(type) {
	case *Group:
		switch n.Operator {
		case GroupAnd, GroupOr:
			members := Members(n, c.schema)
			ps := make([]callPred, 0, len(members))
			for _, m := range members {
				ps = append(ps, c.call(m))
			}
			if n.Operator == GroupAnd {
				return allOf(ps)
			}
			return anyOf(ps)
		case GroupSameRow:
			return exists(c.sameRow(n))
		}
		c.errorf(n.Path()+".operator", calldash.ErrUnknownOperator, "unknown group operator")
	case *Condition:
		return c.condition(n)
	default:
		c.errorf("$", calldash.ErrShape, "not a filter node")
	}
	return never[*calldash.Call]
}

// sameRow compiles the members of a same_row group into one row predicate.
func (c *compiler) sameRow(g *Group) rowPred {
	members := Members(g, c.schema)
	ps := make([]rowPred, 0, len(members))
	for _, m := range members {
		ps = append(ps, c.row(m))
	}
	return allOf(ps)
}

// row compiles a node inside a same_row group, evaluated against one
// evaluation row.
func (c *compiler) row(n Node) rowPred {
	switch n := n.(type) {
	case *Group:
		switch n.Operator {
		case GroupAnd, GroupSameRow: // same_row inside same_row is an "and" on the same row
			return c.sameRow(n)
		case GroupOr:
			members := Members(n, c.schema)
			ps := make([]rowPred, 0, len(members))
			for _, m := range members {
				ps = append(ps, c.row(m))
			}
			return anyOf(ps)
		}
		c.errorf(n.Path()+".operator", calldash.ErrUnknownOperator, "unknown group operator")
	case *Condition:
		f, ok := c.field(n)
		if !ok {
			break
		}
		if f.Eval == nil && f.EvalInt == nil {
			c.errorf(n.Path()+".field", calldash.ErrSameRow, "a same_row group holds only metric_evaluations.* conditions; got %s", quoteShort(n.Field))
			break
		}
		if p := c.rowLeaf(f, n); p != nil {
			return p
		}
	default:
		c.errorf("$", calldash.ErrShape, "not a filter node")
	}
	return never[*calldash.Evaluation]
}

// field finds the field of a condition and checks the operator.
func (c *compiler) field(n *Condition) (*Field, bool) {
	f, _, ok := c.schema.Lookup(n.Field)
	if !ok {
		c.errorf(n.Path()+".field", calldash.ErrUnknownField, "unknown field %s", quoteShort(n.Field))
		return nil, false
	}
	if !f.Ops.Has(n.Op) {
		c.errorf(n.Path()+".op", calldash.ErrOperatorNotAllowed, "operator %s is not allowed on field %s; allowed: %s", n.Op, quoteShort(n.Field), f.Ops)
		return nil, false
	}
	return f, true
}

// condition compiles a leaf evaluated against a whole call.
func (c *compiler) condition(n *Condition) callPred {
	f, ok := c.field(n)
	if !ok {
		return never[*calldash.Call]
	}
	var p callPred
	switch {
	case f.Eval != nil || f.EvalInt != nil:
		p = c.metricLeaf(f, n)
	case f.Time != nil:
		p = c.timeLeaf(f.Time, n)
	case f.CallInt != nil:
		p = intLeaf(f.CallInt, c.intTest(n))
	case f.Call != nil:
		p = valueLeaf(f.Call, c.valueTest(n))
	case f.Key != nil:
		_, key, _ := c.schema.Lookup(n.Field)
		read := f.Key
		p = valueLeaf(func(call *calldash.Call) calldash.Value { return read(call, key) }, c.valueTest(n))
	default:
		c.errorf(n.Path()+".field", calldash.ErrUnknownField, "field %s has no in-memory reader", quoteShort(n.Field))
	}
	if p == nil {
		return never[*calldash.Call]
	}
	return p
}

// metricLeaf compiles a metric_evaluations.* condition outside same_row:
// some row satisfies it, except neq (no row equals the value) and
// isnull: true (no row has a non-null value).
func (c *compiler) metricLeaf(f *Field, n *Condition) callPred {
	switch {
	case n.Op == OpNeq:
		eq := *n
		eq.Op = OpEq
		p := c.rowLeaf(f, &eq)
		if p == nil {
			return nil
		}
		return none(p)
	case n.Op == OpIsNull && n.Value.Kind == calldash.KindBool && n.Value.Bool:
		present := *n
		present.Value = calldash.Bool(false)
		p := c.rowLeaf(f, &present)
		if p == nil {
			return nil
		}
		return none(p)
	}
	p := c.rowLeaf(f, n)
	if p == nil {
		return nil
	}
	return exists(p)
}

// rowLeaf compiles a condition on one evaluation row, with the ordinary
// null rules; nil after an error.
func (c *compiler) rowLeaf(f *Field, n *Condition) rowPred {
	if f.EvalInt != nil {
		return intLeaf(f.EvalInt, c.intTest(n))
	}
	return valueLeaf(f.Eval, c.valueTest(n))
}

// A test decides a condition for a non-null field value of type T; null is
// the outcome for a null or missing value. isNull marks the isnull
// operator, decided by null alone (fn then returns !null).
type test[T any] struct {
	fn     func(v T) bool // nil after an error
	null   bool
	isNull bool
}

// intLeaf joins a reader of an integer field and a test.
func intLeaf[R any](read func(R) (int64, bool), t test[int64]) func(R) bool {
	if t.fn == nil {
		return nil
	}
	if t.isNull {
		want := t.null
		return func(x R) bool { _, ok := read(x); return ok != want }
	}
	fn, null := t.fn, t.null
	return func(x R) bool {
		v, ok := read(x)
		if !ok {
			return null
		}
		return fn(v)
	}
}

// A valueTest is a compiled operator and value, for a field read as a
// [Value]. [valueLeaf] turns it into one closure that reads the field and
// tests it: passing a Value on to a second closure costs more than the
// test itself.
type valueTest struct {
	kind     testKind
	null     bool    // the outcome for a null or missing value
	mismatch bool    // the outcome for a value of another JSON type than the filter value (compare kinds)
	mask     cmpMask // compare kinds: the comparison results that satisfy the operator
	num      number  // testNumber
	str      string  // testStrEq, testStrNeq, testStrOrder
	b        bool    // testBool: the filter value; testIsNull: the outcome for null
	eq       bool    // testBool: the operator is eq
	needle   folded  // testContains, testPrefix, testSuffix
	re       *regexp.Regexp
	in       *inSet
}

type testKind uint8

const (
	testInvalid  testKind = iota // after an error
	testIsNull                   // isnull: b is the outcome for null
	testNumber                   // compare with a number
	testStrEq                    // eq a string
	testStrNeq                   // neq a string
	testStrOrder                 // gt gte lt lte a string
	testBool                     // eq or neq a boolean
	testContains
	testPrefix
	testSuffix
	testRegex
	testIn
)

// valueLeaf joins a reader of a field and a test into one closure.
func valueLeaf[R any](read func(R) calldash.Value, t valueTest) func(R) bool {
	null, mismatch, mask := t.null, t.mismatch, t.mask
	switch t.kind {
	case testIsNull:
		want := t.b
		return func(x R) bool { return read(x).Kind == calldash.KindNull == want }
	case testNumber:
		num := t.num
		return func(x R) bool {
			v := read(x)
			switch v.Kind {
			case calldash.KindNumber:
				return mask.has(num.cmp(v.Num))
			case calldash.KindNull:
				return null
			}
			return mismatch
		}
	case testStrEq:
		s := t.str
		return func(x R) bool {
			v := read(x)
			return v.Kind == calldash.KindString && v.Str == s
		}
	case testStrNeq:
		s := t.str
		return func(x R) bool {
			v := read(x)
			return v.Kind != calldash.KindString || v.Str != s
		}
	case testStrOrder:
		s := t.str
		return func(x R) bool {
			v := read(x)
			return v.Kind == calldash.KindString && mask.has(strings.Compare(v.Str, s))
		}
	case testBool:
		b, eq := t.b, t.eq
		return func(x R) bool {
			v := read(x)
			switch v.Kind {
			case calldash.KindBool:
				return (v.Bool == b) == eq
			case calldash.KindNull:
				return null
			}
			return mismatch
		}
	case testContains:
		needle := t.needle
		return func(x R) bool {
			v := read(x)
			return v.Kind == calldash.KindString && needle.in(v.Str)
		}
	case testPrefix:
		needle := t.needle
		return func(x R) bool {
			v := read(x)
			return v.Kind == calldash.KindString && needle.hasPrefix(v.Str)
		}
	case testSuffix:
		needle := t.needle
		return func(x R) bool {
			v := read(x)
			return v.Kind == calldash.KindString && needle.hasSuffix(v.Str)
		}
	case testRegex:
		re := t.re
		return func(x R) bool {
			v := read(x)
			return v.Kind == calldash.KindString && re.MatchString(v.Str)
		}
	case testIn:
		in := t.in
		return func(x R) bool {
			v := read(x)
			return in.has(v)
		}
	}
	return nil
}

// isNullTest returns the test of an isnull condition.
func (c *compiler) isNullTest(n *Condition) (want, ok bool) {
	if n.Value.Kind != calldash.KindBool {
		c.errorf(n.Path()+".value", calldash.ErrValueType, "isnull takes true or false; got %s", n.Value.Kind)
		return false, false
	}
	return n.Value.Bool, true
}

// valueTest compiles the operator and value of n into a test of a field
// value of any JSON type.
func (c *compiler) valueTest(n *Condition) valueTest {
	op, fv := n.Op, n.Value
	switch {
	case op == OpIsNull:
		want, ok := c.isNullTest(n)
		if !ok {
			return valueTest{}
		}
		return valueTest{kind: testIsNull, b: want}
	case op == OpIn:
		if fv.Kind != calldash.KindList {
			c.errorf(n.Path()+".value", calldash.ErrValueType, "in takes an array; got %s", fv.Kind)
			return valueTest{}
		}
		return valueTest{kind: testIn, in: newInSet(fv.List)}
	case op.Text() || op == OpRegex:
		if fv.Kind != calldash.KindString {
			c.errorf(n.Path()+".value", calldash.ErrValueType, "%s takes a string; got %s", op, fv.Kind)
			return valueTest{}
		}
		switch op {
		case OpRegex:
			re, err := regexp.Compile(fv.Str)
			if err != nil {
				c.errorf(n.Path()+".value", calldash.ErrInvalidRegex, "invalid regular expression: %v", err)
				return valueTest{}
			}
			return valueTest{kind: testRegex, re: re}
		case OpContains:
			return valueTest{kind: testContains, needle: foldString(fv.Str)}
		case OpStartsWith:
			return valueTest{kind: testPrefix, needle: foldString(fv.Str)}
		}
		return valueTest{kind: testSuffix, needle: foldString(fv.Str)}
	case op == OpEq || op == OpNeq || op.Ordered():
		// A field value of another JSON type than the filter value is "not
		// equal" and unordered: it satisfies neq only, as null does.
		t := valueTest{null: op == OpNeq, mismatch: op == OpNeq, mask: maskOf(op)}
		switch fv.Kind {
		case calldash.KindNumber:
			t.kind, t.num = testNumber, makeNumber(fv.Num)
			return t
		case calldash.KindString:
			t.kind, t.str = testStrOrder, fv.Str
			switch op {
			case OpEq:
				t.kind = testStrEq
			case OpNeq:
				t.kind = testStrNeq
			}
			return t
		case calldash.KindBool:
			if op.Ordered() {
				break
			}
			t.kind, t.b, t.eq = testBool, fv.Bool, op == OpEq
			return t
		}
		c.errorf(n.Path()+".value", calldash.ErrValueType, "%s takes a number, string or boolean; got %s", op, fv.Kind)
		return valueTest{}
	}
	c.errorf(n.Path()+".op", calldash.ErrUnknownOperator, "unknown operator")
	return valueTest{}
}

// An inSet is the list of an "in" condition, each element compared by its
// own JSON type; null elements match nothing.
type inSet struct {
	strs       []string
	strSet     map[string]struct{} // strs, when there are many
	nums       []number
	hasT, hasF bool
}

func newInSet(list []calldash.Value) *inSet {
	in := &inSet{}
	for _, e := range list {
		switch e.Kind {
		case calldash.KindString:
			in.strs = append(in.strs, e.Str)
		case calldash.KindNumber:
			in.nums = append(in.nums, makeNumber(e.Num))
		case calldash.KindBool:
			in.hasT, in.hasF = in.hasT || e.Bool, in.hasF || !e.Bool
		}
	}
	if len(in.strs) > 8 {
		in.strSet = make(map[string]struct{}, len(in.strs))
		for _, s := range in.strs {
			in.strSet[s] = struct{}{}
		}
	}
	if len(in.nums) > 8 {
		// Sorted by value without duplicates, for a binary search.
		slices.SortFunc(in.nums, func(a, b number) int { return b.cmp(a.d) })
		in.nums = slices.CompactFunc(in.nums, func(a, b number) bool { return b.cmp(a.d) == 0 })
	}
	return in
}

// has reports whether v equals an element of the list.
func (in *inSet) has(v calldash.Value) bool {
	switch v.Kind {
	case calldash.KindString:
		if in.strSet != nil {
			_, ok := in.strSet[v.Str]
			return ok
		}
		return slices.Contains(in.strs, v.Str)
	case calldash.KindNumber:
		if len(in.nums) > 8 {
			_, ok := slices.BinarySearchFunc(in.nums, v.Num, func(e number, x decimal.Decimal) int { return -e.cmp(x) })
			return ok
		}
		for i := range in.nums {
			if in.nums[i].cmp(v.Num) == 0 {
				return true
			}
		}
	case calldash.KindBool:
		return v.Bool && in.hasT || !v.Bool && in.hasF
	}
	return false
}

// intTest is valueTest for fields read as int64 (see [Field.CallInt]).
func (c *compiler) intTest(n *Condition) test[int64] {
	op, fv := n.Op, n.Value
	switch {
	case op == OpIsNull:
		want, ok := c.isNullTest(n)
		if !ok {
			return test[int64]{}
		}
		return test[int64]{fn: func(int64) bool { return !want }, null: want, isNull: true}
	case op == OpIn:
		if fv.Kind != calldash.KindList {
			c.errorf(n.Path()+".value", calldash.ErrValueType, "in takes an array; got %s", fv.Kind)
			return test[int64]{}
		}
		// Only integral numbers within int64 can equal an int64 field value.
		var ints []int64
		for _, e := range fv.List {
			if i, ok := int64Of(e); ok {
				ints = append(ints, i)
			}
		}
		slices.Sort(ints)
		ints = slices.Compact(ints)
		if len(ints) <= 8 {
			return test[int64]{fn: func(v int64) bool { return slices.Contains(ints, v) }}
		}
		return test[int64]{fn: func(v int64) bool { _, ok := slices.BinarySearch(ints, v); return ok }}
	case op == OpEq || op == OpNeq || op.Ordered():
		mismatch := op == OpNeq
		switch fv.Kind {
		case calldash.KindNumber:
			if i, ok := int64Of(fv); ok && (op == OpEq || op == OpNeq) {
				if op == OpEq {
					return test[int64]{fn: func(v int64) bool { return v == i }}
				}
				return test[int64]{fn: func(v int64) bool { return v != i }, null: true}
			}
			num, mask := makeNumber(fv.Num), maskOf(op)
			return test[int64]{fn: func(v int64) bool { return mask.has(-num.cmpInt(v)) }, null: mismatch}
		case calldash.KindString, calldash.KindBool:
			if !op.Ordered() { // an integer never equals a string or a boolean
				return test[int64]{fn: func(int64) bool { return mismatch }, null: mismatch}
			}
		}
		c.errorf(n.Path()+".value", calldash.ErrValueType, "%s takes a number; got %s", op, fv.Kind)
		return test[int64]{}
	case op.Text() || op == OpRegex:
		if fv.Kind != calldash.KindString {
			c.errorf(n.Path()+".value", calldash.ErrValueType, "%s takes a string; got %s", op, fv.Kind)
			return test[int64]{}
		}
		if op == OpRegex {
			if _, err := regexp.Compile(fv.Str); err != nil {
				c.errorf(n.Path()+".value", calldash.ErrInvalidRegex, "invalid regular expression: %v", err)
				return test[int64]{}
			}
		}
		// String operators match only string values; an integer is not one.
		return test[int64]{fn: func(int64) bool { return false }}
	}
	c.errorf(n.Path()+".op", calldash.ErrUnknownOperator, "unknown operator")
	return test[int64]{}
}

// int64Of returns v as an int64 when it is an integral number in range.
func int64Of(v calldash.Value) (int64, bool) {
	if v.Kind != calldash.KindNumber || !v.Num.IsInteger() {
		return 0, false
	}
	if v.Num.LessThan(int64Lo) || v.Num.GreaterThan(int64Hi) {
		return 0, false
	}
	return v.Num.IntPart(), true
}

var (
	int64Lo = decimal.NewFromInt(math.MinInt64)
	int64Hi = decimal.NewFromInt(math.MaxInt64)
)

// timeLeaf compiles a condition on a datetime field. The value is resolved
// once by ResolveTime; a zero time.Time read from the field is null.
func (c *compiler) timeLeaf(read func(*calldash.Call) time.Time, n *Condition) callPred {
	op, fv := n.Op, n.Value
	if op == OpIsNull {
		want, ok := c.isNullTest(n)
		if !ok {
			return nil
		}
		return func(call *calldash.Call) bool { return read(call).IsZero() == want }
	}
	if op != OpEq && op != OpNeq && !op.Ordered() {
		c.errorf(n.Path()+".op", calldash.ErrOperatorNotAllowed, "operator %s is not allowed on a datetime field", op)
		return nil
	}
	if fv.Kind != calldash.KindString {
		c.errorf(n.Path()+".value", calldash.ErrValueType, "a datetime value is an ISO-8601 string or a relative time; got %s", fv.Kind)
		return nil
	}
	at, eop, err := ResolveTime(fv.Str, op, c.env)
	if err != nil {
		var e *calldash.Error
		if errors.As(err, &e) {
			c.errs = append(c.errs, &calldash.Error{Path: n.Path() + ".value", Kind: e.Kind, Msg: e.Msg})
		} else {
			c.errorf(n.Path()+".value", calldash.ErrInvalidTime, "%v", err)
		}
		return nil
	}
	mask, null := maskOf(eop), eop.NullMatches()
	return func(call *calldash.Call) bool {
		t := read(call)
		if t.IsZero() {
			return null
		}
		return mask.has(t.Compare(at))
	}
}

// A cmpMask is the set of comparison results (-1, 0, +1) that satisfy an
// operator: bit 0 for -1, bit 1 for 0, bit 2 for +1.
type cmpMask uint8

func maskOf(op Op) cmpMask {
	switch op {
	case OpEq:
		return 0b010
	case OpNeq:
		return 0b101
	case OpGt:
		return 0b100
	case OpGte:
		return 0b110
	case OpLt:
		return 0b001
	case OpLte:
		return 0b011
	}
	return 0
}

// has reports whether the comparison result r (field value vs filter
// value) satisfies the operator.
func (m cmpMask) has(r int) bool { return m>>(r+1)&1 != 0 }

// A number is a filter value prepared for fast exact comparison: a decimal
// whose coefficient fits in an int64 is compared without allocating.
type number struct {
	d     decimal.Decimal
	coef  int64
	exp   int64
	small bool  // coef and exp hold d
	sign  int   // of d
	mag   int64 // d's magnitude (see magnitude)
}

func makeNumber(d decimal.Decimal) number {
	n := number{d: d, sign: d.Sign(), mag: magnitude(d)}
	if d.NumDigits() <= 18 {
		n.coef, n.exp, n.small = d.CoefficientInt64(), int64(d.Exponent()), true
	}
	return n
}

// magnitude returns the exponent of the leading digit of d ≠ 0: m with
// 10^m ≤ |d| < 10^(m+1).
func magnitude(d decimal.Decimal) int64 {
	return int64(d.Exponent()) + int64(d.NumDigits()) - 1
}

// cmp compares the field value x with n: -1, 0 or +1 as x <, = or > n.
func (n *number) cmp(x decimal.Decimal) int {
	if n.small && x.NumDigits() <= 18 {
		return cmpSmall(x.CoefficientInt64(), int64(x.Exponent()), n.coef, n.exp)
	}
	return n.cmpBig(x)
}

// cmpBig is cmp for numbers that do not both fit in 18 digits. The signs
// and magnitudes decide most comparisons; only numbers of the same
// magnitude are compared digit by digit, which costs no more than their
// digits. Decimal.Cmp alone would scale one number to the other's
// exponent: for 1234567890123456789012e977 against 60, a thousand-digit
// multiplication per call.
func (n *number) cmpBig(x decimal.Decimal) int {
	sx := x.Sign()
	switch {
	case sx != n.sign:
		if sx > n.sign {
			return 1
		}
		return -1
	case sx == 0:
		return 0
	}
	if mx := magnitude(x); mx != n.mag {
		if (mx > n.mag) == (sx > 0) {
			return 1
		}
		return -1
	}
	return x.Cmp(n.d)
}

// cmpInt compares n with the integer x: -1, 0 or +1 as n <, = or > x.
func (n *number) cmpInt(x int64) int {
	if n.small {
		return cmpSmall(n.coef, n.exp, x, 0)
	}
	// n has more than 18 digits: signs and magnitudes decide, without
	// making a decimal of x, unless x has n's magnitude.
	sx := sign(x)
	switch {
	case n.sign != sx:
		if n.sign > sx {
			return 1
		}
		return -1
	case sx == 0:
		return 0
	}
	if mx := int64(dec.Digits(abs(x))) - 1; mx != n.mag {
		if (n.mag > mx) == (sx > 0) {
			return 1
		}
		return -1
	}
	return -n.cmpBig(decimal.NewFromInt(x))
}

// cmpSmall compares a·10^ea with b·10^eb exactly.
func cmpSmall(a, ea, b, eb int64) int {
	sa, sb := sign(a), sign(b)
	switch {
	case sa != sb:
		if sa > sb {
			return 1
		}
		return -1
	case sa == 0:
		return 0
	case ea == eb:
		if a == b {
			return 0
		} else if a > b {
			return 1
		}
		return -1
	}
	ua, ub := abs(a), abs(b)
	var r int
	if ea > eb {
		r = cmpScaled(ua, ea-eb, ub)
	} else {
		r = -cmpScaled(ub, eb-ea, ua)
	}
	return r * sa
}

// cmpScaled compares a·10^d with b, for a > 0 and d > 0.
func cmpScaled(a uint64, d int64, b uint64) int {
	if d > dec.MaxPow { // a·10^19 ≥ 10^19 > 2^63 ≥ b
		return 1
	}
	hi, lo := bits.Mul64(a, uint64(dec.Pow10(int(d))))
	switch {
	case hi != 0 || lo > b:
		return 1
	case lo == b:
		return 0
	}
	return -1
}

func sign(x int64) int {
	switch {
	case x > 0:
		return 1
	case x < 0:
		return -1
	}
	return 0
}

// abs returns |x|, also for math.MinInt64.
func abs(x int64) uint64 {
	if x < 0 {
		return -uint64(x)
	}
	return uint64(x)
}

// Combinators.

func allOf[T any](ps []func(T) bool) func(T) bool {
	switch len(ps) {
	case 0:
		return always[T]
	case 1:
		return ps[0]
	case 2:
		a, b := ps[0], ps[1]
		return func(x T) bool { return a(x) && b(x) }
	}
	return func(x T) bool {
		for _, p := range ps {
			if !p(x) {
				return false
			}
		}
		return true
	}
}

func anyOf[T any](ps []func(T) bool) func(T) bool {
	switch len(ps) {
	case 0:
		return never[T]
	case 1:
		return ps[0]
	case 2:
		a, b := ps[0], ps[1]
		return func(x T) bool { return a(x) || b(x) }
	}
	return func(x T) bool {
		for _, p := range ps {
			if p(x) {
				return true
			}
		}
		return false
	}
}

func always[T any](T) bool { return true }
func never[T any](T) bool  { return false }

// exists is true for a call when some evaluation row satisfies p.
func exists(p rowPred) callPred {
	return func(c *calldash.Call) bool {
		evs := c.MetricEvaluations
		for i := range evs {
			if p(&evs[i]) {
				return true
			}
		}
		return false
	}
}

// none is true for a call when no evaluation row satisfies p.
func none(p rowPred) callPred {
	return func(c *calldash.Call) bool {
		evs := c.MetricEvaluations
		for i := range evs {
			if p(&evs[i]) {
				return false
			}
		}
		return true
	}
}
