package sqlgen

import (
	"errors"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"

	"github.com/calldash/calldash"
	"github.com/calldash/calldash/dialect"
	"github.com/calldash/calldash/filter"
	"github.com/calldash/calldash/internal/jsonx"
	"github.com/calldash/calldash/internal/names"
)

// A Layout says where each field of a call log lives in SQL: the tables
// of the calls, their agents, their metric evaluations and the metrics,
// the column of each field, and the scope columns that keep one tenant's
// rows from another's. Every statement calldash writes reads its table
// and column names from a Layout and quotes them with the dialect;
// nothing else reaches the SQL text as an identifier.
//
// A Layout is built from a [LayoutSpec] by [NewLayout], or from its JSON
// document by [ParseLayout], and is checked when it is built; it does not
// change afterwards. The default layout ([DefaultLayout]) is calldash's own
// tables, those that package sqlstore creates and fills:
//
//	call_logs(id, timestamp, duration, success, is_reviewed, call_ended_reason,
//	          dropoff_point, topic, customer_number, agent_id, metadata)
//	agents(id, agent_name)
//	metrics(id, name, eval_type)
//	metric_evaluations(id, call_log_id, metric_id, value_number, value_bool, value_text)
//
// An evaluation's value lives in the column of its JSON type (the others
// NULL); metadata is one JSON object column; agent and metric names live
// once per id in their tables. See [LayoutSpec] for the other shapes.
type Layout struct {
	spec LayoutSpec // as built, for Spec and MarshalJSON

	calls, agents, evals, metrics string // table names as written, without quotes

	callCols, agentCols, evalCols, metricCols map[string]string // field name → column

	scope  [numTables][]string // the scope columns of each table
	values map[string]any      // the scope values (Scoped); nil when unbound

	// aliasClash is the path of the first column named like an alias of
	// the statements (see checkAliases), aliasColumn its name; "" for none.
	aliasClash, aliasColumn string

	// loaderJSON: the JSON columns hold what package sqlstore writes
	// (canonical numbers, the dialect's own JSON type), as in the default
	// layout; a user's layout reads them by value.
	loaderJSON bool
}

// The tables of a layout, in the order the loader fills them.
const (
	tableAgents = iota
	tableMetrics
	tableCalls
	tableEvals
	numTables
)

// A LayoutSpec is the Go form of a layout's JSON document:
//
//	{"calls": {"table": "app.calls",
//	           "columns": {"id": "id", "timestamp": "started_at", "agent.id": "agent_id", "metadata": "meta"},
//	           "scope": ["project_id"]},
//	 "agents": {"table": "app.agents", "columns": {"id": "id", "agent_name": "name"}},
//	 "evaluations": {"table": "app.evals",
//	                 "columns": {"id": "id", "call": "call_id", "metric.id": "metric_id", "value": "value"}},
//	 "metrics": {"table": "app.metrics", "columns": {"id": "id", "name": "name", "eval_type": "kind"}}}
//
// Calls is required and must map id and timestamp; any other call field
// may be left out, and then does not exist for the layout (a filter or a
// widget naming it gets the unknown-field error). The keys of each
// table's Columns are:
//
//	calls        id timestamp duration success is_reviewed call_ended_reason dropoff_point
//	             topic customer_number agent.id agent.agent_name metadata
//	agents       id agent_name (joined on agents.id = the call's agent.id)
//	evaluations  id call metric.id, and value (one JSON column) or value_number value_bool
//	             value_text (typed columns, as in the default layout); metric.name and
//	             metric.eval_type when the evaluation row holds them
//	metrics      id name eval_type (joined on metrics.id = the evaluation's metric.id)
//
// The agent name lives on the call row or in agents; a metric's name and
// eval type each on the evaluation row or in metrics. Agents, Evaluations
// and Metrics may be nil (no evaluations: no metric widgets and no
// metric_evaluations.* filters).
type LayoutSpec struct {
	Calls       TableSpec  `json:"calls"`
	Agents      *TableSpec `json:"agents,omitempty"`
	Evaluations *TableSpec `json:"evaluations,omitempty"`
	Metrics     *TableSpec `json:"metrics,omitempty"`
}

