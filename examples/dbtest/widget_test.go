package dbtest_test

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"hash/fnv"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"github.com/calldash/calldash/sample"
	"github.com/calldash/calldash/widget"

	"github.com/google/go-cmp/cmp"

	"github.com/calldash/calldash"
	"github.com/calldash/calldash/dialect"
	"github.com/calldash/calldash/examples/internal/copier"
	"github.com/calldash/calldash/examples/internal/sqltest"
	"github.com/calldash/calldash/filter"
	"github.com/calldash/calldash/sqlgen"
	"github.com/calldash/calldash/sqlstore"
	"github.com/calldash/calldash/widget/widgettest"
)

var (
	diffSeed = flag.Uint64("diff.seed", 1, "seed of the differential test's data and widgets")
	diffN    = flag.Int("diff.n", 2000, "number of random widgets of the differential test")
)

var skipLogged sync.Map // dialect names whose absence was logged

// sqlSources returns a widget.SQL source over calls in every database that
// is available (SQLite always; PostgreSQL and MariaDB when
// CALLDASH_POSTGRES_DSN and CALLDASH_MYSQL_DSN are set; the Distributed
// tables of the two-shard ClickHouse cluster when CALLDASH_CLICKHOUSE_DSN
// and CALLDASH_CLICKHOUSE_DSN2 are), loaded once into
// scratch tables that are dropped when t ends. A database that refuses the
// calls themselves (a timestamp finer than it keeps, say) is left out for
// this data set, and the test says so.
func sqlSources(t *testing.T, dataName string, calls []calldash.Call) []widgettest.Source {
	t.Helper()
	var out []widgettest.Source
	for _, name := range sqltest.Names {
		if !sqltest.Available(name) {
			if _, done := skipLogged.LoadOrStore(name, true); !done {
				t.Logf("differential: %s not compared: set %s", name, sqltest.EnvVar(name))
			}
			continue
		}
		db, d := sqltest.Connect(t, name)
		prefix := sqlstore.NewPrefix()
		ctx := context.Background()
		t.Cleanup(func() {
			if err := sqlstore.Drop(context.Background(), db, d, prefix); err != nil {
				t.Errorf("differential: %v", err)
			}
		})
		if err := sqlstore.Create(ctx, db, d, prefix); err != nil {
			t.Fatal(err)
		}
		if err := copier.Loader(d).Load(ctx, db, d, prefix, slices.Values(calls)); err != nil {
			if errors.Is(err, sqlstore.ErrRefused) {
				t.Logf("differential: %s: %s not compared: %v", dataName, name, err)
				continue
			}
			t.Fatal(err)
		}
		out = append(out, widgettest.Source{
			Name:    name,
			Src:     widget.SQL(db, d, widget.WithTablePrefix(prefix)),
			Refuses: dialectRefusal(name),
		})
	}
	if src, ok := clickHouseSource(t, dataName, calls); ok {
		out = append(out, widgettest.Source{Name: "clickhouse", Src: src, Refuses: dialectRefusal("clickhouse")})
	}
	return out
}

// clickHouseSource loads calls into the two-shard ClickHouse cluster
// (sqltest.LoadClickHouseCluster: the rows spread over both shards) and
// returns a widget.SQL source over its Distributed tables; false when
// the cluster's variables are unset or ClickHouse refuses the calls.
func clickHouseSource(t *testing.T, dataName string, calls []calldash.Call) (widget.Source, bool) {
	t.Helper()
	if !sqltest.ClickHouseClusterAvailable() {
		if _, done := skipLogged.LoadOrStore("clickhouse", true); !done {
			t.Logf("differential: clickhouse not compared: set %s and %s (.ci/clickhouse.sh starts a cluster)",
				sqltest.ClickHouseEnv, sqltest.ClickHouseEnv2)
		}
		return nil, false
	}
	cl, err := sqltest.LoadClickHouseCluster(t, calls)
	if errors.Is(err, sqlstore.ErrRefused) {
		t.Logf("differential: %s: clickhouse not compared: %v", dataName, err)
		return nil, false
	}
	if err != nil {
		t.Fatal(err)
	}
	return widget.SQL(cl.DB, dialect.ClickHouse, widget.WithTablePrefix(cl.Prefix)), true
}

