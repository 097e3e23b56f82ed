package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"github.com/calldash/calldash"
	"github.com/calldash/calldash/dialect"
	"github.com/calldash/calldash/internal/jsonx"
)

// appendEntry appends one "key":value entry of the canonical metadata
// text. On ClickHouse, keys and strings are escaped the way the dialect's
// visitParamExtract* lookups need ([dialect.ClickHouseJSONKey],
// [dialect.ClickHouseJSONString]): no raw double quote inside a string,
// no key starting with JSON punctuation, so a key's text occurs only
// where that key is.
func (c *converter) appendEntry(b []byte, k string, v calldash.Value) []byte {
	if c.d.Name() != "clickhouse" {
		b = jsonx.Quote(b, k)
		b = append(b, ':')
		return v.AppendJSON(b)
	}
	b = append(b, '"')
	b = append(b, dialect.ClickHouseJSONKey(k)...)
	b = append(b, '"', ':')
	if v.Kind == calldash.KindString {
		return append(b, dialect.ClickHouseJSONString(v.Str)...)
	}
	return v.AppendJSON(b)
}

// loadClickHouse inserts the rows with clickhouse-go's batches: a prepared
// INSERT per table inside a "transaction" whose commit sends the block.
// (18.16 does not read inline VALUES over the native protocol, and
// clickhouse-go sends one batch per transaction.) ClickHouse has no
// transactions: a failure can leave earlier tables filled; Drop cleans up.
func loadClickHouse(ctx context.Context, db *sql.DB, d dialect.Dialect, prefix string, rows *tableRows) error {
	for _, t := range rows.tables() {
		if len(t.rows) == 0 {
			continue
		}
		if err := insertClickHouse(ctx, db, d, prefix+t.name, t.columns, t.rows); err != nil {
			return fmt.Errorf("sqlstore: insert into %s (clickhouse): %w", prefix+t.name, err)
		}
	}
	return nil
}

func insertClickHouse(ctx context.Context, db *sql.DB, d dialect.Dialect, table string, columns []string, rows [][]any) error {
	quoted := make([]string, len(columns))
	for i, c := range columns {
		quoted[i] = d.Quote(c)
	}
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	stmt, err := tx.PrepareContext(ctx, "INSERT INTO "+d.Quote(table)+" ("+strings.Join(quoted, ", ")+")")
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
