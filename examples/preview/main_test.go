package main

import (
	"bytes"
	"context"
	"database/sql"
	"flag"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/go-sql-driver/mysql"
	"github.com/google/go-cmp/cmp"

	"github.com/calldash/calldash"
	"github.com/calldash/calldash/dialect"
	"github.com/calldash/calldash/internal/golden"
	"github.com/calldash/calldash/sqlgen"
	"github.com/calldash/calldash/sqlstore"
)

var update = flag.Bool("update", false, "rewrite golden files")

// TestRun runs the command as a user would and compares stdout, stderr
// and the exit status with testdata/NAME.golden.
func TestRun(t *testing.T) {
	tests := []struct {
		name string
		args []string
	}{
		{"default", []string{"-now", "2025-11-28T18:00:00Z"}},
		{"default_new_york", []string{"-now", "2025-11-28T18:00:00Z", "-tz", "America/New_York", "-week-start", "sunday"}},
		{"widget_file", []string{"-widget", "testdata/week.json", "-calls", "../../testdata/calls/sample.jsonl", "-now", "2025-11-28T18:00:00Z", "-tz", "America/New_York", "-week-start", "sunday"}},
		{"dashboard_filters", []string{"-widget", "testdata/week.json", "-calls", "../../testdata/calls/sample.jsonl", "-now", "2025-11-28T18:00:00Z", "-dashboard-filters", "testdata/dashboard.json"}},
		{"invalid_widget", []string{"-widget", "testdata/invalid.json", "-calls", "../../testdata/calls/sample.jsonl", "-now", "2025-11-28T18:00:00Z"}},
		{"bad_zone", []string{"-tz", "Mars/Olympus_Mons"}},
		{"bad_week_start", []string{"-week-start", "someday"}},
		{"bad_now", []string{"-now", "yesterday"}},
		{"missing_calls_file", []string{"-calls", "testdata/no-such-file.jsonl"}},
		{"postgres_without_dsn", []string{"-source", "postgres"}},
		{"unknown_source", []string{"-source", "oracle"}},
		{"memory_with_dsn", []string{"-dsn", "x.db"}},
		{"default_sqlite", []string{"-now", "2025-11-28T18:00:00Z", "-source", "sqlite"}},
		{"widget_file_sqlite", []string{"-widget", "testdata/week.json", "-calls", "../../testdata/calls/sample.jsonl", "-now", "2025-11-28T18:00:00Z", "-tz", "America/New_York", "-week-start", "sunday", "-source", "sqlite"}},
		{"invalid_widget_sqlite", []string{"-widget", "testdata/invalid.json", "-calls", "../../testdata/calls/sample.jsonl", "-now", "2025-11-28T18:00:00Z", "-source", "sqlite"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			code := run(context.Background(), tt.args, &stdout, &stderr)
			got := "exit " + string(rune('0'+code)) + "\n--- stdout\n" + stdout.String() + "--- stderr\n" + stderr.String()
			goldenPath := filepath.Join("testdata", tt.name+".golden")
			golden.Check(t, goldenPath, got, *update)
		})
	}
}

// TestDefaultNotEmpty checks that the sample dashboard has data whatever
// the date: the sample calls are anchored to now.
func TestDefaultNotEmpty(t *testing.T) {
	for _, now := range []string{"2024-02-29T00:00:01Z", "2031-07-04T23:59:59Z"} {
		var stdout, stderr bytes.Buffer
		if code := run(context.Background(), []string{"-now", now}, &stdout, &stderr); code != 0 {
			t.Fatalf("now %s: exit %d: %s", now, code, stderr.String())
		}
		out := stdout.String()
		for _, want := range []string{`"chart_type": "bar"`, `"chart_type": "line"`, `"chart_type": "pie"`, `"chart_type": "stat"`, `"sample_count"`, `"percentage"`} {
			if !strings.Contains(out, want) {
				t.Errorf("now %s: output lacks %s", now, want)
			}
		}
		if strings.Contains(out, `"data": []`) {
			t.Errorf("now %s: a widget has no data:\n%s", now, out)
		}
	}
}

// sqlRuns are the runs that every SQL source must answer byte for byte as
// the memory source does.
var sqlRuns = [][]string{
	{"-now", "2025-11-28T18:00:00Z"},
	{"-now", "2025-11-28T18:00:00.123456789Z", "-tz", "America/New_York", "-week-start", "sunday"},
	{"-now", "2024-03-10T07:30:00Z", "-tz", "Australia/Lord_Howe"},
	{"-widget", "testdata/week.json", "-calls", "../../testdata/calls/sample.jsonl", "-now", "2025-11-28T18:00:00Z", "-tz", "America/New_York", "-week-start", "sunday"},
	{"-widget", "testdata/week.json", "-calls", "../../testdata/calls/sample.jsonl", "-now", "2025-11-28T18:00:00Z", "-dashboard-filters", "testdata/dashboard.json"},
	{"-widget", "testdata/invalid.json", "-calls", "../../testdata/calls/sample.jsonl", "-now", "2025-11-28T18:00:00Z"},
}

