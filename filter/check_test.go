package filter_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/calldash/calldash"
	"github.com/calldash/calldash/filter"
)

const ckKnown = "known fields: id, timestamp, duration, success, is_reviewed, call_ended_reason, dropoff_point, topic, " +
	"customer_number, agent.id, agent.agent_name, metadata.<key>, metric_evaluations.metric.id, " +
	"metric_evaluations.metric.name, metric_evaluations.value"

const ckTimeForms = "; want RFC 3339 (2025-11-03T10:30:00Z, any offset), a date (2025-11-03), " +
	"or now or today with an optional step such as now-15m, today-7d or now+1M " +
	"(units s m h d w M y; m is minutes, M months)"

// ckErr is one expected error: its full text and its sentinel.
type ckErr struct {
	text string
	kind error
}

// ckCompare checks that err is an ErrorList of exactly want, in order, and
// that errors.Is finds each sentinel.
func ckCompare(t *testing.T, err error, want []ckErr) {
	t.Helper()
	var got []string
	var list calldash.ErrorList
	if err != nil {
		if !errors.As(err, &list) {
			t.Fatalf("error %v (%T) is not an ErrorList", err, err)
		}
		for _, e := range list {
			got = append(got, e.Error())
		}
	}
	var wantText []string
	for _, w := range want {
		wantText = append(wantText, w.text)
	}
	if diff := cmp.Diff(wantText, got); diff != "" {
		t.Fatalf("errors (-want +got):\n%s", diff)
	}
	for i, w := range want {
		if !errors.Is(list[i], w.kind) {
			t.Errorf("error %d %q: errors.Is(%v) is false (kind %v)", i, list[i], w.kind, list[i].Kind)
		}
		if !errors.Is(err, w.kind) {
			t.Errorf("errors.Is(list, %v) is false", w.kind)
		}
	}
}

