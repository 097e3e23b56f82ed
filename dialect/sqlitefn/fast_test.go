package sqlitefn

import (
	"database/sql/driver"
	"math"
	"math/rand/v2"
	"strconv"
	"strings"
	"testing"

	"github.com/shopspring/decimal"
)

// The fast path against the decimal path it replaces: same acceptance,
// same value, same order, same sums, same text.

// parseCases are texts whose reading must not change; fast says whether
// parseSmall should take them itself.
var parseCases = []struct {
	in   string
	fast bool
}{
	{"", false}, {".", false}, {"-", false}, {"+", false}, {"-.", false}, {"e", false}, {"e5", false},
	{"1.", true}, {".5", true}, {"-.5", true}, {"+.5", true}, {"+1", true}, {"-0", true}, {"+0", true},
	{"0.000", true}, {"-0.000", true}, {"00012", true}, {"000.0120", true}, {"183.27", true}, {"60", true},
	{"1234.5", true}, {"1e5", true}, {"1E+05", true}, {"1e-3", true}, {"1.e5", true}, {".5e1", true},
	{"1e0000000000000000005", true}, {"1e-0", true}, {"-1.5E-7", true},
	{"1e", false}, {"1e+", false}, {"1e+-5", false}, {"1e5e5", false}, {"1e5.5", false}, {"1.5.5", false},
	{".-5", false}, {"1.-5", false}, {"+-1", false}, {"--1", false}, {"1-2", false}, {"1+2", false},
	{" 1", false}, {"1 ", false}, {"1_000", false}, {"0x10", false}, {"\u22121", false}, {"NaN", false},
	{"Inf", false}, {"+Inf", false}, {"abc", false},
	{"999999999999999999", true}, {"-999999999999999999", true}, {"1000000000000000000", false},
	{"123456789012345678.5", false}, {"0.000000000000000000000000000001", true},
	{"000000000000000000000000000000000012", true},
	{"1e1000", true}, {"1e-1000", true}, {"1e1001", false}, {"1e-1001", false}, {"0.1e-999", true},
	{"0.1e-1000", false}, {"1e10000", false}, {"1e10001", false}, {"1e99999999999", false},
	{"-12345678901234567890.5", false}, {strings.Repeat("1", 1101), false},
	{"1" + strings.Repeat("0", 1099), false}, {strings.Repeat("0", 1099) + "1", false},
	{strings.Repeat("0", 1100) + "1", false}, // too long for parseDecimal
}

// checkParse fails unless everything parseSmall accepts, parseDecimal
// (the decimal path) accepts with the same value.
func checkParse(t *testing.T, in string) (fast bool) {
	t.Helper()
	x, ok := parseSmall(in)
	xb, okb := parseSmall([]byte(in))
	if ok != okb || x != xb {
		t.Fatalf("parseSmall(%q) = %v, %v; from bytes %v, %v", in, x, ok, xb, okb)
	}
	if !ok {
		return false
	}
	d, slow := parseDecimal(in)
	if !slow {
		t.Fatalf("parseSmall(%q) = %v, but it is not a decimal", in, x)
	}
	if got := decimal.New(x.coef, x.exp); !got.Equal(d) {
		t.Fatalf("parseSmall(%q) = %s, want %s", in, got, d)
	}
	if n := numDigits(max(x.coef, -x.coef, 1)); n > maxDigits {
		t.Fatalf("parseSmall(%q) = %v: %d digits", in, x, n)
	}
	return true
}

func TestParseSmall(t *testing.T) {
	for _, c := range parseCases {
		if got := checkParse(t, c.in); got != c.fast {
			t.Errorf("parseSmall(%q) ok = %v, want %v", c.in, got, c.fast)
		}
	}
}

