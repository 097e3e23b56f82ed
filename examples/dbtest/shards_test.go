package dbtest_test

import (
	"context"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/ClickHouse/clickhouse-go/v2"

	"github.com/calldash/calldash/dialect"
	"github.com/calldash/calldash/examples/internal/sqltest"
	"github.com/calldash/calldash/filter"
	"github.com/calldash/calldash/sample"
	"github.com/calldash/calldash/widget"
)

// TestClickHouseShardResults (issue 19): on the Distributed tables of the
// two-shard cluster each shard aggregates its own rows, over the sharded
// default layout (in the connection's database and in one of its own) and over a user's Distributed tables in a database of
// their own (sqltest.ShardedLayout, through widget.WithLayout). Every
// kind of widget — metric widgets joined with their agents among them —
// is answered (byte for byte memory's answer) with query logging
// on; then shard 2's system.query_log tells what the queries the
// initiator sent it returned: at most one row per bucket and group —
// never more rows than the widget's statement returns in all, or, for the
// top-N subquery, than there are groups — and far fewer than the shard's
// rows that pass the filter, which a shard that streams rows would send.
func TestClickHouseShardResults(t *testing.T) {
	now := time.Date(2025, 11, 28, 0, 0, 0, 0, time.UTC)
	calls := sample.Generate(sample.Config{Seed: 7, N: 20000, Start: now.AddDate(0, 0, -30), End: now})
	cl := sqltest.OpenClickHouseCluster(t, calls)
	dcl := sqltest.OpenClickHouseClusterIn(t, calls)
	ucl, layout := sqltest.OpenClickHouseShardedLayout(t, calls)
	logged, err := sqltest.OpenClickHouseDSN(os.Getenv(sqltest.ClickHouseEnv) + "?log_queries=1")
	if err != nil {
		t.Fatal(err)
	}
	defer logged.Close()
	logged.SetMaxOpenConns(1)
	d := dialect.ClickHouse
	// The sharded default layout in the connection's database and in a
	// database of its own (a qualified prefix), and a user's Distributed
	// tables in a database of their own (a layout of qualified names).
	sources := []struct {
		name string
		cl   *sqltest.Cluster
		src  widget.Source
	}{
		{"default", cl, widget.SQL(logged, d, widget.WithTablePrefix(cl.Prefix))},
		{"default in a database", dcl, widget.SQL(logged, d, widget.WithTablePrefix(dcl.Prefix))},
		{"layout", ucl, widget.SQL(logged, d, widget.WithLayout(layout))},
	}
	ny, err := time.LoadLocation("America/New_York")
	if err != nil {
		t.Fatal(err)
	}
	// The labels of each group_by field, the null label included.
	ids, names, reasons, successes, regions := map[string]bool{}, map[string]bool{}, map[string]bool{}, map[string]bool{}, map[string]bool{}
	for _, c := range calls {
		ids[fmt.Sprint(c.AgentID)] = true
		names[fmt.Sprint(c.AgentName)] = true
		reasons[fmt.Sprint(c.CallEndedReason)] = true
		successes[fmt.Sprint(c.Success)] = true
		regions[fmt.Sprint(c.Metadata["region"])] = true
	}
	cases := []struct {
		name, spec string
		groups     int  // the groups of a group_by field (there are top 3 groups)
		every      bool // every group, no top-N
	}{
		{"bar by day, New York", `{"chart_type":"bar","field":"duration","aggregation_function":"avg","time_period":"day","filters":{"operator":"and","conditions":[{"field":"success","op":"eq","value":true},{"field":"duration","op":"gte","value":60}]}}`, 0, false},
		{"bar by hour, p95", `{"chart_type":"bar","field":"duration","aggregation_function":"p95","time_period":"hour","filters":{"field":"timestamp","op":"gte","value":"now-7d"}}`, 0, false},
		{"bar by month", `{"chart_type":"bar","field":"duration","aggregation_function":"max","time_period":"month"}`, 0, false},
		{"bar by bucket", `{"chart_type":"bar","field":"duration","aggregation_function":"sum","group_by":{"type":"bucket","interval":21600000}}`, 0, false},
		{"group_by, top 3", `{"chart_type":"bar","field":"duration","aggregation_function":"avg","time_period":"week","group_by":{"type":"field","field":"agent.id"}}`, len(ids), false},
		{"group_by agent.id, every group", `{"chart_type":"bar","field":"duration","aggregation_function":"sum","time_period":"day","group_by":{"type":"field","field":"agent.id"}}`, len(ids), true},
		{"metric group_by agent name, every group", `{"chart_type":"bar","field":"metric_evaluations.value","metric":12,"aggregation_function":"max","time_period":"day","group_by":{"type":"field","field":"agent.agent_name"}}`, len(names), true},
		{"group_by agent name, top 3, p50", `{"chart_type":"bar","field":"duration","aggregation_function":"p50","time_period":"week","group_by":{"type":"field","field":"agent.agent_name"}}`, len(names), false},
		{"group_by call_ended_reason, top 3", `{"chart_type":"bar","field":"topic","time_period":"week","group_by":{"type":"field","field":"call_ended_reason"}}`, len(reasons), false},
		{"pie", `{"chart_type":"pie","field":"call_ended_reason","filters":{"field":"success","op":"eq","value":false}}`, 0, false},
		{"stat with latency", `{"chart_type":"stat"}`, 0, false},
		{"line with a cap", `{"chart_type":"line","field":"duration","filters":{"field":"timestamp","op":"gte","value":"now-7d"}}`, 0, false},
		{"metric bar", `{"chart_type":"bar","field":"metric_evaluations.value","metric":12,"aggregation_function":"p95","time_period":"day"}`, 0, false},
		{"metric pie", `{"chart_type":"pie","field":"metric_evaluations.value","metric":14}`, 0, false},
		{"metric bar by agent name, top 3", `{"chart_type":"bar","field":"metric_evaluations.value","metric":12,"aggregation_function":"avg","time_period":"week","group_by":{"type":"field","field":"agent.agent_name"}}`, len(names), false},
		{"metric bar by agent name, p99", `{"chart_type":"bar","field":"metric_evaluations.value","metric":12,"aggregation_function":"p99","time_period":"day","group_by":{"type":"field","field":"agent.agent_name"}}`, len(names), false},
		{"metric pie, agent filter", `{"chart_type":"pie","field":"metric_evaluations.value","metric":14,"filters":{"field":"agent.agent_name","op":"neq","value":"Nova"}}`, 0, false},
		{"metric line with a cap, agent filter", `{"chart_type":"line","field":"metric_evaluations.value","metric":12,"filters":{"field":"agent.agent_name","op":"contains","value":"a"}}`, 0, false},
		// A call's field grouped in a statement of evaluation rows with
		// their agents: 18.16 lost the field read in the WHERE of the
		// top-N subquery ("No such name in Block::erase()").
		{"metric bar by success, top 3, agent filter", `{"chart_type":"bar","field":"metric_evaluations.value","metric":12,"aggregation_function":"avg","time_period":"week","group_by":{"type":"field","field":"success"},"filters":{"field":"agent.agent_name","op":"contains","value":"a"}}`, len(successes), false},
		{"metric bar by metadata.region, top 3, agent filter", `{"chart_type":"bar","field":"metric_evaluations.value","metric":12,"aggregation_function":"max","time_period":"week","group_by":{"type":"field","field":"metadata.region"},"filters":{"field":"agent.agent_name","op":"contains","value":"a"}}`, len(regions), false},
		{"stat with latency, agent filter", `{"chart_type":"stat","filters":{"field":"agent.agent_name","op":"contains","value":"a"}}`, 0, false},
		{"same_row", `{"chart_type":"bar","field":"duration","aggregation_function":"avg","time_period":"day","filters":{"operator":"same_row","conditions":[{"field":"metric_evaluations.metric.name","op":"eq","value":"accuracy"},{"field":"metric_evaluations.value","op":"lte","value":0.55}]}}`, 0, false},
	}
	ctx := context.Background()
	for i, tc := range cases {
		for _, s := range sources {
			t.Run(s.name+"/"+tc.name, func(t *testing.T) {
				spec, err := widget.Decode([]byte(tc.spec))
				if err != nil {
					t.Fatal(err)
				}
				opts := []widget.Option{widget.WithNow(now), widget.WithLocation(ny), widget.WithTopGroups(3), widget.WithTimePolicy(filter.TimePolicy{}),
					widget.WithMaxPoints(100), widget.WithLatencyMetric(sample.LatencyMetricID), widget.WithMetrics(sample.Metrics()...)}
				if tc.every {
					opts = append(opts, widget.WithTopGroups(0))
				}
				want := widgetAnswer(ctx, spec, widget.Calls(calls), opts)
				// The statement runs under a query id of its own, which the
				// queries sent to the shards carry as their initial_query_id.
				id := fmt.Sprintf("calldash-shards-%s-%s-%d", s.cl.Prefix, s.name, i)
				qctx := clickhouse.Context(ctx, clickhouse.WithQueryID(id))
				if got := widgetAnswer(qctx, spec, s.src, opts); got != want {
					t.Fatalf("clickhouse answers\n%.500s\nmemory answers\n%.500s", got, want)
				}
				checkShardRows(t, s.cl, id, tc.groups)
			})
		}
	}
}