// sqlTargets returns the SQL sources to test with their -dsn: SQLite
// always, PostgreSQL, MariaDB and ClickHouse when their variables are set.
func sqlTargets(t *testing.T) map[string]string {
	targets := map[string]string{"sqlite": ""}
	for source, env := range map[string]string{"postgres": "CALLDASH_POSTGRES_DSN", "mysql": "CALLDASH_MYSQL_DSN", "clickhouse": "CALLDASH_CLICKHOUSE_DSN"} {
		if dsn := os.Getenv(env); dsn != "" {
			targets[source] = dsn
		} else {
			t.Logf("-source %s not tested: set %s", source, env)
		}
	}
	return targets
}

func runOnce(args ...string) string {
	var stdout, stderr bytes.Buffer
	code := run(context.Background(), args, &stdout, &stderr)
	return fmt.Sprintf("exit %d\n--- stdout\n%s--- stderr\n%s", code, stdout.String(), stderr.String())
}

// TestSQLSourcesMatchMemory checks that every SQL source prints what the
// memory source prints.
func TestSQLSourcesMatchMemory(t *testing.T) {
	for source, dsn := range sqlTargets(t) {
		for _, args := range sqlRuns {
			t.Run(source+" "+strings.Join(args, " "), func(t *testing.T) {
				want := runOnce(args...)
				sqlArgs := append(append([]string{}, args...), "-source", source)
				if dsn != "" {
					sqlArgs = append(sqlArgs, "-dsn", dsn)
				}
				if diff := cmp.Diff(want, runOnce(sqlArgs...)); diff != "" {
					t.Errorf("-source %s differs from memory (-memory +%s):\n%s", source, source, diff)
				}
			})
		}
	}
}

// TestSQLLeavesDatabaseAsFound checks that a run leaves no table behind,
// after an answer and after an error. Each database gets a namespace of
// its own — a file, a PostgreSQL schema, a MariaDB database — so that
// other tests creating tables meanwhile cannot disturb the count.
func TestSQLLeavesDatabaseAsFound(t *testing.T) {
	eachIsolated(t, func(t *testing.T, source, dsn string, count func() int) {
		before := count()
		for _, args := range [][]string{
			{"-now", "2025-11-28T18:00:00Z"},
			{"-widget", "testdata/invalid.json", "-now", "2025-11-28T18:00:00Z"},
			{"-widget", "testdata/no-such-widget.json"},
		} {
			out := runOnce(append(args, "-source", source, "-dsn", dsn)...)
			if !strings.HasPrefix(out, "exit 0") && !strings.HasPrefix(out, "exit 2") {
				t.Errorf("%s:\n%s", strings.Join(args, " "), out)
			}
			if after := count(); after != before {
				t.Errorf("%s: %d tables before, %d after:\n%s", strings.Join(args, " "), before, after, out)
			}
		}
	})
}

// TestSQLInterrupted: a preview cut short — by -timeout, or by a
// cancelled context as SIGINT and SIGTERM give it — at any point of
// creating, loading or answering exits 3 (or 0 when it finished first)
// and leaves the database as it found it.
func TestSQLInterrupted(t *testing.T) {
	eachIsolated(t, func(t *testing.T, source, dsn string, count func() int) {
		before := count()
		args := []string{"-now", "2025-11-28T18:00:00Z", "-source", source, "-dsn", dsn}
		for _, after := range []time.Duration{time.Nanosecond, 5 * time.Millisecond, 50 * time.Millisecond, 300 * time.Millisecond} {
			out := runOnce(append(args, "-timeout", after.String())...)
			if !strings.HasPrefix(out, "exit 3") && !strings.HasPrefix(out, "exit 0") ||
				strings.HasPrefix(out, "exit 3") && !strings.Contains(out, context.DeadlineExceeded.Error()) {
				t.Errorf("-timeout %s:\n%s", after, out)
			}
			ctx, cancel := context.WithCancel(context.Background())
			time.AfterFunc(after, cancel) // what SIGINT does in main
			var stdout, stderr bytes.Buffer
			if code := run(ctx, args, &stdout, &stderr); code != 3 && code != 0 {
				t.Errorf("cancelled after %s: exit %d\n%s", after, code, stderr.String())
			}
			cancel()
			if n := count(); n != before {
				t.Errorf("interrupted after %s: %d tables before, %d after", after, before, n)
			}
		}
	})
}

