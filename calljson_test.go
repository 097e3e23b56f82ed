package calldash

import (
	"bytes"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/shopspring/decimal"
)

// callCmp compares calls: decimals numerically, times as instants.
var callCmp = cmp.Options{
	cmp.Comparer(func(a, b decimal.Decimal) bool { return a.Equal(b) }),
	cmp.Comparer(func(a, b time.Time) bool { return a.Equal(b) }),
}

func dec(s string) Value { return Number(decimal.RequireFromString(s)) }

func TestCallMarshalSpecExample(t *testing.T) {
	in := `{"id": 1, "timestamp": "2025-11-03T10:30:00Z", "duration": 45.5,
 "success": true, "call_ended_reason": "customer_ended_call",
 "dropoff_point": null, "topic": "billing", "customer_number": "+14155550100",
 "is_reviewed": false, "agent": {"id": 7, "agent_name": "Support EN"},
 "metadata": {"region": "us-east", "call_type": "inbound", "ringing_duration": 3.941},
 "metric_evaluations": [
   {"id": 900, "metric": {"id": 12, "name": "accuracy", "eval_type": "numeric"}, "value": 0.93},
   {"id": 901, "metric": {"id": 14, "name": "sentiment", "eval_type": "enum"}, "value": "positive"}]}`
	want := `{"id":1,"timestamp":"2025-11-03T10:30:00Z","duration":45.5,` +
		`"success":true,"call_ended_reason":"customer_ended_call",` +
		`"dropoff_point":null,"topic":"billing","customer_number":"+14155550100",` +
		`"is_reviewed":false,"agent":{"id":7,"agent_name":"Support EN"},` +
		`"metadata":{"call_type":"inbound","region":"us-east","ringing_duration":3.941},` +
		`"metric_evaluations":[` +
		`{"id":900,"metric":{"id":12,"name":"accuracy","eval_type":"numeric"},"value":0.93},` +
		`{"id":901,"metric":{"id":14,"name":"sentiment","eval_type":"enum"},"value":"positive"}]}`
	var c Call
	if err := c.UnmarshalJSON([]byte(in)); err != nil {
		t.Fatal(err)
	}
	got, err := c.MarshalJSON()
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(want, string(got)); diff != "" {
		t.Errorf("MarshalJSON (-want +got):\n%s", diff)
	}
}

