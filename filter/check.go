package filter

import (
	"fmt"
	"math"
	"regexp"
	"strings"

	"github.com/shopspring/decimal"

	"github.com/calldash/calldash"
	"github.com/calldash/calldash/internal/jsonx"
)

// Validate is [Parse] followed by [Check]: it returns the checked filter
// when the input is a valid filter for s, and otherwise a
// [calldash.ErrorList] of every problem of the input (shape and schema
// alike, sorted by path). When Parse fails, the part of the AST it could
// build is still checked, so that one call reports all problems together.
//
// null and {} give a filter without a root node: no filter.
func Validate(data []byte, s *Schema, opts ...Option) (*Checked, error) {
	n, err := Parse(data, opts...)
	var errs calldash.ErrorList
	if err != nil {
		if l, ok := err.(calldash.ErrorList); ok {
			errs = append(errs, l...)
		} else {
			errs = append(errs, calldash.Errorf(newConfig(opts).path, calldash.ErrSyntax, "%v", err))
		}
	}
	c, cerr := Check(n, s, opts...)
	if cerr != nil {
		errs = append(errs, cerr.(calldash.ErrorList)...)
	}
	if len(errs) > 0 {
		errs.Sort()
		return nil, errs
	}
	return c, nil
}

// A Checked is a filter that [Check] accepted for a schema: the value that
// the stages after checking take — [Compile], [TimeBounds],
// [CheckTimeRange] and the SQL compiler of package sqlgen — so that none of
// them checks again. Its AST must not change afterwards.
type Checked struct {
	root   Node
	schema *Schema
}

// Node returns the filter's AST; nil for no filter.
func (c *Checked) Node() Node { return c.root }

// String returns the canonical JSON form of the filter ("null" for no
// filter), as [Format].
func (c *Checked) String() string { return Format(c.root) }

// Schema returns the schema the filter was checked against.
func (c *Checked) Schema() *Schema { return c.schema }

// Part returns the checked filter of n, a node of c's AST (a member of one
// of its groups, at any depth), without checking it again.
func (c *Checked) Part(n Node) *Checked { return &Checked{root: n, schema: c.schema} }

// Check validates a filter against the fields of s (nil means [CallLogs])
// and returns it as a [Checked] filter, or a [calldash.ErrorList] of every
// problem, sorted by path. A nil Node (no filter) is valid. Each error names the JSON path of the
// offending key, e.g. "$.conditions[1].value[3]", and wraps one sentinel:
//
//   - [ErrUnknownField]: the field is not in s. Fields are looked up with
//     [Schema.Lookup], so aliases such as agent_id, which
//     exist for plotting only, are errors that name the field to write instead.
//   - [ErrMetadataKey]: a prefix field without a key ("metadata",
//     "metadata."), or a key with a dot or longer than
//     [Limits].MaxMetadataKey bytes (that limit is reported as
//     ErrMetadataKey, not [ErrLimit], with a message naming the limit).
//   - [ErrOperatorNotAllowed]: the operator exists but the field's type does
//     not allow it; the message lists the allowed ones.
//   - [ErrValueType]: the value does not fit the field and operator. Numeric
//     fields take numbers; integer fields integers within int64; boolean
//     fields true or false; string fields strings; dynamic fields a string,
//     number or boolean (the ordered operators a number or string, the
//     string operators and regex a string). "in" takes an array whose
//     elements are checked one by one; "isnull" takes true or false. null is
//     never a value to compare with: the message points to isnull.
//   - [ErrInvalidTime]: a datetime value that [ResolveTime] rejects.
//   - [ErrInvalidRegex]: a regex value that does not compile (RE2 syntax).
//   - [ErrSameRow]: a same_row group holding a condition on a field that is
//     not a metric evaluation field, or a nested same_row group (a group
//     inside same_row already speaks of one row; only
//     and/or groups there).
//   - [ErrLimit]: the limits of the options (nodes, depth, list length,
//     string length), as [Parse] checks them, so that an AST built in Go is
//     held to the same limits.
//   - [ErrUnknownOperator] and [ErrShape]: only for an AST built in Go with
//     an operator outside the language or a nil member of a group.
//
// Datetime values are checked for their form; "now" and "today" are
// resolved with the evaluation's clock and zone when [WithEnv] gives them
// (so that the check and the evaluation agree), and otherwise when the
// filter is evaluated.
func Check(n Node, s *Schema, opts ...Option) (*Checked, error) {
	if s == nil {
		s = CallLogs()
	}
	c := &checker{s: s, cfg: newConfig(opts)}
	c.node(n, c.cfg.path, 1, false)
	c.errs.Sort()
	if len(c.errs) > 0 {
		return nil, c.errs
	}
	return &Checked{root: n, schema: s}, nil
}

