package sqlitefn

import (
	"database/sql"
	"database/sql/driver"
	"math"
	"math/rand/v2"
	"strconv"
	"testing"

	"github.com/shopspring/decimal"
	"modernc.org/sqlite"
)

// durations are typical call durations in seconds, as the column holds
// them (canonical decimal text).
var benchDurations = []string{"183.27", "60", "1234.5", "0.25", "59.999", "7", "600.1", "42.42"}

func BenchmarkCompare(b *testing.B) {
	n := 0
	for b.Loop() {
		for _, d := range benchDurations {
			n += compareDecimalText(d, "60")
		}
	}
	_ = n
}

func BenchmarkSumStep(b *testing.B) {
	args := make([][]driver.Value, len(benchDurations))
	for i, d := range benchDurations {
		args[i] = []driver.Value{d}
	}
	var a sumAgg
	for b.Loop() {
		for _, arg := range args {
			if err := a.Step(nil, arg); err != nil {
				b.Fatal(err)
			}
		}
	}
	if _, err := a.WindowValue(nil); err != nil {
		b.Fatal(err)
	}
}

func BenchmarkMaxStep(b *testing.B) {
	args := make([][]driver.Value, len(benchDurations))
	for i, d := range benchDurations {
		args[i] = []driver.Value{d}
	}
	a := extremeAgg{sign: 1}
	for b.Loop() {
		for _, arg := range args {
			if err := a.Step(nil, arg); err != nil {
				b.Fatal(err)
			}
		}
	}
}

// bench_above and bench_count are Go callbacks that do no work: the
// floor of the generated statement, what the driver costs per row.
func init() {
	sqlite.MustRegisterCollationUtf8("bench_above", func(string, string) int { return 1 })
	sqlite.MustRegisterFunction("bench_count", &sqlite.FunctionImpl{NArgs: 1, Deterministic: true, VolatileArgs: true,
		MakeAggregate: func(sqlite.FunctionContext) (sqlite.AggregateFunction, error) { return &countAgg{}, nil }})
}

type countAgg struct{ n int64 }

func (a *countAgg) Step(*sqlite.FunctionContext, []driver.Value) error          { a.n++; return nil }
func (a *countAgg) WindowInverse(*sqlite.FunctionContext, []driver.Value) error { return nil }
func (a *countAgg) WindowValue(*sqlite.FunctionContext) (driver.Value, error)   { return a.n, nil }
func (a *countAgg) Final(*sqlite.FunctionContext)                               {}

// BenchmarkQuery times the generated form of W1's filter and sum (the
// calldash_decimal collation and calldash_sum, exact) against the
// hand-written form with inexact REAL, over 200k durations with 0–3
// decimal places, in total and per day (by GROUP BY, and by the group
// aggregate the generated statements use); floor is the generated form
// with callbacks that do nothing.
func BenchmarkQuery(b *testing.B) {
	db, err := sql.Open("sqlite", ":memory:")
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	db.SetMaxOpenConns(1)
	if _, err := db.Exec("CREATE TABLE t (day INTEGER, duration TEXT COLLATE calldash_decimal)"); err != nil {
		b.Fatal(err)
	}
	tx, err := db.Begin()
	if err != nil {
		b.Fatal(err)
	}
	ins, err := tx.Prepare("INSERT INTO t VALUES (?, ?)")
	if err != nil {
		b.Fatal(err)
	}
	r := rand.New(rand.NewPCG(1, 2))
	for range 200_000 {
		places := r.IntN(4)
		coef := r.Int64N(1200 * pow10[places])
		if _, err := ins.Exec(r.IntN(30), decimal.New(coef, -int32(places)).String()); err != nil {
			b.Fatal(err)
		}
	}
	if err := tx.Commit(); err != nil {
		b.Fatal(err)
	}

	const (
		generated = "SELECT COUNT(*), calldash_sum(duration) FROM t WHERE duration >= '60'"
		byHand    = "SELECT COUNT(*), SUM(CAST(duration AS REAL)) FROM t WHERE CAST(duration AS REAL) >= 60"
	)
	var n1, n2 int64
	var exact string
	var inexact float64
	if err := db.QueryRow(generated).Scan(&n1, &exact); err != nil {
		b.Fatal(err)
	}
	if err := db.QueryRow(byHand).Scan(&n2, &inexact); err != nil {
		b.Fatal(err)
	}
	if f, _ := decimal.RequireFromString(exact).Float64(); n1 != n2 || math.Abs(f-inexact) > 1e-6*f {
		b.Fatalf("generated: %d rows, sum %s; real: %d rows, sum %g", n1, exact, n2, inexact)
	}

	for _, q := range []struct{ name, sql string }{
		{"generated", generated},
		{"real", byHand},
		{"floor", "SELECT COUNT(*), bench_count(duration) FROM t WHERE duration COLLATE bench_above >= '60'"},
		{"generated-days", "SELECT day, COUNT(*), calldash_sum(duration) FROM t WHERE duration >= '60' GROUP BY day"},
		{"real-days", "SELECT day, COUNT(*), SUM(CAST(duration AS REAL)) FROM t WHERE CAST(duration AS REAL) >= 60 GROUP BY day"},
		{"group-days", "SELECT g.value ->> 0, g.value ->> 1, g.value ->> 3 FROM json_each((SELECT calldash_group_sum(0, 0, duration, day) FROM t WHERE duration >= '60')) AS g"},
	} {
		b.Run(q.name, func(b *testing.B) {
			for b.Loop() {
				rows, err := db.Query(q.sql)
				if err != nil {
					b.Fatal(err)
				}
				for rows.Next() {
				}
				if err := rows.Err(); err != nil {
					b.Fatal(err)
				}
				rows.Close()
			}
		})
	}
}

func BenchmarkParseSmall(b *testing.B) {
	var sink small
	for b.Loop() {
		for _, d := range benchDurations {
			x, _ := parseSmall(d)
			sink.coef += x.coef
		}
	}
	_ = sink
}

// BenchmarkGroupCap: a grouped bar too big to answer, 20,000 labels × 30
// days (600,000 cells) against the default cap of 100,000 cells, read as
// the widget compiler reads it (json_each, LIMIT cap). "none" is the call
// without a cap, which built every cell before the LIMIT.
func BenchmarkGroupCap(b *testing.B) {
	db, err := sql.Open("sqlite", ":memory:")
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	db.SetMaxOpenConns(1)
	if _, err := db.Exec(`CREATE TABLE t (day INTEGER, label TEXT, v TEXT);
		INSERT INTO t WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < 599999)
		SELECT i % 30, 'label ' || (i / 30), CAST(i % 977 AS TEXT) FROM n`); err != nil {
		b.Fatal(err)
	}
	const limit = 100_001
	for _, c := range []struct {
		name string
		cap  int
	}{{"none", 0}, {"cap", limit}} {
		q := "SELECT g.value ->> 0, CAST(unhex(g.value ->> 1) AS TEXT), g.value ->> 2, g.value ->> 3, g.value ->> 4 FROM json_each((SELECT calldash_group_sum(" +
			strconv.Itoa(c.cap) + ", 2, v, day, label) FROM t)) AS g LIMIT " + strconv.Itoa(limit)
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				rows, err := db.Query(q)
				if err != nil {
					b.Fatal(err)
				}
				n := 0
				for rows.Next() {
					n++
				}
				if err := rows.Err(); err != nil {
					b.Fatal(err)
				}
				rows.Close()
				if n != limit {
					b.Fatalf("%d rows, want %d", n, limit)
				}
			}
		})
	}
}
