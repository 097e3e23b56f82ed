package widget_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"github.com/calldash/calldash"
	"github.com/calldash/calldash/filter"
	"github.com/calldash/calldash/sample"
	"github.com/calldash/calldash/widget"

	"github.com/calldash/calldash/widget/widgettest"
)

// The Table source must answer exactly what the memory source answers:
// every fixture, every property widget, and random widgets with random
// filters over random data.

// testTables returns Tables of calls: as NewTable builds them; with
// dictionaries of at most 4 values (booleans), so that numbers go through
// scaled columns and strings through the matcher even on small data sets;
// without block summaries, so that whole blocks are read row by row; and
// without records: read from the calls' JSON Lines by DecodeTable (as it
// is and in chunks of a few lines on three goroutines), and
// with dictionaries of at most 4 values (so that records are rebuilt from
// every kind of column).
func testTables(calls []calldash.Call) []*widget.Table {
	var jsonl bytes.Buffer
	if err := calldash.WriteCalls(&jsonl, slices.Values(calls)); err != nil {
		panic(err)
	}
	chunked, err := widget.DecodeTableChunks(bytes.NewReader(jsonl.Bytes()), 3, 700)
	if err != nil {
		panic(err)
	}
	decoded, err := widget.DecodeTable(&jsonl)
	if err != nil {
		panic(err)
	}
	return []*widget.Table{widget.NewTable(calls), widget.NewTableDictLimit(calls, 4), widget.NewTableNoSummaries(calls),
		decoded, widget.NewTableRows(calls, 4), chunked}
}

// tableAnswer answers w from src: the response JSON or the error body.
func tableAnswer(t *testing.T, w string, opts []widget.Option, src widget.Source) string {
	t.Helper()
	spec, err := widget.Decode([]byte(w))
	if err != nil {
		return "error: " + string(widget.ErrorBody(err))
	}
	resp, err := widget.Preview(context.Background(), spec, src, opts...)
	if err != nil {
		return "error: " + string(widget.ErrorBody(err))
	}
	return string(resp.AppendJSON(nil))
}

func TestTableGolden(t *testing.T) {
	files, err := filepath.Glob("../testdata/widget/*.json")
	if err != nil || len(files) == 0 {
		t.Fatalf("no fixtures in ../testdata/widget (%v)", err)
	}
	sample := widgettest.LoadSample(t, "../testdata/calls/sample.jsonl")
	tables := map[string][]*widget.Table{}
	for _, file := range files {
		name := strings.TrimSuffix(filepath.Base(file), ".json")
		t.Run(name, func(t *testing.T) {
			fx := widgettest.ReadFixture(t, file)
			calls := fx.CallsOf(t, sample)
			tabs := tables[string(fx.Calls)]
			if tabs == nil {
				tabs = testTables(calls)
				tables[string(fx.Calls)] = tabs
			}
			opts := fx.Options(t)
			want := tableAnswer(t, string(fx.Widget), opts, widget.Calls(calls))
			for k, tab := range tabs {
				if got := tableAnswer(t, string(fx.Widget), opts, tab); got != want {
					t.Errorf("table %d differs from memory\nwant %s\n got %s", k, want, got)
				}
			}
		})
	}
}

func TestTableProperty(t *testing.T) {
	for seed := range uint64(4) {
		calls := randomCalls(seed, 500)
		for k, tab := range testTables(calls) {
			for _, w := range propertyWidgets {
				for _, zone := range []string{"UTC", "America/New_York", "Australia/Lord_Howe"} {
					loc, _ := time.LoadLocation(zone)
					for _, top := range []int{0, 2} {
						opts := []widget.Option{widget.WithNow(propNow), widget.WithTimePolicy(filter.TimePolicy{}),
							widget.WithLatencyMetric(16), metrics(), widget.WithLocation(loc), widget.WithTopGroups(top)}
						want := tableAnswer(t, w, opts, widget.Calls(calls))
						if got := tableAnswer(t, w, opts, tab); got != want {
							t.Errorf("seed %d %s zone %s top %d: table %d differs from memory\nwant %s\n got %s", seed, w, zone, top, k, want, got)
						}
					}
				}
			}
		}
	}
}

