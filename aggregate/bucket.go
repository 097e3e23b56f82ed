package aggregate

import (
	"errors"
	"fmt"
	"time"
)

// A Period is a calendar bucket width: [Hour], [Day], [Week] or [Month].
// The zero Period is invalid.
type Period uint8

// The periods.
const (
	Hour Period = iota + 1
	Day
	Week
	Month
)

var periodNames = [...]string{Hour: "hour", Day: "day", Week: "week", Month: "month"}

// String returns the period's name: "hour", "day", "week" or "month"
// ("" for an invalid Period).
func (p Period) String() string {
	if int(p) < len(periodNames) {
		return periodNames[p]
	}
	return ""
}

// ErrUnknownPeriod is returned (wrapped) by [ParsePeriod] for a name that is
// not a period.
var ErrUnknownPeriod = errors.New("unknown time period")

// ParsePeriod returns the period named s ("hour", "day", "week", "month";
// case-sensitive). Any other name, including "", is an error wrapping
// [ErrUnknownPeriod].
func ParsePeriod(s string) (Period, error) {
	for p, name := range periodNames {
		if name != "" && name == s {
			return Period(p), nil
		}
	}
	return 0, fmt.Errorf("%w %q (want hour, day, week or month)", ErrUnknownPeriod, s)
}

// A Bucketer cuts the time line into consecutive, non-overlapping buckets
// [start, next start). [Calendar] and [Fixed] are the two Bucketers.
type Bucketer interface {
	// Start returns the start of the bucket containing t, in the
	// Bucketer's location. Start(Start(t)) == Start(t) and
	// Start(t) <= t < Next(t).
	Start(t time.Time) time.Time
	// Next returns the start of the bucket after the one containing t,
	// in the Bucketer's location. Usually t is a bucket start.
	Next(t time.Time) time.Time
}

// A Calendar is a [Bucketer] of calendar periods in a time zone.
//
//   - Hour buckets start at local minute 0 of every hour. When the zone's
//     offset changes (DST), the repeated local hour of a fall-back is two
//     buckets (different instants, different offsets), and a bucket never
//     spans an offset change: in zones whose transitions are not at a full
//     local hour (e.g. Australia/Lord_Howe, Pacific/Chatham), the bucket
//     around the transition is cut at the transition instant, so it may be
//     shorter than an hour and its start may not be at minute 0.
//   - Day buckets start at local midnight; they last 23, 24 or 25 hours.
//   - Week buckets start at local midnight of the week-start day.
//   - Month buckets start at local midnight of the 1st.
//
// When local midnight does not exist (a DST gap at midnight), a day starts
// at its first instant, the transition; when it occurs twice (a fall-back
// across midnight), at the first, and the instants after it that show the
// previous date belong to the new day. A date the zone skipped entirely has
// no bucket.
//
// Build one with [NewCalendar]; the zero Calendar is not usable.
type Calendar struct {
	period    Period
	loc       *time.Location
	weekStart time.Weekday
}

// WeekShift returns k such that (day number + k) is a multiple of 7
// exactly on the calendar's week-start days, day 0 being 1970-01-01 (a
// Thursday).
func (c Calendar) WeekShift() int { return (int(time.Thursday) - int(c.weekStart) + 7) % 7 }

// NewCalendar returns a Calendar of period p in loc (nil means UTC), whose
// weeks start on weekStart (pass [time.Monday] for the default week). It
// panics if p or weekStart is out of range.
func NewCalendar(p Period, loc *time.Location, weekStart time.Weekday) Calendar {
	if p < Hour || p > Month {
		panic(fmt.Sprintf("aggregate.NewCalendar: invalid period %d", p))
	}
	if weekStart < time.Sunday || weekStart > time.Saturday {
		panic(fmt.Sprintf("aggregate.NewCalendar: invalid weekday %d", weekStart))
	}
	if loc == nil {
		loc = time.UTC
	}
	return Calendar{period: p, loc: loc, weekStart: weekStart}
}

// Period returns c's period.
func (c Calendar) Period() Period { return c.period }

