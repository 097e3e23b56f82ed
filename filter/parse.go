package filter

import (
	"errors"
	"fmt"
	"strings"

	"github.com/calldash/calldash"
	"github.com/calldash/calldash/internal/jsonx"
	"github.com/calldash/calldash/internal/names"
)

// Limits bound the size of a filter. Each is an option with a
// default; exceeding one is an [ErrLimit] error naming it.
type Limits struct {
	MaxDepth       int // nesting depth of groups; the root is depth 1 (default 32)
	MaxNodes       int // conditions and groups in one filter (default 1,000)
	MaxList        int // elements of an "in" list (default 1,000)
	MaxString      int // bytes of one string value (default 10,000)
	MaxMetadataKey int // bytes of a metadata key (default 255)
}

// DefaultLimits returns the default limits: nesting depth 32, 1,000
// conditions and groups, 1,000 elements per list, 10,000 bytes per string
// value, 255 bytes per metadata key.
func DefaultLimits() Limits {
	return Limits{MaxDepth: 32, MaxNodes: 1000, MaxList: 1000, MaxString: 10000, MaxMetadataKey: 255}
}

// ValidKey reports whether key can follow the dot of a prefix field
// ("metadata.<key>"): a top-level key, non-empty, without a dot, and at
// most MaxMetadataKey bytes.
func (l Limits) ValidKey(key string) bool {
	return key != "" && !strings.Contains(key, ".") && len(key) <= l.MaxMetadataKey
}

// An Option configures [Parse], [Check] and [Validate].
type Option func(*config)

type config struct {
	limits Limits
	path   string // JSON path of the filter's root
	env    *Env   // the evaluation's clock and zone, when Check knows them
}

func newConfig(opts []Option) config {
	c := config{limits: DefaultLimits(), path: "$"}
	for _, o := range opts {
		o(&c)
	}
	return c
}

// WithLimits replaces the default limits.
func WithLimits(l Limits) Option { return func(c *config) { c.limits = l } }

// AtPath sets the JSON path of the filter's root in a larger document (for
// example "$.filters" in a widget), so that error paths point into it.
func AtPath(path string) Option { return func(c *config) { c.path = path } }

// WithEnv gives [Check] (and [Validate]) the clock and zone of the
// evaluation: relative datetime values are then resolved with env, as
// [Compile] and the SQL compiler resolve them, and one that lands outside
// the years 0001 to 9999 is an [ErrInvalidTime] error. Without it Check
// reads no clock: it checks the form of datetime values, and refuses only
// steps that leave those years from any instant (now+20000y).
func WithEnv(env Env) Option { return func(c *config) { c.env = &env } }

// Parse reads a filter from JSON into an AST. null and {} mean "no filter"
// and give a nil Node.
//
// Parse checks the shape of the input (keys, JSON types, operator names,
// limits) but not the fields: see [Check] and [Validate]. On error it
// returns an [ErrorList] of every problem found, sorted by path, together
// with the part of the AST that could be built (go/parser style); the
// partial AST is for reporting further problems, not for evaluation.
func Parse(data []byte, opts ...Option) (Node, error) {
	cfg := newConfig(opts)
	p := &parser{cfg: cfg}
	// Each level of groups takes two levels of JSON (object and array), an
	// "in" list one more.
	j, err := jsonx.ParseLimits(data, jsonx.Limits{
		MaxDepth:   2*cfg.limits.MaxDepth + 2,
		MaxArray:   max(cfg.limits.MaxList, cfg.limits.MaxNodes) + 1, // one more, so that the parser below names the limit
		MaxMembers: maxNodeKeys,
	})
	if err != nil {
		var je *jsonx.Error
		if errors.As(err, &je) {
			path := cfg.path + strings.TrimPrefix(je.Path, "$")
			switch {
			case errors.Is(err, jsonx.ErrDepth):
				return nil, calldash.ErrorList{calldash.Errorf(path, calldash.ErrLimit, "nesting depth exceeds the limit of %d", cfg.limits.MaxDepth)}
			case errors.Is(err, jsonx.ErrTooLarge) && strings.HasPrefix(je.Msg, "array"):
				return nil, calldash.ErrorList{calldash.Errorf(path, calldash.ErrLimit, "%s; the limits are MaxList %d and MaxNodes %d", je.Msg, cfg.limits.MaxList, cfg.limits.MaxNodes)}
			case errors.Is(err, jsonx.ErrTooLarge):
				return nil, calldash.ErrorList{calldash.Errorf(path, calldash.ErrShape, "%s: a node has at most the keys field, op, value or operator, conditions", je.Msg)}
			}
			return nil, calldash.ErrorList{calldash.Errorf(path, calldash.ErrSyntax, "%s", je.Msg)}
		}
		return nil, calldash.ErrorList{calldash.Errorf(cfg.path, calldash.ErrSyntax, "%v", err)}
	}
	n := p.root(j)
	p.errs.Sort()
	return n, p.errs.Err()
}

