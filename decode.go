package calldash

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math/bits"
	"strconv"
	"time"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/shopspring/decimal"

	"github.com/calldash/calldash/internal/jsonx"
)

// A Decoder reads call logs from a JSON Lines stream, one per non-blank
// line, straight from the bytes into a [Call] (no tree of JSON values in
// between), several times faster than [ReadCalls] and with fewer
// allocations: strings that repeat (reasons, topics, names, metadata keys)
// are shared between calls.
//
// It reads what [Call.UnmarshalJSON] reads, as strictly: malformed JSON,
// invalid UTF-8, a lone UTF-16 surrogate escape (\ud800), a duplicate key
// in any object and nesting deeper than 64 levels are errors, as are
// values of the wrong type. Every error names the line and the JSON path
// of the value, e.g. "line 7: $.metric_evaluations[1].value: got string,
// want number or null". Unknown keys are ignored (after being checked).
type Decoder struct {
	r    io.Reader
	buf  []byte // buf[start:end] is read and not yet decoded
	off  int    // start of the unread bytes in buf
	end  int
	eof  bool
	line int // of the last line returned

	err error // sticky, once not io.EOF

	p      lineParser
	intern [numSlots]internTable
	nums   [numSlots]numTable
}

// A internTable shares the strings of one kind of value (a slot) between
// calls, for as long as they repeat: a slot whose strings are mostly new
// (phone numbers) stops looking them up.
type internTable struct {
	m               map[string]string
	cache           [cacheSize]string // by cacheIndex, in front of m
	lookups, misses int
	off             bool
}

// cacheSize is the number of entries of the direct-mapped caches in
// front of the maps of strings and numbers that a Decoder shares: most
// slots have fewer distinct values, which then cost no map lookup.
const (
	cacheBits = 7
	cacheSize = 1 << cacheBits
)

// cacheIndex returns the cache entry of a string.
func cacheIndex(b []byte) uint {
	var x uint64
	if n := len(b); n >= 8 {
		x = binary.LittleEndian.Uint64(b) ^ bits.RotateLeft64(binary.LittleEndian.Uint64(b[n-8:]), 29)
	} else {
		for _, c := range b {
			x = x<<8 | uint64(c)
		}
	}
	return uint(((x ^ uint64(len(b))) * 0x9e3779b97f4a7c15) >> (64 - cacheBits))
}

// numIndex returns the cache entry of a number.
func numIndex(coef int64, exp int32) uint {
	return uint(((uint64(coef) ^ uint64(exp)<<56) * 0x9e3779b97f4a7c15) >> (64 - cacheBits))
}

// The slots of strings, by where they are in a call log.
const (
	slotOther = iota // strings of fields without a slot of their own
	slotReason
	slotDropoff
	slotTopic
	slotCustomer
	slotAgentName
	slotMetaKey
	slotMetaValue
	slotEvalType
	slotMetricName
	slotEvalValue
	slotDuration
	slotAgentID
	numSlots
)

// maxLine bounds the length of one line, as [ReadCalls] does.
const maxLine = 16 << 20

// maxIntern bounds the distinct strings a Decoder shares, and the length
// of each: beyond them, strings are copied.
const (
	maxIntern    = 1 << 16
	maxInternLen = 64
)

// NewDecoder returns a Decoder reading from r.
func NewDecoder(r io.Reader) *Decoder {
	d := &Decoder{r: r, buf: make([]byte, 256<<10)}
	d.p.d = d
	return d
}

// Reset makes d read from r as a new Decoder would, except that line
// numbers (in errors and [Decoder.Line]) count on from line, the number
// of lines before r's first, and that the strings d shares between calls
// stay shared: for decoding an input in parts, e.g. line-aligned chunks
// decoded on several goroutines, one Decoder each.
func (d *Decoder) Reset(r io.Reader, line int) {
	d.r, d.off, d.end, d.eof, d.line, d.err = r, 0, 0, false, line, nil
}

// Line returns the line number of the call log last decoded (or of the
// error last returned).
func (d *Decoder) Line() int { return d.line }

// Decode reads the next call log into c, overwriting it; it returns
// io.EOF after the last one. A decoded call shares nothing with the
// Decoder's buffers: it may be kept. But the Metadata map and the
// MetricEvaluations array that c holds are reused (cleared and filled):
// to keep a call, decode the next one into a new Call (or set those two
// fields to nil first). After an error other than io.EOF, Decode keeps
// returning it.
func (d *Decoder) Decode(c *Call) error {
	if d.err != nil {
		return d.err
	}
	for {
		text, err := d.next()
		if err != nil {
			if err != io.EOF {
				d.err = err
			}
			return err
		}
		text = trimSpace(text)
		if len(text) == 0 {
			continue
		}
		if err := d.p.call(text, c); err != nil {
			*c = Call{}
			d.err = fmt.Errorf("line %d: %w", d.line, err)
			return d.err
		}
		return nil
	}
}

