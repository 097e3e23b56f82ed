package aggregate

import (
	"errors"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"github.com/calldash/calldash"
)

// val parses a test value: "null", "true", "false", "'text'" or a number.
func val(t testing.TB, s string) calldash.Value {
	t.Helper()
	switch {
	case s == "null":
		return calldash.Null
	case s == "true" || s == "false":
		return calldash.Bool(s == "true")
	case strings.HasPrefix(s, "'"):
		return calldash.String(strings.Trim(s, "'"))
	}
	d, err := decimal.NewFromString(s)
	if err != nil {
		t.Fatal(err)
	}
	return calldash.Number(d)
}

func run(t testing.TB, f Func, inputs string) Result {
	t.Helper()
	a := New(f, DefaultAvgPlaces)
	for _, s := range strings.Fields(inputs) {
		a.Add(val(t, s))
	}
	return a.Result()
}

func TestFuncNames(t *testing.T) {
	for f := Count; f <= P99; f++ {
		got, err := ParseFunc(f.String())
		if err != nil || got != f {
			t.Errorf("ParseFunc(%q) = %v, %v", f.String(), got, err)
		}
	}
	for _, s := range []string{"", "AVG", "median", "p90"} {
		if _, err := ParseFunc(s); !errors.Is(err, ErrUnknownFunc) {
			t.Errorf("ParseFunc(%q) error = %v, want ErrUnknownFunc", s, err)
		}
	}
}

func TestAccumulator(t *testing.T) {
	tests := []struct {
		name   string
		f      Func
		inputs string
		want   string
	}{
		{"count empty", Count, "", "0"},
		{"count nulls only", Count, "null null", "0"},
		{"count mixed", Count, "1 null true 'x' false", "4"},
		{"sum empty", Sum, "", "null"},
		{"sum nulls", Sum, "null", "null"},
		{"sum exact", Sum, "0.1 0.2", "0.3"},
		{"sum mixed scales", Sum, "1 0.25 100 -0.005", "101.245"},
		{"sum ignores strings", Sum, "1 'x' 2", "3"},
		{"sum of booleans counts true", Sum, "true false true null", "2"},
		{"sum zero", Sum, "1 -1", "0"},
		{"avg empty", Avg, "null", "null"},
		{"avg exact", Avg, "45.5 60 12.25", "39.25"},
		{"avg thirds", Avg, "1 2 2", "1.6667"},
		{"avg negative thirds", Avg, "-1 -2 -2", "-1.6667"},
		{"avg half up", Avg, "0.00005", "0.0001"},
		{"avg half away from zero negative", Avg, "-0.00005", "-0.0001"},
		{"avg below half", Avg, "0.000049", "0"},
		{"avg below half negative", Avg, "-0.000049", "0"},
		{"avg -1 and -0.0001", Avg, "-1 -0.0001", "-0.5001"},
		{"avg 1 and 0.0001", Avg, "1 0.0001", "0.5001"},
		{"avg -0.00015 and 0", Avg, "-0.00015 0", "-0.0001"},
		{"avg -0.00025 and 0", Avg, "-0.00025 0", "-0.0001"},
		{"avg -0.00035 and 0", Avg, "-0.00035 0", "-0.0002"},
		{"avg of boolean is fraction true", Avg, "true false true null", "0.6667"},
		{"avg all false", Avg, "false false", "0"},
		{"avg ignores nulls", Avg, "2 null 4", "3"},
		{"min", Min, "3 -1.5 2 null", "-1.5"},
		{"min scales", Min, "1.10 1.1 1.05", "1.05"},
		{"max", Max, "3 -1.5 2.75 null", "3"},
		{"max empty", Max, "null", "null"},
		{"max of booleans", Max, "false true", "1"},
		{"max huge", Max, "1e40 99999999999999999999999999999999999999 -1e41", "10000000000000000000000000000000000000000"},
		{"min tiny", Min, "1e-40 0.0000000000000000000000000000000000000001 1", "0.0000000000000000000000000000000000000001"},
		{"p50 n=1", P50, "7", "7"},
		{"p50 of 1 2", P50, "1 2", "1"},
		{"p50 of 2 1", P50, "2 1", "1"},
		{"p95 of 1 2", P95, "1 2", "2"},
		{"p99 n=1", P99, "7", "7"},
		{"p50 empty", P50, "null", "null"},
		{"p50 ignores nulls", P50, "null 3 null 1 2", "2"},
		{"p50 n=20", P50, "20 19 18 17 16 15 14 13 12 11 10 9 8 7 6 5 4 3 2 1", "10"},
		{"p95 n=20", P95, "20 19 18 17 16 15 14 13 12 11 10 9 8 7 6 5 4 3 2 1", "19"},
		{"p99 n=20", P99, "20 19 18 17 16 15 14 13 12 11 10 9 8 7 6 5 4 3 2 1", "20"},
		{"p50 n=21", P50, "21 20 19 18 17 16 15 14 13 12 11 10 9 8 7 6 5 4 3 2 1", "11"},
		{"p95 n=21", P95, "21 20 19 18 17 16 15 14 13 12 11 10 9 8 7 6 5 4 3 2 1", "20"},
		{"p99 n=21", P99, "21 20 19 18 17 16 15 14 13 12 11 10 9 8 7 6 5 4 3 2 1", "21"},
		{"p50 exact decimals", P50, "0.10 0.3 0.2", "0.2"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := run(t, tc.f, tc.inputs)
			if got.String() != tc.want {
				t.Errorf("%s(%s) = %s, want %s", tc.f, tc.inputs, got, tc.want)
			}
			if (tc.want == "null") != got.IsNull() {
				t.Errorf("IsNull = %v", got.IsNull())
			}
		})
	}
}

