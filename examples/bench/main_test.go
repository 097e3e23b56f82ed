package main

import (
	"bytes"
	"context"
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

func TestBadFlags(t *testing.T) {
	for _, args := range [][]string{{"-n", "0"}, {"-runs", "-1"}, {"-load-batch", "0"}, {"extra"}, {"-nope"}} {
		var stdout, stderr bytes.Buffer
		if code := run(context.Background(), args, &stdout, &stderr); code != 2 {
			t.Errorf("%q: exit %d, want 2", args, code)
		}
	}
}