// A TableSpec is one table of a [LayoutSpec].
//
// Table is the table's name, optionally qualified by a PostgreSQL schema,
// a MySQL/MariaDB or ClickHouse database or an attached SQLite database
// ("app.calls"); every part, and every column name, is an identifier:
// an ASCII letter or underscore, then letters, digits and underscores, at
// most 63 bytes. Each is quoted by the dialect.
//
// Scope names columns of the table that are not fields: a source bound
// to scope values ([Layout.Scoped]) reads only the rows whose scope
// columns equal them, whatever the widget and its filters say.
type TableSpec struct {
	Table   string            `json:"table"`
	Columns map[string]string `json:"columns"`
	Scope   []string          `json:"scope,omitempty"`
}

// The keys of each table's columns, in the order of the default tables'
// columns.
var (
	callKeys = []string{"id", "timestamp", "duration", "success", "is_reviewed", "call_ended_reason",
		"dropoff_point", "topic", "customer_number", "agent.id", "agent.agent_name", "metadata"}
	agentKeys  = []string{"id", "agent_name"}
	metricKeys = []string{"id", "name", "eval_type"}
	evalKeys   = []string{"id", "call", "metric.id", "metric.name", "metric.eval_type",
		"value", "value_number", "value_bool", "value_text"}
)

// typedValueKeys are the typed value columns of an evaluation.
var typedValueKeys = []string{"value_number", "value_bool", "value_text"}

// defaultSpec is the spec of the default layout with table prefix prefix.
func defaultSpec(prefix string) LayoutSpec {
	return LayoutSpec{
		Calls: TableSpec{Table: prefix + "call_logs", Columns: map[string]string{
			"id": "id", "timestamp": "timestamp", "duration": "duration", "success": "success",
			"is_reviewed": "is_reviewed", "call_ended_reason": "call_ended_reason", "dropoff_point": "dropoff_point",
			"topic": "topic", "customer_number": "customer_number", "agent.id": "agent_id", "metadata": "metadata"}},
		Agents: &TableSpec{Table: prefix + "agents", Columns: map[string]string{"id": "id", "agent_name": "agent_name"}},
		Evaluations: &TableSpec{Table: prefix + "metric_evaluations", Columns: map[string]string{
			"id": "id", "call": "call_log_id", "metric.id": "metric_id",
			"value_number": "value_number", "value_bool": "value_bool", "value_text": "value_text"}},
		Metrics: &TableSpec{Table: prefix + "metrics", Columns: map[string]string{"id": "id", "name": "name", "eval_type": "eval_type"}},
	}
}

// DefaultLayout returns calldash's default layout with every table name
// prefixed by prefix ("" for the plain names), e.g. for the scratch tables
// of package sqlstore. The prefix comes from the program, never from a
// request: it is quoted as part of the identifier, and is not checked
// here (package sqlstore allows ASCII letters, digits and underscores).
// The default DDL ([CreateTables]) and the loader's tables ([LoadTables])
// are derived from this layout.
func DefaultLayout(prefix string) *Layout {
	l := build(defaultSpec(prefix))
	l.loaderJSON = true
	return l
}

// NewLayout checks s and returns its layout. Every problem is reported,
// as a [calldash.ErrorList] sorted by path, each error at the JSON path of
// the offending key of the layout's document (e.g.
// `$.calls.columns: "timestamp" is required`).
func NewLayout(s LayoutSpec) (*Layout, error) {
	if errs := validate(s); len(errs) > 0 {
		errs.Sort()
		return nil, errs
	}
	return build(s), nil
}

