package widget_test

import (
	"bytes"
	"testing"

	"github.com/calldash/calldash/widget"

	"github.com/calldash/calldash/widget/widgettest"
)

// TestHostile checks every hostile input against its expected outcome: a
// specific error kind at a specific path, or a result.
func TestHostile(t *testing.T) {
	calls := widgettest.LoadSample(t, "../testdata/calls/sample.jsonl")
	for _, c := range widgettest.HostileCases(t, "../testdata/hostile") {
		t.Run(c.Name, func(t *testing.T) {
			got, body := widgettest.HostileOutcome(t, c, widget.Calls(calls))
			if got != c.Want {
				t.Errorf("got  %s\nwant %s\nbody %.300s", got, c.Want, body)
			}
			if !bytes.HasPrefix(body, []byte("{")) {
				t.Errorf("body is not a JSON object: %.100s", body)
			}
		})
	}
}