// widgetAnswer is the response JSON of a widget, or its error.
func widgetAnswer(ctx context.Context, spec *widget.Spec, src widget.Source, opts []widget.Option) string {
	resp, err := widget.Preview(ctx, spec, src, opts...)
	if err != nil {
		return "error " + err.Error()
	}
	return string(resp.AppendJSON(nil))
}

// checkShardRows finds the statement run under the query id on shard 1
// (the initiator) and the queries it sent shard 2, and checks what they
// returned.
func checkShardRows(t *testing.T, cl *sqltest.Cluster, id string, groups int) {
	t.Helper()
	ctx := context.Background()
	var rows uint64
	var err error
	for range 20 { // the log is written in the background
		for i, db := range cl.Shards {
			if _, err := db.ExecContext(ctx, "SYSTEM FLUSH LOGS"); err != nil {
				t.Fatalf("shard %d: %v", i+1, err)
			}
		}
		err = cl.Shards[0].QueryRowContext(ctx, "SELECT result_rows FROM system.query_log "+
			"WHERE type = 2 AND is_initial_query = 1 AND query_id = ?", id).Scan(&rows)
		if err == nil {
			break
		}
		time.Sleep(500 * time.Millisecond)
	}
	if err != nil {
		t.Fatalf("the statement %s is not in shard 1's query log: %v", id, err)
	}
	// Shard 2 writes its own log in the background too: wait for its
	// entries of the statement before reading them.
	for range 20 {
		var logged uint64
		if err := cl.Shards[1].QueryRowContext(ctx, "SELECT count() FROM system.query_log "+
			"WHERE type = 2 AND is_initial_query = 0 AND initial_query_id = ?", id).Scan(&logged); err != nil {
			t.Fatal(err)
		}
		if logged > 0 {
			break
		}
		time.Sleep(500 * time.Millisecond)
		if _, err := cl.Shards[1].ExecContext(ctx, "SYSTEM FLUSH LOGS"); err != nil {
			t.Fatalf("shard 2: %v", err)
		}
	}
	q, err := cl.Shards[1].QueryContext(ctx, "SELECT query, result_rows, read_rows FROM system.query_log "+
		"WHERE type = 2 AND is_initial_query = 0 AND initial_query_id = ?", id)
	if err != nil {
		t.Fatal(err)
	}
	defer q.Close()
	n := 0
	for q.Next() {
		var sub string
		var result, read uint64
		if err := q.Scan(&sub, &result, &read); err != nil {
			t.Fatal(err)
		}
		n++
		limit := max(rows, 1)
		if strings.Contains(sub, "calldash_top_") && !strings.Contains(sub, "GLOBAL NOT IN") {
			limit = uint64(groups) // the top-N subquery: one row per group
		}
		if result > limit {
			t.Errorf("shard 2 returned %d rows (read %d) where the statement returns %d and the groups are %d:\n%.400s",
				result, read, rows, groups, sub)
		}
		if read > 1000 && result*10 > read {
			t.Errorf("shard 2 returned %d of the %d rows it read: not aggregated on the shard:\n%.400s", result, read, sub)
		}
		t.Logf("shard 2: %d rows read, %d returned (the statement returns %d): %.120s", read, result, rows, sub)
	}
	if err := q.Err(); err != nil {
		t.Fatal(err)
	}
	if n == 0 {
		t.Errorf("shard 2 logged no query of the statement (initial query %s)", id)
	}
}
