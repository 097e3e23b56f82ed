package aggregate

import (
	"fmt"
	"math"
	"time"

	"github.com/calldash/calldash"
)

// A Range is a span of time. Each end is inclusive (a gte/lte bound) unless
// marked exclusive (a gt/lt bound).
type Range struct {
	Lo          time.Time // first instant of the range (or just before it, if LoExclusive)
	Hi          time.Time // last instant of the range (or just after it, if HiExclusive)
	LoExclusive bool      // the range starts after Lo (gt)
	HiExclusive bool      // the range ends before Hi (lt)
}

// maxWidth is an upper bound of the width of a Calendar bucket, used to
// estimate a lower bound of a bucket count without enumerating.
func maxWidth(p Period) time.Duration {
	switch p {
	case Hour:
		return 2 * time.Hour
	case Day:
		return 26 * time.Hour
	case Week:
		return 7*24*time.Hour + 2*time.Hour
	default:
		return 31*24*time.Hour + 2*time.Hour
	}
}

// Enumerate returns every bucket of b that overlaps r (that holds at least
// one instant of r), in time order. An empty range (Lo after Hi, or equal
// with an exclusive end) has no buckets.
//
// When more than max buckets overlap r, Enumerate returns an error wrapping
// [calldash.ErrTooManyBuckets] instead of a truncated list; it notices before doing
// work proportional to the range (it estimates the count first, and
// otherwise stops at bucket max+1). max <= 0 means no limit.
func Enumerate(b Bucketer, r Range, max int) (*Boundaries, error) {
	lo, hi := r.Lo, r.Hi
	if r.LoExclusive {
		lo = lo.Add(time.Nanosecond)
	}
	if r.HiExclusive {
		hi = hi.Add(-time.Nanosecond)
	}
	if lo.After(hi) {
		return &Boundaries{}, nil
	}
	tooMany := func() error {
		return fmt.Errorf("%w: the time range spans more than %d buckets (the limit)", calldash.ErrTooManyBuckets, max)
	}
	first := b.Start(lo)
	if max > 0 {
		// A quick lower bound of the count, so that a range of centuries
		// fails at once.
		switch b := b.(type) {
		case Calendar:
			if est := int64(hi.Sub(first) / maxWidth(b.period)); est > int64(max) {
				return nil, tooMany()
			}
		case Fixed:
			if n := (b.Start(hi).Unix()-first.Unix())/b.width + 1; n > int64(max) {
				return nil, tooMany()
			}
		}
	}
	var starts []time.Time
	for s := first; !s.After(hi); {
		if max > 0 && len(starts) == max {
			return nil, tooMany()
		}
		starts = append(starts, s)
		n := b.Next(s)
		if !n.After(s) {
			panic(fmt.Sprintf("aggregate.Enumerate: Bucketer %T does not advance at %v", b, s))
		}
		s = n
	}
	return newBoundaries(starts, b.Next(starts[len(starts)-1])), nil
}

// Boundaries are consecutive buckets, precomputed for a range by
// [Enumerate], so that a record's bucket is found by a binary search over
// Unix nanoseconds ([Boundaries.Index]): no time zone work per record.
// The zero Boundaries has no buckets.
type Boundaries struct {
	starts []time.Time // bucket starts, in the Bucketer's location
	nanos  []int64     // len(starts)+1 Unix nanoseconds: each start, then the end of the last bucket
}

func newBoundaries(starts []time.Time, end time.Time) *Boundaries {
	nanos := make([]int64, len(starts)+1)
	for i, s := range starts {
		nanos[i] = UnixNano(s)
	}
	nanos[len(starts)] = UnixNano(end)
	return &Boundaries{starts: starts, nanos: nanos}
}

// Len returns the number of buckets.
func (b *Boundaries) Len() int { return len(b.starts) }

// Starts returns the bucket starts in time order, each in the Bucketer's
// location. The caller must not modify the slice.
func (b *Boundaries) Starts() []time.Time { return b.starts }

// Start returns the start of bucket i.
func (b *Boundaries) Start(i int) time.Time { return b.starts[i] }

// End returns the end of the last bucket (the zero Time if there are no
// buckets).
func (b *Boundaries) End() time.Time {
	if len(b.starts) == 0 {
		return time.Time{}
	}
	return time.Unix(0, b.nanos[len(b.starts)]).In(b.starts[0].Location())
}

// Index returns the index of the bucket holding the instant unixNano (as
// from [UnixNano] or time.Time.UnixNano), or -1 if it is before the first
// bucket or at or after the end of the last.
func (b *Boundaries) Index(unixNano int64) int {
	n := b.nanos
	if len(n) < 2 || unixNano < n[0] || unixNano >= n[len(n)-1] {
		return -1
	}
	// Invariant: n[lo] <= unixNano < n[hi].
	lo, hi := 0, len(n)-1
	for hi-lo > 1 {
		mid := int(uint(lo+hi) >> 1)
		if n[mid] <= unixNano {
			lo = mid
		} else {
			hi = mid
		}
	}
	return lo
}

// UnixNano returns t as Unix nanoseconds, saturated to the int64 range for
// times before 1678 or after 2262 (where time.Time.UnixNano is undefined).
func UnixNano(t time.Time) int64 {
	const maxSec = math.MaxInt64 / int64(time.Second)
	switch s := t.Unix(); {
	case s > maxSec-1:
		return math.MaxInt64
	case s < -maxSec+1:
		return math.MinInt64
	}
	return t.UnixNano()
}

// A Locator finds the bucket start of instants one after another without a
// precomputed range: it remembers the last bucket, so that consecutive
// instants in the same bucket cost one comparison (records sorted by time
// are the fast case). A Locator is not safe for concurrent use.
type Locator struct {
	b      Bucketer
	lo, hi int64 // Unix microseconds of the remembered bucket [lo, hi); lo > hi when none
	start  time.Time
}

// NewLocator returns a Locator over b's buckets.
func NewLocator(b Bucketer) *Locator { return &Locator{b: b, lo: 1, hi: 0} }

// Start returns the start of the bucket containing t, like b.Start(t).
//
// Instants are compared as Unix microseconds, exact in every year (Unix
// nanoseconds saturate before 1678): bucket starts are whole
// milliseconds, so the microsecond below t lies in t's bucket.
func (l *Locator) Start(t time.Time) time.Time {
	us := t.UnixMicro()
	if us >= l.lo && us < l.hi {
		return l.start
	}
	l.start = l.b.Start(t)
	l.lo, l.hi = l.start.UnixMicro(), l.b.Next(l.start).UnixMicro()
	return l.start
}
