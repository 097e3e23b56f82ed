package filter_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/calldash/calldash"
	"github.com/calldash/calldash/filter"
)

func tvLoad(t *testing.T, name string) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation(name)
	if err != nil {
		t.Fatalf("load %s: %v", name, err)
	}
	return loc
}

func tvTime(t *testing.T, s string) time.Time {
	t.Helper()
	v, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// tvResolve returns "INSTANT OP" or "error: TEXT".
func tvResolve(text string, op filter.Op, env filter.Env) string {
	got, eff, err := filter.ResolveTime(text, op, env)
	if err != nil {
		return "error: " + err.Error()
	}
	return got.Format(time.RFC3339Nano) + " " + eff.String()
}

const forms = "; want RFC 3339 (2025-11-03T10:30:00Z, any offset), a date (2025-11-03), " +
	"or now or today with an optional step such as now-15m, today-7d or now+1M " +
	"(units s m h d w M y; m is minutes, M months)"

func TestTimeResolve(t *testing.T) {
	type tc struct {
		name string
		now  string // RFC 3339; the zone of the evaluation is UTC unless zone is set
		zone string
		text string
		op   filter.Op
		want string
	}
	const mon = "2025-11-03T10:30:00Z" // a Monday
	cases := []tc{
		// now and every unit, both signs
		{"now", mon, "", "now", filter.OpGte, "2025-11-03T10:30:00Z gte"},
		{"now lt keeps op", mon, "", "now", filter.OpLt, "2025-11-03T10:30:00Z lt"},
		{"now lte keeps op", mon, "", "now", filter.OpLte, "2025-11-03T10:30:00Z lte"},
		{"now-30s", mon, "", "now-30s", filter.OpGt, "2025-11-03T10:29:30Z gt"},
		{"now+30s", mon, "", "now+30s", filter.OpGt, "2025-11-03T10:30:30Z gt"},
		{"now-15m minutes", mon, "", "now-15m", filter.OpGte, "2025-11-03T10:15:00Z gte"},
		{"now+15m", mon, "", "now+15m", filter.OpGte, "2025-11-03T10:45:00Z gte"},
		{"now-2h", mon, "", "now-2h", filter.OpGte, "2025-11-03T08:30:00Z gte"},
		{"now+12h", mon, "", "now+12h", filter.OpGte, "2025-11-03T22:30:00Z gte"},
		{"now-1d", mon, "", "now-1d", filter.OpGte, "2025-11-02T10:30:00Z gte"},
		{"now+3d", mon, "", "now+3d", filter.OpGte, "2025-11-06T10:30:00Z gte"},
		{"now-0d", mon, "", "now-0d", filter.OpGte, "2025-11-03T10:30:00Z gte"},
		{"now-1w", mon, "", "now-1w", filter.OpGte, "2025-10-27T10:30:00Z gte"},
		{"now+2w", mon, "", "now+2w", filter.OpGte, "2025-11-17T10:30:00Z gte"},
		{"now-1M months", mon, "", "now-1M", filter.OpGte, "2025-10-03T10:30:00Z gte"},
		{"now+2M", mon, "", "now+2M", filter.OpGte, "2026-01-03T10:30:00Z gte"},
		{"now-1y", mon, "", "now-1y", filter.OpGte, "2024-11-03T10:30:00Z gte"},
		{"now+1y", mon, "", "now+1y", filter.OpGte, "2026-11-03T10:30:00Z gte"},
		{"now-999999s six digits", mon, "", "now-999999s", filter.OpGte, "2025-10-22T20:43:21Z gte"},
		{"now-2592000s seven digits", mon, "", "now-2592000s", filter.OpGte, "2025-10-04T10:30:00Z gte"},
		{"now-00000000000000000001d leading zeros", mon, "", "now-00000000000000000001d", filter.OpGte, "2025-11-02T10:30:00Z gte"},
		{"now-63871286400s back to year 1", mon, "", "now-63871286400s", filter.OpGte, "0001-11-03T10:30:00Z gte"},

		// the years 0001 to 9999, measured from the evaluation's now
		{"now+7974y is 9999", "2025-11-10T15:30:00Z", "", "now+7974y", filter.OpLt, "9999-11-10T15:30:00Z lt"},
		{"now-2024y is 0001", "2025-11-10T15:30:00Z", "", "now-2024y", filter.OpLt, "0001-11-10T15:30:00Z lt"},
		{"now+1y from 9998", "9998-06-01T00:00:00Z", "", "now+1y", filter.OpLt, "9999-06-01T00:00:00Z lt"},
		{"now-2025y is year 0", "2025-11-10T15:30:00Z", "", "now-2025y", filter.OpLt,
			`error: invalid datetime "now-2025y": the result is outside the years 0001 to 9999` + forms},
		{"now+7975y is year 10000", "2025-11-10T15:30:00Z", "", "now+7975y", filter.OpLt,
			`error: invalid datetime "now+7975y": the result is outside the years 0001 to 9999` + forms},
		{"now+1y from 9999", "9999-06-01T00:00:00Z", "", "now+1y", filter.OpLt,
			`error: invalid datetime "now+1y": the result is outside the years 0001 to 9999` + forms},
		{"year in the zone", "0001-01-01T12:00:00Z", "America/New_York", "now-12h", filter.OpGt,
			`error: invalid datetime "now-12h": the result is outside the years 0001 to 9999` + forms},

		// month-end clamping
		{"Mar 31 - 1M", "2025-03-31T12:00:00Z", "", "now-1M", filter.OpGte, "2025-02-28T12:00:00Z gte"},
		{"Mar 31 - 1M leap year", "2024-03-31T12:00:00Z", "", "now-1M", filter.OpGte, "2024-02-29T12:00:00Z gte"},
		{"Jan 31 + 1M", "2025-01-31T12:00:00Z", "", "now+1M", filter.OpGte, "2025-02-28T12:00:00Z gte"},
		{"Jan 31 + 1M leap year", "2024-01-31T12:00:00Z", "", "now+1M", filter.OpGte, "2024-02-29T12:00:00Z gte"},
		{"May 31 - 1M", "2025-05-31T12:00:00Z", "", "now-1M", filter.OpGte, "2025-04-30T12:00:00Z gte"},
		{"Feb 29 + 1y", "2024-02-29T12:00:00Z", "", "now+1y", filter.OpGte, "2025-02-28T12:00:00Z gte"},
		{"Feb 29 - 1y", "2024-02-29T12:00:00Z", "", "now-1y", filter.OpGte, "2023-02-28T12:00:00Z gte"},
		{"Feb 29 + 4y", "2024-02-29T12:00:00Z", "", "now+4y", filter.OpGte, "2028-02-29T12:00:00Z gte"},
		{"Dec 31 + 1M crosses year", "2025-12-31T12:00:00Z", "", "now+1M", filter.OpGte, "2026-01-31T12:00:00Z gte"},
		{"Jan 15 - 13M", "2025-01-15T12:00:00Z", "", "now-13M", filter.OpGte, "2023-12-15T12:00:00Z gte"},
		{"Mar 31 - 1M no carry", "2025-03-31T12:00:00Z", "", "now-25M", filter.OpGte, "2023-02-28T12:00:00Z gte"},

		// today with every operator
		{"today gt", mon, "", "today", filter.OpGt, "2025-11-03T00:00:00Z gt"},
		{"today gte", mon, "", "today", filter.OpGte, "2025-11-03T00:00:00Z gte"},
		{"today eq", mon, "", "today", filter.OpEq, "2025-11-03T00:00:00Z eq"},
		{"today neq", mon, "", "today", filter.OpNeq, "2025-11-03T00:00:00Z neq"},
		{"today lt is before next midnight", mon, "", "today", filter.OpLt, "2025-11-04T00:00:00Z lt"},
		{"today lte is before next midnight", mon, "", "today", filter.OpLte, "2025-11-04T00:00:00Z lt"},
		{"today at midnight", "2025-11-03T00:00:00Z", "", "today", filter.OpGte, "2025-11-03T00:00:00Z gte"},
		{"today just before midnight", "2025-11-03T23:59:59.999Z", "", "today", filter.OpLte, "2025-11-04T00:00:00Z lt"},

		// today with day-like steps: move the date, then start or end
		{"today-1d lt", mon, "", "today-1d", filter.OpLt, "2025-11-03T00:00:00Z lt"},
		{"today-1d lte", mon, "", "today-1d", filter.OpLte, "2025-11-03T00:00:00Z lt"},
		{"today-1d gte", mon, "", "today-1d", filter.OpGte, "2025-11-02T00:00:00Z gte"},
		{"today-1d gt", mon, "", "today-1d", filter.OpGt, "2025-11-02T00:00:00Z gt"},
		{"today+1d gte", mon, "", "today+1d", filter.OpGte, "2025-11-04T00:00:00Z gte"},
		{"today-1w gte", mon, "", "today-1w", filter.OpGte, "2025-10-27T00:00:00Z gte"},
		{"today-1M gte", mon, "", "today-1M", filter.OpGte, "2025-10-03T00:00:00Z gte"},
		{"today-1y gte", mon, "", "today-1y", filter.OpGte, "2024-11-03T00:00:00Z gte"},
		{"today-1M lte clamps then ends", "2025-03-31T12:00:00Z", "", "today-1M", filter.OpLte, "2025-03-01T00:00:00Z lt"},
		{"today-1y from Feb 29", "2024-02-29T12:00:00Z", "", "today-1y", filter.OpGte, "2023-02-28T00:00:00Z gte"},

		// today with clock steps: move the start or end instant
		{"today-2h lt", mon, "", "today-2h", filter.OpLt, "2025-11-03T22:00:00Z lt"},
		{"today-2h lte", mon, "", "today-2h", filter.OpLte, "2025-11-03T22:00:00Z lt"},
		{"today-2h gte", mon, "", "today-2h", filter.OpGte, "2025-11-02T22:00:00Z gte"},
		{"today+30m gte", mon, "", "today+30m", filter.OpGte, "2025-11-03T00:30:00Z gte"},
		{"today-90s lte", mon, "", "today-90s", filter.OpLte, "2025-11-03T23:58:30Z lt"},

		// dates and RFC 3339
		{"date", mon, "", "2025-11-03", filter.OpGte, "2025-11-03T00:00:00Z gte"},
		{"date lt keeps op", mon, "", "2025-11-03", filter.OpLt, "2025-11-03T00:00:00Z lt"},
		{"date leap day", mon, "", "2024-02-29", filter.OpGte, "2024-02-29T00:00:00Z gte"},
		{"date in New York", mon, "America/New_York", "2025-11-03", filter.OpGte, "2025-11-03T00:00:00-05:00 gte"},
		{"RFC 3339 Z", mon, "", "2025-11-03T10:30:00Z", filter.OpEq, "2025-11-03T10:30:00Z eq"},
		{"RFC 3339 offset", mon, "", "2025-11-03T10:30:00+05:30", filter.OpGt, "2025-11-03T05:00:00Z gt"},
		{"RFC 3339 negative offset", mon, "", "2025-11-03T10:30:00-03:00", filter.OpGt, "2025-11-03T13:30:00Z gt"},
		{"RFC 3339 fraction", mon, "", "2025-11-03T10:30:00.123456789Z", filter.OpGt, "2025-11-03T10:30:00.123456789Z gt"},
		{"RFC 3339 fraction and offset", mon, "", "2025-11-03T10:30:00.5+01:00", filter.OpGt, "2025-11-03T09:30:00.5Z gt"},
		{"RFC 3339 lower-case t and z", mon, "", "2025-11-03t10:30:00z", filter.OpGt, "2025-11-03T10:30:00Z gt"},
		{"RFC 3339 shown in the zone", mon, "America/New_York", "2025-11-03T10:30:00Z", filter.OpGt, "2025-11-03T05:30:00-05:00 gt"},

		// DST in New York: 2025-03-09 has 23 hours, 2025-11-02 has 25
		{"NY spring today start", "2025-03-09T12:00:00-04:00", "America/New_York", "today", filter.OpGte, "2025-03-09T00:00:00-05:00 gte"},
		{"NY spring today end", "2025-03-09T12:00:00-04:00", "America/New_York", "today", filter.OpLt, "2025-03-10T00:00:00-04:00 lt"},
		{"NY spring now-1d keeps wall clock", "2025-03-09T12:00:00-04:00", "America/New_York", "now-1d", filter.OpGte, "2025-03-08T12:00:00-05:00 gte"},
		{"NY spring now-24h", "2025-03-09T12:00:00-04:00", "America/New_York", "now-24h", filter.OpGte, "2025-03-08T11:00:00-05:00 gte"},
		{"NY spring now+1w", "2025-03-05T12:00:00-05:00", "America/New_York", "now+1w", filter.OpGte, "2025-03-12T12:00:00-04:00 gte"},
		{"NY spring today-1d lte", "2025-03-10T09:00:00-04:00", "America/New_York", "today-1d", filter.OpLte, "2025-03-10T00:00:00-04:00 lt"},
		{"NY spring today-1d gte", "2025-03-10T09:00:00-04:00", "America/New_York", "today-1d", filter.OpGte, "2025-03-09T00:00:00-05:00 gte"},
		{"NY spring today+3h", "2025-03-09T12:00:00-04:00", "America/New_York", "today+3h", filter.OpGte, "2025-03-09T04:00:00-04:00 gte"},
		// a calendar step onto a skipped wall clock takes the offset
		// before the gap (02:30 EST = 03:30 EDT); onto a repeated one,
		// its first occurrence (01:30 EDT)
		{"NY spring gap now-1d", "2025-03-10T02:30:00-04:00", "America/New_York", "now-1d", filter.OpGte, "2025-03-09T03:30:00-04:00 gte"},
		{"NY spring gap now+1d", "2025-03-08T02:30:00-05:00", "America/New_York", "now+1d", filter.OpGte, "2025-03-09T03:30:00-04:00 gte"},
		{"NY spring gap now-1w", "2025-03-16T02:30:00-04:00", "America/New_York", "now-1w", filter.OpGte, "2025-03-09T03:30:00-04:00 gte"},
		{"NY spring gap now-1M", "2025-04-09T02:30:00-04:00", "America/New_York", "now-1M", filter.OpGte, "2025-03-09T03:30:00-04:00 gte"},
		{"NY spring gap now-1y", "2026-03-09T02:30:00-04:00", "America/New_York", "now-1y", filter.OpGte, "2025-03-09T03:30:00-04:00 gte"},
		{"NY spring gap edge 02:00", "2025-03-10T02:00:00-04:00", "America/New_York", "now-1d", filter.OpGte, "2025-03-09T03:00:00-04:00 gte"},
		{"NY spring gap edge 02:59:59.5", "2025-03-10T02:59:59.5-04:00", "America/New_York", "now-1d", filter.OpGte, "2025-03-09T03:59:59.5-04:00 gte"},
		{"NY spring after gap 03:00", "2025-03-10T03:00:00-04:00", "America/New_York", "now-1d", filter.OpGte, "2025-03-09T03:00:00-04:00 gte"},
		{"NY spring before gap 01:59", "2025-03-10T01:59:00-04:00", "America/New_York", "now-1d", filter.OpGte, "2025-03-09T01:59:00-05:00 gte"},
		{"NY fall repeated now-1d first", "2025-11-03T01:30:00-05:00", "America/New_York", "now-1d", filter.OpGte, "2025-11-02T01:30:00-04:00 gte"},
		{"NY fall repeated now+1d first", "2025-11-01T01:30:00-04:00", "America/New_York", "now+1d", filter.OpGte, "2025-11-02T01:30:00-04:00 gte"},
		{"Lord Howe half-hour gap", "2025-10-06T02:15:00+11:00", "Australia/Lord_Howe", "now-1d", filter.OpGte, "2025-10-05T02:45:00+11:00 gte"},
		{"Santiago midnight gap now-1d", "2025-09-08T00:30:00-03:00", "America/Santiago", "now-1d", filter.OpGte, "2025-09-07T01:30:00-03:00 gte"},
		{"Apia skipped day now+1d", "2011-12-29T12:00:00-10:00", "Pacific/Apia", "now+1d", filter.OpGte, "2011-12-31T12:00:00+14:00 gte"},

		{"NY fall today start", "2025-11-02T12:00:00-05:00", "America/New_York", "today", filter.OpGte, "2025-11-02T00:00:00-04:00 gte"},
		{"NY fall today end", "2025-11-02T12:00:00-05:00", "America/New_York", "today", filter.OpLte, "2025-11-03T00:00:00-05:00 lt"},
		{"NY fall now-1d keeps wall clock", "2025-11-02T12:00:00-05:00", "America/New_York", "now-1d", filter.OpGte, "2025-11-01T12:00:00-04:00 gte"},
		{"NY fall now-24h", "2025-11-02T12:00:00-05:00", "America/New_York", "now-24h", filter.OpGte, "2025-11-01T13:00:00-04:00 gte"},
		{"NY fall now-1M", "2025-11-02T12:00:00-05:00", "America/New_York", "now-1M", filter.OpGte, "2025-10-02T12:00:00-04:00 gte"},
		{"NY today is the local day", "2025-11-04T02:00:00Z", "America/New_York", "today", filter.OpGte, "2025-11-03T00:00:00-05:00 gte"},

		// Santiago skips midnight on 2025-09-07 (00:00 -04 → 01:00 -03),
		// Havana on 2025-03-09; Havana has midnight twice on 2025-11-02
		// (01:00 CDT → 00:00 CST), Santiago's 2025-04-06 starts after a
		// repeated hour of the day before.
		{"Santiago today start", "2025-09-07T12:00:00-03:00", "America/Santiago", "today", filter.OpGte, "2025-09-07T01:00:00-03:00 gte"},
		{"Santiago date", mon, "America/Santiago", "2025-09-07", filter.OpGte, "2025-09-07T01:00:00-03:00 gte"},
		{"Santiago day before ends", "2025-09-06T12:00:00-04:00", "America/Santiago", "today", filter.OpLt, "2025-09-07T01:00:00-03:00 lt"},
		{"Santiago today-1d gte", "2025-09-08T12:00:00-03:00", "America/Santiago", "today-1d", filter.OpGte, "2025-09-07T01:00:00-03:00 gte"},
		{"Santiago now-1d", "2025-09-07T12:00:00-03:00", "America/Santiago", "now-1d", filter.OpGte, "2025-09-06T12:00:00-04:00 gte"},
		{"Santiago fall back date", mon, "America/Santiago", "2025-04-06", filter.OpGte, "2025-04-06T00:00:00-04:00 gte"},
		{"Havana date skips midnight", mon, "America/Havana", "2025-03-09", filter.OpGte, "2025-03-09T01:00:00-04:00 gte"},
		{"Havana midnight twice takes the first", mon, "America/Havana", "2025-11-02", filter.OpGte, "2025-11-02T00:00:00-04:00 gte"},
		{"Havana day after double midnight", mon, "America/Havana", "2025-11-03", filter.OpGte, "2025-11-03T00:00:00-05:00 gte"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			env := filter.Env{Now: tvTime(t, c.now)}
			if c.zone != "" {
				env.Location = tvLoad(t, c.zone)
			}
			if got := tvResolve(c.text, c.op, env); got != c.want {
				t.Errorf("ResolveTime(%q, %s) (-want +got):\n%s", c.text, c.op, cmp.Diff(c.want, got))
			}
		})
	}
}

