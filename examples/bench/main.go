// Command bench compares the sources of calldash on the widgets of the
// performance issue (W1–W4):
//
//	go run ./examples/bench [-n 1000000] [-seed 1] [-runs 5] [-cpuprofile file]
//	    [-memory-max 1000000] [-load-batch 200000] [-sqlite=true] [-postgres DSN] [-mysql DSN]
//	    [-clickhouse DSN] [-clickhouse2 DSN] [-cluster NAME] [-keep]
//
// It generates -n calls with a fixed seed over the 30 days before a fixed
// clock, answers each widget (W1–W4, top3) and a dashboard of 8 widgets in
// memory (from the slice of calls and from a widget.Table built once), in
// SQLite (in memory), and in PostgreSQL, MariaDB/MySQL and ClickHouse when
// their DSNs are given (flags, or the environment variables
// CALLDASH_POSTGRES_DSN, CALLDASH_MYSQL_DSN and CALLDASH_CLICKHOUSE_DSN),
// checks that every source gives the same bytes, and prints the median
// wall time of each widget per source with its ratio to the slice in
// memory.
//
// The calls are never all held at once but for the slice of the memory
// source: they are generated afresh (sample.Seq, the calls of
// sample.Generate) for each consumer, the Table (widget.ReadTable) and
// each database, which loads them -load-batch at a time. Above -memory-max
// calls (a slice of a million calls takes about 2 GB) there is no slice:
// the memory column reads "-", and the Table is the reference of the
// ratios and of the identical-answers check.
//
// ClickHouse is measured twice: on the single server of -clickhouse, and,
// when -clickhouse2 names the second shard of the cluster -cluster (whose
// first shard is the -clickhouse server, as .ci/clickhouse.sh starts it),
// over the sharded default layout's Distributed tables ("clickhouse-2sh").
//
// For each database it also times hand-written queries next to the
// generated ones (W1 everywhere; W1–W4 and top3 on ClickHouse), and for
// PostgreSQL it prints the plan of the 7-day W4 statement (auto_explain),
// which shows whether the timestamp index is used. The databases get
// scratch tables under a fresh prefix (package sqlstore), dropped at the
// end; with -keep, PostgreSQL's and ClickHouse's tables are named after -n
// and -seed instead, kept, and reused by the next run with the same -n and
// -seed (loading a million calls takes minutes). It exits with status 1
// when answers differ or a database fails, 2 on bad flags.
package main

import (
	"bytes"
	"cmp"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"iter"
	"maps"
	"os"
	"runtime"
	"runtime/pprof"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	_ "github.com/go-sql-driver/mysql"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/stdlib"
	"github.com/shopspring/decimal"

	"github.com/calldash/calldash"
	_ "github.com/calldash/calldash/dialect/sqlitefn" // modernc.org/sqlite and calldash's SQLite functions

	"github.com/calldash/calldash/dialect"
	"github.com/calldash/calldash/examples/internal/copier"
	"github.com/calldash/calldash/examples/internal/sqltest"
	"github.com/calldash/calldash/filter"
	"github.com/calldash/calldash/sample"
	"github.com/calldash/calldash/sqlgen"
	"github.com/calldash/calldash/sqlstore"
	"github.com/calldash/calldash/widget"
)

func main() {
	os.Exit(run(context.Background(), os.Args[1:], os.Stdout, os.Stderr))
}

// The widgets of the performance issue.
var widgets = []struct{ name, spec, zone string }{
	{"W1", `{"chart_type":"bar","field":"duration","aggregation_function":"avg","time_period":"day","filters":{"operator":"and","conditions":[{"field":"success","op":"eq","value":true},{"field":"duration","op":"gte","value":60}]}}`, "UTC"},
	{"W2", `{"chart_type":"bar","field":"duration","aggregation_function":"avg","time_period":"day","filters":{"operator":"and","conditions":[{"field":"success","op":"eq","value":true},{"field":"duration","op":"gte","value":60}]}}`, "America/New_York"},
	{"W3", `{"chart_type":"pie","field":"call_ended_reason"}`, "UTC"},
	{"W4", `{"chart_type":"bar","field":"duration","aggregation_function":"p95","time_period":"hour","filters":{"field":"timestamp","op":"gte","value":"now-7d"}}`, "UTC"},
	{"top3", `{"chart_type":"bar","field":"duration","aggregation_function":"avg","group_by":{"type":"field","field":"agent.id"}}`, "UTC"},
}

// dashboard is a dashboard of 8 widgets (that of widget's BenchmarkDashboard),
// answered with one PreviewMany, one widget at a time.
var dashboard = []string{
	widgets[0].spec, widgets[2].spec, widgets[3].spec, widgets[4].spec,
	`{"chart_type":"bar","field":"success","aggregation_function":"avg","time_period":"day"}`,
	`{"chart_type":"pie","field":"topic","filters":{"field":"success","op":"eq","value":false}}`,
	`{"chart_type":"bar","field":"topic","time_period":"week","group_by":{"type":"field","field":"call_ended_reason"}}`,
	`{"chart_type":"stat"}`,
}

// now is the fixed clock: the calls cover the 30 days before it.
var now = time.Date(2025, 11, 28, 0, 0, 0, 0, time.UTC)

