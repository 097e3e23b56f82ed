package sqlgen

import (
	"context"
	"fmt"
	"strings"
	"time"

	sq "github.com/Masterminds/squirrel"
	"github.com/shopspring/decimal"

	"github.com/calldash/calldash"
	"github.com/calldash/calldash/dialect"
	"github.com/calldash/calldash/filter"

	"github.com/calldash/calldash/internal/names"
)

// Where compiles a checked filter into a condition for the WHERE clause
// of a statement over the call row aliased c (joined with its agent row as
// a where the layout keeps agent names apart), in the dialect d, for the
// tables and columns of l. No filter and an empty and group give "1 = 1",
// an empty or group "1 = 0".
//
// The condition is text with "?" placeholders and its arguments, in one
// [sq.Sqlizer]; apply the dialect's placeholder format once to the whole
// statement ([dialect.Rewrite]). Its text depends only on the shape of the
// filter, the layout and the dialect (and, of the comparisons with numbers
// of a group, on which ones [filter.Members] keeps): identifiers come from the layout,
// quoted with d.Quote, and every value, metadata key and LIKE or regex
// pattern is an argument, so no input can change the statement's
// structure.
//
// # Semantics
//
// The condition selects exactly the calls that filter.Compile with the
// same env matches:
//
//   - Datetime values are resolved in Go with [filter.ResolveTime] (env's clock
//     and zone) and bound as instants. An instant finer than the column
//     (microseconds on PostgreSQL and MariaDB) is replaced by a neighbour
//     with an adjusted operator, so that gte 10:00:00.0000005 reads
//     gte 10:00:00.000001 and eq of it matches nothing, as in memory.
//   - neq is (x <> v OR x IS NULL); no other operator matches null.
//   - metadata.<key> compares by the JSON type of the filter value:
//     kind = 'number' AND number op v, and neq is NOT of that (a missing
//     key, null, an object, an array or another type matches neq).
//   - contains, startswith and endswith read the runes of the simple-folding
//     orbits of the needle's runes as their representatives
//     ([dialect.Dialect.FoldMatch]: translate, a few REPLACE calls, a
//     regular expression of orbit classes, or Go on SQLite): exact,
//     without the database's own case tables, and linear in the needle.
//   - regex is exact on SQLite (Go's regexp); PostgreSQL and MariaDB
//     accept the portable subset of [dialect.Dialect.Regex] and return an
//     [calldash.ErrDialect] error for other patterns.
//   - Conditions on metric_evaluations.* are EXISTS subqueries over the
//     evaluation rows of the call (joined with metrics only when
//     metric_evaluations.metric.name is used); neq and isnull true are NOT
//     EXISTS of the positive form; a same_row group is one EXISTS whose
//     row satisfies the whole group, an empty one EXISTS of any row.
//   - Numbers are bound exactly. On MySQL/MariaDB and ClickHouse (each a
//     [dialect.NumberRanger]) a number that DECIMAL(65,30) or
//     Decimal(38,18) cannot hold is compared through the type's largest
//     number or its neighbour on the type's grid, which decides the
//     comparison alike for every value the type holds.
//   - A group compiles only the members [filter.Members] returns, so a
//     repeated comparison with a number is written once, and an or of eq
//     and in members with numbers on one field is one in; an in list of
//     numbers is one IN where the dialect is a [dialect.NumberLister]
//     (every dialect here).
//
// Errors are a [calldash.ErrorList] of [*calldash.Error] values whose
// path points at the offending value.
func Where(f *filter.Checked, d dialect.Dialect, l *Layout, env filter.Env) (sq.Sqlizer, error) {
	return WhereContext(context.Background(), f, d, l, env)
}

// WhereContext is [Where] that stops when ctx is done: it checks ctx
// before each condition and each value of an in list, so that a filter
// of many long values stops within one value's work, and then returns
// ctx's error.
func WhereContext(ctx context.Context, f *filter.Checked, d dialect.Dialect, l *Layout, env filter.Env) (sq.Sqlizer, error) {
	n, s := f.Node(), f.Schema()
	if n == nil {
		return sq.Expr("1 = 1"), nil
	}
	c := &whereCompiler{ctx: ctx, s: s, d: d, env: env, l: l}
	w := c.node(n, false)
	if c.ctxErr != nil {
		return nil, c.ctxErr
	}
	if len(c.errs) > 0 {
		c.errs.Sort()
		return nil, c.errs
	}
	return sq.Expr(w.sql, w.args...), nil
}

