package table

import "testing"

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
