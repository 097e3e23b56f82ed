package aggregate

import (
	"errors"
	"math/rand/v2"
	"testing"
	"time"
	_ "time/tzdata" // the tests need the same zone data everywhere

	"github.com/calldash/calldash"
)

func mustLoad(t testing.TB, name string) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation(name)
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

func rfc(t testing.TB, s string) time.Time {
	t.Helper()
	v, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func TestPeriodNames(t *testing.T) {
	for _, p := range []Period{Hour, Day, Week, Month} {
		got, err := ParsePeriod(p.String())
		if err != nil || got != p {
			t.Errorf("ParsePeriod(%q) = %v, %v", p.String(), got, err)
		}
	}
	for _, s := range []string{"", "Day", "year", "minute"} {
		if _, err := ParsePeriod(s); !errors.Is(err, ErrUnknownPeriod) {
			t.Errorf("ParsePeriod(%q) error = %v, want ErrUnknownPeriod", s, err)
		}
	}
	if Period(0).String() != "" || Period(9).String() != "" {
		t.Error("invalid periods should print as empty")
	}
}

// TestCalendar checks bucket starts and ends; times are RFC 3339 with the
// zone's offset, so the wanted strings also check the returned location.
func TestCalendar(t *testing.T) {
	tests := []struct {
		name      string
		zone      string
		period    Period
		weekStart time.Weekday
		at        string
		start     string
		next      string
	}{
		{"utc day", "UTC", Day, time.Monday, "2025-11-03T10:30:00Z", "2025-11-03T00:00:00Z", "2025-11-04T00:00:00Z"},
		{"utc day at start", "UTC", Day, time.Monday, "2025-11-03T00:00:00Z", "2025-11-03T00:00:00Z", "2025-11-04T00:00:00Z"},
		{"utc day last ns", "UTC", Day, time.Monday, "2025-11-03T23:59:59.999999999Z", "2025-11-03T00:00:00Z", "2025-11-04T00:00:00Z"},
		{"utc hour", "UTC", Hour, time.Monday, "2025-11-03T10:59:59Z", "2025-11-03T10:00:00Z", "2025-11-03T11:00:00Z"},
		{"utc month end of year", "UTC", Month, time.Monday, "2025-12-31T23:00:00Z", "2025-12-01T00:00:00Z", "2026-01-01T00:00:00Z"},
		{"utc week monday", "UTC", Week, time.Monday, "2025-11-09T12:00:00Z", "2025-11-03T00:00:00Z", "2025-11-10T00:00:00Z"},
		{"utc week sunday", "UTC", Week, time.Sunday, "2025-11-09T12:00:00Z", "2025-11-09T00:00:00Z", "2025-11-16T00:00:00Z"},
		{"utc week saturday", "UTC", Week, time.Saturday, "2025-11-07T12:00:00Z", "2025-11-01T00:00:00Z", "2025-11-08T00:00:00Z"},
		{"utc week across year", "UTC", Week, time.Monday, "2026-01-01T00:00:00Z", "2025-12-29T00:00:00Z", "2026-01-05T00:00:00Z"},

		// America/New_York: spring forward 2025-03-09 02:00 EST → 03:00 EDT,
		// fall back 2025-11-02 02:00 EDT → 01:00 EST.
		{"ny day spring 23h", "America/New_York", Day, time.Monday, "2025-03-09T12:00:00Z", "2025-03-09T00:00:00-05:00", "2025-03-10T00:00:00-04:00"},
		{"ny day fall 25h", "America/New_York", Day, time.Monday, "2025-11-02T23:00:00Z", "2025-11-02T00:00:00-04:00", "2025-11-03T00:00:00-05:00"},
		{"ny day by utc date differs", "America/New_York", Day, time.Monday, "2025-11-03T03:00:00Z", "2025-11-02T00:00:00-04:00", "2025-11-03T00:00:00-05:00"},
		{"ny hour before fall back", "America/New_York", Hour, time.Monday, "2025-11-02T04:59:00Z", "2025-11-02T00:00:00-04:00", "2025-11-02T01:00:00-04:00"},
		{"ny hour first 1am", "America/New_York", Hour, time.Monday, "2025-11-02T05:30:00Z", "2025-11-02T01:00:00-04:00", "2025-11-02T01:00:00-05:00"},
		{"ny hour second 1am", "America/New_York", Hour, time.Monday, "2025-11-02T06:30:00Z", "2025-11-02T01:00:00-05:00", "2025-11-02T02:00:00-05:00"},
		{"ny hour spring gap", "America/New_York", Hour, time.Monday, "2025-03-09T06:59:00Z", "2025-03-09T01:00:00-05:00", "2025-03-09T03:00:00-04:00"},
		{"ny hour after gap", "America/New_York", Hour, time.Monday, "2025-03-09T07:00:00Z", "2025-03-09T03:00:00-04:00", "2025-03-09T04:00:00-04:00"},
		{"ny week monday fall", "America/New_York", Week, time.Monday, "2025-11-02T20:00:00Z", "2025-10-27T00:00:00-04:00", "2025-11-03T00:00:00-05:00"},
		{"ny week sunday fall", "America/New_York", Week, time.Sunday, "2025-11-02T20:00:00Z", "2025-11-02T00:00:00-04:00", "2025-11-09T00:00:00-05:00"},
		{"ny week monday spring", "America/New_York", Week, time.Monday, "2025-03-12T20:00:00Z", "2025-03-10T00:00:00-04:00", "2025-03-17T00:00:00-04:00"},
		{"ny week monday spring before", "America/New_York", Week, time.Monday, "2025-03-09T20:00:00Z", "2025-03-03T00:00:00-05:00", "2025-03-10T00:00:00-04:00"},
		{"ny week sunday spring", "America/New_York", Week, time.Sunday, "2025-03-09T20:00:00Z", "2025-03-09T00:00:00-05:00", "2025-03-16T00:00:00-04:00"},
		{"ny month march", "America/New_York", Month, time.Monday, "2025-03-31T23:00:00Z", "2025-03-01T00:00:00-05:00", "2025-04-01T00:00:00-04:00"},
		{"ny month by local date", "America/New_York", Month, time.Monday, "2025-04-01T03:00:00Z", "2025-03-01T00:00:00-05:00", "2025-04-01T00:00:00-04:00"},
		{"ny month november", "America/New_York", Month, time.Monday, "2025-11-15T00:00:00Z", "2025-11-01T00:00:00-04:00", "2025-12-01T00:00:00-05:00"},

		// Half- and quarter-hour offsets: the hour starts at local :00.
		{"kolkata hour", "Asia/Kolkata", Hour, time.Monday, "2025-11-03T10:37:12Z", "2025-11-03T16:00:00+05:30", "2025-11-03T17:00:00+05:30"},
		{"kolkata hour utc half", "Asia/Kolkata", Hour, time.Monday, "2025-11-03T10:29:59Z", "2025-11-03T15:00:00+05:30", "2025-11-03T16:00:00+05:30"},
		{"kolkata day", "Asia/Kolkata", Day, time.Monday, "2025-11-03T20:00:00Z", "2025-11-04T00:00:00+05:30", "2025-11-05T00:00:00+05:30"},
		{"kathmandu hour", "Asia/Kathmandu", Hour, time.Monday, "2025-11-03T10:37:12Z", "2025-11-03T16:00:00+05:45", "2025-11-03T17:00:00+05:45"},

		// Midnight in a DST gap: São Paulo skipped 2018-11-04 00:00–01:00.
		{"sao paulo gap day", "America/Sao_Paulo", Day, time.Monday, "2018-11-04T12:00:00Z", "2018-11-04T01:00:00-02:00", "2018-11-05T00:00:00-02:00"},
		{"sao paulo day before gap", "America/Sao_Paulo", Day, time.Monday, "2018-11-03T12:00:00Z", "2018-11-03T00:00:00-03:00", "2018-11-04T01:00:00-02:00"},
		{"sao paulo gap month", "America/Sao_Paulo", Month, time.Monday, "2018-11-20T12:00:00Z", "2018-11-01T00:00:00-03:00", "2018-12-01T00:00:00-02:00"},
		// Midnight twice: São Paulo fell back 2019-02-17 00:00 → 2019-02-16 23:00.
		{"sao paulo repeated hour day", "America/Sao_Paulo", Day, time.Monday, "2019-02-17T02:30:00Z", "2019-02-16T00:00:00-02:00", "2019-02-17T00:00:00-03:00"},

		// St. John's fell back 2000-10-29 00:01 NDT → 2000-10-28 23:01 NST:
		// midnight came twice; the day starts at the first, and the
		// instants showing 28 23:01–23:59 NST belong to the 29th.
		{"st johns midnight twice", "America/St_Johns", Day, time.Monday, "2000-10-29T02:31:00Z", "2000-10-29T00:00:00-02:30", "2000-10-30T00:00:00-03:30"},
		// Apia skipped 2011-12-30 entirely.
		{"apia skipped day", "Pacific/Apia", Day, time.Monday, "2011-12-29T12:00:00Z", "2011-12-29T00:00:00-10:00", "2011-12-31T00:00:00+14:00"},
		// Lord Howe falls back 30 minutes at 02:00 (+11) → 01:30 (+10:30):
		// the hour bucket is cut at the transition.
		{"lord howe before fall back", "Australia/Lord_Howe", Hour, time.Monday, "2025-04-05T14:45:00Z", "2025-04-06T01:00:00+11:00", "2025-04-06T01:30:00+10:30"},
		{"lord howe after fall back", "Australia/Lord_Howe", Hour, time.Monday, "2025-04-05T15:15:00Z", "2025-04-06T01:30:00+10:30", "2025-04-06T02:00:00+10:30"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c := NewCalendar(tc.period, mustLoad(t, tc.zone), tc.weekStart)
			at := rfc(t, tc.at)
			start := c.Start(at)
			if got := start.Format(time.RFC3339Nano); got != tc.start {
				t.Errorf("Start(%s) = %s, want %s", tc.at, got, tc.start)
			}
			if got := c.Next(start).Format(time.RFC3339Nano); got != tc.next {
				t.Errorf("Next(%s) = %s, want %s", tc.start, got, tc.next)
			}
			if got := c.Next(at).Format(time.RFC3339Nano); got != tc.next {
				t.Errorf("Next(%s) = %s, want %s", tc.at, got, tc.next)
			}
			if start.Location() != c.Location() {
				t.Errorf("Start location = %v, want %v", start.Location(), c.Location())
			}
		})
	}
}