// next returns the next line without its newline.
func (d *Decoder) next() ([]byte, error) {
	for {
		if i := bytes.IndexByte(d.buf[d.off:d.end], '\n'); i >= 0 {
			text := d.buf[d.off : d.off+i]
			d.off += i + 1
			d.line++
			return text, nil
		}
		if d.eof {
			if d.off == d.end {
				return nil, io.EOF
			}
			text := d.buf[d.off:d.end]
			d.off = d.end
			d.line++
			return text, nil
		}
		if d.off > 0 {
			d.end = copy(d.buf, d.buf[d.off:d.end])
			d.off = 0
		}
		if d.end == len(d.buf) {
			if len(d.buf) >= maxLine {
				d.line++
				return nil, fmt.Errorf("line %d: longer than %d bytes", d.line, maxLine)
			}
			d.buf = append(d.buf, make([]byte, len(d.buf))...)
		}
		n, err := d.r.Read(d.buf[d.end:])
		d.end += n
		switch {
		case err == io.EOF:
			d.eof = true
		case err != nil:
			return nil, err
		}
	}
}

func trimSpace(b []byte) []byte {
	for len(b) > 0 && isSpace(b[0]) {
		b = b[1:]
	}
	for len(b) > 0 && isSpace(b[len(b)-1]) {
		b = b[:len(b)-1]
	}
	return b
}

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\r' || c == '\n' }

// str returns b as a string, shared with earlier equal strings of the
// same slot when short.
func (d *Decoder) str(slot int, b []byte) string {
	t := &d.intern[slot]
	if t.off || len(b) > maxInternLen {
		return string(b)
	}
	e := &t.cache[cacheIndex(b)]
	if *e == string(b) {
		t.lookups++
		return *e
	}
	if s, ok := t.m[string(b)]; ok {
		t.lookups++
		*e = s
		return s
	}
	s := string(b)
	*e = s
	t.lookups++
	t.misses++
	switch {
	case t.lookups >= 1024 && t.misses*2 > t.lookups:
		t.off, t.m = true, nil
	case t.m == nil:
		t.m = map[string]string{s: s}
	case len(t.m) < maxIntern:
		t.m[s] = s
	}
	if t.lookups >= 1<<20 {
		t.lookups, t.misses = t.lookups/2, t.misses/2
	}
	return s
}

// A lineParser reads one line. Its methods report errors as *jsonx.Error
// with the path of the value at fault.
type lineParser struct {
	d    *Decoder
	data []byte
	pos  int
	sbuf []byte // unescaped string
	esc  bool   // whether the last string read had escapes (is in sbuf)
	slot int    // of the string or number being read

	// The metadata map and evaluations of the call being overwritten,
	// reused.
	meta map[string]Value
	evs  []Evaluation

	// The keys of the objects being read, for duplicates: keys[i] is
	// keyText[keys[i-1]:keys[i]] (keyText[:keys[0]] for the first).
	keyText []byte
	keys    []int
}

// errSyntax and friends build the errors of the parser.
func (p *lineParser) errorf(path string, kind error, format string, args ...any) error {
	return &jsonx.Error{Path: path, Offset: p.pos, Kind: kind, Msg: fmt.Sprintf(format, args...)}
}

func (p *lineParser) syntax(format string, args ...any) error {
	return p.errorf("", jsonx.ErrSyntax, "malformed JSON: "+format, args...)
}

// errType is a value of the wrong type; it has no jsonx kind.
var errType = errors.New("wrong type")

func (p *lineParser) typeErr(format string, args ...any) error {
	return p.errorf("", errType, format, args...)
}

func (p *lineParser) unexpected() error {
	if p.pos >= len(p.data) {
		return p.syntax("unexpected end of input")
	}
	r, _ := utf8.DecodeRune(p.data[p.pos:])
	return p.syntax("unexpected character %q at offset %d", r, p.pos)
}

func (p *lineParser) space() {
	for p.pos < len(p.data) && p.data[p.pos] <= ' ' && isSpace(p.data[p.pos]) {
		p.pos++
	}
}

// peek returns the next non-space byte, 0 at the end.
func (p *lineParser) peek() byte {
	for p.pos < len(p.data) {
		if c := p.data[p.pos]; c > ' ' || !isSpace(c) {
			return c
		}
		p.pos++
	}
	return 0
}

func (p *lineParser) expect(c byte) error {
	if p.peek() != c {
		return expectError(p, c)
	}
	p.pos++
	return nil
}

