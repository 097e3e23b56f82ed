package fold

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"
)

// TestRuneEqualFold checks Rune against strings.EqualFold over every rune:
// each rune folds to a member of its orbit that every member shares.
func TestRuneEqualFold(t *testing.T) {
	for r := rune(0); r <= unicode.MaxRune; r++ {
		if !utf8.ValidRune(r) {
			continue
		}
		f := Rune(r)
		if !strings.EqualFold(string(r), string(f)) {
			t.Fatalf("Rune(%U) = %U, not equal under simple folding", r, f)
		}
		for o := unicode.SimpleFold(r); o != r; o = unicode.SimpleFold(o) {
			if Rune(o) != f {
				t.Fatalf("Rune(%U) = %U but Rune(%U) = %U", r, f, o, Rune(o))
			}
		}
	}
}

// TestRuneTable checks the table behind Rune against the case tables for
// every rune.
func TestRuneTable(t *testing.T) {
	for r := rune(0); r <= unicode.MaxRune; r++ {
		if got, want := Rune(r), representative(r); r >= utf8.RuneSelf && got != want {
			t.Fatalf("Rune(%U) = %U, the case tables give %U", r, got, want)
		}
		if got, want := Orbit(r), slowOrbit(r); !slices.Equal(got, want) {
			t.Fatalf("Orbit(%U) = %U, the case tables give %U", r, got, want)
		}
	}
}

// TestOrbitIndex: the members of an orbit share one index below Orbits,
// distinct orbits have distinct ones, and a rune without other case
// forms has none.
func TestOrbitIndex(t *testing.T) {
	first := make([]rune, Orbits()) // the least member of each index
	for i := range first {
		first[i] = -1
	}
	for r := rune(0); r <= unicode.MaxRune; r++ {
		i, ok := OrbitIndex(r)
		if o := slowOrbit(r); ok != (len(o) > 1) {
			t.Fatalf("OrbitIndex(%U) = %d, %v for the orbit %U", r, i, ok, o)
		} else if !ok {
			continue
		} else if i < 0 || i >= len(first) {
			t.Fatalf("OrbitIndex(%U) = %d, Orbits() = %d", r, i, len(first))
		} else if first[i] < 0 {
			first[i] = o[0]
		} else if first[i] != o[0] {
			t.Fatalf("OrbitIndex(%U) = %d, also the index of the orbit of %U", r, i, first[i])
		}
	}
	for i, r := range first {
		if r < 0 {
			t.Errorf("index %d is no orbit's", i)
		}
	}
}

// TestFoldOrbits checks Fold against unicode.SimpleFold for every rune:
// the fold of a rune is a member of its orbit, the same for the whole
// orbit, and lower case where the orbit has a lower-case member that
// upper-cases back into it. It also prints the table of special runes
// (fold differs from unicode.ToLower), which the package doc summarizes.
func TestFoldOrbits(t *testing.T) {
	var special []string
	for r := rune(0); r <= unicode.MaxRune; r++ {
		if r >= 0xD800 && r <= 0xDFFF {
			continue
		}
		f := []rune(String(string(r)))
		if len(f) != 1 {
			t.Fatalf("Fold(%U) has %d runes", r, len(f))
		}
		o := Orbit(r)
		in := false
		for _, m := range o {
			if m == f[0] {
				in = true
			}
			if g := String(string(m)); g != string(f) {
				t.Errorf("Fold(%U) = %q, Fold(%U) = %q: one orbit, two folds", r, string(f), m, g)
			}
		}
		if !in {
			t.Errorf("Fold(%U) = %U is outside the orbit %U", r, f[0], o)
		}
		if f[0] != unicode.ToLower(r) {
			special = append(special, fmt.Sprintf("%U %c→%c", r, r, f[0]))
		}
	}
	t.Logf("%d runes fold differently from unicode.ToLower: %s", len(special), strings.Join(special, ", "))
	for _, want := range []string{"ſ→s", "ς→σ", "ϐ→β", "ϑ→θ", "ϕ→φ", "ϖ→π", "ϰ→κ", "ϱ→ρ", "ϵ→ε", "U+0345 ͅ→ι", "U+1FBE", "ẛ→ṡ"} {
		if !strings.Contains(strings.Join(special, " "), want) {
			t.Errorf("special table lacks %s", want)
		}
	}
	for in, want := range map[string]string{"K": "k", "Å": "å", "ẞ": "ß", "İ": "İ", "ı": "ı", "ǅ": "ǆ", "STRASSE": "strasse"} {
		if got := String(in); got != want {
			t.Errorf("Fold(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestFoldPairs checks that replacing FoldPairs(needle) in a text is the
// simple folding of the runes of needle's orbits, and nothing else.
func TestFoldPairs(t *testing.T) {
	texts := []string{"Straße ſKIP Kelvin", "ΣΊΣΥΦΟΣ σίσυφος ς", "İstanbul ıi I", "ǅǄǆ", "plain 123 %_!"}
	needles := []string{"s", "k", "σίσυφοσ", "i", "ǆ", "kelvin", "straße", "%_!", ""}
	for _, text := range texts {
		for _, needle := range needles {
			folded := text
			for _, p := range Pairs(needle) {
				folded = strings.ReplaceAll(folded, p[0], p[1])
			}
			want := needle == "" || containsFold(text, needle)
			got := strings.Contains(folded, String(needle))
			if got != want {
				t.Errorf("text %q needle %q: folded %q contains %q = %v, want %v", text, needle, folded, String(needle), got, want)
			}
		}
	}
}

// containsFold is contains by simple folding, rune by rune.
func containsFold(s, sub string) bool {
	rs, rsub := []rune(s), []rune(sub)
	for i := 0; i+len(rsub) <= len(rs); i++ {
		if strings.EqualFold(string(rs[i:i+len(rsub)]), sub) {
			return true
		}
	}
	return false
}
