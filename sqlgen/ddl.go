package sqlgen

import (
	"strings"

	"github.com/calldash/calldash/dialect"
)

// The loader's statements: the tables of the default layout, created,
// filled and dropped by package sqlstore. The SQL source never runs them.

// A defaultTable is one table of the default layout: its columns in
// order, the columns of its index (or of the sort key of a
// [dialect.OrderedStore]), and for a sharded ClickHouse layout whether it
// is spread over the shards (by shardKey) or copied to each.
type defaultTable struct {
	name     string
	columns  []defaultColumn
	index    []string // the index besides the primary key; nil for none
	order    []string // the sort key of an ordered store
	shardKey string   // "" for a table copied to every shard
}

type defaultColumn struct {
	name string
	kind dialect.ColumnKind
}

// defaultTables are the tables of the default layout, in the order the
// loader fills them.
var defaultTables = []defaultTable{
	{name: "agents", columns: []defaultColumn{{"id", dialect.ColumnKey}, {"agent_name", dialect.ColumnText}},
		order: []string{"id"}},
	{name: "metrics", columns: []defaultColumn{{"id", dialect.ColumnKey}, {"name", dialect.ColumnText}, {"eval_type", dialect.ColumnText}},
		order: []string{"id"}},
	{name: "call_logs", columns: []defaultColumn{
		{"id", dialect.ColumnKey}, {"timestamp", dialect.ColumnTime}, {"duration", dialect.ColumnNumber},
		{"success", dialect.ColumnBool}, {"is_reviewed", dialect.ColumnBool}, {"call_ended_reason", dialect.ColumnText},
		{"dropoff_point", dialect.ColumnText}, {"topic", dialect.ColumnText}, {"customer_number", dialect.ColumnText},
		{"agent_id", dialect.ColumnInt}, {"metadata", dialect.ColumnJSON}},
		index: []string{"timestamp"}, order: []string{"timestamp", "id"}, shardKey: "id"},
	{name: "metric_evaluations", columns: []defaultColumn{
		{"id", dialect.ColumnKey}, {"call_log_id", dialect.ColumnRef}, {"metric_id", dialect.ColumnRef},
		{"value_number", dialect.ColumnNumber}, {"value_bool", dialect.ColumnBool}, {"value_text", dialect.ColumnText}},
		index: []string{"call_log_id", "metric_id"}, order: []string{"call_log_id", "metric_id", "id"}, shardKey: "call_log_id"},
}

// LoadTable is one table the loader fills: its name with the prefix, and
// its columns in the order of the rows.
type LoadTable struct {
	Name    string
	Columns []string
}

// LoadTables returns the tables of the default layout with prefix, in the
// order the loader fills them (agents and metrics before the calls and
// evaluations that name them).
func LoadTables(prefix string) []LoadTable {
	out := make([]LoadTable, len(defaultTables))
	for i, t := range defaultTables {
		cols := make([]string, len(t.columns))
		for j, c := range t.columns {
			cols[j] = c.name
		}
		out[i] = LoadTable{Name: prefix + t.name, Columns: cols}
	}
	return out
}

// CreateTables returns the statements that create the tables of the
// default layout with prefix in dialect d, with their indexes (or, on a
// [dialect.OrderedStore], their sort keys).
func CreateTables(d dialect.Dialect, prefix string) []string {
	var out, indexes []string
	for _, t := range defaultTables {
		out = append(out, createTable(d, prefix+t.name, t))
		if _, ordered := d.(dialect.OrderedStore); !ordered && t.index != nil {
			indexes = append(indexes, "CREATE INDEX "+d.Quote(prefix+t.name+"_"+strings.Join(t.index, "_"))+
				" ON "+d.Quote(prefix+t.name)+" ("+quoteAll(d, t.index)+")")
		}
	}
	return append(out, indexes...)
}

func createTable(d dialect.Dialect, name string, t defaultTable) string {
	cols := make([]string, len(t.columns))
	for i, c := range t.columns {
		cols[i] = d.Quote(c.name) + " " + d.ColumnType(c.kind, d.Quote(c.name))
	}
	text := "CREATE TABLE " + d.Quote(name) + " (" + strings.Join(cols, ", ") + ")" + d.TableOptions()
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
// live on the same shard.
func CreateShardedTables(d dialect.Sharder, prefix, cluster string) (shard, distributed []string) {
	for _, t := range defaultTables {
		name := prefix + t.name
		if t.shardKey != "" {
			name += ShardSuffix
		}
		shard = append(shard, createTable(d, name, t))
	}
	for _, t := range defaultTables {
		if t.shardKey == "" {
			continue
		}
		local := prefix + t.name + ShardSuffix
		distributed = append(distributed, "CREATE TABLE "+d.Quote(prefix+t.name)+" AS "+d.Quote(local)+" "+
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
	out := make([]string, 0, len(defaultTables))
	for i := len(defaultTables) - 1; i >= 0; i-- {
		out = append(out, "DROP TABLE IF EXISTS "+d.Quote(prefix+defaultTables[i].name))
	}
	return out
}

// Insert returns a statement that inserts rows rows of columns into the
// table named table, with the dialect's placeholders; rows = 0 gives the
// INSERT head alone, "INSERT INTO t (a, b)", which a [dialect.Batcher]
// prepares and fills row by row.
func Insert(d dialect.Dialect, table string, columns []string, rows int) (string, error) {
	var b strings.Builder
	b.WriteString("INSERT INTO " + d.Quote(table) + " (" + quoteAll(d, columns) + ")")
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
