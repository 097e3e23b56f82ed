package filter_test

import (
	"errors"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"github.com/calldash/calldash"
	"github.com/calldash/calldash/filter"
)

// matchCalls are the call logs every case of TestMatch runs against, by
// name. Between them they hold every field present, null and missing.
var matchCalls = []struct{ name, json string }{
	{"a", `{"id": 1, "timestamp": "2025-11-03T10:30:00Z", "duration": 45.5, "success": true, "is_reviewed": false,
		"call_ended_reason": "customer_ended_call", "dropoff_point": null, "topic": "billing",
		"customer_number": "+14155550100", "agent": {"id": 7, "agent_name": "Support EN"},
		"metadata": {"region": "us-east", "count": 3, "vip": true, "ringing": 3.941},
		"metric_evaluations": [
			{"id": 900, "metric": {"id": 12, "name": "accuracy", "eval_type": "numeric"}, "value": 0.93},
			{"id": 901, "metric": {"id": 14, "name": "sentiment", "eval_type": "enum"}, "value": "positive"}]}`},
	{"b", `{"id": 2, "timestamp": "2025-11-05T04:30:00Z", "duration": 60.0, "success": false, "is_reviewed": true,
		"call_ended_reason": "agent_ended_call", "dropoff_point": "step_1 100%\\done", "topic": "ÉCOLE Straße",
		"agent": {"id": 8, "agent_name": "Ventes FR"},
		"metadata": {"region": "eu-west", "count": "3", "vip": "true", "obj": {"a": 1}, "arr": [1, 2]},
		"metric_evaluations": [
			{"id": 910, "metric": {"id": 12, "name": "accuracy", "eval_type": "numeric"}, "value": 0.5},
			{"id": 911, "metric": {"id": 13, "name": "empathy", "eval_type": "continuous_qualitative"}, "value": 0.95},
			{"id": 912, "metric": {"id": 15, "name": "resolved", "eval_type": "binary"}, "value": true}]}`},
	{"c", `{"id": 3, "timestamp": "2025-11-05T09:00:00Z", "duration": null, "success": null, "is_reviewed": null,
		"call_ended_reason": null, "dropoff_point": null, "topic": null, "customer_number": null,
		"agent": null, "metadata": null, "metric_evaluations": null}`},
	{"d", `{"id": 4, "timestamp": "2025-11-05T15:00:00Z"}`},
	{"e", `{"id": 5, "timestamp": "2025-11-06T04:59:59Z", "duration": 1e2, "success": true, "topic": "ΟΔΥΣΣΕΥΣ",
		"agent": {"id": null, "agent_name": null},
		"metadata": {"region": "\u212Aelvin", "count": 100, "score": 0.30},
		"metric_evaluations": [
			{"id": 920, "metric": {"id": 12, "name": "accuracy", "eval_type": "numeric"}, "value": null},
			{"id": 921, "metric": {"id": 14, "name": "sentiment", "eval_type": "enum"}, "value": null}]}`},
	{"f", `{"id": 6, "timestamp": "2025-11-06T05:00:00Z", "duration": 0.3, "topic": "ſtatus",
		"call_ended_reason": "Customer_Ended_Call", "agent": {"id": 9, "agent_name": "support en"},
		"metadata": {"score": 0.3, "count": -3}, "metric_evaluations": []}`},
	{"g", `{"id": 7, "timestamp": "2025-11-04T12:00:00Z",
		"metric_evaluations": [
			{"id": 930, "metric": {"id": 15, "name": "resolved", "eval_type": "binary"}, "value": false},
			{"id": 931, "metric": {"id": 12, "name": "accuracy", "eval_type": "numeric"}, "value": 1}]}`},
}

const allCalls = "a,b,c,d,e,f,g"

// matchEnv is 14:30 on Wednesday 2025-11-05 in New York (UTC-5): "today"
// runs from 2025-11-05T05:00:00Z to 2025-11-06T05:00:00Z.
func matchEnv(t testing.TB) filter.Env {
	loc, err := time.LoadLocation("America/New_York")
	if err != nil {
		t.Skipf("no time zone database: %v", err)
	}
	return filter.Env{Now: time.Date(2025, 11, 5, 19, 30, 0, 0, time.UTC), Location: loc}
}

