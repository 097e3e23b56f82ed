package dbtest_test

import (
	"context"
	"database/sql"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/calldash/calldash/dialect"
	"github.com/calldash/calldash/examples/internal/sqltest"
	"github.com/calldash/calldash/sample"
	"github.com/calldash/calldash/sqlgen"
	"github.com/calldash/calldash/sqlstore"
	"github.com/calldash/calldash/widget"
)

// TestLayoutPlanPostgres: the statement of a 7-day widget over a user's
// layout, in a schema of its own with an index on its timestamp column,
// reads the calls through that index (no function is wrapped around the
// column in WHERE). It runs the EXPLAIN on a *sql.Conn, as a user who set
// session settings would.
func TestLayoutPlanPostgres(t *testing.T) {
	db, d := sqltest.Connect(t, "postgres")
	ctx := context.Background()
	schema := strings.TrimSuffix(sqlstore.NewPrefix(), "_")
	createSchema(t, db, "postgres", schema)
	base, err := sqlgen.ParseLayout([]byte(typedLayout(schema)))
	if err != nil {
		t.Fatal(err)
	}
	l, err := base.Scoped(map[string]any{"project_id": 7, "agent_project": 7, "eval_project": 7, "metric_project": 7})
	if err != nil {
		t.Fatal(err)
	}
	if err := sqlstore.CreateLayout(ctx, db, d, l); err != nil {
		t.Fatal(err)
	}
	end := time.Date(2025, 11, 28, 0, 0, 0, 0, time.UTC)
	calls := sample.Generate(sample.Config{Seed: 3, N: 20000, Start: end.AddDate(-1, 0, 0), End: end})
	if err := sqlstore.LoadLayout(ctx, db, d, l, slices.Values(calls)); err != nil {
		t.Fatal(err)
	}
	if _, err := db.ExecContext(ctx, "ANALYZE "+schema+".calls"); err != nil {
		t.Fatal(err)
	}
	spec, err := widget.Decode([]byte(`{"chart_type": "bar", "field": "duration", "aggregation_function": "avg", "time_period": "day",
	  "filters": {"field": "timestamp", "op": "gte", "value": "now-7d"}}`))
	if err != nil {
		t.Fatal(err)
	}
	text, args, err := widget.Statement(spec, dialect.Postgres, l, widget.WithNow(end))
	if err != nil {
		t.Fatal(err)
	}
	conn, err := db.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	rows, err := conn.QueryContext(ctx, "EXPLAIN "+text, args...)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var plan []string
	for rows.Next() {
		var line string
		if err := rows.Scan(&line); err != nil {
			t.Fatal(err)
		}
		plan = append(plan, line)
	}
	found := ""
	for _, line := range plan {
		if strings.Contains(line, "Index") && strings.Contains(line, "calls_at") {
			found = strings.TrimSpace(line)
		}
	}
	if found == "" {
		t.Fatalf("the plan does not use the index calls_at:\n%s\n%s", text, strings.Join(plan, "\n"))
	}
	t.Logf("plan: %s", found)

	// And the source answers the same through the connection.
	src := widget.SQL(conn, dialect.Postgres, widget.WithLayout(l))
	got, err := widget.Preview(ctx, spec, src, widget.WithNow(end))
	if err != nil {
		t.Fatal(err)
	}
	want, err := widget.Preview(ctx, spec, widget.Calls(calls), widget.WithNow(end))
	if err != nil {
		t.Fatal(err)
	}
	if g, w := string(got.AppendJSON(nil)), string(want.AppendJSON(nil)); g != w {
		t.Errorf("over a *sql.Conn:\n got %s\nwant %s", g, w)
	}
	// And through a read-only transaction.
	tx, err := db.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	got, err = widget.Preview(ctx, spec, widget.SQL(tx, dialect.Postgres, widget.WithLayout(l)), widget.WithNow(end))
	if err != nil {
		t.Fatal(err)
	}
	if g, w := string(got.AppendJSON(nil)), string(want.AppendJSON(nil)); g != w {
		t.Errorf("over a read-only *sql.Tx:\n got %s\nwant %s", g, w)
	}
}