// ParseLayout reads a layout's JSON document (see [LayoutSpec]) and
// returns its layout. Unknown keys, a wrong JSON type and malformed JSON
// are errors at their path, as are the problems [NewLayout] reports.
func ParseLayout(data []byte) (*Layout, error) {
	j, err := jsonx.ParseLimits(data, jsonx.Limits{MaxDepth: 8, MaxArray: 64, MaxMembers: 64})
	if err != nil {
		var je *jsonx.Error
		if errors.As(err, &je) {
			if errors.Is(err, jsonx.ErrSyntax) { // at $, with the offset: not the key being read
				return nil, calldash.ErrorList{calldash.Errorf("$", calldash.ErrSyntax, "byte %d: %s", je.Offset, je.Msg)}
			}
			return nil, calldash.ErrorList{calldash.Errorf(je.Path, calldash.ErrShape, "%s", je.Msg)}
		}
		return nil, err
	}
	var errs calldash.ErrorList
	add := func(path string, kind error, format string, args ...any) {
		errs = append(errs, calldash.Errorf(path, kind, format, args...))
	}
	if j.Kind != jsonx.Object {
		add("$", calldash.ErrType, "a layout is a JSON object; got %s", j.Describe())
		return nil, errs
	}
	var s LayoutSpec
	table := func(path string, v *jsonx.Value) *TableSpec {
		if v.Kind != jsonx.Object {
			add(path, calldash.ErrType, "want an object; got %s", v.Describe())
			return nil
		}
		t := &TableSpec{}
		for _, m := range v.Members {
			p := jsonx.Key(path, m.Key)
			switch m.Key {
			case "table":
				if m.Value.Kind != jsonx.String {
					add(p, calldash.ErrType, "want a string; got %s", m.Value.Describe())
					continue
				}
				t.Table = m.Value.Text
			case "columns":
				if m.Value.Kind != jsonx.Object {
					add(p, calldash.ErrType, "want an object of field names to column names; got %s", m.Value.Describe())
					continue
				}
				t.Columns = make(map[string]string, len(m.Value.Members))
				for _, c := range m.Value.Members {
					if c.Value.Kind != jsonx.String {
						add(jsonx.Key(p, c.Key), calldash.ErrType, "want a column name; got %s", c.Value.Describe())
						continue
					}
					t.Columns[c.Key] = c.Value.Text
				}
			case "scope":
				if m.Value.Kind != jsonx.Array {
					add(p, calldash.ErrType, "want an array of column names; got %s", m.Value.Describe())
					continue
				}
				for i, e := range m.Value.Elems {
					if e.Kind != jsonx.String {
						add(jsonx.Index(p, i), calldash.ErrType, "want a column name; got %s", e.Describe())
						continue
					}
					t.Scope = append(t.Scope, e.Text)
				}
			default:
				add(p, calldash.ErrUnknownKey, "unknown key %s (known: table, columns, scope)", names.Quote(m.Key))
			}
		}
		return t
	}
	for _, m := range j.Members {
		p := jsonx.Key("$", m.Key)
		switch m.Key {
		case "calls":
			if t := table(p, m.Value); t != nil {
				s.Calls = *t
			}
		case "agents":
			s.Agents = table(p, m.Value)
		case "evaluations":
			s.Evaluations = table(p, m.Value)
		case "metrics":
			s.Metrics = table(p, m.Value)
		default:
			add(p, calldash.ErrUnknownKey, "unknown key %s (known: calls, agents, evaluations, metrics)", names.Quote(m.Key))
		}
	}
	if j.Get("calls") == nil {
		add("$.calls", calldash.ErrRequired, "the calls table is required")
	}
	if len(errs) > 0 {
		errs.Sort()
		return nil, errs
	}
	return NewLayout(s)
}

// MaxIdentifier is the longest table or column name a layout may use, in
// bytes (PostgreSQL's limit; MySQL's is 64).
const MaxIdentifier = 63

// checkIdent returns what is wrong with name as an identifier, or "".
func checkIdent(name string) string {
	if name == "" {
		return "an identifier must not be empty"
	}
	if len(name) > MaxIdentifier {
		return fmt.Sprintf("identifier %s is longer than %d bytes", names.Quote(name), MaxIdentifier)
	}
	for i := 0; i < len(name); i++ {
		c := name[i]
		if !(c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || i > 0 && c >= '0' && c <= '9') {
			return fmt.Sprintf("%s is not an identifier (an ASCII letter or _, then letters, digits and _)", names.Quote(name))
		}
	}
	return ""
}

