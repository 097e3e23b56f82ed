package dialect

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"
)

// slowFoldRegex is foldRegex written from the case tables, rune by rune.
func slowFoldRegex(needle string, m Match) string {
	var b strings.Builder
	if m == MatchPrefix {
		b.WriteString(`\A`)
	}
	for _, r := range needle {
		if r >= utf8.RuneSelf && (unicode.IsLetter(r) || unicode.IsDigit(r)) && unicode.SimpleFold(r) == r {
			b.WriteRune(r)
			continue
		}
		if '0' <= r && r <= '9' {
			b.WriteRune(r)
			continue
		}
		b.WriteByte('[')
		orbit := []rune{r}
		for f := unicode.SimpleFold(r); f != r; f = unicode.SimpleFold(f) {
			orbit = append(orbit, f)
		}
		slices.Sort(orbit)
		for _, o := range orbit {
			if unicode.IsLetter(o) {
				b.WriteRune(o)
			} else {
				fmt.Fprintf(&b, `\x{%x}`, o)
			}
		}
		b.WriteByte(']')
	}
	if m == MatchSuffix {
		b.WriteString(`\z`)
	}
	return b.String()
}

// TestFoldRegex compares foldRegex with the case tables over needles of
// every rune, each twice (the second time from the classes already
// written), and checks that the expression finds the needle's other case
// forms.
func TestFoldRegex(t *testing.T) {
	var all []rune
	for r := rune(0); r <= unicode.MaxRune; r++ {
		if r < 0xD800 || r > 0xDFFF {
			all = append(all, r)
		}
	}
	for lo := 0; lo < len(all); lo += 4096 {
		chunk := string(all[lo:min(lo+4096, len(all))])
		needle := chunk + "x" + chunk
		for _, m := range []Match{MatchContains, MatchPrefix, MatchSuffix} {
			if got, want := foldRegex(needle, m), slowFoldRegex(needle, m); got != want {
				t.Fatalf("foldRegex of the runes from %U (match %d) differs from the case tables' at byte %d", all[lo], m, diffAt(got, want))
			}
		}
	}
	for _, c := range []struct{ needle, text string }{{"Kelvin", "\u212aELVIN"}, {"straße", "STRAẞE"}, {"σς", "ΣΣ"}, {"a.b", "A.B"}} {
		if re := regexp.MustCompile(foldRegex(c.needle, MatchContains)); !re.MatchString("<" + c.text + ">") {
			t.Errorf("foldRegex(%q) = %s does not find %q", c.needle, re, c.text)
		}
	}
	if re := regexp.MustCompile(foldRegex("a.b", MatchContains)); re.MatchString("axb") {
		t.Errorf("foldRegex(%q) = %s finds %q", "a.b", re, "axb")
	}
}

func diffAt(a, b string) int {
	for i := range min(len(a), len(b)) {
		if a[i] != b[i] {
			return i
		}
	}
	return min(len(a), len(b))
}
