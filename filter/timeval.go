package filter

import (
	"errors"
	"fmt"
	"math"
	"time"
)

// timeForms describes the accepted datetime values; it ends every error of
// [ResolveTime].
const timeForms = "want RFC 3339 (2025-11-03T10:30:00Z, any offset), a date (2025-11-03), " +
	"or now or today with an optional step such as now-15m, today-7d or now+1M " +
	"(units s m h d w M y; m is minutes, M months)"

// ResolveTime turns a datetime filter value into an instant and
// returns it, in env's zone, with the effective operator to compare with.
//
// The accepted forms are:
//
//   - RFC 3339 with any offset and optional fractional seconds
//     ("2025-11-03T10:30:00Z", "2025-11-03T10:30:00.5+05:30"); a date-time
//     without an offset is an error.
//   - A date "2025-11-03": the first instant of that day in env's zone, which
//     is midnight, or the instant the clocks jump to when a DST change skips
//     midnight (America/Santiago on 2025-09-07 starts at 01:00).
//   - "now", and "now+N<unit>" / "now-N<unit>" with N a decimal integer (of
//     any number of digits) and a unit s m h d w M y (m is minutes, M
//     months). s, m and h move the instant by a fixed duration; d and w move
//     the calendar date in env's zone and keep the wall clock (now-1d at
//     12:00 local is 12:00 local the day before, also across a DST change);
//     M and y are calendar steps clamped to the month end (Mar 31 − 1M =
//     Feb 28 or 29, Feb 29 + 1y = Feb 28), also keeping the wall clock. A
//     wall clock that the target day skips (a DST gap) is read with the
//     offset in force before the gap, which moves it forward by the gap's
//     length: 02:30 on 2025-03-09 in New York is 03:30 EDT (07:30Z), as
//     PostgreSQL and java.time read it. A wall clock that the target day
//     has twice (a fall-back) is its first occurrence.
//   - "today", and "today±N<unit>". With op gt, gte, eq or neq, today is the
//     first instant of the current day in env's zone. With lt or lte it is the
//     end of the day, which is "before the next midnight": ResolveTime returns
//     the first instant of the next day and the effective operator [OpLt] for
//     both lt and lte, so that lte today includes all of today and nothing of
//     tomorrow. A step in d w M y first moves today's date (as above), then
//     takes that day's start or end by the same rule (lt today-1d is "before
//     today's midnight"); a step in s m h moves the start or end instant itself
//     (lt today-2h is "before 22:00 today", effective op lt).
//
// For every form but today the effective operator is op itself. A relative
// value whose result falls outside the years 0001 to 9999 (in env's zone)
// is an error; the step count itself has no limit of digits. Errors are
// plain errors whose text says what is wrong and which forms are accepted;
// [Check] reports them as [ErrInvalidTime].
func ResolveTime(text string, op Op, env Env) (time.Time, Op, error) {
	loc := env.loc()
	switch {
	case hasWord(text, "now"):
		n, unit, err := parseStep(text, len("now"))
		if err != nil {
			return time.Time{}, 0, err
		}
		t := stepFrom(env.now().In(loc), n, unit)
		if err := checkYear(text, t); err != nil {
			return time.Time{}, 0, err
		}
		return t, op, nil
	case hasWord(text, "today"):
		n, unit, err := parseStep(text, len("today"))
		if err != nil {
			return time.Time{}, 0, err
		}
		t, op := resolveToday(env.now().In(loc), n, unit, op)
		if err := checkYear(text, t); err != nil {
			return time.Time{}, 0, err
		}
		return t, op, nil
	case isDate(text):
		d, err := time.Parse(time.DateOnly, text)
		if err != nil {
			return time.Time{}, 0, timeError(text, parseReason(err, "not a valid date"))
		}
		return dayStart(d.Year(), d.Month(), d.Day(), loc), op, nil
	}
	t, err := parseRFC3339(text)
	if err != nil {
		return time.Time{}, 0, err
	}
	return t.In(loc), op, nil
}