// validate returns every problem of s.
func validate(s LayoutSpec) calldash.ErrorList {
	var errs calldash.ErrorList
	add := func(path string, kind error, format string, args ...any) {
		errs = append(errs, calldash.Errorf(path, kind, format, args...))
	}
	// column checks the column col of the field key (a scope column for
	// ""), at path, against the columns of its table so far.
	column := func(path, col, key string, byColumn map[string]string) {
		if msg := checkIdent(col); msg != "" {
			add(path, calldash.ErrType, "%s", msg)
			return
		}
		switch other, dup := byColumn[col]; {
		case dup && key == "":
			add(path, calldash.ErrShape, "scope column %s is the column of %s; a scope column is no field", names.Quote(col), names.Quote(other))
		case dup:
			add(path, calldash.ErrShape, "column %s is already the column of %s", names.Quote(col), names.Quote(other))
		case key == "":
			byColumn[col] = "scope"
		default:
			byColumn[col] = key
		}
	}
	table := func(path string, t *TableSpec, keys []string) {
		tp := jsonx.Key(path, "table")
		switch parts := strings.Split(t.Table, "."); {
		case t.Table == "":
			add(tp, calldash.ErrRequired, "a table name is required")
		case len(parts) > 2:
			add(tp, calldash.ErrType, "%s: a table name is a name or schema.name", names.Quote(t.Table))
		default:
			for _, p := range parts {
				if msg := checkIdent(p); msg != "" {
					add(tp, calldash.ErrType, "%s", msg)
					break
				}
			}
		}
		cp := jsonx.Key(path, "columns")
		byColumn := map[string]string{} // column → the key that names it
		fields := make([]string, 0, len(t.Columns))
		for k := range t.Columns {
			fields = append(fields, k)
		}
		slices.Sort(fields)
		for _, k := range fields {
			col, p := t.Columns[k], jsonx.Key(cp, k)
			if !slices.Contains(keys, k) {
				msg := "unknown field " + names.Quote(k)
				if near := names.Nearest(k, keys); near != "" {
					msg += fmt.Sprintf(" (did you mean %q?)", near)
				}
				add(p, calldash.ErrUnknownField, "%s; known: %s", msg, strings.Join(keys, ", "))
				continue
			}
			column(p, col, k, byColumn)
		}
		for i, col := range t.Scope {
			column(jsonx.Index(jsonx.Key(path, "scope"), i), col, "", byColumn)
		}
	}
	need := func(path string, t *TableSpec, keys ...string) {
		for _, k := range keys {
			if _, ok := t.Columns[k]; !ok {
				add(jsonx.Key(path, "columns"), calldash.ErrRequired, "%s is required", names.Quote(k))
			}
		}
	}
	has := func(t *TableSpec, k string) bool {
		if t == nil {
			return false
		}
		_, ok := t.Columns[k]
		return ok
	}

	table("$.calls", &s.Calls, callKeys)
	need("$.calls", &s.Calls, "id", "timestamp")
	if a := s.Agents; a != nil {
		table("$.agents", a, agentKeys)
		need("$.agents", a, "id", "agent_name")
		if !has(&s.Calls, "agent.id") {
			add("$.agents", calldash.ErrRequired, `an agents table is joined on the call's agent id: $.calls.columns["agent.id"] is required`)
		}
		if has(&s.Calls, "agent.agent_name") {
			add("$.agents", calldash.ErrShape, `the agent name is on the call row ($.calls.columns["agent.agent_name"]): leave the agents table out`)
		}
	}
	e := s.Evaluations
	if e != nil {
		table("$.evaluations", e, evalKeys)
		need("$.evaluations", e, "id", "call", "metric.id")
		typed := 0
		for _, k := range typedValueKeys {
			if has(e, k) {
				typed++
			}
		}
		switch {
		case has(e, "value") && typed > 0:
			add("$.evaluations.columns.value", calldash.ErrShape, "an evaluation's value is one JSON column (value) or typed columns (value_number, value_bool, value_text), not both")
		case !has(e, "value") && typed == 0:
			add("$.evaluations.columns", calldash.ErrRequired, `"value" (one JSON column) or "value_number", "value_bool" and "value_text" are required`)
		case !has(e, "value") && typed < len(typedValueKeys):
			add("$.evaluations.columns", calldash.ErrRequired, `typed values need all of "value_number", "value_bool" and "value_text"`)
		}
	}
	if m := s.Metrics; m != nil {
		table("$.metrics", m, metricKeys)
		need("$.metrics", m, "id")
		if e == nil {
			add("$.metrics", calldash.ErrRequired, "a metrics table is joined to the evaluations: $.evaluations is required")
		}
	}
	if e != nil {
		name, evalType := has(e, "metric.name"), has(e, "metric.eval_type")
		switch {
		case name != evalType:
			add("$.evaluations.columns", calldash.ErrShape, `the metric's name and eval type live together: both "metric.name" and "metric.eval_type" on the evaluation row, or both in a metrics table`)
		case name && (has(s.Metrics, "name") || has(s.Metrics, "eval_type")):
			add("$.metrics.columns", calldash.ErrShape, "the metric's name and eval type are on the evaluation row; the metrics table must not map them too")
		case !name && s.Metrics == nil:
			add("$.evaluations.columns", calldash.ErrRequired, `the metric's name and eval type: "metric.name" and "metric.eval_type" are required, or a metrics table`)
		case !name:
			need("$.metrics", s.Metrics, "name", "eval_type")
		}
	}
	return errs
}

