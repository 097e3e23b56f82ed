package filter_test

import (
	"errors"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/calldash/calldash"
	"github.com/calldash/calldash/filter"
)

func tbParse(t *testing.T, input string, opts ...filter.Option) filter.Node {
	t.Helper()
	n, err := filter.Parse([]byte(input), opts...)
	if err != nil {
		t.Fatalf("Parse(%s): %v", input, err)
	}
	return n
}

func tbBound(b filter.Bound) string {
	if !b.Set {
		return b.String()
	}
	return b.String() + " at " + b.Path
}

func TestTimeBounds(t *testing.T) {
	const now = "2025-11-03T10:30:00Z"
	cases := []struct {
		name   string
		zone   string
		input  string
		lo, hi string
	}{
		{"no filter", "", `null`, "unbounded", "unbounded"},
		{"other fields only", "", `{"field":"duration","op":"gt","value":1}`, "unbounded", "unbounded"},
		{"gte", "", `{"field":"timestamp","op":"gte","value":"now-7d"}`,
			"inclusive 2025-10-27T10:30:00Z at $.value", "unbounded"},
		{"gt and lt", "", `{"operator":"and","conditions":[
			{"field":"timestamp","op":"gt","value":"2025-11-01T00:00:00Z"},
			{"field":"timestamp","op":"lt","value":"2025-11-02T00:00:00+01:00"}]}`,
			"exclusive 2025-11-01T00:00:00Z at $.conditions[0].value", "exclusive 2025-11-01T23:00:00Z at $.conditions[1].value"},
		{"lte today is exclusive at the next midnight", "", `{"field":"timestamp","op":"lte","value":"today"}`,
			"unbounded", "exclusive 2025-11-04T00:00:00Z at $.value"},
		{"lte keeps inclusive", "", `{"field":"timestamp","op":"lte","value":"now"}`,
			"unbounded", "inclusive 2025-11-03T10:30:00Z at $.value"},
		{"eq is both", "", `{"field":"timestamp","op":"eq","value":"2025-11-03"}`,
			"inclusive 2025-11-03T00:00:00Z at $.value", "inclusive 2025-11-03T00:00:00Z at $.value"},
		{"neq does not bound", "", `{"field":"timestamp","op":"neq","value":"2025-11-03"}`, "unbounded", "unbounded"},
		{"tightest through nested and", "", `{"operator":"and","conditions":[
			{"operator":"and","conditions":[{"field":"timestamp","op":"gte","value":"now-1d"},{"operator":"and","conditions":[{"field":"timestamp","op":"lt","value":"now-1h"}]}]},
			{"field":"timestamp","op":"gte","value":"now-3d"},
			{"field":"timestamp","op":"lt","value":"now"}]}`,
			"inclusive 2025-11-02T10:30:00Z at $.conditions[0].conditions[0].value",
			"exclusive 2025-11-03T09:30:00Z at $.conditions[0].conditions[1].conditions[0].value"},
		{"exclusive wins at the same instant", "", `{"operator":"and","conditions":[
			{"field":"timestamp","op":"gte","value":"2025-11-01"},
			{"field":"timestamp","op":"gt","value":"2025-11-01T00:00:00Z"},
			{"field":"timestamp","op":"gte","value":"2025-11-01"},
			{"field":"timestamp","op":"lte","value":"2025-11-02"},
			{"field":"timestamp","op":"lt","value":"2025-11-02"},
			{"field":"timestamp","op":"lte","value":"2025-11-02"}]}`,
			"exclusive 2025-11-01T00:00:00Z at $.conditions[1].value", "exclusive 2025-11-02T00:00:00Z at $.conditions[4].value"},
		{"not through or", "", `{"operator":"or","conditions":[{"field":"timestamp","op":"gte","value":"now-1d"}]}`, "unbounded", "unbounded"},
		{"and beside or", "", `{"operator":"and","conditions":[
			{"operator":"or","conditions":[{"field":"timestamp","op":"gte","value":"now-1d"},{"field":"duration","op":"gt","value":1}]},
			{"field":"timestamp","op":"gte","value":"now-2d"}]}`,
			"inclusive 2025-11-01T10:30:00Z at $.conditions[1].value", "unbounded"},
		{"not through same_row", "", `{"operator":"same_row","conditions":[{"field":"timestamp","op":"gte","value":"now-1d"}]}`, "unbounded", "unbounded"},
		{"contradiction is kept", "", `{"operator":"and","conditions":[
			{"field":"timestamp","op":"gt","value":"now"},{"field":"timestamp","op":"lt","value":"now-1d"}]}`,
			"exclusive 2025-11-03T10:30:00Z at $.conditions[0].value", "exclusive 2025-11-02T10:30:00Z at $.conditions[1].value"},
		{"zone", "America/New_York", `{"operator":"and","conditions":[
			{"field":"timestamp","op":"gte","value":"today"},{"field":"timestamp","op":"lte","value":"today"}]}`,
			"inclusive 2025-11-03T00:00:00-05:00 at $.conditions[0].value", "exclusive 2025-11-04T00:00:00-05:00 at $.conditions[1].value"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			env := filter.Env{Now: tvTime(t, now)}
			if c.zone != "" {
				env.Location = tvLoad(t, c.zone)
			}
			lo, hi, err := filter.TimeBounds(filter.Unchecked(tbParse(t, c.input), nil), env)
			if err != nil {
				t.Fatal(err)
			}
			got := []string{tbBound(lo), tbBound(hi)}
			if diff := cmp.Diff([]string{c.lo, c.hi}, got); diff != "" {
				t.Errorf("TimeBounds (-want +got):\n%s", diff)
			}
		})
	}
}

