package sqlitefn

import (
	"database/sql/driver"
	"fmt"
	"unicode/utf8"

	"modernc.org/sqlite"

	"github.com/calldash/calldash/dialect"
	"github.com/calldash/calldash/internal/fold"
)

// foldMatchFunc is calldash_fold_match(text, needle, m): 1 when text
// contains needle ignoring case (m = dialect.MatchContains), starts with
// it (MatchPrefix) or ends with it (MatchSuffix), comparing runes by
// their simple-folding representative as the in-memory matcher does; 0
// otherwise; NULL when text is NULL. Text and needle may hold NUL.
func foldMatchFunc(_ *sqlite.FunctionContext, args []driver.Value) (driver.Value, error) {
	text, ok := textArg(args[0])
	if !ok {
		return nil, nil // NULL, or not a string: no match (like memory)
	}
	needle, ok := textArg(args[1])
	if !ok {
		return nil, fmt.Errorf("calldash_fold_match: the needle must be text")
	}
	m, ok, err := intArg(args[2])
	if err != nil || !ok {
		return nil, fmt.Errorf("calldash_fold_match: the mode must be an integer")
	}
	var found bool
	switch dialect.Match(m) {
	case dialect.MatchPrefix:
		found, _ = foldPrefix(text, needle)
	case dialect.MatchSuffix:
		found = foldSuffix(text, needle)
	default:
		found = foldContains(text, needle)
	}
	if found {
		return int64(1), nil
	}
	return int64(0), nil
}

// foldPrefix reports whether text starts with needle ignoring case; ok is
// false, too, when text ends before needle does (so that no later start
// can match either).
func foldPrefix(text, needle string) (found, more bool) {
	i := 0
	for _, n := range needle {
		if i >= len(text) {
			return false, false
		}
		r, size := utf8.DecodeRuneInString(text[i:])
		if fold.Rune(r) != fold.Rune(n) {
			return false, true
		}
		i += size
	}
	return true, true
}

// foldSuffix reports whether text ends with needle ignoring case.
func foldSuffix(text, needle string) bool {
	j := len(text)
	for k := len(needle); k > 0; {
		n, nsize := utf8.DecodeLastRuneInString(needle[:k])
		if j == 0 {
			return false
		}
		r, size := utf8.DecodeLastRuneInString(text[:j])
		if fold.Rune(r) != fold.Rune(n) {
			return false
		}
		j -= size
		k -= nsize
	}
	return true
}

// foldContains reports whether text contains needle ignoring case at a
// rune boundary.
func foldContains(text, needle string) bool {
	for i := 0; ; {
		found, more := foldPrefix(text[i:], needle)
		if found {
			return true
		}
		if !more || i >= len(text) {
			return false
		}
		_, size := utf8.DecodeRuneInString(text[i:])
		i += size
	}
}
