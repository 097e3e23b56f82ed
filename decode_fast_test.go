package calldash_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/calldash/calldash"
)

// agreeWithUnmarshal checks that the Decoder reads line as
// Call.UnmarshalJSON does: the same call, or an error for both; when
// wantErr is not empty, the Decoder's error must contain it.
func agreeWithUnmarshal(t *testing.T, line, wantErr string) {
	t.Helper()
	got, err := decodeAll([]byte(line))
	var want calldash.Call
	uerr := want.UnmarshalJSON([]byte(line))
	switch {
	case wantErr != "":
		if err == nil || !strings.Contains(err.Error(), wantErr) {
			t.Errorf("%q: got error %v, want %q", line, err, wantErr)
		}
		if uerr == nil && !strings.Contains(wantErr, "lone surrogate") {
			t.Errorf("%q: UnmarshalJSON takes what the Decoder refuses", line)
		}
	case err != nil || uerr != nil:
		t.Errorf("%q: Decoder: %v; UnmarshalJSON: %v", line, err, uerr)
	default:
		if diff := cmp.Diff([]calldash.Call{want}, got, exactCmp); diff != "" {
			t.Errorf("%q (-UnmarshalJSON +Decoder):\n%s", line, diff)
		}
	}
}

// TestDecoderStringScan: the scan of strings eight bytes at a time
// finds an escape, a quote, a control character or a non-ASCII byte at
// any offset, in values and in keys.
func TestDecoderStringScan(t *testing.T) {
	const head = `{"id":1,"timestamp":"2025-11-03T10:30:00Z",`
	specials := []struct{ text, err string }{
		{``, ``},
		{`\n`, ``},
		{`\"`, ``},
		{`\\`, ``},
		{`\u00e9`, ``},
		{`\ud83d\ude00`, ``},
		{`é`, ``},
		{`日本`, ``},
		{"\x7f", ``},
		{"\xff", `malformed JSON: invalid UTF-8 in string`},
		{"\xc3", `malformed JSON: invalid UTF-8 in string`},
		{"\t", `malformed JSON: control character in string`},
		{"\x00", `malformed JSON: control character in string`},
		{"\x1f", `malformed JSON: control character in string`},
		{`\ud800`, `malformed JSON: lone surrogate \ud800 in string`},
		{`\x`, `malformed JSON: invalid escape \x`},
	}
	for n := range 20 {
		for _, tail := range []int{0, 1, 7, 8, 9} {
			for _, s := range specials {
				text := strings.Repeat("a", n) + s.text + strings.Repeat("b", tail)
				wantErr := s.err
				if wantErr != "" {
					wantErr = "line 1: $.topic: " + wantErr
				}
				agreeWithUnmarshal(t, head+`"topic":"`+text+`"}`, wantErr)
				if wantErr != "" {
					wantErr = "line 1: $.metadata: " + s.err
				}
				agreeWithUnmarshal(t, head+`"metadata":{"`+text+`":1}}`, wantErr)
			}
			// Unterminated, the quote missing at the end of the line.
			agreeWithUnmarshal(t, head+`"topic":"`+strings.Repeat("a", n+tail), "line 1: $.topic: malformed JSON: unterminated string")
		}
	}
}

