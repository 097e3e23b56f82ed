// Package aggregate computes aggregation functions and time buckets in
// memory, in one streaming pass.
//
// Two halves:
//
//   - Buckets: a [Bucketer] ([Calendar] for hour/day/week/month in a time
//     zone, [Fixed] for epoch-aligned fixed widths) says where a bucket
//     starts and where the next one starts. [Enumerate] lists every bucket
//     overlapping a [Range] (for gap filling) under a cap, and its
//     [Boundaries] find a record's bucket by binary search over Unix
//     nanoseconds — the fast path: no time zone work per record. Without a
//     range, a [Locator] caches the last bucket.
//   - Aggregation: a [Func] names a function; an [Accumulator] (from [New])
//     consumes calldash.Value inputs and yields a [Result] (null, number or
//     instant).
//
// # Semantics
//
// Buckets are computed in the Bucketer's zone and are DST-correct. Day,
// week and month buckets start at local midnight (of the day, of the
// week-start day, of the 1st); a day lasts 23, 24 or 25 hours. When local
// midnight does not exist (a DST gap), the day starts at its first instant.
// Hour buckets start at local minute 0 — in Asia/Kolkata (UTC+05:30) that
// is 30 minutes past the UTC hour — and the local hour repeated by a DST
// fall-back makes two buckets (same wall clock, different offsets, different
// instants). A bucket never spans an offset change; in the rare zones whose
// transitions are not at a full local hour, the hour bucket is cut at the
// transition. Every returned time carries the Bucketer's location, so it
// prints with the zone's offset. [Fixed] buckets are aligned to the Unix
// epoch whatever the zone; the zone only affects how starts print.
//
// Aggregates ignore null values. Count counts non-null values and is 0 with
// no input; every other function is null with no (numeric) input. Sum, Min,
// Max and the percentiles are exact. Avg is the exact sum divided by the
// count, rounded half away from zero (-0.00005 → -0.0001) to 4 decimal
// places by default ([DefaultAvgPlaces]; an argument of [New]). Booleans are
// 1 and 0, so Avg of a boolean is the fraction of true. Percentile pN is
// the nearest rank: the value at rank ⌈N/100 × n⌉ (at least 1) of the
// sorted non-null values ([Rank]), so p50 of [1 2] is 1. Datetimes
// ([Accumulator.AddTime]) feed Count, Min and Max.
//
// # Errors
//
// [ParsePeriod] and [ParseFunc] wrap [ErrUnknownPeriod] and
// [ErrUnknownFunc]; [NewFixed] wraps [ErrInvalidInterval]; [Enumerate] wraps
// [calldash.ErrTooManyBuckets] when a range needs more buckets than the cap (an
// error, never a truncation). Test with errors.Is.
package aggregate
