package copier

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5/stdlib"

	"github.com/calldash/calldash/sqlstore"
)

// postgres copies with COPY … FROM STDIN in the text format, on the
// load's connection (inside its transaction) through pgx: every value
// goes through its column's text input, as a text argument of an INSERT
// does, and an instant as ISO text with its microseconds in UTC.
type postgres struct{}

func (postgres) Copy(ctx context.Context, t *sqlstore.CopyTable) error {
	if !covered(t.Rows, pgField) {
		return t.Insert(ctx)
	}
	table, columns := t.Quoted()
	stmt := "COPY " + table + " (" + strings.Join(columns, ", ") + ") FROM STDIN"
	return t.Conn.Raw(func(dc any) error {
		c, ok := dc.(*stdlib.Conn)
		if !ok {
			return fmt.Errorf("copier: COPY needs a pgx connection, not %T", dc)
		}
		tag, err := c.Conn().PgConn().CopyFrom(ctx, newTextRows(ctx, t.Rows, pgField), stmt)
		if err != nil {
			return err
		}
		if n := tag.RowsAffected(); n != int64(len(t.Rows)) {
			return fmt.Errorf("copier: COPY wrote %d rows of %d", n, len(t.Rows))
		}
		return nil
	})
}

// pgField appends the COPY text of v: \N for NULL, t or f, the digits
// of an integer, a string (a decimal's or a JSON text too) escaped, an
// instant of years 1 to 9999 as 2006-01-02 15:04:05.999999+00.
func pgField(b []byte, v any) ([]byte, error) {
	if out, ok := appendScalar(b, v, 't', 'f', false); ok {
		return out, nil
	}
	switch v := v.(type) {
	case time.Time:
		if y := v.UTC().Year(); y < 1 || y > 9999 {
			return b, errUncovered
		}
		return v.UTC().AppendFormat(b, "2006-01-02 15:04:05.999999+00"), nil
	}
	return b, errUncovered
}