// handW1 is W1 as a person would write it for each engine, over the same
// tables: the comparison the generated statement should stand.
var handW1 = map[string]string{
	"sqlite":   `SELECT "timestamp" / 86400000000000 AS d, COUNT(*), COUNT(duration), SUM(CAST(duration AS REAL)) FROM %scall_logs WHERE success = 1 AND CAST(duration AS REAL) >= 60 GROUP BY d`,
	"postgres": `SELECT date_trunc('day', "timestamp" AT TIME ZONE 'UTC') AS d, COUNT(*), COUNT(duration), SUM(duration) FROM %scall_logs WHERE success AND duration >= 60 GROUP BY d`,
	"mysql":    "SELECT DATE(`timestamp`) AS d, COUNT(*), COUNT(duration), SUM(duration) FROM %scall_logs WHERE success = 1 AND duration >= 60 GROUP BY d",
	"clickhouse": "SELECT intDiv(`timestamp`, 86400000000000) AS d, count(), count(duration), sum(toDecimal128(ifNull(duration, '0'), 18)) " +
		"FROM %scall_logs WHERE success = 1 AND toDecimal128(ifNull(duration, '0'), 18) >= 60 AND isNotNull(duration) GROUP BY d",
}

// A backend is one source of answers.
type backend struct {
	name   string
	src    widget.Source
	engine string // dialect name for databases; "" in memory
	db     *sql.DB
	prefix string
	times  []time.Duration // per widget, then the dashboard
	answer [][]byte        // per widget, then the dashboard
	err    error
	skip   bool               // not answered: the memory source above -memory-max
	hand   [2]time.Duration   // W1 generated, W1 by hand
	hands  [][2]time.Duration // ClickHouse: per widget, generated and by hand
	plan   string
}

