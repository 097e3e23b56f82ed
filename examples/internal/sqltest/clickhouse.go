package sqltest

// ClickHouse (issue 5): a single server, or the two-shard cluster that
// .ci/clickhouse.sh starts.
//
//	CALLDASH_CLICKHOUSE_DSN      clickhouse-go form, e.g. clickhouse://127.0.0.1:9000/default (shard 1)
//	CALLDASH_CLICKHOUSE_DSN2     the second shard of the cluster
//	CALLDASH_CLICKHOUSE_CLUSTER  the cluster's name in both servers' <remote_servers> (default "calldash")

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"slices"
	"strings"
	"testing"

	_ "github.com/ClickHouse/clickhouse-go/v2"

	"github.com/calldash/calldash"
	"github.com/calldash/calldash/dialect"
	"github.com/calldash/calldash/examples/internal/copier"
	"github.com/calldash/calldash/sqlstore"

	"github.com/calldash/calldash/sqlgen"
)

// The environment variables of the ClickHouse cluster.
const (
	ClickHouseEnv        = "CALLDASH_CLICKHOUSE_DSN"
	ClickHouseEnv2       = "CALLDASH_CLICKHOUSE_DSN2"
	ClickHouseClusterEnv = "CALLDASH_CLICKHOUSE_CLUSTER"
)

// ClickHouseSettings are the session settings calldash's ClickHouse SQL
// needs, as DSN parameters: unmatched LEFT JOIN columns are NULL (not 0 or
// ”), and an INSERT into a Distributed table returns once every shard has
// its rows. The cluster also needs distributed_product_mode=local (a
// subquery or join over a second Distributed table runs inside each shard,
// where calls and their evaluations are co-located); it is a string
// setting, which clickhouse-go cannot send to an 18.16 server, so it must
// be in the user's profile on the server (.ci/clickhouse.sh puts it there).
const ClickHouseSettings = "join_use_nulls=1&insert_distributed_sync=1"

// OpenClickHouseDSN opens a clickhouse-go connection to dsn with
// [ClickHouseSettings] added, and pings it.
func OpenClickHouseDSN(dsn string) (*sql.DB, error) {
	sep := "?"
	if strings.Contains(dsn, "?") {
		sep = "&"
	}
	db, err := sql.Open("clickhouse", dsn+sep+ClickHouseSettings)
	if err != nil {
		return nil, fmt.Errorf("sqltest: open clickhouse: %w", err)
	}
	if err := db.PingContext(context.Background()); err != nil {
		db.Close()
		return nil, fmt.Errorf("sqltest: clickhouse (%s): %w", dsn, err)
	}
	return db, nil
}

// ConnectClickHouse opens shard 1 of the cluster (CALLDASH_CLICKHOUSE_DSN),
// or skips t naming the variable when it is unset. The connection is
// closed when t ends.
func ConnectClickHouse(t testing.TB) *sql.DB {
	t.Helper()
	return connectClickHouse(t, ClickHouseEnv)
}