func decodeCalls(t testing.TB) []calldash.Call {
	t.Helper()
	calls := make([]calldash.Call, len(matchCalls))
	for i, c := range matchCalls {
		if err := calls[i].UnmarshalJSON([]byte(c.json)); err != nil {
			t.Fatalf("call %s: %v", c.name, err)
		}
	}
	return calls
}

// matching returns the names of the calls m matches, comma-separated.
func matching(m *filter.Matcher, calls []calldash.Call) string {
	var names []string
	for i := range calls {
		if m.Match(&calls[i]) {
			names = append(names, matchCalls[i].name)
		}
	}
	return strings.Join(names, ",")
}

func compileJSON(t testing.TB, text string, env filter.Env) *filter.Matcher {
	t.Helper()
	n, err := filter.Parse([]byte(text))
	if err != nil {
		t.Fatalf("Parse(%s): %v", text, err)
	}
	m, err := filter.Compile(filter.Unchecked(n, nil), env)
	if err != nil {
		t.Fatalf("Compile(%s): %v", text, err)
	}
	return m
}

type matchCase struct {
	name   string
	filter string
	want   string // names of the matching calls, in the order of matchCalls
}

// leaf builds a condition's JSON; value is JSON text.
func leaf(field, op, value string) string {
	return `{"field": "` + field + `", "op": "` + op + `", "value": ` + value + `}`
}

func group(op string, conds ...string) string {
	return `{"operator": "` + op + `", "conditions": [` + strings.Join(conds, ", ") + `]}`
}

func runMatchCases(t *testing.T, env filter.Env, cases []matchCase) {
	t.Helper()
	calls := decodeCalls(t)
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			m := compileJSON(t, tc.filter, env)
			if got := matching(m, calls); got != tc.want {
				t.Errorf("filter %s\nmatches %q, want %q", tc.filter, got, tc.want)
			}
		})
	}
}

func TestMatchNoFilter(t *testing.T) {
	runMatchCases(t, matchEnv(t), []matchCase{
		{"null", `null`, allCalls},
		{"empty object", `{}`, allCalls},
		{"empty and", group("and"), allCalls},
		{"empty or", group("or"), ""},
		{"and of empty or", group("and", group("or")), ""},
		{"or of empty and", group("or", group("and")), allCalls},
		{"and of empty and and a leaf", group("and", group("and"), leaf("duration", "eq", "60")), "b"},
		{"or of empty or and a leaf", group("or", group("or"), leaf("duration", "eq", "60")), "b"},
	})
	var m *filter.Matcher
	if !m.Match(&calldash.Call{}) {
		t.Error("a nil *Matcher does not match")
	}
}

func TestMatchInteger(t *testing.T) {
	runMatchCases(t, matchEnv(t), []matchCase{
		{"eq", leaf("id", "eq", "2"), "b"},
		{"eq 2.0", leaf("id", "eq", "2.0"), "b"},
		{"eq 20e-1", leaf("id", "eq", "20e-1"), "b"},
		{"neq", leaf("id", "neq", "2"), "a,c,d,e,f,g"},
		{"gt", leaf("id", "gt", "4"), "e,f,g"},
		{"gte", leaf("id", "gte", "4"), "d,e,f,g"},
		{"lt", leaf("id", "lt", "1e0"), ""},
		{"lte", leaf("id", "lte", "1e0"), "a"},
		{"gt max int64", leaf("id", "gt", "9223372036854775807"), ""},
		{"gte min int64", leaf("id", "gte", "-9223372036854775808"), allCalls},
		{"in", leaf("id", "in", "[1, 3.0, 1e1]"), "a,c"},
		{"in many", leaf("id", "in", "[1, 3, 5, 7, 9, 11, 13, 15, 17, 19]"), "a,c,e,g"},
		{"in empty", leaf("id", "in", "[]"), ""},

		{"agent.id eq", leaf("agent.id", "eq", "7"), "a"},
		{"agent.id neq (null matches)", leaf("agent.id", "neq", "7"), "b,c,d,e,f,g"},
		{"agent.id in", leaf("agent.id", "in", "[7, 9]"), "a,f"},
		{"agent.id isnull true", leaf("agent.id", "isnull", "true"), "c,d,e,g"},
		{"agent.id isnull false", leaf("agent.id", "isnull", "false"), "a,b,f"},
	})
}

