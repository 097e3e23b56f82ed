package dbtest_test

import (
	"context"
	"database/sql"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	sq "github.com/Masterminds/squirrel"

	"github.com/google/go-cmp/cmp"
	"github.com/shopspring/decimal"

	"github.com/calldash/calldash"
	"github.com/calldash/calldash/dialect"
	"github.com/calldash/calldash/examples/internal/sqltest"
	"github.com/calldash/calldash/filter"
	"github.com/calldash/calldash/sqlgen"
	"github.com/calldash/calldash/widget/widgettest"
)

// gdEnv is the evaluation of every golden case: 18:00 UTC on 2025-11-28,
// the last day of testdata/calls/sample.jsonl.
var gdEnv = filter.Env{Now: time.Date(2025, 11, 28, 18, 0, 0, 0, time.UTC), Location: time.UTC}

// gdInputs returns the paths of every testdata/filter/*.json, sorted.
func gdInputs(t testing.TB) []string {
	t.Helper()
	paths, err := filepath.Glob("../../testdata/filter/*.json")
	if err != nil {
		t.Fatal(err)
	}
	if len(paths) == 0 {
		t.Fatal("no inputs in ../../testdata/filter")
	}
	sort.Strings(paths)
	return paths
}

// mustCheck checks a filter built in Go against the call-log schema.
func mustCheck(t testing.TB, n filter.Node) *filter.Checked {
	t.Helper()
	c, err := filter.Check(n, nil)
	if err != nil {
		t.Fatalf("Check(%s): %v", filter.Format(n), err)
	}
	return c
}

// sqlText returns the statement text (placeholders of d) and the
// arguments of cond.
func sqlText(t testing.TB, cond sq.Sqlizer, d dialect.Dialect) (string, []any) {
	t.Helper()
	text, args, err := cond.ToSql()
	if err != nil {
		t.Fatal(err)
	}
	text, err = d.Placeholder().ReplacePlaceholders(text)
	if err != nil {
		t.Fatal(err)
	}
	return text, args
}

// selectIDs runs the filter's condition over the loaded tables and returns
// the ids of the selected calls, in order. A dialect.TableReader (ClickHouse
// 18.16, whose Distributed tables lose their alias when joined with ON)
// reads call_logs through its table expression.
func selectIDs(t testing.TB, db *sql.DB, d dialect.Dialect, prefix string, cond sq.Sqlizer) []int64 {
	t.Helper()
	calls := d.Quote(prefix + "call_logs")
	if tr, ok := d.(dialect.TableReader); ok {
		calls = tr.ReadTable(calls)
	}
	q := sq.Select("c" + "." + d.Quote("id")).
		From(calls + " AS " + "c").
		LeftJoin(d.Quote(prefix+"agents") + " AS " + "a" + " ON " +
			"a" + "." + d.Quote("id") + " = " + "c" + "." + d.Quote("agent_id")).
		Where(cond).
		OrderBy("c" + "." + d.Quote("id")).
		PlaceholderFormat(d.Placeholder())
	text, args, err := q.ToSql()
	if err != nil {
		t.Fatal(err)
	}
	rows, err := db.QueryContext(context.Background(), text, args...)
	if err != nil {
		t.Fatalf("%v\n%s\n%v", err, text, args)
	}
	defer rows.Close()
	ids := []int64{}
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, id)
	}
	if err := rows.Err(); err != nil {
		t.Fatalf("%v\n%s", err, text)
	}
	return ids
}

// memoryIDs returns the ids of the calls that the matcher of n selects.
func memoryIDs(t testing.TB, n *filter.Checked, calls []calldash.Call, env filter.Env) []int64 {
	t.Helper()
	m, err := filter.Compile(n, env)
	if err != nil {
		t.Fatal(err)
	}
	ids := []int64{}
	for i := range calls {
		if m.Match(&calls[i]) {
			ids = append(ids, calls[i].ID)
		}
	}
	slices.Sort(ids)
	return ids
}

