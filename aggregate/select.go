package aggregate

import (
	"math/bits"
	"slices"

	"github.com/shopspring/decimal"
)

// NearestRank returns the nearest-rank p-th percentile of vs (see
// [Rank]), reordering vs; vs must not be empty. It is the selection that
// percentiles over scaled integers use (a Table's columns), linear on
// average rather than a sort.
func NearestRank(vs []int64, p int) int64 { return nth(vs, Rank(p, len(vs))-1) }

// percentile returns the value of rank k+1 (0-based k) among vals, which
// it may reorder. When every value has a coefficient of at most 18
// digits and they share a scale that fits an int64, it selects among
// those integers and returns the value at that scale (equal to the one a
// sort would put at k, and printed the same); otherwise it sorts.
func percentile(vals []decimal.Decimal, k int) decimal.Decimal {
	var sc int32
	keys := make([]int64, len(vals)) // the coefficients, then the values at scale sc
	for i, d := range vals {
		c, ok := small(d)
		if !ok {
			return sortedAt(vals, k)
		}
		keys[i] = c
		sc = max(sc, -d.Exponent())
	}
	for i, d := range vals {
		v, ok := scale(keys[i], d.Exponent()+sc) // a shift left, as sc ≥ -exponent (unless that overflowed)
		if !ok {
			return sortedAt(vals, k)
		}
		keys[i] = v
	}
	return decimal.New(nth(keys, k), -sc)
}

// sortedAt sorts vals and returns the one at k.
func sortedAt(vals []decimal.Decimal, k int) decimal.Decimal {
	slices.SortFunc(vals, cmpDec)
	return vals[k]
}

// nth returns the k-th smallest of vs (0-based), reordering vs, in
// linear time rather than a sort's: a rank among the largest 64th (a
// p99) by largest, any other by radixSelect.
func nth(vs []int64, k int) int64 {
	if m := len(vs) - k; m <= len(vs)/64 {
		return largest(vs, m)
	}
	return radixSelect(vs, k)
}

// radixSelect returns the k-th smallest of vs (0-based), reordering vs.
// Each round counts the values in 256 equal slices of their range (the
// top eight bits of the value less the minimum), keeps the values of the
// slice that holds rank k at the front of vs, and goes on within it, so
// that a round narrows the range 256 times: at most eight rounds for
// any int64 values, two or three for typical ones. The passes have no
// branch that depends on a value, where a quickselect's partition and a
// heap's comparisons mispredict about every other time: among 1,389
// values (BenchmarkNearestRank), a p50 takes a quarter of the time of
// the quickselect it replaced, a p95 about half of a heap's (a p99's heap is
// faster still: few values ever enter it).
func radixSelect(vs []int64, k int) int64 {
	for len(vs) > 16 {
		lo, hi := vs[0], vs[0]
		for _, v := range vs[1:] {
			lo, hi = min(lo, v), max(hi, v)
		}
		if lo == hi {
			return lo
		}
		ulo := uint64(lo)
		shift := max(bits.Len64(uint64(hi)-ulo)-8, 0) // (v-lo)>>shift < 256
		var counts [256]int
		for _, v := range vs {
			counts[(uint64(v)-ulo)>>shift]++
		}
		slice := uint64(0) // the slice that holds rank k
		for k >= counts[slice] {
			k -= counts[slice]
			slice++
		}
		n := 0
		for _, v := range vs {
			// No branch: a value is written, and kept by moving on.
			vs[n] = v
			n += b2i((uint64(v)-ulo)>>shift == slice)
		}
		vs = vs[:n]
	}
	slices.Sort(vs)
	return vs[k]
}

// largest returns the m-th largest of vs (1 ≤ m ≤ len(vs)), reordering
// vs: vs[:m] becomes a min-heap of the m largest values so far, and each
// later value is compared with its root, replacing it when larger. When m
// is small against len(vs), most values cost that one comparison, which
// is predictable: among 1,389 values (BenchmarkNearestRank) the p99
// takes 40 % of radixSelect's time.
func largest(vs []int64, m int) int64 {
	h := vs[:m]
	for i := m/2 - 1; i >= 0; i-- {
		siftDown(h, i)
	}
	for _, v := range vs[m:] {
		if v > h[0] {
			h[0] = v
			siftDown(h, 0)
		}
	}
	return h[0]
}

// siftDown moves h[i] down the min-heap h to its place.
func siftDown(h []int64, i int) {
	for {
		c := 2*i + 1
		if c >= len(h) {
			return
		}
		if c+1 < len(h) {
			c += b2i(h[c+1] < h[c]) // no branch: which child is smaller is a coin toss
		}
		if h[i] <= h[c] {
			return
		}
		h[i], h[c] = h[c], h[i]
		i = c
	}
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}
