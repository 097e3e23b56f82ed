package copier

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"io"
	"strings"

	driver "github.com/go-sql-driver/mysql"

	"github.com/calldash/calldash/sqlstore"
)

// mysql copies with LOAD DATA LOCAL INFILE from a reader, inside the
// load's transaction. go-sql-driver/mysql finds the reader by name in a
// registry of its own (package state of the driver): each copy registers
// a fresh random name and removes it when done. LOCAL makes the server
// turn bad values and duplicate keys into warnings and skipped rows, so
// a copy that leaves a warning or writes fewer rows fails (and the load
// rolls back).
type mysql struct{}

func (mysql) Copy(ctx context.Context, t *sqlstore.CopyTable) error {
	if !covered(t.Rows, mysqlField) {
		return t.Insert(ctx)
	}
	var id [8]byte
	rand.Read(id[:]) // never fails (crypto/rand)
	name := "calldash_" + hex.EncodeToString(id[:])
	driver.RegisterReaderHandler(name, func() io.Reader { return newTextRows(ctx, t.Rows, mysqlField) })
	defer driver.DeregisterReaderHandler(name)
	table, columns := t.Quoted()
	stmt := "LOAD DATA LOCAL INFILE 'Reader::" + name + "' INTO TABLE " + table +
		" CHARACTER SET utf8mb4 FIELDS TERMINATED BY '\\t' ENCLOSED BY '' ESCAPED BY '\\\\' LINES TERMINATED BY '\\n' STARTING BY ''" +
		" (" + strings.Join(columns, ", ") + ")"
	res, err := t.Tx.ExecContext(ctx, stmt)
	if err != nil {
		return err
	}
	if err := warnings(ctx, t); err != nil {
		return err
	}
	n, err := res.RowsAffected()
	if err != nil {
		return err
	}
	if n != int64(len(t.Rows)) {
		return fmt.Errorf("copier: LOAD DATA wrote %d rows of %d", n, len(t.Rows))
	}
	return nil
}

// warnings returns the first warnings of the last statement as an
// error, nil when it left none.
func warnings(ctx context.Context, t *sqlstore.CopyTable) error {
	rows, err := t.Tx.QueryContext(ctx, "SHOW WARNINGS LIMIT 3")
	if err != nil {
		return err
	}
	defer rows.Close()
	var msgs []string
	for rows.Next() {
		var level, message string
		var code int
		if err := rows.Scan(&level, &code, &message); err != nil {
			return err
		}
		msgs = append(msgs, fmt.Sprintf("%s %d: %s", level, code, message))
	}
	if err := rows.Err(); err != nil {
		return err
	}
	if len(msgs) > 0 {
		return fmt.Errorf("copier: LOAD DATA: %s", strings.Join(msgs, "; "))
	}
	return nil
}

// mysqlField appends the LOAD DATA text of v: \N for NULL, 1 or 0, the
// digits of an integer, a string (a decimal's, an instant's or a JSON
// text too) escaped, NUL included.
func mysqlField(b []byte, v any) ([]byte, error) {
	if out, ok := appendScalar(b, v, '1', '0', true); ok {
		return out, nil
	}
	return b, errUncovered
}
