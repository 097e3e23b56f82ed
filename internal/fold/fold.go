// Package fold is calldash's one case folding: Unicode simple case
// folding, the relation of [strings.EqualFold], under which two runes are
// equal ignoring case when they lie in the same orbit of
// [unicode.SimpleFold] ("K", "k" and U+212A KELVIN SIGN; "ſ", "s" and
// "S"; "Σ", "σ" and "ς"); full foldings that change the number of runes
// ("ß" vs "ss") do not apply.
//
// Every rune maps to one representative of its orbit ([Rune]): the
// in-memory matcher compares representatives, and the SQL compiler maps
// a column's runes to them and compares with the representative form of
// the needle, so both decide exactly alike.
package fold

import (
	"slices"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"
)

// Rune returns the representative of r's simple folding orbit: the
// lower-case member, ToLower(ToUpper(r)) when that lies in the orbit ("ſ",
// "S" → "s"; "ς", "Σ" → "σ"; U+0345, "ι", U+1FBE → "ι"; KELVIN SIGN → "k";
// "ẞ" → "ß"), otherwise ToLower(r), otherwise r itself ("İ" and "ı" are
// orbits of their own). ASCII letters fold to lower case.
func Rune(r rune) rune {
	if r < utf8.RuneSelf {
		if 'A' <= r && r <= 'Z' {
			r += 'a' - 'A'
		}
		return r
	}
	if e := tables().lookup(r); e.orbit != 0 {
		return e.rep
	}
	return r
}

// OrbitIndex returns a number of r's orbit, the same for every member,
// below [Orbits]; ok is false for a rune without other case forms.
func OrbitIndex(r rune) (i int, ok bool) {
	e := tables().lookup(r)
	return int(e.orbit) - 1, e.orbit != 0
}

// Orbits returns the number of orbits with more than one member.
func Orbits() int { return len(tables().orbits) }

// A table holds, for every rune with other case forms (each rune of
// unicode.CaseRanges that SimpleFold moves; no other rune has one), its
// representative and its sorted orbit, in pages of 256 runes: a look-up
// is two indexings, where the case tables take binary searches and a map
// a hash, which dominated compiling a long case-insensitive needle to SQL.
type table struct {
	pages  []*[pageSize]entry // by r/pageSize; nil for a page without cased runes
	orbits [][]rune           // sorted; shared by their members, never changed
}

const pageSize = 256

// An entry is a rune's representative and its orbit's index + 1 (0: the
// rune has no other case forms).
type entry struct {
	rep   rune
	orbit uint16
}

func (t *table) lookup(r rune) entry {
	if p := int(r) / pageSize; r >= 0 && p < len(t.pages) && t.pages[p] != nil {
		return t.pages[p][int(r)%pageSize]
	}
	return entry{}
}

// tables is built once and never changed.
var tables = sync.OnceValue(func() *table {
	t := &table{}
	for _, cr := range unicode.CaseRanges {
		for r := rune(cr.Lo); r <= rune(cr.Hi); r++ {
			if unicode.SimpleFold(r) == r || t.lookup(r).orbit != 0 {
				continue
			}
			o := slowOrbit(r)
			t.orbits = append(t.orbits, o)
			for _, m := range o {
				p := int(m) / pageSize
				for len(t.pages) <= p {
					t.pages = append(t.pages, nil)
				}
				if t.pages[p] == nil {
					t.pages[p] = new([pageSize]entry)
				}
				t.pages[p][int(m)%pageSize] = entry{representative(m), uint16(len(t.orbits))}
			}
		}
	}
	return t
})

// representative is Rune computed from the case tables.
func representative(r rune) rune {
	if unicode.SimpleFold(r) == r {
		return r
	}
	if l := unicode.ToLower(unicode.ToUpper(r)); inOrbit(r, l) {
		return l
	}
	if l := unicode.ToLower(r); inOrbit(r, l) {
		return l
	}
	return r
}

// String returns s with every rune replaced by its representative. Two
// strings of equal length in runes are equal ignoring case exactly when
// their folds are equal.
func String(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		b.WriteRune(Rune(r))
	}
	return b.String()
}

// Runes returns the representatives of the runes of s.
func Runes(s string) []rune {
	f := make([]rune, 0, len(s))
	for _, r := range s {
		f = append(f, Rune(r))
	}
	return f
}

// inOrbit reports whether x is in r's simple folding orbit.
func inOrbit(r, x rune) bool {
	if x == r {
		return true
	}
	for f := unicode.SimpleFold(r); f != r; f = unicode.SimpleFold(f) {
		if f == x {
			return true
		}
	}
	return false
}

// Orbit returns r's simple folding orbit, sorted.
func Orbit(r rune) []rune { return AppendOrbit(nil, r) }

// AppendOrbit appends r's simple folding orbit, sorted, to dst and
// returns the extended slice.
func AppendOrbit(dst []rune, r rune) []rune {
	t := tables()
	if e := t.lookup(r); e.orbit != 0 {
		return append(dst, t.orbits[e.orbit-1]...)
	}
	return append(dst, r)
}

// slowOrbit is Orbit computed from the case tables.
func slowOrbit(r rune) []rune {
	o := []rune{r}
	for f := unicode.SimpleFold(r); f != r; f = unicode.SimpleFold(f) {
		o = append(o, f)
	}
	slices.Sort(o)
	return o
}

// Pairs returns the replacements that fold a text for a comparison with
// String(needle): for every orbit of a rune of needle, each member that is
// not the orbit's representative, paired with the representative (e.g.
// "S" → "s" and "ſ" → "s" for a needle with an "s"). Sorted by the
// representative, then the member.
//
// Replacing them in a text t (in any order) gives a t' in which the runes
// of the needle's orbits are their representatives and every other rune
// is unchanged, so that String(needle) occurs in t' at a rune position
// exactly when the needle occurs in t there ignoring case: a rune outside
// the needle's orbits can never equal a representative of them.
func Pairs(needle string) [][2]string {
	seen := map[rune]bool{}
	var pairs [][2]string
	for _, r := range needle {
		rep := Rune(r)
		if seen[rep] {
			continue
		}
		seen[rep] = true
		for _, m := range Orbit(r) {
			if m != rep {
				pairs = append(pairs, [2]string{string(m), string(rep)})
			}
		}
	}
	slices.SortFunc(pairs, func(a, b [2]string) int {
		if c := strings.Compare(a[1], b[1]); c != 0 {
			return c
		}
		return strings.Compare(a[0], b[0])
	})
	return pairs
}
