package sqlgen

import (
	"strings"

	"github.com/calldash/calldash/dialect"
)

// The loader's statements: the tables of the default layout, created,
// filled and dropped by package sqlstore. The SQL source never runs them.

// The kind of column each field key of a layout's tables holds; a
// layout's tables are created with the dialect's type of that kind.
var (
	callKinds = map[string]dialect.ColumnKind{
		"id": dialect.ColumnKey, "timestamp": dialect.ColumnTime, "duration": dialect.ColumnNumber,
		"success": dialect.ColumnBool, "is_reviewed": dialect.ColumnBool, "call_ended_reason": dialect.ColumnText,
		"dropoff_point": dialect.ColumnText, "topic": dialect.ColumnText, "customer_number": dialect.ColumnText,
		"agent.id": dialect.ColumnInt, "agent.agent_name": dialect.ColumnText, "metadata": dialect.ColumnJSON}
	agentKinds  = map[string]dialect.ColumnKind{"id": dialect.ColumnKey, "agent_name": dialect.ColumnText}
	metricKinds = map[string]dialect.ColumnKind{"id": dialect.ColumnKey, "name": dialect.ColumnText, "eval_type": dialect.ColumnText}
	evalKinds   = map[string]dialect.ColumnKind{
		"id": dialect.ColumnKey, "call": dialect.ColumnRef, "metric.id": dialect.ColumnRef,
		"metric.name": dialect.ColumnText, "metric.eval_type": dialect.ColumnText, "value": dialect.ColumnJSON,
		"value_number": dialect.ColumnNumber, "value_bool": dialect.ColumnBool, "value_text": dialect.ColumnText}
)

// A layoutTable is one table of a layout as the loader sees it: its
// columns in order (the fields in the order of the default tables, then
// the scope columns), the field keys of its index besides the primary
// key, those of the sort key of a [dialect.OrderedStore], and for the
// sharded default layout the key that spreads it over the shards.
type layoutTable struct {
	role     int
	name     string
	columns  []layoutColumn
	index    []string // columns of the index; nil for none
	order    []string // columns of the sort key
	shardKey string   // "" for a table copied to every shard
}

type layoutColumn struct {
	name  string
	field string // the field key; "" for a scope column
	kind  dialect.ColumnKind
}

// tables returns the tables of l, in the order the loader fills them
// (agents and metrics before the calls and evaluations that name them).
func (l *Layout) tables() []layoutTable {
	var out []layoutTable
	add := func(role int, name string, cols map[string]string, keys []string, kinds map[string]dialect.ColumnKind,
		index, order []string, shardKey string) {
		if name == "" {
			return
		}
		t := layoutTable{role: role, name: name}
		for _, k := range keys {
			if c, ok := cols[k]; ok {
				kind := kinds[k]
				if kind == dialect.ColumnKey && len(l.scope[role]) > 0 {
					kind = dialect.ColumnRef // tenants may share ids: no primary key on the id alone
				}
				t.columns = append(t.columns, layoutColumn{c, k, kind})
			}
		}
		for _, c := range l.scope[role] {
			kind := dialect.ColumnText
			switch l.values[c].(type) {
			case int64:
				kind = dialect.ColumnRef
			case bool:
				kind = dialect.ColumnBool
			}
			t.columns = append(t.columns, layoutColumn{name: c, kind: kind})
		}
		colsOf := func(ks []string) []string {
			out := make([]string, 0, len(ks))
			for _, k := range ks {
				out = append(out, cols[k])
			}
			return out
		}
		if index != nil {
			t.index = colsOf(index)
		}
		t.order = colsOf(order)
		if shardKey != "" {
			t.shardKey = cols[shardKey]
		}
		out = append(out, t)
	}
	add(tableAgents, l.agents, l.agentCols, agentKeys, agentKinds, nil, []string{"id"}, "")
	add(tableMetrics, l.metrics, l.metricCols, metricKeys, metricKinds, nil, []string{"id"}, "")
	add(tableCalls, l.calls, l.callCols, callKeys, callKinds, []string{"timestamp"}, []string{"timestamp", "id"}, "id")
	add(tableEvals, l.evals, l.evalCols, evalKeys, evalKinds, []string{"call", "metric.id"}, []string{"call", "metric.id", "id"}, "call")
	return out
}