// A frag is SQL text with "?" placeholders and its arguments.
type frag struct {
	sql  string
	args []any
}

var (
	fragTrue  = frag{sql: "1 = 1"}
	fragFalse = frag{sql: "1 = 0"}
)

// maxJoin is the most fragments join writes in one run of sep: longer
// lists nest as a balanced tree of runs, so that an expression of a
// thousand conditions (an or group, an in list) stays within SQLite's
// expression depth of 1,000, which a left-deep chain of ORs exceeds.
const maxJoin = 64

// join joins fragments with sep and wraps the result in parentheses.
func join(fs []frag, sep string) frag {
	if len(fs) == 1 {
		return fs[0]
	}
	if len(fs) > maxJoin {
		parts := make([]frag, 0, maxJoin)
		for i, n := 0, (len(fs)+maxJoin-1)/maxJoin; i < len(fs); i += n {
			parts = append(parts, join(fs[i:min(i+n, len(fs))], sep))
		}
		return join(parts, sep)
	}
	var b strings.Builder
	var args []any
	b.WriteByte('(')
	for i, f := range fs {
		if i > 0 {
			b.WriteString(sep)
		}
		b.WriteString(f.sql)
		args = append(args, f.args...)
	}
	b.WriteByte(')')
	return frag{b.String(), args}
}

func and(fs ...frag) frag { return join(fs, " AND ") }

func or(fs ...frag) frag {
	if len(fs) == 0 {
		return fragFalse
	}
	return join(fs, " OR ")
}

// not negates a condition that is never NULL.
func not(f frag) frag { return frag{"NOT (" + f.sql + ")", f.args} }

// A whereCompiler compiles one filter.
type whereCompiler struct {
	ctx    context.Context
	ctxErr error // ctx's error, once seen: the compiler writes nothing more
	s      *filter.Schema
	d      dialect.Dialect
	env    filter.Env
	l      *Layout
	errs   calldash.ErrorList
}

// stopped reports whether ctx is done, and remembers its error.
func (c *whereCompiler) stopped() bool {
	if c.ctxErr == nil {
		c.ctxErr = c.ctx.Err()
	}
	return c.ctxErr != nil
}

func (c *whereCompiler) errorf(path string, kind error, format string, args ...any) frag {
	c.errs = append(c.errs, calldash.Errorf(path, kind, format, args...))
	return fragFalse
}

// node compiles n against a call, or against one evaluation row (row).
func (c *whereCompiler) node(n filter.Node, row bool) frag {
	switch n := n.(type) {
	case *filter.Group:
		if n.Operator == filter.GroupSameRow && !row {
			return c.exists(n, c.node(n, true))
		}
		members := filter.Members(n, c.s)
		fs := make([]frag, 0, len(members))
		for _, m := range members {
			fs = append(fs, c.node(m, row))
		}
		if n.Operator == filter.GroupOr {
			return or(fs...)
		}
		if len(fs) == 0 {
			return fragTrue
		}
		return and(fs...)
	case *filter.Condition:
		if c.stopped() {
			return fragFalse
		}
		f, key, _ := c.s.Lookup(n.Field)
		switch {
		case f.Metric && !row:
			return c.metric(f, n)
		case f.Time != nil:
			return c.timeLeaf(f, n)
		}
		v, ok := c.access(f, key, n)
		if !ok {
			return fragFalse
		}
		return c.leaf(v, n)
	}
	return c.errorf("$", calldash.ErrShape, "not a filter node")
}

// metric compiles a metric_evaluations.* condition outside same_row: some
// row satisfies it, except neq (no row equals the value) and isnull true
// (no row has a non-null value).
func (c *whereCompiler) metric(f *filter.Field, n *filter.Condition) frag {
	switch {
	case n.Op == filter.OpNeq:
		eq := *n
		eq.Op = filter.OpEq
		return not(c.exists(n, c.node(&eq, true)))
	case n.Op == filter.OpIsNull && n.Value.Kind == calldash.KindBool && n.Value.Bool:
		present := *n
		present.Value = calldash.Bool(false)
		return not(c.exists(n, c.node(&present, true)))
	}
	return c.exists(n, c.node(n, true))
}

