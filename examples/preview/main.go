// Command preview answers dashboard widgets over call logs: the command-line
// front door of calldash.
//
//	go run ./examples/preview
//	go run ./examples/preview -widget W.json -calls C.jsonl [-now RFC3339] [-tz Zone]
//	    [-week-start monday] [-dashboard-filters F.json]
//	    [-source memory|sqlite|postgres|mysql|clickhouse] [-dsn DSN]
//
// With no -widget it answers a small dashboard (a bar, a line, a pie and a
// stat widget) over generated sample calls whose last 45 days end at -now
// (default: the current time, to the microsecond), so that the output is
// never empty. With -widget it prints that widget's response. Invalid input
// prints the errors on stderr and exits with status 2; other failures (a
// database that does not answer) exit with status 1. -timeout D cancels
// the preview after D, as SIGINT and SIGTERM do: the program prints the
// context's error and exits with status 3, the statement stopped on the
// server (MariaDB's with KILL QUERY) and the scratch tables dropped. A
// preview killed outright (SIGKILL) cannot drop them; their names carry
// their creation time (sqlstore.NewPrefix), and
//
//	go run ./examples/preview -sweep -source S -dsn DSN
//
// drops the scratch tables of previews that began more than an hour ago.
//
// With an SQL source the calls are answered by the database: the program
// creates the default tables under a fresh name prefix (package sqlstore),
// loads the calls, answers every widget with one statement each
// (widget.SQL), and drops the tables again, also on error, leaving the
// database as it found it. -dsn is the driver's own form: a modernc.org/sqlite
// file name (default ":memory:", a fresh database), a pgx URL such as
// postgres://postgres@127.0.0.1:5432/test?sslmode=disable, a
// go-sql-driver/mysql DSN such as root@tcp(127.0.0.1:3306)/test, or a
// clickhouse-go DSN (native protocol) such as
// clickhouse://127.0.0.1:9000/default, to which the program adds the
// session setting join_use_nulls=1 that the ClickHouse dialect needs. On
// ClickHouse the tables are the single-server default layout (MergeTree),
// not the sharded one.
//
// -layout L.json points an SQL source at the database's existing tables
// instead (sqlgen.ParseLayout; the document's errors name their JSON
// path): nothing is created, loaded or dropped, and every statement is a
// SELECT. It takes no -calls. -scope col=value (repeatable) binds the
// layout's scope columns (sqlgen.Layout.Scoped): a value that is a
// decimal integer is bound as an integer, any other as text; quote it
// (col="7") to bind digits as text.
//
//	go run ./examples/preview -source postgres -dsn postgres://… -layout L.json -scope project_id=7 -widget W.json
package main

import (
	"bufio"
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"

	_ "github.com/ClickHouse/clickhouse-go/v2"
	_ "github.com/go-sql-driver/mysql"
	_ "github.com/jackc/pgx/v5/stdlib"

	"github.com/calldash/calldash"
	"github.com/calldash/calldash/dialect"
	_ "github.com/calldash/calldash/dialect/sqlitefn" // modernc.org/sqlite and calldash's SQLite functions
	"github.com/calldash/calldash/examples/internal/copier"
	"github.com/calldash/calldash/filter"
	"github.com/calldash/calldash/sample"
	"github.com/calldash/calldash/sqlgen"
	"github.com/calldash/calldash/sqlstore"
	"github.com/calldash/calldash/widget"
)

func main() {
	// SIGINT and SIGTERM cancel the preview, so that the scratch tables
	// are dropped before the program exits (a second signal kills it).
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	go func() { <-ctx.Done(); stop() }()
	os.Exit(run(ctx, os.Args[1:], os.Stdout, os.Stderr))
}

// usageError is bad input: exit status 2.
type usageError struct{ err error }

func (e usageError) Error() string { return e.err.Error() }

