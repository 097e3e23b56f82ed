package result

import (
	"github.com/calldash/calldash"
	"github.com/calldash/calldash/chart"
	"github.com/calldash/calldash/internal/dec"
)

// A labelIndex numbers the labels of a pie's slices or of a bar chart's
// groups as records arrive, so that a record costs an index into a slice
// where a map keyed by its label would hash the text. Two values with
// the same label (the string "5" and the number 5, the string "true" and
// the boolean) get the same number; 0 is the null label.
//
// The maps are the truth; in front of each, a small cache of recent
// labels, placed by a cheap hash, answers the common case of a field with
// few distinct values without hashing the whole text. A collision only
// sends a record to the map. Past maxLabels distinct labels, new ones get
// no number (-1): the caller keys its own map by the label instead, so
// that a field with a distinct value per record costs no more memory
// than before.
type labelIndex struct {
	labels []chart.Label // by number
	byText map[string]int32
	byNum  map[dec.Key]int32 // numbers, by their value
	recent *recentLabels     // made by the first call of of
}

// recentLabels are the caches in front of a labelIndex's maps.
type recentLabels struct {
	texts [recentSlots]recentText
	nums  [recentSlots]recentNum
}

const (
	recentSlots = 64 // a power of two
	maxLabels   = 1 << 16
)

type recentText struct {
	s  string
	id int32 // 0: empty slot
}

type recentNum struct {
	k  dec.Key
	id int32 // 0: empty slot
}

// of returns the number of the label of v (see [chart.LabelOf]), or -1
// when it has none.
func (x *labelIndex) of(v calldash.Value) int32 {
	if x.recent == nil {
		x.recent = new(recentLabels)
	}
	switch v.Kind {
	case calldash.KindString:
		return x.text(v.Str)
	case calldash.KindBool:
		return x.text(v.Label())
	case calldash.KindNumber:
		return x.num(v)
	}
	return 0
}

// label returns the label numbered id.
func (x *labelIndex) label(id int32) chart.Label {
	if id == 0 {
		return chart.NullLabel
	}
	return x.labels[id]
}

func (x *labelIndex) text(s string) int32 {
	slot := &x.recent.texts[textHash(s)%recentSlots]
	if slot.id != 0 && slot.s == s {
		return slot.id
	}
	id, ok := x.byText[s]
	if !ok {
		if len(x.labels) >= maxLabels {
			return -1
		}
		if x.byText == nil {
			x.byText = map[string]int32{}
			x.labels = append(x.labels, chart.NullLabel) // number 0
		}
		id = int32(len(x.labels))
		x.labels = append(x.labels, chart.Text(s))
		x.byText[s] = id
	}
	*slot = recentText{s, id}
	return id
}

// textHash mixes the length and three bytes of s: enough to tell apart
// the few values of an enumeration.
func textHash(s string) uint {
	if s == "" {
		return 0
	}
	n := len(s)
	return uint(n) ^ uint(s[0])<<1 ^ uint(s[n/2])*5 ^ uint(s[n-1])<<3
}

// num numbers a number's label: by its value when it fits an int64
// (formatting it once), otherwise by its text.
func (x *labelIndex) num(v calldash.Value) int32 {
	c, e, ok := dec.Small(v.Num)
	if !ok {
		return x.text(chart.LabelOf(v).Str)
	}
	k := dec.Key{Coef: c, Exp: e}
	slot := &x.recent.nums[uint(c)%recentSlots]
	if slot.id != 0 && slot.k == k {
		return slot.id
	}
	id, ok := x.byNum[k]
	if !ok {
		if id = x.text(chart.LabelOf(v).Str); id < 0 {
			return -1
		}
		if x.byNum == nil {
			x.byNum = map[dec.Key]int32{}
		}
		x.byNum[k] = id
	}
	*slot = recentNum{k, id}
	return id
}
