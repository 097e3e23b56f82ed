package filter

import (
	"fmt"
	"strings"
	"time"

	sq "github.com/Masterminds/squirrel"

	"github.com/calldash/calldash/dialect"

	"github.com/calldash/calldash"
)

// The table aliases of the SQL that [SQL] writes. The condition reads the
// call_logs row as CallAlias and the agents row as AgentAlias, so the
// statement around it is
//
//	FROM <prefix>call_logs AS c LEFT JOIN <prefix>agents AS a ON a.id = c.agent_id
//
// EvalAlias and MetricAlias name the metric_evaluations and metrics rows
// inside the EXISTS subqueries the condition holds.
const (
	CallAlias   = "c"
	AgentAlias  = "a"
	EvalAlias   = "e"
	MetricAlias = "m"
)

// Tables names the tables of the default layout for [SQL]: each is Prefix
// followed by its name (call_logs, agents, metric_evaluations, metrics).
type Tables struct {
	Prefix string // e.g. "t_3f9a_" for a scratch namespace; "" for the plain names
}

// Name returns the full name of the table named table.
func (t Tables) Name(table string) string { return t.Prefix + table }

// SQL compiles a filter into a condition for the WHERE clause of a
// statement over the call_logs row aliased [CallAlias] (joined with its
// agents row as [AgentAlias]), in the dialect d. It first validates n
// against s with [Check] (opts are passed on) and returns its error
// unchanged; a nil n (no filter) and an empty and group give "1 = 1", an
// empty or group "1 = 0". A nil s means [CallLogs].
//
// The condition is text with "?" placeholders and its arguments, in one
// [sq.Sqlizer]; apply d.Placeholder() once to the whole statement. Its
// text depends only on the shape of the filter, the schema and the
// dialect: identifiers come from the schema (Field.SQL, quoted with
// d.Quote) and t, and every value, metadata key and LIKE or regex pattern
// is an argument, so no input can change the statement's structure.
//
// # Semantics
//
// The condition selects exactly the calls that [Compile] with the same
// env matches (SPEC §3), given the tables of the default layout
// (dialect.Dialect.DDL) as package sqlstore fills them:
//
//   - Datetime values are resolved in Go with [ResolveTime] (env's clock
//     and zone) and bound as instants. An instant finer than the column
//     (microseconds on PostgreSQL and MariaDB) is replaced by a neighbour
//     with an adjusted operator, so that gte 10:00:00.0000005 reads
//     gte 10:00:00.000001 and eq of it matches nothing, as in memory.
//   - neq is (x <> v OR x IS NULL); no other operator matches null.
//   - metadata.<key> compares by the JSON type of the filter value:
//     kind = 'number' AND number op v, and neq is NOT of that (a missing
//     key, null, an object, an array or another type matches neq).
//   - contains, startswith and endswith fold the text with REPLACE calls
//     for the simple-folding orbits of the needle's runes
//     ([dialect.Folded]) and compare with LIKE and a pattern of
//     [dialect.Fold](value) whose %, _ and ! are escaped: exact, without
//     the database's own case tables.
//   - regex is exact on SQLite (Go's regexp); PostgreSQL and MariaDB
//     accept the portable subset of [dialect.Dialect.Regex] and return an
//     [ErrDialect] error for other patterns.
//   - Conditions on metric_evaluations.* are EXISTS subqueries over the
//     evaluation rows of the call (joined with metrics only when
//     metric_evaluations.metric.name is used); neq and isnull true are NOT
//     EXISTS of the positive form; a same_row group is one EXISTS whose
//     row satisfies the whole group, an empty one EXISTS of any row.
//   - Numbers are bound exactly; on MySQL/MariaDB a number that DECIMAL(65,30)
//     cannot hold is an [ErrDialect] error.
//
// Errors other than Check's are an [ErrorList] of [*Error] values whose
// path points at the offending value.
func SQL(checked *Checked, d dialect.Dialect, env Env, t Tables) (sq.Sqlizer, error) {
	n, s := checked.root, checked.schema
	if n == nil {
		return sq.Expr("1 = 1"), nil
	}
	c := &sqlCompiler{s: s, d: d, env: env, t: t}
	f := c.node(n, false)
	if len(c.errs) > 0 {
		c.errs.Sort()
		return nil, c.errs
	}
	return sq.Expr(f.sql, f.args...), nil
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

// join joins fragments with sep and wraps the result in parentheses.
func join(fs []frag, sep string) frag {
	if len(fs) == 1 {
		return fs[0]
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

type sqlCompiler struct {
	s    *Schema
	d    dialect.Dialect
	env  Env
	t    Tables
	errs calldash.ErrorList
}

func (c *sqlCompiler) errorf(path string, kind error, format string, args ...any) frag {
	c.errs = append(c.errs, calldash.Errorf(path, kind, format, args...))
	return fragFalse
}

// node compiles n against a call, or against one evaluation row (row).
func (c *sqlCompiler) node(n Node, row bool) frag {
	switch n := n.(type) {
	case *Group:
		if n.Operator == GroupSameRow && !row {
			return c.exists(n, c.node(n, true))
		}
		fs := make([]frag, 0, len(n.Conditions))
		for _, m := range n.Conditions {
			fs = append(fs, c.node(m, row))
		}
		if n.Operator == GroupOr {
			return or(fs...)
		}
		if len(fs) == 0 {
			return fragTrue
		}
		return and(fs...)
	case *Condition:
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
func (c *sqlCompiler) metric(f *Field, n *Condition) frag {
	switch {
	case n.Op == OpNeq:
		eq := *n
		eq.Op = OpEq
		return not(c.exists(n, c.node(&eq, true)))
	case n.Op == OpIsNull && n.Value.Kind == calldash.KindBool && n.Value.Bool:
		present := *n
		present.Value = calldash.Bool(false)
		return not(c.exists(n, c.node(&present, true)))
	}
	return c.exists(n, c.node(n, true))
}

// exists is EXISTS of an evaluation row of the call that satisfies cond;
// metrics is joined when n uses a field of the metrics table.
func (c *sqlCompiler) exists(n Node, cond frag) frag {
	d := c.d
	var b strings.Builder
	// ClickHouse has no correlated subqueries: the same set as an
	// uncorrelated IN (call_log_id is never NULL).
	inForm := d.Name() == "clickhouse"
	if inForm {
		b.WriteString(CallAlias + "." + d.Quote("id") + " IN (SELECT " + EvalAlias + "." + d.Quote("call_log_id") + " FROM ")
	} else {
		b.WriteString("EXISTS (SELECT 1 FROM ")
	}
	if inForm {
		// 18.16 loses the alias of a Distributed table joined with ON.
		b.WriteString("(SELECT * FROM " + d.Quote(c.t.Name("metric_evaluations")) + ") AS " + EvalAlias)
	} else {
		b.WriteString(d.Quote(c.t.Name("metric_evaluations")) + " AS " + EvalAlias)
	}
	joinMetrics := false
	Walk(n, func(m Node) bool {
		if cond, ok := m.(*Condition); ok {
			if f, _, ok := c.s.Lookup(cond.Field); ok && f.SQL.Table == "metrics" {
				joinMetrics = true
			}
		}
		return true
	})
	if joinMetrics {
		b.WriteString(" JOIN " + d.Quote(c.t.Name("metrics")) + " AS " + MetricAlias +
			" ON " + MetricAlias + "." + d.Quote("id") + " = " + EvalAlias + "." + d.Quote("metric_id"))
	}
	if inForm {
		if cond.sql != fragTrue.sql {
			b.WriteString(" WHERE " + cond.sql)
		}
	} else {
		b.WriteString(" WHERE " + EvalAlias + "." + d.Quote("call_log_id") + " = " + CallAlias + "." + d.Quote("id"))
		if cond.sql != fragTrue.sql {
			b.WriteString(" AND " + cond.sql)
		}
	}
	b.WriteString(")")
	return frag{b.String(), cond.args}
}

// alias returns the alias of a table of the default layout.
func alias(table string) (string, bool) {
	switch table {
	case "call_logs":
		return CallAlias, true
	case "agents":
		return AgentAlias, true
	case "metric_evaluations":
		return EvalAlias, true
	case "metrics":
		return MetricAlias, true
	}
	return "", false
}

// An accessor reads a field's value in SQL.
type accessor struct {
	typ Type // the field's type; TypeDynamic: by JSON kind
	col string
	// dynamic fields: either a JSON column with a bound key ...
	json bool
	path any
	// ... or one column per kind (an evaluation value).
	num, text, boolean string
}

// access locates the field of n in SQL.
func (c *sqlCompiler) access(f *Field, key string, n *Condition) (accessor, bool) {
	a, ok := alias(f.SQL.Table)
	if !ok || f.SQL.Name == "" {
		c.errorf(n.Path()+".field", calldash.ErrDialect, "field %s: no SQL column for table %q", quoteShort(n.Field), f.SQL.Table)
		return accessor{}, false
	}
	col := func(name string) string { return a + "." + c.d.Quote(name) }
	switch {
	case f.Type != TypeDynamic:
		return accessor{typ: f.Type, col: col(f.SQL.Name)}, true
	case f.Prefix:
		if err := dialect.CheckKey(c.d, key); err != nil {
			c.errorf(n.Path()+".field", calldash.ErrDialect, "%v", err)
			return accessor{}, false
		}
		return accessor{typ: TypeDynamic, col: col(f.SQL.Name), json: true, path: c.d.JSONPath(key)}, true
	}
	// A dynamic value of a row lives in one column per JSON type.
	return accessor{typ: TypeDynamic, num: col(f.SQL.Name + "_number"), text: col(f.SQL.Name + "_text"),
		boolean: col(f.SQL.Name + "_bool")}, true
}

// typed returns the expression holding the value when it is of kind k
// (NULL otherwise, or, for a JSON field, anything: guard says when it
// holds), and the guard condition (empty when the expression is NULL for
// values of other kinds).
func (c *sqlCompiler) typed(a accessor, k calldash.Kind) (expr, guard frag) {
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
	if a.typ == TypeDynamic {
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
func (c *sqlCompiler) isNull(a accessor) frag {
	switch {
	case a.json:
		return frag{"COALESCE(" + c.d.JSONKind(a.col) + ", '') NOT IN ('number', 'string', 'boolean')", []any{a.path}}
	case a.typ == TypeDynamic:
		return frag{sql: "(" + a.num + " IS NULL AND " + a.text + " IS NULL AND " + a.boolean + " IS NULL)"}
	}
	return frag{sql: a.col + " IS NULL"}
}

// kindOK reports whether a field of type t can hold a value of kind k.
func kindOK(t Type, k calldash.Kind) bool {
	switch t {
	case TypeDynamic:
		return true
	case TypeInteger, TypeNumeric:
		return k == calldash.KindNumber
	case TypeString:
		return k == calldash.KindString
	case TypeBoolean:
		return k == calldash.KindBool
	}
	return false
}

// leaf compiles a condition on a field read by a (not a datetime field).
func (c *sqlCompiler) leaf(a accessor, n *Condition) frag {
	op, v := n.Op, n.Value
	switch {
	case op == OpIsNull:
		if v.Bool {
			return c.isNull(a)
		}
		return not(c.isNull(a))
	case op == OpIn:
		var fs []frag
		var ints []any
		for i, e := range v.List {
			if a.typ == TypeInteger {
				if e.Kind == calldash.KindNumber && e.Num.IsInteger() {
					ints = append(ints, e.Num.IntPart())
				}
				continue
			}
			if f, ok := c.compare(a, OpEq, e, fmt.Sprintf("%s.value[%d]", n.Path(), i)); ok {
				fs = append(fs, f)
			}
		}
		if a.typ == TypeInteger {
			if len(ints) == 0 {
				return fragFalse
			}
			return frag{a.col + " IN (" + strings.TrimSuffix(strings.Repeat("?, ", len(ints)), ", ") + ")", ints}
		}
		return or(fs...)
	case op == OpEq || op.Ordered():
		f, _ := c.compare(a, op, v, n.Path()+".value")
		return f
	case op == OpNeq:
		if !kindOK(a.typ, v.Kind) { // never equal: null and every value match
			return fragTrue
		}
		eq, ok := c.compare(a, OpEq, v, n.Path()+".value")
		if !ok {
			return fragFalse
		}
		if expr, guard := c.typed(a, v.Kind); guard.sql == "" {
			// (x <> v OR x IS NULL)
			ne, _ := c.compare(a, OpNeq, v, n.Path()+".value")
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
		folded, fargs := dialect.Folded(c.d, expr.sql, v.Str)
		like := frag{c.d.Like(folded), append(append(append([]any{}, expr.args...), fargs...),
			dialect.LikePattern(v.Str, op == OpStartsWith, op == OpEndsWith))}
		return guarded(guard, like)
	case op == OpRegex:
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

// guarded is guard AND f, or f without a guard.
func guarded(guard, f frag) frag {
	if guard.sql == "" {
		return f
	}
	return and(guard, f)
}

// sqlOps are the SQL comparison operators of eq, neq and the ordered ones.
var sqlOps = map[Op]string{OpEq: "=", OpNeq: "<>", OpGt: ">", OpGte: ">=", OpLt: "<", OpLte: "<="}

// compare is the positive condition "the value is of v's kind and compares
// with v by op" (op is eq, an ordered operator, or neq for typed
// expressions only). ok is false when no value can satisfy it.
func (c *sqlCompiler) compare(a accessor, op Op, v calldash.Value, path string) (frag, bool) {
	if !kindOK(a.typ, v.Kind) || v.Kind == calldash.KindBool && op.Ordered() {
		return fragFalse, false
	}
	sop := sqlOps[op]
	if a.typ == TypeInteger { // Check allows only integers within int64 here
		return frag{a.col + " " + sop + " ?", []any{v.Num.IntPart()}}, true
	}
	expr, guard := c.typed(a, v.Kind)
	var cmp frag
	switch v.Kind {
	case calldash.KindNumber:
		if err := c.d.CheckNumber(v.Num); err != nil {
			return c.errorf(path, calldash.ErrDialect, "%v", err), false
		}
		cmp = frag{c.d.CompareNumber(expr.sql, sop), append(append([]any{}, expr.args...), c.d.NumberArg(v.Num))}
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

// timeLeaf compiles a condition on a datetime field: the value is resolved
// in Go and bound as an instant of the column's precision.
func (c *sqlCompiler) timeLeaf(f *Field, n *Condition) frag {
	a, ok := alias(f.SQL.Table)
	if !ok || f.SQL.Name == "" {
		return c.errorf(n.Path()+".field", calldash.ErrDialect, "field %s: no SQL column for table %q", quoteShort(n.Field), f.SQL.Table)
	}
	col := a + "." + c.d.Quote(f.SQL.Name)
	if n.Op == OpIsNull {
		if n.Value.Bool {
			return frag{sql: col + " IS NULL"}
		}
		return frag{sql: col + " IS NOT NULL"}
	}
	at, op, err := ResolveTime(n.Value.Str, n.Op, c.env)
	if err != nil {
		return c.errorf(n.Path()+".value", calldash.ErrInvalidTime, "%v", err)
	}
	if p := c.d.TimePrecision(); p > 1 {
		if lo := at.Truncate(p); !lo.Equal(at) {
			// No column value equals at; compare with a neighbour.
			switch op {
			case OpEq:
				return fragFalse
			case OpNeq:
				return fragTrue
			case OpGt, OpLte: // x > at ⇔ x > lo; x <= at ⇔ x <= lo
				at = lo
			case OpGte, OpLt: // x >= at ⇔ x >= lo+p; x < at ⇔ x < lo+p
				at = lo.Add(p)
			}
		}
	}
	if side := dialect.Beyond(c.d, at); side != 0 {
		return outsideRange(col, op, side > 0)
	}
	arg := c.d.TimeArg(at.In(time.UTC))
	if op == OpNeq {
		return frag{"(" + col + " <> ? OR " + col + " IS NULL)", []any{arg}}
	}
	return frag{col + " " + sqlOps[op] + " ?", []any{arg}}
}

// outsideRange decides "col op at" for an instant at outside the range of
// instants the column holds (above it when above): every value lies on
// the same side of at, and null matches only <>, as in memory.
func outsideRange(col string, op Op, above bool) frag {
	switch op {
	case OpNeq:
		return fragTrue
	case OpGt, OpGte:
		if above {
			return fragFalse
		}
	case OpLt, OpLte:
		if !above {
			return fragFalse
		}
	default: // OpEq
		return fragFalse
	}
	return frag{sql: col + " IS NOT NULL"}
}
