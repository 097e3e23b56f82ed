package widget

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/shopspring/decimal"

	"github.com/calldash/calldash"
	"github.com/calldash/calldash/aggregate"
	"github.com/calldash/calldash/chart"
	"github.com/calldash/calldash/dialect"
	"github.com/calldash/calldash/filter"
)

// The statement of a widget (docs/sql-design.md). Table aliases: c
// call_logs, e metric_evaluations, ag agents. The rows of the widget — the
// calls passing the filter, or the evaluation rows of the widget's metric
// on them — form a derived table r with the columns
//
//	k1 [k2]  the bucket key (bar; k2 is the offset of hour buckets)
//	g        the group label as text (bar with a field group_by)
//	v        the value: a number, 0/1 for booleans, text, or the timestamp
//
// and every chart aggregates r. Top-N folds g over r with window
// functions; percentiles rank v per bucket and group with ROW_NUMBER, or
// take the dialect's percentile aggregate ([dialect.Percentiler]). A
// [dialect.Grouper] aggregates r without GROUP BY.

// A valueKind says how the value column reads back.
type valueKind uint8

const (
	valueNumber valueKind = iota + 1 // exact decimal
	valueBool                        // 0/1 integer
	valueText                        // text label
	valueInt                         // integer (agent id)
	valueTime                        // the timestamp column's type
)

// A statement is a compiled widget and how to read its rows.
type statement struct {
	d       dialect.Dialect
	text    string
	args    []any
	ncols   int
	chart   ChartType
	value   valueKind
	fn      aggregate.Func // bar
	hour    bool           // bar key has an offset column
	grouped bool           // bar rows have a group column
	latency bool           // stat row has latency columns
}

// compiler holds what every part of one statement needs.
type compiler struct {
	d      dialect.Dialect
	q      *query
	p      *plan
	metric Metric
	calls  string // quoted table names with their prefix
	agents string
	evals  string
	where  sqlPart // the effective filter over c
	agent  bool    // rows need the agents join

	pct dialect.Percentiler // set when the dialect has an exact percentile aggregate
	tr  dialect.TableReader // set when the dialect restricts joins
}

// compile builds the statement of q for dialect d; m is the resolved metric
// of a metric widget.
func compile(d dialect.Dialect, q *query, prefix string, m Metric) (*statement, error) {
	c := &compiler{
		d: d, q: q, p: q.plan, metric: m,
		calls:  d.Quote(prefix + "call_logs"),
		agents: d.Quote(prefix + "agents"),
		evals:  d.Quote(prefix + "metric_evaluations"),
	}
	where, agents, err := filterSQL(q, d, prefix)
	if err != nil {
		return nil, err
	}
	wtext, wargs, err := where.ToSql()
	if err != nil {
		return nil, err
	}
	c.where, c.agent = sqlPart{wtext, wargs}, agents
	c.pct, _ = d.(dialect.Percentiler)
	c.tr, _ = d.(dialect.TableReader)
	st := &statement{d: d, chart: c.p.chart}
	var b *sel
	switch c.p.chart {
	case Line:
		b, err = c.line(st)
	case Bar:
		b, err = c.bar(st)
	case Pie:
		b, err = c.pie(st)
	default:
		b, err = c.stat(st)
	}
	if err != nil {
		return nil, err
	}
	text, args := b.sql()
	if text, err = dialect.Rewrite(d, text); err != nil {
		return nil, err
	}
	st.text, st.args = text, args
	return st, nil
}

// col returns the qualified, quoted column of a field.
func (c *compiler) col(f *filter.Field) string {
	alias := "c"
	switch f.SQL.Table {
	case "agents":
		alias = filter.AgentAlias
		c.agent = true
	case "metric_evaluations":
		return c.evalCol(f.SQL.Name)
	}
	return alias + "." + c.d.Quote(f.SQL.Name)
}

// evalCol returns the qualified, quoted column of the evaluation row:
// e.name, or with a TableReader the column of the derived table c that
// holds the call with its evaluation (see from).
func (c *compiler) evalCol(name string) string {
	if c.tr == nil {
		return "e." + c.d.Quote(name)
	}
	if name == "id" {
		name = evalIDColumn
	}
	return "c." + c.d.Quote(name)
}