type parser struct {
	cfg   config
	errs  calldash.ErrorList
	nodes int
	full  bool // the node limit was reported
}

func (p *parser) errorf(path string, kind error, format string, args ...any) {
	p.errs = append(p.errs, calldash.Errorf(path, kind, format, args...))
}

func (p *parser) root(j *jsonx.Value) Node {
	if j.Kind == jsonx.Null || j.Kind == jsonx.Object && len(j.Members) == 0 {
		return nil
	}
	return p.node(j, p.cfg.path, 1)
}

// maxNodeKeys bounds the keys read from one JSON object of a filter: a
// node has at most three, and a few unknown ones are reported one by one.
const maxNodeKeys = 16

var (
	leafKeys  = []string{"field", "op", "value"}
	groupKeys = []string{"operator", "conditions"}
)

func (p *parser) node(j *jsonx.Value, path string, depth int) Node {
	if j.Kind != jsonx.Object {
		p.errorf(path, calldash.ErrShape, "want a condition {field, op, value} or a group {operator, conditions}; got %s", j.Describe())
		return nil
	}
	p.nodes++
	if p.nodes > p.cfg.limits.MaxNodes {
		if !p.full {
			p.full = true
			p.errorf(path, calldash.ErrLimit, "filter has more than %d conditions and groups (limit MaxNodes)", p.cfg.limits.MaxNodes)
		}
		return nil
	}
	if depth > p.cfg.limits.MaxDepth {
		p.errorf(path, calldash.ErrLimit, "nesting depth exceeds the limit of %d", p.cfg.limits.MaxDepth)
		return nil
	}
	var isLeaf, isGroup bool
	for _, m := range j.Members {
		switch {
		case contains(leafKeys, m.Key):
			isLeaf = true
		case contains(groupKeys, m.Key):
			isGroup = true
		}
	}
	switch {
	case isLeaf && isGroup:
		p.errorf(path, calldash.ErrShape, "a node is either a condition {field, op, value} or a group {operator, conditions}, not both")
		return nil
	case isGroup:
		return p.group(j, path, depth)
	case isLeaf:
		return p.condition(j, path)
	}
	if len(j.Members) == 0 {
		p.errorf(path, calldash.ErrShape, "empty object: want a condition {field, op, value} or a group {operator, conditions}")
		return nil
	}
	p.unknownKeys(j, path, nil)
	return nil
}

// unknownKeys reports every key of j not in known; it reports whether there was one.
func (p *parser) unknownKeys(j *jsonx.Value, path string, known []string) bool {
	found := false
	for _, m := range j.Members {
		if contains(known, m.Key) {
			continue
		}
		found = true
		if known == nil {
			p.errorf(jsonx.Key(path, m.Key), calldash.ErrShape, "unknown key %s: want a condition {field, op, value} or a group {operator, conditions}", quoteShort(m.Key))
			continue
		}
		msg := fmt.Sprintf("unknown key %s", quoteShort(m.Key))
		if s := suggest(m.Key, known); s != "" {
			msg += fmt.Sprintf(" (did you mean %q?)", s)
		}
		p.errorf(jsonx.Key(path, m.Key), calldash.ErrShape, "%s; allowed keys: %s", msg, strings.Join(known, ", "))
	}
	return found
}

func (p *parser) missingKeys(j *jsonx.Value, path, what string, keys []string) bool {
	missing := false
	for _, k := range keys {
		if j.Get(k) == nil {
			missing = true
			p.errorf(path, calldash.ErrShape, "%s is missing key %q", what, k)
		}
	}
	return missing
}

