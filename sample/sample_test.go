package sample

import (
	"bytes"
	"flag"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"
	"github.com/shopspring/decimal"

	"github.com/calldash/calldash"
	"github.com/calldash/calldash/internal/jsonx"
)

var update = flag.Bool("update", false, "rewrite testdata/calls/sample.jsonl")

// callCmp compares calls: decimals numerically, times as instants.
var callCmp = cmp.Options{
	cmp.Comparer(func(a, b decimal.Decimal) bool { return a.Equal(b) }),
	cmp.Comparer(func(a, b time.Time) bool { return a.Equal(b) }),
}

func jsonl(t *testing.T, cfg Config) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := WriteJSONL(&buf, cfg); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestDeterministic(t *testing.T) {
	cfg := DefaultConfig()
	a, b := jsonl(t, cfg), jsonl(t, cfg)
	if !bytes.Equal(a, b) {
		t.Fatal("two runs with the same Config wrote different bytes")
	}
	cfg.Seed++
	if bytes.Equal(a, jsonl(t, cfg)) {
		t.Error("another seed wrote the same bytes")
	}
}

// TestSeq checks that Seq yields Generate's calls, the same on every
// iteration, and stops when asked to.
func TestSeq(t *testing.T) {
	cfg := DefaultConfig()
	want := Generate(cfg)
	seq := Seq(cfg)
	for range 2 {
		got := slices.Collect(seq)
		if len(got) != len(want) {
			t.Fatalf("Seq yielded %d calls, Generate returned %d", len(got), len(want))
		}
		for i := range want {
			a, _ := want[i].MarshalJSON()
			b, _ := got[i].MarshalJSON()
			if !bytes.Equal(a, b) {
				t.Fatalf("call %d: Seq yielded\n%s\nGenerate returned\n%s", i, b, a)
			}
		}
	}
	n := 0
	for range seq {
		if n++; n == 3 {
			break
		}
	}
	if n != 3 {
		t.Errorf("Seq went on after a break: %d calls", n)
	}
	if got := slices.Collect(Seq(Config{N: 0})); got != nil {
		t.Errorf("Seq of no calls yielded %d", len(got))
	}
}

// TestSampleFile checks that the sample file is what the generator writes
// now; -update rewrites it.
func TestSampleFile(t *testing.T) {
	path := filepath.Join("..", filepath.FromSlash(File))
	want := jsonl(t, DefaultConfig())
	if *update {
		if err := os.WriteFile(path, want, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	got, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Equal(got, want) {
		return
	}
	gl, wl := strings.Split(string(got), "\n"), strings.Split(string(want), "\n")
	for i := range max(len(gl), len(wl)) {
		g, w := line(gl, i), line(wl, i)
		if g != w {
			t.Fatalf("%s differs from the generator at line %d (regenerate with go test -update, see the package doc):\n%s",
				File, i+1, cmp.Diff(w, g))
		}
	}
}

func line(lines []string, i int) string {
	if i < len(lines) {
		return lines[i]
	}
	return "<none>"
}

// TestJSONLReadsBack checks that the JSON Lines decode to Generate's calls
// and that calls are ordered by timestamp with ids 1..N.
func TestJSONLReadsBack(t *testing.T) {
	for _, cfg := range []Config{
		DefaultConfig(),
		{Seed: 1, N: 300, Start: time.Date(2024, 2, 28, 12, 0, 0, 0, time.UTC), End: time.Date(2024, 3, 2, 0, 0, 0, 0, time.UTC)},
		{Seed: 2, N: 20, Start: time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC), End: time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)},
	} {
		want := Generate(cfg)
		got, err := calldash.DecodeCalls(bytes.NewReader(jsonl(t, cfg)))
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(want, got, callCmp); diff != "" {
			t.Errorf("seed %d: DecodeCalls(WriteJSONL) differs from Generate (-want +got):\n%s", cfg.Seed, diff)
		}
		if len(want) != cfg.N {
			t.Errorf("seed %d: %d calls, want %d", cfg.Seed, len(want), cfg.N)
		}
		evalIDs := map[int64]bool{}
		for i, c := range want {
			if c.ID != int64(i+1) {
				t.Errorf("seed %d: call #%d has id %d", cfg.Seed, i, c.ID)
			}
			if c.Timestamp.Before(cfg.Start) || c.Timestamp.After(cfg.End) {
				t.Errorf("seed %d: call %d at %v, outside the range", cfg.Seed, c.ID, c.Timestamp)
			}
			if c.Timestamp.Nanosecond()%1000 != 0 {
				t.Errorf("seed %d: call %d at %v: finer than a microsecond", cfg.Seed, c.ID, c.Timestamp)
			}
			if i > 0 && c.Timestamp.Before(want[i-1].Timestamp) {
				t.Errorf("seed %d: call %d is earlier than call %d", cfg.Seed, c.ID, c.ID-1)
			}
			checkEvaluations(t, c, evalIDs)
		}
	}
	if Generate(Config{N: 0}) != nil {
		t.Error("Generate with N = 0 returned calls")
	}
}