// exists is EXISTS of an evaluation row of the call that satisfies cond;
// the metrics row is joined when n reads it. A dialect without correlated
// subqueries ([dialect.Uncorrelated]) gets the same set as an uncorrelated
// IN over the evaluations' call column (never NULL).
func (c *whereCompiler) exists(n filter.Node, cond frag) frag {
	d, l := c.d, c.l
	var b strings.Builder
	var args []any
	evalCall := evalAlias + "." + d.Quote(l.evalCol("call"))
	callID := callAlias + "." + d.Quote(l.callCols["id"])
	_, inForm := d.(dialect.Uncorrelated)
	if inForm {
		b.WriteString(callID + " IN (SELECT " + evalCall + " FROM ")
	} else {
		b.WriteString("EXISTS (SELECT 1 FROM ")
	}
	from, fargs, scope, sargs := l.scoped(d, tableEvals, l.evals, evalAlias)
	b.WriteString(from + " AS " + evalAlias)
	args = append(args, fargs...)
	joinMetrics := false
	filter.Walk(n, func(m filter.Node) bool {
		if cond, ok := m.(*filter.Condition); ok {
			if at, ok := l.locate(fieldName(c.s, cond.Field)); ok && at.metric {
				joinMetrics = true
			}
		}
		return true
	})
	if joinMetrics {
		mfrom, mfargs, mscope, msargs := l.scoped(d, tableMetrics, l.metrics, metricAlias)
		if len(mfargs) == 0 { // no scope on a TableReader's metrics: joined as they are
			mfrom = QuoteTable(d, l.metrics)
		}
		b.WriteString(" JOIN " + mfrom + " AS " + metricAlias +
			" ON " + metricAlias + "." + d.Quote(l.metricCol("id")) + " = " + evalAlias + "." + d.Quote(l.evalCol("metric.id")))
		if mscope != "" {
			b.WriteString(" AND " + mscope)
		}
		args = append(append(args, mfargs...), msargs...)
	}
	var conds []string
	if !inForm {
		conds = append(conds, evalCall+" = "+callID)
	}
	if scope != "" {
		conds = append(conds, scope)
		args = append(args, sargs...)
	}
	if cond.sql != fragTrue.sql {
		conds = append(conds, cond.sql)
	}
	if len(conds) > 0 {
		b.WriteString(" WHERE " + strings.Join(conds, " AND "))
	}
	b.WriteString(")")
	return frag{b.String(), append(args, cond.args...)}
}

// fieldName returns the name of the schema field that name (as written in
// a filter) refers to.
func fieldName(s *filter.Schema, name string) string {
	if f, _, ok := s.Lookup(name); ok {
		return f.Name
	}
	return name
}

// An accessor reads a field's value in SQL.
type accessor struct {
	typ filter.Type // the field's type; filter.TypeDynamic: by JSON kind
	col string
	// dynamic fields: either a JSON column with a bound key ...
	json bool
	path any
	// ... or one column per kind (an evaluation value).
	num, text, boolean string
}

// access locates the field of n in SQL.
func (c *whereCompiler) access(f *filter.Field, key string, n *filter.Condition) (accessor, bool) {
	at, ok := c.l.locate(f.Name)
	if !ok {
		c.errorf(n.Path()+".field", calldash.ErrDialect, "field %s has no column in the SQL layout", names.Quote(n.Field))
		return accessor{}, false
	}
	switch {
	case at.typed:
		return accessor{typ: filter.TypeDynamic, num: at.num.sql(c.d), text: at.text.sql(c.d), boolean: at.boolean.sql(c.d)}, true
	case f.Prefix:
		if err := dialect.CheckKey(c.d, key); err != nil {
			c.errorf(n.Path()+".field", calldash.ErrDialect, "%v", err)
			return accessor{}, false
		}
		return accessor{typ: filter.TypeDynamic, col: c.l.jsonDocument(c.d, at.col.sql(c.d)), json: true, path: c.d.JSONPath(key)}, true
	case at.json: // an evaluation value in one JSON column
		return accessor{typ: filter.TypeDynamic, col: c.d.JSONScalar(at.col.sql(c.d)), json: true, path: c.d.JSONPath(dialect.ScalarKey)}, true
	}
	return accessor{typ: f.Type, col: at.col.sql(c.d)}, true
}

