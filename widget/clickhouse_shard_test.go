package widget_test

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/calldash/calldash/dialect"
	"github.com/calldash/calldash/sqlstore/sqltest"
	"github.com/calldash/calldash/widget"
	"github.com/calldash/calldash/widget/widgettest"

	"github.com/calldash/calldash/sqlgen"
)

// TestClickHouseShards (issue 5): the sample calls, loaded through the
// Distributed tables of the two-shard ClickHouse cluster, are spread over
// both shards — each shard's local tables hold part of the rows, together
// all of them — and every widget of testdata/widget over the sample,
// answered over the Distributed tables, is byte for byte memory's answer.
func TestClickHouseShards(t *testing.T) {
	sample := widgettest.LoadSample(t, "../testdata/calls/sample.jsonl")
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

	files, err := filepath.Glob("../testdata/widget/*.json")
	if err != nil || len(files) == 0 {
		t.Fatalf("no fixtures in ../testdata/widget (%v)", err)
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
