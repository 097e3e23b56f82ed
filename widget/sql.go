package widget

import (
	"context"

	"github.com/calldash/calldash/dialect"
	"github.com/calldash/calldash/filter"
	"github.com/calldash/calldash/sqlgen"
	"github.com/calldash/calldash/widget/internal/plan"
	"github.com/calldash/calldash/widget/internal/result"
	"github.com/calldash/calldash/widget/internal/sqlsource"
	"github.com/calldash/calldash/widget/internal/workers"
)

// A Querier runs a query and returns its rows: *sql.DB, *sql.Conn and
// *sql.Tx are queriers. An [SQL] source only ever calls QueryContext, so a
// caller may hand it a connection on which it has set a statement
// timeout, a role or row-level security, or a read-only transaction.
type Querier = sqlsource.Querier

// An SQLOption configures an [SQL] source.
type SQLOption func(*sqlConfig)

type sqlConfig struct {
	prefix       string
	layout       *sqlgen.Layout
	maxStatement int
}

// WithStatementLimit sets the size in bytes of the largest statement the
// database parses, for a dialect with such a limit
// ([dialect.StatementLimiter]: ClickHouse's max_query_size, 262,144 by
// default). A larger statement is refused up front with an error naming
// the dialect and the setting; raise the setting (in ClickHouse's DSN,
// ?max_query_size=N) and tell the source with this option.
func WithStatementLimit(n int) SQLOption { return func(c *sqlConfig) { c.maxStatement = n } }

// WithTablePrefix prefixes the names of the default tables (call_logs,
// agents, metrics, metric_evaluations), e.g. for the scratch tables of
// package sqlstore; a prefix with a dot names a schema first
// ("analytics.cd_": the tables of that schema or database). The prefix
// comes from the program, never from a request: each part is quoted as
// an identifier. [WithLayout] replaces it.
func WithTablePrefix(p string) SQLOption { return func(c *sqlConfig) { c.prefix = p } }

// WithLayout reads the user's own tables, as l says (see
// sqlgen.LayoutSpec), instead of the default ones. A layout with scope
// columns must be bound to the tenant's values first
// (sqlgen.Layout.Scoped); an unbound one answers nothing but
// sqlgen.ErrUnscoped. Fields the layout leaves out are unknown to the
// widgets and filters of this source.
func WithLayout(l *sqlgen.Layout) SQLOption { return func(c *sqlConfig) { c.layout = l } }

// SQL is a [Source] over a database, through db, in dialect d: the
// default table layout (see package dialect), or the user's own tables
// with [WithLayout]. [Preview] compiles the whole widget into one
// parameterized statement — filter, bucketing, grouping, top-N and
// aggregation — so that only aggregated rows come back; a metric widget
// first reads its metric's name and eval type (from the metrics table, or
// an evaluation row where the layout keeps them), unless [WithMetrics]
// gave them. The response is byte for byte the one [Calls] gives over the
// same call logs. The source only reads: it runs SELECT statements, and
// [Statement] returns the one it would run for a widget.
//
// Where the database cannot answer a filter exactly (a regex outside the
// dialect's portable subset, say), Preview returns the dialect's error.
// The statement runs with db.QueryContext: cancelling ctx stops it, on
// the server too (MariaDB's with KILL QUERY from a second connection of
// a *sql.DB). A statement larger than the database parses is refused by
// name ([WithStatementLimit]).
func SQL(db Querier, d dialect.Dialect, opts ...SQLOption) Source {
	var cfg sqlConfig
	for _, o := range opts {
		o(&cfg)
	}
	l := cfg.layout
	if l == nil {
		l = sqlgen.DefaultLayout(cfg.prefix)
	}
	return sqlSource{sqlsource.Source{DB: db, D: d, Layout: l, MaxStatement: cfg.maxStatement}}
}

type sqlSource struct{ s sqlsource.Source }

// schema narrows the schema to the fields the layout has.
func (s sqlSource) schema(sc *filter.Schema) *filter.Schema { return s.s.Layout.Schema(sc) }

// answer runs one statement per widget, up to workers at a time.
func (s sqlSource) answer(ctx context.Context, qs []*plan.Query, n int) ([]*result.Answer, []error) {
	answers, errs := make([]*result.Answer, len(qs)), make([]error, len(qs))
	workers.ForEach(n, len(qs), func(k int) { answers[k], errs[k] = s.s.Answer(ctx, qs[k]) })
	return answers, errs
}

// Statement returns the statement and its arguments that an [SQL] source
// of dialect d over the tables of l would run for the widget, without
// running it: for logging, EXPLAIN, tests. l is the layout the source
// would use — sqlgen.DefaultLayout(prefix) (nil for the plain default
// names), or the user's layout bound to the tenant's scope
// (sqlgen.Layout.Scoped) — and, as for the source, the
// fields it leaves out are unknown. A metric widget needs its metric
// given with [WithMetrics] (an SQL source would look it up); without it
// the error is calldash.ErrMetric at $.metric. The text carries the
// dialect's placeholders.
func Statement(s *Spec, d dialect.Dialect, l *sqlgen.Layout, opts ...Option) (text string, args []any, err error) {
	if l == nil {
		l = sqlgen.DefaultLayout("")
	}
	cfg := config(opts)
	cfg.Schema = l.Schema(cfg.Schema)
	q, err := plan.NewQuery(s.plan(), s.Filters, &cfg)
	if err != nil {
		return "", nil, err
	}
	m, known := cfg.Metrics[q.Plan.MetricID]
	if q.Plan.Metric {
		if !known {
			return "", nil, q.MetricError()
		}
		if err := q.Plan.ResolveMetric(m); err != nil {
			return "", nil, err
		}
	}
	st, err := sqlsource.Compile(context.Background(), q, m, d, l)
	if err != nil {
		return "", nil, err
	}
	return st.Text, st.Args, nil
}
