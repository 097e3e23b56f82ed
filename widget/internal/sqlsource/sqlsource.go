// Package sqlsource answers widgets from a database: one statement per
// widget, written by package sqlgen, whose aggregated rows it reads into
// the result builder as the memory engine would have accumulated them.
package sqlsource

import (
	"context"
	"crypto/rand"
	"database/sql"
	"database/sql/driver"
	"encoding/hex"
	"errors"
	"fmt"
	"math"
	"strconv"
	"time"

	"github.com/shopspring/decimal"

	"github.com/calldash/calldash"
	"github.com/calldash/calldash/aggregate"
	"github.com/calldash/calldash/chart"
	"github.com/calldash/calldash/dialect"
	"github.com/calldash/calldash/sqlgen"
	"github.com/calldash/calldash/widget/internal/plan"
	"github.com/calldash/calldash/widget/internal/result"
)

// A Querier runs a query: *sql.DB, *sql.Conn and *sql.Tx are queriers.
// A Querier other than a *sql.DB must run every query on one connection,
// as *sql.Conn and *sql.Tx do: a statement's warnings are read after it
// on the same querier.
type Querier interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
}

// A Source is a database in a layout, through a dialect.
type Source struct {
	DB     Querier
	D      dialect.Dialect
	Layout *sqlgen.Layout
	// MaxStatement is the size limit of a statement of a
	// [dialect.StatementLimiter] (0: the database's default).
	MaxStatement int
}

// Answer answers one widget with one statement.
func (s Source) Answer(ctx context.Context, q *plan.Query) (*result.Answer, error) {
	r := result.New(q)
	m, known := r.Metric()
	if q.Plan.Metric && !known {
		var err error
		if m, known, err = s.lookupMetric(ctx, q.Plan.MetricID); err != nil {
			return nil, err
		}
	}
	r.SetMetric(m, known)
	if q.Plan.Metric {
		if !known {
			return nil, q.MetricError()
		}
		if err := q.Plan.ResolveMetric(m); err != nil {
			return nil, err
		}
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	st, err := Compile(ctx, q, m, s.D, s.Layout)
	if err != nil {
		return nil, err
	}
	// The size checked is that of the text sent: the deadline clause
	// and the mark count against the database's limit too.
	text, killMarked := s.sentText(ctx, st.Text)
	if err := s.checkSize(text, st.Args); err != nil {
		return nil, err
	}
	rows, warnings, release, err := s.query(ctx, text, st.Args, killMarked)
	if err != nil {
		return nil, s.queryError(ctx, err)
	}
	defer release()
	rd := reader{d: s.D, st: st, q: q}
	if err := rd.read(rows, r); err != nil {
		if cerr := ctx.Err(); cerr != nil {
			return nil, cerr
		}
		return nil, err
	}
	if err := rows.Err(); err != nil {
		return nil, s.queryError(ctx, err)
	}
	if err := warnings(); err != nil {
		return nil, err
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	return r.Finish()
}

// sentText returns text as the database receives it: with the clause of
// a [dialect.Deadliner] for the context's deadline, and marked for a
// [dialect.MarkKiller] over a pool (see [Source.marked]); and the
// function that stops the marked statement once the context has ended.
func (s Source) sentText(ctx context.Context, text string) (string, func()) {
	if dl, ok := ctx.Deadline(); ok {
		if dd, ok := s.D.(dialect.Deadliner); ok {
			text += dd.Deadline(max(1, int64(math.Ceil(time.Until(dl).Seconds()))))
		}
	}
	return s.marked(ctx, text)
}

// query runs a statement, text as [Source.sentText] returned it, and
// calls killMarked once the statement is done with (see [Source.marked]).
// On a [dialect.Killer] it runs on a connection
// whose id it reads first; when the context has ended, release drops
// that connection and stops the statement on the server with the
// dialect's KillQuery on another one, before it returns. Otherwise
// release closes the rows and gives the connection back.
// warnings, called once the rows are read, closes them and returns the
// error of a [dialect.WarningChecker] for the statement's warnings.
func (s Source) query(ctx context.Context, text string, args []any, killMarked func()) (rows *sql.Rows, warnings func() error, release func(), err error) {
	k, kill := s.D.(dialect.Killer)
	_, warn := s.D.(dialect.WarningChecker)
	db, pool := s.DB.(*sql.DB)
	if !pool || !(kill || warn) {
		// One connection (a *sql.Conn or *sql.Tx), or nothing to do on
		// the statement's connection. A dialect that stops statements
		// by a mark does so from any connection of a pool; without a
		// pool there is no second connection to stop the statement
		// from: it ends when the driver drops the connection.
		rows, err := s.DB.QueryContext(ctx, text, args...)
		if err != nil {
			killMarked()
			return nil, nil, nil, err
		}
		return rows, s.warningsOn(ctx, rows, s.DB), func() { rows.Close(); killMarked() }, nil
	}
	conn, err := db.Conn(ctx)
	if err != nil {
		killMarked()
		return nil, nil, nil, err
	}
	var id int64
	if kill {
		if err := conn.QueryRowContext(ctx, k.ConnectionID()).Scan(&id); err != nil {
			conn.Close()
			killMarked()
			return nil, nil, nil, err
		}
	}
	rows, err = conn.QueryContext(ctx, text, args...)
	release = func() {
		defer killMarked()
		if rows != nil {
			rows.Close()
		}
		if ctx.Err() == nil || !kill {
			conn.Close()
			return
		}
		// The driver gave up on the statement, the server did not: drop
		// the connection (so that it is never reused, and so that a pool
		// of one has a connection free), then stop the statement from
		// another one. A statement that has ended meanwhile makes the
		// KILL fail harmlessly ("Unknown thread id").
		_ = conn.Raw(func(any) error { return driver.ErrBadConn })
		conn.Close()
		kctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), killTimeout)
		defer cancel()
		_, _ = db.ExecContext(kctx, k.KillQuery(id))
	}
	if err != nil {
		release()
		return nil, nil, nil, err
	}
	return rows, s.warningsOn(ctx, rows, conn), release, nil
}

