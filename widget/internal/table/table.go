// Package table is the columnar engine behind widget.Table: call logs
// held in columns, and filters and aggregates evaluated over them block by
// block.
//
//   - Timestamps are Unix nanoseconds; numbers are integers scaled by a
//     common power of ten (a number that does not fit is read from its
//     record); fields with few distinct values are dictionary codes, one
//     byte per row for at most 256 distinct values, two for at most
//     65,536, four beyond (the width is chosen as the Builder goes, and
//     widened into a new array when a code no longer fits). The filter
//     and aggregate kernels that read codes are generic over the width.
//   - In a Table without records, metadata and metric evaluations are
//     packed per row as varints: entries by number in pools of keys,
//     metrics and values (numbers pooled by value, found by open
//     addressing), evaluation ids as differences from the one before.
//     A call's new keys and values are pooled in the sorted order of its
//     keys and its entries packed by key code, so the same calls make the
//     same bytes whatever the order of a map's iteration. The packed rows
//     and the strings of a column without a dictionary are held per block,
//     the pool in chunks: a Builder never copies them as it grows.
//   - A filter runs column by column over blocks of rows (filter.go),
//     narrowing a selection of row numbers. A condition on a dictionary
//     field is decided once per distinct value; a comparison of a number or
//     an instant is one integer comparison; conditions the columns cannot
//     decide (metadata, metric evaluations, same_row groups, strings with
//     too many distinct values) are decided by the in-memory matcher on the
//     records still selected.
//   - Bar charts (the count of a field with a dictionary, or of numbers;
//     other aggregates of a number or boolean; ungrouped or grouped by a
//     dictionary field), pie charts of a dictionary field and stat widgets
//     aggregate in scaled integers per bucket (agg.go), with precomputed
//     bucket boundaries, and convert to decimals once per bucket. When the
//     records are in time order, a block's rows fall in runs of one bucket
//     each, found by a binary search, and a percentile is taken as each
//     bucket ends. Other widgets (line charts, metric and metadata widgets,
//     percentiles with top-N groups, a stat with a latency metric) add the
//     selected records to the result builder as the memory engine does.
//   - A widget that selects every row of a block reads its columns in
//     order, and adds a block that falls in one bucket from the block's
//     summary when it can: the rows of each dictionary code (at most 256
//     codes), the sum and nulls of a number column (col.go).
//   - An aggregate of a dictionary field (a boolean averaged, strings
//     counted) reads its values a block at a time into a buffer of its own (blockValues): no column is ever
//     copied whole for a widget, so answering adds only summaries of a
//     few bytes per block to a Table.
//
// The columns describe the fields of filter.CallLogs; a query with another
// schema is answered from the records alone.
package table

import (
	"context"
	"reflect"
	"strconv"
	"strings"

	"github.com/calldash/calldash"
	"github.com/calldash/calldash/filter"
	"github.com/calldash/calldash/widget/internal/plan"
	"github.com/calldash/calldash/widget/internal/result"
	"github.com/calldash/calldash/widget/internal/workers"
)

type Table struct {
	n            int             // rows
	calls        []calldash.Call // the records; nil when rows gives them back
	rows         *rowStore
	ts           []int64 // Timestamp as Unix nanoseconds; bigNum when out of range
	tsOK         bool    // every timestamp is in range
	tsSorted     bool    // the records are in time order (ts ascending)
	minTs, maxTs int64
	tsZones      []zone                // of ts
	cols         map[string]*column    // call-level fields by name
	times        map[string]timeColumn // datetime fields by name
	shape        string                // the fields of the schema the columns describe
	summaries    bool                  // whole blocks may be added from the columns' block summaries
}

// A timeColumn is a datetime field as Unix nanoseconds (see timeNanos).
type timeColumn struct {
	vals   []int64
	zones  []zone
	hasBig bool // some instant is out of range
}

// New builds the columns of calls, which must not change afterwards.
func New(calls []calldash.Call) *Table { return NewTuned(calls, MaxDict(len(calls)), true) }

// NewTuned is New with at most dictLimit distinct values per dictionary
// column, and with or without block summaries (tests lower the one and
// turn off the other to reach the other paths).
func NewTuned(calls []calldash.Call, dictLimit int, summaries bool) *Table {
	b := newBuilder(len(calls), dictLimit, summaries, false)
	for i := range calls {
		b.Add(&calls[i])
	}
	t := b.Table()
	t.calls = calls
	return t
}

// NewTunedRows is NewTuned for a Table without records: the calls are
// read once and not kept.
func NewTunedRows(calls []calldash.Call, dictLimit int, summaries bool) *Table {
	b := newBuilder(len(calls), dictLimit, summaries, true)
	for i := range calls {
		b.Add(&calls[i])
	}
	return b.Table()
}

// Len returns the number of records.
func (t *Table) Len() int { return t.n }