func TestMatchNumeric(t *testing.T) {
	runMatchCases(t, matchEnv(t), []matchCase{
		{"eq 60 vs 60.0", leaf("duration", "eq", "60"), "b"},
		{"eq 60.00", leaf("duration", "eq", "60.00"), "b"},
		{"eq 1e2 vs 1e2", leaf("duration", "eq", "1e2"), "e"},
		{"eq 100 vs 1e2", leaf("duration", "eq", "100"), "e"},
		{"eq 0.30 vs 0.3", leaf("duration", "eq", "0.30"), "f"},
		{"eq 0.30000000000000000001", leaf("duration", "eq", "0.30000000000000000001"), ""},
		{"neq (null matches)", leaf("duration", "neq", "60"), "a,c,d,e,f,g"},
		{"gt", leaf("duration", "gt", "45.5"), "b,e"},
		{"gte", leaf("duration", "gte", "45.5"), "a,b,e"},
		{"lt", leaf("duration", "lt", "60"), "a,f"},
		{"lte", leaf("duration", "lte", "60"), "a,b,f"},
		{"gt 0.29999999999999999999", leaf("duration", "gt", "0.29999999999999999999"), "a,b,e,f"},
		{"lt 0.30000000000000000001", leaf("duration", "lt", "0.30000000000000000001"), "f"},
		{"gte -1e900", leaf("duration", "gte", "-1e900"), "a,b,e,f"},
		{"lt 1e-900", leaf("duration", "lt", "1e-900"), ""},
		{"in", leaf("duration", "in", "[0.3, 100]"), "e,f"},
		{"in empty", leaf("duration", "in", "[]"), ""},
		{"isnull true", leaf("duration", "isnull", "true"), "c,d,g"},
		{"isnull false", leaf("duration", "isnull", "false"), "a,b,e,f"},
	})
}

func TestMatchBoolean(t *testing.T) {
	runMatchCases(t, matchEnv(t), []matchCase{
		{"eq true", leaf("success", "eq", "true"), "a,e"},
		{"eq false", leaf("success", "eq", "false"), "b"},
		{"neq true (null matches)", leaf("success", "neq", "true"), "b,c,d,f,g"},
		{"neq false (null matches)", leaf("success", "neq", "false"), "a,c,d,e,f,g"},
		{"isnull true", leaf("success", "isnull", "true"), "c,d,f,g"},
		{"isnull false", leaf("success", "isnull", "false"), "a,b,e"},
		{"is_reviewed eq true", leaf("is_reviewed", "eq", "true"), "b"},
		{"is_reviewed neq true", leaf("is_reviewed", "neq", "true"), "a,c,d,e,f,g"},
		{"is_reviewed isnull false", leaf("is_reviewed", "isnull", "false"), "a,b"},
	})
}

