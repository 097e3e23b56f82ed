package dbtest_test

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/shopspring/decimal"

	"github.com/calldash/calldash"
	"github.com/calldash/calldash/dialect"
	"github.com/calldash/calldash/examples/internal/copier"
	"github.com/calldash/calldash/examples/internal/sqltest"
	"github.com/calldash/calldash/sample"
	"github.com/calldash/calldash/sqlgen"
	"github.com/calldash/calldash/sqlstore"
	"github.com/calldash/calldash/widget/widgettest"
)

// copyEdgeCalls are calls whose text the bulk paths must escape or keep
// exactly: tabs, newlines, carriage returns, backslashes, \N, quotes,
// non-ASCII text, NUL where the dialect stores it, long decimals, keys
// and metadata strings of the same kind, instants with microseconds and
// in other offsets, negative numbers, NULLs everywhere.
func copyEdgeCalls(d dialect.Dialect) []calldash.Call {
	awkward := []string{"a\tb", "line\nnext", "cr\rlf\r\n", `back\slash`, `\N`, "\\\t\\n", `"quoted" 'single'`, "ünïcödé ✓ 😀", "", " "}
	if dialect.CheckText(d, "\x00") == nil {
		awkward = append(awkward, "nul\x00byte")
	}
	num := func(s string) calldash.Value { return calldash.Number(decimal.RequireFromString(s)) }
	at := time.Date(2025, 11, 3, 10, 30, 0, 123456000, time.FixedZone("", 5*3600+1800))
	var calls []calldash.Call
	for i, s := range awkward {
		id := int64(900_000 + i)
		c := calldash.Call{
			ID:              id,
			Timestamp:       at.Add(time.Duration(i) * time.Microsecond),
			Duration:        num([]string{"0.000001", "-12.50", "12345678901234567890.12345678901234567", "1e3", "0"}[i%5]),
			Success:         calldash.Bool(i%2 == 0),
			CallEndedReason: calldash.String(s),
			Topic:           calldash.String(s + "topic"),
			AgentID:         calldash.Int(int64(800 + i)),
			AgentName:       calldash.String("agent " + s),
			Metadata: map[string]calldash.Value{
				"k" + s: calldash.String(s),
				"n":     num("-0.10"),
				"b":     calldash.Bool(false),
				"null":  calldash.Null,
			},
			MetricEvaluations: []calldash.Evaluation{
				{ID: id*10 + 1, MetricID: int64(700 + i), MetricName: calldash.String("m " + s), EvalType: calldash.EvalEnum, Value: calldash.String(s)},
				{ID: id*10 + 2, MetricID: 1, MetricName: calldash.String("score"), EvalType: calldash.EvalNumeric, Value: num([]string{"1.50", "-3", "99999999999999999999.999999999999"}[i%3])},
				{ID: id*10 + 3, MetricID: 2, MetricName: calldash.String("resolved"), EvalType: calldash.EvalBinary, Value: calldash.Bool(i%3 == 0)},
				{ID: id*10 + 4, MetricID: 2, MetricName: calldash.String("resolved"), EvalType: calldash.EvalBinary, Value: calldash.Null},
			},
		}
		if i%4 == 3 {
			c.Metadata, c.Success, c.AgentID, c.AgentName, c.Duration = nil, calldash.Null, calldash.Null, calldash.Null, calldash.Null
		}
		calls = append(calls, c)
	}
	return calls
}

