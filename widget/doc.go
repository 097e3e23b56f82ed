// Package widget answers dashboard widgets: it decodes and validates a
// widget spec, resolves its data type, combines its filters
// with the dashboard's, and computes chart-ready data with [Preview] over a
// [Source]: call logs in memory ([Calls], [Stream], or a columnar [Table]
// built once for many widgets), or a database ([SQL]), which answers the
// whole widget in one parameterized statement. Every source gives the same
// bytes for every widget; a differential test runs random widgets through
// all of them. [PreviewMany] answers a dashboard, several widgets at a
// time ([WithParallelism]).
//
// # Stages
//
//	spec, err := widget.Decode(data)                               // shape of every key, filters validated
//	resp, err := widget.Preview(ctx, spec, widget.Calls(calls), opts...) // combinations, time range, data
//	out := resp.AppendJSON(nil)                                    // the response JSON
//
// # Semantics
//
// Rows are the calls that pass the effective filter (dashboard filters AND
// the widget's filters, or the override of [WithFilterOverride]); for
// metric_evaluations.value they are the evaluation rows of the widget's
// metric on those calls.
//
//   - line: one point per row with a non-null value, ordered by timestamp,
//     call id, evaluation id. [WithMaxPoints] caps the points, keeping the
//     first ones; the response then has "truncated": true (the key is
//     absent otherwise).
//   - bar: one item per bucket (and group), ordered by time then group
//     label, null group last. sample_count counts every row of the bucket,
//     null values included; the aggregate ignores nulls; count counts
//     non-null values; avg of booleans is the fraction of true; pN is the
//     nearest-rank percentile; an aggregate without input is null (0 for
//     count). time_period defaults to day and aggregation_function to count.
//   - pie: one slice per distinct value (labels "true"/"false", canonical
//     decimal text, the agent id), null values forming the slice with label
//     null; ordered by count descending then label, null after every string
//     label; one-decimal percentages that sum to exactly 100.0.
//   - stat: total_calls; success_rate among calls whose success is known,
//     and avg_duration, both rounded like avg; p95_latency, the nearest-rank
//     p95 of the metric named by [WithLatencyMetric] (null without one).
//     A stat widget ignores time_period and aggregation_function, and its
//     response reports both, and data_type, as null.
//   - group_by {"type":"field"} splits bars by a string or boolean field
//     (or agent.id / agent_id, or metadata.<key>); with [WithTopGroups] the n
//     groups with the most rows stay and the others fold into one "Other"
//     group whose aggregate is computed from their raw rows (a real group
//     labelled "Other" always folds into it). {"type":"bucket"} replaces
//     the time period with fixed-width buckets aligned to the Unix epoch;
//     the response's time_period is then null.
//
// Buckets are computed in the zone of [WithLocation] (default UTC), with
// weeks starting on the day of [WithWeekStart] (default Monday); a bucket's
// time_interval is its start in RFC 3339 with the zone's offset.
//
// Gap filling (on by default, [WithGapFill]) applies when the effective
// filter has a lower bound on timestamp reachable through and groups: every
// bucket overlapping [lower bound, upper bound or now] is returned, empty
// ones with sample_count 0 and value null (0 for count), for every group
// that has a row. More buckets than [WithMaxBuckets] (default 10,000) is an
// error, never a truncation; so is an answer of more cells than
// [WithMaxCells] (default 100,000: buckets × groups, slices, points).
//
// Numbers are exact decimals throughout; avg is rounded half away from zero
// to 4 places ([WithAvgPlaces]); JSON numbers are written in plain decimal
// notation without trailing zeros.
//
// A metric widget needs the metric's name and eval type: [WithMetrics]
// gives them, otherwise they are learned from the evaluation rows of the
// records (matched or not); a metric found nowhere is an [calldash.ErrMetric] error
// at $.metric.
//
// # Sources
//
// [Calls] and [Stream] read call logs once per preview, in memory
// proportional to the buckets and groups (line charts and percentiles keep
// their rows). A [Table] holds the calls in columns (timestamps, scaled
// integers, dictionary codes) and evaluates filters and aggregates over
// them, falling back to the records for what columns cannot express, and
// gives the bytes [Calls] gives. [SQL]
// compiles the widget for a package dialect Dialect over the default table
// layout (testdata/schema) or, with [WithLayout], over the user's own tables
// as an sqlgen.Layout says, scoped to one tenant (sqlgen.Layout.Scoped); it
// takes any [Querier] (*sql.DB, *sql.Conn, *sql.Tx), only ever reads, and
// [Statement] returns the statement it would run. Bucket boundaries and zone offsets are computed
// in Go, the WHERE clause stays index-friendly, sums and counts come back as
// exact decimals and avg is finished in Go; a widget the database cannot
// answer exactly is an error naming the dialect, never a different answer.
//
// # Time range
//
// By default, as in the hosted API, the effective filter needs a gt/gte
// lower bound on timestamp reachable through and groups, at most 30 days
// before now. [WithTimePolicy] changes or lifts the rule.
//
// # Errors
//
// Invalid input gives a calldash.ErrorList of *calldash.Error values, each with
// the JSON path of the offending key ("$.chart_type",
// "$.filters.conditions[0].op") and a sentinel kind of this package
// ([calldash.ErrUnknownKey], [calldash.ErrChoice], [calldash.ErrCombination], ...) or of package
// filter; [calldash.IsInvalid] tells such invalid input (HTTP 400) from a
// failure of the system (a database error, a cancelled context: 5xx).
// [ErrorBody] renders invalid input in the hosted API's style, and any
// other error as a generic message without its text.
package widget