// build makes the layout of a checked spec.
func build(s LayoutSpec) *Layout {
	clone := func(t *TableSpec) *TableSpec {
		if t == nil {
			return nil
		}
		c := &TableSpec{Table: t.Table, Columns: make(map[string]string, len(t.Columns)), Scope: slices.Clone(t.Scope)}
		for k, v := range t.Columns {
			c.Columns[k] = v
		}
		return c
	}
	calls := clone(&s.Calls)
	l := &Layout{spec: LayoutSpec{Calls: *calls, Agents: clone(s.Agents), Evaluations: clone(s.Evaluations), Metrics: clone(s.Metrics)}}
	l.calls, l.callCols, l.scope[tableCalls] = calls.Table, calls.Columns, calls.Scope
	if a := l.spec.Agents; a != nil {
		l.agents, l.agentCols, l.scope[tableAgents] = a.Table, a.Columns, a.Scope
	}
	if e := l.spec.Evaluations; e != nil {
		l.evals, l.evalCols, l.scope[tableEvals] = e.Table, e.Columns, e.Scope
	}
	if m := l.spec.Metrics; m != nil {
		l.metrics, l.metricCols, l.scope[tableMetrics] = m.Table, m.Columns, m.Scope
	}
	l.findAliasClash()
	return l
}

// Spec returns the spec the layout was built from (a copy).
func (l *Layout) Spec() LayoutSpec {
	return build(l.spec).spec
}

// ScopeColumns returns the scope columns of every table of the layout,
// each once, in the order of the document (calls, agents, evaluations,
// metrics).
func (l *Layout) ScopeColumns() []string {
	var out []string
	for _, t := range []int{tableCalls, tableAgents, tableEvals, tableMetrics} {
		for _, c := range l.scope[t] {
			if !slices.Contains(out, c) {
				out = append(out, c)
			}
		}
	}
	return out
}

