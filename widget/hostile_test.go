package widget_test

import (
	"bytes"
	"database/sql"
	"encoding/json"
	"fmt"
	"hash/fnv"
	"strings"
	"testing"
	"time"

	"github.com/calldash/calldash/dialect"
	"github.com/calldash/calldash/filter"
	"github.com/calldash/calldash/sqlstore/sqltest"
	"github.com/calldash/calldash/widget"

	"github.com/calldash/calldash/widget/widgettest"
)

// TestHostile checks every hostile input against its expected outcome: a
// specific error kind at a specific path, or a result.
func TestHostile(t *testing.T) {
	calls := widgettest.LoadSample(t, "../testdata/calls/sample.jsonl")
	for _, c := range widgettest.HostileCases(t, "../testdata/hostile") {
		t.Run(c.Name, func(t *testing.T) {
			got, body := widgettest.HostileOutcome(t, c, widget.Calls(calls))
			if got != c.Want {
				t.Errorf("got  %s\nwant %s\nbody %.300s", got, c.Want, body)
			}
			if !bytes.HasPrefix(body, []byte("{")) {
				t.Errorf("body is not a JSON object: %.100s", body)
			}
		})
	}
}

// TestHostileSQL runs the hostile corpus against every available database:
// each case must have the same outcome and the same bytes as in memory,
// the statement must carry no user text (only schema identifiers and
// placeholders), and the tables must be unchanged afterwards.
func TestHostileSQL(t *testing.T) {
	calls := widgettest.LoadSample(t, "../testdata/calls/sample.jsonl")
	cases := widgettest.HostileCases(t, "../testdata/hostile")
	memory := make(map[string][]byte, len(cases))
	for _, c := range cases {
		_, body := widgettest.HostileOutcome(t, c, widget.Calls(calls))
		memory[c.Name] = body
	}
	for _, name := range sqltest.Names {
		t.Run(name, func(t *testing.T) {
			if !sqltest.Available(name) {
				t.Skipf("set %s to run the hostile corpus against %s", sqltest.EnvVar(name), name)
			}
			db, d, prefix := sqltest.Open(t, name, calls)
			hostileRun(t, db, d, prefix, cases, memory)
		})
	}
	t.Run("clickhouse", func(t *testing.T) {
		cl := sqltest.OpenClickHouseCluster(t, calls) // skips naming the variables
		hostileRun(t, cl.DB, dialect.ClickHouse, cl.Prefix, cases, memory)
	})
}

// hostileRun answers the corpus over the tables with prefix in db.
func hostileRun(t *testing.T, db *sql.DB, d dialect.Dialect, prefix string, cases []widgettest.HostileCase, memory map[string][]byte) {
	t.Helper()
	name := d.Name()
	before := tableDigest(t, db, d, prefix)
	src := widget.SQL(db, d, widget.WithTablePrefix(prefix))
	for _, c := range cases {
		got, body := widgettest.HostileOutcome(t, c, src)
		switch {
		case got != c.Want && !strings.Contains(string(body), "not supported on "+name):
			t.Errorf("%s: got %s\nwant %s\nbody %.300s", c.Name, got, c.Want, body)
		case got == c.Want && !bytes.Equal(body, memory[c.Name]):
			t.Errorf("%s: %s answers\n%.500s\nmemory answers\n%.500s", c.Name, name, body, memory[c.Name])
		}
		if got == "ok" {
			checkStatement(t, c, d, prefix)
		}
	}
	if after := tableDigest(t, db, d, prefix); after != before {
		t.Errorf("the tables changed:\nbefore %s\nafter  %s", before, after)
	}
}

// checkStatement compiles a case and checks that no string of the input
// longer than three bytes reaches the SQL text, unless it is a schema
// field name or the table prefix.
func checkStatement(t *testing.T, c widgettest.HostileCase, d dialect.Dialect, prefix string) {
	opts := []widget.Option{widget.WithNow(time.Date(2025, 11, 28, 18, 0, 0, 0, time.UTC)), metrics()}
	spec, err := widget.Decode(c.Input)
	if err != nil {
		t.Fatalf("%s: %v", c.Name, err)
	}
	text, args, err := widget.CompileSQL(spec, d, prefix, opts...)
	if err != nil {
		t.Fatalf("%s: %v", c.Name, err)
	}
	known := map[string]bool{}
	for _, f := range filter.CallLogs().Fields() {
		known[f.Name] = true
	}
	// The user text of a filter: values and metadata keys.
	var strs []string
	var values func(v any)
	values = func(v any) {
		switch v := v.(type) {
		case string:
			strs = append(strs, v)
		case []any:
			for _, e := range v {
				values(e)
			}
		}
	}
	var collect func(v any)
	collect = func(v any) {
		switch v := v.(type) {
		case []any:
			for _, e := range v {
				collect(e)
			}
		case map[string]any:
			if f, ok := v["field"].(string); ok {
				strs = append(strs, f, strings.TrimPrefix(f, "metadata."))
			}
			values(v["value"])
			collect(v["filters"])
			collect(v["conditions"])
		}
	}
	var doc any
	dec := json.NewDecoder(bytes.NewReader(c.Input))
	dec.UseNumber()
	if err := dec.Decode(&doc); err != nil {
		t.Fatalf("%s: %v", c.Name, err)
	}
	collect(doc)
	for _, s := range strs {
		if len(s) > 3 && !known[s] && !known[strings.TrimPrefix(s, "metadata.")] && strings.Contains(text, s) {
			t.Errorf("%s: the %s statement contains the input text %q:\n%s", c.Name, d.Name(), s, text)
		}
	}
	if n := strings.Count(text, "?") + strings.Count(text, "$"); n == 0 && len(args) > 0 {
		t.Errorf("%s: %d arguments but no placeholders", c.Name, len(args))
	}
}

// tableDigest summarises the default tables under prefix: row counts and
// a digest of every call's id, topic and metadata.
func tableDigest(t *testing.T, db *sql.DB, d dialect.Dialect, prefix string) string {
	var b strings.Builder
	for _, table := range []string{"call_logs", "agents", "metrics", "metric_evaluations"} {
		var n int64
		if err := db.QueryRow("SELECT COUNT(*) FROM " + d.Quote(prefix+table)).Scan(&n); err != nil {
			t.Fatal(err)
		}
		fmt.Fprintf(&b, "%s=%d ", table, n)
	}
	rows, err := db.Query("SELECT id, topic, metadata FROM " + d.Quote(prefix+"call_logs") + " ORDER BY id")
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	h := fnv.New64a()
	for rows.Next() {
		var id int64
		var topic, meta sql.NullString
		if err := rows.Scan(&id, &topic, &meta); err != nil {
			t.Fatal(err)
		}
		fmt.Fprintf(h, "%d|%v|%v\n", id, topic, meta)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	fmt.Fprintf(&b, "digest=%x", h.Sum64())
	return b.String()
}
