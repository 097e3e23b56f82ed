package filter

import (
	"strconv"

	"github.com/shopspring/decimal"

	"github.com/calldash/calldash"
)

// Members returns the members of the and/or group g that decide it: g's
// conditions without the comparisons with a number that another member on
// the same field (and metadata key) implies, in an and group, or that the
// other members imply together, in an or group. The compilers ([Compile]
// and package sqlgen) read only these, so that a filter repeating a
// comparison a thousand times (the same bound, the same number) costs one
// comparison per call, in memory and in SQL alike.
//
// In an or group, the eq and in members kept on one field (and metadata
// key) are merged into one in condition of their numbers, at the path of
// the first, so that an or of a thousand different numbers reads the
// field once too (one IN in SQL).
//
// Only eq, in (of numbers only), gt, gte, lt and lte with numbers are
// dropped: each reads "the value is a number and compares so", which holds
// of no null and no value of another type, so that implication between
// them is implication between sets of numbers. In an or group, of the
// lower bounds (gt, gte) only the weakest is kept, of the upper bounds
// (lt, lte) the weakest, and an eq or in only when some number of it lies
// outside those bounds and the numbers of the eq and in members kept
// before it. In an and group only the strongest lower and upper bound is
// kept, and the first eq of each number. Both hold as well for a
// metric_evaluations.* condition outside same_row ("some row compares
// so"): a row that satisfies the kept member satisfies the dropped one
// (and group), and some kept member holds of a row that satisfies a
// dropped one (or group).
//
// s is the schema g was checked against; the members of a same_row group
// and of groups nested in g are returned unchanged.
func Members(g *Group, s *Schema) []Node {
	if g.Operator != GroupAnd && g.Operator != GroupOr || len(g.Conditions) < 2 {
		return g.Conditions
	}
	if s == nil {
		s = CallLogs()
	}
	type fieldKey struct {
		f   *Field
		key string
	}
	byField := map[fieldKey][]int{}
	for i, m := range g.Conditions {
		if n, ok := m.(*Condition); ok && numberOp(n) {
			if f, key, ok := s.Lookup(n.Field); ok && f.Ops.Has(n.Op) && numeric(f.Type) {
				k := fieldKey{f, key}
				byField[k] = append(byField[k], i)
			}
		}
	}
	drop := make([]bool, len(g.Conditions))
	dropped := 0
	merged := map[int]*Condition{}
	for k, idx := range byField {
		if len(idx) < 2 {
			continue
		}
		conds := make([]*Condition, len(idx))
		for j, i := range idx {
			conds[j] = g.Conditions[i].(*Condition)
		}
		var lists []int // the kept eq and in members, in an or group
		for j, d := range redundant(conds, g.Operator == GroupOr) {
			if d {
				drop[idx[j]] = true
				dropped++
			} else if g.Operator == GroupOr && !conds[j].Op.Ordered() {
				lists = append(lists, j)
			}
		}
		if len(lists) < 2 || !k.f.Ops.Has(OpIn) {
			continue
		}
		merged[idx[lists[0]]] = mergeIn(conds, lists)
		for _, j := range lists[1:] {
			drop[idx[j]] = true
			dropped++
		}
	}
	if dropped == 0 {
		return g.Conditions
	}
	kept := make([]Node, 0, len(g.Conditions)-dropped)
	for i, m := range g.Conditions {
		switch {
		case merged[i] != nil:
			kept = append(kept, merged[i])
		case !drop[i]:
			kept = append(kept, m)
		}
	}
	return kept
}

// mergeIn returns one in condition for the eq and in members conds[j]
// (j in at) of an or group, all on one field: its list holds their
// numbers once each, in order, and it stands at the first one's path.
func mergeIn(conds []*Condition, at []int) *Condition {
	var list []calldash.Value
	seen := map[string]bool{}
	for _, j := range at {
		n := conds[j]
		elems := n.Value.List
		if n.Op == OpEq {
			elems = []calldash.Value{n.Value}
		}
		for _, e := range elems {
			if k := numberKey(e.Num); !seen[k] {
				seen[k] = true
				list = append(list, e)
			}
		}
	}
	first := conds[at[0]]
	return &Condition{Field: first.Field, Op: OpIn, Value: calldash.Value{Kind: calldash.KindList, List: list}, At: first.At}
}

