package dialect

import (
	"fmt"
	"regexp/syntax"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"

	sq "github.com/Masterminds/squirrel"
	"github.com/shopspring/decimal"

	"github.com/calldash/calldash/internal/dec"

	"github.com/calldash/calldash/internal/fold"
)

// ClickHouse is the ClickHouse dialect (driver clickhouse-go v2, native
// protocol). It is written for, and tested on, Debian's clickhouse-server
// 18.16 and uses only functions that current ClickHouse releases still
// have, in forms both read the same way:
//
//   - Instants are Int64 Unix nanoseconds, as on SQLite: 18.16 has no
//     DateTime64 (DateTime holds whole seconds only). Instants outside
//     1677..2262 cannot be stored, and compare as [TimeRanger] says.
//   - Numbers are Nullable(String) columns holding canonical decimal text
//     (as on SQLite) and are read as Decimal(38, 18) with toDecimal128:
//     18.16 crashes on Decimal values inside groupArray and inside GROUP BY
//     keys of more than one column, so no Decimal column exists and no
//     Decimal value is ever grouped. [ClickHouse.CheckNumber] limits numbers
//     to 20 integer and 18 fractional digits; sums are exact Decimal(38, 18)
//     sums, and a sum whose magnitude reaches 1e20 fails (throwIf) instead
//     of wrapping around as 18.16's Decimal sum does. A number of the data
//     beyond Decimal(38, 18) fails toDecimal128; [ClickHouse.CheckFailure]
//     makes both failures refusals naming the dialect.
//   - Booleans are Nullable(UInt8) 0/1; strings Nullable(String), compared
//     byte-wise (memcmp), which is UTF-8 code point order.
//   - LIKE has no ESCAPE clause: the dialect's "!" escapes are rewritten
//     into ClickHouse's backslash escapes inside the statement.
//   - Regular expressions run on RE2 (match); the pattern is parsed with
//     Go's regexp/syntax and printed back with every class as explicit
//     code point ranges and "." with an explicit s flag, so neither
//     ClickHouse's dot_nl default nor its RE2 Unicode tables change the
//     answer (see [ClickHouse.Regex]).
//   - Metadata is a JSON String column read with visitParamExtractRaw
//     (the JSONExtract family arrived after 18.16). visitParam* find a key
//     by searching for the text "key": anywhere in the document, so the
//     dialect is exact for the canonical form calldash's loader writes
//     ([ClickHouse.JSONKey], [ClickHouse.JSONString]): a flat object of
//     scalars in which no key or string holds a raw double quote and no
//     key starts with a JSON punctuation character; then "key": can only
//     occur where that key is. Other JSON may give other answers.
//   - There are no window functions and no correlated subqueries in
//     18.16: percentiles use [ClickHouse.Percentile] (arraySort over
//     groupArray); EXISTS must be written as IN (uncorrelated).
//   - Per-row lambdas (arrayMap over a one-element array, to bind an
//     operand once) build an array per row and are several times as slow
//     as plain functions, so they remain only where an operand binds
//     arguments (a JSON path, whose "?" must appear once) and in
//     MonthIndex. FloorDiv writes its operand once (a shift into the
//     non-negative integers); the decimal reading of a column writes the
//     column twice, which ClickHouse computes once (it names every
//     expression by its text). Aliases do not help: 18.16 replaces every
//     alias by its expression before analysing a statement, so an alias
//     read n times is analysed n times.
//   - Bucket keys are integer arithmetic on the Int64 nanoseconds; the
//     UTC offset of a zone with transitions is read from literal arrays
//     indexed by the row's window of time ([ClickHouse.IntAt],
//     [ArrayIndexer]): a few array reads per row, not a multiIf over
//     every transition (18.16 computes every branch of a multiIf for
//     every row). ClickHouse's own time zone functions are not used:
//     their zone data is not Go's.
//
// # Sharding
//
// Over a Distributed table the widget compiler writes flat statements
// (see package sqlgen): the SELECT that aggregates reads the Distributed
// table itself, so each shard aggregates its own rows and returns at most
// one row per bucket and group (count, count of values, the Decimal sum,
// min, max, or groupArray's values of the group for a percentile, which
// the initiator sorts once it has every shard's), and the initiator
// merges. The evaluation rows of a metric widget that also reads the
// agents (18.16 allows one JOIN per SELECT) are read from the
// evaluations table itself, joined with one subquery of the calls that
// pass the filter and their agents, which runs on each shard too. Joins
// and IN subqueries stay inside each shard, which requires:
//
//   - the evaluations sharded by the call id, with the same expression as
//     the calls: calls by cityHash64(id), metric_evaluations by
//     cityHash64(call_log_id) ([ClickHouse.Distributed]; the sharded
//     default layout, sqlgen.CreateShardedTables), so that a call and its
//     evaluations live on one shard;
//   - agents and metrics as a full copy on every shard, under the same
//     name (plain MergeTree tables, not Distributed);
//   - the setting distributed_product_mode = 'local' in the user's
//     profile (clickhouse-go cannot send a string setting to 18.16), so
//     that a subquery over the Distributed evaluations reads the shard's
//     local table; and join_use_nulls = 1.
//
// Top-N groups are the one thing computed over every shard first: a
// GLOBAL NOT IN subquery, run once by the initiator (itself aggregated on
// the shards), whose set is sent to the shards.
//
// # Functions
//
// Every function the dialect writes exists in 18.16 and in current
// releases: intDiv, modulo, least, greatest, abs, toInt64, toFloat64,
// arrayDistinct, arrayCount,
// toString, toDecimal128, if, multiIf (CASE), ifNull, isNull, isNotNull,
// COALESCE, transform, substring, concat, match, replaceAll,
// replaceRegexpAll, visitParamExtractRaw, visitParamExtractString,
// arrayElement (a[i]), arrayMap, arrayFilter, arraySort, length, empty,
// emptyArrayString, toNullable, throwIf, cityHash64, the aggregates count, sum, min,
// max and groupArray,
// LIKE, IN and GLOBAL IN, currentDatabase and remote in the loader's
// statements, and position and concat in the KILL QUERY that stops a
// cancelled statement ([ClickHouse.KillMarked]). Behaviour that differs between 18.16 and current releases,
// and how the dialect stays out of its way:
//
//   - AND and OR are not Kleene logic on 18.16 (0 AND NULL is NULL): every
//     condition is written never to be NULL (ifNull(..., 0)).
//   - 18.16 evaluates both branches of if and multiIf for every row;
//     current releases may short-circuit them. Every branch is written to
//     be valid for every row (toDecimal128 reads ifNull(x, '0')), and
//     neither evaluation order changes an answer.
//   - 18.16 loses the alias of a Distributed table in a JOIN's ON clause
//     and in IN subqueries (its rewrite for the shards drops qualifiers):
//     the left key of ON is a bare column name and subqueries read
//     (SELECT * FROM t) AS e ([ClickHouse.ReadTable]); current releases
//     read both forms.
//   - An alias is global to a SELECT in both; on 18.16 it also replaces a
//     lambda parameter of the same name, so the compiler's aliases
//     (calldash_value, calldash_k1, …) are never a lambda parameter's
//     name (calldash_v, calldash_r, calldash_a, calldash_s, calldash_f, calldash_x,
//     calldash_y, calldash_z, calldash_n, calldash_d).
//   - Current releases with the new analyzer (the default since 24.3)
//     resolve the bare left key of ON to the left table's column, as
//     18.16 does; the statements were tested on 18.16 only.
//
// A left join fills unmatched columns with NULL only with the setting
// join_use_nulls=1, which connections must set (sqltest does).
var ClickHouse Dialect = clickhouse{}

