// Package chart holds chart-typed results and writes their exact JSON
// shapes: line [Point], bar [Bar], pie [Slice] and [Stat], with
// the helpers that shape them — [Percentages] (largest remainder),
// [SortSlices] and [Pie], [Fill] (gap filling) and [SortBars], and
// [TopGroups] (top-N groups folded into [Other]).
//
// The types write JSON themselves (AppendJSON and MarshalJSON), keys in the
// order the spec lists them, with no HTML escaping. Note that
// encoding/json's Marshal escapes <, > and & in strings even in MarshalJSON
// output; use AppendJSON, or a json.Encoder with SetEscapeHTML(false), to
// keep them as they are.
//
// # Semantics
//
// Numbers are exact decimals written as plain JSON numbers in canonical
// form ([AppendDecimal]): no quotes, no exponent, no float noise, no
// trailing zeros after the point, no point for integers — 4.5000 is 4.5,
// 60.0 is 60, 1E+3 is 1000. Percentages are the exception: they always
// have exactly one decimal (33.3, 100.0, 0.0), as "percentages have one
// decimal" says.
//
// Times are RFC 3339 in the location of the time.Time given (convert with
// t.In(loc) first): "Z" for a zero offset, otherwise ±hh:mm, seconds always,
// fractional seconds only when non-zero (and then without trailing zeros).
//
// Labels ([Label]) are strings or null. Wherever labels are ordered, they
// compare byte-wise (UTF-8 code point order) and null comes after every
// string.
//
// Pie percentages sum to exactly 100.0 when any count is positive: each
// slice gets its share floored to 0.1, and the missing tenths go to the
// largest remainders, ties to the slice shown first. With no rows at all
// every percentage is 0.0.
//
// Gap filling ([Fill]) gives every bucket start every group that has at
// least one row; empty buckets have sample_count 0 and a value the caller
// picks (null, or 0 for count). Bars are ordered by time, then group label,
// the null group last.
//
// Top-N ([TopGroups]) keeps the n groups with the most rows (ties by label,
// null last) and folds the rest into "Other". A real group named "Other" is
// always folded into the Other group, never shown beside it.
package chart