// dialectRefusal recognizes a dialect's documented refusal of a filter it
// cannot evaluate exactly: an error "... not supported on NAME ...". Such
// errors are counted and listed in the log, not treated as differences.
func dialectRefusal(name string) func(w *widgettest.Widget, err error) bool {
	return func(w *widgettest.Widget, err error) bool {
		if !strings.Contains(err.Error(), "not supported on "+name) {
			return false
		}
		refusals.Lock()
		defer refusals.Unlock()
		// One entry per message, wherever in the filter it points.
		msg := err.Error()
		if i := strings.Index(msg, ": "); strings.HasPrefix(msg, "$") && i >= 0 {
			msg = msg[i+2:]
		}
		key := fmt.Sprintf("%s: %s", name, msg)
		if refusals.seen == nil {
			refusals.seen = map[string]int{}
		}
		refusals.seen[key]++
		return true
	}
}

// refusals collects the dialect refusals of a run, for the log.
var refusals struct {
	sync.Mutex
	seen map[string]int
}

// logRefusals logs the dialect refusals seen so far, most frequent first.
func logRefusals(t *testing.T) {
	refusals.Lock()
	defer refusals.Unlock()
	type kv struct {
		msg string
		n   int
	}
	var all []kv
	for m, n := range refusals.seen {
		all = append(all, kv{m, n})
	}
	slices.SortFunc(all, func(a, b kv) int {
		if a.n != b.n {
			return b.n - a.n
		}
		return strings.Compare(a.msg, b.msg)
	})
	for i, r := range all {
		if i == 15 {
			t.Logf("  … and %d other refusals", len(all)-i)
			break
		}
		t.Logf("  refused %d×: %s", r.n, r.msg)
	}
}

// TestPreviewManySQL answers random dashboards from every available
// database three widgets at a time (three statements at once) and
// compares each widget with the same source's own Preview.
func TestPreviewManySQL(t *testing.T) {
	d := widgettest.DataSets(12)[0]
	for _, src := range sqlSources(t, d.Name, d.Calls) {
		t.Run(src.Name, func(t *testing.T) {
			for dash := range 6 {
				first := widgettest.SafeWidget(12, dash*8, d)
				if first == nil {
					continue
				}
				var specs []*widget.Spec
				for j := range 8 {
					w := widgettest.SafeWidget(12, dash*8+j, d)
					if w == nil {
						continue
					}
					if spec, err := widget.Decode([]byte(w.JSON)); err == nil {
						specs = append(specs, spec)
					}
				}
				opts := append(slices.Clip(first.Opts), widget.WithParallelism(3))
				resps, errs := widget.PreviewMany(context.Background(), specs, src.Src, opts...)
				for j, spec := range specs {
					want := widgettest.AnswerText(widget.Preview(context.Background(), spec, src.Src, first.Opts...))
					if got := widgettest.AnswerText(resps[j], errs[j]); got != want {
						t.Errorf("dashboard %d, widget %d:\nwant %s\n got %s", dash, j, want, got)
					}
				}
			}
		})
	}
}

// bulkInsert fills the call_logs table under prefix with n calls, inside
// the database (far faster than loading them through Go).
var bulkInsert = map[string]string{
	"sqlite": `WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < %[2]d)
		INSERT INTO %[1]s (id, timestamp, duration) SELECT i, %[3]d + i * 1000000, CAST(i %% 997 AS TEXT) FROM s`,
	"postgres": `INSERT INTO %[1]s (id, timestamp, duration)
		SELECT i, to_timestamp(%[3]d / 1e9) + i * interval '1 millisecond', i %% 997 FROM generate_series(1, %[2]d) AS i`,
	"mysql": `INSERT INTO %[1]s (id, timestamp, duration)
		SELECT seq, FROM_UNIXTIME(%[3]d / 1000000000) + INTERVAL seq * 1000 MICROSECOND, seq %% 997 FROM seq_1_to_%[2]d`,
}

