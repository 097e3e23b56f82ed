package calldash_test

import (
	"bytes"
	"io"
	"os"
	"testing"

	"github.com/calldash/calldash"
)

// benchData returns the JSON Lines of $CALLDASH_BENCH_CALLS, or of the
// sample file.
func benchData(b *testing.B) []byte {
	name := os.Getenv("CALLDASH_BENCH_CALLS")
	if name == "" {
		name = "testdata/calls/sample.jsonl"
	}
	data, err := os.ReadFile(name)
	if err != nil {
		b.Fatal(err)
	}
	return data
}

// BenchmarkDecode reads call logs (set CALLDASH_BENCH_CALLS to a
// gensample file for realistic figures).
func BenchmarkDecode(b *testing.B) {
	data := benchData(b)
	b.Run("Decoder", func(b *testing.B) {
		b.SetBytes(int64(len(data)))
		b.ReportAllocs()
		for range b.N {
			d := calldash.NewDecoder(bytes.NewReader(data))
			var c calldash.Call
			for {
				if err := d.Decode(&c); err == io.EOF {
					break
				} else if err != nil {
					b.Fatal(err)
				}
			}
		}
	})
	b.Run("ReadCalls", func(b *testing.B) {
		b.SetBytes(int64(len(data)))
		b.ReportAllocs()
		for range b.N {
			for _, err := range calldash.ReadCalls(bytes.NewReader(data)) {
				if err != nil {
					b.Fatal(err)
				}
			}
		}
	})
}
