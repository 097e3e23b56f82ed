// Package dialect is the only package of calldash that knows which
// database it talks to. A [Dialect] writes the SQL fragments that differ
// between PostgreSQL, MySQL/MariaDB, SQLite and ClickHouse — quoting,
// exact number and text comparisons, epoch arithmetic, JSON access,
// column types — and small capability interfaces mark what only some
// databases have or lack ([Percentiler], [WindowLess], [Uncorrelated],
// [Grouper], [EpochDivider], [TableReader], [TimeRanger], [KeyChecker],
// [TextChecker], [Batcher], [JSONEncoder], [OrderedStore], [Sharder],
// [ArrayIndexer]).
// Package sqlgen composes every statement from these fragments and asks
// for a capability with a type assertion; nothing else compares a
// dialect's name.
//
// Each database lives in its own file: postgres.go, mysql.go, sqlite.go,
// clickhouse.go. regex.go is the RE2 subset that PostgreSQL and MariaDB
// share; common.go holds the helpers several dialects use.
//
// # Conventions
//
// Fragments are SQL text with "?" where an argument is bound; the
// argument order is stated by each method. Placeholders are rewritten to
// the database's form once, for the whole statement ([Rewrite]).
// Identifiers come only from a layout and are quoted with
// [Dialect.Quote]; every value, metadata key and JSON path is a bound
// argument. Fragments are deterministic, so that generated SQL can be
// golden-tested.
//
// # Exactness
//
// Case-insensitive matching does not use the database's lower()
// ([Dialect.FoldMatch]): every member of the simple-folding orbit of each
// rune of the needle is read as the orbit's representative — translated
// (PostgreSQL), replaced byte-exactly by at most [MaxNestedReplace]
// nested REPLACE calls (MariaDB, ClickHouse), or matched by a class of the
// orbit in a regular expression (MariaDB and ClickHouse beyond that, or
// for a NUL) — or the comparison runs in Go (SQLite, dialect/sqlitefn). A
// rune outside the needle's orbits cannot equal a representative, so the
// result is the in-memory matcher's on every database, whatever its
// Unicode version, and the statement grows linearly with the needle.
//
// Regular expressions are exact on SQLite (Go's regexp through
// dialect/sqlitefn) and ClickHouse (RE2, with classes spelled out). On
// PostgreSQL and MariaDB the RE2 pattern is parsed and printed back in a
// subset whose meaning the engines share, with classes as explicit code
// point ranges and (?i) literals as their folding orbits; multi-line
// anchors, word boundaries, ARE repetition counts above 255 and NUL on
// PostgreSQL are an error naming the dialect.
//
// Numbers are exact: NUMERIC on PostgreSQL, DECIMAL(65,30) on MariaDB
// (CheckNumber rejects what it cannot hold), canonical decimal text with
// the calldash_decimal collation and calldash_sum/min/max on SQLite,
// canonical text read as Decimal(38, 18) on ClickHouse; JSON numbers are
// read from their JSON text, never through a double. Instants are
// microseconds on PostgreSQL and MariaDB (TimePrecision); SQLite and
// ClickHouse hold int64 Unix nanoseconds, which cover only 1677 to 2262
// ([TimeRanger]). MariaDB cannot address metadata keys that start with
// "-" ([KeyChecker]).
package dialect

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	sq "github.com/Masterminds/squirrel"
	"github.com/shopspring/decimal"
)

