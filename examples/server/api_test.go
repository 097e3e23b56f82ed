package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/calldash/calldash/sqlgen"

	"github.com/calldash/calldash/dialect"
	"github.com/calldash/calldash/widget"
)

const (
	preview = "/dashboards/widgets/preview_data/"
	bulkURL = "/dashboards/widgets/bulk_data/"
	sqlURL  = "/playground/sql/"
)

// dataURL is the GET data route of saved widget id.
func dataURL(id any) string { return fmt.Sprintf("/dashboards/widgets/%v/data/", id) }

const (
	pieTopic = `{"chart_type":"pie","field":"topic","filters":{"field":"timestamp","op":"gte","value":"today-6d"}}`
	barAvg   = `{"chart_type":"bar","field":"duration","aggregation_function":"avg","group_by":{"type":"field","field":"success"},"filters":{"field":"timestamp","op":"gte","value":"today-6d"}}`
	stat     = `{"chart_type":"stat","field":"","filters":{"field":"timestamp","op":"gte","value":"today-6d"}}`
	lastDay  = `{"field":"timestamp","op":"gte","value":"today-1d"}`
)

// TestData checks the answers of the data routes, for every kind of key,
// against widget.Preview over the Table of the key's scope.
func TestData(t *testing.T) {
	ts := startService(t)
	o := newOracle(t)
	keys := []struct{ key, scope string }{
		{keyEnv, ""}, {keyAdmin, ""}, {keyAcme, "tenant=acme"}, {keyGlobex, "tenant=globex"}, {keyNobody, "none"},
	}
	for _, k := range keys {
		t.Run(k.key, func(t *testing.T) {
			for _, w := range []string{pieTopic, barAvg, stat,
				`{"chart_type":"line","field":"duration","filters":{"field":"timestamp","op":"gte","value":"today"}}`,
				`{"chart_type":"pie","field":"metric_evaluations.value","metric":14,"dashboard":1}`,
			} {
				_, body := ts.do(t, call{method: "POST", path: preview, key: k.key, body: w, conforms: true})
				if want := o.answer(want{scope: k.scope, widget: w}); !bytes.Equal(body, want) {
					t.Errorf("preview %s:\n got %s\nwant %s", w, body, want)
				}
			}
			for id := int64(1); id <= 8; id++ {
				_, body := ts.do(t, call{method: "GET", path: dataURL(id), key: k.key, conforms: true})
				if want := o.answer(want{scope: k.scope, id: id}); !bytes.Equal(body, want) {
					t.Errorf("widget %d:\n got %s\nwant %s", id, body, want)
				}
				path := dataURL(id) + "?filters=" + url.QueryEscape(lastDay) + "&tz=America/New_York&week_start=sunday"
				_, body = ts.do(t, call{method: "GET", path: path, key: k.key, conforms: true})
				ny, _ := time.LoadLocation("America/New_York")
				want := o.answer(want{scope: k.scope, id: id, override: lastDay, opts: []widget.Option{widget.WithLocation(ny), widget.WithWeekStart(time.Sunday)}})
				if !bytes.Equal(body, want) {
					t.Errorf("widget %d with filters:\n got %s\nwant %s", id, body, want)
				}
			}
		})
	}
}

