package sqlgen_test

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	sq "github.com/Masterminds/squirrel"
	"github.com/google/go-cmp/cmp"
	"github.com/shopspring/decimal"

	"github.com/calldash/calldash/dialect"
	"github.com/calldash/calldash/filter"
	"github.com/calldash/calldash/sqlgen"
	"github.com/calldash/calldash/sqlstore/sqltest"

	"github.com/calldash/calldash"
)

// sqlGoldenDir holds one golden per testdata/filter/NAME.json: the SQL of
// the filter in every dialect with its arguments, or the error.
const sqlGoldenDir = "../testdata/filter-sql"

var sqlDialects = []dialect.Dialect{dialect.Postgres, dialect.MySQL, dialect.SQLite}

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

// TestSQLGolden compiles every testdata/filter/*.json that validates for
// each dialect and compares the SQL and its arguments with
// testdata/filter-sql/NAME.golden (-update rewrites them).
func TestSQLGolden(t *testing.T) {
	for _, path := range gdInputs(t) {
		name := strings.TrimSuffix(filepath.Base(path), ".json")
		input, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		n, err := filter.Validate(input, nil)
		if err != nil {
			continue // the error goldens of TestGolden cover these
		}
		t.Run(name, func(t *testing.T) {
			var b strings.Builder
			fmt.Fprintf(&b, "# filter\n%s\n", filter.Format(n.Node()))
			for _, d := range sqlDialects {
				fmt.Fprintf(&b, "# %s\n", d.Name())
				cond, err := sqlgen.Where(n, d, sqlgen.DefaultLayout("p_"), gdEnv)
				if err != nil {
					fmt.Fprintf(&b, "error: %v\n", err)
					continue
				}
				text, args := sqlText(t, cond, d)
				fmt.Fprintf(&b, "%s\n", text)
				for i, a := range args {
					fmt.Fprintf(&b, "  %d: %T %s\n", i+1, a, sqlArgText(a))
				}
			}
			got := b.String()
			goldenPath := filepath.Join(sqlGoldenDir, name+".golden")
			if *gdUpdate {
				if err := os.MkdirAll(sqlGoldenDir, 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(goldenPath, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(goldenPath)
			if err != nil {
				t.Fatalf("%v (run go test ./sqlgen -run TestSQLGolden -update)", err)
			}
			if diff := cmp.Diff(string(want), got); diff != "" {
				t.Errorf("%s (-want +got):\n%s", name, diff)
			}
		})
	}
}

func sqlArgText(a any) string {
	switch a := a.(type) {
	case time.Time:
		return a.Format(time.RFC3339Nano)
	case string:
		return fmt.Sprintf("%q", a)
	}
	return fmt.Sprint(a)
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
	calls := gdCalls(t)
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

// hostile are strings that would break SQL text if they ever reached it.
var hostile = []string{
	`it's`, `say "hi"`, `back\slash`, `trailing\`, `?`, `$1`, `-- comment`, `; DROP TABLE x`,
	`/* c */`, "nul\x00byte", `%_!`, `$."a"`, `*/`, "new\nline", "'; --",
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
		leaf("metadata.s", "regex", calldash.String(`(?i)^straße`)),
		leaf("metadata.s", "regex", calldash.String(`[[:upper:]]{3}`)),
		leaf("metadata.s", "regex", calldash.String(`\bskip`)),
	}
	cases = append(cases, farInstants(t)...)
	for _, name := range sqltest.Names {
		t.Run(name, func(t *testing.T) {
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

// TestSQLDialectErrors checks the errors a dialect gives for what it
// cannot evaluate exactly.
func TestSQLDialectErrors(t *testing.T) {
	cases := []struct {
		d    dialect.Dialect
		json string
		want string
	}{
		{dialect.MySQL, `{"field":"duration","op":"eq","value":1e40}`,
			"$.value: number 10000000000000000000…0000000000 does not fit DECIMAL(65,30) (35 integer and 30 fractional digits): not supported on mysql"},
		{dialect.MySQL, `{"field":"duration","op":"in","value":[1, 0.0000000000000000000000000000001]}`,
			"$.value[1]: number 0.0000000000000000000000000000001 does not fit DECIMAL(65,30) (35 integer and 30 fractional digits): not supported on mysql"},
		{dialect.Postgres, `{"field":"topic","op":"regex","value":"(?m)^a"}`,
			`$.value: regex "(?m)^a": not supported on postgres: multi-line ^ and $ ((?m)) are not translated`},
		{dialect.MySQL, `{"field":"topic","op":"regex","value":"\\bx"}`,
			`$.value: regex "\\bx": not supported on mysql: word boundaries (\b, \B) are not translated`},
		{dialect.Postgres, `{"field":"topic","op":"regex","value":"a{300}"}`,
			`$.value: regex "a{300}": not supported on postgres: repetition counts above 255 are not supported`},
	}
	for _, c := range cases {
		n, err := filter.Validate([]byte(c.json), nil)
		if err != nil {
			t.Fatal(err)
		}
		_, err = sqlgen.Where(n, c.d, sqlgen.DefaultLayout(""), gdEnv)
		if err == nil || err.Error() != c.want || !errors.Is(err, calldash.ErrDialect) {
			t.Errorf("%s on %s: got %v, want %s", c.json, c.d.Name(), err, c.want)
		}
	}
	for _, d := range sqlDialects {
		n, _ := filter.Validate([]byte(`{"field":"duration","op":"eq","value":1e40}`), nil)
		if _, err := sqlgen.Where(n, d, sqlgen.DefaultLayout(""), gdEnv); d != dialect.MySQL && err != nil {
			t.Errorf("%s: %v", d.Name(), err)
		}
	}
}
