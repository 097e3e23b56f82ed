package dbtest_test

import (
	"context"
	"database/sql"
	"os"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/calldash/calldash"
	"github.com/calldash/calldash/dialect"
	"github.com/calldash/calldash/examples/internal/copier"
	"github.com/calldash/calldash/examples/internal/sqltest"
	"github.com/calldash/calldash/sample"
	"github.com/calldash/calldash/sqlstore"
)

// BenchmarkLoad times sqlstore.Load of generated calls into every
// available database, with INSERT statements (insert) and through the
// bulk path of package copier (copy): CALLDASH_LOAD_N calls (default
// 100,000; the figures in BENCHMARKS.md are for 1,000,000), Create and
// Drop not counted. Run it with -benchtime=1x: one load is long enough.
func BenchmarkLoad(b *testing.B) {
	n := 100_000
	if s := os.Getenv("CALLDASH_LOAD_N"); s != "" {
		v, err := strconv.Atoi(s)
		if err != nil || v <= 0 {
			b.Fatalf("CALLDASH_LOAD_N=%q: want a positive integer", s)
		}
		n = v
	}
	now := time.Date(2025, 11, 30, 0, 0, 0, 0, time.UTC)
	calls := sample.Generate(sample.Config{Seed: 1, N: n, Start: now.AddDate(0, 0, -30), End: now})
	for _, name := range append(slices.Clone(sqltest.Names), "clickhouse") {
		b.Run(name, func(b *testing.B) {
			db, d := sqltest.ConnectAny(b, name)
			for _, path := range []struct {
				name   string
				loader sqlstore.Loader
			}{{"insert", sqlstore.Loader{}}, {"copy", copier.Loader(d)}} {
				b.Run(path.name, func(b *testing.B) {
					b.ReportAllocs()
					for b.Loop() {
						loadOnce(b, db, d, path.loader, calls)
					}
					b.ReportMetric(float64(b.Elapsed().Seconds())/float64(b.N), "s/load")
				})
			}
		})
	}
}

func loadOnce(b *testing.B, db *sql.DB, d dialect.Dialect, loader sqlstore.Loader, calls []calldash.Call) {
	ctx := context.Background()
	prefix := sqlstore.NewPrefix()
	b.StopTimer()
	if err := sqlstore.Create(ctx, db, d, prefix); err != nil {
		b.Fatal(err)
	}
	b.StartTimer()
	err := loader.Load(ctx, db, d, prefix, slices.Values(calls))
	b.StopTimer()
	if err != nil {
		b.Fatal(err)
	}
	if err := sqlstore.Drop(ctx, db, d, prefix); err != nil {
		b.Fatal(err)
	}
	b.StartTimer()
}
