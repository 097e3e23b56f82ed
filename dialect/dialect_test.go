package dialect_test

import (
	"errors"
	"math"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"github.com/calldash/calldash/dialect"
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

// TestClickHouseCheckFailure: ClickHouse's failures on numbers beyond
// Decimal(38, 18) and on a sum's overflow are refusals naming the
// dialect; other failures, even ones quoting the statement, are not.
func TestClickHouseCheckFailure(t *testing.T) {
	fc := dialect.ClickHouse.(dialect.FailureChecker)
	for msg, refused := range map[string]bool{
		"code: 69, message: Decimal value is too big":                             true,
		"code: 69, message: Decimal value is too small":                           true,
		"code: 69, message: Too many digits in decimal value":                     true,
		"code: 395, message: Value passed to 'throwIf' function is non zero":      true,
		"code: 395, message: Value passed to 'throwIf' function is non-zero":      true,
		"code: 62, message: Syntax error: failed at position 9: throwIf(abs(sum(": false,
		"code: 241, message: Memory limit (for query) exceeded":                   false,
	} {
		err := fc.CheckFailure(errors.New(msg))
		if got := err != nil && strings.HasSuffix(err.Error(), "not supported on clickhouse"); got != refused {
			t.Errorf("CheckFailure(%q) = %v; want a refusal: %v", msg, err, refused)
		}
	}
}
