package table

import (
	"math/rand/v2"
	"slices"
	"testing"
)

func TestRowNumbers(t *testing.T) {
	for n := range 20 {
		sel := make([]int32, n)
		rowNumbers(sel, 4096*3-5)
		for i, v := range sel {
			if v != int32(4096*3-5+i) {
				t.Fatalf("n=%d: sel[%d] = %d, want %d", n, i, v, 4096*3-5+i)
			}
		}
	}
}

// TestCountAndSum checks the block kernels, with and without a
// selection, against plain loops: every length up to a few lanes past
// the four-counter threshold, dictionaries on either side of 64 codes,
// and nulls.
func TestCountAndSum(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for _, ncodes := range []int{1, 3, 64, 65} {
		for n := range 120 {
			codes, vals, sel := make([]uint32, n), make([]int64, n), []int32{}
			for i := range n {
				codes[i] = uint32(rng.IntN(ncodes))
				vals[i] = rng.Int64N(1000) - 500
				if rng.IntN(4) == 0 {
					vals[i] = nullNum
				}
				if rng.IntN(3) > 0 {
					sel = append(sel, int32(i))
				}
			}
			want := func(rows []int32) ([]int64, int64, int64) {
				counts, sum, nulls := make([]int64, ncodes), int64(0), int64(0)
				for _, i := range rows {
					counts[codes[i]]++
					if vals[i] == nullNum {
						nulls++
					} else {
						sum += vals[i]
					}
				}
				return counts, sum, nulls
			}
			all := make([]int32, n)
			rowNumbers(all, 0)
			for _, tc := range []struct {
				name string
				rows []int32
				add  func(counts []int64) (sum, nulls int64)
			}{
				{"selection", sel, func(counts []int64) (int64, int64) {
					countCodes(counts, codes, sel)
					return sumValues(vals, sel)
				}},
				{"all", all, func(counts []int64) (int64, int64) {
					countAll(counts, codes)
					return sumAll(vals)
				}},
			} {
				wantCounts, wantSum, wantNulls := want(tc.rows)
				counts := make([]int64, ncodes)
				sum, nulls := tc.add(counts)
				if !slices.Equal(counts, wantCounts) || sum != wantSum || nulls != wantNulls {
					t.Fatalf("%d codes, %d rows, %s: counts %v, sum %d, nulls %d; want %v, %d, %d",
						ncodes, n, tc.name, counts, sum, nulls, wantCounts, wantSum, wantNulls)
				}
			}
		}
	}
}
