package dbtest_test

import (
	"context"
	"testing"
	"time"

	"github.com/calldash/calldash/examples/internal/sqltest"
	"github.com/calldash/calldash/filter"
	"github.com/calldash/calldash/sample"
	"github.com/calldash/calldash/widget"
	"github.com/calldash/calldash/widget/widgettest"
)

// BenchmarkHugeNumbers answers hugeWidget over 20,000 calls on every
// available database, with an ordinary number and with numbers of
// thousand-digit magnitude.
func BenchmarkHugeNumbers(b *testing.B) {
	now := time.Date(2025, 11, 28, 0, 0, 0, 0, time.UTC)
	calls := sample.Generate(sample.Config{Seed: 1, N: 20_000, Start: now.AddDate(0, 0, -30), End: now})
	opts := []widget.Option{widget.WithNow(now), widget.WithTimePolicy(filter.TimePolicy{}), metrics()}
	for _, name := range sqltest.Names {
		b.Run(name, func(b *testing.B) {
			if !sqltest.Available(name) {
				b.Skipf("set %s", sqltest.EnvVar(name))
			}
			db, d, prefix := sqltest.Open(b, name, calls)
			src := widget.SQL(db, d, widget.WithTablePrefix(prefix))
			for _, field := range []string{"duration", "metadata.priority"} {
				for _, num := range []string{"1e6", "1e999", "1234567890123456789012e977"} {
					spec, err := widget.Decode([]byte(widgettest.HugeNumberWidget(field, num)))
					if err != nil {
						b.Fatal(err)
					}
					b.Run(field+"/"+num, func(b *testing.B) {
						for b.Loop() {
							if _, err := widget.Preview(context.Background(), spec, src, opts...); err != nil {
								b.Skipf("%v", err)
							}
						}
					})
				}
			}
		})
	}
}
