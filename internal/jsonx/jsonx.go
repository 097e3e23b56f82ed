// Package jsonx is a strict JSON reader that keeps the document as a tree of
// values with their input order, so that callers can report errors by JSON
// path, reject duplicate and unknown keys, and keep numbers as exact text.
//
// It differs from encoding/json on purpose: invalid UTF-8 and \u escapes
// of lone UTF-16 surrogates are errors at the string's path (not silently
// replaced by U+FFFD), malformed JSON is an error at "$" with the byte
// offset (the document is not JSON; no key is to blame), duplicate object
// keys are an error, numbers are never
// converted to float64, and nesting deeper than a caller-set limit stops the
// reader at once, so hostile input costs time and memory linear in its size.
package jsonx

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"unicode/utf16"
	"unicode/utf8"
)

// Kind is the JSON type of a [Value].
type Kind uint8

// The JSON types.
const (
	Null Kind = iota
	Bool
	Number
	String
	Array
	Object
)

var kindNames = [...]string{"null", "boolean", "number", "string", "array", "object"}

func (k Kind) String() string { return kindNames[k] }

// A Value is one JSON value.
type Value struct {
	Kind    Kind
	Bool    bool     // for Bool
	Text    string   // for String, the decoded text; for Number, the literal as written
	Elems   []*Value // for Array
	Members []Member // for Object, in input order
	Start   int      // byte offset of the value's first byte in the input
	End     int      // byte offset just past the value
}

// A Member is one key of an object.
type Member struct {
	Key   string
	Value *Value
}

// Get returns the value of key in an object, or nil.
func (v *Value) Get(key string) *Value {
	for _, m := range v.Members {
		if m.Key == key {
			return m.Value
		}
	}
	return nil
}

// Describe returns a short description of v for error messages, such as
// `string "60"` or `number 3`.
func (v *Value) Describe() string {
	switch v.Kind {
	case String:
		s := v.Text
		if len(s) > 40 {
			s = s[:37] + "..."
		}
		return "string " + strconv.Quote(s)
	case Number:
		s := v.Text
		if len(s) > 40 {
			s = s[:37] + "..."
		}
		return "number " + s
	case Bool:
		return "boolean " + strconv.FormatBool(v.Bool)
	}
	return v.Kind.String()
}

// ErrDepth is wrapped by the error that Parse returns when the input nests
// deeper than the limit.
var ErrDepth = errors.New("nesting too deep")

// ErrDuplicateKey is wrapped by the error that Parse returns for an object
// that repeats a key.
var ErrDuplicateKey = errors.New("duplicate key")

// ErrSyntax is wrapped by the error that Parse returns for malformed JSON.
var ErrSyntax = errors.New("malformed JSON")

// An Error is a problem found while reading, with the JSON path of the value
// being read.
type Error struct {
	Path   string // e.g. "$.conditions[2]"
	Offset int    // byte offset in the input
	Kind   error  // ErrSyntax, ErrDepth or ErrDuplicateKey
	Msg    string
}

func (e *Error) Error() string { return e.Path + ": " + e.Msg }

// Unwrap returns the error's kind.
func (e *Error) Unwrap() error { return e.Kind }

// ErrTooLarge is wrapped by the error that Parse returns for an array or
// object with more elements than [Limits] allow.
var ErrTooLarge = errors.New("too many elements")

// Limits bound what [ParseLimits] reads, so that hostile input fails fast
// instead of allocating: the nesting depth, the elements of one array and
// the keys of one object. Zero means no limit.
type Limits struct {
	MaxDepth   int
	MaxArray   int
	MaxMembers int
}

// Parse reads exactly one JSON value from data (surrounding white space
// allowed). Arrays and objects nested deeper than maxDepth are an error.
func Parse(data []byte, maxDepth int) (*Value, error) {
	return ParseLimits(data, Limits{MaxDepth: maxDepth})
}

// ParseLimits is [Parse] with limits on the size of arrays and objects too.
func ParseLimits(data []byte, lim Limits) (*Value, error) {
	p := &parser{data: data, maxDepth: lim.MaxDepth, maxArray: lim.MaxArray, maxMembers: lim.MaxMembers}
	if p.maxDepth <= 0 {
		p.maxDepth = int(^uint(0) >> 1)
	}
	p.skipSpace()
	v, err := p.value("$", 0)
	if err != nil {
		return nil, err
	}
	p.skipSpace()
	if p.pos < len(p.data) {
		return nil, p.syntaxf("unexpected %s after the JSON value", p.describeNext())
	}
	return v, nil
}

type parser struct {
	data       []byte
	pos        int
	maxDepth   int
	maxArray   int
	maxMembers int
}

func (p *parser) errorf(path string, kind error, format string, args ...any) error {
	return &Error{Path: path, Offset: p.pos, Kind: kind, Msg: fmt.Sprintf(format, args...)}
}

