package widget_test

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"testing"
	"testing/iotest"

	"github.com/calldash/calldash"
	"github.com/calldash/calldash/widget"
)

// serialErr decodes data with one Decoder: the count of calls and the
// error DecodeTable must give, wherever its chunks are cut.
func serialErr(r io.Reader) (int, error) {
	d := calldash.NewDecoder(r)
	var c calldash.Call
	for n := 0; ; n++ {
		switch err := d.Decode(&c); err {
		case nil:
		case io.EOF:
			return n, nil
		default:
			return n, err
		}
	}
}

// TestDecodeTableChunks: decoded in chunks on several goroutines, an
// input gives the calls and the error (line, JSON path, kind) that one
// Decoder gives, whatever the chunk size and wherever the bad line is.
func TestDecodeTableChunks(t *testing.T) {
	var good []byte
	for i := range 60 {
		good = fmt.Appendf(good, `{"id":%d,"timestamp":"2025-11-03T10:%02d:00Z","topic":"t%d","metadata":{"k":%d}}`+"\n", i+1, i%60, i%3, i)
		if i%7 == 0 {
			good = append(good, " \n\n"...)
		}
	}
	bad := []string{
		`{"id":1,"timestamp":"2025-11-03T10:30:00Z",}`,
		`{"id":1,"timestamp":"2025-11-03T10:30:00Z","id":2}`,
		`{"id":1,"timestamp":"2025-11-03T10:30:00Z","topic":"a\ud800"}`,
		"{\"id\":1,\"timestamp\":\"2025-11-03T10:30:00Z\",\"topic\":\"a\xffb\"}",
		`{"id":1,"timestamp":"2025-11-03T10:30:00Z","metric_evaluations":[{"id":1,"value":"yes","metric":{"id":2,"eval_type":"binary"}}]}`,
		`{"id":1,"timestamp":"2025-11-03T10:30:00Z","topic":"ab`,
	}
	lines := bytes.SplitAfter(good, []byte("\n"))
	var inputs [][]byte
	inputs = append(inputs, good, bytes.TrimSuffix(good, []byte("\n")), nil)
	for k, b := range bad {
		for _, at := range []int{0, 1, len(lines) / 2, len(lines) - 2} {
			in := bytes.Join(lines[:at], nil)
			in = append(in, b...)
			in = append(in, '\n')
			in = append(in, bytes.Join(lines[at:], nil)...)
			if k%2 == 0 {
				in = append(in, b...) // a second bad line, after the first
			}
			inputs = append(inputs, in)
		}
	}
	errRead := errors.New("read failed")
	for i, in := range inputs {
		wantN, wantErr := serialErr(bytes.NewReader(in))
		for _, size := range []int{1, 50, 333, 4096} {
			for _, workers := range []int{2, 3} {
				table, err := widget.DecodeTableChunks(bytes.NewReader(in), workers, size)
				switch {
				case fmt.Sprint(err) != fmt.Sprint(wantErr):
					t.Errorf("input %d, size %d, %d workers: got error %v, want %v", i, size, workers, err, wantErr)
				case err == nil && table.Len() != wantN:
					t.Errorf("input %d, size %d, %d workers: got %d calls, want %d", i, size, workers, table.Len(), wantN)
				}
			}
			// A read error after part of the input: the whole lines
			// before it, then the read error (or the first bad line).
			cut := len(in) * 2 / 3
			_, wantReadErr := serialErr(io.MultiReader(bytes.NewReader(in[:cut]), iotest.ErrReader(errRead)))
			_, err := widget.DecodeTableChunks(io.MultiReader(bytes.NewReader(in[:cut]), iotest.ErrReader(errRead)), 2, size)
			if fmt.Sprint(err) != fmt.Sprint(wantReadErr) {
				t.Errorf("input %d, size %d, read error: got %v, want %v", i, size, err, wantReadErr)
			}
		}
	}
}
