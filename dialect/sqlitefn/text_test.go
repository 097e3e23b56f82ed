package sqlitefn

import (
	"math/rand/v2"
	"strconv"
	"strings"
	"testing"
)

// TestCompareBig compares long texts — up to 1,000 digits, exponents up
// to ±10,000, values of one magnitude with different digits, the same
// value written twice — through the collation and through
// shopspring/decimal.
func TestCompareBig(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 8))
	text := func() string {
		var b strings.Builder
		switch r.IntN(4) {
		case 0:
			b.WriteByte('-')
		case 1:
			b.WriteByte('+')
		}
		for range r.IntN(3) {
			b.WriteByte('0')
		}
		n := 1 + r.IntN(60)
		if r.IntN(8) == 0 {
			n = 1 + r.IntN(1000)
		}
		point := -1
		if r.IntN(2) == 0 {
			point = r.IntN(n + 1)
		}
		for i := range n {
			if i == point {
				b.WriteByte('.')
			}
			if r.IntN(3) == 0 {
				b.WriteByte('0')
			} else {
				b.WriteByte(byte('0' + r.IntN(10)))
			}
		}
		if point == n {
			b.WriteByte('.')
		}
		if r.IntN(3) > 0 {
			b.WriteByte("eE"[r.IntN(2)])
			e := r.IntN(2100) - 1050
			if r.IntN(10) == 0 {
				e = r.IntN(20200) - 10100 // around MaxDecodeExponent
			}
			if e >= 0 && r.IntN(2) == 0 {
				b.WriteByte('+')
			}
			if e < 0 {
				b.WriteByte('-')
			}
			b.WriteString(strings.Repeat("0", r.IntN(2)) + strconv.Itoa(abs(e)))
		}
		return b.String()
	}
	// One value in several notations: digits D with the leading digit
	// standing for 10^m, as plain text, as d.ddd·10^m and as 0.ddd·10^(m+1).
	notations := func(d string, m int) []string {
		plain := ""
		switch {
		case m >= len(d)-1:
			plain = d + strings.Repeat("0", m-len(d)+1)
		case m >= 0:
			plain = d[:m+1] + "." + d[m+1:]
		default:
			plain = "0." + strings.Repeat("0", -m-1) + d
		}
		return []string{plain, d[:1] + "." + d[1:] + "e" + strconv.Itoa(m), "0." + d + "E" + strconv.Itoa(m+1), d + "e" + strconv.Itoa(m-len(d)+1)}
	}
	for range 20_000 {
		d := strconv.Itoa(1 + r.IntN(9))
		for range r.IntN(30) {
			d += strconv.Itoa(r.IntN(10))
		}
		m := r.IntN(60) - 30
		d2, m2 := d, m
		switch r.IntN(3) {
		case 0:
			m2 += 1 - 2*r.IntN(2)
		case 1:
			k := r.IntN(len(d))
			d2 = d[:k] + strconv.Itoa((int(d[k]-'0')+1+r.IntN(8))%10) + d[k+1:]
			if d2[0] == '0' {
				d2 = d
			}
		}
		for _, a := range notations(d, m) {
			for _, b := range notations(d2, m2) {
				checkCompare(t, a, b)
				checkCompare(t, "-"+a, "-"+b)
			}
		}
	}
	for range 40_000 {
		a, b := text(), text()
		switch r.IntN(4) {
		case 0: // the same value, with more zeros
			if i := strings.IndexAny(a, "eE"); i > 0 && strings.Contains(a[:i], ".") {
				b = a[:i] + "000" + a[i:]
			} else if i < 0 && strings.Contains(a, ".") {
				b = a + "00"
			}
		case 1: // the same leading digits
			if len(a) > 4 {
				k := len(a) / 2
				b = a[:k] + string(rune('0'+r.IntN(10))) + a[k+1:]
			}
		}
		checkCompare(t, a, b)
		checkCompare(t, b, a)
	}
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}