// Location returns c's time zone.
func (c Calendar) Location() *time.Location { return c.loc }

// WeekStart returns the first day of c's weeks.
func (c Calendar) WeekStart() time.Weekday { return c.weekStart }

// Start returns the start of the bucket containing t, in c's location.
func (c Calendar) Start(t time.Time) time.Time {
	lt := t.In(c.loc)
	if c.period == Hour {
		return hourStart(lt)
	}
	y, m, d := c.first(lt)
	// Fast path: no offset change from two days before the start to t, so
	// local midnight at t's offset is the bucket start.
	_, off := lt.Zone()
	zs, _ := lt.ZoneBounds()
	s := time.Unix(time.Date(y, m, d, 0, 0, 0, 0, time.UTC).Unix()-int64(off), 0)
	if zs.IsZero() || s.Sub(zs) > quiet {
		return s.In(c.loc)
	}
	s = firstInstant(y, m, d, c.loc)
	// Where a fall-back crosses midnight (America/St_Johns, 2000-10-29),
	// an instant may show an earlier date than a boundary already passed:
	// the bucket is the one of the latest boundary not after t.
	for range 3 {
		n := c.after(s)
		if n.After(t) {
			break
		}
		s = n
	}
	return s
}

// Next returns the start of the bucket after the one containing t, in c's
// location.
func (c Calendar) Next(t time.Time) time.Time {
	if c.period == Hour {
		return hourNext(t.In(c.loc))
	}
	return c.after(c.Start(t))
}

// first returns the local date of the first day of the (day, week or
// month) period containing the local date of lt.
func (c Calendar) first(lt time.Time) (int, time.Month, int) {
	y, m, d := lt.Date()
	switch c.period {
	case Week:
		d -= (int(lt.Weekday()) - int(c.weekStart) + 7) % 7
	case Month:
		d = 1
	}
	return y, m, d
}

// after returns the boundary after the (day, week or month) bucket
// starting at s.
func (c Calendar) after(s time.Time) time.Time {
	y, m, d := c.first(s)
	switch c.period {
	case Day:
		d++
	case Week:
		d += 7
	default:
		m++
	}
	// Fast path: no offset change from s to two days after the boundary.
	_, off := s.Zone()
	_, ze := s.ZoneBounds()
	n := time.Unix(time.Date(y, m, d, 0, 0, 0, 0, time.UTC).Unix()-int64(off), 0)
	if ze.IsZero() || ze.Sub(n) > quiet {
		return n.In(c.loc)
	}
	return firstInstant(y, m, d, c.loc)
}

// quiet is how far from an offset change local midnight must be for the
// fast paths of Calendar to apply: more than any offset change.
const quiet = 48 * time.Hour

// hourStart returns the start of the hour bucket of lt (already in its
// location): local minute 0 of the hour, or the last offset change if that
// came later.
func hourStart(lt time.Time) time.Time {
	into := time.Duration(lt.Minute())*time.Minute + time.Duration(lt.Second())*time.Second +
		time.Duration(lt.Nanosecond())
	s := lt.Add(-into)
	if zs, _ := lt.ZoneBounds(); !zs.IsZero() && s.Before(zs) {
		_, off := lt.Zone()
		if _, prev := s.Zone(); prev != off {
			return zs.In(lt.Location())
		}
	}
	return s
}

// hourNext returns the start of the hour bucket after that of lt: local
// minute 0 of the next hour, or the next offset change if that comes first.
func hourNext(lt time.Time) time.Time {
	into := time.Duration(lt.Minute())*time.Minute + time.Duration(lt.Second())*time.Second +
		time.Duration(lt.Nanosecond())
	n := lt.Add(time.Hour - into)
	if _, ze := lt.ZoneBounds(); !ze.IsZero() && ze.Before(n) {
		_, off := lt.Zone()
		if _, next := ze.In(lt.Location()).Zone(); next != off {
			return ze.In(lt.Location())
		}
	}
	return n
}

