package dbtest_test

import (
	"context"
	"database/sql"
	"errors"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/calldash/calldash/widget/widgettest"

	"github.com/shopspring/decimal"

	"github.com/calldash/calldash"
	"github.com/calldash/calldash/dialect"
	"github.com/calldash/calldash/examples/internal/sqltest"
	"github.com/calldash/calldash/sample"
	"github.com/calldash/calldash/sqlstore"
)

// TestLoad loads the sample into every available database and reads it
// back: row counts, exact numbers, instants, evaluation value columns.
func TestLoad(t *testing.T) {
	calls := widgettest.LoadSample(t, filepath.Join("../..", filepath.FromSlash(sample.File)))
	var evals, numbers, bools, texts int64
	agents, metrics := map[int64]bool{}, map[int64]bool{}
	for _, c := range calls {
		if !c.AgentID.IsNull() {
			agents[c.AgentID.Num.IntPart()] = true
		}
		for _, ev := range c.MetricEvaluations {
			evals++
			metrics[ev.MetricID] = true
			switch ev.Value.Kind {
			case calldash.KindNumber:
				numbers++
			case calldash.KindBool:
				bools++
			case calldash.KindString:
				texts++
			}
		}
	}
	for _, name := range sqltest.Names {
		t.Run(name, func(t *testing.T) {
			db, d, prefix := sqltest.Open(t, name, calls)
			table := func(s string) string { return d.Quote(prefix + s) }
			for _, c := range []struct {
				query string
				want  int64
			}{
				{"SELECT count(*) FROM " + table("call_logs"), int64(len(calls))},
				{"SELECT count(*) FROM " + table("agents"), int64(len(agents))},
				{"SELECT count(*) FROM " + table("metrics"), int64(len(metrics))},
				{"SELECT count(*) FROM " + table("metric_evaluations"), evals},
				{"SELECT count(*) FROM " + table("metric_evaluations") + " WHERE value_number IS NOT NULL", numbers},
				{"SELECT count(*) FROM " + table("metric_evaluations") + " WHERE value_bool IS NOT NULL", bools},
				{"SELECT count(*) FROM " + table("metric_evaluations") + " WHERE value_text IS NOT NULL", texts},
			} {
				if got := count(t, db, d, c.query); got != c.want {
					t.Errorf("%s = %d, want %d", c.query, got, c.want)
				}
			}
			// Every call's instant and duration compare equal to the
			// bound values: nothing was rounded.
			q := "SELECT count(*) FROM " + table("call_logs") + " WHERE id = ? AND " + d.Quote("timestamp") + " = ? AND " +
				"(duration IS NULL OR " + d.CompareNumber("duration", "=") + ")"
			for _, c := range calls {
				num := decimal.Zero
				if c.Duration.Kind == calldash.KindNumber {
					num = c.Duration.Num
				}
				if got := count(t, db, d, q, c.ID, d.TimeArg(c.Timestamp), d.NumberArg(num)); got != 1 {
					t.Fatalf("call %d at %s, duration %s: not found as loaded", c.ID, c.Timestamp.Format(time.RFC3339Nano), c.Duration.AppendJSON(nil))
				}
			}
		})
	}
}

