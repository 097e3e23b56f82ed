// Package dbtest holds calldash's tests against real databases: the
// differential tests over every SQL source (byte-identical to memory), the
// hostile corpora (widgets, and data: testdata/hostile/data),
// cancellation, the filter compiler's agreement with the in-memory
// matcher, the loader, and the dialects' live behaviour. They
// live in the examples module, with the drivers, so that the core module
// needs none. SQLite always runs; PostgreSQL, MariaDB and ClickHouse run
// when their variables are set (.ci/run sets them) and skip naming the
// variable otherwise. BenchmarkLoad times the loader on every database.
package dbtest
