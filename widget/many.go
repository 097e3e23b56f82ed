package widget

import (
	"context"

	"github.com/calldash/calldash/filter"
	"github.com/calldash/calldash/widget/internal/plan"
)

// PreviewMany answers several widgets over the same source, as a
// dashboard does: resps[i] and errs[i] are what Preview(ctx, specs[i],
// src, opts...) would return (exactly one of them is non-nil), and every
// widget sees the same clock.
//
// [WithParallelism] sets how many goroutines do the work (default
// runtime.GOMAXPROCS(0)). [Calls] cuts the records into that many
// consecutive parts (of at least 32,768 records each), reads them at the
// same time, each for every widget, and merges the parts' results; a
// [Stream] is read once, for every widget, on the calling goroutine; a
// [Table] and the other sources answer each widget on its own, that many
// at a time. A database then runs that many statements at once, on as
// many connections of its pool: an SQLite ":memory:" database, which each
// connection would open afresh, needs db.SetMaxOpenConns(1) (the
// statements then take turns). The answers do not depend on the
// parallelism.
func PreviewMany(ctx context.Context, specs []*Spec, src Source, opts ...Option) (resps []*Response, errs []error) {
	cfg := config(opts)
	if n, ok := src.(schemaNarrower); ok {
		cfg.Schema = n.schema(cfg.Schema)
	}
	resps, errs = make([]*Response, len(specs)), make([]error, len(specs))
	qs := make([]*plan.Query, 0, len(specs))
	slots := make([]int, 0, len(specs))
	for i, s := range specs {
		c := cfg // each widget its own copy: nothing is shared but the settings
		q, err := plan.NewQuery(s.plan(), s.Filters, &c)
		if err != nil {
			errs[i] = err
			continue
		}
		qs = append(qs, q)
		slots = append(slots, i)
	}
	answers, aerrs := src.answer(ctx, qs, cfg.Workers())
	for k, slot := range slots {
		if aerrs[k] != nil {
			errs[slot] = aerrs[k]
			continue
		}
		resps[slot] = newResponse(specs[slot], qs[k].Plan, answers[k])
	}
	return resps, errs
}

// A schemaNarrower is a [Source] that stores only some fields of a schema
// (an SQL layout): widgets and filters are checked against those.
type schemaNarrower interface {
	schema(s *filter.Schema) *filter.Schema
}