func TestTimeResolveErrors(t *testing.T) {
	cases := []struct {
		name, text, want string
	}{
		{"empty", "", `invalid datetime "": empty string`},
		{"sign without number", "now-", `invalid datetime "now-": missing number after "now-"`},
		{"today plus nothing", "today+", `invalid datetime "today+": missing number after "today+"`},
		{"unknown unit", "now-1x", `invalid datetime "now-1x": unknown unit "x"`},
		{"missing unit", "now-1", `invalid datetime "now-1": missing unit after "now-1"`},
		{"two units", "now-1dd", `invalid datetime "now-1dd": unknown unit "dd"`},
		{"unit spelled out", "today-1day", `invalid datetime "today-1day": unknown unit "day"`},
		{"double sign", "now-+1d", `invalid datetime "now-+1d": missing number after "now-"`},
		{"spaces", "now - 1d", `invalid datetime "now - 1d": want + or - after "now"; got " - 1d"`},
		{"no sign", "now1d", `invalid datetime "now1d": want + or - after "now"; got "1d"`},
		{"huge N", "now-1234567890123456789012345678901234567890s", `invalid datetime "now-1234567890123456789012345678901234567890s": the result is outside the years 0001 to 9999`},
		{"result out of range", "now+999999y", `invalid datetime "now+999999y": the result is outside the years 0001 to 9999`},
		{"yesterday", "yesterday", `invalid datetime "yesterday": not an RFC 3339 date-time, a date or a relative value`},
		{"nowadays", "nowadays", `invalid datetime "nowadays": not an RFC 3339 date-time, a date or a relative value`},
		{"upper case NOW", "NOW", `invalid datetime "NOW": not an RFC 3339 date-time, a date or a relative value`},
		{"month 13", "2025-13-01", `invalid datetime "2025-13-01": month out of range`},
		{"Feb 30", "2025-02-30", `invalid datetime "2025-02-30": day out of range`},
		{"Feb 29 not leap", "2025-02-29T10:00:00Z", `invalid datetime "2025-02-29T10:00:00Z": day out of range`},
		{"hour 25", "2025-11-03T25:00:00Z", `invalid datetime "2025-11-03T25:00:00Z": hour out of range`},
		{"no offset", "2025-11-03T10:30:00", `invalid datetime "2025-11-03T10:30:00": missing time zone offset (add Z or an offset such as +02:00)`},
		{"space separator", "2025-11-03 10:30:00Z", `invalid datetime "2025-11-03 10:30:00Z": not an RFC 3339 date-time, a date or a relative value`},
		{"comma fraction", "2025-11-03T10:30:00,5Z", `invalid datetime "2025-11-03T10:30:00,5Z": invalid fraction or offset (want .fraction and Z or ±hh:mm)`},
		{"offset 24h", "2025-11-03T10:30:00+24:00", `invalid datetime "2025-11-03T10:30:00+24:00": invalid fraction or offset (want .fraction and Z or ±hh:mm)`},
		{"offset minutes 60", "2025-11-03T10:30:00+01:60", `invalid datetime "2025-11-03T10:30:00+01:60": invalid fraction or offset (want .fraction and Z or ±hh:mm)`},
		{"short date", "2025-1-3", `invalid datetime "2025-1-3": not an RFC 3339 date-time, a date or a relative value`},
	}
	env := filter.Env{Now: tvTime(t, "2025-11-03T10:30:00Z")}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := tvResolve(c.text, filter.OpGte, env)
			want := "error: " + c.want + forms
			if got != want {
				t.Errorf("ResolveTime(%q) (-want +got):\n%s", c.text, cmp.Diff(want, got))
			}
		})
	}
}

