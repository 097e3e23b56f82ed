package main

import (
	"context"
	"encoding/json"
	"html"
	"math"
	"net/url"
	"os"
	"os/exec"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/calldash/calldash/sqlgen"

	"github.com/calldash/calldash/dialect"
	"github.com/calldash/calldash/widget"
)

// TestPlayground loads the playground in headless Chromium, lets it run
// widgets from its URL fragment, and checks the drawn chart against the
// service's own JSON answer: one SVG element per point, bar or slice
// with its data, bar heights in proportion to their values, the stat
// tiles, and the SQL text of widget.Statement.
func TestPlayground(t *testing.T) {
	chromium := os.Getenv("CALLDASH_CHROMIUM")
	if chromium == "" {
		t.Skip("set CALLDASH_CHROMIUM to the chromium binary to run the browser test")
	}
	ts := startService(t)
	o := newOracle(t)
	for _, tt := range []struct {
		name, widget, dialect string
	}{
		{"line", `{"chart_type":"line","field":"duration","filters":{"field":"timestamp","op":"gte","value":"today-1d"}}`, "postgres"},
		{"bar with groups", barAvg, "sqlite"},
		{"bar of a saved dashboard's widget", `{"id":7,"dashboard":1,"chart_type":"bar","field":"metric_evaluations.value","metric":16,"aggregation_function":"p95","time_period":"week"}`, "mysql"},
		{"pie", pieTopic, "clickhouse"},
		{"pie with nulls", `{"chart_type":"pie","field":"call_ended_reason","dashboard":1}`, "postgres"},
		{"stat", stat, "sqlite"},
		{"invalid", `{"chart_type":"pie","field":"duration"}`, "postgres"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			res, answer := ts.do(t, call{method: "POST", path: preview, key: keyAcme, body: tt.widget, conforms: true})
			frag := url.Values{"key": {keyAcme}, "widget": {tt.widget}, "dialect": {tt.dialect}, "run": {"1"}}
			dom := dumpDOM(t, chromium, ts.URL+"/#"+strings.ReplaceAll(frag.Encode(), "+", "%20"))
			if body := findTags(dom, "body", ""); len(body) != 1 || body[0]["data-done"] != "1" {
				t.Fatalf("the page did not finish: %v\n%.3000s", body, dom)
			}
			status := findTags(dom, "p", `id="status"`)
			if len(status) == 0 || status[0]["data-status"] != strconv.Itoa(res.StatusCode) {
				t.Fatalf("status element %v, want data-status %d", status, res.StatusCode)
			}
			if res.StatusCode != 200 {
				if status[0]["data-state"] != "error" || len(findTags(dom, "svg", "")) != 0 {
					t.Errorf("an error answer: status %v, and a chart drawn", status[0])
				}
				return
			}
			var resp struct {
				ChartType string          `json:"chart_type"`
				Data      json.RawMessage `json:"data"`
			}
			if err := json.Unmarshal(answer, &resp); err != nil {
				t.Fatal(err)
			}
			checkChart(t, dom, resp.ChartType, resp.Data)

			// The SQL shown is the statement of the widget on that dialect.
			spec, err := widget.Decode([]byte(tt.widget))
			if err != nil {
				t.Fatal(err)
			}
			d, _ := dialect.ByName(tt.dialect)
			opts := []widget.Option{widget.WithNow(o.now), widget.WithMetrics(sampleMetrics()...), widget.WithLatencyMetric(latencyMetric)}
			if spec.Dashboard != nil {
				opts = append(opts, widget.WithDashboardFilters(o.filter(string(o.dash[*spec.Dashboard]))))
			}
			text, _, err := widget.Statement(spec, d, sqlgen.DefaultLayout(""), opts...)
			if err != nil {
				t.Fatal(err)
			}
			if got := preText(dom, "sql"); got != text {
				t.Errorf("SQL shown:\n%s\nwant\n%s", got, text)
			}
		})
	}
}