type checker struct {
	s     *Schema
	cfg   config
	errs  calldash.ErrorList
	nodes int
}

func (c *checker) errorf(path string, kind error, format string, args ...any) {
	c.errs = append(c.errs, calldash.Errorf(path, kind, format, args...))
}

// node checks n; path is where n is when it does not know its own path,
// sameRow whether n is inside a same_row group.
func (c *checker) node(n Node, path string, depth int, sameRow bool) {
	switch n := n.(type) {
	case *Group:
		if n == nil {
			return
		}
		path = pathOf(n.At, path)
		if !c.count(path, depth) {
			return
		}
		switch n.Operator {
		case GroupAnd, GroupOr:
		case GroupSameRow:
			if sameRow {
				c.errorf(path+".operator", calldash.ErrSameRow, "a same_row group cannot hold another same_row group; "+
					"use an and group (every condition inside same_row already applies to one evaluation row)")
			}
		default:
			c.errorf(path+".operator", calldash.ErrUnknownOperator, "unknown group operator; allowed: and, or, same_row")
		}
		inner := sameRow || n.Operator == GroupSameRow
		for i, m := range n.Conditions {
			mPath := jsonx.Index(path+".conditions", i)
			if isNilNode(m) {
				c.errorf(mPath, calldash.ErrShape, "missing condition (nil node)")
				continue
			}
			c.node(m, mPath, depth+1, inner)
		}
	case *Condition:
		if n == nil {
			return
		}
		path = pathOf(n.At, path)
		if c.count(path, depth) {
			c.condition(n, path, sameRow)
		}
	}
}

func isNilNode(n Node) bool {
	switch n := n.(type) {
	case *Group:
		return n == nil
	case *Condition:
		return n == nil
	}
	return n == nil
}

func pathOf(at, derived string) string {
	if at != "" {
		return at
	}
	return derived
}

// count applies the node and depth limits; it reports whether to go on.
func (c *checker) count(path string, depth int) bool {
	c.nodes++
	if c.nodes == c.cfg.limits.MaxNodes+1 {
		c.errorf(path, calldash.ErrLimit, "filter has more than %d conditions and groups (limit MaxNodes)", c.cfg.limits.MaxNodes)
	}
	if c.nodes > c.cfg.limits.MaxNodes {
		return false
	}
	if depth > c.cfg.limits.MaxDepth {
		c.errorf(path, calldash.ErrLimit, "nesting depth exceeds the limit of %d", c.cfg.limits.MaxDepth)
		return false
	}
	return true
}

func (c *checker) condition(n *Condition, path string, sameRow bool) {
	f, key, ok := c.s.Lookup(n.Field)
	if !ok {
		c.unknownField(n.Field, path+".field")
		return
	}
	if f.Prefix {
		c.metadataKey(f, key, path+".field")
	}
	if sameRow && !f.Metric {
		c.errorf(path+".field", calldash.ErrSameRow, "field %s is not a metric evaluation field; a same_row group may hold only "+
			"conditions on metric evaluation fields (%s) and and/or groups of them", quoteShort(n.Field), strings.Join(c.metricNames(), ", "))
	}
	if !(n.Op > 0 && n.Op < numOps) {
		c.errorf(path+".op", calldash.ErrUnknownOperator, "unknown operator; allowed for %s field %s: %s", f.Type, quoteShort(n.Field), f.Ops)
		return
	}
	if !f.Ops.Has(n.Op) {
		c.errorf(path+".op", calldash.ErrOperatorNotAllowed, "operator %q is not allowed for %s field %s; allowed: %s",
			n.Op.String(), f.Type, quoteShort(n.Field), f.Ops)
		return
	}
	c.value(f, n.Field, n.Op, n.Value, path+".value")
}

