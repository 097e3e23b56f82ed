package sqlitefn

import (
	"bytes"
	"database/sql/driver"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/shopspring/decimal"
	"modernc.org/sqlite"

	"github.com/calldash/calldash/aggregate"
)

// The group aggregates: GROUP BY without a sort. SQLite has no hash
// aggregation: a GROUP BY sorts every row it groups, and for a bar over a
// million calls that sort was most of the statement's time. A group
// aggregate sees every row once and keeps one cell per key in a map.

// maxGroupKeys is the number of keys a group aggregate takes at most: a
// bar's bucket, the offset of an hour bucket, and the group label.
const maxGroupKeys = 3

// registerGroups registers calldash_group_<name> for each aggregate a
// cell can hold.
func registerGroups() {
	for _, name := range []string{"count", "sum", "min", "max", "p50", "p95", "p99"} {
		newCell := cellFunc(name)
		sqlite.MustRegisterFunction("calldash_group_"+name, &sqlite.FunctionImpl{NArgs: -1, Deterministic: true, VolatileArgs: true,
			MakeAggregate: func(sqlite.FunctionContext) (sqlite.AggregateFunction, error) {
				return &groupAgg{name: name, newCell: newCell, cells: make(map[string]*groupCell), limit: -1}, nil
			}})
	}
}

// cellFunc returns what makes the aggregate of one cell of
// calldash_group_<name>: nil for count, which has none.
func cellFunc(name string) func() sqlite.AggregateFunction {
	switch name {
	case "sum":
		return func() sqlite.AggregateFunction { return &sumAgg{} }
	case "min":
		return func() sqlite.AggregateFunction { return &extremeAgg{sign: -1} }
	case "max":
		return func() sqlite.AggregateFunction { return &extremeAgg{sign: 1} }
	case "p50", "p95", "p99":
		p, _ := strconv.Atoi(name[1:])
		return func() sqlite.AggregateFunction { return &rankAgg{p: p} }
	}
	return nil
}

// A groupCell is the aggregates of one key.
type groupCell struct {
	keys         []driver.Value // int64, string (a copy) or nil
	rows, values int64
	agg          sqlite.AggregateFunction // nil for count
}

// groupAgg is calldash_group_<name>(cap, kinds, v, k1[, k2[, k3]]): what
//
//	SELECT k1, …, COUNT(*), COUNT(v), calldash_<name>(v) … GROUP BY k1, …
//
// returns (NULL for count; the nearest-rank percentile of the values for
// p50, p95 and p99), as one JSON array of those rows, each an array:
// [[k1, …, rows, values, agg], …]. kinds is an integer with a bit per
// key (bit 0 for k1): clear for an integer key, written as a JSON
// number, set for a text key, written as a JSON string of its bytes in
// hex. NULL fits both and is written as null; any other value is an
// error. (An integer, not a text like 'iit': the driver allocates for
// every text argument of every row.) The aggregate is canonical
// decimal text or null. An empty input gives "[]". It is not a window
// function.
//
// cap is a non-negative integer, the same on every row: 0 for no cap;
// otherwise, once cap cells exist, a row of a new key ends the
// aggregation (the rows after it are not read), and the result is those
// cap cells, their aggregates over the rows before it. A caller that
// refuses an answer of more than n cells passes n+1: cap cells back mean
// "more than n", and memory stays bounded by the cap.
type groupAgg struct {
	name    string
	newCell func() sqlite.AggregateFunction
	limit   int64 // the cap argument; -1 before the first row
	full    bool  // a row of a key past the cap came: ignore the rest
	kinds   int64 // bit i set: key i is text
	nkeys   int
	cells   map[string]*groupCell // by encoded keys

	// The keys of this row and of the last one, encoded, and the last
	// one's cell: rows in time order come in runs of one bucket, and a
	// run costs one map lookup.
	key, lastKey []byte
	lastCell     *groupCell
}

func (a *groupAgg) Step(_ *sqlite.FunctionContext, args []driver.Value) error {
	if a.full {
		return nil
	}
	if err := a.checkCap(args); err != nil {
		return err
	}
	args = args[1:]
	if err := a.checkKinds(args); err != nil {
		return err
	}
	keys := args[2:]
	a.key = a.key[:0]
	for i, v := range keys {
		switch x := v.(type) {
		case nil:
			a.key = append(a.key, 0)
		case int64:
			if a.text(i) {
				return a.keyError(i, v)
			}
			// The sign bit flipped: encoded keys sort as the integers.
			a.key = binary.BigEndian.AppendUint64(append(a.key, 1), uint64(x)^1<<63)
		case string:
			if !a.text(i) {
				return a.keyError(i, v)
			}
			a.key = binary.BigEndian.AppendUint32(append(a.key, 2), uint32(len(x)))
			a.key = append(a.key, x...)
		default:
			return a.keyError(i, v)
		}
	}
	c := a.lastCell
	if c == nil || !bytes.Equal(a.key, a.lastKey) {
		if c = a.cells[string(a.key)]; c == nil {
			if a.limit > 0 && int64(len(a.cells)) >= a.limit {
				a.full = true
				return nil
			}
			c = a.newGroupCell(keys)
			a.cells[string(a.key)] = c
		}
		a.lastKey, a.lastCell = append(a.lastKey[:0], a.key...), c
	}
	c.rows++
	if args[1] == nil {
		return nil
	}
	c.values++
	if c.agg == nil {
		return nil
	}
	return c.agg.Step(nil, args[1:2])
}

