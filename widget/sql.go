package widget

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math"
	"strconv"

	"github.com/shopspring/decimal"

	"github.com/calldash/calldash"
	"github.com/calldash/calldash/aggregate"
	"github.com/calldash/calldash/chart"
	"github.com/calldash/calldash/dialect"
	"github.com/calldash/calldash/filter"
	"github.com/calldash/calldash/sqlgen"
)

// An SQLOption configures an [SQL] source.
type SQLOption func(*sqlConfig)

type sqlConfig struct {
	prefix string
}

// WithTablePrefix prefixes the names of the default tables (call_logs,
// agents, metrics, metric_evaluations), e.g. for the scratch tables of
// package sqlstore. The prefix comes from the program, never from a
// request: it is quoted as part of the identifier.
func WithTablePrefix(p string) SQLOption { return func(c *sqlConfig) { c.prefix = p } }

// SQL is a [Source] over a database in the default table layout of
// dialect d (see package dialect). [Preview] compiles the whole widget
// into one parameterized statement — filter, bucketing, grouping, top-N
// and aggregation — so that only aggregated rows come back; a metric
// widget first reads its metric's name and eval type from the metrics
// table, unless [WithMetrics] gave them. The response is byte for byte the
// one [Calls] gives over the same call logs.
//
// Where the database cannot answer a filter exactly (a regex outside the
// dialect's portable subset, say), Preview returns the dialect's error.
// The statement runs with db.QueryContext: cancelling ctx stops it.
func SQL(db *sql.DB, d dialect.Dialect, opts ...SQLOption) Source {
	var cfg sqlConfig
	for _, o := range opts {
		o(&cfg)
	}
	return sqlSource{db: db, d: d, layout: sqlgen.DefaultLayout(cfg.prefix)}
}

type sqlSource struct {
	db     *sql.DB
	d      dialect.Dialect
	layout *sqlgen.Layout
}

func (s sqlSource) preview(ctx context.Context, q *query) (*Response, error) {
	r := newRun(q)
	r.learnMetric = false
	if q.plan.metric && !r.metricSeen {
		m, ok, err := s.lookupMetric(ctx, q.plan.metricID)
		if err != nil {
			return nil, err
		}
		r.metric, r.metricSeen = m, ok
	}
	if q.plan.metric {
		if !r.metricSeen {
			return r.finish() // the error of an unknown metric
		}
		if err := q.plan.resolveMetric(r.metric); err != nil {
			return nil, err
		}
	}
	st, err := sqlgen.Compile(sqlQuery(q, r.metric), s.d, s.layout)
	if err != nil {
		return nil, err
	}
	rows, err := s.db.QueryContext(ctx, st.Text, st.Args...)
	if err != nil {
		return nil, s.queryError(err)
	}
	defer rows.Close()
	rd := reader{d: s.d, st: st, fn: r.bar.fn}
	if err := rd.read(rows, r); err != nil {
		return nil, err
	}
	if err := rows.Err(); err != nil {
		return nil, s.queryError(err)
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	return r.finish()
}

func (s sqlSource) queryError(err error) error {
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return err
	}
	return fmt.Errorf("widget: %s query: %w", s.d.Name(), err)
}

// lookupMetric reads a metric's name and eval type.
func (s sqlSource) lookupMetric(ctx context.Context, id int64) (Metric, bool, error) {
	text, err := sqlgen.MetricLookup(s.d, s.layout)
	if err != nil {
		return Metric{}, false, err
	}
	var name, evalType sql.NullString
	err = s.db.QueryRowContext(ctx, text, id).Scan(&name, &evalType)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return Metric{}, false, nil
	case err != nil:
		return Metric{}, false, s.queryError(err)
	}
	return Metric{ID: id, Name: name.String, EvalType: evalType.String}, true, nil
}

// A reader turns the rows of a statement into a run.
type reader struct {
	d  dialect.Dialect
	st *sqlgen.Statement
	fn aggregate.Func // bar
}

// read scans the statement's rows into the run, as the memory source
// would have accumulated them.
func (st *reader) read(rows *sql.Rows, r *run) error {
	vals := make([]any, st.st.Columns)
	ptrs := make([]any, st.st.Columns)
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	for rows.Next() {
		if err := rows.Scan(ptrs...); err != nil {
			return err
		}
		if err := st.row(vals, r); err != nil {
			return fmt.Errorf("widget: %s row: %w", st.d.Name(), err)
		}
	}
	return nil
}

// row adds one result row to r.
func (st *reader) row(v []any, r *run) error {
	switch r.p.chart {
	case Line:
		return st.lineRow(v, r)
	case Bar:
		return st.barRow(v, r)
	case Pie:
		return st.pieRow(v, r)
	default:
		return st.statRow(v, r)
	}
}