type clickhouse struct{}

// clickhouseScale is the scale of the Decimal(38, S) numbers are read as.
const clickhouseScale = 18

func (clickhouse) Name() string                      { return "clickhouse" }
func (clickhouse) Placeholder() sq.PlaceholderFormat { return sq.Question }

// Quote writes a back-quoted identifier; ClickHouse escapes inside it
// with backslashes.
func (clickhouse) Quote(ident string) string {
	if !strings.ContainsAny(ident, "\\`") {
		return "`" + ident + "`"
	}
	var b strings.Builder
	b.WriteByte('`')
	for i := 0; i < len(ident); i++ {
		if c := ident[i]; c == '\\' || c == '`' {
			b.WriteByte('\\')
		}
		b.WriteByte(ident[i])
	}
	b.WriteByte('`')
	return b.String()
}

func (clickhouse) TimePrecision() time.Duration { return time.Nanosecond }

// TimeArg binds Unix nanoseconds (see TimeRange).
func (clickhouse) TimeArg(t time.Time) any { return unixNanoArg(t) }

// TimeRange is the range of Int64 Unix nanoseconds.
func (clickhouse) TimeRange() (first, last time.Time) { return unixNanoRange() }

func (clickhouse) EpochSeconds(col string) string { return floorDivTwice(col, "1000000000") }

// EpochFloorDiv is one floored division of the Unix nanoseconds by unit·10^9.
func (d clickhouse) EpochFloorDiv(col string, unit int64) (string, bool) {
	return nanosFloorDiv(col, unit, floorDivTwice)
}

