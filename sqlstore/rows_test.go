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

// TestRowList: the rows of a rowList come back in the order they were
// added, once each, across the blocks (none, one partial block, full
// blocks, and a partial one after them), and all stops when told to.
func TestRowList(t *testing.T) {
	for _, n := range []int{0, 1, rowBlock - 1, rowBlock, rowBlock + 1, 3*rowBlock + 5} {
		var l rowList
		want := make([][]any, n)
		for i := range want {
			want[i] = []any{int64(i)}
			l.add(want[i])
		}
		got := l.rows()
		if len(got) != n {
			t.Fatalf("n=%d: rows() has %d rows", n, len(got))
		}
		var seen [][]any
		for r := range l.all() {
			seen = append(seen, r)
		}
		for i := range want {
			if got[i][0] != want[i][0] || seen[i][0] != want[i][0] {
				t.Fatalf("n=%d: row %d is %v (rows) and %v (all), want %v", n, i, got[i], seen[i], want[i])
			}
		}
		if len(seen) != n {
			t.Fatalf("n=%d: all() yielded %d rows", n, len(seen))
		}
		k := 0
		for range l.all() {
			if k++; k == 2 {
				break
			}
		}
		if k != min(n, 2) {
			t.Errorf("n=%d: all() went on after the loop stopped (%d rows)", n, k)
		}
	}
}

// TestRepeatedIDsAcrossBlocks: the map of ids made at the first id out
// of order holds the ids of every block of rows built so far.
func TestRepeatedIDsAcrossBlocks(t *testing.T) {
	ts := time.Date(2025, 11, 28, 0, 0, 0, 0, time.UTC)
	n := 2*rowBlock + 3
	calls := make([]calldash.Call, 0, n+2)
	for i := range n {
		calls = append(calls, calldash.Call{ID: int64(10 + i), Timestamp: ts, MetricEvaluations: []calldash.Evaluation{{
			ID: int64(10 + i), MetricID: 1, MetricName: calldash.String("m"), EvalType: calldash.EvalBinary, Value: calldash.Bool(true)}}})
	}
	ok := append(slices.Clone(calls), calldash.Call{ID: 1, Timestamp: ts})
	if rows, err := buildRows(dialect.SQLite, slices.Values(ok), false); err != nil || len(rows.calls) != n+1 || len(rows.evaluations) != n {
		t.Fatalf("distinct ids: %v", err)
	}
	// an id out of order (5), then one of the first block (11)
	bad := append(slices.Clone(calls), calldash.Call{ID: 5, Timestamp: ts}, calldash.Call{ID: 11, Timestamp: ts})
	if _, err := buildRows(dialect.SQLite, slices.Values(bad), false); err == nil || err.Error() != "sqlstore: call 11: the id repeats" {
		t.Errorf("call 11 again: got %v", err)
	}
	badEval := append(slices.Clone(calls), calldash.Call{ID: 1, Timestamp: ts, MetricEvaluations: []calldash.Evaluation{{
		ID: 12, MetricID: 1, MetricName: calldash.String("m"), EvalType: calldash.EvalBinary, Value: calldash.Bool(true)}}})
	want := "sqlstore: call 1: metric_evaluations[0]: evaluation id 12 repeats (first in call 12)"
	if _, err := buildRows(dialect.SQLite, slices.Values(badEval), false); err == nil || err.Error() != want {
		t.Errorf("evaluation 12 again: got %v, want %s", err, want)
	}
}
