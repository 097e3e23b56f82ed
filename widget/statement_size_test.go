package widget_test

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/calldash/calldash"
	"github.com/calldash/calldash/dialect"
	"github.com/calldash/calldash/widget"
)

// errSent is what the fake queriers answer a statement with: the test
// looks at what was sent, not at rows.
var errSent = errors.New("statement recorded")

// A recorder keeps the statements a querier was sent.
type recorder struct {
	texts []string
	args  [][]any
}

func (r *recorder) record(text string, args []any) {
	r.texts = append(r.texts, text)
	r.args = append(r.args, args)
}

// A fakeQuerier is one connection that records its statements.
type fakeQuerier struct{ r *recorder }

func (q fakeQuerier) QueryContext(_ context.Context, text string, args ...any) (*sql.Rows, error) {
	q.r.record(text, args)
	return nil, errSent
}

// fakeConnector, fakeConn: a driver-free *sql.DB (sql.OpenDB) that
// records its statements, so that the source sees a pool.
type fakeConnector struct{ r *recorder }

func (c fakeConnector) Connect(context.Context) (driver.Conn, error) { return fakeConn(c), nil }
func (c fakeConnector) Driver() driver.Driver                        { return nil }

type fakeConn struct{ r *recorder }

func (fakeConn) Prepare(string) (driver.Stmt, error) { return nil, errors.New("no Prepare") }
func (fakeConn) Close() error                        { return nil }
func (fakeConn) Begin() (driver.Tx, error)           { return nil, errors.New("no Begin") }
func (c fakeConn) QueryContext(_ context.Context, text string, named []driver.NamedValue) (driver.Rows, error) {
	args := make([]any, len(named))
	for i, a := range named {
		args[i] = a.Value
	}
	c.r.record(text, args)
	return nil, errSent
}

// TestStatementLimitCountsSentText checks that the size a
// dialect.StatementLimiter's limit is held against is that of the text
// sent — with the deadline clause, and the mark over a pool — not the
// bare statement's: a limit the bare statement fits but the sent text
// does not refuses it before anything is sent, and a limit of exactly
// the sent text's size lets it through.
func TestStatementLimitCountsSentText(t *testing.T) {
	d := dialect.ClickHouse
	sl := d.(dialect.StatementLimiter)
	now := time.Date(2025, 11, 28, 18, 0, 0, 0, time.UTC)
	spec, err := widget.Decode([]byte(`{"chart_type": "pie", "field": "topic",
	  "filters": {"operator": "and", "conditions": [{"field": "timestamp", "op": "gte", "value": "2025-11-27"},
	    {"field": "topic", "op": "eq", "value": "billing"}]}}`))
	if err != nil {
		t.Fatal(err)
	}
	bare, bareArgs, err := widget.Statement(spec, d, nil, widget.WithNow(now))
	if err != nil {
		t.Fatal(err)
	}
	bareSize := sl.StatementSize(bare, bareArgs)

	for _, c := range []struct {
		name string
		db   func(*recorder) widget.Querier
		mark bool
	}{
		{"conn", func(r *recorder) widget.Querier { return fakeQuerier{r} }, false},
		{"pool", func(r *recorder) widget.Querier { return sql.OpenDB(fakeConnector{r}) }, true},
	} {
		t.Run(c.name, func(t *testing.T) {
			run := func(limit int) (*recorder, error) {
				ctx, cancel := context.WithTimeout(context.Background(), time.Hour)
				defer cancel()
				r := &recorder{}
				src := widget.SQL(c.db(r), d, widget.WithStatementLimit(limit))
				_, err := widget.Preview(ctx, spec, src, widget.WithNow(now))
				return r, err
			}
			// Unlimited in effect: what is sent.
			r, err := run(1 << 30)
			if !errors.Is(err, errSent) || len(r.texts) != 1 {
				t.Fatalf("want one statement sent, got %d (%v)", len(r.texts), err)
			}
			sent := r.texts[0]
			if !strings.Contains(sent, bare) || !strings.HasSuffix(sent, " SETTINGS max_execution_time = 3600") {
				t.Fatalf("sent text is not the statement with its deadline clause:\n%s", sent)
			}
			if got := strings.HasPrefix(sent, "/* calldash-statement-"); got != c.mark {
				t.Fatalf("marked: %v, want %v:\n%s", got, c.mark, sent)
			}
			size := sl.StatementSize(sent, r.args[0])
			if size <= bareSize {
				t.Fatalf("sent size %d not above the bare statement's %d", size, bareSize)
			}

			// The bare statement fits, the sent text does not.
			r, err = run(size - 1)
			if !errors.Is(err, calldash.ErrDialect) || !strings.Contains(err.Error(), "max_query_size") ||
				!strings.Contains(err.Error(), "would have "+strconv.Itoa(size)+" bytes") {
				t.Fatalf("limit %d (bare %d): want the ErrDialect size refusal for %d bytes, got %v", size-1, bareSize, size, err)
			}
			if len(r.texts) != 0 {
				t.Fatalf("refused statement was sent: %q", r.texts)
			}

			// Exactly the sent text's size fits: the size checked is its.
			r, err = run(size)
			if !errors.Is(err, errSent) || len(r.texts) != 1 {
				t.Fatalf("limit %d: want one statement sent, got %d (%v)", size, len(r.texts), err)
			}
			if got := sl.StatementSize(r.texts[0], r.args[0]); got != size {
				t.Fatalf("sent %d bytes, checked %d", got, size)
			}
		})
	}
}