// evalIDColumn names the evaluation id in the derived table of a
// TableReader's evaluation rows (the call's id is c.id).
const evalIDColumn = "calldash_eval_id"

func (c *compiler) ts() string { return "c." + c.d.Quote("timestamp") }

// boolInt is 1 for true, 0 for false and NULL for NULL, in every dialect.
func boolInt(x string) string {
	return "CASE WHEN " + x + " IS NULL THEN NULL WHEN " + x + " THEN 1 ELSE 0 END"
}

// boolText is the label of a boolean: 'true', 'false' or NULL.
func boolText(x string) string {
	return "CASE WHEN " + x + " IS NULL THEN NULL WHEN " + x + " THEN 'true' ELSE 'false' END"
}

// jsonLabel is the label of a metadata value: the text of a string,
// number or boolean (as stored: the loader writes canonical numbers),
// NULL for anything else.
func (c *compiler) jsonLabel(col, key string) (string, []any) {
	path := c.d.JSONPath(key)
	return "CASE WHEN " + c.d.JSONKind(col) + " IN ('number', 'string', 'boolean') THEN " + c.d.JSONText(col) + " END",
		[]any{path, path}
}

// value returns the value expression of the widget's rows.
func (c *compiler) value() (string, []any, valueKind) {
	p := c.p
	if p.metric {
		switch c.metric.EvalType {
		case calldash.EvalNumeric, calldash.EvalContinuous:
			return c.evalCol("value_number"), nil, valueNumber
		case calldash.EvalBinary:
			return boolInt(c.evalCol("value_bool")), nil, valueBool
		}
		return c.evalCol("value_text"), nil, valueText
	}
	f := p.field
	switch {
	case f.Prefix:
		expr, args := c.jsonLabel(c.col(f), p.key)
		return expr, args, valueText
	case f.Time != nil:
		return c.col(f), nil, valueTime
	case f.Type == filter.TypeInteger:
		return c.col(f), nil, valueInt
	case f.Plot == filter.TypeNumeric:
		return c.col(f), nil, valueNumber
	case f.Plot == filter.TypeBoolean:
		return boolInt(c.col(f)), nil, valueBool
	}
	return c.col(f), nil, valueText
}