// LoadTable is one table the loader fills: its name (as written in the
// layout, perhaps qualified), its columns in the order of the rows, and
// the field key each column holds ("" for a scope column).
type LoadTable struct {
	Name    string
	Columns []string
	Fields  []string
	Role    string // "agents", "metrics", "calls" or "evaluations"
}

// LoadTables returns the tables of the default layout with prefix, in the
// order the loader fills them (agents and metrics before the calls and
// evaluations that name them).
func LoadTables(prefix string) []LoadTable { return DefaultLayout(prefix).LoadTables() }

// LoadTables returns the tables of l in the order the loader fills them
// (agents and metrics before the calls and evaluations that name them).
func (l *Layout) LoadTables() []LoadTable {
	ts := l.tables()
	out := make([]LoadTable, len(ts))
	for i, t := range ts {
		cols, fields := make([]string, len(t.columns)), make([]string, len(t.columns))
		for j, c := range t.columns {
			cols[j], fields[j] = c.name, c.field
		}
		out[i] = LoadTable{Name: t.name, Columns: cols, Fields: fields,
			Role: [...]string{tableAgents: "agents", tableMetrics: "metrics", tableCalls: "calls", tableEvals: "evaluations"}[t.role]}
	}
	return out
}

// CreateTables returns the statements that create the tables of the
// default layout with prefix in dialect d, with their indexes (or, on a
// [dialect.OrderedStore], their sort keys).
func CreateTables(d dialect.Dialect, prefix string) []string {
	return DefaultLayout(prefix).CreateTables(d)
}

// CreateTables returns the statements that create the tables of l in
// dialect d — each column of the type of its field in the default layout,
// a scope column of the type of its value ([Layout.Scoped]: BIGINT for an
// integer, the text type otherwise) — with the index on the calls'
// timestamp and the one on the evaluations' call and metric (or, on a
// [dialect.OrderedStore], the sort keys they would lead). The schema of a
// qualified name must exist.
func (l *Layout) CreateTables(d dialect.Dialect) []string {
	var out []string
	for _, t := range l.tables() {
		out = append(out, createTable(d, QuoteTable(d, t.name), t))
	}
	for _, ix := range l.Indexes(d) {
		out = append(out, ix.Create)
	}
	return out
}

// An Index is a secondary index that [Layout.CreateTables] makes.
type Index struct {
	// Table is the name of the indexed table in the layout (unquoted,
	// schema-qualified when the layout's is).
	Table string
	// Create is the CREATE INDEX statement of CreateTables; Drop drops
	// the index on a [dialect.DDLTransactor] (PostgreSQL, SQLite), ""
	// on other dialects.
	Create, Drop string
}

// Indexes returns the secondary indexes of l's tables in d, in the
// order of CreateTables (none on a [dialect.OrderedStore], whose tables
// have sort keys instead).
func (l *Layout) Indexes(d dialect.Dialect) []Index {
	if _, ordered := d.(dialect.OrderedStore); ordered {
		return nil
	}
	_, transactor := d.(dialect.DDLTransactor)
	var out []Index
	for _, t := range l.tables() {
		if t.index == nil {
			continue
		}
		dot := strings.LastIndexByte(t.name, '.')
		base := t.name[dot+1:]
		index, on := d.Quote(base+"_"+strings.Join(t.index, "_")), QuoteTable(d, t.name)
		qualified := index // the index's own name, in the table's schema
		if dot >= 0 {
			qualified = d.Quote(t.name[:dot]) + "." + index
		}
		if _, ok := d.(dialect.SchemaIndexer); ok && dot >= 0 {
			index, on = qualified, d.Quote(base)
		}
		ix := Index{Table: t.name, Create: "CREATE INDEX " + index + " ON " + on + " (" + quoteAll(d, t.index) + ")"}
		if transactor {
			ix.Drop = "DROP INDEX " + qualified
		}
		out = append(out, ix)
	}
	return out
}