// parseRFC3339 reads an RFC 3339 date-time strictly: time.Parse alone also
// takes a comma before the fraction and offsets of 24 hours or more. Like
// RFC 3339 it accepts a lower-case "t" and "z".
func parseRFC3339(text string) (time.Time, error) {
	if text == "" {
		return time.Time{}, timeError(text, "empty string")
	}
	upper := []byte(text)
	if len(upper) > 10 && upper[10] == 't' {
		upper[10] = 'T'
	}
	if upper[len(upper)-1] == 'z' {
		upper[len(upper)-1] = 'Z'
	}
	norm := string(upper)
	t, err := time.Parse(time.RFC3339Nano, norm)
	if err != nil {
		reason := parseReason(err, "not an RFC 3339 date-time, a date or a relative value")
		if _, err := time.Parse("2006-01-02T15:04:05.999999999", norm); err == nil {
			reason = "missing time zone offset (add Z or an offset such as +02:00)"
		}
		return time.Time{}, timeError(text, reason)
	}
	// time.Parse has checked the digits and ranges up to the seconds;
	// check the fraction and the offset.
	rest := norm[len("2006-01-02T15:04:05"):]
	if rest != "" && rest[0] == '.' {
		i := 1
		for i < len(rest) && rest[i] >= '0' && rest[i] <= '9' {
			i++
		}
		rest = rest[i:]
	}
	if rest != "Z" && (len(rest) != 6 || rest[1] > '2' || rest[1] == '2' && rest[2] > '3' || rest[4] > '5') {
		return time.Time{}, timeError(text, "invalid fraction or offset (want .fraction and Z or ±hh:mm)")
	}
	return t, nil
}

func timeError(text, reason string) error {
	return fmt.Errorf("invalid datetime %s: %s; %s", quoteShort(text), reason, timeForms)
}

// parseReason returns the message of a *time.ParseError ("month out of
// range"), or def.
func parseReason(err error, def string) string {
	var pe *time.ParseError
	if errors.As(err, &pe) && pe.Message != "" {
		return pe.Message[min(2, len(pe.Message)):] // the message starts with ": "
	}
	return def
}

// hasWord reports whether text is word or word followed by a sign.
func hasWord(text, word string) bool {
	if len(text) < len(word) || text[:len(word)] != word {
		return false
	}
	return len(text) == len(word) || text[len(word)] == '+' || text[len(word)] == '-' ||
		text[len(word)] < 'a' || text[len(word)] > 'z' // "now 1d", "now1d": a malformed step, not another word
}

// checkTimeForm checks the form of a datetime value without a clock: what
// [ResolveTime] refuses at every "now", which includes a step so long that
// it leaves the years 0001 to 9999 from any instant of them.
func checkTimeForm(text string) error {
	switch {
	case hasWord(text, "now"):
		_, _, err := parseStep(text, len("now"))
		return err
	case hasWord(text, "today"):
		_, _, err := parseStep(text, len("today"))
		return err
	}
	_, _, err := ResolveTime(text, OpGte, Env{Now: time.Unix(0, 0)}) // absolute: the clock does not matter
	return err
}

// stepLimit returns, per unit, a count of steps longer than the years
// 0001 to 9999 (10,000 years of 366 days): no instant of those years is
// that many steps from another. Counts are read up to a bound above every
// limit, so that no step overflows.
func stepLimit(unit byte) int64 {
	const days = 10_000 * 366
	switch unit {
	case 's':
		return days * 86400
	case 'm':
		return days * 1440
	case 'h':
		return days * 24
	case 'd':
		return days
	case 'w':
		return days / 7
	case 'M':
		return 10_000 * 12
	}
	return 10_000 // y
}

// maxCount is where parseStep stops counting: above every stepLimit.
const maxCount = 1 << 40

