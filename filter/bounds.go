package filter

import (
	"fmt"
	"time"

	"github.com/calldash/calldash"
)

// A Bound is one end of the time range that a filter allows.
type Bound struct {
	Time      time.Time // the instant, in the zone of the Env
	Inclusive bool      // the instant itself is in the range (gte, lte, eq)
	Set       bool      // the filter bounds this end; when false the other fields are zero
	Path      string    // JSON path of the value that gives the bound, e.g. "$.conditions[0].value"
}

// String describes the bound for tests and messages: "unbounded", or
// "inclusive " or "exclusive " followed by the instant in RFC 3339.
func (b Bound) String() string {
	if !b.Set {
		return "unbounded"
	}
	if b.Inclusive {
		return "inclusive " + b.Time.Format(time.RFC3339Nano)
	}
	return "exclusive " + b.Time.Format(time.RFC3339Nano)
}

// TimeBounds returns the tightest lower and upper bounds that f puts on the
// time field of its schema: the datetime field named "timestamp", or else
// the schema's first datetime field.
//
// Only conditions reachable from the root through and groups count: a
// condition inside an or or same_row group does not bound the result.
// gt and gte give lower bounds, lt and lte upper bounds, eq both (inclusive);
// values are resolved with [ResolveTime] at env (the effective operator
// counts, so lte today gives an exclusive upper bound at the next midnight).
// Of two bounds at the same instant the exclusive one is the tighter. The
// bounds may contradict each other (lo after hi); then no call matches.
//
// The error, a [calldash.ErrorList], reports values that do not resolve.
// A zero env.Now is read from the clock once.
func TimeBounds(f *Checked, env Env) (lo, hi Bound, err error) {
	n, s := f.root, f.schema
	if env.Now.IsZero() {
		env.Now = time.Now()
	}
	tf := timeField(s)
	if tf == nil {
		return Bound{}, Bound{}, nil
	}
	var errs calldash.ErrorList
	var visit func(n Node, path string)
	visit = func(n Node, path string) {
		switch n := n.(type) {
		case *Group:
			if n == nil || n.Operator != GroupAnd {
				return
			}
			path = pathOf(n.At, path)
			for i, m := range n.Conditions {
				visit(m, fmt.Sprintf("%s.conditions[%d]", path, i))
			}
		case *Condition:
			if n == nil {
				return
			}
			if f, _, ok := s.Lookup(n.Field); !ok || f != tf {
				return
			}
			if n.Op != OpGt && n.Op != OpGte && n.Op != OpLt && n.Op != OpLte && n.Op != OpEq {
				return
			}
			vPath := pathOf(n.At, path) + ".value"
			if n.Value.Kind != calldash.KindString {
				errs = append(errs, calldash.Errorf(vPath, calldash.ErrValueType, "field %s is datetime; got %s", quoteShort(n.Field), describe(n.Value)))
				return
			}
			t, op, err := ResolveTime(n.Value.Str, n.Op, env)
			if err != nil {
				errs = append(errs, calldash.Errorf(vPath, calldash.ErrInvalidTime, "field %s: %v", quoteShort(n.Field), err))
				return
			}
			b := Bound{Time: t, Inclusive: op != OpGt && op != OpLt, Set: true, Path: vPath}
			if op == OpGt || op == OpGte || op == OpEq {
				lo = tighter(lo, b, true)
			}
			if op == OpLt || op == OpLte || op == OpEq {
				hi = tighter(hi, b, false)
			}
		}
	}
	visit(n, "$")
	if len(errs) > 0 {
		errs.Sort()
		return lo, hi, errs
	}
	return lo, hi, nil
}

// tighter returns the tighter of a bound and a candidate: the later lower
// bound or the earlier upper bound, the exclusive one at the same instant.
func tighter(cur, b Bound, lower bool) Bound {
	switch {
	case !cur.Set:
		return b
	case b.Time.Equal(cur.Time):
		if cur.Inclusive && !b.Inclusive {
			return b
		}
		return cur
	case lower == b.Time.After(cur.Time):
		return b
	}
	return cur
}

