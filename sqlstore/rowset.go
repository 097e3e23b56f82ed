package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strconv"
	"time"
	"unicode/utf8"

	"github.com/calldash/calldash/dialect"
	"github.com/calldash/calldash/internal/jsonx"
	"github.com/calldash/calldash/sqlgen"
)

// rowsetRows is the number of rows per statement of a
// [dialect.RowsetReader]: about 4 MB of JSON for the call rows of the
// generator, few enough round trips that the server's work dominates.
const rowsetRows = 10_000

// rowsetJSON writes the JSON array text of rows for a
// [dialect.RowsetReader] to b[:0], one object per row keyed by column
// name, for a table whose values rowsetExact accepts.
func rowsetJSON(b []byte, t tableData, rows [][]any) []byte {
	keys := make([][]byte, len(t.Columns))
	for j, c := range t.Columns {
		keys[j] = append(jsonx.Quote(nil, c), ':')
	}
	raw := make([]bool, len(t.Columns)) // a JSON column, whose text goes in as it is
	for j, f := range t.Fields {
		raw[j] = t.Role == "calls" && f == "metadata" || t.Role == "evaluations" && f == "value"
	}
	b = append(b[:0], '[')
	for i, r := range rows {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, '{')
		for j, v := range r {
			if j > 0 {
				b = append(b, ',')
			}
			b = append(b, keys[j]...)
			switch v := v.(type) {
			case nil:
				b = append(b, "null"...)
			case int64:
				b = strconv.AppendInt(b, v, 10)
			case bool:
				b = strconv.AppendBool(b, v)
			case string:
				if raw[j] {
					b = append(b, v...)
					break
				}
				b = jsonx.Quote(b, v)
			case time.Time:
				b = append(b, '"')
				b = v.UTC().AppendFormat(b, time.RFC3339Nano)
				b = append(b, '"')
			}
		}
		b = append(b, '}')
	}
	return append(b, ']')
}

// rowsetExact reports whether every value of t has JSON text that the
// column's input reads back as it is; if not (a string that is not UTF-8,
// an instant outside years 1–9999), the table goes in with INSERT …
// VALUES, which binds each value as it is.
func rowsetExact(t tableData) bool {
	for _, c := range t.Columns {
		if !utf8.ValidString(c) {
			return false
		}
	}
	for _, r := range t.rows {
		for _, v := range r {
			switch v := v.(type) {
			case nil, int64, bool:
			case string:
				if !utf8.ValidString(v) {
					return false
				}
			case time.Time:
				if y := v.Year(); y < 1 || y > 9999 {
					return false
				}
			default:
				return false
			}
		}
	}
	return true
}

// insertRowsets writes the rows of t with one statement per rowsetRows
// rows, each reading one bound JSON array; false when some value cannot
// go that way exactly (see rowsetJSON), having written nothing.
func insertRowsets(ctx context.Context, tx *sql.Tx, d dialect.Dialect, t tableData) (bool, error) {
	query, err := sqlgen.InsertRowset(d, t.Name, t.Columns)
	if err != nil {
		return false, fmt.Errorf("sqlstore: insert into %s: %w", t.Name, err)
	}
	if !rowsetExact(t) {
		return false, nil
	}
	stmt, err := tx.PrepareContext(ctx, query)
	if err != nil {
		return true, fmt.Errorf("sqlstore: insert into %s (%s): %w", t.Name, d.Name(), err)
	}
	defer stmt.Close()
	var text []byte
	for batch := range slices.Chunk(t.rows, rowsetRows) {
		if err := ctx.Err(); err != nil {
			return true, err
		}
		text = rowsetJSON(text, t, batch)
		if _, err := stmt.ExecContext(ctx, string(text)); err != nil {
			return true, fmt.Errorf("sqlstore: insert into %s (%s): %w", t.Name, d.Name(), err)
		}
	}
	return true, nil
}
