package table

import "math"

// This file keeps what a Builder's snapshots know of a column of int64
// values (zones, range, order) for the blocks it has already read: the
// values of a full block never change once added, so a snapshot after
// an append reads only the rows added since the one before, not the
// whole column.

// A numSummary summarizes the first done rows of an append-only column
// of int64 values, done a multiple of blockSize.
type numSummary struct {
	done   int
	zones  []zone // of the blocks of the first done rows
	first  bool   // some row was read (min, max and last hold)
	min    int64  // smallest value, sentinels included
	max    int64  // largest value, sentinels included
	last   int64  // value of row done-1
	sorted bool   // the first done rows are in ascending order
	hasBig bool   // some value is bigNum
	maxAbs int64  // largest |value| other than the sentinels
}

// A numStats is what a numSummary gives of a whole column.
type numStats struct {
	zones    []zone
	min, max int64 // 0 when there is no row
	sorted   bool
	hasBig   bool
	maxAbs   int64
}

// reset forgets every row read: the values of the column changed.
func (s *numSummary) reset() { *s = numSummary{} }

// stats returns the summary of vals, whose first s.done rows are those
// s read before; it keeps what the full blocks of vals add.
func (s *numSummary) stats(vals []int64) numStats {
	if s.done == 0 {
		s.sorted = true
	}
	full := len(vals) / blockSize * blockSize
	for s.done < full {
		s.read(vals[s.done : s.done+blockSize])
		s.zones = append(s.zones, zoneOf(vals[s.done:s.done+blockSize]))
		s.done += blockSize
	}
	zs := make([]zone, blocks(len(vals)))
	copy(zs, s.zones)
	tail := *s // the partial block, read into a copy
	if full < len(vals) {
		tail.read(vals[full:])
		zs[len(zs)-1] = zoneOf(vals[full:])
	}
	st := numStats{zones: zs, sorted: tail.sorted, hasBig: tail.hasBig, maxAbs: tail.maxAbs}
	if tail.first {
		st.min, st.max = tail.min, tail.max
	}
	return st
}

// read adds the rows of vals, the next rows of the column.
func (s *numSummary) read(vals []int64) {
	for _, v := range vals {
		if !s.first {
			s.first, s.min, s.max, s.last = true, v, v, v
		}
		s.min, s.max = min(s.min, v), max(s.max, v)
		if v < s.last {
			s.sorted = false
		}
		s.last = v
		switch {
		case v == bigNum:
			s.hasBig = true
		case v != nullNum:
			s.maxAbs = max(s.maxAbs, v, -v)
		}
	}
}

// zoneOf returns the zone of a block's values.
func zoneOf(vals []int64) zone {
	z := zone{min: math.MaxInt64, max: math.MinInt64}
	for _, v := range vals {
		if v <= bigNum {
			z.special = true
			continue
		}
		z.min, z.max = min(z.min, v), max(z.max, v)
	}
	return z
}

// growBy makes room for n more elements of s: when it has too little,
// in a new array half as large again as the old one (or just large
// enough), so that a column taking batch after batch is copied a bounded
// number of times in all, not once per batch.
func growBy[S ~[]E, E any](s S, n int) S {
	if n <= cap(s)-len(s) {
		return s
	}
	t := make(S, len(s), max(len(s)+n, cap(s)+cap(s)/2))
	copy(t, s)
	return t
}