// A Dialect writes the SQL fragments that differ between databases.
type Dialect interface {
	// Name is the dialect's name: "postgres", "mysql", "sqlite" or "clickhouse".
	Name() string
	// Placeholder is the placeholder format applied once to a whole statement.
	Placeholder() sq.PlaceholderFormat
	// Quote quotes an identifier (a table or column name), escaping quote
	// characters inside it.
	Quote(ident string) string

	// TimePrecision is the resolution of the timestamp column: 1µs on
	// PostgreSQL and MariaDB, 1ns on SQLite. Instants bound with TimeArg
	// must be multiples of it (the filter compiler rounds them, adjusting
	// the operator, so that comparisons stay exact).
	TimePrecision() time.Duration
	// TimeArg is the argument bound for an instant compared with the
	// timestamp column.
	TimeArg(t time.Time) any
	// EpochSeconds returns an integer expression: the whole seconds since
	// the Unix epoch of the timestamp expression col, rounded down. col
	// may appear more than once: it binds no argument (a column).
	EpochSeconds(col string) string
	// FloorDiv returns the integer floor division of two integer
	// expressions (rounding toward minus infinity; den > 0), exact for
	// |num| < 2^53 (callers divide epoch seconds and day numbers).
	FloorDiv(num, den string) string
	// MonthIndex returns an integer expression year*12 + month - 1 of the
	// date that lies days (an integer expression) after 1970-01-01.
	MonthIndex(days string) string

	// CheckNumber returns an error naming the dialect when d cannot be
	// bound exactly with NumberArg (MariaDB's DECIMAL(65,30) holds 35
	// integer and 30 fractional digits).
	CheckNumber(d decimal.Decimal) error
	// NumberArg is the argument bound for an exact decimal.
	NumberArg(d decimal.Decimal) any
	// CompareNumber returns a condition comparing the numeric expression
	// expr with one bound number (argument: NumberArg(v)); op is one of
	// = <> < <= > >=. The comparison is exact.
	CompareNumber(expr, op string) string
	// Sum, Min and Max return exact aggregates of a numeric expression.
	Sum(expr string) string
	Min(expr string) string
	Max(expr string) string

	// CompareText returns a condition comparing the text expression expr
	// with one bound string byte-wise (UTF-8 code point order, no padding,
	// case-sensitive); op is one of = <> < <= > >=.
	CompareText(expr, op string) string
	// FoldMatch returns a condition: the text expression expr contains
	// needle ignoring case (Unicode simple case folding, as in memory), or
	// starts or ends with it (m); and the arguments it binds after those
	// of expr. Its size grows linearly with the needle, and it is exact
	// for every needle (NUL included, on a dialect that stores NUL).
	FoldMatch(expr, needle string, m Match) (cond string, args []any)
	// Regex returns a condition: the text expression expr matches the RE2
	// pattern (unanchored, case-sensitive), and the one argument to bind:
	// the pattern as the database's engine must read it. The error names
	// the dialect when the database cannot evaluate pattern exactly.
	Regex(expr, pattern string) (cond string, arg any, err error)

	// BoolArg is the argument bound for a boolean compared with a boolean column.
	BoolArg(b bool) any

	// JSONPath is the argument that addresses a top-level key of a JSON
	// object column (bound wherever a method below takes a path).
	JSONPath(key string) any
	// JSONKind returns an expression over the JSON column col and one
	// bound path: 'number', 'string' or 'boolean' for a scalar of that JSON
	// type at the path, and anything else — another text, or NULL — for
	// null, an object, an array or a missing key.
	JSONKind(col string) string
	// JSONText returns an expression over the JSON column col and one
	// bound path: the text of the string at the path, the exact literal of
	// the number, or 'true'/'false'.
	JSONText(col string) string
	// JSONNumber returns a numeric expression (usable with CompareNumber,
	// Sum, Min, Max) of the number at one bound path of col.
	JSONNumber(col string) string

	// JSONDocument returns the expression that JSONKind, JSONText and
	// JSONNumber read for the JSON column col of a user's table: col
	// itself, or col converted to the type they read (PostgreSQL reads a
	// JSON column as JSONB). The loader's columns are read as they are.
	JSONDocument(col string) string
	// JSONScalar returns a JSON object with the one key [ScalarKey]
	// holding the JSON scalar (number, string, boolean) of the column col
	// of a user's table, e.g. an evaluation value in one JSON column, so
	// that JSONKind, JSONText and JSONNumber read it at JSONPath(ScalarKey).
	JSONScalar(col string) string
	// CanonicalNumber takes a numeric expression num as JSONNumber returns
	// it (a number of a user's JSON, spelled 5, 5.0 or 5e0) and returns an
	// expression of the same number that groups and sums by value
	// (number), and its canonical decimal text, as Go's decimal writes it
	// ("5", "10.27"; label). num binds its arguments once in each.
	CanonicalNumber(num string) (number, label string)

	// IntDiv returns the integer division of two non-negative integer
	// expressions, truncating.
	IntDiv(num, den string) string

	// OrderText returns an expression that sorts like the text expression
	// expr byte-wise (UTF-8 code point order), for ORDER BY clauses of
	// window functions (top-N groups rank ties by label).
	OrderText(expr string) string
	// OrderNumber returns an expression that sorts like the numeric
	// expression expr in exact numeric order, for ORDER BY clauses of
	// window functions (nearest-rank percentiles).
	OrderNumber(expr string) string
	// IntText returns the decimal text of the integer expression expr
	// (e.g. '12' for 12), NULL for NULL.
	IntText(expr string) string
	// ScanTime converts a value scanned (into an any) from the timestamp
	// column, or from MIN/MAX of it, into the instant it holds, in UTC.
	ScanTime(src any) (time.Time, error)

	// ColumnType returns the type of a column of calldash's default
	// tables that holds kind, for the column quoted as name (a type may
	// name its column, as MariaDB's CHECK of JSON does).
	ColumnType(kind ColumnKind, name string) string
	// TableOptions returns what follows the column list of CREATE TABLE
	// ("" for none), with a leading space.
	TableOptions() string
}

