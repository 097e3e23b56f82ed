package chart

import (
	"cmp"
	"slices"
	"time"

	"github.com/calldash/calldash"
)

// SortSlices orders pie slices as a pie chart shows them: by value descending, then
// by label ascending byte-wise, the null slice after every string label.
func SortSlices(s []Slice) {
	slices.SortFunc(s, func(a, b Slice) int {
		if c := cmp.Compare(b.Value, a.Value); c != 0 {
			return c
		}
		return a.Label.Compare(b.Label)
	})
}

// Pie returns the slices of a pie chart from the row count of each label:
// ordered by [SortSlices], with [Percentages] computed in that order.
// Labels with a count of 0 are kept (with 0.0%); leave them out of counts
// to leave them out of the chart.
func Pie(counts map[Label]int64) []Slice {
	s := make([]Slice, 0, len(counts))
	for l, n := range counts {
		s = append(s, Slice{Label: l, Value: n})
	}
	SortSlices(s)
	vals := make([]int64, len(s))
	for i := range s {
		vals[i] = s[i].Value
	}
	for i, p := range Percentages(vals) {
		s[i].Percentage = p
	}
	return s
}

// CompareBars orders bars by time interval (as instants), then by group
// label (the null group last); ungrouped bars sort before grouped ones of
// the same time.
func CompareBars(a, b Bar) int {
	if c := a.TimeInterval.Compare(b.TimeInterval); c != 0 {
		return c
	}
	if a.Grouped != b.Grouped {
		if !a.Grouped {
			return -1
		}
		return 1
	}
	return a.Group.Compare(b.Group)
}

// SortBars orders bars by [CompareBars]: time, then group label, null group
// last. Use it when there is no gap filling.
func SortBars(bars []Bar) { slices.SortStableFunc(bars, CompareBars) }

type barKey struct {
	sec   int64
	nsec  int
	label Label
}

func keyOf(t time.Time, l Label) barKey { return barKey{t.Unix(), t.Nanosecond(), l} }

// Fill returns bars gap-filled over the bucket starts (from
// aggregate.Boundaries.Starts): every start × every group that has a bar in
// bars, ordered by [CompareBars]. A start × group with no bar gets an empty
// bar {TimeInterval: start, Value: empty, SampleCount: 0}; pass calldash.Null as empty,
// or Int(0) for count. Without grouping (grouped false), the only group is
// "no group" and every start gets a bar even when bars is empty; with
// grouping and no bars, there are no groups and the result is empty.
//
// Bars are matched to starts by instant; a bar whose time is not among the
// starts is kept as is. The bars' Grouped must equal grouped. Fill does not
// modify bars.
func Fill(bars []Bar, starts []time.Time, grouped bool, empty calldash.Value) []Bar {
	var groups []Label
	seen := make(map[Label]bool)
	have := make(map[barKey]bool, len(bars))
	for _, b := range bars {
		if grouped && !seen[b.Group] {
			seen[b.Group] = true
			groups = append(groups, b.Group)
		}
		have[keyOf(b.TimeInterval, b.Group)] = true
	}
	if !grouped {
		groups = []Label{{}}
	}
	out := make([]Bar, 0, max(len(bars), len(starts)*len(groups)))
	out = append(out, bars...)
	for _, s := range starts {
		for _, g := range groups {
			if have[keyOf(s, g)] {
				continue
			}
			out = append(out, Bar{TimeInterval: s, Value: empty, Grouped: grouped, Group: g})
		}
	}
	SortBars(out)
	return out
}
