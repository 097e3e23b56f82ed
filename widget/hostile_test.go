package widget_test

import (
	"bufio"
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"hash/fnv"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/calldash/calldash"
	"github.com/calldash/calldash/dialect"
	"github.com/calldash/calldash/filter"
	"github.com/calldash/calldash/sqlstore/sqltest"
	"github.com/calldash/calldash/widget"
)

// kinds names the sentinel errors that testdata/hostile/expect.txt uses.
var kinds = map[string]error{
	"ErrSyntax": calldash.ErrSyntax, "ErrShape": calldash.ErrShape, "ErrUnknownField": calldash.ErrUnknownField,
	"ErrUnknownOperator": calldash.ErrUnknownOperator, "ErrOperatorNotAllowed": calldash.ErrOperatorNotAllowed,
	"ErrValueType": calldash.ErrValueType, "ErrInvalidRegex": calldash.ErrInvalidRegex, "ErrInvalidTime": calldash.ErrInvalidTime,
	"ErrSameRow": calldash.ErrSameRow, "ErrMetadataKey": calldash.ErrMetadataKey, "ErrLimit": calldash.ErrLimit,
	"ErrTimeRange": calldash.ErrTimeRange, "ErrUnknownKey": calldash.ErrUnknownKey, "ErrRequired": calldash.ErrRequired,
	"ErrType": calldash.ErrType, "ErrChoice": calldash.ErrChoice, "ErrTooLong": calldash.ErrTooLong, "ErrField": calldash.ErrField,
	"ErrCombination": calldash.ErrCombination, "ErrMetric": calldash.ErrMetric, "ErrTooManyBuckets": calldash.ErrTooManyBuckets,
}

type hostileCase struct {
	name  string
	input []byte
	want  string // "ok" or "error <kind> <path>"
}

// hostileCases reads testdata/hostile and adds the cases too big to keep
// as files: 100,000 levels of nesting, 100,000 conditions and a
// 100,000-element "in" list.
func hostileCases(t *testing.T) []hostileCase {
	f, err := os.Open("../testdata/hostile/expect.txt")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var cases []hostileCase
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		name, want, ok := strings.Cut(line, "\t")
		if !ok {
			t.Fatalf("expect.txt: bad line %q", line)
		}
		input, err := os.ReadFile(filepath.Join("../testdata/hostile", name+".json"))
		if err != nil {
			t.Fatal(err)
		}
		cases = append(cases, hostileCase{name, input, want})
	}
	const n = 100_000
	ts := `{"field":"timestamp","op":"gte","value":"today-7d"}`
	deep := `{"chart_type":"pie","field":"topic","filters":` + strings.Repeat(`{"operator":"and","conditions":[`, n) + ts + strings.Repeat(`]}`, n) + `}`
	many := `{"chart_type":"pie","field":"topic","filters":{"operator":"or","conditions":[` + ts + strings.Repeat(`,`+ts, n-1) + `]}}`
	list := `{"chart_type":"pie","field":"topic","filters":{"operator":"and","conditions":[` + ts + `,{"field":"duration","op":"in","value":[0` + strings.Repeat(`,1`, n-1) + `]}]}}`
	cases = append(cases,
		hostileCase{"gen_nesting_100000", []byte(deep), "error ErrLimit $.filters" + strings.Repeat(".conditions[0]", 35) + ".conditions"},
		hostileCase{"gen_conditions_100000", []byte(many), "error ErrLimit $.filters.conditions"},
		hostileCase{"gen_in_list_100000", []byte(list), "error ErrLimit $.filters.conditions[1].value"},
	)
	if len(cases) < 60 {
		t.Fatalf("the hostile corpus has %d cases; keep at least 60", len(cases))
	}
	return cases
}

// hostileOutcome answers a case in memory: "ok" or "error <kind> <path>".
func hostileOutcome(t *testing.T, c hostileCase, src widget.Source) (string, []byte) {
	opts := []widget.Option{widget.WithNow(time.Date(2025, 11, 28, 18, 0, 0, 0, time.UTC))}
	spec, err := widget.Decode(c.input)
	var resp *widget.Response
	if err == nil {
		resp, err = widget.Preview(context.Background(), spec, src, opts...)
	}
	if err == nil {
		return "ok", resp.AppendJSON(nil)
	}
	var first *calldash.Error
	if !errors.As(err, &first) {
		t.Fatalf("%s: error without a path: %v", c.name, err)
	}
	for name, kind := range kinds {
		if errors.Is(first, kind) {
			return "error " + name + " " + first.Path, widget.ErrorBody(err)
		}
	}
	return "error ? " + first.Path, widget.ErrorBody(err)
}

// TestHostile checks every hostile input against its expected outcome: a
// specific error kind at a specific path, or a result.
func TestHostile(t *testing.T) {
	calls := loadSample(t)
	for _, c := range hostileCases(t) {
		t.Run(c.name, func(t *testing.T) {
			got, body := hostileOutcome(t, c, widget.Calls(calls))
			if got != c.want {
				t.Errorf("got  %s\nwant %s\nbody %.300s", got, c.want, body)
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
	calls := loadSample(t)
	cases := hostileCases(t)
	memory := make(map[string][]byte, len(cases))
	for _, c := range cases {
		_, body := hostileOutcome(t, c, widget.Calls(calls))
		memory[c.name] = body
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
func hostileRun(t *testing.T, db *sql.DB, d dialect.Dialect, prefix string, cases []hostileCase, memory map[string][]byte) {
	t.Helper()
	name := d.Name()
	before := tableDigest(t, db, d, prefix)
	src := widget.SQL(db, d, widget.WithTablePrefix(prefix))
	for _, c := range cases {
		got, body := hostileOutcome(t, c, src)
		switch {
		case got != c.want && !strings.Contains(string(body), "not supported on "+name):
			t.Errorf("%s: got %s\nwant %s\nbody %.300s", c.name, got, c.want, body)
		case got == c.want && !bytes.Equal(body, memory[c.name]):
			t.Errorf("%s: %s answers\n%.500s\nmemory answers\n%.500s", c.name, name, body, memory[c.name])
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
func checkStatement(t *testing.T, c hostileCase, d dialect.Dialect, prefix string) {
	opts := []widget.Option{widget.WithNow(time.Date(2025, 11, 28, 18, 0, 0, 0, time.UTC)), metrics()}
	spec, err := widget.Decode(c.input)
	if err != nil {
		t.Fatalf("%s: %v", c.name, err)
	}
	text, args, err := widget.CompileSQL(spec, d, prefix, opts...)
	if err != nil {
		t.Fatalf("%s: %v", c.name, err)
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
	dec := json.NewDecoder(bytes.NewReader(c.input))
	dec.UseNumber()
	if err := dec.Decode(&doc); err != nil {
		t.Fatalf("%s: %v", c.name, err)
	}
	collect(doc)
	for _, s := range strs {
		if len(s) > 3 && !known[s] && !known[strings.TrimPrefix(s, "metadata.")] && strings.Contains(text, s) {
			t.Errorf("%s: the %s statement contains the input text %q:\n%s", c.name, d.Name(), s, text)
		}
	}
	if n := strings.Count(text, "?") + strings.Count(text, "$"); n == 0 && len(args) > 0 {
		t.Errorf("%s: %d arguments but no placeholders", c.name, len(args))
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
