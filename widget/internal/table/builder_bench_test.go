package table

import (
	"testing"
	"time"

	"github.com/calldash/calldash/sample"
)

// BenchmarkBuilderAdd adds 100k calls of sample.Generate to a Builder
// of a Table without records, as a LiveTable's appends do.
func BenchmarkBuilderAdd(b *testing.B) {
	now := time.Date(2025, 11, 28, 23, 59, 59, 0, time.UTC)
	calls := sample.Generate(sample.Config{Seed: 1, N: 100_000, Start: now.AddDate(0, 0, -30), End: now})
	b.ResetTimer()
	for range b.N {
		tb := NewBuilder()
		for i := range calls {
			tb.Add(&calls[i])
		}
	}
	b.ReportMetric(float64(len(calls))*float64(b.N)/b.Elapsed().Seconds()/1e6, "Mcalls/s")
}
