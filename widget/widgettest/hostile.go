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

type HostileCase struct {
	Name  string
	Input []byte
	Want  string // "ok" or "error <kind> <path>"
}

// HostileCases reads testdata/hostile and adds the cases too big to keep
// as files: 100,000 levels of nesting, 100,000 conditions and a
// 100,000-element "in" list.
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
		name, want, ok := strings.Cut(line, "\t")
		if !ok {
			t.Fatalf("expect.txt: bad line %q", line)
		}
		input, err := os.ReadFile(filepath.Join(dir, name+".json"))
		if err != nil {
			t.Fatal(err)
		}
		cases = append(cases, HostileCase{name, input, want})
	}
	const n = 100_000
	ts := `{"field":"timestamp","op":"gte","value":"today-7d"}`
	deep := `{"chart_type":"pie","field":"topic","filters":` + strings.Repeat(`{"operator":"and","conditions":[`, n) + ts + strings.Repeat(`]}`, n) + `}`
	many := `{"chart_type":"pie","field":"topic","filters":{"operator":"or","conditions":[` + ts + strings.Repeat(`,`+ts, n-1) + `]}}`
	list := `{"chart_type":"pie","field":"topic","filters":{"operator":"and","conditions":[` + ts + `,{"field":"duration","op":"in","value":[0` + strings.Repeat(`,1`, n-1) + `]}]}}`
	cases = append(cases,
		HostileCase{"gen_nesting_100000", []byte(deep), "error ErrLimit $.filters" + strings.Repeat(".conditions[0]", 35) + ".conditions"},
		HostileCase{"gen_conditions_100000", []byte(many), "error ErrLimit $.filters.conditions"},
		HostileCase{"gen_in_list_100000", []byte(list), "error ErrLimit $.filters.conditions[1].value"},
	)
	if len(cases) < 60 {
		t.Fatalf("the hostile corpus has %d cases; keep at least 60", len(cases))
	}
	return cases
}

// HostileOutcome answers a case in memory: "ok" or "error <kind> <path>".
func HostileOutcome(t *testing.T, c HostileCase, src widget.Source) (string, []byte) {
	opts := []widget.Option{widget.WithNow(time.Date(2025, 11, 28, 18, 0, 0, 0, time.UTC))}
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
