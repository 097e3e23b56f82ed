package sqlstore

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/calldash/calldash"
	"github.com/calldash/calldash/dialect"
	"github.com/calldash/calldash/internal/jsonx"
	"github.com/calldash/calldash/sqlgen"
)

// appendEntry appends one "key":value entry of the canonical metadata
// text. A [dialect.JSONEncoder] (ClickHouse, whose lookups search the
// text) writes keys and strings in its own escaped form, so that a key's
// text occurs only where that key is.
func (c *converter) appendEntry(b []byte, k string, v calldash.Value) []byte {
	enc, ok := c.d.(dialect.JSONEncoder)
	if !ok {
		b = jsonx.Quote(b, k)
		b = append(b, ':')
		return v.AppendJSON(b)
	}
	b = append(b, '"')
	b = append(b, enc.JSONKey(k)...)
	b = append(b, '"', ':')
	if v.Kind == calldash.KindString {
		return append(b, enc.JSONString(v.Str)...)
	}
	return v.AppendJSON(b)
}

// loadBatches inserts the rows of a [dialect.Batcher] (ClickHouse) with
// the driver's batches: a prepared INSERT per table inside a
// "transaction" whose commit sends the block. (18.16 does not read inline
// VALUES over the native protocol, and clickhouse-go sends one batch per
// transaction.) ClickHouse has no transactions: a failure can leave
// earlier tables filled; Drop cleans up.
func loadBatches(ctx context.Context, db *sql.DB, d dialect.Dialect, tables []tableData) error {
	for _, t := range tables {
		if len(t.rows) == 0 {
			continue
		}
		if err := insertBatch(ctx, db, d, t.Name, t.Columns, t.rows); err != nil {
			return fmt.Errorf("sqlstore: insert into %s (%s): %w", t.Name, d.Name(), err)
		}
	}
	return nil
}

// A beginner begins transactions: a *sql.DB or a *sql.Conn.
type beginner interface {
	BeginTx(ctx context.Context, opts *sql.TxOptions) (*sql.Tx, error)
}

func insertBatch(ctx context.Context, db beginner, d dialect.Dialect, table string, columns []string, rows [][]any) error {
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	head, err := sqlgen.Insert(d, table, columns, 0)
	if err != nil {
		return err
	}
	stmt, err := tx.PrepareContext(ctx, head)
	if err != nil {
		return err
	}
	defer stmt.Close()
	for _, r := range rows {
		if _, err := stmt.ExecContext(ctx, r...); err != nil {
			return err
		}
	}
	return tx.Commit()
}
