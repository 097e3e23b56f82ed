package widget_test

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/calldash/calldash/sqlstore/sqltest"
	"github.com/calldash/calldash/widget"
)

// FuzzMemoryVsSQLite answers fuzzed widgets from memory and from SQLite
// over the same random calls: both must give the same bytes, or the same
// error body (SQLite may refuse nothing that memory answers: its dialect
// is exact for every operator).
func FuzzMemoryVsSQLite(f *testing.F) {
	for _, dir := range []string{"../testdata/widget", "../testdata/hostile"} {
		files, _ := filepath.Glob(filepath.Join(dir, "*.json"))
		for _, file := range files {
			data, err := os.ReadFile(file)
			if err != nil {
				f.Fatal(err)
			}
			if w, ok := fixtureWidget(data); ok {
				f.Add(w)
			} else {
				f.Add(data)
			}
		}
	}
	now := time.Date(2025, 11, 28, 18, 0, 0, 0, time.UTC)
	calls := randomCalls(5, 150)
	db, d, prefix := sqltest.Open(f, "sqlite", calls)
	mem := widget.Calls(calls)
	sql := widget.SQL(db, d, widget.WithTablePrefix(prefix))
	opts := []widget.Option{widget.WithNow(now), widget.WithMaxBuckets(2000), widget.WithLatencyMetric(16), metrics()}
	answer := func(data []byte, src widget.Source) []byte {
		spec, err := widget.Decode(data)
		if err == nil {
			var resp *widget.Response
			if resp, err = widget.Preview(context.Background(), spec, src, opts...); err == nil {
				return resp.AppendJSON(nil)
			}
		}
		return append([]byte("error "), widget.ErrorBody(err)...)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		want := answer(data, mem)
		got := answer(data, sql)
		if !bytes.Equal(got, want) {
			t.Fatalf("widget %s\nsqlite: %s\nmemory: %s", data, got, want)
		}
	})
}

// fixtureWidget returns the "widget" of a testdata/widget fixture.
func fixtureWidget(data []byte) ([]byte, bool) {
	var fx struct {
		Widget json.RawMessage `json:"widget"`
	}
	if err := json.Unmarshal(data, &fx); err != nil || fx.Widget == nil {
		return nil, false
	}
	return fx.Widget, true
}