func (p *parser) group(j *jsonx.Value, path string, depth int) Node {
	bad := p.unknownKeys(j, path, groupKeys)
	bad = p.missingKeys(j, path, "group", groupKeys) || bad
	g := &Group{At: path}
	if op := j.Get("operator"); op != nil {
		opPath := path + ".operator"
		if op.Kind != jsonx.String {
			p.errorf(opPath, calldash.ErrShape, "operator must be a string (and, or, same_row); got %s", op.Describe())
			bad = true
		} else if g.Operator = groupOpNames[op.Text]; g.Operator == 0 {
			msg := fmt.Sprintf("unknown group operator %s", quoteShort(op.Text))
			if s := suggest(op.Text, []string{"and", "or", "same_row"}); s != "" {
				msg += fmt.Sprintf(" (did you mean %q?)", s)
			}
			p.errorf(opPath, calldash.ErrUnknownOperator, "%s; allowed: and, or, same_row", msg)
			bad = true
		}
	}
	if cs := j.Get("conditions"); cs != nil {
		cPath := path + ".conditions"
		if cs.Kind != jsonx.Array {
			p.errorf(cPath, calldash.ErrShape, "conditions must be an array; got %s", cs.Describe())
			return nil
		}
		g.Conditions = make([]Node, 0, len(cs.Elems))
		for i, e := range cs.Elems {
			if p.full {
				break
			}
			// A member with errors is left out; the group is kept so that
			// Check can report the problems of its other members.
			if n := p.node(e, jsonx.Index(cPath, i), depth+1); n != nil {
				g.Conditions = append(g.Conditions, n)
			}
		}
	}
	if bad {
		return nil
	}
	return g
}

func (p *parser) condition(j *jsonx.Value, path string) Node {
	bad := p.unknownKeys(j, path, leafKeys)
	bad = p.missingKeys(j, path, "condition", leafKeys) || bad
	c := &Condition{At: path}
	if f := j.Get("field"); f != nil {
		if f.Kind != jsonx.String {
			p.errorf(path+".field", calldash.ErrShape, "field must be a string; got %s", f.Describe())
			bad = true
		} else {
			c.Field = f.Text
		}
	}
	if op := j.Get("op"); op != nil {
		opPath := path + ".op"
		if op.Kind != jsonx.String {
			p.errorf(opPath, calldash.ErrShape, "op must be a string; got %s", op.Describe())
			bad = true
		} else if o, ok := ParseOp(op.Text); ok {
			c.Op = o
		} else {
			names := make([]string, 0, numOps)
			for _, o := range Ops() {
				names = append(names, o.String())
			}
			msg := fmt.Sprintf("unknown operator %s", quoteShort(op.Text))
			if s := suggest(op.Text, names); s != "" {
				msg += fmt.Sprintf(" (did you mean %q?)", s)
			}
			p.errorf(opPath, calldash.ErrUnknownOperator, "%s", msg)
			bad = true
		}
	}
	if v := j.Get("value"); v != nil {
		val, ok := p.value(v, path+".value")
		c.Value = val
		bad = bad || !ok
	}
	if bad {
		return nil
	}
	return c
}

func (p *parser) value(j *jsonx.Value, path string) (calldash.Value, bool) {
	switch j.Kind {
	case jsonx.Object:
		p.errorf(path, calldash.ErrValueType, "value must be a string, number, boolean, null or array; got object")
		return calldash.Null, false
	case jsonx.Array:
		if len(j.Elems) > p.cfg.limits.MaxList {
			p.errorf(path, calldash.ErrLimit, "list has %d elements; the limit (MaxList) is %d", len(j.Elems), p.cfg.limits.MaxList)
			return calldash.Null, false
		}
		list := make([]calldash.Value, 0, len(j.Elems))
		ok := true
		for i, e := range j.Elems {
			ePath := jsonx.Index(path, i)
			if e.Kind == jsonx.Array || e.Kind == jsonx.Object {
				p.errorf(ePath, calldash.ErrValueType, "list elements must be strings, numbers or booleans; got %s", e.Kind)
				ok = false
				continue
			}
			v, vok := p.value(e, ePath)
			ok = ok && vok
			list = append(list, v)
		}
		return calldash.Value{Kind: calldash.KindList, List: list}, ok
	case jsonx.String:
		if len(j.Text) > p.cfg.limits.MaxString {
			p.errorf(path, calldash.ErrLimit, "string value has %d bytes; the limit (MaxString) is %d", len(j.Text), p.cfg.limits.MaxString)
			return calldash.Null, false
		}
	case jsonx.Number:
		d, ok := calldash.ParseNumber(j.Text)
		if !ok {
			p.errorf(path, calldash.ErrValueType, "number %s is out of range (at most %d digits, exponent within ±%d)",
				shorten(j.Text), calldash.MaxNumberDigits, calldash.MaxNumberExponent)
			return calldash.Null, false
		}
		return calldash.Number(d), true
	case jsonx.Bool:
		return calldash.Bool(j.Bool), true
	case jsonx.Null:
		return calldash.Null, true
	}
	return calldash.String(j.Text), true
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// quoteShort quotes s for an error message, cutting it to 64 bytes.
func quoteShort(s string) string { return names.Quote(s) }

func shorten(s string) string { return names.Shorten(s) }

// suggest returns the candidate nearest to s when it is a likely typo, else "".
func suggest(s string, candidates []string) string { return names.Nearest(s, candidates) }