func TestDayLengths(t *testing.T) {
	ny := mustLoad(t, "America/New_York")
	c := NewCalendar(Day, ny, time.Monday)
	for _, tc := range []struct {
		day  string
		want time.Duration
	}{
		{"2025-03-08", 24 * time.Hour},
		{"2025-03-09", 23 * time.Hour},
		{"2025-11-02", 25 * time.Hour},
	} {
		d, _ := time.ParseInLocation(time.DateOnly, tc.day, ny)
		s := c.Start(d.Add(12 * time.Hour))
		if got := c.Next(s).Sub(s); got != tc.want {
			t.Errorf("%s lasts %v, want %v", tc.day, got, tc.want)
		}
	}
}

var propZones = []string{"UTC", "America/New_York", "Europe/Berlin", "Asia/Kolkata", "Asia/Kathmandu",
	"Australia/Lord_Howe", "Pacific/Chatham", "America/Sao_Paulo", "America/Santiago", "Asia/Beirut",
	"Pacific/Apia", "Africa/Casablanca", "America/St_Johns", "Europe/London", "Antarctica/Troll"}

// TestCalendarProperties checks, for random instants from 1990 to 2040 in
// zones with odd offsets and transitions: Start(t) <= t < Next(t), Start is
// idempotent, Next lands on a bucket start, buckets are contiguous, starts
// are at local midnight / minute 0 unless a transition forbids it.
func TestCalendarProperties(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	lo := time.Date(1990, 1, 1, 0, 0, 0, 0, time.UTC).Unix()
	hi := time.Date(2040, 1, 1, 0, 0, 0, 0, time.UTC).Unix()
	for _, zone := range propZones {
		loc := mustLoad(t, zone)
		for _, p := range []Period{Hour, Day, Week, Month} {
			for _, ws := range []time.Weekday{time.Monday, time.Sunday, time.Wednesday} {
				if p != Week && ws != time.Monday {
					continue
				}
				c := NewCalendar(p, loc, ws)
				for range 300 {
					at := time.Unix(lo+r.Int64N(hi-lo), r.Int64N(1e9))
					checkBucket(t, c, at)
				}
			}
		}
	}
}

