package widget_test

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"runtime"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/calldash/calldash"
	"github.com/calldash/calldash/filter"
	"github.com/calldash/calldash/sample"
	"github.com/calldash/calldash/widget"
	"github.com/calldash/calldash/widget/widgettest"
)

// The widgets of the performance issue (W1–W4) and two more.
var benchWidgets = []struct{ name, widget, zone string }{
	{"W1", `{"chart_type":"bar","field":"duration","aggregation_function":"avg","time_period":"day","filters":{"operator":"and","conditions":[{"field":"success","op":"eq","value":true},{"field":"duration","op":"gte","value":60}]}}`, "UTC"},
	{"W2", `{"chart_type":"bar","field":"duration","aggregation_function":"avg","time_period":"day","filters":{"operator":"and","conditions":[{"field":"success","op":"eq","value":true},{"field":"duration","op":"gte","value":60}]}}`, "America/New_York"},
	{"W3", `{"chart_type":"pie","field":"call_ended_reason"}`, "UTC"},
	{"W4", `{"chart_type":"bar","field":"duration","aggregation_function":"p95","time_period":"hour","filters":{"field":"timestamp","op":"gte","value":"now-7d"}}`, "UTC"},
	{"line", `{"chart_type":"line","field":"duration","filters":{"field":"timestamp","op":"gte","value":"now-1d"}}`, "UTC"},
	{"top3", `{"chart_type":"bar","field":"duration","aggregation_function":"avg","group_by":{"type":"field","field":"agent.id"}}`, "UTC"},
}

var benchNow = time.Date(2025, 11, 28, 0, 0, 0, 0, time.UTC)

var benchData = struct {
	sync.Mutex
	calls map[int][]calldash.Call
}{calls: map[int][]calldash.Call{}}

// benchCalls returns n generated calls over the 30 days before benchNow,
// generated once per size.
func benchCalls(n int) []calldash.Call {
	benchData.Lock()
	defer benchData.Unlock()
	if c, ok := benchData.calls[n]; ok {
		return c
	}
	c := sample.Generate(sample.Config{Seed: 1, N: n, Start: benchNow.AddDate(0, 0, -30), End: benchNow})
	benchData.calls[n] = c
	return c
}

var benchTables = struct {
	sync.Mutex
	tables map[int]*widget.Table
}{tables: map[int]*widget.Table{}}

// benchTable returns the Table of benchCalls(n), built once per size.
func benchTable(n int) *widget.Table {
	calls := benchCalls(n)
	benchTables.Lock()
	defer benchTables.Unlock()
	if t, ok := benchTables.tables[n]; ok {
		return t
	}
	t := widget.NewTable(calls)
	benchTables.tables[n] = t
	return t
}

func BenchmarkPreview(b *testing.B) {
	for _, n := range []int{10_000, 100_000, 1_000_000} {
		calls := benchCalls(n)
		table := benchTable(n)
		for _, w := range benchWidgets {
			loc, err := time.LoadLocation(w.zone)
			if err != nil {
				b.Fatal(err)
			}
			// One goroutine (the targets are for one core), but
			// for "slice-parallel": a slice cut into GOMAXPROCS parts.
			opts := []widget.Option{widget.WithNow(benchNow), widget.WithLocation(loc),
				widget.WithTimePolicy(filter.TimePolicy{}), widget.WithTopGroups(3), widget.WithParallelism(1)}
			spec, err := widget.Decode([]byte(w.widget))
			if err != nil {
				b.Fatal(err)
			}
			for _, src := range []struct {
				name string
				src  widget.Source
				par  int
			}{
				{"slice", widget.Calls(calls), 1},
				{"slice-parallel", widget.Calls(calls), 0},
				{"iter", widget.Stream(slices.Values(calls)), 1},
				{"table", table, 1},
				{"table-rows", benchRowTable(n), 1},
			} {
				b.Run(fmt.Sprintf("%s/%s/n=%d", w.name, src.name, n), func(b *testing.B) {
					b.ReportAllocs()
					opts := append(slices.Clip(opts), widget.WithParallelism(src.par))
					b.ResetTimer()
					for range b.N {
						if _, err := widget.Preview(context.Background(), spec, src.src, opts...); err != nil {
							b.Fatal(err)
						}
					}
					b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds()/1e6, "Mcalls/s")
				})
			}
		}
	}
}

