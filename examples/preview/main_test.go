package main

import (
	"bytes"
	"context"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

var update = flag.Bool("update", false, "rewrite golden files")

// TestRun runs the command as a user would and compares stdout, stderr
// and the exit status with testdata/NAME.golden.
func TestRun(t *testing.T) {
	tests := []struct {
		name string
		args []string
	}{
		{"default", []string{"-now", "2025-11-28T18:00:00Z"}},
		{"default_new_york", []string{"-now", "2025-11-28T18:00:00Z", "-tz", "America/New_York", "-week-start", "sunday"}},
		{"widget_file", []string{"-widget", "testdata/week.json", "-calls", "../../testdata/calls/sample.jsonl", "-now", "2025-11-28T18:00:00Z", "-tz", "America/New_York", "-week-start", "sunday"}},
		{"dashboard_filters", []string{"-widget", "testdata/week.json", "-calls", "../../testdata/calls/sample.jsonl", "-now", "2025-11-28T18:00:00Z", "-dashboard-filters", "testdata/dashboard.json"}},
		{"invalid_widget", []string{"-widget", "testdata/invalid.json", "-calls", "../../testdata/calls/sample.jsonl", "-now", "2025-11-28T18:00:00Z"}},
		{"bad_zone", []string{"-tz", "Mars/Olympus_Mons"}},
		{"bad_week_start", []string{"-week-start", "someday"}},
		{"bad_now", []string{"-now", "yesterday"}},
		{"missing_calls_file", []string{"-calls", "testdata/no-such-file.jsonl"}},
		{"sql_source_not_yet", []string{"-source", "postgres"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			code := run(context.Background(), tt.args, &stdout, &stderr)
			got := "exit " + string(rune('0'+code)) + "\n--- stdout\n" + stdout.String() + "--- stderr\n" + stderr.String()
			golden := filepath.Join("testdata", tt.name+".golden")
			if *update {
				if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run go test ./examples/preview -update)", err)
			}
			if diff := cmp.Diff(string(want), got); diff != "" {
				t.Errorf("%s (-want +got):\n%s", tt.name, diff)
			}
		})
	}
}

// TestDefaultNotEmpty checks that the sample dashboard has data whatever
// the date: the sample calls are anchored to now.
func TestDefaultNotEmpty(t *testing.T) {
	for _, now := range []string{"2024-02-29T00:00:01Z", "2031-07-04T23:59:59Z"} {
		var stdout, stderr bytes.Buffer
		if code := run(context.Background(), []string{"-now", now}, &stdout, &stderr); code != 0 {
			t.Fatalf("now %s: exit %d: %s", now, code, stderr.String())
		}
		out := stdout.String()
		for _, want := range []string{`"chart_type": "bar"`, `"chart_type": "line"`, `"chart_type": "pie"`, `"chart_type": "stat"`, `"sample_count"`, `"percentage"`} {
			if !strings.Contains(out, want) {
				t.Errorf("now %s: output lacks %s", now, want)
			}
		}
		if strings.Contains(out, `"data": []`) {
			t.Errorf("now %s: a widget has no data:\n%s", now, out)
		}
	}
}