// parseStep reads the optional "±N<unit>" after the word that ends at i; it
// returns n = 0, unit = 0 when there is none. N may have any number of
// digits; a count beyond [stepLimit] is an error, as its result would lie
// outside the years 0001 to 9999 whatever the clock says.
func parseStep(text string, i int) (n int64, unit byte, err error) {
	if i == len(text) {
		return 0, 0, nil
	}
	word := text[:i]
	sign := text[i]
	if sign != '+' && sign != '-' {
		return 0, 0, timeError(text, fmt.Sprintf("want + or - after %q; got %s", word, quoteShort(text[i:])))
	}
	i++
	start := i
	for i < len(text) && text[i] >= '0' && text[i] <= '9' {
		i++
	}
	digits := text[start:i]
	if digits == "" {
		return 0, 0, timeError(text, fmt.Sprintf("missing number after %q", word+string(sign)))
	}
	for _, c := range digits {
		if n = n*10 + int64(c-'0'); n > maxCount {
			n = maxCount
		}
	}
	rest := text[i:]
	switch {
	case rest == "":
		return 0, 0, timeError(text, fmt.Sprintf("missing unit after %q", text))
	case len(rest) != 1 || !isUnit(rest[0]):
		return 0, 0, timeError(text, fmt.Sprintf("unknown unit %s", quoteShort(rest)))
	case n > stepLimit(rest[0]):
		return 0, 0, timeError(text, yearsReason)
	}
	if sign == '-' {
		n = -n
	}
	return n, rest[0], nil
}

func isUnit(c byte) bool {
	switch c {
	case 's', 'm', 'h', 'd', 'w', 'M', 'y':
		return true
	}
	return false
}

// isDate reports whether text has the shape YYYY-MM-DD.
func isDate(text string) bool {
	if len(text) != 10 || text[4] != '-' || text[7] != '-' {
		return false
	}
	for i, c := range []byte(text) {
		if i != 4 && i != 7 && (c < '0' || c > '9') {
			return false
		}
	}
	return true
}

const yearsReason = "the result is outside the years 0001 to 9999"

// checkYear rejects results outside the years 0001 to 9999 (of t's zone).
func checkYear(text string, t time.Time) error {
	if y := t.Year(); y < 1 || y > 9999 {
		return timeError(text, yearsReason)
	}
	return nil
}

// stepFrom moves t (in its zone) by n units; unit 0 is no step. n is
// within [stepLimit], so no step overflows.
func stepFrom(t time.Time, n int64, unit byte) time.Time {
	switch unit {
	case 's':
		return time.Unix(t.Unix()+n, int64(t.Nanosecond())).In(t.Location())
	case 'm':
		return time.Unix(t.Unix()+n*60, int64(t.Nanosecond())).In(t.Location())
	case 'h':
		return time.Unix(t.Unix()+n*3600, int64(t.Nanosecond())).In(t.Location())
	case 'd', 'w', 'M', 'y':
		y, m, d := stepDate(t.Year(), t.Month(), t.Day(), n, unit)
		return wallTime(y, m, d, t.Hour(), t.Minute(), t.Second(), t.Nanosecond(), t.Location())
	}
	return t
}

// stepDate moves a calendar date by n days (d), weeks (w), months (M) or
// years (y), clamping the day to the end of the target month for M and y.
func stepDate(y int, m time.Month, d int, n int64, unit byte) (int, time.Month, int) {
	switch unit {
	case 'd', 'w':
		if unit == 'w' {
			n *= 7
		}
		t := time.Date(y, m, d+int(n), 0, 0, 0, 0, time.UTC)
		return t.Year(), t.Month(), t.Day()
	case 'M', 'y':
		if unit == 'y' {
			n *= 12
		}
		months := y*12 + int(m-1) + int(n)
		ty, tm := months/12, time.Month(months%12+1)
		if months%12 < 0 { // negative years
			ty, tm = ty-1, tm+12
		}
		return ty, tm, min(d, daysIn(ty, tm))
	}
	return y, m, d
}

func daysIn(y int, m time.Month) int {
	return time.Date(y, m+1, 0, 0, 0, 0, 0, time.UTC).Day()
}

// resolveToday resolves today±N<unit> at the instant now (in the zone of
// the evaluation) for op; see [ResolveTime].
func resolveToday(now time.Time, n int64, unit byte, op Op) (time.Time, Op) {
	loc := now.Location()
	y, m, d := now.Date()
	if unit == 'd' || unit == 'w' || unit == 'M' || unit == 'y' {
		y, m, d = stepDate(y, m, d, n, unit)
	}
	end := op == OpLt || op == OpLte
	if end {
		next := time.Date(y, m, d+1, 0, 0, 0, 0, time.UTC)
		y, m, d = next.Date()
		op = OpLt
	}
	t := dayStart(y, m, d, loc)
	if unit == 's' || unit == 'm' || unit == 'h' {
		t = stepFrom(t, n, unit)
	}
	return t, op
}

