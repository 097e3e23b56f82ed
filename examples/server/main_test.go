package main

import (
	"context"
	"database/sql"
	"io"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/calldash/calldash/dialect"
	"github.com/calldash/calldash/sqlstore"
	"github.com/calldash/calldash/widget"
)

var testNow = time.Date(2025, 11, 28, 18, 0, 0, 0, time.UTC)

// TestServer drives the endpoint with real HTTP requests, hostile ones
// included, and checks status codes and bodies.
func TestServer(t *testing.T) {
	calls, err := loadCalls("../../testdata/calls/sample.jsonl", testNow)
	if err != nil {
		t.Fatal(err)
	}
	t.Run("memory", func(t *testing.T) { testServer(t, widget.Calls(calls)) })
	t.Run("sqlite", func(t *testing.T) {
		// The server over a database file holding the same calls.
		dsn := filepath.Join(t.TempDir(), "calls.db")
		db, err := sql.Open("sqlite", dsn)
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		ctx := context.Background()
		if err := sqlstore.Create(ctx, db, dialect.SQLite, "t_"); err != nil {
			t.Fatal(err)
		}
		if err := sqlstore.Load(ctx, db, dialect.SQLite, "t_", slices.Values(calls)); err != nil {
			t.Fatal(err)
		}
		src, err := openSource("sqlite", dsn, "t_", "")
		if err != nil {
			t.Fatal(err)
		}
		testServer(t, src)
	})
}

func testServer(t *testing.T, src widget.Source) {
	srv := httptest.NewServer(newHandler(src, 64<<10, 5*time.Second, func() time.Time { return testNow }))
	defer srv.Close()

	deep := strings.Repeat(`{"operator":"and","conditions":[`, 100000) + strings.Repeat(`]}`, 100000)
	tests := []struct {
		name       string
		method     string
		query      string
		body       string
		wantStatus int
		wantBody   string // a substring of the response body
	}{
		{"pie", "POST", "", `{"chart_type":"pie","field":"success","filters":{"field":"timestamp","op":"gte","value":"today-1d"}}`,
			200, `"data":[{"label":"true","value":20,"percentage":54.1},{"label":"false","value":15,"percentage":40.5},{"label":null,"value":2,"percentage":5.4}]`},
		{"bar in a zone", "POST", "?tz=America/New_York&week_start=sunday", `{"chart_type":"bar","field":"duration","time_period":"week","filters":{"field":"timestamp","op":"gte","value":"today-7d"}}`,
			200, `"time_interval":"2025-11-16T00:00:00-05:00"`},
		{"validation errors", "POST", "", `{"chart_type":"pie","field":"duration","filters":{"field":"x","op":"eq","value":1}}`,
			400, `{"chart_type":["\"pie\" is not allowed for numeric field \"duration\"; allowed: line, bar"],"filters":["$.filters.field: unknown field \"x\"`},
		{"time range", "POST", "", `{"chart_type":"pie","field":"topic","filters":{"field":"timestamp","op":"gte","value":"now-31d"}}`,
			400, `{"detail":"Timestamp filter value is too far in the past. Maximum allowed range is 30 days."}`},
		{"wrong method", "GET", "", ``, 405, `{"detail":"Method \"GET\" not allowed."}`},
		{"too large", "POST", "", `{"name":"` + strings.Repeat("x", 70<<10) + `"}`, 413, `{"detail":"Request body is larger than 65536 bytes."}`},
		{"deep nesting", "POST", "", `{"chart_type":"stat","filters":` + deep[:60000] + `}`, 400, `nesting`},
		{"invalid UTF-8", "POST", "", "{\"chart_type\":\"pie\",\"field\":\"topic\xff\"}", 400, `invalid UTF-8`},
		{"duplicate keys", "POST", "", `{"chart_type":"pie","chart_type":"bar"}`, 400, `duplicate key`},
		{"not JSON", "POST", "", `chart_type=pie`, 400, `malformed JSON`},
		{"empty body", "POST", "", ``, 400, `malformed JSON`},
		{"injection in a metadata key", "POST", "", `{"chart_type":"pie","field":"topic","filters":{"operator":"and","conditions":[{"field":"timestamp","op":"gte","value":"today"},{"field":"metadata.x'; DROP TABLE call_logs; --","op":"eq","value":"1"}]}}`,
			200, `"data":[]`},
		{"huge number", "POST", "", `{"chart_type":"pie","field":"topic","filters":{"field":"duration","op":"gt","value":1e999999999}}`, 400, `out of range`},
		{"bad zone", "POST", "?tz=Mars/Base", `{"chart_type":"stat"}`, 400, `{"tz":["unknown time zone"]}`},
		{"too many buckets", "POST", "", `{"chart_type":"bar","field":"duration","group_by":{"type":"bucket","interval":1000},"filters":{"field":"timestamp","op":"gte","value":"today-20d"}}`, 400, `more than 10000 buckets`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req, err := http.NewRequest(tt.method, srv.URL+path+tt.query, strings.NewReader(tt.body))
			if err != nil {
				t.Fatal(err)
			}
			res, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer res.Body.Close()
			body, _ := io.ReadAll(res.Body)
			if res.StatusCode != tt.wantStatus {
				t.Errorf("status %d, want %d; body %s", res.StatusCode, tt.wantStatus, body)
			}
			if ct := res.Header.Get("Content-Type"); ct != "application/json" {
				t.Errorf("Content-Type %q", ct)
			}
			if !strings.Contains(string(body), tt.wantBody) {
				t.Errorf("body %s\nlacks %s", body, tt.wantBody)
			}
		})
	}
}
