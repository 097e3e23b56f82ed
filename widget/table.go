package widget

import (
	"context"
	"iter"
	"slices"

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
// A Table holds the records it was built from (not a copy of the slice):
// they must not change afterwards. It is safe for concurrent use.
type Table struct{ t *table.Table }

// NewTable prepares calls for [Preview] and [PreviewMany]. It costs about
// as much as a few previews over the records; the columns take a few dozen
// bytes per record besides the records themselves.
func NewTable(calls []calldash.Call) *Table { return &Table{table.New(calls)} }

// ReadTable is [NewTable] over the records of seq, read once.
func ReadTable(seq iter.Seq[calldash.Call]) *Table { return NewTable(slices.Collect(seq)) }

// Len returns the number of records.
func (t *Table) Len() int { return t.t.Len() }

func (t *Table) answer(ctx context.Context, qs []*plan.Query, workers int) ([]*result.Answer, []error) {
	return t.t.Answer(ctx, qs, workers)
}
