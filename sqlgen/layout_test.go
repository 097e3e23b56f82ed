package sqlgen_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/calldash/calldash"
	"github.com/calldash/calldash/dialect"
	"github.com/calldash/calldash/filter"
	"github.com/calldash/calldash/sqlgen"
)

// TestParseLayout: good layouts build; bad ones report every problem at
// its JSON path.
func TestParseLayout(t *testing.T) {
	const min = `"calls": {"table": "c", "columns": {"id": "id", "timestamp": "ts"}}`
	cases := []struct {
		name, doc string
		want      []string // "path: message" prefixes; nil for a good layout
	}{
		{"minimal", `{` + min + `}`, nil},
		{"qualified", `{"calls": {"table": "app.calls", "columns": {"id": "id", "timestamp": "ts"}, "scope": ["project_id"]}}`, nil},
		{"wide", `{"calls": {"table": "c", "columns": {"id": "id", "timestamp": "ts", "agent.id": "a", "agent.agent_name": "an", "metadata": "m"}},
		  "evaluations": {"table": "e", "columns": {"id": "id", "call": "c", "metric.id": "m", "metric.name": "n", "metric.eval_type": "k", "value": "v"}}}`, nil},
		{"typed", `{"calls": {"table": "c", "columns": {"id": "id", "timestamp": "ts", "agent.id": "a"}},
		  "agents": {"table": "a", "columns": {"id": "id", "agent_name": "n"}},
		  "evaluations": {"table": "e", "columns": {"id": "id", "call": "c", "metric.id": "m", "value_number": "x", "value_bool": "y", "value_text": "z"}},
		  "metrics": {"table": "m", "columns": {"id": "id", "name": "n", "eval_type": "k"}}}`, nil},
		{"malformed", `{"calls": `, []string{"$: "}},
		{"not an object", `[]`, []string{"$: a layout is a JSON object"}},
		{"no calls", `{}`, []string{"$.calls: the calls table is required"}},
		{"unknown key", `{` + min + `, "agent": {}}`, []string{`$.agent: unknown key "agent"`}},
		{"unknown table key", `{"calls": {"table": "c", "columns": {"id": "id", "timestamp": "ts"}, "index": 1}}`, []string{`$.calls.index: unknown key "index"`}},
		{"missing id and timestamp", `{"calls": {"table": "c", "columns": {"topic": "t"}}}`,
			[]string{`$.calls.columns: "id" is required`, `$.calls.columns: "timestamp" is required`}},
		{"unknown field", `{"calls": {"table": "c", "columns": {"id": "id", "timestamp": "ts", "topik": "t"}}}`,
			[]string{`$.calls.columns.topik: unknown field "topik" (did you mean "topic"?)`}},
		{"column twice", `{"calls": {"table": "c", "columns": {"id": "id", "timestamp": "ts", "topic": "ts"}}}`,
			[]string{`$.calls.columns.topic: column "ts" is already the column of "timestamp"`}},
		{"bad identifier", `{"calls": {"table": "c", "columns": {"id": "id", "timestamp": "t s"}}}`,
			[]string{`$.calls.columns.timestamp: "t s" is not an identifier`}},
		{"bad table", `{"calls": {"table": "a.b.c", "columns": {"id": "id", "timestamp": "ts"}}}`,
			[]string{`$.calls.table: "a.b.c": a table name is a name or schema.name`}},
		{"quote in table", `{"calls": {"table": "a\"; DROP", "columns": {"id": "id", "timestamp": "ts"}}}`,
			[]string{`$.calls.table: "a\"; DROP" is not an identifier`}},
		{"no table", `{"calls": {"columns": {"id": "id", "timestamp": "ts"}}}`, []string{`$.calls.table: a table name is required`}},
		{"wrong type", `{"calls": {"table": 1, "columns": {"id": 2, "timestamp": "ts"}}}`,
			[]string{`$.calls.columns.id: want a column name; got number 2`, `$.calls.table: want a string; got number 1`}},
		{"agents without agent.id", `{` + min + `, "agents": {"table": "a", "columns": {"id": "id", "agent_name": "n"}}}`,
			[]string{`$.agents: an agents table is joined on the call's agent id`}},
		{"agent name twice", `{"calls": {"table": "c", "columns": {"id": "id", "timestamp": "ts", "agent.id": "a", "agent.agent_name": "an"}},
		  "agents": {"table": "a", "columns": {"id": "id", "agent_name": "n"}}}`, []string{`$.agents: the agent name is on the call row`}},
		{"scope is a field column", `{"calls": {"table": "c", "columns": {"id": "id", "timestamp": "ts", "topic": "tenant"}, "scope": ["tenant"]}}`,
			[]string{`$.calls.scope[0]: scope column "tenant" is the column of "topic"`}},
		{"value both ways", `{` + min + `, "evaluations": {"table": "e", "columns": {"id": "id", "call": "c", "metric.id": "m", "metric.name": "n", "metric.eval_type": "k", "value": "v", "value_text": "t"}}}`,
			[]string{`$.evaluations.columns.value: an evaluation's value is one JSON column`}},
		{"no value", `{` + min + `, "evaluations": {"table": "e", "columns": {"id": "id", "call": "c", "metric.id": "m", "metric.name": "n", "metric.eval_type": "k"}}}`,
			[]string{`$.evaluations.columns: "value" (one JSON column) or`}},
		{"partly typed", `{` + min + `, "evaluations": {"table": "e", "columns": {"id": "id", "call": "c", "metric.id": "m", "metric.name": "n", "metric.eval_type": "k", "value_number": "x"}}}`,
			[]string{`$.evaluations.columns: typed values need all of`}},
		{"no metric name", `{` + min + `, "evaluations": {"table": "e", "columns": {"id": "id", "call": "c", "metric.id": "m", "value": "v"}}}`,
			[]string{`$.evaluations.columns: the metric's name and eval type: "metric.name" and "metric.eval_type" are required`}},
		{"metrics without evaluations", `{` + min + `, "metrics": {"table": "m", "columns": {"id": "id", "name": "n", "eval_type": "k"}}}`,
			[]string{`$.metrics: a metrics table is joined to the evaluations`}},
		{"metrics without eval_type", `{` + min + `, "evaluations": {"table": "e", "columns": {"id": "id", "call": "c", "metric.id": "m", "value": "v"}},
		  "metrics": {"table": "m", "columns": {"id": "id", "name": "n"}}}`, []string{`$.metrics.columns: "eval_type" is required`}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			l, err := sqlgen.ParseLayout([]byte(c.doc))
			if c.want == nil {
				if err != nil {
					t.Fatalf("ParseLayout: %v", err)
				}
				// The document round-trips.
				doc, _ := l.MarshalJSON()
				again, err := sqlgen.ParseLayout(doc)
				if err != nil {
					t.Fatalf("ParseLayout(%s): %v", doc, err)
				}
				if diff := cmp.Diff(l.Spec(), again.Spec()); diff != "" {
					t.Errorf("round trip (-want +got):\n%s", diff)
				}
				return
			}
			var list calldash.ErrorList
			if !errors.As(err, &list) {
				t.Fatalf("ParseLayout: got %v, want an ErrorList", err)
			}
			if len(list) != len(c.want) {
				t.Fatalf("got %d errors, want %d:\n%v", len(list), len(c.want), err)
			}
			for i, e := range list {
				if !strings.HasPrefix(e.Error(), c.want[i]) {
					t.Errorf("error %d:\n got %s\nwant %s…", i, e, c.want[i])
				}
			}
		})
	}
}

