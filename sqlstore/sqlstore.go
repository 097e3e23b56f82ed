// Package sqlstore puts call logs into a database in calldash's default
// table layout (docs/sql-design.md), so that a [widget.SQL] source
// can answer widgets over them: [Create] makes the tables, [Load] fills
// them, [Drop] removes them again. Tables live in a scratch namespace: every
// table name starts with a prefix ([NewPrefix]), so that several loads can
// share one database side by side and leave it as they found it. A
// prefix may name the schema first ("analytics.cd_"; a database on
// MySQL/MariaDB and ClickHouse, an attached database on SQLite), which
// must exist.
//
// It is what tests, the differential test and examples/preview use; an
// application with its own tables describes them with an sqlgen.Layout
// instead, and the SQL source reads them as they are. [CreateLayout],
// [LoadLayout] and [DropLayout] do for any layout what Create, Load and
// Drop do for the default one (tests put calls in a user's shape with
// them, several tenants in the same tables).
//
// # Semantics
//
// [Load] writes one call_logs row per call, one metric_evaluations row per
// evaluation (its value in value_number, value_bool or value_text by its
// JSON type, the others NULL, all three NULL for a null value), one agents
// row per agent id and one metrics row per metric id. An agent or metric id
// must have one name (and a metric one eval type) across all the calls.
// Metadata is stored as canonical JSON: keys sorted byte-wise, numbers in
// plain decimal notation without trailing zeros, and null entries left out
// (a null entry behaves as a missing key, as in memory); a nil map is SQL
// NULL.
//
// Each table goes in with multi-row INSERTs of up to 30,000 arguments,
// and on ClickHouse with the driver's native batches; a [Loader] with a
// [Copier] writes the same rows by the database's bulk path instead
// (COPY, LOAD DATA), which the program that has the driver provides.
// On PostgreSQL and SQLite, [Load] drops the secondary indexes of the
// tables it fills that are empty and creates them again after writing
// the rows, inside its transaction (the tables end with the indexes
// [Create] made, and a failed load leaves them as they were).
//
// # Errors
//
// Load never rounds: data that a dialect cannot hold exactly is an error
// that names the dialect and the call, and nothing is loaded (one
// transaction). PostgreSQL and MySQL/MariaDB keep microseconds, so a
// timestamp with a finer fraction is refused; MySQL/MariaDB's
// DECIMAL(65,30) keeps 35 integer and 30 fractional digits, so a duration,
// evaluation value or metadata number beyond that is refused; PostgreSQL
// text cannot hold the NUL character. Data that cannot be stored at all —
// an agent name without an agent id, two names for one id, duplicate ids,
// values of the wrong kind — is refused on every dialect.
//
// [widget.SQL]: https://pkg.go.dev/github.com/calldash/calldash/widget#SQL
package sqlstore

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"iter"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/shopspring/decimal"

	"github.com/calldash/calldash"
	"github.com/calldash/calldash/dialect"
	"github.com/calldash/calldash/sqlgen"
)

// NewPrefix returns a fresh table-name prefix for a scratch namespace:
// "cdt", the creation time as 8 hexadecimal digits of Unix seconds, 8
// random hexadecimal digits and "_", e.g. "cdt6930a1c2b4d5e6f7_". The time
// makes tables left behind by a killed process recognisable ([Sweep]).
func NewPrefix() string { return newPrefix(time.Now()) }

func newPrefix(now time.Time) string {
	var b [4]byte
	rand.Read(b[:]) // never fails (crypto/rand)
	return fmt.Sprintf("cdt%08x%s_", uint32(now.Unix()), hex.EncodeToString(b[:]))
}

// PrefixTime returns the creation time of a prefix that [NewPrefix]
// made; ok is false for any other text.
func PrefixTime(prefix string) (t time.Time, ok bool) {
	if len(prefix) != 20 || prefix[:3] != "cdt" || prefix[19] != '_' {
		return time.Time{}, false
	}
	var secs uint32
	for _, c := range prefix[3:11] {
		v := strings.IndexRune("0123456789abcdef", c)
		if v < 0 {
			return time.Time{}, false
		}
		secs = secs<<4 | uint32(v)
	}
	if _, err := hex.DecodeString(prefix[11:19]); err != nil {
		return time.Time{}, false
	}
	return time.Unix(int64(secs), 0), true
}