// TestSQLCancel checks that cancelling the context stops a running SQL
// query: the preview returns the context's error, not a result.
func TestSQLCancel(t *testing.T) {
	now := time.Date(2025, 11, 28, 18, 0, 0, 0, time.UTC)
	start := now.Add(-24 * time.Hour)
	for _, name := range sqltest.Names {
		t.Run(name, func(t *testing.T) {
			if !sqltest.Available(name) {
				t.Skipf("set %s to test cancellation on %s", sqltest.EnvVar(name), name)
			}
			db, d, prefix := sqltest.Open(t, name, nil)
			q := fmt.Sprintf(bulkInsert[name], d.Quote(prefix+"call_logs"), 200_000, start.UnixNano())
			if _, err := db.Exec(q); err != nil {
				t.Fatal(err)
			}
			spec, err := widget.Decode([]byte(`{"chart_type":"bar","field":"duration","aggregation_function":"p99","time_period":"hour",
				"filters":{"field":"timestamp","op":"gte","value":"today-1d"}}`))
			if err != nil {
				t.Fatal(err)
			}
			opts := []widget.Option{widget.WithNow(now), widget.WithTimePolicy(filter.TimePolicy{})}
			ctx, cancel := context.WithCancel(context.Background())
			time.AfterFunc(20*time.Millisecond, cancel)
			_, err = widget.Preview(ctx, spec, widget.SQL(db, d, widget.WithTablePrefix(prefix)), opts...)
			if !errors.Is(err, context.Canceled) {
				t.Fatalf("got %v, want context.Canceled", err)
			}
			if _, ok := d.(dialect.Killer); ok {
				// The statement stopped on the server too: MariaDB ran it to
				// its end, seconds after the preview had returned.
				checkStopped(t, db, prefix)
			}
		})
	}
}