// A ColumnKind is what a column of calldash's default tables holds.
type ColumnKind uint8

// The kinds of columns.
const (
	ColumnKey    ColumnKind = iota + 1 // the table's integer primary key
	ColumnRef                          // an integer id, never NULL (an evaluation's call and metric)
	ColumnInt                          // an integer id or NULL (a call's agent)
	ColumnTime                         // an instant, never NULL (a call's timestamp)
	ColumnNumber                       // an exact decimal or NULL
	ColumnBool                         // a boolean or NULL
	ColumnText                         // a string or NULL, compared byte-wise
	ColumnJSON                         // a JSON object or NULL (metadata)
)

// An OrderedStore is a dialect whose tables are kept sorted by a key
// instead of having indexes (ClickHouse's MergeTree): the loader's tables
// end with OrderedBy of the columns an index would have led with.
type OrderedStore interface {
	// OrderedBy returns the clause that makes a table sorted by the quoted
	// columns cols.
	OrderedBy(cols string) string
}

// A Batcher is a dialect whose database takes rows only in the driver's
// batches (ClickHouse 18.16 reads no inline VALUES over the native
// protocol): the loader prepares the head of an INSERT and executes it
// once per row inside a transaction whose commit sends the batch.
type Batcher interface {
	// InsertsInBatches marks the dialect; it does nothing.
	InsertsInBatches()
}

// A JSONEncoder is a dialect that reads JSON by searching its text
// (ClickHouse 18.16's visitParam functions), so that the JSON it reads
// exactly is a canonical form of its own: the loader writes metadata
// keys and strings with JSONKey and JSONString.
type JSONEncoder interface {
	// JSONKey returns the text of a key between its quotes.
	JSONKey(key string) string
	// JSONString returns the JSON text of a string, quotes included.
	JSONString(s string) string
}

// A Sharder is a dialect whose tables can be spread over the shards of a
// cluster (ClickHouse's Distributed tables).
type Sharder interface {
	Dialect
	// Distributed returns the engine clause of a table that spreads its
	// rows over the shards of cluster, each shard holding them in its
	// table named local (perhaps qualified by its database: "db.t"; the
	// connection's database otherwise), by a hash of the quoted column
	// key.
	Distributed(cluster, local, key string) string
}

// ScalarKey is the key under which [Dialect.JSONScalar] puts a scalar.
const ScalarKey = "v"

// A GlobalAliaser is a dialect whose column aliases are visible in the
// whole statement (ClickHouse: an alias shadows a column of the same name
// in every subquery), so that a user's column must not be named like an
// alias of calldash's statements: package sqlgen refuses such a layout on
// it with an error naming the dialect.
type GlobalAliaser interface {
	// GlobalAliases marks the dialect; it does nothing.
	GlobalAliases()
}

