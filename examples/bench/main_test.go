package main

import (
	"bytes"
	"context"
	"os"
	"strings"
	"testing"
)

// TestRun runs the comparison over a few thousand calls, in memory and in
// SQLite (and in PostgreSQL and MariaDB when CALLDASH_POSTGRES_DSN and
// CALLDASH_MYSQL_DSN are set): every source must give the same answers.
// The times vary from run to run, so only the shape of the output is
// compared.
func TestRun(t *testing.T) {
	var stdout, stderr bytes.Buffer
	code := run(context.Background(), []string{"-n", "3000", "-runs", "1"}, &stdout, &stderr)
	out := stdout.String()
	if code != 0 {
		t.Fatalf("exit %d\nstdout:\n%s\nstderr:\n%s", code, out, stderr.String())
	}
	for _, want := range []string{
		"calldash bench: 3000 calls (seed 1)",
		"widget.ReadTable: ",
		"widget                  memory                  table                 sqlite",
		"W1 ", "W2 ", "W3 ", "W4 ",
		"answers: identical across every source",
		"W1, generated statement vs hand-written query:",
		"sqlite ",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
}

// TestRunStreamed runs the comparison without the memory source and with
// the calls loaded in several batches: the Table is the reference, and
// every database (each agent and metric written once over the batches)
// must give its answers.
func TestRunStreamed(t *testing.T) {
	var stdout, stderr bytes.Buffer
	code := run(context.Background(), []string{"-n", "2500", "-runs", "1", "-memory-max", "2000", "-load-batch", "700"}, &stdout, &stderr)
	out := stdout.String()
	if code != 0 {
		t.Fatalf("exit %d\nstdout:\n%s\nstderr:\n%s", code, out, stderr.String())
	}
	for _, want := range []string{
		"memory: skipped (more than -memory-max 2000 calls); the table is the reference",
		"the ratio is to the table (no memory source)",
		"answers: identical across every source",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
}

// TestHandClickHouse checks on ClickHouse (CALLDASH_CLICKHOUSE_DSN, and
// the two-shard cluster with CALLDASH_CLICKHOUSE_DSN2) that every
// hand-written query gives the rows of the widget's answer: the run fails
// when one does not.
func TestHandClickHouse(t *testing.T) {
	if os.Getenv("CALLDASH_CLICKHOUSE_DSN") == "" {
		t.Skip("CALLDASH_CLICKHOUSE_DSN is not set")
	}
	var stdout, stderr bytes.Buffer
	code := run(context.Background(), []string{"-n", "4000", "-runs", "1", "-sqlite=false", "-postgres", "", "-mysql", ""}, &stdout, &stderr)
	out := stdout.String()
	if code != 0 {
		t.Fatalf("exit %d\nstdout:\n%s\nstderr:\n%s", code, out, stderr.String())
	}
	if want := "clickhouse, generated statement (through Preview) vs hand-written query (the same rows):"; !strings.Contains(out, want) {
		t.Errorf("output lacks %q:\n%s", want, out)
	}
}

// TestSameRows checks that sameRows finds each kind of difference.
func TestSameRows(t *testing.T) {
	widget := map[string]handRow{"a": {3, "1.5"}, "b": {2, "null"}}
	if err := sameRows(widget, map[string]handRow{"a": {3, "1.50"}, "b": {2, ""}}); err != nil {
		t.Errorf("the same rows: %v", err)
	}
	for _, hand := range []map[string]handRow{
		{"a": {3, "1.5"}},
		{"a": {3, "1.5"}, "b": {2, ""}, "c": {1, "1"}},
		{"a": {4, "1.5"}, "b": {2, ""}},
		{"a": {3, "1.5001"}, "b": {2, ""}},
		{"a": {3, "1.5"}, "b": {2, "0"}},
	} {
		if err := sameRows(widget, hand); err == nil {
			t.Errorf("%v: no difference found from %v", hand, widget)
		}
	}
}

func TestBadFlags(t *testing.T) {
	for _, args := range [][]string{{"-n", "0"}, {"-runs", "-1"}, {"-load-batch", "0"}, {"extra"}, {"-nope"}} {
		var stdout, stderr bytes.Buffer
		if code := run(context.Background(), args, &stdout, &stderr); code != 2 {
			t.Errorf("%q: exit %d, want 2", args, code)
		}
	}
}
