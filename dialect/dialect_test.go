package dialect_test

import (
	"context"
	"database/sql"
	"fmt"
	"math"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"github.com/calldash/calldash/dialect"
	"github.com/calldash/calldash/internal/jsonx"
	"github.com/calldash/calldash/sqlstore/sqltest"
)

func TestByName(t *testing.T) {
	for _, name := range []string{"postgres", "mysql", "sqlite"} {
		d, err := dialect.ByName(name)
		if err != nil || d.Name() != name {
			t.Errorf("ByName(%q) = %v, %v", name, d, err)
		}
	}
	if _, err := dialect.ByName("oracle"); err == nil {
		t.Error("ByName(oracle) succeeded")
	}
}

// TestCheckNumber checks MariaDB's DECIMAL(65,30) bounds.
func TestCheckNumber(t *testing.T) {
	for s, ok := range map[string]bool{
		"12345678901234567890123456789012345":    true,
		"123456789012345678901234567890123456":   false,
		"0.123456789012345678901234567890":       true,
		"0.1234567890123456789012345678901":      false,
		"-99999999999999999999999999999999999.5": true,
		"1e34":                                   true, "1e35": false, "1.000e-30": true, "1e-31": false,
	} {
		err := dialect.MySQL.CheckNumber(decimal.RequireFromString(s))
		if (err == nil) != ok {
			t.Errorf("CheckNumber(%s) = %v, want ok %v", s, err, ok)
		}
	}
}

// query runs one SELECT of expressions and scans them as strings.
func query(t *testing.T, db *sql.DB, d dialect.Dialect, exprs string, args ...any) []sql.NullString {
	t.Helper()
	text, err := d.Placeholder().ReplacePlaceholders("SELECT " + exprs)
	if err != nil {
		t.Fatal(err)
	}
	rows, err := db.QueryContext(context.Background(), text, args...)
	if err != nil {
		t.Fatalf("%s %v: %v", text, args, err)
	}
	defer rows.Close()
	cols, _ := rows.Columns()
	out := make([]sql.NullString, len(cols))
	ptrs := make([]any, len(cols))
	for i := range out {
		ptrs[i] = &out[i]
	}
	if !rows.Next() {
		t.Fatalf("%s: no row", text)
	}
	if err := rows.Scan(ptrs...); err != nil {
		t.Fatalf("%s: %v", text, err)
	}
	return out
}

// jsonLiteral is the SQL of a JSON document bound as an argument.
func jsonLiteral(d dialect.Dialect) string {
	if d.Name() == "postgres" {
		return "CAST(? AS JSONB)"
	}
	return "?"
}

// TestJSON checks the JSON fragments on each database: kinds, exact
// number text, string text, and keys that need escaping in paths.
func TestJSON(t *testing.T) {
	keys := []string{"plain", `we"ird`, `back\slash`, "it's", "$1", "?", "a b", "x[0]", "-- c", "/*", "é", "nul\x00", "tab\t", "<&>", "\u2028"}
	for _, name := range sqltest.Names {
		t.Run(name, func(t *testing.T) {
			db, d := sqltest.Connect(t, name)
			for _, key := range keys {
				if name == "postgres" && strings.Contains(key, "\x00") {
					continue // PostgreSQL text cannot hold NUL
				}
				if err := dialect.CheckKey(d, key); err != nil {
					t.Logf("key %q: %v", key, err)
					continue
				}
				for _, c := range []struct{ json, kind, text, number string }{
					{"12345678901234567890.5", "number", "12345678901234567890.5", "12345678901234567890.5"},
					{"0.1", "number", "0.1", "0.1"},
					{"-7", "number", "-7", "-7"},
					{`"x\"y\u00e9"`, "string", `x"yé`, ""},
					{"true", "boolean", "true", ""},
					{"false", "boolean", "false", ""},
					{"null", "", "", ""},
					{"[1]", "", "", ""},
					{`{"a":1}`, "", "", ""},
				} {
					doc := "{" + string(jsonx.Quote(nil, key)) + ":" + c.json + `,"other":1}`
					col := jsonLiteral(d)
					path := d.JSONPath(key)
					got := query(t, db, d, d.JSONKind(col)+", "+d.JSONText(col)+", "+d.JSONNumber(col),
						doc, path, doc, path, doc, path)
					kind := got[0].String
					if kind != "number" && kind != "string" && kind != "boolean" {
						kind = ""
					}
					if kind != c.kind {
						t.Errorf("key %q value %s: kind %v, want %q", key, c.json, got[0], c.kind)
					}
					if c.kind != "" && got[1].String != c.text {
						t.Errorf("key %q value %s: text %v, want %q", key, c.json, got[1], c.text)
					}
					if c.number != "" {
						n, err := decimal.NewFromString(got[2].String)
						if err != nil || !n.Equal(decimal.RequireFromString(c.number)) {
							t.Errorf("key %q value %s: number %v, want %s", key, c.json, got[2], c.number)
						}
					}
					if c.kind != "number" && name != "mysql" && got[2].Valid {
						t.Errorf("key %q value %s: number %v, want NULL", key, c.json, got[2])
					}
				}
				missing := query(t, db, d, d.JSONKind(jsonLiteral(d)), `{"other":1}`, d.JSONPath(key))
				if missing[0].Valid && (missing[0].String == "number" || missing[0].String == "string" || missing[0].String == "boolean") {
					t.Errorf("key %q: missing key has kind %v", key, missing[0])
				}
			}
		})
	}
}