func TestTimeBoundsErrors(t *testing.T) {
	n := &filter.Group{Operator: filter.GroupAnd, At: "$", Conditions: []filter.Node{
		&filter.Condition{Field: "timestamp", Op: filter.OpGte, Value: calldash.String("yesterday"), At: "$.conditions[0]"},
		&filter.Condition{Field: "timestamp", Op: filter.OpLt, Value: calldash.Int(5), At: "$.conditions[1]"},
		&filter.Condition{Field: "timestamp", Op: filter.OpLt, Value: calldash.String("now"), At: "$.conditions[2]"},
	}}
	env := filter.Env{Now: tvTime(t, "2025-11-03T10:30:00Z")}
	lo, hi, err := filter.TimeBounds(filter.Unchecked(n, nil), env)
	ckCompare(t, err, []ckErr{
		{`$.conditions[0].value: field "timestamp": invalid datetime "yesterday": not an RFC 3339 date-time, a date or a relative value` + ckTimeForms, calldash.ErrInvalidTime},
		{`$.conditions[1].value: field "timestamp" is datetime; got number 5`, calldash.ErrValueType},
	})
	if got := tbBound(lo) + "; " + tbBound(hi); got != "unbounded; exclusive 2025-11-03T10:30:00Z at $.conditions[2].value" {
		t.Errorf("bounds with errors = %s", got)
	}
}

// A schema without a field named timestamp bounds its first datetime field.
func TestTimeBoundsOtherSchema(t *testing.T) {
	s, err := filter.NewSchema([]filter.Field{
		{Name: "name", Type: filter.TypeString, Ops: filter.SetOf(filter.OpEq), Call: func(*calldash.Call) calldash.Value { return calldash.Null }},
		{Name: "created_at", Type: filter.TypeDatetime, Ops: filter.SetOf(filter.OpGte, filter.OpLt), Time: func(c *calldash.Call) time.Time { return c.Timestamp }},
	}, nil)
	if err != nil {
		t.Fatal(err)
	}
	n := tbParse(t, `{"operator":"and","conditions":[{"field":"created_at","op":"gte","value":"now-2d"},{"field":"timestamp","op":"gte","value":"now"}]}`)
	env := filter.Env{Now: tvTime(t, "2025-11-03T10:30:00Z")}
	lo, _, err := filter.TimeBounds(filter.Unchecked(n, s), env)
	if got, want := tbBound(lo), "inclusive 2025-11-01T10:30:00Z at $.conditions[0].value"; err != nil || got != want {
		t.Errorf("TimeBounds = %s, %v; want %s", got, err, want)
	}
	err = filter.CheckTimeRange(filter.Unchecked(tbParse(t, `null`), s), env, filter.DefaultTimePolicy())
	ckCompare(t, err, []ckErr{{`$: Timestamp filter is required: add a "gt" or "gte" condition on "created_at", outside any "or" and "same_row" group, e.g. {"field": "created_at", "op": "gte", "value": "now-7d"}. Maximum allowed range is 30 days.`, calldash.ErrTimeRange}})
}

