package widget_test

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/calldash/calldash"
	"github.com/calldash/calldash/widget"
)

// TestErrorBody: invalid input is rendered with its messages; a failure
// of the system (nil included) only as the generic message, whatever its
// text holds.
func TestErrorBody(t *testing.T) {
	typeErr := calldash.Errorf("$.chart_type", calldash.ErrChoice, `unknown chart type "pi"`)
	leafErr := calldash.Errorf("$.filters.conditions[0].op", calldash.ErrUnknownOperator, "unknown operator")
	dbErr := errors.New(`pq: relation "call_logs" does not exist (SELECT count(*) FROM call_logs WHERE ...)`)
	generic := `{"detail":"A server error occurred."}`
	cases := []struct {
		name    string
		err     error
		invalid bool
		want    string
	}{
		{"nil", nil, false, generic},
		{"empty list", calldash.ErrorList{}, false, generic},
		{"database", dbErr, false, generic},
		{"wrapped database", fmt.Errorf("sqlsource: %w", dbErr), false, generic},
		{"deadline", context.DeadlineExceeded, false, generic},
		{"cancelled while reading rows", fmt.Errorf("rows: %w", context.Canceled), false, generic},
		{"one error", typeErr, true, `{"chart_type":["unknown chart type \"pi\""]}`},
		{"list", calldash.ErrorList{typeErr, leafErr}, true,
			`{"chart_type":["unknown chart type \"pi\""],"filters":["$.filters.conditions[0].op: unknown operator"]}`},
		{"wrapped list", fmt.Errorf("preview: %w", calldash.ErrorList{leafErr}), true,
			`{"filters":["$.filters.conditions[0].op: unknown operator"]}`},
		{"input and database joined", errors.Join(dbErr, typeErr), true, `{"chart_type":["unknown chart type \"pi\""]}`},
		{"malformed JSON", calldash.Errorf("$", calldash.ErrSyntax, "malformed JSON at byte 14: unexpected end of input"), true,
			`{"detail":"$: malformed JSON at byte 14: unexpected end of input"}`},
		{"time range", calldash.ErrorList{calldash.Errorf("$.filters.value", calldash.ErrTimeRange, "Timestamp filter value is too far in the past. Maximum allowed range is 30 days.")}, true,
			`{"detail":"Timestamp filter value is too far in the past. Maximum allowed range is 30 days."}`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := calldash.IsInvalid(c.err); got != c.invalid {
				t.Errorf("IsInvalid = %t, want %t", got, c.invalid)
			}
			if got := string(widget.ErrorBody(c.err)); got != c.want {
				t.Errorf("ErrorBody:\ngot  %s\nwant %s", got, c.want)
			}
		})
	}
}