// TestTenants checks that scoped keys see their tenant's calls only: the
// answers of two tenants differ, and add up to those of an unscoped key.
func TestTenants(t *testing.T) {
	ts := startService(t)
	total := func(key string) int {
		_, body := ts.do(t, call{method: "POST", path: preview, key: key, body: stat, conforms: true})
		var r struct {
			Data struct {
				TotalCalls int `json:"total_calls"`
			}
		}
		if err := json.Unmarshal(body, &r); err != nil {
			t.Fatalf("%s: %v", body, err)
		}
		return r.Data.TotalCalls
	}
	acme, globex, all, nobody := total(keyAcme), total(keyGlobex), total(keyAdmin), total(keyNobody)
	if acme == 0 || globex == 0 || acme+globex != all || nobody != 0 {
		t.Errorf("total_calls: acme %d + globex %d, want all %d and both > 0; nobody %d, want 0", acme, globex, all, nobody)
	}
	// No filter, override or dashboard filter reaches another tenant.
	for _, w := range []string{
		`{"chart_type":"pie","field":"agent.id","filters":{"operator":"and","conditions":[{"field":"timestamp","op":"gte","value":"today-29d"},{"operator":"or","conditions":[{"field":"agent.id","op":"in","value":[11,12,13]},{"field":"agent.id","op":"isnull","value":false}]}]}}`,
		`{"chart_type":"pie","field":"agent.id","filters":{"operator":"and","conditions":[{"field":"timestamp","op":"gte","value":"today-29d"},{"field":"agent.id","op":"neq","value":1}]}}`,
	} {
		_, body := ts.do(t, call{method: "POST", path: preview, key: keyAcme, body: w, conforms: true})
		// The sample gives acme agents 1-3 and globex agents 11-13.
		for _, id := range []string{`"11"`, `"12"`, `"13"`} {
			if strings.Contains(string(body), `"label":`+id) {
				t.Errorf("acme key sees globex agent %s: %s", id, body)
			}
		}
		if !strings.Contains(string(body), `"label":"`) {
			t.Errorf("acme key sees no agent at all: %s", body)
		}
	}
	_, body := ts.do(t, call{method: "GET", path: dataURL(4) + "?filters=" + url.QueryEscape(`{"field":"timestamp","op":"gte","value":"today-29d"}`), key: keyGlobex, conforms: true})
	_, all4 := ts.do(t, call{method: "GET", path: dataURL(4), key: keyAdmin, conforms: true})
	if bytes.Equal(body, all4) {
		t.Errorf("globex and unscoped keys get the same answer: %s", body)
	}
}

