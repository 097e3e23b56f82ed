package calldash

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"iter"
	"strconv"
	"time"

	"github.com/calldash/calldash/internal/jsonx"
)

// A Call is one call log. Every field but ID and Timestamp may be
// null; an absent key decodes as null.
type Call struct {
	ID                int64
	Timestamp         time.Time
	Duration          Value            // number (seconds) or null
	Success           Value            // boolean or null
	IsReviewed        Value            // boolean or null
	CallEndedReason   Value            // string or null
	DropoffPoint      Value            // string or null
	Topic             Value            // string or null
	CustomerNumber    Value            // string or null
	AgentID           Value            // number (integer) or null; null also when "agent" is null
	AgentName         Value            // string or null
	Metadata          map[string]Value // scalar values only: object and array values are dropped, so they behave as missing keys
	MetricEvaluations []Evaluation
}

// An Evaluation is one metric evaluation row of a call.
type Evaluation struct {
	ID         int64
	MetricID   int64
	MetricName Value  // string or null
	EvalType   string // "numeric", "continuous_qualitative", "binary" or "enum"
	Value      Value  // number, boolean, string or null
}

// The metric evaluation types.
const (
	EvalNumeric    = "numeric"
	EvalContinuous = "continuous_qualitative"
	EvalBinary     = "binary"
	EvalEnum       = "enum"
)

// UnmarshalJSON decodes a call log in its JSON form. Numbers are
// read exactly; unknown keys are ignored.
func (c *Call) UnmarshalJSON(data []byte) error {
	j, err := jsonx.Parse(data, 64)
	if err != nil {
		return err
	}
	return c.fromJSON(j)
}

func (c *Call) fromJSON(j *jsonx.Value) error {
	if j.Kind != jsonx.Object {
		return fmt.Errorf("call log: got %s, want an object", j.Kind)
	}
	*c = Call{}
	var err error
	if c.ID, err = intOf(j.Get("id"), "id"); err != nil {
		return err
	}
	ts := j.Get("timestamp")
	if ts == nil || ts.Kind != jsonx.String {
		return fmt.Errorf("call log %d: timestamp: want an RFC 3339 string", c.ID)
	}
	if c.Timestamp, err = time.Parse(time.RFC3339Nano, ts.Text); err != nil {
		return fmt.Errorf("call log %d: timestamp: %v", c.ID, err)
	}
	fields := []struct {
		key  string
		kind jsonx.Kind
		dst  *Value
	}{
		{"duration", jsonx.Number, &c.Duration},
		{"success", jsonx.Bool, &c.Success},
		{"is_reviewed", jsonx.Bool, &c.IsReviewed},
		{"call_ended_reason", jsonx.String, &c.CallEndedReason},
		{"dropoff_point", jsonx.String, &c.DropoffPoint},
		{"topic", jsonx.String, &c.Topic},
		{"customer_number", jsonx.String, &c.CustomerNumber},
	}
	for _, f := range fields {
		if *f.dst, err = fieldValue(j.Get(f.key), f.kind); err != nil {
			return fmt.Errorf("call log %d: %s: %v", c.ID, f.key, err)
		}
	}
	if a := j.Get("agent"); a != nil && a.Kind == jsonx.Object {
		if c.AgentID, err = fieldValue(a.Get("id"), jsonx.Number); err != nil {
			return fmt.Errorf("call log %d: agent.id: %v", c.ID, err)
		}
		if c.AgentName, err = fieldValue(a.Get("agent_name"), jsonx.String); err != nil {
			return fmt.Errorf("call log %d: agent.agent_name: %v", c.ID, err)
		}
	}
	if m := j.Get("metadata"); m != nil && m.Kind == jsonx.Object {
		c.Metadata = make(map[string]Value, len(m.Members))
		for _, kv := range m.Members {
			switch kv.Value.Kind {
			case jsonx.Bool, jsonx.Number, jsonx.String:
				v, ok := scalarOf(kv.Value)
				if !ok {
					return fmt.Errorf("call log %d: metadata.%s: number out of range", c.ID, kv.Key)
				}
				c.Metadata[kv.Key] = v
			}
		}
	}
	if evs := j.Get("metric_evaluations"); evs != nil && evs.Kind == jsonx.Array {
		c.MetricEvaluations = make([]Evaluation, 0, len(evs.Elems))
		for i, e := range evs.Elems {
			ev, err := evaluationOf(e)
			if err != nil {
				return fmt.Errorf("call log %d: metric_evaluations[%d]: %v", c.ID, i, err)
			}
			c.MetricEvaluations = append(c.MetricEvaluations, ev)
		}
	}
	return nil
}

