package filter_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/calldash/calldash"
	"github.com/calldash/calldash/filter"
	"github.com/calldash/calldash/internal/golden"
)

var gdUpdate = flag.Bool("update", false, "rewrite the golden files of testdata/filter")

// gdDir holds the golden cases: NAME.json (a filter) and NAME.golden.
const gdDir = "../testdata/filter"

// gdEnv is the evaluation of every golden case: 18:00 UTC on 2025-11-28,
// the last day of testdata/calls/sample.jsonl.
var gdEnv = filter.Env{Now: time.Date(2025, 11, 28, 18, 0, 0, 0, time.UTC), Location: time.UTC}

// gdCalls reads testdata/calls/sample.jsonl.
func gdCalls(t testing.TB) []calldash.Call {
	t.Helper()
	f, err := os.Open("../testdata/calls/sample.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	calls, err := calldash.DecodeCalls(f)
	if err != nil {
		t.Fatal(err)
	}
	return calls
}

// gdInputs returns the paths of every testdata/filter/*.json, sorted.
func gdInputs(t testing.TB) []string {
	t.Helper()
	paths, err := filepath.Glob(filepath.Join(gdDir, "*.json"))
	if err != nil {
		t.Fatal(err)
	}
	if len(paths) == 0 {
		t.Fatalf("no inputs in %s", gdDir)
	}
	sort.Strings(paths)
	return paths
}

// TestGolden runs every testdata/filter/NAME.json and compares the result
// with NAME.golden, which holds the canonical form of the filter and either
// its errors (the text of Validate's error, then the kind of every error)
// or the ids of the sample calls that match it. Run with -update to
// rewrite the goldens; review the diff before committing.
func TestGolden(t *testing.T) {
	calls := gdCalls(t)
	for _, path := range gdInputs(t) {
		name := strings.TrimSuffix(filepath.Base(path), ".json")
		t.Run(name, func(t *testing.T) {
			input, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			got := gdRender(t, input, calls)
			goldenPath := strings.TrimSuffix(path, ".json") + ".golden"
			golden.Check(t, goldenPath, got, *gdUpdate)
		})
	}
}

// gdRender computes the views of one golden case and checks the
// invariants that hold for every input.
func gdRender(t *testing.T, input []byte, calls []calldash.Call) string {
	t.Helper()
	var b strings.Builder
	parsed, perr := filter.Parse(input)
	switch {
	case perr == nil:
		fmt.Fprintf(&b, "# canonical\n%s\n", filter.Format(parsed))
	case parsed != nil:
		fmt.Fprintf(&b, "# canonical (partial: Parse failed)\n%s\n", filter.Format(parsed))
	default:
		b.WriteString("# canonical (none: Parse failed)\n")
	}
	gdRoundTrip(t, parsed, perr == nil)

	n, err := filter.Validate(input, filter.CallLogs())
	if err != nil {
		var list calldash.ErrorList
		if !errors.As(err, &list) {
			t.Fatalf("Validate: %v (%T) is not an ErrorList", err, err)
		}
		if n != nil {
			t.Errorf("Validate returned a node with its errors: %s", n)
		}
		gdCheckPaths(t, input, list)
		gdCheckSorted(t, list)
		if perr == nil {
			if _, cerr := filter.Check(parsed, filter.CallLogs()); cerr == nil {
				t.Errorf("Check accepts a filter that Validate rejects")
			}
			// The canonical form has the same structure, so the same errors.
			_, cerr := filter.Validate([]byte(filter.Format(parsed)), filter.CallLogs())
			if cerr == nil || cerr.Error() != err.Error() {
				t.Errorf("errors of the canonical form differ:\n%v\nwant:\n%v", cerr, err)
			}
		}
		fmt.Fprintf(&b, "# errors: %d\n%s\n# kinds\n", len(list), err)
		for _, e := range list {
			fmt.Fprintf(&b, "%s: %v\n", e.Path, e.Kind)
		}
		return b.String()
	}

	if perr != nil {
		t.Fatalf("Validate accepts what Parse rejects: %v", perr)
	}
	m, err := filter.Compile(n, gdEnv)
	if err != nil {
		t.Fatalf("Compile after Validate: %v", err)
	}
	var ids []int64
	for i := range calls {
		if m.Match(&calls[i]) {
			ids = append(ids, calls[i].ID)
		}
	}
	sort.Slice(ids, func(i, j int) bool { return ids[i] < ids[j] })
	fmt.Fprintf(&b, "# matches: %d of %d\n", len(ids), len(calls))
	for i, id := range ids {
		switch {
		case i%20 != 0:
			b.WriteByte(' ')
		case i > 0:
			b.WriteByte('\n')
		}
		b.WriteString(strconv.FormatInt(id, 10))
	}
	if len(ids) > 0 {
		b.WriteByte('\n')
	}
	return b.String()
}

// gdRoundTrip checks that the canonical form of n parses again into a node
// with the same canonical form (and, for a node that Parse accepted
// whole, the same paths).
func gdRoundTrip(t testing.TB, n filter.Node, whole bool) {
	t.Helper()
	if n == nil {
		return
	}
	text := filter.Format(n)
	again, err := filter.Parse([]byte(text))
	if err != nil {
		t.Fatalf("Parse(Format(n)) of %s: %v", text, err)
	}
	if got := filter.Format(again); got != text {
		t.Fatalf("round trip changed the canonical form:\n%s\nbecame\n%s", text, got)
	}
	if whole {
		if diff := cmp.Diff(gdPaths(n), gdPaths(again)); diff != "" {
			t.Errorf("round trip changed the paths (-before +after):\n%s", diff)
		}
	}
}

// gdPaths lists the paths of every node of n, parents first.
func gdPaths(n filter.Node) []string {
	var paths []string
	filter.Walk(n, func(m filter.Node) bool {
		paths = append(paths, m.Path())
		return true
	})
	return paths
}

// gdCheckPaths checks that every error path names a node or key that exists
// in the input.
func gdCheckPaths(t testing.TB, input []byte, list calldash.ErrorList) {
	t.Helper()
	d := json.NewDecoder(bytes.NewReader(input))
	d.UseNumber()
	var doc any
	if err := d.Decode(&doc); err != nil {
		return // malformed JSON: nothing to resolve against
	}
	for _, e := range list {
		if err := gdResolve(doc, e.Path); err != nil {
			t.Errorf("error %q: path does not resolve: %v", e, err)
		}
	}
}

// gdCheckSorted checks that the list is in the order of calldash.ComparePaths.
func gdCheckSorted(t testing.TB, list calldash.ErrorList) {
	t.Helper()
	for i := 1; i < len(list); i++ {
		if calldash.ComparePaths(list[i-1].Path, list[i].Path) > 0 {
			t.Errorf("errors out of order: %q before %q", list[i-1].Path, list[i].Path)
		}
	}
}

// gdResolve follows a JSON path such as `$.conditions[1].value[2]` or
// `$["odd key"]` in a document decoded by encoding/json; it returns an
// error when a step does not exist.
func gdResolve(doc any, path string) error {
	rest, ok := strings.CutPrefix(path, "$")
	if !ok {
		return fmt.Errorf("path does not start with $")
	}
	cur := doc
	for rest != "" {
		var key string
		index := -1
		switch {
		case rest[0] == '.':
			i := 1
			for i < len(rest) && rest[i] != '.' && rest[i] != '[' {
				i++
			}
			key, rest = rest[1:i], rest[i:]
			if key == "" {
				return fmt.Errorf("empty key at %q", rest)
			}
		case strings.HasPrefix(rest, `["`):
			q, err := strconv.QuotedPrefix(rest[1:])
			if err != nil || !strings.HasPrefix(rest[1+len(q):], "]") {
				return fmt.Errorf("bad quoted key at %q", rest)
			}
			key, _ = strconv.Unquote(q)
			rest = rest[1+len(q)+1:]
		case rest[0] == '[':
			end := strings.IndexByte(rest, ']')
			if end < 0 {
				return fmt.Errorf("unterminated index at %q", rest)
			}
			n, err := strconv.Atoi(rest[1:end])
			if err != nil || n < 0 {
				return fmt.Errorf("bad index at %q", rest)
			}
			index, rest = n, rest[end+1:]
		default:
			return fmt.Errorf("unexpected %q", rest)
		}
		if index >= 0 {
			arr, ok := cur.([]any)
			if !ok || index >= len(arr) {
				return fmt.Errorf("no element [%d]", index)
			}
			cur = arr[index]
			continue
		}
		obj, ok := cur.(map[string]any)
		if !ok {
			return fmt.Errorf("no key %q: not an object", key)
		}
		if cur, ok = obj[key]; !ok {
			return fmt.Errorf("no key %q", key)
		}
	}
	return nil
}

func TestGoldenResolve(t *testing.T) {
	var doc any
	if err := json.Unmarshal([]byte(`{"a":[1,{"b c":{"d":[true]}}],"x.y":null}`), &doc); err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{"$", "$.a", "$.a[1]", `$.a[1]["b c"].d[0]`, `$["x.y"]`} {
		if err := gdResolve(doc, p); err != nil {
			t.Errorf("%s: %v", p, err)
		}
	}
	for _, p := range []string{"$.b", "$.a[2]", `$.a[1]["b"]`, "$.a.b", "$.a[0].c", "a", "$.", `$["x.y`} {
		if err := gdResolve(doc, p); err == nil {
			t.Errorf("%s resolves", p)
		}
	}
}

// TestGoldenLimits covers the filter limits with inputs too large to
// keep as files: each limit at its default value and one past it.
func TestGoldenLimits(t *testing.T) {
	leaf := `{"field":"id","op":"eq","value":1}`
	nest := func(levels int, inner string) string {
		// levels and groups, each holding the next; inner in the deepest.
		return strings.Repeat(`{"operator":"and","conditions":[`, levels) + inner + strings.Repeat(`]}`, levels)
	}
	and := func(n int, member string) string {
		return `{"operator":"and","conditions":[` + strings.TrimSuffix(strings.Repeat(member+",", n), ",") + `]}`
	}
	in := func(n int) string {
		return `{"field":"id","op":"in","value":[` + strings.TrimSuffix(strings.Repeat("1,", n), ",") + `]}`
	}
	str := func(n int) string {
		return `{"field":"topic","op":"eq","value":"` + strings.Repeat("é", n/2) + strings.Repeat("x", n%2) + `"}`
	}
	key := func(n int) string {
		return `{"field":"metadata.` + strings.Repeat("k", n) + `","op":"eq","value":1}`
	}
	deepPath := func(levels int) string {
		return "$" + strings.Repeat(".conditions[0]", levels)
	}
	cases := []struct {
		name  string
		input string
		opts  []filter.Option
		want  []string // the errors' texts; nil: valid
		kind  error
	}{
		{"depth 32 groups", nest(32, ""), nil, nil, nil},
		{"depth 31 groups and a leaf", nest(31, leaf), nil, nil, nil},
		{"depth 33 groups", nest(33, ""), nil,
			[]string{deepPath(32) + ": nesting depth exceeds the limit of 32"}, calldash.ErrLimit},
		{"depth 32 groups and a leaf", nest(32, leaf), nil,
			[]string{deepPath(32) + ": nesting depth exceeds the limit of 32"}, calldash.ErrLimit},
		{"depth far beyond the limit", nest(200, ""), nil,
			[]string{deepPath(33) + ": nesting depth exceeds the limit of 32"}, calldash.ErrLimit},
		{"depth custom", nest(3, leaf), []filter.Option{filter.WithLimits(gdLimits(func(l *filter.Limits) { l.MaxDepth = 3 }))},
			[]string{deepPath(3) + ": nesting depth exceeds the limit of 3"}, calldash.ErrLimit},
		{"nodes 1000", and(999, leaf), nil, nil, nil},
		{"nodes 1001", and(1000, leaf), nil,
			[]string{"$.conditions[999]: filter has more than 1000 conditions and groups (limit MaxNodes)"}, calldash.ErrLimit},
		{"nodes custom", and(5, leaf), []filter.Option{filter.WithLimits(gdLimits(func(l *filter.Limits) { l.MaxNodes = 3 }))},
			[]string{"$.conditions[2]: filter has more than 3 conditions and groups (limit MaxNodes)"}, calldash.ErrLimit},
		{"list 1000", in(1000), nil, nil, nil},
		{"list 1001", in(1001), nil,
			[]string{"$.value: list has 1001 elements; the limit (MaxList) is 1000"}, calldash.ErrLimit},
		{"string 10000 bytes", str(10000), nil, nil, nil},
		{"string 10001 bytes", str(10001), nil,
			[]string{"$.value: string value has 10001 bytes; the limit (MaxString) is 10000"}, calldash.ErrLimit},
		{"string in a list", `{"field":"topic","op":"in","value":["a","` + strings.Repeat("x", 10001) + `"]}`, nil,
			[]string{"$.value[1]: string value has 10001 bytes; the limit (MaxString) is 10000"}, calldash.ErrLimit},
		{"metadata key 255 bytes", key(255), nil, nil, nil},
		{"metadata key 256 bytes", key(256), nil,
			[]string{"$.field: metadata key has 256 bytes; the limit (MaxMetadataKey) is 255"}, calldash.ErrMetadataKey},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			n, err := filter.Validate([]byte(c.input), filter.CallLogs(), c.opts...)
			if c.want == nil {
				if err != nil {
					t.Fatalf("Validate: %v", err)
				}
				gdRoundTrip(t, n.Node(), true)
				return
			}
			var list calldash.ErrorList
			if !errors.As(err, &list) {
				t.Fatalf("Validate: %v (%T) is not an ErrorList", err, err)
			}
			var got []string
			for _, e := range list {
				got = append(got, e.Error())
				if !errors.Is(e, c.kind) {
					t.Errorf("%s: kind %v, want %v", e, e.Kind, c.kind)
				}
			}
			if diff := cmp.Diff(c.want, got); diff != "" {
				t.Errorf("%s (-want +got):\n%s", c.name, diff)
			}
			gdCheckPaths(t, []byte(c.input), list)
		})
	}
}

// gdLimits returns the default limits changed by set.
func gdLimits(set func(*filter.Limits)) filter.Limits {
	l := filter.DefaultLimits()
	set(&l)
	return l
}
