package dbtest_test

import (
	"bytes"
	"database/sql"
	"errors"
	"strings"
	"testing"

	"github.com/calldash/calldash/dialect"
	"github.com/calldash/calldash/examples/internal/sqltest"
	"github.com/calldash/calldash/sqlstore"
	"github.com/calldash/calldash/widget"
	"github.com/calldash/calldash/widget/widgettest"
)

// TestHostileDataSQL loads each case of the hostile data corpus into
// every available database and answers its widget: the bytes of memory's
// answer, or — only on a dialect the case lists — a refusal by name, of
// the load (sqlstore.ErrRefused) or of the widget (ErrDialect).
func TestHostileDataSQL(t *testing.T) {
	cases := widgettest.HostileDataCases(t, "../../testdata/hostile/data")
	for _, name := range append(sqltest.Names, "clickhouse") {
		t.Run(name, func(t *testing.T) {
			for _, c := range cases {
				if c.DataErr != nil {
					continue // refused before any database (TestHostileData)
				}
				t.Run(c.Name, func(t *testing.T) {
					_, want := widgettest.HostileOutcome(t, c.HostileCase, widget.Calls(c.Calls))
					db, d, prefix, err := loadHostile(t, name, c)
					if err != nil {
						if !errors.Is(err, sqlstore.ErrRefused) || !c.Refused[d.Name()] {
							t.Fatalf("load: %v", err)
						}
						t.Logf("load refused by %s: %v", d.Name(), err)
						return
					}
					_, body := widgettest.HostileOutcome(t, c.HostileCase, widget.SQL(db, d, widget.WithTablePrefix(prefix)))
					switch {
					case bytes.Equal(body, want):
					case c.Refused[d.Name()] && strings.Contains(string(body), "not supported on "+d.Name()):
						t.Logf("refused by %s: %s", d.Name(), body)
					default:
						t.Errorf("%s answers\n%.500s\nmemory answers\n%.500s", d.Name(), body, want)
					}
				})
			}
		})
	}
}

// loadHostile loads the case's calls into fresh default tables of the
// database name (the two-shard cluster for clickhouse), dropped when t
// ends; it skips t, naming the variable, for a database that is not set.
func loadHostile(t *testing.T, name string, c widgettest.HostileDataCase) (db *sql.DB, d dialect.Dialect, prefix string, err error) {
	if name == "clickhouse" {
		cl, err := sqltest.LoadClickHouseCluster(t, c.Calls)
		if err != nil {
			return nil, dialect.ClickHouse, "", err
		}
		return cl.DB, dialect.ClickHouse, cl.Prefix, nil
	}
	if !sqltest.Available(name) {
		t.Skipf("set %s to run the hostile data corpus against %s", sqltest.EnvVar(name), name)
	}
	conn, d := sqltest.Connect(t, name)
	prefix, err = sqltest.LoadErr(t, conn, d, c.Calls)
	return conn, d, prefix, err
}