// BenchmarkHandLoop is the reference of the performance issue: W1 written
// by hand over a flat slice of structs, exact in scaled integers.
func BenchmarkHandLoop(b *testing.B) {
	for _, n := range []int{10_000, 100_000, 1_000_000} {
		type flat struct {
			ts      int64
			dur     int64 // thousandths of a second
			hasDur  bool
			success int8 // -1 null, 0, 1
		}
		calls := benchCalls(n)
		rows := make([]flat, len(calls))
		for i, c := range calls {
			f := flat{ts: c.Timestamp.UnixNano(), success: -1}
			if c.Duration.Kind == calldash.KindNumber {
				f.dur, f.hasDur = c.Duration.Num.Shift(3).IntPart(), true
			}
			if c.Success.Kind == calldash.KindBool {
				f.success = 0
				if c.Success.Bool {
					f.success = 1
				}
			}
			rows[i] = f
		}
		start := benchNow.AddDate(0, 0, -31).UnixNano()
		b.Run(fmt.Sprintf("W1/n=%d", n), func(b *testing.B) {
			b.ResetTimer()
			for range b.N {
				var sums, counts [40]int64
				for i := range rows {
					r := &rows[i]
					if r.success == 1 && r.hasDur && r.dur >= 60000 {
						d := (r.ts - start) / int64(24*time.Hour)
						sums[d] += r.dur
						counts[d]++
					}
				}
				_ = sums
			}
			b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds()/1e6, "Mcalls/s")
		})
	}
}

// BenchmarkRecordFloor is the floor of any W1 over a slice of
// calldash.Call: a loop that only reads the fields W1 needs (success,
// duration, timestamp) from each record, with the duration's exponent
// (in the record) or its coefficient (behind the decimal's pointer).
func BenchmarkRecordFloor(b *testing.B) {
	calls := benchCalls(1_000_000)
	for _, deref := range []bool{false, true} {
		name := "fields"
		if deref {
			name = "fields+coefficient"
		}
		b.Run(name+"/n=1000000", func(b *testing.B) {
			var sink int64
			b.ResetTimer()
			for range b.N {
				for i := range calls {
					c := &calls[i]
					if c.Success.Kind == calldash.KindBool && c.Success.Bool && c.Duration.Kind == calldash.KindNumber {
						sink += c.Timestamp.Unix() + int64(c.Duration.Num.Exponent())
						if deref {
							sink += c.Duration.Num.CoefficientInt64()
						}
					}
				}
			}
			if sink == 0 {
				b.Fatal("no record read")
			}
			b.ReportMetric(float64(len(calls))*float64(b.N)/b.Elapsed().Seconds()/1e6, "Mcalls/s")
		})
	}
}

// BenchmarkNewTable measures building a Table (once per data set).
func BenchmarkNewTable(b *testing.B) {
	for _, n := range []int{100_000, 1_000_000} {
		calls := benchCalls(n)
		b.Run(fmt.Sprintf("n=%d", n), func(b *testing.B) {
			b.ReportAllocs()
			b.ResetTimer()
			for range b.N {
				widget.NewTable(calls)
			}
			b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds()/1e6, "Mcalls/s")
		})
	}
}

// dashboardWidgets is a dashboard of 8 widgets over the last 30 days.
var dashboardWidgets = []string{
	benchWidgets[0].widget, // W1
	benchWidgets[2].widget, // W3
	benchWidgets[3].widget, // W4
	benchWidgets[5].widget, // bar grouped by agent.id, top 3
	`{"chart_type":"bar","field":"success","aggregation_function":"avg","time_period":"day"}`,
	`{"chart_type":"pie","field":"topic","filters":{"field":"success","op":"eq","value":false}}`,
	`{"chart_type":"bar","field":"topic","time_period":"week","group_by":{"type":"field","field":"call_ended_reason"}}`,
	`{"chart_type":"stat"}`,
}

// BenchmarkDashboard answers 8 widgets over the same calls, from a slice
// and a Table: with PreviewMany ("one-pass": as many widgets at a time as
// GOMAXPROCS; "one-pass-serial": one at a time, WithParallelism(1)) and
// with 8 calls of Preview ("8-passes").
func BenchmarkDashboard(b *testing.B) {
	for _, n := range []int{100_000, 1_000_000} {
		calls := benchCalls(n)
		table := benchTable(n)
		opts := []widget.Option{widget.WithNow(benchNow), widget.WithTimePolicy(filter.TimePolicy{}), widget.WithTopGroups(3)}
		specs := make([]*widget.Spec, len(dashboardWidgets))
		for i, w := range dashboardWidgets {
			s, err := widget.Decode([]byte(w))
			if err != nil {
				b.Fatal(err)
			}
			specs[i] = s
		}
		for _, src := range []struct {
			name string
			src  widget.Source
		}{{"slice", widget.Calls(calls)}, {"table", table}, {"table-rows", benchRowTable(n)}} {
			for _, many := range []struct {
				name string
				par  int
			}{{"one-pass", 0}, {"one-pass-serial", 1}} {
				b.Run(fmt.Sprintf("%s/%s/n=%d", many.name, src.name, n), func(b *testing.B) {
					b.ReportAllocs()
					opts := append(slices.Clip(opts), widget.WithParallelism(many.par))
					b.ResetTimer()
					for range b.N {
						_, errs := widget.PreviewMany(context.Background(), specs, src.src, opts...)
						for _, err := range errs {
							if err != nil {
								b.Fatal(err)
							}
						}
					}
				})
			}
			// Each widget alone, on one core: what the dashboard adds up.
			for i, s := range specs {
				b.Run(fmt.Sprintf("widget-%d/%s/n=%d", i+1, src.name, n), func(b *testing.B) {
					b.ReportAllocs()
					opts := append(slices.Clip(opts), widget.WithParallelism(1))
					b.ResetTimer()
					for range b.N {
						if _, err := widget.Preview(context.Background(), s, src.src, opts...); err != nil {
							b.Fatal(err)
						}
					}
				})
			}
			b.Run(fmt.Sprintf("8-passes/%s/n=%d", src.name, n), func(b *testing.B) {
				b.ReportAllocs()
				b.ResetTimer()
				for range b.N {
					for _, s := range specs {
						if _, err := widget.Preview(context.Background(), s, src.src, opts...); err != nil {
							b.Fatal(err)
						}
					}
				}
			})
		}
	}
}