// The default clock and zone: time.Now in UTC.
func TestTimeResolveDefaultEnv(t *testing.T) {
	before := time.Now()
	got, op, err := filter.ResolveTime("now", filter.OpGt, filter.Env{})
	after := time.Now()
	if err != nil || op != filter.OpGt || got.Before(before) || got.After(after) || got.Location() != time.UTC {
		t.Errorf("ResolveTime(now) = %v, %s, %v; want an instant in [%v, %v] in UTC", got, op, err, before, after)
	}
	day, _, _ := filter.ResolveTime("today", filter.OpGte, filter.Env{})
	if !strings.HasSuffix(day.Format(time.RFC3339), "T00:00:00Z") {
		t.Errorf("today = %v, want a UTC midnight", day)
	}
}

// FuzzResolveTime: no text makes ResolveTime panic, and what it accepts is
// in the range RFC 3339 can write.
func FuzzResolveTime(f *testing.F) {
	for _, s := range []string{"now", "now-1d", "today+2h", "today-1M", "2025-11-03", "2025-11-03T10:30:00.5+05:30", "now-999999y", "today+"} {
		f.Add(s)
	}
	loc, err := time.LoadLocation("America/Santiago")
	if err != nil {
		f.Fatal(err)
	}
	env := filter.Env{Now: time.Date(2025, 9, 6, 22, 0, 0, 0, loc), Location: loc}
	f.Fuzz(func(t *testing.T, text string) {
		for _, op := range []filter.Op{filter.OpGte, filter.OpLte} {
			got, _, err := filter.ResolveTime(text, op, env)
			if err == nil && (got.Year() < 0 || got.Year() > 10000) { // an offset may move year 1 or 9999 by one
				t.Fatalf("ResolveTime(%q) = %v, out of range", text, got)
			}
		}
	})
}