// TestCalendarTransitions checks the same properties at every second
// around every offset change of the zones from 2000 to 2030.
func TestCalendarTransitions(t *testing.T) {
	if testing.Short() {
		t.Skip("slow")
	}
	for _, zone := range propZones {
		loc := mustLoad(t, zone)
		cals := []Calendar{NewCalendar(Hour, loc, time.Monday), NewCalendar(Day, loc, time.Monday),
			NewCalendar(Week, loc, time.Sunday), NewCalendar(Month, loc, time.Monday)}
		at := time.Date(2000, 1, 1, 0, 0, 0, 0, loc)
		for at.Year() < 2030 {
			_, end := at.ZoneBounds()
			if end.IsZero() {
				break
			}
			for _, d := range []time.Duration{-2 * time.Hour, -time.Hour, -time.Nanosecond, 0, time.Nanosecond,
				30 * time.Minute, time.Hour, 90 * time.Minute, 2 * time.Hour, 25 * time.Hour} {
				for _, c := range cals {
					checkBucket(t, c, end.Add(d))
				}
			}
			at = end
		}
	}
}

func checkBucket(t *testing.T, c Calendar, at time.Time) {
	t.Helper()
	s := c.Start(at)
	n := c.Next(s)
	where := func() string {
		return c.loc.String() + " " + c.period.String() + " " + c.weekStart.String() + " at " + at.UTC().Format(time.RFC3339Nano)
	}
	if s.After(at) || !at.Before(n) {
		t.Fatalf("%s: not Start %v <= t < Next %v", where(), s, n)
	}
	if s2 := c.Start(s); !s2.Equal(s) {
		t.Fatalf("%s: Start(Start) = %v, want %v", where(), s2, s)
	}
	if n2 := c.Next(at); !n2.Equal(n) {
		t.Fatalf("%s: Next(t) = %v, Next(Start(t)) = %v", where(), n2, n)
	}
	if s3 := c.Start(n); !s3.Equal(n) {
		t.Fatalf("%s: Next %v is not a bucket start (Start = %v)", where(), n, s3)
	}
	if s4 := c.Start(n.Add(-time.Nanosecond)); !s4.Equal(s) {
		t.Fatalf("%s: bucket not contiguous: Start(Next-1ns) = %v, want %v", where(), s4, s)
	}
	if s.Location() != c.loc || n.Location() != c.loc {
		t.Fatalf("%s: result not in the location", where())
	}
	zs, _ := s.ZoneBounds()
	atTransition := zs.Equal(s)
	if c.period == Hour {
		if (s.Minute() != 0 || s.Second() != 0 || s.Nanosecond() != 0) && !atTransition {
			t.Fatalf("%s: hour start %v not at minute 0", where(), s)
		}
		return
	}
	if (s.Hour() != 0 || s.Minute() != 0 || s.Second() != 0 || s.Nanosecond() != 0) && !atTransition {
		t.Fatalf("%s: start %v not at local midnight", where(), s)
	}
	if y, m, d := s.Add(-time.Nanosecond).Date(); y == s.Year() && m == s.Month() && d == s.Day() {
		t.Fatalf("%s: start %v is not the first instant of its day", where(), s)
	}
	switch c.period {
	case Week:
		if s.Weekday() != c.weekStart && !atTransition {
			t.Fatalf("%s: week start %v is a %v", where(), s, s.Weekday())
		}
	case Month:
		if s.Day() != 1 {
			t.Fatalf("%s: month start %v", where(), s)
		}
	}
}