// marked returns text marked for a [dialect.MarkKiller] over a pool,
// and the function that, once the context has ended, stops the marked
// statement on the server from another connection of the pool (it does
// nothing otherwise).
func (s Source) marked(ctx context.Context, text string) (string, func()) {
	mk, ok := s.D.(dialect.MarkKiller)
	db, pool := s.DB.(*sql.DB)
	if !ok || !pool {
		return text, func() {}
	}
	var b [16]byte
	rand.Read(b[:]) // never fails (crypto/rand)
	token := hex.EncodeToString(b[:])
	return mk.Mark(token) + text, func() {
		if ctx.Err() == nil {
			return
		}
		kctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), killTimeout)
		defer cancel()
		// A statement cancelled in its first moments may not have
		// reached the server's list of statements yet: try again for a
		// while until the KILL finds it.
		for range markRetries {
			if killed(kctx, db, mk.KillMarked(token)) {
				return
			}
			time.Sleep(markRetryDelay)
		}
	}
}

// Retries of a [dialect.MarkKiller]'s KILL that found nothing.
const (
	markRetries    = 20
	markRetryDelay = 25 * time.Millisecond
)

// killed runs a KILL statement and reports whether it found a statement
// to stop (or failed: trying again would not help).
func killed(ctx context.Context, db *sql.DB, kill string) bool {
	rows, err := db.QueryContext(ctx, kill)
	if err != nil {
		return true
	}
	defer rows.Close()
	return rows.Next() || rows.Err() != nil
}

// warningsOn returns the check of a [dialect.WarningChecker] for the
// statement whose rows are rows, read on conn, the statement's one
// connection: it closes the rows and reads the statement's warnings.
func (s Source) warningsOn(ctx context.Context, rows *sql.Rows, conn Querier) func() error {
	wc, ok := s.D.(dialect.WarningChecker)
	if !ok {
		return func() error { return nil }
	}
	return func() error {
		if err := rows.Close(); err != nil {
			return s.queryError(ctx, err)
		}
		return s.checkWarnings(ctx, conn, wc)
	}
}