// A SchemaIndexer is a dialect whose CREATE INDEX qualifies the index,
// not the table, with the schema of a qualified table name (SQLite:
// CREATE INDEX "s"."i" ON "t" (...)).
type SchemaIndexer interface {
	// IndexInSchema marks the dialect; it does nothing.
	IndexInSchema()
}

// A DDLTransactor is a dialect whose CREATE INDEX and DROP INDEX take
// part in the transaction they run in (PostgreSQL, SQLite; not
// MySQL/MariaDB, where they commit it): a load may drop the secondary
// indexes of an empty table, write the rows and create the indexes
// again, all or nothing.
type DDLTransactor interface {
	// TransactionalDDL marks the dialect; it does nothing.
	TransactionalDDL()
}

// EscapeChar is the LIKE escape character of every dialect. It is not a
// backslash because MySQL reads backslashes inside string literals.
const EscapeChar = '!'

// Optional capabilities. The widget compiler writes window functions
// (ROW_NUMBER, COUNT and DENSE_RANK OVER), plain joins and GROUP BY; a
// dialect whose database lacks the first two, or groups faster without
// the third, implements one of these interfaces, and the compiler asks
// for it with a type assertion.

// A Percentiler is a dialect with an exact nearest-rank percentile
// aggregate: ClickHouse 18.16, which has no window functions, and
// PostgreSQL, whose percentile_disc sorts each group's values where
// ROW_NUMBER sorted every row by group and value (2–3× as long for an
// hourly p95 over a week of calls). The widget compiler takes
// percentiles with Percentile instead of ranking with ROW_NUMBER.
type Percentiler interface {
	// Percentile returns an aggregate expression: the nearest-rank p-th
	// percentile (the value at rank ⌈p/100 × n⌉ of the n sorted non-null
	// values, 1 ≤ p ≤ 100) of the numeric expression expr, as text in
	// the form Sum returns; NULL without values. It is exact.
	Percentile(expr string, p int) string
}

// A WindowLess is a dialect without window functions (ClickHouse 18.16).
// It must be a [Percentiler]; the widget compiler ranks top-N groups with
// an uncorrelated IN over a grouped, ordered and limited subquery instead
// of DENSE_RANK.
type WindowLess interface {
	Percentiler
	// NoWindowFunctions marks the dialect; it does nothing.
	NoWindowFunctions()
}

// An Uncorrelated is a dialect without correlated subqueries (ClickHouse
// 18.16): the filter compiler writes a condition on a call's evaluation
// rows as an uncorrelated IN over the evaluations' call column instead of
// a correlated EXISTS.
type Uncorrelated interface {
	// NoCorrelatedSubqueries marks the dialect; it does nothing.
	NoCorrelatedSubqueries()
}

// A NumberLister is a dialect that tests a numeric expression against a
// list of numbers in one IN, reading the expression once (PostgreSQL,
// MySQL/MariaDB, SQLite, ClickHouse). The filter compiler writes an in list of
// numbers so instead of one CompareNumber per element: on a metadata key
// that spares extracting and casting the JSON value per element.
type NumberLister interface {
	// InNumbers returns a condition: the numeric expression expr equals
	// one of n ≥ 1 bound numbers (arguments: NumberArg of each, after
	// those of expr), exactly as CompareNumber with "=" would for each.
	InNumbers(expr string, n int) string
}

// A NumberRanger is a dialect whose exact decimal type holds only the
// numbers of at most so many integer and fractional digits (MariaDB's
// DECIMAL(65,30)): every number it reads lies on the grid of its
// fractional digits and below 10^intDigits in magnitude (a number beyond
// refuses the statement where it is read). The filter compiler compares
// such a value with a number the type cannot hold (CheckNumber) through
// the nearest numbers it can, instead of refusing the filter.
type NumberRanger interface {
	// NumberRange returns the digits of the type.
	NumberRange() (intDigits, fracDigits int32)
}