// expectError is the error of expect, out of line.
func expectError(p *lineParser, c byte) error {
	return p.syntax("expected %q, found %s", c, p.describe())
}

func (p *lineParser) describe() string {
	if p.pos >= len(p.data) {
		return "end of input"
	}
	r, _ := utf8.DecodeRune(p.data[p.pos:])
	return fmt.Sprintf("character %q at offset %d", r, p.pos)
}

// kindNext returns the kind of the value starting at pos (after space).
func (p *lineParser) kindNext() jsonx.Kind {
	switch p.peek() {
	case '"':
		return jsonx.String
	case '{':
		return jsonx.Object
	case '[':
		return jsonx.Array
	case 't', 'f':
		return jsonx.Bool
	case 'n':
		return jsonx.Null
	}
	return jsonx.Number
}

// object reads the members of an object, calling member with each key
// (valid until the next read); member must read the value, and return
// the bit of the key when it is one it knows, 0 for another (nil member:
// every value is skipped). Duplicate keys are an error: known keys by
// their bits, others by comparing them.
func (p *lineParser) object(depth int, member func(key []byte) (uint64, error)) error {
	if depth > maxDepth {
		return p.errorf("", jsonx.ErrDepth, "nesting deeper than %d levels", maxDepth)
	}
	p.pos++ // {
	mark, textMark := len(p.keys), len(p.keyText)
	defer func() {
		p.keys, p.keyText = p.keys[:mark], p.keyText[:textMark]
	}()
	var seen map[string]struct{} // once the object is big enough for a map to pay
	var bits uint64
	if p.peek() == '}' {
		p.pos++
		return nil
	}
	for {
		if p.peek() != '"' {
			return p.syntax("expected a string key, found %s", p.describe())
		}
		key, err := p.rawString()
		if err != nil {
			return err
		}
		// The key is kept in keyText while its value is read only when
		// it is in sbuf, which the value's strings overwrite.
		n := len(p.keyText)
		copied := p.esc
		if copied {
			p.keyText = append(p.keyText, key...)
			key = p.keyText[n:]
		}
		if err := p.expect(':'); err != nil {
			return prefix(err, key, -1)
		}
		p.space()
		var bit uint64
		if member != nil {
			bit, err = member(key)
		} else {
			err = p.skip(depth)
		}
		if err != nil {
			return prefix(err, key, -1)
		}
		switch {
		case bit == 0 && p.duplicate(key, mark, textMark, &seen):
			return p.errorf(jsonx.Key("", string(key)), jsonx.ErrDuplicateKey, "duplicate key %q", key)
		case bit == 0:
			if !copied {
				p.keyText = append(p.keyText, key...)
			}
			p.keys = append(p.keys, len(p.keyText))
		case bits&bit != 0:
			return p.errorf(jsonx.Key("", string(key)), jsonx.ErrDuplicateKey, "duplicate key %q", key)
		default:
			bits |= bit
			p.keyText = p.keyText[:n]
		}
		switch p.peek() {
		case ',':
			p.pos++
		case '}':
			p.pos++
			return nil
		default:
			return p.syntax("expected ',' or '}', found %s", p.describe())
		}
	}
}

// prefix puts the key (when not nil) or index i (when not -1) in front
// of the path of err, which is relative to the value of that member or
// element; with neither, it makes the path absolute.
func prefix(err error, key []byte, i int) error {
	if err == nil {
		return nil // before errors.As, whose target would escape
	}
	var e *jsonx.Error
	if !errors.As(err, &e) {
		return err
	}
	switch {
	case key != nil:
		e.Path = jsonx.Key("", string(key)) + e.Path
	case i >= 0:
		e.Path = jsonx.Index("", i) + e.Path
	default:
		e.Path = "$" + e.Path
	}
	return err
}

// duplicate reports whether key is among the keys of the object whose
// first key is at mark (and whose first key text is at textMark).
func (p *lineParser) duplicate(key []byte, mark, textMark int, seen *map[string]struct{}) bool {
	if *seen != nil {
		if _, ok := (*seen)[string(key)]; ok {
			return true
		}
		(*seen)[string(key)] = struct{}{}
		return false
	}
	lo := textMark
	for _, hi := range p.keys[mark:] {
		if bytes.Equal(p.keyText[lo:hi], key) {
			return true
		}
		lo = hi
	}
	if len(p.keys)-mark >= 16 {
		*seen = make(map[string]struct{}, 64)
		lo := textMark
		for _, hi := range p.keys[mark:] {
			(*seen)[string(p.keyText[lo:hi])] = struct{}{}
			lo = hi
		}
		(*seen)[string(key)] = struct{}{}
	}
	return false
}