// Sweep drops the scratch tables of every prefix that [NewPrefix] made
// before before (tables a killed process could not drop), and returns the
// prefixes it dropped, sorted. Tables of other names are never touched.
func Sweep(ctx context.Context, db *sql.DB, d dialect.Dialect, before time.Time) ([]string, error) {
	c, ok := d.(dialect.Cataloger)
	if !ok {
		return nil, fmt.Errorf("sqlstore: %s cannot list its tables", d.Name())
	}
	rows, err := db.QueryContext(ctx, c.TablesQuery())
	if err != nil {
		return nil, fmt.Errorf("sqlstore: list tables (%s): %w", d.Name(), err)
	}
	seen := map[string]bool{}
	for rows.Next() {
		var name string
		if err := rows.Scan(&name); err != nil {
			rows.Close()
			return nil, err
		}
		if len(name) > 20 {
			if t, ok := PrefixTime(name[:20]); ok && t.Before(before) {
				seen[name[:20]] = true
			}
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	prefixes := slices.Sorted(maps.Keys(seen))
	var errs []error
	for _, p := range prefixes {
		if err := Drop(ctx, db, d, p); err != nil {
			errs = append(errs, err)
		}
	}
	return prefixes, errors.Join(errs...)
}

// contextError is err, or the context's error when ctx has ended (a
// driver may report it as a bad connection or an i/o timeout).
// A driver that sets its connection's deadline from the context's may
// fail a moment before ctx.Err() reports the deadline.
func contextError(ctx context.Context, err error) error {
	cerr := ctx.Err()
	if dl, ok := ctx.Deadline(); ok && cerr == nil && !time.Now().Before(dl) {
		cerr = context.DeadlineExceeded
	}
	if err == nil || cerr == nil || errors.Is(err, cerr) {
		return err
	}
	return fmt.Errorf("sqlstore: %w (the driver said: %v)", cerr, err)
}

// checkPrefix makes sure a prefix can only make plain identifiers: ASCII
// letters, digits and underscores, at most 32 bytes, perhaps after a
// schema (a database on MySQL/MariaDB and ClickHouse) and a dot, which
// puts the tables in that schema: "analytics.cd_", or "analytics." for
// the plain names.
func checkPrefix(prefix string) error {
	if len(prefix) > 32 {
		return fmt.Errorf("sqlstore: table prefix %q is longer than 32 bytes", prefix)
	}
	schema, rest, qualified := strings.Cut(prefix, ".")
	if qualified && schema == "" {
		return fmt.Errorf("sqlstore: table prefix %q: the schema before the dot is empty", prefix)
	}
	for _, part := range []string{schema, rest} {
		for _, r := range part {
			if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '_') {
				return fmt.Errorf("sqlstore: table prefix %q: only ASCII letters, digits and _ are allowed, and one dot after a schema", prefix)
			}
		}
	}
	return nil
}

// Create creates the default tables with names starting with prefix (the
// statements of sqlgen.CreateTables), in one transaction where the database
// allows DDL in one (on MySQL/MariaDB each statement commits by itself; use
// [Drop] to clean up after an error).
func Create(ctx context.Context, db *sql.DB, d dialect.Dialect, prefix string) (err error) {
	defer func() { err = contextError(ctx, err) }()
	if err := checkPrefix(prefix); err != nil {
		return err
	}
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	for _, stmt := range sqlgen.CreateTables(d, prefix) {
		if _, err := tx.ExecContext(ctx, stmt); err != nil {
			return fmt.Errorf("sqlstore: create tables (%s): %w\n%s", d.Name(), err, stmt)
		}
	}
	return tx.Commit()
}

// Drop drops the default tables whose names start with prefix, those that
// exist; dropping tables that do not exist is not an error.
func Drop(ctx context.Context, db *sql.DB, d dialect.Dialect, prefix string) error {
	if err := checkPrefix(prefix); err != nil {
		return err
	}
	var errs []error
	for _, stmt := range sqlgen.DropTables(d, prefix) {
		if _, err := db.ExecContext(ctx, stmt); err != nil {
			errs = append(errs, fmt.Errorf("sqlstore: %s (%s): %w", stmt, d.Name(), err))
		}
	}
	return errors.Join(errs...)
}

// batchArgs bounds the bound arguments of one INSERT statement: rows of
// 11 columns go 2,727 to a statement, under every database's limit
// (SQLite's 32,766 variables, 65,535 on PostgreSQL and MySQL/MariaDB).
const batchArgs = 30_000

// Load inserts calls into the tables made by [Create] with the same
// prefix, in one transaction: all of them or, on error, none. See the
// package documentation for what is stored and what is refused. For a
// slice, pass slices.Values(calls).
func Load(ctx context.Context, db *sql.DB, d dialect.Dialect, prefix string, calls iter.Seq[calldash.Call]) error {
	return Loader{}.Load(ctx, db, d, prefix, calls)
}

// load inserts the rows of tables, in one transaction where the database
// has them, without the indexes of the empty tables while it writes
// (withoutIndexes).
func load(ctx context.Context, db *sql.DB, d dialect.Dialect, tables []tableData, indexes []sqlgen.Index) error {
	if _, ok := d.(dialect.Batcher); ok {
		return loadBatches(ctx, db, d, tables)
	}
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	again, err := withoutIndexes(ctx, tx, d, tables, indexes)
	if err != nil {
		return err
	}
	for _, t := range tables {
		if err := insert(ctx, tx, d, t.Name, t.Columns, t.rows); err != nil {
			return err
		}
	}
	if err := createIndexes(ctx, tx, d, again); err != nil {
		return err
	}
	return tx.Commit()
}

// withoutIndexes drops, in tx, each of indexes (those [Create] made)
// whose table is empty and gets rows from this load, where the dialect
// drops and creates indexes inside a transaction ([dialect.DDLTransactor]:
// PostgreSQL, SQLite); it returns the statements that create them again,
// for createIndexes once the rows are written. An index made once over
// the loaded rows costs less than one that takes every row as it comes
// (on PostgreSQL it was a fifth of the time of filling a table of calls
// with its timestamp index). A table that already has rows keeps its
// indexes; a failed load rolls the drop back with the rest.
func withoutIndexes(ctx context.Context, tx *sql.Tx, d dialect.Dialect, tables []tableData, indexes []sqlgen.Index) ([]string, error) {
	if _, ok := d.(dialect.DDLTransactor); !ok || tx == nil {
		return nil, nil
	}
	filled := map[string]bool{}
	for _, t := range tables {
		filled[t.Name] = len(t.rows) > 0
	}
	var again []string
	for _, ix := range indexes {
		if ix.Drop == "" || !filled[ix.Table] {
			continue
		}
		var one int
		err := tx.QueryRowContext(ctx, "SELECT 1 FROM "+sqlgen.QuoteTable(d, ix.Table)+" LIMIT 1").Scan(&one)
		switch {
		case err == nil:
			continue // rows there: the index stays
		case !errors.Is(err, sql.ErrNoRows):
			return nil, fmt.Errorf("sqlstore: load (%s): %w", d.Name(), err)
		}
		if _, err := tx.ExecContext(ctx, ix.Drop); err != nil {
			return nil, fmt.Errorf("sqlstore: load (%s): %s: %w", d.Name(), ix.Drop, err)
		}
		again = append(again, ix.Create)
	}
	return again, nil
}

// createIndexes runs the statements of withoutIndexes in tx.
func createIndexes(ctx context.Context, tx *sql.Tx, d dialect.Dialect, stmts []string) error {
	for _, stmt := range stmts {
		if _, err := tx.ExecContext(ctx, stmt); err != nil {
			return fmt.Errorf("sqlstore: load (%s): %s: %w", d.Name(), stmt, err)
		}
	}
	return nil
}

// insert writes rows into table with multi-row INSERT statements of as
// many rows as batchArgs allows.
func insert(ctx context.Context, tx *sql.Tx, d dialect.Dialect, table string, columns []string, rows [][]any) error {
	size := max(1, batchArgs/len(columns))
	args := make([]any, 0, min(size, len(rows))*len(columns))
	for batch := range slices.Chunk(rows, size) {
		if err := ctx.Err(); err != nil {
			return err
		}
		query, err := sqlgen.Insert(d, table, columns, len(batch))
		if err != nil {
			return fmt.Errorf("sqlstore: insert into %s: %w", table, err)
		}
		args = args[:0]
		for _, r := range batch {
			args = append(args, r...)
		}
		if _, err := tx.ExecContext(ctx, query, args...); err != nil {
			return fmt.Errorf("sqlstore: insert into %s (%s): %w", table, d.Name(), err)
		}
	}
	return nil
}

// tableRows are the rows Load inserts, as bound arguments, in the
// columns of the default layout, and what a user's layout may hold
// besides: the JSON text of each evaluation's value, and the name of each
// agent and the name and eval type of each metric by id.
type tableRows struct {
	agents, metrics, calls, evaluations [][]any
	evalJSON                            []any // per evaluation row, when asked for
	agentName                           map[int64]any
	metric                              map[int64][]any // id, name, eval type
}

// A tableData is the rows of one table, in the order of its columns.
type tableData struct {
	sqlgen.LoadTable
	rows [][]any
}

// tables returns the rows of every table of l, in the order they are
// loaded (that of l.LoadTables): each column holds the field of its key,
// a scope column the layout's scope value.
func (r *tableRows) tables(l *sqlgen.Layout) []tableData {
	def := sqlgen.DefaultLayout("").LoadTables()
	byRole := map[string]int{}
	for i, t := range def {
		byRole[t.Role] = i
	}
	src := [][][]any{r.agents, r.metrics, r.calls, r.evaluations}
	scope := l.ScopeValues()
	var out []tableData
	for _, t := range l.LoadTables() {
		k := byRole[t.Role]
		if slices.Equal(t.Fields, def[k].Fields) {
			// The default columns in the default order (the default
			// layout): the rows as they are, not copied.
			out = append(out, tableData{t, src[k]})
			continue
		}
		index := map[string]int{}
		for j, f := range def[k].Fields {
			index[f] = j
		}
		rows := make([][]any, len(src[k]))
		for i, in := range src[k] {
			row := make([]any, len(t.Columns))
			for j, f := range t.Fields {
				switch {
				case f == "":
					row[j] = scope[t.Columns[j]]
				case t.Role == "calls" && f == "agent.agent_name":
					if id, ok := in[index["agent.id"]].(int64); ok {
						row[j] = r.agentName[id]
					}
				case t.Role == "evaluations" && f == "value":
					row[j] = r.evalJSON[i]
				case t.Role == "evaluations" && f == "metric.name":
					row[j] = r.metric[in[index["metric.id"]].(int64)][1]
				case t.Role == "evaluations" && f == "metric.eval_type":
					row[j] = r.metric[in[index["metric.id"]].(int64)][2]
				default:
					row[j] = in[index[f]]
				}
			}
			rows[i] = row
		}
		out = append(out, tableData{t, rows})
	}
	return out
}

type metricInfo struct {
	name     calldash.Value
	evalType string
	call     int64 // the first call that named it
}

// needsEvalJSON reports whether l keeps an evaluation's value as JSON
// text (the default layout does not).
func needsEvalJSON(l *sqlgen.Layout) bool {
	for _, t := range l.LoadTables() {
		if t.Role == "evaluations" && slices.Contains(t.Fields, "value") {
			return true
		}
	}
	return false
}

// buildRows checks calls and turns them into rows, with the JSON text of
// each evaluation's value when evalJSON is set.
func buildRows(d dialect.Dialect, calls iter.Seq[calldash.Call], evalJSON bool) (*tableRows, error) {
	c := converter{d: d, precision: d.TimePrecision()}
	var rows tableRows
	agents := map[int64]calldash.Value{}
	agentCall := map[int64]int64{}
	var agentIDs []int64
	metrics := map[int64]metricInfo{}
	var metricIDs []int64
	var callIDs, evalIDs idIndex
	for call := range calls {
		c.call, c.callArg = call.ID, call.ID
		if _, dup := callIDs.add(call.ID, call.ID, func(m map[int64]int64) {
			for _, r := range rows.calls {
				m[r[0].(int64)] = r[0].(int64)
			}
		}); dup {
			return nil, c.errorf("the id repeats")
		}
		row, agentID, err := c.callRow(&call)
		if err != nil {
			return nil, err
		}
		rows.calls = append(rows.calls, row)
		if agentID != nil {
			id := *agentID
			if name, ok := agents[id]; !ok {
				agents[id], agentCall[id] = call.AgentName, call.ID
				agentIDs = append(agentIDs, id)
			} else if !name.Equal(call.AgentName) {
				return nil, c.errorf("agent %d is named %s here and %s in call %d; the agents table holds one name per id",
					id, call.AgentName.AppendJSON(nil), name.AppendJSON(nil), agentCall[id])
			}
		}
		for i, ev := range call.MetricEvaluations {
			if first, dup := evalIDs.add(ev.ID, call.ID, func(m map[int64]int64) {
				for _, r := range rows.evaluations {
					m[r[0].(int64)] = r[1].(int64)
				}
			}); dup {
				return nil, c.errorf("metric_evaluations[%d]: evaluation id %d repeats (first in call %d)", i, ev.ID, first)
			}
			if m, ok := metrics[ev.MetricID]; !ok {
				if ev.MetricName.Kind != calldash.KindString && !ev.MetricName.IsNull() {
					return nil, c.errorf("metric_evaluations[%d]: metric name is a %s", i, ev.MetricName.Kind)
				}
				if err := c.text(ev.MetricName.Str); err != nil {
					return nil, err
				}
				metrics[ev.MetricID] = metricInfo{ev.MetricName, ev.EvalType, call.ID}
				metricIDs = append(metricIDs, ev.MetricID)
			} else if !m.name.Equal(ev.MetricName) || m.evalType != ev.EvalType {
				return nil, c.errorf("metric_evaluations[%d]: metric %d is %s (%s) here and %s (%s) in call %d; the metrics table holds one name and eval type per id",
					i, ev.MetricID, ev.MetricName.AppendJSON(nil), ev.EvalType, m.name.AppendJSON(nil), m.evalType, m.call)
			}
			row, err := c.evaluationRow(i, &ev)
			if err != nil {
				return nil, err
			}
			rows.evaluations = append(rows.evaluations, row)
			if evalJSON {
				rows.evalJSON = append(rows.evalJSON, c.jsonValue(ev.Value))
			}
		}
	}
	slices.Sort(agentIDs)
	rows.agentName = make(map[int64]any, len(agentIDs))
	for _, id := range agentIDs {
		rows.agents = append(rows.agents, []any{id, c.nullable(agents[id])})
		rows.agentName[id] = c.nullable(agents[id])
	}
	slices.Sort(metricIDs)
	rows.metric = make(map[int64][]any, len(metricIDs))
	for _, id := range metricIDs {
		m := metrics[id]
		row := []any{id, c.nullable(m.name), m.evalType}
		rows.metrics = append(rows.metrics, row)
		rows.metric[id] = row
	}
	return &rows, nil
}

// An idIndex finds repeated ids, each with the call that had it first.
// While every id is greater than the one before (as in most logs) no id
// can repeat, and it keeps only the last; at the first id out of order
// it makes a map of the ids so far (from the rows already built) and
// looks every id up from then on.
type idIndex struct {
	last  int64
	some  bool            // an id was added
	first map[int64]int64 // id → the call that had it; nil while in order
}

// add adds id, had by call, and returns the call that had it first and
// true when it is a repeat. fill puts the ids added so far into a map
// (id → call), the first time an id comes out of order.
func (x *idIndex) add(id, call int64, fill func(map[int64]int64)) (int64, bool) {
	if x.first == nil {
		if !x.some || id > x.last {
			x.last, x.some = id, true
			return 0, false
		}
		x.first = map[int64]int64{}
		fill(x.first)
	}
	if first, ok := x.first[id]; ok {
		return first, true
	}
	x.first[id] = call
	return 0, false
}

// A converter turns the values of one call into bound arguments.
type converter struct {
	d         dialect.Dialect
	precision time.Duration // of the timestamp column
	call      int64         // the call being converted, for errors
	callArg   any           // call boxed once, for its evaluations' rows
	keys      []string      // metadata's scratch: the keys of a call
	buf       []byte        // and its JSON text
	slab      []any         // rows are cut from it, a block at a time
	slabSize  int           // the size of the last block
}

// row returns a row of n nil values, cut from a block shared with the
// rows after it (one allocation per block, not per row). Blocks double
// from 1,024 values to 65,536, so that a small load allocates little.
func (c *converter) row(n int) []any {
	if len(c.slab) < n {
		c.slabSize = min(max(2*c.slabSize, 1<<10), 64<<10)
		c.slab = make([]any, max(c.slabSize, n))
	}
	r := c.slab[:n:n]
	c.slab = c.slab[n:]
	return r
}

// ErrRefused is the kind ([errors.Is]) of the errors of [Load] about the
// calls themselves: data that cannot be stored, or not exactly in this
// dialect. Other errors come from the database.
var ErrRefused = errors.New("sqlstore: calls refused")

// A refusal is an error of kind ErrRefused.
type refusal struct{ msg string }

func (e *refusal) Error() string { return e.msg }
func (e *refusal) Unwrap() error { return ErrRefused }

func (c *converter) errorf(format string, args ...any) error {
	return &refusal{fmt.Sprintf("sqlstore: call %d: %s", c.call, fmt.Sprintf(format, args...))}
}

// refuse is the error for data the dialect cannot hold exactly; the
// message names the dialect.
func (c *converter) refuse(format string, args ...any) error {
	return &refusal{fmt.Sprintf("sqlstore: call %d: %s: %s", c.call, c.d.Name(), fmt.Sprintf(format, args...))}
}

func (c *converter) callRow(call *calldash.Call) (row []any, agentID *int64, err error) {
	ts, err := c.time(call.Timestamp)
	if err != nil {
		return nil, nil, err
	}
	row = c.row(11)[:0]
	row = append(row, c.callArg, ts)
	for _, f := range []struct {
		name string
		kind calldash.Kind
		v    calldash.Value
	}{
		{"duration", calldash.KindNumber, call.Duration},
		{"success", calldash.KindBool, call.Success},
		{"is_reviewed", calldash.KindBool, call.IsReviewed},
		{"call_ended_reason", calldash.KindString, call.CallEndedReason},
		{"dropoff_point", calldash.KindString, call.DropoffPoint},
		{"topic", calldash.KindString, call.Topic},
		{"customer_number", calldash.KindString, call.CustomerNumber},
	} {
		arg, err := c.scalar(f.name, f.kind, f.v)
		if err != nil {
			return nil, nil, err
		}
		row = append(row, arg)
	}
	switch {
	case call.AgentID.IsNull() && !call.AgentName.IsNull():
		return nil, nil, c.errorf("agent.agent_name %s without an agent id cannot be stored (agent names live in the agents table, by id)",
			call.AgentName.AppendJSON(nil))
	case call.AgentID.IsNull():
		row = append(row, nil)
	default:
		id, err := c.integer("agent.id", call.AgentID)
		if err != nil {
			return nil, nil, err
		}
		if _, err := c.scalar("agent.agent_name", calldash.KindString, call.AgentName); err != nil {
			return nil, nil, err
		}
		row = append(row, id)
		agentID = &id
	}
	meta, err := c.metadata(call.Metadata)
	if err != nil {
		return nil, nil, err
	}
	return append(row, meta), agentID, nil
}

func (c *converter) evaluationRow(i int, ev *calldash.Evaluation) ([]any, error) {
	row := c.row(6)
	row[0], row[1], row[2] = ev.ID, c.callArg, ev.MetricID
	var kind calldash.Kind
	switch ev.EvalType {
	case calldash.EvalNumeric, calldash.EvalContinuous:
		kind = calldash.KindNumber
	case calldash.EvalBinary:
		kind = calldash.KindBool
	case calldash.EvalEnum:
		kind = calldash.KindString
	default:
		return nil, c.errorf("metric_evaluations[%d]: unknown eval type %q", i, ev.EvalType)
	}
	arg, err := c.scalar("", kind, ev.Value)
	if err != nil {
		// The same check again, now naming the value: no name is
		// formatted for the millions of evaluations that pass.
		_, err = c.scalar(fmt.Sprintf("metric_evaluations[%d].value", i), kind, ev.Value)
		return nil, err
	}
	switch ev.Value.Kind {
	case calldash.KindNumber:
		row[3] = arg
	case calldash.KindBool:
		row[4] = arg
	case calldash.KindString:
		row[5] = arg
	}
	return row, nil
}

// scalar returns the argument of a column value of the given kind, or nil
// for null.
func (c *converter) scalar(name string, kind calldash.Kind, v calldash.Value) (any, error) {
	if v.IsNull() {
		return nil, nil
	}
	if v.Kind != kind {
		return nil, c.errorf("%s: got a %s, want a %s or null", name, v.Kind, kind)
	}
	switch kind {
	case calldash.KindNumber:
		if err := c.number(name, v.Num); err != nil {
			return nil, err
		}
		return c.d.NumberArg(v.Num), nil
	case calldash.KindBool:
		return c.d.BoolArg(v.Bool), nil
	}
	if err := c.text(v.Str); err != nil {
		return nil, err
	}
	return v.Str, nil
}

// nullable returns the argument of a string-or-null value.
func (c *converter) nullable(v calldash.Value) any {
	if v.IsNull() {
		return nil
	}
	return v.Str
}

func (c *converter) integer(name string, v calldash.Value) (int64, error) {
	if v.Kind != calldash.KindNumber || !v.Num.IsInteger() {
		return 0, c.errorf("%s: got %s, want an integer", name, v.AppendJSON(nil))
	}
	if v.Num.NumDigits()+int(max(v.Num.Exponent(), 0)) > 18 && (v.Num.GreaterThan(decimal.NewFromInt(1<<63-1)) || v.Num.LessThan(decimal.NewFromInt(-1<<63))) {
		return 0, c.errorf("%s: %s is beyond 64 bits", name, v.Num)
	}
	return v.Num.IntPart(), nil
}

func (c *converter) time(t time.Time) (any, error) {
	if c.precision > 1 && t.Sub(t.Truncate(c.precision)) != 0 {
		return nil, c.refuse("timestamps keep %v; cannot hold %s exactly", c.precision, t.Format(time.RFC3339Nano))
	}
	if dialect.Beyond(c.d, t) != 0 {
		first, last := c.d.(dialect.TimeRanger).TimeRange()
		return nil, c.refuse("timestamps hold %s to %s; cannot hold %s",
			first.Format(time.RFC3339Nano), last.Format(time.RFC3339Nano), t.UTC().Format(time.RFC3339Nano))
	}
	return c.d.TimeArg(t), nil
}

// number checks that the dialect's number columns hold d exactly.
func (c *converter) number(name string, d decimal.Decimal) error {
	if err := c.d.CheckNumber(d); err != nil {
		return &refusal{fmt.Sprintf("sqlstore: call %d: %s: %v", c.call, name, err)}
	}
	return nil
}

func (c *converter) text(s string) error {
	if err := dialect.CheckText(c.d, s); err != nil {
		return c.refuse("text cannot hold the NUL character (%q)", s)
	}
	return nil
}

// metadata returns the canonical JSON text of m, or nil for a nil map.
func (c *converter) metadata(m map[string]calldash.Value) (any, error) {
	if m == nil {
		return nil, nil
	}
	keys := c.keys[:0]
	for k, v := range m {
		if !v.IsNull() {
			keys = append(keys, k)
		}
	}
	slices.Sort(keys)
	c.keys = keys
	b := append(c.buf[:0], '{')
	for i, k := range keys {
		v := m[k]
		switch v.Kind {
		case calldash.KindNumber:
			if c.d.CheckNumber(v.Num) != nil {
				return nil, c.number("metadata."+k, v.Num)
			}
		case calldash.KindString:
			if err := c.text(v.Str); err != nil {
				return nil, err
			}
		case calldash.KindBool:
		default:
			return nil, c.errorf("metadata.%s: got a %s, want a scalar", k, v.Kind)
		}
		if err := c.text(k); err != nil {
			return nil, err
		}
		if i > 0 {
			b = append(b, ',')
		}
		b = c.appendEntry(b, k, v)
	}
	c.buf = append(b, '}')
	return string(c.buf), nil
}

// jsonValue returns the JSON text of an evaluation value (for a layout
// that keeps it in one JSON column), nil for null.
func (c *converter) jsonValue(v calldash.Value) any {
	switch v.Kind {
	case calldash.KindNumber, calldash.KindBool:
		c.buf = v.AppendJSON(c.buf[:0])
		return string(c.buf)
	case calldash.KindString:
		if enc, ok := c.d.(dialect.JSONEncoder); ok {
			return enc.JSONString(v.Str)
		}
		c.buf = v.AppendJSON(c.buf[:0])
		return string(c.buf)
	}
	return nil
}

// CreateLayout creates the tables of a layout in d (the statements of
// sqlgen.Layout.CreateTables: the default column types, a scope column
// of the type of its value), for tests and examples that want calls in a
// user's shape. It never touches a table that exists: creating one is an
// error. On MySQL/MariaDB each statement commits by itself; use
// [DropLayout] to clean up after an error.
func CreateLayout(ctx context.Context, db *sql.DB, d dialect.Dialect, l *sqlgen.Layout) error {
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	for _, stmt := range l.CreateTables(d) {
		if _, err := tx.ExecContext(ctx, stmt); err != nil {
			return fmt.Errorf("sqlstore: create tables (%s): %w\n%s", d.Name(), err, stmt)
		}
	}
	return tx.Commit()
}

// LoadLayout inserts calls into the tables of l made by [CreateLayout],
// as [Load] does into the default ones: each column holds its field (the
// agent name on the call row, the evaluation's value as JSON text, the
// metric's name and eval type on the evaluation row, where l keeps them
// there), and each scope column the value l is bound to
// (sqlgen.Layout.Scoped), so that several tenants can be loaded into the
// same tables with distinct ids.
func LoadLayout(ctx context.Context, db *sql.DB, d dialect.Dialect, l *sqlgen.Layout, calls iter.Seq[calldash.Call]) error {
	return Loader{}.LoadLayout(ctx, db, d, l, calls)
}

// DropLayout drops the tables of l that exist. Call it only for tables
// that [CreateLayout] made.
func DropLayout(ctx context.Context, db *sql.DB, d dialect.Dialect, l *sqlgen.Layout) error {
	var errs []error
	for _, stmt := range l.DropTables(d) {
		if _, err := db.ExecContext(ctx, stmt); err != nil {
			errs = append(errs, fmt.Errorf("sqlstore: %s (%s): %w", stmt, d.Name(), err))
		}
	}
	return errors.Join(errs...)
}