// TestArithmetic checks EpochSeconds, FloorDiv, MonthIndex and IntDiv on
// each database against Go, before and after 1970.
func TestArithmetic(t *testing.T) {
	for _, name := range sqltest.Names {
		t.Run(name, func(t *testing.T) {
			db, d := sqltest.Connect(t, name)
			for _, c := range []struct{ num, den int64 }{{7, 2}, {-7, 2}, {-1, 3}, {0, 5}, {-6, 3}, {1763805599999, 86400000}, {-1, 86400000}, {86400000*20000 - 1, 86400000}} {
				got := query(t, db, d, d.FloorDiv(fmt.Sprint(c.num), fmt.Sprint(c.den)))
				if want := floorDiv(c.num, c.den); got[0].String != fmt.Sprint(want) {
					t.Errorf("FloorDiv(%d, %d) = %v, want %d", c.num, c.den, got[0], want)
				}
				if c.num >= 0 {
					if got := query(t, db, d, d.IntDiv(fmt.Sprint(c.num), fmt.Sprint(c.den))); got[0].String != fmt.Sprint(c.num/c.den) {
						t.Errorf("IntDiv(%d, %d) = %v", c.num, c.den, got[0])
					}
				}
			}
			for _, days := range []int64{0, -1, 31, 59, 365, -365, 20407, 2932896} {
				tm := time.Unix(days*86400, 0).UTC()
				want := int64(tm.Year())*12 + int64(tm.Month()) - 1
				if got := query(t, db, d, d.MonthIndex(fmt.Sprint(days))); got[0].String != fmt.Sprint(want) {
					t.Errorf("MonthIndex(%d) = %v, want %d", days, got[0], want)
				}
			}
			for _, tm := range []time.Time{
				time.Date(2025, 11, 28, 18, 0, 0, 999999000, time.UTC),
				time.Date(1969, 12, 31, 23, 59, 59, 500000000, time.UTC),
				time.Date(1970, 1, 1, 0, 0, 0, 0, time.UTC),
				time.Date(1900, 3, 1, 0, 0, 0, 1000, time.UTC),
			} {
				col, args := "?", []any{d.TimeArg(tm)}
				switch name {
				case "postgres": // col appears more than once: a literal
					col, args = pgInstant(tm), nil
				case "mysql":
					col = "CAST(? AS DATETIME(6))"
				case "sqlite": // col appears twice: a literal
					col, args = fmt.Sprint(tm.UnixNano()), nil
				}
				want := tm.Unix()
				if got := query(t, db, d, d.EpochSeconds(col), args...); got[0].String != fmt.Sprint(want) {
					t.Errorf("EpochSeconds(%s) = %v, want %d", tm, got[0], want)
				}
			}
			if ed, ok := d.(dialect.EpochDivider); ok {
				testEpochDivider(t, db, d, ed)
			}
			if name == "postgres" {
				// Both sides of the range where date_part is exact.
				for _, tm := range []time.Time{
					time.Date(1699, 12, 31, 23, 59, 59, 999999000, time.UTC),
					time.Date(1700, 1, 1, 0, 0, 0, 0, time.UTC),
					time.Date(1700, 1, 1, 0, 0, 0, 999999000, time.UTC),
					time.Date(2249, 12, 31, 23, 59, 59, 999999000, time.UTC),
					time.Date(2250, 1, 1, 0, 0, 0, 999999000, time.UTC),
					time.Date(200000, 1, 1, 0, 0, 0, 999999000, time.UTC),
				} {
					col := pgInstant(tm)
					if got := query(t, db, d, d.EpochSeconds(col)); got[0].String != fmt.Sprint(tm.Unix()) {
						t.Errorf("EpochSeconds(%s) = %v, want %d", tm, got[0], tm.Unix())
					}
				}
			}
		})
	}
}

// pgInstant is tm as a PostgreSQL TIMESTAMPTZ literal, for expressions
// that name their column more than once (a bound argument per mention
// would not do).
func pgInstant(tm time.Time) string {
	return "TIMESTAMPTZ '" + tm.Format("2006-01-02 15:04:05.999999Z07:00") + "'"
}

