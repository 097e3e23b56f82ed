package widget

import (
	"context"
	"runtime"
	"sync"
	"sync/atomic"
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
	cfg := newConfig(opts)
	resps, errs = make([]*Response, len(specs)), make([]error, len(specs))
	qs := make([]*query, 0, len(specs))
	slots := make([]int, 0, len(specs))
	for i, s := range specs {
		c := cfg // each widget its own copy: nothing is shared but the settings
		q, err := newQuery(s, &c)
		if err != nil {
			errs[i] = err
			continue
		}
		qs = append(qs, q)
		slots = append(slots, i)
	}
	workers := cfg.workers()
	var rs []*Response
	var es []error
	if m, ok := src.(interface {
		previewMany(ctx context.Context, qs []*query, workers int) ([]*Response, []error)
	}); ok {
		rs, es = m.previewMany(ctx, qs, workers)
	} else {
		rs, es = make([]*Response, len(qs)), make([]error, len(qs))
		forEach(workers, len(qs), func(k int) { rs[k], es[k] = src.preview(ctx, qs[k]) })
	}
	for k, slot := range slots {
		resps[slot], errs[slot] = rs[k], es[k]
	}
	return resps, errs
}

// workers returns the goroutines of [WithParallelism].
func (c *config) workers() int {
	if c.parallelism <= 0 {
		return runtime.GOMAXPROCS(0)
	}
	return c.parallelism
}

// forEach calls do(k) for every k in [0, n), on up to workers goroutines
// that take the next k as they become free; with one worker, in order on
// the calling goroutine. It returns when every call has returned. A panic
// in a call is raised again on the calling goroutine, as it would be
// without workers (once the other calls are done).
func forEach(workers, n int, do func(k int)) {
	workers = min(workers, n)
	if workers <= 1 {
		for k := range n {
			do(k)
		}
		return
	}
	var (
		next     atomic.Int64
		wg       sync.WaitGroup
		panicked atomic.Pointer[any]
	)
	for range workers {
		wg.Go(func() {
			defer func() {
				if p := recover(); p != nil {
					panicked.CompareAndSwap(nil, &p)
				}
			}()
			for k := int(next.Add(1) - 1); k < n; k = int(next.Add(1) - 1) {
				do(k)
			}
		})
	}
	wg.Wait()
	if p := panicked.Load(); p != nil {
		panic(*p)
	}
}