// randomText is decimal-like text: mostly well-formed with random signs,
// leading and trailing zeros, points and exponents; sometimes garbled.
func randomText(r *rand.Rand) string {
	if r.IntN(8) == 0 {
		const alphabet = "0123456789.+-eE x_"
		b := make([]byte, r.IntN(12))
		for i := range b {
			b[i] = alphabet[r.IntN(len(alphabet))]
		}
		return string(b)
	}
	var b strings.Builder
	switch r.IntN(4) {
	case 0:
		b.WriteByte('-')
	case 1:
		b.WriteByte('+')
	}
	digits := func(n int) {
		for range n {
			if r.IntN(4) == 0 {
				b.WriteByte('0')
			} else {
				b.WriteByte(byte('0' + r.IntN(10)))
			}
		}
	}
	digits(r.IntN(21))
	if r.IntN(2) == 0 {
		b.WriteByte('.')
		digits(r.IntN(21))
	}
	if r.IntN(3) == 0 {
		b.WriteByte("eE"[r.IntN(2)])
		switch r.IntN(3) {
		case 0:
			b.WriteByte('-')
		case 1:
			b.WriteByte('+')
		}
		if r.IntN(4) == 0 {
			digits(r.IntN(5))
		} else {
			b.WriteString(strconv.Itoa(r.IntN(1100)))
		}
	}
	return b.String()
}

func TestParseSmallRandom(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 1))
	fast := 0
	for range 200_000 {
		if checkParse(t, randomText(r)) {
			fast++
		}
	}
	if fast < 50_000 {
		t.Errorf("parseSmall took only %d of 200000 texts", fast)
	}
}

func FuzzParseSmall(f *testing.F) {
	for _, c := range parseCases {
		f.Add(c.in)
	}
	f.Fuzz(func(t *testing.T, in string) { checkParse(t, in) })
}

func checkCompare(t *testing.T, a, b string) {
	t.Helper()
	if got, want := compareDecimalText(a, b), compareDecimalSlow(a, b); got != want {
		t.Fatalf("compare(%q, %q) = %d, want %d", a, b, got, want)
	}
}

// randomSmallText is a number the fast path takes, written in one of the
// ways it reads: plain, with an exponent, with zeros to either side.
func randomSmallText(r *rand.Rand) string {
	coef := r.Int64N(pow10[1+r.IntN(maxDigits)])
	if r.IntN(2) == 0 {
		coef = -coef
	}
	var exp int32
	switch r.IntN(3) {
	case 0:
		exp = int32(r.IntN(7) - 5)
	case 1:
		exp = int32(r.IntN(41) - 20)
	default:
		exp = int32(r.IntN(2*maxExp-40) - maxExp + 20)
	}
	d := decimal.New(coef, exp)
	var s string
	switch r.IntN(4) {
	case 0:
		s = d.String()
	case 1:
		s = strconv.FormatInt(coef, 10) + "e" + strconv.Itoa(int(exp))
	case 2: // leading zeros, an explicit exponent sign
		abs := strconv.FormatInt(max(coef, -coef), 10)
		s = "000"[:r.IntN(4)] + abs + "E" + strconv.FormatInt(int64(exp), 10)
		if exp >= 0 {
			s = "000"[:r.IntN(4)] + abs + "E+" + strconv.FormatInt(int64(exp), 10)
		}
		if coef < 0 {
			s = "-" + s
		}
	default:
		s = d.StringFixed(max(-exp, 0) + int32(r.IntN(3)))
	}
	if coef == 0 && r.IntN(2) == 0 {
		s = "-" + strings.TrimPrefix(s, "-")
	}
	return s
}

func TestCompareRandom(t *testing.T) {
	r := rand.New(rand.NewPCG(2, 2))
	fixed := []string{"0", "-0", "0.000", "-0e5", "60", "60.0", "6e1", "600e-1", "59.999", "60.001",
		"999999999999999999", "1e18", "1000000000000000000", "-999999999999999999", "1e1000", "1e-1000",
		"1e1001", "-1e1001", "0.1e-999", "1e-1001", "12345678901234567890", "abc", "", "1e", "."}
	for _, a := range fixed {
		for _, b := range fixed {
			checkCompare(t, a, b)
		}
	}
	for range 60_000 {
		a, b := randomSmallText(r), randomSmallText(r)
		switch r.IntN(6) {
		case 0:
			b = a
		case 1: // the same value, written otherwise
			if d, ok := parseDecimal(a); ok && !strings.Contains(a, "e") {
				b = d.StringFixed(max(-d.Exponent(), 0) + 2)
			}
		case 2:
			b = randomText(r)
		case 3: // near each other: the same leading digits
			if len(a) > 3 {
				b = a[:len(a)-1] + string(rune('0'+r.IntN(10)))
			}
		}
		checkCompare(t, a, b)
		checkCompare(t, b, a)
	}
}

func FuzzCompare(f *testing.F) {
	for _, c := range parseCases {
		f.Add(c.in, "60")
		f.Add(c.in, "-0.5e-1")
	}
	f.Fuzz(func(t *testing.T, a, b string) { checkCompare(t, a, b) })
}

