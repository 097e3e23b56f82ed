// Package calldash holds the data model every other package of calldash
// shares: call logs ([Call], [Evaluation]) and their JSON form, the one
// value type ([Value], [Kind]) with exact decimal numbers, and the one
// error type ([Error], [ErrorList]) with its kinds.
//
// The packages that compute dashboards build on it: filter (the filter
// language), aggregate (aggregation functions and time buckets), chart
// (result shapes), sqlgen (the SQL text of every statement) and widget
// (the façade: a widget spec in, chart data out, from memory or a
// database). This package imports none of them.
//
// # Call logs
//
// A call log is one JSON object (one per line in JSON Lines files):
//
//	{"id": 1, "timestamp": "2025-11-03T10:30:00Z", "duration": 45.5,
//	 "success": true, "call_ended_reason": "customer_ended_call",
//	 "dropoff_point": null, "topic": "billing", "customer_number": "+14155550100",
//	 "is_reviewed": false, "agent": {"id": 7, "agent_name": "Support EN"},
//	 "metadata": {"region": "us-east", "call_type": "inbound", "ringing_duration": 3.941},
//	 "metric_evaluations": [
//	   {"id": 900, "metric": {"id": 12, "name": "accuracy", "eval_type": "numeric"}, "value": 0.93}]}
//
// Every field but id and timestamp may be null or absent (absent reads as
// null). Metadata holds top-level scalar values only: an object or array
// value behaves exactly like a missing key. An evaluation's value has the
// JSON type of its metric's eval type: numbers for numeric and
// continuous_qualitative, booleans for binary, strings for enum.
// [Call.UnmarshalJSON], [ReadCalls] and [DecodeCalls] read call logs;
// [Call.MarshalJSON] and [WriteCalls] write them back. A [Decoder] reads
// JSON Lines several times faster, straight from the bytes, with the same
// rules and every error naming the line and the JSON path; it also
// refuses a lone UTF-16 surrogate escape.
//
// # Values
//
// A [Value] is null, a boolean, an exact decimal number (never a float:
// 0.30 equals 0.3, and 1e2 equals 100), a string, an instant (in results)
// or a list (the value of an "in" filter). Numbers print in plain decimal
// notation without trailing zeros ([AppendDecimal]); instants in RFC 3339
// in their own location ([AppendTime]).
//
// # Errors
//
// Every problem with an input is an [*Error]: the JSON path of the
// offending node or key, a sentinel kind (ErrUnknownField, ErrChoice, …)
// that errors.Is finds, and a message. Its text is "path: message":
//
//	$.conditions[1].op: unknown operator "equals" (did you mean "eq"?)
//
// An [ErrorList] holds every problem of one input, sorted by path
// ([ComparePaths]: array indexes as numbers, a node before its children);
// it prints its first [MaxReported] errors and "(and N more errors)", and
// errors.Is and errors.As look into every one. An error that is neither an
// *Error nor an ErrorList is not the input's fault: a database that is
// down, a cancelled context.
package calldash