// syntaxf is the error of malformed JSON at the reader's position: at
// path "$", as the document as a whole is not JSON, with the byte offset
// in the message ("malformed JSON: unexpected end of input at offset 14"),
// never blamed on the key being read.
func (p *parser) syntaxf(format string, args ...any) error {
	msg := "malformed JSON: " + fmt.Sprintf(format, args...) + " at offset " + strconv.Itoa(p.pos)
	return &Error{Path: "$", Offset: p.pos, Kind: ErrSyntax, Msg: msg}
}

func (p *parser) describeNext() string {
	if p.pos >= len(p.data) {
		return "end of input"
	}
	r, _ := utf8.DecodeRune(p.data[p.pos:])
	return fmt.Sprintf("character %q", r)
}

func (p *parser) skipSpace() {
	for p.pos < len(p.data) {
		switch p.data[p.pos] {
		case ' ', '\t', '\n', '\r':
			p.pos++
		default:
			return
		}
	}
}

func (p *parser) value(path string, depth int) (*Value, error) {
	start := p.pos
	v, err := p.value1(path, depth)
	if err != nil {
		return nil, err
	}
	v.Start, v.End = start, p.pos
	return v, nil
}

func (p *parser) value1(path string, depth int) (*Value, error) {
	if p.pos >= len(p.data) {
		return nil, p.syntaxf("unexpected end of input")
	}
	switch c := p.data[p.pos]; {
	case c == '{':
		return p.object(path, depth+1)
	case c == '[':
		return p.array(path, depth+1)
	case c == '"':
		s, err := p.str(path)
		if err != nil {
			return nil, err
		}
		return &Value{Kind: String, Text: s}, nil
	case c == '-' || c >= '0' && c <= '9':
		return p.number(path)
	case p.literal("true"):
		return &Value{Kind: Bool, Bool: true}, nil
	case p.literal("false"):
		return &Value{Kind: Bool}, nil
	case p.literal("null"):
		return &Value{Kind: Null}, nil
	}
	return nil, p.syntaxf("unexpected %s", p.describeNext())
}

func (p *parser) literal(word string) bool {
	if strings.HasPrefix(string(p.data[p.pos:min(len(p.data), p.pos+len(word))]), word) {
		p.pos += len(word)
		return true
	}
	return false
}

func (p *parser) object(path string, depth int) (*Value, error) {
	if depth > p.maxDepth {
		return nil, p.errorf(path, ErrDepth, "nesting deeper than %d levels", p.maxDepth)
	}
	p.pos++ // {
	v := &Value{Kind: Object}
	var seen map[string]bool // keys, once the object is big enough for a map to pay
	p.skipSpace()
	if p.pos < len(p.data) && p.data[p.pos] == '}' {
		p.pos++
		return v, nil
	}
	for {
		p.skipSpace()
		if p.pos >= len(p.data) || p.data[p.pos] != '"' {
			return nil, p.syntaxf("expected a string key, found %s", p.describeNext())
		}
		key, err := p.str(path)
		if err != nil {
			return nil, err
		}
		child := Key(path, key)
		if seen == nil && len(v.Members) >= 8 {
			seen = make(map[string]bool, 16)
			for _, m := range v.Members {
				seen[m.Key] = true
			}
		}
		if seen != nil && seen[key] || seen == nil && v.Get(key) != nil {
			return nil, p.errorf(child, ErrDuplicateKey, "duplicate key %q", key)
		}
		if seen != nil {
			seen[key] = true
		}
		if p.maxMembers > 0 && len(v.Members) == p.maxMembers {
			return nil, p.errorf(path, ErrTooLarge, "object has more than %d keys", p.maxMembers)
		}
		p.skipSpace()
		if p.pos >= len(p.data) || p.data[p.pos] != ':' {
			return nil, p.syntaxf("expected ':', found %s", p.describeNext())
		}
		p.pos++
		p.skipSpace()
		m, err := p.value(child, depth)
		if err != nil {
			return nil, err
		}
		v.Members = append(v.Members, Member{Key: key, Value: m})
		p.skipSpace()
		if p.pos < len(p.data) && p.data[p.pos] == ',' {
			p.pos++
			continue
		}
		if p.pos < len(p.data) && p.data[p.pos] == '}' {
			p.pos++
			return v, nil
		}
		return nil, p.syntaxf("expected ',' or '}', found %s", p.describeNext())
	}
}

func (p *parser) array(path string, depth int) (*Value, error) {
	if depth > p.maxDepth {
		return nil, p.errorf(path, ErrDepth, "nesting deeper than %d levels", p.maxDepth)
	}
	p.pos++ // [
	v := &Value{Kind: Array, Elems: []*Value{}}
	p.skipSpace()
	if p.pos < len(p.data) && p.data[p.pos] == ']' {
		p.pos++
		return v, nil
	}
	for {
		p.skipSpace()
		if p.maxArray > 0 && len(v.Elems) == p.maxArray {
			return nil, p.errorf(path, ErrTooLarge, "array has more than %d elements", p.maxArray)
		}
		e, err := p.value(Index(path, len(v.Elems)), depth)
		if err != nil {
			return nil, err
		}
		v.Elems = append(v.Elems, e)
		p.skipSpace()
		if p.pos < len(p.data) && p.data[p.pos] == ',' {
			p.pos++
			continue
		}
		if p.pos < len(p.data) && p.data[p.pos] == ']' {
			p.pos++
			return v, nil
		}
		return nil, p.syntaxf("expected ',' or ']', found %s", p.describeNext())
	}
}

