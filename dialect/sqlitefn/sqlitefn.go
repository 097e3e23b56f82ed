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
//   - calldash_regexp(text, pattern): 1 when Go's regexp (RE2) finds
//     pattern in text, else 0; NULL when text is NULL.
//   - calldash_floordiv(a, b): a divided by b rounded toward minus
//     infinity, for integers (b ≠ 0).
//   - calldash_month_index(days): year*12 + month - 1 of the date days
//     after 1970-01-01.
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
	sqlite.MustRegisterFunction("calldash_sum", &sqlite.FunctionImpl{NArgs: 1, Deterministic: true,
		MakeAggregate: func(sqlite.FunctionContext) (sqlite.AggregateFunction, error) { return &sumAgg{}, nil }})
	sqlite.MustRegisterFunction("calldash_min", &sqlite.FunctionImpl{NArgs: 1, Deterministic: true,
		MakeAggregate: func(sqlite.FunctionContext) (sqlite.AggregateFunction, error) { return &extremeAgg{sign: -1}, nil }})
	sqlite.MustRegisterFunction("calldash_max", &sqlite.FunctionImpl{NArgs: 1, Deterministic: true,
		MakeAggregate: func(sqlite.FunctionContext) (sqlite.AggregateFunction, error) { return &extremeAgg{sign: 1}, nil }})
	sqlite.MustRegisterDeterministicScalarFunction("calldash_regexp", 2, regexpFunc)
	sqlite.MustRegisterDeterministicScalarFunction("calldash_floordiv", 2, floorDivFunc)
	sqlite.MustRegisterDeterministicScalarFunction("calldash_month_index", 1, monthIndexFunc)
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

type sumAgg struct {
	sum decimal.Decimal
	n   int
}

func (a *sumAgg) Step(_ *sqlite.FunctionContext, args []driver.Value) error {
	d, ok, err := decimalArg(args[0])
	if ok {
		a.sum = a.sum.Add(d)
		a.n++
	}
	return err
}

func (a *sumAgg) WindowInverse(_ *sqlite.FunctionContext, args []driver.Value) error {
	d, ok, err := decimalArg(args[0])
	if ok {
		a.sum = a.sum.Sub(d)
		a.n--
	}
	return err
}

func (a *sumAgg) WindowValue(*sqlite.FunctionContext) (driver.Value, error) {
	if a.n == 0 {
		return nil, nil
	}
	return canonical(a.sum), nil
}

func (a *sumAgg) Final(*sqlite.FunctionContext) {}

type extremeAgg struct {
	sign int // -1 min, +1 max
	best decimal.Decimal
	n    int
}

func (a *extremeAgg) Step(_ *sqlite.FunctionContext, args []driver.Value) error {
	d, ok, err := decimalArg(args[0])
	if ok && (a.n == 0 || d.Cmp(a.best) == a.sign) {
		a.best = d
	}
	if ok {
		a.n++
	}
	return err
}

func (a *extremeAgg) WindowInverse(*sqlite.FunctionContext, []driver.Value) error {
	return fmt.Errorf("calldash_min and calldash_max are not window functions")
}

func (a *extremeAgg) WindowValue(*sqlite.FunctionContext) (driver.Value, error) {
	if a.n == 0 {
		return nil, nil
	}
	return canonical(a.best), nil
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
