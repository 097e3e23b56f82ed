package chart

import (
	"cmp"
	"slices"
)

// Other is the label of the group that [TopGroups] folds the smaller
// groups into.
var Other = Text("Other")

// TopGroups chooses the groups to keep when a grouped bar chart shows only
// the top n groups by sample count: it returns the set of kept
// labels; every row whose label is not in the set belongs to the [Other]
// group, whose aggregate the caller computes from those raw rows.
//
// Groups rank by count descending, then by label ascending byte-wise, the
// null group after every string label; the first n are kept. A real group
// labelled "Other" is never kept on its own: it is always part of the Other
// group, so the chart never shows two groups named "Other" (when nothing
// else is folded, the Other group is exactly that real group). When at most
// n groups other than "Other" exist, all of them are kept. n <= 0 keeps
// every group but "Other" (no limit).
func TopGroups(counts map[Label]int64, n int) map[Label]bool {
	labels := make([]Label, 0, len(counts))
	for l := range counts {
		if l != Other {
			labels = append(labels, l)
		}
	}
	if n > 0 && len(labels) > n {
		slices.SortFunc(labels, func(a, b Label) int {
			if c := cmp.Compare(counts[b], counts[a]); c != 0 {
				return c
			}
			return a.Compare(b)
		})
		labels = labels[:n]
	}
	keep := make(map[Label]bool, len(labels))
	for _, l := range labels {
		keep[l] = true
	}
	return keep
}