// TestStatuses checks the status and body of every kind of answer, with
// and without keys.
func TestStatuses(t *testing.T) {
	ts := startService(t, "-max-body", "4096")
	o := newOracle(t)
	type tcase struct {
		name       string
		call       call
		wantStatus int
		wantBody   string // the whole body, or a part when it starts with "~"
		wantHeader string // "Name: value", when set
	}
	acme := func(method, path, body string, conforms bool) call {
		return call{method: method, path: path, key: keyAcme, body: body, conforms: conforms}
	}
	tests := []tcase{
		{"preview", acme("POST", preview, pieTopic, true), 200, string(o.answer(want{scope: "tenant=acme", widget: pieTopic})), ""},
		{"no key", call{method: "POST", path: preview, body: pieTopic}, 401, `{"detail":"Authentication credentials were not provided."}`, `Www-Authenticate: APIKey header="X-CEKURA-API-KEY"`},
		{"wrong key", call{method: "POST", path: preview, key: "k_wrong", body: pieTopic, conforms: true}, 401, `{"detail":"Invalid API key."}`, ""},
		{"wrong key, GET", call{method: "GET", path: dataURL(1), key: keyAcme + "x", conforms: true}, 401, `{"detail":"Invalid API key."}`, ""},
		{"no key, bulk", call{method: "POST", path: bulkURL, body: `{"widget_ids":[1]}`}, 401, `{"detail":"Authentication credentials were not provided."}`, ""},
		{"no key, sql", call{method: "POST", path: sqlURL, body: pieTopic}, 401, `{"detail":"Authentication credentials were not provided."}`, ""},
		{"validation", acme("POST", preview, `{"chart_type":"pie","field":"duration","filters":{"field":"x","op":"eq","value":1}}`, true), 400,
			`~{"chart_type":["\"pie\" is not allowed for numeric field \"duration\"; allowed: line, bar"],"filters":["$.filters.field: unknown field \"x\"`, ""},
		{"unknown key", acme("POST", preview, `{"chart_type":"pie","field":"topic","colour":"red"}`, false), 400, `~{"colour":[`, ""},
		{"bad chart type", acme("POST", preview, `{"chart_type":"donut","field":"topic"}`, false), 400, `~{"chart_type":[`, ""},
		{"time range", acme("POST", preview, `{"chart_type":"pie","field":"topic","filters":{"field":"timestamp","op":"gte","value":"now-31d"}}`, true), 400,
			`{"detail":"Timestamp filter value is too far in the past. Maximum allowed range is 30 days."}`, ""},
		{"unknown dashboard", acme("POST", preview, `{"chart_type":"pie","field":"topic","dashboard":77}`, true), 400, `{"dashboard":["Invalid pk \"77\" - object does not exist."]}`, ""},
		{"not JSON", acme("POST", preview, `chart_type=pie`, false), 400, `~malformed JSON`, ""},
		// The validator reads invalid UTF-8 as U+FFFD, so the request conforms to it.
		{"invalid UTF-8", acme("POST", preview, "{\"chart_type\":\"pie\",\"field\":\"topic\xff\"}", true), 400, `~invalid UTF-8`, ""},
		{"bad zone", acme("POST", preview+"?tz=Mars/Base", stat, true), 400, `{"tz":["unknown time zone \"Mars/Base\"; want an IANA name such as Europe/Paris"]}`, ""},
		{"bad week start", acme("POST", preview+"?week_start=someday", stat, false), 400, `{"week_start":["want a weekday name, e.g. monday"]}`, ""},
		{"text/plain", call{method: "POST", path: preview, key: keyAcme, ctype: "text/plain", body: pieTopic}, 415,
			`{"detail":"Unsupported media type \"text/plain\" in request; send application/json."}`, ""},
		{"no content type", call{method: "POST", path: bulkURL, key: keyAcme, ctype: "none", body: `{"widget_ids":[1]}`}, 415,
			`{"detail":"Unsupported media type \"\" in request; send application/json."}`, ""},
		{"JSON with a charset", call{method: "POST", path: preview, key: keyAcme, ctype: "application/json; charset=utf-8", body: stat, conforms: true}, 200,
			string(o.answer(want{scope: "tenant=acme", widget: stat})), ""},
		{"too large", acme("POST", preview, `{"chart_type":"stat","metadata":"`+strings.Repeat("x", 5000)+`"}`, true), 413, `{"detail":"Request body is larger than 4096 bytes."}`, ""},
		{"unknown route", acme("POST", preview+"anything", pieTopic, false), 404, `{"detail":"Not found."}`, ""},
		{"no trailing slash", acme("POST", strings.TrimSuffix(preview, "/"), pieTopic, false), 404, `{"detail":"Not found."}`, ""},
		{"unknown route, no key", call{method: "GET", path: "/dashboards/"}, 404, `{"detail":"Not found."}`, ""},
		{"wrong method", acme("GET", preview, "", false), 405, `{"detail":"Method \"GET\" not allowed."}`, "Allow: POST"},
		{"wrong method, no key", call{method: "DELETE", path: dataURL(3)}, 405, `{"detail":"Method \"DELETE\" not allowed."}`, "Allow: GET"},
		{"unknown widget", acme("GET", dataURL(99), "", true), 404, `{"detail":"Not found."}`, ""},
		{"widget id not a number", acme("GET", dataURL("abc"), "", false), 404, `{"detail":"Not found."}`, ""},
		{"filters not JSON", acme("GET", dataURL(1)+"?filters=today", "", false), 400, `~{"filters":["malformed JSON`, ""},
		{"filters invalid", acme("GET", dataURL(1)+"?filters="+url.QueryEscape(`{"field":"nope","op":"eq","value":1}`), "", true), 400, `~{"filters":["$.filters.field: unknown field \"nope\"`, ""},
		{"filters without time", acme("GET", dataURL(8)+"?filters="+url.QueryEscape(`{"field":"topic","op":"eq","value":"billing"}`), "", true), 400, `~{"detail":"`, ""},
		{"playground", call{method: "GET", path: "/", conforms: true}, 200, "~<title>calldash playground</title>", "Content-Security-Policy: " + playgroundCSP},
		{"openapi", call{method: "GET", path: "/openapi.json", conforms: true}, 200, openAPIJSON, ""},
		{"samples", call{method: "GET", path: "/playground/samples.json", conforms: true}, 200, sampleDashboard, ""},
		{"sql, bad dialect", acme("POST", sqlURL+"?dialect=oracle", pieTopic, false), 400, `~{"dialect":["unknown SQL dialect \"oracle\"`, ""},
		{"sql, invalid widget", acme("POST", sqlURL, `{"chart_type":"line","field":"topic"}`, true), 400, `~{"chart_type":[`, ""},
		{"sql, unknown metric", acme("POST", sqlURL, `{"chart_type":"pie","field":"metric_evaluations.value","metric":99,"filters":{"field":"timestamp","op":"gte","value":"today"}}`, true), 400,
			`{"metric":["metric 99 does not exist"]}`, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, body := ts.do(t, tt.call)
			if res.StatusCode != tt.wantStatus {
				t.Errorf("status %d, want %d; body %s", res.StatusCode, tt.wantStatus, body)
			}
			if part, ok := strings.CutPrefix(tt.wantBody, "~"); ok {
				if !strings.Contains(string(body), part) {
					t.Errorf("body %s\nlacks %s", body, part)
				}
			} else if string(body) != tt.wantBody {
				t.Errorf("body %s\nwant %s", body, tt.wantBody)
			}
			if tt.wantHeader != "" {
				name, value, _ := strings.Cut(tt.wantHeader, ": ")
				if got := res.Header.Get(name); got != value {
					t.Errorf("%s: %q, want %q", name, got, value)
				}
			}
			if ct := res.Header.Get("Content-Type"); tt.call.path != "/" && ct != "application/json" {
				t.Errorf("Content-Type %q", ct)
			}
		})
	}
}

