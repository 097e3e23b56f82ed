package widget_test

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/calldash/calldash/filter"
	"github.com/calldash/calldash/widget"
)

// kinds names the sentinel errors that testdata/hostile/expect.txt uses.
var kinds = map[string]error{
	"ErrSyntax": filter.ErrSyntax, "ErrShape": filter.ErrShape, "ErrUnknownField": filter.ErrUnknownField,
	"ErrUnknownOperator": filter.ErrUnknownOperator, "ErrOperatorNotAllowed": filter.ErrOperatorNotAllowed,
	"ErrValueType": filter.ErrValueType, "ErrInvalidRegex": filter.ErrInvalidRegex, "ErrInvalidTime": filter.ErrInvalidTime,
	"ErrSameRow": filter.ErrSameRow, "ErrMetadataKey": filter.ErrMetadataKey, "ErrLimit": filter.ErrLimit,
	"ErrTimeRange": filter.ErrTimeRange, "ErrUnknownKey": widget.ErrUnknownKey, "ErrRequired": widget.ErrRequired,
	"ErrType": widget.ErrType, "ErrChoice": widget.ErrChoice, "ErrTooLong": widget.ErrTooLong, "ErrField": widget.ErrField,
	"ErrCombination": widget.ErrCombination, "ErrMetric": widget.ErrMetric, "ErrTooManyBuckets": widget.ErrTooManyBuckets,
}

type hostileCase struct {
	name  string
	input []byte
	want  string // "ok" or "error <kind> <path>"
}

// hostileCases reads testdata/hostile and adds the cases too big to keep
// as files: 100,000 levels of nesting, 100,000 conditions and a
// 100,000-element "in" list.
func hostileCases(t *testing.T) []hostileCase {
	f, err := os.Open("../testdata/hostile/expect.txt")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var cases []hostileCase
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		name, want, ok := strings.Cut(line, "\t")
		if !ok {
			t.Fatalf("expect.txt: bad line %q", line)
		}
		input, err := os.ReadFile(filepath.Join("../testdata/hostile", name+".json"))
		if err != nil {
			t.Fatal(err)
		}
		cases = append(cases, hostileCase{name, input, want})
	}
	const n = 100_000
	ts := `{"field":"timestamp","op":"gte","value":"today-7d"}`
	deep := `{"chart_type":"pie","field":"topic","filters":` + strings.Repeat(`{"operator":"and","conditions":[`, n) + ts + strings.Repeat(`]}`, n) + `}`
	many := `{"chart_type":"pie","field":"topic","filters":{"operator":"or","conditions":[` + ts + strings.Repeat(`,`+ts, n-1) + `]}}`
	list := `{"chart_type":"pie","field":"topic","filters":{"operator":"and","conditions":[` + ts + `,{"field":"duration","op":"in","value":[0` + strings.Repeat(`,1`, n-1) + `]}]}}`
	cases = append(cases,
		hostileCase{"gen_nesting_100000", []byte(deep), "error ErrLimit $.filters" + strings.Repeat(".conditions[0]", 35) + ".conditions"},
		hostileCase{"gen_conditions_100000", []byte(many), "error ErrLimit $.filters.conditions"},
		hostileCase{"gen_in_list_100000", []byte(list), "error ErrLimit $.filters.conditions[1].value"},
	)
	if len(cases) < 60 {
		t.Fatalf("the hostile corpus has %d cases; keep at least 60", len(cases))
	}
	return cases
}

// hostileOutcome answers a case in memory: "ok" or "error <kind> <path>".
func hostileOutcome(t *testing.T, c hostileCase, src widget.Source) (string, []byte) {
	opts := []widget.Option{widget.WithNow(time.Date(2025, 11, 28, 18, 0, 0, 0, time.UTC))}
	spec, err := widget.Decode(c.input, opts...)
	var resp *widget.Response
	if err == nil {
		resp, err = widget.Preview(context.Background(), spec, src, opts...)
	}
	if err == nil {
		return "ok", resp.AppendJSON(nil)
	}
	var first *filter.Error
	if !errors.As(err, &first) {
		t.Fatalf("%s: error without a path: %v", c.name, err)
	}
	for name, kind := range kinds {
		if errors.Is(first, kind) {
			return "error " + name + " " + first.Path, widget.ErrorBody(err)
		}
	}
	return "error ? " + first.Path, widget.ErrorBody(err)
}

// TestHostile checks every hostile input against its expected outcome: a
// specific error kind at a specific path, or a result.
func TestHostile(t *testing.T) {
	calls := loadSample(t)
	for _, c := range hostileCases(t) {
		t.Run(c.name, func(t *testing.T) {
			got, body := hostileOutcome(t, c, widget.Calls(calls))
			if got != c.want {
				t.Errorf("got  %s\nwant %s\nbody %.300s", got, c.want, body)
			}
			if !bytes.HasPrefix(body, []byte("{")) {
				t.Errorf("body is not a JSON object: %.100s", body)
			}
		})
	}
}