// checkEvaluations checks that the evaluations of c carry their metric's
// name and eval type, and that their ids are new.
func checkEvaluations(t *testing.T, c calldash.Call, seen map[int64]bool) {
	t.Helper()
	for _, ev := range c.MetricEvaluations {
		i := slices.IndexFunc(Metrics(), func(m calldash.Metric) bool { return m.ID == ev.MetricID })
		if i < 0 {
			t.Errorf("call %d: evaluation %d of unknown metric %d", c.ID, ev.ID, ev.MetricID)
			continue
		}
		if m := Metrics()[i]; !ev.MetricName.Equal(calldash.String(m.Name)) || ev.EvalType != m.EvalType {
			t.Errorf("call %d: evaluation %d: metric %d is %v %q, want %q %q", c.ID, ev.ID, m.ID, ev.MetricName, ev.EvalType, m.Name, m.EvalType)
		}
		if seen[ev.ID] {
			t.Errorf("call %d: evaluation id %d repeats", c.ID, ev.ID)
		}
		seen[ev.ID] = true
	}
}

// TestSampleContents checks that the sample file has what the tests of the
// other packages rely on.
func TestSampleContents(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("..", filepath.FromSlash(File)))
	if err != nil {
		t.Fatal(err)
	}
	cfg := DefaultConfig()
	count := map[string]int{}
	for _, l := range bytes.SplitAfter(data, []byte("\n")) {
		if len(l) == 0 {
			continue
		}
		v, err := jsonx.Parse(l, 16)
		if err != nil {
			t.Fatal(err)
		}
		for _, key := range []string{"duration", "success", "call_ended_reason", "dropoff_point", "topic",
			"customer_number", "is_reviewed", "agent", "metadata", "metric_evaluations"} {
			switch m := v.Get(key); {
			case m == nil:
				count["absent "+key]++
			case m.Kind == jsonx.Null:
				count["null "+key]++
			}
		}
		if a := v.Get("agent"); a != nil && a.Kind == jsonx.Object {
			if n := a.Get("agent_name"); n.Kind == jsonx.Null {
				count["agent with null name"]++
			}
		}
		if m := v.Get("metadata"); m != nil && m.Kind == jsonx.Object {
			for _, kv := range m.Members {
				count["metadata "+kv.Value.Kind.String()]++
				if kv.Key == "priority" {
					count["priority "+kv.Value.Kind.String()]++
				}
			}
		}
		if !utf8.ValidString(string(l)) {
			t.Errorf("invalid UTF-8: %s", l)
		}
		if bytes.ContainsFunc(l, func(r rune) bool { return r >= utf8.RuneSelf }) {
			count["non-ASCII lines"]++
		}
		if ts := v.Get("timestamp").Text; !strings.HasSuffix(ts, "Z") {
			count["timestamp with offset"]++
		} else if _, frac, ok := strings.Cut(strings.TrimSuffix(ts, "Z"), "."); ok {
			count["timestamp with fraction"]++
			switch {
			case len(frac) > 6:
				t.Errorf("timestamp %s is finer than a microsecond", ts)
			case len(frac) > 3:
				count["timestamp with microseconds"]++
			default:
				count["timestamp with milliseconds"]++
			}
		}
	}
	calls, err := calldash.DecodeCalls(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	for i, c := range calls {
		if i > 0 && c.Timestamp.Equal(calls[i-1].Timestamp) {
			count["timestamp equal to the previous"]++
		}
		if c.Topic.Kind == calldash.KindString && strings.Contains(c.Topic.Str, "%") {
			count["topic with %"]++
		}
		if len(c.MetricEvaluations) == 0 && c.MetricEvaluations != nil {
			count["empty metric_evaluations"]++
		}
		for _, ev := range c.MetricEvaluations {
			count["eval "+ev.EvalType]++
			if ev.Value.IsNull() {
				count["eval null value"]++
			}
		}
	}
	if len(calls) < 500 {
		t.Errorf("%d calls, want at least 500", len(calls))
	}
	if first, last := calls[0].Timestamp, calls[len(calls)-1].Timestamp; first.Sub(cfg.Start) > 24*time.Hour || cfg.End.Sub(last) > 24*time.Hour {
		t.Errorf("calls from %v to %v do not span %v to %v", first, last, cfg.Start, cfg.End)
	}
	for _, k := range []string{
		"absent duration", "null duration", "absent success", "null success", "null call_ended_reason",
		"null dropoff_point", "absent dropoff_point", "null topic", "null customer_number", "null is_reviewed",
		"null agent", "absent agent", "agent with null name", "null metadata", "absent metadata",
		"null metric_evaluations", "absent metric_evaluations", "empty metric_evaluations",
		"metadata string", "metadata number", "metadata boolean", "metadata object", "metadata array",
		"priority number", "priority string", "non-ASCII lines", "timestamp with offset", "timestamp with fraction",
		"timestamp with milliseconds", "timestamp with microseconds",
		"timestamp equal to the previous", "topic with %",
		"eval numeric", "eval continuous_qualitative", "eval binary", "eval enum", "eval null value",
	} {
		if count[k] == 0 {
			t.Errorf("the sample has no %s", k)
		}
	}
	keys := make([]string, 0, len(count))
	for k := range count {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		t.Logf("%-36s %d", k, count[k])
	}
}

