package main

import (
	"cmp"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log"
	"os"
	"slices"
	"strings"

	"github.com/calldash/calldash"

	_ "github.com/ClickHouse/clickhouse-go/v2"
	_ "github.com/go-sql-driver/mysql"
	_ "github.com/jackc/pgx/v5/stdlib"

	"github.com/calldash/calldash/dialect"
	_ "github.com/calldash/calldash/dialect/sqlitefn" // modernc.org/sqlite and calldash's SQLite functions
	"github.com/calldash/calldash/examples/internal/copier"
	"github.com/calldash/calldash/sqlgen"
	"github.com/calldash/calldash/sqlstore"
	"github.com/calldash/calldash/widget"
)

// A backend is where the service reads calls: a widget.Table per scope in
// memory, or the tables of a database.
type backend struct {
	tables  map[string]*widget.Table // memory: by Scope.String(); "" holds every call
	none    *widget.Table            // memory: the calls of a scope that has none
	db      *sql.DB                  // SQL: nil in memory
	dialect dialect.Dialect          // SQL
	prefix  string                   // SQL: of the default tables
	// SQL with calls loaded for scopes: the tables' layout with scope
	// columns (unbound), and the same tables without them, for unscoped
	// keys; nil otherwise.
	scoped, unscoped *sqlgen.Layout
	metrics          []calldash.Metric // the metrics of the data, for widget.Statement
	close            func(context.Context) error
}

// errScopeUnsupported is the answer to a scoped key over existing tables
// (-load=false): the default tables have no scope columns.
var errScopeUnsupported = errors.New("the SQL source cannot scope its queries to a tenant over existing default tables")

// source returns the widget source of a key's scope. In memory it is the
// Table of the calls given for exactly that scope (-calls SCOPE@FILE; no
// calls when there are none), and the Table of every call for an
// unscoped key. Over SQL an unscoped key reads every row; a scoped one
// goes through scopedSQL.
func (b *backend) source(scope Scope) (widget.Source, error) {
	if b.db == nil {
		if t, ok := b.tables[scope.String()]; ok {
			return t, nil
		}
		return b.none, nil
	}
	if len(scope) == 0 {
		if b.unscoped != nil {
			return widget.SQL(b.db, b.dialect, widget.WithLayout(b.unscoped)), nil
		}
		return widget.SQL(b.db, b.dialect, widget.WithTablePrefix(b.prefix)), nil
	}
	return scopedSQL(b, scope)
}

// scopedSQL returns an SQL source that reads only the rows of scope. It
// is the one seam between API keys and SQL: every scoped request over a
// database comes through here, and nothing else builds an SQL source for
// one.
//
// The loaded tables carry the scope columns of every -calls SCOPE@FILE
// (scopedLayout); the key's values bind them (sqlgen.Layout.Scoped), a
// column the key does not name to the empty text, so that a key reads
// exactly the calls given for its scope, as the Table of that scope does
// in memory. A key whose scope names a column no -calls named reads no
// calls. Over existing default tables (-load=false), or loaded calls of
// no scope, there is nothing to scope by: -load=false refuses
// (errScopeUnsupported, 501), loaded calls answer as for a scope with no
// calls.
func scopedSQL(b *backend, scope Scope) (widget.Source, error) {
	if b.scoped == nil {
		if b.none != nil {
			return b.none, nil
		}
		return nil, fmt.Errorf("%w (scope %s on %s)", errScopeUnsupported, scope, b.dialect.Name())
	}
	values := map[string]any{}
	for _, c := range b.scoped.ScopeColumns() {
		values[c] = ""
	}
	for _, v := range scope {
		if _, ok := values[v.Column]; !ok {
			return b.none, nil
		}
		values[v.Column], values[evalScopeColumn(v.Column)] = v.Value, v.Value
	}
	l, err := b.scoped.Scoped(values)
	if err != nil {
		return nil, err
	}
	return widget.SQL(b.db, b.dialect, widget.WithLayout(l)), nil
}

// evalScopeColumn names the evaluations' copy of the calls' scope column
// col: evaluations are scoped too, so that no call id shared by two
// tenants joins one tenant's call to the other's evaluations.
func evalScopeColumn(col string) string { return "eval_" + col }

