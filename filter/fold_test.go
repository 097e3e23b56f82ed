package filter

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/shopspring/decimal"
)

func TestFolded(t *testing.T) {
	cases := []struct {
		haystack, needle       string
		contains, prefix, suff bool
	}{
		{"ÉCOLE", "éco", true, true, false},
		{"ÉCOLE", "OLE", true, false, true},
		{"ΟΔΥΣΣΕΥΣ", "οδυσσευς", true, true, true},
		{"\u212Aelvin", "kel", true, true, false},
		{"ſtatus", "STATUS", true, true, true},
		{"Straße", "STRASSE", false, false, false},
		{"Straße", "STRAẞE", true, true, true},
		{"abc", "", true, true, true},
		{"", "", true, true, true},
		{"", "a", false, false, false},
		{"aaab", "aab", true, false, true},
		{"50%_off\\now", "%_OFF\\", true, false, false},
		{"ab", "abc", false, false, false},
	}
	for _, tc := range cases {
		n := foldString(tc.needle)
		if got := n.in(tc.haystack); got != tc.contains {
			t.Errorf("%q contains %q = %v", tc.haystack, tc.needle, got)
		}
		if got := n.hasPrefix(tc.haystack); got != tc.prefix {
			t.Errorf("%q startswith %q = %v", tc.haystack, tc.needle, got)
		}
		if got := n.hasSuffix(tc.haystack); got != tc.suff {
			t.Errorf("%q endswith %q = %v", tc.haystack, tc.needle, got)
		}
	}
}

// TestNumberCmp checks the allocation-free comparison against decimal.Cmp.
func TestNumberCmp(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	coefs := []int64{0, 1, -1, 3, 30, 300, 999999999999999999, -999999999999999999, 5, 50, 123456789}
	randDec := func() decimal.Decimal {
		var c int64
		switch rng.IntN(3) {
		case 0:
			c = coefs[rng.IntN(len(coefs))]
		case 1:
			c = rng.Int64N(2000) - 1000
		default:
			c = rng.Int64() >> rng.UintN(63)
			if rng.IntN(2) == 0 {
				c = -c
			}
		}
		return decimal.New(c, int32(rng.IntN(50)-25))
	}
	for range 200000 {
		x, y := randDec(), randDec()
		n := makeNumber(y)
		if got, want := n.cmp(x), x.Cmp(y); got != want {
			t.Fatalf("cmp(%s, %s) = %d, want %d", x, y, got, want)
		}
	}
	ints := []int64{0, 1, -1, 7, math.MaxInt64, math.MinInt64, math.MaxInt64 - 1, math.MinInt64 + 1}
	nums := []string{"0", "7", "7.0", "6.999999999999999999999", "9223372036854775807", "9223372036854775808",
		"-9223372036854775808", "-9223372036854775809", "1e19", "-1e19", "0.5", "-0.5", "92233720368547758.07"}
	for _, i := range ints {
		for _, s := range nums {
			d := decimal.RequireFromString(s)
			n := makeNumber(d)
			if got, want := n.cmpInt(i), d.Cmp(decimal.NewFromInt(i)); got != want {
				t.Errorf("cmpInt(%s, %d) = %d, want %d", s, i, got, want)
			}
			if got, want := n.cmp(decimal.NewFromInt(i)), decimal.NewFromInt(i).Cmp(d); got != want {
				t.Errorf("cmp(%d, %s) = %d, want %d", i, s, got, want)
			}
		}
	}
}