// TestLayoutSchema: a field the layout leaves out is unknown to filters,
// with the known fields listed.
func TestLayoutSchema(t *testing.T) {
	l, err := sqlgen.ParseLayout([]byte(`{"calls": {"table": "c", "columns": {"id": "id", "timestamp": "ts", "topic": "t"}}}`))
	if err != nil {
		t.Fatal(err)
	}
	s := l.Schema(filter.CallLogs())
	if got, want := strings.Join(s.Names(), " "), "id timestamp topic"; got != want {
		t.Errorf("fields: got %q, want %q", got, want)
	}
	n, err := filter.Parse([]byte(`{"field": "duration", "op": "gt", "value": 1}`))
	if err != nil {
		t.Fatal(err)
	}
	_, err = filter.Check(n, s)
	if !errors.Is(err, calldash.ErrUnknownField) || !strings.Contains(err.Error(), "topic") {
		t.Errorf("Check: got %v, want an unknown field listing the known ones", err)
	}
	if sqlgen.DefaultLayout("").Schema(filter.CallLogs()) == nil {
		t.Error("the default layout narrows nothing")
	}
}

// TestScoped: every scope column needs a value of a bindable type; a
// statement over an unbound scoped layout is refused.
func TestScoped(t *testing.T) {
	l, err := sqlgen.ParseLayout([]byte(`{"calls": {"table": "c", "columns": {"id": "id", "timestamp": "ts"}, "scope": ["org", "project"]}}`))
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		values map[string]any
		want   string
	}{
		{map[string]any{"org": "a", "project": 1}, ""},
		{map[string]any{"org": "a"}, `$.scope.project: no value for scope column "project"`},
		{map[string]any{"org": "a", "project": 1, "x": 2}, `$.scope.x: "x" is no scope column of the layout (scope columns: org, project)`},
		{map[string]any{"org": 1.5, "project": 1}, `$.scope.org: a scope value is a string, a bool or an integer; got float64`},
	} {
		_, err := l.Scoped(c.values)
		if got := fmt.Sprint(err); c.want == "" && err != nil || c.want != "" && got != c.want {
			t.Errorf("Scoped(%v): got %v, want %q", c.values, err, c.want)
		}
	}
	if _, _, err := sqlgen.MetricLookup(dialect.Postgres, l, 1); !errors.Is(err, sqlgen.ErrUnscoped) {
		t.Errorf("MetricLookup over an unbound layout: got %v, want ErrUnscoped", err)
	}
}