type config struct {
	n, runs int
	memMax  int // the memory source answers up to this many calls
	batch   int // calls per load
	seed    uint64
	sqlite  bool
	pg, my  string
	ch, ch2 string // ClickHouse: the server (shard 1 of the cluster), shard 2
	cluster string
	keep    bool
	profile string
	stdout  io.Writer
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("bench", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var cfg config
	fs.IntVar(&cfg.n, "n", 1_000_000, "number of generated calls")
	fs.Uint64Var(&cfg.seed, "seed", 1, "seed of the generated calls")
	fs.IntVar(&cfg.runs, "runs", 5, "runs per widget and source (the median is printed)")
	fs.IntVar(&cfg.batch, "load-batch", 200_000, "calls per load into a database (each load builds its rows in memory)")
	fs.IntVar(&cfg.memMax, "memory-max", 1_000_000, "answer from a slice of the calls (the memory source) only up to this many calls; above, the Table is the reference")
	fs.BoolVar(&cfg.sqlite, "sqlite", true, "also answer from SQLite (in memory)")
	fs.StringVar(&cfg.pg, "postgres", os.Getenv("CALLDASH_POSTGRES_DSN"), "PostgreSQL DSN (pgx URL); default $CALLDASH_POSTGRES_DSN")
	fs.StringVar(&cfg.my, "mysql", os.Getenv("CALLDASH_MYSQL_DSN"), "MariaDB/MySQL DSN (go-sql-driver form); default $CALLDASH_MYSQL_DSN")
	fs.StringVar(&cfg.ch, "clickhouse", os.Getenv("CALLDASH_CLICKHOUSE_DSN"), "ClickHouse DSN (clickhouse-go form), the single server and shard 1 of -cluster; default $CALLDASH_CLICKHOUSE_DSN")
	fs.StringVar(&cfg.ch2, "clickhouse2", os.Getenv("CALLDASH_CLICKHOUSE_DSN2"), "ClickHouse DSN of shard 2 of -cluster (\"\" for no cluster); default $CALLDASH_CLICKHOUSE_DSN2")
	fs.StringVar(&cfg.cluster, "cluster", cmp.Or(os.Getenv("CALLDASH_CLICKHOUSE_CLUSTER"), "calldash"), "ClickHouse cluster of the two shards; default $CALLDASH_CLICKHOUSE_CLUSTER or calldash")
	fs.BoolVar(&cfg.keep, "keep", false, "keep PostgreSQL's and ClickHouse's tables (named after -n and -seed) and reuse them in the next run")
	fs.StringVar(&cfg.profile, "cpuprofile", "", "write a CPU profile of the widget runs (not of loading) to this file")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if cfg.n <= 0 || cfg.runs <= 0 || cfg.batch <= 0 || fs.NArg() > 0 {
		fmt.Fprintln(stderr, "bench: -n, -runs and -load-batch must be positive, and there are no arguments")
		return 2
	}
	cfg.stdout = stdout

	fmt.Fprintf(stdout, "calldash bench: %d calls (seed %d), %d runs per widget, %s, GOMAXPROCS %d\n",
		cfg.n, cfg.seed, cfg.runs, runtime.Version(), runtime.GOMAXPROCS(0))
	calls := sample.Seq(sample.Config{Seed: cfg.seed, N: cfg.n, Start: now.AddDate(0, 0, -30), End: now})
	start := time.Now()
	table := widget.ReadTable(calls)
	fmt.Fprintf(stdout, "widget.ReadTable: %s (generating the calls included)\n", ms(time.Since(start)))
	mem := &backend{name: "memory", skip: true}
	if cfg.n <= cfg.memMax {
		mem = &backend{name: "memory", src: widget.Calls(slices.Collect(calls))}
	} else {
		fmt.Fprintf(stdout, "memory: skipped (more than -memory-max %d calls); the table is the reference\n", cfg.memMax)
	}
	fmt.Fprintln(stdout)

	backends := []*backend{mem, {name: "table", src: table}}
	var cleanups []func()
	defer func() {
		for _, c := range slices.Backward(cleanups) {
			c()
		}
	}()
	dbs := []struct {
		name, driver, dsn string
		d                 dialect.Dialect
	}{
		{"sqlite", "sqlite", ":memory:", dialect.SQLite},
		{"postgres", "pgx", cfg.pg, dialect.Postgres},
		{"mariadb", "mysql", cfg.my, dialect.MySQL},
		{"clickhouse", "clickhouse", cfg.ch, dialect.ClickHouse},
	}
	failed := false
	for _, d := range dbs {
		switch {
		case d.name == "sqlite" && !cfg.sqlite:
			continue
		case d.dsn == "":
			fmt.Fprintf(stdout, "%s: skipped (no DSN; set -%s or $CALLDASH_%s_DSN)\n", d.name, flagOf(d.name), strings.ToUpper(flagOf(d.name)))
			continue
		}
		b, cleanup, err := open(ctx, d.name, d.driver, d.dsn, d.d, calls, &cfg)
		if cleanup != nil {
			cleanups = append(cleanups, cleanup)
		}
		if err != nil {
			fmt.Fprintf(stdout, "%s: skipped: %v\n", d.name, err)
			failed = true
			continue
		}
		backends = append(backends, b)
		if d.name == "clickhouse" && cfg.ch2 != "" {
			b2, cleanup, err := openCluster(ctx, b, &cfg)
			if cleanup != nil {
				cleanups = append(cleanups, cleanup)
			}
			if err != nil {
				fmt.Fprintf(stdout, "clickhouse-2sh: skipped: %v\n", err)
				failed = true
				continue
			}
			backends = append(backends, b2)
		}
	}
	fmt.Fprintln(stdout)

	if cfg.profile != "" {
		stop, err := startProfile(cfg.profile)
		if err != nil {
			fmt.Fprintf(stderr, "bench: %v\n", err)
			return 1
		}
		defer stop()
	}
	for _, b := range backends {
		b.times = make([]time.Duration, len(widgets)+1)
		b.answer = make([][]byte, len(widgets)+1)
		if b.skip {
			continue
		}
		for i, w := range widgets {
			b.times[i], b.answer[i], b.err = timeWidget(ctx, w.spec, w.zone, b.src, cfg.runs)
			if b.err != nil {
				fmt.Fprintf(stdout, "%s %s: %v\n", b.name, w.name, b.err)
				failed = true
				break
			}
		}
		if b.err == nil {
			n := len(widgets)
			if b.times[n], b.answer[n], b.err = timeDashboard(ctx, b.src, cfg.runs); b.err != nil {
				fmt.Fprintf(stdout, "%s dashboard: %v\n", b.name, b.err)
				failed = true
			}
		}
	}
	printTable(stdout, backends)

	// Every source must give the bytes of the reference: the memory
	// source, or the Table without it.
	ref := reference(backends)
	same := ref.err == nil
	for _, b := range backends {
		if b == ref || b.err != nil || b.skip {
			continue
		}
		for i := range b.answer {
			if string(b.answer[i]) != string(ref.answer[i]) {
				same = false
				fmt.Fprintf(stdout, "DIFFERENT: %s %s\n  %s: %.300s\n  %s: %.300s\n", rowName(i), b.name, ref.name, ref.answer[i], b.name, b.answer[i])
			}
		}
	}
	if same {
		fmt.Fprintln(stdout, "answers: identical across every source")
	} else {
		failed = true
	}

	for _, b := range backends {
		if b.db == nil || b.err != nil {
			continue
		}
		if err := handTuned(ctx, b, cfg.runs); err != nil {
			fmt.Fprintf(stdout, "%s hand-written W1: %v\n", b.name, err)
			failed = true
			continue
		}
	}
	printHand(stdout, backends)
	for _, b := range backends {
		if b.engine != "clickhouse" || b.err != nil {
			continue
		}
		if err := handClickHouse(ctx, b, cfg.runs); err != nil {
			fmt.Fprintf(stdout, "%s hand-written: %v\n", b.name, err)
			failed = true
		}
	}
	printHandClickHouse(stdout, backends)
	for _, b := range backends {
		if b.plan != "" {
			fmt.Fprintf(stdout, "\nPostgreSQL plan of the W4 statement (7 days, hour buckets, p95):\n%s\n", b.plan)
		}
	}
	if failed {
		return 1
	}
	return 0
}

// startProfile starts a CPU profile written to path; stop ends it.
func startProfile(path string) (stop func(), err error) {
	f, err := os.Create(path)
	if err != nil {
		return nil, err
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		f.Close()
		return nil, err
	}
	return func() {
		pprof.StopCPUProfile()
		f.Close()
	}, nil
}

func flagOf(name string) string {
	if name == "mariadb" {
		return "mysql"
	}
	return name
}

// reference is the source the others are compared with: the memory
// source, or the Table when the memory source is skipped.
func reference(backends []*backend) *backend {
	if backends[0].skip {
		return backends[1]
	}
	return backends[0]
}

// loadStream loads the calls of seq into the tables of prefix, size at
// a time (sqlstore builds the rows of a load's calls before writing them;
// each load is its own transaction), through the database's bulk path,
// writing each agent and metric once.
func loadStream(ctx context.Context, db *sql.DB, d dialect.Dialect, prefix string, seq iter.Seq[calldash.Call], size int) error {
	l := sqlstore.Loader{Copier: &onceCopier{Copier: copier.For(d), prefix: prefix, seen: map[onceKey]bool{}}}
	batch := make([]calldash.Call, 0, size)
	flush := func() error {
		if len(batch) == 0 {
			return nil
		}
		err := l.Load(ctx, db, d, prefix, slices.Values(batch))
		clear(batch)
		batch = batch[:0]
		return err
	}
	for c := range seq {
		if batch = append(batch, c); len(batch) == size {
			if err := flush(); err != nil {
				return err
			}
		}
	}
	return flush()
}

// A onceCopier writes the rows of the agents and metrics tables whose id
// (the first column) an earlier load through it has not written: each
// load of a batch of calls brings the agents and metrics of its calls.
type onceCopier struct {
	sqlstore.Copier
	prefix string
	seen   map[onceKey]bool
}

type onceKey struct {
	table string
	id    any
}

func (c *onceCopier) Copy(ctx context.Context, t *sqlstore.CopyTable) error {
	if t.Name != c.prefix+"agents" && t.Name != c.prefix+"metrics" {
		return c.Copier.Copy(ctx, t)
	}
	fresh := *t
	fresh.Rows = nil
	for _, r := range t.Rows {
		if k := (onceKey{t.Name, r[0]}); !c.seen[k] {
			c.seen[k] = true
			fresh.Rows = append(fresh.Rows, r)
		}
	}
	if len(fresh.Rows) == 0 {
		return nil
	}
	return c.Copier.Copy(ctx, &fresh)
}

// open loads the calls into scratch tables of a database.
func open(ctx context.Context, name, driver, dsn string, d dialect.Dialect, calls iter.Seq[calldash.Call], cfg *config) (*backend, func(), error) {
	var db *sql.DB
	var nt *notices
	if driver == "pgx" {
		pc, err := pgx.ParseConfig(dsn)
		if err != nil {
			return nil, nil, err
		}
		nt = &notices{}
		pc.OnNotice = nt.add
		db = stdlib.OpenDB(*pc)
	} else if driver == "clickhouse" {
		var err error
		if db, err = sqltest.OpenClickHouseDSN(dsn); err != nil {
			return nil, nil, err
		}
	} else {
		var err error
		if db, err = sql.Open(driver, dsn); err != nil {
			return nil, nil, err
		}
	}
	// One connection: SQLite's :memory: lives with it, and the session
	// settings of auto_explain apply to it.
	db.SetMaxOpenConns(1)
	prefix := sqlstore.NewPrefix()
	keep := cfg.keep && name != "sqlite"
	if keep {
		prefix = keptPrefix(cfg, "")
	}
	cleanup := func() {
		if !keep {
			sqlstore.Drop(context.WithoutCancel(ctx), db, d, prefix)
		}
		db.Close()
	}
	start := time.Now()
	if keep && holds(ctx, db, d, prefix+"call_logs", cfg.n) {
		fmt.Fprintf(cfg.stdout, "%s: reusing the tables %s*\n", name, prefix)
	} else {
		if keep {
			sqlstore.Drop(ctx, db, d, prefix)
		}
		if err := sqlstore.Create(ctx, db, d, prefix); err != nil {
			return nil, cleanup, err
		}
		if err := loadStream(ctx, db, d, prefix, calls, cfg.batch); err != nil {
			return nil, cleanup, err
		}
		if name == "postgres" {
			db.ExecContext(ctx, "ANALYZE "+d.Quote(prefix+"call_logs"))
		}
		fmt.Fprintf(cfg.stdout, "%s: loaded in %s\n", name, ms(time.Since(start)))
	}
	b := &backend{name: name, engine: name, db: db, prefix: prefix, src: widget.SQL(db, d, widget.WithTablePrefix(prefix))}
	if nt != nil {
		b.plan = explainW4(ctx, b, nt)
	}
	return b, cleanup, nil
}

// keptPrefix is the table prefix of -keep: the same for the same -n and -seed.
func keptPrefix(cfg *config, kind string) string {
	return fmt.Sprintf("bench%d_%d%s_", cfg.n, cfg.seed, kind)
}

// holds reports whether the table exists and has n rows.
func holds(ctx context.Context, db *sql.DB, d dialect.Dialect, table string, n int) bool {
	var got int64
	err := db.QueryRowContext(ctx, "SELECT COUNT(*) FROM "+d.Quote(table)).Scan(&got)
	return err == nil && got == int64(n)
}

// openCluster puts the calls of the single-server backend ch into the
// sharded default layout of the two-shard cluster (whose shard 1 is ch's
// server): local tables on both shards, Distributed tables on shard 1,
// filled from ch's tables inside the servers (the sharding key spreads
// the rows), agents and metrics copied to shard 2.
func openCluster(ctx context.Context, ch *backend, cfg *config) (*backend, func(), error) {
	d := dialect.ClickHouse
	db2, err := sqltest.OpenClickHouseDSN(cfg.ch2)
	if err != nil {
		return nil, nil, err
	}
	shards := []*sql.DB{ch.db, db2}
	prefix := sqlstore.NewPrefix()
	if cfg.keep {
		prefix = keptPrefix(cfg, "c")
	}
	tables := []string{"call_logs", "metric_evaluations", "call_logs" + sqlgen.ShardSuffix, "metric_evaluations" + sqlgen.ShardSuffix, "agents", "metrics"}
	drop := func() {
		for _, db := range shards {
			for _, t := range tables {
				db.ExecContext(context.WithoutCancel(ctx), "DROP TABLE IF EXISTS "+d.Quote(prefix+t))
			}
		}
	}
	cleanup := func() {
		if !cfg.keep {
			drop()
		}
		db2.Close()
	}
	b := &backend{name: "clickhouse-2sh", engine: "clickhouse", db: ch.db, prefix: prefix,
		src: widget.SQL(ch.db, d, widget.WithTablePrefix(prefix))}
	if cfg.keep && holds(ctx, ch.db, d, prefix+"call_logs", cfg.n) {
		fmt.Fprintf(cfg.stdout, "clickhouse-2sh: reusing the tables %s*\n", prefix)
		return b, cleanup, nil
	}
	drop()
	start := time.Now()
	shardDDL, distDDL := sqlgen.CreateShardedTables(d.(dialect.Sharder), prefix, cfg.cluster)
	for i, db := range shards {
		for _, stmt := range shardDDL {
			if _, err := db.ExecContext(ctx, stmt); err != nil {
				return nil, cleanup, fmt.Errorf("shard %d: %v", i+1, err)
			}
		}
	}
	for _, stmt := range distDDL {
		if _, err := ch.db.ExecContext(ctx, stmt); err != nil {
			return nil, cleanup, err
		}
	}
	for _, t := range []string{"agents", "metrics", "call_logs", "metric_evaluations"} {
		stmt := "INSERT INTO " + d.Quote(prefix+t) + " SELECT * FROM " + d.Quote(ch.prefix+t)
		if _, err := ch.db.ExecContext(ctx, stmt); err != nil {
			return nil, cleanup, fmt.Errorf("%v\n%s", err, stmt)
		}
	}
	host := strings.TrimPrefix(cfg.ch, "clickhouse://")
	if i := strings.IndexAny(host, "/?"); i >= 0 {
		host = host[:i]
	}
	for _, t := range []string{"agents", "metrics"} {
		stmt := "INSERT INTO " + d.Quote(prefix+t) + " SELECT * FROM remote(?, currentDatabase(), ?)"
		if _, err := db2.ExecContext(ctx, stmt, host, prefix+t); err != nil {
			return nil, cleanup, fmt.Errorf("shard 2: copy %s: %v", t, err)
		}
	}
	fmt.Fprintf(cfg.stdout, "clickhouse-2sh: loaded in %s\n", ms(time.Since(start)))
	return b, cleanup, nil
}

// notices collects PostgreSQL notices (auto_explain's plans).
type notices struct {
	mu   sync.Mutex
	msgs []string
}

func (n *notices) add(_ *pgconn.PgConn, m *pgconn.Notice) {
	n.mu.Lock()
	defer n.mu.Unlock()
	n.msgs = append(n.msgs, m.Message)
}

// explainW4 answers W4 once with auto_explain on, which reports the plan
// of the statement the SQL source ran.
func explainW4(ctx context.Context, b *backend, nt *notices) string {
	for _, s := range []string{"LOAD 'auto_explain'", "SET auto_explain.log_min_duration = 0", "SET auto_explain.log_level = 'notice'"} {
		if _, err := b.db.ExecContext(ctx, s); err != nil {
			return fmt.Sprintf("(no plan: %s: %v)", s, err)
		}
	}
	defer b.db.ExecContext(ctx, "SET auto_explain.log_min_duration = -1")
	nt.mu.Lock()
	nt.msgs = nil
	nt.mu.Unlock()
	w := widgets[3]
	if _, _, err := timeWidget(ctx, w.spec, w.zone, b.src, 1); err != nil {
		return fmt.Sprintf("(no plan: %v)", err)
	}
	nt.mu.Lock()
	defer nt.mu.Unlock()
	for _, m := range nt.msgs {
		if strings.Contains(m, "call_logs") { // the run's only statement
			if strings.Contains(m, "_timestamp") {
				return m + "\n=> the timestamp index is used"
			}
			return m + "\n=> the timestamp index is NOT used"
		}
	}
	return "(no plan reported)"
}

// timeWidget answers a widget runs times and returns the median time and
// the response JSON.
func timeWidget(ctx context.Context, spec, zone string, src widget.Source, runs int) (time.Duration, []byte, error) {
	loc, err := time.LoadLocation(zone)
	if err != nil {
		return 0, nil, err
	}
	// One goroutine per widget, as the targets are per core (by
	// default a slice of calls is read by every core).
	opts := []widget.Option{widget.WithNow(now), widget.WithLocation(loc), widget.WithTimePolicy(filter.TimePolicy{}),
		widget.WithParallelism(1), widget.WithTopGroups(3)}
	s, err := widget.Decode([]byte(spec))
	if err != nil {
		return 0, nil, err
	}
	return median(runs, func() ([]byte, error) {
		resp, err := widget.Preview(ctx, s, src, opts...)
		if err != nil {
			return nil, err
		}
		return resp.AppendJSON(nil), nil
	})
}

// median runs answer runs times and returns the median time and the last answer.
func median(runs int, answer func() ([]byte, error)) (time.Duration, []byte, error) {
	var out []byte
	times := make([]time.Duration, runs)
	for i := range runs {
		start := time.Now()
		var err error
		out, err = answer()
		times[i] = time.Since(start)
		if err != nil {
			return 0, nil, err
		}
	}
	slices.Sort(times)
	return times[runs/2], out, nil
}

// timeDashboard answers the dashboard runs times with PreviewMany, one
// widget at a time, and returns the median time and the responses' JSON.
func timeDashboard(ctx context.Context, src widget.Source, runs int) (time.Duration, []byte, error) {
	opts := []widget.Option{widget.WithNow(now), widget.WithTimePolicy(filter.TimePolicy{}),
		widget.WithParallelism(1), widget.WithTopGroups(3)}
	specs := make([]*widget.Spec, len(dashboard))
	for i, w := range dashboard {
		s, err := widget.Decode([]byte(w))
		if err != nil {
			return 0, nil, err
		}
		specs[i] = s
	}
	return median(runs, func() ([]byte, error) {
		resps, errs := widget.PreviewMany(ctx, specs, src, opts...)
		var out []byte
		for j, err := range errs {
			if err != nil {
				return nil, err
			}
			out = resps[j].AppendJSON(out)
		}
		return out, nil
	})
}

// rowName names row i of the table: a widget, or the dashboard.
func rowName(i int) string {
	if i == len(widgets) {
		return "dash"
	}
	return widgets[i].name
}

// handCH is each widget as a person would write it for ClickHouse
// over the default layout's tables (%[1]s: call_logs; %[2]d: W4's first
// instant), computing the widget's answer: the same buckets, groups,
// counts, exact decimal sums and percentiles, which handClickHouse checks
// against the widget's response. Each row is (bucket or label, count,
// count of values, sum or percentile of the values); the widget's avg is
// the sum over the count of values.
//
// W2's days come from ClickHouse's own time zone data (toDate in
// America/New_York), which gives the widget's days on this data: the
// check passes over its DST change (2025-11-02). W4's p95 is the nearest
// rank ⌈0.95·n⌉ of the sorted values, taken with arrayElement from
// arraySort over groupArray of Float64s (quantileExact takes rank
// ⌊0.95·n⌋+1, 18.16 has no quantileExactLow/High, and its groupArray of
// Decimals crashes the server); the durations have at most 3 decimals,
// so their Float64s print back as the same decimals. top3 gives the
// widget's rows: per day, the 3 agents with the most calls over all days
// (ties by null, then label, as the widget breaks them; GLOBAL IN, so
// that the set is taken over every shard) and the rest folded into
// "Other" (no agent id reads "Other", which the widget would fold too).
var handCH = []string{
	"SELECT intDiv(`timestamp`, 86400000000000) AS d, count(), count(duration), sum(toDecimal128(ifNull(duration, '0'), 18)) " +
		"FROM %[1]s WHERE success = 1 AND toDecimal128(ifNull(duration, '0'), 18) >= 60 AND isNotNull(duration) GROUP BY d",
	"SELECT toDate(toDateTime(intDiv(`timestamp`, 1000000000)), 'America/New_York') AS d, count(), count(duration), sum(toDecimal128(ifNull(duration, '0'), 18)) " +
		"FROM %[1]s WHERE success = 1 AND toDecimal128(ifNull(duration, '0'), 18) >= 60 AND isNotNull(duration) GROUP BY d",
	"SELECT call_ended_reason, count(), 0, 0 FROM %[1]s GROUP BY call_ended_reason",
	"SELECT intDiv(`timestamp`, 3600000000000) AS h, count(), count(duration), " +
		"arrayElement(arraySort(groupArray(toFloat64OrNull(duration))), intDiv(count(duration) * 95 + 99, 100)) " +
		"FROM %[1]s WHERE `timestamp` >= %[2]d GROUP BY h",
	"SELECT concat(toString(intDiv(`timestamp`, 86400000000000)), ' ', ifNull(if((isNull(agent_id), ifNull(toString(agent_id), '')) GLOBAL IN " +
		"(SELECT isNull(agent_id) AS top_null, ifNull(toString(agent_id), '') AS top_g FROM %[1]s GROUP BY top_null, top_g ORDER BY count() DESC, top_null, top_g LIMIT 3), " +
		"toString(agent_id), 'Other'), 'null')) AS dg, count(), count(duration), sum(toDecimal128(ifNull(duration, '0'), 18)) FROM %[1]s GROUP BY dg",
}

// handKey turns the first column of widget i's hand-written rows into the
// key handRows gives the widget's bucket, slice or group.
func handKey(i int, v string) (string, error) {
	switch widgets[i].name {
	case "W1", "W4", "top3":
		unit, rest := int64(86400), ""
		if widgets[i].name == "W4" {
			unit = 3600
		}
		if widgets[i].name == "top3" {
			v, rest, _ = strings.Cut(v, " ")
			rest = " " + rest
		}
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			return "", err
		}
		return time.Unix(n*unit, 0).UTC().Format(time.DateTime) + rest, nil
	case "W2": // a Date, which the driver reads as a time.Time
		if len(v) < 10 {
			return "", fmt.Errorf("%q is not a date", v)
		}
		return v[:10] + " 00:00:00", nil
	}
	return v, nil
}