func TestCheckValidate(t *testing.T) {
	long := strings.Repeat("k", 256)
	cases := []struct {
		name  string
		input string
		want  []ckErr
	}{
		// valid filters
		{"no filter null", `null`, nil},
		{"no filter empty object", `{}`, nil},
		{"empty and", `{"operator":"and","conditions":[]}`, nil},
		{"every field", `{"operator":"and","conditions":[
			{"field":"id","op":"in","value":[1,2,3.0]},
			{"field":"timestamp","op":"gte","value":"now-7d"},
			{"field":"timestamp","op":"lt","value":"2025-11-03T10:30:00+01:00"},
			{"field":"timestamp","op":"neq","value":"2025-11-03"},
			{"field":"duration","op":"gt","value":1.5},
			{"field":"duration","op":"isnull","value":false},
			{"field":"success","op":"eq","value":true},
			{"field":"is_reviewed","op":"neq","value":false},
			{"field":"call_ended_reason","op":"contains","value":"ended"},
			{"field":"dropoff_point","op":"regex","value":"^a.*b$"},
			{"field":"topic","op":"in","value":["billing","sales"]},
			{"field":"customer_number","op":"startswith","value":"+1"},
			{"field":"agent.id","op":"eq","value":7},
			{"field":"agent.agent_name","op":"endswith","value":"EN"},
			{"field":"metadata.region","op":"eq","value":"us-east"},
			{"field":"metadata.ringing_duration","op":"gt","value":3},
			{"field":"metadata.vip","op":"eq","value":true},
			{"field":"metadata.call_type","op":"lt","value":"m"},
			{"field":"metadata.tags","op":"in","value":["a",1,true]},
			{"field":"metadata.x","op":"regex","value":"a|b"},
			{"operator":"same_row","conditions":[
				{"field":"metric_evaluations.metric.id","op":"eq","value":12},
				{"operator":"or","conditions":[
					{"field":"metric_evaluations.value","op":"gt","value":0.5},
					{"field":"metric_evaluations.metric.name","op":"eq","value":"accuracy"}]}]},
			{"field":"metric_evaluations.value","op":"contains","value":"pos"}]}`, nil},
		{"metadata key at the limit", `{"field":"metadata.` + long[:255] + `","op":"eq","value":1}`, nil},

		// fields
		{"unknown field suggests", `{"field":"duraton","op":"eq","value":1}`, []ckErr{
			{`$.field: unknown field "duraton" (did you mean "duration"?); ` + ckKnown, calldash.ErrUnknownField}}},
		{"unknown field no suggestion", `{"field":"colour","op":"eq","value":1}`, []ckErr{
			{`$.field: unknown field "colour"; ` + ckKnown, calldash.ErrUnknownField}}},
		{"empty field", `{"field":"","op":"eq","value":1}`, []ckErr{
			{`$.field: unknown field ""; ` + ckKnown, calldash.ErrUnknownField}}},
		{"plotting alias", `{"field":"agent_id","op":"eq","value":1}`, []ckErr{
			{`$.field: field "agent_id" is a name for plotting only; in filters write "agent.id"`, calldash.ErrUnknownField}}},
		{"metadata typo", `{"field":"metdata.region","op":"eq","value":"x"}`, []ckErr{
			{`$.field: unknown field "metdata.region" (did you mean "metadata.region"?); ` + ckKnown, calldash.ErrUnknownField}}},
		{"metadata without key", `{"field":"metadata","op":"eq","value":"x"}`, []ckErr{
			{`$.field: field "metadata" needs a key: write "metadata.<key>"`, calldash.ErrMetadataKey}}},
		{"metadata empty key", `{"field":"metadata.","op":"eq","value":"x"}`, []ckErr{
			{`$.field: empty metadata key: write "metadata.<key>"`, calldash.ErrMetadataKey}}},
		{"metadata dotted key", `{"field":"metadata.a.b","op":"eq","value":"x"}`, []ckErr{
			{`$.field: metadata key "a.b" contains a dot; only top-level keys can be filtered`, calldash.ErrMetadataKey}}},
		{"metadata key too long", `{"field":"metadata.` + long + `","op":"eq","value":"x"}`, []ckErr{
			{`$.field: metadata key has 256 bytes; the limit (MaxMetadataKey) is 255`, calldash.ErrMetadataKey}}},

		// operators
		{"contains on numeric", `{"operator":"and","conditions":[{"field":"id","op":"eq","value":1},{"field":"duration","op":"contains","value":"6"}]}`, []ckErr{
			{`$.conditions[1].op: operator "contains" is not allowed for numeric field "duration"; allowed: eq, neq, gt, gte, lt, lte, in, isnull`, calldash.ErrOperatorNotAllowed}}},
		{"gt on boolean", `{"field":"success","op":"gt","value":true}`, []ckErr{
			{`$.op: operator "gt" is not allowed for boolean field "success"; allowed: eq, neq, isnull`, calldash.ErrOperatorNotAllowed}}},
		{"in on datetime", `{"field":"timestamp","op":"in","value":["now"]}`, []ckErr{
			{`$.op: operator "in" is not allowed for datetime field "timestamp"; allowed: eq, neq, gt, gte, lt, lte`, calldash.ErrOperatorNotAllowed}}},
		{"isnull on id", `{"field":"id","op":"isnull","value":true}`, []ckErr{
			{`$.op: operator "isnull" is not allowed for integer field "id"; allowed: eq, neq, gt, gte, lt, lte, in`, calldash.ErrOperatorNotAllowed}}},
		{"gt on string", `{"field":"topic","op":"gt","value":"a"}`, []ckErr{
			{`$.op: operator "gt" is not allowed for string field "topic"; allowed: eq, neq, contains, startswith, endswith, in, isnull, regex`, calldash.ErrOperatorNotAllowed}}},
		{"regex on metric value", `{"field":"metric_evaluations.value","op":"regex","value":"a"}`, nil},
		{"regex on metric value needs a string", `{"field":"metric_evaluations.value","op":"regex","value":1}`, []ckErr{
			{`$.value: operator "regex" needs a string; got number 1`, calldash.ErrValueType}}},

		// values
		{"string for numeric", `{"operator":"and","conditions":[{"field":"duration","op":"gt","value":"60"}]}`, []ckErr{
			{`$.conditions[0].value: field "duration" is numeric; got string "60"`, calldash.ErrValueType}}},
		{"boolean for numeric", `{"field":"duration","op":"eq","value":true}`, []ckErr{
			{`$.value: field "duration" is numeric; got boolean true`, calldash.ErrValueType}}},
		{"fraction for integer", `{"field":"id","op":"eq","value":1.5}`, []ckErr{
			{`$.value: field "id" is integer; got number 1.5`, calldash.ErrValueType}}},
		{"integer out of range", `{"field":"agent.id","op":"eq","value":1e30}`, []ckErr{
			{`$.value: field "agent.id" is integer; number 1000000000000000000000000000000 is out of the 64-bit range`, calldash.ErrValueType}}},
		{"integer with zero fraction", `{"field":"id","op":"gte","value":1.0}`, nil},
		{"string for boolean", `{"field":"success","op":"eq","value":"true"}`, []ckErr{
			{`$.value: field "success" is boolean; got string "true"`, calldash.ErrValueType}}},
		{"number for string", `{"field":"topic","op":"eq","value":3}`, []ckErr{
			{`$.value: field "topic" is string; got number 3`, calldash.ErrValueType}}},
		{"number for datetime", `{"field":"timestamp","op":"gt","value":1762165800}`, []ckErr{
			{`$.value: field "timestamp" is datetime; got number 1762165800 (want an RFC 3339 string, a date or a relative value such as "now-7d")`, calldash.ErrValueType}}},
		{"invalid relative time", `{"field":"timestamp","op":"gt","value":"now-"}`, []ckErr{
			{`$.value: field "timestamp": invalid datetime "now-": missing number after "now-"` + ckTimeForms, calldash.ErrInvalidTime}}},
		{"invalid date", `{"field":"timestamp","op":"gt","value":"2025-13-01"}`, []ckErr{
			{`$.value: field "timestamp": invalid datetime "2025-13-01": month out of range` + ckTimeForms, calldash.ErrInvalidTime}}},
		{"ordered boolean on dynamic", `{"field":"metadata.vip","op":"gt","value":true}`, []ckErr{
			{`$.value: operator "gt" needs a number or a string; got boolean true`, calldash.ErrValueType}}},
		{"contains number on dynamic", `{"field":"metadata.region","op":"contains","value":3}`, []ckErr{
			{`$.value: operator "contains" needs a string; got number 3`, calldash.ErrValueType}}},
		{"startswith boolean on metric value", `{"field":"metric_evaluations.value","op":"startswith","value":false}`, []ckErr{
			{`$.value: operator "startswith" needs a string; got boolean false`, calldash.ErrValueType}}},
		{"in needs an array", `{"field":"topic","op":"in","value":"billing"}`, []ckErr{
			{`$.value: operator "in" needs an array; got string "billing"`, calldash.ErrValueType}}},
		{"empty in list", `{"field":"topic","op":"in","value":[]}`, nil},
		{"in elements", `{"field":"id","op":"in","value":[1,"2",null,3.5,4,5,6,7,8,9,10,true]}`, []ckErr{
			{`$.value[1]: field "id" is integer; got string "2"`, calldash.ErrValueType},
			{`$.value[2]: null cannot be an element of "in"; to test for a missing value add {"op": "isnull", "value": true}`, calldash.ErrValueType},
			{`$.value[3]: field "id" is integer; got number 3.5`, calldash.ErrValueType},
			{`$.value[11]: field "id" is integer; got boolean true`, calldash.ErrValueType}}},
		{"array for eq", `{"field":"duration","op":"eq","value":[1,2]}`, []ckErr{
			{`$.value: operator "eq" takes one value; got array (use "in" for a list)`, calldash.ErrValueType}}},
		{"isnull needs a boolean", `{"field":"duration","op":"isnull","value":"yes"}`, []ckErr{
			{`$.value: operator "isnull" needs true or false; got string "yes"`, calldash.ErrValueType}}},
		{"null with eq", `{"field":"topic","op":"eq","value":null}`, []ckErr{
			{`$.value: null is not a value to compare with; to test for a missing value use {"op": "isnull", "value": true}`, calldash.ErrValueType}}},
		{"null with neq", `{"field":"topic","op":"neq","value":null}`, []ckErr{
			{`$.value: null is not a value to compare with; to test for a missing value use {"op": "isnull", "value": false}`, calldash.ErrValueType}}},
		{"null with isnull", `{"field":"topic","op":"isnull","value":null}`, []ckErr{
			{`$.value: null is not a value to compare with; to test for a missing value use {"op": "isnull", "value": true}`, calldash.ErrValueType}}},
		{"long strings are shortened", `{"field":"duration","op":"eq","value":"` + strings.Repeat("x", 100) + `"}`, []ckErr{
			{`$.value: field "duration" is numeric; got string "` + strings.Repeat("x", 64) + `..."`, calldash.ErrValueType}}},

		// regex
		{"invalid regex", `{"field":"topic","op":"regex","value":"a("}`, []ckErr{
			{"$.value: invalid regular expression: missing closing ): `a(`", calldash.ErrInvalidRegex}}},
		{"perl-only regex", `{"field":"metadata.x","op":"regex","value":"(?=a)"}`, []ckErr{
			{"$.value: invalid regular expression: invalid or unsupported Perl syntax: `(?=`", calldash.ErrInvalidRegex}}},
		{"regex needs a string", `{"field":"topic","op":"regex","value":1}`, []ckErr{
			{`$.value: operator "regex" needs a string; got number 1`, calldash.ErrValueType}}},

		// same_row
		{"same_row with a call field", `{"operator":"same_row","conditions":[
			{"field":"metric_evaluations.metric.id","op":"eq","value":12},
			{"field":"duration","op":"gt","value":1}]}`, []ckErr{
			{`$.conditions[1].field: field "duration" is not a metric evaluation field; a same_row group may hold only conditions on metric evaluation fields (metric_evaluations.metric.id, metric_evaluations.metric.name, metric_evaluations.value) and and/or groups of them`, calldash.ErrSameRow}}},
		{"same_row with a call field in a nested or", `{"operator":"and","conditions":[{"operator":"same_row","conditions":[
			{"operator":"or","conditions":[{"field":"metric_evaluations.value","op":"eq","value":1},{"field":"metadata.a","op":"eq","value":1}]}]}]}`, []ckErr{
			{`$.conditions[0].conditions[0].conditions[1].field: field "metadata.a" is not a metric evaluation field; a same_row group may hold only conditions on metric evaluation fields (metric_evaluations.metric.id, metric_evaluations.metric.name, metric_evaluations.value) and and/or groups of them`, calldash.ErrSameRow}}},
		{"nested same_row", `{"operator":"same_row","conditions":[{"operator":"same_row","conditions":[]}]}`, []ckErr{
			{`$.conditions[0].operator: a same_row group cannot hold another same_row group; use an and group (every condition inside same_row already applies to one evaluation row)`, calldash.ErrSameRow}}},
		{"metric fields outside same_row", `{"operator":"or","conditions":[{"field":"metric_evaluations.value","op":"neq","value":"x"},{"field":"metric_evaluations.metric.name","op":"isnull","value":true}]}`, nil},
		{"unknown field inside same_row is only unknown", `{"operator":"same_row","conditions":[{"field":"metric_evaluations.val","op":"eq","value":1}]}`, []ckErr{
			{`$.conditions[0].field: unknown field "metric_evaluations.val" (did you mean "metric_evaluations.value"?); ` + ckKnown, calldash.ErrUnknownField}}},

		// several errors of one input, from Parse and Check together, sorted by path
		{"all errors together", `{"operator":"and","conditions":[
			{"field":"duration","op":"gt","value":1},
			{"field":"duration","op":"equals","value":1},
			{"field":"durration","op":"eq","value":1},
			{"field":"success","op":"eq","value":1},
			{"field":"topic","op":"eq","value":"a"},
			{"field":"topic","op":"eq","value":"a"},
			{"field":"topic","op":"eq","value":"a"},
			{"field":"topic","op":"eq","value":"a"},
			{"field":"topic","op":"eq","value":"a"},
			{"field":"topic","op":"eq","value":"a"},
			{"field":"topic","op":"regex","value":"("},
			{"operator":"same_row","conditions":[{"field":"topic","op":"eq","value":"a"}]},
			{"operator":"xor","conditions":[{"field":"nope","op":"eq","value":1}]},
			{"field":"timestamp","op":"gte","value":"yesterday","extra":1}]}`, []ckErr{
			{`$.conditions[1].op: unknown operator "equals" (did you mean "eq"?)`, calldash.ErrUnknownOperator},
			{`$.conditions[2].field: unknown field "durration" (did you mean "duration"?); ` + ckKnown, calldash.ErrUnknownField},
			{`$.conditions[3].value: field "success" is boolean; got number 1`, calldash.ErrValueType},
			{"$.conditions[10].value: invalid regular expression: missing closing ): `(`", calldash.ErrInvalidRegex},
			{`$.conditions[11].conditions[0].field: field "topic" is not a metric evaluation field; a same_row group may hold only conditions on metric evaluation fields (metric_evaluations.metric.id, metric_evaluations.metric.name, metric_evaluations.value) and and/or groups of them`, calldash.ErrSameRow},
			{`$.conditions[12].operator: unknown group operator "xor" (did you mean "or"?); allowed: and, or, same_row`, calldash.ErrUnknownOperator},
			{`$.conditions[13].extra: unknown key "extra"; allowed keys: field, op, value`, calldash.ErrShape}}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			n, err := filter.Validate([]byte(c.input), nil)
			ckCompare(t, err, c.want)
			if err != nil && n != nil {
				t.Errorf("Validate returned a node with errors: %s", n)
			}
			if err == nil && c.input != "null" && c.input != "{}" && n.Node() == nil {
				t.Errorf("Validate returned no node for a valid filter")
			}
			if err == nil {
				// Check alone agrees on the parsed node.
				if _, err := filter.Check(n.Node(), filter.CallLogs()); err != nil {
					t.Errorf("Check after Validate: %v", err)
				}
			}
		})
	}
}