// TestCopyMatchesInsert loads the sample and copyEdgeCalls with INSERT
// statements and through the bulk path of package copier, into tables
// of two prefixes, and compares every row of every table, column by
// column, as the driver reads it back: the bulk paths store the same
// values.
func TestCopyMatchesInsert(t *testing.T) {
	sampleCalls := widgettest.LoadSample(t, filepath.Join("../..", filepath.FromSlash(sample.File)))
	for _, name := range append(slices.Clone(sqltest.Names), "clickhouse") {
		t.Run(name, func(t *testing.T) {
			db, d := sqltest.ConnectAny(t, name)
			calls := append(slices.Clone(sampleCalls), copyEdgeCalls(d)...)
			dumps := map[string]map[string][]string{}
			for _, path := range []struct {
				name   string
				loader sqlstore.Loader
			}{{"insert", sqlstore.Loader{}}, {"copy", copier.Loader(d)}} {
				prefix := sqlstore.NewPrefix()
				ctx := context.Background()
				t.Cleanup(func() {
					if err := sqlstore.Drop(context.Background(), db, d, prefix); err != nil {
						t.Errorf("%s: %v", path.name, err)
					}
				})
				if err := sqlstore.Create(ctx, db, d, prefix); err != nil {
					t.Fatal(err)
				}
				if err := path.loader.Load(ctx, db, d, prefix, slices.Values(calls)); err != nil {
					t.Fatalf("%s: %v", path.name, err)
				}
				dumps[path.name] = map[string][]string{}
				for _, lt := range sqlgen.LoadTables(prefix) {
					dumps[path.name][strings.TrimPrefix(lt.Name, prefix)] = dumpTable(t, db, d, lt.Name)
				}
			}
			if n := len(dumps["copy"]["call_logs"]); n != len(calls) {
				t.Errorf("copy: %d call_logs rows, want %d", n, len(calls))
			}
			if diff := cmp.Diff(dumps["insert"], dumps["copy"]); diff != "" {
				t.Errorf("tables differ (-insert +copy):\n%s", diff)
			}
		})
	}
}

