package filter

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/calldash/calldash"
)

// A Type is the type of a field.
type Type uint8

// The field types.
const (
	TypeInteger  Type = iota + 1 // id-like numbers; exact
	TypeDatetime                 // instants; compared as instants
	TypeNumeric                  // exact decimals
	TypeBoolean
	TypeString
	TypeDynamic // a scalar of any JSON type, compared by the type of the filter value
)

func (t Type) String() string {
	switch t {
	case TypeInteger:
		return "integer"
	case TypeDatetime:
		return "datetime"
	case TypeNumeric:
		return "numeric"
	case TypeBoolean:
		return "boolean"
	case TypeString:
		return "string"
	case TypeDynamic:
		return "dynamic"
	}
	return "invalid"
}

// A Field describes one filterable field of a [Schema]: its type, the
// operators it allows and how to read it from an in-memory call log.
// Where it lives in SQL is a layout's business (package sqlgen).
type Field struct {
	Name        string // e.g. "duration"; for a Prefix field the part before the dot, e.g. "metadata"
	Type        Type
	Ops         OpSet  // operators allowed in filters
	DisplayName string // human-readable name, e.g. "Call Ended Reason"
	Plot        Type   // how it plots (TypeNumeric, TypeBoolean, TypeString); 0 when not plottable
	Prefix      bool   // the field has dynamic keys: "metadata.<key>"
	Metric      bool   // the field belongs to a metric evaluation row (metric_evaluations.*)

	// Exactly one reader is set, by the kind of field.
	Call func(c *calldash.Call) calldash.Value             // a call-level scalar field
	Time func(c *calldash.Call) time.Time                  // a call-level datetime field
	Key  func(c *calldash.Call, key string) calldash.Value // a Prefix field, by key
	Eval func(e *calldash.Evaluation) calldash.Value       // a Metric field

	// Optional allocation-free readers of an integer field, used by the
	// in-memory matcher instead of Call or Eval when set (a Value holding a
	// number allocates); ok is false for null.
	CallInt func(c *calldash.Call) (n int64, ok bool)
	EvalInt func(e *calldash.Evaluation) (n int64, ok bool)
}

// A Schema is a set of fields that filters and widgets may name. The
// default is [CallLogs]; users describe other layouts with [NewSchema].
type Schema struct {
	fields  []*Field
	byName  map[string]*Field
	aliases map[string]string
}

// NewSchema returns a schema of the given fields. aliases maps extra names
// to field names (e.g. "agent_id" → "agent.id").
func NewSchema(fields []Field, aliases map[string]string) (*Schema, error) {
	s := &Schema{byName: make(map[string]*Field, len(fields)), aliases: make(map[string]string, len(aliases))}
	for i := range fields {
		f := fields[i]
		if f.Name == "" {
			return nil, fmt.Errorf("schema: field %d has no name", i)
		}
		if _, dup := s.byName[f.Name]; dup {
			return nil, fmt.Errorf("schema: field %q defined twice", f.Name)
		}
		readers := 0
		for _, set := range []bool{f.Call != nil, f.Time != nil, f.Key != nil, f.Eval != nil} {
			if set {
				readers++
			}
		}
		if readers != 1 {
			return nil, fmt.Errorf("schema: field %q must have exactly one reader", f.Name)
		}
		s.fields = append(s.fields, &f)
		s.byName[f.Name] = &f
	}
	for alias, name := range aliases {
		if s.byName[name] == nil {
			return nil, fmt.Errorf("schema: alias %q names unknown field %q", alias, name)
		}
		s.aliases[alias] = name
	}
	return s, nil
}

// Lookup finds the field that name refers to. For a Prefix field, key is
// the part after the first dot ("region" in "metadata.region"); it is not
// checked here. Aliases are not looked up (see [Schema.Resolve]).
func (s *Schema) Lookup(name string) (f *Field, key string, ok bool) {
	if f := s.byName[name]; f != nil && !f.Prefix {
		return f, "", true
	}
	if i := strings.IndexByte(name, '.'); i >= 0 {
		if f := s.byName[name[:i]]; f != nil && f.Prefix {
			return f, name[i+1:], true
		}
	}
	return nil, "", false
}

// Resolve is [Schema.Lookup] that also accepts aliases (for plotting).
func (s *Schema) Resolve(name string) (f *Field, key string, ok bool) {
	if real, isAlias := s.aliases[name]; isAlias {
		name = real
	}
	return s.Lookup(name)
}

// Only returns the schema of the fields of s for which keep is true, in
// the same order, with the aliases of those fields; s itself when keep is
// true for every field. A layout that stores only some fields (package
// sqlgen) narrows a schema with it, so that the others are unknown.
func (s *Schema) Only(keep func(f *Field) bool) *Schema {
	all := true
	for _, f := range s.fields {
		all = all && keep(f)
	}
	if all {
		return s
	}
	var kept []*Field
	for _, f := range s.fields {
		if keep(f) {
			kept = append(kept, f)
		}
	}
	out := &Schema{fields: kept, byName: make(map[string]*Field, len(kept)), aliases: map[string]string{}}
	for _, f := range kept {
		out.byName[f.Name] = f
	}
	for alias, name := range s.aliases {
		if out.byName[name] != nil {
			out.aliases[alias] = name
		}
	}
	return out
}

