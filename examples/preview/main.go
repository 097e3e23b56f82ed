// Command preview answers dashboard widgets over call logs: the command-line
// front door of calldash (SPEC §9).
//
//	go run ./examples/preview
//	go run ./examples/preview -widget W.json -calls C.jsonl [-now RFC3339] [-tz Zone]
//	    [-week-start monday] [-dashboard-filters F.json] [-source memory] [-dsn DSN]
//
// With no -widget it answers a small dashboard (a bar, a line, a pie and a
// stat widget) over generated sample calls whose last 45 days end at -now
// (default: the current time), so that the output is never empty. With
// -widget it prints that widget's response. Invalid input prints the errors
// on stderr and exits with status 2.
package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/calldash/calldash/filter"
	"github.com/calldash/calldash/internal/sample"
	"github.com/calldash/calldash/widget"
)

func main() {
	os.Exit(run(context.Background(), os.Args[1:], os.Stdout, os.Stderr))
}

// usageError is bad input: exit status 2.
type usageError struct{ err error }

func (e usageError) Error() string { return e.err.Error() }

func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("preview", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var (
		widgetFile = fs.String("widget", "", "widget JSON `file` (default: a sample dashboard)")
		callsFile  = fs.String("calls", "", "call logs as JSON Lines `file` (default: generated sample calls)")
		nowFlag    = fs.String("now", "", "the current time, RFC 3339 (default: the clock)")
		tz         = fs.String("tz", "UTC", "IANA time `zone` of buckets and dates")
		weekStart  = fs.String("week-start", "monday", "first `day` of week buckets")
		dashFile   = fs.String("dashboard-filters", "", "dashboard filters JSON `file`")
		source     = fs.String("source", "memory", "where the calls are answered: memory, sqlite, postgres, mysql or clickhouse")
		dsn        = fs.String("dsn", "", "database `DSN` of an SQL source")
	)
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "preview: unexpected arguments %q\n", fs.Args())
		return 2
	}
	out, err := preview(ctx, options{
		widget: *widgetFile, calls: *callsFile, now: *nowFlag, tz: *tz,
		weekStart: *weekStart, dashboard: *dashFile, source: *source, dsn: *dsn,
	})
	if err != nil {
		fmt.Fprintln(stderr, err)
		var ue usageError
		if errors.As(err, &ue) {
			return 2
		}
		return 1
	}
	stdout.Write(out)
	return 0
}

type options struct {
	widget, calls, now, tz, weekStart, dashboard, source, dsn string
}

func preview(ctx context.Context, o options) ([]byte, error) {
	bad := func(err error) error { return usageError{err} }
	now := time.Now()
	if o.now != "" {
		t, err := time.Parse(time.RFC3339Nano, o.now)
		if err != nil {
			return nil, bad(fmt.Errorf("-now: want RFC 3339, e.g. 2025-11-28T12:00:00Z: %v", err))
		}
		now = t
	}
	loc, err := time.LoadLocation(o.tz)
	if err != nil {
		return nil, bad(fmt.Errorf("-tz: %v", err))
	}
	day, ok := weekdays[strings.ToLower(o.weekStart)]
	if !ok {
		return nil, bad(fmt.Errorf("-week-start: unknown day %q (want monday … sunday)", o.weekStart))
	}
	if o.source != "memory" {
		return nil, bad(fmt.Errorf("-source %s: not yet supported (only memory)", o.source))
	}
	opts := []widget.Option{widget.WithNow(now), widget.WithLocation(loc), widget.WithWeekStart(day)}
	if o.dashboard != "" {
		data, err := os.ReadFile(o.dashboard)
		if err != nil {
			return nil, bad(err)
		}
		n, err := filter.Validate(data, filter.CallLogs(), filter.AtPath("$"))
		if err != nil {
			return nil, bad(fmt.Errorf("-dashboard-filters %s:\n%v", o.dashboard, err))
		}
		opts = append(opts, widget.WithDashboardFilters(n))
	}

	var calls []filter.Call
	if o.calls != "" {
		f, err := os.Open(o.calls)
		if err != nil {
			return nil, bad(err)
		}
		defer f.Close()
		if calls, err = filter.DecodeCalls(f); err != nil {
			return nil, bad(fmt.Errorf("-calls %s: %v", o.calls, err))
		}
	} else {
		calls = sampleCalls(now)
		opts = append(opts, widget.WithLatencyMetric(sample.LatencyMetricID))
	}

	if o.widget == "" {
		return dashboard(ctx, calls, opts)
	}
	data, err := os.ReadFile(o.widget)
	if err != nil {
		return nil, bad(err)
	}
	resp, err := answer(ctx, data, calls, opts)
	if err != nil {
		return nil, err
	}
	return indent(resp)
}

// answer decodes and previews one widget; invalid input is a usageError.
func answer(ctx context.Context, data []byte, calls []filter.Call, opts []widget.Option) ([]byte, error) {
	spec, err := widget.Decode(data, opts...)
	if err != nil {
		return nil, usageError{err}
	}
	resp, err := widget.Preview(ctx, spec, widget.Calls(calls), opts...)
	if err != nil {
		var list filter.ErrorList
		var one *filter.Error
		if errors.As(err, &list) || errors.As(err, &one) {
			return nil, usageError{err}
		}
		return nil, err
	}
	return resp.AppendJSON(nil), nil
}

// sampleWidgets is the dashboard shown without -widget.
var sampleWidgets = []string{
	`{"name":"Average duration, last 7 days","chart_type":"bar","field":"duration","aggregation_function":"avg","time_period":"day",
	  "filters":{"operator":"and","conditions":[{"field":"timestamp","op":"gte","value":"today-6d"}]}}`,
	`{"name":"Durations, since yesterday","chart_type":"line","field":"duration",
	  "filters":{"operator":"and","conditions":[{"field":"timestamp","op":"gte","value":"today-1d"},{"field":"duration","op":"isnull","value":false}]}}`,
	`{"name":"How calls ended, last 30 days","chart_type":"pie","field":"call_ended_reason",
	  "filters":{"field":"timestamp","op":"gte","value":"today-29d"}}`,
	`{"name":"This week","chart_type":"stat","field":"",
	  "filters":{"field":"timestamp","op":"gte","value":"today-6d"}}`,
}

func dashboard(ctx context.Context, calls []filter.Call, opts []widget.Option) ([]byte, error) {
	var b bytes.Buffer
	b.WriteString("[")
	for i, w := range sampleWidgets {
		resp, err := answer(ctx, []byte(w), calls, opts)
		if err != nil {
			return nil, fmt.Errorf("sample widget %d: %w", i, err)
		}
		if i > 0 {
			b.WriteString(",")
		}
		b.Write(resp)
	}
	b.WriteString("]")
	return indent(b.Bytes())
}

// sampleCalls returns the sample data set moved so that its 45 days end at now.
func sampleCalls(now time.Time) []filter.Call {
	cfg := sample.DefaultConfig()
	cfg.Start, cfg.End = now.Add(-45*24*time.Hour), now
	return sample.Generate(cfg)
}

func indent(data []byte) ([]byte, error) {
	var b bytes.Buffer
	if err := json.Indent(&b, data, "", "  "); err != nil {
		return nil, err
	}
	b.WriteByte('\n')
	return b.Bytes(), nil
}

var weekdays = map[string]time.Weekday{
	"sunday": time.Sunday, "monday": time.Monday, "tuesday": time.Tuesday, "wednesday": time.Wednesday,
	"thursday": time.Thursday, "friday": time.Friday, "saturday": time.Saturday,
}