// TestCheckTimeClock: Check resolves relative values with the clock and
// zone it is given (WithEnv), the ones evaluation uses, never with the
// machine's; without one it refuses only steps that no clock brings into
// the years 0001 to 9999.
func TestCheckTimeClock(t *testing.T) {
	now := filter.Env{Now: tvTime(t, "2025-11-10T15:30:00Z")}
	cases := []struct {
		value string
		env   *filter.Env
		want  string // "" for valid
	}{
		{"now+7974y", &now, ""},
		{"now+7975y", &now, `$.value: field "timestamp": invalid datetime "now+7975y": the result is outside the years 0001 to 9999`},
		{"now-2024y", &now, ""},
		{"now-2025y", &now, `$.value: field "timestamp": invalid datetime "now-2025y": the result is outside the years 0001 to 9999`},
		{"now-2592000s", &now, ""},
		{"now+7975y", nil, ""}, // valid at another now
		{"now+9999y", nil, ""},
		{"now+10001y", nil, `$.value: field "timestamp": invalid datetime "now+10001y": the result is outside the years 0001 to 9999`},
		{"today-99999999999999999999999d", nil, `$.value: field "timestamp": invalid datetime "today-99999999999999999999999d": the result is outside the years 0001 to 9999`},
	}
	for _, c := range cases {
		n, err := filter.Parse([]byte(leaf("timestamp", "lt", `"`+c.value+`"`)))
		if err != nil {
			t.Fatal(err)
		}
		var opts []filter.Option
		if c.env != nil {
			opts = append(opts, filter.WithEnv(*c.env))
		}
		_, err = filter.Check(n, nil, opts...)
		got := ""
		if err != nil {
			got = strings.TrimSuffix(err.Error(), forms)
			if !errors.Is(err, calldash.ErrInvalidTime) {
				t.Errorf("%s: %v is not ErrInvalidTime", c.value, err)
			}
		}
		if got != c.want {
			t.Errorf("Check(lt %s, env %v):\ngot  %s\nwant %s", c.value, c.env != nil, got, c.want)
		}
	}
}

