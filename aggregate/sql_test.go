package aggregate

import (
	"math/rand/v2"
	"testing"
	"time"
	_ "time/tzdata"

	"github.com/shopspring/decimal"
)

// simulateKey computes in Go what KeySQL asks the database for.
func simulateKey(b Bucketer, segs []Segment, t time.Time) Key {
	s := t.Unix() // floor seconds, also for instants before 1970
	if f, ok := b.(Fixed); ok {
		q, _ := floorDivMod(s, f.width)
		return Key{Bucket: q}
	}
	off := int64(segs[0].Offset)
	for _, sg := range segs[1:] {
		if !t.Before(sg.Start) {
			off = int64(sg.Offset)
		}
	}
	c := b.(Calendar)
	local := s + off
	switch c.period {
	case Hour:
		q, _ := floorDivMod(local, 3600)
		return Key{Bucket: q, Offset: off}
	case Day:
		q, _ := floorDivMod(local, 86400)
		return Key{Bucket: q}
	case Week:
		d, _ := floorDivMod(local, 86400)
		q, _ := floorDivMod(d+int64(c.WeekShift()), 7)
		return Key{Bucket: q}
	default:
		d, _ := floorDivMod(local, 86400)
		y, m, _ := time.Unix(d*86400, 0).UTC().Date()
		return Key{Bucket: int64(y)*12 + int64(m) - 1}
	}
}

// TestKeyStartMatchesCalendar: the key a database computes maps back to
// the bucket start memory computes, across DST and odd zones.
func TestKeyStartMatchesCalendar(t *testing.T) {
	zones := []string{"UTC", "America/New_York", "Asia/Kolkata", "Asia/Kathmandu", "Australia/Lord_Howe",
		"Europe/London", "America/Sao_Paulo", "Pacific/Chatham"}
	from := time.Date(2016, 1, 1, 0, 0, 0, 0, time.UTC)
	to := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	r := rand.New(rand.NewPCG(1, 2))
	for _, z := range zones {
		loc, err := time.LoadLocation(z)
		if err != nil {
			t.Fatal(err)
		}
		segs := Segments(loc, from, to)
		var buckets []Bucketer
		for _, p := range []Period{Hour, Day, Week, Month} {
			buckets = append(buckets, NewCalendar(p, loc, time.Monday), NewCalendar(p, loc, time.Sunday))
		}
		f, _ := NewFixed(5400_000, loc)
		buckets = append(buckets, f)
		for _, b := range buckets {
			// Random instants, and instants around every transition.
			var ts []time.Time
			for range 3000 {
				ts = append(ts, from.Add(time.Duration(r.Int64N(int64(to.Sub(from))))))
			}
			for _, sg := range segs[1:] {
				for _, d := range []time.Duration{-time.Hour - time.Second, -time.Second, 0, time.Second, 30 * time.Minute, time.Hour, 90 * time.Minute} {
					ts = append(ts, sg.Start.Add(d))
				}
			}
			for _, at := range ts {
				want := b.Start(at)
				got := KeyStart(b, simulateKey(b, segs, at))
				if !got.Equal(want) || got.Location() != want.Location() {
					t.Fatalf("%s %T %v: at %v key %+v: got %v, want %v", z, b, b, at.In(loc), simulateKey(b, segs, at), got, want)
				}
			}
		}
	}
}

func TestSegments(t *testing.T) {
	ny, _ := time.LoadLocation("America/New_York")
	segs := Segments(ny, time.Date(2025, 10, 1, 0, 0, 0, 0, time.UTC), time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC))
	want := []Segment{
		{Offset: -4 * 3600},
		{Start: time.Date(2025, 11, 2, 6, 0, 0, 0, time.UTC), Offset: -5 * 3600},
		{Start: time.Date(2026, 3, 8, 7, 0, 0, 0, time.UTC), Offset: -4 * 3600},
	}
	if len(segs) != len(want) {
		t.Fatalf("got %v", segs)
	}
	for i := range want {
		if !segs[i].Start.Equal(want[i].Start) || segs[i].Offset != want[i].Offset {
			t.Errorf("segment %d: got %v, want %v", i, segs[i], want[i])
		}
	}
	if s := Segments(time.UTC, time.Unix(0, 0), time.Now()); len(s) != 1 || s[0].Offset != 0 {
		t.Errorf("UTC: %v", s)
	}
}

func result(a Accumulator) Result { return a.Result() }

func TestFromPartial(t *testing.T) {
	a := FromPartial(Avg, 4, Partial{Rows: 4, Count: 3, Num: decimal2("10"), IsNum: true})
	if got := a.Result().String(); got != "3.3333" || a.Rows() != 4 || a.Count() != 3 {
		t.Errorf("avg: %s rows %d count %d", got, a.Rows(), a.Count())
	}
	if got := result(FromPartial(Avg, 4, Partial{Rows: 2})).String(); got != "null" {
		t.Errorf("avg of nulls: %s", got)
	}
	if got := result(FromPartial(Count, 4, Partial{Rows: 2, Count: 1})).String(); got != "1" {
		t.Errorf("count: %s", got)
	}
	at := time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC)
	if got := result(FromPartial(Max, 4, Partial{Rows: 1, Count: 1, Time: at})); got.Kind != TimeResult || !got.Time.Equal(at) {
		t.Errorf("max time: %v", got)
	}
	if got := result(FromPartial(P95, 4, Partial{Rows: 9, Count: 9, Num: decimal2("7.50"), IsNum: true})).String(); got != "7.5" {
		t.Errorf("p95: %s", got)
	}
}

func decimal2(s string) decimal.Decimal { return decimal.RequireFromString(s) }