// lineRow: id, timestamp, evaluation id, value.
func (st *reader) lineRow(v []any, r *run) error {
	id, _, err := scanInt(v[0])
	if err != nil {
		return err
	}
	at, err := st.d.ScanTime(v[1])
	if err != nil {
		return err
	}
	evalID, _, err := scanInt(v[2])
	if err != nil {
		return err
	}
	p := linePoint{id: id, evalID: evalID, at: at}
	if st.st.Value == sqlgen.ValueTime {
		if p.time, err = st.d.ScanTime(v[3]); err != nil {
			return err
		}
	} else if p.value, err = scanValue(v[3], st.st.Value); err != nil {
		return err
	}
	if max := r.q.cfg.maxPoints; max > 0 && len(r.line) >= max+1 {
		return nil
	}
	r.line = append(r.line, p)
	return nil
}

// barRow: key (and offset), group, rows, count, aggregate.
func (st *reader) barRow(v []any, r *run) error {
	var k aggregate.Key
	var err error
	i := 0
	if k.Bucket, _, err = scanInt(v[i]); err != nil {
		return err
	}
	i++
	if st.st.Hour {
		if k.Offset, _, err = scanInt(v[i]); err != nil {
			return err
		}
		i++
	}
	var group chart.Label
	if st.st.Grouped {
		s, ok, err := scanText(v[i])
		if err != nil {
			return err
		}
		if ok {
			group = chart.Text(s)
		}
		i++
	}
	var p aggregate.Partial
	if p.Rows, _, err = scanInt(v[i]); err != nil {
		return err
	}
	if p.Count, _, err = scanInt(v[i+1]); err != nil {
		return err
	}
	if agg := v[i+2]; st.fn != aggregate.Count && agg != nil {
		if st.st.Value == sqlgen.ValueTime {
			if p.Time, err = st.d.ScanTime(agg); err != nil {
				return err
			}
		} else {
			if p.Num, err = scanDecimal(agg); err != nil {
				return err
			}
			p.IsNum = true
		}
	}
	start := aggregate.KeyStart(r.q.buckets, k)
	r.bar.addPartial(start, group, aggregate.FromPartial(st.fn, r.q.cfg.avgPlaces, p))
	return nil
}

// pieRow: value, rows.
func (st *reader) pieRow(v []any, r *run) error {
	val, err := scanValue(v[0], st.st.Value)
	if err != nil {
		return err
	}
	n, _, err := scanInt(v[1])
	if err != nil {
		return err
	}
	r.pie[chart.LabelOf(val)] += n
	return nil
}

// statRow: calls, known outcomes, successes, durations, duration sum, and
// (with a latency metric) latency values and their p95.
func (st *reader) statRow(v []any, r *run) error {
	s := &r.stat
	var err error
	ints := []*int64{&s.total, &s.known, &s.succeeded}
	for i, dst := range ints {
		if *dst, _, err = scanInt(v[i]); err != nil {
			return err
		}
	}
	var dur aggregate.Partial
	if dur.Count, _, err = scanInt(v[3]); err != nil {
		return err
	}
	if v[4] != nil {
		if dur.Num, err = scanDecimal(v[4]); err != nil {
			return err
		}
		dur.IsNum = true
	}
	s.duration = aggregate.FromPartial(aggregate.Avg, s.places, dur)
	if st.st.Latency {
		var lat aggregate.Partial
		if lat.Count, _, err = scanInt(v[5]); err != nil {
			return err
		}
		if v[6] != nil {
			if lat.Num, err = scanDecimal(v[6]); err != nil {
				return err
			}
			lat.IsNum = true
		}
		s.p95 = aggregate.FromPartial(aggregate.P95, s.places, lat)
	}
	return nil
}

// scanValue converts a scanned value of the given kind to a field value.
func scanValue(src any, k sqlgen.ValueKind) (calldash.Value, error) {
	if src == nil {
		return calldash.Null, nil
	}
	switch k {
	case sqlgen.ValueNumber, sqlgen.ValueInt:
		d, err := scanDecimal(src)
		if err != nil {
			return calldash.Null, err
		}
		return calldash.Number(d), nil
	case sqlgen.ValueBool:
		n, _, err := scanInt(src)
		if err != nil {
			return calldash.Null, err
		}
		return calldash.Bool(n != 0), nil
	default:
		s, _, err := scanText(src)
		if err != nil {
			return calldash.Null, err
		}
		return calldash.String(s), nil
	}
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

// sqlQuery is q as the SQL compiler needs it; m is the resolved metric of
// a metric widget.
func sqlQuery(q *query, m Metric) *sqlgen.Query {
	p := q.plan
	sq := &sqlgen.Query{
		Chart:     chart.Type(p.chart),
		Key:       p.key,
		Buckets:   q.buckets,
		Group:     p.groupField,
		GroupKey:  p.groupKey,
		TopGroups: q.cfg.topGroups,
		MaxPoints: q.cfg.maxPoints,
		Latency:   q.cfg.latencyMetric,
		Filter:    q.filter,
		Env:       filter.Env{Now: q.cfg.now, Location: q.cfg.loc},
		Lo:        q.lo,
		Hi:        q.hi,
	}
	if p.metric {
		sq.Metric = &calldash.Metric{ID: p.metricID, Name: m.Name, EvalType: m.EvalType}
	} else {
		sq.Field = p.field
	}
	if p.chart == Bar {
		sq.Func, _ = aggregate.ParseFunc(p.agg)
	}
	return sq
}