// A handRow is one bucket, slice or group of an answer: its count of
// calls and its value (an avg, a percentile or, for a pie, the count).
type handRow struct {
	count int64
	value string // a decimal, "" for null
}

// widgetRows reads the rows of a widget's response: bars by their
// bucket's wall time (and group), slices by label; empty buckets are left
// out, as a GROUP BY has no row for them.
func widgetRows(answer []byte, grouped bool) (map[string]handRow, error) {
	var resp struct {
		Data []struct {
			TimeInterval *string     `json:"time_interval"`
			Label        *string     `json:"label"`
			Group        *string     `json:"group"`
			Value        json.Number `json:"value"`
			SampleCount  *int64      `json:"sample_count"`
		} `json:"data"`
	}
	dec := json.NewDecoder(bytes.NewReader(answer))
	dec.UseNumber()
	if err := dec.Decode(&resp); err != nil {
		return nil, err
	}
	rows := map[string]handRow{}
	for _, d := range resp.Data {
		if d.TimeInterval == nil { // a slice: the value is the count
			n, err := d.Value.Int64()
			if err != nil {
				return nil, err
			}
			rows[deref(d.Label)] = handRow{n, d.Value.String()}
			continue
		}
		if d.SampleCount == nil || *d.SampleCount == 0 {
			continue
		}
		t, err := time.Parse(time.RFC3339, *d.TimeInterval)
		if err != nil {
			return nil, err
		}
		key := t.Format(time.DateTime)
		if grouped {
			key += " " + deref(d.Group)
		}
		rows[key] = handRow{*d.SampleCount, d.Value.String()}
	}
	return rows, nil
}

