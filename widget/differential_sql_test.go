package widget_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/calldash/calldash"
	"github.com/calldash/calldash/dialect"
	"github.com/calldash/calldash/sqlstore"
	"github.com/calldash/calldash/sqlstore/sqltest"
	"github.com/calldash/calldash/widget"

	"github.com/calldash/calldash/widget/widgettest"
)

var skipLogged sync.Map // dialect names whose absence was logged

// sqlSources returns a widget.SQL source over calls in every database that
// is available (SQLite always; PostgreSQL and MariaDB when
// CALLDASH_POSTGRES_DSN and CALLDASH_MYSQL_DSN are set; the Distributed
// tables of the two-shard ClickHouse cluster when CALLDASH_CLICKHOUSE_DSN
// and CALLDASH_CLICKHOUSE_DSN2 are), loaded once into
// scratch tables that are dropped when t ends. A database that refuses the
// calls themselves (a timestamp finer than it keeps, say) is left out for
// this data set, and the test says so.
func sqlSources(t *testing.T, dataName string, calls []calldash.Call) []widgettest.Source {
	t.Helper()
	var out []widgettest.Source
	for _, name := range sqltest.Names {
		if !sqltest.Available(name) {
			if _, done := skipLogged.LoadOrStore(name, true); !done {
				t.Logf("differential: %s not compared: set %s", name, sqltest.EnvVar(name))
			}
			continue
		}
		db, d := sqltest.Connect(t, name)
		prefix := sqlstore.NewPrefix()
		ctx := context.Background()
		t.Cleanup(func() {
			if err := sqlstore.Drop(context.Background(), db, d, prefix); err != nil {
				t.Errorf("differential: %v", err)
			}
		})
		if err := sqlstore.Create(ctx, db, d, prefix); err != nil {
			t.Fatal(err)
		}
		if err := sqlstore.Load(ctx, db, d, prefix, slices.Values(calls)); err != nil {
			if errors.Is(err, sqlstore.ErrRefused) {
				t.Logf("differential: %s: %s not compared: %v", dataName, name, err)
				continue
			}
			t.Fatal(err)
		}
		out = append(out, widgettest.Source{
			Name:    name,
			Src:     widget.SQL(db, d, widget.WithTablePrefix(prefix)),
			Refuses: dialectRefusal(name),
		})
	}
	if src, ok := clickHouseSource(t, dataName, calls); ok {
		out = append(out, widgettest.Source{Name: "clickhouse", Src: src, Refuses: dialectRefusal("clickhouse")})
	}
	return out
}

// clickHouseSource loads calls into the two-shard ClickHouse cluster
// (sqltest.LoadClickHouseCluster: the rows spread over both shards) and
// returns a widget.SQL source over its Distributed tables; false when
// the cluster's variables are unset or ClickHouse refuses the calls.
func clickHouseSource(t *testing.T, dataName string, calls []calldash.Call) (widget.Source, bool) {
	t.Helper()
	if !sqltest.ClickHouseClusterAvailable() {
		if _, done := skipLogged.LoadOrStore("clickhouse", true); !done {
			t.Logf("differential: clickhouse not compared: set %s and %s (.ci/clickhouse.sh starts a cluster)",
				sqltest.ClickHouseEnv, sqltest.ClickHouseEnv2)
		}
		return nil, false
	}
	cl, err := sqltest.LoadClickHouseCluster(t, calls)
	if errors.Is(err, sqlstore.ErrRefused) {
		t.Logf("differential: %s: clickhouse not compared: %v", dataName, err)
		return nil, false
	}
	if err != nil {
		t.Fatal(err)
	}
	return widget.SQL(cl.DB, dialect.ClickHouse, widget.WithTablePrefix(cl.Prefix)), true
}

// dialectRefusal recognizes a dialect's documented refusal of a filter it
// cannot evaluate exactly: an error "... not supported on NAME ...". Such
// errors are counted and listed in the log, not treated as differences.
func dialectRefusal(name string) func(w *widgettest.Widget, err error) bool {
	return func(w *widgettest.Widget, err error) bool {
		if !strings.Contains(err.Error(), "not supported on "+name) {
			return false
		}
		refusals.Lock()
		defer refusals.Unlock()
		// One entry per message, wherever in the filter it points.
		msg := err.Error()
		if i := strings.Index(msg, ": "); strings.HasPrefix(msg, "$") && i >= 0 {
			msg = msg[i+2:]
		}
		key := fmt.Sprintf("%s: %s", name, msg)
		if refusals.seen == nil {
			refusals.seen = map[string]int{}
		}
		refusals.seen[key]++
		return true
	}
}

// refusals collects the dialect refusals of a run, for the log.
var refusals struct {
	sync.Mutex
	seen map[string]int
}

// logRefusals logs the dialect refusals seen so far, most frequent first.
func logRefusals(t *testing.T) {
	refusals.Lock()
	defer refusals.Unlock()
	type kv struct {
		msg string
		n   int
	}
	var all []kv
	for m, n := range refusals.seen {
		all = append(all, kv{m, n})
	}
	slices.SortFunc(all, func(a, b kv) int {
		if a.n != b.n {
			return b.n - a.n
		}
		return strings.Compare(a.msg, b.msg)
	})
	for i, r := range all {
		if i == 15 {
			t.Logf("  … and %d other refusals", len(all)-i)
			break
		}
		t.Logf("  refused %d×: %s", r.n, r.msg)
	}
}

// TestPreviewManySQL answers random dashboards from every available
// database three widgets at a time (three statements at once) and
// compares each widget with the same source's own Preview.
func TestPreviewManySQL(t *testing.T) {
	d := widgettest.DataSets(12)[0]
	for _, src := range sqlSources(t, d.Name, d.Calls) {
		t.Run(src.Name, func(t *testing.T) {
			for dash := range 6 {
				first := widgettest.SafeWidget(12, dash*8, d)
				if first == nil {
					continue
				}
				var specs []*widget.Spec
				for j := range 8 {
					w := widgettest.SafeWidget(12, dash*8+j, d)
					if w == nil {
						continue
					}
					if spec, err := widget.Decode([]byte(w.JSON)); err == nil {
						specs = append(specs, spec)
					}
				}
				opts := append(slices.Clip(first.Opts), widget.WithParallelism(3))
				resps, errs := widget.PreviewMany(context.Background(), specs, src.Src, opts...)
				for j, spec := range specs {
					want := widgettest.AnswerText(widget.Preview(context.Background(), spec, src.Src, first.Opts...))
					if got := widgettest.AnswerText(resps[j], errs[j]); got != want {
						t.Errorf("dashboard %d, widget %d:\nwant %s\n got %s", dash, j, want, got)
					}
				}
			}
		})
	}
}