func TestRandom(t *testing.T) {
	ny := newYork()
	start := time.Date(2025, 10, 30, 0, 0, 0, 0, ny) // over the end of daylight-saving time
	end := time.Date(2025, 11, 4, 0, 0, 0, 0, ny)
	gen := func(seed uint64) []calldash.Call { return Random(rand.New(rand.NewPCG(seed, 1)), 400, start, end) }
	calls := gen(7)
	if diff := cmp.Diff(calls, gen(7), callCmp); diff != "" {
		t.Fatalf("same seed, different calls (-first +second):\n%s", diff)
	}
	if len(calls) != 400 {
		t.Fatalf("%d calls, want 400", len(calls))
	}
	var buf bytes.Buffer
	if err := calldash.WriteCalls(&buf, slices.Values(calls)); err != nil {
		t.Fatal(err)
	}
	back, err := calldash.DecodeCalls(&buf)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(calls, back, callCmp); diff != "" {
		t.Errorf("round trip (-want +got):\n%s", diff)
	}

	ids := map[int64]bool{}
	evalIDs := map[int64]bool{}
	instants := map[time.Time]int{}
	has := map[string]bool{}
	fallBack := time.Date(2025, 11, 2, 5, 30, 0, 0, time.UTC) // the first 01:30 in New York
	for _, c := range calls {
		if ids[c.ID] {
			t.Errorf("id %d repeats", c.ID)
		}
		ids[c.ID] = true
		if c.Timestamp.Before(start) || c.Timestamp.After(end) {
			t.Errorf("call %d at %v, outside the range", c.ID, c.Timestamp)
		}
		checkEvaluations(t, c, evalIDs)
		instants[c.Timestamp.UTC()]++
		switch ns := c.Timestamp.Nanosecond(); {
		case ns%1000 != 0:
			t.Errorf("call %d at %v: finer than a microsecond", c.ID, c.Timestamp)
		case ns%1_000_000 != 0:
			has["microseconds"] = true
		case ns != 0:
			has["milliseconds"] = true
		}
		u := c.Timestamp.UTC()
		switch {
		case u.Equal(start):
			has["start"] = true
		case u.Equal(end):
			has["end"] = true
		case u.Equal(fallBack), u.Equal(fallBack.Add(time.Hour)):
			has["01:30 on the fall-back night"] = true
		case u.Hour() == 0 && u.Minute() == 0 && u.Second() == 0 && u.Nanosecond() == 0:
			has["UTC midnight"] = true
		case u.Nanosecond() == 999999000:
			has["a microsecond before a boundary"] = true
		}
		if c.ID > 1<<53 {
			has["id beyond 2^53"] = true
		}
		if c.Timestamp.Location() == ny {
			has["New York time"] = true
		}
		if c.Duration.Kind == calldash.KindNumber && c.Duration.Num.Sign() < 0 {
			t.Errorf("call %d has a negative duration", c.ID)
		}
		if c.Topic.Kind == calldash.KindString && len(c.Topic.Str) >= 300 {
			has["long topic"] = true
		}
		if v, ok := c.Metadata["priority"]; ok {
			has["priority "+v.Kind.String()] = true
		}
		for _, v := range c.Metadata {
			if v.Kind == calldash.KindNumber && v.Num.Sign() < 0 {
				has["negative metadata number"] = true
			}
		}
		seen := map[int64]bool{}
		for _, ev := range c.MetricEvaluations {
			if seen[ev.MetricID] {
				has["metric repeated in a call"] = true
			}
			seen[ev.MetricID] = true
		}
	}
	for _, n := range instants {
		if n > 1 {
			has["equal timestamps"] = true
		}
	}
	for _, k := range []string{
		"start", "end", "01:30 on the fall-back night", "UTC midnight", "a microsecond before a boundary",
		"microseconds", "milliseconds", "id beyond 2^53", "New York time", "long topic", "priority number", "priority string",
		"negative metadata number", "metric repeated in a call", "equal timestamps",
	} {
		if !has[k] {
			t.Errorf("Random made no call with %s", k)
		}
	}
	if len(longUnicode) > 300 || !utf8.ValidString(longUnicode) {
		t.Errorf("longUnicode is %d bytes, valid UTF-8 %v", len(longUnicode), utf8.ValidString(longUnicode))
	}
}

