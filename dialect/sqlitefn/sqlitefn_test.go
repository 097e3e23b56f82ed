package sqlitefn_test

import (
	"database/sql"
	"slices"
	"testing"

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