func TestMatchString(t *testing.T) {
	runMatchCases(t, matchEnv(t), []matchCase{
		{"eq", leaf("topic", "eq", `"billing"`), "a"},
		{"eq is case-sensitive", leaf("topic", "eq", `"Billing"`), ""},
		{"neq (null matches)", leaf("topic", "neq", `"billing"`), "b,c,d,e,f,g"},
		{"in", leaf("topic", "in", `["billing", "ſtatus"]`), "a,f"},
		{"in is case-sensitive", leaf("topic", "in", `["BILLING"]`), ""},
		{"in empty", leaf("topic", "in", `[]`), ""},
		{"isnull true", leaf("topic", "isnull", "true"), "c,d,g"},
		{"isnull false", leaf("topic", "isnull", "false"), "a,b,e,f"},

		{"contains lower in upper non-ASCII", leaf("topic", "contains", `"éco"`), "b"},
		{"contains upper", leaf("topic", "contains", `"ÉCO"`), "b"},
		{"contains ß", leaf("topic", "contains", `"straße"`), "b"},
		{"contains capital sharp s folds to ß", leaf("topic", "contains", `"STRAẞE"`), "b"},
		{"contains: ss is not ß (no full folding)", leaf("topic", "contains", `"STRASSE"`), ""},
		{"startswith final sigma", leaf("topic", "startswith", `"οδυσσευς"`), "e"},
		{"endswith final sigma", leaf("topic", "endswith", `"ς"`), "e"},
		{"contains sigma", leaf("topic", "contains", `"σσ"`), "e"},
		{"startswith: long s folds to s", leaf("topic", "startswith", `"STAT"`), "f"},
		{"contains S: Latin only", leaf("topic", "contains", `"S"`), "b,f"},
		{"endswith", leaf("topic", "endswith", `"US"`), "f"},
		{"contains empty matches every string", leaf("topic", "contains", `""`), "a,b,e,f"},
		{"startswith longer than value", leaf("topic", "startswith", `"billings"`), ""},
		{"endswith longer than value", leaf("topic", "endswith", `"xbilling"`), ""},
		{"regex unanchored", leaf("topic", "regex", `"ill"`), "a"},
		{"regex anchored", leaf("topic", "regex", `"^bil"`), "a"},
		{"regex is case-sensitive", leaf("topic", "regex", `"STRASSE|BILLING"`), ""},
		{"regex (?i)", leaf("topic", "regex", `"(?i)école"`), "b"},
		{"regex empty matches every string", leaf("topic", "regex", `""`), "a,b,e,f"},

		{"call_ended_reason contains", leaf("call_ended_reason", "contains", `"ENDED"`), "a,b,f"},
		{"call_ended_reason startswith", leaf("call_ended_reason", "startswith", `"customer_"`), "a,f"},
		{"call_ended_reason endswith", leaf("call_ended_reason", "endswith", `"_CALL"`), "a,b,f"},
		{"underscore is literal", leaf("call_ended_reason", "contains", `"r_e"`), "a,f"},
		{"percent is literal", leaf("call_ended_reason", "contains", `"r%e"`), ""},

		{"dropoff_point contains %", leaf("dropoff_point", "contains", `"100%"`), "b"},
		{"dropoff_point contains %\\", leaf("dropoff_point", "contains", `"%\\"`), "b"},
		{"dropoff_point contains _", leaf("dropoff_point", "contains", `"p_1"`), "b"},
		{"dropoff_point % is no wildcard", leaf("dropoff_point", "contains", `"p%1"`), ""},
		{"dropoff_point startswith with %", leaf("dropoff_point", "startswith", `"step%"`), ""},
		{"dropoff_point endswith \\", leaf("dropoff_point", "endswith", `"\\DONE"`), "b"},
		{"dropoff_point \\ is no escape", leaf("dropoff_point", "contains", `"\\d"`), "b"},
		{"dropoff_point \\n is not newline or n", leaf("dropoff_point", "contains", `"\\n"`), ""},
		{"dropoff_point neq", leaf("dropoff_point", "neq", `"x"`), allCalls},

		{"customer_number startswith +", leaf("customer_number", "startswith", `"+1415"`), "a"},
		{"customer_number regex", leaf("customer_number", "regex", `"^\\+1\\d{10}$"`), "a"},

		{"agent_name eq", leaf("agent.agent_name", "eq", `"Support EN"`), "a"},
		{"agent_name contains", leaf("agent.agent_name", "contains", `"SUPPORT"`), "a,f"},
		{"agent_name endswith", leaf("agent.agent_name", "endswith", `" en"`), "a,f"},
		{"agent_name regex", leaf("agent.agent_name", "regex", `"EN$"`), "a"},
		{"agent_name isnull true", leaf("agent.agent_name", "isnull", "true"), "c,d,e,g"},
		{"agent_name neq", leaf("agent.agent_name", "neq", `"Support EN"`), "b,c,d,e,f,g"},
	})
}