// Scoped returns the layout bound to scope values: values maps each scope
// column of the layout ([Layout.ScopeColumns]) to the value its rows must
// hold — a string, a bool or an integer — and every statement over the
// returned layout reads only such rows: `column = ?` for each scope column
// of each table it reads, ANDed above the whole filter. A column without
// a value, or a value for no scope column, is an error; so is running a
// statement over a layout with scope columns that is not bound.
func (l *Layout) Scoped(values map[string]any) (*Layout, error) {
	var errs calldash.ErrorList
	cols := l.ScopeColumns()
	bound := make(map[string]any, len(values))
	for _, c := range cols {
		v, ok := values[c]
		if !ok {
			errs = append(errs, calldash.Errorf(jsonx.Key("$.scope", c), calldash.ErrRequired, "no value for scope column %s", names.Quote(c)))
			continue
		}
		switch x := v.(type) {
		case string, bool, int64:
			bound[c] = x
		case int:
			bound[c] = int64(x)
		case int32:
			bound[c] = int64(x)
		default:
			errs = append(errs, calldash.Errorf(jsonx.Key("$.scope", c), calldash.ErrType, "a scope value is a string, a bool or an integer; got %T", v))
		}
	}
	for c := range values {
		if !slices.Contains(cols, c) {
			errs = append(errs, calldash.Errorf(jsonx.Key("$.scope", c), calldash.ErrUnknownKey, "%s is no scope column of the layout (scope columns: %s)",
				names.Quote(c), strings.Join(cols, ", ")))
		}
	}
	if len(errs) > 0 {
		errs.Sort()
		return nil, errs
	}
	out := *l
	out.values = bound
	return &out, nil
}

// ScopeValues returns the scope values the layout is bound to (a copy),
// nil when it is not bound.
func (l *Layout) ScopeValues() map[string]any {
	if l.values == nil {
		return nil
	}
	out := make(map[string]any, len(l.values))
	for k, v := range l.values {
		out[k] = v
	}
	return out
}

// ErrUnscoped is the error of a statement over a layout with scope
// columns whose values were not given ([Layout.Scoped]).
var ErrUnscoped = errors.New("sqlgen: the layout has scope columns but no scope values (Layout.Scoped)")

// checkScope returns ErrUnscoped when l has scope columns but no values.
func (l *Layout) checkScope() error {
	if l.values != nil {
		return nil
	}
	for _, cols := range l.scope {
		if len(cols) > 0 {
			return ErrUnscoped
		}
	}
	return nil
}

// scopeCond returns the scope condition of table t read as alias, "" for
// none, and its arguments.
func (l *Layout) scopeCond(d dialect.Dialect, t int, alias string) (string, []any) {
	cols := l.scope[t]
	if alias != "" {
		alias += "."
	}
	switch len(cols) {
	case 0:
		return "", nil
	case 1:
		return alias + d.Quote(cols[0]) + " = ?", []any{l.values[cols[0]]}
	}
	parts := make([]string, len(cols))
	args := make([]any, len(cols))
	for i, c := range cols {
		parts[i] = alias + d.Quote(c) + " = ?"
		args[i] = l.values[c]
	}
	return strings.Join(parts, " AND "), args
}

// Schema returns the fields of s that the layout has a column for, and
// their aliases: s itself when it has them all. A source over the layout
// checks widgets and filters against it, so that a field the layout left
// out is an unknown field, named with the fields it knows.
func (l *Layout) Schema(s *filter.Schema) *filter.Schema {
	return s.Only(func(f *filter.Field) bool {
		_, ok := l.locate(f.Name)
		return ok
	})
}

