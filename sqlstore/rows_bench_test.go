package sqlstore

import (
	"slices"
	"testing"
	"time"

	"github.com/calldash/calldash/dialect"
	"github.com/calldash/calldash/sample"
	"github.com/calldash/calldash/sqlgen"
)

// BenchmarkBuildRows times the checks and conversions of a load, before
// anything is written: 100,000 calls of sample.Generate into the rows of
// the default layout's tables, per dialect.
func BenchmarkBuildRows(b *testing.B) {
	now := time.Date(2025, 11, 30, 0, 0, 0, 0, time.UTC)
	calls := sample.Generate(sample.Config{Seed: 1, N: 100_000, Start: now.AddDate(0, 0, -30), End: now})
	for _, d := range []dialect.Dialect{dialect.Postgres, dialect.MySQL, dialect.SQLite, dialect.ClickHouse} {
		b.Run(d.Name(), func(b *testing.B) {
			b.ReportAllocs()
			for range b.N {
				rows, err := buildRows(d, slices.Values(calls), false)
				if err != nil {
					b.Fatal(err)
				}
				if ts := rows.tables(sqlgen.DefaultLayout("p_")); len(ts[2].rows) != len(calls) {
					b.Fatalf("%d call rows", len(ts[2].rows))
				}
			}
		})
	}
}