// eachIsolated runs f for every SQL source, over a fresh namespace of its
// database (a SQLite file for sqlite), with a count of its tables.
func eachIsolated(t *testing.T, f func(t *testing.T, source, dsn string, count func() int)) {
	targets := sqlTargets(t)
	targets["sqlite"] = filepath.Join(t.TempDir(), "calls.db")
	for source, dsn := range targets {
		t.Run(source, func(t *testing.T) {
			dsn, db, countQuery := isolate(t, source, dsn)
			f(t, source, dsn, func() int {
				var n int
				if err := db.QueryRow(countQuery).Scan(&n); err != nil {
					t.Fatal(err)
				}
				return n
			})
		})
	}
}

// isolate returns a DSN for a fresh namespace of the database behind dsn,
// a connection to it, and a query counting its tables; the namespace is
// removed when t ends.
func isolate(t *testing.T, source, dsn string) (string, *sql.DB, string) {
	t.Helper()
	name := fmt.Sprintf("preview_test_%d", time.Now().UnixNano())
	open := func(driver, dsn string) *sql.DB {
		db, err := sql.Open(driver, dsn)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
		return db
	}
	exec := func(db *sql.DB, query string) {
		if _, err := db.Exec(query); err != nil {
			t.Fatalf("%s: %v", query, err)
		}
	}
	// check makes sure that a session on the new DSN works in the new
	// namespace, so that the table count looks where the tables go.
	check := func(driver, dsn, query string) {
		var got string
		if err := open(driver, dsn).QueryRow(query).Scan(&got); err != nil || got != name {
			t.Fatalf("%s on the isolated DSN: %q, %v; want %q", query, got, err, name)
		}
	}
	switch source {
	case "postgres":
		admin := open("pgx", dsn)
		exec(admin, "CREATE SCHEMA "+name)
		t.Cleanup(func() { admin.Exec("DROP SCHEMA " + name + " CASCADE") })
		u, err := url.Parse(dsn)
		if err != nil {
			t.Fatal(err)
		}
		q := u.Query()
		q.Set("search_path", name) // a run-time parameter of the session
		u.RawQuery = q.Encode()
		check("pgx", u.String(), "SELECT current_schema()")
		return u.String(), admin, "SELECT count(*) FROM information_schema.tables WHERE table_schema = '" + name + "'"
	case "mysql":
		admin := open("mysql", dsn)
		exec(admin, "CREATE DATABASE "+name)
		t.Cleanup(func() { admin.Exec("DROP DATABASE " + name) })
		cfg, err := mysql.ParseDSN(dsn)
		if err != nil {
			t.Fatal(err)
		}
		cfg.DBName = name
		check("mysql", cfg.FormatDSN(), "SELECT database()")
		return cfg.FormatDSN(), admin, "SELECT count(*) FROM information_schema.tables WHERE table_schema = '" + name + "'"
	case "clickhouse":
		admin := open("clickhouse", dsn)
		exec(admin, "CREATE DATABASE "+name)
		t.Cleanup(func() { admin.Exec("DROP DATABASE " + name) })
		u, err := url.Parse(dsn)
		if err != nil {
			t.Fatal(err)
		}
		u.Path = "/" + name
		check("clickhouse", u.String(), "SELECT currentDatabase()")
		return u.String(), admin, "SELECT count() FROM system.tables WHERE database = '" + name + "'"
	}
	return dsn, open("sqlite", dsn), "SELECT count(*) FROM sqlite_master"
}