// MarshalJSON writes the layout's document (see [LayoutSpec]).
func (l *Layout) MarshalJSON() ([]byte, error) {
	var b []byte
	table := func(name string, t *TableSpec) {
		if t == nil {
			return
		}
		if len(b) > 1 {
			b = append(b, ',')
		}
		b = strconv.AppendQuote(b, name)
		b = append(b, `:{"table":`...)
		b = jsonx.Quote(b, t.Table)
		b = append(b, `,"columns":{`...)
		keys := make([]string, 0, len(t.Columns))
		for k := range t.Columns {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		for i, k := range keys {
			if i > 0 {
				b = append(b, ',')
			}
			b = jsonx.Quote(b, k)
			b = append(b, ':')
			b = jsonx.Quote(b, t.Columns[k])
		}
		b = append(b, '}')
		if len(t.Scope) > 0 {
			b = append(b, `,"scope":[`...)
			for i, c := range t.Scope {
				if i > 0 {
					b = append(b, ',')
				}
				b = jsonx.Quote(b, c)
			}
			b = append(b, ']')
		}
		b = append(b, '}')
	}
	b = append(b, '{')
	table("calls", &l.spec.Calls)
	table("agents", l.spec.Agents)
	table("evaluations", l.spec.Evaluations)
	table("metrics", l.spec.Metrics)
	return append(b, '}'), nil
}

// The table aliases of every statement: the call row is c, its agent a,
// an evaluation row e and its metric m.
const (
	callAlias   = "c"
	agentAlias  = "a"
	evalAlias   = "e"
	metricAlias = "m"
)

// QuoteTable returns the quoted name of a table in d: each part of a
// qualified name ("app.calls") quoted on its own.
func QuoteTable(d dialect.Dialect, name string) string {
	if !strings.Contains(name, ".") {
		return d.Quote(name)
	}
	parts := strings.Split(name, ".")
	for i, p := range parts {
		parts[i] = d.Quote(p)
	}
	return strings.Join(parts, ".")
}

// A place is where a field's value is read: a column of one of the
// aliased rows.
type place struct {
	alias, column string
}

func (p place) sql(d dialect.Dialect) string { return p.alias + "." + d.Quote(p.column) }

// callCol returns the place of a column of the call row (by field name:
// "id", "timestamp", "agent.id", …); ok is false when the layout has none.
func (l *Layout) callCol(field string) (place, bool) {
	c, ok := l.callCols[field]
	return place{callAlias, c}, ok
}

// agentName returns where an agent's name lives: on the call row, or in
// the agents table (joined as a).
func (l *Layout) agentName() (p place, joined, ok bool) {
	if c, ok := l.callCols["agent.agent_name"]; ok {
		return place{callAlias, c}, false, true
	}
	if c, ok := l.agentCols["agent_name"]; ok && l.agents != "" {
		return place{agentAlias, c}, true, true
	}
	return place{}, false, false
}

func (l *Layout) evalCol(name string) string   { return l.evalCols[name] }
func (l *Layout) metricCol(name string) string { return l.metricCols[name] }
func (l *Layout) agentCol(name string) string  { return l.agentCols[name] }
func (l *Layout) hasEvaluations() bool         { return l.evals != "" }

// jsonValue reports whether an evaluation's value is one JSON column.
func (l *Layout) jsonValue() bool {
	_, ok := l.evalCols["value"]
	return ok
}

// A loc is where a field's value is read in SQL.
type loc struct {
	col    place // the column; for metadata and a JSON evaluation value the JSON column
	json   bool  // col holds JSON: a metadata object or one evaluation value
	agents bool  // col is on the agents row (a), which must be joined
	metric bool  // col is on the metrics row (m), which must be joined to the evaluation
	// An evaluation value in one column per JSON type.
	typed              bool
	num, boolean, text place
}

// The fields of package filter's call-log schema that live on an
// evaluation row.
const (
	fieldMetricID   = "metric_evaluations.metric.id"
	fieldMetricName = "metric_evaluations.metric.name"
	fieldEvalValue  = "metric_evaluations.value"
)

// locate returns where the field named name is read; ok is false when the
// layout has no column for it.
func (l *Layout) locate(name string) (loc, bool) {
	switch name {
	case "agent.agent_name":
		p, joined, ok := l.agentName()
		return loc{col: p, agents: joined}, ok
	case fieldMetricID:
		c, ok := l.evalCols["metric.id"]
		return loc{col: place{evalAlias, c}}, ok && l.hasEvaluations()
	case fieldMetricName:
		if c, ok := l.evalCols["metric.name"]; ok {
			return loc{col: place{evalAlias, c}}, true
		}
		c, ok := l.metricCols["name"]
		return loc{col: place{metricAlias, c}, metric: true}, ok && l.metrics != ""
	case fieldEvalValue:
		if !l.hasEvaluations() {
			return loc{}, false
		}
		if c, ok := l.evalCols["value"]; ok {
			return loc{col: place{evalAlias, c}, json: true}, true
		}
		return loc{typed: true,
			num:     place{evalAlias, l.evalCols["value_number"]},
			boolean: place{evalAlias, l.evalCols["value_bool"]},
			text:    place{evalAlias, l.evalCols["value_text"]}}, true
	case "metadata":
		p, ok := l.callCol(name)
		return loc{col: p, json: true}, ok
	case "agent.id", "id", "timestamp", "duration", "success", "is_reviewed", "call_ended_reason",
		"dropoff_point", "topic", "customer_number":
		p, ok := l.callCol(name)
		return loc{col: p}, ok
	}
	return loc{}, false
}

// readsAgents reports whether the filter reads a column of the agents row.
func (l *Layout) readsAgents(f *filter.Checked) bool {
	agents := false
	filter.Walk(f.Node(), func(n filter.Node) bool {
		if c, ok := n.(*filter.Condition); ok {
			if at, ok := l.locate(fieldName(f.Schema(), c.Field)); ok && at.agents {
				agents = true
			}
		}
		return !agents
	})
	return agents
}

// scoped returns how a statement reads the table named name of the given
// role as alias: the table expression (with the arguments it binds) and
// the scope condition over alias to AND into the reading SELECT ("" for
// none). A [dialect.TableReader] reads every table through a subquery;
// the scope then is that subquery's WHERE (so that it holds before any
// join), and cond is "".
func (l *Layout) scoped(d dialect.Dialect, role int, name, alias string) (from string, fromArgs []any, cond string, condArgs []any) {
	quoted := QuoteTable(d, name)
	tr, isTR := d.(dialect.TableReader)
	if !isTR {
		cond, condArgs = l.scopeCond(d, role, alias)
		return quoted, nil, cond, condArgs
	}
	if len(l.scope[role]) == 0 {
		return tr.ReadTable(quoted), nil, "", nil
	}
	parts := make([]string, len(l.scope[role]))
	for i, c := range l.scope[role] {
		parts[i] = d.Quote(c) + " = ?"
		fromArgs = append(fromArgs, l.values[c])
	}
	return "(SELECT * FROM " + quoted + " WHERE " + strings.Join(parts, " AND ") + ")", fromArgs, "", nil
}

// jsonDocument is the metadata column col as the dialect's JSON functions
// read it: as it is in the loader's tables, through
// [dialect.Dialect.JSONDocument] in a user's.
func (l *Layout) jsonDocument(d dialect.Dialect, col string) string {
	if l.loaderJSON {
		return col
	}
	return d.JSONDocument(col)
}

// statementAliases are the column aliases of the statements of this
// package (see the Statement columns and the derived tables of widget.go).
var statementAliases = []string{"n", "known", "ok", "dn", "dsum", "v", "g", "k1", "k2", "lv", "cnt", "rn", "gc", evalIDColumn}

// checkAliases returns an error naming the dialect when d's aliases are
// global ([dialect.GlobalAliaser]) and a column of the calls or of the
// evaluations has the name of one of them: the statement would read the
// alias instead of the column. The clash is found once, when the layout
// is built.
func (l *Layout) checkAliases(d dialect.Dialect) error {
	if l.aliasClash == "" {
		return nil
	}
	if _, ok := d.(dialect.GlobalAliaser); !ok {
		return nil
	}
	return calldash.ErrorList{calldash.Errorf(l.aliasClash, calldash.ErrDialect,
		"column %s is the name of an alias of calldash's statements, which are global on %s; rename the column or read it through a view",
		names.Quote(l.aliasColumn), d.Name())}
}

// findAliasClash sets the path and name of the first column of the calls
// or the evaluations named like a statement alias.
func (l *Layout) findAliasClash() {
	check := func(path string, cols map[string]string, scope []string) bool {
		for _, k := range slices.Sorted(maps.Keys(cols)) {
			if slices.Contains(statementAliases, cols[k]) {
				l.aliasClash, l.aliasColumn = jsonx.Key(path+".columns", k), cols[k]
				return true
			}
		}
		for i, c := range scope {
			if slices.Contains(statementAliases, c) {
				l.aliasClash, l.aliasColumn = jsonx.Index(path+".scope", i), c
				return true
			}
		}
		return false
	}
	if !check("$.calls", l.callCols, l.scope[tableCalls]) {
		check("$.evaluations", l.evalCols, l.scope[tableEvals])
	}
}