// array reads the elements of an array, calling elem with each index.
func (p *lineParser) array(depth int, elem func(i int) error) error {
	if depth > maxDepth {
		return p.errorf("", jsonx.ErrDepth, "nesting deeper than %d levels", maxDepth)
	}
	p.pos++ // [
	if p.peek() == ']' {
		p.pos++
		return nil
	}
	for i := 0; ; i++ {
		p.space()
		var err error
		if elem != nil {
			err = elem(i)
		} else {
			err = p.skip(depth)
		}
		if err != nil {
			return prefix(err, nil, i)
		}
		switch p.peek() {
		case ',':
			p.pos++
		case ']':
			p.pos++
			return nil
		default:
			return p.syntax("expected ',' or ']', found %s", p.describe())
		}
	}
}

// maxDepth is the nesting limit of [Call.UnmarshalJSON].
const maxDepth = 64

// skip checks and skips any value; path is that of its container (paths
// of skipped values are built only for errors).
func (p *lineParser) skip(depth int) error {
	switch p.peek() {
	case '{':
		return p.object(depth+1, nil)
	case '[':
		return p.array(depth+1, nil)
	case '"':
		_, err := p.rawString()
		return err
	case 't', 'f', 'n':
		_, _, err := p.literal()
		return err
	}
	_, err := p.number()
	return err
}

// literal reads true, false or null.
func (p *lineParser) literal() (jsonx.Kind, bool, error) {
	rest := p.data[p.pos:]
	switch {
	case bytes.HasPrefix(rest, []byte("true")):
		p.pos += 4
		return jsonx.Bool, true, nil
	case bytes.HasPrefix(rest, []byte("false")):
		p.pos += 5
		return jsonx.Bool, false, nil
	case bytes.HasPrefix(rest, []byte("null")):
		p.pos += 4
		return jsonx.Null, false, nil
	}
	return 0, false, p.unexpected()
}

// number reads a number and returns its text.
func (p *lineParser) number() ([]byte, error) {
	start := p.pos
	end, ok := jsonx.NumberEnd(p.data, p.pos)
	switch {
	case !ok && end == start:
		return nil, p.unexpected()
	case !ok:
		p.pos = end
		return nil, p.syntax("invalid number")
	}
	p.pos = end
	return p.data[start:end], nil
}

// rawString reads a string starting at its quote and returns its decoded
// bytes, valid until the next read: a part of the line, or of p.sbuf when
// the string has escapes (p.esc then reports it).
func (p *lineParser) rawString() ([]byte, error) {
	d := p.data
	start := p.pos + 1
	p.esc = false
	i := start
	// Eight bytes at a time up to the first quote, backslash, control
	// character or non-ASCII byte.
	for ; i+8 <= len(d); i += 8 {
		if m := specialBytes(binary.LittleEndian.Uint64(d[i:])); m != 0 {
			i += bits.TrailingZeros64(m) / 8
			if d[i] == '"' { // ASCII up to the end: the common case
				p.pos = i + 1
				return d[start:i], nil
			}
			break
		}
	}
	high := false
	for ; i < len(d); i++ {
		c := d[i]
		if c == '"' {
			s := d[start:i]
			if high && !utf8.Valid(s) {
				p.pos = start
				return nil, p.syntax("invalid UTF-8 in string")
			}
			p.pos = i + 1
			return s, nil
		}
		if c == '\\' || c < 0x20 {
			p.esc = true
			return p.escaped(start)
		}
		if c >= utf8.RuneSelf {
			high = true
		}
	}
	p.pos = len(d)
	return nil, p.syntax("unterminated string")
}

// specialBytes returns x, eight bytes of a string, with the high bit set
// in (at least) its first byte that is a quote, a backslash, a control
// character or not ASCII, and in none before it; 0 when there is none.
func specialBytes(x uint64) uint64 {
	const ones, highs = 0x0101010101010101, 0x8080808080808080
	zero := func(v uint64) uint64 { return (v - ones) &^ v & highs }
	return zero(x^(ones*'"')) | zero(x^(ones*'\\')) | (x-ones*0x20)&^x&highs | x&highs
}

