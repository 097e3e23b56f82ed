package dialect

import (
	"fmt"
	"math"
	"regexp"
	"strconv"
	"time"
)

// ByName returns the dialect named name: "postgres", "mysql", "sqlite" or "clickhouse".
func ByName(name string) (Dialect, error) {
	switch name {
	case "postgres":
		return Postgres, nil
	case "mysql":
		return MySQL, nil
	case "sqlite":
		return SQLite, nil
	case "clickhouse":
		return ClickHouse, nil
	}
	return nil, fmt.Errorf("unknown SQL dialect %q (known: postgres, mysql, sqlite, clickhouse)", name)
}

// A KeyChecker is a [Dialect] whose JSONPath cannot address every key.
// CheckKey returns an error naming the dialect for such a key (MariaDB's
// JSON paths cannot address keys that start with "-"); the filter compiler
// asks it when the dialect implements it.
type KeyChecker interface {
	CheckKey(key string) error
}

// CheckKey returns the error of d's CheckKey when d is a [KeyChecker].
func CheckKey(d Dialect, key string) error {
	if kc, ok := d.(KeyChecker); ok {
		return kc.CheckKey(key)
	}
	return nil
}

// A TextChecker is a [Dialect] that cannot bind every string. CheckText
// returns an error naming the dialect for such a string (PostgreSQL's text
// cannot hold NUL bytes); the filter compiler asks it for every string value
// when the dialect implements it.
type TextChecker interface {
	CheckText(s string) error
}

// CheckText returns the error of d's CheckText when d is a [TextChecker].
func CheckText(d Dialect, s string) error {
	if tc, ok := d.(TextChecker); ok {
		return tc.CheckText(s)
	}
	return nil
}

// translateRegexCheck only checks that pattern is RE2 (SQLite runs Go's
// regexp itself).
func translateRegexCheck(pattern string) (string, error) {
	if _, err := regexp.Compile(pattern); err != nil {
		return "", err
	}
	return pattern, nil
}

// shiftedFloorDiv floors num / den with an integer division that truncates
// (divOp, e.g. "DIV" or "/"), when den is a positive integer literal: num
// is shifted by a multiple k·den ≥ 2^53 of den, which makes it
// non-negative for every |num| < 2^53, so (num + k·den) divOp den - k
// floors without overflowing a BIGINT. num appears once. ok is false when
// den is not such a literal.
func shiftedFloorDiv(num, den, divOp string) (expr string, ok bool) {
	n, err := strconv.ParseInt(den, 10, 64)
	if err != nil || n <= 0 || n > 1<<53 {
		return "", false
	}
	k := strconv.FormatInt((1<<53+n-1)/n, 10)
	return "((" + num + " + " + k + " * " + den + ") " + divOp + " " + den + " - " + k + ")", true
}

// nanosFloorDiv returns floorDiv(col, unit·10^9) for a column of Unix
// nanoseconds; ok is false when unit·10^9 does not fit an int64.
func nanosFloorDiv(col string, unit int64, floorDiv func(col, den string) string) (string, bool) {
	const ns = int64(time.Second)
	if unit <= 0 || unit > math.MaxInt64/ns {
		return "", false
	}
	return floorDiv(col, strconv.FormatInt(unit*ns, 10)), true
}