func TestCallMarshalText(t *testing.T) {
	base := Call{ID: 3, Timestamp: time.Date(2025, 11, 3, 10, 30, 0, 0, time.UTC)}
	nulls := `"duration":null,"success":null,"call_ended_reason":null,"dropoff_point":null,` +
		`"topic":null,"customer_number":null,"is_reviewed":null,"agent":null`
	tests := []struct {
		name string
		call func(c *Call)
		want string
	}{
		{"all null", func(c *Call) {},
			`{"id":3,"timestamp":"2025-11-03T10:30:00Z",` + nulls + `,"metadata":null,"metric_evaluations":null}`},
		{"empty metadata and evaluations", func(c *Call) {
			c.Metadata = map[string]Value{}
			c.MetricEvaluations = []Evaluation{}
		}, `{"id":3,"timestamp":"2025-11-03T10:30:00Z",` + nulls + `,"metadata":{},"metric_evaluations":[]}`},
		{"nanoseconds and offset", func(c *Call) {
			c.Timestamp = time.Date(2025, 3, 9, 1, 59, 59, 999999999, time.FixedZone("EST", -5*3600))
		}, `{"id":3,"timestamp":"2025-03-09T01:59:59.999999999-05:00",` + nulls + `,"metadata":null,"metric_evaluations":null}`},
		{"milliseconds without trailing zeros", func(c *Call) {
			c.Timestamp = time.Date(2025, 3, 9, 1, 2, 3, 120000000, time.UTC)
		}, `{"id":3,"timestamp":"2025-03-09T01:02:03.12Z",` + nulls + `,"metadata":null,"metric_evaluations":null}`},
		{"offset with seconds becomes UTC", func(c *Call) {
			c.Timestamp = time.Date(1880, 1, 1, 0, 0, 0, 0, time.FixedZone("LMT", -(4*3600+56*60+2)))
		}, `{"id":3,"timestamp":"1880-01-01T04:56:02Z",` + nulls + `,"metadata":null,"metric_evaluations":null}`},
		{"agent with null name", func(c *Call) { c.AgentID = Int(11) },
			`{"id":3,"timestamp":"2025-11-03T10:30:00Z","duration":null,"success":null,"call_ended_reason":null,"dropoff_point":null,` +
				`"topic":null,"customer_number":null,"is_reviewed":null,"agent":{"id":11,"agent_name":null},"metadata":null,"metric_evaluations":null}`},
		{"exact numbers, strings and null metadata entry", func(c *Call) {
			c.Duration = dec("12345678901234567890.123456789")
			c.Topic = String("50%_off\\promo \"q\" <b>&")
			c.CustomerNumber = String("返金\u2028")
			c.Metadata = map[string]Value{"z": dec("0.10"), "a": Null, "é": Bool(false), "n": dec("-0")}
		}, `{"id":3,"timestamp":"2025-11-03T10:30:00Z","duration":12345678901234567890.123456789,"success":null,` +
			`"call_ended_reason":null,"dropoff_point":null,"topic":"50%_off\\promo \"q\" <b>&","customer_number":"返金\u2028",` +
			`"is_reviewed":null,"agent":null,"metadata":{"a":null,"n":0,"z":0.1,"é":false},"metric_evaluations":null}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := base
			tt.call(&c)
			got, err := c.MarshalJSON()
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, string(got)); diff != "" {
				t.Errorf("MarshalJSON (-want +got):\n%s", diff)
			}
		})
	}
}

func TestCallMarshalErrors(t *testing.T) {
	base := Call{ID: 3, Timestamp: time.Date(2025, 11, 3, 10, 30, 0, 0, time.UTC)}
	tests := []struct {
		name string
		call func(c *Call)
		want string
	}{
		{"string duration", func(c *Call) { c.Duration = String("45") }, "duration: got string, want number or null"},
		{"number success", func(c *Call) { c.Success = Int(1) }, "success: got number, want boolean or null"},
		{"list topic", func(c *Call) { c.Topic = Value{Kind: KindList} }, "topic: got array"},
		{"string agent id", func(c *Call) { c.AgentID = String("7") }, "agent.id: got string"},
		{"list metadata", func(c *Call) { c.Metadata = map[string]Value{"k": {Kind: KindList}} }, `metadata["k"]: got an array`},
		{"year 10000", func(c *Call) { c.Timestamp = time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC) }, "timestamp: year 10000"},
		{"negative year", func(c *Call) { c.Timestamp = time.Date(-1, 1, 1, 0, 0, 0, 0, time.UTC) }, "timestamp: year -1"},
		{"unknown eval type", func(c *Call) {
			c.MetricEvaluations = []Evaluation{{ID: 1, MetricID: 2, EvalType: "score", Value: Int(1)}}
		}, `metric_evaluations[0].metric.eval_type: unknown eval type "score"`},
		{"binary eval with number", func(c *Call) {
			c.MetricEvaluations = []Evaluation{{ID: 1, MetricID: 2, EvalType: EvalBinary, Value: Int(1)}}
		}, "metric_evaluations[0].value: got number, want boolean or null"},
		{"number metric name", func(c *Call) {
			c.MetricEvaluations = []Evaluation{{ID: 1, MetricID: 2, MetricName: Int(2), EvalType: EvalEnum}}
		}, "metric_evaluations[0].metric.name: got number"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := base
			tt.call(&c)
			got, err := c.MarshalJSON()
			if err == nil {
				t.Fatalf("MarshalJSON = %s, want an error", got)
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %q does not contain %q", err, tt.want)
			}
			var buf bytes.Buffer
			if err := WriteCalls(&buf, slices.Values([]Call{base, c})); err == nil || !strings.Contains(err.Error(), "call 3 (#1)") {
				t.Errorf("WriteCalls error = %v, want one naming call 3 (#1)", err)
			}
		})
	}
}

// roundTripCalls covers every kind of value of every field.
func roundTripCalls() []Call {
	ny := time.FixedZone("", -4*3600)
	return []Call{
		{ID: 1, Timestamp: time.Date(2025, 11, 3, 10, 30, 0, 0, time.UTC)},
		{
			ID:              2,
			Timestamp:       time.Date(2025, 10, 31, 23, 59, 59, 999999999, ny),
			Duration:        dec("0.1"),
			Success:         Bool(true),
			IsReviewed:      Bool(false),
			CallEndedReason: String("customer_ended_call"),
			DropoffPoint:    String(""),
			Topic:           String("facturación"),
			CustomerNumber:  String("+14155550100"),
			AgentID:         Int(7),
			AgentName:       String("Support EN"),
			Metadata: map[string]Value{
				"region": String("Überweisung 返金"), "ringing_duration": dec("3.941"), "vip": Bool(true),
				"priority": String("3"), "n": dec("-12345678901234567890.123456789"),
			},
			MetricEvaluations: []Evaluation{
				{ID: 900, MetricID: 12, MetricName: String("accuracy"), EvalType: EvalNumeric, Value: dec("0.93")},
				{ID: 901, MetricID: 13, MetricName: String("empathy"), EvalType: EvalContinuous, Value: dec("12345678901234567890.123456789")},
				{ID: 902, MetricID: 14, MetricName: String("sentiment"), EvalType: EvalEnum, Value: String("Négatif")},
				{ID: 903, MetricID: 15, MetricName: String("resolved"), EvalType: EvalBinary, Value: Bool(false)},
				{ID: 904, MetricID: 16, MetricName: Null, EvalType: EvalNumeric, Value: Null},
			},
		},
		{
			ID: -5, Timestamp: time.Date(2025, 1, 1, 0, 0, 0, 1, time.UTC),
			Duration: dec("12345678901234567890.123456789"), Success: Bool(false),
			AgentName: String("only a name"), Metadata: map[string]Value{}, MetricEvaluations: []Evaluation{},
			Topic: String("50%_off\\promo \"quoted\"\n\ttab"),
		},
		{ID: 1 << 62, Timestamp: time.Date(2025, 3, 9, 7, 0, 0, 0, time.UTC), Duration: dec("0"), AgentID: Int(11)},
	}
}

func TestCallRoundTrip(t *testing.T) {
	calls := roundTripCalls()
	var buf bytes.Buffer
	if err := WriteCalls(&buf, slices.Values(calls)); err != nil {
		t.Fatal(err)
	}
	if n := bytes.Count(buf.Bytes(), []byte("\n")); n != len(calls) {
		t.Errorf("WriteCalls wrote %d lines, want %d", n, len(calls))
	}
	got, err := DecodeCalls(bytes.NewReader(buf.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(calls, got, callCmp); diff != "" {
		t.Errorf("round trip (-want +got):\n%s", diff)
	}
	// Writing what was read gives the same bytes.
	var again bytes.Buffer
	if err := WriteCalls(&again, slices.Values(got)); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(buf.String(), again.String()); diff != "" {
		t.Errorf("second write (-first +second):\n%s", diff)
	}
}

// TestCallDecodeMarshal reads inputs that differ from the canonical form
// (absent keys, object and array metadata values, number spellings) and
// checks what MarshalJSON makes of them.
func TestCallDecodeMarshal(t *testing.T) {
	allNull := `"duration":null,"success":null,"call_ended_reason":null,"dropoff_point":null,` +
		`"topic":null,"customer_number":null,"is_reviewed":null,"agent":null`
	tests := []struct {
		name, in, want string
	}{
		{"absent keys are null",
			`{"id":1,"timestamp":"2025-11-03T10:30:00Z"}`,
			`{"id":1,"timestamp":"2025-11-03T10:30:00Z",` + allNull + `,"metadata":null,"metric_evaluations":null}`},
		{"explicit nulls",
			`{"id":1,"timestamp":"2025-11-03T10:30:00Z",` + allNull + `,"metadata":null,"metric_evaluations":null}`,
			`{"id":1,"timestamp":"2025-11-03T10:30:00Z",` + allNull + `,"metadata":null,"metric_evaluations":null}`},
		{"agent object of nulls is a null agent",
			`{"id":1,"timestamp":"2025-11-03T10:30:00Z","agent":{"id":null}}`,
			`{"id":1,"timestamp":"2025-11-03T10:30:00Z",` + allNull + `,"metadata":null,"metric_evaluations":null}`},
		{"object, array and null metadata values are dropped",
			`{"id":1,"timestamp":"2025-11-03T10:30:00Z","metadata":{"nested":{"a":1},"tags":["x"],"gone":null,"vip":true}}`,
			`{"id":1,"timestamp":"2025-11-03T10:30:00Z",` + allNull + `,"metadata":{"vip":true},"metric_evaluations":null}`},
		{"only non-scalar metadata leaves an empty object",
			`{"id":1,"timestamp":"2025-11-03T10:30:00Z","metadata":{"nested":{}},"metric_evaluations":[]}`,
			`{"id":1,"timestamp":"2025-11-03T10:30:00Z",` + allNull + `,"metadata":{},"metric_evaluations":[]}`},
		{"number spellings become canonical",
			`{"id":1,"timestamp":"2025-11-03T10:30:00.500+01:00","duration":4.50E1,"metadata":{"p":1e-1,"q":-0.0,"r":100}}`,
			`{"id":1,"timestamp":"2025-11-03T10:30:00.5+01:00","duration":45,"success":null,"call_ended_reason":null,` +
				`"dropoff_point":null,"topic":null,"customer_number":null,"is_reviewed":null,"agent":null,` +
				`"metadata":{"p":0.1,"q":0,"r":100},"metric_evaluations":null}`},
		{"escapes become UTF-8",
			`{"id":1,"timestamp":"2025-11-03T10:30:00Z","topic":"\u8fd4\u91d1 \u00dcberweisung \/"}`,
			`{"id":1,"timestamp":"2025-11-03T10:30:00Z","duration":null,"success":null,"call_ended_reason":null,` +
				`"dropoff_point":null,"topic":"返金 Überweisung /","customer_number":null,"is_reviewed":null,"agent":null,` +
				`"metadata":null,"metric_evaluations":null}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var c Call
			if err := c.UnmarshalJSON([]byte(tt.in)); err != nil {
				t.Fatal(err)
			}
			got, err := c.MarshalJSON()
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, string(got)); diff != "" {
				t.Errorf("MarshalJSON (-want +got):\n%s", diff)
			}
			var back Call
			if err := back.UnmarshalJSON(got); err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(c, back, callCmp); diff != "" {
				t.Errorf("round trip (-want +got):\n%s", diff)
			}
		})
	}
}

