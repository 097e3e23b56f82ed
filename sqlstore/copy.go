package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"iter"

	"github.com/calldash/calldash"
	"github.com/calldash/calldash/dialect"
	"github.com/calldash/calldash/sqlgen"
)

// A Copier writes the rows of one table into a database by its bulk path
// (PostgreSQL's COPY, MySQL/MariaDB's LOAD DATA LOCAL INFILE, a prepared
// statement reused for every batch, ClickHouse's native batches) instead
// of the multi-row INSERT statements [Load] runs. The calldash module
// imports no driver: a program that has one implements Copier with it and
// hands it to a [Loader].
type Copier interface {
	// Copy writes every row of t, or returns an error. The values must be
	// stored exactly as the INSERT statements of Load would store them,
	// bound as arguments. Copy runs inside t.Tx where the dialect has
	// transactions, and must write nothing outside it: a failed load
	// rolls back.
	Copy(ctx context.Context, t *CopyTable) error
}

// A CopyTable is the rows of one table for a [Copier].
type CopyTable struct {
	Dialect dialect.Dialect
	// Conn is the connection the load runs on, and Tx the transaction
	// open on it (nil on ClickHouse, which has none). Statements must go
	// through Tx; Conn.Raw reaches the driver's own connection, in the
	// same session.
	Conn *sql.Conn
	Tx   *sql.Tx
	// Name and Columns name the table and its columns as the layout
	// does (unquoted; Name may be schema-qualified).
	Name    string
	Columns []string
	// Rows holds one row per record, its values in the order of Columns,
	// each what Load binds as the argument of its column: nil for NULL,
	// an int64, a string, or the dialect's TimeArg, NumberArg or BoolArg
	// value. A Copier must not change them.
	Rows [][]any
}

// Head returns the start of the table's INSERT statement, the table and
// its columns quoted for the dialect: `INSERT INTO "t" ("a", "b")`.
func (t *CopyTable) Head() (string, error) { return sqlgen.Insert(t.Dialect, t.Name, t.Columns, 0) }

// Insert writes the rows as Load does without a Copier: multi-row INSERT
// statements on Tx, native batches on Conn on ClickHouse. It is a
// Copier's way for rows its bulk path does not cover; call it before
// writing anything else.
func (t *CopyTable) Insert(ctx context.Context) error {
	if _, ok := t.Dialect.(dialect.Batcher); ok {
		return insertBatch(ctx, t.Conn, t.Dialect, t.Name, t.Columns, t.Rows)
	}
	return insert(ctx, t.Tx, t.Dialect, t.Name, t.Columns, t.Rows)
}

// Quoted returns the table's name and its columns, quoted for the
// dialect, for a statement of the Copier's own (COPY, LOAD DATA).
func (t *CopyTable) Quoted() (table string, columns []string) {
	table = sqlgen.QuoteTable(t.Dialect, t.Name)
	columns = make([]string, len(t.Columns))
	for i, c := range t.Columns {
		columns[i] = t.Dialect.Quote(c)
	}
	return table, columns
}

// A Loader loads calls as [Load] and [LoadLayout] do (the same checks,
// the same rows, all or nothing), writing each table through its Copier
// when it has one. The zero Loader is Load itself.
type Loader struct {
	// Copier writes the rows of each table; nil means multi-row INSERT
	// statements (native batches on ClickHouse).
	Copier Copier
}

// Load is [Load] through l's Copier.
func (l Loader) Load(ctx context.Context, db *sql.DB, d dialect.Dialect, prefix string, calls iter.Seq[calldash.Call]) (err error) {
	defer func() { err = contextError(ctx, err) }()
	if err := checkPrefix(prefix); err != nil {
		return err
	}
	layout := sqlgen.DefaultLayout(prefix)
	rows, err := buildRows(d, calls, needsEvalJSON(layout))
	if err != nil {
		return err
	}
	return l.load(ctx, db, d, rows.tables(layout), layout.Indexes(d))
}

// LoadLayout is [LoadLayout] through l's Copier.
func (l Loader) LoadLayout(ctx context.Context, db *sql.DB, d dialect.Dialect, layout *sqlgen.Layout, calls iter.Seq[calldash.Call]) (err error) {
	defer func() { err = contextError(ctx, err) }()
	if len(layout.ScopeColumns()) > 0 && layout.ScopeValues() == nil {
		return sqlgen.ErrUnscoped
	}
	rows, err := buildRows(d, calls, needsEvalJSON(layout))
	if err != nil {
		return err
	}
	return l.load(ctx, db, d, rows.tables(layout), nil)
}

// load writes tables through the Copier, on one connection, in one
// transaction where the dialect has them; the indexes of the tables
// that are empty are dropped first and made again after (withoutIndexes).
func (l Loader) load(ctx context.Context, db *sql.DB, d dialect.Dialect, tables []tableData, indexes []sqlgen.Index) error {
	if l.Copier == nil {
		return load(ctx, db, d, tables, indexes)
	}
	conn, err := db.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	var tx *sql.Tx
	if _, ok := d.(dialect.Batcher); !ok {
		if tx, err = conn.BeginTx(ctx, nil); err != nil {
			return err
		}
		defer tx.Rollback()
	}
	again, err := withoutIndexes(ctx, tx, d, tables, indexes)
	if err != nil {
		return err
	}
	for _, t := range tables {
		if len(t.rows) == 0 {
			continue
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		ct := &CopyTable{Dialect: d, Conn: conn, Tx: tx, Name: t.Name, Columns: t.Columns, Rows: t.rows}
		if err := l.Copier.Copy(ctx, ct); err != nil {
			return fmt.Errorf("sqlstore: copy into %s (%s): %w", t.Name, d.Name(), err)
		}
	}
	if tx == nil {
		return nil
	}
	if err := createIndexes(ctx, tx, d, again); err != nil {
		return err
	}
	return tx.Commit()
}
