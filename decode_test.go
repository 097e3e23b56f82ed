package calldash_test

import (
	"bytes"
	"errors"
	"io"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/shopspring/decimal"

	"github.com/calldash/calldash"
	"github.com/calldash/calldash/internal/jsonx"
)

// exactCmp compares calls exactly: decimals by value and exponent,
// instants with their offsets.
var exactCmp = cmp.Options{
	cmp.Comparer(func(a, b decimal.Decimal) bool { return a.Equal(b) && a.Exponent() == b.Exponent() }),
	cmp.Comparer(func(a, b time.Time) bool {
		_, oa := a.Zone()
		_, ob := b.Zone()
		return a.Equal(b) && oa == ob
	}),
}

// decodeAll reads data with a Decoder.
func decodeAll(data []byte) ([]calldash.Call, error) {
	d := calldash.NewDecoder(bytes.NewReader(data))
	var calls []calldash.Call
	for {
		var c calldash.Call
		err := d.Decode(&c)
		if err == io.EOF {
			return calls, nil
		}
		if err != nil {
			return calls, err
		}
		calls = append(calls, c)
	}
}

// decoderInputs are JSON Lines inputs that both readers take (package
// sample checks its random calls too).
func decoderInputs(t *testing.T) map[string][]byte {
	t.Helper()
	file, err := os.ReadFile("testdata/calls/sample.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	return map[string][]byte{
		"sample file": file,
		"edges": []byte(strings.Join([]string{
			`{"\u0069d": 1, "timestamp": "2025-11-03T10:30:00+02:00", "x": {"a": [1, {"b": null}], "c": "\ud83d\ude00"}}`,
			` {"timestamp":"2025-11-03T10:30:00.123456789Z","id":-2,"agent":"x","metadata":[1],"metric_evaluations":{}}` + "\r",
			``,
			`{"id":3,"timestamp":"2025-02-28T23:59:59.5Z"}`,
			`{"id":4,"timestamp":"0001-01-01T00:00:00Z","duration":5e2,"topic":"caf\u00e9 \"q\" \\ \/ \b\f\n\r\t"}`,
			`{"id":5,"timestamp":"2024-02-29T00:00:00-00:30","duration":-0.0,"success":null,"agent":{"id":7.50,"agent_name":null,"z":1}}`,
			`{"id":6,"timestamp":"2025-11-03T10:30:00Z","metadata":{"a":1.230,"b":true,"c":"s","d":null,"e":{},"f":[],"":"empty"}}`,
			`{"id":7,"timestamp":"2025-11-03T10:30:00Z","duration":123456789012345678901234567890.5,"metric_evaluations":[{"value":"positive","metric":{"eval_type":"enum","id":14},"id":1},{"id":2,"metric":{"id":15,"name":"r","eval_type":"binary"}}]}`,
			`{"id":8,"timestamp":"2025-11-03T10:30:00Z","duration":1E-7,"customer_number":"日本語"}`,
			`{"id":9,"timestamp":"2025-11-03T10:30:00Z","metadata":{"k1":1,"k2":2,"k3":3,"k4":4,"k5":5,"k6":6,"k7":7,"k8":8,"k9":9,"k10":10,"k11":11,"k12":12,"k13":13,"k14":14,"k15":15,"k16":16,"k17":17,"k18":18}}`,
		}, "\n")),
	}
}

func TestDecoderMatchesUnmarshal(t *testing.T) {
	for name, data := range decoderInputs(t) {
		want, err := calldash.DecodeCalls(bytes.NewReader(data))
		if err != nil {
			t.Fatalf("%s: DecodeCalls: %v", name, err)
		}
		got, err := decodeAll(data)
		if err != nil {
			t.Fatalf("%s: Decoder: %v", name, err)
		}
		if diff := cmp.Diff(want, got, exactCmp); diff != "" {
			t.Errorf("%s: Decoder differs from DecodeCalls (-want +got):\n%s", name, diff)
		}
	}
}