func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("preview", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var (
		widgetFile = fs.String("widget", "", "widget JSON `file` (default: a sample dashboard)")
		callsFile  = fs.String("calls", "", "call logs as JSON Lines `file` (default: generated sample calls)")
		nowFlag    = fs.String("now", "", "the current time, RFC 3339 (default: the clock)")
		tz         = fs.String("tz", "UTC", "IANA time `zone` of buckets and dates")
		weekStart  = fs.String("week-start", "monday", "first `day` of week buckets")
		dashFile   = fs.String("dashboard-filters", "", "dashboard filters JSON `file`")
		source     = fs.String("source", "memory", "where the calls are answered: memory, sqlite, postgres, mysql or clickhouse")
		dsn        = fs.String("dsn", "", "database `DSN` of an SQL source in the driver's form (sqlite default: :memory:)")
		layoutFile = fs.String("layout", "", "layout JSON `file`: answer over the database's existing tables (no -calls)")
		scopes     scopeFlag
		timeout    = fs.Duration("timeout", 0, "cancel the preview after this `duration` (exit 3; the statement stops on the server too)")
		sweep      = fs.Bool("sweep", false, "drop the scratch tables that previews killed more than an hour ago left in the -dsn database, then exit")
	)
	fs.Var(&scopes, "scope", "a scope column's value, `col=value` (repeatable; with -layout)")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "preview: unexpected arguments %q\n", fs.Args())
		return 2
	}
	if *timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, *timeout)
		defer cancel()
	}
	if *sweep {
		return sweepTables(ctx, *source, *dsn, stdout, stderr)
	}
	out, err := preview(ctx, options{
		widget: *widgetFile, calls: *callsFile, now: *nowFlag, tz: *tz,
		weekStart: *weekStart, dashboard: *dashFile, source: *source, dsn: *dsn,
		layout: *layoutFile, scope: scopes,
	})
	if err != nil {
		return report(err, stderr)
	}
	stdout.Write(out)
	return 0
}

// report prints err on stderr and returns the exit code for it: 2 for
// invalid input (a usage mistake, or any error calldash.IsInvalid names),
// 3 for a timeout or an interruption, 1 for any other failure.
func report(err error, stderr io.Writer) int {
	var ue usageError
	switch {
	case errors.As(err, &ue) || calldash.IsInvalid(err):
		fmt.Fprintln(stderr, err)
		return 2
	case errors.Is(err, context.DeadlineExceeded):
		fmt.Fprintf(stderr, "preview: %v (-timeout): %v\n", context.DeadlineExceeded, err)
		return 3
	case errors.Is(err, context.Canceled):
		fmt.Fprintf(stderr, "preview: %v (interrupted): %v\n", context.Canceled, err)
		return 3
	}
	fmt.Fprintln(stderr, err)
	return 1
}

type options struct {
	widget, calls, now, tz, weekStart, dashboard, source, dsn, layout string
	scope                                                             scopeFlag
}

// scopeFlag collects -scope col=value.
type scopeFlag []string

func (s *scopeFlag) String() string     { return strings.Join(*s, " ") }
func (s *scopeFlag) Set(v string) error { *s = append(*s, v); return nil }

// values returns the scope values: integers as int64, quoted or other
// text as a string.
func (s scopeFlag) values() (map[string]any, error) {
	out := map[string]any{}
	for _, kv := range s {
		col, v, ok := strings.Cut(kv, "=")
		if !ok || col == "" {
			return nil, fmt.Errorf("-scope %q: want col=value", kv)
		}
		if _, dup := out[col]; dup {
			return nil, fmt.Errorf("-scope %q: %s given twice", kv, col)
		}
		if n, err := strconv.ParseInt(v, 10, 64); err == nil && strconv.FormatInt(n, 10) == v {
			out[col] = n
			continue
		}
		if len(v) >= 2 && v[0] == '"' && v[len(v)-1] == '"' {
			v = v[1 : len(v)-1]
		}
		out[col] = v
	}
	return out, nil
}

