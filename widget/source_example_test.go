package widget_test

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"slices"
	"time"

	"github.com/calldash/calldash/dialect"
	_ "github.com/calldash/calldash/dialect/sqlitefn" // registers calldash's SQLite functions with modernc.org/sqlite
	"github.com/calldash/calldash/sqlstore"
	"github.com/calldash/calldash/widget"
)

// A Table holds the calls in columns, built once: a dashboard's widgets
// and requests share it, and each answer costs a pass over the columns
// the widget reads.
func ExampleNewTable() {
	table := widget.NewTable(exampleData())
	now := time.Date(2025, 11, 28, 18, 0, 0, 0, time.UTC)
	for _, w := range []string{
		`{"chart_type": "bar", "field": "duration", "aggregation_function": "sum", "time_period": "day",
		  "filters": {"field": "timestamp", "op": "gte", "value": "2025-11-27"}}`,
		`{"chart_type": "pie", "field": "success", "filters": {"field": "timestamp", "op": "gte", "value": "2025-11-27"}}`,
	} {
		spec, err := widget.Decode([]byte(w))
		if err != nil {
			fmt.Println(err)
			return
		}
		resp, err := widget.Preview(context.Background(), spec, table, widget.WithNow(now))
		if err != nil {
			fmt.Println(err)
			return
		}
		os.Stdout.Write(resp.Data.AppendJSON(nil))
		fmt.Println()
	}
	// Output:
	// [{"time_interval":"2025-11-27T00:00:00Z","value":105.5,"sample_count":2},{"time_interval":"2025-11-28T00:00:00Z","value":30.25,"sample_count":2}]
	// [{"label":"true","value":2,"percentage":50.0},{"label":"false","value":1,"percentage":25.0},{"label":null,"value":1,"percentage":25.0}]
}

// The same widget from a database: the whole widget is one statement,
// and the answer is the one the calls in memory give. Here the database
// is SQLite in memory, in calldash's default layout (package sqlstore).
func ExampleSQL() {
	ctx := context.Background()
	db, err := sql.Open("sqlite", ":memory:")
	if err != nil {
		fmt.Println(err)
		return
	}
	defer db.Close()
	db.SetMaxOpenConns(1) // every connection to ":memory:" is a database of its own
	if err := sqlstore.Create(ctx, db, dialect.SQLite, ""); err != nil {
		fmt.Println(err)
		return
	}
	if err := sqlstore.Load(ctx, db, dialect.SQLite, "", slices.Values(exampleData())); err != nil {
		fmt.Println(err)
		return
	}
	spec, err := widget.Decode([]byte(exampleBar)) // the widget of ExamplePreview_bar
	if err != nil {
		fmt.Println(err)
		return
	}
	now := time.Date(2025, 11, 28, 18, 0, 0, 0, time.UTC)
	resp, err := widget.Preview(ctx, spec, widget.SQL(db, dialect.SQLite), widget.WithNow(now))
	if err != nil {
		fmt.Println(err)
		return
	}
	os.Stdout.Write(resp.Data.AppendJSON(nil))
	// Output:
	// [{"time_interval":"2025-11-26T00:00:00Z","value":null,"sample_count":0},{"time_interval":"2025-11-27T00:00:00Z","value":52.75,"sample_count":2},{"time_interval":"2025-11-28T00:00:00Z","value":30.25,"sample_count":2}]
}
