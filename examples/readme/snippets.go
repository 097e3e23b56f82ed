package readme

import (
	"context"
	"database/sql"
	"io"
	"time"

	"github.com/calldash/calldash"
	"github.com/calldash/calldash/dialect"
	"github.com/calldash/calldash/widget"

	_ "github.com/jackc/pgx/v5/stdlib" // the PostgreSQL driver
)

// Memory answers one widget over the call logs of a JSON Lines stream, in
// New York time with weeks starting on Sunday. Invalid input gives the
// error body of the hosted API and the error.
func Memory(ctx context.Context, widgetJSON []byte, callsJSONL io.Reader, now time.Time) ([]byte, error) {
	// readme:begin memory
	spec, err := widget.Decode(widgetJSON)
	if err != nil {
		return widget.ErrorBody(err), err // {"filters": ["$.filters.conditions[1].op: ..."]}
	}
	calls, err := calldash.DecodeCalls(callsJSONL) // JSON Lines of call logs
	if err != nil {
		return nil, err
	}
	newYork, err := time.LoadLocation("America/New_York")
	if err != nil {
		return nil, err
	}
	resp, err := widget.Preview(ctx, spec, widget.Calls(calls), widget.WithNow(now),
		widget.WithLocation(newYork), widget.WithWeekStart(time.Sunday))
	if err != nil {
		return widget.ErrorBody(err), err
	}
	return resp.AppendJSON(nil), nil
	// readme:end
}

// Database answers the same widget with one parameterized statement over
// the default tables of the PostgreSQL database at dsn.
func Database(ctx context.Context, dsn string, spec *widget.Spec, opts ...widget.Option) ([]byte, error) {
	// readme:begin database
	db, err := sql.Open("pgx", dsn) // import _ "github.com/jackc/pgx/v5/stdlib"
	if err != nil {
		return nil, err
	}
	defer db.Close()
	resp, err := widget.Preview(ctx, spec, widget.SQL(db, dialect.Postgres), opts...)
	// readme:end
	if err != nil {
		return nil, err
	}
	return resp.AppendJSON(nil), nil
}

// Dashboard answers many widgets over the same calls from a columnar
// Table built once.
func Dashboard(ctx context.Context, calls []calldash.Call, specs []*widget.Spec, opts ...widget.Option) ([]*widget.Response, []error) {
	// readme:begin dashboard
	table := widget.NewTable(calls)
	resps, errs := widget.PreviewMany(ctx, specs, table, opts...)
	// readme:end
	return resps, errs
}
