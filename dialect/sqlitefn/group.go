package sqlitefn

import (
	"cmp"
	"database/sql/driver"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"

	"modernc.org/sqlite"
)

// The group aggregates: GROUP BY without a sort. SQLite has no hash
// aggregation: a GROUP BY sorts every row it groups, and for a bar over a
// million calls that sort was most of the statement's time. A group
// aggregate sees every row once and keeps one cell per key in a map.

// maxGroupKeys is the number of key arguments a group aggregate takes at
// most: the bucket and the offset of an hour bucket.
const maxGroupKeys = 2

// registerGroups registers calldash_group_count, _sum, _min and _max.
func registerGroups() {
	for name, newCell := range map[string]func() sqlite.AggregateFunction{
		"count": nil,
		"sum":   func() sqlite.AggregateFunction { return &sumAgg{} },
		"min":   func() sqlite.AggregateFunction { return &extremeAgg{sign: -1} },
		"max":   func() sqlite.AggregateFunction { return &extremeAgg{sign: 1} },
	} {
		sqlite.MustRegisterFunction("calldash_group_"+name, &sqlite.FunctionImpl{NArgs: -1, Deterministic: true, VolatileArgs: true,
			MakeAggregate: func(sqlite.FunctionContext) (sqlite.AggregateFunction, error) {
				return &groupAgg{name: name, newCell: newCell, cells: make(map[groupKey]*groupCell)}, nil
			}})
	}
}

// A groupKey is the integer keys of one cell; unused keys are 0.
type groupKey [maxGroupKeys]int64

// A groupCell is the aggregates of one key.
type groupCell struct {
	rows, values int64
	agg          sqlite.AggregateFunction // nil for count
}

// groupAgg is calldash_group_<name>(v, k1[, k2]): what
//
//	SELECT k1[, k2], COUNT(*), COUNT(v), calldash_<name>(v) ... GROUP BY k1[, k2]
//
// returns (NULL for count), as one JSON array of those rows, each an
// array, in key order: [[k1, k2, rows, values, agg], ...]. The keys are
// integers; the aggregate is canonical decimal text or null. An empty
// input gives "[]". It is not a window function.
type groupAgg struct {
	name    string
	newCell func() sqlite.AggregateFunction
	nkeys   int
	cells   map[groupKey]*groupCell

	// The last key and its cell: rows come in runs of one key when they
	// come in time order, and a run costs one map lookup.
	last     groupKey
	lastCell *groupCell
}

func (a *groupAgg) Step(_ *sqlite.FunctionContext, args []driver.Value) error {
	nkeys := len(args) - 1
	if nkeys < 1 || nkeys > maxGroupKeys || a.nkeys != 0 && nkeys != a.nkeys {
		return fmt.Errorf("calldash_group_%s: want a value and 1 to %d keys, got %d arguments", a.name, maxGroupKeys, len(args))
	}
	a.nkeys = nkeys
	var k groupKey
	for i, v := range args[1:] {
		n, ok := v.(int64)
		if !ok {
			return fmt.Errorf("calldash_group_%s: key %d is %T, not an integer", a.name, i+1, v)
		}
		k[i] = n
	}
	c := a.lastCell
	if c == nil || k != a.last {
		if c = a.cells[k]; c == nil {
			c = &groupCell{}
			if a.newCell != nil {
				c.agg = a.newCell()
			}
			a.cells[k] = c
		}
		a.last, a.lastCell = k, c
	}
	c.rows++
	if args[0] == nil {
		return nil
	}
	c.values++
	if c.agg == nil {
		return nil
	}
	return c.agg.Step(nil, args[:1])
}

func (a *groupAgg) WindowInverse(*sqlite.FunctionContext, []driver.Value) error {
	return fmt.Errorf("calldash_group_%s is not a window function", a.name)
}

func (a *groupAgg) WindowValue(*sqlite.FunctionContext) (driver.Value, error) {
	keys := make([]groupKey, 0, len(a.cells))
	for k := range a.cells {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, func(x, y groupKey) int {
		return cmp.Or(cmp.Compare(x[0], y[0]), cmp.Compare(x[1], y[1]))
	})
	b := make([]byte, 0, 2+len(keys)*48)
	b = append(b, '[')
	for i, k := range keys {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, '[')
		for _, n := range k[:a.nkeys] {
			b = strconv.AppendInt(b, n, 10)
			b = append(b, ',')
		}
		c := a.cells[k]
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
		case string:
			// Canonical decimal text: quoting cannot fail.
			q, _ := json.Marshal(v)
			b = append(b, q...)
		default:
			return nil, fmt.Errorf("calldash_group_%s: unexpected %T", a.name, v)
		}
		b = append(b, ']')
	}
	b = append(b, ']')
	return string(b), nil
}

func (a *groupAgg) Final(*sqlite.FunctionContext) {}
