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
		rows, err := buildRows(dialect.Postgres, slices.Values([]calldash.Call{call}))
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
