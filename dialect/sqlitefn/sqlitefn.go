// Package sqlitefn registers with modernc.org/sqlite (driver name
// "sqlite") the functions and the collation that the SQL of
// [dialect.SQLite] calls. Import it for its side effect, like a driver:
//
//	import _ "github.com/calldash/calldash/dialect/sqlitefn"
//
// Registration happens once, in init, and applies to every connection
// opened afterwards.
//
//   - collation calldash_decimal: exact numeric order of decimal TEXT
//     ("10" > "9", "1.0" = "1", "1e2" = "100"); text that is not a decimal
//     sorts after every number, byte-wise among itself.
//   - calldash_sum(x), calldash_min(x), calldash_max(x): exact aggregates
//     of decimal TEXT (integers and reals are read as their decimal
//     value), ignoring NULL; NULL when there is no input; the result is
//     canonical decimal TEXT (no exponent, no trailing zeros). calldash_sum
//     also works as a window function.
//   - calldash_group_count(cap, kinds, v, k1[, k2[, k3]]),
//     calldash_group_sum, _min, _max, _p50, _p95, _p99: GROUP BY without
//     a sort. One aggregate over all the rows returns, as a JSON array,
//     the rows that
//     SELECT k1, …, COUNT(*), COUNT(v), calldash_sum(v) … GROUP BY k1, …
//     would (NULL in the last place for count, the nearest-rank
//     percentile for the p's): [[k1, …, rows, values, "sum"], …]. Keys
//     are integers, or text (a bit set in kinds; written in hex). SQLite
//     has no hash aggregation; its GROUP BY sorts every row, which costs
//     more than the aggregates themselves. cap is a non-negative integer
//     constant: 0 for no cap; otherwise at most cap cells are kept, and
//     once a row of one more key comes the rest are not read: the result
//     is then cap cells with partial aggregates, which tell only that
//     there are more than cap - 1 groups. Pass n+1 to refuse answers of
//     more than n cells in bounded memory.
//   - calldash_regexp(text, pattern): 1 when Go's regexp (RE2) finds
//     pattern in text, else 0; NULL when text is NULL.
//   - calldash_fold_match(text, needle, m): 1 when text contains needle
//     ignoring case (Unicode simple folding, as in memory), or starts
//     (m = 1) or ends (m = 2) with it, else 0; NULL when text is NULL. It
//     reads NUL like any other character.
//   - calldash_floordiv(a, b): a divided by b rounded toward minus
//     infinity, for integers (b ≠ 0).
//   - calldash_month_index(days): year*12 + month - 1 of the date days
//     after 1970-01-01.
//   - calldash_number(x): the canonical decimal TEXT of the number x as a
//     user's JSON spells it (5.0 and 5e0 give 5), NULL for anything else.
//
// Numbers with at most 18 significant digits and a small exponent (most
// of them: "183.27", "60", "1e3") are read, compared and summed in int64
// without allocating; a sum moves to shopspring/decimal when it would
// overflow, and every other number goes through it from the start. Both
// paths give the same answers, byte for byte.
package sqlitefn

import (
	"database/sql/driver"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/shopspring/decimal"
	"modernc.org/sqlite"
)

func init() {
	sqlite.MustRegisterCollationUtf8("calldash_decimal", compareDecimalText)
	sqlite.MustRegisterFunction("calldash_sum", &sqlite.FunctionImpl{NArgs: 1, Deterministic: true, VolatileArgs: true,
		MakeAggregate: func(sqlite.FunctionContext) (sqlite.AggregateFunction, error) { return &sumAgg{}, nil }})
	sqlite.MustRegisterFunction("calldash_min", &sqlite.FunctionImpl{NArgs: 1, Deterministic: true, VolatileArgs: true,
		MakeAggregate: func(sqlite.FunctionContext) (sqlite.AggregateFunction, error) { return &extremeAgg{sign: -1}, nil }})
	sqlite.MustRegisterFunction("calldash_max", &sqlite.FunctionImpl{NArgs: 1, Deterministic: true, VolatileArgs: true,
		MakeAggregate: func(sqlite.FunctionContext) (sqlite.AggregateFunction, error) { return &extremeAgg{sign: 1}, nil }})
	sqlite.MustRegisterDeterministicScalarFunction("calldash_regexp", 2, regexpFunc)
	sqlite.MustRegisterDeterministicScalarFunction("calldash_fold_match", 3, foldMatchFunc)
	sqlite.MustRegisterDeterministicScalarFunction("calldash_floordiv", 2, floorDivFunc)
	sqlite.MustRegisterDeterministicScalarFunction("calldash_month_index", 1, monthIndexFunc)
	sqlite.MustRegisterDeterministicScalarFunction("calldash_number", 1, numberFunc)
	registerGroups()
}