// schemaShape describes the fields of s: names, types, kinds and the
// code of their readers (a reader's function pointer).
func schemaShape(s *filter.Schema) string {
	var b strings.Builder
	for _, f := range s.Fields() {
		b.WriteString(f.Name)
		b.WriteByte(byte('0' + f.Type))
		for _, set := range []bool{f.Prefix, f.Metric} {
			if set {
				b.WriteByte('1')
			} else {
				b.WriteByte('0')
			}
		}
		// The readers themselves: a schema whose fields have the names
		// and types of the call-log schema but read the records otherwise
		// is not the one the columns hold.
		for _, r := range []any{f.Call, f.Time, f.Key, f.Eval, f.CallInt, f.EvalInt} {
			b.WriteByte(',')
			if v := reflect.ValueOf(r); !v.IsNil() {
				b.WriteString(strconv.FormatUint(uint64(v.Pointer()), 16))
			}
		}
		b.WriteByte(';')
	}
	return b.String()
}

// blockSize is the number of rows a filter and an aggregation handle at a
// time: the selection stays in the L1 cache.
const blockSize = 4096

// Answer answers each widget with its own pass over the blocks, up to
// workers of them at a time. (Interleaving the widgets block by block was
// measured no faster: the columns a widget reads are few and the work per
// row dominates.)
func (t *Table) Answer(ctx context.Context, qs []*plan.Query, nworkers int) ([]*result.Answer, []error) {
	resps, errs := make([]*result.Answer, len(qs)), make([]error, len(qs))
	workers.ForEach(nworkers, len(qs), func(k int) {
		tr, err := t.newRun(qs[k])
		if err != nil {
			errs[k] = err
			return
		}
		for lo := 0; lo < t.n; lo += blockSize {
			if ctx.Err() != nil {
				break
			}
			tr.block(lo, min(lo+blockSize, t.n))
		}
		if err := ctx.Err(); err != nil {
			errs[k] = err
			return
		}
		resps[k], errs[k] = tr.finish()
	})
	return resps, errs
}

// A tableRun answers one widget from a Table.
type tableRun struct {
	t    *Table
	r    *result.Run
	pred pred // nil: every row
	sel  []int32
	agg  tableAgg // nil: add the selected records to r, as the memory source does
	rows *rowReader
}

// A tableAgg aggregates the selected rows of a block in columns.
type tableAgg interface {
	// add adds the rows of sel, in ascending order, all of one block.
	add(sel []int32)
	// addAll adds every row of the block [lo, hi) (lo is a multiple of
	// blockSize, hi the block's end): reading the columns in order
	// rather than through a selection spares an indirection per row, and
	// a whole block may be added from its summary. scratch has room for
	// hi-lo row numbers.
	addAll(lo, hi int, scratch []int32)
	finish(r *result.Run) error
}

func (t *Table) newRun(q *plan.Query) (*tableRun, error) {
	// Compile the whole filter first, as the memory source does, so that
	// errors found only when compiling (a relative time out of range)
	// are the same, all of them.
	if _, err := filter.Compile(q.Filter, q.Env); err != nil {
		return nil, err
	}
	tr := &tableRun{t: t, r: result.New(q), sel: make([]int32, blockSize), rows: t.reader()}
	columns := schemaShape(q.Config.Schema) == t.shape
	c := &predCompiler{t: t, q: q, columns: columns}
	if n := q.Filter.Node(); n != nil {
		p, err := c.node(n)
		if err != nil {
			return nil, err
		}
		tr.pred = p
	}
	if columns && !tr.r.LearnsMetric() {
		tr.agg = t.newAgg(q, tr.r)
	}
	return tr, nil
}

func (tr *tableRun) block(lo, hi int) {
	r := tr.r
	if r.LearnsMetric() {
		for i := lo; i < hi && r.LearnsMetric(); i++ {
			r.Learn(tr.rows.row(i))
		}
	}
	// Without a filter, or when the filter keeps the whole block, the
	// rows are read in order, not through a selection.
	all, sel := true, []int32(nil)
	if tr.pred != nil {
		sel, all = tr.pred.keepAll(lo, hi, tr.sel)
	}
	switch {
	case tr.agg != nil && all:
		tr.agg.addAll(lo, hi, tr.sel)
	case tr.agg != nil:
		tr.agg.add(sel)
	case all:
		for i := lo; i < hi; i++ {
			r.Add(tr.rows.row(int(i)))
		}
	default:
		for _, i := range sel {
			r.Add(tr.rows.row(int(i)))
		}
	}
}

// rowNumbers sets sel to first, first+1, …: eight at a time, three times
// as fast as one by one (a dense widget spent a third of its time here).
func rowNumbers(sel []int32, first int32) {
	v := first
	for len(sel) >= 8 {
		s := sel[:8:8]
		s[0], s[1], s[2], s[3], s[4], s[5], s[6], s[7] = v, v+1, v+2, v+3, v+4, v+5, v+6, v+7
		v += 8
		sel = sel[8:]
	}
	for i := range sel {
		sel[i] = v
		v++
	}
}

func (tr *tableRun) finish() (*result.Answer, error) {
	if tr.agg != nil {
		if err := tr.agg.finish(tr.r); err != nil {
			return nil, err
		}
	}
	return tr.r.Finish()
}
