package copier

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"fmt"
	"slices"

	"github.com/calldash/calldash/sqlgen"
	"github.com/calldash/calldash/sqlstore"
)

// sqliteRows is the number of rows of one INSERT statement on SQLite.
const sqliteRows = 256

// sqlite copies with one multi-row INSERT prepared inside the load's
// transaction and run for every full batch (and one more for the rest),
// both closed before the copy returns: SQLite parses the statement once
// instead of once per batch. Rows whose values are all NULL, int64 or
// string (every row sqlstore makes for SQLite, but a layout's scope
// column of another Go type) are bound on the driver's own connection
// (Conn.Raw), in the same transaction: database/sql would pass these
// three types on unchanged, and skipping it saves its conversion of
// every argument of every batch. Other rows go through database/sql.
//
// The load changes no setting of the database (no journal_mode or
// synchronous pragma): the database is the caller's, and one transaction
// already writes the journal once per load, not once per statement.
type sqlite struct{}

func (sqlite) Copy(ctx context.Context, t *sqlstore.CopyTable) error {
	size := max(1, min(sqliteRows, 30_000/len(t.Columns)))
	if !plain(t.Rows) {
		return sqliteSQL(ctx, t, size)
	}
	return t.Conn.Raw(func(dc any) error {
		prep, ok := dc.(driver.ConnPrepareContext)
		if !ok {
			return fmt.Errorf("copier: SQLite batches need a driver connection that prepares with a context, not %T", dc)
		}
		var full driver.StmtExecContext
		args := make([]driver.NamedValue, 0, size*len(t.Columns))
		for batch := range slices.Chunk(t.Rows, size) {
			if err := ctx.Err(); err != nil {
				return err
			}
			stmt := full
			if stmt == nil || len(batch) < size {
				query, err := sqlgen.Insert(t.Dialect, t.Name, t.Columns, len(batch))
				if err != nil {
					return err
				}
				s, err := prep.PrepareContext(ctx, query)
				if err != nil {
					return err
				}
				defer s.Close()
				if stmt, ok = s.(driver.StmtExecContext); !ok {
					return fmt.Errorf("copier: SQLite batches need a statement that runs with a context, not %T", s)
				}
				if len(batch) == size {
					full = stmt
				}
			}
			a := args[:0]
			for _, r := range batch {
				for _, v := range r {
					a = append(a, driver.NamedValue{Ordinal: len(a) + 1, Value: v})
				}
			}
			if _, err := stmt.ExecContext(ctx, a); err != nil {
				return err
			}
		}
		return nil
	})
}

// plain reports whether every value of rows is nil, an int64 or a
// string.
func plain(rows [][]any) bool {
	for _, r := range rows {
		for _, v := range r {
			switch v.(type) {
			case nil, int64, string:
			default:
				return false
			}
		}
	}
	return true
}

// sqliteSQL is the copy through database/sql, for rows with values of
// other types.
func sqliteSQL(ctx context.Context, t *sqlstore.CopyTable, size int) error {
	var full *sql.Stmt
	args := make([]any, 0, size*len(t.Columns))
	for batch := range slices.Chunk(t.Rows, size) {
		stmt := full
		if stmt == nil || len(batch) < size {
			query, err := sqlgen.Insert(t.Dialect, t.Name, t.Columns, len(batch))
			if err != nil {
				return err
			}
			if stmt, err = t.Tx.PrepareContext(ctx, query); err != nil {
				return err
			}
			defer stmt.Close()
			if len(batch) == size {
				full = stmt
			}
		}
		args = args[:0]
		for _, r := range batch {
			args = append(args, r...)
		}
		if _, err := stmt.ExecContext(ctx, args...); err != nil {
			return err
		}
	}
	return nil
}