func TestFixed(t *testing.T) {
	kolkata := mustLoad(t, "Asia/Kolkata")
	tests := []struct {
		name  string
		ms    int64
		loc   *time.Location
		at    string
		start string
	}{
		{"hour utc", 3600000, nil, "2025-11-03T10:37:12Z", "2025-11-03T10:00:00Z"},
		{"hour kolkata not local", 3600000, kolkata, "2025-11-03T10:37:12Z", "2025-11-03T15:30:00+05:30"},
		{"seconds", 1000, nil, "2025-11-03T10:37:12.75Z", "2025-11-03T10:37:12Z"},
		{"7 seconds", 7000, nil, "1970-01-01T00:00:15Z", "1970-01-01T00:00:14Z"},
		{"before epoch floors", 7000, nil, "1969-12-31T23:59:59Z", "1969-12-31T23:59:53Z"},
		{"before epoch exact", 7000, nil, "1969-12-31T23:59:53Z", "1969-12-31T23:59:53Z"},
		{"day is utc day", 86400000, kolkata, "2025-11-03T20:00:00Z", "2025-11-03T05:30:00+05:30"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f, err := NewFixed(tc.ms, tc.loc)
			if err != nil {
				t.Fatal(err)
			}
			s := f.Start(rfc(t, tc.at))
			if got := s.Format(time.RFC3339Nano); got != tc.start {
				t.Errorf("Start = %s, want %s", got, tc.start)
			}
			if got := f.Next(s).Sub(s); got != f.Width() {
				t.Errorf("Next - Start = %v, want %v", got, f.Width())
			}
		})
	}
	for _, ms := range []int64{0, -1000, 1500, 999, 1 << 62} {
		if _, err := NewFixed(ms, nil); !errors.Is(err, ErrInvalidInterval) {
			t.Errorf("NewFixed(%d) error = %v, want ErrInvalidInterval", ms, err)
		}
	}
}

