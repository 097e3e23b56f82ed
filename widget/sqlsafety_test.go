package widget_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/calldash/calldash"
	"github.com/calldash/calldash/dialect"
	"github.com/calldash/calldash/sqlgen"
	"github.com/calldash/calldash/widget"
)

// TestSQLKeyRefusals: a plotted or group_by metadata key that a dialect
// cannot address is refused by name, as in filters, not answered all-null
// (MariaDB and "-x") nor left to a raw database error (PostgreSQL and NUL).
func TestSQLKeyRefusals(t *testing.T) {
	ts := `"filters":{"field":"timestamp","op":"gte","value":"now-7d"}`
	cases := []struct {
		d          dialect.Dialect
		widget     string
		path, want string
	}{
		{dialect.MySQL, `{"chart_type":"pie","field":"metadata.-x",` + ts + `}`, "$.field", "not supported on mysql"},
		{dialect.MySQL, `{"chart_type":"bar","field":"metadata.-x",` + ts + `}`, "$.field", "not supported on mysql"},
		{dialect.MySQL, `{"chart_type":"bar","field":"duration","group_by":{"type":"field","field":"metadata.-x"},` + ts + `}`, "$.group_by.field", "not supported on mysql"},
		{dialect.Postgres, `{"chart_type":"pie","field":"metadata.a\u0000b",` + ts + `}`, "$.field", "not supported on postgres"},
		{dialect.Postgres, `{"chart_type":"bar","field":"duration","group_by":{"type":"field","field":"metadata.\u0000"},` + ts + `}`, "$.group_by.field", "not supported on postgres"},
	}
	for _, c := range cases {
		spec, err := widget.Decode([]byte(c.widget))
		if err != nil {
			t.Fatal(err)
		}
		_, _, err = widget.Statement(spec, c.d, sqlgen.DefaultLayout(""), widget.WithNow(benchNow))
		var e *calldash.Error
		if !errors.Is(err, calldash.ErrDialect) || !errors.As(err, &e) || e.Path != c.path || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s on %s: got %v, want %s at %s", c.widget, c.d.Name(), err, c.want, c.path)
		}
		for _, other := range sqlDialects {
			if other == c.d || other == dialect.Postgres && strings.Contains(c.widget, `\u0000`) {
				continue
			}
			if _, _, err := widget.Statement(spec, other, sqlgen.DefaultLayout(""), widget.WithNow(benchNow)); err != nil {
				t.Errorf("%s on %s: %v", c.widget, other.Name(), err)
			}
		}
	}
}