// timeField returns the datetime field that time ranges speak of.
func timeField(s *Schema) *Field {
	if f, _, ok := s.Lookup("timestamp"); ok && f.Type == TypeDatetime {
		return f
	}
	for _, f := range s.fields {
		if f.Type == TypeDatetime && !f.Prefix {
			return f
		}
	}
	return nil
}

// A TimePolicy limits the time range of data requests. The
// zero TimePolicy allows everything.
type TimePolicy struct {
	RequireLowerBound bool          // the filter must bound the time field from below (gt, gte or eq)
	MaxRange          time.Duration // how far before now the lower bound may be; 0 means no limit
}

// DefaultTimePolicy returns the policy of the hosted API: a lower bound is
// required and may be at most 30 days before now.
func DefaultTimePolicy() TimePolicy {
	return TimePolicy{RequireLowerBound: true, MaxRange: 30 * 24 * time.Hour}
}

// CheckTimeRange applies the time-range policy p to filter n (usually the
// effective filter of a widget) over schema s (nil means [CallLogs]) at env.
// It uses the lower bound of [TimeBounds]: only conditions reachable
// through and groups count, and an eq condition counts as a lower bound.
//
// Without a lower bound, when p requires one, the error is at the root's
// path ("$" for a nil filter) and asks for a gt or gte condition. A lower
// bound earlier than now minus p.MaxRange is an error at the path of that
// condition's value with exactly the hosted API's message,
// "Timestamp filter value is too far in the past. Maximum allowed range is
// 30 days." (the number from p.MaxRange). A bound exactly MaxRange before
// now is allowed. Whole days of MaxRange are calendar days in env's zone,
// like the d unit of [ResolveTime], so that "now-30d" is always allowed,
// also across a DST change; any remainder is a fixed duration.
//
// Errors are an [ErrorList] of [ErrTimeRange] errors (or of the errors of
// TimeBounds). A zero env.Now is read from the clock once, so that "now"
// in the filter and in the policy are the same instant.
func CheckTimeRange(f *Checked, env Env, p TimePolicy) error {
	n, s := f.root, f.schema
	if env.Now.IsZero() {
		env.Now = time.Now()
	}
	lo, _, err := TimeBounds(f, env)
	if err != nil {
		return err
	}
	if !lo.Set {
		if !p.RequireLowerBound {
			return nil
		}
		path := "$"
		if !isNilNode(n) && n.Path() != "" {
			path = n.Path()
		}
		name := "timestamp"
		if tf := timeField(s); tf != nil {
			name = tf.Name
		}
		msg := fmt.Sprintf("Timestamp filter is required: add a %q or %q condition on %q, outside any \"or\" and \"same_row\" group, "+
			"e.g. {\"field\": %q, \"op\": \"gte\", \"value\": \"now-7d\"}.", "gt", "gte", name, name)
		if p.MaxRange > 0 {
			msg += " Maximum allowed range is " + rangeText(p.MaxRange) + "."
		}
		return calldash.ErrorList{calldash.Errorf(path, calldash.ErrTimeRange, "%s", msg)}
	}
	if p.MaxRange > 0 && lo.Time.Before(rangeStart(env.now().In(env.loc()), p.MaxRange)) {
		return calldash.ErrorList{calldash.Errorf(lo.Path, calldash.ErrTimeRange,
			"Timestamp filter value is too far in the past. Maximum allowed range is %s.", rangeText(p.MaxRange))}
	}
	return nil
}

// rangeStart returns the earliest lower bound allowed at now: whole days
// back as calendar days in now's zone, the rest as a duration.
func rangeStart(now time.Time, r time.Duration) time.Time {
	days := int(r / (24 * time.Hour))
	return stepFrom(now, -int64(days), 'd').Add(-(r % (24 * time.Hour)))
}

// rangeText writes a range as the hosted API does: "30 days".
func rangeText(r time.Duration) string {
	if r%(24*time.Hour) != 0 {
		return r.String()
	}
	if days := r / (24 * time.Hour); days != 1 {
		return fmt.Sprintf("%d days", days)
	}
	return "1 day"
}
