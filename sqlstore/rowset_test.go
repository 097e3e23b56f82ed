package sqlstore

import (
	"testing"
	"time"

	"github.com/calldash/calldash/sqlgen"
)

func TestRowsetJSON(t *testing.T) {
	td := tableData{
		LoadTable: sqlgen.LoadTable{Name: "c", Role: "calls",
			Columns: []string{"id", "ts", "d", "ok", "s", "meta"},
			Fields:  []string{"id", "timestamp", "duration", "success", "topic", "metadata"}},
		rows: [][]any{
			{int64(1), time.Date(2025, 11, 3, 10, 30, 0, 123456000, time.UTC), "45.50", true, "a\"\\\n€", `{"k":1.5}`},
			{int64(-2), time.Date(1, 1, 1, 0, 0, 0, 0, time.UTC), nil, false, nil, nil},
		},
	}
	want := `[{"id":1,"ts":"2025-11-03T10:30:00.123456Z","d":"45.50","ok":true,"s":"a\"\\\n€","meta":{"k":1.5}},` +
		`{"id":-2,"ts":"0001-01-01T00:00:00Z","d":null,"ok":false,"s":null,"meta":null}]`
	if !rowsetExact(td) {
		t.Fatal("rowsetExact = false, want true")
	}
	if got := rowsetJSON(nil, td, td.rows); string(got) != want {
		t.Errorf("rowsetJSON = %s\nwant %s", got, want)
	}
	for name, v := range map[string]any{
		"invalid UTF-8": "a\xffb",
		"year 10000":    time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC),
		"year 0":        time.Date(0, 12, 31, 0, 0, 0, 0, time.UTC),
		"other type":    3.5,
	} {
		bad := td
		bad.rows = [][]any{{int64(1), time.Unix(0, 0).UTC(), nil, nil, v, nil}}
		if rowsetExact(bad) {
			t.Errorf("%s: rowsetExact = true, want false", name)
		}
	}
}