func createTable(d dialect.Dialect, quoted string, t layoutTable) string {
	cols := make([]string, len(t.columns))
	for i, c := range t.columns {
		cols[i] = d.Quote(c.name) + " " + d.ColumnType(c.kind, d.Quote(c.name))
	}
	text := "CREATE TABLE " + quoted + " (" + strings.Join(cols, ", ") + ")" + d.TableOptions()
	if o, ok := d.(dialect.OrderedStore); ok {
		text += " " + o.OrderedBy(quoteAll(d, t.order))
	}
	return text
}

// CreateShardedTables returns the statements of the sharded default
// layout for a cluster of a [dialect.Sharder]: shard to run on every
// shard — the calls and evaluations as local tables (suffix "_local") of
// the rows of that shard, agents and metrics as full copies, so that joins
// with them stay on the shard — and distributed to run on the server that
// answers queries: the calls and evaluations as Distributed tables over
// the local ones, sharded by the call id (calls.id,
// metric_evaluations.call_log_id), so that a call and its evaluations
// live on the same shard. A prefix that names a database first
// ("analytics.cd_") puts every table in that database, which must exist
// on every shard.
func CreateShardedTables(d dialect.Sharder, prefix, cluster string) (shard, distributed []string) {
	ts := DefaultLayout(prefix).tables()
	for _, t := range ts {
		name := t.name
		if t.shardKey != "" && (t.role == tableCalls || t.role == tableEvals) {
			name += ShardSuffix
		}
		shard = append(shard, createTable(d, QuoteTable(d, name), t))
	}
	for _, t := range ts {
		if t.role != tableCalls && t.role != tableEvals {
			continue
		}
		local := t.name + ShardSuffix
		distributed = append(distributed, "CREATE TABLE "+QuoteTable(d, t.name)+" AS "+QuoteTable(d, local)+" "+
			d.Distributed(cluster, local, d.Quote(t.shardKey)))
	}
	return shard, distributed
}

// ShardSuffix ends the names of the shard-local tables of the sharded
// default layout.
const ShardSuffix = "_local"

// DropTables returns the statements that drop the tables of the default
// layout with prefix, those that exist, in the reverse of their order.
func DropTables(d dialect.Dialect, prefix string) []string {
	return DefaultLayout(prefix).DropTables(d)
}

// DropTables returns the statements that drop the tables of l, those
// that exist, in the reverse of the order [Layout.CreateTables] creates
// them. Only the loader runs them, on tables it created.
func (l *Layout) DropTables(d dialect.Dialect) []string {
	ts := l.tables()
	out := make([]string, 0, len(ts))
	for i := len(ts) - 1; i >= 0; i-- {
		out = append(out, "DROP TABLE IF EXISTS "+QuoteTable(d, ts[i].name))
	}
	return out
}

// Insert returns a statement that inserts rows rows of columns into the
// table named name (perhaps qualified: each part is quoted), with the dialect's placeholders; rows = 0 gives the
// INSERT head alone, "INSERT INTO t (a, b)", which a [dialect.Batcher]
// prepares and fills row by row.
func Insert(d dialect.Dialect, name string, columns []string, rows int) (string, error) {
	var b strings.Builder
	b.WriteString("INSERT INTO " + QuoteTable(d, name) + " (" + quoteAll(d, columns) + ")")
	if rows == 0 {
		return b.String(), nil
	}
	row := "(" + strings.TrimSuffix(strings.Repeat("?,", len(columns)), ",") + ")"
	b.Grow(rows * (len(row) + 1))
	b.WriteString(" VALUES ")
	for i := range rows {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(row)
	}
	return dialect.Rewrite(d, b.String())
}

func quoteAll(d dialect.Dialect, names []string) string {
	q := make([]string, len(names))
	for i, n := range names {
		q[i] = d.Quote(n)
	}
	return strings.Join(q, ", ")
}
