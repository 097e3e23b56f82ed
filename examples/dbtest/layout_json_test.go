package dbtest_test

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/calldash/calldash"
	"github.com/calldash/calldash/dialect"
	"github.com/calldash/calldash/examples/internal/sqltest"
	"github.com/calldash/calldash/filter"
	"github.com/calldash/calldash/sqlgen"
	"github.com/calldash/calldash/sqlstore"
	"github.com/calldash/calldash/widget"
)

// jsonSpellings are the metadata and evaluation values of TestLayoutJSONNumbers,
// as a user's JSON may spell them: 5 three ways, 10.27 three ways, a
// string "5", a negative zero and an exponent.
var jsonSpellings = []string{`5`, `5.0`, `5e0`, `10.270`, `10.27`, `1.027e1`, `"5"`, `-0.0`, `2E+2`}

// TestLayoutJSONNumbers: numbers of a user's JSON (metadata and a JSON
// evaluation value) are compared and labelled by value on every
// database, as in memory: 5, 5.0 and 5e0 are one slice "5".
func TestLayoutJSONNumbers(t *testing.T) {
	at := time.Date(2025, 11, 27, 12, 0, 0, 0, time.UTC)
	var jsonl strings.Builder
	evalValue := func(v string) string {
		if strings.HasPrefix(v, `"`) { // a numeric metric holds numbers
			return "50.00"
		}
		return v
	}
	for i, v := range jsonSpellings {
		fmt.Fprintf(&jsonl, `{"id": %d, "timestamp": %q, "metadata": {"x": %s}, "metric_evaluations": [{"id": %d, "metric": {"id": 1, "name": "score", "eval_type": "numeric"}, "value": %s}]}`+"\n",
			i+1, at.Add(time.Duration(i)*time.Hour).Format(time.RFC3339), v, 100+i, evalValue(v))
	}
	calls, err := calldash.DecodeCalls(strings.NewReader(jsonl.String()))
	if err != nil {
		t.Fatal(err)
	}
	widgets := []string{
		`{"chart_type": "pie", "field": "metadata.x"}`,
		`{"chart_type": "bar", "field": "duration", "time_period": "day", "group_by": {"type": "field", "field": "metadata.x"}}`,
		`{"chart_type": "pie", "field": "metric_evaluations.value", "metric": 1}`,
		`{"chart_type": "bar", "field": "metric_evaluations.value", "metric": 1, "aggregation_function": "sum", "time_period": "day"}`,
		`{"chart_type": "line", "field": "metric_evaluations.value", "metric": 1}`,
		`{"chart_type": "stat", "filters": {"operator": "and", "conditions": [{"field": "metadata.x", "op": "eq", "value": 5}, {"field": "metric_evaluations.value", "op": "lte", "value": 10.27}]}}`,
	}
	opts := []widget.Option{widget.WithNow(at.Add(24 * time.Hour)), widget.WithTimePolicy(filter.TimePolicy{}), widget.WithGapFill(false)}
	for _, tg := range jsonTargets(t) {
		t.Run(tg.name, func(t *testing.T) {
			l, prefix := createJSONLayout(t, tg)
			ctx := context.Background()
			if tg.name == "postgres" {
				// A user's column may be JSON as well as JSONB: these are JSON.
				for _, stmt := range []string{
					`ALTER TABLE "` + prefix + `calls" ALTER COLUMN meta TYPE JSON USING meta::json`,
					`ALTER TABLE "` + prefix + `evals" ALTER COLUMN val TYPE JSON USING val::json`,
				} {
					if _, err := tg.db.ExecContext(ctx, stmt); err != nil {
						t.Fatal(err)
					}
				}
			}
			// The user's own spelling, written as it is (not by the loader).
			var callRows, evalRows [][]any
			for i, v := range jsonSpellings {
				callRows = append(callRows, []any{int64(i + 1), tg.d.TimeArg(calls[i].Timestamp), nil, `{"x":` + v + `}`})
				evalRows = append(evalRows, []any{int64(100 + i), int64(i + 1), int64(1), "score", "numeric", evalValue(v)})
			}
			insertJSONLayout(t, tg, prefix, callRows, evalRows)
			src := widget.SQL(tg.db, tg.d, widget.WithLayout(l))
			for _, w := range widgets {
				spec, err := widget.Decode([]byte(w))
				if err != nil {
					t.Fatal(err)
				}
				want := answerText(widget.Preview(ctx, spec, widget.Calls(calls), opts...))
				if strings.Contains(w, `"pie", "field": "metadata.x"`) && !strings.Contains(want, `{"label":"5","value":4,`) {
					t.Fatalf("memory's pie does not merge the spellings of 5; the test cannot tell: %s", want)
				}
				if got := answerText(widget.Preview(ctx, spec, src, opts...)); got != want {
					t.Errorf("%s:\n got %s\nwant %s", w, got, want)
				}
			}
		})
	}
}

