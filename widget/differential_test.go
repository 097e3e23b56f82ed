package widget_test

// The differential test: random widgets over random
// call logs, answered by every source, must give byte-identical JSON, or
// identical errors. Memory over the records in their order is the
// reference; the others are memory over the records in another order (the
// answer must not depend on it) and, by differential_sql_test.go, every
// SQL source that is available.
//
//	go test ./widget -run Differential -diff.seed 7 -diff.n 20000
//	go test ./widget -run Differential/random/1234 -diff.seed 7   # one widget again

import (
	"flag"
	"fmt"
	"testing"

	"github.com/calldash/calldash"

	"github.com/calldash/calldash/widget/widgettest"
)

var (
	diffSeed = flag.Uint64("diff.seed", 1, "seed of the differential test's data and widgets")
	diffN    = flag.Int("diff.n", 2000, "number of random widgets of the differential test")
)

// TestDifferentialRandom answers diff.n random widgets from every source.
func TestDifferentialRandom(t *testing.T) {
	seed, n := *diffSeed, *diffN
	if testing.Short() {
		n = min(n, 200)
	}
	sets := widgettest.DataSets(seed)
	for _, d := range sets {
		d.Sources = widgettest.MemorySources(d.Calls, seed)
	}
	st := widgettest.RunRandom(t, seed, n, sets, func(i int) string {
		return fmt.Sprintf("go test ./widget -run 'Differential/random/%d$' -diff.seed %d", i, seed)
	})
	t.Logf("seed %d: %d widgets (%d rejected alike by every source, %d refused by a dialect), charts %v, comparisons per source %v",
		seed, st.Widgets, st.Errors, st.Refused, st.Charts, st.Sources)
}

// TestDifferentialGolden answers every fixture of testdata/widget from
// every source.
func TestDifferentialGolden(t *testing.T) {
	sample := widgettest.LoadSample(t, "../testdata/calls/sample.jsonl")
	files, st := widgettest.RunFixtures(t, "../testdata/widget", sample, func(name string, calls []calldash.Call) []widgettest.Source {
		return widgettest.MemorySources(calls, 1)
	})
	t.Logf("%d fixtures, %d rejected alike, %d refused by a dialect; comparisons per source %v", files, st.Errors, st.Refused, st.Sources)
}