// TestTableRandom answers the differential test's random widgets (random
// filters over every operator, zones with DST, options) from a Table and
// from memory.
func TestTableRandom(t *testing.T) {
	n := 3000
	if testing.Short() {
		n = 300
	}
	sets := widgettest.DataSets(7)
	tables := make([][]*widget.Table, len(sets))
	for i, d := range sets {
		tables[i] = testTables(d.Calls)
	}
	failures := 0
	for i := range n {
		k := i % len(sets)
		w := widgettest.SafeWidget(7, i, sets[k])
		if w == nil {
			continue
		}
		want := widgettest.Ask(w, widget.Calls(sets[k].Calls)).Text()
		for j, tab := range tables[k] {
			if got := widgettest.Ask(w, tab).Text(); got != want {
				t.Errorf("random widget %d, data %q, table %d:\n%s\nwant %s\n got %s", i, sets[k].Name, j, w, want, got)
				if failures++; failures == 10 {
					t.Fatal("stopping after 10 differences")
				}
			}
		}
	}
}

// TestTableEdgeNumbers covers numbers a scaled column cannot hold:
// more than 18 digits, more places than the scale, huge exponents.
func TestTableEdgeNumbers(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	calls := sample.Random(r, 400, propNow.AddDate(0, 0, -3), propNow)
	odd := []string{"123456789012345678901234", "0.0000000000001", "-9223372036854775808", "1e30", "59.9999999999", "60", "60.000", "-0"}
	for i := range calls {
		if i%7 == 0 {
			var c calldash.Call
			js := fmt.Sprintf(`{"id":%d,"timestamp":%q,"duration":%s,"success":true}`, calls[i].ID,
				calls[i].Timestamp.Format(time.RFC3339Nano), odd[i/7%len(odd)])
			if err := c.UnmarshalJSON([]byte(js)); err != nil {
				t.Fatal(err)
			}
			calls[i] = c
		}
	}
	tabs := testTables(calls)
	widgets := []string{
		`{"chart_type":"bar","field":"duration","aggregation_function":"sum","filters":{"field":"duration","op":"gte","value":60}}`,
		`{"chart_type":"bar","field":"duration","aggregation_function":"avg","filters":{"field":"duration","op":"neq","value":60}}`,
		`{"chart_type":"bar","field":"duration","aggregation_function":"max","filters":{"field":"duration","op":"lt","value":59.99999999995}}`,
		`{"chart_type":"bar","field":"duration","aggregation_function":"p50","filters":{"field":"duration","op":"eq","value":0}}`,
		`{"chart_type":"bar","field":"duration","aggregation_function":"min","filters":{"field":"duration","op":"isnull","value":false}}`,
		`{"chart_type":"bar","field":"duration","aggregation_function":"count","filters":{"field":"duration","op":"isnull","value":true}}`,
		`{"chart_type":"bar","field":"duration","aggregation_function":"count","filters":{"field":"duration","op":"gt","value":1e40}}`,
		`{"chart_type":"bar","field":"duration","aggregation_function":"count","filters":{"field":"duration","op":"lte","value":-1e40}}`,
	}
	opts := []widget.Option{widget.WithNow(propNow), widget.WithTimePolicy(filter.TimePolicy{})}
	for _, w := range widgets {
		want := tableAnswer(t, w, opts, widget.Calls(calls))
		for k, tab := range tabs {
			if got := tableAnswer(t, w, opts, tab); got != want {
				t.Errorf("%s: table %d differs from memory\nwant %s\n got %s", w, k, want, got)
			}
		}
	}
}