func TestMatchMetadata(t *testing.T) {
	runMatchCases(t, matchEnv(t), []matchCase{
		{"string eq", leaf("metadata.region", "eq", `"us-east"`), "a"},
		{"string neq", leaf("metadata.region", "neq", `"us-east"`), "b,c,d,e,f,g"},
		{"string eq is byte-wise (Kelvin sign is not K)", leaf("metadata.region", "eq", `"Kelvin"`), ""},
		{"contains folds the Kelvin sign", leaf("metadata.region", "contains", `"KEL"`), "e"},
		{"startswith folds the Kelvin sign", leaf("metadata.region", "startswith", `"k"`), "e"},
		{"contains", leaf("metadata.region", "contains", `"-"`), "a,b"},
		{"regex", leaf("metadata.region", "regex", `"^eu-"`), "b"},
		{"gt string (byte order)", leaf("metadata.region", "gt", `"a"`), "a,b,e"},
		{"lt string", leaf("metadata.region", "lt", `"f"`), "b"},
		{"in strings", leaf("metadata.region", "in", `["us-east", "eu-west"]`), "a,b"},
		{"isnull true", leaf("metadata.region", "isnull", "true"), "c,d,f,g"},
		{"isnull false", leaf("metadata.region", "isnull", "false"), "a,b,e"},

		{`number eq 3 is not "3"`, leaf("metadata.count", "eq", "3"), "a"},
		{`string eq "3" is not 3`, leaf("metadata.count", "eq", `"3"`), "b"},
		{"number eq 3.0", leaf("metadata.count", "eq", "3.0"), "a"},
		{"number eq 1e2", leaf("metadata.count", "eq", "1e2"), "e"},
		{`number neq: "3" is not equal`, leaf("metadata.count", "neq", "3"), "b,c,d,e,f,g"},
		{`string neq: 3 is not equal`, leaf("metadata.count", "neq", `"3"`), "a,c,d,e,f,g"},
		{"number gt skips strings", leaf("metadata.count", "gt", "2"), "a,e"},
		{"number lt", leaf("metadata.count", "lt", "0"), "f"},
		{"number gte", leaf("metadata.count", "gte", "-3"), "a,e,f"},
		{"in mixed types", leaf("metadata.count", "in", `[3, "3"]`), "a,b"},
		{"in string only", leaf("metadata.count", "in", `["3"]`), "b"},
		{"in number and boolean", leaf("metadata.count", "in", `[100, true]`), "e"},
		{"in empty", leaf("metadata.count", "in", `[]`), ""},
		{"contains matches strings only", leaf("metadata.count", "contains", `"3"`), "b"},
		{"regex matches strings only", leaf("metadata.count", "regex", `"3"`), "b"},
		{"isnull false", leaf("metadata.count", "isnull", "false"), "a,b,e,f"},

		{"boolean eq true", leaf("metadata.vip", "eq", "true"), "a"},
		{`string eq "true"`, leaf("metadata.vip", "eq", `"true"`), "b"},
		{"boolean neq true", leaf("metadata.vip", "neq", "true"), "b,c,d,e,f,g"},
		{"in true", leaf("metadata.vip", "in", "[true]"), "a"},
		{"in false", leaf("metadata.vip", "in", "[false]"), ""},
		{"in true and \"true\"", leaf("metadata.vip", "in", `[true, "true"]`), "a,b"},

		{"exact decimals 0.3 = 0.30", leaf("metadata.score", "eq", "0.3"), "e,f"},
		{`0.3 is not "0.3"`, leaf("metadata.score", "eq", `"0.3"`), ""},
		{"exact decimals 3.941", leaf("metadata.ringing", "eq", "3.941"), "a"},
		{"exact decimals gt 3.9405", leaf("metadata.ringing", "gt", "3.9405"), "a"},

		{"object value is missing: isnull true", leaf("metadata.obj", "isnull", "true"), allCalls},
		{"object value is missing: isnull false", leaf("metadata.obj", "isnull", "false"), ""},
		{"object value is missing: eq", leaf("metadata.obj", "eq", `"x"`), ""},
		{"object value is missing: neq", leaf("metadata.obj", "neq", `"x"`), allCalls},
		{"array value is missing", leaf("metadata.arr", "isnull", "true"), allCalls},
		{"missing key eq", leaf("metadata.nope", "eq", "1"), ""},
		{"missing key neq", leaf("metadata.nope", "neq", "1"), allCalls},
	})
}

