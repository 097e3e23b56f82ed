package main

import (
	"bufio"
	"bytes"
	"cmp"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/calldash/calldash"
)

// TestSQLSources runs the service over every database it can reach: an
// unscoped key and a scoped one get exactly the memory answers of their
// scope.
func TestSQLSources(t *testing.T) {
	for _, db := range []struct{ source, env string }{
		{"sqlite", ""},
		{"postgres", "CALLDASH_POSTGRES_DSN"},
		{"mysql", "CALLDASH_MYSQL_DSN"},
		{"clickhouse", "CALLDASH_CLICKHOUSE_DSN"},
	} {
		t.Run(db.source, func(t *testing.T) {
			args := []string{"-source", db.source}
			if db.env != "" {
				dsn := os.Getenv(db.env)
				if dsn == "" {
					t.Skipf("set %s to run the service over %s", db.env, db.source)
				}
				args = append(args, "-dsn", dsn)
			}
			ts := startService(t, args...)
			checkSQLAnswers(t, ts, true)
		})
	}
}

// checkSQLAnswers compares the answers of a service over SQL with the
// oracle's over memory, and those of scoped keys with the oracle's for
// their scope (scoped) or checks that they are refused (501).
func checkSQLAnswers(t *testing.T, ts *testService, scoped bool) {
	t.Helper()
	o := newOracle(t)
	widgets := []string{pieTopic, barAvg, stat, `{"chart_type":"line","field":"duration","filters":{"field":"timestamp","op":"gte","value":"today-1d"}}`}
	body := `{"widget_ids":[1,2,3,4,5,6,7,8],"widgets":[` + strings.Join(widgets, ",") + `]}`
	_, data := ts.do(t, call{method: "POST", path: bulkURL, key: keyAdmin, body: body, conforms: true})
	var p struct{ Results []json.RawMessage }
	if err := json.Unmarshal(data, &p); err != nil {
		t.Fatalf("%v: %s", err, data)
	}
	var wants [][]byte
	for id := int64(1); id <= 8; id++ {
		wants = append(wants, o.answer(want{id: id}))
	}
	for _, w := range widgets {
		wants = append(wants, o.answer(want{widget: w}))
	}
	if len(p.Results) != len(wants) {
		t.Fatalf("%d results, want %d: %s", len(p.Results), len(wants), data)
	}
	for i := range wants {
		if !bytes.Equal(p.Results[i], wants[i]) {
			t.Errorf("result %d:\n got %s\nwant %s", i, p.Results[i], wants[i])
		}
	}
	const refused = `{"detail":"This API key is scoped to a tenant, and this service's existing tables have no scope columns."}`
	for _, c := range []struct {
		call
		want want
	}{
		{call{method: "POST", path: preview, key: keyAcme, body: pieTopic, conforms: true}, want{scope: "tenant=acme", widget: pieTopic}},
		{call{method: "POST", path: preview, key: keyAcme, body: stat, conforms: true}, want{scope: "tenant=acme", widget: stat}},
		{call{method: "GET", path: dataURL(4), key: keyGlobex, conforms: true}, want{scope: "tenant=globex", id: 4}},
		{call{method: "POST", path: preview, key: keyNobody, body: stat, conforms: true}, want{scope: "none", widget: stat}},
	} {
		res, body := ts.do(t, c.call)
		switch {
		case !scoped && (res.StatusCode != http.StatusNotImplemented || string(body) != refused):
			t.Errorf("%s %s with a scoped key: %d %s, want 501 %s", c.method, c.path, res.StatusCode, body, refused)
		case scoped:
			if want := o.answer(c.want); !bytes.Equal(body, want) {
				t.Errorf("%s %s with key of %s:\n got %d %s\nwant %s", c.method, c.path, c.want.scope, res.StatusCode, body, want)
			}
		}
	}
	// The SQL of a widget reads no data: a scoped key may see it.
	if res, body := ts.do(t, call{method: "POST", path: sqlURL + "?dialect=mysql", key: keyAcme, body: pieTopic, conforms: true}); res.StatusCode != 200 {
		t.Errorf("sql with a scoped key: %d %s", res.StatusCode, body)
	}
}

