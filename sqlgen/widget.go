package sqlgen

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/calldash/calldash"
	"github.com/calldash/calldash/aggregate"
	"github.com/calldash/calldash/chart"
	"github.com/calldash/calldash/dialect"
	"github.com/calldash/calldash/filter"
)

// The statement of a widget. The rows of the widget — the calls passing
// the filter, or the evaluation rows of the widget's metric on them — form
// a derived table r with the columns
//
//	k1 [k2]  the bucket key (bar; k2 is the offset of hour buckets)
//	g        the group label as text (bar with a field group_by)
//	v        the value: a number, 0/1 for booleans, text, or the timestamp
//
// and every chart aggregates r. Top-N folds g over r with window
// functions; percentiles rank v per bucket and group with ROW_NUMBER, or
// take the dialect's percentile aggregate ([dialect.Percentiler]). A
// [dialect.Grouper] aggregates r without GROUP BY. A [dialect.TableReader]
// (ClickHouse) has no r: its statements are flat, aggregating the rows in
// the SELECT that reads the calls, so that the shards of a Distributed
// table aggregate their own rows (see compiler.flat).

// A Query is a widget resolved for the database: what its rows are, what
// it plots, and how it aggregates. Package widget makes one per preview.
type Query struct {
	Chart     chart.Type
	Field     *filter.Field      // the plotted field; nil for stat and metric widgets
	Key       string             // the metadata key of a prefix Field
	Metric    *calldash.Metric   // metric widgets: the metric whose evaluation rows are plotted
	Func      aggregate.Func     // bar: the aggregation
	Buckets   aggregate.Bucketer // bar: the time buckets
	Group     *filter.Field      // bar: the group_by field, nil for none
	GroupKey  string             // the metadata key of a prefix Group
	TopGroups int                // bar: keep the n largest groups, 0 for all
	MaxPoints int                // line: the cap on points, 0 for none
	MaxCells  int                // line, bar, pie: the cap on the answer's cells, 0 for none
	Latency   int64              // stat: the metric of p95_latency, 0 for none
	Filter    *filter.Checked    // the effective filter
	Env       filter.Env         // its clock and zone (Env.Now is set)
	Lo, Hi    filter.Bound       // bar: the filter's bounds on timestamp
}

// A ValueKind says how a statement's value column reads back.
type ValueKind uint8

// The kinds of value columns.
const (
	ValueNumber ValueKind = iota + 1 // exact decimal
	ValueBool                        // 0/1 integer
	ValueText                        // text label
	ValueInt                         // integer (agent id)
	ValueTime                        // the timestamp column's type
)

// A Statement is a compiled widget and what its rows hold:
//
//	line  id, timestamp, evaluation id (0 for calls), value; at most MaxPoints+1 rows, in order
//	bar   k1 [k2] [g], rows, non-null values, aggregate (NULL for count)
//	pie   value, rows
//	stat  calls, known outcomes, successes, durations, duration sum [, latency values, their p95]
//
// With MaxCells, line, bar and pie statements return at most MaxCells+1
// rows: each row is a cell of the answer (gap filling only adds cells),
// so one row more than MaxCells tells the caller that the answer is too
// big without the rest coming back.
type Statement struct {
	Text    string // with the dialect's placeholders
	Args    []any
	Columns int       // columns of each row
	Value   ValueKind // the value (line, pie) or aggregate (bar) column
	Hour    bool      // bar: the key has an offset column k2
	Grouped bool      // bar: rows have a group column g
	Latency bool      // stat: the row has the latency columns
}

// Compile writes the statement of q for dialect d over the tables of l.
// Errors are a [calldash.ErrorList] of invalid input (a field the layout
// does not have, a filter value the dialect cannot bind exactly, …).
func Compile(q *Query, d dialect.Dialect, l *Layout) (*Statement, error) {
	return CompileContext(context.Background(), q, d, l)
}

