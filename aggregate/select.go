package aggregate

import (
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

// nth returns the k-th smallest of vs (0-based), reordering vs: a
// quickselect, linear on average, instead of a sort. Small or stubborn
// ranges are sorted.
func nth(vs []int64, k int) int64 {
	lo, hi := 0, len(vs) // the k-th is in vs[lo:hi]
	for rounds := 0; hi-lo > 16; rounds++ {
		if rounds > 64 {
			break
		}
		a, b, c := vs[lo], vs[lo+(hi-lo)/2], vs[hi-1]
		pivot := max(min(a, b), min(max(a, b), c)) // median of three
		// Three-way partition: < pivot | == pivot | > pivot.
		lt, i, gt := lo, lo, hi
		for i < gt {
			switch v := vs[i]; {
			case v < pivot:
				vs[lt], vs[i] = vs[i], vs[lt]
				lt++
				i++
			case v > pivot:
				gt--
				vs[gt], vs[i] = vs[i], vs[gt]
			default:
				i++
			}
		}
		switch {
		case k < lt:
			hi = lt
		case k >= gt:
			lo = gt
		default:
			return pivot
		}
	}
	slices.Sort(vs[lo:hi])
	return vs[k]
}
