package aggregate

import (
	"strconv"
	"time"

	"github.com/shopspring/decimal"

	"github.com/calldash/calldash/dialect"
)

// This file is the SQL side of bucketing (docs/sql-design.md, "Buckets in
// SQL"): a database computes an integer bucket key per row, without any
// time zone support of its own, and Go maps each key back to the bucket
// start with the same [Calendar] or [Fixed] the memory source uses.

// A Segment is a stretch of time during which a zone keeps one UTC offset.
type Segment struct {
	Start  time.Time // first instant of the segment; zero for the first segment (unbounded)
	Offset int       // seconds east of UTC
}

// maxSegments bounds the offset changes of one statement (a zone changes
// its offset about twice a year).
const maxSegments = 4096

// Segments returns the UTC-offset segments of loc that cover [from, to]:
// the first segment holds from (and everything before), the last one
// everything after its start. Consecutive segments have different offsets.
func Segments(loc *time.Location, from, to time.Time) []Segment {
	if loc == nil {
		loc = time.UTC
	}
	_, off := from.In(loc).Zone()
	segs := []Segment{{Offset: off}}
	t := from
	for len(segs) < maxSegments {
		_, end := t.In(loc).ZoneBounds()
		if !end.IsZero() && !end.After(t) {
			// Past a zone's last listed transition, time derives the
			// bounds from its rule per year, and in a leap year the end it
			// gives can lie before t (America/New_York, 2040-12-31: the
			// bounds end a day early). The period holding t a day later
			// starts where this one really ends.
			end, _ = t.Add(24 * time.Hour).In(loc).ZoneBounds()
		}
		if end.IsZero() || end.After(to) || !end.After(t) {
			break
		}
		if _, o := end.In(loc).Zone(); o != segs[len(segs)-1].Offset {
			if len(segs) == 1 {
				// A zone with daylight saving time changes twice a year:
				// size the list once instead of growing it.
				n := 2*(to.Year()-end.Year()) + 4
				segs = append(make([]Segment, 0, min(max(n, 2), maxSegments)), segs[0])
			}
			segs = append(segs, Segment{Start: end, Offset: o})
		}
		t = end
	}
	return segs
}

// A Key is a bucket key as the database computes it: the bucket number,
// and for hour buckets the UTC offset in seconds of the rows.
type Key struct {
	Bucket int64
	Offset int64
}

// KeySQL returns the integer expressions of the bucket key of the
// timestamp expression ts (one for day, week and month buckets and for
// [Fixed] buckets, two — bucket and offset — for hour buckets), with their
// arguments in order. segs are the offset segments of the query's time
// range ([Segments]); rows outside it take the offset of the nearest
// segment. pivot is where rows are expected to cluster (the query's upper
// end): see [OffsetSQL].
//
// The keys are:
//   - hour: floor((s + off) / 3600) and off, where s is the epoch seconds
//     of the row and off the CASE expression of its offset (the local hour
//     number and the offset: a repeated hour of a fall-back is two keys);
//   - day: D = floor((s + off) / 86400), the local day number;
//   - week: floor((D + k) / 7), with k from the week start;
//   - month: year*12 + month - 1 of day D;
//   - fixed width w seconds: floor(s / w).
//
// Integer constants derived in Go (offsets, widths) are written as
// literals: they cannot change the statement's shape, and a literal keeps
// its integer type where a bound parameter inside CASE would be typed as
// text (PostgreSQL). Where the offset is 0 (UTC), a dialect that is an
// [dialect.EpochDivider] divides the column directly.
func KeySQL(d dialect.Dialect, b Bucketer, ts string, segs []Segment, pivot time.Time) (exprs []string, args []any) {
	s := d.EpochSeconds(ts)
	if f, ok := b.(Fixed); ok {
		return []string{epochDiv(d, ts, s, f.width)}, nil
	}
	c := b.(Calendar)
	off, args := OffsetSQL(d, ts, segs, pivot)
	local := s
	if off != "0" {
		local = "(" + s + " + " + off + ")"
	}
	div := func(unit int64) string {
		if off == "0" {
			return epochDiv(d, ts, s, unit)
		}
		return d.FloorDiv(local, strconv.FormatInt(unit, 10))
	}
	switch c.period {
	case Hour:
		// The offset expression appears twice: its arguments twice.
		return []string{div(3600), off}, append(args, args...)
	case Day:
		return []string{div(86400)}, args
	case Week:
		k := weekShift(c.weekStart)
		return []string{d.FloorDiv("("+div(86400)+" + "+strconv.Itoa(k)+")", "7")}, args
	default:
		return []string{d.MonthIndex(div(86400))}, args
	}
}

// epochDiv returns floor(s / unit) for the epoch seconds s of the
// timestamp expression ts.
func epochDiv(d dialect.Dialect, ts, s string, unit int64) string {
	if ed, ok := d.(dialect.EpochDivider); ok {
		if expr, ok := ed.EpochFloorDiv(ts, unit); ok {
			return expr
		}
	}
	return d.FloorDiv(s, strconv.FormatInt(unit, 10))
}

// weekShift returns k such that (day number + k) is a multiple of 7 on
// every ws: 1970-01-01 (day 0) was a Thursday.
func weekShift(ws time.Weekday) int { return (int(time.Thursday) - int(ws) + 7) % 7 }