// parseDecimal reads a decimal from text; ok is false for other text.
func parseDecimal(s string) (decimal.Decimal, bool) {
	if s == "" || len(s) > 1100 {
		return decimal.Decimal{}, false
	}
	for i := 0; i < len(s); i++ { // decimal.NewFromString also takes things like "1_000"
		c := s[i]
		if !(c >= '0' && c <= '9' || c == '.' || c == '-' || c == '+' || c == 'e' || c == 'E') {
			return decimal.Decimal{}, false
		}
	}
	d, err := decimal.NewFromString(s)
	if err != nil {
		return decimal.Decimal{}, false
	}
	return d, true
}

// compareDecimalText is the calldash_decimal collation.
func compareDecimalText(a, b string) int {
	if x, ok := parseSmall(a); ok {
		if y, ok := parseSmall(b); ok {
			return x.cmp(y)
		}
	}
	if r, ok := compareText(a, b); ok {
		return r
	}
	return compareDecimalSlow(a, b)
}

// compareDecimalSlow is the collation through shopspring/decimal, for
// text the fast path does not read.
func compareDecimalSlow(a, b string) int {
	da, oka := parseDecimal(a)
	db, okb := parseDecimal(b)
	switch {
	case oka && okb:
		return da.Cmp(db)
	case oka:
		return -1
	case okb:
		return 1
	}
	return strings.Compare(a, b)
}

// smallArg reads an aggregate argument that fits a small, without
// allocating; ok is false for NULL and for every other value, which
// decimalArg reads. It does not keep v (the aggregates are registered
// with VolatileArgs).
func smallArg(v driver.Value) (small, bool) {
	switch x := v.(type) {
	case string:
		return parseSmall(x)
	case int64:
		return smallInt(x)
	case float64:
		var buf [32]byte
		return parseSmall(strconv.AppendFloat(buf[:0], x, 'g', -1, 64))
	case []byte:
		return parseSmall(x)
	}
	return small{}, false
}

// decimalArg reads an aggregate argument; ok is false for NULL.
func decimalArg(v driver.Value) (decimal.Decimal, bool, error) {
	switch x := v.(type) {
	case nil:
		return decimal.Decimal{}, false, nil
	case int64:
		return decimal.NewFromInt(x), true, nil
	case float64:
		d, err := decimal.NewFromString(strconv.FormatFloat(x, 'g', -1, 64))
		return d, err == nil, err
	case string:
		if d, ok := parseDecimal(x); ok {
			return d, true, nil
		}
		return decimal.Decimal{}, false, fmt.Errorf("calldash: %q is not a decimal number", x)
	case []byte:
		if d, ok := parseDecimal(string(x)); ok {
			return d, true, nil
		}
		return decimal.Decimal{}, false, fmt.Errorf("calldash: %q is not a decimal number", x)
	}
	return decimal.Decimal{}, false, fmt.Errorf("calldash: cannot read %T as a decimal number", v)
}

// canonical writes d as canonical decimal text.
func canonical(d decimal.Decimal) string {
	if d.IsZero() {
		return "0"
	}
	return d.String()
}

// sumAgg is calldash_sum: the sum is coef·10^exp (at the smallest
// exponent of the values added) for as long as that fits an int64 and
// every value is a small; then it is sum, for good.
type sumAgg struct {
	coef int64
	exp  int32
	big  bool // sum holds the value; coef and exp are unused
	sum  decimal.Decimal
	n    int
}

func (a *sumAgg) addSmall(x small) {
	if !a.big {
		if c, e, ok := addScaled(a.coef, a.exp, x.coef, x.exp); ok {
			a.coef, a.exp = c, e
			return
		}
	}
	a.addDecimal(x.decimal())
}

func (a *sumAgg) addDecimal(d decimal.Decimal) {
	if !a.big {
		a.sum, a.big = decimal.New(a.coef, a.exp), true
	}
	a.sum = a.sum.Add(d)
}

func (a *sumAgg) Step(_ *sqlite.FunctionContext, args []driver.Value) error {
	if x, ok := smallArg(args[0]); ok {
		a.addSmall(x)
		a.n++
		return nil
	}
	d, ok, err := decimalArg(args[0])
	if ok {
		a.addDecimal(d)
		a.n++
	}
	return err
}

func (a *sumAgg) WindowInverse(_ *sqlite.FunctionContext, args []driver.Value) error {
	if x, ok := smallArg(args[0]); ok {
		a.addSmall(small{-x.coef, x.exp})
		a.n--
		return nil
	}
	d, ok, err := decimalArg(args[0])
	if ok {
		a.addDecimal(d.Neg())
		a.n--
	}
	return err
}

func (a *sumAgg) WindowValue(*sqlite.FunctionContext) (driver.Value, error) {
	switch {
	case a.n == 0:
		return nil, nil
	case a.big:
		return canonical(a.sum), nil
	}
	return canonicalSmall(a.coef, a.exp), nil
}

