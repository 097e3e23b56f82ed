package widget

import (
	"context"
	"sync"
	"time"

	"github.com/calldash/calldash"
	"github.com/calldash/calldash/widget/internal/plan"
	"github.com/calldash/calldash/widget/internal/result"
	"github.com/calldash/calldash/widget/internal/table"
)

// A LiveTable is a [Source] over call logs that come and go: [LiveTable.Append]
// adds calls (in any time order) and [LiveTable.Drop] removes those older
// than a cut-off, while previews go on. Each preview answers from a
// snapshot, the calls as they were when it began, exactly as a [Table]
// built from scratch over those calls would. Like the Tables of
// [DecodeTable], it keeps no records, only columns.
//
// Appending copies the calls into columns that only grow: the snapshot a
// preview takes shares them, and costs a pass over the columns the first
// time after an append (not a rebuild). Dropping rebuilds the columns
// from the calls that stay, so their memory is returned once no preview
// uses the older snapshot. A LiveTable is safe for concurrent use.
type LiveTable struct {
	mu   sync.Mutex
	b    *table.Builder
	snap *table.Table // nil after a change
}

// NewLiveTable returns an empty LiveTable.
func NewLiveTable() *LiveTable { return &LiveTable{b: table.NewBuilder()} }

// Append adds calls; they may be reused once Append returns.
func (l *LiveTable) Append(calls ...calldash.Call) {
	if len(calls) == 0 {
		return
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	l.b.Grow(len(calls))
	for i := range calls {
		l.b.Add(&calls[i])
	}
	l.snap = nil
}

// Drop removes the calls whose timestamp is before cut and returns how
// many it removed.
func (l *LiveTable) Drop(cut time.Time) int {
	l.mu.Lock()
	defer l.mu.Unlock()
	n := l.b.Len()
	b := l.b.Without(func(c *calldash.Call) bool { return c.Timestamp.Before(cut) })
	if b.Len() == n {
		return 0
	}
	l.b, l.snap = b, nil
	return n - b.Len()
}

// Len returns the number of calls.
func (l *LiveTable) Len() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Len()
}

// Table returns a snapshot: a Table of the calls as they are now, which
// later appends and drops do not change.
func (l *LiveTable) Table() *Table { return &Table{l.snapshot()} }

func (l *LiveTable) snapshot() *table.Table {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.snap == nil {
		l.snap = l.b.Table()
	}
	return l.snap
}

func (l *LiveTable) answer(ctx context.Context, qs []*plan.Query, workers int) ([]*result.Answer, []error) {
	return l.snapshot().Answer(ctx, qs, workers)
}