// OffsetSQL returns the expression of the UTC offset (seconds) of the
// timestamp expression ts: "0" for a single zero-offset segment, a literal
// for one segment, and otherwise a CASE that looks for the row's segment
// outwards from the segment holding pivot — the query's upper end, where
// call logs cluster:
//
//	CASE WHEN ts >= ? THEN CASE WHEN ts < ? THEN ok WHEN ts < ? THEN ok+1 ... ELSE on END
//	     WHEN ts >= ? THEN ok-1 ... WHEN ts >= ? THEN o1 ELSE o0 END
//
// with the transition instants bound (dialect.TimeArg) in the order of the
// text. A row of the segment holding pivot costs two comparisons, a row
// of an earlier segment one more per segment back. A flat CASE from the
// first segment on made every recent row of a zone with daylight saving
// time and no lower bound pass ~130 transitions since 1970 (W2 took 3× as
// long as W1 on SQLite and MariaDB).
func OffsetSQL(d dialect.Dialect, ts string, segs []Segment, pivot time.Time) (string, []any) {
	if len(segs) == 0 {
		return "0", nil
	}
	if len(segs) == 1 {
		return strconv.Itoa(segs[0].Offset), nil
	}
	k := len(segs) - 1 // the segment holding pivot
	for k > 0 && segs[k].Start.After(pivot) {
		k--
	}
	// One buffer of the final size's order, integers appended in place:
	// this is most of the compile time of a widget in such a zone.
	buf := make([]byte, 0, len(segs)*(len(ts)+28)+16)
	args := make([]any, 0, len(segs)-1)
	when := func(op string, i int) {
		buf = append(buf, " WHEN "...)
		buf = append(buf, ts...)
		buf = append(buf, op...)
		args = append(args, d.TimeArg(segs[i].Start))
	}
	offset := func(i int) { buf = strconv.AppendInt(buf, int64(segs[i].Offset), 10) }

	// Segments k and later, in time order: rows of segment k stop at the
	// first comparison.
	later := func() {
		if k == len(segs)-1 {
			offset(k)
			return
		}
		buf = append(buf, "CASE"...)
		for i := k; i < len(segs)-1; i++ {
			when(" < ? THEN ", i+1)
			offset(i)
		}
		buf = append(buf, " ELSE "...)
		offset(len(segs) - 1)
		buf = append(buf, " END"...)
	}
	if k == 0 {
		later()
		return string(buf), args
	}
	buf = append(buf, "CASE"...)
	when(" >= ? THEN ", k)
	later()
	for i := k - 1; i >= 1; i-- {
		when(" >= ? THEN ", i)
		offset(i)
	}
	buf = append(buf, " ELSE "...)
	offset(0)
	buf = append(buf, " END"...)
	return string(buf), args
}

// KeyStart returns the start of the bucket of b whose key the database
// computed by [KeySQL], in b's location.
//
// For calendar periods the key names a local hour (with its offset), day,
// week or month; KeyStart picks an instant inside it and returns
// Calendar.Start of that instant, so that every rule of [Calendar] (DST,
// days whose midnight is skipped, cut hours) holds exactly as in memory.
func KeyStart(b Bucketer, k Key) time.Time {
	if f, ok := b.(Fixed); ok {
		return time.Unix(k.Bucket*f.width, 0).In(f.loc)
	}
	c := b.(Calendar)
	switch c.period {
	case Hour:
		// The local hour k.Bucket at offset k.Offset starts at the instant
		// t; when the zone had another offset then (a transition inside the
		// hour), the rows came after the transition.
		t := time.Unix(k.Bucket*3600-k.Offset, 0).In(c.loc)
		if _, off := t.Zone(); int64(off) != k.Offset {
			if _, end := t.ZoneBounds(); !end.IsZero() && end.Sub(t) < time.Hour {
				t = end.In(c.loc)
			}
		}
		return c.Start(t)
	case Day:
		return c.Start(noon(c.loc, k.Bucket))
	case Week:
		return c.Start(noon(c.loc, k.Bucket*7-int64(weekShift(c.weekStart))))
	default:
		y, m := floorDivMod(k.Bucket, 12)
		return c.Start(time.Date(int(y), time.Month(m+1), 15, 12, 0, 0, 0, c.loc))
	}
}

// noon returns local noon of the day that lies day days after 1970-01-01.
func noon(loc *time.Location, day int64) time.Time {
	return time.Date(1970, 1, 1+int(day), 12, 0, 0, 0, loc)
}

func floorDivMod(a, b int64) (q, r int64) {
	q, r = a/b, a%b
	if r < 0 {
		q--
		r += b
	}
	return q, r
}

// A Partial is an aggregate a database computed over one bucket (and
// group), to be finished in Go by [FromPartial] exactly like an
// [Accumulator] would.
type Partial struct {
	Rows  int64           // COUNT(*): every row, nulls included (the sample_count)
	Count int64           // COUNT(v): the non-null values
	Num   decimal.Decimal // Sum and Avg: the exact sum; Min, Max: the extreme; pN: the nearest-rank value
	Time  time.Time       // Min and Max over datetimes: the extreme
	IsNum bool            // Num holds a value (Count > 0 for a numeric aggregate)
}

// FromPartial returns an Accumulator of f whose Rows, Count and Result are
// those of the values the database aggregated into p: Avg divides the sum
// by the count and rounds to avgPlaces here, as in memory; Min and Max give
// a time result when p.Time is set and p.IsNum is not. The Accumulator
// can be read but must not be merged or added to when f is a percentile.
func FromPartial(f Func, avgPlaces int32, p Partial) Accumulator {
	a := New(f, avgPlaces)
	a.rows, a.n = p.Rows, p.Count
	switch {
	case f == Count:
	case p.IsNum && p.Count > 0: // a database may sum no values to 0
		a.nn = p.Count
		switch f {
		case Sum, Avg:
			a.big, a.hasBig = p.Num, true
		case Min, Max:
			a.ext = p.Num
		default:
			a.vals = []decimal.Decimal{p.Num}
		}
	case !p.Time.IsZero() && (f == Min || f == Max):
		a.nt = p.Count
		a.tmin, a.tmax = p.Time, p.Time
	}
	return a
}