// TestTableWideCodes covers dictionaries of more than 256 and more than
// 65,536 values, whose codes take two and four bytes: the topic takes
// one of distinct values, the agent name one of 300, and the filters,
// pies, groups and stats that read their codes answer what memory does.
func TestTableWideCodes(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	n := 70_000
	if testing.Short() {
		n = 2_000
	}
	calls := sample.Random(r, n, propNow.AddDate(0, 0, -3), propNow)
	for i := range calls {
		calls[i].Topic = calldash.String(fmt.Sprintf("t%d", i*7919%n))
		calls[i].AgentName = calldash.String(fmt.Sprintf("a%d", r.IntN(300)))
		calls[i].Success = calldash.String(fmt.Sprintf("s%d", r.IntN(300)))
	}
	tabs := []*widget.Table{widget.NewTableDictLimit(calls, 1<<20), widget.NewTableRows(calls, 1<<20), widget.NewTable(calls)}
	live := widget.NewLiveTable()
	for lo := 0; lo < n; lo += 999 {
		live.Append(calls[lo:min(lo+999, n)]...)
		if lo%(10*999) == 0 {
			live.Table()
		}
	}
	tabs = append(tabs, live.Table())
	widgets := []string{
		`{"chart_type":"pie","field":"agent.agent_name"}`,
		`{"chart_type":"pie","field":"topic","filters":{"field":"agent.agent_name","op":"in","value":["a1","a7","a299"]}}`,
		`{"chart_type":"bar","field":"duration","aggregation_function":"avg","group_by":{"type":"field","field":"agent.agent_name"}}`,
		`{"chart_type":"bar","field":"duration","aggregation_function":"sum","group_by":{"type":"field","field":"topic"},"filters":{"field":"topic","op":"in","value":["t1","t500","t1999"]}}`,
		`{"chart_type":"bar","field":"topic","aggregation_function":"count","filters":{"field":"topic","op":"neq","value":"t3"}}`,
		`{"chart_type":"stat","filters":{"field":"agent.agent_name","op":"neq","value":"a5"}}`,
	}
	opts := []widget.Option{widget.WithNow(propNow), widget.WithTimePolicy(filter.TimePolicy{})}
	for _, w := range widgets {
		want := tableAnswer(t, w, opts, widget.Calls(calls))
		if strings.HasPrefix(want, "error") {
			t.Fatalf("%s: %s", w, want)
		}
		for k, tab := range tabs {
			if got := tableAnswer(t, w, opts, tab); got != want {
				t.Errorf("%s: table %d differs from memory\nwant %.300s\n got %.300s", w, k, want, got)
			}
		}
	}
}

// TestTableErrors: errors found when compiling the filter are the same,
// all of them, whichever columns decide the conditions.
func TestTableErrors(t *testing.T) {
	calls := randomCalls(2, 300)
	w := `{"chart_type":"bar","field":"duration","filters":{"operator":"or","conditions":[` +
		`{"field":"timestamp","op":"gte","value":"now-99999999y"},{"field":"success","op":"eq","value":true},` +
		`{"field":"timestamp","op":"lt","value":"today-99999999y"}]}}`
	opts := []widget.Option{widget.WithNow(propNow), widget.WithTimePolicy(filter.TimePolicy{})}
	want := tableAnswer(t, w, opts, widget.Calls(calls))
	if !strings.HasPrefix(want, "error") {
		t.Fatalf("want an error from memory, got %s", want)
	}
	for k, tab := range testTables(calls) {
		if got := tableAnswer(t, w, opts, tab); got != want {
			t.Errorf("table %d:\nwant %s\n got %s", k, want, got)
		}
	}
}