// floorDivTwice is the floor division of an Int64 column (binding no
// argument) by den, exact for every Int64: intDiv truncates toward zero,
// and the quotient is one less when the remainder (which has the sign of
// num) is negative. The column is named twice; operands that bind
// arguments are bound once through a lambda.
func floorDivTwice(num, den string) string {
	if binds(num) || binds(den) {
		return "arrayElement(arrayMap((calldash_n, calldash_d) -> intDiv(calldash_n, calldash_d) - (modulo(calldash_n, calldash_d) < 0), " +
			"[toInt64(" + num + ")], [toInt64(" + den + ")]), 1)"
	}
	return "(intDiv(" + num + ", " + den + ") - (modulo(" + num + ", " + den + ") < 0))"
}

// FloorDiv writes num once, so that nested keys (a week of local days of
// local seconds) stay linear in size: 18.16 replaces every alias by its
// expression before it reads a statement, so an operand named twice is
// parsed and analysed twice, and floorDivTwice of floorDivTwice four
// times. For a literal den = d > 0 it shifts num by K·d ≥ 2^53 into the
// non-negative integers, where intDiv is the floor: intDiv(num + K·d, d) -
// K, exact for |num| < 2^53 as the method promises. Other operands fall
// back to floorDivTwice.
func (clickhouse) FloorDiv(num, den string) string {
	if d, err := strconv.ParseInt(den, 10, 64); err == nil && d > 0 && d <= 1<<30 {
		k := (int64(1)<<53 + d - 1) / d
		return "(intDiv(" + num + " + toInt64(" + strconv.FormatInt(k*d, 10) + "), " + den + ") - toInt64(" + strconv.FormatInt(k, 10) + "))"
	}
	return floorDivTwice(num, den)
}

// binds reports whether the SQL text expr binds an argument: whether it
// holds a placeholder (or a quoted identifier with a "?" in it, which
// only makes the answer more careful).
func binds(expr string) bool { return strings.IndexByte(expr, '?') >= 0 }

// MonthIndex computes the civil date from the day number arithmetically
// (H. Hinnant's days_from_civil inverse), exact for every Int64 day
// number of an Int64-nanosecond instant; toDate would wrap outside
// 1970..2105 on 18.16. The day number is bound once, by a lambda (18.16
// would expand an alias of it into each of its ~130 uses), and the
// intermediate values are written out inside it.
func (clickhouse) MonthIndex(days string) string {
	// z: days since 0000-03-01; e: era (400 years); o: day of era;
	// y: year of era; m: month counted from March (0..11).
	z := "calldash_z"
	e := "intDiv(" + z + " - if(" + z + " < 0, 146096, 0), 146097)"
	o := "(" + z + " - " + e + " * 146097)"
	y := "intDiv(" + o + " - intDiv(" + o + ", 1460) + intDiv(" + o + ", 36524) - intDiv(" + o + ", 146096), 365)"
	m := "intDiv(5 * (" + o + " - (365 * " + y + " + intDiv(" + y + ", 4) - intDiv(" + y + ", 100))) + 2, 153)"
	return "arrayElement(arrayMap(calldash_z -> (" + y + " + " + e + " * 400 + (" + m + " >= 10)) * 12 + " + m + " + if(" + m + " < 10, 2, -10), " +
		"[toInt64(" + days + ") + 719468]), 1)"
}

// IntAt indexes an array literal (arrayElement counts from 1).
func (clickhouse) IntAt(vals []int64, idx string) string {
	b := make([]byte, 0, len(vals)*12+len(idx)+8)
	b = append(b, '[')
	for i, v := range vals {
		if i > 0 {
			b = append(b, ", "...)
		}
		b = strconv.AppendInt(b, v, 10)
	}
	b = append(b, "]["...)
	b = append(b, idx...)
	b = append(b, " + 1]"...)
	return string(b)
}

// Clamp is least(greatest(x, lo), hi), with the bounds as Int64 literals.
func (clickhouse) Clamp(x string, lo, hi int64) string {
	return "least(greatest(" + x + ", toInt64(" + strconv.FormatInt(lo, 10) + ")), toInt64(" + strconv.FormatInt(hi, 10) + "))"
}

// CheckNumber accepts what Decimal(38, 18) holds: at most 20 integer and
// 18 fractional digits.
func (clickhouse) CheckNumber(d decimal.Decimal) error {
	intDigits, fracDigits := digits(d)
	if intDigits > 38-clickhouseScale || fracDigits > clickhouseScale {
		return fmt.Errorf("number %s does not fit Decimal(38, %d) (at most %d integer and %d fractional digits): not supported on clickhouse",
			shortNumber(d), clickhouseScale, 38-clickhouseScale, clickhouseScale)
	}
	return nil
}