func TestRank(t *testing.T) {
	tests := []struct{ p, n, want int }{
		{50, 0, 0}, {50, 1, 1}, {50, 2, 1}, {95, 2, 2}, {99, 1, 1},
		{50, 20, 10}, {95, 20, 19}, {99, 20, 20}, {50, 21, 11}, {95, 21, 20}, {99, 21, 21},
		{95, 100, 95}, {99, 101, 100}, {1, 1000, 10},
	}
	for _, tc := range tests {
		if got := Rank(tc.p, tc.n); got != tc.want {
			t.Errorf("Rank(%d, %d) = %d, want %d", tc.p, tc.n, got, tc.want)
		}
	}
}

func TestRowsAndCount(t *testing.T) {
	a := New(Sum, DefaultAvgPlaces)
	for _, s := range []string{"1", "null", "'x'", "true"} {
		a.Add(val(t, s))
	}
	a.AddNull()
	if a.Rows() != 5 || a.Count() != 3 {
		t.Errorf("Rows, Count = %d, %d; want 5, 3", a.Rows(), a.Count())
	}
	a.Reset()
	if a.Rows() != 0 || !a.Result().IsNull() || a.Func() != Sum {
		t.Errorf("after Reset: Rows %d, Result %v", a.Rows(), a.Result())
	}
}

func TestAvgPlaces(t *testing.T) {
	for _, tc := range []struct {
		places int32
		want   string
	}{{0, "-2"}, {1, "-1.7"}, {2, "-1.67"}, {6, "-1.666667"}} {
		a := New(Avg, tc.places)
		for _, s := range []string{"-1", "-2", "-2"} {
			a.Add(val(t, s))
		}
		if got := a.Result().String(); got != tc.want {
			t.Errorf("places %d: avg = %s, want %s", tc.places, got, tc.want)
		}
	}
}

func TestTimes(t *testing.T) {
	t1 := time.Date(2025, 11, 3, 10, 0, 0, 0, time.UTC)
	t2 := t1.Add(-time.Hour)
	for _, tc := range []struct {
		f    Func
		want string
	}{{Count, "3"}, {Min, "2025-11-03T09:00:00Z"}, {Max, "2025-11-03T10:00:00Z"}, {Avg, "null"}, {Sum, "null"}} {
		a := New(tc.f, DefaultAvgPlaces)
		a.AddTime(t1)
		a.AddTime(t2)
		a.AddTime(t1)
		a.AddNull()
		if got := a.Result().String(); got != tc.want {
			t.Errorf("%s of times = %s, want %s", tc.f, got, tc.want)
		}
	}
}