// A TimeRanger is a dialect whose timestamp column holds only the
// instants of a range: SQLite and ClickHouse hold Unix nanoseconds in an
// int64, from 1677-09-21 to 2262-04-11. The filter compiler decides a
// comparison with an instant outside it without the column (every value
// lies on one side), and sqlstore refuses to store such an instant.
type TimeRanger interface {
	// TimeRange returns the first and the last instant the column holds.
	TimeRange() (first, last time.Time)
}

// Beyond reports where t lies against the range of instants d's
// timestamp column holds: -1 before it, +1 after it, 0 within it (always
// 0 for a dialect that is not a [TimeRanger]).
func Beyond(d Dialect, t time.Time) int {
	r, ok := d.(TimeRanger)
	if !ok {
		return 0
	}
	switch first, last := r.TimeRange(); {
	case t.Before(first):
		return -1
	case t.After(last):
		return 1
	}
	return 0
}

// An EpochDivider is a dialect that computes floor(epoch seconds / unit)
// of its timestamp column more cheaply than FloorDiv(EpochSeconds(col),
// unit): SQLite and ClickHouse hold Unix nanoseconds (one floored
// division instead of two), MariaDB has TO_DAYS for days and PostgreSQL
// the date of the instant in UTC. The key of a
// UTC day bucket is such a division, and the most common key there is.
type EpochDivider interface {
	// EpochFloorDiv returns the expression of floor(s / unit), s being
	// the epoch seconds of the timestamp column col and unit > 0 a whole
	// number of seconds; ok is false when it cannot (for that unit).
	EpochFloorDiv(col string, unit int64) (expr string, ok bool)
}

// An ArrayIndexer is a dialect whose database evaluates every branch of
// a CASE for every row (ClickHouse computes each branch as a whole column)
// but reads an element of a literal array in constant time. The bucket
// key compiler then finds a row's UTC offset in a table of fixed-width
// windows of time (a few array elements per row) instead of a CASE over
// the zone's transitions, whose cost there grows with their number.
type ArrayIndexer interface {
	// IntAt returns an integer expression: the element at the 0-based
	// index idx (an integer expression binding no argument, 0 ≤ idx <
	// len(vals)) of the integer literals vals.
	IntAt(vals []int64, idx string) string
	// Clamp returns the integer expression min(max(x, lo), hi) of the
	// integer expression x (binding no argument), lo ≤ hi.
	Clamp(x string, lo, hi int64) string
}

// A Grouper is a dialect whose database groups rows faster with an
// aggregate function of its own than with GROUP BY: SQLite has no hash
// aggregation, and its GROUP BY sorts every row (for a bar over a million
// calls, the sort cost more than the rest of the statement). The widget
// compiler then aggregates a bar's or a pie's rows with one GroupCall
// over all of them, and reads its cells back as rows through GroupTable.
type Grouper interface {
	// GroupCall returns an aggregate expression over the rows: per
	// distinct value of the keys, the number of rows, the number of
	// non-null values of v, and fn of those values. fn is "count"
	// (nothing more), "sum", "min" or "max" (as Sum, Min and Max compute
	// them), or "p50", "p95" or "p99" (the nearest-rank percentile, as
	// [Percentiler.Percentile] defines it). limit is 0, or a cap on the
	// cells: with more groups than limit, the expression may give just
	// limit cells of them, their aggregates then unspecified (a caller
	// that refuses more than n cells passes n+1 and sees n+1 cells).
	GroupCall(fn, v string, limit int, keys []GroupKey) string
	// GroupTable returns a FROM item with one row per cell of the value
	// of the scalar subquery sub (one GroupCall over keys), and the
	// columns of that row: the keys, the rows, the values, and fn of them
	// (NULL for "count"), as the same GROUP BY would give them.
	GroupTable(sub string, keys []GroupKey) (from string, cols []string)
}

// A GroupKey is one key of a [Grouper]'s GroupCall: an expression whose
// values are all integers (or NULL), or all text (or NULL). Equal values
// form a group (text byte-wise, NULL with NULL), as in GROUP BY without
// a collation.
type GroupKey struct {
	Expr string
	Text bool
}

