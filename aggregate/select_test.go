package aggregate

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/shopspring/decimal"
)

func TestNth(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for round := range 3000 {
		n := 1 + r.IntN(300)
		if round%4 == 0 {
			n = 1 + r.IntN(3000)
		}
		vs := make([]int64, n)
		// Spreads from a few values (ties) to the whole int64 range, so
		// that radixSelect takes from one round to eight.
		spread := int64(1 + r.IntN(50))
		if round%3 == 0 {
			spread = r.Int64N(math.MaxInt64) + 1
		}
		for i := range vs {
			vs[i] = r.Int64N(spread) - spread/2
		}
		if round%3 == 0 && n > 2 {
			vs[r.IntN(n)], vs[r.IntN(n)] = math.MinInt64, math.MaxInt64
		}
		switch r.IntN(4) { // the orders a quickselect or a heap find hardest
		case 0:
			slices.Sort(vs)
		case 1:
			slices.Sort(vs)
			slices.Reverse(vs)
		}
		sorted := slices.Sorted(slices.Values(vs))
		k := r.IntN(n)
		if r.IntN(3) == 0 { // among the largest 64th: largest's side
			k = n - 1 - r.IntN(max(1, n/64))
		}
		if got := nth(slices.Clone(vs), k); got != sorted[k] {
			t.Fatalf("nth(%v, %d) = %d, want %d", vs, k, got, sorted[k])
		}
	}
}

// TestPercentile compares the selection with a sort, over values that
// take the integer path (few digits, mixed exponents, ties written
// differently) and values that do not (more than 18 digits, exponents
// too far apart for one int64 scale).
func TestPercentile(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	for round := range 3000 {
		n := 1 + r.IntN(200)
		vals := make([]decimal.Decimal, n)
		for i := range vals {
			coef := r.Int64N(2000) - 1000
			exp := -int32(r.IntN(4))
			switch {
			case round%5 == 1 && i == 0:
				vals[i] = decimal.RequireFromString("123456789012345678901234.5")
				continue
			case round%5 == 2 && i == 0:
				exp = -30
			case round%5 == 3:
				coef *= 10 // the same values with a trailing zero, one place more
				exp--
			}
			vals[i] = decimal.New(coef, exp)
		}
		k := r.IntN(n)
		sorted := slices.Clone(vals)
		slices.SortFunc(sorted, cmpDec)
		if got := percentile(slices.Clone(vals), k); !got.Equal(sorted[k]) {
			t.Fatalf("round %d: percentile(k=%d) = %s, want %s", round, k, got, sorted[k])
		}
	}
}

// TestScaleNegative: a negative shift (a difference of exponents that
// overflowed int32) is reported, not used as an index.
func TestScaleNegative(t *testing.T) {
	if v, ok := scale(7, -1); ok {
		t.Fatalf("scale(7, -1) = %d, true; want false", v)
	}
	if v, ok := scale(7, 2); !ok || v != 700 {
		t.Fatalf("scale(7, 2) = %d, %v; want 700, true", v, ok)
	}
}

// BenchmarkNearestRank selects percentiles among 1,389 random values, the
// size of a W4 bucket (an hour of a million calls over 30 days).
func BenchmarkNearestRank(b *testing.B) {
	// 64 different inputs in turn: a branch predictor would learn the
	// comparisons of one input repeated, and flatter a branchy selection.
	r := rand.New(rand.NewPCG(5, 6))
	inputs := make([][]int64, 64)
	for k := range inputs {
		inputs[k] = make([]int64, 1389)
		for i := range inputs[k] {
			inputs[k][i] = r.Int64N(600_000)
		}
	}
	scratch := make([]int64, 1389)
	for _, p := range []int{50, 95, 99} {
		b.Run(fmt.Sprintf("p%d", p), func(b *testing.B) {
			k := 0
			b.ResetTimer()
			for range b.N {
				copy(scratch, inputs[k%len(inputs)])
				NearestRank(scratch, p)
				k++
			}
		})
	}
}
