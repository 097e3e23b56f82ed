package sqlgen

import (
	"strconv"
	"strings"
	"time"

	"github.com/calldash/calldash/aggregate"
	"github.com/calldash/calldash/dialect"
)

// Bucket keys in SQL: the database computes an integer key per row
// (aggregate.Key) with integer arithmetic on the stored instant and an
// offset expression built from the zone's UTC-offset segments over the
// query's range (aggregate.Segments); Go maps the keys back to bucket
// starts (aggregate.KeyStart).

// keySQL returns the integer expressions of the bucket key of the
// timestamp expression ts (one for day, week and month buckets and for
// [Fixed] buckets, two — bucket and offset — for hour buckets), with their
// arguments in order. segs are the offset segments of the query's time
// range (aggregate.Segments); rows outside it take the offset of the nearest
// segment. pivot is where rows are expected to cluster (the query's upper
// end): see offsetSQL.
//
// The keys are those of aggregate.Key, off being the CASE expression of
// the row's offset.
//
// Integer constants derived in Go (offsets, widths) are written as
// literals: they cannot change the statement's shape, and a literal keeps
// its integer type where a bound parameter inside CASE would be typed as
// text (PostgreSQL). Where the offset is 0 (UTC), a dialect that is an
// [dialect.EpochDivider] divides the column directly.
//
// A [dialect.ArrayIndexer] gets the offset from offsetTable instead: a
// few array elements per row, and no arguments.
func keySQL(d dialect.Dialect, b aggregate.Bucketer, ts string, segs []aggregate.Segment, pivot time.Time) (exprs []string, args []any) {
	s := d.EpochSeconds(ts)
	if f, ok := b.(aggregate.Fixed); ok {
		return []string{epochDiv(d, ts, s, int64(f.Width()/time.Second))}, nil
	}
	c := b.(aggregate.Calendar)
	var off string
	if ai, ok := d.(dialect.ArrayIndexer); ok && len(segs) > 1 {
		off = offsetTable(ai, s, segs)
	} else {
		off, args = offsetSQL(d, ts, segs, pivot)
	}
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
	switch c.Period() {
	case aggregate.Hour:
		// The offset expression appears twice: its arguments twice.
		return []string{div(3600), off}, append(args, args...)
	case aggregate.Day:
		return []string{div(86400)}, args
	case aggregate.Week:
		k := c.WeekShift()
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

// offsetSQL returns the expression of the UTC offset (seconds) of the
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
// first segment on would make every recent row of a zone with daylight
// saving time and no lower bound pass ~130 transitions since 1970.
func offsetSQL(d dialect.Dialect, ts string, segs []aggregate.Segment, pivot time.Time) (string, []any) {
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

// maxWindows bounds the windows of offsetTable (each is an element of
// 1 + 2k literal arrays; ClickHouse parses statements of at most
// 256 KiB by default, and an hour key writes the offset twice).
const maxWindows = 1024

// offsetTable returns the expression of the UTC offset (seconds) of the
// row whose epoch seconds are the expression s (binding no argument), for
// the segments segs (at least two), with a dialect that indexes literal
// arrays in constant time. The span from the first to the last transition
// is cut into M windows of W seconds, W the shortest gap between two
// transitions (so that a window holds at most one) unless that makes more
// than maxWindows windows; a row reads its window
//
//	w = (clamp(s, t1, tn) - t1) / W
//
// and its offset is the offset before the window, base[w], plus the change
// at each of the window's k transitions it has reached:
//
//	base[w] + if(s >= at1[w], by1[w], 0) + … + if(s >= atk[w], byk[w], 0)
//
// A row before the first transition reads window 0 and reaches none of
// its transitions (offset o0); a row after the last reads the last window
// and reaches all of them (offset on). The statement is exact for every
// row, whatever its distance from the query's range, like the CASE of
// offsetSQL; transitions are whole seconds, so s >= t (s the floor of the
// instant's seconds) is the instant's own comparison.
func offsetTable(d dialect.ArrayIndexer, s string, segs []aggregate.Segment) string {
	first, last := segs[1].Start.Unix(), segs[len(segs)-1].Start.Unix()
	span := last - first + 1
	gap := span
	for i := 2; i < len(segs); i++ {
		gap = min(gap, segs[i].Start.Unix()-segs[i-1].Start.Unix())
	}
	w := max(gap, (span+maxWindows-1)/maxWindows, 1)
	m := int((last-first)/w + 1)
	base := make([]int64, m)
	// Transitions per window, in order.
	type change struct{ at, by int64 }
	per := make([][]change, m)
	k := 0
	for i := 1; i < len(segs); i++ {
		t := segs[i].Start.Unix()
		j := int((t - first) / w)
		per[j] = append(per[j], change{t, int64(segs[i].Offset - segs[i-1].Offset)})
		k = max(k, len(per[j]))
	}
	off := int64(segs[0].Offset)
	for j := range m {
		base[j] = off
		for _, c := range per[j] {
			off += c.by
		}
	}
	idx := d.Clamp(s, first, last)
	idx = "intDiv(" + idx + " - " + strconv.FormatInt(first, 10) + ", " + strconv.FormatInt(w, 10) + ")"
	var b strings.Builder
	b.WriteString("(" + d.IntAt(base, idx))
	for n := range k {
		at, by := make([]int64, m), make([]int64, m)
		for j, cs := range per {
			if n < len(cs) {
				at[j], by[j] = cs[n].at, cs[n].by
			}
		}
		b.WriteString(" + if(" + s + " >= " + d.IntAt(at, idx) + ", " + d.IntAt(by, idx) + ", 0)")
	}
	b.WriteString(")")
	return b.String()
}
