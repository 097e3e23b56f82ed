package widget

import (
	"github.com/calldash/calldash/dialect"
	"github.com/calldash/calldash/sqlgen"
)

// CompileSQL returns the statement an SQL source would run for a widget,
// without a database: a metric widget needs its metric in WithMetrics.
func CompileSQL(s *Spec, d dialect.Dialect, prefix string, opts ...Option) (string, []any, error) {
	cfg := newConfig(opts)
	q, err := newQuery(s, &cfg)
	if err != nil {
		return "", nil, err
	}
	var m Metric
	if q.plan.metric {
		m = cfg.metrics[q.plan.metricID]
		if err := q.plan.resolveMetric(m); err != nil {
			return "", nil, err
		}
	}
	st, err := sqlgen.Compile(sqlQuery(q, m), d, sqlgen.DefaultLayout(prefix))
	if err != nil {
		return "", nil, err
	}
	return st.Text, st.Args, nil
}

// CompileSQLFunc prepares the query of a widget once and returns a
// function that compiles it, so that benchmarks measure the compiler alone
// (not decoding, validation and the default schema's construction).
func CompileSQLFunc(s *Spec, d dialect.Dialect, opts ...Option) (func() (string, []any, error), error) {
	cfg := newConfig(opts)
	q, err := newQuery(s, &cfg)
	if err != nil {
		return nil, err
	}
	var m Metric
	if q.plan.metric {
		m = cfg.metrics[q.plan.metricID]
		if err := q.plan.resolveMetric(m); err != nil {
			return nil, err
		}
	}
	layout := sqlgen.DefaultLayout("")
	return func() (string, []any, error) {
		st, err := sqlgen.Compile(sqlQuery(q, m), d, layout)
		if err != nil {
			return "", nil, err
		}
		return st.Text, st.Args, nil
	}, nil
}