// typed returns the expression holding the value when it is of kind k
// (NULL otherwise, or, for a JSON field, anything: guard says when it
// holds), and the guard condition (empty when the expression is NULL for
// values of other kinds).
func (c *whereCompiler) typed(a accessor, k calldash.Kind) (expr, guard frag) {
	d := c.d
	if a.json {
		kind := map[calldash.Kind]string{calldash.KindNumber: "number", calldash.KindString: "string", calldash.KindBool: "boolean"}[k]
		guard = frag{"COALESCE(" + d.JSONKind(a.col) + ", '') = '" + kind + "'", []any{a.path}}
		switch k {
		case calldash.KindNumber:
			return frag{d.JSONNumber(a.col), []any{a.path}}, guard
		default: // a boolean compares by its text 'true' or 'false'
			return frag{d.JSONText(a.col), []any{a.path}}, guard
		}
	}
	if a.typ == filter.TypeDynamic {
		switch k {
		case calldash.KindNumber:
			return frag{sql: a.num}, frag{}
		case calldash.KindString:
			return frag{sql: a.text}, frag{}
		}
		return frag{sql: a.boolean}, frag{}
	}
	return frag{sql: a.col}, frag{}
}

// isNull is the condition "the value is null or missing".
func (c *whereCompiler) isNull(a accessor) frag {
	switch {
	case a.json:
		return frag{"COALESCE(" + c.d.JSONKind(a.col) + ", '') NOT IN ('number', 'string', 'boolean')", []any{a.path}}
	case a.typ == filter.TypeDynamic:
		return frag{sql: "(" + a.num + " IS NULL AND " + a.text + " IS NULL AND " + a.boolean + " IS NULL)"}
	}
	return frag{sql: a.col + " IS NULL"}
}

// kindOK reports whether a field of type t can hold a value of kind k.
func kindOK(t filter.Type, k calldash.Kind) bool {
	switch t {
	case filter.TypeDynamic:
		return true
	case filter.TypeInteger, filter.TypeNumeric:
		return k == calldash.KindNumber
	case filter.TypeString:
		return k == calldash.KindString
	case filter.TypeBoolean:
		return k == calldash.KindBool
	}
	return false
}

// leaf compiles a condition on a field read by a (not a datetime field).
func (c *whereCompiler) leaf(a accessor, n *filter.Condition) frag {
	op, v := n.Op, n.Value
	switch {
	case op == filter.OpIsNull:
		if v.Bool {
			return c.isNull(a)
		}
		return not(c.isNull(a))
	case op == filter.OpIn:
		var fs []frag
		var ints, nums []any
		// With a NumberLister, two or more numbers are one IN at the place
		// of the first: it reads the value once, where an OR of
		// comparisons would extract and cast it per element.
		lister, _ := c.d.(dialect.NumberLister)
		if count := numbers(v.List); lister == nil || count < 2 || !kindOK(a.typ, calldash.KindNumber) || a.typ == filter.TypeInteger {
			lister = nil
		}
		at := -1
		for i, e := range v.List {
			if c.stopped() {
				return fragFalse
			}
			path := fmt.Sprintf("%s.value[%d]", n.Path(), i)
			switch {
			case a.typ == filter.TypeInteger:
				if e.Kind == calldash.KindNumber && e.Num.IsInteger() {
					ints = append(ints, e.Num.IntPart())
				}
				continue
			case lister != nil && e.Kind == calldash.KindNumber && c.d.CheckNumber(e.Num) == nil:
				if at < 0 {
					at = len(fs)
					fs = append(fs, frag{})
				}
				nums = append(nums, c.d.NumberArg(e.Num))
				continue
			}
			if f, ok := c.compare(a, filter.OpEq, e, path); ok {
				fs = append(fs, f)
			}
		}
		if at >= 0 {
			expr, guard := c.typed(a, calldash.KindNumber)
			fs[at] = guarded(guard, frag{lister.InNumbers(expr.sql, len(nums)), append(append([]any{}, expr.args...), nums...)})
		}
		if a.typ == filter.TypeInteger {
			if len(ints) == 0 {
				return fragFalse
			}
			return frag{a.col + " IN (" + strings.TrimSuffix(strings.Repeat("?, ", len(ints)), ", ") + ")", ints}
		}
		return or(fs...)
	case op == filter.OpEq || op.Ordered():
		f, _ := c.compare(a, op, v, n.Path()+".value")
		return f
	case op == filter.OpNeq:
		if !kindOK(a.typ, v.Kind) { // never equal: null and every value match
			return fragTrue
		}
		eq, ok := c.compare(a, filter.OpEq, v, n.Path()+".value")
		if !ok {
			return fragFalse
		}
		if expr, guard := c.typed(a, v.Kind); guard.sql == "" {
			// (x <> v OR x IS NULL)
			ne, _ := c.compare(a, filter.OpNeq, v, n.Path()+".value")
			return or(ne, frag{sql: expr.sql + " IS NULL"})
		}
		return not(eq)
	case op.Text():
		if !kindOK(a.typ, calldash.KindString) {
			return fragFalse
		}
		if err := dialect.CheckText(c.d, v.Str); err != nil {
			return c.errorf(n.Path()+".value", calldash.ErrDialect, "%v", err)
		}
		expr, guard := c.typed(a, calldash.KindString)
		return guarded(guard, foldMatch(c.d, expr, op, v.Str))
	case op == filter.OpRegex:
		if !kindOK(a.typ, calldash.KindString) {
			return fragFalse
		}
		if err := dialect.CheckText(c.d, v.Str); err != nil {
			return c.errorf(n.Path()+".value", calldash.ErrDialect, "%v", err)
		}
		expr, guard := c.typed(a, calldash.KindString)
		cond, arg, err := c.d.Regex(expr.sql, v.Str)
		if err != nil {
			return c.errorf(n.Path()+".value", calldash.ErrDialect, "%v", err)
		}
		return guarded(guard, frag{cond, append(append([]any{}, expr.args...), arg)})
	}
	return c.errorf(n.Path()+".op", calldash.ErrUnknownOperator, "unknown operator")
}

