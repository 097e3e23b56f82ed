package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/calldash/calldash"
)

func TestScopeAndKeys(t *testing.T) {
	for _, tt := range []struct{ in, want, err string }{
		{"tenant=acme", "tenant=acme", ""},
		{"region=eu,tenant=acme", "region=eu,tenant=acme", ""},
		{"tenant=acme,region=eu", "region=eu,tenant=acme", ""},
		{"tenant", "", "want column=value"},
		{"tenant=", "", "want column=value"},
		{"1x=a", "", "want column=value"},
		{"a-b=c", "", "want column=value"},
		{"t=a,t=b", "", "column t twice"},
	} {
		s, err := parseScope(tt.in)
		if tt.err != "" {
			if err == nil || !strings.Contains(err.Error(), tt.err) {
				t.Errorf("parseScope(%q): %v, want an error with %q", tt.in, err, tt.err)
			}
			continue
		}
		if err != nil || s.String() != tt.want {
			t.Errorf("parseScope(%q) = %q, %v; want %q", tt.in, s, err, tt.want)
		}
	}

	for _, tt := range []struct{ file, err string }{
		{"k1\nk2 tenant=a\n\n# comment\n  k3   tenant=b,region=eu  \n", ""},
		{"k1\nk1 tenant=a\n", "keys.txt:2: an API key is given twice"},
		{"k1 tenant=a extra\n", "keys.txt:1: want KEY [column=value[,column=value]]"},
		{"k1 tenant\n", "keys.txt:1: scope \"tenant\""},
	} {
		k := keyring{}
		err := k.addFile("keys.txt", strings.NewReader(tt.file))
		if tt.err == "" && err != nil || tt.err != "" && (err == nil || !strings.Contains(err.Error(), tt.err)) {
			t.Errorf("keys file %q: %v, want %q", tt.file, err, tt.err)
		}
	}
	k := keyring{}
	if err := k.addFile("keys.txt", strings.NewReader(testKeys)); err != nil {
		t.Fatal(err)
	}
	if err := k.addEnv(" k_one , k_two,,"); err != nil {
		t.Fatal(err)
	}
	if err := k.addEnv("k_one"); err == nil || strings.Contains(err.Error(), "k_one") {
		t.Errorf("a key twice: %v, want an error that does not show the key", err)
	}
	for key, want := range map[string]string{keyAdmin: "", keyAcme: "tenant=acme", "k_one": "", "k_two": ""} {
		if s, ok := k.lookup(key); !ok || s.String() != want {
			t.Errorf("lookup(%s) = %q, %v; want %q", key, s, ok, want)
		}
	}
	for _, key := range []string{"", "k_three", keyAcme[:len(keyAcme)-1], strings.ToUpper(keyAcme)} {
		if _, ok := k.lookup(key); ok {
			t.Errorf("lookup(%q) found a key", key)
		}
	}

	// Without keys, the service makes one up and logs it.
	var buf bytes.Buffer
	k, err := loadKeys("", "", log.New(&buf, "", 0))
	if err != nil || len(k) != 1 {
		t.Fatalf("no keys: %d keys, %v", len(k), err)
	}
	_, key, _ := strings.Cut(strings.TrimSpace(buf.String()), "unscoped key is ")
	if s, ok := k.lookup(key); !ok || len(s) != 0 {
		t.Errorf("logged key %q: %v %v (log %q)", key, s, ok, buf.String())
	}
}