// TestSQLite checks an SQLite file: scratch tables dropped at exit, the
// existing-tables mode (-load=false), and a 500 that keeps the database's
// text in the log.
func TestSQLite(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "calls.db")
	// Every tenant's calls as calls of no scope: the default tables, which
	// -load=false reads.
	o := newOracle(t)
	var all []calldash.Call
	for _, cs := range sampleCalls(o.now, 400) {
		all = append(all, cs...)
	}
	slices.SortFunc(all, func(a, b calldash.Call) int { return cmp.Compare(a.ID, b.ID) })
	callsFile := filepath.Join(dir, "all.jsonl")
	f, err := os.Create(callsFile)
	if err != nil {
		t.Fatal(err)
	}
	if err := calldash.WriteCalls(f, slices.Values(all)); err != nil {
		t.Fatal(err)
	}
	f.Close()
	ts := startService(t, "-source", "sqlite", "-dsn", file, "-calls", callsFile)
	prefix := ts.srv.data.prefix

	other := startService(t, "-source", "sqlite", "-dsn", file, "-load=false", "-table-prefix", prefix, "-latency-metric", "16")
	if len(other.srv.data.metrics) != len(sampleMetrics()) {
		t.Errorf("metrics read from the tables: %v", other.srv.data.metrics)
	}
	checkSQLAnswers(t, other, false)

	db, err := sql.Open("sqlite", file)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Exec(`DROP TABLE "` + prefix + `call_logs"`); err != nil {
		t.Fatal(err)
	}
	res, body := ts.do(t, call{method: "POST", path: preview, key: keyAdmin, body: pieTopic, conforms: true})
	if res.StatusCode != http.StatusInternalServerError || string(body) != `{"detail":"`+msgInternal+`"}` {
		t.Errorf("tables gone: %d %s", res.StatusCode, body)
	}
	if log := ts.log.String(); !strings.Contains(log, "no such table") {
		t.Errorf("the log lacks the database's error:\n%s", log)
	}
	_, body = ts.do(t, call{method: "POST", path: bulkURL, key: keyAdmin, body: `{"widget_ids":[4]}`, conforms: true})
	if want := `{"widget_id":4,"status":500,"errors":{"detail":"` + msgInternal + `"}}`; !strings.Contains(string(body), want) {
		t.Errorf("bulk, tables gone: %s\nlacks %s", body, want)
	}

	if err := ts.close(context.Background()); err != nil {
		t.Fatal(err)
	}
	var n int
	if err := db.QueryRow(`SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name LIKE ?`, prefix+"%").Scan(&n); err != nil {
		t.Fatal(err)
	}
	if n != 0 {
		t.Errorf("%d tables %s* left after close", n, prefix)
	}
}

// TestSlowBody checks that a body that does not arrive within
// -read-timeout is answered 408 in JSON.
func TestSlowBody(t *testing.T) {
	ts := startService(t, "-read-timeout", "300ms")
	conn, err := net.Dial("tcp", ts.Listener.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	fmt.Fprintf(conn, "POST %s HTTP/1.1\r\nHost: test\r\n%s: %s\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{\"chart_type\":", preview, keyHeader, keyAcme)
	conn.SetReadDeadline(time.Now().Add(5 * time.Second))
	res, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var body bytes.Buffer
	body.ReadFrom(res.Body)
	if res.StatusCode != http.StatusRequestTimeout || body.String() != `{"detail":"The request body did not arrive in time."}` {
		t.Errorf("%d %s", res.StatusCode, body.String())
	}
	req, _ := http.NewRequest("POST", ts.URL+preview, strings.NewReader(pieTopic))
	req.Header.Set(keyHeader, keyAcme)
	req.Header.Set("Content-Type", "application/json")
	ts.checkResponse(t, req, res.StatusCode, res.Header, body.Bytes())
}
