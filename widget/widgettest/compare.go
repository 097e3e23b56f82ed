// Package widgettest tests sources of widget answers against each other:
// random call logs and random widgets over them (every chart type, filter
// operator, zone, option and edge the generator knows), the fixtures of
// the repository's testdata/widget, the hostile inputs of
// testdata/hostile, and a comparison that reports the first differing data
// row. calldash's own differential tests are built on it, in memory and
// over every database; a service can run the same widgets against its own
// source and layout.
package widgettest

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/calldash/calldash"
	"github.com/calldash/calldash/sample"
	"github.com/calldash/calldash/widget"
)

// zones are the zones of the random widgets: no DST, US and European
// DST, a half-hour offset, and Lord Howe's half-hour DST.
var zones = []string{"UTC", "America/New_York", "Asia/Kolkata", "Australia/Lord_Howe", "Europe/London"}

// A Source answers widgets over one data set.
type Source struct {
	Name string
	Src  widget.Source
	// Refuses reports whether err is this source's documented refusal of
	// a widget that it cannot answer exactly (a dialect limit), rather
	// than a wrong answer; nil for sources that refuse nothing.
	Refuses func(w *Widget, err error) bool
}

// A Data is one data set with its sources.
type Data struct {
	Name       string
	Calls      []calldash.Call
	Start, End time.Time
	Sources    []Source // Sources[0] is the reference: memory, in order
	pool       *pool
}

// DataSets returns the data sets of the random widgets: Random calls
// over ranges with daylight-saving changes in the widget zones.
func DataSets(seed uint64) []*Data {
	ny, _ := time.LoadLocation("America/New_York")
	specs := []struct {
		Name       string
		Start, End time.Time
		n          int
	}{
		// New York's fall back (Nov 2), London's (Oct 26) nearby.
		{"fall", time.Date(2025, 10, 24, 0, 0, 0, 0, ny), time.Date(2025, 11, 4, 0, 0, 0, 0, ny), 300},
		// New York springs forward Mar 9, London Mar 30, Lord Howe falls back Apr 6.
		{"spring", time.Date(2025, 3, 7, 0, 0, 0, 0, time.UTC), time.Date(2025, 4, 8, 0, 0, 0, 0, time.UTC), 300},
		// Two years: month and week buckets, every change.
		{"years", time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), 300},
		// A few hours around Lord Howe's spring forward (Oct 5, 02:00 → 02:30).
		{"hours", time.Date(2025, 10, 4, 12, 0, 0, 0, time.UTC), time.Date(2025, 10, 5, 2, 0, 0, 0, time.UTC), 120},
	}
	var out []*Data
	for i, s := range specs {
		r := rand.New(rand.NewPCG(seed, uint64(i)))
		calls := sample.Random(r, s.n, s.Start, s.End)
		out = append(out, &Data{Name: s.Name, Calls: calls, Start: s.Start, End: s.End, pool: newPool(calls)})
	}
	return out
}

// MemorySources returns the in-memory sources of calls: the reference,
// the records reversed and shuffled, as a slice and as a stream, and
// Tables: over the slice, and read from the calls' JSON Lines (records
// kept as columns only).
func MemorySources(calls []calldash.Call, seed uint64) []Source {
	var jsonl bytes.Buffer
	if err := calldash.WriteCalls(&jsonl, slices.Values(calls)); err != nil {
		panic(err) // the generator's calls are valid
	}
	decoded, err := widget.DecodeTable(&jsonl)
	if err != nil {
		panic(err)
	}
	shuffled := slices.Clone(calls)
	r := rand.New(rand.NewPCG(seed, 99))
	r.Shuffle(len(shuffled), func(i, j int) { shuffled[i], shuffled[j] = shuffled[j], shuffled[i] })
	reversed := slices.Clone(calls)
	slices.Reverse(reversed)
	return []Source{
		{Name: "memory", Src: widget.Calls(calls)},
		{Name: "memory-shuffled", Src: widget.Calls(shuffled)},
		{Name: "stream-reversed", Src: widget.Stream(slices.Values(reversed))},
		{Name: "table", Src: widget.NewTable(calls)},
		{Name: "table-jsonl", Src: decoded},
	}
}

// A Widget is one random widget and how to answer it.
type Widget struct {
	JSON string // the widget spec
	Opts []widget.Option
	Desc []string // the options, for failure messages
	Data *Data
}

func (w *Widget) String() string {
	return fmt.Sprintf("widget: %s\noptions: %s", w.JSON, strings.Join(w.Desc, " "))
}

// answer is a widget's response JSON, or its error as the hosted API's body.
type Answer struct {
	Body []byte // response JSON
	Err  error
}

func (a Answer) Text() string {
	if a.Err != nil {
		return "error: " + string(widget.ErrorBody(a.Err))
	}
	return string(a.Body)
}

func Ask(w *Widget, src widget.Source) Answer {
	spec, err := widget.Decode([]byte(w.JSON))
	if err != nil {
		return Answer{Err: err}
	}
	resp, err := widget.Preview(context.Background(), spec, src, w.Opts...)
	if err != nil {
		return Answer{Err: err}
	}
	return Answer{Body: resp.AppendJSON(nil)}
}

// Stats counts what the test saw.
type Stats struct {
	Widgets, Errors, Refused int
	Charts                   map[string]int
	Sources                  map[string]int // comparisons per source
}