// TestSQLStatement checks the playground's SQL against widget.Statement.
func TestSQLStatement(t *testing.T) {
	ts := startService(t)
	o := newOracle(t)
	metrics := widget.WithMetrics(sampleMetrics()...)
	for _, d := range []dialect.Dialect{dialect.Postgres, dialect.MySQL, dialect.SQLite, dialect.ClickHouse} {
		for _, w := range []string{pieTopic, barAvg, stat, `{"chart_type":"bar","field":"metric_evaluations.value","metric":16,"aggregation_function":"p95","dashboard":1}`} {
			_, body := ts.do(t, call{method: "POST", path: sqlURL + "?dialect=" + d.Name(), key: keyAcme, body: w, conforms: true})
			spec, err := widget.Decode([]byte(w))
			if err != nil {
				t.Fatal(err)
			}
			opts := []widget.Option{widget.WithNow(o.now), metrics, widget.WithLatencyMetric(latencyMetric)}
			if spec.Dashboard != nil {
				opts = append(opts, widget.WithDashboardFilters(o.filter(string(o.dash[1]))))
			}
			text, args, err := widget.Statement(spec, d, sqlgen.DefaultLayout(""), opts...)
			if err != nil {
				t.Fatal(err)
			}
			wantBody, _ := marshal(map[string]any{"dialect": d.Name(), "sql": text, "args": args})
			if !sameJSON(t, body, wantBody) {
				t.Errorf("%s %s:\n got %s\nwant %s", d.Name(), w, body, wantBody)
			}
		}
	}
}

