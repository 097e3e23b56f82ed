package filter_test

import (
	"errors"
	"os"
	"testing"
	"time"

	"github.com/calldash/calldash"
	"github.com/calldash/calldash/filter"
)

// fzCalls are a few call logs that fuzzed filters are matched against:
// every field present, every field null, and every field missing.
var fzCalls = []string{
	`{"id": 1, "timestamp": "2025-11-03T10:30:00Z", "duration": 45.5, "success": true, "is_reviewed": false,
		"call_ended_reason": "customer_ended_call", "dropoff_point": "50%_off\\promo", "topic": "Überweisung",
		"customer_number": "+14155550100", "agent": {"id": 7, "agent_name": "Support EN"},
		"metadata": {"region": "us-east", "priority": 3, "vip": true, "p": "3"},
		"metric_evaluations": [
			{"id": 900, "metric": {"id": 12, "name": "accuracy", "eval_type": "numeric"}, "value": 0.93},
			{"id": 901, "metric": {"id": 14, "name": "sentiment", "eval_type": "enum"}, "value": "Négatif"},
			{"id": 902, "metric": {"id": 15, "name": "resolved", "eval_type": "binary"}, "value": null}]}`,
	`{"id": 2, "timestamp": "2025-11-28T00:00:00+01:00", "duration": null, "success": null, "is_reviewed": null,
		"call_ended_reason": null, "dropoff_point": null, "topic": null, "customer_number": null,
		"agent": null, "metadata": null, "metric_evaluations": null}`,
	`{"id": 3, "timestamp": "2025-11-28T17:59:59.999Z", "metric_evaluations": []}`,
}

// FuzzParse checks, for any input, that Parse, Validate and Compile never
// panic; that the canonical form of whatever Parse builds parses again
// into the same canonical form; that Validate's errors are sorted and
// point into the input; and that a filter Validate accepts compiles and
// matches.
func FuzzParse(f *testing.F) {
	for _, path := range gdInputs(f) {
		data, err := os.ReadFile(path)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	calls := make([]calldash.Call, len(fzCalls))
	for i, text := range fzCalls {
		if err := calls[i].UnmarshalJSON([]byte(text)); err != nil {
			f.Fatalf("call %d: %v", i, err)
		}
	}
	schema := filter.CallLogs()
	env := filter.Env{Now: time.Date(2025, 11, 28, 18, 0, 0, 0, time.UTC), Location: time.FixedZone("UTC-5", -5*3600)}
	f.Fuzz(func(t *testing.T, data []byte) {
		n, perr := filter.Parse(data)
		if perr != nil {
			var list calldash.ErrorList
			if !errors.As(perr, &list) || len(list) == 0 {
				t.Fatalf("Parse error %v (%T) is not a non-empty ErrorList", perr, perr)
			}
			_ = perr.Error()
		}
		gdRoundTrip(t, n, perr == nil)

		v, err := filter.Validate(data, schema)
		if err != nil {
			var list calldash.ErrorList
			if !errors.As(err, &list) || len(list) == 0 {
				t.Fatalf("Validate error %v (%T) is not a non-empty ErrorList", err, err)
			}
			if v != nil {
				t.Fatalf("Validate returned a node with its errors")
			}
			_ = err.Error()
			gdCheckSorted(t, list)
			gdCheckPaths(t, data, list)
			return
		}
		if perr != nil {
			t.Fatalf("Validate accepts what Parse rejects: %v", perr)
		}
		if got, want := filter.Format(v.Node()), filter.Format(n); got != want {
			t.Fatalf("Validate and Parse disagree:\n%s\n%s", got, want)
		}
		m, err := filter.Compile(v, env)
		if err != nil {
			t.Fatalf("Compile after Validate of %s: %v", filter.Format(v.Node()), err)
		}
		for i := range calls {
			m.Match(&calls[i])
		}
	})
}