// TestLayout answers over the existing tables of a layout (a SQLite file
// holding the sample calls for two tenants): the same output as memory
// over the first tenant's calls, and the tables untouched.
func TestLayout(t *testing.T) {
	file := filepath.Join(t.TempDir(), "user.db")
	db, err := sql.Open("sqlite", file)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	doc, err := os.ReadFile("testdata/layout.json")
	if err != nil {
		t.Fatal(err)
	}
	l, err := sqlgen.ParseLayout(doc)
	if err != nil {
		t.Fatal(err)
	}
	f, err := os.Open("../../testdata/calls/sample.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	calls, err := calldash.DecodeCalls(f)
	f.Close()
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	acme, _ := l.Scoped(map[string]any{"tenant": "acme"})
	other, _ := l.Scoped(map[string]any{"tenant": "umbrella"})
	if err := sqlstore.CreateLayout(ctx, db, dialect.SQLite, acme); err != nil {
		t.Fatal(err)
	}
	if err := sqlstore.LoadLayout(ctx, db, dialect.SQLite, acme, slices.Values(calls)); err != nil {
		t.Fatal(err)
	}
	moved := slices.Clone(calls)
	for i := range moved {
		moved[i].ID += 1 << 40
		moved[i].MetricEvaluations = nil
	}
	if err := sqlstore.LoadLayout(ctx, db, dialect.SQLite, other, slices.Values(moved)); err != nil {
		t.Fatal(err)
	}
	count := func() string {
		var a, b int
		db.QueryRow(`SELECT (SELECT COUNT(*) FROM calls), (SELECT COUNT(*) FROM evals)`).Scan(&a, &b)
		return fmt.Sprint(a, b)
	}
	before := count()
	for _, w := range []string{"testdata/week.json", "testdata/invalid.json"} {
		base := []string{"-widget", w, "-now", "2025-11-28T18:00:00Z", "-tz", "America/New_York"}
		want := runOnce(append(base, "-calls", "../../testdata/calls/sample.jsonl")...)
		got := runOnce(append(base, "-source", "sqlite", "-dsn", file, "-layout", "testdata/layout.json", "-scope", "tenant=acme")...)
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("%s: -layout differs from memory (-memory +layout):\n%s", w, diff)
		}
	}
	if after := count(); after != before {
		t.Errorf("rows before %s, after %s", before, after)
	}
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"-layout", "testdata/layout.json", "-source", "sqlite", "-dsn", file}, `$.scope.tenant: no value for scope column "tenant"`},
		{[]string{"-layout", "testdata/layout.json", "-source", "sqlite", "-dsn", file, "-scope", "tenant=acme", "-scope", "x=1"}, `$.scope.x: "x" is no scope column`},
		{[]string{"-layout", "testdata/bad_layout.json", "-source", "sqlite"}, `$.calls.columns.timestmp: unknown field "timestmp"`},
		{[]string{"-layout", "testdata/layout.json"}, "-layout needs an SQL -source"},
		{[]string{"-layout", "testdata/layout.json", "-source", "sqlite", "-calls", "../../testdata/calls/sample.jsonl"}, "it takes no -calls"},
		{[]string{"-scope", "tenant=acme"}, "-scope needs -layout"},
	} {
		out := runOnce(c.args...)
		if !strings.HasPrefix(out, "exit 2") || !strings.Contains(out, c.want) {
			t.Errorf("%s:\n%s\nwant exit 2 and %q", strings.Join(c.args, " "), out, c.want)
		}
	}
}

// TestExitCodes checks that an error is classified by its kind, not by the
// path that returned it: input mistakes exit 2 even when they reach run
// without a usageError around them.
func TestExitCodes(t *testing.T) {
	invalid := &calldash.Error{Path: "$.field", Kind: calldash.ErrUnknownField, Msg: "unknown field"}
	tests := []struct {
		name string
		err  error
		want int
	}{
		{"bare error", invalid, 2},
		{"wrapped error", fmt.Errorf("preview: %w", invalid), 2},
		{"error list", calldash.ErrorList{invalid, invalid}, 2},
		{"usage", usageError{fmt.Errorf("-now: bad")}, 2},
		{"timeout", fmt.Errorf("query: %w", context.DeadlineExceeded), 3},
		{"interrupted", context.Canceled, 3},
		{"system", fmt.Errorf("connection refused"), 1},
	}
	for _, tt := range tests {
		var stderr bytes.Buffer
		if got := report(tt.err, &stderr); got != tt.want {
			t.Errorf("%s: exit %d, want %d", tt.name, got, tt.want)
		}
		if stderr.Len() == 0 {
			t.Errorf("%s: nothing on stderr", tt.name)
		}
	}
}

// TestWidgetCheckedFirst: a widget that cannot be answered is refused
// before the calls are read — here a -calls file whose first line is not
// JSON, which would otherwise be the error — on every source.
func TestWidgetCheckedFirst(t *testing.T) {
	dir := t.TempDir()
	widgetFile, callsFile := filepath.Join(dir, "w.json"), filepath.Join(dir, "calls.jsonl")
	if err := os.WriteFile(widgetFile, []byte(`{"chart_type":"bar","field":"duration","time_period":"day"}`), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(callsFile, []byte("not JSON\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, source := range []string{"memory", "sqlite"} {
		var stdout, stderr bytes.Buffer
		code := run(context.Background(), []string{"-source", source, "-widget", widgetFile, "-calls", callsFile}, &stdout, &stderr)
		if code != 2 || !strings.Contains(stderr.String(), "Timestamp filter is required") || strings.Contains(stderr.String(), "calls.jsonl") {
			t.Errorf("%s: exit %d, stderr %q; want 2 and the widget's error", source, code, stderr.String())
		}
	}
}
