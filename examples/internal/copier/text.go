package copier

import (
	"context"
	"errors"
	"io"
	"strconv"
)

// errUncovered reports a value the text form does not cover: the table
// goes in with INSERT statements instead.
var errUncovered = errors.New("copier: value without a text form")

// A textRows is the text of rows, one line per row and fields separated
// by tabs, made a few rows at a time as it is read (never the whole
// table at once).
type textRows struct {
	ctx    context.Context
	rows   [][]any
	next   int                                   // the next row to write
	field  func(b []byte, v any) ([]byte, error) // appends one field
	buf    []byte
	off    int
	err    error // of field: stops the reader
	target int   // bytes made per refill
}

func newTextRows(ctx context.Context, rows [][]any, field func([]byte, any) ([]byte, error)) *textRows {
	return &textRows{ctx: ctx, rows: rows, field: field, target: 256 << 10}
}

// Read implements io.Reader.
func (r *textRows) Read(p []byte) (int, error) {
	if r.off == len(r.buf) {
		if err := r.fill(); err != nil {
			return 0, err
		}
	}
	n := copy(p, r.buf[r.off:])
	r.off += n
	return n, nil
}

func (r *textRows) fill() error {
	if r.err != nil {
		return r.err
	}
	if r.next == len(r.rows) {
		return io.EOF
	}
	if err := r.ctx.Err(); err != nil {
		r.err = err
		return err
	}
	b := r.buf[:0]
	for r.next < len(r.rows) && len(b) < r.target {
		for i, v := range r.rows[r.next] {
			if i > 0 {
				b = append(b, '\t')
			}
			var err error
			if b, err = r.field(b, v); err != nil {
				r.err = err
				return err
			}
		}
		b = append(b, '\n')
		r.next++
	}
	r.buf, r.off = b, 0
	return nil
}

// appendScalar appends the text of a NULL (\N), an integer, a string
// (escaped as appendEscaped does, NUL too when nul) or a boolean (yes or
// no), the values both text formats spell alike but for the booleans;
// ok is false for any other value.
func appendScalar(b []byte, v any, yes, no byte, nul bool) (out []byte, ok bool) {
	switch v := v.(type) {
	case nil:
		return append(b, '\\', 'N'), true
	case int64:
		return strconv.AppendInt(b, v, 10), true
	case string:
		return appendEscaped(b, v, nul), true
	case bool:
		if v {
			return append(b, yes), true
		}
		return append(b, no), true
	}
	return b, false
}

// appendEscaped appends s with backslash escapes for the backslash, tab,
// newline and carriage return (the text format of PostgreSQL's COPY and
// of LOAD DATA), and for NUL as `\0` when nul is set.
func appendEscaped(b []byte, s string, nul bool) []byte {
	start := 0
	for i := 0; i < len(s); i++ {
		var esc byte
		switch s[i] {
		case '\\':
			esc = '\\'
		case '\t':
			esc = 't'
		case '\n':
			esc = 'n'
		case '\r':
			esc = 'r'
		case 0:
			if !nul {
				continue
			}
			esc = '0'
		default:
			continue
		}
		b = append(b, s[start:i]...)
		b = append(b, '\\', esc)
		start = i + 1
	}
	return append(b, s[start:]...)
}

// covered reports whether every value of rows has a text form, checked
// before anything is written (a fallback after a partial COPY would
// duplicate rows).
func covered(rows [][]any, field func([]byte, any) ([]byte, error)) bool {
	var b [64]byte
	for _, row := range rows {
		for _, v := range row {
			switch v.(type) {
			case nil, int64, string, bool:
				continue
			}
			if _, err := field(b[:0], v); err != nil {
				return false
			}
		}
	}
	return true
}