// Fields returns the fields in definition order.
func (s *Schema) Fields() []*Field { return slices.Clone(s.fields) }

// Names returns the names a user may write, in definition order, with
// prefix fields as "metadata.<key>".
func (s *Schema) Names() []string {
	names := make([]string, len(s.fields))
	for i, f := range s.fields {
		names[i] = f.Name
		if f.Prefix {
			names[i] += ".<key>"
		}
	}
	return names
}

// Call-log field operator sets.
var (
	opsInteger  = SetOf(OpEq, OpNeq, OpGt, OpGte, OpLt, OpLte, OpIn)
	opsDatetime = SetOf(OpEq, OpNeq, OpGt, OpGte, OpLt, OpLte)
	opsNumeric  = SetOf(OpEq, OpNeq, OpGt, OpGte, OpLt, OpLte, OpIn, OpIsNull)
	opsBoolean  = SetOf(OpEq, OpNeq, OpIsNull)
	opsString   = SetOf(OpEq, OpNeq, OpContains, OpStartsWith, OpEndsWith, OpIn, OpIsNull, OpRegex)
	opsDynamic  = SetOf(OpEq, OpNeq, OpGt, OpGte, OpLt, OpLte, OpContains, OpStartsWith, OpEndsWith, OpIn, OpIsNull, OpRegex)
	opsMetricID = SetOf(OpEq, OpNeq, OpIn)
	opsAgentID  = SetOf(OpEq, OpNeq, OpIn, OpIsNull)
)

// CallLogs returns the schema of call logs.
//
// metric_evaluations.value allows
// the string operators for every metric; on a non-enum metric they simply
// never match, since string operators match only string values.
func CallLogs() *Schema {
	str := func(name, display string, get func(*calldash.Call) calldash.Value) Field {
		return Field{Name: name, Type: TypeString, Ops: opsString, DisplayName: display, Plot: TypeString, Call: get}
	}
	fields := []Field{
		{Name: "id", Type: TypeInteger, Ops: opsInteger, DisplayName: "ID",
			Call: func(c *calldash.Call) calldash.Value { return calldash.Int(c.ID) }, CallInt: func(c *calldash.Call) (int64, bool) { return c.ID, true }},
		{Name: "timestamp", Type: TypeDatetime, Ops: opsDatetime, DisplayName: "Timestamp",
			Time: func(c *calldash.Call) time.Time { return c.Timestamp }},
		{Name: "duration", Type: TypeNumeric, Ops: opsNumeric, DisplayName: "Duration", Plot: TypeNumeric,
			Call: func(c *calldash.Call) calldash.Value { return c.Duration }},
		{Name: "success", Type: TypeBoolean, Ops: opsBoolean, DisplayName: "Success", Plot: TypeBoolean,
			Call: func(c *calldash.Call) calldash.Value { return c.Success }},
		{Name: "is_reviewed", Type: TypeBoolean, Ops: opsBoolean, DisplayName: "Is Reviewed", Plot: TypeBoolean,
			Call: func(c *calldash.Call) calldash.Value { return c.IsReviewed }},
		str("call_ended_reason", "Call Ended Reason", func(c *calldash.Call) calldash.Value { return c.CallEndedReason }),
		str("dropoff_point", "Dropoff Point", func(c *calldash.Call) calldash.Value { return c.DropoffPoint }),
		str("topic", "Topic", func(c *calldash.Call) calldash.Value { return c.Topic }),
		{Name: "customer_number", Type: TypeString, Ops: opsString, DisplayName: "Customer Number",
			Call: func(c *calldash.Call) calldash.Value { return c.CustomerNumber }},
		{Name: "agent.id", Type: TypeInteger, Ops: opsAgentID, DisplayName: "Agent", Plot: TypeString,
			Call: func(c *calldash.Call) calldash.Value { return c.AgentID }},
		{Name: "agent.agent_name", Type: TypeString, Ops: opsString, DisplayName: "Agent Name", Plot: TypeString,
			Call: func(c *calldash.Call) calldash.Value { return c.AgentName }},
		{Name: "metadata", Type: TypeDynamic, Ops: opsDynamic, DisplayName: "Metadata", Plot: TypeString, Prefix: true,
			Key: func(c *calldash.Call, key string) calldash.Value { return c.Metadata[key] }},
		{Name: "metric_evaluations.metric.id", Type: TypeInteger, Ops: opsMetricID, DisplayName: "Metric", Metric: true,
			Eval: func(e *calldash.Evaluation) calldash.Value { return calldash.Int(e.MetricID) }, EvalInt: func(e *calldash.Evaluation) (int64, bool) { return e.MetricID, true }},
		{Name: "metric_evaluations.metric.name", Type: TypeString, Ops: opsString, DisplayName: "Metric Name", Metric: true,
			Eval: func(e *calldash.Evaluation) calldash.Value { return e.MetricName }},
		{Name: "metric_evaluations.value", Type: TypeDynamic, Ops: opsDynamic, DisplayName: "Metric Value", Metric: true,
			Eval: func(e *calldash.Evaluation) calldash.Value { return e.Value }},
	}
	s, err := NewSchema(fields, map[string]string{"agent_id": "agent.id"})
	if err != nil {
		panic(err) // the default schema is a constant of this package
	}
	return s
}