// TestSQLAgreement runs every valid testdata/filter/*.json as SQL over
// the sample calls in each database and compares the selected ids with
// the in-memory matcher's. A filter that a dialect refuses with
// ErrDialect is reported in the log, never a different answer.
func TestSQLAgreement(t *testing.T) {
	calls := widgettest.LoadSample(t, "../../testdata/calls/sample.jsonl")
	type input struct {
		name string
		n    *filter.Checked
	}
	var inputs []input
	for _, path := range gdInputs(t) {
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		n, err := filter.Validate(data, nil)
		if err != nil {
			continue
		}
		inputs = append(inputs, input{strings.TrimSuffix(filepath.Base(path), ".json"), n})
	}
	for _, name := range sqltest.Names {
		t.Run(name, func(t *testing.T) {
			db, d, prefix := sqltest.Open(t, name, calls)
			refused := 0
			for _, in := range inputs {
				cond, err := sqlgen.Where(in.n, d, sqlgen.DefaultLayout(prefix), gdEnv)
				if errors.Is(err, calldash.ErrDialect) {
					refused++
					t.Logf("%s: refused: %v", in.name, err)
					continue
				}
				if err != nil {
					t.Errorf("%s: %v", in.name, err)
					continue
				}
				want := memoryIDs(t, in.n, calls, gdEnv)
				got := selectIDs(t, db, d, prefix, cond)
				if diff := cmp.Diff(want, got); diff != "" {
					text, args := sqlText(t, cond, d)
					t.Errorf("%s: ids (-memory +sql):\n%s\n%s\n%v", in.name, diff, text, args)
				}
			}
			t.Logf("%d filters, %d refused by the dialect", len(inputs), refused)
		})
	}
}

// TestSQLInjection puts hostile metadata keys and values into calls and
// filters: the SQL text never contains them (they are arguments) and the
// selected ids equal memory's. PostgreSQL cannot store NUL in text, so
// values with NUL are left out there.
func TestSQLInjection(t *testing.T) {
	for _, name := range sqltest.Names {
		t.Run(name, func(t *testing.T) {
			usable := func(s string) bool { return name != "postgres" || !strings.Contains(s, "\x00") }
			var calls []calldash.Call
			base := time.Date(2025, 11, 20, 0, 0, 0, 0, time.UTC)
			id := int64(1)
			for _, k := range hostile {
				for _, v := range hostile {
					if !usable(k) || !usable(v) {
						continue
					}
					calls = append(calls, calldash.Call{ID: id, Timestamp: base.Add(time.Duration(id) * time.Minute),
						Metadata: map[string]calldash.Value{k: calldash.String(v), "n": calldash.String(v)},
						Topic:    calldash.String(v)})
					id++
				}
			}
			db, d, prefix := sqltest.Open(t, name, calls)
			for _, k := range hostile {
				if strings.Contains(k, ".") || !usable(k) {
					continue
				}
				for _, v := range hostile {
					if !usable(v) {
						continue
					}
					for _, op := range []string{"eq", "neq", "contains", "startswith", "endswith", "gt", "in"} {
						value := calldash.String(v)
						if op == "in" {
							value = calldash.Value{Kind: calldash.KindList, List: []calldash.Value{calldash.String(v), calldash.Int(3)}}
						}
						for _, field := range []string{"metadata." + k, "topic"} {
							if (op == "gt" || op == "in") && field == "topic" {
								continue
							}
							n := &filter.Condition{Field: field, Op: mustOp(t, op), Value: value, At: "$"}
							cond, err := sqlgen.Where(mustCheck(t, n), d, sqlgen.DefaultLayout(prefix), gdEnv)
							if name == "mysql" && strings.HasPrefix(k, "-") && field != "topic" {
								if !errors.Is(err, calldash.ErrDialect) {
									t.Errorf("%s: want an ErrDialect error, got %v", n, err)
								}
								continue
							}
							if err != nil {
								t.Fatalf("%s: %v", n, err)
							}
							text, args := sqlText(t, cond, d)
							for _, h := range []string{k, v} {
								if h != "?" && h != "$1" && strings.Contains(text, h) {
									t.Errorf("%s: SQL text contains %q:\n%s", n, h, text)
								}
							}
							if got := placeholders(d, text); got != len(args) {
								t.Errorf("%s: %d placeholders, %d arguments:\n%s", n, got, len(args), text)
							}
							if op == "eq" && !slices.Contains(args, any(v)) {
								t.Errorf("%s: no argument carries the value %q: %v", n, v, args)
							}
							want := memoryIDs(t, mustCheck(t, n), calls, gdEnv)
							if got := selectIDs(t, db, d, prefix, cond); !slices.Equal(want, got) {
								t.Errorf("%s: memory %v, sql %v\n%s\n%q", n, want, got, text, args)
							}
						}
					}
				}
			}
		})
	}
}