// numbers counts the numbers of list.
func numbers(list []calldash.Value) int {
	n := 0
	for _, e := range list {
		if e.Kind == calldash.KindNumber {
			n++
		}
	}
	return n
}

// guarded is guard AND f, or f without a guard.
func guarded(guard, f frag) frag {
	if guard.sql == "" {
		return f
	}
	return and(guard, f)
}

// sqlOps are the SQL comparison operators of eq, neq and the ordered ones.
var sqlOps = map[filter.Op]string{filter.OpEq: "=", filter.OpNeq: "<>", filter.OpGt: ">", filter.OpGte: ">=", filter.OpLt: "<", filter.OpLte: "<="}

// compare is the positive condition "the value is of v's kind and compares
// with v by op" (op is eq, an ordered operator, or neq for typed
// expressions only). ok is false when no value can satisfy it.
func (c *whereCompiler) compare(a accessor, op filter.Op, v calldash.Value, path string) (frag, bool) {
	if !kindOK(a.typ, v.Kind) || v.Kind == calldash.KindBool && op.Ordered() {
		return fragFalse, false
	}
	sop := sqlOps[op]
	if a.typ == filter.TypeInteger { // Check allows only integers within int64 here
		return frag{a.col + " " + sop + " ?", []any{v.Num.IntPart()}}, true
	}
	expr, guard := c.typed(a, v.Kind)
	var cmp frag
	switch v.Kind {
	case calldash.KindNumber:
		num := v.Num
		if err := c.d.CheckNumber(num); err != nil {
			r, ok := c.d.(dialect.NumberRanger)
			if !ok {
				return c.errorf(path, calldash.ErrDialect, "%v", err), false
			}
			num, sop = inType(num, sop, c.d, r)
		}
		cmp = frag{c.d.CompareNumber(expr.sql, sop), append(append([]any{}, expr.args...), c.d.NumberArg(num))}
	case calldash.KindString:
		if err := dialect.CheckText(c.d, v.Str); err != nil {
			return c.errorf(path, calldash.ErrDialect, "%v", err), false
		}
		cmp = frag{c.d.CompareText(expr.sql, sop), append(append([]any{}, expr.args...), v.Str)}
	case calldash.KindBool:
		if a.json {
			cmp = frag{c.d.CompareText(expr.sql, sop), append(append([]any{}, expr.args...), fmt.Sprint(v.Bool))}
		} else {
			cmp = frag{expr.sql + " " + sop + " ?", append(append([]any{}, expr.args...), c.d.BoolArg(v.Bool))}
		}
	default:
		return fragFalse, false
	}
	return guarded(guard, cmp), true
}