func preview(ctx context.Context, o options) ([]byte, error) {
	bad := func(err error) error { return usageError{err} }
	now := time.Now()
	if o.now != "" {
		t, err := time.Parse(time.RFC3339Nano, o.now)
		if err != nil {
			return nil, bad(fmt.Errorf("-now: want RFC 3339, e.g. 2025-11-28T12:00:00Z: %v", err))
		}
		now = t
	}
	loc, err := time.LoadLocation(o.tz)
	if err != nil {
		return nil, bad(fmt.Errorf("-tz: %v", err))
	}
	day, ok := weekdays[strings.ToLower(o.weekStart)]
	if !ok {
		return nil, bad(fmt.Errorf("-week-start: unknown day %q (want monday … sunday)", o.weekStart))
	}
	db, ok := databases[o.source]
	if !ok && o.source != "memory" {
		return nil, bad(fmt.Errorf("-source %s: unknown source (want memory, sqlite, postgres, mysql or clickhouse)", o.source))
	}
	if o.dsn == "" {
		o.dsn = db.defaultDSN
	}
	if ok && o.dsn == "" {
		return nil, bad(fmt.Errorf("-source %s needs -dsn, e.g. %s", o.source, db.example))
	}
	if !ok && o.dsn != "" {
		return nil, bad(fmt.Errorf("-dsn is for an SQL -source; the memory source has no database"))
	}
	var layout *sqlgen.Layout
	switch {
	case o.layout != "" && !ok:
		return nil, bad(fmt.Errorf("-layout needs an SQL -source"))
	case o.layout != "" && o.calls != "":
		return nil, bad(fmt.Errorf("-layout answers over the existing tables; it takes no -calls"))
	case o.layout == "" && len(o.scope) > 0:
		return nil, bad(fmt.Errorf("-scope needs -layout"))
	case o.layout != "":
		data, err := os.ReadFile(o.layout)
		if err != nil {
			return nil, bad(err)
		}
		if layout, err = sqlgen.ParseLayout(data); err != nil {
			return nil, bad(fmt.Errorf("-layout %s:\n%v", o.layout, err))
		}
		values, err := o.scope.values()
		if err != nil {
			return nil, bad(err)
		}
		if len(values) > 0 || len(layout.ScopeColumns()) > 0 {
			if layout, err = layout.Scoped(values); err != nil {
				return nil, bad(fmt.Errorf("-scope:\n%v", err))
			}
		}
	}
	opts := []widget.Option{widget.WithNow(now), widget.WithLocation(loc), widget.WithWeekStart(day)}
	if o.dashboard != "" {
		data, err := os.ReadFile(o.dashboard)
		if err != nil {
			return nil, bad(err)
		}
		n, err := filter.Validate(data, filter.CallLogs(), filter.AtPath("$"))
		if err != nil {
			return nil, bad(fmt.Errorf("-dashboard-filters %s:\n%v", o.dashboard, err))
		}
		opts = append(opts, widget.WithDashboardFilters(n.Node()))
	}

	var spec *widget.Spec // nil: the sample dashboard
	if o.widget != "" {
		data, err := os.ReadFile(o.widget)
		if err != nil {
			return nil, bad(err)
		}
		// A widget that cannot be answered is refused before any call
		// is read: a million take seconds to load.
		check := opts
		if layout != nil {
			check = append(slices.Clip(opts), widget.WithSchema(layout.Schema(filter.CallLogs())))
		}
		if spec, err = widget.Decode(data); err == nil {
			err = widget.Check(spec, check...)
		}
		if err != nil {
			return nil, usageError{err}
		}
	}

	// In memory, -calls goes straight into a Table (no slice of calls):
	// a few dozen bytes per call instead of a few kilobytes.
	var calls []calldash.Call
	var table *widget.Table
	if layout != nil {
		// The tables are the user's: no calls of ours.
	} else if o.calls != "" {
		f, err := os.Open(o.calls)
		if err != nil {
			return nil, bad(err)
		}
		defer f.Close()
		r := bufio.NewReaderSize(f, 1<<20)
		if ok {
			calls, err = decodeCalls(r)
		} else {
			table, err = widget.DecodeTable(r)
		}
		if err != nil {
			return nil, bad(fmt.Errorf("-calls %s: %v", o.calls, err))
		}
	} else {
		calls = sampleCalls(now)
		opts = append(opts, widget.WithLatencyMetric(sample.LatencyMetricID))
	}

	if !ok {
		if table != nil {
			return respond(ctx, spec, table, opts)
		}
		return respond(ctx, spec, widget.Calls(calls), opts)
	}
	if layout != nil {
		return withLayout(ctx, db, o.dsn, layout, func(src widget.Source) ([]byte, error) {
			return respond(ctx, spec, src, opts)
		})
	}
	return withDatabase(ctx, db, o.dsn, calls, func(src widget.Source) ([]byte, error) {
		return respond(ctx, spec, src, opts)
	})
}

