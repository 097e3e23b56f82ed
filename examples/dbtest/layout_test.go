package dbtest_test

import (
	"context"
	"database/sql"
	"fmt"
	"hash/fnv"
	"slices"
	"strings"
	"testing"

	"github.com/calldash/calldash"
	"github.com/calldash/calldash/dialect"
	"github.com/calldash/calldash/examples/internal/copier"
	"github.com/calldash/calldash/examples/internal/sqltest"
	"github.com/calldash/calldash/filter"
	"github.com/calldash/calldash/sqlgen"
	"github.com/calldash/calldash/sqlstore"
	"github.com/calldash/calldash/widget"
	"github.com/calldash/calldash/widget/widgettest"
)

// The user layouts of the differential test: a wide call table with the
// agent name on the call row, JSON metadata, and evaluations holding
// their value in one JSON column with the metric's name and type on the
// row, scoped by a text tenant column; and typed evaluation values with
// separate agents and metrics tables in a schema (database) of their own,
// every table scoped by an integer column of its own name. Every column
// is renamed. On the ClickHouse cluster a third layout is a user's
// Distributed tables (sqltest.ShardedLayout).
func wideLayout(prefix string) string {
	return `{"calls": {"table": "` + prefix + `calls", "scope": ["tenant"],
	  "columns": {"id": "call_id", "timestamp": "started_at", "duration": "dur_s", "success": "is_ok",
	    "is_reviewed": "reviewed", "call_ended_reason": "ended_reason", "dropoff_point": "dropoff",
	    "topic": "subject", "customer_number": "customer", "agent.id": "agent", "agent.agent_name": "agent_label",
	    "metadata": "meta"}},
	 "evaluations": {"table": "` + prefix + `evals",
	  "columns": {"id": "eval_id", "call": "of_call", "metric.id": "metric", "metric.name": "metric_label",
	    "metric.eval_type": "metric_kind", "value": "val"}}}`
}

func typedLayout(schema string) string {
	return `{"calls": {"table": "` + schema + `.calls", "scope": ["project_id"],
	  "columns": {"id": "id", "timestamp": "at", "duration": "seconds", "success": "succeeded",
	    "is_reviewed": "was_reviewed", "call_ended_reason": "reason", "dropoff_point": "dropped_at",
	    "topic": "topic", "customer_number": "phone", "agent.id": "agent_ref", "metadata": "extra"}},
	 "agents": {"table": "` + schema + `.agents", "scope": ["agent_project"], "columns": {"id": "aid", "agent_name": "title"}},
	 "evaluations": {"table": "` + schema + `.evaluations", "scope": ["eval_project"],
	  "columns": {"id": "eid", "call": "call_ref", "metric.id": "metric_ref",
	    "value_number": "num", "value_bool": "flag", "value_text": "label"}},
	 "metrics": {"table": "` + schema + `.metrics", "scope": ["metric_project"],
	  "columns": {"id": "mid", "name": "metric_name", "eval_type": "kind"}}}`
}

// A tenantSet is a layout loaded with two tenants: the one the widgets
// ask for, and another one whose rows must never count.
type tenantSet struct {
	name   string
	db     *sql.DB
	d      dialect.Dialect
	layout *sqlgen.Layout // bound to the first tenant
	base   *sqlgen.Layout // unbound, for the digest
}

// otherTenant returns calls of another data set with ids moved out of
// the way of the first tenant's (agents and metrics keep theirs, so that
// the same agent and metric ids exist in both tenants).
func otherTenant(calls []calldash.Call) []calldash.Call {
	out := slices.Clone(calls)
	for i := range out {
		out[i].ID += 1 << 40
		evs := slices.Clone(out[i].MetricEvaluations)
		for j := range evs {
			evs[j].ID += 1 << 40
		}
		out[i].MetricEvaluations = evs
	}
	return out
}

