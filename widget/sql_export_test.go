package widget

import (
	"context"

	"github.com/calldash/calldash/dialect"
	"github.com/calldash/calldash/sqlgen"
	"github.com/calldash/calldash/widget/internal/plan"
	"github.com/calldash/calldash/widget/internal/sqlsource"
)

// CompileSQLLayoutFunc prepares the query of a widget once and returns a
// function that compiles it over the tables of l, so that benchmarks
// measure the compiler alone (not decoding, validation and the schema's
// construction).
func CompileSQLLayoutFunc(s *Spec, d dialect.Dialect, l *sqlgen.Layout, opts ...Option) (func() (string, []any, error), error) {
	return compileFunc(s, d, l, opts)
}

func compileFunc(s *Spec, d dialect.Dialect, l *sqlgen.Layout, opts []Option) (func() (string, []any, error), error) {
	cfg := config(opts)
	cfg.Schema = l.Schema(cfg.Schema)
	q, err := plan.NewQuery(s.plan(), s.Filters, &cfg)
	if err != nil {
		return nil, err
	}
	m := cfg.Metrics[q.Plan.MetricID]
	if q.Plan.Metric {
		if err := q.Plan.ResolveMetric(m); err != nil {
			return nil, err
		}
	}
	return func() (string, []any, error) {
		st, err := sqlsource.Compile(context.Background(), q, m, d, l)
		if err != nil {
			return "", nil, err
		}
		return st.Text, st.Args, nil
	}, nil
}