func TestCheckAtPath(t *testing.T) {
	_, err := filter.Validate([]byte(`{"operator":"or","conditions":[{"field":"duration","op":"eq","value":"1"}]}`), nil, filter.AtPath("$.filters"))
	ckCompare(t, err, []ckErr{{`$.filters.conditions[0].value: field "duration" is numeric; got string "1"`, calldash.ErrValueType}})
}

func TestCheckMalformedJSON(t *testing.T) {
	n, err := filter.Validate([]byte(`{"field":`), nil)
	if n != nil || !errors.Is(err, calldash.ErrSyntax) {
		t.Errorf("Validate(malformed) = %v, %v; want nil and ErrSyntax", n, err)
	}
	// Malformed JSON is the document's, at the filter's root with the
	// offset, never at the key being read; a string that is not text is
	// the string's.
	for _, c := range []struct {
		in   string
		opts []filter.Option
		want ckErr
	}{
		{`{"field":`, nil, ckErr{`$: malformed JSON: unexpected end of input at offset 9`, calldash.ErrSyntax}},
		{`{"operator":"and","conditions":[{"field":"topic","op":"eq","value":"a",}]}`, nil,
			ckErr{`$: malformed JSON: expected a string key, found character '}' at offset 71`, calldash.ErrSyntax}},
		{`{"field":"topic","op":`, []filter.Option{filter.AtPath("$.filters")},
			ckErr{`$.filters: malformed JSON: unexpected end of input at offset 22`, calldash.ErrSyntax}},
		{`{"field":"topic","op":"eq","value":"\ud800"}`, nil,
			ckErr{`$.value: malformed JSON: \ud800 at offset 36 is a lone UTF-16 surrogate, not a character`, calldash.ErrSyntax}},
	} {
		_, err := filter.Validate([]byte(c.in), nil, c.opts...)
		ckCompare(t, err, []ckErr{c.want})
	}
}