// TestPreviewMany answers random dashboards from every in-memory source
// with one worker and with three (a slice then cut into three parts, or
// three widgets at a time), and compares each widget with its own Preview
// over a stream.
func TestPreviewMany(t *testing.T) {
	sets := widgettest.DataSets(11)
	for k, d := range sets {
		tab := widget.NewTable(d.Calls)
		for dash := range 40 {
			// A dashboard shares its options: take those of its first widget.
			first := widgettest.SafeWidget(11, k*1000+dash*8, d)
			if first == nil {
				continue
			}
			var specs []*widget.Spec
			var jsons []string
			for j := range 8 {
				w := widgettest.SafeWidget(11, k*1000+dash*8+j, d)
				if w == nil {
					continue
				}
				spec, err := widget.Decode([]byte(w.JSON))
				if err != nil {
					continue
				}
				specs = append(specs, spec)
				jsons = append(jsons, w.JSON)
			}
			for _, src := range []struct {
				name string
				src  func() widget.Source
			}{
				{"slice", func() widget.Source { return widget.Calls(d.Calls) }},
				{"slice-parts", func() widget.Source { return widget.CallsMinPart(d.Calls, 7) }},
				{"stream", func() widget.Source { return widget.Stream(slices.Values(d.Calls)) }},
				{"table", func() widget.Source { return tab }},
			} {
				for _, par := range []int{1, 3} {
					opts := append(slices.Clip(first.Opts), widget.WithParallelism(par))
					resps, errs := widget.PreviewMany(context.Background(), specs, src.src(), opts...)
					for j, spec := range specs {
						want := widgettest.AnswerText(widget.Preview(context.Background(), spec, widget.Stream(slices.Values(d.Calls)), first.Opts...))
						if got := widgettest.AnswerText(resps[j], errs[j]); got != want {
							t.Errorf("%s, parallelism %d, data %q, dashboard %d, widget %s:\nwant %s\n got %s", src.name, par, d.Name, dash, jsons[j], want, got)
						}
					}
				}
			}
		}
	}
}

func TestTableCancel(t *testing.T) {
	calls := randomCalls(1, 10000)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	spec, err := widget.Decode([]byte(`{"chart_type":"pie","field":"topic"}`))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := widget.Preview(ctx, spec, widget.NewTable(calls), widget.WithTimePolicy(filter.TimePolicy{})); err != context.Canceled {
		t.Fatalf("got %v, want context.Canceled", err)
	}
}

// TestTableConcurrent previews from one Table on several goroutines (run
// with -race): the lazily built columns are built once.
func TestTableConcurrent(t *testing.T) {
	calls := randomCalls(5, 2000)
	tab := widget.NewTable(calls)
	ws := []string{
		`{"chart_type":"bar","field":"success","aggregation_function":"avg","time_period":"day"}`,
		`{"chart_type":"bar","field":"duration","aggregation_function":"p50","time_period":"hour","group_by":{"type":"field","field":"topic"}}`,
		`{"chart_type":"pie","field":"agent.id"}`,
	}
	opts := []widget.Option{widget.WithNow(propNow), widget.WithTimePolicy(filter.TimePolicy{})}
	want := make([]string, len(ws))
	for i, w := range ws {
		want[i] = tableAnswer(t, w, opts, widget.Calls(calls))
	}
	done := make(chan string)
	for g := range 8 {
		go func() {
			i := g % len(ws)
			got := tableAnswer(t, ws[i], opts, tab)
			if got != want[i] {
				done <- fmt.Sprintf("%s: table differs from memory", ws[i])
				return
			}
			done <- ""
		}()
	}
	for range 8 {
		if msg := <-done; msg != "" {
			t.Error(msg)
		}
	}
}

