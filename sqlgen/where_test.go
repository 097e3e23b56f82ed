package sqlgen_test

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	sq "github.com/Masterminds/squirrel"
	"github.com/google/go-cmp/cmp"

	"github.com/calldash/calldash/dialect"
	"github.com/calldash/calldash/filter"
	"github.com/calldash/calldash/sqlgen"

	"github.com/calldash/calldash"
)

// sqlGoldenDir holds one golden per testdata/filter/NAME.json: the SQL of
// the filter in every dialect with its arguments, or the error.
const sqlGoldenDir = "../testdata/filter-sql"

var sqlDialects = []dialect.Dialect{dialect.Postgres, dialect.MySQL, dialect.SQLite}

// sqlText returns the statement text (placeholders of d) and the
// arguments of cond.
func sqlText(t testing.TB, cond sq.Sqlizer, d dialect.Dialect) (string, []any) {
	t.Helper()
	text, args, err := cond.ToSql()
	if err != nil {
		t.Fatal(err)
	}
	text, err = d.Placeholder().ReplacePlaceholders(text)
	if err != nil {
		t.Fatal(err)
	}
	return text, args
}

// TestSQLGolden compiles every testdata/filter/*.json that validates for
// each dialect and compares the SQL and its arguments with
// testdata/filter-sql/NAME.golden (-update rewrites them).
func TestSQLGolden(t *testing.T) {
	for _, path := range gdInputs(t) {
		name := strings.TrimSuffix(filepath.Base(path), ".json")
		input, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		n, err := filter.Validate(input, nil)
		if err != nil {
			continue // the error goldens of TestGolden cover these
		}
		t.Run(name, func(t *testing.T) {
			var b strings.Builder
			fmt.Fprintf(&b, "# filter\n%s\n", filter.Format(n.Node()))
			for _, d := range sqlDialects {
				fmt.Fprintf(&b, "# %s\n", d.Name())
				cond, err := sqlgen.Where(n, d, sqlgen.DefaultLayout("p_"), gdEnv)
				if err != nil {
					fmt.Fprintf(&b, "error: %v\n", err)
					continue
				}
				text, args := sqlText(t, cond, d)
				fmt.Fprintf(&b, "%s\n", text)
				for i, a := range args {
					fmt.Fprintf(&b, "  %d: %T %s\n", i+1, a, sqlArgText(a))
				}
			}
			got := b.String()
			goldenPath := filepath.Join(sqlGoldenDir, name+".golden")
			if *gdUpdate {
				if err := os.MkdirAll(sqlGoldenDir, 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(goldenPath, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(goldenPath)
			if err != nil {
				t.Fatalf("%v (run go test ./sqlgen -run TestSQLGolden -update)", err)
			}
			if diff := cmp.Diff(string(want), got); diff != "" {
				t.Errorf("%s (-want +got):\n%s", name, diff)
			}
		})
	}
}

func sqlArgText(a any) string {
	switch a := a.(type) {
	case time.Time:
		return a.Format(time.RFC3339Nano)
	case string:
		return fmt.Sprintf("%q", a)
	}
	return fmt.Sprint(a)
}

// TestSQLDialectErrors checks the errors a dialect gives for what it
// cannot evaluate exactly.
func TestSQLDialectErrors(t *testing.T) {
	cases := []struct {
		d    dialect.Dialect
		json string
		want string
	}{
		{dialect.MySQL, `{"field":"duration","op":"eq","value":1e40}`,
			"$.value: number 10000000000000000000…0000000000 does not fit DECIMAL(65,30) (35 integer and 30 fractional digits): not supported on mysql"},
		{dialect.MySQL, `{"field":"duration","op":"in","value":[1, 0.0000000000000000000000000000001]}`,
			"$.value[1]: number 0.0000000000000000000000000000001 does not fit DECIMAL(65,30) (35 integer and 30 fractional digits): not supported on mysql"},
		{dialect.Postgres, `{"field":"topic","op":"regex","value":"(?m)^a"}`,
			`$.value: regex "(?m)^a": not supported on postgres: multi-line ^ and $ ((?m)) are not translated`},
		{dialect.MySQL, `{"field":"topic","op":"regex","value":"\\bx"}`,
			`$.value: regex "\\bx": not supported on mysql: word boundaries (\b, \B) are not translated`},
		{dialect.Postgres, `{"field":"topic","op":"regex","value":"a{300}"}`,
			`$.value: regex "a{300}": not supported on postgres: repetition counts above 255 are not supported`},
	}
	for _, c := range cases {
		n, err := filter.Validate([]byte(c.json), nil)
		if err != nil {
			t.Fatal(err)
		}
		_, err = sqlgen.Where(n, c.d, sqlgen.DefaultLayout(""), gdEnv)
		if err == nil || err.Error() != c.want || !errors.Is(err, calldash.ErrDialect) {
			t.Errorf("%s on %s: got %v, want %s", c.json, c.d.Name(), err, c.want)
		}
	}
	for _, d := range sqlDialects {
		n, _ := filter.Validate([]byte(`{"field":"duration","op":"eq","value":1e40}`), nil)
		if _, err := sqlgen.Where(n, d, sqlgen.DefaultLayout(""), gdEnv); d != dialect.MySQL && err != nil {
			t.Errorf("%s: %v", d.Name(), err)
		}
	}
}
