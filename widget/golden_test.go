package widget_test

import (
	"flag"
	"path/filepath"
	"strings"
	"testing"

	"github.com/calldash/calldash/internal/golden"
	"github.com/calldash/calldash/widget"

	"github.com/calldash/calldash/widget/widgettest"
)

var update = flag.Bool("update", false, "rewrite golden files")

func TestGolden(t *testing.T) {
	files, err := filepath.Glob("../testdata/widget/*.json")
	if err != nil || len(files) == 0 {
		t.Fatalf("no fixtures in ../testdata/widget (%v)", err)
	}
	sample := widgettest.LoadSample(t, "../testdata/calls/sample.jsonl")
	for _, file := range files {
		name := strings.TrimSuffix(filepath.Base(file), ".json")
		t.Run(name, func(t *testing.T) {
			fx := widgettest.ReadFixture(t, file)
			got := fx.Run(t, widget.Calls(fx.CallsOf(t, sample)))
			goldenPath := strings.TrimSuffix(file, ".json") + ".golden"
			golden.Check(t, goldenPath, got, *update)
		})
	}
}