// A TableReader is a dialect that joins tables only in a restricted way
// and spreads tables over shards (ClickHouse 18.16: one JOIN per SELECT;
// a Distributed table loses its alias in a JOIN's ON clause and in IN
// subqueries; the right-hand key column reads wrongly when a left-hand
// column has its name). The widget compiler then writes flat statements:
// the SELECT that aggregates reads the calls table itself (so that the
// shards of a Distributed table aggregate their own rows), with the left
// key of ON as a bare column name and a metric's evaluation rows joined
// as a subquery that renames the evaluation's id. It reads a table
// through ReadTable inside IN subqueries, and for the evaluation rows of
// a metric joined with the agents (two joins), as one derived table: the
// call's columns with those of its evaluation.
type TableReader interface {
	// ReadTable returns a table expression, to be aliased, that reads
	// all the columns of the table named by the quoted identifier table.
	ReadTable(table string) string
}

// Rewrite applies d's placeholder format to a whole statement: it returns
// what d.Placeholder().ReplacePlaceholders(sql) returns, and writes the
// numbered form ($1, $2, …; "??" stands for a literal "?") without fmt,
// since a statement can bind hundreds of arguments (the offset segments
// of a zone with daylight saving time).
func Rewrite(d Dialect, sql string) (string, error) {
	f := d.Placeholder()
	if f != sq.Dollar {
		return f.ReplacePlaceholders(sql)
	}
	n := strings.Count(sql, "?")
	if n == 0 {
		return sql, nil
	}
	b := make([]byte, 0, len(sql)+n*4)
	i := int64(0)
	for {
		p := strings.IndexByte(sql, '?')
		if p < 0 {
			break
		}
		b = append(b, sql[:p]...)
		if p+1 < len(sql) && sql[p+1] == '?' {
			b = append(b, '?')
			sql = sql[p+2:]
			continue
		}
		i++
		b = append(b, '$')
		b = strconv.AppendInt(b, i, 10)
		sql = sql[p+1:]
	}
	b = append(b, sql...)
	return string(b), nil
}

// ByName returns the dialect named name: "postgres", "mysql", "sqlite" or "clickhouse".
func ByName(name string) (Dialect, error) {
	switch name {
	case "postgres":
		return Postgres, nil
	case "mysql":
		return MySQL, nil
	case "sqlite":
		return SQLite, nil
	case "clickhouse":
		return ClickHouse, nil
	}
	return nil, fmt.Errorf("unknown SQL dialect %q (known: postgres, mysql, sqlite, clickhouse)", name)
}

// A KeyChecker is a [Dialect] whose JSONPath cannot address every key.
// CheckKey returns an error naming the dialect for such a key (MariaDB's
// JSON paths cannot address keys that start with "-"); the filter compiler
// asks it when the dialect implements it.
type KeyChecker interface {
	CheckKey(key string) error
}

// CheckKey returns the error of d's CheckKey when d is a [KeyChecker].
func CheckKey(d Dialect, key string) error {
	if kc, ok := d.(KeyChecker); ok {
		return kc.CheckKey(key)
	}
	return nil
}

// A TextChecker is a [Dialect] that cannot bind every string. CheckText
// returns an error naming the dialect for such a string (PostgreSQL's text
// cannot hold NUL bytes); the filter compiler asks it for every string value
// when the dialect implements it.
type TextChecker interface {
	CheckText(s string) error
}

// CheckText returns the error of d's CheckText when d is a [TextChecker].
func CheckText(d Dialect, s string) error {
	if tc, ok := d.(TextChecker); ok {
		return tc.CheckText(s)
	}
	return nil
}

// A Killer is a dialect whose driver leaves a statement running on the
// server when its context ends (go-sql-driver/mysql closes the
// connection; MariaDB runs the statement to its end, seconds later). The
// SQL source then runs each statement on a connection whose id it read
// with ConnectionID, and when the context ends, stops the statement with
// KillQuery on another connection.
type Killer interface {
	// ConnectionID is the statement that reads the connection's id.
	ConnectionID() string
	// KillQuery returns the statement that stops the statement running
	// on connection id (an id ConnectionID read, never user input).
	KillQuery(id int64) string
}

