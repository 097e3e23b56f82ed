package sqlitefn_test

import (
	"database/sql"
	"fmt"
	"math/rand/v2"
	"slices"
	"strconv"
	str "strings"
	"testing"

	"github.com/shopspring/decimal"

	_ "github.com/calldash/calldash/dialect/sqlitefn"
)

func open(t *testing.T) *sql.DB {
	t.Helper()
	db, err := sql.Open("sqlite", ":memory:")
	if err != nil {
		t.Fatal(err)
	}
	db.SetMaxOpenConns(1)
	t.Cleanup(func() { db.Close() })
	for _, s := range []string{
		"CREATE TABLE n (g INTEGER, v TEXT COLLATE calldash_decimal)",
		"INSERT INTO n VALUES (1, '10'), (1, '9'), (1, '0.30'), (1, '-12345678901234567890.5'), (1, NULL), " +
			"(1, '1e2'), (2, '0.1'), (2, '0.2'), (3, NULL)",
	} {
		if _, err := db.Exec(s); err != nil {
			t.Fatal(err)
		}
	}
	return db
}

func strings(t *testing.T, db *sql.DB, q string, args ...any) []string {
	t.Helper()
	rows, err := db.Query(q, args...)
	if err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s sql.NullString
		if err := rows.Scan(&s); err != nil {
			t.Fatal(err)
		}
		if !s.Valid {
			s.String = "NULL"
		}
		out = append(out, s.String)
	}
	return out
}

func TestCollation(t *testing.T) {
	db := open(t)
	got := strings(t, db, "SELECT v FROM n WHERE v IS NOT NULL ORDER BY v")
	want := []string{"-12345678901234567890.5", "0.1", "0.2", "0.30", "9", "10", "1e2"}
	if !slices.Equal(got, want) {
		t.Errorf("order %q, want %q", got, want)
	}
	if got := strings(t, db, "SELECT g FROM n WHERE v = '100'"); !slices.Equal(got, []string{"1"}) {
		t.Errorf("1e2 = 100: %q", got)
	}
	if got := strings(t, db, "SELECT v FROM n WHERE v > '0.1' AND v < '0.3'"); !slices.Equal(got, []string{"0.2"}) {
		t.Errorf("range: %q", got)
	}
}

func TestAggregates(t *testing.T) {
	db := open(t)
	for q, want := range map[string][]string{
		"SELECT calldash_sum(v) FROM n GROUP BY g ORDER BY g":                                                             {"-12345678901234567771.2", "0.3", "NULL"},
		"SELECT calldash_min(v) FROM n GROUP BY g ORDER BY g":                                                             {"-12345678901234567890.5", "0.1", "NULL"},
		"SELECT calldash_max(v) FROM n GROUP BY g ORDER BY g":                                                             {"100", "0.2", "NULL"},
		"SELECT calldash_sum(v) OVER (ORDER BY v ROWS BETWEEN 1 PRECEDING AND CURRENT ROW) FROM n WHERE g = 2 ORDER BY v": {"0.1", "0.3"},
		"SELECT calldash_sum(x) FROM (SELECT 1 AS x UNION ALL SELECT 0.5)":                                                {"1.5"},
	} {
		if got := strings(t, db, q); !slices.Equal(got, want) {
			t.Errorf("%s: %q, want %q", q, got, want)
		}
	}
}

func TestScalars(t *testing.T) {
	db := open(t)
	for q, want := range map[string]string{
		"SELECT calldash_regexp('abc', 'b')":        "1",
		"SELECT calldash_regexp('abc', '^b')":       "0",
		"SELECT calldash_regexp('a\nb', 'a.b')":     "0",
		"SELECT calldash_regexp(NULL, 'b')":         "NULL",
		"SELECT calldash_floordiv(-7, 2)":           "-4",
		"SELECT calldash_floordiv(7, 2)":            "3",
		"SELECT calldash_floordiv(-6, 3)":           "-2",
		"SELECT calldash_month_index(0)":            "23640",
		"SELECT calldash_month_index(-1)":           "23639",
		"SELECT calldash_month_index(20420)":        "24310",
		"SELECT calldash_floordiv(NULL, 2) IS NULL": "1",
	} {
		if got := strings(t, db, q); !slices.Equal(got, []string{want}) {
			t.Errorf("%s = %q, want %s", q, got, want)
		}
	}
	if _, err := db.Exec("SELECT calldash_regexp('a', '(')"); err == nil {
		t.Error("an invalid pattern is not an error")
	}
}