// numberOp reports whether n is a comparison that Members may drop: eq or
// an ordered operator with a number, or in with a list of numbers only.
func numberOp(n *Condition) bool {
	switch {
	case n.Op == OpEq || n.Op.Ordered():
		return n.Value.Kind == calldash.KindNumber
	case n.Op == OpIn:
		if len(n.Value.List) == 0 {
			return false
		}
		for _, e := range n.Value.List {
			if e.Kind != calldash.KindNumber {
				return false
			}
		}
		return true
	}
	return false
}

// numeric reports whether fields of type t hold numbers.
func numeric(t Type) bool { return t == TypeNumeric || t == TypeInteger || t == TypeDynamic }

// A bound is the kept lower or upper bound of a field among the members of
// a group.
type bound struct {
	at     int // index of the member; -1 for none
	num    number
	strict bool // gt or lt
}

// holds reports whether x satisfies the bound (lower: x > or ≥ it; upper:
// x < or ≤ it).
func (b *bound) holds(x decimal.Decimal, lower bool) bool {
	if b.at < 0 {
		return false
	}
	c := b.num.cmp(x) // x against the bound
	if !lower {
		c = -c
	}
	return c > 0 || c == 0 && !b.strict
}

// redundant marks the members of conds (comparisons with numbers on one
// field, see numberOp) that Members drops from an or group (or) or an and
// group.
func redundant(conds []*Condition, or bool) []bool {
	drop := make([]bool, len(conds))
	lo, hi := bound{at: -1}, bound{at: -1}
	// Pass 1: one lower and one upper bound. A candidate replaces the kept
	// bound when it is weaker (or group) or stronger (and group); c is
	// the candidate against the kept bound, for a lower bound.
	for i, n := range conds {
		if !n.Op.Ordered() {
			continue
		}
		lower := n.Op == OpGt || n.Op == OpGte
		strict := n.Op == OpGt || n.Op == OpLt
		b := &hi
		if lower {
			b = &lo
		}
		if b.at < 0 {
			*b = bound{at: i, num: makeNumber(n.Value.Num), strict: strict}
			continue
		}
		c := b.num.cmp(n.Value.Num)
		if !lower {
			c = -c
		}
		// weaker: a lower bound below the kept one, or at it and not
		// strict where the kept one is.
		weaker := c < 0 || c == 0 && !strict && b.strict
		if equal := c == 0 && strict == b.strict; !equal && weaker == or {
			drop[b.at] = true
			*b = bound{at: i, num: makeNumber(n.Value.Num), strict: strict}
		} else {
			drop[i] = true
		}
	}
	// Pass 2: eq and in members, by their numbers.
	seen := map[string]bool{}
	for i, n := range conds {
		if n.Op.Ordered() {
			continue
		}
		if !or {
			if n.Op == OpEq {
				k := numberKey(n.Value.Num)
				drop[i] = seen[k]
				seen[k] = true
			}
			continue
		}
		list := n.Value.List
		if n.Op == OpEq {
			list = []calldash.Value{n.Value}
		}
		covered := true
		for _, e := range list {
			if !lo.holds(e.Num, true) && !hi.holds(e.Num, false) && !seen[numberKey(e.Num)] {
				covered = false
				break
			}
		}
		if covered {
			drop[i] = true
			continue
		}
		for _, e := range list {
			seen[numberKey(e.Num)] = true
		}
	}
	return drop
}

// numberKey is a text that two decimals share exactly when they are equal
// (1.0, 1 and 1e0 alike): the coefficient without trailing zeros and the
// exponent, without writing out a thousand digits for 1e999.
func numberKey(d decimal.Decimal) string {
	if d.IsZero() {
		return "0"
	}
	coef, exp := d.Coefficient(), int(d.Exponent())
	s := coef.String()
	for len(s) > 1 && s[len(s)-1] == '0' {
		s, exp = s[:len(s)-1], exp+1
	}
	return s + "e" + strconv.Itoa(exp)
}
