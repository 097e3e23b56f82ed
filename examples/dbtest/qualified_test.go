package dbtest_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/calldash/calldash/examples/internal/copier"
	"github.com/calldash/calldash/examples/internal/sqltest"
	"github.com/calldash/calldash/filter"
	"github.com/calldash/calldash/sample"
	"github.com/calldash/calldash/sqlgen"
	"github.com/calldash/calldash/sqlstore"
	"github.com/calldash/calldash/widget"
)

// TestQualifiedPrefix: a table prefix that names a schema first
// ("s.cd_": a schema on PostgreSQL, a database on MariaDB and ClickHouse,
// an attached database on SQLite) puts the default tables there — created,
// loaded through each database's bulk path, answered through
// widget.WithTablePrefix with memory's bytes, and dropped — and leaves
// the connection's own database without them.
func TestQualifiedPrefix(t *testing.T) {
	now := time.Date(2025, 11, 28, 0, 0, 0, 0, time.UTC)
	calls := sample.Generate(sample.Config{Seed: 3, N: 1500, Start: now.AddDate(0, 0, -30), End: now})
	specs := []string{
		`{"chart_type":"bar","field":"duration","aggregation_function":"avg","time_period":"day","filters":{"field":"success","op":"eq","value":true}}`,
		`{"chart_type":"bar","field":"duration","aggregation_function":"sum","time_period":"week","group_by":{"type":"field","field":"agent.agent_name"}}`,
		`{"chart_type":"pie","field":"metric_evaluations.value","metric":14}`,
		`{"chart_type":"stat"}`,
	}
	for _, name := range append(slices.Clone(sqltest.Names), "clickhouse") {
		t.Run(name, func(t *testing.T) {
			db, d := sqltest.ConnectAny(t, name)
			ctx := context.Background()
			schema := strings.TrimSuffix(sqlstore.NewPrefix(), "_")
			create, drop := "CREATE DATABASE "+d.Quote(schema), "DROP DATABASE IF EXISTS "+d.Quote(schema)
			switch name {
			case "sqlite":
				create, drop = fmt.Sprintf("ATTACH DATABASE 'file:%s?mode=memory' AS %s", schema, d.Quote(schema)), "DETACH DATABASE "+d.Quote(schema)
			case "postgres":
				create, drop = "CREATE SCHEMA "+d.Quote(schema), "DROP SCHEMA IF EXISTS "+d.Quote(schema)+" CASCADE"
			}
			if _, err := db.ExecContext(ctx, create); err != nil {
				t.Fatalf("%s: %v", create, err)
			}
			t.Cleanup(func() {
				if _, err := db.ExecContext(context.Background(), drop); err != nil {
					t.Errorf("%s: %v", drop, err)
				}
			})
			prefix := schema + ".cd_"
			if err := sqlstore.Create(ctx, db, d, prefix); err != nil {
				t.Fatal(err)
			}
			if err := copier.Loader(d).Load(ctx, db, d, prefix, slices.Values(calls)); err != nil {
				t.Fatal(err)
			}
			// The connection's own database has no such tables (SQLite
			// would find an unqualified name in any attached database).
			own := d.Quote("cd_call_logs")
			if name == "sqlite" {
				own = "main." + own
			}
			if _, err := db.ExecContext(ctx, "SELECT count(*) FROM "+own); err == nil {
				t.Errorf("cd_call_logs exists outside the schema %s", schema)
			}
			opts := []widget.Option{widget.WithNow(now), widget.WithTimePolicy(filter.TimePolicy{}),
				widget.WithLatencyMetric(sample.LatencyMetricID), widget.WithMetrics(sample.Metrics()...)}
			src := widget.SQL(db, d, widget.WithTablePrefix(prefix))
			for _, text := range specs {
				spec, err := widget.Decode([]byte(text))
				if err != nil {
					t.Fatal(err)
				}
				want := widgetAnswer(ctx, spec, widget.Calls(calls), opts)
				if got := widgetAnswer(ctx, spec, src, opts); got != want {
					t.Errorf("%s\n%s answers\n%.400s\nmemory answers\n%.400s", text, d.Name(), got, want)
				}
			}
			if err := sqlstore.Drop(ctx, db, d, prefix); err != nil {
				t.Fatal(err)
			}
			if _, err := db.ExecContext(ctx, "SELECT count(*) FROM "+sqlgen.QuoteTable(d, prefix+"call_logs")); err == nil {
				t.Errorf("%scall_logs is still there after Drop", prefix)
			}
		})
	}
}
