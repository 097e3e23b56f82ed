package widgettest

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/calldash/calldash"
	"github.com/calldash/calldash/filter"
	"github.com/calldash/calldash/widget"
)

// kinds names the sentinel errors that testdata/hostile/expect.txt uses.
var kinds = map[string]error{
	"ErrSyntax": calldash.ErrSyntax, "ErrShape": calldash.ErrShape, "ErrUnknownField": calldash.ErrUnknownField,
	"ErrUnknownOperator": calldash.ErrUnknownOperator, "ErrOperatorNotAllowed": calldash.ErrOperatorNotAllowed,
	"ErrValueType": calldash.ErrValueType, "ErrInvalidRegex": calldash.ErrInvalidRegex, "ErrInvalidTime": calldash.ErrInvalidTime,
	"ErrSameRow": calldash.ErrSameRow, "ErrMetadataKey": calldash.ErrMetadataKey, "ErrLimit": calldash.ErrLimit,
	"ErrTimeRange": calldash.ErrTimeRange, "ErrUnknownKey": calldash.ErrUnknownKey, "ErrRequired": calldash.ErrRequired,
	"ErrType": calldash.ErrType, "ErrChoice": calldash.ErrChoice, "ErrTooLong": calldash.ErrTooLong, "ErrField": calldash.ErrField,
	"ErrCombination": calldash.ErrCombination, "ErrMetric": calldash.ErrMetric, "ErrTooManyBuckets": calldash.ErrTooManyBuckets,
}

// A HostileCase is one input of the hostile corpus and its expected
// outcome.
type HostileCase struct {
	Name  string
	Input []byte
	Want  string    // "ok" or "error <kind> <path>"
	Now   time.Time // the evaluation's clock (default 2025-11-28T18:00:00Z)
	Zone  string    // the evaluation's time zone (default UTC)
	// NoTimePolicy answers without the default time policy (option
	// policy=off), for data of other centuries.
	NoTimePolicy bool
}

// hostileNow is the clock of the cases that do not set one.
var hostileNow = time.Date(2025, 11, 28, 18, 0, 0, 0, time.UTC)

// setOption sets one option of an expect.txt line: now=RFC3339, tz=Zone
// or policy=off.
func (c *HostileCase) setOption(opt string) error {
	k, v, _ := strings.Cut(opt, "=")
	switch {
	case k == "now":
		now, err := time.Parse(time.RFC3339, v)
		c.Now = now
		return err
	case k == "tz":
		c.Zone = v
	case k == "policy" && v == "off":
		c.NoTimePolicy = true
	default:
		return fmt.Errorf("unknown option %q (want now=, tz= or policy=off)", opt)
	}
	return nil
}

// Options returns the widget options of the case: its clock and zone.
func (c HostileCase) Options(t testing.TB) []widget.Option {
	opts := []widget.Option{widget.WithNow(c.Now)}
	if c.NoTimePolicy {
		opts = append(opts, widget.WithTimePolicy(filter.TimePolicy{}))
	}
	if c.Zone != "" {
		loc, err := time.LoadLocation(c.Zone)
		if err != nil {
			t.Fatalf("%s: %v", c.Name, err)
		}
		opts = append(opts, widget.WithLocation(loc))
	}
	return opts
}