// inType rewrites "x op l" for a number l that the decimal type of d
// (whose digits r gives) cannot hold into a comparison with a number it can, for every x the
// type holds: beyond the type's range every x lies on one side of l (a
// comparison with the type's largest or smallest number, true or false
// for every number yet still reading x, so that a value beyond the type
// still refuses the statement); within it, l lies between two
// neighbours of the grid of the type's fractional digits, and x op l is
// x op' the neighbour (as instants finer than a timestamp column are).
func inType(l decimal.Decimal, op string, d dialect.Dialect, r dialect.NumberRanger) (decimal.Decimal, string) {
	intDigits, fracDigits := r.NumberRange()
	largest := decimal.New(1, intDigits).Sub(decimal.New(1, -fracDigits))
	if l.NumDigits()+int(l.Exponent()) <= int(intDigits) { // |l| < 10^intDigits
		var n decimal.Decimal
		switch op {
		case "=": // never equal: false for every number
			return largest, ">"
		case "<>":
			return largest, "<="
		case ">", "<=": // x > l ⇔ x > floor(l); x <= l ⇔ x <= floor(l)
			n = l.RoundFloor(fracDigits)
		default: // ">=", "<": x >= l ⇔ x >= ceil(l); x < l ⇔ x < ceil(l)
			n = l.RoundCeil(fracDigits)
		}
		if d.CheckNumber(n) == nil {
			return n, op
		}
		l = n // ±10^intDigits: beyond the range
	}
	if l.Sign() > 0 { // above every number of the type
		switch op {
		case "=", ">", ">=":
			return largest, ">"
		}
		return largest, "<="
	}
	switch op { // below every number of the type
	case "=", "<", "<=":
		return largest.Neg(), "<"
	}
	return largest.Neg(), ">="
}

// timeLeaf compiles a condition on a datetime field: the value is resolved
// in Go and bound as an instant of the column's precision.
func (c *whereCompiler) timeLeaf(f *filter.Field, n *filter.Condition) frag {
	where, ok := c.l.locate(f.Name)
	if !ok {
		return c.errorf(n.Path()+".field", calldash.ErrDialect, "field %s has no column in the SQL layout", names.Quote(n.Field))
	}
	col := where.col.sql(c.d)
	if n.Op == filter.OpIsNull {
		if n.Value.Bool {
			return frag{sql: col + " IS NULL"}
		}
		return frag{sql: col + " IS NOT NULL"}
	}
	at, op, err := filter.ResolveTime(n.Value.Str, n.Op, c.env)
	if err != nil {
		return c.errorf(n.Path()+".value", calldash.ErrInvalidTime, "%v", err)
	}
	if p := c.d.TimePrecision(); p > 1 {
		if lo := at.Truncate(p); !lo.Equal(at) {
			// No column value equals at; compare with a neighbour.
			switch op {
			case filter.OpEq:
				return fragFalse
			case filter.OpNeq:
				return fragTrue
			case filter.OpGt, filter.OpLte: // x > at ⇔ x > lo; x <= at ⇔ x <= lo
				at = lo
			case filter.OpGte, filter.OpLt: // x >= at ⇔ x >= lo+p; x < at ⇔ x < lo+p
				at = lo.Add(p)
			}
		}
	}
	if side := dialect.Beyond(c.d, at); side != 0 {
		return outsideRange(col, op, side > 0)
	}
	arg := c.d.TimeArg(at.In(time.UTC))
	if op == filter.OpNeq {
		return frag{"(" + col + " <> ? OR " + col + " IS NULL)", []any{arg}}
	}
	return frag{col + " " + sqlOps[op] + " ?", []any{arg}}
}

// outsideRange decides "col op at" for an instant at outside the range of
// instants the column holds (above it when above): every value lies on
// the same side of at, and null matches only <>, as in memory.
func outsideRange(col string, op filter.Op, above bool) frag {
	switch op {
	case filter.OpNeq:
		return fragTrue
	case filter.OpGt, filter.OpGte:
		if above {
			return fragFalse
		}
	case filter.OpLt, filter.OpLte:
		if !above {
			return fragFalse
		}
	default: // filter.OpEq
		return fragFalse
	}
	return frag{sql: col + " IS NOT NULL"}
}
