package calldash

import (
	"bufio"
	"fmt"
	"io"
	"iter"
	"slices"
	"strconv"
	"time"

	"github.com/calldash/calldash/internal/jsonx"
)

// MarshalJSON writes c in its JSON form, the form that
// [Call.UnmarshalJSON] reads back into an equal Call:
//
//   - every key is written, in this order: id, timestamp,
//     duration, success, call_ended_reason, dropoff_point, topic,
//     customer_number, is_reviewed, agent, metadata, metric_evaluations;
//     null values are written as null, never left out;
//   - timestamp is RFC 3339 in the timestamp's own offset ("Z" for UTC),
//     with a fraction of a second only when it is not zero. An offset that
//     RFC 3339 cannot write exactly (one with seconds, or of 24 hours or
//     more) is replaced by UTC, which keeps the instant;
//   - numbers are exact decimals in canonical text (45.5, never 45.50 or
//     4.55e1), strings are not HTML-escaped;
//   - agent is null when both AgentID and AgentName are null, else
//     {"id": AgentID, "agent_name": AgentName};
//   - metadata is an object with its keys sorted, or null when the map is
//     nil; a null entry is written as null (which reads back as a missing
//     key);
//   - metric_evaluations is an array ([] when empty), or null when the
//     slice is nil.
//
// It is an error when a field holds a value of the wrong kind (a string
// duration, a list anywhere, an evaluation value that does not fit its eval
// type, an unknown eval type), or when the year is outside 0..9999: the
// output would not read back.
func (c Call) MarshalJSON() ([]byte, error) {
	return c.appendJSON(make([]byte, 0, 512))
}

// WriteCalls writes calls as JSON Lines, one [Call.MarshalJSON] object per
// line. It stops at the first call that cannot be written or the first
// write error. For a slice, pass slices.Values(calls).
func WriteCalls(w io.Writer, calls iter.Seq[Call]) error {
	bw := bufio.NewWriterSize(w, 64*1024)
	var b []byte
	n := 0
	for c := range calls {
		var err error
		if b, err = c.appendJSON(b[:0]); err != nil {
			return fmt.Errorf("call %d (#%d): %w", c.ID, n, err)
		}
		b = append(b, '\n')
		if _, err := bw.Write(b); err != nil {
			return err
		}
		n++
	}
	return bw.Flush()
}

func (c Call) appendJSON(b []byte) ([]byte, error) {
	b = append(b, `{"id":`...)
	b = strconv.AppendInt(b, c.ID, 10)
	b = append(b, `,"timestamp":`...)
	b, err := appendCallTime(b, c.Timestamp)
	if err != nil {
		return nil, fmt.Errorf("timestamp: %w", err)
	}
	fields := [...]struct {
		key  string
		kind Kind
		v    Value
	}{
		{"duration", KindNumber, c.Duration},
		{"success", KindBool, c.Success},
		{"call_ended_reason", KindString, c.CallEndedReason},
		{"dropoff_point", KindString, c.DropoffPoint},
		{"topic", KindString, c.Topic},
		{"customer_number", KindString, c.CustomerNumber},
		{"is_reviewed", KindBool, c.IsReviewed},
	}
	for _, f := range fields {
		if b, err = appendCallField(b, f.key, f.kind, f.v); err != nil {
			return nil, err
		}
	}

	b = append(b, `,"agent":`...)
	if c.AgentID.IsNull() && c.AgentName.IsNull() {
		b = append(b, "null"...)
	} else {
		b = append(b, '{')
		if b, err = appendCallMember(b, "id", KindNumber, c.AgentID); err != nil {
			return nil, fmt.Errorf("agent.%w", err)
		}
		b = append(b, ',')
		if b, err = appendCallMember(b, "agent_name", KindString, c.AgentName); err != nil {
			return nil, fmt.Errorf("agent.%w", err)
		}
		b = append(b, '}')
	}

	b = append(b, `,"metadata":`...)
	if c.Metadata == nil {
		b = append(b, "null"...)
	} else {
		keys := make([]string, 0, len(c.Metadata))
		for k := range c.Metadata {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		b = append(b, '{')
		for i, k := range keys {
			if i > 0 {
				b = append(b, ',')
			}
			v := c.Metadata[k]
			if v.Kind == KindList {
				return nil, fmt.Errorf("metadata[%q]: got an array, want a scalar", k)
			}
			b = jsonx.Quote(b, k)
			b = append(b, ':')
			b = v.AppendJSON(b)
		}
		b = append(b, '}')
	}

	b = append(b, `,"metric_evaluations":`...)
	if c.MetricEvaluations == nil {
		b = append(b, "null"...)
	} else {
		b = append(b, '[')
		for i, ev := range c.MetricEvaluations {
			if i > 0 {
				b = append(b, ',')
			}
			if b, err = ev.appendJSON(b); err != nil {
				return nil, fmt.Errorf("metric_evaluations[%d].%w", i, err)
			}
		}
		b = append(b, ']')
	}
	return append(b, '}'), nil
}

// callEvalKinds maps each eval type to the kind of its values.
var callEvalKinds = map[string]Kind{
	EvalNumeric:    KindNumber,
	EvalContinuous: KindNumber,
	EvalBinary:     KindBool,
	EvalEnum:       KindString,
}

func (ev Evaluation) appendJSON(b []byte) ([]byte, error) {
	kind, ok := callEvalKinds[ev.EvalType]
	if !ok {
		return nil, fmt.Errorf("metric.eval_type: unknown eval type %q", ev.EvalType)
	}
	b = append(b, `{"id":`...)
	b = strconv.AppendInt(b, ev.ID, 10)
	b = append(b, `,"metric":{"id":`...)
	b = strconv.AppendInt(b, ev.MetricID, 10)
	var err error
	if b, err = appendCallField(b, "name", KindString, ev.MetricName); err != nil {
		return nil, fmt.Errorf("metric.%w", err)
	}
	b = append(b, `,"eval_type":`...)
	b = jsonx.Quote(b, ev.EvalType)
	b = append(b, '}')
	if b, err = appendCallField(b, "value", kind, ev.Value); err != nil {
		return nil, err
	}
	return append(b, '}'), nil
}

// appendCallField appends `,"key":v`.
func appendCallField(b []byte, key string, kind Kind, v Value) ([]byte, error) {
	return appendCallMember(append(b, ','), key, kind, v)
}

// appendCallMember appends `"key":v`, where v must be null or of the given kind.
func appendCallMember(b []byte, key string, kind Kind, v Value) ([]byte, error) {
	if !v.IsNull() && v.Kind != kind {
		return nil, fmt.Errorf("%s: got %s, want %s or null", key, v.Kind, kind)
	}
	b = jsonx.Quote(b, key)
	b = append(b, ':')
	return v.AppendJSON(b), nil
}

// appendCallTime appends t as a quoted RFC 3339 string (see [Call.MarshalJSON]).
func appendCallTime(b []byte, t time.Time) ([]byte, error) {
	if _, off := t.Zone(); off%60 != 0 || off <= -24*3600 || off >= 24*3600 {
		t = t.UTC()
	}
	if y := t.Year(); y < 0 || y > 9999 {
		return nil, fmt.Errorf("year %d outside of range [0,9999]", y)
	}
	b = append(b, '"')
	b = t.AppendFormat(b, time.RFC3339Nano)
	return append(b, '"'), nil
}