func deref(s *string) string {
	if s == nil {
		return "null"
	}
	return *s
}

// handRows reads the rows of widget i's hand-written query in the form
// of widgetRows: the avg of a sum is rounded as the widget rounds it (4
// places, half away from zero).
func handRows(ctx context.Context, db *sql.DB, i int, text string) (map[string]handRow, error) {
	rs, err := db.QueryContext(ctx, text)
	if err != nil {
		return nil, err
	}
	defer rs.Close()
	rows := map[string]handRow{}
	for rs.Next() {
		var key sql.NullString
		var count, values int64
		var agg sql.NullString
		if err := rs.Scan(&key, &count, &values, &agg); err != nil {
			return nil, err
		}
		k, err := handKey(i, cmp.Or(key.String, "null"))
		if err != nil {
			return nil, err
		}
		r := handRow{count: count}
		switch name := widgets[i].name; {
		case name == "W3":
			r.value = strconv.FormatInt(count, 10)
		case values == 0:
		case name == "W4":
			f, err := strconv.ParseFloat(agg.String, 64)
			if err != nil {
				return nil, err
			}
			r.value = strconv.FormatFloat(f, 'f', -1, 64)
		default:
			sum, err := decimal.NewFromString(agg.String)
			if err != nil {
				return nil, err
			}
			r.value = sum.DivRound(decimal.NewFromInt(values), 4).String()
		}
		rows[k] = r
	}
	return rows, rs.Err()
}