// NumberRange: Decimal(38, 18).
func (clickhouse) NumberRange() (intDigits, fracDigits int32) {
	return 38 - clickhouseScale, clickhouseScale
}

// NumberArg binds the canonical decimal text, read with toDecimal128.
func (clickhouse) NumberArg(d decimal.Decimal) any { return dec.String(d) }

// num reads the decimal text expr as Decimal(38, 18), NULL for NULL.
// 18.16 runs a function over a Nullable column's hidden default values
// too, and toDecimal128(”) fails (there is no toDecimal128OrNull), so a
// NULL is read as the text '0' and then made NULL again with if. expr
// appears twice (ClickHouse computes it once); an expr that binds
// arguments is bound once instead: the NULLs are filtered out of a
// one-element array first, and arrayElement of the empty array is NULL.
func (clickhouse) num(expr string) string {
	if !binds(expr) {
		return "if(isNull(" + expr + "), NULL, " + decimalOf("ifNull("+expr+", '0')") + ")"
	}
	return "arrayElement(arrayMap(calldash_v -> " + decimalOf("calldash_v") + ", " +
		"arrayFilter(calldash_v -> isNotNull(calldash_v), [" + expr + "])), 1)"
}

// sumNum reads expr for a sum: a NULL adds 0, so it is read as the text
// '0' (the count of values is taken apart).
func (d clickhouse) sumNum(expr string) string {
	if !binds(expr) {
		return decimalOf("ifNull(" + expr + ", '0')")
	}
	return d.num(expr)
}

// decimalOf reads the non-null decimal text expr as Decimal(38, 18).
func decimalOf(expr string) string {
	return "toDecimal128(" + expr + ", " + strconv.Itoa(clickhouseScale) + ")"
}

// InNumbers tests the exact decimal of expr against the numbers with
// one IN, expr written once, 0 for NULL. Both sides are Nullable:
// 18.16 refuses IN between a Nullable and a plain Decimal ("Type
// mismatch in IN"). has over an array literal costs seconds to analyse
// for a thousand numbers, and an OR of comparisons would extract and
// cast a metadata value per element (about 660 bytes of statement each).
func (d clickhouse) InNumbers(expr string, n int) string {
	return "ifNull(toNullable(" + d.num(expr) + ") IN (" + list("toNullable("+decimalOf("?")+")", n) + "), 0)"
}

// CompareNumber, CompareText, Like and Regex are 0, never NULL, for a
// NULL operand: 18.16's AND is not Kleene logic (0 AND NULL is NULL), so
// NOT (kind = 'number' AND number = v) would drop rows that current
// releases keep. With no NULL inside, both read it the same way.
func (d clickhouse) CompareNumber(expr, op string) string {
	return "ifNull(" + d.num(expr) + " " + checkOp(op) + " " + decimalOf("?") + ", 0)"
}

// Sum is an exact Decimal(38, 18) sum as text. 18.16 does not check sums
// for overflow (Decimal(38, 18) ends near ±1.7014e20), so a Float64 sum of
// the same values (reached through an alias, so that expr and its
// arguments appear once) must stay below 1.7e20, or throwIf fails the
// statement: the Decimal sum is right whenever the exact sum fits,
// whatever the order of additions (two's complement), and the Float64
// sum's error is far below the margin.
func (d clickhouse) Sum(expr string) string {
	alias := "calldash_sum_" + strconv.FormatUint(fnv64(expr), 16)
	return "toString(sum(" + d.sumNum(expr) + " AS " + alias + ") + " +
		"toDecimal128(throwIf(abs(sum(toFloat64(" + alias + "))) >= 1.7e20), " + strconv.Itoa(clickhouseScale) + "))"
}

func (d clickhouse) Min(expr string) string { return "toString(min(" + d.num(expr) + "))" }
func (d clickhouse) Max(expr string) string { return "toString(max(" + d.num(expr) + "))" }