func (c *checker) metricNames() []string {
	var names []string
	for _, f := range c.s.fields {
		if f.Metric {
			names = append(names, f.Name)
		}
	}
	return names
}

func (c *checker) unknownField(name, path string) {
	// A prefix field written without its key.
	for _, f := range c.s.fields {
		if f.Prefix && name == f.Name {
			c.errorf(path, calldash.ErrMetadataKey, "field %q needs a key: write %q", name, f.Name+".<key>")
			return
		}
	}
	if f, _, ok := c.s.Resolve(name); ok {
		c.errorf(path, calldash.ErrUnknownField, "field %s is a name for plotting only; in filters write %q", quoteShort(name), f.Name)
		return
	}
	candidates := make([]string, 0, len(c.s.fields))
	for _, f := range c.s.fields {
		cand := f.Name
		if f.Prefix {
			// Compare "metdata.region" with "metadata.region".
			cand += ".<key>"
			if i := strings.IndexByte(name, '.'); i >= 0 {
				cand = f.Name + name[i:]
			}
		}
		candidates = append(candidates, cand)
	}
	msg := "unknown field " + quoteShort(name)
	if s := suggest(name, candidates); s != "" && name != "" {
		msg += fmt.Sprintf(" (did you mean %q?)", s)
	}
	c.errorf(path, calldash.ErrUnknownField, "%s; known fields: %s", msg, strings.Join(c.s.Names(), ", "))
}

func (c *checker) metadataKey(f *Field, key, path string) {
	if c.cfg.limits.ValidKey(key) {
		return
	}
	switch {
	case key == "":
		c.errorf(path, calldash.ErrMetadataKey, "empty %s key: write %q", f.Name, f.Name+".<key>")
	case strings.Contains(key, "."):
		c.errorf(path, calldash.ErrMetadataKey, "%s key %s contains a dot; only top-level keys can be filtered", f.Name, quoteShort(key))
	case len(key) > c.cfg.limits.MaxMetadataKey:
		c.errorf(path, calldash.ErrMetadataKey, "%s key has %d bytes; the limit (MaxMetadataKey) is %d", f.Name, len(key), c.cfg.limits.MaxMetadataKey)
	}
}

// value checks the whole value of a condition.
func (c *checker) value(f *Field, name string, op Op, v calldash.Value, path string) {
	switch {
	case v.Kind == calldash.KindNull:
		hint := `{"op": "isnull", "value": true}`
		if op == OpNeq {
			hint = `{"op": "isnull", "value": false}`
		}
		c.errorf(path, calldash.ErrValueType, "null is not a value to compare with; to test for a missing value use %s", hint)
	case op == OpIsNull:
		if v.Kind != calldash.KindBool {
			c.errorf(path, calldash.ErrValueType, `operator "isnull" needs true or false; got %s`, describe(v))
		}
	case op == OpIn:
		if v.Kind != calldash.KindList {
			c.errorf(path, calldash.ErrValueType, `operator "in" needs an array; got %s`, describe(v))
			return
		}
		if len(v.List) > c.cfg.limits.MaxList {
			c.errorf(path, calldash.ErrLimit, "list has %d elements; the limit (MaxList) is %d", len(v.List), c.cfg.limits.MaxList)
			return
		}
		for i, e := range v.List {
			ePath := jsonx.Index(path, i)
			switch e.Kind {
			case calldash.KindNull:
				c.errorf(ePath, calldash.ErrValueType, `null cannot be an element of "in"; to test for a missing value add {"op": "isnull", "value": true}`)
			case calldash.KindList:
				c.errorf(ePath, calldash.ErrValueType, "list elements must be strings, numbers or booleans; got array")
			default:
				c.scalar(f, name, OpIn, e, ePath)
			}
		}
	case v.Kind == calldash.KindList:
		c.errorf(path, calldash.ErrValueType, "operator %q takes one value; got array (use \"in\" for a list)", op.String())
	default:
		c.scalar(f, name, op, v, path)
	}
}