// HostileCases reads testdata/hostile and adds the cases too big to keep
// as files: 100,000 levels of nesting, 100,000 conditions and a
// 100,000-element "in" list. A line of expect.txt is the case's name, its
// outcome and optionally its clock, zone and policy=off, tab-separated:
//
//	name	error ErrInvalidTime $.filters.value	now=2025-11-10T15:30:00Z tz=America/New_York
func HostileCases(t *testing.T, dir string) []HostileCase {
	f, err := os.Open(filepath.Join(dir, "expect.txt"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var cases []HostileCase
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		fields := strings.Split(line, "\t")
		if len(fields) < 2 || len(fields) > 3 {
			t.Fatalf("expect.txt: bad line %q", line)
		}
		c := HostileCase{Name: fields[0], Want: fields[1], Now: hostileNow}
		if len(fields) == 3 {
			for _, opt := range strings.Fields(fields[2]) {
				if err := c.setOption(opt); err != nil {
					t.Fatalf("expect.txt: %s: %v", c.Name, err)
				}
			}
		}
		if c.Input, err = os.ReadFile(filepath.Join(dir, c.Name+".json")); err != nil {
			t.Fatal(err)
		}
		cases = append(cases, c)
	}
	const n = 100_000
	ts := `{"field":"timestamp","op":"gte","value":"today-7d"}`
	deep := `{"chart_type":"pie","field":"topic","filters":` + strings.Repeat(`{"operator":"and","conditions":[`, n) + ts + strings.Repeat(`]}`, n) + `}`
	many := `{"chart_type":"pie","field":"topic","filters":{"operator":"or","conditions":[` + ts + strings.Repeat(`,`+ts, n-1) + `]}}`
	list := `{"chart_type":"pie","field":"topic","filters":{"operator":"and","conditions":[` + ts + `,{"field":"duration","op":"in","value":[0` + strings.Repeat(`,1`, n-1) + `]}]}}`
	huge := make([]string, 200)
	for i := range huge {
		f := []string{"duration", "metadata.priority", "metric_evaluations.value", "metadata.tally"}[i%4]
		op := []string{"gt", "lt", "eq", "neq", "gte", "lte", "in"}[i%7]
		num := []string{"1234567890123456789012e977", "-1234567890123456789012e977", "1234567890123456789012e-999", "1e999"}[i%4]
		if op == "in" {
			num = "[" + num + ", 1]"
		}
		huge[i] = fmt.Sprintf(`{"field":%q,"op":%q,"value":%s}`, f, op, num)
	}
	hugeOr := `{"chart_type":"pie","field":"topic","filters":{"operator":"and","conditions":[` + ts + `,{"operator":"or","conditions":[` + strings.Join(huge, ",") + `]}]}}`
	cases = append(cases,
		HostileCase{Name: "gen_huge_numbers_200", Input: []byte(hugeOr), Want: "ok", Now: hostileNow},
		HostileCase{Name: "gen_nesting_100000", Input: []byte(deep), Want: "error ErrLimit $.filters" + strings.Repeat(".conditions[0]", 35) + ".conditions", Now: hostileNow},
		HostileCase{Name: "gen_conditions_100000", Input: []byte(many), Want: "error ErrLimit $.filters.conditions", Now: hostileNow},
		HostileCase{Name: "gen_in_list_100000", Input: []byte(list), Want: "error ErrLimit $.filters.conditions[1].value", Now: hostileNow},
	)
	if len(cases) < 60 {
		t.Fatalf("the hostile corpus has %d cases; keep at least 60", len(cases))
	}
	return cases
}

// HostileOutcome answers a case in memory: "ok" or "error <kind> <path>".
func HostileOutcome(t *testing.T, c HostileCase, src widget.Source) (string, []byte) {
	opts := c.Options(t)
	spec, err := widget.Decode(c.Input)
	var resp *widget.Response
	if err == nil {
		resp, err = widget.Preview(context.Background(), spec, src, opts...)
	}
	if err == nil {
		return "ok", resp.AppendJSON(nil)
	}
	var first *calldash.Error
	if !errors.As(err, &first) {
		t.Fatalf("%s: error without a path: %v", c.Name, err)
	}
	for name, kind := range kinds {
		if errors.Is(first, kind) {
			return "error " + name + " " + first.Path, widget.ErrorBody(err)
		}
	}
	return "error ? " + first.Path, widget.ErrorBody(err)
}

// HugeNumberWidget is a pie whose filter makes 997 comparisons with the
// number num on field: an or of 498 gt and 498 eq conditions and an in
// list of one element (the benchmarks of numbers of thousand-digit
// magnitude).
func HugeNumberWidget(field, num string) string {
	conds := make([]string, 0, 997)
	for i := range 996 {
		op := []string{"gt", "eq"}[i%2]
		conds = append(conds, fmt.Sprintf(`{"field":%q,"op":%q,"value":%s}`, field, op, num))
	}
	conds = append(conds, fmt.Sprintf(`{"field":%q,"op":"in","value":[%s]}`, field, num))
	return `{"chart_type":"pie","field":"topic","filters":{"operator":"or","conditions":[` + strings.Join(conds, ",") + `]}}`
}

// A HostileDataCase is a case of the hostile data corpus
// (testdata/hostile/data): calls that stress a database's storage or
// functions, a widget over them, and the outcome. A database may refuse
// the case by name — the load (an sqlstore.ErrRefused) or the widget (an
// ErrDialect answer) — only when it is listed in Refused.
type HostileDataCase struct {
	HostileCase
	Data    string          // the file of the calls
	Calls   []calldash.Call // nil when the file does not decode
	DataErr error           // DecodeCalls' error
	Refused map[string]bool // the dialects (Dialect.Name) that may refuse
}

// HostileDataCases reads testdata/hostile/data/expect.txt. A line is the
// case's name, its calls file (in dir, without ".jsonl"), its widget
// (JSON on one line), its outcome — "ok", "error <kind> <path>", or
// "bad-data" for calls that DecodeCalls must refuse with their line —
// and optionally now=, tz=, policy=off and refused=d1,d2, tab-separated.
func HostileDataCases(t *testing.T, dir string) []HostileDataCase {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(dir, "expect.txt"))
	if err != nil {
		t.Fatal(err)
	}
	var cases []HostileDataCase
	for _, line := range strings.Split(string(data), "\n") {
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		fields := strings.Split(line, "\t")
		if len(fields) < 4 || len(fields) > 5 {
			t.Fatalf("data/expect.txt: bad line %q", line)
		}
		c := HostileDataCase{HostileCase: HostileCase{Name: fields[0], Input: []byte(fields[2]), Want: fields[3], Now: hostileNow},
			Data: fields[1], Refused: map[string]bool{}}
		if len(fields) == 5 {
			for _, opt := range strings.Fields(fields[4]) {
				if refused, ok := strings.CutPrefix(opt, "refused="); ok {
					for _, d := range strings.Split(refused, ",") {
						c.Refused[d] = true
					}
				} else if err := c.setOption(opt); err != nil {
					t.Fatalf("data/expect.txt: %s: %v", c.Name, err)
				}
			}
		}
		f, err := os.Open(filepath.Join(dir, c.Data+".jsonl"))
		if err != nil {
			t.Fatal(err)
		}
		c.Calls, c.DataErr = calldash.DecodeCalls(f)
		f.Close()
		cases = append(cases, c)
	}
	if len(cases) == 0 {
		t.Fatal("data/expect.txt: no cases")
	}
	return cases
}
