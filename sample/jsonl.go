package sample

import (
	"cmp"
	"fmt"
	"slices"
	"strconv"

	"github.com/calldash/calldash"
	"github.com/calldash/calldash/internal/jsonx"
)

// A record is a generated call with what its JSON line adds to it.
type record struct {
	call            calldash.Call
	absent          []string // top-level keys, all with null values, that the line leaves out
	nullAgentObject bool     // write a null agent as {"id":null,"agent_name":null}
	extra           []member // metadata values that are objects or arrays
}

// A member is a metadata key with a JSON text value.
type member struct {
	key, json string
}

// appendJSON appends the JSON line of rec (without the newline).
func (rec record) appendJSON(b []byte) ([]byte, error) {
	canon, err := rec.call.MarshalJSON()
	if err != nil {
		return nil, fmt.Errorf("call %d: %w", rec.call.ID, err)
	}
	if len(rec.absent) == 0 && !rec.nullAgentObject && len(rec.extra) == 0 {
		return append(b, canon...), nil
	}
	v, err := jsonx.Parse(canon, 16)
	if err != nil {
		return nil, fmt.Errorf("call %d: %w", rec.call.ID, err)
	}
	members := v.Members[:0]
	for _, m := range v.Members {
		if slices.Contains(rec.absent, m.Key) {
			continue
		}
		switch {
		case m.Key == "agent" && rec.nullAgentObject:
			if m.Value.Kind != jsonx.Null {
				return nil, fmt.Errorf("call %d: agent is not null", rec.call.ID)
			}
			m.Value = mustParse(`{"id":null,"agent_name":null}`)
		case m.Key == "metadata" && len(rec.extra) > 0:
			if m.Value.Kind != jsonx.Object {
				return nil, fmt.Errorf("call %d: extra metadata without metadata", rec.call.ID)
			}
			for _, e := range rec.extra {
				m.Value.Members = append(m.Value.Members, jsonx.Member{Key: e.key, Value: mustParse(e.json)})
			}
			slices.SortFunc(m.Value.Members, func(a, b jsonx.Member) int { return cmp.Compare(a.Key, b.Key) })
		}
		members = append(members, m)
	}
	v.Members = members
	return appendValue(b, v), nil
}

func mustParse(s string) *jsonx.Value {
	v, err := jsonx.Parse([]byte(s), 16)
	if err != nil {
		panic(err)
	}
	return v
}

// appendValue appends the compact JSON text of v, numbers as written.
func appendValue(b []byte, v *jsonx.Value) []byte {
	switch v.Kind {
	case jsonx.Bool:
		return strconv.AppendBool(b, v.Bool)
	case jsonx.Number:
		return append(b, v.Text...)
	case jsonx.String:
		return jsonx.Quote(b, v.Text)
	case jsonx.Array:
		b = append(b, '[')
		for i, e := range v.Elems {
			if i > 0 {
				b = append(b, ',')
			}
			b = appendValue(b, e)
		}
		return append(b, ']')
	case jsonx.Object:
		b = append(b, '{')
		for i, m := range v.Members {
			if i > 0 {
				b = append(b, ',')
			}
			b = jsonx.Quote(b, m.Key)
			b = append(b, ':')
			b = appendValue(b, m.Value)
		}
		return append(b, '}')
	}
	return append(b, "null"...)
}