func TestCanonicalSmall(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 3))
	check := func(coef int64, exp int32) {
		t.Helper()
		if got, want := canonicalSmall(coef, exp), canonical(decimal.New(coef, exp)); got != want {
			t.Fatalf("canonicalSmall(%d, %d) = %s, want %s", coef, exp, got, want)
		}
	}
	for _, coef := range []int64{0, 1, -1, 10, -10, 100, 123, 1000000, math.MaxInt64, math.MinInt64, math.MinInt64 + 1} {
		for exp := int32(-25); exp <= 25; exp++ {
			check(coef, exp)
		}
	}
	for range 100_000 {
		coef := int64(r.Uint64() >> r.IntN(64))
		if r.IntN(3) == 0 {
			coef *= pow10[r.IntN(4)]
		}
		check(coef, int32(r.IntN(60)-40))
	}
}

// randomArg is an aggregate argument as SQLite passes it: mostly short
// text, sometimes INTEGER (up to the int64 limits), REAL, long text, or
// NULL.
func randomArg(r *rand.Rand) driver.Value {
	switch r.IntN(12) {
	case 0:
		return nil
	case 1:
		return int64(r.Uint64())
	case 2:
		return int64(r.IntN(2000) - 1000)
	case 3:
		return r.NormFloat64() * math.Pow(10, float64(r.IntN(40)-20))
	case 4:
		return "-12345678901234567890.5"
	case 5:
		return []byte(randomSmallText(r))
	case 6:
		return strconv.Itoa(r.IntN(100)) + "." + strconv.Itoa(r.IntN(1000))
	case 7:
		if r.IntN(2) == 0 {
			return "999999999999999999"
		}
		return "-0.999999999999999999"
	}
	if r.IntN(10) == 0 {
		return randomSmallText(r)
	}
	return strconv.Itoa(r.IntN(1200)) + "." + strconv.Itoa(r.IntN(100))
}

// refArg is the decimal path's reading of v.
func refArg(t *testing.T, v driver.Value) (decimal.Decimal, bool) {
	t.Helper()
	switch x := v.(type) {
	case nil:
		return decimal.Decimal{}, false
	case int64:
		return decimal.NewFromInt(x), true
	case float64:
		return decimal.RequireFromString(strconv.FormatFloat(x, 'g', -1, 64)), true
	case string:
		d, ok := parseDecimal(x)
		if !ok {
			t.Fatalf("%q is not a decimal", x)
		}
		return d, true
	case []byte:
		return refArg(t, string(x))
	}
	t.Fatalf("argument %T", v)
	return decimal.Decimal{}, false
}

func TestSumRandom(t *testing.T) {
	r := rand.New(rand.NewPCG(4, 4))
	for range 2000 {
		var a sumAgg
		var window []driver.Value // the rows in the window, oldest first
		var want decimal.Decimal
		n := 0
		for range r.IntN(60) {
			v := randomArg(r)
			op, inverse := a.Step, false
			if len(window) > 0 && r.IntN(3) == 0 {
				v, window = window[0], window[1:]
				op, inverse = a.WindowInverse, true
			} else {
				window = append(window, v)
			}
			if err := op(nil, []driver.Value{v}); err != nil {
				t.Fatal(err)
			}
			if d, ok := refArg(t, v); ok {
				if inverse {
					want, n = want.Sub(d), n-1
				} else {
					want, n = want.Add(d), n+1
				}
			}
			got, err := a.WindowValue(nil)
			if err != nil {
				t.Fatal(err)
			}
			if n == 0 {
				if got != nil {
					t.Fatalf("sum of no values = %v, want NULL", got)
				}
				continue
			}
			if got != canonical(want) {
				t.Fatalf("after %v (inverse %v): sum %v, want %s (%+v)", v, inverse, got, canonical(want), a)
			}
		}
	}
}