// sameRows returns an error naming the first difference between the
// widget's rows and the hand-written query's (values compared as
// decimals).
func sameRows(widget, hand map[string]handRow) error {
	keys := slices.Sorted(maps.Keys(widget))
	for k := range hand {
		if _, ok := widget[k]; !ok {
			keys = append(keys, k)
		}
	}
	for _, k := range keys {
		w, ok := widget[k]
		h, hok := hand[k]
		switch {
		case !ok:
			return fmt.Errorf("%q: no such row in the widget's answer, %v by hand", k, h)
		case !hok:
			return fmt.Errorf("%q: %v in the widget's answer, no such row by hand", k, w)
		case w.count != h.count:
			return fmt.Errorf("%q: count %d in the widget's answer, %d by hand", k, w.count, h.count)
		case (w.value == "" || w.value == "null") != (h.value == ""):
			return fmt.Errorf("%q: value %q in the widget's answer, %q by hand", k, w.value, h.value)
		case h.value != "" && !decimal.RequireFromString(w.value).Equal(decimal.RequireFromString(h.value)):
			return fmt.Errorf("%q: value %s in the widget's answer, %s by hand", k, w.value, h.value)
		}
	}
	return nil
}

// handClickHouse checks that each hand-written query gives the widget's
// answer, then times the widget's generated statement (through Preview)
// and the hand-written query alternately.
func handClickHouse(ctx context.Context, b *backend, runs int) error {
	d := dialect.ClickHouse
	b.hands = make([][2]time.Duration, len(handCH))
	for i, h := range handCH {
		text := fmt.Sprintf(h, d.Quote(b.prefix+"call_logs"), now.AddDate(0, 0, -7).UnixNano())
		want, err := widgetRows(b.answer[i], widgets[i].name == "top3")
		if err != nil {
			return fmt.Errorf("%s: the widget's answer: %v", widgets[i].name, err)
		}
		got, err := handRows(ctx, b.db, i, text)
		if err != nil {
			return fmt.Errorf("%s: %v\n%s", widgets[i].name, err, text)
		}
		if err := sameRows(want, got); err != nil {
			return fmt.Errorf("%s: the hand-written query does not give the widget's answer: %v\n%s", widgets[i].name, err, text)
		}
		gen, hand := make([]time.Duration, runs), make([]time.Duration, runs)
		for r := range runs {
			t, _, err := timeWidget(ctx, widgets[i].spec, widgets[i].zone, b.src, 1)
			if err != nil {
				return err
			}
			gen[r] = t
			start := time.Now()
			if err := drain(ctx, b.db, text); err != nil {
				return fmt.Errorf("%s: %v\n%s", widgets[i].name, err, text)
			}
			hand[r] = time.Since(start)
		}
		slices.Sort(gen)
		slices.Sort(hand)
		b.hands[i] = [2]time.Duration{gen[runs/2], hand[runs/2]}
	}
	return nil
}

