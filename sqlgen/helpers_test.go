package sqlgen_test

import (
	"flag"
	"os"
	"path/filepath"
	"sort"
	"testing"
	"time"

	"github.com/calldash/calldash"
	"github.com/calldash/calldash/filter"
)

var gdUpdate = flag.Bool("update", false, "rewrite the golden files of testdata/filter-sql and testdata/widget-sql")

// gdEnv is the evaluation of every golden case: 18:00 UTC on 2025-11-28,
// the last day of testdata/calls/sample.jsonl.
var gdEnv = filter.Env{Now: time.Date(2025, 11, 28, 18, 0, 0, 0, time.UTC), Location: time.UTC}

// gdCalls reads testdata/calls/sample.jsonl.
func gdCalls(t testing.TB) []calldash.Call {
	t.Helper()
	f, err := os.Open("../testdata/calls/sample.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	calls, err := calldash.DecodeCalls(f)
	if err != nil {
		t.Fatal(err)
	}
	return calls
}

// gdInputs returns the paths of every testdata/filter/*.json, sorted.
func gdInputs(t testing.TB) []string {
	t.Helper()
	paths, err := filepath.Glob("../testdata/filter/*.json")
	if err != nil {
		t.Fatal(err)
	}
	if len(paths) == 0 {
		t.Fatal("no inputs in ../testdata/filter")
	}
	sort.Strings(paths)
	return paths
}

// mustCheck checks a filter built in Go against the call-log schema.
func mustCheck(t testing.TB, n filter.Node) *filter.Checked {
	t.Helper()
	c, err := filter.Check(n, nil)
	if err != nil {
		t.Fatalf("Check(%s): %v", filter.Format(n), err)
	}
	return c
}
