package sqlstore

import (
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"github.com/calldash/calldash"
	"github.com/calldash/calldash/dialect"
)

// TestAgentIDRange: an agent id is stored when it is an integer within
// 64 bits, whatever its decimal form, and refused beyond them.
func TestAgentIDRange(t *testing.T) {
	for _, tc := range []struct {
		id   decimal.Decimal
		want int64
		ok   bool
	}{
		{decimal.RequireFromString("9223372036854775807"), 1<<63 - 1, true},
		{decimal.RequireFromString("-9223372036854775808"), -1 << 63, true},
		{decimal.New(5000, -3), 5, true},
		{decimal.New(922337203685477, 4), 9223372036854770000, true},
		{decimal.RequireFromString("9223372036854775808"), 0, false},
		{decimal.RequireFromString("-9223372036854775809"), 0, false},
		{decimal.New(9, 19), 0, false},
		{decimal.New(-1, 30), 0, false},
	} {
		call := calldash.Call{ID: 1, Timestamp: time.Date(2025, 11, 28, 0, 0, 0, 0, time.UTC), AgentID: calldash.Number(tc.id)}
		rows, err := buildRows(dialect.Postgres, slices.Values([]calldash.Call{call}), false)
		switch {
		case !tc.ok && !errors.Is(err, ErrRefused):
			t.Errorf("agent id %s: got %v, want a refusal", tc.id, err)
		case tc.ok && err != nil:
			t.Errorf("agent id %s: %v", tc.id, err)
		case tc.ok && rows.agents[0][0] != tc.want:
			t.Errorf("agent id %s stored as %v, want %d", tc.id, rows.agents[0][0], tc.want)
		}
	}
}

// TestRepeatedIDs: a call or evaluation id that repeats is refused, with
// the call that had it first, whether the ids before it were in order
// or not (the index of ids changes form at the first one out of order).
func TestRepeatedIDs(t *testing.T) {
	ts := time.Date(2025, 11, 28, 0, 0, 0, 0, time.UTC)
	call := func(id int64, evals ...int64) calldash.Call {
		c := calldash.Call{ID: id, Timestamp: ts}
		for _, e := range evals {
			c.MetricEvaluations = append(c.MetricEvaluations, calldash.Evaluation{
				ID: e, MetricID: 1, MetricName: calldash.String("m"), EvalType: calldash.EvalBinary, Value: calldash.Bool(true)})
		}
		return c
	}
	for _, tc := range []struct {
		name  string
		calls []calldash.Call
		want  string // "" for no error
	}{
		{"in order", []calldash.Call{call(1, 1, 2), call(2, 3), call(5, 9)}, ""},
		{"out of order, distinct", []calldash.Call{call(3, 5), call(1, 2, 1), call(2, 9, 3)}, ""},
		{"call repeats in order", []calldash.Call{call(1), call(2), call(2)}, "sqlstore: call 2: the id repeats"},
		{"call repeats out of order", []calldash.Call{call(3), call(1), call(2), call(3)}, "sqlstore: call 3: the id repeats"},
		{"call repeats at the switch", []calldash.Call{call(3), call(4), call(3)}, "sqlstore: call 3: the id repeats"},
		{"evaluation repeats in one call", []calldash.Call{call(1, 1, 1)}, "sqlstore: call 1: metric_evaluations[1]: evaluation id 1 repeats (first in call 1)"},
		{"evaluation repeats out of order", []calldash.Call{call(1, 7, 8), call(2, 3), call(3, 4, 8)},
			"sqlstore: call 3: metric_evaluations[1]: evaluation id 8 repeats (first in call 1)"},
		{"evaluation repeats at the switch", []calldash.Call{call(1, 7), call(2, 8), call(4, 5), call(3, 7)},
			"sqlstore: call 3: metric_evaluations[0]: evaluation id 7 repeats (first in call 1)"},
	} {
		_, err := buildRows(dialect.SQLite, slices.Values(tc.calls), false)
		switch {
		case tc.want == "" && err != nil:
			t.Errorf("%s: %v", tc.name, err)
		case tc.want != "" && (err == nil || err.Error() != tc.want || !errors.Is(err, ErrRefused)):
			t.Errorf("%s: got %v, want %s", tc.name, err, tc.want)
		}
	}
}
