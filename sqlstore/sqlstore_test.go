package sqlstore_test

import (
	"context"
	"database/sql"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/calldash/calldash/dialect"
	"github.com/calldash/calldash/sqlstore"

	"github.com/calldash/calldash/sqlgen"
)

var update = flag.Bool("update", false, "rewrite testdata/schema/*.sql")

func dialects(t *testing.T) map[string]dialect.Dialect {
	out := map[string]dialect.Dialect{}
	for _, name := range []string{"postgres", "mysql", "sqlite"} {
		d, err := dialect.ByName(name)
		if err != nil {
			t.Fatal(err)
		}
		out[name] = d
	}
	return out
}

// schemaText is the text of testdata/schema/NAME.sql: the statements of
// sqlgen.CreateTables for the default (empty) prefix.
func schemaText(d dialect.Dialect) string {
	return strings.Join(sqlgen.CreateTables(d, ""), ";\n\n") + ";\n"
}

// TestSchemaFiles checks that testdata/schema/<dialect>.sql is the DDL of
// the default layout; -update rewrites the files.
func TestSchemaFiles(t *testing.T) {
	for name, d := range dialects(t) {
		path := filepath.Join("..", "testdata", "schema", name+".sql")
		want := schemaText(d)
		if *update {
			if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(path, []byte(want), 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		got, err := os.ReadFile(path)
		if err != nil {
			t.Fatalf("%v (go test ./sqlstore -run TestSchemaFiles -update writes it)", err)
		}
		if diff := cmp.Diff(want, string(got)); diff != "" {
			t.Errorf("%s differs from %s DDL(\"\") (-DDL +file; -update rewrites it):\n%s", path, name, diff)
		}
	}
}

func TestNewPrefix(t *testing.T) {
	seen := map[string]bool{}
	for range 100 {
		p := sqlstore.NewPrefix()
		if seen[p] || !strings.HasPrefix(p, "cdt") || !strings.HasSuffix(p, "_") || len(p) != 20 {
			t.Fatalf("NewPrefix() = %q (seen before: %v)", p, seen[p])
		}
		seen[p] = true
		// The creation time reads back, so that Sweep can tell old
		// scratch tables from new ones.
		if at, ok := sqlstore.PrefixTime(p); !ok || time.Since(at) > time.Minute || time.Since(at) < -time.Minute {
			t.Fatalf("PrefixTime(%q) = %v, %v", p, at, ok)
		}
	}
	for _, p := range []string{"", "cd3f09a1c2b4d5e6f7_", "cdt6930a1c2b4d5e6fg_", "cdt6930a1c2b4d5e6f7x", "xdt6930a1c2b4d5e6f7_"} {
		if _, ok := sqlstore.PrefixTime(p); ok {
			t.Errorf("PrefixTime(%q) is ok", p)
		}
	}
}

// TestPrefixChecked checks that a prefix cannot smuggle SQL into a statement.
func TestPrefixChecked(t *testing.T) {
	// The prefix is refused before the database is used.
	var db *sql.DB
	d := dialect.SQLite
	ctx := context.Background()
	for _, p := range []string{`x"; DROP TABLE t; --`, "a b", "ü", strings.Repeat("a", 33), ".cd_", "a.b.c_", "a..b", "a.b c", "a b.c"} {
		if err := sqlstore.Create(ctx, db, d, p); err == nil {
			t.Errorf("Create with prefix %q: no error", p)
		}
		if err := sqlstore.Drop(ctx, db, d, p); err == nil {
			t.Errorf("Drop with prefix %q: no error", p)
		}
		if err := sqlstore.Load(ctx, db, d, p, nil); err == nil {
			t.Errorf("Load with prefix %q: no error", p)
		}
	}
}
