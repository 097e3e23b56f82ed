package dialect_test

import (
	"fmt"
	"math/rand/v2"
	"regexp"
	"strings"
	"testing"

	"github.com/shopspring/decimal"

	"github.com/calldash/calldash/dialect"
)

// TestMySQLInexactPattern: the pattern with which MariaDB's JSONNumber
// turns a JSON number that DECIMAL(65,30) would round into an out-of-range
// one matches every JSON text with a non-zero digit beyond the 30th
// fractional place, and no text without an exponent that fits (one with
// an exponent may be refused though it fits). Go's regexp reads the pattern as PCRE2 does (it uses only
// classes, counted repetition and alternation).
func TestMySQLInexactPattern(t *testing.T) {
	expr := dialect.MySQL.JSONNumber("c")
	i, j := strings.Index(expr, "?), '"), strings.Index(expr, "', '1e99')")
	if i < 0 || j < i {
		t.Fatalf("no pattern in %s", expr)
	}
	pat := expr[i+len("?), '") : j]
	if strings.ContainsAny(pat, "?'") {
		t.Fatalf("pattern holds a placeholder or a quote: %s", pat)
	}
	re := regexp.MustCompile(pat)
	check := func(text string) {
		t.Helper()
		d := decimal.RequireFromString(text)
		inexact := d.Exponent() < -30 && !d.Equal(d.Truncate(30))
		switch got := re.MatchString(text); {
		case inexact && !got:
			t.Errorf("%s (= %s) rounds in DECIMAL(65,30); the pattern does not match it", text, d)
		case !inexact && got && !strings.ContainsAny(text, "eE"):
			t.Errorf("%s (= %s) fits DECIMAL(65,30); the pattern matches it", text, d)
		}
	}
	for _, text := range []string{"5", "5.0", "5e0", "-0.0", "2E+2", "10.270", "1e40", "1e-31", "1e-30", "1.5e-29", "15e-31", "10e-31",
		"0.0000000000000000000000000000001", "0.000000000000000000000000000001", "0.1234567890123456789012345678901",
		"5.000000000000000000000000000000000000000", "1234567890123456789012345678901234567.5", "1e-0031", "1.0E-030", "-3.25e-28"} {
		check(text)
	}
	r := rand.New(rand.NewPCG(1, 2))
	digits := func(n int) string {
		b := make([]byte, n)
		for i := range b {
			b[i] = byte('0' + r.IntN(10))
			if r.IntN(3) == 0 {
				b[i] = '0'
			}
		}
		return string(b)
	}
	for range 20000 {
		text := digits(1 + r.IntN(5))
		if r.IntN(2) == 0 {
			text += "." + digits(1+r.IntN(40))
		}
		if r.IntN(2) == 0 {
			text += []string{"e", "E", "e-", "E-", "e+", "e-0"}[r.IntN(6)] + fmt.Sprint(r.IntN(45))
		}
		if r.IntN(4) == 0 {
			text = "-" + text
		}
		check(text)
	}
}