// floorDiv is a / b rounded toward minus infinity (b > 0): what the
// dialects' floored divisions must give.
func floorDiv(a, b int64) int64 {
	q := a / b
	if a%b < 0 {
		q--
	}
	return q
}

// testEpochDivider checks EpochFloorDiv against Go at the edges of
// buckets, before and after 1970, for PostgreSQL far from 1970 too, and
// for SQLite at the ends of its nanosecond column.
func testEpochDivider(t *testing.T, db *sql.DB, d dialect.Dialect, ed dialect.EpochDivider) {
	t.Helper()
	instants := []time.Time{
		time.Date(1970, 1, 1, 0, 0, 0, 0, time.UTC),
		time.Date(1969, 12, 31, 23, 59, 59, 999999000, time.UTC),
		time.Date(1969, 12, 31, 0, 0, 0, 0, time.UTC),
		time.Date(2025, 11, 28, 0, 0, 0, 0, time.UTC),
		time.Date(2025, 11, 27, 23, 59, 59, 999999000, time.UTC),
		time.Date(2025, 11, 30, 23, 0, 0, 0, time.UTC),
		time.Date(1900, 3, 1, 0, 0, 0, 1000, time.UTC),
	}
	if d.Name() == "postgres" {
		instants = append(instants,
			time.Date(1699, 12, 31, 23, 59, 59, 999999000, time.UTC),
			time.Date(2249, 12, 31, 23, 59, 59, 999999000, time.UTC),
			time.Date(200000, 1, 1, 0, 0, 0, 0, time.UTC),
			time.Date(199999, 12, 31, 23, 59, 59, 999999000, time.UTC),
			time.Date(1, 1, 1, 0, 0, 0, 0, time.UTC),
		)
	}
	for _, tm := range instants {
		for _, unit := range []int64{1, 3600, 86400, 7 * 86400} {
			col, args := fmt.Sprint(tm.UnixNano()), []any(nil) // SQLite, ClickHouse: Unix ns
			switch d.Name() {
			case "mysql":
				col, args = "CAST(? AS DATETIME(6))", []any{d.TimeArg(tm)}
			case "postgres":
				col = pgInstant(tm)
			}
			expr, ok := ed.EpochFloorDiv(col, unit)
			if !ok {
				if (d.Name() == "mysql" || d.Name() == "postgres") && unit != 86400 { // only days
					continue
				}
				t.Fatalf("EpochFloorDiv(%v, %d): not ok", tm, unit)
			}
			if got, want := query(t, db, d, expr, args...), floorDiv(tm.Unix(), unit); got[0].String != fmt.Sprint(want) {
				t.Errorf("EpochFloorDiv(%v, %d) = %v, want %d", tm, unit, got[0], want)
			}
		}
	}
	if d.Name() != "sqlite" {
		return
	}
	for _, ns := range []int64{-1, 1, 86400e9 - 1, -86400e9 - 1, math.MaxInt64, math.MinInt64 + 2} {
		for _, unit := range []int64{3600, 86400} {
			expr, _ := ed.EpochFloorDiv(fmt.Sprint(ns), unit)
			if got, want := query(t, db, d, expr), floorDiv(ns, unit*int64(time.Second)); got[0].String != fmt.Sprint(want) {
				t.Errorf("EpochFloorDiv(%d ns, %d) = %v, want %d", ns, unit, got[0], want)
			}
		}
	}
	if _, ok := ed.EpochFloorDiv("0", math.MaxInt64/int64(time.Second)+1); ok {
		t.Errorf("EpochFloorDiv accepts a unit whose nanoseconds overflow")
	}
}

// regexCases are the patterns of the regex agreement test, with the texts
// each is matched against.
var regexPatterns = []string{
	`abc`, `^abc`, `abc$`, `^$`, `a.c`, `(?s)a.c`, `[^a]`, `^[^a]+$`, `a|b`, `(ab)+`, `a{2,3}`, `^a{2}$`, `a*?b`,
	`\d+`, `\w+$`, `\s`, `[[:upper:]]`, `\pL+`, `(?i)straße`, `(?i)k`, `x\.y`, `\$`, `\\`, `[\]\[]`, `\Qa.b\E`,
	`é`, `^.$`, `\x{1F600}`, `[a-c-]`, `a\nb`, `^\z`, `(?:)`, `a+b*c?`, `\A\z`, `[\x{80}-\x{10FFFF}]`,
	`(?i)Σ`, `(?U)a+`, `^ab|cd$`, `(a|)b`, `.*x`,
	// not translated
	`(?m)^a`, `\bx`, `\Bx`, `a{256}`,
}

