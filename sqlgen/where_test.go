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
	for _, d := range append(sqlDialects, dialect.ClickHouse) { // numbers beyond the type are compared, not refused
		n, _ := filter.Validate([]byte(`{"field":"duration","op":"in","value":[1e40, 0.0000000000000000000000000000001]}`), nil)
		if _, err := sqlgen.Where(n, d, sqlgen.DefaultLayout(""), gdEnv); err != nil {
			t.Errorf("%s: %v", d.Name(), err)
		}
	}
}

// TestSQLNumbersBeyondType checks how MySQL/MariaDB compares a column of
// DECIMAL(65,30) with a number that type cannot hold: with the type's
// largest or smallest number beyond its range (an answer for every
// value, which still reads the column), and with the neighbour on the
// grid of 30 fractional digits within it.
func TestSQLNumbersBeyondType(t *testing.T) {
	const largest = "99999999999999999999999999999999999.999999999999999999999999999999"
	const tiny = "0.000000000000000000000000000001"
	for _, c := range []struct {
		op, value string
		sop, arg  string // the comparison written, and its number
	}{
		{"eq", "1e40", ">", largest}, {"gt", "1e40", ">", largest}, {"gte", "1e40", ">", largest},
		{"lt", "1e40", "<=", largest}, {"lte", "1e40", "<=", largest}, {"neq", "1e40", "<=", largest},
		{"eq", "-1e999", "<", "-" + largest}, {"lte", "-1e999", "<", "-" + largest},
		{"gt", "-1e999", ">=", "-" + largest}, {"neq", "-1e999", ">=", "-" + largest},
		{"eq", "1e-31", ">", largest}, {"neq", "1e-31", "<=", largest},
		{"gt", "1e-31", ">", "0"}, {"lte", "1e-31", "<=", "0"},
		{"gte", "1e-31", ">=", tiny}, {"lt", "1e-31", "<", tiny},
		{"gt", "-1e-31", ">", "-" + tiny}, {"gte", "-1e-31", ">=", "0"},
		{"gt", largest + "5", ">", largest}, {"gte", largest + "5", ">", largest}, {"lt", largest + "5", "<=", largest},
	} {
		n, err := filter.Validate([]byte(`{"field":"duration","op":"`+c.op+`","value":`+c.value+`}`), nil)
		if err != nil {
			t.Fatal(err)
		}
		cond, err := sqlgen.Where(n, dialect.MySQL, sqlgen.DefaultLayout(""), gdEnv)
		if err != nil {
			t.Fatalf("duration %s %s: %v", c.op, c.value, err)
		}
		text, args := sqlText(t, cond, dialect.MySQL)
		if want := "c.`duration` " + c.sop + " CAST(? AS DECIMAL(65,30))"; !strings.Contains(text, want) || len(args) != 1 || args[0] != c.arg {
			t.Errorf("duration %s %s: got %s %q, want %s %q", c.op, c.value, text, args, want, c.arg)
		}
	}
}
