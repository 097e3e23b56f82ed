package widget

import (
	"context"
	"iter"

	"github.com/calldash/calldash"
	"github.com/calldash/calldash/widget/internal/plan"
	"github.com/calldash/calldash/widget/internal/result"
	"github.com/calldash/calldash/widget/internal/table"
)

// A Table is a [Source] over call logs prepared once, in columns, for many
// widgets: build it with [NewTable] and pass it to [Preview] or
// [PreviewMany] as often as needed.
//
// A Table answers exactly what [Calls] over the same records answers,
// byte for byte, only faster: it keeps timestamps, numbers and fields
// with few distinct values in columns, evaluates filters and aggregates
// over them block by block, and falls back to the records for what the
// columns cannot express (metadata, metric evaluations, line points). The
// columns describe the call-log schema; a preview with another schema
// ([WithSchema]) is answered from the records alone.
//
// A Table built by [NewTable] holds the records it was built from (not a
// copy of the slice): they must not change afterwards. One built by
// [DecodeTable] or [ReadTable] keeps no records: it gives back, from its
// columns and a compact copy of the rest (metadata, evaluations), the
// records a widget reads one by one, and answers the same. A Table is
// safe for concurrent use.
type Table struct{ t *table.Table }

// NewTable prepares calls for [Preview] and [PreviewMany]. It costs about
// as much as a few previews over the records; the columns take about two
// dozen bytes per record besides the records themselves (on call logs
// such as the sample generator's), and answering adds almost nothing.
func NewTable(calls []calldash.Call) *Table { return &Table{table.New(calls)} }

// ReadTable is [NewTable] over the records of seq, read once and not
// kept: each may be reused as soon as the next is asked for.
func ReadTable(seq iter.Seq[calldash.Call]) *Table {
	b := table.NewBuilder()
	for c := range seq {
		b.Add(&c)
	}
	return &Table{b.Table()}
}

// Len returns the number of records.
func (t *Table) Len() int { return t.t.Len() }

func (t *Table) answer(ctx context.Context, qs []*plan.Query, workers int) ([]*result.Answer, []error) {
	return t.t.Answer(ctx, qs, workers)
}
