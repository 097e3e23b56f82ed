// Command gensample writes sample call logs as JSON Lines.
//
// Without flags it writes the calls of sample.DefaultConfig to standard
// output; from the repository root,
//
//	go run ./examples/gensample -o testdata/calls/sample.jsonl
//
// regenerates the sample file that the tests of package sample check.
package main

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"time"

	"github.com/calldash/calldash/sample"
)

func main() {
	cfg := sample.DefaultConfig()
	out := flag.String("o", "", "output file (default standard output)")
	flag.Uint64Var(&cfg.Seed, "seed", cfg.Seed, "random seed")
	flag.IntVar(&cfg.N, "n", cfg.N, "number of calls")
	start := flag.String("start", cfg.Start.Format(time.RFC3339), "earliest timestamp (RFC 3339)")
	end := flag.String("end", cfg.End.Format(time.RFC3339), "latest timestamp (RFC 3339)")
	flag.Parse()
	if err := run(cfg, *start, *end, *out); err != nil {
		fmt.Fprintln(os.Stderr, "gensample:", err)
		os.Exit(1)
	}
}

func run(cfg sample.Config, start, end, out string) error {
	var err error
	if cfg.Start, err = time.Parse(time.RFC3339Nano, start); err != nil {
		return err
	}
	if cfg.End, err = time.Parse(time.RFC3339Nano, end); err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := sample.WriteJSONL(&buf, cfg); err != nil {
		return err
	}
	if out == "" {
		_, err = os.Stdout.Write(buf.Bytes())
		return err
	}
	return os.WriteFile(out, buf.Bytes(), 0o644)
}
