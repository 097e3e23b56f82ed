package aggregate

import (
	"errors"
	"fmt"
)

// A Func is an aggregation function. The zero Func is invalid.
type Func uint8

// The aggregation functions.
const (
	Count Func = iota + 1 // number of non-null values
	Sum                   // exact sum
	Avg                   // exact sum / count, rounded half away from zero
	Min                   // smallest value
	Max                   // largest value
	P50                   // nearest-rank 50th percentile
	P95                   // nearest-rank 95th percentile
	P99                   // nearest-rank 99th percentile
)

var funcNames = [...]string{Count: "count", Sum: "sum", Avg: "avg", Min: "min", Max: "max",
	P50: "p50", P95: "p95", P99: "p99"}

// String returns the function's name as in a widget spec ("count", "sum",
// "avg", "min", "max", "p50", "p95", "p99"; "" for an invalid Func).
func (f Func) String() string {
	if int(f) < len(funcNames) {
		return funcNames[f]
	}
	return ""
}

// Percentile returns N for the percentile function pN (50, 95 or 99), and 0
// for the other functions.
func (f Func) Percentile() int {
	switch f {
	case P50:
		return 50
	case P95:
		return 95
	case P99:
		return 99
	}
	return 0
}

// ErrUnknownFunc is returned (wrapped) by [ParseFunc] for a name that is not
// an aggregation function.
var ErrUnknownFunc = errors.New("unknown aggregation function")

// ParseFunc returns the function named s (case-sensitive, as listed by
// [Func.String]). Any other name, including "", is an error wrapping
// [ErrUnknownFunc].
func ParseFunc(s string) (Func, error) {
	for f, name := range funcNames {
		if name != "" && name == s {
			return Func(f), nil
		}
	}
	return 0, fmt.Errorf("%w %q (want count, sum, avg, min, max, p50, p95 or p99)", ErrUnknownFunc, s)
}
