// Package filter reads, validates and evaluates the JSON filters of
// dashboard widgets over voice-agent call logs.
//
// A filter goes through separate stages, each usable on its own, each
// handing the next a value (as cel-go's Check hands Program a checked AST):
//
//	n, err := filter.Parse(data)                  // JSON → AST: shape, JSON types, operator names, limits
//	f, err := filter.Check(n, filter.CallLogs())  // AST → a Checked filter: fields, operators and values against a Schema
//	f, err = filter.Validate(data, nil)           // Parse and Check together, every error of the input at once
//	m, err := filter.Compile(f, env)              // Checked → Matcher; "now" and "today" resolved here
//	ok := m.Match(&call)                          // one call log in memory
//
// [Parse] builds the AST ([Node]: a [*Condition] or a [*Group], each
// knowing its JSON path) without looking at field names; [Check] validates
// an AST against a [Schema] ([CallLogs] by default), whether it came from
// Parse or was built in Go, and returns it as a [Checked] filter;
// [Validate] is both, and reports the problems of both in one sorted
// [calldash.ErrorList]. The later stages take the Checked filter and never
// check again: [Compile] turns it into a [Matcher] for an [Env] (the clock
// and the time zone), safe for concurrent use; [TimeBounds] and
// [CheckTimeRange] read the time range it allows; package sqlgen compiles
// it to SQL. [Format] (or Node.String) prints the canonical JSON form of
// an AST, which Parse reads back into an equal AST. Call logs themselves
// are package calldash's.
//
// # Semantics
//
// A filter is a condition (leaf) or a group:
//
//	{"field": "duration", "op": "gt", "value": 60}
//	{"operator": "and", "conditions": [{"field": "topic", "op": "eq", "value": "billing"}, ...]}
//
// The group operators are "and", "or" and "same_row"; groups nest. An empty
// and group matches every call, an empty or group none. A whole filter that
// is null or {} means "no filter": Parse returns a nil Node, which matches
// every call. Inside a group, {} or null is an error, as is an object that
// mixes condition and group keys, an unknown key (with a suggestion when it
// looks like a typo: "condition" → "conditions"), or a missing key.
//
// The fields are those of the [Schema]. For call logs ([CallLogs]): id,
// timestamp, duration, success, is_reviewed, call_ended_reason,
// dropoff_point, topic, customer_number, agent.id, agent.agent_name,
// metadata.<key>, metric_evaluations.metric.id,
// metric_evaluations.metric.name and metric_evaluations.value, each with
// the operators listed below. An unknown field is an error that suggests the
// nearest name and lists the known ones. agent_id, an alias of agent.id for
// plotting, is not accepted in filters: the error
// names agent.id instead ([Schema.Lookup] ignores aliases,
// [Schema.Resolve] follows them). A metadata key is a top-level key: an
// empty key, a key with a dot or a key longer than [Limits].MaxMetadataKey
// bytes is an error. The string operators (contains, startswith, endswith,
// regex) are allowed on metric_evaluations.value for every metric and match
// only string (enum) values.
//
// The operators and what a null or missing field value does:
//
//	eq         equal; strings case-sensitive                    null never matches
//	neq        not equal                                        null matches ("not equal")
//	gt gte     ordered comparison                               null never matches
//	lt lte
//	contains   case-insensitive substring, prefix, suffix       null never matches
//	startswith
//	endswith
//	in         equal to some element of a JSON array; [] none   null never matches
//	isnull     true: the value is null or missing; false: present
//	regex      RE2, case-sensitive, unanchored                  null never matches
//
// Values must fit the field: numbers for numeric fields, integers within
// 64 bits for integer fields (id, agent.id, metric_evaluations.metric.id),
// true or false for booleans, strings for strings, and for datetimes a
// string of one of the forms below. JSON numbers are exact decimals, never
// floats: 1.0 equals 1, 0.30 equals 0.3 and 1e2 equals 100; a number has at
// most 1,000 digits and an exponent within ±1000. null is never a value to
// compare with: the error points to isnull. "in" takes an array whose
// elements are checked one by one (null elements are errors); isnull takes
// true or false; every other operator takes one value, not an array.
//
// Strings compare byte-wise, which is Unicode code point order. contains,
// startswith and endswith ignore case by Unicode simple case folding, the
// relation of [strings.EqualFold]: contains "FACTURACIÓN" matches
// "facturación", startswith "überweisung" matches "Überweisung", "K"
// (KELVIN SIGN) equals "k", but "ß" does not equal "ss". Every character
// of their value is literal: "%", "_" and "\" are not wildcards or
// escapes, so contains "%_" matches "50%_off\promo" but not "50% off" or
// "sales_inquiry". An empty value matches every string (not null). regex
// matches only string values and must compile.
//
// metadata.<key> and metric_evaluations.value are dynamic: a call's value
// may be a string, a number or a boolean, and it compares by the JSON type
// of the filter value. A number matches only numeric values, numerically;
// a string only string values; a boolean only boolean values: "3" does not
// equal 3, and {"op": "in", "value": [3, "3"]} matches both. A value of
// another type than the filter value is treated like null by the
// comparisons: it satisfies neq and no other comparison (isnull sees it as
// present). The ordered operators take a number or a string
// (strings order byte-wise); the string operators match only string
// values. A metadata value that is an object or an array behaves exactly
// like a missing key.
//
// A datetime value is RFC 3339 with any offset ("2025-11-03T10:30:00Z",
// "2025-11-03T10:30:00.5+05:30"; an offset is required), a date
// ("2025-11-03": the first instant of that day in the Env's zone), or
// relative: "now", "today" and either followed by +N or -N and a unit s m
// h d w M y (m is minutes, M months), N of any number of digits as long as
// the result lies in the years 0001 to 9999. d and w move the calendar date
// in the zone and keep the wall clock; M and y are calendar steps clamped to
// the month end (Mar 31 − 1M is Feb 28 or 29). A step onto a wall clock
// that a DST change skips reads it with the offset before the change (02:30
// on 2025-03-09 in New York is 03:30 EDT), one that occurs twice is its
// first occurrence. "today" is the start of the
// current day with gt, gte, eq and neq, and its end with lt and lte:
// "lte today" and "lt today" both mean "before the next midnight" and
// include all of today. today-N with a unit d w M y first moves the date,
// then takes that day's start or end by the same rule; with s m h it moves
// the start or end instant itself. [ResolveTime] gives the details. Check
// verifies the form of a datetime value, and with [WithEnv] resolves it
// with the evaluation's clock and zone; Compile resolves it once,
// with the [Env] it is given: Env.Now (time.Now() when zero) and
// Env.Location (UTC when nil), in which dates, "today" and day and month
// steps are computed. Field values compare as instants, whatever their
// zone.
//
// A call has zero or more metric evaluation rows. A same_row
// group is true for a call when one single row satisfies the whole group.
// It holds conditions on metric_evaluations.* fields and and/or groups of
// them; a condition on any other field, or a same_row group inside it, is
// an [ErrSameRow] error. Inside same_row the ordinary null rules apply to
// the row (neq matches a row whose value is null; isnull decides by the
// row's value). An empty same_row group is true when the call has at least
// one row. Outside same_row, a metric_evaluations.* condition is true when
// some row satisfies it, with two exceptions: neq V is true when no row
// equals V, and isnull true is true when no row has a non-null value; both
// are true for a call without rows. isnull false is true when some row
// has a non-null value. So
//
//	{"operator": "and", "conditions": [
//		{"field": "metric_evaluations.metric.id", "op": "eq", "value": 12},
//		{"field": "metric_evaluations.value", "op": "gt", "value": 0.9}]}
//
// holds for a call with an accuracy (metric 12) row valued 0.64 and an
// empathy row valued 3.9, while the same conditions in a same_row group
// hold only when the accuracy value itself is above 0.9.
//
// Dashboard filters and widget filters are combined with [And] into the
// effective filter: And drops nil (no filter) operands, returns
// a single operand as it is, and otherwise an and group of them. And does
// not validate: validate each part first ([AtPath] makes its error paths
// point into a larger document, e.g. "$.filters").
//
// # Errors
//
// Every problem is an [*Error]: the JSON path of the offending node or key
// (Path), a sentinel kind (Kind) and a message (Msg); its text is
// "path: message", e.g.
//
//	$.conditions[1].op: unknown operator "equals" (did you mean "eq"?)
//	$.conditions[0].value: field "duration" is numeric; got string "60"
//
// Paths start at "$" (or at the path given with [AtPath]); a key follows
// as ".key" when it is an identifier and as a quoted string in brackets
// otherwise ($["odd key"]), an array element as "[i]". A missing key is
// reported at the path of the object that lacks it.
//
// The kinds are [ErrSyntax] (malformed JSON), [ErrShape], [ErrUnknownField],
// [ErrUnknownOperator], [ErrOperatorNotAllowed], [ErrValueType],
// [ErrInvalidRegex], [ErrInvalidTime], [ErrSameRow], [ErrMetadataKey],
// [ErrLimit] and [ErrTimeRange]; test them with [errors.Is], on an Error or
// on a whole list.
//
// Parse, Check, Validate and Compile report every problem of an input
// together as an [ErrorList], sorted by path with [ComparePaths]: segment
// by segment, array indexes as numbers ("[2]" before "[10]"), a node before
// its children, errors at the same path in the order found. Parse leaves
// out a node with errors and goes on with its siblings, so the other
// problems of a node that is itself malformed (an unknown operator or key,
// an object or array where a scalar belongs) are reported once that is
// fixed. An ErrorList prints its first
// [MaxReported] (10) errors, one per line, then "(and N more errors)";
// its Unwrap method returns all of them, so errors.Is and errors.As look
// into every one. The list is never flattened into a plain string error.
//
// # Limits
//
// [Limits] bound the size of a filter; [DefaultLimits] are a
// nesting depth of 32 (the root is depth 1), 1,000 conditions and groups,
// 1,000 elements in an "in" list, 10,000 bytes per string value and 255
// bytes per metadata key. [WithLimits] replaces them for one call of
// Parse, Check, Validate or Compile. Exceeding one is an [ErrLimit] error
// naming it (a long metadata key is an [ErrMetadataKey] error); the node
// limit is reported once, at the first node past it, and JSON nested far
// deeper than the depth limit is refused by the reader without being
// decoded. Check applies the same limits to an AST built in Go.
package filter