// placeholders counts the placeholders of d in text ($n or ?).
func placeholders(d dialect.Dialect, text string) int {
	if d.Placeholder() == sq.Dollar {
		return strings.Count(text, "$") - strings.Count(text, "'$")
	}
	return strings.Count(text, "?")
}

func mustOp(t testing.TB, name string) filter.Op {
	op, ok := filter.ParseOp(name)
	if !ok {
		t.Fatalf("no operator %q", name)
	}
	return op
}

// TestSQLExactness covers what the sample data does not: numbers beyond
// float precision, sub-microsecond filter instants, case folding outside
// ASCII, and the dialect errors.
func TestSQLExactness(t *testing.T) {
	num := func(s string) calldash.Value { return calldash.Number(decimal.RequireFromString(s)) }
	base := time.Date(2025, 11, 20, 10, 0, 0, 0, time.UTC)
	calls := []calldash.Call{
		{ID: 1, Timestamp: base, Duration: num("12345678901234567890.5"),
			Metadata: map[string]calldash.Value{"x": num("0.1"), "s": calldash.String("Straße ſKIP Kelvin")}},
		{ID: 2, Timestamp: base.Add(time.Microsecond), Duration: num("12345678901234567890.4"),
			Metadata: map[string]calldash.Value{"x": num("0.10000000000000001"), "s": calldash.String("STRASSE skip kelvin")}},
		{ID: 3, Timestamp: base.Add(2 * time.Microsecond), Duration: num("0.1"),
			Metadata: map[string]calldash.Value{"x": num("12345678901234567890.5"), "s": calldash.String("ΣΊΣΥΦΟΣ İstanbul")}},
		{ID: 4, Timestamp: base.Add(3 * time.Microsecond),
			Metadata: map[string]calldash.Value{"x": calldash.String("0.1"), "s": calldash.String("σίσυφος istanbul ǅ")}},
		{ID: 5, Timestamp: base.Add(4 * time.Microsecond), Metadata: map[string]calldash.Value{"s": calldash.String("a\x00b " + longFold)}},
		{ID: 6, Timestamp: base.Add(5 * time.Microsecond), Metadata: map[string]calldash.Value{"s": calldash.String("ab " + strings.ToUpper(longFold) + "!")}},
	}
	leaf := func(field, op string, v calldash.Value) filter.Node {
		return &filter.Condition{Field: field, Op: mustOp(t, op), Value: v, At: "$"}
	}
	at := func(d time.Duration) calldash.Value { return calldash.String(base.Add(d).Format(time.RFC3339Nano)) }
	cases := []filter.Node{
		leaf("duration", "eq", num("12345678901234567890.5")),
		leaf("duration", "gt", num("12345678901234567890.4")),
		leaf("duration", "lt", num("0.10000000000000000001")),
		leaf("metadata.x", "eq", num("0.1")),
		leaf("metadata.x", "eq", num("12345678901234567890.5")),
		leaf("metadata.x", "gt", num("0.1")),
		leaf("metadata.x", "neq", num("0.1")),
		leaf("metadata.x", "eq", calldash.String("0.1")),
		leaf("timestamp", "gte", at(500*time.Nanosecond)),
		leaf("timestamp", "gt", at(500*time.Nanosecond)),
		leaf("timestamp", "lte", at(1500*time.Nanosecond)),
		leaf("timestamp", "lt", at(1500*time.Nanosecond)),
		leaf("timestamp", "eq", at(1500*time.Nanosecond)),
		leaf("timestamp", "neq", at(1500*time.Nanosecond)),
		leaf("timestamp", "eq", at(time.Microsecond)),
		leaf("metadata.s", "contains", calldash.String("strasse")),
		leaf("metadata.s", "contains", calldash.String("STRAẞE")),
		leaf("metadata.s", "contains", calldash.String("skip")),
		leaf("metadata.s", "contains", calldash.String("KELVIN")),
		leaf("metadata.s", "startswith", calldash.String("σίσυφοσ")),
		leaf("metadata.s", "contains", calldash.String("istanbul")),
		leaf("metadata.s", "contains", calldash.String("İSTANBUL")),
		leaf("metadata.s", "endswith", calldash.String("ǆ")),
		// Beyond dialect.MaxNestedReplace orbit members, and with a NUL.
		leaf("metadata.s", "contains", calldash.String(longFold)),
		leaf("metadata.s", "endswith", calldash.String(longFold)),
		leaf("metadata.s", "endswith", calldash.String(strings.ToUpper(longFold)+"!")),
		leaf("metadata.s", "startswith", calldash.String("AB "+longFold)),
		leaf("metadata.s", "contains", calldash.String("\x00")),
		leaf("metadata.s", "startswith", calldash.String("A\x00")),
		leaf("metadata.s", "endswith", calldash.String("\x00b")),
		leaf("metadata.s", "contains", calldash.String("\x00b "+longFold[:3])),
		leaf("metadata.s", "regex", calldash.String("\x00b")),
		leaf("metadata.s", "regex", calldash.String("^a\x00")),
		leaf("metadata.s", "regex", calldash.String(`(?i)^straße`)),
		leaf("metadata.s", "regex", calldash.String(`[[:upper:]]{3}`)),
		leaf("metadata.s", "regex", calldash.String(`\bskip`)),
	}
	cases = append(cases, farInstants(t)...)
	for _, name := range sqltest.Names {
		t.Run(name, func(t *testing.T) {
			calls := storable(t, name, calls)
			db, d, prefix := sqltest.Open(t, name, calls)
			for _, n := range cases {
				cond, err := sqlgen.Where(mustCheck(t, n), d, sqlgen.DefaultLayout(prefix), gdEnv)
				if errors.Is(err, calldash.ErrDialect) {
					t.Logf("%s: refused: %v", n, err)
					continue
				}
				if err != nil {
					t.Fatalf("%s: %v", n, err)
				}
				want := memoryIDs(t, mustCheck(t, n), calls, gdEnv)
				if got := selectIDs(t, db, d, prefix, cond); !slices.Equal(want, got) {
					text, args := sqlText(t, cond, d)
					t.Errorf("%s: memory %v, sql %v\n%s\n%q", n, want, got, text, args)
				}
			}
		})
	}
}

