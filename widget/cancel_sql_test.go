package widget_test

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/calldash/calldash/filter"
	"github.com/calldash/calldash/sqlstore/sqltest"
	"github.com/calldash/calldash/widget"
)

// bulkInsert fills the call_logs table under prefix with n calls, inside
// the database (far faster than loading them through Go).
var bulkInsert = map[string]string{
	"sqlite": `WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < %[2]d)
		INSERT INTO %[1]s (id, timestamp, duration) SELECT i, %[3]d + i * 1000000, CAST(i %% 997 AS TEXT) FROM s`,
	"postgres": `INSERT INTO %[1]s (id, timestamp, duration)
		SELECT i, to_timestamp(%[3]d / 1e9) + i * interval '1 millisecond', i %% 997 FROM generate_series(1, %[2]d) AS i`,
	"mysql": `INSERT INTO %[1]s (id, timestamp, duration)
		SELECT seq, FROM_UNIXTIME(%[3]d / 1000000000) + INTERVAL seq * 1000 MICROSECOND, seq %% 997 FROM seq_1_to_%[2]d`,
}

// TestSQLCancel checks that cancelling the context stops a running SQL
// query: the preview returns the context's error, not a result.
func TestSQLCancel(t *testing.T) {
	now := time.Date(2025, 11, 28, 18, 0, 0, 0, time.UTC)
	start := now.Add(-24 * time.Hour)
	for _, name := range sqltest.Names {
		t.Run(name, func(t *testing.T) {
			if !sqltest.Available(name) {
				t.Skipf("set %s to test cancellation on %s", sqltest.EnvVar(name), name)
			}
			db, d, prefix := sqltest.Open(t, name, nil)
			q := fmt.Sprintf(bulkInsert[name], d.Quote(prefix+"call_logs"), 200_000, start.UnixNano())
			if _, err := db.Exec(q); err != nil {
				t.Fatal(err)
			}
			spec, err := widget.Decode([]byte(`{"chart_type":"bar","field":"duration","aggregation_function":"p99","time_period":"hour",
				"filters":{"field":"timestamp","op":"gte","value":"today-1d"}}`))
			if err != nil {
				t.Fatal(err)
			}
			opts := []widget.Option{widget.WithNow(now), widget.WithTimePolicy(filter.TimePolicy{})}
			ctx, cancel := context.WithCancel(context.Background())
			time.AfterFunc(20*time.Millisecond, cancel)
			_, err = widget.Preview(ctx, spec, widget.SQL(db, d, widget.WithTablePrefix(prefix)), opts...)
			if !errors.Is(err, context.Canceled) {
				t.Fatalf("got %v, want context.Canceled", err)
			}
		})
	}
}
