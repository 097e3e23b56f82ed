package sqlstore_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/calldash/calldash/dialect"

	"github.com/calldash/calldash/sqlgen"
)

// TestClickHouseSchemaFiles checks testdata/schema/clickhouse.sql (the
// single-server layout) and clickhouse-sharded.sql (the statements for
// every shard, then those for the server holding the Distributed tables,
// for the cluster "calldash"); -update rewrites them.
func TestClickHouseSchemaFiles(t *testing.T) {
	shard, dist := sqlgen.CreateShardedTables(dialect.ClickHouse.(dialect.Sharder), "", "calldash")
	files := map[string]string{
		"clickhouse.sql": schemaText(dialect.ClickHouse),
		"clickhouse-sharded.sql": "-- On every shard of the cluster \"calldash\":\n\n" + strings.Join(shard, ";\n\n") +
			";\n\n-- On the server that answers queries (distributed_product_mode = 'local'):\n\n" + strings.Join(dist, ";\n\n") + ";\n",
	}
	for name, want := range files {
		path := filepath.Join("..", "testdata", "schema", name)
		if *update {
			if err := os.WriteFile(path, []byte(want), 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		got, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(want, string(got)); diff != "" {
			t.Errorf("%s (-want +got):\n%s", path, diff)
		}
	}
}