// A MarkKiller is a dialect whose driver's own cancellation does not
// always stop a statement on the server: clickhouse-go sends a Cancel
// packet and drops the connection, which ClickHouse 18.16 may not see
// until the statement ends (a cancellation in its first moments goes
// unnoticed). The SQL source marks each statement with a random token
// and, when the context ends, stops the statements so marked with
// KillMarked on another connection.
type MarkKiller interface {
	// Mark returns the text, a comment, that marks a statement with
	// token (hexadecimal digits, never user input).
	Mark(token string) string
	// KillMarked returns the statement that stops the running
	// statements marked with token, and does not match itself.
	KillMarked(token string) string
}

// A StatementLimiter is a dialect whose database parses statements only
// up to a size: ClickHouse reads at most max_query_size bytes (262,144 by
// default), and clickhouse-go splices the arguments into the text. The
// SQL source refuses a larger statement up front, naming the dialect and
// the setting, instead of passing on the parser's "Syntax error".
type StatementLimiter interface {
	// StatementLimit returns the database's default limit in bytes and
	// the name of the setting that raises it.
	StatementLimit() (bytes int, setting string)
	// StatementSize returns the size of text with args spliced in, as
	// the database receives it.
	StatementSize(text string, args []any) int
}

// A WarningChecker is a dialect whose database answers some statements
// inexactly with nothing but a warning: MariaDB's REGEXP is false where
// PCRE2 hits its match limit (1139), and a value beyond DECIMAL(65,30) is
// clamped (1264, 1916). The SQL source reads the warnings of each
// statement on its connection (it is a [Killer] too) and refuses the
// answer for such a warning.
type WarningChecker interface {
	// Warnings is the statement that lists the warnings of the
	// connection's last statement: rows of level, code and message.
	Warnings() string
	// CheckWarning returns an error naming the dialect for a warning
	// that makes the answer inexact, nil for any other.
	CheckWarning(code int64, message string) error
}

// A FailureChecker is a dialect whose database fails a statement, instead
// of answering inexactly, when a number of the data is beyond its exact
// type: ClickHouse's toDecimal128 fails on a number beyond Decimal(38, 18)
// ("Decimal value is too big"), and its sums fail by throwIf before they
// wrap around. The SQL source turns such a failure into a refusal naming
// the dialect (the data's limit, not a failure of the system).
type FailureChecker interface {
	// CheckFailure returns an error naming the dialect when err, the
	// error of a statement, says that the data is beyond the database's
	// types; nil for any other error.
	CheckFailure(err error) error
}

// A SumChecker is a dialect whose SUM stops at the bound of the column's
// type without an error or a warning: MariaDB's SUM of a DECIMAL(65,30)
// column is a DECIMAL(65,30), clamped to ±99…9.9…9. The SQL source
// refuses a sum at that bound (exactly the bound is indistinguishable from
// beyond it).
type SumChecker interface {
	// CheckSum returns an error naming the dialect for a sum the database
	// may have clamped.
	CheckSum(sum decimal.Decimal) error
}

// A Cataloger is a dialect that can list the tables of the current
// database (or schema): every dialect of calldash is one. Package
// sqlstore's Sweep finds scratch tables left behind by a killed process
// with it.
type Cataloger interface {
	// TablesQuery is the statement whose rows are the names of the
	// tables of the current database or schema.
	TablesQuery() string
}

// A Deadliner is a dialect whose driver leaves a statement running on
// the server when its context ends, but whose database can bound a
// statement's time itself (ClickHouse's max_execution_time): the SQL
// source appends Deadline to a statement whose context has a deadline,
// so that the server stops it by then.
type Deadliner interface {
	// Deadline returns the clause that ends the statement on the server
	// after seconds (> 0), with a leading space.
	Deadline(seconds int64) string
}
