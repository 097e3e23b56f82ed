package dbtest_test

import (
	"context"
	"testing"

	"github.com/calldash/calldash/examples/internal/sqltest"
	"github.com/calldash/calldash/sqlstore"
)

// BenchmarkClickHousePercentile times the ClickHouse dialect's percentile
// aggregate in the server, in the shape of W4 at 1M calls
// (examples/bench: 7 of 30 days): the p95 of 240,000 decimal texts (a
// Nullable(String) column, 5 % NULL, 0..1800 with 3 fractional digits)
// in 168 groups. The table is filled from numbers() inside the server,
// so that only the statement is timed.
func BenchmarkClickHousePercentile(b *testing.B) {
	db := sqltest.ConnectClickHouse(b)
	ctx := context.Background()
	table := ch.Quote(sqlstore.NewPrefix() + "pct")
	for _, s := range []string{
		"CREATE TABLE " + table + " (g UInt64, v Nullable(String)) ENGINE = MergeTree() ORDER BY g",
		"INSERT INTO " + table + " SELECT number % 168, if(number % 20 = 0, NULL, " +
			"concat(toString(intDiv(cityHash64(number) % 1800000, 1000)), '.', substring(toString(1000 + cityHash64(number) % 1000), 2, 3))) " +
			"FROM numbers(240000)",
	} {
		if _, err := db.ExecContext(ctx, s); err != nil {
			b.Fatal(err)
		}
	}
	b.Cleanup(func() { db.ExecContext(context.WithoutCancel(ctx), "DROP TABLE IF EXISTS "+table) })
	query := "SELECT g, count(), " + pct.Percentile("v", 95) + " FROM " + table + " GROUP BY g"
	for b.Loop() {
		rows, err := db.QueryContext(ctx, query)
		if err != nil {
			b.Fatal(err)
		}
		n := 0
		for rows.Next() {
			n++
		}
		rows.Close()
		if err := rows.Err(); err != nil || n != 168 {
			b.Fatalf("%d groups, %v", n, err)
		}
	}
}