// decodeCalls reads the call logs of r.
func decodeCalls(r io.Reader) ([]calldash.Call, error) {
	d := calldash.NewDecoder(r)
	var calls []calldash.Call
	for {
		var c calldash.Call
		switch err := d.Decode(&c); err {
		case nil:
			calls = append(calls, c)
		case io.EOF:
			return calls, nil
		default:
			return nil, err
		}
	}
}

// respond answers the widget spec, or the sample dashboard when spec is nil.
func respond(ctx context.Context, spec *widget.Spec, src widget.Source, opts []widget.Option) ([]byte, error) {
	if spec == nil {
		return dashboard(ctx, src, opts)
	}
	resp, err := answer(ctx, spec, src, opts)
	if err != nil {
		return nil, err
	}
	return indent(resp)
}

// A database is an SQL source of -source.
type database struct {
	driver     string // database/sql driver name
	dialect    dialect.Dialect
	defaultDSN string // "" when -dsn is required
	example    string // a -dsn for the help text
	settings   string // DSN parameters the dialect needs, added to -dsn
}

var databases = map[string]database{
	"sqlite":   {"sqlite", dialect.SQLite, ":memory:", ":memory:", ""},
	"postgres": {"pgx", dialect.Postgres, "", "postgres://postgres@127.0.0.1:5432/test?sslmode=disable", ""},
	"mysql":    {"mysql", dialect.MySQL, "", "root@tcp(127.0.0.1:3306)/test", ""},
	// Unmatched LEFT JOIN columns must be NULL (dialect.ClickHouse).
	"clickhouse": {"clickhouse", dialect.ClickHouse, "", "clickhouse://127.0.0.1:9000/default", "join_use_nulls=1"},
}

// sweepTables drops the scratch tables of previews that began more than
// an hour ago in the database of source and dsn (a preview killed with
// SIGKILL cannot drop its own), and prints their prefixes.
func sweepTables(ctx context.Context, source, dsn string, stdout, stderr io.Writer) int {
	db, ok := databases[source]
	if !ok {
		fmt.Fprintf(stderr, "preview: -sweep needs an SQL -source (sqlite, postgres, mysql or clickhouse)\n")
		return 2
	}
	if dsn == "" {
		dsn = db.defaultDSN
	}
	conn, err := sql.Open(db.driver, dsn)
	if err != nil {
		fmt.Fprintf(stderr, "-dsn: %v\n", err)
		return 2
	}
	defer conn.Close()
	dropped, err := sqlstore.Sweep(ctx, conn, db.dialect, time.Now().Add(-time.Hour))
	for _, p := range dropped {
		fmt.Fprintf(stdout, "dropped %s*\n", p)
	}
	if err != nil {
		fmt.Fprintln(stderr, err)
		if ctx.Err() != nil {
			return 3
		}
		return 1
	}
	return 0
}

// open opens the database of -dsn, with the settings the dialect needs.
func open(db database, dsn string) (*sql.DB, error) {
	if db.settings != "" {
		sep := "?"
		if strings.Contains(dsn, "?") {
			sep = "&"
		}
		dsn += sep + db.settings
	}
	conn, err := sql.Open(db.driver, dsn)
	if err != nil {
		return nil, fmt.Errorf("-dsn: %v", err)
	}
	// One connection: an SQLite ":memory:" database lives and dies with
	// its connection, and one is all a preview needs.
	conn.SetMaxOpenConns(1)
	return conn, nil
}

// withLayout answers with a source over the existing tables of layout:
// read-only, nothing created or dropped.
func withLayout(ctx context.Context, db database, dsn string, layout *sqlgen.Layout, answer func(widget.Source) ([]byte, error)) ([]byte, error) {
	conn, err := open(db, dsn)
	if err != nil {
		return nil, err
	}
	defer conn.Close()
	return answer(widget.SQL(conn, db.dialect, widget.WithLayout(layout)))
}

