package calldash

import (
	"cmp"
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"
)

// The kinds of [Error]: each error wraps one, and errors.Is tells them
// apart, on an Error or on a whole [ErrorList].
//
// Filters (package filter):
var (
	ErrSyntax             = errors.New("malformed JSON")
	ErrShape              = errors.New("invalid node shape")      // leaf and group keys mixed, unknown or missing keys, wrong JSON type of a key
	ErrUnknownField       = errors.New("unknown field")           // a field the schema does not have
	ErrUnknownOperator    = errors.New("unknown operator")        // op or group operator not in the language
	ErrOperatorNotAllowed = errors.New("operator not allowed")    // op exists but not for this field's type
	ErrValueType          = errors.New("value of the wrong type") // value does not fit the field or operator
	ErrInvalidRegex       = errors.New("invalid regular expression")
	ErrInvalidTime        = errors.New("invalid datetime")
	ErrSameRow            = errors.New("invalid same_row group") // a same_row group holding a non-metric field
	ErrMetadataKey        = errors.New("invalid metadata key")   // empty, dotted or too long
	ErrLimit              = errors.New("limit exceeded")         // a size limit of the input
	ErrTimeRange          = errors.New("time range not allowed") // the time-range policy
)

// Widgets (package widget):
var (
	ErrUnknownKey     = errors.New("unknown key")
	ErrRequired       = errors.New("required key missing")
	ErrType           = errors.New("wrong JSON type")
	ErrChoice         = errors.New("value not among the allowed ones")
	ErrTooLong        = errors.New("value too long")
	ErrField          = errors.New("field cannot be plotted")
	ErrCombination    = errors.New("invalid combination")
	ErrMetric         = errors.New("unknown metric")
	ErrTooManyBuckets = errors.New("too many buckets") // a bar chart's range or data span more buckets than the limit
)

// SQL sources: a widget or a filter that the database cannot answer
// exactly (a regular expression outside the dialect's portable subset, a
// number its columns cannot hold); the message names the dialect.
var ErrDialect = errors.New("not supported by the SQL dialect")

// An Error is one problem in an input, located by its JSON path.
type Error struct {
	Path string // JSON path of the offending node, e.g. "$.conditions[1].op"
	Kind error  // one of the sentinel errors of this package (or of the package that made it)
	Msg  string // what is wrong, without the path
}

func (e *Error) Error() string { return e.Path + ": " + e.Msg }

// Unwrap returns the sentinel kind, so that errors.Is(err, ErrUnknownField) works.
func (e *Error) Unwrap() error { return e.Kind }

// Errorf returns an *Error at path of the given kind.
func Errorf(path string, kind error, format string, args ...any) *Error {
	return &Error{Path: path, Kind: kind, Msg: fmt.Sprintf(format, args...)}
}

// MaxReported is how many errors an [ErrorList] prints before
// "(and N more errors)".
const MaxReported = 10

// An ErrorList is every problem of one input, sorted by path (see [ErrorList.Sort]).
type ErrorList []*Error

// Error prints the first error, or the first [MaxReported] ones one per line,
// followed by "(and N more errors)" when there are more.
func (l ErrorList) Error() string {
	switch len(l) {
	case 0:
		return "no errors"
	case 1:
		return l[0].Error()
	}
	var b strings.Builder
	for i, e := range l {
		if i == MaxReported {
			fmt.Fprintf(&b, "\n(and %d more errors)", len(l)-MaxReported)
			break
		}
		if i > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(e.Error())
	}
	return b.String()
}

// Unwrap returns the errors of the list, so that errors.Is and errors.As
// look into every one of them.
func (l ErrorList) Unwrap() []error {
	errs := make([]error, len(l))
	for i, e := range l {
		errs[i] = e
	}
	return errs
}

// Sort sorts the list by path, comparing array indexes as numbers (so
// "[2]" comes before "[10]") and a node before its children; errors at the
// same path keep their order.
func (l ErrorList) Sort() {
	sort.SliceStable(l, func(i, j int) bool { return ComparePaths(l[i].Path, l[j].Path) < 0 })
}

// Err returns nil for an empty list and the list otherwise.
func (l ErrorList) Err() error {
	if len(l) == 0 {
		return nil
	}
	return l
}

// IsInvalid reports whether err is a mistake in the input: an [*Error] or
// a non-empty [ErrorList] in err's chain, each located by a JSON path —
// malformed JSON, an unknown field, a value of the wrong type, a refusal by
// the time-range policy or by a limit, a widget that an SQL dialect cannot
// answer exactly ([ErrDialect]). The caller fixes those (in HTTP terms,
// 400), and their messages are safe to show: they speak of the input only.
//
// Any other error is a failure of the system — the database is down or
// refuses the statement, the context was cancelled or timed out, a read
// failed (in HTTP terms, 5xx). Its text may carry database messages, SQL or
// internal details: log it, and show the user a generic message (widget's
// ErrorBody does). IsInvalid(nil) is false.
func IsInvalid(err error) bool {
	var e *Error
	return errors.As(err, &e)
}

// ComparePaths orders JSON paths segment by segment, array indexes
// numerically.
func ComparePaths(a, b string) int {
	for a != "" && b != "" {
		sa, ra := nextSegment(a)
		sb, rb := nextSegment(b)
		if c := compareSegments(sa, sb); c != 0 {
			return c
		}
		a, b = ra, rb
	}
	return len(a) - len(b)
}

func nextSegment(p string) (seg, rest string) {
	if p[0] == '[' && len(p) > 1 && p[1] != '"' {
		if i := strings.IndexByte(p, ']'); i > 0 {
			return p[:i+1], p[i+1:]
		}
	}
	if p[0] == '[' && len(p) > 1 && p[1] == '"' { // ["quoted key"]
		for i := 2; i < len(p); i++ {
			if p[i] == '\\' {
				i++
				continue
			}
			if p[i] == '"' && i+1 < len(p) && p[i+1] == ']' {
				return p[:i+2], p[i+2:]
			}
		}
		return p, ""
	}
	i := 1
	for i < len(p) && p[i] != '.' && p[i] != '[' {
		i++
	}
	return p[:i], p[i:]
}

func compareSegments(a, b string) int {
	ia, okA := index(a)
	ib, okB := index(b)
	if okA && okB {
		return cmp.Compare(ia, ib)
	}
	return strings.Compare(a, b)
}

func index(seg string) (int, bool) {
	if len(seg) < 3 || seg[0] != '[' || seg[len(seg)-1] != ']' {
		return 0, false
	}
	n, err := strconv.Atoi(seg[1 : len(seg)-1])
	return n, err == nil
}
