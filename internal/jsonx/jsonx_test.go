package jsonx

import (
	"errors"
	"strings"
	"testing"
)

func TestParse(t *testing.T) {
	tests := []struct {
		in   string
		want string // a rendering of the tree, or "error: path: message"
	}{
		{`{"a":[1,-2.5e3,"x",true,null],"b":{}}`, `{a:[1 -2.5e3 "x" true null] b:{}}`},
		{` "\u00e9\ud83d\ude00\n" `, `"é😀\n"`},
		// a lone surrogate is refused (encoding/json would read U+FFFD),
		// at the path of the string
		{`"\ud800"`, `error: $: malformed JSON: \ud800 at offset 1 is a lone UTF-16 surrogate, not a character`},
		{`{"a":["x","\udc00"]}`, `error: $.a[1]: malformed JSON: \udc00 at offset 11 is a lone UTF-16 surrogate, not a character`},
		{`{"a":"\ud83dx"}`, `error: $.a: malformed JSON: \ud83d at offset 6 is a lone UTF-16 surrogate, not a character`},
		{`{"a":"\ud83d\u0041"}`, `error: $.a: malformed JSON: \ud83d at offset 6 is a lone UTF-16 surrogate, not a character`},
		{`{"a":"\ude00\ud83d"}`, `error: $.a: malformed JSON: \ude00 at offset 6 is a lone UTF-16 surrogate, not a character`},
		{`{"a":"\ud83d"}`, `error: $.a: malformed JSON: \ud83d at offset 6 is a lone UTF-16 surrogate, not a character`},
		{`{"\ud800":1}`, `error: $: malformed JSON: \ud800 at offset 2 is a lone UTF-16 surrogate, not a character`},
		{`{"a":"\uD83D\uDE00"}`, `{a:"😀"}`},
		{`{"a b":1}`, `{a b:1}`},
		{`[]`, `[]`},
		{`{"a":1,"a":2}`, `error: $.a: duplicate key "a"`},
		{`{"a":1,}`, `error: $: malformed JSON: expected a string key, found character '}' at offset 7`},
		{`[01]`, `error: $: malformed JSON: expected ',' or ']', found character '1' at offset 2`},
		{`1.`, `error: $: malformed JSON: invalid number at offset 2`},
		{`"a` + "\xff" + `"`, `error: $: malformed JSON: invalid UTF-8 in string`},
		{`{"a":{"b":"` + "\xff" + `"}}`, `error: $.a.b: malformed JSON: invalid UTF-8 in string`},
		{"\"a\tb\"", `error: $: malformed JSON: control character in string at offset 2`},
		{`"abc`, `error: $: malformed JSON: unterminated string at offset 4`},
		// malformed JSON is the document's, at $, with the offset; never
		// blamed on the key being read
		{`{"chart_type":`, `error: $: malformed JSON: unexpected end of input at offset 14`},
		{`{"a":{"b":[1,}]}}`, `error: $: malformed JSON: unexpected character '}' at offset 13`},
		{`{"a":{"b" 1}}`, `error: $: malformed JSON: expected ':', found character '1' at offset 10`},
		{`{"a":"x\q"}`, `error: $: malformed JSON: invalid escape \q at offset 8`},
		{`{"x":[[[1]]]}`, `error: $.x[0][0]: nesting deeper than 3 levels`},
		{`nul`, `error: $: malformed JSON: unexpected character 'n' at offset 0`},
		{`1 2`, `error: $: malformed JSON: unexpected character '2' after the JSON value at offset 2`},
	}
	for _, tt := range tests {
		v, err := Parse([]byte(tt.in), 3)
		got := ""
		if err != nil {
			got = "error: " + err.Error()
		} else {
			got = render(v)
		}
		if got != tt.want {
			t.Errorf("Parse(%q)\n got %s\nwant %s", tt.in, got, tt.want)
		}
	}
}

func TestParseLimits(t *testing.T) {
	_, err := ParseLimits([]byte(`[1,2,3,4]`), Limits{MaxArray: 3})
	if !errors.Is(err, ErrTooLarge) {
		t.Errorf("array: got %v, want ErrTooLarge", err)
	}
	_, err = ParseLimits([]byte(`{"a":1,"b":2,"c":3}`), Limits{MaxMembers: 2})
	if !errors.Is(err, ErrTooLarge) {
		t.Errorf("object: got %v, want ErrTooLarge", err)
	}
	// Duplicate keys in a big object are found through its map.
	big := `{`
	for i := range 20 {
		big += `"k` + string(rune('a'+i)) + `":0,`
	}
	big += `"ka":1}`
	if _, err := Parse([]byte(big), 0); !errors.Is(err, ErrDuplicateKey) {
		t.Errorf("big object: got %v, want ErrDuplicateKey", err)
	}
}

func TestQuote(t *testing.T) {
	for in, want := range map[string]string{
		`a"b\c`:        `"a\"b\\c"`,
		"<&>":          `"<&>"`,
		"\x00\x1f\x7f": `"\u0000\u001f\u007f"`,
		"\u2028é":      `"\u2028é"`,
		"bad\xff":      `"bad\ufffd"`,
	} {
		if got := string(Quote(nil, in)); got != want {
			t.Errorf("Quote(%q) = %s, want %s", in, got, want)
		}
	}
}

func TestPaths(t *testing.T) {
	if got := Key("$", "op"); got != "$.op" {
		t.Errorf("Key: %s", got)
	}
	if got := Key("$", "a b"); got != `$["a b"]` {
		t.Errorf("Key: %s", got)
	}
	if got := Index("$.c", 3); got != "$.c[3]" {
		t.Errorf("Index: %s", got)
	}
}

func render(v *Value) string {
	switch v.Kind {
	case Array:
		parts := make([]string, len(v.Elems))
		for i, e := range v.Elems {
			parts[i] = render(e)
		}
		return "[" + strings.Join(parts, " ") + "]"
	case Object:
		parts := make([]string, len(v.Members))
		for i, m := range v.Members {
			parts[i] = m.Key + ":" + render(m.Value)
		}
		return "{" + strings.Join(parts, " ") + "}"
	case String:
		return string(Quote(nil, v.Text))
	case Number:
		return v.Text
	case Bool:
		if v.Bool {
			return "true"
		}
		return "false"
	}
	return "null"
}