func TestCheckTimeRange(t *testing.T) {
	const (
		now      = "2025-11-03T10:30:00Z"
		tooFar   = "Timestamp filter value is too far in the past. Maximum allowed range is 30 days."
		required = `Timestamp filter is required: add a "gt" or "gte" condition on "timestamp", outside any "or" and "same_row" group, e.g. {"field": "timestamp", "op": "gte", "value": "now-7d"}.`
	)
	def := filter.DefaultTimePolicy()
	cases := []struct {
		name   string
		now    string
		zone   string
		input  string
		policy filter.TimePolicy
		want   string // "" for no error, else the error text
	}{
		{"no filter", now, "", `null`, def, "$: " + required + " Maximum allowed range is 30 days."},
		{"upper bound only", now, "", `{"field":"timestamp","op":"lt","value":"now"}`, def, "$: " + required + " Maximum allowed range is 30 days."},
		{"lower bound inside or", now, "", `{"operator":"or","conditions":[{"field":"timestamp","op":"gte","value":"now-1d"}]}`, def,
			"$: " + required + " Maximum allowed range is 30 days."},
		{"lower bound inside same_row", now, "", `{"operator":"and","conditions":[{"field":"duration","op":"gt","value":1},{"operator":"same_row","conditions":[{"field":"timestamp","op":"gte","value":"now-1d"}]}]}`, def,
			"$: " + required + " Maximum allowed range is 30 days."},
		{"gte now-7d", now, "", `{"field":"timestamp","op":"gte","value":"now-7d"}`, def, ""},
		{"eq counts as a lower bound", now, "", `{"field":"timestamp","op":"eq","value":"now-1d"}`, def, ""},
		{"through nested and", now, "", `{"operator":"and","conditions":[{"field":"duration","op":"gt","value":1},{"operator":"and","conditions":[{"field":"timestamp","op":"gt","value":"today"}]}]}`, def, ""},
		{"now-30d is allowed", now, "", `{"field":"timestamp","op":"gte","value":"now-30d"}`, def, ""},
		{"now-720h is allowed", now, "", `{"field":"timestamp","op":"gte","value":"now-720h"}`, def, ""},
		{"exactly 30 days", now, "", `{"field":"timestamp","op":"gte","value":"2025-10-04T10:30:00Z"}`, def, ""},
		{"exactly 30 days with gt", now, "", `{"field":"timestamp","op":"gt","value":"2025-10-04T10:30:00Z"}`, def, ""},
		{"a millisecond more", now, "", `{"field":"timestamp","op":"gte","value":"2025-10-04T10:29:59.999Z"}`, def, "$.value: " + tooFar},
		{"now-721h", now, "", `{"field":"timestamp","op":"gte","value":"now-721h"}`, def, "$.value: " + tooFar},
		{"now-1M is 31 days here", now, "", `{"field":"timestamp","op":"gte","value":"now-1M"}`, def, "$.value: " + tooFar},
		{"today-30d starts before now-30d", now, "", `{"field":"timestamp","op":"gte","value":"today-30d"}`, def, "$.value: " + tooFar},
		{"the tightest bound decides", now, "", `{"operator":"and","conditions":[{"field":"timestamp","op":"gte","value":"now-90d"},{"field":"timestamp","op":"gte","value":"now-2d"}]}`, def, ""},
		{"too far in a nested and", now, "", `{"operator":"and","conditions":[{"field":"duration","op":"gt","value":1},{"operator":"and","conditions":[{"field":"timestamp","op":"gte","value":"now-60d"}]}]}`, def,
			"$.conditions[1].conditions[0].value: " + tooFar},
		{"now-30d across the fall DST change", "2025-11-20T12:00:00-05:00", "America/New_York", `{"field":"timestamp","op":"gte","value":"now-30d"}`, def, ""},
		{"now-720h across the fall DST change", "2025-11-20T12:00:00-05:00", "America/New_York", `{"field":"timestamp","op":"gte","value":"now-720h"}`, def, ""},
		{"now-721h across the fall DST change", "2025-11-20T12:00:00-05:00", "America/New_York", `{"field":"timestamp","op":"gte","value":"now-721h"}`, def, ""},
		{"now-722h across the fall DST change", "2025-11-20T12:00:00-05:00", "America/New_York", `{"field":"timestamp","op":"gte","value":"now-722h"}`, def, "$.value: " + tooFar},
		// 30 days before 2025-04-08 02:30 EDT is 2025-03-09 02:30, which New
		// York skips: the range starts where now-30d resolves, 03:30 EDT
		// (07:30Z), an hour after the wall clock read as EDT would be.
		{"now-30d onto the spring gap", "2025-04-08T02:30:00-04:00", "America/New_York", `{"field":"timestamp","op":"gte","value":"now-30d"}`, def, ""},
		{"the instant now-30d resolves to", "2025-04-08T02:30:00-04:00", "America/New_York", `{"field":"timestamp","op":"gte","value":"2025-03-09T07:30:00Z"}`, def, ""},
		{"a second before it", "2025-04-08T02:30:00-04:00", "America/New_York", `{"field":"timestamp","op":"gte","value":"2025-03-09T07:29:59Z"}`, def, "$.value: " + tooFar},
		{"eq bounds and counts as the lower bound", "2025-04-08T02:30:00-04:00", "America/New_York", `{"field":"timestamp","op":"eq","value":"2025-03-09T07:29:59Z"}`, def, "$.value: " + tooFar},
		{"lifted policy", now, "", `null`, filter.TimePolicy{}, ""},
		{"lifted policy far past", now, "", `{"field":"timestamp","op":"gte","value":"now-10y"}`, filter.TimePolicy{}, ""},
		{"no bound required but limited", now, "", `null`, filter.TimePolicy{MaxRange: 30 * 24 * time.Hour}, ""},
		{"no bound required, too far", now, "", `{"field":"timestamp","op":"gte","value":"now-31d"}`, filter.TimePolicy{MaxRange: 30 * 24 * time.Hour}, "$.value: " + tooFar},
		{"bound required, no limit", now, "", `null`, filter.TimePolicy{RequireLowerBound: true}, "$: " + required},
		{"bound required, no limit, far past", now, "", `{"field":"timestamp","op":"gte","value":"2000-01-01"}`, filter.TimePolicy{RequireLowerBound: true}, ""},
		{"7 days", now, "", `{"field":"timestamp","op":"gte","value":"now-8d"}`, filter.TimePolicy{MaxRange: 7 * 24 * time.Hour},
			"$.value: Timestamp filter value is too far in the past. Maximum allowed range is 7 days."},
		{"1 day", now, "", `{"field":"timestamp","op":"gte","value":"now-2d"}`, filter.TimePolicy{MaxRange: 24 * time.Hour},
			"$.value: Timestamp filter value is too far in the past. Maximum allowed range is 1 day."},
		{"36 hours", now, "", `{"field":"timestamp","op":"gte","value":"now-37h"}`, filter.TimePolicy{MaxRange: 36 * time.Hour},
			"$.value: Timestamp filter value is too far in the past. Maximum allowed range is 36h0m0s."},
		{"36 hours allowed", now, "", `{"field":"timestamp","op":"gte","value":"now-36h"}`, filter.TimePolicy{MaxRange: 36 * time.Hour}, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			env := filter.Env{Now: tvTime(t, c.now)}
			if c.zone != "" {
				env.Location = tvLoad(t, c.zone)
			}
			err := filter.CheckTimeRange(filter.Unchecked(tbParse(t, c.input), nil), env, c.policy)
			if c.want == "" {
				if err != nil {
					t.Errorf("CheckTimeRange: %v", err)
				}
				return
			}
			ckCompare(t, err, []ckErr{{c.want, calldash.ErrTimeRange}})
		})
	}
}

