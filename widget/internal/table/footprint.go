package table

import (
	"sort"
	"unsafe"

	"github.com/calldash/calldash"
	"github.com/calldash/calldash/chart"
)

// A Part is one array or structure of a Table and the bytes its
// allocations take (capacities, not lengths): what Footprint reports.
type Part struct {
	Name  string
	Bytes int64
}

// Footprint returns the bytes of each part of t that t itself allocated,
// largest first; the records of a Table built from them, and strings
// shared with them (a dictionary's values, metadata keys), are not
// counted. Lazily built parts (block summaries, scaled copies) count
// once built. It is for measuring, not for the answer paths.
func (t *Table) Footprint() []Part {
	var ps []Part
	add := func(name string, b int64) {
		if b > 0 {
			ps = append(ps, Part{name, b})
		}
	}
	add("timestamp", int64(cap(t.ts))*8)
	add("timestamp zones", int64(cap(t.tsZones))*int64(unsafe.Sizeof(zone{})))
	for name, tc := range t.times {
		if len(tc.vals) > 0 && len(t.ts) > 0 && &tc.vals[0] != &t.ts[0] {
			add(name, int64(cap(tc.vals))*8)
		}
		add(name+" zones", int64(cap(tc.zones))*int64(unsafe.Sizeof(zone{})))
	}
	valueSize := int64(unsafe.Sizeof(calldash.Value{}))
	for name, col := range t.cols {
		add(name+" numbers", int64(cap(col.num))*8)
		add(name+" zones", int64(cap(col.zones))*int64(unsafe.Sizeof(zone{})))
		add(name+" codes", int64(cap(col.codes.w8))+2*int64(cap(col.codes.w16))+4*int64(cap(col.codes.w32)))
		add(name+" dictionary", int64(cap(col.dict))*valueSize+int64(cap(col.first))*4+int64(cap(col.labels))*int64(unsafe.Sizeof(chart.Label{})))
		add(name+" dictionary as numbers (lazy)", int64(cap(col.dictNum.v))*8)
		add(name+" block code counts (lazy)", int64(cap(col.codeCounts.v))*8)
		add(name+" block sums (lazy)", int64(cap(col.sums.v))*int64(unsafe.Sizeof(blockSum{})))
		add(name+" big", int64(len(col.big))*(valueSize+4)+int64(len(col.intBig))*12)
		if vs := col.rest; vs != nil {
			var text int64
			for _, s := range vs.strs {
				text += int64(len(s))
			}
			add(name+" strings", text)
			add(name+" string ends", vs.ends.bytes())
			add(name+" nulls", int64(cap(vs.nulls))*8)
			add(name+" values", int64(cap(vs.vals))*valueSize)
		}
	}
	if s := t.rows; s != nil {
		var data int64
		for _, d := range s.rest.data {
			data += int64(cap(d))
		}
		add("metadata+evaluations packed", data)
		add("metadata+evaluations row ends", s.rest.ends.bytes())
		var pool int64
		for _, c := range s.rest.vals.chunks {
			pool += int64(cap(c)) * valueSize // (a number's big.Int is shared with the call it came from)
		}
		add("value pool", pool)
		add("timestamps out of range", int64(len(s.tsBig))*28)
	}
	sort.Slice(ps, func(i, j int) bool { return ps[i].Bytes > ps[j].Bytes })
	return ps
}