func TestDecoderErrors(t *testing.T) {
	ok := `{"id":1,"timestamp":"2025-11-03T10:30:00Z"}`
	tests := []struct {
		name, line, want string
		kind             error // when not nil, errors.Is(err, kind)
	}{
		{"not an object", `[1]`, `line 2: $: got array, want a call log object`, nil},
		{"syntax", `{"id":1,"timestamp":"2025-11-03T10:30:00Z",}`, `line 2: $: malformed JSON: expected a string key`, jsonx.ErrSyntax},
		{"trailing", ok + ` 1`, `line 2: $: malformed JSON: unexpected character '1'`, jsonx.ErrSyntax},
		{"no id", `{"timestamp":"2025-11-03T10:30:00Z"}`, `line 2: $.id: missing`, nil},
		{"no timestamp", `{"id":1}`, `line 2: $.timestamp: missing`, nil},
		{"bad timestamp", `{"id":1,"timestamp":"2025-02-30T10:30:00Z"}`, `line 2: $.timestamp: parsing time "2025-02-30T10:30:00Z": day out of range`, nil},
		{"hour", `{"id":1,"timestamp":"2025-02-03T24:30:00Z"}`, `line 2: $.timestamp: parsing time`, nil},
		{"id float", `{"id":1.5,"timestamp":"2025-11-03T10:30:00Z"}`, `line 2: $.id: want an integer, got 1.5`, nil},
		{"id string", `{"id":"1","timestamp":"2025-11-03T10:30:00Z"}`, `line 2: $.id: got string, want an integer`, nil},
		{"duplicate", `{"id":1,"timestamp":"2025-11-03T10:30:00Z","id":2}`, `line 2: $.id: duplicate key "id"`, jsonx.ErrDuplicateKey},
		{"duplicate deep", `{"id":1,"timestamp":"2025-11-03T10:30:00Z","x":[{"a":1,"a":2}]}`, `duplicate key "a"`, jsonx.ErrDuplicateKey},
		{"duplicate unknown", `{"id":1,"timestamp":"2025-11-03T10:30:00Z","x":1,"x":2}`, `line 2: $.x: duplicate key "x"`, jsonx.ErrDuplicateKey},
		{"duplicate escaped", `{"id":1,"timestamp":"2025-11-03T10:30:00Z","\u0069d":2}`, `line 2: $.id: duplicate key "id"`, jsonx.ErrDuplicateKey},
		{"duplicate many", `{"id":1,"timestamp":"2025-11-03T10:30:00Z","metadata":{"k1":1,"k2":2,"k3":3,"k4":4,"k5":5,"k6":6,"k7":7,"k8":8,"k9":9,"k10":10,"k11":11,"k12":12,"k13":13,"k14":14,"k15":15,"k16":16,"k17":17,"k3":18}}`, `line 2: $.metadata.k3: duplicate key "k3"`, jsonx.ErrDuplicateKey},
		{"invalid utf-8", "{\"id\":1,\"timestamp\":\"2025-11-03T10:30:00Z\",\"topic\":\"a\xffb\"}", `line 2: $.topic: malformed JSON: invalid UTF-8 in string`, jsonx.ErrSyntax},
		{"invalid utf-8 escaped", "{\"id\":1,\"timestamp\":\"2025-11-03T10:30:00Z\",\"topic\":\"\\n\xff\"}", `line 2: $.topic: malformed JSON: invalid UTF-8 in string`, jsonx.ErrSyntax},
		{"control", "{\"id\":1,\"timestamp\":\"2025-11-03T10:30:00Z\",\"topic\":\"a\tb\"}", `line 2: $.topic: malformed JSON: control character in string`, jsonx.ErrSyntax},
		{"duration string", `{"id":1,"timestamp":"2025-11-03T10:30:00Z","duration":"60"}`, `line 2: $.duration: got string, want number or null`, nil},
		{"success number", `{"id":1,"timestamp":"2025-11-03T10:30:00Z","success":1}`, `line 2: $.success: got number, want boolean or null`, nil},
		{"number range", `{"id":1,"timestamp":"2025-11-03T10:30:00Z","duration":1e5000}`, `line 2: $.duration: number out of range`, nil},
		{"bad number", `{"id":1,"timestamp":"2025-11-03T10:30:00Z","duration":01}`, `line 2: $: malformed JSON: expected ',' or '}'`, jsonx.ErrSyntax},
		{"bad literal", `{"id":1,"timestamp":"2025-11-03T10:30:00Z","success":tru}`, `line 2: $.success: malformed JSON: unexpected character 't'`, jsonx.ErrSyntax},
		{"agent id", `{"id":1,"timestamp":"2025-11-03T10:30:00Z","agent":{"id":"7"}}`, `line 2: $.agent.id: got string, want number or null`, nil},
		{"metadata range", `{"id":1,"timestamp":"2025-11-03T10:30:00Z","metadata":{"a b":1e9999}}`, `line 2: $.metadata["a b"]: number out of range`, nil},
		{"eval not object", `{"id":1,"timestamp":"2025-11-03T10:30:00Z","metric_evaluations":[1]}`, `line 2: $.metric_evaluations[0]: got number, want an object`, nil},
		{"eval type", `{"id":1,"timestamp":"2025-11-03T10:30:00Z","metric_evaluations":[{"id":1,"metric":{"id":2,"eval_type":"x"}}]}`, `line 2: $.metric_evaluations[0].metric.eval_type: unknown eval type "x"`, nil},
		{"eval value", `{"id":1,"timestamp":"2025-11-03T10:30:00Z","metric_evaluations":[{"id":1,"value":"yes","metric":{"id":2,"eval_type":"binary"}}]}`, `line 2: $.metric_evaluations[0].value: got string, want boolean or null`, nil},
		{"eval no metric", `{"id":1,"timestamp":"2025-11-03T10:30:00Z","metric_evaluations":[{"id":1}]}`, `line 2: $.metric_evaluations[0].metric: missing`, nil},
		{"eval no metric id", `{"id":1,"timestamp":"2025-11-03T10:30:00Z","metric_evaluations":[{"id":1,"metric":{"eval_type":"enum"}}]}`, `line 2: $.metric_evaluations[0].metric.id: missing`, nil},
		{"depth", `{"id":1,"timestamp":"2025-11-03T10:30:00Z","x":` + strings.Repeat("[", 70) + strings.Repeat("]", 70) + `}`, `nesting deeper than 64 levels`, jsonx.ErrDepth},
		{"unterminated", `{"id":1,"timestamp":"2025-11-03T10:30:00Z","topic":"ab`, `line 2: $.topic: malformed JSON: unterminated string`, jsonx.ErrSyntax},
	}
	for _, tt := range tests {
		data := []byte(ok + "\n" + tt.line + "\n" + ok + "\n")
		_, err := decodeAll(data)
		if err == nil || !strings.HasPrefix(err.Error(), tt.want) && !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: got error %v, want %q", tt.name, err, tt.want)
			continue
		}
		if tt.kind != nil && !errors.Is(err, tt.kind) {
			t.Errorf("%s: error %v is not %v", tt.name, err, tt.kind)
		}
		if _, old := calldash.DecodeCalls(bytes.NewReader(data)); old == nil {
			t.Errorf("%s: DecodeCalls takes what the Decoder refuses", tt.name)
		}
	}
}