// TestLoadRefuses checks what Load refuses, per dialect, and that a
// refusal loads nothing.
func TestLoadRefuses(t *testing.T) {
	at := time.Date(2025, 11, 3, 10, 30, 0, 0, time.UTC)
	call := func(id int64, edit func(*calldash.Call)) calldash.Call {
		c := calldash.Call{ID: id, Timestamp: at, Duration: calldash.Int(1)}
		if edit != nil {
			edit(&c)
		}
		return c
	}
	num := func(s string) calldash.Value { return calldash.Number(decimal.RequireFromString(s)) }
	eval := func(id, metric int64, name, typ string, v calldash.Value) calldash.Evaluation {
		return calldash.Evaluation{ID: id, MetricID: metric, MetricName: calldash.String(name), EvalType: typ, Value: v}
	}
	tests := []struct {
		name    string
		calls   []calldash.Call
		refused []string // dialects that refuse, each named in the error
		want    string   // part of every error
	}{
		{"nanoseconds", []calldash.Call{call(1, func(c *calldash.Call) { c.Timestamp = at.Add(1) })},
			[]string{"postgres", "mysql"}, "call 1: %s: timestamps keep 1µs; cannot hold 2025-11-03T10:30:00.000000001Z exactly"},
		{"microseconds", []calldash.Call{call(1, func(c *calldash.Call) { c.Timestamp = at.Add(time.Microsecond) })}, nil, ""},
		{"after 2262", []calldash.Call{call(2, func(c *calldash.Call) { c.Timestamp = time.Date(2300, 1, 1, 0, 0, 0, 0, time.UTC) })},
			[]string{"sqlite"}, "call 2: %s: timestamps hold 1677-09-21T00:12:43.145224192Z to 2262-04-11T23:47:16.854775807Z; cannot hold 2300-01-01T00:00:00Z"},
		{"before 1677", []calldash.Call{call(2, func(c *calldash.Call) { c.Timestamp = time.Date(1600, 1, 1, 0, 0, 0, 0, time.UTC) })},
			[]string{"sqlite"}, "call 2: %s: timestamps hold 1677-09-21T00:12:43.145224192Z to 2262-04-11T23:47:16.854775807Z; cannot hold 1600-01-01T00:00:00Z"},
		{"36 integer digits", []calldash.Call{call(7, func(c *calldash.Call) { c.Duration = num("1e35") })},
			[]string{"mysql"}, "call 7: duration: number 100000000000000000000000000000000000 does not fit DECIMAL(65,30) (35 integer and 30 fractional digits): not supported on %s"},
		{"35 integer and 30 fractional digits", []calldash.Call{call(7, func(c *calldash.Call) {
			c.Duration = num("99999999999999999999999999999999999.999999999999999999999999999999")
		})}, nil, ""},
		{"31 fractional digits", []calldash.Call{call(8, func(c *calldash.Call) {
			c.MetricEvaluations = []calldash.Evaluation{eval(1, 12, "accuracy", calldash.EvalNumeric, num("0.0000000000000000000000000000001"))}
		})}, []string{"mysql"}, "call 8: metric_evaluations[0].value: number 0.0000000000000000000000000000001 does not fit DECIMAL(65,30) (35 integer and 30 fractional digits): not supported on %s"},
		{"trailing zeros do not count", []calldash.Call{call(8, func(c *calldash.Call) { c.Duration = num("1.0000000000000000000000000000000000") })}, nil, ""},
		{"metadata number", []calldash.Call{call(9, func(c *calldash.Call) { c.Metadata = map[string]calldash.Value{"big": num("-1e40")} })},
			[]string{"mysql"}, "call 9: metadata.big: number -1000000000000000000…0000000000 does not fit"},
		{"NUL", []calldash.Call{call(3, func(c *calldash.Call) { c.Topic = calldash.String("a\x00b") })},
			[]string{"postgres"}, "call 3: %s: text cannot hold the NUL character"},
		{"two agent names", []calldash.Call{
			call(1, func(c *calldash.Call) { c.AgentID, c.AgentName = calldash.Int(5), calldash.String("A") }),
			call(2, func(c *calldash.Call) { c.AgentID, c.AgentName = calldash.Int(5), calldash.String("a") }),
		}, []string{"sqlite", "postgres", "mysql"}, `call 2: agent 5 is named "a" here and "A" in call 1`},
		{"agent name and no name", []calldash.Call{
			call(1, func(c *calldash.Call) { c.AgentID, c.AgentName = calldash.Int(5), calldash.Null }),
			call(2, func(c *calldash.Call) { c.AgentID, c.AgentName = calldash.Int(5), calldash.String("a") }),
		}, []string{"sqlite", "postgres", "mysql"}, `call 2: agent 5 is named "a" here and null in call 1`},
		{"agent name without id", []calldash.Call{call(4, func(c *calldash.Call) { c.AgentName = calldash.String("x") })},
			[]string{"sqlite", "postgres", "mysql"}, `call 4: agent.agent_name "x" without an agent id`},
		{"two metric eval types", []calldash.Call{
			call(1, func(c *calldash.Call) {
				c.MetricEvaluations = []calldash.Evaluation{eval(1, 12, "accuracy", calldash.EvalNumeric, calldash.Null)}
			}),
			call(2, func(c *calldash.Call) {
				c.MetricEvaluations = []calldash.Evaluation{eval(2, 12, "accuracy", calldash.EvalEnum, calldash.Null)}
			}),
		}, []string{"sqlite", "postgres", "mysql"}, "call 2: metric_evaluations[0]: metric 12 is"},
		{"call id repeats", []calldash.Call{call(1, nil), call(1, nil)}, []string{"sqlite", "postgres", "mysql"}, "call 1: the id repeats"},
		{"evaluation id repeats", []calldash.Call{
			call(1, func(c *calldash.Call) {
				c.MetricEvaluations = []calldash.Evaluation{eval(1, 12, "accuracy", calldash.EvalNumeric, calldash.Null)}
			}),
			call(2, func(c *calldash.Call) {
				c.MetricEvaluations = []calldash.Evaluation{eval(1, 12, "accuracy", calldash.EvalNumeric, calldash.Null)}
			}),
		}, []string{"sqlite", "postgres", "mysql"}, "call 2: metric_evaluations[0]: evaluation id 1 repeats (first in call 1)"},
		{"wrong kind", []calldash.Call{call(5, func(c *calldash.Call) { c.Success = calldash.String("yes") })},
			[]string{"sqlite", "postgres", "mysql"}, "call 5: success: got a string, want a boolean or null"},
		{"value of the wrong eval type", []calldash.Call{call(6, func(c *calldash.Call) {
			c.MetricEvaluations = []calldash.Evaluation{eval(1, 15, "resolved", calldash.EvalBinary, calldash.Int(1))}
		})}, []string{"sqlite", "postgres", "mysql"}, "call 6: metric_evaluations[0].value: got a number, want a boolean or null"},
	}
	for _, name := range sqltest.Names {
		t.Run(name, func(t *testing.T) {
			db, d := sqltest.Connect(t, name)
			for _, tt := range tests {
				prefix := sqltest.Load(t, db, d, nil)
				err := sqlstore.Load(context.Background(), db, d, prefix, slices.Values(tt.calls))
				refused := slices.Contains(tt.refused, name)
				switch {
				case refused && err == nil:
					t.Errorf("%s: loaded, want an error", tt.name)
				case refused && !errors.Is(err, sqlstore.ErrRefused):
					t.Errorf("%s: error %v is not of kind ErrRefused", tt.name, err)
				case refused && !strings.Contains(err.Error(), strings.ReplaceAll(tt.want, "%s", name)):
					t.Errorf("%s: error %q lacks %q", tt.name, err, strings.ReplaceAll(tt.want, "%s", name))
				case !refused && err != nil:
					t.Errorf("%s: %v", tt.name, err)
				}
				n := count(t, db, d, "SELECT count(*) FROM "+d.Quote(prefix+"call_logs"))
				if want := int64(len(tt.calls)); refused && n != 0 || !refused && n != want {
					t.Errorf("%s: %d calls loaded", tt.name, n)
				}
			}
		})
	}
}