// dumpTable returns the rows of a table ordered by id, each as the text
// of its columns, every value as the driver scans it (with its Go type).
func dumpTable(t *testing.T, db *sql.DB, d dialect.Dialect, table string) []string {
	t.Helper()
	rows, err := db.Query("SELECT * FROM " + d.Quote(table) + " ORDER BY id")
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for rows.Next() {
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			t.Fatal(err)
		}
		var b strings.Builder
		for i, v := range vals {
			if b, ok := v.([]byte); ok {
				v = string(b)
			}
			fmt.Fprintf(&b, "%s=%T:%q ", cols[i], v, fmt.Sprint(v))
		}
		out = append(out, b.String())
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// TestCopyRollsBack checks that a bulk load that fails part-way (its
// context ends while the rows are being written) leaves every table
// empty, and that the error says why.
func TestCopyRollsBack(t *testing.T) {
	now := time.Date(2025, 11, 30, 0, 0, 0, 0, time.UTC)
	calls := sample.Generate(sample.Config{Seed: 3, N: 20_000, Start: now.AddDate(0, 0, -30), End: now})
	for _, name := range sqltest.Names {
		t.Run(name, func(t *testing.T) {
			db, d := sqltest.Connect(t, name)
			prefix := sqltest.Load(t, db, d, nil)
			ctx, cancel := context.WithCancel(context.Background())
			// Cancel once the first table has gone in: the rows of the
			// calls are being copied.
			c := cancelAfter{Copier: copier.For(d), after: 1, cancel: cancel}
			err := sqlstore.Loader{Copier: &c}.Load(ctx, db, d, prefix, slices.Values(calls))
			cancel()
			if !errors.Is(err, context.Canceled) {
				t.Fatalf("Load = %v, want context.Canceled", err)
			}
			for _, lt := range sqlgen.LoadTables(prefix) {
				if n := count(t, db, d, "SELECT count(*) FROM "+d.Quote(lt.Name)); n != 0 {
					t.Errorf("%s: %d rows left", lt.Name, n)
				}
			}
			// The load dropped the empty tables' indexes to make them
			// after the rows: the rollback brought them back.
			if got, want := indexes(t, db, name, prefix), createdIndexes(d, prefix); !slices.Equal(got, want) {
				t.Errorf("indexes after the failed load: %q, want %q", got, want)
			}
		})
	}
}

// TestLoadKeepsIndexes checks that a load leaves the tables with the
// indexes Create made, through INSERT statements and the bulk paths,
// into empty tables (whose indexes the load drops and makes again after
// writing, on PostgreSQL and SQLite) and into tables that have rows.
func TestLoadKeepsIndexes(t *testing.T) {
	now := time.Date(2025, 11, 30, 0, 0, 0, 0, time.UTC)
	calls := sample.Generate(sample.Config{Seed: 4, N: 3_000, Start: now.AddDate(0, 0, -30), End: now})
	for _, name := range sqltest.Names {
		t.Run(name, func(t *testing.T) {
			db, d := sqltest.Connect(t, name)
			for _, path := range []struct {
				name   string
				loader sqlstore.Loader
			}{{"insert", sqlstore.Loader{}}, {"copy", copier.Loader(d)}} {
				ctx := context.Background()
				prefix := sqlstore.NewPrefix()
				t.Cleanup(func() { sqlstore.Drop(context.Background(), db, d, prefix) })
				if err := sqlstore.Create(ctx, db, d, prefix); err != nil {
					t.Fatal(err)
				}
				want := createdIndexes(d, prefix)
				if got := indexes(t, db, name, prefix); !slices.Equal(got, want) {
					t.Fatalf("%s: indexes after Create: %q, want %q", path.name, got, want)
				}
				// The second load adds calls only (its agents and metrics
				// are in their tables already): into a table with rows.
				more := slices.Clone(calls[2000:])
				for i := range more {
					more[i].AgentID, more[i].AgentName, more[i].MetricEvaluations = calldash.Null, calldash.Null, nil
				}
				for i, part := range [][]calldash.Call{calls[:2000], more} {
					if err := path.loader.Load(ctx, db, d, prefix, slices.Values(part)); err != nil {
						t.Fatalf("%s: load %d: %v", path.name, i+1, err)
					}
					if got := indexes(t, db, name, prefix); !slices.Equal(got, want) {
						t.Errorf("%s: indexes after load %d: %q, want %q", path.name, i+1, got, want)
					}
				}
				if n := count(t, db, d, "SELECT count(*) FROM "+d.Quote(prefix+"call_logs")); n != int64(len(calls)) {
					t.Errorf("%s: %d call_logs rows, want %d", path.name, n, len(calls))
				}
			}
		})
	}
}

// createdIndexes returns the names of the secondary indexes Create makes
// with prefix, sorted.
func createdIndexes(d dialect.Dialect, prefix string) []string {
	var out []string
	for _, ix := range sqlgen.DefaultLayout(prefix).Indexes(d) {
		name := strings.Fields(ix.Create)[2] // CREATE INDEX <name> ON ...
		out = append(out, strings.Trim(name, "`\""))
	}
	slices.Sort(out)
	return out
}

// indexes returns the names of the secondary indexes (not the primary
// keys) on the tables whose names start with prefix, sorted.
func indexes(t *testing.T, db *sql.DB, name, prefix string) []string {
	t.Helper()
	var q string
	switch name {
	case "postgres":
		q = "SELECT indexname FROM pg_indexes WHERE tablename LIKE $1 AND indexname NOT LIKE '%_pkey'"
	case "sqlite":
		q = "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name LIKE ? AND name NOT LIKE 'sqlite_autoindex%'"
	case "mysql":
		q = "SELECT DISTINCT index_name FROM information_schema.statistics WHERE table_schema = DATABASE() AND table_name LIKE ? AND index_name <> 'PRIMARY'"
	default:
		t.Fatalf("no index query for %s", name)
	}
	rows, err := db.Query(q, prefix+"%")
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			t.Fatal(err)
		}
		out = append(out, s)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	slices.Sort(out)
	return out
}

// cancelAfter cancels the load's context after its Copier has written
// after tables, and copies on with the ended context.
type cancelAfter struct {
	sqlstore.Copier
	after  int
	cancel func()
}

func (c *cancelAfter) Copy(ctx context.Context, t *sqlstore.CopyTable) error {
	if c.after == 0 {
		c.cancel()
	}
	c.after--
	return c.Copier.Copy(ctx, t)
}