func (p *parser) number(path string) (*Value, error) {
	start := p.pos
	end, ok := NumberEnd(p.data, p.pos)
	p.pos = end
	if !ok {
		return nil, p.syntaxf("invalid number")
	}
	return &Value{Kind: Number, Text: string(p.data[start:end])}, nil
}

// str reads a string starting at the opening quote.
func (p *parser) str(path string) (string, error) {
	p.pos++ // opening quote
	d := p.data
	start := p.pos
	// Fast path: no escapes, ASCII or valid UTF-8.
	i := p.pos
	for ; i < len(d); i++ {
		c := d[i]
		if c == '"' {
			s := d[start:i]
			if !utf8.Valid(s) {
				p.pos = start
				return "", p.errorf(path, ErrSyntax, "malformed JSON: invalid UTF-8 in string")
			}
			p.pos = i + 1
			return string(s), nil
		}
		if c == '\\' || c < 0x20 {
			break
		}
	}
	if i == len(d) {
		p.pos = len(d)
		return "", p.syntaxf("unterminated string")
	}
	var b strings.Builder
	for i := start; ; {
		if i >= len(d) {
			p.pos = i
			return "", p.syntaxf("unterminated string")
		}
		c := d[i]
		switch {
		case c == '"':
			p.pos = i + 1
			return b.String(), nil
		case c < 0x20:
			p.pos = i
			return "", p.syntaxf("control character in string")
		case c == '\\':
			if i+1 >= len(d) {
				p.pos = i
				return "", p.syntaxf("unterminated string")
			}
			esc := d[i+1]
			i += 2
			switch esc {
			case '"', '\\', '/':
				b.WriteByte(esc)
			case 'b':
				b.WriteByte('\b')
			case 'f':
				b.WriteByte('\f')
			case 'n':
				b.WriteByte('\n')
			case 'r':
				b.WriteByte('\r')
			case 't':
				b.WriteByte('\t')
			case 'u':
				r, ok := Hex4(d, i)
				if !ok {
					p.pos = i
					return "", p.syntaxf("invalid \\u escape")
				}
				i += 4
				if utf16.IsSurrogate(r) {
					// Only a high surrogate followed by an escaped low one
					// is a character; a lone one is refused like invalid
					// UTF-8, not replaced by U+FFFD.
					dec := utf8.RuneError
					if r2, ok := Hex4(d, i+2); ok && i+1 < len(d) && d[i] == '\\' && d[i+1] == 'u' {
						dec = utf16.DecodeRune(r, r2)
					}
					if dec == utf8.RuneError {
						p.pos = i - 6
						return "", p.errorf(path, ErrSyntax, "malformed JSON: \\u%04x at offset %d is a lone UTF-16 surrogate, not a character", r, i-6)
					}
					i += 6
					r = dec
				}
				b.WriteRune(r)
			default:
				p.pos = i - 1
				return "", p.syntaxf("invalid escape \\%c", esc)
			}
		case c < utf8.RuneSelf:
			b.WriteByte(c)
			i++
		default:
			r, size := utf8.DecodeRune(d[i:])
			if r == utf8.RuneError && size <= 1 {
				p.pos = i
				return "", p.errorf(path, ErrSyntax, "malformed JSON: invalid UTF-8 in string")
			}
			b.Write(d[i : i+size])
			i += size
		}
	}
}

// isIdent reports whether key can follow a dot in a JSON path.
func isIdent(key string) bool {
	if key == "" {
		return false
	}
	for i, c := range key {
		if !(c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || i > 0 && c >= '0' && c <= '9') {
			return false
		}
	}
	return true
}

// Key returns the JSON path of key below path, e.g. Key("$", "op") is "$.op"
// and Key("$", "a b") is `$["a b"]`.
func Key(path, key string) string {
	if isIdent(key) {
		return path + "." + key
	}
	return path + "[" + strconv.Quote(key) + "]"
}

// Index returns the JSON path of element i below path.
func Index(path string, i int) string { return path + "[" + strconv.Itoa(i) + "]" }

// Quote writes s as a JSON string to b without escaping <, > and &.
func Quote(b []byte, s string) []byte {
	b = append(b, '"')
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			switch {
			case c == '"' || c == '\\':
				b = append(b, '\\', c)
			case c == '\n':
				b = append(b, '\\', 'n')
			case c == '\r':
				b = append(b, '\\', 'r')
			case c == '\t':
				b = append(b, '\\', 't')
			case c < 0x20 || c == 0x7f:
				b = append(b, fmt.Sprintf(`\u%04x`, c)...)
			default:
				b = append(b, c)
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			b = append(b, `\ufffd`...)
		case r == '\u2028' || r == '\u2029':
			b = append(b, fmt.Sprintf(`\u%04x`, r)...)
		default:
			b = append(b, s[i:i+size]...)
		}
		i += size
	}
	return append(b, '"')
}