// TestAggregatesRandom runs the aggregates, as a window too, and the
// collation through the driver over values of every storage class and
// compares them with shopspring/decimal.
func TestAggregatesRandom(t *testing.T) {
	db := open(t)
	if _, err := db.Exec("CREATE TABLE r (id INTEGER PRIMARY KEY, v, t TEXT COLLATE calldash_decimal)"); err != nil {
		t.Fatal(err)
	}
	r := rand.New(rand.NewPCG(6, 6))
	var values []any
	for i := range 2000 {
		var v any
		switch r.IntN(10) {
		case 0:
			v = nil
		case 1:
			v = int64(r.Uint64())
		case 2:
			v = r.NormFloat64() * 1000
		case 3:
			v = "12345678901234567890.123"
		case 4:
			v = "-0.000000000000000001"
		default:
			v = decimal.New(r.Int64N(1_200_000), -int32(r.IntN(4))).String()
		}
		values = append(values, v)
		text := fmt.Sprint(v)
		if v == nil || r.IntN(50) == 0 {
			text = "n/a"
		}
		if _, err := db.Exec("INSERT INTO r VALUES (?, ?, ?)", i, v, text); err != nil {
			t.Fatal(err)
		}
	}
	read := func(v any) (decimal.Decimal, bool) {
		switch x := v.(type) {
		case int64:
			return decimal.NewFromInt(x), true
		case float64:
			return decimal.RequireFromString(strconv.FormatFloat(x, 'g', -1, 64)), true
		case string:
			return decimal.RequireFromString(x), true
		}
		return decimal.Decimal{}, false
	}
	canonical := func(d decimal.Decimal) string {
		if d.IsZero() {
			return "0"
		}
		return d.String()
	}

	var want []string
	var sum, lo, hi decimal.Decimal
	n := 0
	for i := range values {
		var w decimal.Decimal
		k := 0
		for _, v := range values[max(i-2, 0) : i+1] {
			if d, ok := read(v); ok {
				w, k = w.Add(d), k+1
			}
		}
		if k == 0 {
			want = append(want, "NULL")
		} else {
			want = append(want, canonical(w))
		}
		if d, ok := read(values[i]); ok {
			if n == 0 || d.LessThan(lo) {
				lo = d
			}
			if n == 0 || d.GreaterThan(hi) {
				hi = d
			}
			sum, n = sum.Add(d), n+1
		}
	}
	got := strings(t, db, "SELECT calldash_sum(v) OVER (ORDER BY id ROWS BETWEEN 2 PRECEDING AND CURRENT ROW) FROM r ORDER BY id")
	if !slices.Equal(got, want) {
		for i := range got {
			if got[i] != want[i] {
				t.Fatalf("window sum at row %d (%v): %s, want %s", i, values[i], got[i], want[i])
			}
		}
		t.Fatalf("window sums: %d rows, want %d", len(got), len(want))
	}
	got = strings(t, db, "SELECT calldash_sum(v) FROM r UNION ALL SELECT calldash_min(v) FROM r UNION ALL SELECT calldash_max(v) FROM r")
	if want := []string{canonical(sum), canonical(lo), canonical(hi)}; !slices.Equal(got, want) {
		t.Errorf("sum, min, max = %q, want %q", got, want)
	}

	sorted := strings(t, db, "SELECT t FROM r ORDER BY t")
	for i := 1; i < len(sorted); i++ {
		a, erra := decimal.NewFromString(sorted[i-1])
		b, errb := decimal.NewFromString(sorted[i])
		switch {
		case erra == nil && errb == nil && a.GreaterThan(b),
			erra != nil && errb == nil,
			erra != nil && errb != nil && sorted[i-1] > sorted[i]:
			t.Fatalf("%q sorts before %q", sorted[i-1], sorted[i])
		}
	}
}