func evaluationOf(j *jsonx.Value) (Evaluation, error) {
	var ev Evaluation
	if j.Kind != jsonx.Object {
		return ev, fmt.Errorf("got %s, want an object", j.Kind)
	}
	var err error
	if ev.ID, err = intOf(j.Get("id"), "id"); err != nil {
		return ev, err
	}
	m := j.Get("metric")
	if m == nil || m.Kind != jsonx.Object {
		return ev, fmt.Errorf("metric: want an object")
	}
	if ev.MetricID, err = intOf(m.Get("id"), "metric.id"); err != nil {
		return ev, err
	}
	if ev.MetricName, err = fieldValue(m.Get("name"), jsonx.String); err != nil {
		return ev, fmt.Errorf("metric.name: %v", err)
	}
	et := m.Get("eval_type")
	if et == nil || et.Kind != jsonx.String {
		return ev, fmt.Errorf("metric.eval_type: want a string")
	}
	ev.EvalType = et.Text
	want := map[string]jsonx.Kind{EvalNumeric: jsonx.Number, EvalContinuous: jsonx.Number, EvalBinary: jsonx.Bool, EvalEnum: jsonx.String}
	kind, ok := want[ev.EvalType]
	if !ok {
		return ev, fmt.Errorf("metric.eval_type: unknown eval type %q", ev.EvalType)
	}
	if ev.Value, err = fieldValue(j.Get("value"), kind); err != nil {
		return ev, fmt.Errorf("value: %v", err)
	}
	return ev, nil
}

func intOf(j *jsonx.Value, key string) (int64, error) {
	if j == nil || j.Kind != jsonx.Number {
		return 0, fmt.Errorf("%s: want an integer", key)
	}
	n, err := strconv.ParseInt(j.Text, 10, 64)
	if err != nil {
		return 0, fmt.Errorf("%s: want an integer, got %s", key, j.Text)
	}
	return n, nil
}

// fieldValue converts j, which must be null, absent or of the given kind.
func fieldValue(j *jsonx.Value, kind jsonx.Kind) (Value, error) {
	if j == nil || j.Kind == jsonx.Null {
		return Null, nil
	}
	if j.Kind != kind {
		return Null, fmt.Errorf("got %s, want %s or null", j.Kind, kind)
	}
	v, ok := scalarOf(j)
	if !ok {
		return Null, fmt.Errorf("number out of range")
	}
	return v, nil
}

// ReadCalls returns the call logs of a JSON Lines stream, one per non-blank
// line. The sequence stops after the first error, which names the line.
func ReadCalls(r io.Reader) iter.Seq2[Call, error] {
	return func(yield func(Call, error) bool) {
		sc := bufio.NewScanner(r)
		sc.Buffer(make([]byte, 64*1024), 16<<20)
		for line := 1; sc.Scan(); line++ {
			text := bytes.TrimSpace(sc.Bytes())
			if len(text) == 0 {
				continue
			}
			var c Call
			if err := c.UnmarshalJSON(text); err != nil {
				yield(Call{}, fmt.Errorf("line %d: %w", line, err))
				return
			}
			if !yield(c, nil) {
				return
			}
		}
		if err := sc.Err(); err != nil {
			yield(Call{}, err)
		}
	}
}

// DecodeCalls reads a whole JSON Lines stream of call logs.
func DecodeCalls(r io.Reader) ([]Call, error) {
	var calls []Call
	for c, err := range ReadCalls(r) {
		if err != nil {
			return nil, err
		}
		calls = append(calls, c)
	}
	return calls, nil
}

// A Metric describes a metric whose evaluations calls carry: its id, its
// name and its eval type (EvalNumeric, EvalContinuous, EvalBinary or
// EvalEnum), which decides the JSON type of its values.
type Metric struct {
	ID       int64
	Name     string
	EvalType string
}