func TestEnumerate(t *testing.T) {
	ny := mustLoad(t, "America/New_York")
	day := NewCalendar(Day, ny, time.Monday)
	hour := NewCalendar(Hour, ny, time.Monday)
	fixed, _ := NewFixed(3600*1000, time.UTC)
	tests := []struct {
		name   string
		b      Bucketer
		r      Range
		max    int
		starts []string
		err    error
	}{
		{"days inclusive", day, Range{Lo: rfc(t, "2025-11-01T04:00:00Z"), Hi: rfc(t, "2025-11-03T05:00:00Z")}, 10,
			[]string{"2025-11-01T00:00:00-04:00", "2025-11-02T00:00:00-04:00", "2025-11-03T00:00:00-05:00"}, nil},
		{"hi exclusive at bucket start", day, Range{Lo: rfc(t, "2025-11-01T04:00:00Z"), Hi: rfc(t, "2025-11-03T05:00:00Z"), HiExclusive: true}, 10,
			[]string{"2025-11-01T00:00:00-04:00", "2025-11-02T00:00:00-04:00"}, nil},
		{"lo exclusive at bucket end", day, Range{Lo: rfc(t, "2025-11-01T03:59:59.999999999Z"), Hi: rfc(t, "2025-11-01T12:00:00Z"), LoExclusive: true}, 10,
			[]string{"2025-11-01T00:00:00-04:00"}, nil},
		{"lo exclusive mid bucket", day, Range{Lo: rfc(t, "2025-11-01T12:00:00Z"), Hi: rfc(t, "2025-11-01T13:00:00Z"), LoExclusive: true}, 10,
			[]string{"2025-11-01T00:00:00-04:00"}, nil},
		{"single instant", day, Range{Lo: rfc(t, "2025-11-01T12:00:00Z"), Hi: rfc(t, "2025-11-01T12:00:00Z")}, 10,
			[]string{"2025-11-01T00:00:00-04:00"}, nil},
		{"empty exclusive", day, Range{Lo: rfc(t, "2025-11-01T12:00:00Z"), Hi: rfc(t, "2025-11-01T12:00:00Z"), HiExclusive: true}, 10, nil, nil},
		{"empty reversed", day, Range{Lo: rfc(t, "2025-11-02T12:00:00Z"), Hi: rfc(t, "2025-11-01T12:00:00Z")}, 10, nil, nil},
		{"hours across fall back", hour, Range{Lo: rfc(t, "2025-11-02T04:00:00Z"), Hi: rfc(t, "2025-11-02T07:00:00Z"), HiExclusive: true}, 10,
			[]string{"2025-11-02T00:00:00-04:00", "2025-11-02T01:00:00-04:00", "2025-11-02T01:00:00-05:00"}, nil},
		{"cap exactly reached", day, Range{Lo: rfc(t, "2025-11-01T04:00:00Z"), Hi: rfc(t, "2025-11-03T05:00:00Z")}, 3,
			[]string{"2025-11-01T00:00:00-04:00", "2025-11-02T00:00:00-04:00", "2025-11-03T00:00:00-05:00"}, nil},
		{"cap exceeded", day, Range{Lo: rfc(t, "2025-11-01T04:00:00Z"), Hi: rfc(t, "2025-11-03T05:00:00Z")}, 2, nil, calldash.ErrTooManyBuckets},
		{"no cap", day, Range{Lo: rfc(t, "2025-11-01T04:00:00Z"), Hi: rfc(t, "2025-11-03T05:00:00Z")}, 0,
			[]string{"2025-11-01T00:00:00-04:00", "2025-11-02T00:00:00-04:00", "2025-11-03T00:00:00-05:00"}, nil},
		{"fixed cap exceeded", fixed, Range{Lo: rfc(t, "2025-11-01T00:00:00Z"), Hi: rfc(t, "2025-11-01T03:00:00Z")}, 3, nil, calldash.ErrTooManyBuckets},
		{"fixed cap exact", fixed, Range{Lo: rfc(t, "2025-11-01T00:00:00Z"), Hi: rfc(t, "2025-11-01T03:00:00Z"), HiExclusive: true}, 3,
			[]string{"2025-11-01T00:00:00Z", "2025-11-01T01:00:00Z", "2025-11-01T02:00:00Z"}, nil},
		{"centuries of hours", hour, Range{Lo: rfc(t, "1900-01-01T00:00:00Z"), Hi: rfc(t, "2200-01-01T00:00:00Z")}, 10000, nil, calldash.ErrTooManyBuckets},
		{"centuries of fixed seconds", func() Bucketer { f, _ := NewFixed(1000, nil); return f }(),
			Range{Lo: rfc(t, "0001-01-01T00:00:00Z"), Hi: rfc(t, "9999-01-01T00:00:00Z")}, 10000, nil, calldash.ErrTooManyBuckets},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			b, err := Enumerate(tc.b, tc.r, tc.max)
			if tc.err != nil {
				if !errors.Is(err, tc.err) {
					t.Fatalf("error = %v, want %v", err, tc.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, s := range b.Starts() {
				got = append(got, s.Format(time.RFC3339Nano))
			}
			if len(got) != len(tc.starts) || b.Len() != len(tc.starts) {
				t.Fatalf("starts = %q, want %q", got, tc.starts)
			}
			for i := range got {
				if got[i] != tc.starts[i] {
					t.Fatalf("starts = %q, want %q", got, tc.starts)
				}
			}
		})
	}
}

// TestEnumerateCapIsCheap makes sure a range of millions of buckets fails
// without enumerating them.
func TestEnumerateCapIsCheap(t *testing.T) {
	hour := NewCalendar(Hour, mustLoad(t, "Europe/Berlin"), time.Monday)
	r := Range{Lo: rfc(t, "1000-01-01T00:00:00Z"), Hi: rfc(t, "3000-01-01T00:00:00Z")}
	allocs := testing.AllocsPerRun(5, func() {
		if _, err := Enumerate(hour, r, 10000); !errors.Is(err, calldash.ErrTooManyBuckets) {
			t.Fatal(err)
		}
	})
	if allocs > 10 {
		t.Errorf("Enumerate allocated %v times before noticing the cap", allocs)
	}
	// A general Bucketer stops at max+1.
	n := 0
	counting := countingBucketer{hour, &n}
	if _, err := Enumerate(counting, r, 100); !errors.Is(err, calldash.ErrTooManyBuckets) {
		t.Fatal(err)
	}
	if n > 102 {
		t.Errorf("Enumerate called Next %d times with a cap of 100", n)
	}
}

type countingBucketer struct {
	Calendar
	n *int
}

func (c countingBucketer) Next(t time.Time) time.Time { *c.n++; return c.Calendar.Next(t) }

func TestBoundariesIndex(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	for _, zone := range []string{"UTC", "America/New_York", "Asia/Kolkata", "Australia/Lord_Howe"} {
		loc := mustLoad(t, zone)
		for _, p := range []Period{Hour, Day, Week, Month} {
			c := NewCalendar(p, loc, time.Monday)
			lo := rfc(t, "2025-01-01T00:00:00Z")
			hi := rfc(t, "2025-12-31T00:00:00Z")
			b, err := Enumerate(c, Range{Lo: lo, Hi: hi}, 10000)
			if err != nil {
				t.Fatal(err)
			}
			loc := NewLocator(c)
			for range 2000 {
				at := time.Unix(0, lo.UnixNano()-int64(48*time.Hour)+r.Int64N(hi.Sub(lo).Nanoseconds()+int64(96*time.Hour)))
				i := b.Index(at.UnixNano())
				s := c.Start(at)
				if got := loc.Start(at); !got.Equal(s) {
					t.Fatalf("%s %s: Locator.Start(%v) = %v, want %v", zone, p, at, got, s)
				}
				if i < 0 {
					if !at.Before(b.Start(0)) && at.Before(b.End()) {
						t.Fatalf("%s %s: Index(%v) = -1 inside [%v, %v)", zone, p, at, b.Start(0), b.End())
					}
					continue
				}
				if !b.Start(i).Equal(s) {
					t.Fatalf("%s %s: Index(%v) = %d (%v), want bucket %v", zone, p, at, i, b.Start(i), s)
				}
			}
		}
	}
	var empty Boundaries
	if empty.Index(0) != -1 || empty.Len() != 0 || !empty.End().IsZero() {
		t.Error("zero Boundaries should be empty")
	}
}

func TestUnixNano(t *testing.T) {
	if got := UnixNano(rfc(t, "3000-01-01T00:00:00Z")); got != 1<<63-1 {
		t.Errorf("UnixNano(3000) = %d", got)
	}
	if got := UnixNano(rfc(t, "1000-01-01T00:00:00Z")); got != -1<<63 {
		t.Errorf("UnixNano(1000) = %d", got)
	}
	at := rfc(t, "2025-11-03T10:30:00.5Z")
	if UnixNano(at) != at.UnixNano() {
		t.Error("UnixNano differs from time.Time.UnixNano in range")
	}
}

func BenchmarkBoundariesIndex(b *testing.B) {
	c := NewCalendar(Day, mustLoad(b, "America/New_York"), time.Monday)
	lo := rfc(b, "2025-10-01T00:00:00Z")
	bs, err := Enumerate(c, Range{Lo: lo, Hi: lo.Add(30 * 24 * time.Hour)}, 10000)
	if err != nil {
		b.Fatal(err)
	}
	ts := make([]int64, 1024)
	r := rand.New(rand.NewPCG(5, 6))
	for i := range ts {
		ts[i] = lo.UnixNano() + r.Int64N(int64(30*24*time.Hour))
	}
	b.ResetTimer()
	sum := 0
	b.ResetTimer()
	for i := range b.N {
		sum += bs.Index(ts[i&1023])
	}
	_ = sum
}

func BenchmarkCalendarStart(b *testing.B) {
	for _, bc := range []struct{ name, at string }{
		{"ordinary day", "2025-11-12T12:00:00Z"},
		{"near DST change", "2025-11-02T12:00:00Z"},
	} {
		b.Run(bc.name, func(b *testing.B) {
			c := NewCalendar(Day, mustLoad(b, "America/New_York"), time.Monday)
			at := rfc(b, bc.at)
			b.ResetTimer()
			for range b.N {
				_ = c.Start(at)
			}
		})
	}
}

func BenchmarkLocatorSorted(b *testing.B) {
	loc := NewLocator(NewCalendar(Day, mustLoad(b, "America/New_York"), time.Monday))
	at := rfc(b, "2025-11-01T00:00:00Z")
	b.ResetTimer()
	for i := range b.N {
		_ = loc.Start(at.Add(time.Duration(i%100000) * time.Second))
	}
}

// TestLocatorAnyYear: the Locator finds the bucket of instants in every
// year, 0001 to 9999 — before 1678 and after 2262 too, where Unix
// nanoseconds saturate — also right after a bucket that straddles 1677-09
// (whose start saturates and whose end does not).
func TestLocatorAnyYear(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	for _, zone := range []string{"UTC", "America/New_York"} {
		for _, p := range []Period{Hour, Day, Week, Month} {
			c := NewCalendar(p, mustLoad(t, zone), time.Monday)
			loc := NewLocator(c)
			at := []time.Time{rfc(t, "1677-09-25T00:00:00Z"), rfc(t, "1500-03-10T12:00:00Z"), rfc(t, "0001-01-01T00:00:00Z"), rfc(t, "9999-12-31T23:59:59Z")}
			for range 500 {
				at = append(at, time.Date(1+r.IntN(9998), time.Month(1+r.IntN(12)), 1+r.IntN(28), r.IntN(24), 0, 0, r.IntN(1e9), time.UTC))
			}
			for _, a := range at {
				if got, want := loc.Start(a), c.Start(a); !got.Equal(want) {
					t.Fatalf("%s %s: Locator.Start(%v) = %v, want %v", zone, p, a, got, want)
				}
			}
		}
	}
}