// TestGlobalAliases: on ClickHouse, whose aliases are global, a user's
// column named like an alias of the statements is refused, naming the
// dialect, instead of answering wrongly or with the database's error.
func TestGlobalAliases(t *testing.T) {
	l, err := sqlgen.ParseLayout([]byte(`{"calls": {"table": "c", "columns": {"id": "id", "timestamp": "ts", "success": "ok"}}}`))
	if err != nil {
		t.Fatal(err)
	}
	q := &sqlgen.Query{Filter: mustCheck(t, nil), Env: gdEnv}
	_, err = sqlgen.Compile(q, dialect.ClickHouse, l)
	if !errors.Is(err, calldash.ErrDialect) || !strings.Contains(err.Error(), "$.calls.columns.success") || !strings.Contains(err.Error(), "clickhouse") {
		t.Errorf("ClickHouse: got %v, want a dialect error at $.calls.columns.success", err)
	}
	if _, err := sqlgen.Compile(q, dialect.Postgres, l); err != nil {
		t.Errorf("PostgreSQL: %v", err)
	}
}

// FuzzParseLayout: no document makes ParseLayout panic; every error is an
// ErrorList of paths starting at $; a layout it builds round-trips
// through its JSON document and compiles a stat widget on every dialect.
func FuzzParseLayout(f *testing.F) {
	f.Add(`{"calls": {"table": "c", "columns": {"id": "id", "timestamp": "ts"}}}`)
	f.Add(`{"calls": {"table": "app.calls", "scope": ["p"], "columns": {"id": "id", "timestamp": "ts", "agent.id": "a", "metadata": "m"}},
	  "agents": {"table": "a", "columns": {"id": "id", "agent_name": "n"}},
	  "evaluations": {"table": "e", "scope": ["p"], "columns": {"id": "id", "call": "c", "metric.id": "m", "value": "v"}},
	  "metrics": {"table": "m", "columns": {"id": "id", "name": "n", "eval_type": "k"}}}`)
	f.Add(`{"calls": {"table": "a.b.c", "columns": {"id": 1}}, "x": []}`)
	f.Fuzz(func(t *testing.T, doc string) {
		l, err := sqlgen.ParseLayout([]byte(doc))
		if err != nil {
			var list calldash.ErrorList
			if !errors.As(err, &list) || len(list) == 0 {
				t.Fatalf("error %v is not an ErrorList", err)
			}
			for _, e := range list {
				if !strings.HasPrefix(e.Path, "$") {
					t.Fatalf("path %q", e.Path)
				}
			}
			return
		}
		data, _ := l.MarshalJSON()
		again, err := sqlgen.ParseLayout(data)
		if err != nil {
			t.Fatalf("round trip of %s: %v", data, err)
		}
		if diff := cmp.Diff(l.Spec(), again.Spec()); diff != "" {
			t.Fatalf("round trip (-want +got):\n%s", diff)
		}
		values := map[string]any{}
		for _, c := range l.ScopeColumns() {
			values[c] = int64(1)
		}
		scoped, err := l.Scoped(values)
		if err != nil {
			t.Fatal(err)
		}
		q := &sqlgen.Query{Filter: mustCheck(t, nil), Env: gdEnv, Latency: 12}
		for _, d := range []dialect.Dialect{dialect.Postgres, dialect.MySQL, dialect.SQLite, dialect.ClickHouse} {
			if _, err := sqlgen.Compile(q, d, scoped); err != nil && !errors.Is(err, calldash.ErrDialect) {
				t.Fatalf("%s: %v", d.Name(), err)
			}
		}
	})
}

// TestShardedTablesQualified: a prefix that names a database puts the
// sharded default layout's tables in it, and the Distributed tables read
// the local tables of that database, not the connection's.
func TestShardedTablesQualified(t *testing.T) {
	d := dialect.ClickHouse.(dialect.Sharder)
	shard, dist := sqlgen.CreateShardedTables(d, "logs.cd_", "c1")
	for _, stmt := range shard {
		if !strings.HasPrefix(stmt, "CREATE TABLE `logs`.`cd_") {
			t.Errorf("shard statement outside the database logs:\n%s", stmt)
		}
	}
	want := "CREATE TABLE `logs`.`cd_call_logs` AS `logs`.`cd_call_logs_local` ENGINE = Distributed(`c1`, `logs`, 'cd_call_logs_local', cityHash64(`id`))"
	if len(dist) != 2 || dist[0] != want {
		t.Errorf("distributed statements:\n%q\nwant first\n%q", dist, want)
	}
	plain, plainDist := sqlgen.CreateShardedTables(d, "cd_", "c1")
	if !strings.HasPrefix(plain[0], "CREATE TABLE `cd_") || !strings.Contains(plainDist[0], "Distributed(`c1`, currentDatabase(), 'cd_call_logs_local'") {
		t.Errorf("unqualified prefix:\n%s\n%s", plain[0], plainDist[0])
	}
}