func TestCallMarshalNullMetadataEntry(t *testing.T) {
	// A null metadata entry is written as null and reads back as missing.
	c := Call{ID: 1, Timestamp: time.Unix(0, 0).UTC(), Metadata: map[string]Value{"a": Null, "b": Int(1)}}
	b, err := c.MarshalJSON()
	if err != nil {
		t.Fatal(err)
	}
	var back Call
	if err := back.UnmarshalJSON(b); err != nil {
		t.Fatal(err)
	}
	want := map[string]Value{"b": Int(1)}
	if diff := cmp.Diff(want, back.Metadata, callCmp); diff != "" {
		t.Errorf("metadata (-want +got):\n%s", diff)
	}
}

// TestReadCallsRefusesBadText: call JSON with a lone UTF-16 surrogate or
// invalid UTF-8 is refused at the value's path (never read as U+FFFD), and
// malformed JSON at $ with its byte offset; the error names the line.
func TestReadCallsRefusesBadText(t *testing.T) {
	const good = `{"id":1,"timestamp":"2025-11-03T10:30:00Z","topic":"billing"}`
	cases := []struct{ line, want string }{
		{`{"id":2,"timestamp":"2025-11-03T10:30:00Z","topic":"a\ud800b"}`,
			`line 2: $.topic: malformed JSON: \ud800 at offset 53 is a lone UTF-16 surrogate, not a character`},
		{`{"id":2,"timestamp":"2025-11-03T10:30:00Z","metadata":{"k":"\udc00"}}`,
			`line 2: $.metadata.k: malformed JSON: \udc00 at offset 60 is a lone UTF-16 surrogate, not a character`},
		{`{"id":2,"timestamp":"2025-11-03T10:30:00Z","metric_evaluations":[{"id":1,"metric":{"id":14,"name":"s","eval_type":"enum"},"value":"\ud83d"}]}`,
			`line 2: $.metric_evaluations[0].value: malformed JSON: \ud83d at offset 131 is a lone UTF-16 surrogate, not a character`},
		{"{\"id\":2,\"timestamp\":\"2025-11-03T10:30:00Z\",\"topic\":\"\xff\"}",
			`line 2: $.topic: malformed JSON: invalid UTF-8 in string`},
		{`{"id":2,"timestamp":"2025-11-03T10:30:00Z","topic":`,
			`line 2: $: malformed JSON: unexpected end of input at offset 51`},
	}
	for _, c := range cases {
		_, err := DecodeCalls(strings.NewReader(good + "\n" + c.line + "\n"))
		if err == nil || err.Error() != c.want {
			t.Errorf("DecodeCalls(%q):\ngot  %v\nwant %s", c.line, err, c.want)
		}
	}
	calls, err := DecodeCalls(strings.NewReader(`{"id":1,"timestamp":"2025-11-03T10:30:00Z","topic":"\ud83d\ude00"}`))
	if err != nil || len(calls) != 1 || calls[0].Topic.Str != "😀" {
		t.Errorf("a surrogate pair: got %v, %v; want one call with topic 😀", calls, err)
	}
}
