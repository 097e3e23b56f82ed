package calldash

import (
	"encoding/json"
	"math/big"
	mrand "math/rand"
	"math/rand/v2"
	"testing"
	"time"
	_ "time/tzdata"

	"github.com/shopspring/decimal"
)

func TestAppendDecimal(t *testing.T) {
	tests := []struct{ in, want string }{
		{"4.5000", "4.5"},
		{"60", "60"},
		{"60.0", "60"},
		{"1E+3", "1000"},
		{"1e3", "1000"},
		{"-0.50", "-0.5"},
		{"0.000", "0"},
		{"-0.000", "0"},
		{"0", "0"},
		{"0.001", "0.001"},
		{"-0.001", "-0.001"},
		{"123.456", "123.456"},
		{"1e30", "1000000000000000000000000000000"},
		{"1e-30", "0.000000000000000000000000000001"},
		{"-12345678901234567890.12345678901234567890", "-12345678901234567890.1234567890123456789"},
		{"100.100", "100.1"},
		{"0.1", "0.1"},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			if got := FormatDecimal(decimal.RequireFromString(tc.in)); got != tc.want {
				t.Errorf("FormatDecimal(%s) = %s, want %s", tc.in, got, tc.want)
			}
		})
	}
	if got := FormatDecimal(decimal.Decimal{}); got != "0" {
		t.Errorf("zero Decimal = %s", got)
	}
	if got := FormatDecimal(decimal.New(-25, 2)); got != "-2500" {
		t.Errorf("-25e2 = %s", got)
	}
}

func TestValueAppendJSON(t *testing.T) {
	ny, _ := time.LoadLocation("America/New_York")
	kolkata, _ := time.LoadLocation("Asia/Kolkata")
	at := time.Date(2025, 11, 3, 10, 30, 0, 0, time.UTC)
	tests := []struct {
		name string
		v    Value
		want string
	}{
		{"null", Null, `null`},
		{"number", Number(decimal.RequireFromString("4.50")), `4.5`},
		{"int", Int(-7), `-7`},
		{"bool", Bool(false), `false`},
		{"time utc", Time(at), `"2025-11-03T10:30:00Z"`},
		{"time ny", Time(at.In(ny)), `"2025-11-03T05:30:00-05:00"`},
		{"time kolkata", Time(at.In(kolkata)), `"2025-11-03T16:00:00+05:30"`},
		{"time fraction", Time(at.Add(120 * time.Millisecond)), `"2025-11-03T10:30:00.12Z"`},
		{"time fixed zero offset", Time(at.In(time.FixedZone("X", 0))), `"2025-11-03T10:30:00Z"`},
		{"string no html escape", String(`a<b>&"c"`), `"a<b>&\"c\""`},
		{"list", Value{Kind: KindList, List: []Value{Int(1), String("a")}}, `[1,"a"]`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			// AppendJSON writes no HTML escapes; json.Marshal adds them
			// (same JSON value).
			if got := string(tc.v.AppendJSON(nil)); got != tc.want {
				t.Errorf("got %s, want %s", got, tc.want)
			}
			got, err := json.Marshal(tc.v)
			if err != nil {
				t.Fatal(err)
			}
			var back any
			if err := json.Unmarshal(got, &back); err != nil {
				t.Fatalf("invalid JSON %s: %v", got, err)
			}
		})
	}
	if !Number(decimal.RequireFromString("1.0")).Equal(Number(decimal.RequireFromString("1"))) || Number(decimal.RequireFromString("1")).Equal(Int(2)) || Null.Equal(Bool(false)) {
		t.Error("Value.Equal")
	}
}

// TestAppendDecimalRandom compares AppendDecimal with shopspring's own
// plain text over random coefficients on both sides of the int64 fast
// path (18 digits, 2^63) and exponents from -40 to 40.
func TestAppendDecimalRandom(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	edges := []string{"999999999999999999", "1000000000000000000", "9223372036854775807", "9223372036854775808", "123456789012345678901234567890"}
	for i := range 20000 {
		var coef *big.Int
		switch {
		case i < 2*len(edges):
			coef, _ = new(big.Int).SetString(edges[i/2], 10)
			if i%2 == 1 {
				coef.Neg(coef)
			}
		case i%3 == 0:
			coef = new(big.Int).Rand(r2(r), new(big.Int).Exp(big.NewInt(10), big.NewInt(30), nil))
		default:
			coef = big.NewInt(r.Int64N(1 << 62))
		}
		if i%2 == 1 && i >= 2*len(edges) {
			coef.Neg(coef)
		}
		d := decimal.NewFromBigInt(coef, int32(r.IntN(81)-40))
		if got, want := FormatDecimal(d), d.String(); got != want {
			t.Fatalf("FormatDecimal(%s × 10^%d) = %s, want %s", coef, d.Exponent(), got, want)
		}
	}
}

// r2 is a math/rand source over r, for big.Int.Rand.
func r2(r *rand.Rand) *mrand.Rand { return mrand.New(mrand.NewSource(r.Int64())) }