// checkChart compares the drawn elements with the response's data.
func checkChart(t *testing.T, dom, chartType string, data json.RawMessage) {
	t.Helper()
	if plot := findTags(dom, "", `id="plot"`); len(plot) != 1 || plot[0]["data-chart-type"] != chartType {
		t.Fatalf("plot %v, want one of chart type %s", plot, chartType)
	}
	var items []map[string]json.RawMessage
	if chartType != "stat" {
		if err := json.Unmarshal(data, &items); err != nil {
			t.Fatal(err)
		}
		if len(items) == 0 {
			t.Fatalf("no data to draw: pick a widget with data")
		}
	}
	// same checks that an attribute holds the item's value: strings as
	// they are, JSON values (the page writes JSON.stringify) by value.
	same := func(i int, attr string, el map[string]string, key string, asJSON bool) {
		t.Helper()
		want, ok := items[i][key]
		got, has := el[attr]
		if !ok {
			if has {
				t.Errorf("item %d: %s=%q, but the item has no %s", i, attr, got, key)
			}
			return
		}
		if asJSON {
			if !sameValue(t, []byte(got), want) {
				t.Errorf("item %d: %s=%s, want %s", i, attr, got, want)
			}
			return
		}
		if !sameValue(t, []byte(strconv.Quote(got)), want) && !sameValue(t, []byte(got), want) {
			t.Errorf("item %d: %s=%q, want %s", i, attr, got, want)
		}
	}
	switch chartType {
	case "line":
		points := findTags(dom, "circle", `class="point"`)
		if len(points) != len(items) {
			t.Fatalf("%d points drawn, want %d", len(points), len(items))
		}
		for i, p := range points {
			same(i, "data-id", p, "id", false)
			same(i, "data-timestamp", p, "timestamp", false)
			same(i, "data-value", p, "value", true)
		}
	case "bar":
		bars := findTags(dom, "rect", `class="bar`)
		if len(bars) != len(items) {
			t.Fatalf("%d bars drawn, want %d", len(bars), len(items))
		}
		ratio := math.NaN()
		for i, b := range bars {
			same(i, "data-time-interval", b, "time_interval", false)
			same(i, "data-value", b, "value", true)
			same(i, "data-sample-count", b, "sample_count", false)
			same(i, "data-group", b, "group", true)
			v, err1 := strconv.ParseFloat(b["data-value"], 64)
			h, err2 := strconv.ParseFloat(b["height"], 64)
			if err1 != nil || v <= 0 || err2 != nil {
				continue
			}
			if math.IsNaN(ratio) {
				ratio = h / v
			} else if math.Abs(h/v-ratio) > 1e-6*ratio {
				t.Errorf("bar %d: height %v for value %v, not in proportion (%v per unit)", i, h, v, ratio)
			}
		}
		if math.IsNaN(ratio) {
			t.Error("no bar with a positive value")
		}
	case "pie":
		slices := findTags(dom, "path", `class="slice"`)
		if len(slices) != len(items) {
			t.Fatalf("%d slices drawn, want %d", len(slices), len(items))
		}
		for i, s := range slices {
			same(i, "data-label", s, "label", true)
			same(i, "data-value", s, "value", false)
			same(i, "data-percentage", s, "percentage", false)
		}
	case "stat":
		var st map[string]json.RawMessage
		if err := json.Unmarshal(data, &st); err != nil {
			t.Fatal(err)
		}
		tiles := findTags(dom, "div", `class="tile stat"`)
		if len(tiles) != len(st) || len(st) != 4 {
			t.Fatalf("%d tiles, want %d", len(tiles), len(st))
		}
		for _, tile := range tiles {
			if want, ok := st[tile["data-key"]]; !ok || !sameValue(t, []byte(tile["data-value"]), want) {
				t.Errorf("tile %s = %s, want %s", tile["data-key"], tile["data-value"], want)
			}
		}
	}
}

// sameValue reports whether two JSON texts are the same value, numbers
// compared as the float64 a browser holds.
func sameValue(t *testing.T, a, b []byte) bool {
	var x, y any
	if json.Unmarshal(a, &x) != nil || json.Unmarshal(b, &y) != nil {
		return false
	}
	return x == y
}

// dumpDOM runs Chromium headless on url and returns the DOM after the
// page's scripts ran.
func dumpDOM(t *testing.T, chromium, url string) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
		"--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
		"--user-data-dir="+t.TempDir(), "--virtual-time-budget=10000", "--dump-dom", url)
	out, err := cmd.Output()
	if err != nil {
		var stderr string
		if ee, ok := err.(*exec.ExitError); ok {
			stderr = string(ee.Stderr)
		}
		t.Fatalf("%s: %v\n%s", chromium, err, stderr)
	}
	return string(out)
}

var (
	tagRE  = regexp.MustCompile(`<([a-z]+)\s([^>]*)>`)
	attrRE = regexp.MustCompile(`([a-z][a-z0-9-]*)="([^"]*)"`)
)

// findTags returns the attributes of the elements named name (any when
// "") whose attribute text contains part, in document order.
func findTags(dom, name, part string) []map[string]string {
	var out []map[string]string
	for _, m := range tagRE.FindAllStringSubmatch(dom, -1) {
		if name != "" && m[1] != name || !strings.Contains(m[2], part) {
			continue
		}
		attrs := map[string]string{}
		for _, a := range attrRE.FindAllStringSubmatch(m[2], -1) {
			attrs[a[1]] = html.UnescapeString(a[2])
		}
		out = append(out, attrs)
	}
	return out
}

// preText returns the text of the <pre> element with the id.
func preText(dom, id string) string {
	_, rest, _ := strings.Cut(dom, `<pre id="`+id+`">`)
	text, _, _ := strings.Cut(rest, "</pre>")
	return html.UnescapeString(text)
}