// BenchmarkStream reads calls made on the fly, never held in a slice: the
// bytes per operation stay flat as n grows (peak memory independent of
// the number of calls).
func BenchmarkStream(b *testing.B) {
	proto := benchCalls(10_000)
	spec, err := widget.Decode([]byte(benchWidgets[0].widget))
	if err != nil {
		b.Fatal(err)
	}
	opts := []widget.Option{widget.WithNow(benchNow), widget.WithTimePolicy(filter.TimePolicy{})}
	for _, n := range []int{10_000, 100_000, 1_000_000} {
		seq := func(yield func(calldash.Call) bool) {
			for i := range n {
				c := proto[i%len(proto)]
				c.ID = int64(i + 1)
				if !yield(c) {
					return
				}
			}
		}
		b.Run(fmt.Sprintf("W1/n=%d", n), func(b *testing.B) {
			b.ReportAllocs()
			b.ResetTimer()
			for range b.N {
				if _, err := widget.Preview(context.Background(), spec, widget.Stream(seq), opts...); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds()/1e6, "Mcalls/s")
		})
	}
}

var benchRowTables = struct {
	sync.Mutex
	tables map[int]*widget.Table
}{tables: map[int]*widget.Table{}}

// benchRowTable returns a Table of benchCalls(n) without records (as
// DecodeTable builds it), built once per size.
func benchRowTable(n int) *widget.Table {
	calls := benchCalls(n)
	benchRowTables.Lock()
	defer benchRowTables.Unlock()
	if t, ok := benchRowTables.tables[n]; ok {
		return t
	}
	t := widget.ReadTable(slices.Values(calls))
	benchRowTables.tables[n] = t
	return t
}

// benchJSONL returns the JSON Lines of $CALLDASH_BENCH_CALLS (a gensample
// file, for the figures of BENCHMARKS.md), or of benchCalls(n).
func benchJSONL(b *testing.B, n int) []byte {
	if name := os.Getenv("CALLDASH_BENCH_CALLS"); name != "" {
		data, err := os.ReadFile(name)
		if err != nil {
			b.Fatal(err)
		}
		return data
	}
	var buf bytes.Buffer
	if err := calldash.WriteCalls(&buf, slices.Values(benchCalls(n))); err != nil {
		b.Fatal(err)
	}
	return buf.Bytes()
}

// heapBytes returns the bytes of live heap after a collection.
func heapBytes() uint64 {
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return ms.HeapAlloc
}

// BenchmarkDecodeTable reads JSON Lines into a Table without records
// ("DecodeTable"), and into a slice then a Table ("DecodeCalls+NewTable",
// what a program did before). B/call is the live heap of the result per
// call.
func BenchmarkDecodeTable(b *testing.B) {
	data := benchJSONL(b, 100_000)
	calls := bytes.Count(data, []byte("\n"))
	run := func(b *testing.B, read func() (any, error)) {
		b.SetBytes(int64(len(data)))
		b.ReportAllocs()
		var kept any
		for range b.N {
			kept = nil
			before := heapBytes()
			b.StartTimer()
			v, err := read()
			b.StopTimer()
			if err != nil {
				b.Fatal(err)
			}
			kept = v
			b.ReportMetric(float64(heapBytes()-before)/float64(calls), "B/call")
		}
		runtime.KeepAlive(kept)
		b.ReportMetric(float64(calls)*float64(b.N)/b.Elapsed().Seconds()/1e6, "Mcalls/s")
	}
	b.Run("DecodeTable", func(b *testing.B) {
		b.StopTimer()
		run(b, func() (any, error) { return widget.DecodeTable(bytes.NewReader(data)) })
	})
	b.Run("DecodeCalls+NewTable", func(b *testing.B) {
		b.StopTimer()
		run(b, func() (any, error) {
			calls, err := calldash.DecodeCalls(bytes.NewReader(data))
			return widget.NewTable(calls), err
		})
	})
}