// TestDecoderKeys: known keys, duplicates of known and unknown keys,
// escaped or not, and keys that look like known ones.
func TestDecoderKeys(t *testing.T) {
	const head = `{"id":1,"timestamp":"2025-11-03T10:30:00Z",`
	for _, tt := range []struct{ body, err string }{
		{`"topic":"a","topi":"b","topics":"c","Topic":"d"}`, ``},
		{`"topic":"a","to\u0070ic":"b"}`, `line 1: $.topic: duplicate key "topic"`},
		{`"to\u0070ic":"a","topic":"b"}`, `line 1: $.topic: duplicate key "topic"`},
		{`"x\n":1,"x\u000a":2}`, `line 1: $["x\n"]: duplicate key "x\n"`},
		{`"x":{"y":1},"x":2}`, `line 1: $.x: duplicate key "x"`},
		{`"x":{"x":1,"y":{"x":2}},"y":2}`, ``},
		{`"agent":{"id":1,"agent_name":"a","\u0069d":2}}`, `line 1: $.agent.id: duplicate key "id"`},
		{`"metadata":{"a":1,"b":2,"a":3}}`, `line 1: $.metadata.a: duplicate key "a"`},
		{`"metadata":{"a\"":1,"a\u0022":3}}`, `duplicate key "a\""`},
		{`"metric_evaluations":[{"id":1,"metric":{"id":2,"eval_type":"enum","eval_type":"enum"},"value":"x"}]}`, `line 1: $.metric_evaluations[0].metric.eval_type: duplicate key "eval_type"`},
		{`"metric_evaluations":[{"id":1,"metric":{"id":2,"eval_type":"enum"},"value":"x","value":"y"}]}`, `line 1: $.metric_evaluations[0].value: duplicate key "value"`},
		{`"success":true,"is_reviewed":false,"duration":1,"dropoff_point":"p","customer_number":"c","call_ended_reason":"r"}`, ``},
	} {
		agreeWithUnmarshal(t, head+tt.body, tt.err)
	}
}

// TestDecoderNumbers: numbers at the edges of the fast paths (18 and 19
// digits, the int64 range, exponents, fractions) read as ParseNumber
// reads them.
func TestDecoderNumbers(t *testing.T) {
	const head = `{"id":1,"timestamp":"2025-11-03T10:30:00Z",`
	numbers := []string{
		"0", "-0", "0.0", "-0.0", "1", "-1", "7.50", "0.000000000000000001",
		"123456789012345678", "-123456789012345678", "999999999999999999",
		"1234567890123456789", "-1234567890123456789", "9223372036854775807",
		"-9223372036854775808", "9223372036854775808", "-9223372036854775809",
		"12345678901234567.8", "1234567890123456.78", "0.12345678901234567",
		"1e2", "1E2", "1e+2", "1e-2", "-1.5e3", "1.5E-3", "0e0", "1e18", "1e19", "123456789e-30",
		"100000000000000000000000000000000000000000",
		"0.5", "-0.5", "10.25", "1234567890.12345678", "1234567890.123456789", "-999999999.999999999",
		"0.000000000000000000", "-0.00000000000000001",
	}
	for _, n := range numbers {
		agreeWithUnmarshal(t, head+`"duration":`+n+`}`, ``)
		agreeWithUnmarshal(t, head+`"metadata":{"n":`+n+`}}`, ``)
		agreeWithUnmarshal(t, head+`"agent":{"id":`+n+`}}`, ``)
		agreeWithUnmarshal(t, head+`"metric_evaluations":[{"id":1,"metric":{"id":2,"eval_type":"numeric"},"value":`+n+`}]}`, ``)
	}
	for _, n := range []string{"0", "-0", "1", "-1", "123456789012345678", "999999999999999999", "1234567890123456789", "9223372036854775807", "-9223372036854775808"} {
		agreeWithUnmarshal(t, `{"id":`+n+`,"timestamp":"2025-11-03T10:30:00Z"}`, ``)
		agreeWithUnmarshal(t, head+`"metric_evaluations":[{"id":`+n+`,"metric":{"id":`+n+`,"eval_type":"binary"}}]}`, ``)
	}
	for _, n := range []string{"9223372036854775808", "-9223372036854775809", "1.5", "1e2", "1.0", "-0.0"} {
		agreeWithUnmarshal(t, `{"id":`+n+`,"timestamp":"2025-11-03T10:30:00Z"}`, fmt.Sprintf("line 1: $.id: want an integer, got %s", n))
	}
	for _, n := range []string{"01", "1.", ".5", "-", "1e", "1e+", "+1", "--1", "0x1", "-01", "0.", "-.5", "1.e2", "00"} {
		agreeWithUnmarshal(t, head+`"duration":`+n+`}`, "line 1: $")
		agreeWithUnmarshal(t, `{"id":`+n+`,"timestamp":"2025-11-03T10:30:00Z"}`, "line 1: $")
	}
}