// storable returns the calls whose metadata strings the dialect named
// name can hold (PostgreSQL's text cannot hold NUL).
func storable(t *testing.T, name string, calls []calldash.Call) []calldash.Call {
	d, err := sqltest.Dialect(name)
	if err != nil {
		t.Fatal(err)
	}
	return slices.DeleteFunc(slices.Clone(calls), func(c calldash.Call) bool {
		for _, v := range c.Metadata {
			if v.Kind == calldash.KindString && dialect.CheckText(d, v.Str) != nil {
				return true
			}
		}
		return false
	})
}

// longFold is a text of more letters than dialect.MaxNestedReplace
// REPLACE calls fold.
const longFold = "abcdefghijklmnopqrstuvwxyz σίσυφος ǅ kelvin straße"

// farInstants compares the timestamp with instants beyond the int64
// nanoseconds of SQLite and ClickHouse (1677..2262), and before MariaDB's
// documented DATETIME range (from 1000), with every operator.
func farInstants(t *testing.T) []filter.Node {
	var nodes []filter.Node
	for _, at := range []string{"7000-01-01T00:00:00Z", "1600-01-01T00:00:00Z", "0500-01-01T00:00:00Z", "0001-01-01T00:00:00Z"} {
		for _, op := range []string{"eq", "neq", "gt", "gte", "lt", "lte"} {
			nodes = append(nodes, &filter.Condition{Field: "timestamp", Op: mustOp(t, op), Value: calldash.String(at), At: "$"})
		}
	}
	return nodes
}