// checkStopped waits until no statement on the tables with prefix runs on
// the MariaDB server; a statement that KILL QUERY has stopped ends
// within milliseconds, whereas the statement of TestSQLCancel runs on for
// a second or more after a cancellation that the server does not see.
func checkStopped(t *testing.T, db *sql.DB, prefix string) {
	t.Helper()
	const q = `SELECT COUNT(*) FROM information_schema.PROCESSLIST WHERE COMMAND IN ('Query', 'Execute') AND ID <> CONNECTION_ID() AND INFO LIKE CONCAT('%', ?, 'call_logs%')`
	for range 10 {
		var n int
		if err := db.QueryRow(q, prefix).Scan(&n); err != nil {
			t.Fatal(err)
		}
		if n == 0 {
			return
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Errorf("the statement still runs on the server, 500 ms after the preview was cancelled")
}

// TestClickHouseShards (issue 5): the sample calls, loaded through the
// Distributed tables of the two-shard ClickHouse cluster, are spread over
// both shards — each shard's local tables hold part of the rows, together
// all of them — and every widget of testdata/widget over the sample,
// answered over the Distributed tables, is byte for byte memory's answer.
func TestClickHouseShards(t *testing.T) {
	sample := widgettest.LoadSample(t, "../../testdata/calls/sample.jsonl")
	cl := sqltest.OpenClickHouseCluster(t, sample)
	d := dialect.ClickHouse
	ctx := context.Background()

	evals := 0
	for _, c := range sample {
		evals += len(c.MetricEvaluations)
	}
	for _, tc := range []struct {
		table string
		want  int
	}{{"call_logs", len(sample)}, {"metric_evaluations", evals}} {
		var perShard []int
		sum := 0
		for i, db := range cl.Shards {
			var n int
			q := "SELECT count() FROM " + d.Quote(cl.Prefix+tc.table+sqlgen.ShardSuffix)
			if err := db.QueryRowContext(ctx, q).Scan(&n); err != nil {
				t.Fatalf("shard %d: %v", i+1, err)
			}
			if n == 0 || n == tc.want {
				t.Errorf("shard %d holds %d of the %d %s rows: want a part", i+1, n, tc.want, tc.table)
			}
			perShard = append(perShard, n)
			sum += n
		}
		if sum != tc.want {
			t.Errorf("%s: the shards hold %v rows, %d in all; want %d", tc.table, perShard, sum, tc.want)
		}
		t.Logf("%s: %v rows per shard", tc.table, perShard)
	}

	files, err := filepath.Glob("../../testdata/widget/*.json")
	if err != nil || len(files) == 0 {
		t.Fatalf("no fixtures in ../../testdata/widget (%v)", err)
	}
	src := widget.SQL(cl.DB, d, widget.WithTablePrefix(cl.Prefix))
	ran := 0
	for _, file := range files {
		fx := widgettest.ReadFixture(t, file)
		if fx.Calls != nil && string(fx.Calls) != `"sample"` {
			continue // calls of its own: TestSQLFixtures covers it
		}
		name := strings.TrimSuffix(filepath.Base(file), ".json")
		t.Run(name, func(t *testing.T) {
			want := fx.Run(t, widget.Calls(sample))
			if got := fx.Run(t, src); got != want {
				t.Errorf("%s over the Distributed tables (-memory +clickhouse):\n%s", name, cmp.Diff(want, got))
			}
		})
		ran++
	}
	if ran == 0 {
		t.Error("no fixture over the sample calls")
	}
	t.Logf("%d widgets answered over the Distributed tables", ran)
}

// FuzzMemoryVsSQLite answers fuzzed widgets from memory and from SQLite
// over the same random calls: both must give the same bytes, or the same
// error body (SQLite may refuse nothing that memory answers: its dialect
// is exact for every operator).
func FuzzMemoryVsSQLite(f *testing.F) {
	for _, dir := range []string{"../../testdata/widget", "../../testdata/hostile"} {
		files, _ := filepath.Glob(filepath.Join(dir, "*.json"))
		for _, file := range files {
			data, err := os.ReadFile(file)
			if err != nil {
				f.Fatal(err)
			}
			if w, ok := fixtureWidget(data); ok {
				f.Add(w)
			} else {
				f.Add(data)
			}
		}
	}
	now := time.Date(2025, 11, 28, 18, 0, 0, 0, time.UTC)
	calls := randomCalls(5, 150)
	db, d, prefix := sqltest.Open(f, "sqlite", calls)
	mem := widget.Calls(calls)
	sql := widget.SQL(db, d, widget.WithTablePrefix(prefix))
	opts := []widget.Option{widget.WithNow(now), widget.WithMaxBuckets(2000), widget.WithLatencyMetric(16), metrics()}
	answer := func(data []byte, src widget.Source) []byte {
		spec, err := widget.Decode(data)
		if err == nil {
			var resp *widget.Response
			if resp, err = widget.Preview(context.Background(), spec, src, opts...); err == nil {
				return resp.AppendJSON(nil)
			}
		}
		return append([]byte("error "), widget.ErrorBody(err)...)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		want := answer(data, mem)
		got := answer(data, sql)
		if !bytes.Equal(got, want) {
			t.Fatalf("widget %s\nsqlite: %s\nmemory: %s", data, got, want)
		}
	})
}

// fixtureWidget returns the "widget" of a testdata/widget fixture.
func fixtureWidget(data []byte) ([]byte, bool) {
	var fx struct {
		Widget json.RawMessage `json:"widget"`
	}
	if err := json.Unmarshal(data, &fx); err != nil || fx.Widget == nil {
		return nil, false
	}
	return fx.Widget, true
}

// TestHostileSQL runs the hostile corpus against every available database:
// each case must have the same outcome and the same bytes as in memory,
// the statement must carry no user text (only schema identifiers and
// placeholders), and the tables must be unchanged afterwards.
func TestHostileSQL(t *testing.T) {
	calls := widgettest.LoadSample(t, "../../testdata/calls/sample.jsonl")
	cases := widgettest.HostileCases(t, "../../testdata/hostile")
	memory := make(map[string][]byte, len(cases))
	for _, c := range cases {
		_, body := widgettest.HostileOutcome(t, c, widget.Calls(calls))
		memory[c.Name] = body
	}
	for _, name := range sqltest.Names {
		t.Run(name, func(t *testing.T) {
			if !sqltest.Available(name) {
				t.Skipf("set %s to run the hostile corpus against %s", sqltest.EnvVar(name), name)
			}
			db, d, prefix := sqltest.Open(t, name, calls)
			hostileRun(t, db, d, prefix, cases, memory)
		})
	}
	t.Run("clickhouse", func(t *testing.T) {
		cl := sqltest.OpenClickHouseCluster(t, calls) // skips naming the variables
		hostileRun(t, cl.DB, dialect.ClickHouse, cl.Prefix, cases, memory)
	})
}

// hostileRun answers the corpus over the tables with prefix in db.
func hostileRun(t *testing.T, db *sql.DB, d dialect.Dialect, prefix string, cases []widgettest.HostileCase, memory map[string][]byte) {
	t.Helper()
	name := d.Name()
	before := tableDigest(t, db, d, prefix)
	src := widget.SQL(db, d, widget.WithTablePrefix(prefix))
	for _, c := range cases {
		got, body := widgettest.HostileOutcome(t, c, src)
		switch {
		case got != c.Want && !strings.Contains(string(body), "not supported on "+name):
			t.Errorf("%s: got %s\nwant %s\nbody %.300s", c.Name, got, c.Want, body)
		case got == c.Want && !bytes.Equal(body, memory[c.Name]):
			t.Errorf("%s: %s answers\n%.500s\nmemory answers\n%.500s", c.Name, name, body, memory[c.Name])
		}
		if got == "ok" {
			checkStatement(t, c, d, prefix)
		}
	}
	if after := tableDigest(t, db, d, prefix); after != before {
		t.Errorf("the tables changed:\nbefore %s\nafter  %s", before, after)
	}
}

// checkStatement compiles a case and checks that no string of the input
// longer than three bytes reaches the SQL text, unless it is a schema
// field name or the table prefix.
func checkStatement(t *testing.T, c widgettest.HostileCase, d dialect.Dialect, prefix string) {
	opts := []widget.Option{widget.WithNow(time.Date(2025, 11, 28, 18, 0, 0, 0, time.UTC)), metrics()}
	spec, err := widget.Decode(c.Input)
	if err != nil {
		t.Fatalf("%s: %v", c.Name, err)
	}
	text, args, err := widget.Statement(spec, d, sqlgen.DefaultLayout(prefix), opts...)
	if err != nil {
		t.Fatalf("%s: %v", c.Name, err)
	}
	known := map[string]bool{}
	for _, f := range filter.CallLogs().Fields() {
		known[f.Name] = true
	}
	// The user text of a filter: values and metadata keys.
	var strs []string
	var values func(v any)
	values = func(v any) {
		switch v := v.(type) {
		case string:
			strs = append(strs, v)
		case []any:
			for _, e := range v {
				values(e)
			}
		}
	}
	var collect func(v any)
	collect = func(v any) {
		switch v := v.(type) {
		case []any:
			for _, e := range v {
				collect(e)
			}
		case map[string]any:
			if f, ok := v["field"].(string); ok {
				strs = append(strs, f, strings.TrimPrefix(f, "metadata."))
			}
			values(v["value"])
			collect(v["filters"])
			collect(v["conditions"])
		}
	}
	var doc any
	dec := json.NewDecoder(bytes.NewReader(c.Input))
	dec.UseNumber()
	if err := dec.Decode(&doc); err != nil {
		t.Fatalf("%s: %v", c.Name, err)
	}
	collect(doc)
	for _, s := range strs {
		if len(s) > 3 && !known[s] && !known[strings.TrimPrefix(s, "metadata.")] && strings.Contains(text, s) {
			t.Errorf("%s: the %s statement contains the input text %q:\n%s", c.Name, d.Name(), s, text)
		}
	}
	if n := strings.Count(text, "?") + strings.Count(text, "$"); n == 0 && len(args) > 0 {
		t.Errorf("%s: %d arguments but no placeholders", c.Name, len(args))
	}
}

// tableDigest summarises the default tables under prefix: row counts and
// a digest of every call's id, topic and metadata.
func tableDigest(t *testing.T, db *sql.DB, d dialect.Dialect, prefix string) string {
	var b strings.Builder
	for _, table := range []string{"call_logs", "agents", "metrics", "metric_evaluations"} {
		var n int64
		if err := db.QueryRow("SELECT COUNT(*) FROM " + d.Quote(prefix+table)).Scan(&n); err != nil {
			t.Fatal(err)
		}
		fmt.Fprintf(&b, "%s=%d ", table, n)
	}
	rows, err := db.Query("SELECT id, topic, metadata FROM " + d.Quote(prefix+"call_logs") + " ORDER BY id")
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	h := fnv.New64a()
	for rows.Next() {
		var id int64
		var topic, meta sql.NullString
		if err := rows.Scan(&id, &topic, &meta); err != nil {
			t.Fatal(err)
		}
		fmt.Fprintf(h, "%d|%v|%v\n", id, topic, meta)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	fmt.Fprintf(&b, "digest=%x", h.Sum64())
	return b.String()
}

// TestSQLFixtures answers every fixture of testdata/widget through
// widget.SQL on every available database (SQLite always, PostgreSQL and
// MariaDB when their variables are set, and the Distributed tables of the
// two-shard ClickHouse cluster when its variables are) and compares with
// the golden — the memory source's answer — byte for byte.
func TestSQLFixtures(t *testing.T) {
	files, err := filepath.Glob("../../testdata/widget/*.json")
	if err != nil || len(files) == 0 {
		t.Fatalf("no fixtures in ../../testdata/widget (%v)", err)
	}
	sample := widgettest.LoadSample(t, "../../testdata/calls/sample.jsonl")
	t.Run("clickhouse", func(ct *testing.T) {
		if !sqltest.ClickHouseClusterAvailable() {
			ct.Skipf("set %s and %s to the two shards of a cluster (.ci/clickhouse.sh starts one)", sqltest.ClickHouseEnv, sqltest.ClickHouseEnv2)
		}
		clusters := map[string]*sqltest.Cluster{} // by the fixture's calls, alive until ct ends
		for _, file := range files {
			base := strings.TrimSuffix(filepath.Base(file), ".json")
			ct.Run(base, func(t *testing.T) {
				fx := widgettest.ReadFixture(t, file)
				key := string(fx.Calls)
				if key == "" {
					key = `"sample"`
				}
				cl, ok := clusters[key]
				if !ok {
					cl = sqltest.OpenClickHouseCluster(ct, fx.CallsOf(t, sample))
					clusters[key] = cl
				}
				got := fx.Run(t, widget.SQL(cl.DB, dialect.ClickHouse, widget.WithTablePrefix(cl.Prefix)))
				want, err := os.ReadFile(strings.TrimSuffix(file, ".json") + ".golden")
				if err != nil {
					t.Fatal(err)
				}
				if diff := cmp.Diff(string(want), got); diff != "" {
					t.Errorf("%s on clickhouse (-memory +sql):\n%s", base, diff)
				}
			})
		}
	})
	for _, name := range sqltest.Names {
		t.Run(name, func(t *testing.T) {
			if !sqltest.Available(name) {
				t.Skipf("set %s to run", sqltest.EnvVar(name))
			}
			db, d, prefix := sqltest.Open(t, name, sample)
			for _, file := range files {
				base := strings.TrimSuffix(filepath.Base(file), ".json")
				t.Run(base, func(t *testing.T) {
					fx := widgettest.ReadFixture(t, file)
					src := widget.SQL(db, d, widget.WithTablePrefix(prefix))
					if string(fx.Calls) != `"sample"` && fx.Calls != nil {
						p := sqltest.Load(t, db, d, fx.CallsOf(t, sample))
						src = widget.SQL(db, d, widget.WithTablePrefix(p))
					}
					got := fx.Run(t, src)
					want, err := os.ReadFile(strings.TrimSuffix(file, ".json") + ".golden")
					if err != nil {
						t.Fatal(err)
					}
					if diff := cmp.Diff(string(want), got); diff != "" {
						t.Errorf("%s on %s (-memory +sql):\n%s", base, name, diff)
					}
				})
			}
		})
	}
}

// TestDifferentialRandom answers diff.n random widgets from every source.
func TestDifferentialRandomSQL(t *testing.T) {
	seed, n := *diffSeed, *diffN
	if testing.Short() {
		n = min(n, 200)
	}
	sets := widgettest.DataSets(seed)
	for _, d := range sets {
		d.Sources = append(widgettest.MemorySources(d.Calls, seed), sqlSources(t, d.Name, d.Calls)...)
	}
	st := widgettest.RunRandom(t, seed, n, sets, func(i int) string {
		return fmt.Sprintf("go test ./examples/dbtest -run 'DifferentialRandomSQL/random/%d$' -diff.seed %d", i, seed)
	})
	t.Logf("seed %d: %d widgets (%d rejected alike by every source, %d refused by a dialect), charts %v, comparisons per source %v",
		seed, st.Widgets, st.Errors, st.Refused, st.Charts, st.Sources)
	logRefusals(t)
}

// TestDifferentialGolden answers every fixture of testdata/widget from
// every source.
func TestDifferentialGoldenSQL(t *testing.T) {
	sample := widgettest.LoadSample(t, "../../testdata/calls/sample.jsonl")
	files, st := widgettest.RunFixtures(t, "../../testdata/widget", sample, func(name string, calls []calldash.Call) []widgettest.Source {
		return append(widgettest.MemorySources(calls, 1), sqlSources(t, "fixture "+name, calls)...)
	})
	t.Logf("%d fixtures, %d rejected alike, %d refused by a dialect; comparisons per source %v", files, st.Errors, st.Refused, st.Sources)
	logRefusals(t)
}

// propNow is the clock of the property-style database tests.
var propNow = time.Date(2025, 11, 28, 18, 0, 0, 0, time.UTC)

// randomCalls returns n random calls of the 20 days before propNow.
func randomCalls(seed uint64, n int) []calldash.Call {
	r := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	return sample.Random(r, n, propNow.AddDate(0, 0, -20), propNow)
}

// metrics gives the sample metrics up front, so that a metric with no
// evaluation in a small data set is still known.
func metrics() widget.Option { return widget.WithMetrics(sample.Metrics()...) }

// TestMaxCellsSQL: an answer with more cells than WithMaxCells is the
// same error on every database as in memory (the statement returns at
// most one row more than the cap), one at the cap is answered.
func TestMaxCellsSQL(t *testing.T) {
	calls := widgettest.CellCalls()
	for _, name := range sqltest.Names {
		t.Run(name, func(t *testing.T) {
			if !sqltest.Available(name) {
				t.Skipf("set %s to run against %s", sqltest.EnvVar(name), name)
			}
			db, d, prefix := sqltest.Open(t, name, calls)
			widgettest.CheckCells(t, widget.SQL(db, d, widget.WithTablePrefix(prefix)))
		})
	}
	t.Run("clickhouse", func(t *testing.T) {
		cl := sqltest.OpenClickHouseCluster(t, calls)
		widgettest.CheckCells(t, widget.SQL(cl.DB, dialect.ClickHouse, widget.WithTablePrefix(cl.Prefix)))
	})
}

// TestMariaDBWarnings: where MariaDB answers with only a warning — a
// regex past PCRE2's match limit reads as false, a sum beyond
// DECIMAL(65,30) is clamped — the answer is refused by name, never a
// silently different one; the same widgets answer on the other databases
// as in memory.
func TestMariaDBWarnings(t *testing.T) {
	now := time.Date(2025, 11, 28, 18, 0, 0, 0, time.UTC)
	big := decimal.RequireFromString("99999999999999999999999999999999999")
	var calls []calldash.Call
	for i := range 20 {
		calls = append(calls, calldash.Call{ID: int64(i + 1), Timestamp: now.Add(-time.Duration(i+1) * time.Minute),
			Duration: calldash.Number(big), Topic: calldash.String(strings.Repeat("a", 5000) + "!")})
	}
	ts := `{"field":"timestamp","op":"gte","value":"today-1d"}`
	widgets := []string{
		`{"chart_type":"pie","field":"topic","filters":{"operator":"and","conditions":[` + ts + `,{"field":"topic","op":"regex","value":"(a|aa)*b|!"}]}}`,
		`{"chart_type":"bar","field":"duration","aggregation_function":"sum","time_period":"day","filters":` + ts + `}`,
	}
	opts := []widget.Option{widget.WithNow(now)}
	for _, name := range sqltest.Names {
		t.Run(name, func(t *testing.T) {
			if !sqltest.Available(name) {
				t.Skipf("set %s to run against %s", sqltest.EnvVar(name), name)
			}
			db, d, prefix := sqltest.Open(t, name, calls)
			for _, w := range widgets {
				spec, err := widget.Decode([]byte(w))
				if err != nil {
					t.Fatal(err)
				}
				want := widgettest.AnswerText(widget.Preview(context.Background(), spec, widget.Calls(calls), opts...))
				resp, err := widget.Preview(context.Background(), spec, widget.SQL(db, d, widget.WithTablePrefix(prefix)), opts...)
				switch got := widgettest.AnswerText(resp, err); {
				case err != nil && errors.Is(err, calldash.ErrDialect) && strings.Contains(err.Error(), "not supported on "+name):
					t.Logf("%s: refused: %v", w, err)
				case got != want:
					t.Errorf("%s:\n got %s\nwant %s", w, got, want)
				}
			}
		})
	}
}

// TestClickHouseDeadlineClause: with a deadline, every ClickHouse
// statement ends in SETTINGS max_execution_time (dialect.Deadliner), so
// that the server stops it by then; the clause must fit every statement
// shape, and the answers stay memory's.
func TestClickHouseDeadlineClause(t *testing.T) {
	calls := widgettest.CellCalls()
	cl := sqltest.OpenClickHouseCluster(t, calls)
	src := widget.SQL(cl.DB, dialect.ClickHouse, widget.WithTablePrefix(cl.Prefix))
	for i, c := range widgettest.CellCases() {
		if i%3 != 0 {
			continue // the cases within the cap
		}
		spec, err := widget.Decode([]byte(c.Widget))
		if err != nil {
			t.Fatal(err)
		}
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		got := widgettest.AnswerText(widget.Preview(ctx, spec, src, c.Opts...))
		cancel()
		if want := widgettest.AnswerText(widget.Preview(context.Background(), spec, widget.Calls(calls), c.Opts...)); got != want {
			t.Errorf("%s:\n got %.300s\nwant %.300s", c.Name, got, want)
		}
	}
}

// TestClickHouseCancel: cancelling the context (context.WithCancel, no
// deadline, so no max_execution_time) during a long ClickHouse statement
// returns the context's error, not the driver's, and the statement stops
// on both shards of the cluster within moments, also when the
// cancellation comes in the statement's first milliseconds (the driver's
// own Cancel packet then went unnoticed: the statement ran to its end).
// (The statement scans 8M rows; 18.16 checks for a cancellation between
// blocks, which a scan has many of. A statement's last stage, e.g. the
// sort of a percentile's values, runs to its end whether the driver
// cancels it or KILL QUERY does.)
func TestClickHouseCancel(t *testing.T) {
	now := time.Date(2025, 11, 28, 18, 0, 0, 0, time.UTC)
	start := now.Add(-24 * time.Hour)
	cl := sqltest.OpenClickHouseCluster(t, nil)
	d := dialect.ClickHouse
	const n = 8_000_000
	q := fmt.Sprintf("INSERT INTO %s (id, timestamp, duration, topic) SELECT number + 1, %d + number * 10000, toString(number %% 997), concat('Topic ', toString(number)) FROM numbers(%d)",
		d.Quote(cl.Prefix+"call_logs"), start.UnixNano(), n)
	if _, err := cl.DB.Exec(q); err != nil {
		t.Fatal(err)
	}
	// Case-insensitive matches of many values: much work per row block.
	var contains []string
	for i := range 80 {
		contains = append(contains, fmt.Sprintf(`{"field":"topic","op":"contains","value":"ſtraße %d"}`, i))
	}
	spec, err := widget.Decode([]byte(`{"chart_type":"bar","field":"duration","aggregation_function":"count","time_period":"hour",
		"filters":{"operator":"and","conditions":[{"field":"timestamp","op":"gte","value":"today-1d"},
		{"operator":"or","conditions":[` + strings.Join(contains, ",") + `]}]}}`))
	if err != nil {
		t.Fatal(err)
	}
	opts := []widget.Option{widget.WithNow(now), widget.WithTimePolicy(filter.TimePolicy{})}
	src := widget.SQL(cl.DB, d, widget.WithTablePrefix(cl.Prefix))
	const running = "SELECT count() FROM system.processes WHERE query LIKE concat('%', ?, 'call_logs%') AND query NOT LIKE '%system.processes%'"
	runs := func() int {
		total := 0
		for _, db := range cl.Shards {
			var k int
			if err := db.QueryRow(running, cl.Prefix).Scan(&k); err != nil {
				t.Fatal(err)
			}
			total += k
		}
		return total
	}
	for _, after := range []time.Duration{time.Millisecond, 5 * time.Millisecond, 10 * time.Millisecond, 20 * time.Millisecond, 50 * time.Millisecond, 150 * time.Millisecond} {
		t.Run(after.String(), func(t *testing.T) {
			ctx, cancel := context.WithCancel(context.Background())
			time.AfterFunc(after, cancel)
			_, err = widget.Preview(ctx, spec, src, opts...)
			if err == nil {
				t.Fatalf("the statement ended before the cancellation after %v: make it longer", after)
			}
			if !errors.Is(err, context.Canceled) {
				t.Fatalf("got %v, want context.Canceled", err)
			}
			// A bound on the server's clean-up, not a speed: generous,
			// as a loaded machine may take a while to run the KILL.
			for try := 0; runs() > 0; try++ {
				if try == 150 {
					t.Fatalf("the statement still runs on the server, 3 s after the preview was cancelled after %v", after)
				}
				time.Sleep(20 * time.Millisecond)
			}
		})
	}
}