// checkWarnings reads the warnings of the last statement on conn (one
// connection) and
// returns the first error the dialect gives for one.
func (s Source) checkWarnings(ctx context.Context, conn Querier, wc dialect.WarningChecker) error {
	rows, err := conn.QueryContext(ctx, wc.Warnings())
	if err != nil {
		return s.queryError(ctx, err)
	}
	defer rows.Close()
	for rows.Next() {
		var level, msg string
		var code int64
		if err := rows.Scan(&level, &code, &msg); err != nil {
			return s.queryError(ctx, err)
		}
		if err := wc.CheckWarning(code, msg); err != nil {
			return calldash.ErrorList{calldash.Errorf("$", calldash.ErrDialect, "%v", err)}
		}
	}
	return s.queryError(ctx, rows.Err())
}

// checkSize refuses a statement, text and args as they are sent, that a
// [dialect.StatementLimiter]'s database would not parse.
func (s Source) checkSize(text string, args []any) error {
	sl, ok := s.D.(dialect.StatementLimiter)
	if !ok {
		return nil
	}
	limit, setting := sl.StatementLimit()
	if s.MaxStatement > 0 {
		limit = s.MaxStatement
	}
	if n := sl.StatementSize(text, args); n > limit {
		return calldash.ErrorList{calldash.Errorf("$", calldash.ErrDialect,
			"the statement would have %d bytes, more than the %d of the %s setting: not supported on %s (raise %s and widget.WithStatementLimit)",
			n, limit, setting, s.D.Name(), setting)}
	}
	return nil
}

// killTimeout bounds the statement that stops another on the server.
const killTimeout = 10 * time.Second

// queryError is the error of a statement: the context's when it ended
// (a driver may report a deadline as "i/o timeout"), the refusal of a
// [dialect.FailureChecker] for a failure that says the data is beyond
// the database's types, else err naming the dialect.
func (s Source) queryError(ctx context.Context, err error) error {
	if err == nil {
		return nil
	}
	if cerr := ctx.Err(); cerr != nil {
		return cerr
	}
	// A driver that sets its connection's deadline from the context's
	// may fail a moment before ctx.Err() reports the deadline.
	if dl, ok := ctx.Deadline(); ok && !time.Now().Before(dl) {
		return context.DeadlineExceeded
	}
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return err
	}
	if fc, ok := s.D.(dialect.FailureChecker); ok {
		if rerr := fc.CheckFailure(err); rerr != nil {
			return calldash.ErrorList{calldash.Errorf("$", calldash.ErrDialect, "%v", rerr)}
		}
	}
	return fmt.Errorf("widget: %s query: %w", s.D.Name(), err)
}

// lookupMetric reads a metric's name and eval type.
func (s Source) lookupMetric(ctx context.Context, id int64) (calldash.Metric, bool, error) {
	text, args, err := sqlgen.MetricLookup(s.D, s.Layout, id)
	if err != nil {
		return calldash.Metric{}, false, err
	}
	rows, err := s.DB.QueryContext(ctx, text, args...)
	if err != nil {
		return calldash.Metric{}, false, s.queryError(ctx, err)
	}
	defer rows.Close()
	if !rows.Next() {
		if err := rows.Err(); err != nil {
			return calldash.Metric{}, false, s.queryError(ctx, err)
		}
		return calldash.Metric{}, false, nil
	}
	var name, evalType sql.NullString
	if err := rows.Scan(&name, &evalType); err != nil {
		return calldash.Metric{}, false, s.queryError(ctx, err)
	}
	return calldash.Metric{ID: id, Name: name.String, EvalType: evalType.String}, true, nil
}

// A reader turns the rows of a statement into a run.
type reader struct {
	d  dialect.Dialect
	st *sqlgen.Statement
	q  *plan.Query
}

// read scans the statement's rows into the run, as the memory source
// would have accumulated them.
func (st *reader) read(rows *sql.Rows, r *result.Run) error {
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
			var list calldash.ErrorList
			if errors.As(err, &list) {
				return err // a refusal, with its path
			}
			return fmt.Errorf("widget: %s row: %w", st.d.Name(), err)
		}
	}
	return nil
}

// checkSum returns the error of a [dialect.SumChecker] for a sum the
// database may have clamped.
func (st *reader) checkSum(sum decimal.Decimal) error {
	if sc, ok := st.d.(dialect.SumChecker); ok {
		if err := sc.CheckSum(sum); err != nil {
			return calldash.ErrorList{calldash.Errorf("$", calldash.ErrDialect, "%v", err)}
		}
	}
	return nil
}

