package readme_test

import (
	"bytes"
	"context"
	"database/sql"
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/calldash/calldash/dialect"
	"github.com/calldash/calldash/examples/readme"
	"github.com/calldash/calldash/sample"
	"github.com/calldash/calldash/sqlstore"
	"github.com/calldash/calldash/widget"
)

// TestSnippets checks that every Go snippet of README.md is, in order,
// one readme:begin … readme:end region of snippets.go, dedented: the
// README shows only code that compiles and is tested here.
func TestSnippets(t *testing.T) {
	md, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	src, err := os.ReadFile("snippets.go")
	if err != nil {
		t.Fatal(err)
	}
	var blocks []string
	for _, m := range regexp.MustCompile("(?s)```go\n(.*?)```").FindAllSubmatch(md, -1) {
		blocks = append(blocks, string(m[1]))
	}
	var regions []string
	for _, m := range regexp.MustCompile(`(?s)\t// readme:begin \w+\n(.*?)\t// readme:end\n`).FindAllSubmatch(src, -1) {
		regions = append(regions, dedent(string(m[1])))
	}
	if len(regions) < 3 {
		t.Fatalf("snippets.go has %d regions, want at least 3", len(regions))
	}
	if diff := cmp.Diff(regions, blocks); diff != "" {
		t.Errorf("README.md's Go snippets differ from snippets.go's regions (-snippets.go +README.md):\n%s", diff)
	}
}

// dedent removes the indentation of the region's first line from every line.
func dedent(s string) string {
	indent := s[:len(s)-len(strings.TrimLeft(s, "\t"))]
	lines := strings.SplitAfter(s, "\n")
	for i, l := range lines {
		lines[i] = strings.TrimPrefix(l, indent)
	}
	return strings.Join(lines, "")
}

var (
	now     = time.Date(2025, 11, 28, 18, 0, 0, 0, time.UTC)
	widgets = []string{
		`{"chart_type": "bar", "field": "duration", "aggregation_function": "avg", "time_period": "day",
		  "filters": {"field": "timestamp", "op": "gte", "value": "today-6d"}}`,
		`{"chart_type": "pie", "field": "agent.agent_name", "filters": {"field": "timestamp", "op": "gte", "value": "now-30d"}}`,
		`{"chart_type": "stat", "filters": {"operator": "and", "conditions": [
		  {"field": "timestamp", "op": "gte", "value": "now-7d"}, {"field": "metadata.region", "op": "isnull", "value": false}]}}`,
	}
)

func decode(t *testing.T) []*widget.Spec {
	t.Helper()
	var specs []*widget.Spec
	for _, w := range widgets {
		s, err := widget.Decode([]byte(w))
		if err != nil {
			t.Fatal(err)
		}
		specs = append(specs, s)
	}
	return specs
}

// memory answers every widget with readme.Memory over the sample calls.
func memory(t *testing.T) []string {
	t.Helper()
	var jsonl bytes.Buffer
	if err := sample.WriteJSONL(&jsonl, sample.DefaultConfig()); err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, w := range widgets {
		b, err := readme.Memory(context.Background(), []byte(w), bytes.NewReader(jsonl.Bytes()), now)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, string(b))
	}
	return out
}

func newYork(t *testing.T) []widget.Option {
	loc, err := time.LoadLocation("America/New_York")
	if err != nil {
		t.Fatal(err)
	}
	return []widget.Option{widget.WithNow(now), widget.WithLocation(loc), widget.WithWeekStart(time.Sunday)}
}

// TestDashboard: the Table snippet answers what the memory snippet does.
func TestDashboard(t *testing.T) {
	resps, errs := readme.Dashboard(context.Background(), sample.Generate(sample.DefaultConfig()), decode(t), newYork(t)...)
	for i, want := range memory(t) {
		if errs[i] != nil {
			t.Fatalf("widget %d: %v", i, errs[i])
		}
		if diff := cmp.Diff(want, string(resps[i].AppendJSON(nil))); diff != "" {
			t.Errorf("widget %d (-memory +table):\n%s", i, diff)
		}
	}
}

// TestDatabase: the PostgreSQL snippet answers what the memory snippet
// does, over the default tables in a scratch schema.
func TestDatabase(t *testing.T) {
	dsn := os.Getenv("CALLDASH_POSTGRES_DSN")
	if dsn == "" {
		t.Skip("set CALLDASH_POSTGRES_DSN to run")
	}
	ctx := context.Background()
	admin, err := sql.Open("pgx", dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close()
	schema := strings.TrimSuffix(sqlstore.NewPrefix(), "_")
	if _, err := admin.ExecContext(ctx, "CREATE SCHEMA "+schema); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { admin.Exec("DROP SCHEMA " + schema + " CASCADE") })
	sep := "?"
	if strings.Contains(dsn, "?") {
		sep = "&"
	}
	scoped := dsn + sep + "search_path=" + schema
	db, err := sql.Open("pgx", scoped)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	calls := sample.Generate(sample.DefaultConfig())
	if err := sqlstore.Create(ctx, db, dialect.Postgres, ""); err != nil {
		t.Fatal(err)
	}
	if err := sqlstore.Load(ctx, db, dialect.Postgres, "", slices.Values(calls)); err != nil {
		t.Fatal(err)
	}
	for i, want := range memory(t) {
		got, err := readme.Database(ctx, scoped, decode(t)[i], newYork(t)...)
		if err != nil {
			t.Fatalf("widget %d: %v", i, err)
		}
		if diff := cmp.Diff(want, string(got)); diff != "" {
			t.Errorf("widget %d (-memory +postgres):\n%s", i, diff)
		}
	}
}
