// Command server shows how a service exposes calldash over HTTP: one
// endpoint, POST /dashboards/widgets/preview_data/, that answers a widget
// (the request body) over the embedded sample calls, a JSON Lines file, or
// the call-log tables of a database, with the hosted API's error bodies.
// Besides calldash and the database drivers, it uses the standard library
// only.
//
//	go run ./examples/server -addr 127.0.0.1:8080
//	go run ./examples/server -source postgres -dsn postgres://postgres@127.0.0.1:5432/test?sslmode=disable
//	curl -s -X POST 127.0.0.1:8080/dashboards/widgets/preview_data/?tz=Europe/Paris \
//	    -d '{"chart_type":"pie","field":"topic","filters":{"field":"timestamp","op":"gte","value":"today-7d"}}'
//
// Responses: 200 with the widget data; 400 with {"key": [...]} or
// {"detail": ...} for invalid input; 405 for another method; 413 when the
// body is larger than -max-body; 503 when the answer takes longer than
// -timeout.
package main

import (
	"context"
	"database/sql"
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"net/http"
	"os"
	"time"

	_ "github.com/go-sql-driver/mysql"
	_ "github.com/jackc/pgx/v5/stdlib"

	"github.com/calldash/calldash"
	"github.com/calldash/calldash/dialect"
	_ "github.com/calldash/calldash/dialect/sqlitefn"
	"github.com/calldash/calldash/sample"
	"github.com/calldash/calldash/widget"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:8080", "listen `address`")
	calls := flag.String("calls", "", "call logs as JSON Lines `file` (default: sample calls ending now)")
	maxBody := flag.Int64("max-body", 1<<20, "largest request body in `bytes`")
	timeout := flag.Duration("timeout", 10*time.Second, "longest time to answer one request")
	source := flag.String("source", "memory", "where the calls are: memory, or the database of -dsn: sqlite, postgres or mysql")
	dsn := flag.String("dsn", "", "database `DSN` in the driver's form, for an SQL -source")
	prefix := flag.String("table-prefix", "", "`prefix` of the call-log tables in the database")
	flag.Parse()

	src, err := openSource(*source, *dsn, *prefix, *calls)
	if err != nil {
		log.Fatal(err)
	}
	srv := &http.Server{
		Addr:              *addr,
		Handler:           newHandler(src, *maxBody, *timeout, time.Now),
		ReadHeaderTimeout: 5 * time.Second,
	}
	log.Printf("listening on http://%s%s", *addr, path)
	log.Fatal(srv.ListenAndServe())
}

const path = "/dashboards/widgets/preview_data/"

// drivers maps an SQL -source to its database/sql driver.
var drivers = map[string]string{"sqlite": "sqlite", "postgres": "pgx", "mysql": "mysql"}

// openSource returns the source of the calls: in memory, or the tables of
// the default layout (dialect.Dialect.DDL) in a database.
func openSource(source, dsn, prefix, calls string) (widget.Source, error) {
	if source == "memory" {
		data, err := loadCalls(calls, time.Now())
		if err != nil {
			return nil, err
		}
		return widget.Calls(data), nil
	}
	driver, ok := drivers[source]
	if !ok || dsn == "" {
		return nil, fmt.Errorf("-source %q: want memory, or sqlite, postgres or mysql with -dsn", source)
	}
	d, err := dialect.ByName(source)
	if err != nil {
		return nil, err
	}
	db, err := sql.Open(driver, dsn)
	if err != nil {
		return nil, err
	}
	if err := db.Ping(); err != nil {
		return nil, err
	}
	return widget.SQL(db, d, widget.WithTablePrefix(prefix)), nil
}

func loadCalls(file string, now time.Time) ([]calldash.Call, error) {
	if file == "" {
		cfg := sample.DefaultConfig()
		cfg.Start, cfg.End = now.Add(-45*24*time.Hour), now
		return sample.Generate(cfg), nil
	}
	f, err := os.Open(file)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return calldash.DecodeCalls(f)
}

// newHandler serves the preview endpoint over src. now is the clock.
func newHandler(src widget.Source, maxBody int64, timeout time.Duration, now func() time.Time) http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc(path, func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPost {
			w.Header().Set("Allow", http.MethodPost)
			writeJSON(w, http.StatusMethodNotAllowed, detail(fmt.Sprintf("Method %q not allowed.", r.Method)))
			return
		}
		body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxBody))
		if err != nil {
			var tooBig *http.MaxBytesError
			if errors.As(err, &tooBig) {
				writeJSON(w, http.StatusRequestEntityTooLarge, detail(fmt.Sprintf("Request body is larger than %d bytes.", maxBody)))
				return
			}
			writeJSON(w, http.StatusBadRequest, detail("Could not read the request body."))
			return
		}
		opts := []widget.Option{widget.WithNow(now())}
		q := r.URL.Query()
		if tz := q.Get("tz"); tz != "" {
			loc, err := time.LoadLocation(tz)
			if err != nil {
				writeJSON(w, http.StatusBadRequest, []byte(`{"tz":["unknown time zone"]}`))
				return
			}
			opts = append(opts, widget.WithLocation(loc))
		}
		if ws := q.Get("week_start"); ws != "" {
			day, ok := weekdays[ws]
			if !ok {
				writeJSON(w, http.StatusBadRequest, []byte(`{"week_start":["must be a weekday name, e.g. monday"]}`))
				return
			}
			opts = append(opts, widget.WithWeekStart(day))
		}
		ctx, cancel := context.WithTimeout(r.Context(), timeout)
		defer cancel()
		spec, err := widget.Decode(body)
		if err != nil {
			writeJSON(w, http.StatusBadRequest, widget.ErrorBody(err))
			return
		}
		resp, err := widget.Preview(ctx, spec, src, opts...)
		switch {
		case errors.Is(err, context.DeadlineExceeded) || errors.Is(err, context.Canceled):
			writeJSON(w, http.StatusServiceUnavailable, detail("The request took too long."))
		case err != nil:
			var list calldash.ErrorList
			var one *calldash.Error
			if errors.As(err, &list) || errors.As(err, &one) {
				writeJSON(w, http.StatusBadRequest, widget.ErrorBody(err))
				return
			}
			log.Printf("preview: %v", err)
			writeJSON(w, http.StatusInternalServerError, detail("Internal error."))
		default:
			writeJSON(w, http.StatusOK, resp.AppendJSON(nil))
		}
	})
	return mux
}

func detail(msg string) []byte {
	return widget.ErrorBody(errors.New(msg))
}

func writeJSON(w http.ResponseWriter, status int, body []byte) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	w.Write(body)
}

var weekdays = map[string]time.Weekday{
	"sunday": time.Sunday, "monday": time.Monday, "tuesday": time.Tuesday, "wednesday": time.Wednesday,
	"thursday": time.Thursday, "friday": time.Friday, "saturday": time.Saturday,
}