// TestDecoderLoneSurrogate: a lone UTF-16 surrogate cannot be a Go
// string's text; it is refused, not replaced.
func TestDecoderLoneSurrogate(t *testing.T) {
	for _, s := range []string{`\ud800`, `\udc00`, `\ud800x`, `\ud800\u0041`, `\ud83d\ud83d`} {
		line := `{"id":1,"timestamp":"2025-11-03T10:30:00Z","topic":"a` + s + `"}`
		_, err := decodeAll([]byte(line))
		if err == nil || !strings.Contains(err.Error(), "line 1: $.topic: malformed JSON: lone surrogate") {
			t.Errorf("%s: got error %v, want a lone surrogate on line 1", s, err)
		}
	}
}

func TestDecoderLongLines(t *testing.T) {
	// A line longer than the buffer, split across reads.
	long := `{"id":1,"timestamp":"2025-11-03T10:30:00Z","topic":"` + strings.Repeat("é", 300<<10) + `"}`
	got, err := decodeAll([]byte(long + "\n" + long))
	if err != nil || len(got) != 2 || len(got[1].Topic.Str) != 600<<10 {
		t.Fatalf("got %d calls, error %v", len(got), err)
	}
}

func TestDecoderStopsAtError(t *testing.T) {
	d := calldash.NewDecoder(strings.NewReader("{}\n" + `{"id":1,"timestamp":"2025-11-03T10:30:00Z"}`))
	var c calldash.Call
	first := d.Decode(&c)
	if first == nil || d.Line() != 1 {
		t.Fatalf("got %v on line %d, want an error on line 1", first, d.Line())
	}
	if err := d.Decode(&c); err != first {
		t.Errorf("after an error got %v, want the same error", err)
	}
}

