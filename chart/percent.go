package chart

import (
	"cmp"
	"fmt"
	"math/bits"
	"slices"
)

// Percentages returns the share of each count in tenths of a percent, by
// the largest-remainder method, in exact integer arithmetic:
// each count gets its exact share of 100% floored to 0.1, and the tenths
// still missing from 100.0 go, one each, to the counts with the largest
// remainders; equal remainders favor the count that comes first in counts
// (give the counts in display order). The result sums to exactly 1000
// (100.0%) when any count is positive, and each percentage is within 0.1 of
// the exact share. When every count is 0 (or counts is empty), every
// percentage is 0.0. Counts must not be negative (Percentages panics) and
// their sum must fit an int64.
func Percentages(counts []int64) []Percent {
	out := make([]Percent, len(counts))
	var total uint64
	for i, c := range counts {
		if c < 0 {
			panic(fmt.Sprintf("chart.Percentages: negative count %d at %d", c, i))
		}
		total += uint64(c)
	}
	if total == 0 {
		return out
	}
	rems := make([]uint64, len(counts))
	left := int64(1000)
	for i, c := range counts {
		// c×1000 / total, exactly: c <= total, so the quotient fits.
		hi, lo := bits.Mul64(uint64(c), 1000)
		q, r := bits.Div64(hi, lo, total)
		out[i] = Percent(q)
		rems[i] = r
		left -= int64(q)
	}
	if left == 0 {
		return out
	}
	// left < len(counts): each floor lost less than one tenth.
	order := make([]int, len(counts))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int { return cmp.Compare(rems[b], rems[a]) })
	for _, i := range order[:left] {
		out[i]++
	}
	return out
}