// TestSQLTimeRange compares instants beyond the range of a dialect's
// timestamp column with calls at both ends of it: the comparison is
// decided without the column, where binding the clamped instant would
// match the call at the end.
func TestSQLTimeRange(t *testing.T) {
	for _, name := range sqltest.Names {
		d, err := dialect.ByName(name)
		if err != nil {
			t.Fatal(err)
		}
		r, ok := d.(dialect.TimeRanger)
		if !ok {
			continue // it holds every instant a filter can name
		}
		t.Run(name, func(t *testing.T) {
			first, last := r.TimeRange()
			calls := []calldash.Call{{ID: 1, Timestamp: first}, {ID: 2, Timestamp: last}, {ID: 3, Timestamp: time.Unix(0, 0).UTC()}}
			db, d, prefix := sqltest.Open(t, name, calls)
			for _, n := range farInstants(t) {
				cond, err := sqlgen.Where(mustCheck(t, n), d, sqlgen.DefaultLayout(prefix), gdEnv)
				if err != nil {
					t.Fatalf("%s: %v", n, err)
				}
				want := memoryIDs(t, mustCheck(t, n), calls, gdEnv)
				if got := selectIDs(t, db, d, prefix, cond); !slices.Equal(want, got) {
					text, args := sqlText(t, cond, d)
					t.Errorf("%s: memory %v, sql %v\n%s\n%q", n, want, got, text, args)
				}
			}
		})
	}
}

// TestSQLClickHouseCluster loads the sample calls into the two-shard
// ClickHouse cluster (.ci/clickhouse.sh) through the Distributed tables,
// shows that both shards hold part of them, and runs every valid
// testdata/filter/*.json over the Distributed table: the selected ids
// must equal memory's.
func TestSQLClickHouseCluster(t *testing.T) {
	calls := widgettest.LoadSample(t, "../../testdata/calls/sample.jsonl")
	cl := sqltest.OpenClickHouseCluster(t, calls)
	d := dialect.ClickHouse
	ctx := context.Background()

	// The rows are spread over both shards, and nothing is lost.
	for _, table := range []string{"call_logs", "metric_evaluations"} {
		var total uint64
		var perShard []uint64
		for i, db := range cl.Shards {
			var n uint64
			if err := db.QueryRowContext(ctx, "SELECT count() FROM "+d.Quote(cl.Prefix+table+sqlgen.ShardSuffix)).Scan(&n); err != nil {
				t.Fatalf("shard %d: %v", i+1, err)
			}
			if n == 0 {
				t.Errorf("shard %d holds no %s rows", i+1, table)
			}
			perShard = append(perShard, n)
			total += n
		}
		var all uint64
		if err := cl.DB.QueryRowContext(ctx, "SELECT count() FROM "+d.Quote(cl.Prefix+table)).Scan(&all); err != nil {
			t.Fatal(err)
		}
		want := uint64(len(calls))
		if table == "metric_evaluations" {
			want = 0
			for _, c := range calls {
				want += uint64(len(c.MetricEvaluations))
			}
		}
		if total != want || all != want {
			t.Errorf("%s: shards hold %v (sum %d), the Distributed table %d; want %d", table, perShard, total, all, want)
		}
		t.Logf("%s: %v rows per shard", table, perShard)
	}

	refused, ran := 0, 0
	for _, path := range gdInputs(t) {
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		n, err := filter.Validate(data, nil)
		if err != nil {
			continue
		}
		name := strings.TrimSuffix(filepath.Base(path), ".json")
		cond, err := sqlgen.Where(n, d, sqlgen.DefaultLayout(cl.Prefix), gdEnv)
		if errors.Is(err, calldash.ErrDialect) {
			refused++
			t.Logf("%s: refused: %v", name, err)
			continue
		}
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		ran++
		want := memoryIDs(t, n, calls, gdEnv)
		got := selectIDs(t, cl.DB, dialect.ClickHouse, cl.Prefix, cond)
		if diff := cmp.Diff(want, got); diff != "" {
			text, args := sqlText(t, cond, d)
			t.Errorf("%s: ids (-memory +clickhouse):\n%s\n%s\n%v", name, diff, text, args)
		}
	}
	if ran == 0 {
		t.Error("no filter ran")
	}
	t.Logf("%d filters agree with memory on the Distributed table, %d refused by the dialect", ran, refused)
}

// hostile are strings that would break SQL text if they ever reached it.
var hostile = []string{
	`it's`, `say "hi"`, `back\slash`, `trailing\`, `?`, `$1`, `-- comment`, `; DROP TABLE x`,
	`/* c */`, "nul\x00byte", `%_!`, `$."a"`, `*/`, "new\nline", "'; --",
}
