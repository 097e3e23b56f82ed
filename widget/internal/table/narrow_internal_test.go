package table

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

// TestNarrowNums checks a narrowed column against the int64 column it
// came from: every value read back, every block loaded, and every range
// pred (bounds at, beside and between the values, negated, with nulls)
// keeping the same rows with and without a selection.
func TestNarrowNums(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	n := 3*blockSize + 123
	vals := make([]int64, n)
	for i := range vals {
		switch k := r.IntN(20); {
		case k == 0:
			vals[i] = nullNum
		case k == 1:
			vals[i] = bigNum
		case i/blockSize == 1:
			vals[i] = math.MaxInt64 - int64(r.IntN(1000)) // a block at the top of the range
		case i/blockSize == 2:
			vals[i] = -int64(r.IntN(1 << 31)) * 2 // a block spanning 2^32
		default:
			vals[i] = int64(r.IntN(100)) - 50
		}
	}
	zs := zonesOf(vals)
	nn := narrowOf(vals, zs)
	if nn == nil {
		t.Fatal("not narrowed")
	}
	buf := make([]int64, blockSize)
	for lo := 0; lo < n; lo += blockSize {
		hi := min(lo+blockSize, n)
		nn.load(buf, lo, hi)
		if !slices.Equal(buf[:hi-lo], vals[lo:hi]) {
			t.Fatalf("block at %d loads otherwise", lo)
		}
	}
	for i, v := range vals {
		if got := nn.at(i); got != v {
			t.Fatalf("row %d: %d, want %d", i, got, v)
		}
	}
	bounds := []int64{minValid, -1 << 32, -3, 0, 7, 50, math.MaxInt64 - 500, math.MaxInt64}
	for i := 0; i < 40; i++ {
		bounds = append(bounds, vals[r.IntN(n)])
	}
	for _, lo := range bounds {
		for _, hi := range bounds {
			for _, neg := range []bool{false, true} {
				if lo <= bigNum || hi <= bigNum || lo > hi { // (setRange marks an empty range empty)
					continue
				}
				wide := &rangePred{vals: vals, zones: zs, lo: lo, hi: hi, neg: neg, null: neg}
				narrow := &rangePred{narrow: nn, zones: zs, lo: lo, hi: hi, neg: neg, null: neg}
				for b := 0; b < n; b += blockSize {
					end := min(b+blockSize, n)
					s1, a1 := wide.keepAll(b, end, make([]int32, blockSize))
					s2, a2 := narrow.keepAll(b, end, make([]int32, blockSize))
					if a1 != a2 || !a1 && !slices.Equal(s1, s2) {
						t.Fatalf("[%d, %d] neg %v, block %d: keepAll %v %v, want %v %v", lo, hi, neg, b, len(s2), a2, len(s1), a1)
					}
					sel := make([]int32, 0, blockSize)
					for i := b; i < end; i += 1 + r.IntN(3) {
						sel = append(sel, int32(i))
					}
					k1 := wide.keep(slices.Clone(sel), int32(b))
					k2 := narrow.keep(slices.Clone(sel), int32(b))
					if !slices.Equal(k1, k2) {
						t.Fatalf("[%d, %d] neg %v, block %d: keep %d rows, want %d", lo, hi, neg, b, len(k2), len(k1))
					}
				}
			}
		}
	}
	// A block whose values span more than the deltas hold stays wide.
	if narrowOf([]int64{0, 1 << 33}, zonesOf([]int64{0, 1 << 33})) != nil {
		t.Error("a span of 2^33 was narrowed")
	}
}

// endsOf returns every end of e.
func endsOf(e rowEnds) []uint32 {
	out := make([]uint32, e.len())
	for i := range out {
		out[i] = e.end(i)
	}
	return out
}

// TestRowEnds adds rows of growing length to a rowEnds until a group's
// rows outgrow its uint16 offsets, and checks every span of the rowEnds
// and of snapshots taken before and after it widened.
func TestRowEnds(t *testing.T) {
	var e rowEnds
	var want []uint32 // ends
	type taken struct {
		e rowEnds
		n int
	}
	var snaps []taken
	end := uint32(0)
	for i := range 3*blockSize + 7 {
		if i%blockSize == 0 {
			end = 0
		}
		size := uint32(i % 40)
		if i > 2*blockSize {
			size = 300 // 256 rows of 300 bytes: more than a uint16 holds
		}
		end += size
		e.add(end)
		want = append(want, end)
		if i%1000 == 0 {
			snaps = append(snaps, taken{e.snapshot(i + 1), i + 1})
		}
	}
	if e.wide == nil {
		t.Fatal("not widened")
	}
	if snaps[0].e.wide != nil {
		t.Fatal("the first snapshot widened")
	}
	for _, s := range append(snaps, taken{e, len(want)}) {
		for i := range s.n {
			lo, hi := s.e.span(i)
			wantLo := uint32(0)
			if i%blockSize > 0 {
				wantLo = want[i-1]
			}
			if lo != wantLo || hi != want[i] {
				t.Fatalf("snapshot of %d rows, row %d: [%d, %d), want [%d, %d)", s.n, i, lo, hi, wantLo, want[i])
			}
		}
	}
}