// TestTableBlocks covers the paths taken over many blocks: calls logged
// in time order (whole blocks in one bucket, percentile values arriving
// cell after cell), the same calls shuffled, and nearly in order.
func TestTableBlocks(t *testing.T) {
	sorted := sample.Generate(sample.Config{Seed: 3, N: 30000, Start: propNow.AddDate(0, 0, -20), End: propNow})
	shuffled := slices.Clone(sorted)
	r := rand.New(rand.NewPCG(3, 5))
	r.Shuffle(len(shuffled), func(i, j int) { shuffled[i], shuffled[j] = shuffled[j], shuffled[i] })
	nearly := slices.Clone(sorted)
	for i := 0; i+5000 < len(nearly); i += 7001 {
		nearly[i], nearly[i+5000] = nearly[i+5000], nearly[i]
	}
	// edges is sorted too, with the first call of each hour at the
	// hour's start and the last at its last nanosecond (rows on either
	// side of a bucket boundary), and every duration of one hour in five
	// null (cells with rows but no value).
	edges := slices.Clone(sorted)
	for i := range edges {
		hour := edges[i].Timestamp.Truncate(time.Hour)
		switch {
		case i == 0 || sorted[i-1].Timestamp.Before(hour):
			edges[i].Timestamp = hour
		case i+1 < len(edges) && !sorted[i+1].Timestamp.Before(hour.Add(time.Hour)):
			edges[i].Timestamp = hour.Add(time.Hour - 1)
		}
		if hour.Unix()/3600%5 == 0 {
			edges[i].Duration = calldash.Value{}
		}
	}
	var widgets []string
	for _, period := range []string{"hour", "day", "week"} {
		for _, fn := range []string{"count", "sum", "avg", "min", "max", "p50", "p95"} {
			widgets = append(widgets,
				fmt.Sprintf(`{"chart_type":"bar","field":"duration","aggregation_function":%q,"time_period":%q}`, fn, period),
				fmt.Sprintf(`{"chart_type":"bar","field":"duration","aggregation_function":%q,"time_period":%q,"filters":{"field":"success","op":"eq","value":true}}`, fn, period),
				fmt.Sprintf(`{"chart_type":"bar","field":"duration","aggregation_function":%q,"time_period":%q,"group_by":{"type":"field","field":"topic"}}`, fn, period))
		}
		widgets = append(widgets, fmt.Sprintf(`{"chart_type":"bar","field":"success","aggregation_function":"avg","time_period":%q}`, period))
	}
	widgets = append(widgets, `{"chart_type":"stat"}`, `{"chart_type":"stat","filters":{"field":"topic","op":"neq","value":"billing"}}`,
		`{"chart_type":"pie","field":"call_ended_reason"}`)
	for _, data := range []struct {
		name  string
		calls []calldash.Call
	}{{"sorted", sorted}, {"shuffled", shuffled}, {"nearly", nearly}, {"edges", edges}} {
		tabs := testTables(data.calls)
		for _, zone := range []string{"UTC", "America/New_York"} {
			loc, _ := time.LoadLocation(zone)
			opts := []widget.Option{widget.WithNow(propNow), widget.WithTimePolicy(filter.TimePolicy{}), widget.WithLocation(loc)}
			for _, w := range widgets {
				want := tableAnswer(t, w, opts, widget.Stream(slices.Values(data.calls)))
				for k, tab := range tabs {
					if got := tableAnswer(t, w, opts, tab); got != want {
						t.Errorf("%s, %s, %s: table %d differs from memory\nwant %s\n got %s", data.name, zone, w, k, widgettest.Short(want), widgettest.Short(got))
					}
				}
			}
		}
	}
}