// TestDecoderShared: strings and numbers shared between calls (through
// the caches and the maps, in slots with few and with many distinct
// values, colliding in the caches) are those of the text.
func TestDecoderShared(t *testing.T) {
	var b strings.Builder
	for i := range 5000 {
		fmt.Fprintf(&b, `{"id":%d,"timestamp":"2025-11-03T10:30:00Z","topic":"t%d","customer_number":"+1%09d","duration":%d.%d,"agent":{"id":%d,"agent_name":"%s"},"metadata":{"k%d":%d.5,"s":"v%d"}}`+"\n",
			i, i%7, i*7919, i%300, i%3, i%2000, strings.Repeat("n", i%70), i%40, i%13-6, i%3000)
	}
	data := []byte(b.String())
	want, err := calldash.DecodeCalls(strings.NewReader(b.String()))
	if err != nil {
		t.Fatal(err)
	}
	got, err := decodeAll(data)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(want, got, exactCmp); diff != "" {
		t.Errorf("Decoder differs from DecodeCalls (-want +got):\n%s", diff)
	}
}

// TestDecoderEvaluationOrder: an evaluation's value is read at once when
// its metric (and eval type) came first, at the end otherwise; either
// way, the errors are those of reading it at the end.
func TestDecoderEvaluationOrder(t *testing.T) {
	const head = `{"id":1,"timestamp":"2025-11-03T10:30:00Z","metric_evaluations":[`
	m := func(evalType string) string { return `"metric":{"id":2,"name":"m","eval_type":"` + evalType + `"}` }
	for _, tt := range []struct{ ev, err string }{
		{`{"id":1,` + m("numeric") + `,"value":1.5}`, ``},
		{`{"id":1,"value":1.5,` + m("numeric") + `}`, ``},
		{`{` + m("binary") + `,"value":true,"id":1}`, ``},
		{`{` + m("enum") + `,"value":"positive","id":1,"x":[1,{"y":2}]}`, ``},
		{`{"id":1,` + m("enum") + `,"value":null}`, ``},
		{`{"id":1,` + m("continuous_qualitative") + `,"value":3}`, ``},
		{`{"id":1,` + m("numeric") + `,"value":1e99999}`, `line 1: $.metric_evaluations[0].value: number out of range`},
		{`{"id":1,` + m("binary") + `,"value":"yes"}`, `line 1: $.metric_evaluations[0].value: got string, want boolean or null`},
		{`{"id":1,"value":"yes",` + m("binary") + `}`, `line 1: $.metric_evaluations[0].value: got string, want boolean or null`},
		{`{"id":1,` + m("binary") + `,"value":{"a":1}}`, `line 1: $.metric_evaluations[0].value: got object, want boolean or null`},
		// A later error in the object comes first.
		{`{"id":1,` + m("binary") + `,"value":"yes","value":true}`, `line 1: $.metric_evaluations[0].value: duplicate key "value"`},
		{`{"id":1,` + m("binary") + `,"value":"yes","x":1,"x":2}`, `line 1: $.metric_evaluations[0].x: duplicate key "x"`},
		{`{"id":1,` + m("binary") + `,"value":"yes","x":tru}`, `line 1: $.metric_evaluations[0].x: malformed JSON`},
		{`{` + m("binary") + `,"value":"yes"}`, `line 1: $.metric_evaluations[0].id: missing; want an integer`},
		{`{` + m("binary") + `,"value":"yes","id":"1"}`, `line 1: $.metric_evaluations[0].id: got string, want an integer`},
		// Syntax errors in the value itself.
		{`{"id":1,` + m("binary") + `,"value":tru}`, `line 1: $.metric_evaluations[0].value: malformed JSON`},
		{`{"id":1,` + m("enum") + `,"value":"a\x"}`, `line 1: $.metric_evaluations[0].value: malformed JSON: invalid escape \x`},
		{`{"id":1,` + m("numeric") + `,"value":01}`, `line 1: $.metric_evaluations[0]: malformed JSON: expected ',' or '}'`},
		{`{"id":1,` + m("numeric") + `,"value":-}`, `line 1: $.metric_evaluations[0].value: malformed JSON`},
	} {
		agreeWithUnmarshal(t, head+tt.ev+`]}`, tt.err)
	}
}