// dayStart returns the first instant of the date y-m-d in loc: its midnight,
// the earlier one when midnight happens twice, or the end of the DST gap
// when midnight is skipped.
func dayStart(y int, m time.Month, d int, loc *time.Location) time.Time {
	t0 := time.Date(y, m, d, 0, 0, 0, 0, loc)
	wall := time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
	// Midnight under each offset in effect around the day; keep the
	// earliest that really is local midnight.
	var best time.Time
	for _, probe := range []time.Time{t0.Add(-24 * time.Hour), t0, t0.Add(24 * time.Hour)} {
		_, off := probe.Zone()
		x := wall.Add(-time.Duration(off) * time.Second).In(loc)
		if h, mi, s := x.Clock(); h == 0 && mi == 0 && s == 0 && x.Nanosecond() == 0 && sameDate(x, y, m, d) {
			if best.IsZero() || x.Before(best) {
				best = x
			}
		}
	}
	if !best.IsZero() {
		return best
	}
	// Midnight does not exist: the day starts at the transition that
	// skipped it.
	start, end := t0.ZoneBounds()
	for _, tr := range []time.Time{start, end} {
		if !tr.IsZero() && sameDate(tr.In(loc), y, m, d) && !sameDate(tr.Add(-time.Nanosecond).In(loc), y, m, d) {
			return tr.In(loc)
		}
	}
	return t0
}

func sameDate(t time.Time, y int, m time.Month, d int) bool {
	ty, tm, td := t.Date()
	return ty == y && tm == m && td == d
}

// wallTime returns the instant that shows the wall clock y-m-d h:mi:s.ns
// in loc, by the rule of PostgreSQL and java.time: a wall clock that loc
// skips (a DST gap) is read with the offset in force before the gap, which
// moves it forward by the gap's length (02:30 on 2025-03-09 in New York is
// 03:30 EDT); a wall clock that loc shows twice (a fall-back) is its first
// occurrence (01:30 on 2025-11-02 in New York is 01:30 EDT). The date is
// normalized as [time.Date] does. [time.Date] itself leaves both cases
// unspecified (it reads 02:30 on 2025-03-09 as 01:30 EST).
func wallTime(y int, m time.Month, d, h, mi, s, ns int, loc *time.Location) time.Time {
	t := time.Date(y, m, d, h, mi, s, ns, loc)
	// Far from an offset change (more than any offset change away), the
	// wall clock exists once.
	const far = 30 * time.Hour
	if start, end := t.ZoneBounds(); (start.IsZero() || t.Sub(start) > far) && (end.IsZero() || end.Sub(t) > far) {
		return t
	}
	wall := time.Date(y, m, d, h, mi, s, ns, time.UTC).Unix() // the wall clock's seconds as if UTC
	nsec := int64(t.Nanosecond())
	// The zone's offsets over the ±30 hours around the wall clock, in
	// time order: every instant that can show it lies in one of them.
	type period struct {
		start, end int64 // [start, end) in Unix seconds
		off        int64
	}
	var periods []period
	at := time.Unix(wall-int64(far/time.Second), 0).In(loc)
	for len(periods) < 8 {
		_, off := at.Zone()
		start, end := at.ZoneBounds()
		p := period{start: math.MinInt64, end: math.MaxInt64, off: int64(off)}
		if !start.IsZero() {
			p.start = start.Unix()
		}
		if !end.IsZero() {
			p.end = end.Unix()
		}
		periods = append(periods, p)
		if end.IsZero() || end.Unix() > wall+int64(far/time.Second) {
			break
		}
		at = end.In(loc)
	}
	for _, p := range periods { // the first occurrence
		if u := wall - p.off; u >= p.start && u < p.end {
			return time.Unix(u, nsec).In(loc)
		}
	}
	for i := 1; i < len(periods); i++ { // a gap: the offset before it
		before, after := periods[i-1], periods[i]
		if u := wall - before.off; u >= after.start && wall-after.off < after.start {
			return time.Unix(u, nsec).In(loc)
		}
	}
	return t // not reached for real zones
}