// TestBulk checks bulk_data: pages, per-widget errors, filters and
// dashboard filters, against the oracle.
func TestBulk(t *testing.T) {
	ts := startService(t)
	o := newOracle(t)
	const invalid = `{"chart_type":"pie","field":"duration"}`
	body := `{"widget_ids":[1,2,3,4,5,6,7,8,99],"widgets":[` + pieTopic + `,` + invalid + `,{"chart_type":"pie","field":"topic","dashboard":1}]}`
	var wants [][]byte
	for id := int64(1); id <= 8; id++ {
		wants = append(wants, o.answer(want{scope: "tenant=acme", id: id}))
	}
	wants = append(wants, []byte(`{"widget_id":99,"status":404,"errors":{"detail":"Not found."}}`))
	wants = append(wants, o.answer(want{scope: "tenant=acme", widget: pieTopic}))
	wants = append(wants, []byte(`{"widget_id":null,"status":400,"errors":`+string(o.answer(want{widget: invalid}))+`}`))
	wants = append(wants, o.answer(want{scope: "tenant=acme", widget: `{"chart_type":"pie","field":"topic","dashboard":1}`}))

	type page struct {
		Count    int               `json:"count"`
		Next     *string           `json:"next"`
		Previous *string           `json:"previous"`
		Results  []json.RawMessage `json:"results"`
	}
	get := func(query, body string) page {
		t.Helper()
		res, data := ts.do(t, call{method: "POST", path: bulkURL + query, key: keyAcme, body: body, conforms: true})
		if res.StatusCode != 200 {
			t.Fatalf("%s: status %d: %s", query, res.StatusCode, data)
		}
		var p page
		if err := json.Unmarshal(data, &p); err != nil {
			t.Fatal(err)
		}
		return p
	}
	// All on one page, then four pages of three.
	p := get("", body)
	if p.Count != len(wants) || p.Next != nil || p.Previous != nil || len(p.Results) != len(wants) {
		t.Fatalf("one page: count %d next %v previous %v, %d results; want %d results", p.Count, p.Next, p.Previous, len(p.Results), len(wants))
	}
	var got [][]byte
	next := bulkURL + "?page_size=3&tz=UTC"
	for pages := 0; next != ""; pages++ {
		u, err := url.Parse(next)
		if err != nil {
			t.Fatal(err)
		}
		p := get("?"+u.RawQuery, body)
		if (pages == 0) != (p.Previous == nil) || len(p.Results) > 3 || p.Count != len(wants) {
			t.Errorf("page %d: previous %v, %d results, count %d", pages+1, p.Previous, len(p.Results), p.Count)
		}
		for _, r := range p.Results {
			got = append(got, r)
		}
		next = ""
		if p.Next != nil {
			next = *p.Next
			if !strings.HasPrefix(next, ts.URL+bulkURL+"?") || !strings.Contains(next, "tz=UTC") {
				t.Errorf("next %s", next)
			}
		}
		if pages > 4 {
			t.Fatal("more than 4 pages")
		}
	}
	if len(got) != len(wants) {
		t.Fatalf("%d results over the pages, want %d", len(got), len(wants))
	}
	for i := range wants {
		if !bytes.Equal(p.Results[i], wants[i]) || !bytes.Equal(got[i], wants[i]) {
			t.Errorf("result %d:\n got %s\n and %s\nwant %s", i, p.Results[i], got[i], wants[i])
		}
	}

	// filters replaces every widget's filters, dashboard_filters narrows them all.
	const success = `{"field":"success","op":"eq","value":true}`
	p = get("", `{"widget_ids":[4,8],"widgets":[`+pieTopic+`],"filters":`+lastDay+`,"dashboard_filters":`+success+`}`)
	for i, w := range []want{{id: 4}, {id: 8}, {widget: pieTopic}} {
		w.scope, w.override, w.dashboard = "tenant=acme", lastDay, success
		if want := o.answer(w); !bytes.Equal(p.Results[i], want) {
			t.Errorf("filtered result %d:\n got %s\nwant %s", i, p.Results[i], want)
		}
	}

	for _, tt := range []struct {
		name       string
		query      string
		body       string
		conforms   bool
		wantStatus int
		wantBody   string
	}{
		{"past the last page", "?page=5&page_size=3", body, true, 404, `{"detail":"Invalid page."}`},
		{"page 0", "?page=0", body, false, 404, `{"detail":"Invalid page."}`},
		{"page not a number", "?page=two", body, false, 404, `{"detail":"Invalid page."}`},
		{"page size not a number", "?page_size=all", body, false, 400, `{"page_size":["A positive integer is required."]}`},
		{"empty", "", `{"widget_ids":[]}`, true, 200, `{"count":0,"next":null,"previous":null,"results":[]}`},
		{"nothing asked", "", `{}`, true, 400, `{"widget_ids":["This field is required (or widgets)."]}`},
		{"ids not integers", "", `{"widget_ids":["a"]}`, false, 400, `{"widget_ids":["want a list of widget ids (integers)"]}`},
		{"unknown key", "", `{"widget_ids":[1],"colour":1}`, false, 400, `{"detail":"$: unknown key \"colour\" (known: widget_ids, widgets, filters, dashboard_filters)"}`},
		{"bad filters", "", `{"widget_ids":[1],"filters":{"field":"x","op":"eq","value":1}}`, true, 400, `~{"filters":["$.filters.field: unknown field \"x\"`},
		{"not an object", "", `[1,2]`, false, 400, `~{"detail":"$: the body must be a JSON object`},
	} {
		t.Run(tt.name, func(t *testing.T) {
			res, data := ts.do(t, call{method: "POST", path: bulkURL + tt.query, key: keyAcme, body: tt.body, conforms: tt.conforms})
			if res.StatusCode != tt.wantStatus {
				t.Errorf("status %d, want %d: %s", res.StatusCode, tt.wantStatus, data)
			}
			if part, ok := strings.CutPrefix(tt.wantBody, "~"); ok {
				if !strings.Contains(string(data), part) {
					t.Errorf("body %s\nlacks %s", data, part)
				}
			} else if string(data) != tt.wantBody {
				t.Errorf("body %s\nwant %s", data, tt.wantBody)
			}
		})
	}
}