// TestGroups compares each group aggregate, unpacked with json_each, with
// the GROUP BY it stands for (and the percentiles with ranks by window
// functions, the form the other dialects use), over random decimal text
// (nulls, integers, long and short decimals) and keys: integers (negative,
// extreme, in runs and scattered) and text (null, empty, invalid UTF-8, a
// NUL byte, quotes), one to three of them.
func TestGroups(t *testing.T) {
	db := open(t)
	if _, err := db.Exec("CREATE TABLE g (id INTEGER PRIMARY KEY, k1 INTEGER, k2 INTEGER, t TEXT, v TEXT COLLATE calldash_decimal)"); err != nil {
		t.Fatal(err)
	}
	labels := []any{nil, "", "a", "Other", "é", "\xff\xfe", "x\x00y", `"q"`, `\`}
	r := rand.New(rand.NewPCG(7, 7))
	k1 := int64(0)
	for i := range 3000 {
		if r.IntN(20) == 0 {
			k1 = r.Int64N(40) - 20 // mostly runs of one key, as rows in time order come
		}
		if i%500 == 0 {
			k1 = r.Int64() // an extreme key
		}
		var v any
		switch r.IntN(8) {
		case 0:
			v = nil
		case 1:
			v = r.Int64N(1000) - 500
		case 2:
			v = "12345678901234567890.123"
		case 3:
			v = float64(r.IntN(100)) / 4
		default:
			v = decimal.New(r.Int64N(1_200_000), -int32(r.IntN(4))).String()
		}
		if _, err := db.Exec("INSERT INTO g VALUES (?, ?, ?, ?, ?)", i, k1, r.IntN(3)-1, labels[r.IntN(len(labels))], v); err != nil {
			t.Fatal(err)
		}
	}
	rowsOf := func(q string) []string {
		t.Helper()
		rows, err := db.Query(q)
		if err != nil {
			t.Fatalf("%s: %v", q, err)
		}
		defer rows.Close()
		cols, _ := rows.Columns()
		var out []string
		for rows.Next() {
			vals := make([]any, len(cols))
			ptrs := make([]any, len(cols))
			for i := range vals {
				ptrs[i] = &vals[i]
			}
			if err := rows.Scan(ptrs...); err != nil {
				t.Fatal(err)
			}
			if v := vals[len(vals)-1]; v != nil { // one form of each number: the percentiles by hand return it as stored
				vals[len(vals)-1] = decimal.RequireFromString(fmt.Sprint(v)).String()
			}
			out = append(out, fmt.Sprintf("%#v", vals))
		}
		if err := rows.Err(); err != nil {
			t.Fatal(err)
		}
		slices.Sort(out)
		return out
	}
	for _, fn := range []string{"count", "sum", "min", "max", "p50", "p95", "p99"} {
		for _, k := range []struct{ keys, kinds string }{{"k1", "0"}, {"k1, k2", "0"}, {"t", "1"}, {"k1, k2, t", "4"}} {
			for _, where := range []string{"", " WHERE id % 7 = 0", " WHERE id < 0"} {
				group := " FROM g" + where + " GROUP BY " + k.keys
				var want []string
				switch fn {
				case "count":
					want = rowsOf("SELECT " + k.keys + ", COUNT(*), COUNT(v), NULL" + group)
				case "p50", "p95", "p99":
					ranked := "(SELECT " + k.keys + ", v, ROW_NUMBER() OVER (PARTITION BY " + k.keys + " ORDER BY v IS NULL, v) AS rn, " +
						"COUNT(v) OVER (PARTITION BY " + k.keys + ") AS cnt FROM g" + where + ") AS w"
					want = rowsOf("SELECT " + k.keys + ", COUNT(*), MAX(cnt), MAX(CASE WHEN rn = (cnt * " + fn[1:] + " + 99) / 100 THEN v END) FROM " +
						ranked + " GROUP BY " + k.keys)
				default:
					want = rowsOf("SELECT " + k.keys + ", COUNT(*), COUNT(v), calldash_" + fn + "(v)" + group)
				}
				cols := ""
				nkeys := str.Count(k.keys, ",") + 1
				text, _ := strconv.Atoi(k.kinds)
				for i := range nkeys + 3 {
					col := "j.value ->> " + strconv.Itoa(i)
					if i < nkeys && text&(1<<i) != 0 {
						col = "CAST(unhex(" + col + ") AS TEXT)"
					}
					if i > 0 {
						cols += ", "
					}
					cols += col
				}
				got := rowsOf("SELECT " + cols + " FROM json_each((SELECT calldash_group_" + fn + "(0, " + k.kinds + ", v, " + k.keys + ") FROM g" + where + ")) AS j")
				if !slices.Equal(got, want) {
					t.Errorf("calldash_group_%s(v, %s)%s:\n got %d rows %.300q\nwant %d rows %.300q", fn, k.keys, where, len(got), got, len(want), want)
				}
			}
		}
	}
	// Cells come in key order.
	rows, err := db.Query("SELECT j.value ->> 0 FROM json_each((SELECT calldash_group_count(0, 0, v, k1) FROM g)) AS j")
	if err != nil {
		t.Fatal(err)
	}
	var keys []int64
	for rows.Next() {
		var k int64
		if err := rows.Scan(&k); err != nil {
			t.Fatal(err)
		}
		keys = append(keys, k)
	}
	rows.Close()
	if len(keys) < 40 || !slices.IsSorted(keys) || keys[0] >= 0 {
		t.Errorf("keys %d, want ascending, negative ones first", keys)
	}
	// A cap keeps at most cap cells; at or above the number of groups it
	// changes nothing.
	var groups int
	if err := db.QueryRow("SELECT COUNT(*) FROM (SELECT DISTINCT k1, k2 FROM g)").Scan(&groups); err != nil {
		t.Fatal(err)
	}
	capped := func(limit int) string {
		return "SELECT j.value ->> 0, j.value ->> 1, j.value ->> 2, j.value ->> 3, j.value ->> 4 FROM json_each((SELECT calldash_group_sum(" +
			strconv.Itoa(limit) + ", 0, v, k1, k2) FROM g)) AS j"
	}
	all := rowsOf(capped(0))
	if len(all) != groups {
		t.Fatalf("no cap: %d cells, want %d", len(all), groups)
	}
	for _, limit := range []int{1, 2, groups / 2, groups - 1, groups, groups + 1} {
		got := rowsOf(capped(limit))
		switch {
		case limit >= groups && !slices.Equal(got, all):
			t.Errorf("cap %d of %d groups: got %d cells, want all of them", limit, groups, len(got))
		case limit < groups && len(got) != limit:
			t.Errorf("cap %d of %d groups: got %d cells, want %d", limit, groups, len(got), limit)
		}
	}
	for _, q := range []string{
		"SELECT calldash_group_sum(-1, 0, v, k1) FROM g",
		"SELECT calldash_group_sum('1', 0, v, k1) FROM g",
		"SELECT calldash_group_sum(1.5, 0, v, k1) FROM g",
		"SELECT calldash_group_sum(id % 2 + 1, 0, v, k1) FROM g",
		"SELECT calldash_group_sum(0, v, k1) FROM g",
		"SELECT calldash_group_sum(0, 0, v) FROM g",
		"SELECT calldash_group_sum(0, 0, v, k1, k2, k1, k2) FROM g",
		"SELECT calldash_group_sum(0, 2, v, k1) FROM g",
		"SELECT calldash_group_sum(0, -1, v, k1) FROM g",
		"SELECT calldash_group_sum(0, '0', v, k1) FROM g",
		"SELECT calldash_group_sum(0, id % 2, v, k1) FROM g",
		"SELECT calldash_group_sum(0, 0, v, t) FROM g",
		"SELECT calldash_group_sum(0, 1, v, k1) FROM g",
		"SELECT calldash_group_sum(0, 0, v, 1.5) FROM g",
		"SELECT calldash_group_sum(0, 0, v, k1) OVER (ORDER BY id ROWS 1 PRECEDING) FROM g",
	} {
		if _, err := db.Exec(q); err == nil {
			t.Errorf("%s: no error", q)
		}
	}
}