func connectClickHouse(t testing.TB, env string) *sql.DB {
	t.Helper()
	dsn := os.Getenv(env)
	if dsn == "" {
		t.Skipf("clickhouse: set %s (and %s for the second shard; .ci/clickhouse.sh starts both) to run this test", ClickHouseEnv, ClickHouseEnv2)
	}
	db, err := OpenClickHouseDSN(dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// ClickHouseClusterAvailable reports whether both shards of the cluster
// are named (CALLDASH_CLICKHOUSE_DSN and CALLDASH_CLICKHOUSE_DSN2).
func ClickHouseClusterAvailable() bool {
	return os.Getenv(ClickHouseEnv) != "" && os.Getenv(ClickHouseEnv2) != ""
}

// A Cluster is the sharded layout loaded into the two-shard cluster.
type Cluster struct {
	DB     *sql.DB   // shard 1, which holds the Distributed tables: query this
	Shards []*sql.DB // both shards, for their local tables
	Prefix string    // the table-name prefix
}

// OpenClickHouseCluster creates the sharded default layout
// (sqlgen.CreateShardedTables) with a fresh prefix on both shards,
// loads calls through the Distributed tables (sqlstore with package
// copier's native batches, so the
// sharding key spreads them), copies agents and metrics to shard 2, and
// drops everything when t ends. It skips t, naming the variables, when
// either DSN is unset.
func OpenClickHouseCluster(t testing.TB, calls []calldash.Call) *Cluster {
	t.Helper()
	c, err := LoadClickHouseCluster(t, calls)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// OpenClickHouseClusterIn is [OpenClickHouseCluster] in a database of
// its own, created on both shards and dropped when t ends: Prefix is the
// qualified "database.prefix_".
func OpenClickHouseClusterIn(t testing.TB, calls []calldash.Call) *Cluster {
	t.Helper()
	c, err := loadCluster(t, calls, true)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// LoadClickHouseCluster is [OpenClickHouseCluster], but returns the
// error of sqlstore.Load (an sqlstore.ErrRefused, say) instead of failing
// t; the tables are dropped when t ends either way.
func LoadClickHouseCluster(t testing.TB, calls []calldash.Call) (*Cluster, error) {
	t.Helper()
	return loadCluster(t, calls, false)
}

func loadCluster(t testing.TB, calls []calldash.Call, ownDatabase bool) (*Cluster, error) {
	t.Helper()
	if !ClickHouseClusterAvailable() {
		t.Skipf("clickhouse: set %s and %s to the two shards of a cluster (.ci/clickhouse.sh starts one) to run this test", ClickHouseEnv, ClickHouseEnv2)
	}
	cluster := os.Getenv(ClickHouseClusterEnv)
	if cluster == "" {
		cluster = "calldash"
	}
	c := &Cluster{Prefix: sqlstore.NewPrefix()}
	database := ""
	if ownDatabase {
		database = strings.TrimSuffix(c.Prefix, "_")
		c.Prefix = database + ".t_"
	}
	c.DB = connectClickHouse(t, ClickHouseEnv)
	c.Shards = []*sql.DB{c.DB, connectClickHouse(t, ClickHouseEnv2)}
	ctx := context.Background()
	d := dialect.ClickHouse
	shardDDL, distDDL := sqlgen.CreateShardedTables(d.(dialect.Sharder), c.Prefix, cluster)
	t.Cleanup(func() {
		for i, db := range c.Shards {
			var drops []string
			if database != "" {
				drops = append(drops, "DROP DATABASE IF EXISTS "+d.Quote(database))
			} else {
				for _, name := range []string{"call_logs", "metric_evaluations", "call_logs_local", "metric_evaluations_local", "agents", "metrics"} {
					drops = append(drops, "DROP TABLE IF EXISTS "+d.Quote(c.Prefix+name))
				}
			}
			for _, stmt := range drops {
				if _, err := db.ExecContext(context.Background(), stmt); err != nil {
					t.Errorf("sqltest: shard %d: %s: %v", i+1, stmt, err)
				}
			}
		}
	})
	for i, db := range c.Shards {
		stmts := shardDDL
		if database != "" {
			stmts = append([]string{"CREATE DATABASE " + d.Quote(database)}, shardDDL...)
		}
		for _, stmt := range stmts {
			if _, err := db.ExecContext(ctx, stmt); err != nil {
				t.Fatalf("sqltest: shard %d: %v\n%s", i+1, err, stmt)
			}
		}
	}
	for _, stmt := range distDDL {
		if _, err := c.DB.ExecContext(ctx, stmt); err != nil {
			t.Fatalf("sqltest: %v\n%s", err, stmt)
		}
	}
	if err := copier.Loader(d).Load(ctx, c.DB, d, c.Prefix, slices.Values(calls)); err != nil {
		return nil, err
	}
	// Shard 2 pulls its copies of agents and metrics from shard 1.
	host := clickhouseHost(os.Getenv(ClickHouseEnv))
	for _, name := range []string{"agents", "metrics"} {
		table := c.Prefix + name
		db, local, ok := strings.Cut(table, ".")
		if !ok {
			db, local = "", table
		}
		stmt := "INSERT INTO " + sqlgen.QuoteTable(d, table) + " SELECT * FROM remote(?, currentDatabase(), ?)"
		args := []any{host, local}
		if db != "" {
			stmt = "INSERT INTO " + sqlgen.QuoteTable(d, table) + " SELECT * FROM remote(?, ?, ?)"
			args = []any{host, db, local}
		}
		if _, err := c.Shards[1].ExecContext(ctx, stmt, args...); err != nil {
			t.Fatalf("sqltest: shard 2: copy %s: %v", table, err)
		}
	}
	return c, nil
}

// clickhouseHost returns the host:port of a clickhouse:// DSN.
func clickhouseHost(dsn string) string {
	s := strings.TrimPrefix(dsn, "clickhouse://")
	if i := strings.LastIndex(s, "@"); i >= 0 {
		s = s[i+1:]
	}
	if i := strings.IndexAny(s, "/?"); i >= 0 {
		s = s[:i]
	}
	return s
}

// ShardedLayout is a user's layout on the two-shard cluster: in a
// database of its own (created on both shards), the calls and the
// evaluations as MergeTree tables on each shard (calls_local,
// evaluations_local) under Distributed tables on shard 1 (calls,
// evaluations) sharded by the call id, and agents and metrics as a full
// copy on each shard. Every column is renamed; the agent name lives in
// agents, the metric's name in metrics, evaluation values in typed
// columns. Every table is scoped by a text column tenant. The text is
// the layout of the Distributed tables.
func ShardedLayout(database string) string {
	return shardedLayout(database, "")
}

func shardedLayout(database, suffix string) string {
	return `{"calls": {"table": "` + database + `.calls` + suffix + `", "scope": ["tenant"],
	  "columns": {"id": "cid", "timestamp": "started", "duration": "secs", "success": "good",
	    "is_reviewed": "checked", "call_ended_reason": "why", "dropoff_point": "left_at",
	    "topic": "about", "customer_number": "caller", "agent.id": "agent_ref", "metadata": "extra"}},
	 "agents": {"table": "` + database + `.agents", "scope": ["tenant"], "columns": {"id": "aid", "agent_name": "title"}},
	 "evaluations": {"table": "` + database + `.evaluations` + suffix + `", "scope": ["tenant"],
	  "columns": {"id": "eid", "call": "of_call", "metric.id": "metric_ref",
	    "value_number": "num", "value_bool": "flag", "value_text": "label"}},
	 "metrics": {"table": "` + database + `.metrics", "scope": ["tenant"], "columns": {"id": "mid", "name": "metric_name", "eval_type": "kind"}}}`
}

// OpenClickHouseShardedLayout creates the database of [ShardedLayout] with
// a fresh name on both shards of the cluster, its tables, loads calls
// through the Distributed tables (sqlstore.LoadLayout; the sharding key
// spreads them) as tenant t1 and again as tenant t2, copies agents and
// metrics to shard 2, and drops the database on both shards when t ends.
// It returns the cluster (Prefix is the database's name) and the layout
// scoped to t1; it skips t, naming the variables, when either DSN is
// unset.
func OpenClickHouseShardedLayout(t testing.TB, calls []calldash.Call) (*Cluster, *sqlgen.Layout) {
	t.Helper()
	if !ClickHouseClusterAvailable() {
		t.Skipf("clickhouse: set %s and %s to the two shards of a cluster (.ci/clickhouse.sh starts one) to run this test", ClickHouseEnv, ClickHouseEnv2)
	}
	cluster := os.Getenv(ClickHouseClusterEnv)
	if cluster == "" {
		cluster = "calldash"
	}
	database := strings.TrimSuffix(sqlstore.NewPrefix(), "_")
	c := &Cluster{Prefix: database}
	c.DB = connectClickHouse(t, ClickHouseEnv)
	c.Shards = []*sql.DB{c.DB, connectClickHouse(t, ClickHouseEnv2)}
	ctx := context.Background()
	d := dialect.ClickHouse
	db := d.Quote(database)
	t.Cleanup(func() {
		for i, s := range c.Shards {
			if _, err := s.ExecContext(context.Background(), "DROP DATABASE IF EXISTS "+db); err != nil {
				t.Errorf("sqltest: shard %d: drop database %s: %v", i+1, database, err)
			}
		}
	})
	local, err := sqlgen.ParseLayout([]byte(shardedLayout(database, sqlgen.ShardSuffix)))
	if err != nil {
		t.Fatal(err)
	}
	layout, err := sqlgen.ParseLayout([]byte(ShardedLayout(database)))
	if err != nil {
		t.Fatal(err)
	}
	for i, s := range c.Shards {
		stmts := append([]string{"CREATE DATABASE " + db}, local.CreateTables(d)...)
		for _, stmt := range stmts {
			if _, err := s.ExecContext(ctx, stmt); err != nil {
				t.Fatalf("sqltest: shard %d: %v\n%s", i+1, err, stmt)
			}
		}
	}
	// The user's own Distributed tables, over the local tables of their
	// database (not currentDatabase(), the connection's).
	for _, tab := range []struct{ name, key string }{{"calls", "cid"}, {"evaluations", "of_call"}} {
		stmt := "CREATE TABLE " + db + "." + d.Quote(tab.name) + " AS " + db + "." + d.Quote(tab.name+sqlgen.ShardSuffix) +
			" ENGINE = Distributed(" + d.Quote(cluster) + ", " + db + ", " + d.Quote(tab.name+sqlgen.ShardSuffix) + ", cityHash64(" + d.Quote(tab.key) + "))"
		if _, err := c.DB.ExecContext(ctx, stmt); err != nil {
			t.Fatalf("sqltest: %v\n%s", err, stmt)
		}
	}
	// Tenant t1 has the calls; t2 a copy of them in the same tables, which
	// no answer over t1 may count.
	var tenants []*sqlgen.Layout
	for _, values := range []map[string]any{{"tenant": "t1"}, {"tenant": "t2"}} {
		l, err := layout.Scoped(values)
		if err != nil {
			t.Fatal(err)
		}
		if err := sqlstore.LoadLayout(ctx, c.DB, d, l, slices.Values(calls)); err != nil {
			t.Fatal(err)
		}
		tenants = append(tenants, l)
	}
	host := clickhouseHost(os.Getenv(ClickHouseEnv))
	for _, name := range []string{"agents", "metrics"} {
		stmt := "INSERT INTO " + db + "." + d.Quote(name) + " SELECT * FROM remote(?, ?, ?)"
		if _, err := c.Shards[1].ExecContext(ctx, stmt, host, database, name); err != nil {
			t.Fatalf("sqltest: shard 2: copy %s.%s: %v", database, name, err)
		}
	}
	return c, tenants[0]
}