// randDec returns a decimal with a random coefficient of up to 30 digits
// and a random exponent, to exercise the int64 fast path and its overflow.
func randDec(r *rand.Rand) decimal.Decimal {
	var c decimal.Decimal
	switch r.IntN(4) {
	case 0:
		c = decimal.NewFromInt(r.Int64N(1000) - 500)
	case 1:
		c = decimal.NewFromInt(r.Int64() - 1<<62)
	case 2:
		c = decimal.NewFromInt(r.Int64N(1e12)).Mul(decimal.NewFromInt(r.Int64N(1e18)))
	default:
		c = decimal.NewFromInt(1<<63 - 1 - r.Int64N(10))
	}
	if r.IntN(2) == 0 {
		c = c.Neg()
	}
	return c.Shift(int32(r.IntN(50) - 25))
}

// TestAccumulatorAgainstNaive compares every function with a plain
// implementation on random exact decimals, and Merge with one stream.
func TestAccumulatorAgainstNaive(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 8))
	for iter := range 300 {
		n := r.IntN(40)
		vals := make([]decimal.Decimal, n)
		for i := range vals {
			vals[i] = randDec(r)
		}
		split := 0
		if n > 0 {
			split = r.IntN(n + 1)
		}
		for f := Count; f <= P99; f++ {
			a := New(f, DefaultAvgPlaces)
			b1, b2 := New(f, DefaultAvgPlaces), New(f, DefaultAvgPlaces)
			for i, v := range vals {
				a.Add(calldash.Number(v))
				if i < split {
					b1.Add(calldash.Number(v))
				} else {
					b2.Add(calldash.Number(v))
				}
			}
			b1.Merge(&b2)
			want := naive(f, vals)
			if got := a.Result(); got.String() != want {
				t.Fatalf("iter %d: %s(%v) = %s, want %s", iter, f, vals, got, want)
			}
			if got := b1.Result(); got.String() != want {
				t.Fatalf("iter %d: merged %s(%v) = %s, want %s", iter, f, vals, got, want)
			}
		}
	}
}

func naive(f Func, vals []decimal.Decimal) string {
	if f == Count {
		return decimal.NewFromInt(int64(len(vals))).String()
	}
	if len(vals) == 0 {
		return "null"
	}
	sum := decimal.Zero
	for _, v := range vals {
		sum = sum.Add(v)
	}
	sorted := slices.Clone(vals)
	slices.SortFunc(sorted, decimal.Decimal.Cmp)
	switch f {
	case Sum:
		return sum.String()
	case Avg:
		return sum.DivRound(decimal.NewFromInt(int64(len(vals))), DefaultAvgPlaces).String()
	case Min:
		return sorted[0].String()
	case Max:
		return sorted[len(sorted)-1].String()
	}
	return sorted[Rank(f.Percentile(), len(sorted))-1].String()
}

func TestNoAllocPerAdd(t *testing.T) {
	vals := []calldash.Value{
		calldash.Number(decimal.RequireFromString("45.5")), calldash.Number(decimal.RequireFromString("60")),
		calldash.Bool(true), calldash.Null, calldash.Number(decimal.RequireFromString("-3.125")),
	}
	for _, f := range []Func{Count, Sum, Avg, Min, Max} {
		a := New(f, DefaultAvgPlaces)
		allocs := testing.AllocsPerRun(1000, func() {
			for _, v := range vals {
				a.Add(v)
			}
		})
		if allocs != 0 {
			t.Errorf("%s: %v allocations per Add round", f, allocs)
		}
	}
}

func benchAdd(b *testing.B, f Func) {
	vals := make([]calldash.Value, 1024)
	r := rand.New(rand.NewPCG(9, 10))
	for i := range vals {
		vals[i] = calldash.Number(decimal.New(r.Int64N(100000), -2))
	}
	a := New(f, DefaultAvgPlaces)
	b.ResetTimer()
	b.ResetTimer()
	for i := range b.N {
		a.Add(vals[i&1023])
	}
	_ = a.Result()
}

func BenchmarkAddCount(b *testing.B) { benchAdd(b, Count) }
func BenchmarkAddAvg(b *testing.B)   { benchAdd(b, Avg) }
func BenchmarkAddMax(b *testing.B)   { benchAdd(b, Max) }
func BenchmarkAddP95(b *testing.B)   { benchAdd(b, P95) }