// escaped decodes a string with escapes, from its first byte at i.
func (p *lineParser) escaped(i int) ([]byte, error) {
	d := p.data
	b := p.sbuf[:0]
	defer func() { p.sbuf = b[:0] }()
	for {
		if i >= len(d) {
			p.pos = i
			return nil, p.syntax("unterminated string")
		}
		c := d[i]
		switch {
		case c == '"':
			p.pos = i + 1
			return b, nil
		case c < 0x20:
			p.pos = i
			return nil, p.syntax("control character in string")
		case c == '\\':
			if i+1 >= len(d) {
				p.pos = i
				return nil, p.syntax("unterminated string")
			}
			esc := d[i+1]
			i += 2
			switch esc {
			case '"', '\\', '/':
				b = append(b, esc)
			case 'b':
				b = append(b, '\b')
			case 'f':
				b = append(b, '\f')
			case 'n':
				b = append(b, '\n')
			case 'r':
				b = append(b, '\r')
			case 't':
				b = append(b, '\t')
			case 'u':
				r, ok := jsonx.Hex4(d, i)
				if !ok {
					p.pos = i
					return nil, p.syntax("invalid \\u escape")
				}
				i += 4
				if utf16.IsSurrogate(r) {
					r2, ok := rune(0), false
					if i+1 < len(d) && d[i] == '\\' && d[i+1] == 'u' {
						r2, ok = jsonx.Hex4(d, i+2)
					}
					dec := utf8.RuneError
					if ok {
						dec = utf16.DecodeRune(r, r2)
					}
					if dec == utf8.RuneError {
						p.pos = i - 6
						return nil, p.syntax("lone surrogate \\u%04x in string", r)
					}
					r = dec
					i += 6
				}
				b = utf8.AppendRune(b, r)
			default:
				p.pos = i - 1
				return nil, p.syntax("invalid escape \\%c", esc)
			}
		case c < utf8.RuneSelf:
			b = append(b, c)
			i++
		default:
			r, size := utf8.DecodeRune(d[i:])
			if r == utf8.RuneError && size <= 1 {
				p.pos = i
				return nil, p.syntax("invalid UTF-8 in string")
			}
			b = append(b, d[i:i+size]...)
			i += size
		}
	}
}

// value reads a scalar of the given kind, or null, into dst (written
// in place: a Value is large to return); other values are checked,
// skipped and refused.
func (p *lineParser) value(dst *Value, depth int, kind jsonx.Kind) error {
	k := p.kindNext()
	switch {
	case k == jsonx.Null:
		*dst = Null
		_, _, err := p.literal()
		return err
	case k != kind:
		*dst = Null
		if err := p.skip(depth); err != nil {
			return err
		}
		return p.typeErr("got %s, want %s or null", k, kind)
	}
	return p.scalar(dst, k)
}

// scalar reads a string, number or boolean of kind k into dst.
func (p *lineParser) scalar(dst *Value, k jsonx.Kind) error {
	switch k {
	case jsonx.String:
		s, err := p.rawString()
		if err != nil {
			*dst = Null
			return err
		}
		*dst = Value{Kind: KindString, Str: p.d.str(p.slot, s)}
		return nil
	case jsonx.Bool:
		_, b, err := p.literal()
		*dst = Value{Kind: KindBool, Bool: b}
		return err
	}
	if coef, exp, end, ok := fastNumber(p.data, p.pos); ok {
		p.pos = end
		*dst = Value{Kind: KindNumber, Num: p.d.num(p.slot, coef, exp)}
		return nil
	}
	text, err := p.number()
	if err != nil {
		*dst = Null
		return err
	}
	if coef, exp, ok := smallNumber(text); ok {
		*dst = Value{Kind: KindNumber, Num: p.d.num(p.slot, coef, exp)}
		return nil
	}
	d, ok := ParseNumber(string(text))
	if !ok {
		*dst = Null
		return p.typeErr("number out of range")
	}
	*dst = Value{Kind: KindNumber, Num: d}
	return nil
}

// fastNumber reads the JSON number at d[i:] in one pass when it has at
// most 18 digits and no exponent, the common case, as coef×10^exp and the
// end of its text; ok is false for any other text (valid or not), which
// number and smallNumber or ParseNumber then read.
func fastNumber(d []byte, i int) (coef int64, exp int32, end int, ok bool) {
	neg := i < len(d) && d[i] == '-'
	if neg {
		i++
	}
	start := i
	switch {
	case i < len(d) && d[i] == '0':
		i++
	case i < len(d) && d[i] >= '1' && d[i] <= '9':
		for ; i < len(d) && d[i] >= '0' && d[i] <= '9'; i++ {
			coef = coef*10 + int64(d[i]-'0')
		}
	default:
		return 0, 0, 0, false
	}
	n := i - start
	if i < len(d) && d[i] == '.' {
		i++
		frac := i
		for ; i < len(d) && d[i] >= '0' && d[i] <= '9'; i++ {
			coef = coef*10 + int64(d[i]-'0')
		}
		if i == frac {
			return 0, 0, 0, false
		}
		exp = int32(frac - i)
		n += i - frac
	}
	if n > 18 || i < len(d) && (d[i] == 'e' || d[i] == 'E') {
		return 0, 0, 0, false
	}
	if neg {
		coef = -coef
	}
	return coef, exp, i, true
}

