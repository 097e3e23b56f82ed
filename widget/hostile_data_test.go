package widget_test

import (
	"strings"
	"testing"

	"github.com/calldash/calldash/widget"
	"github.com/calldash/calldash/widget/widgettest"
)

// TestHostileData answers the hostile data corpus in memory: each case's
// outcome, and data that must not decode refused with its line.
func TestHostileData(t *testing.T) {
	for _, c := range widgettest.HostileDataCases(t, "../testdata/hostile/data") {
		t.Run(c.Name, func(t *testing.T) {
			if c.Want == "bad-data" {
				if c.DataErr == nil || !strings.HasPrefix(c.DataErr.Error(), "line ") {
					t.Fatalf("%s.jsonl: got %v, want an error naming its line", c.Data, c.DataErr)
				}
				return
			}
			if c.DataErr != nil {
				t.Fatalf("%s.jsonl: %v", c.Data, c.DataErr)
			}
			got, body := widgettest.HostileOutcome(t, c.HostileCase, widget.Calls(c.Calls))
			if got != c.Want {
				t.Errorf("got  %s\nwant %s\nbody %.300s", got, c.Want, body)
			}
		})
	}
}