// group returns the group label expression (text) of a field group_by.
func (c *compiler) group() (string, []any) {
	f := c.p.groupField
	switch {
	case f.Prefix:
		return c.jsonLabel(c.col(f), c.p.groupKey)
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
	return c.rowsFrom(b, c.p.metric, c.p.metricID)
}

// rowsFrom adds to b the calls (metric false) or the evaluation rows of
// metric metricID on them, joined with the agents when the statement
// reads them, and the filter.
func (c *compiler) rowsFrom(b *sel, metric bool, metricID int64) *sel {
	id := c.d.Quote("id")
	switch {
	case c.tr != nil && metric:
		// One derived table c: the call's columns and its evaluation's
		// (only id is in both; the evaluation's is renamed).
		evals := selectCols("*", "e."+id+" AS "+c.d.Quote(evalIDColumn)).
			fromTable(c.tr.ReadTable(c.calls)+" AS c").
			join(c.tr.ReadTable(c.evals)+" AS e ON e."+c.d.Quote("call_log_id")+" = c."+id).
			and("e."+c.d.Quote("metric_id")+" = ?", metricID)
		b = b.fromSelect(evals, "c")
	case c.tr != nil:
		b = b.fromTable(c.tr.ReadTable(c.calls) + " AS c")
	case metric:
		b = b.fromTable(c.evals + " e").
			join(c.calls + " c ON c." + id + " = e." + c.d.Quote("call_log_id"))
	default:
		b = b.fromTable(c.calls + " c")
	}
	if c.agent {
		agents := c.agents
		if c.tr != nil {
			agents = c.tr.ReadTable(agents) + " AS"
		}
		b = b.leftJoin(agents + " " + filter.AgentAlias + " ON " + filter.AgentAlias + "." + id + " = c." + c.d.Quote("agent_id"))
	}
	if metric && c.tr == nil {
		b = b.and("e."+c.d.Quote("metric_id")+" = ?", metricID)
	}
	return b.and(c.where.sql, c.where.args...)
}

// line: the rows with a value, in order, one more than the cap.
func (c *compiler) line(st *statement) (*sel, error) {
	v, vargs, kind := c.value()
	st.value, st.ncols = kind, 4
	id := "c." + c.d.Quote("id")
	evalID, order := "0", []string{c.ts(), id}
	if c.p.metric {
		evalID = c.evalCol("id")
		order = append(order, evalID)
	}
	b := selectCols(id, c.ts(), evalID).column(v, vargs...)
	b = c.from(b).and(v+" IS NOT NULL", vargs...).order(order...)
	if max := c.q.cfg.maxPoints; max > 0 {
		b = b.limitN(uint64(max) + 1)
	}
	return b, nil
}

// pie: one row per distinct value with its count.
func (c *compiler) pie(st *statement) (*sel, error) {
	v, vargs, kind := c.value()
	st.value, st.ncols = kind, 2
	rows := c.from(selectCols().column(v+" AS v", vargs...))
	if g, ok := c.d.(dialect.Grouper); ok && kind != valueNumber {
		// Numbers are left to GROUP BY, which groups them by value
		// ("1.0" with "1") where a Grouper groups the text.
		b := groupRows(g, "count", rows, []dialect.GroupKey{{Expr: "r.v", Text: kind == valueText}})
		b.cols = b.cols[:2] // the value and COUNT(*)
		return b, nil
	}
	return selectCols("r.v", "COUNT(*)").fromSelect(rows, "r").group("r.v"), nil
}

// bar: per bucket key (and group): COUNT(*), COUNT(v), and the aggregate.
func (c *compiler) bar(st *statement) (*sel, error) {
	fn, err := aggregate.ParseFunc(c.p.agg)
	if err != nil {
		return nil, err
	}
	v, vargs, kind := c.value()
	st.value, st.fn = kind, fn
	segs, pivot := c.segments()
	keys, kargs := aggregate.KeySQL(c.d, c.q.buckets, c.ts(), segs, pivot)
	st.hour = len(keys) == 2
	st.grouped = c.p.groupField != nil

	rows := selectCols().column(keys[0]+" AS k1", kargs[:len(kargs)/len(keys)]...)
	keyCols := []string{"k1"}
	if st.hour {
		rows = rows.column(keys[1]+" AS k2", kargs[len(kargs)/2:]...)
		keyCols = append(keyCols, "k2")
	}
	if st.grouped {
		g, gargs := c.group()
		rows = rows.column(g+" AS g", gargs...)
		keyCols = append(keyCols, "g")
	}
	rows = c.from(rows.column(v+" AS v", vargs...))
	if st.grouped && c.q.cfg.topGroups > 0 {
		rows = c.topN(rows, keyCols)
	}
	st.ncols = len(keyCols) + 3

	qualified := func(alias string) []string {
		out := make([]string, len(keyCols))
		for i, k := range keyCols {
			out[i] = alias + "." + k
		}
		return out
	}
	if g, ok := c.d.(dialect.Grouper); ok && kind != valueTime {
		keys := make([]dialect.GroupKey, len(keyCols))
		for i, k := range keyCols {
			keys[i] = dialect.GroupKey{Expr: "r." + k, Text: k == "g"}
		}
		return groupRows(g, groupFunc(fn), rows, keys), nil
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
	case kind == valueTime && fn == aggregate.Min:
		agg = "MIN(r.v)"
	case kind == valueTime && fn == aggregate.Max:
		agg = "MAX(r.v)"
	case kind == valueBool: // sum and avg of 0/1: an exact integer sum
		agg = "SUM(r.v)"
	case fn == aggregate.Sum || fn == aggregate.Avg:
		agg = c.d.Sum("r.v")
	case fn == aggregate.Min:
		agg = c.d.Min("r.v")
	case fn == aggregate.Max:
		agg = c.d.Max("r.v")
	default:
		return nil, fmt.Errorf("widget: no SQL for %s of %s values", fn, c.p.dataType)
	}
	return selectCols(qualified("r")...).columns("COUNT(*)", "COUNT(r.v)", agg).
		fromSelect(rows, "r").group(qualified("r")...), nil
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
// selects its rows: the keys, COUNT(*), COUNT(r.v) and fn of r.v.
func groupRows(g dialect.Grouper, fn string, rows *sel, keys []dialect.GroupKey) *sel {
	sub, args := selectCols(g.GroupCall(fn, "r.v", keys)).fromSelect(rows, "r").sql()
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
		column("CASE WHEN "+isOther+" OR "+rank+" > "+strconv.Itoa(c.q.cfg.topGroups)+" THEN ? ELSE r1.g END AS g",
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
		limitN(uint64(c.q.cfg.topGroups))
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
	if _, ok := c.q.buckets.(aggregate.Fixed); ok {
		return nil, time.Time{}
	}
	from := time.Unix(0, 0)
	to := c.q.cfg.now
	if lo := c.q.lo; lo.Set {
		from = lo.Time
	}
	if hi := c.q.hi; hi.Set && hi.Time.After(to) {
		to = hi.Time
	}
	return aggregate.Segments(c.q.cfg.loc, from, to.AddDate(10, 0, 0)), to
}

// stat: one row of call counts and duration sum, with the latency metric's
// values and their nearest-rank p95 over the matched calls.
func (c *compiler) stat(st *statement) (*sel, error) {
	success := "c." + c.d.Quote("success")
	duration := "c." + c.d.Quote("duration")
	calls := c.from(selectCols(
		"COUNT(*) AS n", "COUNT("+success+") AS known",
		"SUM(CASE WHEN "+success+" THEN 1 ELSE 0 END) AS ok",
		"COUNT("+duration+") AS dn", c.d.Sum(duration)+" AS dsum"))
	st.ncols = 5
	lat := c.q.cfg.latencyMetric
	if lat == 0 {
		return selectCols("s.n", "s.known", "s.ok", "s.dn", "s.dsum").fromSelect(calls, "s"), nil
	}
	st.latency, st.ncols = true, 7
	v := c.evalCol("value_number")
	var p95 *sel
	if c.pct != nil {
		// ClickHouse's aliases are global: the values are named lv, so
		// that the percentile can be named v.
		evals := c.rowsFrom(selectCols(v+" AS lv"), true, lat)
		p95 = selectCols("COUNT(w.lv) AS cnt", c.pct.Percentile("w.lv", 95)+" AS v").fromSelect(evals, "w")
	} else {
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

// Scanned values: drivers return integers as int64 (ClickHouse: the
// column's own integer type, e.g. uint64 for COUNT), numbers as text or
// decimal.Decimal (never float64: it would not be exact), strings as
// string or []byte.

func scanInt(src any) (int64, bool, error) {
	switch x := src.(type) {
	case nil:
		return 0, false, nil
	case int64:
		return x, true, nil
	case int32:
		return int64(x), true, nil
	case int16:
		return int64(x), true, nil
	case int8:
		return int64(x), true, nil
	case uint32:
		return int64(x), true, nil
	case uint16:
		return int64(x), true, nil
	case uint8:
		return int64(x), true, nil
	case uint64:
		if x > math.MaxInt64 {
			return 0, false, fmt.Errorf("integer %d out of range", x)
		}
		return int64(x), true, nil
	case bool:
		if x {
			return 1, true, nil
		}
		return 0, true, nil
	case string, []byte, decimal.Decimal:
		d, err := scanDecimal(x)
		if err != nil {
			return 0, false, err
		}
		if !d.IsInteger() {
			return 0, false, fmt.Errorf("want an integer, got %s", d)
		}
		return d.IntPart(), true, nil
	}
	return 0, false, fmt.Errorf("want an integer, got %T", src)
}

func scanDecimal(src any) (decimal.Decimal, error) {
	switch x := src.(type) {
	case string:
		return decimal.NewFromString(x)
	case []byte:
		return decimal.NewFromString(string(x))
	case decimal.Decimal:
		return x, nil
	case bool:
		return decimal.Decimal{}, fmt.Errorf("want an exact number, got %T", src)
	}
	n, ok, err := scanInt(src)
	if err != nil || !ok {
		return decimal.Decimal{}, fmt.Errorf("want an exact number, got %T", src)
	}
	return decimal.NewFromInt(n), nil
}

func scanText(src any) (string, bool, error) {
	switch x := src.(type) {
	case nil:
		return "", false, nil
	case string:
		return x, true, nil
	case []byte:
		return string(x), true, nil
	case int64:
		return strconv.FormatInt(x, 10), true, nil
	}
	return "", false, fmt.Errorf("want text, got %T", src)
}