// ASTs built in Go, including zero values, are checked without panicking.
func TestCheckBuiltAST(t *testing.T) {
	small := filter.Limits{MaxDepth: 2, MaxNodes: 4, MaxList: 2, MaxString: 3, MaxMetadataKey: 2}
	cases := []struct {
		name string
		node filter.Node
		opts []filter.Option
		want []ckErr
	}{
		{"nil", nil, nil, nil},
		{"typed nil condition", (*filter.Condition)(nil), nil, nil},
		{"zero condition", &filter.Condition{}, nil, []ckErr{
			{`$.field: unknown field ""; ` + ckKnown, calldash.ErrUnknownField}}},
		{"zero op", &filter.Condition{Field: "duration", Value: calldash.Int(1)}, nil, []ckErr{
			{`$.op: unknown operator; allowed for numeric field "duration": eq, neq, gt, gte, lt, lte, in, isnull`, calldash.ErrUnknownOperator}}},
		{"zero group", &filter.Group{}, nil, []ckErr{
			{`$.operator: unknown group operator; allowed: and, or, same_row`, calldash.ErrUnknownOperator}}},
		{"nil members", &filter.Group{Operator: filter.GroupAnd, Conditions: []filter.Node{nil, (*filter.Group)(nil),
			&filter.Condition{Field: "topic", Op: filter.OpEq}}}, nil, []ckErr{
			{`$.conditions[0]: missing condition (nil node)`, calldash.ErrShape},
			{`$.conditions[1]: missing condition (nil node)`, calldash.ErrShape},
			{`$.conditions[2].value: null is not a value to compare with; to test for a missing value use {"op": "isnull", "value": true}`, calldash.ErrValueType}}},
		{"limits", &filter.Group{Operator: filter.GroupAnd, Conditions: []filter.Node{
			&filter.Condition{Field: "topic", Op: filter.OpIn, Value: calldash.Value{Kind: calldash.KindList, List: []calldash.Value{calldash.String("a"), calldash.String("b"), calldash.String("c")}}},
			&filter.Condition{Field: "topic", Op: filter.OpEq, Value: calldash.String("abcd")},
			&filter.Condition{Field: "metadata.abc", Op: filter.OpEq, Value: calldash.String("a")},
			&filter.Group{Operator: filter.GroupOr, Conditions: []filter.Node{&filter.Condition{Field: "topic", Op: filter.OpEq, Value: calldash.String("a")}}},
		}}, []filter.Option{filter.WithLimits(small)}, []ckErr{
			{`$.conditions[0].value: list has 3 elements; the limit (MaxList) is 2`, calldash.ErrLimit},
			{`$.conditions[1].value: string value has 4 bytes; the limit (MaxString) is 3`, calldash.ErrLimit},
			{`$.conditions[2].field: metadata key has 3 bytes; the limit (MaxMetadataKey) is 2`, calldash.ErrMetadataKey},
			{`$.conditions[3]: filter has more than 4 conditions and groups (limit MaxNodes)`, calldash.ErrLimit}}},
		{"depth", &filter.Group{Operator: filter.GroupAnd, Conditions: []filter.Node{&filter.Group{Operator: filter.GroupAnd, Conditions: []filter.Node{
			&filter.Condition{Field: "topic", Op: filter.OpEq, Value: calldash.String("a")}}}}}, []filter.Option{filter.WithLimits(small)}, []ckErr{
			{`$.conditions[0].conditions[0]: nesting depth exceeds the limit of 2`, calldash.ErrLimit}}},
		{"own paths win", &filter.Condition{Field: "duration", Op: filter.OpEq, Value: calldash.String("x"), At: "$.filters"}, nil, []ckErr{
			{`$.filters.value: field "duration" is numeric; got string "x"`, calldash.ErrValueType}}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := filter.Check(c.node, nil, c.opts...)
			ckCompare(t, err, c.want)
		})
	}
}

