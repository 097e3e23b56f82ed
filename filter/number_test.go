package filter_test

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"github.com/calldash/calldash"
	"github.com/calldash/calldash/filter"
)

// TestMatchNumberOrder compares numbers of every size — coefficients of
// up to 40 digits, exponents up to ±999, both signs, zero — against field
// values of every size, through every ordered operator, and checks the
// matcher against decimal.Cmp: deciding by sign and magnitude first must
// not change an answer.
func TestMatchNumberOrder(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 11))
	num := func() string {
		if r.IntN(10) == 0 {
			return "0"
		}
		digits := 1 + r.IntN(40)
		var b strings.Builder
		if r.IntN(2) == 0 {
			b.WriteByte('-')
		}
		b.WriteByte(byte('1' + r.IntN(9)))
		for range digits - 1 {
			b.WriteByte(byte('0' + r.IntN(10)))
		}
		exp := r.IntN(2000) - 1000
		if r.IntN(3) == 0 {
			exp = r.IntN(40) - 20 // near each other, so that magnitudes tie
		}
		fmt.Fprintf(&b, "e%d", exp)
		return b.String()
	}
	ops := []struct {
		op   string
		want func(c int) bool
	}{
		{"eq", func(c int) bool { return c == 0 }}, {"neq", func(c int) bool { return c != 0 }},
		{"gt", func(c int) bool { return c > 0 }}, {"gte", func(c int) bool { return c >= 0 }},
		{"lt", func(c int) bool { return c < 0 }}, {"lte", func(c int) bool { return c <= 0 }},
	}
	env := filter.Env{Now: time.Date(2025, 11, 5, 0, 0, 0, 0, time.UTC)}
	for range 3000 {
		fv, xv := num(), num()
		if r.IntN(8) == 0 {
			xv = fv // equal numbers of the same spelling
		}
		f, _ := calldash.ParseNumber(fv)
		x, _ := calldash.ParseNumber(xv)
		for _, o := range ops {
			for _, field := range []string{"duration", "metadata.n", "metric_evaluations.value"} {
				m, err := compileLeaf(field, o.op, fv, env)
				if err != nil {
					t.Fatal(err)
				}
				call := calldash.Call{ID: 1, Duration: calldash.Number(x), Metadata: map[string]calldash.Value{"n": calldash.Number(x)},
					MetricEvaluations: []calldash.Evaluation{{ID: 1, MetricID: 12, EvalType: calldash.EvalNumeric, Value: calldash.Number(x)}}}
				if got, want := m.Match(&call), o.want(x.Cmp(f)); got != want {
					t.Fatalf("%s = %s, %s %s %s: got %t, want %t", field, xv, field, o.op, fv, got, want)
				}
			}
		}
		for _, id := range []int64{0, 1, -1, 1 << 62, -(1 << 62)} {
			m, err := compileLeaf("id", "gt", fv, env)
			if err != nil {
				t.Fatal(err)
			}
			call := calldash.Call{ID: id}
			if got, want := m.Match(&call), decimal.NewFromInt(id).Cmp(f) > 0; got != want {
				t.Fatalf("id = %d, id gt %s: got %t, want %t", id, fv, got, want)
			}
		}
	}
}

func compileLeaf(field, op, value string, env filter.Env) (*filter.Matcher, error) {
	n, err := filter.Parse([]byte(leaf(field, op, value)))
	if err != nil {
		return nil, err
	}
	return filter.Compile(filter.Unchecked(n, nil), env)
}

// TestMatchNumberEdges checks the comparisons the sign and magnitude
// shortcuts could get wrong — numbers of thousand-digit magnitude against
// 0, -0, each other in another spelling, and their negatives — through
// every operator, against the order written by hand (x against the filter
// value), and the null and string values that satisfy only neq.
func TestMatchNumberEdges(t *testing.T) {
	for _, c := range []struct {
		x, f string
		cmp  int
	}{
		{"0", "1234567890123456789012e-999", -1},
		{"0", "-1234567890123456789012e-999", 1},
		{"-0", "0", 0}, {"0", "-0", 0}, {"-0", "1e-999", -1}, {"-0", "-1e-999", 1},
		{"1234567890123456789012e-999", "1234567890123456789012e-999", 0},
		{"12345678901234567890120e-1000", "1234567890123456789012e-999", 0},
		{"1234567890123456789013e-999", "1234567890123456789012e-999", 1},
		{"-1e999", "-10e998", 0}, {"-1e999", "-1e998", -1}, {"1e999", "10e998", 0},
		{"1e999", "1234567890123456789012e977", 1}, {"1234567890123456789012e977", "1e999", -1},
		{"-1234567890123456789012e977", "-1e999", 1},
		{"60", "1e999", -1}, {"60", "-1e999", 1}, {"-60", "1e999", -1},
		{"1e-999", "1234567890123456789012e-999", -1},
		{"9999999999999999999", "1e19", -1}, {"10000000000000000000", "1e19", 0},
		{"1e999", "1e999", 0}, {"1e999", "999999999999999999999999e975", 1}, {"1e999", "999999999999999999999999e976", -1},
	} {
		x, ok := calldash.ParseNumber(c.x)
		if !ok {
			t.Fatalf("ParseNumber(%s) failed", c.x)
		}
		want := map[string]bool{"eq": c.cmp == 0, "neq": c.cmp != 0, "gt": c.cmp > 0, "gte": c.cmp >= 0, "lt": c.cmp < 0, "lte": c.cmp <= 0, "in": c.cmp == 0}
		for op, w := range want {
			value := c.f
			if op == "in" {
				value = "[" + c.f + "]"
			}
			for _, field := range []string{"duration", "metadata.n", "metric_evaluations.value"} {
				m, err := compileLeaf(field, op, value, filter.Env{})
				if err != nil {
					t.Fatal(err)
				}
				for _, v := range []calldash.Value{calldash.Number(x), calldash.Null, calldash.String(c.x)} {
					if field == "duration" && v.Kind == calldash.KindString {
						continue
					}
					call := calldash.Call{ID: 1, Duration: v, Metadata: map[string]calldash.Value{"n": v},
						MetricEvaluations: []calldash.Evaluation{{ID: 1, MetricID: 12, EvalType: calldash.EvalNumeric, Value: v}}}
					w := w
					if v.Kind != calldash.KindNumber {
						w = op == "neq"
					}
					if got := m.Match(&call); got != w {
						t.Errorf("%s = %s (%s), %s %s %s: got %t, want %t", field, c.x, v.Kind, field, op, value, got, w)
					}
				}
			}
		}
	}
}
