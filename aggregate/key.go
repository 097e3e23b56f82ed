package aggregate

import (
	"time"

	"github.com/shopspring/decimal"
)

// This file is the Go side of bucketing in a database: the database
// computes an integer bucket key per row ([Key]) from UTC-offset segments
// computed here ([Segments]), without any time zone support of its own,
// and [KeyStart] maps each key back to the bucket start with the same
// [Calendar] or [Fixed] the memory source uses. Package sqlgen writes the
// key expressions.

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

// A Key is a bucket key as a database computes it per row, s being the
// row's epoch seconds and off its UTC offset:
//   - hour: floor((s + off) / 3600) and off (the local hour number and the
//     offset: a repeated hour of a fall-back is two keys);
//   - day: D = floor((s + off) / 86400), the local day number;
//   - week: floor((D + k) / 7), with k = [Calendar.WeekShift];
//   - month: year*12 + month - 1 of day D;
//   - fixed width w seconds: floor(s / w).
type Key struct {
	Bucket int64
	Offset int64
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
		return c.Start(noon(c.loc, k.Bucket*7-int64(c.WeekShift())))
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