// checkCap checks the cap argument (args[0]); the first row fixes it.
func (a *groupAgg) checkCap(args []driver.Value) error {
	if len(args) > 0 {
		if limit, ok := args[0].(int64); ok && limit >= 0 {
			if a.limit < 0 {
				a.limit = limit
			}
			if limit == a.limit {
				return nil
			}
		}
	}
	return fmt.Errorf("calldash_group_%s: want the cap (a non-negative integer, the same on every row, 0 for none) first", a.name)
}

// checkKinds checks the kinds argument and the number of keys; the first
// row fixes them.
func (a *groupAgg) checkKinds(args []driver.Value) error {
	if len(args) >= 3 && len(args)-2 <= maxGroupKeys {
		if kinds, ok := args[0].(int64); ok && kinds >= 0 && kinds < 1<<(len(args)-2) {
			if a.nkeys == 0 {
				a.kinds, a.nkeys = kinds, len(args)-2
			}
			if kinds == a.kinds && len(args)-2 == a.nkeys {
				return nil
			}
		}
	}
	return fmt.Errorf("calldash_group_%s: want the kinds (a bit per key, set for text), a value and 1 to %d keys", a.name, maxGroupKeys)
}

// text reports whether key i is text.
func (a *groupAgg) text(i int) bool { return a.kinds&(1<<i) != 0 }

func (a *groupAgg) keyError(i int, v driver.Value) error {
	want := "an integer"
	if a.text(i) {
		want = "text"
	}
	return fmt.Errorf("calldash_group_%s: key %d is %T, not %s", a.name, i+1, v, want)
}

// newGroupCell returns a cell for keys, copying their text: the
// arguments are volatile (they live only until Step returns).
func (a *groupAgg) newGroupCell(keys []driver.Value) *groupCell {
	c := &groupCell{keys: make([]driver.Value, len(keys))}
	for i, v := range keys {
		if s, ok := v.(string); ok {
			v = strings.Clone(s)
		}
		c.keys[i] = v
	}
	if a.newCell != nil {
		c.agg = a.newCell()
	}
	return c
}

func (a *groupAgg) WindowInverse(*sqlite.FunctionContext, []driver.Value) error {
	return fmt.Errorf("calldash_group_%s is not a window function", a.name)
}

// WindowValue writes the cells in the order of their encoded keys: by
// the first key, NULL first, then integers ascending or text by length
// and bytes; then by the next key.
func (a *groupAgg) WindowValue(*sqlite.FunctionContext) (driver.Value, error) {
	encoded := make([]string, 0, len(a.cells))
	for k := range a.cells {
		encoded = append(encoded, k)
	}
	slices.Sort(encoded)
	b := make([]byte, 0, 2+len(encoded)*48)
	b = append(b, '[')
	for i, k := range encoded {
		if i > 0 {
			b = append(b, ',')
		}
		c := a.cells[k]
		b = append(b, '[')
		for _, v := range c.keys {
			switch v := v.(type) {
			case nil:
				b = append(b, "null"...)
			case int64:
				b = strconv.AppendInt(b, v, 10)
			case string:
				b = append(b, '"')
				b = hex.AppendEncode(b, []byte(v))
				b = append(b, '"')
			}
			b = append(b, ',')
		}
		b = strconv.AppendInt(b, c.rows, 10)
		b = append(b, ',')
		b = strconv.AppendInt(b, c.values, 10)
		b = append(b, ',')
		var v driver.Value
		if c.agg != nil {
			var err error
			if v, err = c.agg.WindowValue(nil); err != nil {
				return nil, err
			}
		}
		switch v := v.(type) {
		case nil:
			b = append(b, "null"...)
		case string: // canonical decimal text: nothing to escape
			b = append(b, '"')
			b = append(b, v...)
			b = append(b, '"')
		default:
			return nil, fmt.Errorf("calldash_group_%s: unexpected %T", a.name, v)
		}
		b = append(b, ']')
	}
	b = append(b, ']')
	return string(b), nil
}

func (a *groupAgg) Final(*sqlite.FunctionContext) {}

// rankAgg is the nearest-rank p-th percentile of the values of one cell:
// the value at rank ⌈p·n/100⌉ ([aggregate.Rank], as in memory) of the n
// values in order. It keeps the
// values as smalls while every one is, and as decimals from the first
// that is not.
type rankAgg struct {
	p      int
	smalls []small
	big    []decimal.Decimal // every value, once one is not a small
}

func (a *rankAgg) Step(_ *sqlite.FunctionContext, args []driver.Value) error {
	if x, ok := smallArg(args[0]); ok && a.big == nil {
		a.smalls = append(a.smalls, x)
		return nil
	}
	d, ok, err := decimalArg(args[0])
	if !ok {
		return err
	}
	if a.big == nil {
		a.big = make([]decimal.Decimal, 0, len(a.smalls)+1)
		for _, x := range a.smalls {
			a.big = append(a.big, x.decimal())
		}
		a.smalls = nil
	}
	a.big = append(a.big, d)
	return nil
}

func (a *rankAgg) WindowInverse(*sqlite.FunctionContext, []driver.Value) error {
	return fmt.Errorf("calldash percentiles are not window functions")
}

func (a *rankAgg) WindowValue(*sqlite.FunctionContext) (driver.Value, error) {
	if a.big != nil {
		slices.SortFunc(a.big, decimal.Decimal.Cmp)
		return canonical(a.big[aggregate.Rank(a.p, len(a.big))-1]), nil
	}
	if len(a.smalls) == 0 {
		return nil, nil
	}
	slices.SortFunc(a.smalls, small.cmp)
	x := a.smalls[aggregate.Rank(a.p, len(a.smalls))-1]
	return canonicalSmall(x.coef, x.exp), nil
}

func (a *rankAgg) Final(*sqlite.FunctionContext) {}