// smallNumber returns valid JSON number text as coef×10^exp when it has
// at most 18 digits and no exponent.
func smallNumber(text []byte) (coef int64, exp int32, ok bool) {
	if len(text) > 20 {
		return 0, 0, false
	}
	digits, neg, frac := 0, false, false
	for i, c := range text {
		switch {
		case c >= '0' && c <= '9':
			coef = coef*10 + int64(c-'0')
			digits++
			if frac {
				exp--
			}
		case c == '-' && i == 0:
			neg = true
		case c == '.':
			frac = true
		default:
			return 0, 0, false
		}
	}
	if digits > 18 {
		return 0, 0, false
	}
	if neg {
		coef = -coef
	}
	return coef, exp, true
}

// num returns coef×10^exp as a decimal, shared with earlier equal ones of
// the same slot (the decimals of shopspring/decimal are immutable), as
// str shares strings.
func (d *Decoder) num(slot int, coef int64, exp int32) decimal.Decimal {
	if coef == 0 {
		return decimal.Zero
	}
	t := &d.nums[slot]
	k := numKey{coef, exp}
	e := &t.cache[numIndex(coef, exp)]
	if e.k == k {
		t.lookups++
		return e.v
	}
	if t.off {
		// The map is off (too many distinct numbers), the cache still
		// shares those that repeat soon.
		e.k, e.v = k, decimal.New(coef, exp)
		return e.v
	}
	t.lookups++
	if v, ok := t.m[k]; ok {
		e.k, e.v = k, v
		return v
	}
	v := decimal.New(coef, exp)
	e.k, e.v = k, v
	t.misses++
	switch {
	case t.lookups >= 1024 && t.misses*2 > t.lookups:
		t.off, t.m = true, nil
	case t.m == nil:
		t.m = map[numKey]decimal.Decimal{k: v}
	case len(t.m) < maxIntern:
		t.m[k] = v
	}
	if t.lookups >= 1<<20 {
		t.lookups, t.misses = t.lookups/2, t.misses/2
	}
	return v
}

// A numKey is a decimal's coefficient and exponent as written.
type numKey struct {
	coef int64
	exp  int32
}

// A numTable is an internTable of decimals.
type numTable struct {
	m     map[numKey]decimal.Decimal
	cache [cacheSize]struct {
		k numKey
		v decimal.Decimal // zero (exponent 0 and a nil value) when empty
	}
	lookups, misses int
	off             bool
}

// integer reads an integer (an id).
func (p *lineParser) integer(depth int) (int64, error) {
	if k := p.kindNext(); k != jsonx.Number {
		if err := p.skip(depth); err != nil {
			return 0, err
		}
		return 0, p.typeErr("got %s, want an integer", k)
	}
	if n, exp, end, ok := fastNumber(p.data, p.pos); ok && exp == 0 {
		p.pos = end
		return n, nil
	}
	text, err := p.number()
	if err != nil {
		return 0, err
	}
	if len(text) <= 18 {
		var n int64
		neg := text[0] == '-'
		digits := text
		if neg {
			digits = text[1:]
		}
		ok := true
		for _, c := range digits {
			if c < '0' || c > '9' {
				ok = false
				break
			}
			n = n*10 + int64(c-'0')
		}
		if ok {
			if neg {
				n = -n
			}
			return n, nil
		}
	}
	n, err := strconv.ParseInt(string(text), 10, 64)
	if err != nil {
		return 0, p.typeErr("want an integer, got %s", text)
	}
	return n, nil
}

// The keys of a call log, as bits of what has been seen.
const (
	seenID = 1 << iota
	seenTimestamp
)

// call reads one call log into c.
func (p *lineParser) call(data []byte, c *Call) error {
	return prefix(p.call1(data, c), nil, -1)
}