func TestMatchDatetime(t *testing.T) {
	env := matchEnv(t)
	runMatchCases(t, env, []matchCase{
		{"gte today", leaf("timestamp", "gte", `"today"`), "c,d,e,f"},
		{"gt today", leaf("timestamp", "gt", `"today"`), "c,d,e,f"},
		{"lt today is before the next midnight", leaf("timestamp", "lt", `"today"`), "a,b,c,d,e,g"},
		{"lte today includes all of today", leaf("timestamp", "lte", `"today"`), "a,b,c,d,e,g"},
		{"eq today is midnight", leaf("timestamp", "eq", `"today"`), ""},
		{"eq today+1d", leaf("timestamp", "eq", `"today+1d"`), "f"},
		{"neq today", leaf("timestamp", "neq", `"today"`), allCalls},
		{"gte today-1d", leaf("timestamp", "gte", `"today-1d"`), "b,c,d,e,f,g"},
		{"lte today-1d", leaf("timestamp", "lte", `"today-1d"`), "a,b,g"},
		{"lt today-2h", leaf("timestamp", "lt", `"today-2h"`), "a,b,c,d,g"},
		{"gte date in the zone", leaf("timestamp", "gte", `"2025-11-05"`), "c,d,e,f"},
		{"gte now-1d", leaf("timestamp", "gte", `"now-1d"`), "b,c,d,e,f"},
		{"lt now", leaf("timestamp", "lt", `"now"`), "a,b,c,d,g"},
		{"eq instant in another offset", leaf("timestamp", "eq", `"2025-11-05T10:00:00-05:00"`), "d"},
		{"neq instant", leaf("timestamp", "neq", `"2025-11-05T10:00:00-05:00"`), "a,b,c,e,f,g"},
		{"gt", leaf("timestamp", "gt", `"2025-11-06T04:59:59Z"`), "f"},
		{"gte", leaf("timestamp", "gte", `"2025-11-06T04:59:59Z"`), "e,f"},
		{"gte with nanoseconds", leaf("timestamp", "gte", `"2025-11-06T04:59:59.000000001Z"`), "f"},
		{"range", group("and", leaf("timestamp", "gte", `"today"`), leaf("timestamp", "lte", `"today"`)), "c,d,e"},
	})
	utc := filter.Env{Now: env.Now}
	runMatchCases(t, utc, []matchCase{
		{"UTC gte date", leaf("timestamp", "gte", `"2025-11-05"`), "b,c,d,e,f"},
		{"UTC lte today", leaf("timestamp", "lte", `"today"`), "a,b,c,d,g"},
	})
}

