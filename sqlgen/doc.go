// Package sqlgen writes every piece of SQL text calldash runs: the WHERE
// condition of a filter ([Where]), the one statement of a widget
// ([Compile]), the metric lookup ([MetricLookup]) and the loader's DDL and
// INSERTs ([Layout.CreateTables], [Insert]), from a [Layout] and a
// dialect (package dialect, the only package that knows a database).
//
// # Layouts
//
// A [Layout] says where each field lives: calldash's default tables
// ([DefaultLayout]; the default DDL, the loader's tables and
// testdata/schema/<dialect>.sql derive from it) or a user's own
// ([NewLayout], [ParseLayout]; see [LayoutSpec] for the shapes). It is
// checked when it is built and does not change afterwards.
//
// # Semantics
//
//   - A field a layout leaves out does not exist for it: [Layout.Schema]
//     narrows a field schema to the fields it has, so that a filter or a
//     widget naming another one gets the unknown-field error listing the
//     known fields.
//   - The agent name is read on the call row or from the agents table
//     (LEFT JOIN on its id); the metric's name and eval type together on
//     the evaluation row or in the metrics table. [MetricLookup] reads them
//     from an evaluation row of the metric (one name and eval type per
//     metric id, LIMIT 1) where the layout keeps them there.
//   - A user's JSON (metadata, an evaluation value in one JSON column) is
//     read through the dialect's JSONDocument (JSON or JSONB on
//     PostgreSQL) and JSONScalar, and its numbers are compared, grouped,
//     summed and labelled by value (CanonicalNumber): 5, 5.0 and 5e0 are
//     one label "5", as in memory. The default layout reads its columns
//     as the loader wrote them (canonical already), so its statements are
//     those of before layouts existed.
//   - A stat widget over a layout without success or duration reads NULL
//     for them: success_rate and avg_duration are null.
//
// # Scope
//
// A layout's scope columns (on any of its tables) are bound to one
// tenant's values with [Layout.Scoped]; every statement then reads a
// table only with `column = ?` for each of its scope columns, ANDed at
// the top of the SELECT that reads it, before the filter: in the WHERE of
// the calls and of every evaluation subquery, in the ON of the agents and
// metrics joins, and in the metric lookup (whose evaluation rows must
// belong to calls in scope when the evaluations carry no scope of their
// own). A [dialect.TableReader] reads a scoped table through a subquery
// whose WHERE holds the scope. A scope column cannot be a field's column,
// so no filter reaches it; a layout with scope columns and no values
// compiles nothing ([ErrUnscoped]). Ids must be unique across tenants, or
// every table must carry the scope columns.
//
// # Errors
//
// Layout errors are a calldash.ErrorList of *calldash.Error values at the
// JSON path of the layout's document ($.calls.columns.timestamp, …);
// malformed JSON is reported at $ with its byte offset.
//
// # Dialects
//
// Identifiers are ASCII letters, digits and underscores (at most 63
// bytes), quoted by the dialect; a qualified table name is a PostgreSQL
// schema, a MySQL/MariaDB or ClickHouse database, or an attached SQLite
// database. ClickHouse 18.16 reads JSON by searching its text
// (visitParam functions): a user's JSON there must be compact (no white
// space outside strings); and since its aliases are global
// ([dialect.GlobalAliaser]), a calls or evaluations column named like an
// alias of the statements (n, known, ok, dn, dsum, v, g, k1, k2, lv, cnt,
// rn, gc) is refused there with an error naming the dialect.
package sqlgen
