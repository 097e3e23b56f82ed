package sqlgen_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/calldash/calldash/dialect"
	"github.com/calldash/calldash/filter"
	"github.com/calldash/calldash/sqlgen"
	"github.com/calldash/calldash/sqlstore/sqltest"

	"github.com/calldash/calldash"
)

// TestSQLClickHouseCluster loads the sample calls into the two-shard
// ClickHouse cluster (.ci/clickhouse.sh) through the Distributed tables,
// shows that both shards hold part of them, and runs every valid
// testdata/filter/*.json over the Distributed table: the selected ids
// must equal memory's.
func TestSQLClickHouseCluster(t *testing.T) {
	calls := gdCalls(t)
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
