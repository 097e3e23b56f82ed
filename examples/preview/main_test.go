package main

import (
	"bytes"
	"context"
	"database/sql"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
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
			golden := filepath.Join("testdata", tt.name+".golden")
			if *update {
				if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run go test ./examples/preview -update)", err)
			}
			if diff := cmp.Diff(string(want), got); diff != "" {
				t.Errorf("%s (-want +got):\n%s", tt.name, diff)
			}
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
// always, PostgreSQL and MariaDB when their variables are set.
func sqlTargets(t *testing.T) map[string]string {
	targets := map[string]string{"sqlite": ""}
	for source, env := range map[string]string{"postgres": "CALLDASH_POSTGRES_DSN", "mysql": "CALLDASH_MYSQL_DSN"} {
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
// after an answer and after an error.
func TestSQLLeavesDatabaseAsFound(t *testing.T) {
	file := filepath.Join(t.TempDir(), "calls.db")
	targets := sqlTargets(t)
	targets["sqlite"] = file
	drivers := map[string]string{"sqlite": "sqlite", "postgres": "pgx", "mysql": "mysql"}
	tablesQuery := map[string]string{
		"sqlite":   "SELECT count(*) FROM sqlite_master",
		"postgres": "SELECT count(*) FROM information_schema.tables WHERE table_schema = current_schema()",
		"mysql":    "SELECT count(*) FROM information_schema.tables WHERE table_schema = database()",
	}
	for source, dsn := range targets {
		t.Run(source, func(t *testing.T) {
			db, err := sql.Open(drivers[source], dsn)
			if err != nil {
				t.Fatal(err)
			}
			defer db.Close()
			count := func() int {
				var n int
				if err := db.QueryRow(tablesQuery[source]).Scan(&n); err != nil {
					t.Fatal(err)
				}
				return n
			}
			before := count()
			for _, args := range [][]string{
				{"-now", "2025-11-28T18:00:00Z"},
				{"-widget", "testdata/invalid.json", "-now", "2025-11-28T18:00:00Z"},
				{"-widget", "testdata/no-such-widget.json"},
			} {
				out := runOnce(append(args, "-source", source, "-dsn", dsn)...)
				if after := count(); after != before {
					t.Errorf("%s: %d tables before, %d after:\n%s", strings.Join(args, " "), before, after, out)
				}
			}
		})
	}
}
