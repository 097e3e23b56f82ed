package main

import (
	"bufio"
	"crypto/sha256"
	"fmt"
	"io"
	"slices"
	"strings"
)

// keyHeader is the request header that carries the API key, as in the
// hosted API.
const keyHeader = "X-CEKURA-API-KEY"

// A Scope is the tenant an API key grants: column=value pairs, sorted by
// column, that a source adds to every query as "column = value" (see
// scopedSQL). An unscoped key has the empty Scope and sees every call.
type Scope []ScopeValue

// A ScopeValue is one column of a [Scope] and the value the key grants.
type ScopeValue struct {
	Column string // a plain identifier: a column of the call-log table
	Value  string
}

// String is the canonical text of s, "column=value[,column=value]", the
// form of the keys file and of -calls; "" for an unscoped key.
func (s Scope) String() string {
	parts := make([]string, len(s))
	for i, v := range s {
		parts[i] = v.Column + "=" + v.Value
	}
	return strings.Join(parts, ",")
}

// parseScope reads the canonical text of a scope (see [Scope.String]); the
// columns may come in any order but not twice.
func parseScope(text string) (Scope, error) {
	var s Scope
	for part := range strings.SplitSeq(text, ",") {
		col, val, ok := strings.Cut(part, "=")
		if !ok || !isIdent(col) || val == "" || strings.ContainsAny(val, " \t") {
			return nil, fmt.Errorf("scope %q: want column=value[,column=value], e.g. tenant=acme", text)
		}
		s = append(s, ScopeValue{col, val})
	}
	slices.SortFunc(s, func(a, b ScopeValue) int { return strings.Compare(a.Column, b.Column) })
	for i := 1; i < len(s); i++ {
		if s[i].Column == s[i-1].Column {
			return nil, fmt.Errorf("scope %q: column %s twice", text, s[i].Column)
		}
	}
	return s, nil
}

// isIdent reports whether s is a plain SQL identifier.
func isIdent(s string) bool {
	for i, r := range s {
		if !(r == '_' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || i > 0 && r >= '0' && r <= '9') {
			return false
		}
	}
	return s != ""
}

// A keyring maps the SHA-256 of each API key to the scope it grants:
// looking a key up by its hash takes the same time whatever the key, so
// that response times do not tell how much of a guess was right.
type keyring map[[sha256.Size]byte]Scope

// lookup returns the scope of key, and whether the key is known.
func (k keyring) lookup(key string) (Scope, bool) {
	s, ok := k[sha256.Sum256([]byte(key))]
	return s, ok
}

// add adds key with its scope; a key may be given once.
func (k keyring) add(key string, s Scope) error {
	if key == "" || strings.ContainsAny(key, " \t,") {
		return fmt.Errorf("an API key must be a non-empty word without blanks or commas")
	}
	h := sha256.Sum256([]byte(key))
	if _, dup := k[h]; dup {
		return fmt.Errorf("an API key is given twice") // the key itself stays out of logs
	}
	k[h] = s
	return nil
}

// addEnv adds the unscoped keys of CALLDASH_API_KEYS: comma-separated,
// blanks around them ignored.
func (k keyring) addEnv(value string) error {
	for key := range strings.SplitSeq(value, ",") {
		if key = strings.TrimSpace(key); key == "" {
			continue
		}
		if err := k.add(key, nil); err != nil {
			return fmt.Errorf("CALLDASH_API_KEYS: %w", err)
		}
	}
	return nil
}

// addFile adds the keys of a keys file: one key per line, followed by the
// scope it grants, if any (blanks between them):
//
//	# key           scope
//	k_admin
//	k_acme_3f9a     tenant=acme
//	k_globex_81cc   tenant=globex,region=eu
//
// Blank lines and lines starting with # are ignored.
func (k keyring) addFile(name string, r io.Reader) error {
	sc := bufio.NewScanner(r)
	for n := 1; sc.Scan(); n++ {
		fields := strings.Fields(sc.Text())
		if len(fields) == 0 || strings.HasPrefix(fields[0], "#") {
			continue
		}
		if len(fields) > 2 {
			return fmt.Errorf("%s:%d: want KEY [column=value[,column=value]]", name, n)
		}
		var s Scope
		if len(fields) == 2 {
			var err error
			if s, err = parseScope(fields[1]); err != nil {
				return fmt.Errorf("%s:%d: %w", name, n, err)
			}
		}
		if err := k.add(fields[0], s); err != nil {
			return fmt.Errorf("%s:%d: %w", name, n, err)
		}
	}
	return sc.Err()
}