// drain runs a query and reads its rows; it fails when there are none.
func drain(ctx context.Context, db *sql.DB, text string) error {
	rows, err := db.QueryContext(ctx, text)
	if err != nil {
		return err
	}
	defer rows.Close()
	n := 0
	for rows.Next() {
		n++
	}
	if err := rows.Err(); err != nil {
		return err
	}
	if n == 0 {
		return errors.New("the hand-written query found no rows")
	}
	return nil
}

func printHandClickHouse(w io.Writer, backends []*backend) {
	for _, b := range backends {
		if b.hands == nil {
			continue
		}
		fmt.Fprintf(w, "\n%s, generated statement (through Preview) vs hand-written query (the same rows):\n%-7s %12s %12s %8s\n", b.name, "widget", "generated", "by hand", "ratio")
		for i, h := range b.hands {
			fmt.Fprintf(w, "%-7s %12s %12s %8s\n", widgets[i].name, ms(h[0]), ms(h[1]), ratio(h[0], h[1]))
		}
	}
}

// handTuned times the generated W1 and a hand-written W1 alternately.
func handTuned(ctx context.Context, b *backend, runs int) error {
	text := fmt.Sprintf(handW1[b.engine], b.prefix)
	if b.engine == "mariadb" {
		text = fmt.Sprintf(handW1["mysql"], b.prefix)
	}
	if b.engine == "postgres" {
		text = strings.Replace(text, b.prefix+"call_logs", `"`+b.prefix+`call_logs"`, 1)
	}
	gen, hand := make([]time.Duration, runs), make([]time.Duration, runs)
	w := widgets[0]
	for i := range runs {
		d, _, err := timeWidget(ctx, w.spec, w.zone, b.src, 1)
		if err != nil {
			return err
		}
		gen[i] = d
		start := time.Now()
		rows, err := b.db.QueryContext(ctx, text)
		if err != nil {
			return fmt.Errorf("%v\n%s", err, text)
		}
		n := 0
		for rows.Next() {
			n++
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		if n == 0 {
			return errors.New("the hand-written query found no rows")
		}
		hand[i] = time.Since(start)
	}
	slices.Sort(gen)
	slices.Sort(hand)
	b.hand = [2]time.Duration{gen[runs/2], hand[runs/2]}
	return nil
}

// ms formats d in milliseconds: three decimals under 10 ms, where one
// would round a Table's answer to nothing.
func ms(d time.Duration) string {
	if d < 10*time.Millisecond {
		return fmt.Sprintf("%.3f ms", float64(d)/1e6)
	}
	return fmt.Sprintf("%.1f ms", float64(d)/1e6)
}

// ratio formats how many times as long a took as b.
func ratio(a, b time.Duration) string {
	if r := float64(a) / float64(b); r >= 0.01 {
		return fmt.Sprintf("%.2fx", r)
	}
	return "<0.01x"
}

func printTable(w io.Writer, backends []*backend) {
	fmt.Fprintf(w, "%-7s", "widget")
	for _, b := range backends {
		fmt.Fprintf(w, " %22s", b.name)
	}
	fmt.Fprintln(w)
	for i := range len(widgets) + 1 {
		fmt.Fprintf(w, "%-7s", rowName(i))
		base := reference(backends).times[i]
		for _, b := range backends {
			if b.err != nil || b.skip || b.times[i] == 0 {
				fmt.Fprintf(w, " %22s", "-")
				continue
			}
			fmt.Fprintf(w, " %12s %9s", ms(b.times[i]), ratio(b.times[i], base))
		}
		fmt.Fprintln(w)
	}
	base := "the memory source over the slice of calls"
	if backends[0].skip {
		base = "the table (no memory source)"
	}
	fmt.Fprintf(w, "(median wall time; the ratio is to %s; dash: 8 widgets, PreviewMany, one at a time)\n", base)
}

func printHand(w io.Writer, backends []*backend) {
	header := false
	for _, b := range backends {
		if b.hand[0] == 0 {
			continue
		}
		if !header {
			fmt.Fprintf(w, "\nW1, generated statement vs hand-written query:\n%-9s %12s %12s %8s\n", "engine", "generated", "by hand", "ratio")
			header = true
		}
		fmt.Fprintf(w, "%-9s %12s %12s %8s\n", b.name, ms(b.hand[0]), ms(b.hand[1]), ratio(b.hand[0], b.hand[1]))
	}
}
