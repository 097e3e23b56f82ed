package dbtest_test

import (
	"context"
	"database/sql"
	"fmt"
	"math"
	"math/rand/v2"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"github.com/calldash/calldash/dialect"
	"github.com/calldash/calldash/examples/internal/sqltest"
	"github.com/calldash/calldash/internal/fold"
	"github.com/calldash/calldash/internal/jsonx"
)

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
			// Days of the years 0001–0099 too, which a two-digit year reading
			// (MariaDB's PERIOD_DIFF) moves to 19xx/20xx.
			for _, days := range []int64{0, -1, 31, 59, 365, -365, 20407, 2932896, -719162, -700000, -688000, -683000} {
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

// The fragments of the ClickHouse dialect, evaluated by a real server
// (CALLDASH_CLICKHOUSE_DSN) and compared with Go.

var ch = dialect.ClickHouse

// pct is the percentile aggregate ClickHouse offers beyond the interface.
var pct = dialect.ClickHouse.(interface {
	Percentile(expr string, p int) string
})

// queryOne runs a one-row SELECT and scans one value.
func queryOne[T any](t *testing.T, db *sql.DB, query string, args ...any) T {
	t.Helper()
	var v T
	if err := db.QueryRowContext(context.Background(), query, args...).Scan(&v); err != nil {
		if len(query) > 300 {
			query = query[:300] + "…"
		}
		t.Fatalf("%v\n%s", err, query)
	}
	return v
}

func TestClickHouseFloorDivMonthIndex(t *testing.T) {
	db := sqltest.ConnectClickHouse(t)
	nums := []int64{-7, -6, -1, 0, 1, 6, 7, -86401, 86399, 1760000000123, -1760000000123}
	dens := []int64{1, 2, 7, 3600, 86400, 1000000000}
	var exprs []string
	var args []any
	var want []int64
	for _, n := range nums {
		for _, d := range dens {
			exprs = append(exprs, ch.FloorDiv("?", "?"), ch.FloorDiv("?", strconv.FormatInt(d, 10)))
			args = append(args, n, d, n)
			want = append(want, floorDiv(n, d), floorDiv(n, d))
		}
	}
	days := []int64{-719468, -719469, -146097, -1, 0, 1, 30, 31, 58, 59, 365, 20000, 20454, 65535, 100000, 106751}
	for _, d := range days {
		exprs = append(exprs, ch.MonthIndex("?"))
		args = append(args, d)
		tm := time.Unix(d*86400, 0).UTC()
		want = append(want, int64(tm.Year())*12+int64(tm.Month())-1)
	}
	exprs = append(exprs, ch.EpochSeconds("?"), ch.EpochSeconds("?"))
	args = append(args, int64(-1), int64(1760000000999999999))
	want = append(want, -1, 1760000000)
	for _, ns := range []int64{-1, 0, 86400e9 - 1, 86400e9, -86400e9 - 1, math.MaxInt64, math.MinInt64} {
		for _, unit := range []int64{3600, 86400} {
			e, ok := ch.(dialect.EpochDivider).EpochFloorDiv("?", unit)
			if !ok {
				t.Fatalf("EpochFloorDiv(?, %d): not ok", unit)
			}
			exprs = append(exprs, e)
			args = append(args, ns)
			want = append(want, floorDiv(ns, unit*int64(time.Second)))
		}
	}
	for i, e := range exprs {
		exprs[i] = "toInt64(" + e + ")"
	}
	got := queryOne[[]int64](t, db, "SELECT ["+strings.Join(exprs, ", ")+"]", args...)
	if !slices.Equal(got, want) {
		t.Errorf("got  %v\nwant %v", got, want)
	}
}

func TestClickHouseNumbers(t *testing.T) {
	db := sqltest.ConnectClickHouse(t)
	vals := []string{"-2.25", "1.5", "0.000000000000000001", "99999999999999999999.999999999999999999", "-3", "1.5"}
	for _, c := range []struct {
		a, op, b string
		want     bool
	}{
		{"1.5", "=", "1.50", true}, {"1.5", "<", "1.500000000000000001", true}, {"-2", ">", "-2.1", true},
		{"10", ">", "9.99", true}, {"10", "<>", "10.0", false}, {"0.1", "<=", "0.1", true},
	} {
		got := queryOne[uint8](t, db, "SELECT "+ch.CompareNumber("?", c.op), c.a, ch.NumberArg(decimal.RequireFromString(c.b)))
		if (got == 1) != c.want {
			t.Errorf("%s %s %s: got %d", c.a, c.op, c.b, got)
		}
	}
	table := "(SELECT arrayJoin(?) AS v)"
	row := db.QueryRowContext(context.Background(), "SELECT "+ch.Sum("v")+", "+ch.Min("v")+", "+ch.Max("v")+", "+
		pct.Percentile("v", 50)+", "+pct.Percentile("v", 95)+", "+pct.Percentile("v", 1)+" FROM "+table, vals[:5])
	var sum, mn, mx, p50, p95, p1 string
	if err := row.Scan(&sum, &mn, &mx, &p50, &p95, &p1); err != nil {
		t.Fatal(err)
	}
	dec := func(s string) string { return decimal.RequireFromString(s).String() }
	if g := []string{dec(sum), dec(mn), dec(mx), dec(p50), dec(p95), dec(p1)}; !slices.Equal(g, []string{
		"99999999999999999996.25", "-3", "99999999999999999999.999999999999999999", "0.000000000000000001",
		"99999999999999999999.999999999999999999", "-3"}) {
		t.Errorf("sum, min, max, p50, p95, p1 = %v", g)
	}
	// A sum beyond Decimal(38, 18) is an error, never a wrapped number.
	var s string
	err := db.QueryRowContext(context.Background(), "SELECT "+ch.Sum("v")+" FROM "+table, []string{vals[3], vals[3]}).Scan(&s)
	if err == nil {
		t.Errorf("overflowing sum: got %s, want an error", s)
	}
	// No values: NULL percentile.
	var p sql.NullString
	if err := db.QueryRowContext(context.Background(), "SELECT "+pct.Percentile("v", 50)+" FROM (SELECT CAST(NULL AS Nullable(String)) AS v)").Scan(&p); err != nil || p.Valid {
		t.Errorf("percentile of nothing: %v %v", p, err)
	}
	if err := ch.CheckNumber(decimal.RequireFromString("1e20")); err == nil {
		t.Error("CheckNumber(1e20): want an error")
	}
	if err := ch.CheckNumber(decimal.RequireFromString("-99999999999999999999.999999999999999999")); err != nil {
		t.Error(err)
	}
	if err := ch.CheckNumber(decimal.RequireFromString("0.0000000000000000001")); err == nil {
		t.Error("CheckNumber(1e-19): want an error")
	}
}

func TestClickHouseTextLike(t *testing.T) {
	db := sqltest.ConnectClickHouse(t)
	texts := []string{"", "a", "A%b", `a\b`, "a!b", "x_y", "Straße", "ſtop", "KELVIN K", "ΣΑΣ", "multi\nline", "日本語", "100%"}
	needles := []string{"a", "%", "_", `\`, "!", "s", "k", "σ", "日本", "e\nl", "ss", "0%"}
	// Beyond dialect.MaxNestedReplace pairs, and with a NUL, FoldMatch
	// writes a regular expression of orbit classes instead of LIKE.
	long := "abcdefghijklmnopqrstuvwxyzσǆ" + "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
	texts = append(texts, "a\x00b", long+"!", "x"+long, strings.ToUpper(long))
	needles = append(needles, "\x00", "a\x00b", "\x00B", long, "%"+long, "."+long[1:])
	var b batch
	for _, text := range texts {
		for _, needle := range needles {
			for m, mode := range []struct{ prefix, suffix bool }{{false, false}, {true, false}, {false, true}} {
				cond, fargs := ch.FoldMatch("?", needle, dialect.Match(m))
				args := append([]any{text}, fargs...)
				b.add(cond, args, goLike(text, needle, mode.prefix, mode.suffix), fmt.Sprintf("%q %+v %q", text, mode, needle))
			}
		}
	}
	b.check(t, db)
	for _, c := range []struct {
		a, op, b string
		want     bool
	}{{"a", "<", "b", true}, {"é", ">", "z", true}, {"a", "<", "a\x00", true}, {"Z", "<", "a", true}, {"a ", "=", "a", false}} {
		got := queryOne[uint8](t, db, "SELECT "+ch.CompareText("?", c.op), c.a, c.b) == 1
		if got != c.want {
			t.Errorf("%q %s %q: got %v", c.a, c.op, c.b, got)
		}
	}
}

// goLike is contains/startswith/endswith ignoring case, as in memory.
func goLike(text, needle string, prefix, suffix bool) bool {
	t, n := []rune(fold.String(text)), []rune(fold.String(needle))
	at := func(i int) bool { return i >= 0 && i+len(n) <= len(t) && slices.Equal(t[i:i+len(n)], n) }
	switch {
	case prefix:
		return at(0)
	case suffix:
		return at(len(t) - len(n))
	}
	for i := 0; i+len(n) <= len(t); i++ {
		if at(i) {
			return true
		}
	}
	return false
}

func TestClickHouseRegex(t *testing.T) {
	db := sqltest.ConnectClickHouse(t)
	texts := []string{"", "abc", "ABC", "a\nb", "ab\n", "\nab", "é", "É", "ſ", "K", "Σσς", "x1y", "日本語", "a.b", "foo bar", "+14155550100", "customer_ended_call"}
	patterns := []string{"a.b", "(?s)a.b", "^b", "(?m)^b", "b$", "(?m)b$", `\Ab`, `b\z`, "(?i)abc", "(?i)é", "(?i)s", "(?i)k", "(?i)σ",
		`\pL`, `^\p{Greek}+$`, `\d`, `\w+`, `\bbar`, `[^a]`, "^.$", "^..$", "", "a|", `^\+1415`, "_call$", `[[:alpha:]]`,
		`(?U)a+`, "x{2,}", `\x{65e5}`, `(?i)[a-c]{3}`, "abc|ABC", `[\s]`, `\S+\s\S+`, "^$", "(a)(b)"}
	var b batch
	for _, p := range patterns {
		cond, arg, err := ch.Regex("?", p)
		if err != nil {
			t.Errorf("%q: %v", p, err)
			continue
		}
		re := regexp.MustCompile(p)
		for _, text := range texts {
			b.add(cond, []any{text, arg}, re.MatchString(text), fmt.Sprintf("%q ~ %q (sent %q)", text, p, arg))
		}
	}
	b.check(t, db)
}

// A batch evaluates many conditions in one statement.
type batch struct {
	conds []string
	args  []any
	want  []bool
	names []string
}

func (b *batch) add(cond string, args []any, want bool, name string) {
	b.conds = append(b.conds, "toUInt8(ifNull("+cond+", 0))")
	b.args = append(b.args, args...)
	b.want = append(b.want, want)
	b.names = append(b.names, name)
}

func (b *batch) check(t *testing.T, db *sql.DB) {
	t.Helper()
	got := queryOne[[]uint8](t, db, "SELECT ["+strings.Join(b.conds, ", ")+"]", b.args...)
	for i, g := range got {
		if (g == 1) != b.want[i] {
			t.Errorf("%s: got %v, want %v", b.names[i], g == 1, b.want[i])
		}
	}
}

func TestClickHouseJSON(t *testing.T) {
	db := sqltest.ConnectClickHouse(t)
	// A flat object in the loader's canonical form, with hostile keys.
	entries := []struct{ key, raw string }{
		{"!", dialect.ClickHouse.(dialect.JSONEncoder).JSONString("x")},
		{",", "1"},
		{":b", "2.5"},
		{"a", "true"},
		{"b", "false"},
		{"n", "-0.001"},
		{"q\"k", dialect.ClickHouse.(dialect.JSONEncoder).JSONString("he said \"region\": 1")},
		{"region", dialect.ClickHouse.(dialect.JSONEncoder).JSONString("us-west")},
		{"s", dialect.ClickHouse.(dialect.JSONEncoder).JSONString("tab\tnl\n\\ \"q\" é 日本 😀")},
		{"x\"region", "7"},
		{"{", dialect.ClickHouse.(dialect.JSONEncoder).JSONString("}")},
		{"bs", dialect.ClickHouse.(dialect.JSONEncoder).JSONString(`\`)},
		{`k\`, dialect.ClickHouse.(dialect.JSONEncoder).JSONString(`a\`)},
		// Unbalanced brackets inside a string read as missing once.
		{"ob", dialect.ClickHouse.(dialect.JSONEncoder).JSONString("a[b")},
		{"oc", dialect.ClickHouse.(dialect.JSONEncoder).JSONString("{x")},
		{"cb", dialect.ClickHouse.(dialect.JSONEncoder).JSONString("]]}")},
		{"after", "3"},
	}
	var b strings.Builder
	b.WriteString("{")
	for i, e := range entries {
		if i > 0 {
			b.WriteString(",")
		}
		b.WriteString(`"` + dialect.ClickHouse.(dialect.JSONEncoder).JSONKey(e.key) + `":` + e.raw)
	}
	b.WriteString("}")
	doc := b.String()
	type want struct{ kind, text, number string }
	cases := map[string]want{
		"!": {"string", "x", ""}, ",": {"number", "1", "1"}, ":b": {"number", "2.5", "2.5"}, "a": {"boolean", "true", ""},
		"b": {"boolean", "false", ""}, "n": {"number", "-0.001", "-0.001"}, "q\"k": {"string", "he said \"region\": 1", ""},
		"region": {"string", "us-west", ""}, "s": {"string", "tab\tnl\n\\ \"q\" é 日本 😀", ""}, "x\"region": {"number", "7", "7"},
		"{": {"string", "}", ""}, "bs": {"string", `\`, ""}, `k\`: {"string", `a\`, ""}, "ob": {"string", "a[b", ""}, "oc": {"string", "{x", ""}, "cb": {"string", "]]}", ""}, "after": {"number", "3", "3"}, "missing": {"", "", ""}, "egion": {"", "", ""}, "\"region": {"", "", ""}, "": {"", "", ""},
	}
	for key, w := range cases {
		path := ch.JSONPath(key)
		var kind, text string
		var number sql.NullString
		q := "SELECT " + ch.JSONKind("?") + ", " + ch.JSONText("?") + ", " + ch.JSONNumber("?")
		if err := db.QueryRowContext(context.Background(), q, doc, path, doc, path, doc, path).Scan(&kind, &text, &number); err != nil {
			t.Fatalf("%v\n%s", err, q)
		}
		if kind != w.kind || (w.kind != "" && text != w.text) || number.String != w.number {
			t.Errorf("key %q in %s: got (%q, %q, %q), want %+v", key, doc, kind, text, number.String, w)
		}
	}
}

// TestClickHouseRandomFloorDiv compares FloorDiv with Go on random values.
func TestClickHouseRandomFloorDiv(t *testing.T) {
	db := sqltest.ConnectClickHouse(t)
	r := rand.New(rand.NewPCG(1, 2))
	var ns, ds []string // literal arrays of mixed signs have no common type
	var want []int64
	for range 2000 {
		n := r.Int64N(1<<50) - 1<<49
		d := r.Int64N(1<<20) + 1
		ns, ds = append(ns, fmt.Sprint(n)), append(ds, fmt.Sprint(d))
		want = append(want, floorDiv(n, d))
	}
	got := queryOne[[]int64](t, db, "SELECT groupArray(toInt64("+ch.FloorDiv("n", "d")+")) FROM (SELECT arrayMap(x -> toInt64(x), ?) AS ns, arrayMap(x -> toInt64(x), ?) AS ds) ARRAY JOIN ns AS n, ds AS d", ns, ds)
	if !slices.Equal(got, want) {
		t.Errorf("floor division differs")
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

// TestClickHousePercentileTies: the percentile sorts by Float64 and
// orders only the values of one Float64 by Decimal: values that round to
// the same Float64 (but differ) are picked at their exact rank, for every
// percentile, with NULLs left out, over a column (its own text), over an
// expression (named once by an alias) and over an expression that binds
// an argument (read through Decimal), and with
// long runs of one Float64 holding one text or two.
func TestClickHousePercentileTies(t *testing.T) {
	db := sqltest.ConnectClickHouse(t)
	ties := []string{"9007199254740993", "0.3", "9007199254740992", "5", "0.30000000000000001", "-1",
		"9007199254740994", "0.30000000000000004", "9007199254740993", "5", "0.29999999999999999", "12345678901234567890.123456789"}
	var run []string
	for i := range 150 {
		run = append(run, "7", []string{"0.1", "0.10000000000000001"}[i%2], "0.1",
			[]string{"-0.1", "-0.10000000000000001"}[i%3%2])
	}
	for _, c := range []struct {
		name string
		vals []string
	}{{"ties", ties}, {"runs", run}} {
		vals := append(slices.Clone(c.vals), "NULL", "NULL")
		var sorted []decimal.Decimal
		for _, v := range c.vals {
			sorted = append(sorted, decimal.RequireFromString(v))
		}
		slices.SortFunc(sorted, func(a, b decimal.Decimal) int { return a.Cmp(b) })
		for _, expr := range []string{"v", "concat(v, '')", "concat(v, ?)"} {
			var exprs []string
			var args []any
			for p := 1; p <= 100; p++ {
				exprs = append(exprs, pct.Percentile(expr, p))
				if strings.Contains(expr, "?") {
					args = append(args, "")
				}
			}
			args = append(args, vals)
			got := queryOne[[]*string](t, db, "SELECT ["+strings.Join(exprs, ", ")+"] FROM "+
				"(SELECT if(calldash_t = 'NULL', NULL, calldash_t) AS v FROM (SELECT arrayJoin(?) AS calldash_t))", args...)
			for p := 1; p <= 100; p++ {
				want := sorted[(len(sorted)*p+99)/100-1]
				if got[p-1] == nil {
					t.Errorf("%s, %s, p%d: got NULL, want %s", c.name, expr, p, want)
				} else if g := decimal.RequireFromString(*got[p-1]); !g.Equal(want) {
					t.Errorf("%s, %s, p%d: got %s, want %s", c.name, expr, p, *got[p-1], want)
				}
			}
		}
	}
}