// compare answers w from every source of its data set and reports the
// first difference from the reference.
func Compare(t *testing.T, label string, w *Widget, sources []Source, st *Stats) bool {
	t.Helper()
	want := Ask(w, sources[0].Src)
	if want.Err != nil {
		st.Errors++
	}
	ok := true
	for _, s := range sources[1:] {
		got := Ask(w, s.Src)
		st.Sources[s.Name]++
		if got.Err != nil && want.Err == nil && s.Refuses != nil && s.Refuses(w, got.Err) {
			st.Refused++
			continue
		}
		if got.Text() == want.Text() && (got.Err == nil) == (want.Err == nil) {
			continue
		}
		ok = false
		t.Errorf("%s: %s differs from %s\n%s\n%s", label, s.Name, sources[0].Name, w, firstDifference(want, got, sources[0].Name, s.Name))
	}
	return ok
}

// firstDifference describes where two answers part: the first differing
// data row, or the whole answers when one is an error or the data agree.
func firstDifference(want, got Answer, wantName, gotName string) string {
	if want.Err != nil || got.Err != nil {
		return fmt.Sprintf("%s: %s\n%s: %s", wantName, errText(want), gotName, errText(got))
	}
	var a, b struct {
		Data json.RawMessage `json:"data"`
	}
	json.Unmarshal(want.Body, &a)
	json.Unmarshal(got.Body, &b)
	var ra, rb []json.RawMessage
	if json.Unmarshal(a.Data, &ra) == nil && json.Unmarshal(b.Data, &rb) == nil {
		for i := range max(len(ra), len(rb)) {
			x, y := rowAt(ra, i), rowAt(rb, i)
			if x != y {
				return fmt.Sprintf("first differing data row, #%d of %d vs %d:\n%s: %s\n%s: %s", i, len(ra), len(rb), wantName, x, gotName, y)
			}
		}
	}
	if !bytes.Equal(a.Data, b.Data) {
		return fmt.Sprintf("data:\n%s: %s\n%s: %s", wantName, Short(string(a.Data)), gotName, Short(string(b.Data)))
	}
	return fmt.Sprintf("responses:\n%s: %s\n%s: %s", wantName, Short(string(want.Body)), gotName, Short(string(got.Body)))
}

func errText(a Answer) string {
	if a.Err == nil {
		return "no error: " + Short(string(a.Body))
	}
	return fmt.Sprintf("%v\n  body %s", a.Err, widget.ErrorBody(a.Err))
}

// Short cuts s to about 600 bytes for a failure message.
func Short(s string) string {
	if len(s) <= 600 {
		return s
	}
	i := 600
	for i > 0 && !utf8.RuneStart(s[i]) {
		i--
	}
	return s[:i] + fmt.Sprintf("… (%d bytes)", len(s))
}

func rowAt(rows []json.RawMessage, i int) string {
	if i < len(rows) {
		return string(rows[i])
	}
	return "<none>"
}

// SafeWidget is RandomWidget, or nil where the generator gives up (it
// panics on a filter it cannot build; that is the differential test's
// business, not the Table's).
func SafeWidget(seed uint64, i int, d *Data) (w *Widget) {
	defer func() {
		if recover() != nil {
			w = nil
		}
	}()
	return RandomWidget(seed, i, d)
}

func AnswerText(r *widget.Response, err error) string {
	switch {
	case err != nil && r != nil:
		return "both a response and an error"
	case err != nil:
		return "error: " + string(widget.ErrorBody(err))
	case r == nil:
		return "neither a response nor an error"
	}
	return string(r.AppendJSON(nil))
}

// RunRandom answers n random widgets (RandomWidget with seed, the i-th
// over sets[i%len(sets)]) from every source of their data set, each as the
// subtest random/i, and compares them with Compare; it stops t after ten
// differing widgets. rerun(i) is the command that reruns widget i alone,
// for failure messages. It returns what it saw, charts counted by type.
func RunRandom(t *testing.T, seed uint64, n int, sets []*Data, rerun func(i int) string) *Stats {
	t.Helper()
	st := &Stats{Charts: map[string]int{}, Sources: map[string]int{}}
	failures := 0
	for i := range n {
		d := sets[i%len(sets)]
		w := RandomWidget(seed, i, d)
		st.Widgets++
		label := fmt.Sprintf("seed %d widget %d (%s), data %q", seed, i, rerun(i), d.Name)
		ok := true
		t.Run(fmt.Sprintf("random/%d", i), func(t *testing.T) {
			ok = Compare(t, label, w, d.Sources, st)
		})
		if !ok {
			failures++
		}
		if failures >= 10 {
			t.Fatalf("stopping after %d differing widgets", failures)
		}
		var c struct {
			ChartType string `json:"chart_type"`
		}
		json.Unmarshal([]byte(w.JSON), &c)
		st.Charts[c.ChartType]++
	}
	return st
}

// RunFixtures answers every fixture of dir/*.json (testdata/widget) from
// the sources that sources returns for the fixture's calls — built once
// per distinct calls, drawn from sample — each as a subtest named after
// the file, compared with Compare. It returns what it saw.
func RunFixtures(t *testing.T, dir string, sample []calldash.Call, sources func(name string, calls []calldash.Call) []Source) (files int, st *Stats) {
	t.Helper()
	paths, err := filepath.Glob(filepath.Join(dir, "*.json"))
	if err != nil || len(paths) == 0 {
		t.Fatalf("no fixtures in %s (%v)", dir, err)
	}
	sets := map[string][]Source{} // by the fixture's calls
	st = &Stats{Charts: map[string]int{}, Sources: map[string]int{}}
	for _, file := range paths {
		name := strings.TrimSuffix(filepath.Base(file), ".json")
		fx := ReadFixture(t, file)
		key := string(fx.Calls)
		if _, ok := sets[key]; !ok {
			sets[key] = sources(name, fx.CallsOf(t, sample))
		}
		t.Run(name, func(t *testing.T) {
			w := &Widget{JSON: string(fx.Widget), Opts: fx.Options(t), Desc: []string{"fixture " + file}}
			Compare(t, name, w, sets[key], st)
		})
	}
	return len(paths), st
}