// TestDropTwice checks that Drop leaves nothing and may be repeated.
func TestDropTwice(t *testing.T) {
	db, d := sqltest.Connect(t, "sqlite")
	ctx := context.Background()
	prefix := sqlstore.NewPrefix()
	if err := sqlstore.Create(ctx, db, d, prefix); err != nil {
		t.Fatal(err)
	}
	for range 2 {
		if err := sqlstore.Drop(ctx, db, d, prefix); err != nil {
			t.Fatal(err)
		}
	}
	if n := count(t, db, d, "SELECT count(*) FROM sqlite_master"); n != 0 {
		t.Errorf("%d schema objects left", n)
	}
}

func count(t *testing.T, db *sql.DB, d dialect.Dialect, query string, args ...any) int64 {
	t.Helper()
	var n int64
	query, err := d.Placeholder().ReplacePlaceholders(query)
	if err != nil {
		t.Fatal(err)
	}
	if err := db.QueryRow(query, args...).Scan(&n); err != nil {
		t.Fatalf("%s: %v", query, err)
	}
	return n
}

// TestSweep: Sweep drops the scratch tables whose prefix was made before
// the given instant (here a prefix of 1970, as a killed process of long
// ago would have left), and nothing newer or of another name.
func TestSweep(t *testing.T) {
	for _, name := range append(slices.Clone(sqltest.Names), "clickhouse") {
		t.Run(name, func(t *testing.T) {
			db, d := sqltest.ConnectAny(t, name)
			ctx := context.Background()
			fresh := sqlstore.NewPrefix()
			old := "cdt00000e10" + fresh[11:] // 1970-01-01T01:00:00Z
			for _, p := range []string{old, fresh} {
				if err := sqlstore.Create(ctx, db, d, p); err != nil {
					t.Fatal(err)
				}
				t.Cleanup(func() { sqlstore.Drop(context.Background(), db, d, p) })
			}
			got, err := sqlstore.Sweep(ctx, db, d, time.Unix(7200, 0))
			if err != nil || !slices.Equal(got, []string{old}) {
				t.Fatalf("Sweep = %q, %v; want [%s]", got, err, old)
			}
			rows, err := db.Query(d.(dialect.Cataloger).TablesQuery())
			if err != nil {
				t.Fatal(err)
			}
			defer rows.Close()
			left := map[string]int{}
			for rows.Next() {
				var table string
				if err := rows.Scan(&table); err != nil {
					t.Fatal(err)
				}
				for _, p := range []string{old, fresh} {
					if strings.HasPrefix(table, p) {
						left[p]++
					}
				}
			}
			if left[old] != 0 || left[fresh] == 0 {
				t.Errorf("tables left: %v; want none of %s and all of %s", left, old, fresh)
			}
		})
	}
}