// withDatabase puts calls into scratch tables of the database, calls
// answer with a source over them, and drops the tables again, whatever
// happened.
func withDatabase(ctx context.Context, db database, dsn string, calls []calldash.Call, answer func(widget.Source) ([]byte, error)) (out []byte, err error) {
	conn, err := open(db, dsn)
	if err != nil {
		return nil, err
	}
	defer conn.Close()
	d := db.dialect
	prefix := sqlstore.NewPrefix()
	defer func() {
		// Drop even when ctx is done: the database is left as found.
		if dropErr := sqlstore.Drop(context.WithoutCancel(ctx), conn, d, prefix); dropErr != nil && err == nil {
			out, err = nil, dropErr
		}
	}()
	if err := sqlstore.Create(ctx, conn, d, prefix); err != nil {
		return nil, err
	}
	if err := copier.Loader(d).Load(ctx, conn, d, prefix, slices.Values(calls)); err != nil {
		if errors.Is(err, sqlstore.ErrRefused) {
			return nil, usageError{err}
		}
		return nil, err
	}
	return answer(widget.SQL(conn, d, widget.WithTablePrefix(prefix)))
}

// answer previews one widget; invalid input is a usageError.
func answer(ctx context.Context, spec *widget.Spec, src widget.Source, opts []widget.Option) ([]byte, error) {
	resp, err := widget.Preview(ctx, spec, src, opts...)
	if err != nil {
		if calldash.IsInvalid(err) {
			return nil, usageError{err}
		}
		return nil, err
	}
	return resp.AppendJSON(nil), nil
}

// sampleWidgets is the dashboard shown without -widget.
var sampleWidgets = []string{
	`{"name":"Average duration, last 7 days","chart_type":"bar","field":"duration","aggregation_function":"avg","time_period":"day",
	  "filters":{"operator":"and","conditions":[{"field":"timestamp","op":"gte","value":"today-6d"}]}}`,
	`{"name":"Durations, since yesterday","chart_type":"line","field":"duration",
	  "filters":{"operator":"and","conditions":[{"field":"timestamp","op":"gte","value":"today-1d"},{"field":"duration","op":"isnull","value":false}]}}`,
	`{"name":"How calls ended, last 30 days","chart_type":"pie","field":"call_ended_reason",
	  "filters":{"field":"timestamp","op":"gte","value":"today-29d"}}`,
	`{"name":"This week","chart_type":"stat","field":"",
	  "filters":{"field":"timestamp","op":"gte","value":"today-6d"}}`,
}

func dashboard(ctx context.Context, src widget.Source, opts []widget.Option) ([]byte, error) {
	var b bytes.Buffer
	b.WriteString("[")
	for i, w := range sampleWidgets {
		spec, err := widget.Decode([]byte(w))
		if err != nil {
			return nil, fmt.Errorf("sample widget %d: %w", i, err)
		}
		resp, err := answer(ctx, spec, src, opts)
		if err != nil {
			return nil, fmt.Errorf("sample widget %d: %w", i, err)
		}
		if i > 0 {
			b.WriteString(",")
		}
		b.Write(resp)
	}
	b.WriteString("]")
	return indent(b.Bytes())
}

// sampleCalls returns the sample data set moved so that its 45 days end at
// now, to the microsecond: PostgreSQL and MariaDB keep no finer times, and
// every source answers over the same calls.
func sampleCalls(now time.Time) []calldash.Call {
	now = now.Truncate(time.Microsecond)
	cfg := sample.DefaultConfig()
	cfg.Start, cfg.End = now.Add(-45*24*time.Hour), now
	return sample.Generate(cfg)
}

func indent(data []byte) ([]byte, error) {
	var b bytes.Buffer
	if err := json.Indent(&b, data, "", "  "); err != nil {
		return nil, err
	}
	b.WriteByte('\n')
	return b.Bytes(), nil
}

var weekdays = map[string]time.Weekday{
	"sunday": time.Sunday, "monday": time.Monday, "tuesday": time.Tuesday, "wednesday": time.Wednesday,
	"thursday": time.Thursday, "friday": time.Friday, "saturday": time.Saturday,
}
