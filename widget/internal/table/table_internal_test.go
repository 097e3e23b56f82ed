package table

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"github.com/calldash/calldash"
	"github.com/calldash/calldash/filter"
	"github.com/calldash/calldash/internal/dec"
)

func TestRowNumbers(t *testing.T) {
	for n := range 20 {
		sel := make([]int32, n)
		rowNumbers(sel, 4096*3-5)
		for i, v := range sel {
			if v != int32(4096*3-5+i) {
				t.Fatalf("n=%d: sel[%d] = %d, want %d", n, i, v, 4096*3-5+i)
			}
		}
	}
}

// TestCountAndSum checks the block kernels, with and without a
// selection, against plain loops: every length up to a few lanes past
// the four-counter threshold, dictionaries on either side of 64 codes,
// and nulls.
func TestCountAndSum(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for _, ncodes := range []int{1, 3, 64, 65} {
		for n := range 120 {
			codes, vals, sel := make([]uint32, n), make([]int64, n), []int32{}
			for i := range n {
				codes[i] = uint32(rng.IntN(ncodes))
				vals[i] = rng.Int64N(1000) - 500
				if rng.IntN(4) == 0 {
					vals[i] = nullNum
				}
				if rng.IntN(3) > 0 {
					sel = append(sel, int32(i))
				}
			}
			want := func(rows []int32) ([]int64, int64, int64) {
				counts, sum, nulls := make([]int64, ncodes), int64(0), int64(0)
				for _, i := range rows {
					counts[codes[i]]++
					if vals[i] == nullNum {
						nulls++
					} else {
						sum += vals[i]
					}
				}
				return counts, sum, nulls
			}
			all := make([]int32, n)
			rowNumbers(all, 0)
			for _, tc := range []struct {
				name string
				rows []int32
				add  func(counts []int64) (sum, nulls int64)
			}{
				{"selection", sel, func(counts []int64) (int64, int64) {
					countCodes(counts, codes, sel)
					return sumValues(vals, sel)
				}},
				{"all", all, func(counts []int64) (int64, int64) {
					countAll(counts, codes)
					return sumAll(vals)
				}},
			} {
				wantCounts, wantSum, wantNulls := want(tc.rows)
				counts := make([]int64, ncodes)
				sum, nulls := tc.add(counts)
				if !slices.Equal(counts, wantCounts) || sum != wantSum || nulls != wantNulls {
					t.Fatalf("%d codes, %d rows, %s: counts %v, sum %d, nulls %d; want %v, %d, %d",
						ncodes, n, tc.name, counts, sum, nulls, wantCounts, wantSum, wantNulls)
				}
			}
		}
	}
}

// TestNumIndex checks the open-addressing index of numbers against a map:
// keys that differ only in sign, exponent or high bits, through several
// growths of the table.
func TestNumIndex(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	var x numIndex
	want := map[dec.Key]uint32{}
	for i := range 5000 {
		k := dec.Key{Coef: rng.Int64N(50) - 25, Exp: int32(rng.IntN(7) - 3)}
		if i%3 == 0 {
			k.Coef = rng.Int64() << rng.IntN(40)
		}
		c, ok := x.get(k)
		wc, wok := want[k]
		if ok != wok || c != wc {
			t.Fatalf("key %v: got %d, %v; want %d, %v", k, c, ok, wc, wok)
		}
		if !ok {
			want[k] = uint32(i)
			x.set(k, uint32(i))
		}
	}
	for k, wc := range want {
		if c, ok := x.get(k); !ok || c != wc {
			t.Fatalf("key %v: got %d, %v; want %d", k, c, ok, wc)
		}
	}
}

// TestCodeVecWidens checks that codes widen to two and four bytes as
// larger codes come, keep every code, and leave the slices taken before
// as they were.
func TestCodeVecWidens(t *testing.T) {
	v := newCodeVec(0)
	var want []uint32
	var taken []codeVec
	for i, c := range []uint32{0, 7, 255, 256, 3, 65535, 65536, 1 << 30, 2} {
		v.append(c)
		want = append(want, c)
		taken = append(taken, v.slice(i+1))
	}
	if v.w32 == nil || v.len() != len(want) {
		t.Fatalf("got %d codes of widths %v %v %v", v.len(), v.w8 != nil, v.w16 != nil, v.w32 != nil)
	}
	for k, s := range taken {
		for i := range s.len() {
			if s.at(i) != want[i] {
				t.Fatalf("slice %d, code %d: got %d, want %d", k, i, s.at(i), want[i])
			}
		}
	}
	if w := taken[2]; w.w8 == nil || taken[4].w16 == nil || taken[7].w32 == nil {
		t.Fatal("slices are not of the narrowest width of their codes")
	}
}

