package copier

import (
	"context"
	"database/sql"
	"slices"

	"github.com/calldash/calldash/sqlgen"
	"github.com/calldash/calldash/sqlstore"
)

// sqliteRows is the number of rows of one INSERT statement on SQLite.
const sqliteRows = 256

// sqlite copies with one multi-row INSERT prepared inside the load's
// transaction and run for every full batch (and one more for the rest),
// both closed before the copy returns: SQLite parses the statement once
// instead of once per batch.
type sqlite struct{}

func (sqlite) Copy(ctx context.Context, t *sqlstore.CopyTable) error {
	size := max(1, min(sqliteRows, 30_000/len(t.Columns)))
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