// createSchema creates a scratch schema (PostgreSQL), database
// (MySQL/MariaDB, ClickHouse) or attached database (SQLite) and drops it
// when t ends.
func createSchema(t testing.TB, db *sql.DB, name, schema string) {
	t.Helper()
	ctx := context.Background()
	create, drop := "CREATE DATABASE "+schema, "DROP DATABASE IF EXISTS "+schema
	switch name {
	case "postgres":
		create, drop = "CREATE SCHEMA "+schema, "DROP SCHEMA IF EXISTS "+schema+" CASCADE"
	case "sqlite":
		create, drop = "ATTACH DATABASE ':memory:' AS "+schema, "DETACH DATABASE "+schema
	}
	if _, err := db.ExecContext(ctx, create); err != nil {
		t.Fatalf("%s: %s: %v", name, create, err)
	}
	t.Cleanup(func() {
		if _, err := db.ExecContext(context.Background(), drop); err != nil {
			t.Errorf("%s: %s: %v", name, drop, err)
		}
	})
}

// layoutSets loads calls (the first tenant) and other (the second) into
// both user layouts on every available database.
func layoutSets(t *testing.T, calls, other []calldash.Call) []tenantSet {
	t.Helper()
	type conn struct {
		name string
		db   *sql.DB
		d    dialect.Dialect
	}
	var conns []conn
	for _, name := range sqltest.Names {
		if !sqltest.Available(name) {
			continue
		}
		db, d := sqltest.Connect(t, name)
		conns = append(conns, conn{name, db, d})
	}
	if sqltest.ClickHouseClusterAvailable() {
		conns = append(conns, conn{"clickhouse", sqltest.ConnectClickHouse(t), dialect.ClickHouse})
	}
	var out []tenantSet
	for _, c := range conns {
		prefix := sqlstore.NewPrefix()
		schema := strings.TrimSuffix(sqlstore.NewPrefix(), "_")
		createSchema(t, c.db, c.name, schema)
		for _, shape := range []struct {
			name       string
			doc        string
			one, other map[string]any
		}{
			{"wide", wideLayout(prefix), map[string]any{"tenant": "acme"}, map[string]any{"tenant": "umbrella"}},
			{"typed", typedLayout(schema),
				map[string]any{"project_id": 7, "agent_project": 7, "eval_project": 7, "metric_project": 7},
				map[string]any{"project_id": 8, "agent_project": 8, "eval_project": 8, "metric_project": 8}},
		} {
			base, err := sqlgen.ParseLayout([]byte(shape.doc))
			if err != nil {
				t.Fatal(err)
			}
			one, err := base.Scoped(shape.one)
			if err != nil {
				t.Fatal(err)
			}
			two, err := base.Scoped(shape.other)
			if err != nil {
				t.Fatal(err)
			}
			ctx := context.Background()
			t.Cleanup(func() {
				if err := sqlstore.DropLayout(context.Background(), c.db, c.d, one); err != nil {
					t.Errorf("%s: %v", c.name, err)
				}
			})
			if err := sqlstore.CreateLayout(ctx, c.db, c.d, one); err != nil {
				t.Fatal(err)
			}
			if err := copier.Loader(c.d).LoadLayout(ctx, c.db, c.d, one, slices.Values(calls)); err != nil {
				t.Logf("%s/%s: not compared: %v", c.name, shape.name, err)
				continue
			}
			if err := copier.Loader(c.d).LoadLayout(ctx, c.db, c.d, two, slices.Values(other)); err != nil {
				t.Logf("%s/%s: not compared: %v", c.name, shape.name, err)
				continue
			}
			out = append(out, tenantSet{name: c.name + "/" + shape.name, db: c.db, d: c.d, layout: one, base: base})
		}
	}
	if sqltest.ClickHouseClusterAvailable() {
		// A user's Distributed tables over both shards, in a database
		// of their own, unscoped: one tenant.
		cl, l := sqltest.OpenClickHouseShardedLayout(t, calls)
		out = append(out, tenantSet{name: "clickhouse/distributed", db: cl.DB, d: dialect.ClickHouse, layout: l, base: l})
	}
	return out
}