// TestOverload checks the 503 answers: past the deadline, and with every
// request slot taken.
func TestOverload(t *testing.T) {
	ts := startService(t, "-timeout", "1ns")
	res, body := ts.do(t, call{method: "POST", path: preview, key: keyAcme, body: barAvg, conforms: true})
	if res.StatusCode != http.StatusServiceUnavailable || !strings.Contains(string(body), "took too long") {
		t.Errorf("past the deadline: %d %s", res.StatusCode, body)
	}
	res, body = ts.do(t, call{method: "POST", path: bulkURL, key: keyAcme, body: `{"widget_ids":[1,2]}`, conforms: true})
	if res.StatusCode != http.StatusServiceUnavailable || !strings.Contains(string(body), "took too long") {
		t.Errorf("bulk past the deadline: %d %s", res.StatusCode, body)
	}

	ts = startService(t, "-max-inflight", "2")
	ts.srv.busy <- struct{}{}
	ts.srv.busy <- struct{}{} // two requests being answered
	res, body = ts.do(t, call{method: "GET", path: dataURL(1), key: keyAcme, conforms: true})
	if res.StatusCode != http.StatusServiceUnavailable || res.Header.Get("Retry-After") != "1" {
		t.Errorf("busy: %d %s, Retry-After %q", res.StatusCode, body, res.Header.Get("Retry-After"))
	}
	<-ts.srv.busy
	res, body = ts.do(t, call{method: "GET", path: dataURL(1), key: keyAcme, conforms: true})
	if res.StatusCode != http.StatusOK {
		t.Errorf("one slot free: %d %s", res.StatusCode, body)
	}
}