// Percentile returns an aggregate expression: the nearest-rank p-th
// percentile (the value at rank ⌈p/100 × n⌉ of the sorted non-null
// values) of the numeric expression expr, as decimal text, NULL without
// values. 18.16 has no window functions and no quantile with this
// definition (quantileExact takes rank ⌊p/100 × n⌋ + 1), so the values are
// collected as text with groupArray (of a Decimal it crashes 18.16) — the
// column's own decimal text when expr binds no argument — and picked by
// rank in their Decimal order; an expr that is more than a column's name
// is written once, and an alias names it for its other uses. On a
// Distributed table the shards send groupArray's partial state, the
// values of each group, and the server that was asked picks: the nearest
// rank needs the group's count over every shard.
//
// Each text is parsed to Float64 once: the expression is written flat,
// each part (the texts, their Float64s, the Float64 at the rank) as the
// same text wherever it is used, which ClickHouse computes once (it names
// every expression by its text), instead of bound by one-element arrayMap
// lambdas, which copy the group's arrays at every level and cost more
// than the parse. Values are ordered by their Float64 (18.16 sorts Decimal
// values very slowly: 20,000 values 7–11 s, Float64 0.1 s), which rounds
// monotonically: the value at the rank has the Float64 f at that rank of
// the sorted Float64s, and is the value at rank r − (count below f) of
// the run of values whose Float64 is f. Only a run that holds two
// different texts (decimals of one Float64) is sorted by Decimal value:
// 18.16 evaluates both branches of if, so the condition empties the
// sort's input, not only its output.
//
// (The shards could parse instead, but 18.16's groupArray of (Float64,
// text) tuples costs more than the parse, and two groupArrays are in the
// same order only by how ClickHouse happens to merge states.)
func (d clickhouse) Percentile(expr string, p int) string {
	if p < 1 || p > 100 {
		panic(fmt.Sprintf("dialect: percentile %d out of 1..100", p))
	}
	vals := expr // the decimal text itself
	if binds(expr) {
		vals = "toString(" + d.num(expr) + ")"
	}
	texts := "groupArray(" + vals + ")" // groupArray leaves NULLs out
	first := texts
	if strings.Trim(vals, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.`") != "" {
		// Not a column's name: the values (and their arguments) appear
		// once, in the first use, which names them for the other uses.
		alias := "calldash_pv_" + strconv.FormatUint(fnv64(vals), 16)
		first = "groupArray(" + vals + " AS " + alias + ")"
		texts = "groupArray(" + alias + ")"
	}
	floats := "arrayMap(calldash_x -> toFloat64(calldash_x), " + texts + ")"
	r := "intDiv(length(" + texts + ") * " + strconv.Itoa(p) + " + 99, 100)"
	f := "arrayElement(arraySort(" + floats + "), " + r + ")"
	run := "arrayFilter((calldash_s, calldash_f) -> calldash_f = " + f + ", " + texts + ", " + floats + ")"
	below := "arrayCount(calldash_f -> calldash_f < " + f + ", " + floats + ")"
	mixed := "length(arrayDistinct(" + run + ")) > 1"
	return "if(empty(" + first + "), NULL, if(" + mixed + ", " +
		"arrayElement(arraySort(calldash_y -> " + decimalOf("calldash_y") + ", if(" + mixed + ", " + run + ", emptyArrayString())), " + r + " - " + below + "), " +
		"arrayElement(" + run + ", 1)))"
}

// NoWindowFunctions: 18.16 has none (see [WindowLess]).
func (clickhouse) NoWindowFunctions() {}

// NoCorrelatedSubqueries: 18.16 has none (see [Uncorrelated]).
func (clickhouse) NoCorrelatedSubqueries() {}

// InsertsInBatches: 18.16 reads no inline VALUES over the native protocol
// (see [Batcher]).
func (clickhouse) InsertsInBatches() {}

// StatementLimit is ClickHouse's default max_query_size.
func (clickhouse) StatementLimit() (int, string) { return 256 << 10, "max_query_size" }

// StatementSize counts the text and each argument as clickhouse-go
// splices it in: a string quoted, with \, ' and NUL escaped in two bytes;
// any other value in at most 40.
func (clickhouse) StatementSize(text string, args []any) int {
	n := len(text)
	str := func(s string) int {
		return len(s) + 2 + strings.Count(s, `\`) + strings.Count(s, "'") + strings.Count(s, "\x00")
	}
	for _, a := range args {
		switch a := a.(type) {
		case string:
			n += str(a)
		case []byte:
			n += str(string(a))
		default:
			n += 40
		}
	}
	return n
}

// CompareText compares bytes: ClickHouse's String comparison is memcmp.
func (clickhouse) CompareText(expr, op string) string {
	return "ifNull((" + expr + ") " + checkOp(op) + " ?, 0)"
}

// FoldMatch folds with nested replaceAll calls and compares with LIKE;
// beyond MaxNestedReplace calls, or for a needle with a NUL (which LIKE
// drops with the rest of the pattern), it matches a regular expression of
// orbit classes (18.16 has no translateUTF8).
//
// LIKE's pattern is rewritten from "!" escapes into backslash escapes
// (18.16's LIKE has no ESCAPE clause; a backslash escapes the next
// character): first every backslash of the pattern becomes an escaped
// backslash, then every "!x" becomes "\x". The rewritten pattern is a
// constant expression, which LIKE requires.
func (clickhouse) FoldMatch(expr, needle string, m Match) (string, []any) {
	replace := func(x string) string { return "replaceAll(" + x + ", ?, ?)" }
	like := func(x string) string {
		return "ifNull((" + x + `) LIKE replaceRegexpAll(replaceAll(?, '\\', '\\\\'), '!(.)', '\\\\\\1'), 0)`
	}
	if cond, args, ok := foldReplace(expr, needle, m, replace, like); ok {
		return cond, args
	}
	return "ifNull(match(" + expr + ", ?), 0)", []any{foldRegex(needle, m)}
}

// Regex binds the pattern rewritten by clickhouseRegex.
func (clickhouse) Regex(expr, pattern string) (string, any, error) {
	p, err := clickhouseRegex(pattern)
	if err != nil {
		return "", nil, regexError(pattern, "clickhouse", err)
	}
	return "ifNull(match(" + expr + ", ?), 0)", p, nil
}

// clickhouseRegex rewrites an RE2 pattern (Go's flags) into a pattern
// whose meaning does not depend on the options ClickHouse gives RE2
// (dot_nl) or on the Unicode version of its RE2: the pattern is parsed
// with regexp/syntax, literals under (?i) become classes of their simple
// folding orbits (Go's tables), and syntax.Regexp.String prints classes
// as explicit ranges, "." as (?s:.) or (?-s:.), and ^ $ with explicit
// flags. What remains — literals, ranges, \b (ASCII in both), repetition
// — reads the same in RE2 and Go.
func clickhouseRegex(pattern string) (string, error) {
	re, err := syntax.Parse(pattern, syntax.Perl)
	if err != nil {
		return "", fmt.Errorf("invalid regular expression: %v", err)
	}
	re = unfold(re)
	s := classed(re).String()
	if strings.IndexByte(s, 0) >= 0 {
		return "", fmt.Errorf("the NUL character cannot be passed to match")
	}
	return s, nil
}

// classed replaces, recursively, the literals that Go prints as escapes
// (NUL and the other characters that are not printable) by classes of one
// character: ClickHouse's prefilter reads "\x00cd" as the literal "x00cd"
// and drops texts that hold NUL, "cd", whereas "[\x00]cd" it leaves to RE2.
func classed(re *syntax.Regexp) *syntax.Regexp {
	for i, sub := range re.Sub {
		re.Sub[i] = classed(sub)
	}
	if re.Op != syntax.OpLiteral || !slices.ContainsFunc(re.Rune, func(r rune) bool { return !unicode.IsPrint(r) }) {
		return re
	}
	cat := &syntax.Regexp{Op: syntax.OpConcat, Flags: re.Flags}
	for _, r := range re.Rune {
		op := syntax.OpLiteral
		if !unicode.IsPrint(r) {
			op = syntax.OpCharClass
		}
		lit := &syntax.Regexp{Op: op, Rune: []rune{r}, Flags: re.Flags}
		if op == syntax.OpCharClass {
			lit.Rune = []rune{r, r}
		}
		cat.Sub = append(cat.Sub, lit)
	}
	if len(cat.Sub) == 1 {
		return cat.Sub[0]
	}
	return cat
}

// unfold replaces case-folded literals by explicit classes, recursively.
func unfold(re *syntax.Regexp) *syntax.Regexp {
	for i, sub := range re.Sub {
		re.Sub[i] = unfold(sub)
	}
	if re.Op != syntax.OpLiteral || re.Flags&syntax.FoldCase == 0 {
		return re
	}
	cat := &syntax.Regexp{Op: syntax.OpConcat, Flags: re.Flags &^ syntax.FoldCase}
	for _, r := range re.Rune {
		if unicode.SimpleFold(r) == r {
			cat.Sub = append(cat.Sub, &syntax.Regexp{Op: syntax.OpLiteral, Rune: []rune{r}, Flags: cat.Flags})
			continue
		}
		var ranges []rune
		for _, m := range fold.Orbit(r) {
			ranges = append(ranges, m, m)
		}
		cat.Sub = append(cat.Sub, &syntax.Regexp{Op: syntax.OpCharClass, Rune: ranges, Flags: cat.Flags})
	}
	if len(cat.Sub) == 1 {
		return cat.Sub[0]
	}
	return cat
}

// BoolArg binds 1 or 0 for a UInt8 column.
func (clickhouse) BoolArg(b bool) any {
	if b {
		return uint8(1)
	}
	return uint8(0)
}

// JSONPath is the key as it appears between the quotes in the canonical
// metadata text ([JSONEncoder]).
func (d clickhouse) JSONPath(key string) any { return d.JSONKey(key) }

// JSONKind reads the raw JSON text at the key and names its type by its
// first byte: '"' string, 't'/'f' boolean, '-' or a digit number; an
// object, array, null or a missing key (empty text) give ”.
func (clickhouse) JSONKind(col string) string {
	return "ifNull(transform(substring(visitParamExtractRaw(" + col + ", ?), 1, 1), " +
		`['"', 't', 'f', '-', '0', '1', '2', '3', '4', '5', '6', '7', '8', '9'], ` +
		"['string', 'boolean', 'boolean', 'number', 'number', 'number', 'number', 'number', 'number', 'number', 'number', 'number', 'number', 'number'], ''), '')"
}

// JSONText unquotes a string (by reading it back out of a one-key object
// with visitParamExtractString) and returns other raw text as it is.
func (clickhouse) JSONText(col string) string {
	return "arrayElement(arrayMap(calldash_r -> if(substring(calldash_r, 1, 1) = '\"', " +
		`visitParamExtractString(concat('{"k":', calldash_r, '}'), 'k'), calldash_r), ` +
		"[visitParamExtractRaw(" + col + ", ?)]), 1)"
}

// JSONNumber is the raw text of a number (canonical decimal text in the
// loader's form), NULL for anything else.
func (clickhouse) JSONNumber(col string) string {
	return "arrayElement(arrayMap(calldash_r -> if(match(calldash_r, '^-?[0-9]'), calldash_r, NULL), " +
		"[visitParamExtractRaw(" + col + ", ?)]), 1)"
}

func (clickhouse) IntDiv(num, den string) string { return "intDiv(" + num + ", " + den + ")" }

// ColumnType: Int64 ids and Unix nanoseconds, canonical decimal text in
// Nullable(String), Nullable(UInt8) 0/1, Nullable(String) text and JSON.
func (clickhouse) ColumnType(kind ColumnKind, _ string) string {
	return [...]string{ColumnKey: "Int64", ColumnRef: "Int64", ColumnInt: "Nullable(Int64)", ColumnTime: "Int64",
		ColumnNumber: "Nullable(String)", ColumnBool: "Nullable(UInt8)", ColumnText: "Nullable(String)",
		ColumnJSON: "Nullable(String)"}[kind]
}

func (clickhouse) TableOptions() string { return "" }

// OrderedBy: a MergeTree table sorted by cols, its primary index (which
// the WHERE bounds on timestamp use). `ENGINE = MergeTree() ORDER BY` is
// the syntax both 18.16 and current releases accept.
func (clickhouse) OrderedBy(cols string) string {
	return "ENGINE = MergeTree() ORDER BY (" + cols + ")"
}

// Distributed spreads rows by cityHash64 of the key. Queries over such
// tables run with distributed_product_mode='local', so that subqueries and
// joins over a second Distributed table stay inside each shard (correct
// when the rows they join are co-located, as the sharded default layout
// keeps a call and its evaluations).
func (d clickhouse) Distributed(cluster, local, key string) string {
	database := "currentDatabase()"
	if db, name, ok := strings.Cut(local, "."); ok {
		database, local = d.Quote(db), name
	}
	return "ENGINE = Distributed(" + d.Quote(cluster) + ", " + database + ", " + quoteString(local) + ", cityHash64(" + key + "))"
}

// quoteString writes a ClickHouse string literal.
func quoteString(s string) string {
	return "'" + strings.NewReplacer("\\", "\\\\", "'", "\\'").Replace(s) + "'"
}

// JSONKey returns a metadata key as the loader writes it between
// the quotes of the canonical JSON text, and as JSONPath binds it: JSON
// escapes, with \u00XX for '"' (never a raw quote inside a string), for
// '\' (18.16's visitParamExtractRaw finds no value in a string that ends
// in the escape \\), for the control characters, and for the
// punctuation , : { } [ ] (so that no key text starts where a value ends).
func (clickhouse) JSONKey(key string) string { return chEscape(key, true) }

// JSONString returns the JSON text of a string value in the
// canonical metadata form: quoted, with \u0022 for '"', \u005c for '\',
// \u00XX for control characters and for { } [ ] (18.16's
// visitParamExtractRaw counts brackets inside strings too, and an
// unbalanced one made the value read as missing).
func (clickhouse) JSONString(s string) string { return `"` + chEscape(s, false) + `"` }

func chEscape(s string, key bool) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '"' || c == '\\' || c < 0x20 || c == 0x7f || c == '{' || c == '}' || c == '[' || c == ']' ||
			key && (c == ',' || c == ':'):
			fmt.Fprintf(&b, `\u%04x`, c)
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}

// fnv64 is the FNV-1a hash of s (alias names that differ per expression).
func fnv64(s string) uint64 {
	h := uint64(14695981039346656037)
	for i := 0; i < len(s); i++ {
		h ^= uint64(s[i])
		h *= 1099511628211
	}
	return h
}

// --- What package sqlgen asks of every dialect.

// OrderText: String sorts byte-wise.
func (clickhouse) OrderText(expr string) string { return expr }

// OrderNumber sorts by the Decimal value of the text.
func (d clickhouse) OrderNumber(expr string) string { return d.num(expr) }

func (clickhouse) IntText(expr string) string { return "toString(" + expr + ")" }

// ScanTime reads the Int64 Unix nanoseconds of the timestamp column.
func (clickhouse) ScanTime(src any) (time.Time, error) {
	switch x := src.(type) {
	case int64:
		return time.Unix(0, x).UTC(), nil
	case *int64:
		if x != nil {
			return time.Unix(0, *x).UTC(), nil
		}
	}
	return time.Time{}, fmt.Errorf("clickhouse: want Int64 Unix nanoseconds for a timestamp, got %T", src)
}

// ReadTable reads a table through a subquery: 18.16 loses the alias of a
// Distributed table in IN subqueries and joined with ON when it rewrites
// the query for the shards ("Unknown identifier: c.agent_id").
func (clickhouse) ReadTable(table string) string { return "(SELECT * FROM " + table + ")" }

func (clickhouse) JSONDocument(col string) string { return col }

func (clickhouse) JSONScalar(col string) string {
	return "concat('{\"" + ScalarKey + "\":', " + col + ", '}')"
}

// CanonicalNumber reads the raw JSON number as Decimal(38, 18) and writes
// it back without the trailing zeros of its 18 fractional digits: the text
// both groups and reads as the label.
func (d clickhouse) CanonicalNumber(num string) (number, label string) {
	// (No question mark in the patterns: the driver would take it for a
	// placeholder.)
	n := "arrayElement(arrayMap(calldash_n -> replaceRegexpOne(replaceRegexpOne(toString(" + decimalOf("calldash_n") + "), '0+$', ''), '[.]$', ''), " +
		"arrayFilter(calldash_n -> isNotNull(calldash_n), [" + num + "])), 1)"
	return n, n
}

// CheckFailure makes ClickHouse a [FailureChecker]: toDecimal128 fails
// (code 69) on a number of the data beyond Decimal(38, 18) — more than 20
// integer or 18 fractional digits, or, on 18.16, a mantissa of more than
// 38 digits — and [clickhouse.Sum] fails with throwIf (code 395) when a
// sum's magnitude reaches 1.7e20. Both are refusals: the answer would
// need digits Decimal(38, 18) does not have.
func (clickhouse) CheckFailure(err error) error {
	msg := err.Error()
	for _, m := range []string{"Decimal value is too big", "Decimal value is too small", "Too many digits in decimal value"} {
		if strings.Contains(msg, m) {
			return fmt.Errorf("a number of the data is beyond ClickHouse's Decimal(38, %d) (at most %d integer and %d fractional digits; %s): not supported on clickhouse",
				clickhouseScale, 38-clickhouseScale, clickhouseScale, m)
		}
	}
	// 18.16 says "non zero", current releases "non-zero"; the statement's
	// own text, which a syntax error quotes, holds "throwIf(" only.
	if strings.Contains(msg, "Value passed to 'throwIf' function is non") {
		return fmt.Errorf("a sum reached 1.7e20, beyond which ClickHouse's Decimal(38, %d) sums wrap around: not supported on clickhouse", clickhouseScale)
	}
	return nil
}

// GlobalAliases: ClickHouse's aliases are global to the statement.
func (clickhouse) GlobalAliases() {}

// TablesQuery lists the tables of the current database.
func (clickhouse) TablesQuery() string {
	return "SELECT name FROM system.tables WHERE database = currentDatabase()"
}

// Deadline bounds the statement with max_execution_time (18.16 reads a
// SETTINGS clause at the end of a SELECT).
func (clickhouse) Deadline(seconds int64) string {
	return " SETTINGS max_execution_time = " + strconv.FormatInt(seconds, 10)
}

// Mark and KillMarked make ClickHouse a [MarkKiller]: system.processes
// shows a statement's text with its comments, and KILL QUERY stops those
// whose text holds the mark (the KILL's own text holds the mark's two
// halves, never the whole).
func (clickhouse) Mark(token string) string { return "/* calldash-statement-" + token + " */ " }

// KillMarked: see [clickhouse.Mark].
func (clickhouse) KillMarked(token string) string {
	return "KILL QUERY WHERE position(query, concat('calldash-statement-', '" + token + "')) > 0 ASYNC"
}