func TestFlags(t *testing.T) {
	for _, tt := range []struct {
		args []string
		err  string
	}{
		{[]string{"-dsn", "x.db"}, "for an SQL -source"},
		{[]string{"-load=false"}, "for an SQL -source"},
		{[]string{"-source", "sqlite", "-table-prefix", "p_"}, "use it with -load=false"},
		{[]string{"-source", "sqlite", "-load=false", "-calls", "c.jsonl"}, "the existing tables hold the calls"},
		{[]string{"-calls", "tenant@x.jsonl"}, ""}, // no "=": a file name
		{[]string{"-calls", "tenant=@x.jsonl"}, "want column=value"},
		{[]string{"-timeout", "0s"}, "must be positive"},
		{[]string{"extra"}, "unexpected arguments"},
	} {
		_, err := parseFlags(tt.args, io.Discard)
		if tt.err == "" && err != nil || tt.err != "" && (err == nil || !strings.Contains(err.Error(), tt.err)) {
			t.Errorf("%q: %v, want %q", tt.args, err, tt.err)
		}
	}
	cfg, err := parseFlags([]string{"-source", "oracle"}, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := newServer(context.Background(), cfg, "k", log.New(io.Discard, "", 0)); err == nil || !strings.Contains(err.Error(), "unknown source") {
		t.Errorf("-source oracle: %v", err)
	}
	if f, _ := parseCallsFlag("tenant=acme,region=eu@dir/a@b.jsonl"); f.scope.String() != "region=eu,tenant=acme" || f.name != "dir/a@b.jsonl" {
		t.Errorf("parseCallsFlag: %+v", f)
	}
}

// TestCallsFiles gives each tenant its calls with -calls SCOPE@FILE, and
// some calls to no tenant.
func TestCallsFiles(t *testing.T) {
	dir := t.TempDir()
	o := newOracle(t)
	write := func(name string, calls []calldash.Call) string {
		f, err := os.Create(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		if err := calldash.WriteCalls(f, slices.Values(calls)); err != nil {
			t.Fatal(err)
		}
		return f.Name()
	}
	calls := sampleCalls(o.now, 400)
	extra := sampleCalls(o.now, 7)["tenant=acme"]
	for i := range extra {
		extra[i].ID += 10000
		extra[i].Timestamp = o.now.Add(-time.Duration(i+1) * time.Hour) // all within the last 30 days
	}
	ts := startService(t, "-latency-metric", "16",
		"-calls", "tenant=acme@"+write("acme.jsonl", calls["tenant=acme"]),
		"-calls", "tenant=globex@"+write("globex.jsonl", calls["tenant=globex"]),
		"-calls", write("extra.jsonl", extra))
	for key, scope := range map[string]string{keyAcme: "tenant=acme", keyGlobex: "tenant=globex", keyNobody: "none"} {
		_, body := ts.do(t, call{method: "POST", path: preview, key: key, body: stat, conforms: true})
		if want := o.answer(want{scope: scope, widget: stat}); !bytes.Equal(body, want) {
			t.Errorf("%s:\n got %s\nwant %s", key, body, want)
		}
	}
	total := func(key, widget string) int {
		_, body := ts.do(t, call{method: "POST", path: preview, key: key, body: widget, conforms: true})
		var r struct {
			Data struct {
				Total int `json:"total_calls"`
			}
		}
		json.Unmarshal(body, &r)
		return r.Data.Total
	}
	all := `{"chart_type":"stat","field":"","filters":{"field":"timestamp","op":"gte","value":"now-30d"}}`
	if a, g, n := total(keyAcme, all), total(keyGlobex, all), total(keyAdmin, all); n != a+g+len(extra) {
		t.Errorf("unscoped key sees %d calls, want %d + %d + %d", n, a, g, len(extra))
	}
	if !strings.Contains(ts.log.String(), "keys scoped to tenant=nobody see no calls") {
		t.Errorf("no warning about tenant=nobody:\n%s", ts.log.String())
	}
}

// TestSeed seeds the store with -widgets and checks what is refused.
func TestSeed(t *testing.T) {
	dir := t.TempDir()
	file := func(doc string) string {
		name := filepath.Join(dir, "w.json")
		if err := os.WriteFile(name, []byte(doc), 0o600); err != nil {
			t.Fatal(err)
		}
		return name
	}
	const doc = `{"dashboards":[{"id":5,"name":"Billing","filters":{"field":"topic","op":"eq","value":"billing"}}],
	  "widgets":[{"id":40,"dashboard":5,"chart_type":"pie","field":"success","filters":{"field":"timestamp","op":"gte","value":"today-6d"}}]}`
	store := filepath.Join(dir, "store.db")
	ts := startService(t, "-store", store, "-widgets", file(doc))
	o := newOracle(t)
	o.seed[40] = []byte(`{"chart_type":"pie","field":"success","filters":{"field":"timestamp","op":"gte","value":"today-6d"},"dashboard":5}`)
	o.dash[5] = []byte(`{"field":"topic","op":"eq","value":"billing"}`)
	_, body := ts.do(t, call{method: "GET", path: dataURL(40), key: keyAcme, conforms: true})
	if want := o.answer(want{scope: "tenant=acme", id: 40}); !bytes.Equal(body, want) {
		t.Errorf("seeded widget:\n got %s\nwant %s", body, want)
	}
	if res, _ := ts.do(t, call{method: "GET", path: dataURL(1), key: keyAcme, conforms: true}); res.StatusCode != 404 {
		t.Errorf("the sample dashboard is in a store seeded with -widgets: %d", res.StatusCode)
	}
	ts.Close()
	ts.close(context.Background())
	// The store is a file: a second run without -widgets keeps it.
	ts = startService(t, "-store", store)
	if res, body := ts.do(t, call{method: "GET", path: dataURL(40), key: keyAcme, conforms: true}); res.StatusCode != 200 {
		t.Errorf("second run: %d %s", res.StatusCode, body)
	}

	for _, tt := range []struct{ doc, err string }{
		{`{"widgets":[{"id":1,"chart_type":"pie","field":"duration"}]}`, `widget 1: $.chart_type: "pie" is not allowed`},
		{`{"widgets":[{"chart_type":"pie","field":"topic"}]}`, `widgets[0]: want an object with a positive "id"`},
		{`{"widgets":[{"id":2,"dashboard":9,"chart_type":"pie","field":"topic"}]}`, `widget 2: dashboard 9 does not exist`},
		{`{"dashboards":[{"id":3,"filters":{"field":"x","op":"eq","value":1}}]}`, `dashboard 3: $.filters.field: unknown field "x"`},
		{`{"dashbords":[]}`, `unknown field "dashbords"`},
	} {
		cfg, err := parseFlags([]string{"-widgets", file(tt.doc)}, io.Discard)
		if err != nil {
			t.Fatal(err)
		}
		_, _, err = newServer(context.Background(), cfg, "k", log.New(io.Discard, "", 0))
		if err == nil || !strings.Contains(err.Error(), tt.err) {
			t.Errorf("-widgets %s: %v, want %q", tt.doc, err, tt.err)
		}
	}
}

// TestRun runs the service as main does, until its context ends: it
// listens once the calls are loaded and returns nil when cancelled.
func TestRun(t *testing.T) {
	cfg, err := parseFlags([]string{"-addr", "127.0.0.1:0", "-source", "sqlite"}, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var buf syncBuffer
	done := make(chan error, 1)
	go func() { done <- run(ctx, cfg, "k", log.New(&buf, "", 0)) }()
	// Loading the sample takes as long as the machine needs: wait for
	// the listening line (or an early return), then stop the service.
	deadline := time.After(2 * time.Minute)
	for !strings.Contains(buf.String(), "listening on http://127.0.0.1:") {
		select {
		case err := <-done:
			t.Fatalf("run returned before listening: %v\nlog: %s", err, buf.String())
		case <-deadline:
			t.Fatalf("not listening after 2 minutes; log: %s", buf.String())
		case <-time.After(10 * time.Millisecond):
		}
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
}
