package dialect

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/shopspring/decimal"

	"github.com/calldash/calldash/internal/names"
)

// Helpers that several dialects share.

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

// unixNanoRange is the range of instants as int64 Unix nanoseconds.
func unixNanoRange() (first, last time.Time) {
	return time.Unix(0, math.MinInt64).UTC(), time.Unix(0, math.MaxInt64).UTC()
}

// unixNanoArg is t as Unix nanoseconds, clamped to the ends of int64
// (where time.Time.UnixNano would wrap around): callers compare only
// instants of unixNanoRange, so the clamp is a guard, never an answer.
func unixNanoArg(t time.Time) int64 {
	switch first, last := unixNanoRange(); {
	case t.Before(first):
		return math.MinInt64
	case t.After(last):
		return math.MaxInt64
	}
	return t.UnixNano()
}

// checkOp returns op when it is a comparison operator; anything else is a
// bug of the caller, never input.
func checkOp(op string) string {
	switch op {
	case "=", "<>", "<", "<=", ">", ">=":
		return op
	}
	panic(fmt.Sprintf("dialect: not a comparison operator: %q", op))
}

// list is n copies of item, separated by commas.
func list(item string, n int) string {
	return strings.TrimSuffix(strings.Repeat(item+", ", n), ", ")
}

// regexError is the error of a pattern a dialect cannot evaluate exactly.
func regexError(pattern, dialect string, err error) error {
	return fmt.Errorf("regex %s: not supported on %s: %v", names.Quote(pattern), dialect, err)
}

// shortNumber is d's text for an error message, cut in the middle.
func shortNumber(d decimal.Decimal) string {
	s := d.String()
	if len(s) > 40 {
		return s[:20] + "…" + s[len(s)-10:]
	}
	return s
}

// digits returns the number of integer and fractional digits of the exact
// value of d (without trailing zeros).
func digits(d decimal.Decimal) (intDigits, fracDigits int32) {
	if d.IsZero() {
		return 0, 0
	}
	s := strings.TrimPrefix(d.Coefficient().String(), "-")
	exp := d.Exponent()
	for len(s) > 1 && strings.HasSuffix(s, "0") {
		s, exp = s[:len(s)-1], exp+1
	}
	return max(int32(len(s))+exp, 0), max(-exp, 0)
}
