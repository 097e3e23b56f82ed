package widget_test

import (
	"testing"

	"github.com/calldash/calldash/filter"
)

// sqlSources returns the SQL sources over calls: none until filter.SQL
// lands and widget.SQL can answer filters.
func sqlSources(t *testing.T, name string, calls []filter.Call) []diffSource {
	return nil
}

func logRefusals(t *testing.T) {}
