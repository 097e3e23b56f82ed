package widget

import "context"

// PreviewMany answers several widgets over the same source, as a
// dashboard does: resps[i] and errs[i] are what Preview(ctx, specs[i],
// src, opts...) would return (exactly one of them is non-nil), and every
// widget sees the same clock. Sources in memory ([Calls], [Stream],
// [Table]) read their records once for all the widgets — a [Stream] can
// only be read once anyway; other sources answer the widgets one by one.
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
	var rs []*Response
	var es []error
	if m, ok := src.(interface {
		previewMany(context.Context, []*query) ([]*Response, []error)
	}); ok {
		rs, es = m.previewMany(ctx, qs)
	} else {
		rs, es = make([]*Response, len(qs)), make([]error, len(qs))
		for k, q := range qs {
			rs[k], es[k] = src.preview(ctx, q)
		}
	}
	for k, slot := range slots {
		resps[slot], errs[slot] = rs[k], es[k]
	}
	return resps, errs
}
