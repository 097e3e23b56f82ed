package filter_test

import (
	"errors"
	"runtime"
	"strings"
	"testing"

	"github.com/calldash/calldash"
	"github.com/calldash/calldash/filter"
)

// TestHugeInputsFailFast checks that 10 MB hostile filters are rejected
// with a limit or syntax error without allocating much more than their
// own size (bounded memory, linear time).
func TestHugeInputsFailFast(t *testing.T) {
	const size = 10 << 20
	leaf := `{"field":"duration","op":"eq","value":1}`
	inputs := []struct {
		name  string
		input string
		kind  error
	}{
		{"long string", `{"field":"topic","op":"eq","value":"` + strings.Repeat("x", size) + `"}`, calldash.ErrLimit},
		{"long list", `{"field":"duration","op":"in","value":[1` + strings.Repeat(",1", size/2) + `]}`, calldash.ErrLimit},
		{"many conditions", `{"operator":"or","conditions":[` + leaf + strings.Repeat(","+leaf, size/len(leaf)) + `]}`, calldash.ErrLimit},
		{"deep arrays", strings.Repeat("[", size), calldash.ErrLimit},
		{"deep groups", strings.Repeat(`{"operator":"and","conditions":[`, size/32), calldash.ErrLimit},
		{"many keys", `{` + strings.Repeat(`"k":1,`, size/6) + `"z":1}`, calldash.ErrSyntax}, // a duplicate key
		{"many distinct keys", func() string {
			var b strings.Builder
			b.WriteString("{")
			for i := 0; b.Len() < size; i++ {
				b.WriteString(`"k`)
				b.WriteString(strings.Repeat("x", i%50))
				b.WriteString(`":1,`)
			}
			b.WriteString(`"z":1}`)
			return b.String()
		}(), calldash.ErrShape},
		{"unterminated string", `{"field":"` + strings.Repeat("a", size), calldash.ErrSyntax},
	}
	for _, in := range inputs {
		t.Run(in.name, func(t *testing.T) {
			data := []byte(in.input)
			var before, after runtime.MemStats
			runtime.GC()
			runtime.ReadMemStats(&before)
			_, err := filter.Parse(data)
			runtime.ReadMemStats(&after)
			if !errors.Is(err, in.kind) {
				t.Fatalf("got %v, want %v", err, in.kind)
			}
			if alloc := after.TotalAlloc - before.TotalAlloc; alloc > 2*uint64(len(data)) {
				t.Errorf("allocated %d bytes for a %d-byte input; want at most twice its size", alloc, len(data))
			}
		})
	}
}

// BenchmarkParseHuge measures how fast a 10 MB hostile filter is refused.
func BenchmarkParseHuge(b *testing.B) {
	data := []byte(`{"field":"duration","op":"in","value":[1` + strings.Repeat(",1", 5<<20) + `]}`)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		if _, err := filter.Parse(data); err == nil {
			b.Fatal("accepted")
		}
	}
}
