package sqlgen

import (
	"strconv"
	"strings"
)

// A sel is one SELECT of a widget's statement, written into a
// strings.Builder with its arguments collected in order. It prints what
// squirrel's SelectBuilder printed for the same calls (the goldens did not
// change), without its reflection-based immutable builders, which cost
// most of the compile time. Placeholders stay "?" here; the dialect's
// format is applied once to the whole statement (see compile).
type sel struct {
	cols    []sqlPart
	from    sqlPart // a table expression, or
	sub     *sel    // a subquery, aliased subAs
	subAs   string
	joins   []sqlPart
	where   []sqlPart
	groupBy []string
	having  []sqlPart
	orderBy []string
	limit   string
}

// An sqlPart is SQL text with "?" placeholders and its arguments.
type sqlPart struct {
	sql  string
	args []any
}

func selectCols(cols ...string) *sel {
	s := &sel{cols: make([]sqlPart, 0, len(cols)+4)}
	return s.columns(cols...)
}

func (s *sel) columns(cols ...string) *sel {
	for _, c := range cols {
		s.cols = append(s.cols, sqlPart{sql: c})
	}
	return s
}

func (s *sel) column(c string, args ...any) *sel {
	s.cols = append(s.cols, sqlPart{c, args})
	return s
}

func (s *sel) fromTable(t string) *sel { s.from = sqlPart{sql: t}; return s }

// fromPart is fromTable for a table expression with arguments.
func (s *sel) fromPart(t string, args ...any) *sel { s.from = sqlPart{t, args}; return s }

func (s *sel) fromSelect(sub *sel, alias string) *sel {
	s.sub, s.subAs = sub, alias
	return s
}

func (s *sel) join(j string, args ...any) *sel {
	s.joins = append(s.joins, sqlPart{"JOIN " + j, args})
	return s
}

func (s *sel) joinClause(j string, args ...any) *sel {
	s.joins = append(s.joins, sqlPart{j, args})
	return s
}

func (s *sel) and(cond string, args ...any) *sel {
	if cond == "" {
		return s
	}
	s.where = append(s.where, sqlPart{cond, args})
	return s
}

func (s *sel) group(cols ...string) *sel { s.groupBy = append(s.groupBy, cols...); return s }

func (s *sel) havingCond(cond string, args ...any) *sel {
	s.having = append(s.having, sqlPart{cond, args})
	return s
}

func (s *sel) order(cols ...string) *sel { s.orderBy = append(s.orderBy, cols...); return s }
func (s *sel) limitN(n uint64) *sel      { s.limit = strconv.FormatUint(n, 10); return s }

// sql returns the text and arguments of s.
func (s *sel) sql() (string, []any) {
	var b strings.Builder
	b.Grow(512)
	var args []any
	s.write(&b, &args)
	return b.String(), args
}

func (s *sel) write(b *strings.Builder, args *[]any) {
	b.WriteString("SELECT ")
	writeParts(b, args, s.cols, ", ")
	switch {
	case s.sub != nil:
		b.WriteString(" FROM (")
		s.sub.write(b, args)
		b.WriteString(") AS ")
		b.WriteString(s.subAs)
	case s.from.sql != "":
		b.WriteString(" FROM ")
		writeParts(b, args, []sqlPart{s.from}, "")
	}
	if len(s.joins) > 0 {
		b.WriteByte(' ')
		writeParts(b, args, s.joins, " ")
	}
	if len(s.where) > 0 {
		b.WriteString(" WHERE ")
		writeParts(b, args, s.where, " AND ")
	}
	if len(s.groupBy) > 0 {
		b.WriteString(" GROUP BY ")
		writeStrings(b, s.groupBy)
	}
	if len(s.having) > 0 {
		b.WriteString(" HAVING ")
		writeParts(b, args, s.having, " AND ")
	}
	if len(s.orderBy) > 0 {
		b.WriteString(" ORDER BY ")
		writeStrings(b, s.orderBy)
	}
	if s.limit != "" {
		b.WriteString(" LIMIT ")
		b.WriteString(s.limit)
	}
}

func writeParts(b *strings.Builder, args *[]any, ps []sqlPart, sep string) {
	for i, p := range ps {
		if i > 0 {
			b.WriteString(sep)
		}
		b.WriteString(p.sql)
		*args = append(*args, p.args...)
	}
}

func writeStrings(b *strings.Builder, ss []string) {
	for i, s := range ss {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(s)
	}
}
