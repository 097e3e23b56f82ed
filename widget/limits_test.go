package widget_test

import (
	"bytes"
	"encoding/json"
	"strconv"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/calldash/calldash/sqlgen"
	"github.com/calldash/calldash/widget"
)

// foldLetters returns about n bytes of distinct lower-case letters that
// have other case forms (every orbit of simple folding once), repeated.
func foldLetters(n int) string {
	var b strings.Builder
	for b.Len() < n {
		for r := rune('a'); r < 0x1F000 && b.Len() < n; r++ {
			if unicode.IsLower(r) && unicode.SimpleFold(r) != r && b.Len()+utf8.RuneLen(r) <= n {
				b.WriteRune(r)
			}
		}
	}
	return b.String()
}

// A limitWidget is a widget at the documented limits.
type limitWidget struct {
	name   string
	widget string
}

// limitWidgets are widgets within the default limits of about a megabyte,
// the size a service accepts: the heaviest inputs for the SQL compiler.
func limitWidgets() []limitWidget {
	ts := `{"field":"timestamp","op":"gte","value":"now-7d"}`
	cond := func(field, op string, v any) string {
		b, _ := json.Marshal(map[string]any{"field": field, "op": op, "value": v})
		return string(b)
	}
	and := func(conds []string) string {
		return `{"chart_type":"bar","field":"duration","group_by":{"type":"field","field":"metadata.region"},"filters":{"operator":"and","conditions":[` +
			ts + `,{"operator":"or","conditions":[` + strings.Join(conds, ",") + `]}]}}`
	}
	letters := foldLetters(10_000)
	var contains, meta, short []string
	for i := range 100 {
		contains = append(contains, cond("topic", "contains", string([]rune(letters)[i:])))
		meta = append(meta, cond("metadata.region", "endswith", strings.ToUpper(string([]rune(letters)[:3000]))))
	}
	for i := range 997 {
		short = append(short, cond("topic", "contains", "billing"+strconv.Itoa(i)))
	}
	var strs, nums []any
	for i := range 1000 {
		strs = append(strs, string([]rune(letters)[:500])+strconv.Itoa(i))
		nums = append(nums, json.Number(strconv.Itoa(i)+".5"))
	}
	numList, _ := json.Marshal(nums)
	return []limitWidget{
		{"contains-100x10KB", and(contains)},
		{"metadata-endswith-100x10KB", and(meta)},
		{"contains-997-short", and(short)},
		{"in-1000x1KB", and([]string{cond("topic", "in", strs), cond("metadata.region", "in", strs)})},
		{"in-1000-numbers", and([]string{strings.Replace(cond("metadata.n", "in", nil), "null", string(numList), 1), cond("duration", "in", json.RawMessage(numList))})},
	}
}

// BenchmarkCompileLimits measures compiling the widgets at the limits,
// from the JSON to the statement (target: 50 ms and 50 MB each).
func BenchmarkCompileLimits(b *testing.B) {
	for _, w := range limitWidgets() {
		for _, d := range sqlDialects {
			b.Run(w.name+"/"+d.Name(), func(b *testing.B) {
				b.ReportAllocs()
				b.SetBytes(int64(len(w.widget)))
				for range b.N {
					spec, err := widget.Decode([]byte(w.widget))
					if err != nil {
						b.Fatal(err)
					}
					if _, _, err := widget.Statement(spec, d, sqlgen.DefaultLayout(""), widget.WithNow(benchNow)); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}

// TestStatementSize: the statement of a widget at the limits — its text
// and the bytes of its arguments — grows at most linearly with the input
// (a case-insensitive match of a long value must not become a statement
// the database cannot parse).
func TestStatementSize(t *testing.T) {
	for _, w := range limitWidgets() {
		for _, d := range sqlDialects {
			spec, err := widget.Decode([]byte(w.widget))
			if err != nil {
				t.Fatal(err)
			}
			text, args, err := widget.Statement(spec, d, sqlgen.DefaultLayout(""), widget.WithNow(benchNow))
			if err != nil {
				t.Fatalf("%s on %s: %v", w.name, d.Name(), err)
			}
			if n, max := statementSize(text, args), StatementBound([]byte(w.widget)); n > max {
				t.Errorf("%s on %s: a statement of %d bytes for %d bytes of input; the bound is %d", w.name, d.Name(), n, len(w.widget), max)
			}
		}
	}
}

// StatementBound is the size bound of a statement for the widget input:
// the fixed text of a widget, 12 bytes per byte of input (the orbit
// classes of a case-insensitive regular expression: "k" is
// "[Kk\x{212a}]"), and 1 KiB per value of the input (a comparison with
// a metadata value, guarded by its JSON type).
func StatementBound(input []byte) int {
	values := bytes.Count(input, []byte(",")) + 1
	return 64<<10 + 12*len(input) + 1<<10*values
}

// statementSize is the length of text and of the arguments' text.
func statementSize(text string, args []any) int {
	n := len(text)
	for _, a := range args {
		switch a := a.(type) {
		case string:
			n += len(a)
		case []byte:
			n += len(a)
		default:
			n += 24
		}
	}
	return n
}