func TestRandomRanges(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	at := time.Date(2025, 3, 9, 7, 0, 0, 0, time.UTC)
	for _, c := range Random(r, 50, at, at) {
		if !c.Timestamp.Equal(at) {
			t.Errorf("empty range: call %d at %v", c.ID, c.Timestamp)
		}
	}
	start, end := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	calls := Random(r, 1000, start, end)
	if len(calls) != 1000 {
		t.Fatalf("%d calls, want 1000", len(calls))
	}
	for _, c := range calls {
		if c.Timestamp.Before(start) || c.Timestamp.After(end) {
			t.Errorf("call %d at %v, outside the range", c.ID, c.Timestamp)
		}
	}
	if Random(r, 0, start, end) != nil {
		t.Error("Random with n = 0 returned calls")
	}
}

// TestDecoderReadsRandom: calldash.Decoder reads the JSON Lines of
// Random's calls as DecodeCalls does (decimals with their exponent,
// instants with their offset).
func TestDecoderReadsRandom(t *testing.T) {
	exact := cmp.Options{
		cmp.Comparer(func(a, b decimal.Decimal) bool { return a.Equal(b) && a.Exponent() == b.Exponent() }),
		cmp.Comparer(func(a, b time.Time) bool {
			_, oa := a.Zone()
			_, ob := b.Zone()
			return a.Equal(b) && oa == ob
		}),
	}
	calls := Random(rand.New(rand.NewPCG(1, 2)), 2000, time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(2025, 3, 1, 0, 0, 0, 0, time.UTC))
	var buf bytes.Buffer
	if err := calldash.WriteCalls(&buf, slices.Values(calls)); err != nil {
		t.Fatal(err)
	}
	want, err := calldash.DecodeCalls(bytes.NewReader(buf.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	d := calldash.NewDecoder(&buf)
	var got []calldash.Call
	for {
		var c calldash.Call
		if err := d.Decode(&c); err == io.EOF {
			break
		} else if err != nil {
			t.Fatal(err)
		}
		got = append(got, c)
	}
	if diff := cmp.Diff(want, got, exact); diff != "" {
		t.Errorf("Decoder differs from DecodeCalls (-want +got):\n%s", diff)
	}
}
