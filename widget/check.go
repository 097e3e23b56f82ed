package widget

import "github.com/calldash/calldash/widget/internal/plan"

// Check validates s with opts as [Preview] does before it reads a call:
// the field, the chart type and aggregation, the filters against the
// schema, the time policy and the limits. It returns the error Preview
// would, or nil. What only the source can tell is left to Preview:
// whether a metric widget's metric exists, and the fields an SQL
// source's layout leaves out (pass its schema with [WithSchema]). A
// program checks a widget this way before it loads the calls to answer
// it, or a service before it saves one.
func Check(s *Spec, opts ...Option) error {
	cfg := config(opts)
	_, err := plan.NewQuery(s.plan(), s.Filters, &cfg)
	return err
}