// With the real clock, "now" in the filter and in the policy are the same
// instant, so now-30d is allowed.
func TestCheckTimeRangeRealClock(t *testing.T) {
	n := tbParse(t, `{"field":"timestamp","op":"gte","value":"now-30d"}`)
	if err := filter.CheckTimeRange(filter.Unchecked(n, nil), filter.Env{}, filter.DefaultTimePolicy()); err != nil {
		t.Errorf("CheckTimeRange(now-30d) with the real clock: %v", err)
	}
}

func TestCheckTimeRangePaths(t *testing.T) {
	env := filter.Env{Now: tvTime(t, "2025-11-03T10:30:00Z")}
	n := tbParse(t, `{"operator":"and","conditions":[{"field":"timestamp","op":"lt","value":"now"}]}`, filter.AtPath("$.filters"))
	err := filter.CheckTimeRange(filter.Unchecked(n, nil), env, filter.DefaultTimePolicy())
	var e *calldash.Error
	if !errors.As(err, &e) || e.Path != "$.filters" || !errors.Is(err, calldash.ErrTimeRange) {
		t.Errorf("CheckTimeRange = %v; want an ErrTimeRange error at $.filters", err)
	}
	err = filter.CheckTimeRange(filter.Unchecked(filter.And(tbParse(t, `{"field":"timestamp","op":"gte","value":"now-40d"}`, filter.AtPath("$.dashboard")), n), nil), env, filter.DefaultTimePolicy())
	if !errors.As(err, &e) || e.Path != "$.dashboard.value" {
		t.Errorf("CheckTimeRange(And) = %v; want an error at $.dashboard.value", err)
	}
	// ResolveTime errors come through unchanged.
	bad := &filter.Condition{Field: "timestamp", Op: filter.OpGte, Value: calldash.String("now-"), At: "$"}
	if err := filter.CheckTimeRange(filter.Unchecked(bad, nil), env, filter.DefaultTimePolicy()); !errors.Is(err, calldash.ErrInvalidTime) {
		t.Errorf("CheckTimeRange(invalid) = %v; want ErrInvalidTime", err)
	}
}