// BenchmarkTableBytes reports the heap bytes per call of a Table's
// columns ("NewTable", the records not counted) and of a Table without
// records ("ReadTable"), right after the build ("B/call-built") and once
// every benchmark widget was answered ("B/call-answered": summaries and
// scaled copies are built on first use).
func BenchmarkTableBytes(b *testing.B) {
	n := 1_000_000
	calls := benchCalls(n)
	var specs []*widget.Spec
	for _, w := range benchWidgets {
		specs = append(specs, must(widget.Decode([]byte(w.widget))))
	}
	for _, w := range dashboardWidgets {
		specs = append(specs, must(widget.Decode([]byte(w))))
	}
	opts := []widget.Option{widget.WithNow(benchNow), widget.WithTimePolicy(filter.TimePolicy{}), widget.WithTopGroups(3)}
	for _, build := range []struct {
		name  string
		build func() *widget.Table
	}{
		{"NewTable", func() *widget.Table { return widget.NewTable(calls) }},
		{"ReadTable", func() *widget.Table { return widget.ReadTable(slices.Values(calls)) }},
	} {
		b.Run(build.name, func(b *testing.B) {
			for range b.N {
				before := heapBytes()
				t := build.build()
				built := heapBytes()
				for _, s := range specs {
					if _, err := widget.Preview(context.Background(), s, t, opts...); err != nil {
						b.Fatal(err)
					}
				}
				answered := heapBytes()
				if b.N == 1 {
					for _, p := range widget.TableFootprint(t) {
						b.Logf("%-45s %6.2f B/call", p.Name, float64(p.Bytes)/float64(n))
					}
				}
				runtime.KeepAlive(t)
				b.ReportMetric(float64(built-before)/float64(n), "B/call-built")
				b.ReportMetric(float64(answered-before)/float64(n), "B/call-answered")
			}
		})
	}
}

func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}

// BenchmarkLiveAppend appends 100k calls to a LiveTable in batches
// ("batch=N"), and with a snapshot (what a preview takes) after each
// batch ("+snapshot"); and drops the older half of 1M calls.
func BenchmarkLiveAppend(b *testing.B) {
	calls := benchCalls(100_000)
	for _, batch := range []int{1000, 10_000} {
		for _, snap := range []bool{false, true} {
			name := fmt.Sprintf("batch=%d", batch)
			if snap {
				name += "+snapshot"
			}
			b.Run(name, func(b *testing.B) {
				for range b.N {
					live := widget.NewLiveTable()
					for lo := 0; lo < len(calls); lo += batch {
						live.Append(calls[lo:min(lo+batch, len(calls))]...)
						if snap {
							live.Table()
						}
					}
				}
				b.ReportMetric(float64(len(calls))*float64(b.N)/b.Elapsed().Seconds()/1e6, "Mcalls/s")
			})
		}
	}
	b.Run("drop-half/n=1000000", func(b *testing.B) {
		all := benchCalls(1_000_000)
		for range b.N {
			b.StopTimer()
			live := widget.NewLiveTable()
			live.Append(all...)
			b.StartTimer()
			live.Drop(benchNow.AddDate(0, 0, -15))
		}
	})
}

// BenchmarkHugeNumbers answers a widget whose filter makes 997
// comparisons with a number beyond every column's range (1e999) and, for
// scale, the same widget with an ordinary number, over 20,000 calls.
func BenchmarkHugeNumbers(b *testing.B) {
	calls := benchCalls(20_000)
	table := benchTable(20_000)
	for _, field := range []string{"duration", "metadata.priority", "metric_evaluations.value"} {
		for _, num := range []string{"1e6", "1e999", "1234567890123456789012e977", "-1234567890123456789012e977", "1234567890123456789012e-999"} {
			w := widgettest.HugeNumberWidget(field, num)
			spec, err := widget.Decode([]byte(w))
			if err != nil {
				b.Fatal(err)
			}
			opts := []widget.Option{widget.WithNow(benchNow), widget.WithTimePolicy(filter.TimePolicy{}), widget.WithParallelism(1)}
			for _, src := range []struct {
				name string
				src  widget.Source
			}{{"calls", widget.Calls(calls)}, {"table", table}} {
				b.Run(fmt.Sprintf("%s/%s/%s", field, num, src.name), func(b *testing.B) {
					for range b.N {
						if _, err := widget.Preview(context.Background(), spec, src.src, opts...); err != nil {
							b.Fatal(err)
						}
					}
				})
			}
		}
	}
}