// scopedLayout returns the layout of the loaded tables when calls come
// with scopes: the default tables with prefix, but the agent name on the
// call row and the metric's name and eval type on the evaluation row (no
// agents and metrics tables, which one tenant's rows would share with
// another's), and cols as scope columns of the calls and (renamed) of the
// evaluations; and the same tables without scope columns.
func scopedLayout(prefix string, cols []string) (scoped, unscoped *sqlgen.Layout, err error) {
	spec := sqlgen.DefaultLayout(prefix).Spec()
	spec.Calls.Columns["agent.agent_name"] = "agent_name"
	spec.Evaluations.Columns["metric.name"] = "metric_name"
	spec.Evaluations.Columns["metric.eval_type"] = "eval_type"
	spec.Agents, spec.Metrics = nil, nil
	if unscoped, err = sqlgen.NewLayout(spec); err != nil {
		return nil, nil, err
	}
	spec.Calls.Scope = cols
	for _, c := range cols {
		spec.Evaluations.Scope = append(spec.Evaluations.Scope, evalScopeColumn(c))
	}
	if scoped, err = sqlgen.NewLayout(spec); err != nil {
		return nil, nil, fmt.Errorf("scope columns %s: %w", strings.Join(cols, ", "), err)
	}
	return scoped, unscoped, nil
}

// loadScoped creates the tables of b.scoped and loads the calls of each
// scope with its values (the empty text for the columns it does not name).
func (b *backend) loadScoped(ctx context.Context, calls map[string][]calldash.Call) error {
	if err := sqlstore.CreateLayout(ctx, b.db, b.dialect, b.scoped); err != nil {
		return err
	}
	for _, key := range sortedKeys(calls) {
		values := map[string]any{}
		for _, c := range b.scoped.ScopeColumns() {
			values[c] = ""
		}
		if key != "" {
			scope, err := parseScope(key)
			if err != nil {
				return err
			}
			for _, v := range scope {
				values[v.Column], values[evalScopeColumn(v.Column)] = v.Value, v.Value
			}
		}
		l, err := b.scoped.Scoped(values)
		if err != nil {
			return err
		}
		if err := copier.Loader(b.dialect).LoadLayout(ctx, b.db, b.dialect, l, slices.Values(calls[key])); err != nil {
			return err
		}
	}
	return nil
}

// scopeColumns returns the columns of the scopes of calls, sorted.
func scopeColumns(calls map[string][]calldash.Call) ([]string, error) {
	var cols []string
	for key := range calls {
		if key == "" {
			continue
		}
		scope, err := parseScope(key)
		if err != nil {
			return nil, err
		}
		for _, v := range scope {
			if !slices.Contains(cols, v.Column) {
				cols = append(cols, v.Column)
			}
		}
	}
	slices.Sort(cols)
	return cols, nil
}

// A callsFile is one -calls flag: a JSON Lines file of call logs and the
// scope they belong to (none for -calls FILE).
type callsFile struct {
	scope Scope
	name  string
}

// parseCallsFlag reads "FILE" or "SCOPE@FILE", e.g. tenant=acme@acme.jsonl.
func parseCallsFlag(v string) (callsFile, error) {
	text, file, ok := strings.Cut(v, "@")
	if !ok || !strings.Contains(text, "=") {
		return callsFile{name: v}, nil
	}
	s, err := parseScope(text)
	if err != nil {
		return callsFile{}, fmt.Errorf("-calls %s: %w", v, err)
	}
	return callsFile{scope: s, name: file}, nil
}

// readCalls reads the -calls files, by scope text.
func readCalls(files []callsFile) (map[string][]calldash.Call, error) {
	out := map[string][]calldash.Call{}
	for _, f := range files {
		r, err := os.Open(f.name)
		if err != nil {
			return nil, err
		}
		calls, err := calldash.DecodeCalls(r)
		r.Close()
		if err != nil {
			return nil, fmt.Errorf("-calls %s: %w", f.name, err)
		}
		out[f.scope.String()] = append(out[f.scope.String()], calls...)
	}
	return out, nil
}

// A database is an SQL -source.
type database struct {
	driver     string // database/sql driver name
	dialect    dialect.Dialect
	defaultDSN string // "" when -dsn is required
	settings   string // DSN parameters the dialect needs, added to -dsn
}

// databases returns the SQL sources by -source name.
func databases() map[string]database {
	return map[string]database{
		"sqlite":   {"sqlite", dialect.SQLite, ":memory:", ""},
		"postgres": {"pgx", dialect.Postgres, "", ""},
		"mysql":    {"mysql", dialect.MySQL, "", ""},
		// Unmatched LEFT JOIN columns must be NULL (dialect.ClickHouse).
		"clickhouse": {"clickhouse", dialect.ClickHouse, "", "join_use_nulls=1"},
	}
}

