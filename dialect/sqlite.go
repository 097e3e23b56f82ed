package dialect

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"

	sq "github.com/Masterminds/squirrel"
	"github.com/shopspring/decimal"

	"github.com/calldash/calldash/internal/dec"
)

// SQLite is the SQLite dialect. Its SQL calls the functions and the
// collation that package dialect/sqlitefn registers with
// modernc.org/sqlite (import it for its side effect). Instants are INTEGER
// Unix nanoseconds, numbers canonical decimal TEXT compared with the
// calldash_decimal collation and summed with calldash_sum (exact), strings
// TEXT (BINARY: byte order), metadata TEXT holding JSON; regular
// expressions run Go's regexp (calldash_regexp), so every RE2 pattern is
// exact. It is a [Grouper]: SQLite's GROUP BY sorts every row.
var SQLite Dialect = sqlite{}

type sqlite struct{}

func (sqlite) Name() string                      { return "sqlite" }
func (sqlite) Placeholder() sq.PlaceholderFormat { return sq.Question }

func (sqlite) Quote(ident string) string {
	return `"` + strings.ReplaceAll(ident, `"`, `""`) + `"`
}

func (sqlite) TimePrecision() time.Duration { return time.Nanosecond }

// TimeArg binds Unix nanoseconds (see TimeRange).
func (sqlite) TimeArg(t time.Time) any { return unixNanoArg(t) }

// TimeRange is the range of int64 Unix nanoseconds.
func (sqlite) TimeRange() (first, last time.Time) { return unixNanoRange() }

// EpochSeconds floors the Unix nanoseconds in SQL integers (/ truncates,
// % has the sign of col): no Go callback per row. col appears twice.
func (sqlite) EpochSeconds(col string) string {
	return "(" + col + " / 1000000000 - (" + col + " % 1000000000 < 0))"
}

// EpochFloorDiv floors the Unix nanoseconds divided by unit seconds in
// SQL integers, like EpochSeconds: floor(floor(ns / 10^9) / unit) is
// floor(ns / (unit·10^9)).
func (sqlite) EpochFloorDiv(col string, unit int64) (string, bool) {
	return nanosFloorDiv(col, unit, func(col, den string) string {
		return "(" + col + " / " + den + " - (" + col + " % " + den + " < 0))"
	})
}

// FloorDiv, when den is an integer literal, shifts num by a multiple
// k·den ≥ 2^53 of den so that integer division, which truncates, floors:
// (num + k·den) / den - k, for |num| < 2^53 (no overflow, which SQLite
// would turn into REAL). num appears once. Otherwise calldash_floordiv.
func (sqlite) FloorDiv(num, den string) string {
	if expr, ok := shiftedFloorDiv(num, den, "/"); ok {
		return expr
	}
	return "calldash_floordiv(" + num + ", " + den + ")"
}

func (sqlite) MonthIndex(days string) string { return "calldash_month_index(" + days + ")" }

func (sqlite) CheckNumber(decimal.Decimal) error { return nil }

// NumberArg binds the canonical decimal text, or, when that is long (a
// number of thousand-digit magnitude such as 1e999), the coefficient and
// exponent ("1e999"): the calldash_decimal collation reads both exactly,
// and compares the short form without a pass over a thousand digits per
// row.
func (sqlite) NumberArg(d decimal.Decimal) any {
	if s := dec.String(d); len(s) <= 64 {
		return s
	}
	return d.Coefficient().String() + "e" + strconv.Itoa(int(d.Exponent()))
}

func (sqlite) CompareNumber(expr, op string) string {
	return "(" + expr + ") COLLATE calldash_decimal " + checkOp(op) + " ?"
}

// InNumbers: IN compares in the collation of its left operand.
func (sqlite) InNumbers(expr string, n int) string {
	return "(" + expr + ") COLLATE calldash_decimal IN (" + list("?", n) + ")"
}

func (sqlite) Sum(expr string) string { return "calldash_sum(" + expr + ")" }
func (sqlite) Min(expr string) string { return "calldash_min(" + expr + ")" }
func (sqlite) Max(expr string) string { return "calldash_max(" + expr + ")" }

// GroupCall calls calldash_group_<fn>(limit, kinds, v, keys...), which
// returns the cells as one JSON array of arrays (see package
// dialect/sqlitefn); kinds has bit i set when key i is text. The
// function itself keeps at most limit cells and stops reading at the
// first row of a key past them.
func (sqlite) GroupCall(fn, v string, limit int, keys []GroupKey) string {
	kinds := 0
	for i, k := range keys {
		if k.Text {
			kinds |= 1 << i
		}
	}
	var b strings.Builder
	b.WriteString("calldash_group_" + fn + "(" + strconv.Itoa(max(limit, 0)) + ", " + strconv.Itoa(kinds) + ", " + v)
	for _, k := range keys {
		b.WriteString(", " + k.Expr)
	}
	b.WriteByte(')')
	return b.String()
}

// GroupTable unpacks the array of GroupCall with json_each: element i of
// a cell is column i. Integers and decimal text come back as they are; a
// text key is written in hex (JSON text cannot hold every byte string)
// and decoded with unhex.
func (sqlite) GroupTable(sub string, keys []GroupKey) (from string, cols []string) {
	cols = make([]string, len(keys)+3)
	for i := range cols {
		cols[i] = "calldash_g.value ->> " + strconv.Itoa(i)
		if i < len(keys) && keys[i].Text {
			cols[i] = "CAST(unhex(" + cols[i] + ") AS TEXT)"
		}
	}
	return "json_each((" + sub + ")) AS calldash_g", cols
}