var regexTexts = []string{
	"", "abc", "xabcx", "ab\nc", "a\nc", "\n", "aa", "aaa", "b", "STRASSE", "Straße", "STRAẞE", "K", "k", "\u212a",
	"x.y", "xzy", "$", `\`, "[", "]", "a.b", "é", "e\u0301", "\U0001F600", "-", "a\nb", "x", "Σ", "ς", "σ",
	"cd\n", "ab\n", "123", "abc\n", " ", "日本語",
}

// TestRegex checks that the patterns PostgreSQL and MariaDB accept match
// exactly the texts Go's regexp matches, and that SQLite runs Go's.
func TestRegex(t *testing.T) {
	for _, name := range sqltest.Names {
		t.Run(name, func(t *testing.T) {
			db, d := sqltest.Connect(t, name)
			text := "?"
			if name == "mysql" {
				text = "CAST(? AS CHAR CHARACTER SET utf8mb4)"
			}
			accepted := 0
			for _, p := range regexPatterns {
				re := regexp.MustCompile(p)
				cond, arg, err := d.Regex(text, p)
				if err != nil {
					if !strings.Contains(err.Error(), "not supported on "+name) {
						t.Errorf("%s: error does not name the dialect: %v", p, err)
					}
					t.Logf("%s: %v", p, err)
					continue
				}
				accepted++
				for _, s := range regexTexts {
					got := query(t, db, d, "CASE WHEN "+cond+" THEN 1 ELSE 0 END", s, arg)
					if want := re.MatchString(s); (got[0].String == "1") != want {
						t.Errorf("pattern %q (%v) on %q: database %v, Go %v", p, arg, s, got[0].String == "1", want)
					}
				}
			}
			t.Logf("%d of %d patterns accepted", accepted, len(regexPatterns))
		})
	}
}

// TestTimeRange checks the range of the nanosecond dialects and that
// TimeArg clamps an instant beyond it instead of wrapping around.
func TestTimeRange(t *testing.T) {
	for _, d := range []dialect.Dialect{dialect.SQLite, dialect.ClickHouse} {
		first, last := d.(dialect.TimeRanger).TimeRange()
		if first.UnixNano() != math.MinInt64 || last.UnixNano() != math.MaxInt64 {
			t.Errorf("%s: TimeRange() = %s, %s", d.Name(), first, last)
		}
		for _, c := range []struct {
			at   time.Time
			want int64
		}{
			{first, math.MinInt64}, {last, math.MaxInt64}, {time.Unix(0, 0), 0},
			{first.Add(-1), math.MinInt64}, {last.Add(1), math.MaxInt64},
			{time.Date(7000, 1, 1, 0, 0, 0, 0, time.UTC), math.MaxInt64},
			{time.Date(1, 1, 1, 0, 0, 0, 0, time.UTC), math.MinInt64},
		} {
			if got := d.TimeArg(c.at); got != c.want {
				t.Errorf("%s: TimeArg(%s) = %v, want %d", d.Name(), c.at, got, c.want)
			}
		}
		for at, want := range map[time.Time]int{first: 0, last: 0, first.Add(-1): -1, last.Add(1): 1} {
			if got := dialect.Beyond(d, at); got != want {
				t.Errorf("%s: Beyond(%s) = %d, want %d", d.Name(), at, got, want)
			}
		}
	}
	if got := dialect.Beyond(dialect.Postgres, time.Date(7000, 1, 1, 0, 0, 0, 0, time.UTC)); got != 0 {
		t.Errorf("postgres: Beyond(7000) = %d, want 0: it holds every instant", got)
	}
}

// TestPercentileFraction replays PostgreSQL's percentile_disc rank,
// ceil(f × n) in double precision, with f as the statement writes it:
// it must be the nearest rank ⌈p·n/100⌉ for every p and n.
func TestPercentileFraction(t *testing.T) {
	ns := []int64{1, 2, 3, 7, 19, 20, 99, 100, 101, 1000, 1 << 20, 999_999_999, 1_000_000_000_000 - 1}
	for n := int64(1); n <= 3000; n++ {
		ns = append(ns, n)
	}
	for p := 1; p <= 100; p++ {
		text := strings.TrimSuffix(strings.TrimPrefix(dialect.Postgres.(dialect.Percentiler).Percentile("v", p), "percentile_disc("), ") WITHIN GROUP (ORDER BY v)")
		f, err := strconv.ParseFloat(text, 64)
		if err != nil {
			t.Fatalf("p%d: %q: %v", p, text, err)
		}
		for _, n := range ns {
			got := int64(math.Ceil(f * float64(n)))
			if want := (int64(p)*n + 99) / 100; got != want {
				t.Fatalf("p%d, n = %d: percentile_disc(%s) takes rank %d, want %d", p, n, text, got, want)
			}
		}
	}
}