func (p *lineParser) call1(data []byte, c *Call) error {
	p.data, p.pos, p.keys, p.keyText = data, 0, p.keys[:0], p.keyText[:0]
	if k := p.kindNext(); k != jsonx.Object {
		if err := p.skip(0); err != nil {
			return err
		}
		return p.typeErr("got %s, want a call log object", k)
	}
	p.meta, p.evs = c.Metadata, c.MetricEvaluations
	*c = Call{}
	seen := 0
	err := p.object(1, func(key []byte) (uint64, error) {
		var err error
		var dst *Value
		kind := jsonx.String
		var bit uint64
		switch string(key) {
		case "id":
			seen |= seenID
			c.ID, err = p.integer(1)
			return 1 << 0, err
		case "timestamp":
			seen |= seenTimestamp
			c.Timestamp, err = p.timestamp()
			return 1 << 1, err
		case "duration":
			dst, kind, bit, p.slot = &c.Duration, jsonx.Number, 1<<2, slotDuration
		case "success":
			dst, kind, bit = &c.Success, jsonx.Bool, 1<<3
		case "is_reviewed":
			dst, kind, bit = &c.IsReviewed, jsonx.Bool, 1<<4
		case "call_ended_reason":
			dst, p.slot, bit = &c.CallEndedReason, slotReason, 1<<5
		case "dropoff_point":
			dst, p.slot, bit = &c.DropoffPoint, slotDropoff, 1<<6
		case "topic":
			dst, p.slot, bit = &c.Topic, slotTopic, 1<<7
		case "customer_number":
			dst, p.slot, bit = &c.CustomerNumber, slotCustomer, 1<<8
		case "agent":
			return 1 << 9, p.agent(c)
		case "metadata":
			return 1 << 10, p.metadata(c)
		case "metric_evaluations":
			return 1 << 11, p.evaluations(c)
		default:
			return 0, p.skip(1)
		}
		return bit, p.value(dst, 1, kind)
	})
	if err != nil {
		return err
	}
	p.space()
	if p.pos < len(p.data) {
		return p.syntax("unexpected %s after the JSON value", p.describe())
	}
	switch {
	case seen&seenID == 0:
		return p.errorf(".id", errType, "missing; want an integer")
	case seen&seenTimestamp == 0:
		return p.errorf(".timestamp", errType, "missing; want an RFC 3339 string")
	}
	return nil
}

// timestamp reads an RFC 3339 string.
func (p *lineParser) timestamp() (time.Time, error) {
	if k := p.kindNext(); k != jsonx.String {
		if err := p.skip(1); err != nil {
			return time.Time{}, err
		}
		return time.Time{}, p.typeErr("got %s, want an RFC 3339 string", k)
	}
	s, err := p.rawString()
	if err != nil {
		return time.Time{}, err
	}
	if t, ok := parseUTC(s); ok {
		return t, nil
	}
	t, err := time.Parse(time.RFC3339Nano, string(s))
	if err != nil {
		return time.Time{}, p.typeErr("%v", err)
	}
	return t, nil
}

// parseUTC parses the common form 2006-01-02T15:04:05[.fraction]Z as
// time.Parse(time.RFC3339Nano) would; ok is false for any other form
// (which time.Parse then reads).
func parseUTC(s []byte) (time.Time, bool) {
	if len(s) < 20 || len(s) > 30 || s[4] != '-' || s[7] != '-' || s[10] != 'T' || s[13] != ':' || s[16] != ':' || s[len(s)-1] != 'Z' {
		return time.Time{}, false
	}
	num := func(b []byte) int {
		n := 0
		for _, c := range b {
			if c < '0' || c > '9' {
				return -1
			}
			n = n*10 + int(c-'0')
		}
		return n
	}
	y, mo, d, h, mi, sec := num(s[0:4]), num(s[5:7]), num(s[8:10]), num(s[11:13]), num(s[14:16]), num(s[17:19])
	ns := 0
	switch rest := s[19 : len(s)-1]; {
	case len(rest) == 0:
	case rest[0] == '.' && len(rest) >= 2 && len(rest) <= 10:
		ns = num(rest[1:])
		if ns < 0 {
			return time.Time{}, false
		}
		for range 10 - len(rest) {
			ns *= 10
		}
	default:
		return time.Time{}, false
	}
	if y < 0 || mo < 1 || mo > 12 || d < 1 || h < 0 || h > 23 || mi < 0 || mi > 59 || sec < 0 || sec > 59 {
		return time.Time{}, false
	}
	t := time.Date(y, time.Month(mo), d, h, mi, sec, ns, time.UTC)
	if t.Day() != d {
		return time.Time{}, false // day out of range: let time.Parse say so
	}
	return t, true
}

// agent reads the agent object; any other value is ignored, as by
// [Call.UnmarshalJSON].
func (p *lineParser) agent(c *Call) error {
	if p.kindNext() != jsonx.Object {
		return p.skip(1)
	}
	return p.object(2, func(key []byte) (uint64, error) {
		switch string(key) {
		case "id":
			p.slot = slotAgentID
			return 1 << 0, p.value(&c.AgentID, 2, jsonx.Number)
		case "agent_name":
			p.slot = slotAgentName
			return 1 << 1, p.value(&c.AgentName, 2, jsonx.String)
		}
		return 0, p.skip(2)
	})
}

// metadata reads the metadata object: its scalar values; arrays, objects
// and null are left out. Any other value than an object is ignored.
func (p *lineParser) metadata(c *Call) error {
	if p.kindNext() != jsonx.Object {
		return p.skip(1)
	}
	if c.Metadata = p.meta; c.Metadata != nil {
		clear(c.Metadata)
	} else {
		c.Metadata = map[string]Value{}
	}
	return p.object(2, func(key []byte) (uint64, error) {
		switch k := p.kindNext(); k {
		case jsonx.String, jsonx.Number, jsonx.Bool:
			k0 := p.d.str(slotMetaKey, key)
			p.slot = slotMetaValue
			var v Value
			if err := p.scalar(&v, k); err != nil {
				return 0, err
			}
			c.Metadata[k0] = v
			return 0, nil
		}
		return 0, p.skip(2)
	})
}

