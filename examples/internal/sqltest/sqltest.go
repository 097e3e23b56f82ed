// Package sqltest gives tests scratch tables in real databases: SQLite in
// memory always, PostgreSQL and MySQL/MariaDB when their environment
// variables name a database (docs/sql-design.md, "Tests"):
//
//	CALLDASH_POSTGRES_DSN  pgx form, e.g. postgres://postgres@127.0.0.1:5432/test?sslmode=disable
//	CALLDASH_MYSQL_DSN     go-sql-driver form, e.g. root@tcp(127.0.0.1:3306)/test
//
// A test that asks for a database whose variable is unset is skipped with
// a message naming the variable. .ci/run sets both, for a scratch database
// of its own on each server.
//
// It imports the drivers (pgx, go-sql-driver/mysql, and modernc.org/sqlite
// through dialect/sqlitefn, which registers calldash's SQLite functions).
package sqltest

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"slices"
	"sync/atomic"
	"testing"

	_ "github.com/go-sql-driver/mysql"
	_ "github.com/jackc/pgx/v5/stdlib"

	"github.com/calldash/calldash"
	"github.com/calldash/calldash/dialect"
	_ "github.com/calldash/calldash/dialect/sqlitefn"
	"github.com/calldash/calldash/examples/internal/copier"
	"github.com/calldash/calldash/sqlstore"
)

// Names are the dialect names Open knows, SQLite first.
var Names = []string{"sqlite", "postgres", "mysql"}

// EnvVar returns the environment variable holding the DSN of the dialect
// named name, or "" for SQLite, which needs none.
func EnvVar(name string) string {
	switch name {
	case "postgres":
		return "CALLDASH_POSTGRES_DSN"
	case "mysql":
		return "CALLDASH_MYSQL_DSN"
	}
	return ""
}

// Dialect returns the dialect named name.
func Dialect(name string) (dialect.Dialect, error) {
	switch name {
	case "sqlite":
		return dialect.SQLite, nil
	case "postgres":
		return dialect.Postgres, nil
	case "mysql":
		return dialect.MySQL, nil
	}
	return nil, fmt.Errorf("sqltest: unknown dialect %q (want one of %q)", name, Names)
}

// Available reports whether the database of the dialect named name can be
// used: always for SQLite, when its variable is set for the others.
func Available(name string) bool {
	v := EnvVar(name)
	return v == "" || os.Getenv(v) != ""
}

var memoryDBs atomic.Int64

// Connect opens the database of the dialect named name, or skips t when
// its environment variable is unset. SQLite is a fresh in-memory database
// of its own. The connection is closed when t ends.
func Connect(t testing.TB, name string) (*sql.DB, dialect.Dialect) {
	t.Helper()
	d, err := Dialect(name)
	if err != nil {
		t.Fatal(err)
	}
	db, err := open(name)
	if err != nil {
		t.Fatal(err)
	}
	if db == nil {
		t.Skipf("%s: set %s to a scratch database to run this test", name, EnvVar(name))
	}
	t.Cleanup(func() { db.Close() })
	return db, d
}

// ConnectAny is Connect for the names of Names and for "clickhouse",
// shard 1 of the cluster (ConnectClickHouse).
func ConnectAny(t testing.TB, name string) (*sql.DB, dialect.Dialect) {
	t.Helper()
	if name == "clickhouse" {
		return ConnectClickHouse(t), dialect.ClickHouse
	}
	return Connect(t, name)
}

// open opens the database of the dialect named name; nil when its
// variable is unset.
func open(name string) (*sql.DB, error) {
	var db *sql.DB
	var err error
	switch name {
	case "sqlite":
		// A named in-memory database: private to this *sql.DB, and
		// alive as long as one connection is. One connection, so that
		// it is never closed and reopened empty.
		dsn := fmt.Sprintf("file:calldash%d_%s?mode=memory&cache=shared", memoryDBs.Add(1), sqlstore.NewPrefix())
		db, err = sql.Open("sqlite", dsn)
		if err == nil {
			db.SetMaxOpenConns(1)
			db.SetConnMaxIdleTime(0)
			db.SetConnMaxLifetime(0)
		}
	case "postgres", "mysql":
		dsn := os.Getenv(EnvVar(name))
		if dsn == "" {
			return nil, nil
		}
		driver := map[string]string{"postgres": "pgx", "mysql": "mysql"}[name]
		db, err = sql.Open(driver, dsn)
	default:
		_, err = Dialect(name)
	}
	if err != nil {
		return nil, fmt.Errorf("sqltest: open %s: %w", name, err)
	}
	if err := db.PingContext(context.Background()); err != nil {
		db.Close()
		return nil, fmt.Errorf("sqltest: %s (%s): %w", name, EnvVar(name), err)
	}
	return db, nil
}

// Open connects to the database of the dialect named name (skipping t as
// [Connect] does), creates the default tables there with a fresh prefix,
// loads calls, and drops the tables again when t ends. It returns what a
// widget.SQL source needs: the connection, the dialect and the prefix.
func Open(t testing.TB, name string, calls []calldash.Call) (*sql.DB, dialect.Dialect, string) {
	t.Helper()
	db, d := Connect(t, name)
	return db, d, Load(t, db, d, calls)
}

// Load creates the default tables with a fresh prefix in db, loads calls
// (through the database's bulk path: package copier) and registers their
// dropping with t.Cleanup. It returns the prefix.
func Load(t testing.TB, db *sql.DB, d dialect.Dialect, calls []calldash.Call) string {
	t.Helper()
	prefix, err := LoadErr(t, db, d, calls)
	if err != nil {
		t.Fatal(err)
	}
	return prefix
}

// LoadErr is [Load], but returns the error of the load (an
// sqlstore.ErrRefused, say) instead of failing t.
func LoadErr(t testing.TB, db *sql.DB, d dialect.Dialect, calls []calldash.Call) (string, error) {
	t.Helper()
	prefix := sqlstore.NewPrefix()
	ctx := context.Background()
	t.Cleanup(func() {
		if err := sqlstore.Drop(context.Background(), db, d, prefix); err != nil {
			t.Errorf("sqltest: %v", err)
		}
	})
	if err := sqlstore.Create(ctx, db, d, prefix); err != nil {
		t.Fatal(err)
	}
	return prefix, copier.Loader(d).Load(ctx, db, d, prefix, slices.Values(calls))
}