// firstInstant returns the first instant of the local date y-m-d in loc
// (the date is normalized like time.Date does). It is local midnight, or,
// when midnight falls in a DST gap, the transition ending the gap. For a
// date the zone skipped entirely (Pacific/Apia, 2011-12-30), it is the
// first instant of the next day.
func firstInstant(y int, m time.Month, d int, loc *time.Location) time.Time {
	day := time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
	if loc == time.UTC {
		return day
	}
	y, m, d = day.Date()
	u := day.Unix()
	// The offsets in effect around the date: local midnight is within
	// about ±14 hours of u.
	probe := day.In(loc)
	_, off := probe.Zone()
	offs := [3]int{off, off, off}
	zs, ze := probe.ZoneBounds()
	if !zs.IsZero() {
		_, offs[1] = zs.Add(-1).In(loc).Zone()
	}
	if !ze.IsZero() {
		_, offs[2] = ze.In(loc).Zone()
	}
	var best time.Time
	for _, o := range offs {
		c := time.Unix(u-int64(o), 0).In(loc)
		if cy, cm, cd := c.Date(); time.Date(cy, cm, cd, 0, 0, 0, 0, time.UTC).Before(day) {
			continue // an instant of an earlier day
		}
		if best.IsZero() || c.Before(best) {
			best = c
		}
	}
	if best.IsZero() { // not reached for real zones; be safe
		return time.Date(y, m, d, 0, 0, 0, 0, loc)
	}
	// In a gap, the candidate is the transition instant itself, or the first
	// instant after it: step back to the transition if the day began earlier.
	if zs, _ := best.ZoneBounds(); !zs.IsZero() && zs.Before(best) {
		if zy, zm, zd := zs.In(loc).Date(); zy == y && zm == m && zd == d {
			if py, pm, pd := zs.Add(-1).In(loc).Date(); py != y || pm != m || pd != d {
				if best.Hour() != 0 || best.Minute() != 0 || best.Second() != 0 {
					best = zs.In(loc)
				}
			}
		}
	}
	return best
}

// A Fixed is a [Bucketer] of fixed-width buckets aligned to the Unix epoch
// (a bucket group_by). The location only says how bucket starts
// print; it does not move the buckets. Build one with [NewFixed].
type Fixed struct {
	width int64 // seconds, > 0
	loc   *time.Location
}

// ErrInvalidInterval is returned (wrapped) by [NewFixed] for a width that is
// not a positive multiple of 1000 milliseconds.
var ErrInvalidInterval = errors.New("invalid bucket interval")

// maxFixedSeconds bounds a Fixed width (about 292 years) so that widths in
// nanoseconds fit an int64.
const maxFixedSeconds = (1<<63 - 1) / int64(time.Second)

// NewFixed returns a Fixed of buckets ms milliseconds wide, printed in loc
// (nil means UTC). ms must be a positive multiple of 1000 (and below about
// 292 years); otherwise the error wraps [ErrInvalidInterval].
func NewFixed(ms int64, loc *time.Location) (Fixed, error) {
	if ms <= 0 || ms%1000 != 0 || ms/1000 > maxFixedSeconds {
		return Fixed{}, fmt.Errorf("%w: %d ms (want a positive multiple of 1000)", ErrInvalidInterval, ms)
	}
	if loc == nil {
		loc = time.UTC
	}
	return Fixed{width: ms / 1000, loc: loc}, nil
}

// Width returns the bucket width.
func (f Fixed) Width() time.Duration { return time.Duration(f.width) * time.Second }

// Location returns the time zone in which starts are returned.
func (f Fixed) Location() *time.Location { return f.loc }

// Start returns the start of the bucket containing t, in f's location.
func (f Fixed) Start(t time.Time) time.Time {
	s := t.Unix()
	q := s / f.width
	if s%f.width < 0 {
		q--
	}
	return time.Unix(q*f.width, 0).In(f.loc)
}

// Next returns the start of the bucket after the one containing t, in f's
// location.
func (f Fixed) Next(t time.Time) time.Time {
	return f.Start(t).Add(time.Duration(f.width) * time.Second)
}