// CompileContext is [Compile] that stops when ctx is done (see
// [WhereContext]) and then returns ctx's error.
func CompileContext(ctx context.Context, q *Query, d dialect.Dialect, l *Layout) (*Statement, error) {
	if err := l.checkScope(); err != nil {
		return nil, err
	}
	if err := l.checkAliases(d); err != nil {
		return nil, err
	}
	c := &compiler{
		d: d, q: q, l: l,
		calls:  QuoteTable(d, l.calls),
		agents: QuoteTable(d, l.agents),
		evals:  QuoteTable(d, l.evals),
	}
	where, err := WhereContext(ctx, q.Filter, d, l, q.Env)
	if err != nil {
		return nil, err
	}
	if err := checkKeys(q, d); err != nil {
		return nil, err
	}
	wtext, wargs, err := where.ToSql()
	if err != nil {
		return nil, err
	}
	c.where, c.agent = sqlPart{wtext, wargs}, l.readsAgents(q.Filter)
	c.pct, _ = d.(dialect.Percentiler)
	c.tr, _ = d.(dialect.TableReader)
	// Known up front: a TableReader's statement takes its form from it.
	c.agent = c.agent || c.onAgents(q.Field) || c.onAgents(q.Group)
	st := &Statement{}
	var b *sel
	switch q.Chart {
	case chart.LineChart:
		b, err = c.line(st)
	case chart.BarChart:
		b, err = c.bar(st)
	case chart.PieChart:
		b, err = c.pie(st)
	default:
		b, err = c.stat(st)
	}
	if err != nil {
		return nil, err
	}
	if max := q.MaxCells; max > 0 && q.Chart != chart.StatChart && (b.limit == "" || q.Chart == chart.LineChart && (q.MaxPoints <= 0 || q.MaxPoints > max)) {
		b = b.limitN(uint64(max) + 1)
	}
	text, args := b.sql()
	if text, err = dialect.Rewrite(d, text); err != nil {
		return nil, err
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	st.Text, st.Args = text, args
	return st, nil
}

// checkKeys refuses, as the filter compiler does, a plotted or group_by
// metadata key that the dialect cannot address ([dialect.KeyChecker]:
// MariaDB's JSON paths miss keys that start with "-", PostgreSQL's text
// cannot hold NUL), instead of an all-null answer or a raw database error.
func checkKeys(q *Query, d dialect.Dialect) error {
	var errs calldash.ErrorList
	if q.Field != nil && q.Field.Prefix {
		if err := dialect.CheckKey(d, q.Key); err != nil {
			errs = append(errs, calldash.Errorf("$.field", calldash.ErrDialect, "%v", err))
		}
	}
	if q.Group != nil && q.Group.Prefix {
		if err := dialect.CheckKey(d, q.GroupKey); err != nil {
			errs = append(errs, calldash.Errorf("$.group_by.field", calldash.ErrDialect, "%v", err))
		}
	}
	if len(errs) > 0 {
		return errs
	}
	return nil
}

// compiler holds what every part of one statement needs.
type compiler struct {
	d      dialect.Dialect
	q      *Query
	l      *Layout
	calls  string // quoted table names
	agents string
	evals  string
	where  sqlPart // the effective filter over c
	agent  bool    // rows need the agents join

	pct dialect.Percentiler // set when the dialect has an exact percentile aggregate
	tr  dialect.TableReader // set when the dialect restricts joins

	// The columns of the derived table of calls and agents of a split
	// statement (see split), "expr AS name", as the statement reads them.
	subCols []sqlPart
	inner   bool // writing an expression of that derived table itself
}

// onAgents reports whether the field f (nil for none) lives on the agents row.
func (c *compiler) onAgents(f *filter.Field) bool {
	if f == nil {
		return false
	}
	at, ok := c.l.locate(f.Name)
	return ok && at.agents
}

// flat reports whether the statement aggregates the rows of the widget
// (the calls, or the evaluation rows of a metric: metric) in the SELECT
// that reads the calls table, with no derived table r in between: on a
// [dialect.TableReader] (ClickHouse), where a Distributed table is then
// aggregated on its shards. The scope of a scoped layout is then a
// condition of that SELECT (calls), of the subquery that reads the
// evaluations, or a subquery of the agents (see rowsFrom).
func (c *compiler) flat() bool {
	return c.tr != nil
}

// split reports whether a flat statement of evaluation rows (metric)
// reads the agents too: 18.16 allows one JOIN per SELECT, so the
// statement reads the evaluations table itself, joined with one derived
// table of the calls and their agents that holds the filter (see
// rowsFrom); on a Distributed table both run on each shard, where a
// call's evaluations are (the sharding key).
func (c *compiler) split(metric bool) bool {
	return metric && c.agent && c.flat()
}

// rowCol returns the column p of the call or agent row of the widget's
// rows: p itself, or in a split statement the column of the derived
// table that reads it (subCol).
func (c *compiler) rowCol(p place) string {
	switch {
	case !c.split(c.q.Metric != nil) || c.inner:
		return p.sql(c.d)
	case p == place{callAlias, c.l.callCols["id"]}:
		// The left key of the join, which is the call's id: 18.16 fails
		// on a statement without GROUP BY that reads the right key.
		return "e." + c.d.Quote(c.l.evalCol("call"))
	}
	return c.subCol(p)
}

// subCol adds the column p to the derived table of a split statement and
// returns its name there: calldash_c_ or calldash_a_ and the column's
// name, which no column of the evaluations is expected to have (18.16
// drops the qualifiers of the statement it sends the shards).
func (c *compiler) subCol(p place) string {
	return c.subExpr(p.sql(c.d), nil, "calldash_"+p.alias+"_"+p.column)
}

// subExpr adds expr (with its arguments) to the columns of a split
// statement's derived table as name, once, and returns the quoted name.
func (c *compiler) subExpr(expr string, args []any, name string) string {
	name = c.d.Quote(name)
	col := expr + " AS " + name
	if !slices.ContainsFunc(c.subCols, func(p sqlPart) bool { return p.sql == col }) {
		c.subCols = append(c.subCols, sqlPart{col, args})
	}
	return name
}

// col returns the qualified, quoted column of a field; the layout has it
// (Check refused the others).
func (c *compiler) col(f *filter.Field) string {
	at, _ := c.l.locate(f.Name)
	if at.agents {
		c.agent = true
	}
	if at.col.alias == evalAlias {
		return c.evalCol(at.col.column)
	}
	return c.rowCol(at.col)
}

// evalCol returns the qualified, quoted column of the evaluation row
// e: with a TableReader, the id is the renamed one of the subquery that
// reads the evaluations (see rowsFrom).
func (c *compiler) evalCol(name string) string {
	if c.tr != nil && name == c.l.evalCol("id") && !c.split(true) {
		name = evalIDColumn // a split statement reads the evaluations table itself
	}
	return "e." + c.d.Quote(name)
}

// evalIDColumn names the evaluation id in the subquery of a
// TableReader's evaluation rows (the call's id is c.id).
const evalIDColumn = "calldash_eval_id"

func (c *compiler) ts() string { return c.rowCol(place{callAlias, c.l.callCols["timestamp"]}) }

// boolInt is 1 for true, 0 for false and NULL for NULL, in every dialect.
func boolInt(x string) string {
	return "CASE WHEN " + x + " IS NULL THEN NULL WHEN " + x + " THEN 1 ELSE 0 END"
}

// boolText is the label of a boolean: 'true', 'false' or NULL.
func boolText(x string) string {
	return "CASE WHEN " + x + " IS NULL THEN NULL WHEN " + x + " THEN 'true' ELSE 'false' END"
}

// jsonLabel is the label of a metadata value: the text of a string,
// number or boolean, NULL for anything else. The loader writes canonical
// numbers, read as they are; a user's numbers are labelled by their value
// (5.0 and 5e0 are "5", as in memory: [dialect.Dialect.CanonicalNumber]).
func (c *compiler) jsonLabel(col, key string) (string, []any) {
	path := c.d.JSONPath(key)
	if c.l.loaderJSON {
		return "CASE WHEN " + c.d.JSONKind(col) + " IN ('number', 'string', 'boolean') THEN " + c.d.JSONText(col) + " END",
			[]any{path, path}
	}
	doc := c.d.JSONDocument(col)
	kind := c.d.JSONKind(doc)
	_, num := c.d.CanonicalNumber(c.d.JSONNumber(doc))
	return "CASE WHEN " + kind + " = 'number' THEN " + num + " WHEN " + kind + " IN ('string', 'boolean') THEN " + c.d.JSONText(doc) + " END",
		[]any{path, path, path, path}
}

// evalJSON returns the kind, text and number expressions of an
// evaluation value held in one JSON column (see jsonLabel), its path
// written as a literal: a constant of the program, so that the
// expressions bind nothing and can be repeated.
func (c *compiler) evalJSON() (kind, text, num string) {
	obj := c.d.JSONScalar(c.evalCol(c.l.evalCol("value")))
	path, _ := c.d.JSONPath(dialect.ScalarKey).(string)
	lit := "'" + strings.ReplaceAll(path, "'", "''") + "'"
	// The path's placeholder is the last "?" of each fragment (a regex
	// before it may hold one: ClickHouse's JSONNumber).
	in := func(e string) string {
		i := strings.LastIndexByte(e, '?')
		if i < 0 {
			return e
		}
		return e[:i] + lit + e[i+1:]
	}
	return in(c.d.JSONKind(obj)), in(c.d.JSONText(obj)), in(c.d.JSONNumber(obj))
}

// evalNumber is the numeric value of an evaluation (NULL when it is not
// a number), binding nothing.
func (c *compiler) evalNumber() string {
	if !c.l.jsonValue() {
		return c.evalCol(c.l.evalCol("value_number"))
	}
	kind, _, num := c.evalJSON()
	n, _ := c.d.CanonicalNumber(num)
	return "CASE WHEN " + kind + " = 'number' THEN " + n + " END"
}

// value returns the value expression of the widget's rows.
func (c *compiler) value() (string, []any, ValueKind) {
	q := c.q
	if q.Metric != nil {
		json := c.l.jsonValue()
		switch q.Metric.EvalType {
		case calldash.EvalNumeric, calldash.EvalContinuous:
			return c.evalNumber(), nil, ValueNumber
		case calldash.EvalBinary:
			if json {
				kind, text, _ := c.evalJSON()
				return "CASE WHEN " + kind + " = 'boolean' THEN CASE WHEN " + text + " = 'true' THEN 1 ELSE 0 END END", nil, ValueBool
			}
			return boolInt(c.evalCol(c.l.evalCol("value_bool"))), nil, ValueBool
		}
		if json {
			kind, text, _ := c.evalJSON()
			return "CASE WHEN " + kind + " = 'string' THEN " + text + " END", nil, ValueText
		}
		return c.evalCol(c.l.evalCol("value_text")), nil, ValueText
	}
	f := q.Field
	switch {
	case f.Prefix:
		expr, args := c.jsonLabel(c.col(f), q.Key)
		return expr, args, ValueText
	case f.Time != nil:
		return c.col(f), nil, ValueTime
	case f.Type == filter.TypeInteger:
		return c.col(f), nil, ValueInt
	case f.Plot == filter.TypeNumeric:
		return c.col(f), nil, ValueNumber
	case f.Plot == filter.TypeBoolean:
		return boolInt(c.col(f)), nil, ValueBool
	}
	return c.col(f), nil, ValueText
}

// group returns the group label expression (text) of a field group_by.
func (c *compiler) group() (string, []any) {
	f := c.q.Group
	if c.split(c.q.Metric != nil) && !c.inner {
		// The label is a column of the derived table of the calls: 18.16
		// loses a column of it that a lambda (a metadata label) reads in
		// the statement with the GLOBAL top-N subquery ("No such name in
		// Block::erase()").
		c.inner = true
		g, gargs := c.group()
		c.inner = false
		return c.subExpr(g, gargs, "calldash_c_group"), nil
	}
	switch {
	case f.Prefix:
		return c.jsonLabel(c.col(f), c.q.GroupKey)
	case f.Type == filter.TypeInteger:
		return c.d.IntText(c.col(f)), nil
	case f.Plot == filter.TypeBoolean:
		return boolText(c.col(f)), nil
	}
	return c.col(f), nil
}

// from adds the tables of the widget's rows and the filter to b: the
// calls, or the evaluation rows of the widget's metric on them.
func (c *compiler) from(b *sel) *sel {
	if m := c.q.Metric; m != nil {
		return c.rowsFrom(b, true, m.ID)
	}
	return c.rowsFrom(b, false, 0)
}

// rowsFrom adds to b the calls (metric false) or the evaluation rows of
// metric metricID on them, joined with the agents when the statement
// reads them, and the filter.
func (c *compiler) rowsFrom(b *sel, metric bool, metricID int64) *sel {
	q, l, d := c.d.Quote, c.l, c.d
	callID := q(l.callCols["id"])
	evalCall, evalMetric := q(l.evalCol("call")), q(l.evalCol("metric.id"))
	// The calls' scope, a condition of the SELECT that reads them (a
	// split statement's derived table of the calls holds it itself).
	cscope, csargs := l.scopeCond(d, tableCalls, callAlias)
	switch {
	case c.split(metric):
		cfrom, cfargs, _, _ := l.scoped(d, tableCalls, l.calls, callAlias)
		// The evaluation rows of the metric joined with the calls that
		// pass the filter, with their agents: a derived table of the
		// columns the statement reads (subCols), the call's id among
		// them; the left key of ON is a bare name (see below).
		afrom, afargs, _, _ := l.scoped(d, tableAgents, l.agents, agentAlias)
		id := c.subCol(place{callAlias, l.callCols["id"]})
		calls := selectCols()
		for _, col := range c.subCols {
			calls.column(col.sql, col.args...)
		}
		calls = calls.fromPart(cfrom+" AS c", cfargs...).
			joinClause("LEFT JOIN "+afrom+" AS "+agentAlias+" ON "+agentAlias+"."+q(l.agentCol("id"))+" = c."+q(l.callCols["agent.id"]), afargs...).
			and(c.where.sql, c.where.args...)
		ctext, cargs := calls.sql()
		escope, esargs := l.scopeCond(d, tableEvals, evalAlias)
		return b.fromTable(c.evals+" AS e").
			joinClause("JOIN ("+ctext+") AS c ON "+evalCall+" = "+id, cargs...).
			and(escope, esargs...).
			and("e."+evalMetric+" = ?", metricID)
	case c.flat() && metric:
		// The calls joined with the evaluation rows of the metric, read
		// by a subquery that renames the evaluation's id (and reads no
		// column the calls have: 18.16 reads a right-hand key wrongly
		// then); the left key of ON is a bare name (18.16 loses the alias
		// of a Distributed table there).
		cols := []string{q(l.evalCol("id")) + " AS " + q(evalIDColumn)}
		for _, f := range []string{"call", "value", "value_number", "value_bool", "value_text"} {
			if col := l.evalCol(f); col != "" {
				cols = append(cols, q(col))
			}
		}
		escope, esargs := l.scopeCond(d, tableEvals, "")
		evals := selectCols(cols...).fromTable(c.evals).and(escope, esargs...).and(evalMetric+" = ?", metricID)
		etext, eargs := evals.sql()
		b = b.fromTable(c.calls+" AS c").
			joinClause("JOIN ("+etext+") AS e ON e."+evalCall+" = "+callID, eargs...)
	case c.flat():
		b = b.fromTable(c.calls + " AS c")
	case metric:
		b = b.fromTable(c.evals + " e").
			join(c.calls + " c ON c." + callID + " = e." + evalCall)
	default:
		b = b.fromTable(c.calls + " c")
	}
	if c.agent {
		afrom, afargs, ascope, asargs := l.scoped(d, tableAgents, l.agents, agentAlias)
		agents, agentKey := c.agents, "c."+q(l.callCols["agent.id"])
		if c.flat() {
			agents, agentKey = agents+" AS", q(l.callCols["agent.id"])
			if len(l.scope[tableAgents]) > 0 {
				agents = afrom + " AS" // the subquery that holds the scope
			}
		}
		on := agentAlias + "." + q(l.agentCol("id")) + " = " + agentKey
		if ascope != "" {
			on += " AND " + ascope
		}
		b = b.joinClause("LEFT JOIN "+agents+" "+agentAlias+" ON "+on, append(afargs, asargs...)...)
	}
	// The scope first, ANDed with everything below it.
	b = b.and(cscope, csargs...)
	if metric && !c.flat() {
		if escope, esargs := l.scopeCond(d, tableEvals, evalAlias); escope != "" {
			b = b.and(escope, esargs...)
		}
		b = b.and("e."+evalMetric+" = ?", metricID)
	}
	return b.and(c.where.sql, c.where.args...)
}

// line: the rows with a value, in order, one more than the cap.
func (c *compiler) line(st *Statement) (*sel, error) {
	v, vargs, kind := c.value()
	st.Value, st.Columns = kind, 4
	id := c.rowCol(place{callAlias, c.l.callCols["id"]})
	evalID, order := "0", []string{c.ts(), id}
	if c.q.Metric != nil {
		evalID = c.evalCol(c.l.evalCol("id"))
		order = append(order, evalID)
	}
	b := selectCols(id, c.ts(), evalID).column(v, vargs...)
	b = c.from(b).and(v+" IS NOT NULL", vargs...).order(order...)
	if max := c.q.MaxPoints; max > 0 {
		b = b.limitN(uint64(max) + 1)
	}
	return b, nil
}

// pie: one row per distinct value with its count.
func (c *compiler) pie(st *Statement) (*sel, error) {
	v, vargs, kind := c.value()
	st.Value, st.Columns = kind, 2
	if c.flat() {
		return c.from(selectCols().column(v+" AS "+flatValue, vargs...).columns("COUNT(*)")).group(flatValue), nil
	}
	rows := c.from(selectCols().column(v+" AS v", vargs...))
	if g, ok := c.d.(dialect.Grouper); ok && kind != ValueNumber {
		// Numbers are left to GROUP BY, which groups them by value
		// ("1.0" with "1") where a Grouper groups the text.
		b := c.groupRows(g, "count", rows, []dialect.GroupKey{{Expr: "r.v", Text: kind == ValueText}})
		b.cols = b.cols[:2] // the value and COUNT(*)
		return b, nil
	}
	return selectCols("r.v", "COUNT(*)").fromSelect(rows, "r").group("r.v"), nil
}

// bar: per bucket key (and group): COUNT(*), COUNT(v), and the aggregate.
func (c *compiler) bar(st *Statement) (*sel, error) {
	fn := c.q.Func
	v, vargs, kind := c.value()
	st.Value = kind
	segs, pivot := c.segments()
	keys, kargs := keySQL(c.d, c.q.Buckets, c.ts(), segs, pivot)
	st.Hour = len(keys) == 2
	st.Grouped = c.q.Group != nil
	if c.flat() {
		return c.flatBar(st, keys, kargs, v, vargs, kind)
	}

	rows := selectCols().column(keys[0]+" AS k1", kargs[:len(kargs)/len(keys)]...)
	keyCols := []string{"k1"}
	if st.Hour {
		rows = rows.column(keys[1]+" AS k2", kargs[len(kargs)/2:]...)
		keyCols = append(keyCols, "k2")
	}
	if st.Grouped {
		g, gargs := c.group()
		rows = rows.column(g+" AS g", gargs...)
		keyCols = append(keyCols, "g")
	}
	rows = c.from(rows.column(v+" AS v", vargs...))
	if st.Grouped && c.q.TopGroups > 0 {
		rows = c.topN(rows, keyCols)
	}
	st.Columns = len(keyCols) + 3

	qualified := func(alias string) []string {
		out := make([]string, len(keyCols))
		for i, k := range keyCols {
			out[i] = alias + "." + k
		}
		return out
	}
	if g, ok := c.d.(dialect.Grouper); ok && kind != ValueTime {
		keys := make([]dialect.GroupKey, len(keyCols))
		for i, k := range keyCols {
			keys[i] = dialect.GroupKey{Expr: "r." + k, Text: k == "g"}
		}
		return c.groupRows(g, groupFunc(fn), rows, keys), nil
	}
	if p := fn.Percentile(); p > 0 && c.pct != nil {
		return selectCols(qualified("r")...).columns("COUNT(*)", "COUNT(r.v)", c.pct.Percentile("r.v", p)).
			fromSelect(rows, "r").group(qualified("r")...), nil
	}
	if p := fn.Percentile(); p > 0 {
		part := "PARTITION BY " + strings.Join(qualified("r"), ", ")
		ranked := selectCols(qualified("r")...).columns("r.v",
			"ROW_NUMBER() OVER ("+part+" ORDER BY CASE WHEN r.v IS NULL THEN 1 ELSE 0 END, "+c.d.OrderNumber("r.v")+") AS rn",
			"COUNT(r.v) OVER ("+part+") AS cnt",
			"COUNT(*) OVER ("+part+") AS n").
			fromSelect(rows, "r")
		pick := "MAX(CASE WHEN w.rn = " + c.d.IntDiv("w.cnt * "+strconv.Itoa(p)+" + 99", "100") + " THEN w.v END)"
		return selectCols(qualified("w")...).columns("MAX(w.n)", "MAX(w.cnt)", pick).
			fromSelect(ranked, "w").group(qualified("w")...), nil
	}
	var agg string
	switch {
	case fn == aggregate.Count:
		agg = "NULL"
	case kind == ValueTime && fn == aggregate.Min:
		agg = "MIN(r.v)"
	case kind == ValueTime && fn == aggregate.Max:
		agg = "MAX(r.v)"
	case kind == ValueBool: // sum and avg of 0/1: an exact integer sum
		agg = "SUM(r.v)"
	case fn == aggregate.Sum || fn == aggregate.Avg:
		agg = c.d.Sum("r.v")
	case fn == aggregate.Min:
		agg = c.d.Min("r.v")
	case fn == aggregate.Max:
		agg = c.d.Max("r.v")
	default:
		return nil, fmt.Errorf("sqlgen: no SQL for %s of these values", fn)
	}
	return selectCols(qualified("r")...).columns("COUNT(*)", "COUNT(r.v)", agg).
		fromSelect(rows, "r").group(qualified("r")...), nil
}

// The aliases of a flat statement's columns (see flat): names no column
// of a layout is expected to have, since 18.16 sends the shards the
// statement with its columns' qualifiers removed, and no lambda parameter
// of the dialect has (calldash_v, calldash_r, …): ClickHouse's aliases are
// global, and one would replace the parameter inside the lambda.
const (
	flatValue = "calldash_value"
	flatKey1  = "calldash_k1"
	flatKey2  = "calldash_k2"
	flatGroup = "calldash_g"
)

// flatBar is bar for a flat statement: the keys, the group and the value
// are named where they are computed, in the SELECT that reads the calls
// and aggregates them, so that each shard of a Distributed table returns
// one row per key and group (its partial aggregates), which the server
// that was asked merges: counts and sums add up, and the percentile
// aggregate's partial state is the values of the group.
func (c *compiler) flatBar(st *Statement, keys []string, kargs []any, v string, vargs []any, kind ValueKind) (*sel, error) {
	fn := c.q.Func
	b := selectCols().column(keys[0]+" AS "+flatKey1, kargs[:len(kargs)/len(keys)]...)
	group := []string{flatKey1}
	if st.Hour {
		b = b.column(keys[1]+" AS "+flatKey2, kargs[len(kargs)/2:]...)
		group = append(group, flatKey2)
	}
	if st.Grouped {
		g, gargs := c.group()
		if c.q.TopGroups > 0 {
			g, gargs = c.topNFlat(g, gargs)
		}
		b = b.column(g+" AS "+flatGroup, gargs...)
		group = append(group, flatGroup)
	}
	st.Columns = len(group) + 3
	b = b.columns("COUNT(*)").column("COUNT("+v+" AS "+flatValue+")", vargs...)
	var agg string
	switch p := fn.Percentile(); {
	case p > 0:
		agg = c.pct.Percentile(flatValue, p)
	case fn == aggregate.Count:
		agg = "NULL"
	case kind == ValueTime && fn == aggregate.Min:
		agg = "MIN(" + flatValue + ")"
	case kind == ValueTime && fn == aggregate.Max:
		agg = "MAX(" + flatValue + ")"
	case kind == ValueBool:
		agg = "SUM(" + flatValue + ")"
	case fn == aggregate.Sum || fn == aggregate.Avg:
		agg = c.d.Sum(flatValue)
	case fn == aggregate.Min:
		agg = c.d.Min(flatValue)
	case fn == aggregate.Max:
		agg = c.d.Max(flatValue)
	default:
		return nil, fmt.Errorf("sqlgen: no SQL for %s of these values", fn)
	}
	return c.from(b.columns(agg)).group(group...), nil
}

// topNFlat is topNIn for a flat statement: the label g (with its
// arguments) becomes "Other" unless the group is among the n first
// groups, which a GLOBAL IN computes once, over every shard's rows (each
// shard counts its rows per group, the server that was asked adds them
// up, orders and limits), and sends to the shards.
func (c *compiler) topNFlat(g string, gargs []any) (string, []any) {
	other := chart.Other.Str
	isNull := "CASE WHEN " + g + " IS NULL THEN 1 ELSE 0 END"
	top := selectCols().column(isNull+" AS calldash_top_null", gargs...).column("COALESCE("+g+", '') AS calldash_top_g", gargs...)
	// A label equal to Other's takes no place among the n: its group is
	// left out in HAVING (18.16 loses a joined column read in the WHERE
	// of a GLOBAL subquery whose query joins the same subquery: "No such
	// name in Block::erase()").
	top = c.from(top).
		group("calldash_top_null", "calldash_top_g").
		havingCond("NOT (calldash_top_null = 0 AND "+c.d.CompareText("calldash_top_g", "=")+")", other).
		order("COUNT(*) DESC", "calldash_top_null", c.d.OrderText("calldash_top_g")).
		limitN(uint64(c.q.TopGroups))
	ttext, targs := top.sql()
	var args []any
	args = append(append(args, gargs...), other)
	args = append(append(args, gargs...), gargs...)
	args = append(append(args, targs...), other)
	args = append(args, gargs...)
	return "CASE WHEN " + c.d.CompareText(g, "=") + " OR (" + isNull + ", COALESCE(" + g + ", '')) GLOBAL NOT IN (" + ttext + ") THEN ? ELSE " + g + " END", args
}

// groupFunc names fn as a [dialect.Grouper] computes it: avg divides
// the sum in Go, as it does after Sum, and a boolean's 0/1 values sum
// exactly as decimals.
func groupFunc(fn aggregate.Func) string {
	if fn == aggregate.Avg {
		return "sum"
	}
	return fn.String()
}

// groupRows aggregates rows (a derived table r with the value column v)
// by keys with one call of g's aggregate fn instead of a GROUP BY, and
// selects its rows: the keys, COUNT(*), COUNT(r.v) and fn of r.v. Its
// rows are the answer's cells: with MaxCells, the call keeps MaxCells+1
// of them at most, the number that tells the answer is too big, and
// never holds the cells of a huge one.
func (c *compiler) groupRows(g dialect.Grouper, fn string, rows *sel, keys []dialect.GroupKey) *sel {
	limit := 0
	if c.q.MaxCells > 0 {
		limit = c.q.MaxCells + 1
	}
	sub, args := selectCols(g.GroupCall(fn, "r.v", limit, keys)).fromSelect(rows, "r").sql()
	from, cols := g.GroupTable(sub, keys)
	return selectCols(cols...).fromPart(from, args...)
}

// topN replaces the group label of rows by "Other" for every group but
// the n largest (by rows, ties by label byte-wise, the null group last)
// and for a real group labelled "Other" (chart.TopGroups).
func (c *compiler) topN(rows *sel, keyCols []string) *sel {
	if _, ok := c.d.(dialect.WindowLess); ok {
		return c.topNIn(rows, keyCols)
	}
	counted := selectCols("r0.*", "COUNT(*) OVER (PARTITION BY r0.g) AS gc").fromSelect(rows, "r0")
	other := chart.Other.Str
	isOther := c.d.CompareText("r1.g", "=")
	rank := "DENSE_RANK() OVER (ORDER BY CASE WHEN " + isOther + " THEN 1 ELSE 0 END, r1.gc DESC, " +
		"CASE WHEN r1.g IS NULL THEN 1 ELSE 0 END, " + c.d.OrderText("r1.g") + ")"
	cols := make([]string, 0, len(keyCols))
	for _, k := range keyCols {
		if k != "g" {
			cols = append(cols, "r1."+k)
		}
	}
	return selectCols(cols...).
		column("CASE WHEN "+isOther+" OR "+rank+" > "+strconv.Itoa(c.q.TopGroups)+" THEN ? ELSE r1.g END AS g",
			other, other, other).
		columns("r1.v").
		fromSelect(counted, "r1")
}

// topNIn is topN without window functions (a [dialect.WindowLess]): a
// group stays when it is among the n first groups that are not "Other",
// by rows, null last, then label byte-wise, picked by an uncorrelated IN
// over rows grouped, ordered and limited. A group is compared as the pair
// (is null, label or the empty text), so that the null group can be in the set.
func (c *compiler) topNIn(rows *sel, keyCols []string) *sel {
	other := chart.Other.Str
	isNull := func(g string) string { return "CASE WHEN " + g + " IS NULL THEN 1 ELSE 0 END" }
	pair := func(g string) string { return "(" + isNull(g) + ", COALESCE(" + g + ", ''))" }
	top := selectCols(isNull("t.g"), "COALESCE(t.g, '')").fromSelect(rows, "t").
		and("NOT "+c.d.CompareText("t.g", "="), other).
		group("t.g").
		order("COUNT(*) DESC", isNull("t.g"), c.d.OrderText("t.g")).
		limitN(uint64(c.q.TopGroups))
	ttext, targs := top.sql()
	cols := make([]string, 0, len(keyCols))
	for _, k := range keyCols {
		if k != "g" {
			cols = append(cols, "r1."+k)
		}
	}
	args := append([]any{other}, targs...)
	return selectCols(cols...).
		column("CASE WHEN "+c.d.CompareText("r1.g", "=")+" OR "+pair("r1.g")+" NOT IN ("+ttext+") THEN ? ELSE r1.g END AS g",
			append(args, other)...).
		columns("r1.v").
		fromSelect(rows, "r1")
}

// segments returns the offset segments the statement's bucket keys use:
// from the filter's lower bound (or 1970) to the later of its upper bound
// and now, plus ten years for rows stamped in the future; and that later
// of the upper bound and now, near which rows cluster (the pivot of
// aggregate.OffsetSQL).
func (c *compiler) segments() (segs []aggregate.Segment, pivot time.Time) {
	if _, ok := c.q.Buckets.(aggregate.Fixed); ok {
		return nil, time.Time{}
	}
	from := time.Unix(0, 0)
	to := c.q.Env.Now
	if lo := c.q.Lo; lo.Set {
		from = lo.Time
	}
	if hi := c.q.Hi; hi.Set && hi.Time.After(to) {
		to = hi.Time
	}
	return aggregate.Segments(c.q.Env.Location, from, to.AddDate(10, 0, 0)), to
}

// stat: one row of call counts and duration sum, with the latency metric's
// values and their nearest-rank p95 over the matched calls.
func (c *compiler) stat(st *Statement) (*sel, error) {
	success, duration := "NULL", "NULL" // a layout without the column: no known outcome, no duration
	if col, ok := c.l.callCol("success"); ok {
		success = col.sql(c.d)
	}
	dsum := "NULL"
	if col, ok := c.l.callCol("duration"); ok {
		duration = col.sql(c.d)
		dsum = c.d.Sum(duration)
	}
	calls := c.from(selectCols(
		"COUNT(*) AS n", "COUNT("+success+") AS known",
		"SUM(CASE WHEN "+success+" THEN 1 ELSE 0 END) AS ok",
		"COUNT("+duration+") AS dn", dsum+" AS dsum"))
	st.Columns = 5
	lat := c.q.Latency
	if lat == 0 || !c.l.hasEvaluations() {
		return selectCols("s.n", "s.known", "s.ok", "s.dn", "s.dsum").fromSelect(calls, "s"), nil
	}
	st.Latency, st.Columns = true, 7
	v := c.evalNumber()
	var p95 *sel
	switch {
	case c.flat():
		// Aggregated where the evaluation rows are read (see flat).
		p95 = c.rowsFrom(selectCols("COUNT("+v+" AS calldash_lv) AS cnt", c.pct.Percentile("calldash_lv", 95)+" AS v"), true, lat)
	case c.pct != nil:
		// ClickHouse's aliases are global: the values are named lv, so
		// that the percentile can be named v.
		evals := c.rowsFrom(selectCols(v+" AS lv"), true, lat)
		p95 = selectCols("COUNT(w.lv) AS cnt", c.pct.Percentile("w.lv", 95)+" AS v").fromSelect(evals, "w")
	default:
		evals := c.rowsFrom(selectCols(v+" AS v",
			"ROW_NUMBER() OVER (ORDER BY CASE WHEN "+v+" IS NULL THEN 1 ELSE 0 END, "+c.d.OrderNumber(v)+") AS rn",
			"COUNT("+v+") OVER () AS cnt"), true, lat)
		p95 = selectCols("COALESCE(MAX(w.cnt), 0) AS cnt",
			"MAX(CASE WHEN w.rn = "+c.d.IntDiv("w.cnt * 95 + 99", "100")+" THEN w.v END) AS v").fromSelect(evals, "w")
	}
	// A cross join of two one-row aggregates.
	ptext, pargs := p95.sql()
	return selectCols("s.n", "s.known", "s.ok", "s.dn", "s.dsum", "p.cnt", "p.v").
		fromSelect(calls, "s").
		joinClause("CROSS JOIN ("+ptext+") p", pargs...), nil
}

// MetricLookup returns the statement that reads the name and eval type
// of metric id, and its arguments: from the metrics table, or from an
// evaluation row of the metric where the layout keeps them there (one
// name and eval type per metric id), within the layout's scope.
func MetricLookup(d dialect.Dialect, l *Layout, id int64) (string, []any, error) {
	if err := l.checkScope(); err != nil {
		return "", nil, err
	}
	q := d.Quote
	var text string
	var args []any
	scope := func(t int) {
		for _, c := range l.scope[t] {
			text += " AND " + q(c) + " = ?"
			args = append(args, l.values[c])
		}
	}
	if _, onRow := l.evalCols["metric.name"]; !onRow {
		text = "SELECT " + q(l.metricCol("name")) + ", " + q(l.metricCol("eval_type")) + " FROM " + QuoteTable(d, l.metrics) +
			" WHERE " + q(l.metricCol("id")) + " = ?"
		args = append(args, id)
		scope(tableMetrics)
	} else {
		text = "SELECT " + q(l.evalCol("metric.name")) + ", " + q(l.evalCol("metric.eval_type")) + " FROM " + QuoteTable(d, l.evals) +
			" WHERE " + q(l.evalCol("metric.id")) + " = ?"
		args = append(args, id)
		scope(tableEvals)
		if cols := l.scope[tableCalls]; len(cols) > 0 {
			// Only evaluations of calls in scope.
			text += " AND " + q(l.evalCol("call")) + " IN (SELECT " + q(l.callCols["id"]) + " FROM " + QuoteTable(d, l.calls) + " WHERE "
			for i, c := range cols {
				if i > 0 {
					text += " AND "
				}
				text += q(c) + " = ?"
				args = append(args, l.values[c])
			}
			text += ")"
		}
		text += " LIMIT 1"
	}
	text, err := dialect.Rewrite(d, text)
	return text, args, err
}