// FuzzDecoder: the Decoder takes what UnmarshalJSON takes, gives the same
// call, and refuses what it refuses (lone surrogates, which UnmarshalJSON
// may replace, apart).
func FuzzDecoder(f *testing.F) {
	for _, data := range decoderInputs(&testing.T{}) {
		for _, line := range bytes.Split(data, []byte("\n"))[:min(40, bytes.Count(data, []byte("\n")))] {
			f.Add(line)
		}
	}
	f.Fuzz(func(t *testing.T, line []byte) {
		if bytes.ContainsAny(line, "\n") {
			return
		}
		got, err := decodeAll(line)
		var want calldash.Call
		trimmed := bytes.Trim(line, " \t\r")
		wantErr := want.UnmarshalJSON(trimmed)
		if len(trimmed) == 0 {
			return
		}
		switch {
		case err == nil && wantErr != nil:
			t.Fatalf("Decoder takes %q; UnmarshalJSON: %v", line, wantErr)
		case err != nil && wantErr == nil:
			if !strings.Contains(err.Error(), "lone surrogate") {
				t.Fatalf("Decoder refuses %q: %v", line, err)
			}
		case err == nil:
			if diff := cmp.Diff([]calldash.Call{want}, got, exactCmp); diff != "" {
				t.Fatalf("%q (-UnmarshalJSON +Decoder):\n%s", line, diff)
			}
		}
	})
}

// TestDecoderReuse: decoding into the same Call reuses its map and array,
// and leaves nothing of the call before.
func TestDecoderReuse(t *testing.T) {
	in := `{"id":1,"timestamp":"2025-11-03T10:30:00Z","metadata":{"a":1,"b":"x"},"metric_evaluations":[{"id":1,"metric":{"id":2,"eval_type":"binary"},"value":true},{"id":2,"metric":{"id":2,"eval_type":"binary"},"value":false}]}
{"id":2,"timestamp":"2025-11-03T10:30:00Z","metadata":{"c":2},"metric_evaluations":[{"id":3,"metric":{"id":2,"eval_type":"binary"},"value":null}]}
{"id":3,"timestamp":"2025-11-03T10:30:00Z"}`
	want, err := calldash.DecodeCalls(strings.NewReader(in))
	if err != nil {
		t.Fatal(err)
	}
	d := calldash.NewDecoder(strings.NewReader(in))
	var c calldash.Call
	for i := range want {
		if err := d.Decode(&c); err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(want[i], c, exactCmp); diff != "" {
			t.Errorf("call %d (-want +got):\n%s", i, diff)
		}
	}
}

// TestDecoderReset: after Reset, a Decoder reads the new input from its
// start, forgets the error of the old one and counts lines on.
func TestDecoderReset(t *testing.T) {
	d := calldash.NewDecoder(strings.NewReader("{}\n"))
	var c calldash.Call
	if err := d.Decode(&c); err == nil {
		t.Fatal("{} decoded")
	}
	d.Reset(strings.NewReader(`{"id":7,"timestamp":"2025-11-03T10:30:00Z"}`+"\n\n[1]\n"), 10)
	if err := d.Decode(&c); err != nil || c.ID != 7 || d.Line() != 11 {
		t.Fatalf("got call %d, error %v on line %d, want call 7 on line 11", c.ID, err, d.Line())
	}
	if err := d.Decode(&c); err == nil || !strings.HasPrefix(err.Error(), "line 13: $:") {
		t.Errorf("got error %v, want one on line 13", err)
	}
}