// TestTableExtremes: min and max of cells whose values are all negative,
// or all far from zero, on either side.
func TestTableExtremes(t *testing.T) {
	r := rand.New(rand.NewPCG(9, 9))
	calls := sample.Random(r, 600, propNow.AddDate(0, 0, -6), propNow)
	for i := range calls {
		var d decimal.Decimal
		switch day := calls[i].Timestamp.YearDay() % 3; day {
		case 0:
			d = decimal.New(-int64(r.IntN(1000)+1), -1) // -0.1 … -100.0
		case 1:
			d = decimal.New(int64(r.IntN(1000)+1), 12) // up to 1e15
		default:
			d = decimal.New(-int64(r.IntN(1000)+1), 12)
		}
		calls[i].Duration = calldash.Number(d)
	}
	opts := []widget.Option{widget.WithNow(propNow), widget.WithTimePolicy(filter.TimePolicy{})}
	for _, fn := range []string{"min", "max"} {
		for _, group := range []string{"", `,"group_by":{"type":"field","field":"topic"}`} {
			w := fmt.Sprintf(`{"chart_type":"bar","field":"duration","aggregation_function":%q,"time_period":"day"%s}`, fn, group)
			want := tableAnswer(t, w, opts, widget.Stream(slices.Values(calls)))
			for k, tab := range testTables(calls) {
				if got := tableAnswer(t, w, opts, tab); got != want {
					t.Errorf("%s: table %d differs from memory\nwant %s\n got %s", w, k, widgettest.Short(want), widgettest.Short(got))
				}
			}
		}
	}
}

// TestPreviewManyParts covers what the later parts of a slice cut for the
// workers of PreviewMany and Preview must carry into the first: a metric seen only
// there, the eval type of the first record holding a metric, and more
// buckets than the limit seen in one part only.
func TestPreviewManyParts(t *testing.T) {
	base := propNow.Add(-48 * time.Hour)
	calls := make([]calldash.Call, 300) // three parts of 100 with minPart 7 and 3 workers
	for i := range calls {
		c := calldash.Call{ID: int64(i + 1), Timestamp: base.Add(time.Duration(i) * time.Minute), Duration: calldash.Number(decimal.NewFromInt(int64(i % 17)))}
		ev := func(metric int64, evalType string, v calldash.Value) {
			c.MetricEvaluations = append(c.MetricEvaluations, calldash.Evaluation{ID: int64(1000*i) + metric, MetricID: metric, MetricName: calldash.String("m"), EvalType: evalType, Value: v})
		}
		if i >= 250 {
			ev(77, calldash.EvalNumeric, calldash.Number(decimal.NewFromInt(int64(i))))
		}
		switch {
		case i == 20:
			ev(78, calldash.EvalBinary, calldash.Bool(true))
		case i >= 200:
			ev(78, calldash.EvalNumeric, calldash.Number(decimal.NewFromInt(int64(i%2))))
		}
		if i >= 200 { // the third part spans six hours; the others one
			c.Timestamp = base.Add(time.Duration(i-200) * 4 * time.Minute)
		} else {
			c.Timestamp = base.Add(time.Duration(i) * time.Second)
		}
		calls[i] = c
	}
	widgets := []string{
		`{"chart_type":"bar","field":"metric_evaluations.value","metric":77,"aggregation_function":"avg","time_period":"day"}`,
		`{"chart_type":"bar","field":"metric_evaluations.value","metric":78,"aggregation_function":"count","time_period":"day"}`,
		`{"chart_type":"pie","field":"metric_evaluations.value","metric":78}`,
		`{"chart_type":"bar","field":"duration","aggregation_function":"sum","time_period":"hour"}`,
	}
	opts := []widget.Option{widget.WithNow(propNow), widget.WithTimePolicy(filter.TimePolicy{}), widget.WithGapFill(false), widget.WithMaxBuckets(5)}
	var specs []*widget.Spec
	for _, w := range widgets {
		spec, err := widget.Decode([]byte(w))
		if err != nil {
			t.Fatal(err)
		}
		specs = append(specs, spec)
	}
	parts := widget.CallsMinPart(calls, 7)
	three := append(slices.Clip(opts), widget.WithParallelism(3))
	resps, errs := widget.PreviewMany(context.Background(), specs, parts, three...)
	for i, spec := range specs {
		want := widgettest.AnswerText(widget.Preview(context.Background(), spec, widget.Stream(slices.Values(calls)), opts...))
		if got := widgettest.AnswerText(resps[i], errs[i]); got != want {
			t.Errorf("PreviewMany %s:\nwant %s\n got %s", widgets[i], widgettest.Short(want), widgettest.Short(got))
		}
		if got := widgettest.AnswerText(widget.Preview(context.Background(), spec, parts, three...)); got != want {
			t.Errorf("Preview %s:\nwant %s\n got %s", widgets[i], widgettest.Short(want), widgettest.Short(got))
		}
	}
}