// TestRestCodesDeterministic builds a Table without records twice from
// the same calls, their metadata maps filled in opposite orders, and
// checks that the pools and the packed rows are the same: the codes do
// not depend on the order of a map's iteration.
func TestRestCodesDeterministic(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	type kv struct {
		k string
		v calldash.Value
	}
	var rows [][]kv
	for i := range 300 {
		var row []kv
		for _, k := range rng.Perm(40)[:1+rng.IntN(8)] {
			var v calldash.Value
			switch rng.IntN(4) {
			case 0:
				v = calldash.String(fmt.Sprintf("s%d", rng.IntN(50)))
			case 1:
				v = calldash.Number(decimal.New(rng.Int64N(1000), -int32(rng.IntN(3))))
			case 2:
				v = calldash.Bool(rng.IntN(2) == 0)
			}
			row = append(row, kv{fmt.Sprintf("key%d", k), v})
		}
		if i%7 == 0 {
			row = nil
		}
		rows = append(rows, row)
	}
	build := func(reverse bool) restStore {
		b := NewBuilder()
		for i, row := range rows {
			c := calldash.Call{ID: int64(i), Timestamp: time.Unix(int64(i), 0)}
			if row != nil {
				c.Metadata = map[string]calldash.Value{}
				for j := range row {
					if reverse {
						j = len(row) - 1 - j
					}
					c.Metadata[row[j].k] = row[j].v
				}
			}
			b.Add(&c)
		}
		return b.rest.snapshot()
	}
	a, z := build(false), build(true)
	if !slices.Equal(a.keys, z.keys) {
		t.Fatalf("key codes differ:\n%q\n%q", a.keys, z.keys)
	}
	if a.vals.n != z.vals.n {
		t.Fatalf("%d and %d pooled values", a.vals.n, z.vals.n)
	}
	for c := range uint64(a.vals.n) {
		if !a.vals.get(c).Equal(z.vals.get(c)) {
			t.Fatalf("value code %d: %v and %v", c, a.vals.get(c), z.vals.get(c))
		}
	}
	if !slices.EqualFunc(a.data, z.data, bytes.Equal) || !slices.Equal(endsOf(a.ends), endsOf(z.ends)) {
		t.Fatal("packed rows differ")
	}
	// And the rows read back as they were.
	r := &rowReader{}
	for i, row := range rows {
		a.read(i, r)
		if got := r.call.Metadata; row == nil && got != nil || len(got) != len(row) {
			t.Fatalf("row %d: %d keys, want %d", i, len(got), len(row))
		}
		for _, e := range row {
			if got := r.call.Metadata[e.k]; !got.Equal(e.v) {
				t.Fatalf("row %d, key %s: %v, want %v", i, e.k, got, e.v)
			}
		}
		r.call = calldash.Call{}
	}
}

// TestFieldAt checks that the field fieldAt reads in place is the one
// the call-log schema's reader returns, on a call whose fields all
// differ.
func TestFieldAt(t *testing.T) {
	c := calldash.Call{ID: 1, Timestamp: time.Unix(1, 0)}
	for i, v := range []*calldash.Value{&c.Duration, &c.Success, &c.IsReviewed, &c.CallEndedReason,
		&c.DropoffPoint, &c.Topic, &c.CustomerNumber, &c.AgentID, &c.AgentName} {
		*v = calldash.String(fmt.Sprint("field ", i))
	}
	n := 0
	for _, f := range filter.CallLogs().Fields() {
		at := fieldAt(f.Name)
		if at == nil {
			continue
		}
		n++
		if f.Call == nil {
			t.Fatalf("%s: no reader in the schema", f.Name)
		}
		if got, want := *at(&c), f.Call(&c); !got.Equal(want) {
			t.Errorf("%s: fieldAt reads %v, the schema %v", f.Name, got, want)
		}
	}
	if n != 9 {
		t.Errorf("fieldAt knows %d fields of the schema, want 9", n)
	}
}

// TestValueStoreBlocks checks the strings of a valueStore across blocks,
// from snapshots taken as it grows and after a value that is not a
// string turns it into values.
func TestValueStoreBlocks(t *testing.T) {
	var vs valueStore
	var want []calldash.Value
	type taken struct {
		vs *valueStore
		n  int
	}
	var snaps []taken
	check := func(s *valueStore, n int) {
		t.Helper()
		for i := range n {
			if got := s.get(i); !got.Equal(want[i]) {
				t.Fatalf("row %d of %d: %v, want %v", i, n, got, want[i])
			}
		}
	}
	for i := range 3*blockSize + 100 {
		v := calldash.String(fmt.Sprint("+1555", i*7919%100_000))
		switch {
		case i%5 == 0:
			v = calldash.Null
		case i%7 == 0:
			v = calldash.String("")
		case i == 3*blockSize+50:
			v = calldash.Int(7)
		}
		vs.add(v)
		want = append(want, v)
		if i%1000 == 0 || i == 3*blockSize+49 {
			snaps = append(snaps, taken{vs.snapshot(i + 1), i + 1})
		}
	}
	check(&vs, len(want))
	for _, s := range snaps {
		check(s.vs, s.n)
	}
}

// TestTimestampColumn checks the timestamp's time column, which shares
// the timestamps until a zero timestamp makes them differ.
func TestTimestampColumn(t *testing.T) {
	var calls []calldash.Call
	for i := range 10 {
		c := calldash.Call{ID: int64(i), Timestamp: time.Unix(int64(1000+i), 0)}
		if i == 6 {
			c.Timestamp = time.Time{}
		}
		calls = append(calls, c)
	}
	b := NewBuilder()
	for i := range calls {
		b.Add(&calls[i])
		tab := b.Table()
		got := tab.times["timestamp"].vals
		if len(got) != i+1 {
			t.Fatalf("after %d calls: %d times", i+1, len(got))
		}
		for j, v := range got {
			if want := timeNanos(calls[j].Timestamp); v != want {
				t.Fatalf("after %d calls: time %d is %d, want %d", i+1, j, v, want)
			}
		}
	}
}
