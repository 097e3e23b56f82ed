package sqlgen

import (
	"math/rand/v2"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/calldash/calldash/dialect"

	"github.com/calldash/calldash/aggregate"
)

// An offsetExpr is a parsed OffsetSQL expression: a literal offset, or a
// CASE of comparisons of ts with bound instants.
type offsetExpr struct {
	lit   int64
	whens []offsetWhen
	els   *offsetExpr
}

type offsetWhen struct {
	less bool  // ts < arg; else ts >= arg
	arg  int64 // Unix nanoseconds (SQLite's TimeArg)
	then *offsetExpr
}

// parseOffset parses what OffsetSQL wrote for the timestamp expression
// "ts" with SQLite's arguments, taking the arguments in text order.
func parseOffset(t *testing.T, expr string, args []any) *offsetExpr {
	t.Helper()
	toks := strings.Fields(expr)
	next := 0
	var parse func() *offsetExpr
	take := func(want string) {
		if next >= len(toks) || toks[next] != want {
			t.Fatalf("token %d of %q: want %q", next, expr, want)
		}
		next++
	}
	parse = func() *offsetExpr {
		if next < len(toks) && toks[next] != "CASE" {
			n, err := strconv.ParseInt(toks[next], 10, 64)
			if err != nil {
				t.Fatalf("token %d of %q: %v", next, expr, err)
			}
			next++
			return &offsetExpr{lit: n}
		}
		take("CASE")
		e := &offsetExpr{}
		for next < len(toks) && toks[next] == "WHEN" {
			next++
			take("ts")
			if next >= len(toks) || (toks[next] != "<" && toks[next] != ">=") {
				t.Fatalf("token %d of %q: want a comparison", next, expr)
			}
			w := offsetWhen{less: toks[next] == "<"}
			next++
			take("?")
			if len(args) == 0 {
				t.Fatalf("%q: more placeholders than arguments", expr)
			}
			w.arg, args = args[0].(int64), args[1:]
			take("THEN")
			w.then = parse()
			e.whens = append(e.whens, w)
		}
		take("ELSE")
		e.els = parse()
		take("END")
		return e
	}
	e := parse()
	if next != len(toks) || len(args) != 0 {
		t.Fatalf("%q: %d tokens and %d arguments left over", expr, len(toks)-next, len(args))
	}
	return e
}

// eval returns the offset of the instant ns and the comparisons it took.
func (e *offsetExpr) eval(ns int64) (off int64, comparisons int) {
	if e.whens == nil && e.els == nil {
		return e.lit, 0
	}
	for _, w := range e.whens {
		comparisons++
		if (ns < w.arg) == w.less {
			o, c := w.then.eval(ns)
			return o, comparisons + c
		}
	}
	o, c := e.els.eval(ns)
	return o, comparisons + c
}

// TestOffsetSQL evaluates the offset expression at random instants and at
// every transition, for random ranges and pivots: it gives the offset of
// the instant's segment (the edge segment's outside the range), and rows
// of the pivot's segment cost at most two comparisons.
func TestOffsetSQL(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 8))
	for _, z := range []string{"UTC", "America/New_York", "Australia/Lord_Howe", "Pacific/Chatham", "America/Sao_Paulo", "Asia/Kolkata", "Europe/Dublin"} {
		loc, err := time.LoadLocation(z)
		if err != nil {
			t.Fatal(err)
		}
		for range 40 {
			pivot := time.Unix(r.Int64N(115*365*86400)+5*365*86400, 0) // 1975..2090
			from := time.Unix(0, 0)
			if r.IntN(2) == 0 {
				from = pivot.Add(-time.Duration(r.Int64N(400*86400)) * time.Second)
			}
			segs := aggregate.Segments(loc, from, pivot.AddDate(10, 0, 0))
			text, args := offsetSQL(dialect.SQLite, "ts", segs, pivot)
			if len(segs) == 1 {
				if text != strconv.Itoa(segs[0].Offset) || args != nil {
					t.Fatalf("%s: one segment: got %q %v", z, text, args)
				}
				continue
			}
			e := parseOffset(t, text, args)
			want := func(at time.Time) int64 { // the segment holding at
				off := segs[0].Offset
				for _, sg := range segs[1:] {
					if !at.Before(sg.Start) {
						off = sg.Offset
					}
				}
				return int64(off)
			}
			instants := []time.Time{pivot, from.AddDate(-1, 0, 0), pivot.AddDate(12, 0, 0)}
			for _, sg := range segs[1:] {
				instants = append(instants, sg.Start, sg.Start.Add(-time.Nanosecond))
			}
			for range 200 {
				span := pivot.AddDate(11, 0, 0).Sub(from)
				instants = append(instants, from.Add(time.Duration(r.Int64N(int64(span)))))
			}
			for _, at := range instants {
				got, _ := e.eval(at.UnixNano())
				if got != want(at) {
					t.Fatalf("%s pivot %v: at %v: got offset %d, want %d\n%s", z, pivot, at, got, want(at), text)
				}
				if _, o := at.In(loc).Zone(); !at.Before(from) && !at.After(pivot.AddDate(10, 0, 0)) && int64(o) != got {
					t.Fatalf("%s pivot %v: at %v: got offset %d, the zone has %d; last segments %v", z, pivot, at, got, o, segs[max(0, len(segs)-3):])
				}
			}
			if _, n := e.eval(pivot.UnixNano()); n > 2 {
				t.Errorf("%s pivot %v: the pivot's row took %d comparisons, want at most 2", z, pivot, n)
			}
		}
	}
}