// row adds one result row to r.
func (st *reader) row(v []any, r *result.Run) error {
	switch st.q.Plan.Chart() {
	case chart.LineChart:
		return st.lineRow(v, r)
	case chart.BarChart:
		return st.barRow(v, r)
	case chart.PieChart:
		return st.pieRow(v, r)
	default:
		return st.statRow(v, r)
	}
}

// lineRow: id, timestamp, evaluation id, value.
func (st *reader) lineRow(v []any, r *result.Run) error {
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
	p := result.LinePoint{ID: id, EvalID: evalID, At: at}
	if st.st.Value == sqlgen.ValueTime {
		if p.Time, err = st.d.ScanTime(v[3]); err != nil {
			return err
		}
	} else if p.Value, err = scanValue(v[3], st.st.Value); err != nil {
		return err
	}
	r.AddLine(p)
	return nil
}

// barRow: key (and offset), group, rows, count, aggregate.
func (st *reader) barRow(v []any, r *result.Run) error {
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
	if agg := v[i+2]; st.q.Plan.Func != aggregate.Count && agg != nil {
		if st.st.Value == sqlgen.ValueTime {
			if p.Time, err = st.d.ScanTime(agg); err != nil {
				return err
			}
		} else {
			if p.Num, err = scanDecimal(agg); err != nil {
				return err
			}
			if f := st.q.Plan.Func; f == aggregate.Sum || f == aggregate.Avg {
				if err := st.checkSum(p.Num); err != nil {
					return err
				}
			}
			p.IsNum = true
		}
	}
	start := aggregate.KeyStart(st.q.Buckets, k)
	r.AddFoldedBar(start, group, aggregate.FromPartial(st.q.Plan.Func, st.q.Config.AvgPlaces, p))
	return nil
}

// pieRow: value, rows.
func (st *reader) pieRow(v []any, r *result.Run) error {
	val, err := scanValue(v[0], st.st.Value)
	if err != nil {
		return err
	}
	n, _, err := scanInt(v[1])
	if err != nil {
		return err
	}
	r.AddPie(chart.LabelOf(val), n)
	return nil
}

// statRow: calls, known outcomes, successes, durations, duration sum, and
// (with a latency metric) latency values and their p95.
func (st *reader) statRow(v []any, r *result.Run) error {
	var s result.Stat
	places := st.q.Config.AvgPlaces
	var err error
	ints := []*int64{&s.Total, &s.Known, &s.Succeeded}
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
		if err := st.checkSum(dur.Num); err != nil {
			return err
		}
		dur.IsNum = true
	}
	s.Duration = aggregate.FromPartial(aggregate.Avg, places, dur)
	s.Latency = aggregate.New(aggregate.P95, places)
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
		s.Latency = aggregate.FromPartial(aggregate.P95, places, lat)
	}
	r.SetStat(s)
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

// Compile writes the statement of q over the tables of l; m is the
// resolved metric of a metric widget. It stops with ctx's error when ctx
// is done.
func Compile(ctx context.Context, q *plan.Query, m calldash.Metric, d dialect.Dialect, l *sqlgen.Layout) (*sqlgen.Statement, error) {
	return sqlgen.CompileContext(ctx, sqlQuery(q, m), d, l)
}

// sqlQuery is q as the SQL compiler needs it.
func sqlQuery(q *plan.Query, m calldash.Metric) *sqlgen.Query {
	p := q.Plan
	sq := &sqlgen.Query{
		Chart:     p.Chart(),
		Key:       p.Key,
		Func:      p.Func,
		Buckets:   q.Buckets,
		Group:     p.GroupField,
		GroupKey:  p.GroupKey,
		TopGroups: q.Config.TopGroups,
		MaxPoints: q.Config.MaxPoints,
		MaxCells:  q.Config.MaxCells,
		Latency:   q.Config.LatencyMetric,
		Filter:    q.Filter,
		Env:       q.Env,
		Lo:        q.Lo,
		Hi:        q.Hi,
	}
	if p.Metric {
		sq.Metric = &calldash.Metric{ID: p.MetricID, Name: m.Name, EvalType: m.EvalType}
	} else {
		sq.Field = p.Field
	}
	return sq
}
