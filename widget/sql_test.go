package widget_test

import (
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/calldash/calldash/dialect"
	"github.com/calldash/calldash/filter"
	"github.com/calldash/calldash/internal/golden"
	"github.com/calldash/calldash/sqlgen"
	"github.com/calldash/calldash/widget"

	"github.com/calldash/calldash"

	"github.com/calldash/calldash/widget/widgettest"
)

// An sqlCase is one case of testdata/widget-sql: a fixture's widget and
// settings, and the metrics the compiler may assume.
type sqlCase struct {
	widgettest.Fixture
	Metrics []calldash.Metric `json:"metrics"`
}

var sqlDialects = []dialect.Dialect{dialect.Postgres, dialect.MySQL, dialect.SQLite, dialect.ClickHouse}

// TestSQLGolden compiles the widgets of testdata/widget-sql for every
// dialect and compares the statements and their arguments with the
// goldens (-update rewrites them).
func TestSQLGolden(t *testing.T) {
	files, err := filepath.Glob("../testdata/widget-sql/*.json")
	if err != nil || len(files) == 0 {
		t.Fatalf("no cases in ../testdata/widget-sql (%v)", err)
	}
	for _, file := range files {
		name := strings.TrimSuffix(filepath.Base(file), ".json")
		t.Run(name, func(t *testing.T) {
			sc := readSQLCase(t, file)
			opts := append(sc.Options(t), widget.WithMetrics(sc.Metrics...))
			spec, err := widget.Decode(sc.Widget)
			if err != nil {
				t.Fatal(err)
			}
			var b strings.Builder
			for _, d := range sqlDialects {
				writeStatement(t, &b, "-- "+d.Name(), spec, d, sqlgen.DefaultLayout(""), opts)
			}
			got := b.String()
			goldenPath := strings.TrimSuffix(file, ".json") + ".golden"
			golden.Check(t, goldenPath, got, *update)
		})
	}
}

// writeStatement writes the statement of spec on d over l, under head, with
// its arguments (or its error), as the goldens hold it.
func writeStatement(t *testing.T, b *strings.Builder, head string, spec *widget.Spec, d dialect.Dialect, l *sqlgen.Layout, opts []widget.Option) {
	t.Helper()
	fmt.Fprintf(b, "%s\n", head)
	text, args, err := widget.Statement(spec, d, l, opts...)
	if err != nil {
		fmt.Fprintf(b, "error: %v\n\n", err)
		return
	}
	fmt.Fprintf(b, "%s\n-- args:", text)
	for _, a := range args {
		fmt.Fprintf(b, " %s", formatArg(a))
	}
	b.WriteString("\n\n")
	if strings.Count(text, "?")+strings.Count(text, "$") < len(args) && d.Name() != "postgres" {
		t.Errorf("%s: fewer placeholders than arguments", d.Name())
	}
}

func formatArg(a any) string {
	switch x := a.(type) {
	case time.Time:
		return x.UTC().Format(time.RFC3339Nano)
	case string:
		return fmt.Sprintf("%q", x)
	case []byte:
		return fmt.Sprintf("%q", x)
	}
	return fmt.Sprintf("%v", a)
}

func readSQLCase(t *testing.T, path string) *sqlCase { return widgettest.ReadStrict[sqlCase](t, path) }

// TestSQLWhereIndexFriendly: the WHERE of a 7-day window compares the bare
// timestamp column (an index range), while bucket keys wrap it only in the
// select list.
func TestSQLWhereIndexFriendly(t *testing.T) {
	spec, err := widget.Decode([]byte(`{"chart_type":"bar","field":"duration","aggregation_function":"avg","time_period":"day",
		"filters":{"field":"timestamp","op":"gte","value":"now-7d"}}`))
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range sqlDialects {
		text, _, err := widget.Statement(spec, d, sqlgen.DefaultLayout(""), widget.WithNow(benchNow))
		if err != nil {
			t.Fatal(err)
		}
		where := text[strings.LastIndex(text, "WHERE"):]
		ts := "c." + d.Quote("timestamp")
		if !strings.Contains(where, ts+" >=") {
			t.Errorf("%s: WHERE does not compare the bare timestamp column: %s", d.Name(), where)
		}
	}
}

// BenchmarkCompileSQL measures compiling the benchmark widgets to one
// statement per dialect (target: under 20 µs for a typical widget). W2-30d
// is W2 as the default time policy has it: with a lower bound on timestamp
// (30 days), so that only the zone's transitions from then on are bound;
// W2 without a bound is the worst case, every transition since 1970.
func BenchmarkCompileSQL(b *testing.B) {
	w2 := benchWidgets[1]
	w2.name = "W2-30d"
	w2.widget = strings.Replace(w2.widget, `"conditions":[`, `"conditions":[{"field":"timestamp","op":"gte","value":"now-30d"},`, 1)
	benchCompile(b, append(slices.Clone(benchWidgets), w2), sqlgen.DefaultLayout(""))
}

// benchCompile benchmarks compiling each of widgets over the tables of l
// for every dialect.
func benchCompile(b *testing.B, widgets []struct{ name, widget, zone string }, l *sqlgen.Layout) {
	for _, w := range widgets {
		loc, err := time.LoadLocation(w.zone)
		if err != nil {
			b.Fatal(err)
		}
		opts := []widget.Option{widget.WithNow(benchNow), widget.WithLocation(loc), widget.WithTimePolicy(filter.TimePolicy{})}
		spec, err := widget.Decode([]byte(w.widget))
		if err != nil {
			b.Fatal(err)
		}
		for _, d := range sqlDialects {
			b.Run(w.name+"/"+d.Name(), func(b *testing.B) {
				compile, err := widget.CompileSQLLayoutFunc(spec, d, l, opts...)
				if err != nil {
					b.Fatal(err)
				}
				b.ReportAllocs()
				b.ResetTimer()
				for range b.N {
					if _, _, err := compile(); err != nil {
						b.Skipf("%v", err)
					}
				}
			})
		}
	}
}
