package table

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"github.com/calldash/calldash"
)

// TestSnapshotSummaries checks that the summaries of a Builder's
// snapshots, which read only the rows added since the snapshot before,
// are those of a pass over every row: snapshots after batches that end
// inside and at the edge of blocks, with timestamps out of order, zero
// and beyond int64 nanoseconds, and durations that rescale the column
// and do not fit it.
func TestSnapshotSummaries(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	b := NewBuilder()
	start := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	for _, batch := range []int{1, 4095, 1, 3000, 5000, 1, 8192, 100, 4096, 7} {
		b.Grow(batch)
		for range batch {
			i := b.Len()
			c := calldash.Call{ID: int64(i), Timestamp: start.Add(time.Duration(i) * time.Second)}
			switch rng.IntN(50) {
			case 0:
				c.Timestamp = time.Time{}
			case 1:
				c.Timestamp = start.AddDate(-400, 0, 0)
			case 2:
				c.Timestamp = start.Add(-time.Hour)
			}
			switch rng.IntN(40) {
			case 0:
				// (more places as rows come: the column rescales after
				// snapshots)
				places := min(rng.IntN(12), i/3000)
				c.Duration = calldash.Number(decimal.New(rng.Int64N(1_000_000), -int32(places)))
			case 1:
				c.Duration = calldash.Number(decimal.RequireFromString("123456789012345678901"))
			case 2:
				c.ID = -1 << 63
			default:
				c.Duration = calldash.Int(rng.Int64N(1_000_000)) // (too many values for a dictionary)
			}
			b.Add(&c)
		}
		tb := b.Table()
		what := fmt.Sprintf("after %d rows", b.Len())
		ts := slices.Clone(tb.ts)
		if !slices.Equal(tb.tsZones, zonesOf(ts)) {
			t.Errorf("%s: timestamp zones differ", what)
		}
		if want := slices.IsSorted(ts); tb.tsSorted != want {
			t.Errorf("%s: tsSorted = %v, want %v", what, tb.tsSorted, want)
		}
		if want := !slices.Contains(ts, bigNum); tb.tsOK != want {
			t.Errorf("%s: tsOK = %v, want %v", what, tb.tsOK, want)
		}
		if tb.minTs != slices.Min(ts) || tb.maxTs != slices.Max(ts) {
			t.Errorf("%s: range %d..%d, want %d..%d", what, tb.minTs, tb.maxTs, slices.Min(ts), slices.Max(ts))
		}
		for name, tc := range tb.times {
			if !slices.Equal(tc.zones, zonesOf(tc.vals)) || tc.hasBig != slices.Contains(tc.vals, bigNum) {
				t.Errorf("%s: time column %s: summary differs", what, name)
			}
		}
		for name, col := range tb.cols {
			if col.num == nil {
				continue
			}
			want := &column{num: slices.Clone(col.num)}
			want.summarize()
			if !slices.Equal(col.zones, want.zones) || col.hasBig != want.hasBig || col.maxAbs != want.maxAbs {
				t.Errorf("%s: column %s: summary differs", what, name)
			}
		}
	}
}