// TestDifferentialLayouts answers diff.n/10 random widgets over the two user
// layouts, with a second tenant's rows in the same tables, on every
// available database, and compares each with memory over the first
// tenant's calls alone, byte for byte.
func TestDifferentialLayouts(t *testing.T) {
	// A tenth of diff.n: eight more sources per widget (two layouts on
	// four databases), each with a second tenant's rows.
	seed, n := *diffSeed, max(*diffN/10, 1)
	if testing.Short() {
		n = min(n, 50)
	}
	sets := widgettest.DataSets(seed)
	others := widgettest.DataSets(seed + 1)
	for k, d := range sets {
		d.Sources = widgettest.MemorySources(d.Calls, seed)[:1]
		for _, s := range layoutSets(t, d.Calls, otherTenant(others[k%len(others)].Calls)) {
			d.Sources = append(d.Sources, widgettest.Source{
				Name:    s.name,
				Src:     widget.SQL(s.db, s.d, widget.WithLayout(s.layout)),
				Refuses: dialectRefusal(strings.Split(s.name, "/")[0]),
			})
		}
	}
	st := widgettest.RunRandom(t, seed, n, sets, func(i int) string {
		return fmt.Sprintf("go test ./examples/dbtest -run 'DifferentialLayouts/random/%d$' -diff.seed %d", i, seed)
	})
	t.Logf("seed %d: %d widgets (%d rejected alike, %d refused by a dialect), comparisons per source %v",
		seed, st.Widgets, st.Errors, st.Refused, st.Sources)
	logRefusals(t)
}

// layoutDigest summarises every table of a layout: its row count and a
// digest of all its rows, whatever the tenant.
func layoutDigest(t *testing.T, s tenantSet) string {
	t.Helper()
	var b strings.Builder
	for _, lt := range s.base.LoadTables() {
		name := sqlgen.QuoteTable(s.d, lt.Name)
		cols := make([]string, len(lt.Columns))
		for i, c := range lt.Columns {
			cols[i] = s.d.Quote(c)
		}
		rows, err := s.db.Query("SELECT " + strings.Join(cols, ", ") + " FROM " + name + " ORDER BY " + strings.Join(cols, ", "))
		if err != nil {
			t.Fatal(err)
		}
		h := fnv.New64a()
		n := 0
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		for rows.Next() {
			if err := rows.Scan(ptrs...); err != nil {
				t.Fatal(err)
			}
			fmt.Fprintf(h, "%v\n", vals)
			n++
		}
		if err := rows.Err(); err != nil {
			t.Fatal(err)
		}
		rows.Close()
		fmt.Fprintf(&b, "%s=%d:%x ", lt.Name, n, h.Sum64())
	}
	return b.String()
}

// TestLayoutReadOnly: the SQL source never writes to a user's tables. Row
// counts and a digest of every table are the same after each widget —
// random ones, hostile ones, failing ones — as before.
func TestLayoutReadOnly(t *testing.T) {
	sets := widgettest.DataSets(5)
	d := sets[0]
	for _, s := range layoutSets(t, d.Calls, otherTenant(widgettest.DataSets(6)[0].Calls)) {
		t.Run(s.name, func(t *testing.T) {
			before := layoutDigest(t, s)
			src := widget.SQL(s.db, s.d, widget.WithLayout(s.layout))
			widgets := []string{
				`{"chart_type": "pie", "field": "topic", "filters": {"field": "topic", "op": "eq", "value": "x'); DROP TABLE calls; --"}}`,
				`{"chart_type": "bar", "field": "metadata.a\"); DELETE FROM calls; --", "filters": null}`,
				`{"chart_type": "line", "field": "metric_evaluations.value", "metric": 999999}`,
				`{"chart_type": "bar", "field": "nope"}`,
			}
			for i := range 40 {
				if w := widgettest.RandomWidget(5, i, d); w != nil {
					widgets = append(widgets, w.JSON)
				}
			}
			for i, w := range widgets {
				spec, err := widget.Decode([]byte(w))
				if err == nil {
					widget.Preview(context.Background(), spec, src, widget.WithTimePolicy(filter.TimePolicy{}), widget.WithNow(d.End))
				}
				if after := layoutDigest(t, s); after != before {
					t.Fatalf("widget %d changed the tables:\nbefore %s\n after %s", i, before, after)
				}
			}
		})
	}
}