// Metric evaluation rows of the calls:
//
//	a: accuracy(12) 0.93, sentiment(14) "positive"
//	b: accuracy(12) 0.5, empathy(13) 0.95, resolved(15) true
//	c: null; d: missing; f: []
//	e: accuracy(12) null, sentiment(14) null
//	g: resolved(15) false, accuracy(12) 1
func TestMatchMetricEvaluations(t *testing.T) {
	const (
		id    = "metric_evaluations.metric.id"
		name  = "metric_evaluations.metric.name"
		value = "metric_evaluations.value"
	)
	runMatchCases(t, matchEnv(t), []matchCase{
		{"metric.id eq: some row", leaf(id, "eq", "12"), "a,b,e,g"},
		{"metric.id eq 13", leaf(id, "eq", "13"), "b"},
		{"metric.id neq: no row equals", leaf(id, "neq", "12"), "c,d,f"},
		{"metric.id neq 14", leaf(id, "neq", "14"), "b,c,d,f,g"},
		{"metric.id in", leaf(id, "in", "[13, 14]"), "a,b,e"},
		{"metric.id in empty", leaf(id, "in", "[]"), ""},

		{"metric.name eq", leaf(name, "eq", `"accuracy"`), "a,b,e,g"},
		{"metric.name contains", leaf(name, "contains", `"ACC"`), "a,b,e,g"},
		{"metric.name startswith", leaf(name, "startswith", `"sent"`), "a,e"},
		{"metric.name endswith", leaf(name, "endswith", `"THY"`), "b"},
		{"metric.name regex", leaf(name, "regex", `"^emp"`), "b"},
		{"enum value regex", leaf(value, "regex", `"^pos"`), "a"},
		{"enum value regex matches no number or boolean", leaf(value, "regex", `"^(0|1|true)"`), ""},
		{"enum value regex in same_row", group("same_row", leaf(id, "eq", "14"), leaf(value, "regex", `"i"`)), "a"},
		{"enum value regex of another metric in same_row", group("same_row", leaf(id, "eq", "12"), leaf(value, "regex", `""`)), ""},
		{"metric.name in", leaf(name, "in", `["empathy", "resolved"]`), "b,g"},
		{"metric.name neq: no row equals", leaf(name, "neq", `"accuracy"`), "c,d,f"},
		{"metric.name isnull true: no row has one", leaf(name, "isnull", "true"), "c,d,f"},
		{"metric.name isnull false", leaf(name, "isnull", "false"), "a,b,e,g"},

		{"value gt (numeric, continuous)", leaf(value, "gt", "0.9"), "a,b,g"},
		{"value lt", leaf(value, "lt", "1"), "a,b"},
		{"value lte", leaf(value, "lte", "1"), "a,b,g"},
		{"value eq 0.5", leaf(value, "eq", "0.5"), "b"},
		{"value eq 1.0", leaf(value, "eq", "1.0"), "g"},
		{`value eq "0.5" is not 0.5`, leaf(value, "eq", `"0.5"`), ""},
		{"value eq enum", leaf(value, "eq", `"positive"`), "a"},
		{"value contains enum", leaf(value, "contains", `"POS"`), "a"},
		{"value contains skips numbers", leaf(value, "contains", `"1"`), ""},
		{"value gt string", leaf(value, "gt", `"a"`), "a"},
		{"value eq true (binary)", leaf(value, "eq", "true"), "b"},
		{"value eq false (binary)", leaf(value, "eq", "false"), "g"},
		{"value in mixed types", leaf(value, "in", `[0.5, "positive"]`), "a,b"},
		{"value in boolean and number", leaf(value, "in", `[false, 0.93]`), "a,g"},
		{"value in empty", leaf(value, "in", `[]`), ""},
		{"value neq true: no row equals", leaf(value, "neq", "true"), "a,c,d,e,f,g"},
		{"value neq 0.5", leaf(value, "neq", "0.5"), "a,c,d,e,f,g"},
		{`value neq "positive"`, leaf(value, "neq", `"positive"`), "b,c,d,e,f,g"},
		{"value isnull true: no row has a value", leaf(value, "isnull", "true"), "c,d,e,f"},
		{"value isnull false: some row has a value", leaf(value, "isnull", "false"), "a,b,g"},

		{"and of leaves: any rows", group("and", leaf(id, "eq", "12"), leaf(value, "gt", "0.9")), "a,b,g"},
		{"same_row: one row", group("same_row", leaf(id, "eq", "12"), leaf(value, "gt", "0.9")), "a,g"},
		{"same_row neq: ordinary null rule", group("same_row", leaf(id, "eq", "12"), leaf(value, "neq", "0.93")), "b,e,g"},
		{"same_row isnull true", group("same_row", leaf(id, "eq", "12"), leaf(value, "isnull", "true")), "e"},
		{"same_row isnull false", group("same_row", leaf(id, "eq", "14"), leaf(value, "isnull", "false")), "a"},
		{"same_row neq on id", group("same_row", leaf(id, "neq", "12")), "a,b,e,g"},
		{"same_row with nested or", group("same_row", leaf(name, "eq", `"sentiment"`),
			group("or", leaf(value, "eq", `"positive"`), leaf(value, "isnull", "true"))), "a,e"},
		{"same_row with nested and", group("same_row", group("and", leaf(id, "in", "[12, 13]"), leaf(value, "gt", "0.9"))), "a,b,g"},
		{"same_row empty: some row", group("same_row"), "a,b,e,g"},
		{"or of same_rows", group("or",
			group("same_row", leaf(id, "eq", "15"), leaf(value, "eq", "true")),
			group("same_row", leaf(id, "eq", "12"), leaf(value, "lt", "0.6"))), "b"},
		{"and of same_rows: rows may differ", group("and",
			group("same_row", leaf(id, "eq", "12"), leaf(value, "eq", "0.5")),
			group("same_row", leaf(id, "eq", "15"), leaf(value, "eq", "true"))), "b"},
		{"same_row and a call field", group("and",
			group("same_row", leaf(id, "eq", "12"), leaf(value, "gte", "0.9")), leaf("success", "eq", "true")), "a"},
	})
}

func TestMatchNestedGroups(t *testing.T) {
	runMatchCases(t, matchEnv(t), []matchCase{
		{"or of and", group("or",
			group("and", leaf("success", "eq", "true"), leaf("duration", "gt", "50")),
			leaf("topic", "eq", `"billing"`)), "a,e"},
		{"and of or", group("and",
			group("or", leaf("duration", "lt", "50"), leaf("duration", "isnull", "true")),
			group("or", leaf("metadata.count", "isnull", "false"), leaf("topic", "isnull", "true"))), "a,c,d,f,g"},
		{"three levels", group("and",
			leaf("timestamp", "lt", `"today"`),
			group("or",
				group("and", leaf("agent.id", "in", "[7, 8]"), leaf("metadata.region", "startswith", `"EU"`)),
				leaf("metric_evaluations.value", "eq", "false"))), "b,g"},
		{"many members", group("and",
			leaf("id", "gte", "1"), leaf("id", "lte", "7"), leaf("duration", "isnull", "false"),
			leaf("topic", "neq", `"x"`)), "a,b,e,f"},
		{"many or members", group("or",
			leaf("id", "eq", "1"), leaf("id", "eq", "3"), leaf("id", "eq", "5")), "a,c,e"},
	})
}