// TestSumOverflow walks sums across the int64 limit of the fast path and
// back, and across exponents that force it onto the decimal path.
func TestSumOverflow(t *testing.T) {
	for _, seq := range [][]driver.Value{
		{"999999999999999999", "999999999999999999", "999999999999999999", "999999999999999999",
			"999999999999999999", "999999999999999999", "999999999999999999", "999999999999999999",
			"999999999999999999", "999999999999999999", "-999999999999999999"},
		{int64(math.MaxInt64), int64(1), int64(math.MinInt64), int64(math.MinInt64), int64(-1)},
		{"183.27", "0.000000000000000001", "1e18", "-1e18", "-0.000000000000000001"},
		{"1e1000", "1e-1000", "-1e1000"},
		{"922337203685477580.7", "0.1", "-0.1"},
		{"-922337203685477580.8", "-0.1", "0.1"},
	} {
		var a sumAgg
		want := decimal.Zero
		for _, v := range seq {
			if err := a.Step(nil, []driver.Value{v}); err != nil {
				t.Fatal(err)
			}
			d, _ := refArg(t, v)
			want = want.Add(d)
			if got, _ := a.WindowValue(nil); got != canonical(want) {
				t.Fatalf("%v: sum %v, want %s", seq, got, canonical(want))
			}
		}
		for _, v := range seq {
			if err := a.WindowInverse(nil, []driver.Value{v}); err != nil {
				t.Fatal(err)
			}
			d, _ := refArg(t, v)
			want = want.Sub(d)
			if got, _ := a.WindowValue(nil); a.n > 0 && got != canonical(want) {
				t.Fatalf("%v: after removing %v, sum %v, want %s", seq, v, got, canonical(want))
			}
		}
	}
}

func TestExtremeRandom(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 5))
	for range 2000 {
		minAgg, maxAgg := extremeAgg{sign: -1}, extremeAgg{sign: 1}
		var lo, hi decimal.Decimal
		n := 0
		for range r.IntN(30) {
			v := randomArg(r)
			for _, a := range []*extremeAgg{&minAgg, &maxAgg} {
				if err := a.Step(nil, []driver.Value{v}); err != nil {
					t.Fatal(err)
				}
			}
			if d, ok := refArg(t, v); ok {
				if n == 0 || d.LessThan(lo) {
					lo = d
				}
				if n == 0 || d.GreaterThan(hi) {
					hi = d
				}
				n++
			}
			gotLo, _ := minAgg.WindowValue(nil)
			gotHi, _ := maxAgg.WindowValue(nil)
			if n == 0 {
				if gotLo != nil || gotHi != nil {
					t.Fatalf("min, max of no values = %v, %v", gotLo, gotHi)
				}
				continue
			}
			if gotLo != canonical(lo) || gotHi != canonical(hi) {
				t.Fatalf("min, max = %v, %v, want %s, %s", gotLo, gotHi, canonical(lo), canonical(hi))
			}
		}
	}
}

// TestErrors: text that is not a decimal is the same error as before.
func TestErrors(t *testing.T) {
	for _, v := range []driver.Value{"abc", "", "1e", []byte("1_0"), math.NaN(), math.Inf(1), true} {
		var a sumAgg
		err := a.Step(nil, []driver.Value{v})
		if err == nil {
			t.Errorf("sum of %#v: no error", v)
		}
		var m extremeAgg
		if err2 := m.Step(nil, []driver.Value{v}); err2 == nil || err2.Error() != err.Error() {
			t.Errorf("max of %#v: %v; sum: %v", v, err2, err)
		}
		if got, _ := a.WindowValue(nil); got != nil {
			t.Errorf("sum of %#v = %v, want NULL", v, got)
		}
	}
	var a sumAgg
	if err := a.Step(nil, []driver.Value{"abc"}); err == nil || err.Error() != `calldash: "abc" is not a decimal number` {
		t.Errorf("error %v", err)
	}
}

// TestNoAllocs: the row path of short numbers does not allocate.
func TestNoAllocs(t *testing.T) {
	if testing.CoverMode() != "" {
		t.Skip("coverage counters")
	}
	args := []driver.Value{"183.27", int64(60), 1234.5, []byte("0.25")}
	var sum sumAgg
	maxAgg := extremeAgg{sign: 1}
	for name, f := range map[string]func(){
		"compare": func() { compareDecimalText("183.27", "60") },
		"sum": func() {
			for i := range args {
				sum.Step(nil, args[i:i+1])
			}
		},
		"max": func() {
			for i := range args {
				maxAgg.Step(nil, args[i:i+1])
			}
		},
		"inverse": func() {
			for i := range args {
				sum.WindowInverse(nil, args[i:i+1])
			}
		},
	} {
		if n := testing.AllocsPerRun(100, f); n != 0 {
			t.Errorf("%s: %v allocations per run", name, n)
		}
	}
}
