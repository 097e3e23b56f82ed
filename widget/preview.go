package widget

import (
	"context"
	"iter"

	"github.com/calldash/calldash"
	"github.com/calldash/calldash/widget/internal/memory"
	"github.com/calldash/calldash/widget/internal/plan"
	"github.com/calldash/calldash/widget/internal/result"
)

// A Source is where [Preview] finds call logs: records in memory ([Calls],
// [Stream], a [Table]) or a database ([SQL]).
type Source interface {
	// answer answers the widgets of qs, up to workers at a time; answers[i]
	// and errs[i] are those of qs[i], exactly one of them non-nil.
	answer(ctx context.Context, qs []*plan.Query, workers int) (answers []*result.Answer, errs []error)
}

// Preview computes a widget's chart data from src. It checks the spec
// against the schema and the combination rules, combines the dashboard
// filters with the widget's (or the override), applies the time-range
// policy, and then answers from src. Invalid input gives a
// calldash.ErrorList (or a *calldash.Error) and no response.
func Preview(ctx context.Context, s *Spec, src Source, opts ...Option) (*Response, error) {
	resps, errs := PreviewMany(ctx, []*Spec{s}, src, opts...)
	return resps[0], errs[0]
}

// Calls is a [Source] over call logs in memory.
func Calls(calls []calldash.Call) Source { return memorySource{memory.Source{Slice: calls}} }

// Stream is a [Source] over a sequence of call logs, read once.
func Stream(seq iter.Seq[calldash.Call]) Source { return memorySource{memory.Source{Seq: seq}} }

type memorySource struct{ m memory.Source }

func (s memorySource) answer(ctx context.Context, qs []*plan.Query, workers int) ([]*result.Answer, []error) {
	return s.m.Answer(ctx, qs, workers)
}