// openBackend builds the backend of cfg over calls (by scope text): Tables
// in memory, or, with an SQL source, either the calls loaded into scratch
// tables that close drops again (cfg.load), or the existing default tables
// named with cfg.prefix.
func openBackend(ctx context.Context, cfg config, calls map[string][]calldash.Call, logger *log.Logger) (*backend, error) {
	var all []calldash.Call
	for _, scope := range sortedKeys(calls) {
		all = append(all, calls[scope]...)
	}
	b := &backend{metrics: metricsOf(all), close: func(context.Context) error { return nil }}
	if cfg.source == "memory" {
		b.tables = map[string]*widget.Table{"": widget.NewTable(all)}
		for scope, cs := range calls {
			if scope != "" {
				b.tables[scope] = widget.NewTable(cs)
			}
		}
		b.none = widget.NewTable(nil)
		return b, nil
	}
	db, ok := databases()[cfg.source]
	if !ok {
		return nil, fmt.Errorf("-source %s: unknown source (want memory, sqlite, postgres, mysql or clickhouse)", cfg.source)
	}
	dsn := cfg.dsn
	if dsn == "" {
		if dsn = db.defaultDSN; dsn == "" {
			return nil, fmt.Errorf("-source %s needs -dsn", cfg.source)
		}
	}
	if db.settings != "" {
		sep := "?"
		if strings.Contains(dsn, "?") {
			sep = "&"
		}
		dsn += sep + db.settings
	}
	conn, err := sql.Open(db.driver, dsn)
	if err != nil {
		return nil, fmt.Errorf("-dsn: %v", err)
	}
	if cfg.source == "sqlite" && strings.Contains(dsn, ":memory:") {
		// An SQLite ":memory:" database lives and dies with its connection.
		conn.SetMaxOpenConns(1)
	}
	if err := conn.PingContext(ctx); err != nil {
		conn.Close()
		return nil, fmt.Errorf("-source %s: %w", cfg.source, err)
	}
	b.db, b.dialect, b.close = conn, db.dialect, func(context.Context) error { return conn.Close() }
	if !cfg.load {
		b.prefix = cfg.prefix
		if b.metrics, err = readMetrics(ctx, conn, db.dialect, cfg.prefix); err != nil {
			conn.Close()
			return nil, err
		}
		return b, nil
	}
	b.prefix = sqlstore.NewPrefix()
	b.none = widget.NewTable(nil)
	cols, err := scopeColumns(calls)
	if err != nil {
		conn.Close()
		return nil, err
	}
	if len(cols) > 0 {
		if b.scoped, b.unscoped, err = scopedLayout(b.prefix, cols); err != nil {
			conn.Close()
			return nil, err
		}
		b.close = func(ctx context.Context) error {
			// Drop even when ctx is done: the database is left as found.
			err := sqlstore.DropLayout(context.WithoutCancel(ctx), conn, db.dialect, b.scoped)
			return errors.Join(err, conn.Close())
		}
		if err := b.loadScoped(ctx, calls); err != nil {
			return nil, errors.Join(err, b.close(ctx))
		}
		logger.Printf("loaded %d calls into %s tables %s*, scoped by %s", len(all), cfg.source, b.prefix, strings.Join(cols, ", "))
		return b, nil
	}
	b.close = func(ctx context.Context) error {
		// Drop even when ctx is done: the database is left as found.
		err := sqlstore.Drop(context.WithoutCancel(ctx), conn, db.dialect, b.prefix)
		return errors.Join(err, conn.Close())
	}
	if err := sqlstore.Create(ctx, conn, db.dialect, b.prefix); err != nil {
		return nil, errors.Join(err, b.close(ctx))
	}
	if err := copier.Loader(db.dialect).Load(ctx, conn, db.dialect, b.prefix, slices.Values(all)); err != nil {
		return nil, errors.Join(err, b.close(ctx))
	}
	logger.Printf("loaded %d calls into %s tables %s*", len(all), cfg.source, b.prefix)
	return b, nil
}

// metricsOf returns the metrics of the calls' evaluations, by id.
func metricsOf(calls []calldash.Call) []calldash.Metric {
	seen := map[int64]bool{}
	var ms []calldash.Metric
	for _, c := range calls {
		for _, e := range c.MetricEvaluations {
			if !seen[e.MetricID] {
				seen[e.MetricID] = true
				ms = append(ms, calldash.Metric{ID: e.MetricID, Name: e.MetricName.Str, EvalType: e.EvalType})
			}
		}
	}
	slices.SortFunc(ms, func(a, b calldash.Metric) int { return cmp.Compare(a.ID, b.ID) })
	return ms
}

// readMetrics reads the metrics table of existing default tables.
func readMetrics(ctx context.Context, db *sql.DB, d dialect.Dialect, prefix string) ([]calldash.Metric, error) {
	rows, err := db.QueryContext(ctx, "SELECT id, name, eval_type FROM "+d.Quote(prefix+"metrics"))
	if err != nil {
		return nil, fmt.Errorf("reading the metrics table: %w", err)
	}
	defer rows.Close()
	var ms []calldash.Metric
	for rows.Next() {
		var m calldash.Metric
		var name sql.NullString
		if err := rows.Scan(&m.ID, &name, &m.EvalType); err != nil {
			return nil, fmt.Errorf("reading the metrics table: %w", err)
		}
		m.Name = name.String
		ms = append(ms, m)
	}
	return ms, rows.Err()
}

// sortedKeys returns the keys of m in order.
func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