// Paths sort numerically, and a list longer than MaxReported says how many
// more errors there are.
func TestCheckManyErrors(t *testing.T) {
	var b strings.Builder
	b.WriteString(`{"operator":"or","conditions":[`)
	for i := range 12 {
		if i > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, `{"field":"duration","op":"eq","value":"%d"}`, i)
	}
	b.WriteString(`]}`)
	_, err := filter.Validate([]byte(b.String()), nil)
	var want []string
	for i := range 10 {
		want = append(want, fmt.Sprintf(`$.conditions[%d].value: field "duration" is numeric; got string "%d"`, i, i))
	}
	want = append(want, "(and 2 more errors)")
	if diff := cmp.Diff(strings.Join(want, "\n"), fmt.Sprint(err)); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

// FuzzValidate: no input makes Validate panic, and a valid filter prints
// to a canonical form that validates to the same form.
func FuzzValidate(f *testing.F) {
	for _, s := range []string{
		`null`, `{}`, `{"field":"duration","op":"gt","value":1}`,
		`{"operator":"and","conditions":[{"field":"timestamp","op":"gte","value":"today-1d"},{"field":"topic","op":"in","value":["a",1,null]}]}`,
		`{"operator":"same_row","conditions":[{"operator":"same_row","conditions":[{"field":"duration","op":"regex","value":"("}]}]}`,
		`{"operator":"or","conditions":[{"field":"metadata.a.b","op":"contains","value":3},{"field":"x","op":"equals"}]}`,
		// Numbers whose plain text is longer than a filter may hold.
		`{"field":"duration","op":"eq","value":-1e999}`,
		`{"field":"duration","op":"in","value":[1e-999,-15e-1000,1000e998,1.5e-999]}`,
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, input string) {
		n, err := filter.Validate([]byte(input), nil)
		if err != nil {
			if n != nil {
				t.Fatalf("node with errors")
			}
			return
		}
		canon := filter.Format(n.Node())
		n2, err := filter.Validate([]byte(canon), nil)
		if err != nil {
			t.Fatalf("canonical form %s does not validate: %v", canon, err)
		}
		if got := filter.Format(n2.Node()); got != canon {
			t.Fatalf("round trip: %s != %s", got, canon)
		}
	})
}

