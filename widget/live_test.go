package widget_test

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/calldash/calldash"
	"github.com/calldash/calldash/widget"
	"github.com/calldash/calldash/widget/widgettest"
)

// liveSources returns LiveTables of calls: appended in chunks of random
// sizes, in a shuffled order; and with older calls appended among them,
// dropped, and the rest appended after.
func liveSources(calls []calldash.Call, seed uint64) []widgettest.Source {
	r := rand.New(rand.NewPCG(seed, 18))
	shuffled := slices.Clone(calls)
	r.Shuffle(len(shuffled), func(i, j int) { shuffled[i], shuffled[j] = shuffled[j], shuffled[i] })
	chunks := widget.NewLiveTable()
	for rest := shuffled; len(rest) > 0; {
		k := min(len(rest), 1+r.IntN(50))
		chunks.Append(rest[:k]...)
		rest = rest[k:]
	}

	dropped := widget.NewLiveTable()
	if len(calls) > 0 {
		cut := slices.MinFunc(calls, func(a, b calldash.Call) int { return a.Timestamp.Compare(b.Timestamp) }).Timestamp
		half := len(shuffled) / 2
		for i, c := range shuffled[:half] {
			old := c
			old.ID += 1 << 40
			old.Timestamp = cut.Add(-time.Duration(1+i) * time.Minute)
			dropped.Append(c, old)
		}
		if n := dropped.Drop(cut); n != half {
			panic(fmt.Sprintf("Drop removed %d calls, want %d", n, half))
		}
		dropped.Append(shuffled[half:]...)
	}
	return []widgettest.Source{{Name: "live-chunks", Src: chunks}, {Name: "live-dropped", Src: dropped}}
}

// TestLiveRandom answers the random widgets from LiveTables and from
// memory over the same calls.
func TestLiveRandom(t *testing.T) {
	n := 1500
	if testing.Short() {
		n = 200
	}
	sets := widgettest.DataSets(11)
	for _, d := range sets {
		d.Sources = append([]widgettest.Source{{Name: "memory", Src: widget.Calls(d.Calls)}}, liveSources(d.Calls, 11)...)
	}
	st := &widgettest.Stats{Charts: map[string]int{}, Sources: map[string]int{}}
	failures := 0
	for i := range n {
		d := sets[i%len(sets)]
		w := widgettest.RandomWidget(11, i, d)
		if !widgettest.Compare(t, fmt.Sprintf("widget %d, data %q", i, d.Name), w, d.Sources, st) {
			failures++
		}
		if failures >= 10 {
			t.Fatalf("stopping after %d differing widgets", failures)
		}
	}
}

// TestLiveSnapshot: a snapshot keeps answering over the calls it was
// taken over, while appends and drops go on from other goroutines
// (run with -race).
func TestLiveSnapshot(t *testing.T) {
	sets := widgettest.DataSets(3)
	d := sets[0]
	half := len(d.Calls) / 2
	live := widget.NewLiveTable()
	live.Append(d.Calls[:half]...)
	snap := live.Table()
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		for _, c := range d.Calls[half:] {
			live.Append(c)
		}
		live.Drop(d.Start)
	}()
	first := &widgettest.Data{Name: d.Name, Calls: d.Calls[:half], Start: d.Start, End: d.End}
	st := &widgettest.Stats{Charts: map[string]int{}, Sources: map[string]int{}}
	for i := range 100 {
		w := widgettest.RandomWidget(3, i, d)
		widgettest.Compare(t, fmt.Sprintf("widget %d on the snapshot", i), w, []widgettest.Source{
			{Name: "memory", Src: widget.Calls(first.Calls)}, {Name: "snapshot", Src: snap}}, st)
		widgettest.Ask(w, live) // concurrently with the appends
	}
	wg.Wait()
	if live.Len() != len(d.Calls) {
		t.Errorf("Len = %d, want %d", live.Len(), len(d.Calls))
	}
}

// TestEmptyTables: a Table without records and a LiveTable answer an
// empty data set as memory does.
func TestEmptyTables(t *testing.T) {
	decoded, err := widget.DecodeTable(strings.NewReader("\n \n"))
	if err != nil {
		t.Fatal(err)
	}
	live := widget.NewLiveTable()
	dropped := widget.NewLiveTable()
	dropped.Append(calldash.Call{ID: 1, Timestamp: time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)})
	if n := dropped.Drop(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)); n != 1 || dropped.Len() != 0 {
		t.Fatalf("Drop removed %d, Len %d; want 1 and 0", n, dropped.Len())
	}
	d := widgettest.DataSets(5)[0]
	st := &widgettest.Stats{Charts: map[string]int{}, Sources: map[string]int{}}
	for i := range 100 {
		w := widgettest.RandomWidget(5, i, d)
		widgettest.Compare(t, fmt.Sprintf("widget %d over no calls", i), w, []widgettest.Source{
			{Name: "memory", Src: widget.Calls(nil)}, {Name: "decoded", Src: decoded}, {Name: "live", Src: live}, {Name: "dropped", Src: dropped}}, st)
	}
}