func (a *sumAgg) Final(*sqlite.FunctionContext) {}

// extremeAgg is calldash_min or calldash_max.
type extremeAgg struct {
	sign    int   // -1 min, +1 max
	best    small // the extreme so far, unless big
	bestBig decimal.Decimal
	big     bool // bestBig holds the extreme; best is unused
	n       int
}

func (a *extremeAgg) decimal() decimal.Decimal {
	if a.big {
		return a.bestBig
	}
	return a.best.decimal()
}

func (a *extremeAgg) Step(_ *sqlite.FunctionContext, args []driver.Value) error {
	if x, ok := smallArg(args[0]); ok {
		if a.n == 0 || !a.big && x.cmp(a.best) == a.sign || a.big && x.decimal().Cmp(a.bestBig) == a.sign {
			a.best, a.big = x, false
		}
		a.n++
		return nil
	}
	d, ok, err := decimalArg(args[0])
	if ok {
		if a.n == 0 || d.Cmp(a.decimal()) == a.sign {
			a.bestBig, a.big = d, true
		}
		a.n++
	}
	return err
}

func (a *extremeAgg) WindowInverse(*sqlite.FunctionContext, []driver.Value) error {
	return fmt.Errorf("calldash_min and calldash_max are not window functions")
}

func (a *extremeAgg) WindowValue(*sqlite.FunctionContext) (driver.Value, error) {
	switch {
	case a.n == 0:
		return nil, nil
	case a.big:
		return canonical(a.bestBig), nil
	}
	return canonicalSmall(a.best.coef, a.best.exp), nil
}

func (a *extremeAgg) Final(*sqlite.FunctionContext) {}

// regexps caches compiled patterns; it is cleared when it grows large.
var regexps struct {
	sync.Mutex
	m map[string]*regexp.Regexp
}

func compiled(pattern string) (*regexp.Regexp, error) {
	regexps.Lock()
	defer regexps.Unlock()
	if re, ok := regexps.m[pattern]; ok {
		return re, nil
	}
	re, err := regexp.Compile(pattern)
	if err != nil {
		return nil, err
	}
	if regexps.m == nil || len(regexps.m) >= 256 {
		regexps.m = map[string]*regexp.Regexp{}
	}
	regexps.m[pattern] = re
	return re, nil
}

func textArg(v driver.Value) (string, bool) {
	switch x := v.(type) {
	case string:
		return x, true
	case []byte:
		return string(x), true
	}
	return "", false
}

func regexpFunc(_ *sqlite.FunctionContext, args []driver.Value) (driver.Value, error) {
	text, ok := textArg(args[0])
	if !ok {
		return nil, nil // NULL, or not a string: no match (like memory)
	}
	pattern, ok := textArg(args[1])
	if !ok {
		return nil, fmt.Errorf("calldash_regexp: the pattern must be text")
	}
	re, err := compiled(pattern)
	if err != nil {
		return nil, fmt.Errorf("calldash_regexp: %v", err)
	}
	if re.MatchString(text) {
		return int64(1), nil
	}
	return int64(0), nil
}

func intArg(v driver.Value) (int64, bool, error) {
	switch x := v.(type) {
	case nil:
		return 0, false, nil
	case int64:
		return x, true, nil
	}
	return 0, false, fmt.Errorf("calldash: want an integer, got %T", v)
}

func floorDivFunc(_ *sqlite.FunctionContext, args []driver.Value) (driver.Value, error) {
	a, ok1, err := intArg(args[0])
	if err != nil {
		return nil, err
	}
	b, ok2, err := intArg(args[1])
	if err != nil || !ok1 || !ok2 {
		return nil, err
	}
	if b == 0 {
		return nil, fmt.Errorf("calldash_floordiv: division by zero")
	}
	q := a / b
	if (a%b != 0) && ((a < 0) != (b < 0)) {
		q--
	}
	return q, nil
}

func monthIndexFunc(_ *sqlite.FunctionContext, args []driver.Value) (driver.Value, error) {
	days, ok, err := intArg(args[0])
	if err != nil || !ok {
		return nil, err
	}
	t := time.Unix(0, 0).UTC().AddDate(0, 0, int(days))
	return int64(t.Year())*12 + int64(t.Month()) - 1, nil
}

// numberFunc is calldash_number(x): the canonical decimal text of the
// number x (the JSON text of a number as a user wrote it: 5.0 and 5e0 are
// "5"), NULL for NULL and for text that is no number.
func numberFunc(_ *sqlite.FunctionContext, args []driver.Value) (driver.Value, error) {
	switch x := args[0].(type) {
	case int64:
		return strconv.FormatInt(x, 10), nil
	case string:
		if d, ok := parseDecimal(x); ok {
			return d.String(), nil
		}
	case []byte:
		if d, ok := parseDecimal(string(x)); ok {
			return d.String(), nil
		}
	}
	return nil, nil
}