// TestFormatLongNumbers: a number whose plain decimal text is longer than
// a filter may hold is formatted in exponent notation, and the canonical
// form validates again to the same value.
func TestFormatLongNumbers(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"-1e999", "-1e999"},
		{"1e-999", "1e-999"},
		{"-15e-1000", "-15e-1000"},
		{"1.5e-999", "15e-1000"}, // as short as 1.5e-999: the integer form
		// 992 digits: plain is 1,002 characters, the integer form 998,
		// one digit before the point 996.
		{"1." + strings.Repeat("7", 991) + "e-9", "1." + strings.Repeat("7", 991) + "e-9"},
		{"1000e998", "1000e998"},
		{"1e998", strings.Repeat("0", 998)}, // plain: 999 digits
		{"123.5", "123.5"},
	} {
		in := `{"field":"duration","op":"eq","value":` + tc.in + `}`
		n, err := filter.Validate([]byte(in), nil)
		if err != nil {
			t.Fatalf("%s: %v", in, err)
		}
		canon := filter.Format(n.Node())
		want := `{"field":"duration","op":"eq","value":` + tc.want + `}`
		if tc.in == "1e998" {
			want = `{"field":"duration","op":"eq","value":1` + tc.want + `}`
		}
		if canon != want {
			t.Errorf("%s formats as %.80s…, want %.80s…", tc.in, canon, want)
		}
		n2, err := filter.Validate([]byte(canon), nil)
		if err != nil {
			t.Fatalf("the canonical form of %s does not validate: %v", tc.in, err)
		}
		a, b := n.Node().(*filter.Condition).Value.Num, n2.Node().(*filter.Condition).Value.Num
		if !a.Equal(b) {
			t.Errorf("%s reads back as %s", tc.in, b)
		}
	}
}
