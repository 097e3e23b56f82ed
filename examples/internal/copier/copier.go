// Package copier writes the rows of sqlstore's loads by each database's
// bulk path, for the examples that load calls ([sqlstore.Loader]):
// PostgreSQL's COPY … FROM STDIN (through pgx), MySQL/MariaDB's LOAD DATA
// LOCAL INFILE from a reader (go-sql-driver/mysql), one prepared
// statement per batch size inside the load's transaction on SQLite, and
// ClickHouse's native batches. The values are those the INSERT
// statements would bind, written as text that the database reads into
// each column with the same conversion, so that a table holds the same
// values either way (the differential tests in examples/dbtest load
// through here).
//
// A table whose values the text form does not cover (a layout's scope
// column of an unusual Go type, an instant PostgreSQL would not read
// back from plain ISO text) goes in with sqlstore's INSERT statements
// instead ([sqlstore.CopyTable.Insert]).
package copier

import (
	"github.com/calldash/calldash/dialect"
	"github.com/calldash/calldash/sqlstore"
)

// For returns the Copier of the dialect d, nil for a dialect it has none
// for (which then loads with INSERT statements).
func For(d dialect.Dialect) sqlstore.Copier {
	switch d {
	case dialect.Postgres:
		return postgres{}
	case dialect.MySQL:
		return mysql{}
	case dialect.SQLite:
		return sqlite{}
	case dialect.ClickHouse:
		return clickhouse{}
	}
	return nil
}

// Loader returns the sqlstore.Loader that writes through For(d).
func Loader(d dialect.Dialect) sqlstore.Loader { return sqlstore.Loader{Copier: For(d)} }