// TestCancelParts: a cancelled context stops every part of a slice and
// gives context.Canceled for every widget, with no response.
func TestCancelParts(t *testing.T) {
	calls := randomCalls(6, 20000)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	opts := []widget.Option{widget.WithNow(propNow), widget.WithTimePolicy(filter.TimePolicy{}), widget.WithParallelism(3)}
	var specs []*widget.Spec
	for _, w := range []string{`{"chart_type":"pie","field":"topic"}`, `{"chart_type":"stat"}`, `{"chart_type":"line","field":"duration"}`} {
		spec, err := widget.Decode([]byte(w))
		if err != nil {
			t.Fatal(err)
		}
		specs = append(specs, spec)
	}
	src := widget.CallsMinPart(calls, 1000)
	resps, errs := widget.PreviewMany(ctx, specs, src, opts...)
	for i := range specs {
		if resps[i] != nil || !errors.Is(errs[i], context.Canceled) {
			t.Errorf("PreviewMany widget %d: got %v, %v; want no response and context.Canceled", i, resps[i], errs[i])
		}
		if resp, err := widget.Preview(ctx, specs[i], src, opts...); resp != nil || !errors.Is(err, context.Canceled) {
			t.Errorf("Preview widget %d: got %v, %v; want no response and context.Canceled", i, resp, err)
		}
	}
}

// TestTableCustomReaders: a schema whose fields have the call-log names
// and types but read the records otherwise (topic from the call ended
// reason, duration doubled) is answered with its own readers by a Table,
// as by Calls — never from the columns of the default schema.
func TestTableCustomReaders(t *testing.T) {
	var fields []filter.Field
	for _, f := range filter.CallLogs().Fields() {
		g := *f
		switch f.Name {
		case "topic":
			g.Call = func(c *calldash.Call) calldash.Value { return c.CallEndedReason }
		case "duration":
			g.Call = func(c *calldash.Call) calldash.Value {
				if c.Duration.IsNull() {
					return c.Duration
				}
				return calldash.Number(c.Duration.Num.Mul(decimal.NewFromInt(2)))
			}
		}
		fields = append(fields, g)
	}
	s, err := filter.NewSchema(fields, map[string]string{"agent_id": "agent.id"})
	if err != nil {
		t.Fatal(err)
	}
	d := widgettest.DataSets(3)[0]
	opts := []widget.Option{widget.WithSchema(s), widget.WithNow(d.End), widget.WithTimePolicy(filter.TimePolicy{}), widget.WithGapFill(false)}
	for _, w := range []string{
		`{"chart_type": "pie", "field": "topic"}`,
		`{"chart_type": "bar", "field": "duration", "aggregation_function": "sum", "filters": {"field": "topic", "op": "eq", "value": "customer_ended_call"}}`,
		`{"chart_type": "stat", "field": "", "filters": {"field": "duration", "op": "gt", "value": 100}}`,
	} {
		want := tableAnswer(t, w, opts, widget.Calls(d.Calls))
		def := tableAnswer(t, w, opts[1:], widget.Calls(d.Calls))
		if want == def {
			t.Fatalf("%s: the custom readers change nothing; the test cannot fail", w)
		}
		for i, tab := range testTables(d.Calls) {
			if got := tableAnswer(t, w, opts, tab); got != want {
				t.Errorf("%s, table %d:\nwant %s\n got %s", w, i, want, got)
			}
		}
	}
}