func answerText(r *widget.Response, err error) string {
	if err != nil {
		return "error: " + err.Error()
	}
	return string(r.AppendJSON(nil))
}

// insertRaw inserts rows as they are: one INSERT with VALUES, or on a
// dialect.Batcher (ClickHouse) a prepared INSERT per row in one batch.
func insertRaw(t *testing.T, db *sql.DB, d dialect.Dialect, table string, cols []string, rows [][]any) {
	t.Helper()
	ctx := context.Background()
	if _, ok := d.(dialect.Batcher); ok {
		head, err := sqlgen.Insert(d, table, cols, 0)
		if err != nil {
			t.Fatal(err)
		}
		tx, err := db.BeginTx(ctx, nil)
		if err != nil {
			t.Fatal(err)
		}
		stmt, err := tx.PrepareContext(ctx, head)
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range rows {
			if _, err := stmt.ExecContext(ctx, r...); err != nil {
				t.Fatal(err)
			}
		}
		if err := tx.Commit(); err != nil {
			t.Fatal(err)
		}
		return
	}
	text, err := sqlgen.Insert(d, table, cols, len(rows))
	if err != nil {
		t.Fatal(err)
	}
	var args []any
	for _, r := range rows {
		args = append(args, r...)
	}
	if _, err := db.ExecContext(ctx, text, args...); err != nil {
		t.Fatal(err)
	}
}

// A target is one available database.
type target struct {
	name string
	db   *sql.DB
	d    dialect.Dialect
}

// createJSONLayout creates the tables of a user's layout with JSON
// metadata and JSON evaluation values, under a fresh prefix, dropped
// when t ends.
func createJSONLayout(t *testing.T, tg target) (*sqlgen.Layout, string) {
	t.Helper()
	prefix := sqlstore.NewPrefix()
	l, err := sqlgen.ParseLayout([]byte(`{"calls": {"table": "` + prefix + `calls", "columns": {"id": "id", "timestamp": "ts", "duration": "d", "metadata": "meta"}},
	  "evaluations": {"table": "` + prefix + `evals", "columns": {"id": "id", "call": "call", "metric.id": "metric",
	    "metric.name": "metric_name", "metric.eval_type": "kind", "value": "val"}}}`))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { sqlstore.DropLayout(context.Background(), tg.db, tg.d, l) })
	if err := sqlstore.CreateLayout(context.Background(), tg.db, tg.d, l); err != nil {
		t.Fatal(err)
	}
	return l, prefix
}

// insertJSONLayout writes rows as they are into the tables of
// createJSONLayout: calls (id, ts, d, meta) and evaluations (id, call,
// metric, metric_name, kind, val).
func insertJSONLayout(t *testing.T, tg target, prefix string, calls, evals [][]any) {
	t.Helper()
	insertRaw(t, tg.db, tg.d, prefix+"calls", []string{"id", "ts", "d", "meta"}, calls)
	insertRaw(t, tg.db, tg.d, prefix+"evals", []string{"id", "call", "metric", "metric_name", "kind", "val"}, evals)
}

// jsonTargets returns every available database: SQLite, PostgreSQL and
// MariaDB when their variables are set, and one ClickHouse server of the
// cluster.
func jsonTargets(t *testing.T) []target {
	var targets []target
	for _, name := range sqltest.Names {
		if sqltest.Available(name) {
			db, d := sqltest.Connect(t, name)
			targets = append(targets, target{name, db, d})
		}
	}
	if sqltest.ClickHouseClusterAvailable() {
		targets = append(targets, target{"clickhouse", sqltest.ConnectClickHouse(t), dialect.ClickHouse})
	}
	return targets
}