func (sqlite) CompareText(expr, op string) string {
	return "(" + expr + ") COLLATE BINARY " + checkOp(op) + " ?"
}

// FoldMatch calls calldash_fold_match(text, needle, m) of dialect/sqlitefn:
// the in-memory comparison in Go, one call whatever the needle (SQLite's
// LIKE would stop at a NUL of the pattern, and nested replace calls hit
// its recursion limit). Text and needle go in as BLOBs: the driver hands
// a function TEXT only up to its first NUL.
func (sqlite) FoldMatch(expr, needle string, m Match) (string, []any) {
	return "calldash_fold_match(CAST((" + expr + ") AS BLOB), ?, ?)", []any{[]byte(needle), int64(m)}
}

// Regex calls calldash_regexp(text, pattern): Go's regexp, exact. Text
// and pattern go in as BLOBs, as in FoldMatch, so that a NUL does not end
// them.
func (sqlite) Regex(expr, pattern string) (string, any, error) {
	if _, err := translateRegexCheck(pattern); err != nil {
		return "", nil, regexError(pattern, "sqlite", err)
	}
	return "calldash_regexp(CAST((" + expr + ") AS BLOB), ?)", []byte(pattern), nil
}

func (sqlite) BoolArg(b bool) any {
	if b {
		return int64(1)
	}
	return int64(0)
}

// CheckKey accepts every key (see JSONPath).
func (sqlite) CheckKey(string) error { return nil }

// JSONPath is `$."key"` with the double quote, the backslash and control
// characters written as JSON escapes (\u0022, \u005c, \u0000…), which
// SQLite decodes when it compares a quoted label holding a backslash with
// the object's keys (a raw NUL would end the path).
func (sqlite) JSONPath(key string) any {
	var b strings.Builder
	b.WriteString(`$."`)
	for _, r := range key {
		switch {
		case r == '"' || r == '\\' || r < 0x20:
			fmt.Fprintf(&b, `\u%04x`, r)
		default:
			b.WriteRune(r)
		}
	}
	b.WriteString(`"`)
	return b.String()
}

func (sqlite) JSONKind(col string) string {
	return "(CASE json_type(" + col + ", ?) WHEN 'integer' THEN 'number' WHEN 'real' THEN 'number' " +
		"WHEN 'text' THEN 'string' WHEN 'true' THEN 'boolean' WHEN 'false' THEN 'boolean' END)"
}

// JSONText reads the JSON text of the node once (->) and unquotes a string.
func (sqlite) JSONText(col string) string {
	return "(SELECT CASE WHEN substr(calldash_j.j, 1, 1) = '\"' THEN calldash_j.j ->> '$' ELSE calldash_j.j END " +
		"FROM (SELECT " + col + " -> ? AS j) AS calldash_j)"
}

// JSONNumber is the JSON text of a number node (exact, unlike ->> and
// json_extract, which return REAL), NULL for anything else.
func (sqlite) JSONNumber(col string) string {
	return "(SELECT CASE WHEN json_type(calldash_j.j) IN ('integer', 'real') THEN calldash_j.j END " +
		"FROM (SELECT " + col + " -> ? AS j) AS calldash_j)"
}

func (sqlite) IntDiv(num, den string) string { return "((" + num + ") / (" + den + "))" }

// ColumnType: INTEGER ids, INTEGER Unix nanoseconds, canonical decimal
// TEXT in the calldash_decimal collation, INTEGER 0/1, TEXT, JSON TEXT.
func (sqlite) ColumnType(kind ColumnKind, _ string) string {
	return [...]string{ColumnKey: "INTEGER PRIMARY KEY", ColumnRef: "INTEGER NOT NULL", ColumnInt: "INTEGER",
		ColumnTime: "INTEGER NOT NULL", ColumnNumber: "TEXT COLLATE calldash_decimal", ColumnBool: "INTEGER",
		ColumnText: "TEXT", ColumnJSON: "TEXT"}[kind]
}

func (sqlite) TableOptions() string { return "" }

func (sqlite) OrderText(expr string) string   { return "(" + expr + ") COLLATE BINARY" }
func (sqlite) OrderNumber(expr string) string { return "(" + expr + ") COLLATE calldash_decimal" }
func (sqlite) IntText(expr string) string     { return "CAST(" + expr + " AS TEXT)" }

// ScanTime takes the INTEGER Unix nanoseconds.
func (sqlite) ScanTime(src any) (time.Time, error) {
	if n, ok := src.(int64); ok {
		return time.Unix(0, n).UTC(), nil
	}
	return time.Time{}, fmt.Errorf("sqlite: want INTEGER Unix nanoseconds for a timestamp, got %T", src)
}

// translateRegexCheck only checks that pattern is RE2 (SQLite runs Go's
// regexp itself).
func translateRegexCheck(pattern string) (string, error) {
	if _, err := regexp.Compile(pattern); err != nil {
		return "", err
	}
	return pattern, nil
}

func (sqlite) JSONDocument(col string) string { return col }

func (sqlite) JSONScalar(col string) string {
	return "('{\"" + ScalarKey + "\":' || " + col + " || '}')"
}

// CanonicalNumber: calldash_number (dialect/sqlitefn) rewrites the JSON
// text of a number as canonical decimal text, which both groups and reads
// as the label.
func (sqlite) CanonicalNumber(num string) (number, label string) {
	n := "calldash_number(" + num + ")"
	return n, n
}

// IndexInSchema: SQLite names an attached database on the index.
func (sqlite) IndexInSchema() {}

func (sqlite) TransactionalDDL() {}

// TablesQuery lists the tables of the main database.
func (sqlite) TablesQuery() string { return "SELECT name FROM sqlite_master WHERE type = 'table'" }