// TestWallTime checks WallTime against the zone itself around many DST
// changes: a wall clock that exists gives its first instant (no earlier
// instant shows it), and one that does not lies in a gap and is read with
// the offset before it (moved forward by the gap's length).
func TestWallTime(t *testing.T) {
	zones := []string{"America/New_York", "Europe/London", "Australia/Lord_Howe", "America/Santiago",
		"Pacific/Apia", "Pacific/Chatham", "America/Havana", "Asia/Tehran", "UTC"}
	wallOf := func(u time.Time) time.Time {
		return time.Date(u.Year(), u.Month(), u.Day(), u.Hour(), u.Minute(), u.Second(), u.Nanosecond(), time.UTC)
	}
	for _, name := range zones {
		loc, err := time.LoadLocation(name)
		if err != nil {
			t.Skip(err)
		}
		// Every 7 minutes over the days around each offset change of 2011
		// and 2025.
		for _, year := range []int{2011, 2025} {
			at := time.Date(year, 1, 1, 0, 0, 0, 0, loc)
			for range 4 {
				_, end := at.ZoneBounds()
				if end.IsZero() || end.Year() > year {
					break
				}
				for w := wallOf(end.In(loc)).Add(-26 * time.Hour); w.Before(wallOf(end.In(loc)).Add(26 * time.Hour)); w = w.Add(7 * time.Minute) {
					got := filter.WallTime(w.Year(), w.Month(), w.Day(), w.Hour(), w.Minute(), w.Second(), 0, loc)
					if wallOf(got).Equal(w) {
						for d := 15 * time.Minute; d <= 3*time.Hour; d += 15 * time.Minute {
							if wallOf(got.Add(-d).In(loc)).Equal(w) {
								t.Fatalf("%s %s: got %s, but %s shows the same wall clock earlier", name, w.Format("2006-01-02 15:04"), got, got.Add(-d).In(loc))
							}
						}
						continue
					}
					start, _ := got.ZoneBounds()
					_, before := start.Add(-time.Second).In(loc).Zone()
					_, after := got.Zone()
					if gap := time.Duration(after-before) * time.Second; gap <= 0 || !wallOf(got).Equal(w.Add(gap)) || got.Before(start) || got.Sub(start) >= gap {
						t.Fatalf("%s %s: got %s, not the wall clock moved forward by a gap", name, w.Format("2006-01-02 15:04"), got)
					}
				}
				at = end.In(loc)
			}
		}
	}
}
