package calldash_test

import (
	"bufio"
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
)

const module = "github.com/calldash/calldash"

// corePackages returns the packages of the core module with their direct
// imports (test files included), from go list.
func corePackages(t *testing.T) map[string][]string {
	t.Helper()
	out, err := exec.Command("go", "list", "-f", `{{.ImportPath}} {{join .Imports " "}} {{join .TestImports " "}} {{join .XTestImports " "}}`, "./...").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	pkgs := map[string][]string{}
	sc := bufio.NewScanner(bytes.NewReader(out))
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		pkgs[f[0]] = f[1:]
	}
	if len(pkgs) < 10 {
		t.Fatalf("go list found %d packages", len(pkgs))
	}
	return pkgs
}

// TestImportRules checks the direction of the dependencies between the
// packages (docs/architecture.md): the data model is a leaf, the filter
// language and the aggregates know no SQL, only sqlgen and dialect write
// SQL with squirrel, and no building block imports the façade.
func TestImportRules(t *testing.T) {
	const squirrel = "github.com/Masterminds/squirrel"
	sqlPkgs := []string{module + "/sqlgen", module + "/dialect"}
	for pkg, imports := range corePackages(t) {
		rel := strings.TrimPrefix(strings.TrimPrefix(pkg, module), "/")
		for _, imp := range imports {
			switch {
			case pkg == module && strings.HasPrefix(imp, module+"/") && !strings.HasPrefix(imp, module+"/internal/"):
				t.Errorf("the leaf package imports %s", imp)
			case (rel == "filter" || rel == "aggregate" || rel == "chart") &&
				(imp == squirrel || slices.Contains(sqlPkgs, imp)):
				t.Errorf("%s imports %s: it must know no SQL", rel, imp)
			case imp == squirrel && !slices.Contains(sqlPkgs, pkg):
				t.Errorf("%s imports squirrel: only sqlgen and dialect write SQL", rel)
			case imp == module+"/widget" && !strings.HasPrefix(rel, "widget") && pkg != module+"_test":
				t.Errorf("%s imports the façade widget", rel)
			case strings.HasPrefix(imp, module+"/examples"):
				t.Errorf("%s imports %s", rel, imp)
			}
		}
	}
}

// TestCoreRequirements checks that the core module requires only
// squirrel, shopspring/decimal and go-cmp (tests), so that a service
// importing widget gets no database driver.
func TestCoreRequirements(t *testing.T) {
	data, err := os.ReadFile("go.mod")
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"github.com/Masterminds/squirrel", "github.com/google/go-cmp", "github.com/shopspring/decimal"}
	var direct []string
	req := regexp.MustCompile(`(?m)^\s*(?:require\s+)?([\w./-]+)\s+v\S+\s*(// indirect)?$`)
	for _, m := range req.FindAllStringSubmatch(string(data), -1) {
		if m[2] == "" {
			direct = append(direct, m[1])
		}
	}
	slices.Sort(direct)
	if !slices.Equal(direct, want) {
		t.Errorf("go.mod requires %v directly; want %v", direct, want)
	}
}

// TestDialectNames checks that no package but dialect compares a
// dialect's name: differences are methods and capabilities.
func TestDialectNames(t *testing.T) {
	name := regexp.MustCompile(`\.Name\(\) *[!=]=`)
	err := filepath.WalkDir(".", func(path string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (path == "examples" || path == "dialect" || strings.HasPrefix(d.Name(), ".")) && path != "." {
			return filepath.SkipDir
		}
		if d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		src, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		for i, line := range strings.Split(string(src), "\n") {
			if name.MatchString(line) {
				t.Errorf("%s:%d compares a name: %s", path, i+1, strings.TrimSpace(line))
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// TestOwnWords checks that no source file or document of the repository
// points at a specification outside it: the docs state the semantics in
// the project's own words (docs/semantics.md).
func TestOwnWords(t *testing.T) {
	outside := regexp.MustCompile(`\b` + "SP" + `EC(\.md|\b *§)`)
	err := filepath.WalkDir(".", func(path string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && strings.HasPrefix(d.Name(), ".") && path != "." {
			return filepath.SkipDir
		}
		switch filepath.Ext(path) {
		case ".go", ".md", ".html", ".js", ".json", ".sql":
		default:
			return nil
		}
		src, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		for i, line := range strings.Split(string(src), "\n") {
			if outside.MatchString(line) {
				t.Errorf("%s:%d points outside the repository: %s", path, i+1, strings.TrimSpace(line))
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