var (
	minInt64 = decimal.NewFromInt(math.MinInt64)
	maxInt64 = decimal.NewFromInt(math.MaxInt64)
)

// scalar checks one non-null scalar value for op (OpIn for a list element).
func (c *checker) scalar(f *Field, name string, op Op, v calldash.Value, path string) {
	if v.Kind == calldash.KindString && len(v.Str) > c.cfg.limits.MaxString {
		c.errorf(path, calldash.ErrLimit, "string value has %d bytes; the limit (MaxString) is %d", len(v.Str), c.cfg.limits.MaxString)
		return
	}
	if op.Text() || op == OpRegex {
		if v.Kind != calldash.KindString {
			c.errorf(path, calldash.ErrValueType, "operator %q needs a string; got %s", op.String(), describe(v))
			return
		}
		if op == OpRegex {
			if _, err := regexp.Compile(v.Str); err != nil {
				c.errorf(path, calldash.ErrInvalidRegex, "invalid regular expression: %s", strings.TrimPrefix(err.Error(), "error parsing regexp: "))
			}
		}
		return
	}
	wrong := func() {
		c.errorf(path, calldash.ErrValueType, "field %s is %s; got %s", quoteShort(name), f.Type, describe(v))
	}
	switch f.Type {
	case TypeNumeric:
		if v.Kind != calldash.KindNumber {
			wrong()
		}
	case TypeInteger:
		switch {
		case v.Kind != calldash.KindNumber:
			wrong()
		case !v.Num.IsInteger():
			c.errorf(path, calldash.ErrValueType, "field %s is integer; got number %s", quoteShort(name), shorten(v.Num.String()))
		case v.Num.LessThan(minInt64) || v.Num.GreaterThan(maxInt64):
			c.errorf(path, calldash.ErrValueType, "field %s is integer; number %s is out of the 64-bit range", quoteShort(name), shorten(v.Num.String()))
		}
	case TypeBoolean:
		if v.Kind != calldash.KindBool {
			wrong()
		}
	case TypeString:
		if v.Kind != calldash.KindString {
			wrong()
		}
	case TypeDatetime:
		if v.Kind != calldash.KindString {
			c.errorf(path, calldash.ErrValueType, "field %s is datetime; got %s (want an RFC 3339 string, a date or a relative value such as \"now-7d\")",
				quoteShort(name), describe(v))
			return
		}
		err := checkTimeForm(v.Str)
		if err == nil && c.cfg.env != nil {
			_, _, err = ResolveTime(v.Str, op, *c.cfg.env)
		}
		if err != nil {
			c.errorf(path, calldash.ErrInvalidTime, "field %s: %v", quoteShort(name), err)
		}
	case TypeDynamic:
		if op.Ordered() && v.Kind == calldash.KindBool {
			c.errorf(path, calldash.ErrValueType, "operator %q needs a number or a string; got %s", op.String(), describe(v))
		}
	}
}

// describe returns the JSON type and a short form of v for error messages,
// such as `string "60"` or `number 3`.
func describe(v calldash.Value) string {
	switch v.Kind {
	case calldash.KindString:
		return "string " + quoteShort(v.Str)
	case calldash.KindNumber:
		return "number " + shorten(v.Num.String())
	case calldash.KindBool:
		return fmt.Sprintf("boolean %t", v.Bool)
	}
	return v.Kind.String()
}
