package dialect_test

import (
	"context"
	"database/sql"
	"fmt"
	"math"
	"math/rand/v2"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"github.com/calldash/calldash/dialect"
	"github.com/calldash/calldash/sqlstore/sqltest"

	"github.com/calldash/calldash/internal/fold"
)

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
			exprs = append(exprs, ch.FloorDiv("?", "?"))
			args = append(args, n, d)
			want = append(want, floorDiv(n, d))
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
	var b batch
	for _, text := range texts {
		for _, needle := range needles {
			for _, mode := range []struct{ prefix, suffix bool }{{false, false}, {true, false}, {false, true}} {
				folded, fargs := foldedSQL(ch, "?", needle)
				args := append(append([]any{text}, fargs...), likePattern(needle, mode.prefix, mode.suffix))
				b.add(ch.Like(folded), args, goLike(text, needle, mode.prefix, mode.suffix), fmt.Sprintf("%q %+v %q", text, mode, needle))
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

// foldedSQL folds expr for a comparison with the folded needle: one
// Replace per pair of fold.Pairs (what package sqlgen writes).
func foldedSQL(d dialect.Dialect, expr, needle string) (string, []any) {
	var args []any
	for _, p := range fold.Pairs(needle) {
		expr = d.Replace(expr)
		args = append(args, p[0], p[1])
	}
	return expr, args
}

// likePattern is the LIKE pattern of the folded needle, its %, _ and !
// escaped with dialect.EscapeChar.
func likePattern(needle string, prefix, suffix bool) string {
	var b strings.Builder
	if !prefix {
		b.WriteByte('%')
	}
	for _, r := range fold.String(needle) {
		if r == '%' || r == '_' || r == dialect.EscapeChar {
			b.WriteRune(dialect.EscapeChar)
		}
		b.WriteRune(r)
	}
	if !suffix {
		b.WriteByte('%')
	}
	return b.String()
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
		"{": {"string", "}", ""}, "bs": {"string", `\`, ""}, `k\`: {"string", `a\`, ""}, "missing": {"", "", ""}, "egion": {"", "", ""}, "\"region": {"", "", ""}, "": {"", "", ""},
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