// evaluations reads the metric evaluations array; any other value is
// ignored.
func (p *lineParser) evaluations(c *Call) error {
	if p.kindNext() != jsonx.Array {
		return p.skip(1)
	}
	if c.MetricEvaluations = p.evs[:0]; c.MetricEvaluations == nil {
		c.MetricEvaluations = []Evaluation{}
	}
	return p.array(2, func(i int) error {
		var ev Evaluation
		if err := p.evaluation(&ev); err != nil {
			return err
		}
		c.MetricEvaluations = append(c.MetricEvaluations, ev)
		return nil
	})
}

func (p *lineParser) evaluation(ev *Evaluation) error {
	if k := p.kindNext(); k != jsonx.Object {
		if err := p.skip(2); err != nil {
			return err
		}
		return p.typeErr("got %s, want an object", k)
	}
	var seenID, seenMetric, seenType, seenValue, direct bool
	var value struct {
		start, depth int
	}
	var valueErr error // a wrong type of a value read directly
	err := p.object(3, func(key []byte) (uint64, error) {
		switch string(key) {
		case "id":
			seenID = true
			var err error
			ev.ID, err = p.integer(3)
			return 1 << 0, err
		case "metric":
			seenMetric = true
			return 1 << 1, p.metric(ev, &seenType)
		case "value":
			seenValue = true
			if seenType {
				// The metric came first (the common order): its eval
				// type gives the kind now. A wrong type is reported
				// after the object, as when the value comes first.
				direct = true
				kind, _ := evalKind(ev.EvalType)
				p.slot = slotEvalValue
				err := p.value(&ev.Value, 3, kind)
				if err != nil && errors.Is(err, errType) {
					valueErr, err = err, nil
				}
				return 1 << 2, err
			}
			// Its type depends on eval_type, which may come later:
			// check it now, convert it at the end.
			value.start = p.pos
			return 1 << 2, p.skip(3)
		}
		return 0, p.skip(3)
	})
	switch {
	case err != nil:
		return err
	case !seenID:
		return p.errorf(".id", errType, "missing; want an integer")
	case !seenMetric:
		return p.errorf(".metric", errType, "missing; want an object")
	case !seenType:
		return p.errorf(".metric.eval_type", errType, "missing; want a string")
	case !seenValue:
		return nil
	case direct:
		return prefix(valueErr, []byte("value"), -1)
	}
	end := p.pos
	p.pos = value.start
	kind, _ := evalKind(ev.EvalType)
	p.slot = slotEvalValue
	err = p.value(&ev.Value, 3, kind)
	p.pos = end
	return prefix(err, []byte("value"), -1)
}

// metric reads the metric object of an evaluation.
func (p *lineParser) metric(ev *Evaluation, seenType *bool) error {
	if k := p.kindNext(); k != jsonx.Object {
		if err := p.skip(3); err != nil {
			return err
		}
		return p.typeErr("got %s, want an object", k)
	}
	seenID := false
	err := p.object(4, func(key []byte) (uint64, error) {
		var err error
		switch string(key) {
		case "id":
			seenID = true
			ev.MetricID, err = p.integer(4)
			return 1 << 0, err
		case "name":
			p.slot = slotMetricName
			return 1 << 1, p.value(&ev.MetricName, 4, jsonx.String)
		case "eval_type":
			*seenType = true
			if k := p.kindNext(); k != jsonx.String {
				if err := p.skip(4); err != nil {
					return 0, err
				}
				return 0, p.typeErr("got %s, want a string", k)
			}
			s, err := p.rawString()
			if err != nil {
				return 0, err
			}
			ev.EvalType = p.d.str(slotEvalType, s)
			if _, ok := evalKind(ev.EvalType); !ok {
				return 0, p.typeErr("unknown eval type %q", ev.EvalType)
			}
			return 1 << 2, nil
		}
		return 0, p.skip(4)
	})
	if err == nil && !seenID {
		err = p.errorf(".id", errType, "missing; want an integer")
	}
	return err
}

// evalKind returns the JSON kind of the values of an eval type; ok is
// false for an unknown one.
func evalKind(evalType string) (k jsonx.Kind, ok bool) {
	switch evalType {
	case EvalNumeric, EvalContinuous:
		return jsonx.Number, true
	case EvalBinary:
		return jsonx.Bool, true
	case EvalEnum:
		return jsonx.String, true
	}
	return 0, false
}
