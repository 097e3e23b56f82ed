package widget_test

import (
	"testing"

	"github.com/calldash/calldash/widget"
	"github.com/calldash/calldash/widget/widgettest"
)

// TestMaxCells: an answer with more cells than WithMaxCells is an error
// in memory and from a Table, one at the cap is answered.
func TestMaxCells(t *testing.T) {
	calls := widgettest.CellCalls()
	t.Run("memory", func(t *testing.T) { widgettest.CheckCells(t, widget.Calls(calls)) })
	t.Run("table", func(t *testing.T) { widgettest.CheckCells(t, widget.NewTable(calls)) })
}
