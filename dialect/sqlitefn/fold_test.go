package sqlitefn_test

import (
	"testing"

	"github.com/calldash/calldash/internal/fold"
)

// TestFoldMatch compares calldash_fold_match with the folded comparison
// of package internal/fold, NUL and every orbit of the examples included.
func TestFoldMatch(t *testing.T) {
	db := open(t)
	texts := []string{"", "a", "Straße", "ſKIP", "KELVIN K", "\u212Aelvin", "ΣΑΣ", "σας", "a\x00b", "a\x00", "\x00", "ab", "日本語", "İi", "ǅǆ"}
	needles := []string{"", "a", "A", "s", "SS", "k", "KELVIN", "σ", "ς", "\x00", "a\x00b", "\x00b", "b", "日本", "i", "İ", "ǆ", "Ǆ"}
	for _, text := range texts {
		ft := fold.String(text)
		for _, needle := range needles {
			fn := fold.String(needle)
			for m, want := range []bool{
				contains(ft, fn),
				len(ft) >= len(fn) && ft[:len(fn)] == fn,
				len(ft) >= len(fn) && ft[len(ft)-len(fn):] == fn,
			} {
				got := strings(t, db, "SELECT calldash_fold_match(CAST(? AS BLOB), ?, ?)", text, []byte(needle), m)
				if w := map[bool]string{true: "1", false: "0"}[want]; len(got) != 1 || got[0] != w {
					t.Errorf("calldash_fold_match(%q, %q, %d) = %v, want %s", text, needle, m, got, w)
				}
			}
		}
	}
	if got := strings(t, db, "SELECT calldash_fold_match(NULL, 'a', 0)"); len(got) != 1 || got[0] != "NULL" {
		t.Errorf("NULL text: %v", got)
	}
}

func contains(s, sub string) bool {
	for i := 0; i+len(sub) <= len(s); i++ {
		if s[i:i+len(sub)] == sub {
			return true
		}
	}
	return false
}