func TestCompileErrors(t *testing.T) {
	cases := []struct {
		name, filter string
		kind         error
	}{
		{"unknown field", leaf("durations", "eq", "1"), calldash.ErrUnknownField},
		{"operator not allowed", leaf("success", "gt", "true"), calldash.ErrOperatorNotAllowed},
		{"wrong value type", leaf("duration", "eq", `"60"`), calldash.ErrValueType},
		{"bad regex", leaf("topic", "regex", `"("`), calldash.ErrInvalidRegex},
		{"bad time", leaf("timestamp", "gt", `"yesterday"`), calldash.ErrInvalidTime},
		{"same_row with a call field", group("same_row", leaf("duration", "eq", "1")), calldash.ErrSameRow},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			n, err := filter.Parse([]byte(tc.filter))
			if err != nil {
				t.Fatal(err)
			}
			c, err := filter.Check(n, nil)
			if !errors.Is(err, tc.kind) || c != nil {
				t.Errorf("Check(%s) = %v, %v; want error %v", tc.filter, c, err, tc.kind)
			}
		})
	}
}

// TestMatchAllocs checks that matching allocates nothing per call.
func TestMatchAllocs(t *testing.T) {
	calls := decodeCalls(t)
	filters := []string{
		group("and", leaf("success", "eq", "true"), leaf("duration", "gte", "60")),
		leaf("id", "in", "[1, 3, 5, 7, 9, 11, 13, 15, 17, 19]"),
		leaf("id", "gt", "2"),
		leaf("duration", "lt", "45.55"),
		leaf("topic", "contains", `"ÉCO"`),
		leaf("topic", "endswith", `"ς"`),
		leaf("topic", "regex", `"^b.*g$"`),
		leaf("metadata.region", "in", `["us-east", "eu-west", 3]`),
		leaf("metadata.count", "gte", "-3"),
		leaf("timestamp", "gte", `"today-7d"`),
		leaf("metric_evaluations.value", "neq", "0.5"),
		leaf("duration", "gt", "1234567890123456789012e977"),
		leaf("id", "lt", "-1234567890123456789012e977"),
		leaf("metadata.count", "lte", "1234567890123456789012e-999"),
		group("same_row", leaf("metric_evaluations.metric.id", "eq", "12"), leaf("metric_evaluations.value", "gt", "0.9")),
	}
	for _, f := range filters {
		if raceEnabled && strings.Contains(f, `"regex"`) {
			continue
		}
		m := compileJSON(t, f, matchEnv(t))
		allocs := testing.AllocsPerRun(100, func() {
			for i := range calls {
				m.Match(&calls[i])
			}
		})
		if allocs != 0 {
			t.Errorf("filter %s: %v allocations per run of %d calls", f, allocs, len(calls))
		}
	}
}

// TestInManyNumbers: an in list of many numbers (searched sorted) matches
// exactly the field values equal to one of its elements, whatever their
// notation (1, 1.0, 10e-1), sign or size, duplicates included.
func TestInManyNumbers(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 5))
	texts := []string{"0", "-0.0", "1", "1.0", "10e-1", "-1", "2.5", "25e-1", "1e30", "1000000000000000000000000000000",
		"-1e30", "123456789012345678901234567890.5", "0.0001", "1e-4", "99", "-99.99", "7", "7e0", "3.14159"}
	for round := range 200 {
		var list []string
		for range 9 + rng.IntN(12) {
			list = append(list, texts[rng.IntN(len(texts))])
		}
		m := compileJSON(t, leaf("duration", "in", "["+strings.Join(list, ",")+"]"), filter.Env{})
		for _, x := range texts {
			d := decimal.RequireFromString(x)
			want := false
			for _, e := range list {
				want = want || decimal.RequireFromString(e).Equal(d)
			}
			c := calldash.Call{Duration: calldash.Number(d)}
			if got := m.Match(&c); got != want {
				t.Fatalf("round %d: %s in %v: %v, want %v", round, x, list, got, want)
			}
		}
	}
}
