package dialect

import (
	"fmt"
	"time"
)

// OrderText, OrderNumber, IntText and ScanTime of each dialect (for the
// widget compiler).

func (postgres) OrderText(expr string) string   { return "(" + expr + `) COLLATE "C"` }
func (postgres) OrderNumber(expr string) string { return expr } // NUMERIC sorts exactly
func (postgres) IntText(expr string) string     { return "CAST(" + expr + " AS TEXT)" }

// ScanTime takes the time.Time pgx scans from a TIMESTAMPTZ.
func (postgres) ScanTime(src any) (time.Time, error) {
	if t, ok := src.(time.Time); ok {
		return t.UTC(), nil
	}
	return time.Time{}, fmt.Errorf("postgres: want a time.Time for a timestamp, got %T", src)
}

// OrderText sorts the bytes: UTF-8 byte order is code point order, and a
// derived text (JSON_VALUE, a CASE) may carry another collation.
func (mysql) OrderText(expr string) string   { return "CAST(" + expr + " AS BINARY)" }
func (mysql) OrderNumber(expr string) string { return expr } // DECIMAL sorts exactly
func (mysql) IntText(expr string) string     { return "CAST(" + expr + " AS CHAR)" }

// ScanTime takes a time.Time (DSN parseTime=true; the DATETIME holds UTC
// whatever loc says, so only the wall clock is kept) or the DATETIME text.
func (mysql) ScanTime(src any) (time.Time, error) {
	switch v := src.(type) {
	case time.Time:
		return time.Date(v.Year(), v.Month(), v.Day(), v.Hour(), v.Minute(), v.Second(), v.Nanosecond(), time.UTC), nil
	case []byte:
		return time.ParseInLocation("2006-01-02 15:04:05.999999", string(v), time.UTC)
	case string:
		return time.ParseInLocation("2006-01-02 15:04:05.999999", v, time.UTC)
	}
	return time.Time{}, fmt.Errorf("mysql: want a DATETIME, got %T", src)
}

func (sqlite) OrderText(expr string) string   { return "(" + expr + ") COLLATE BINARY" }
func (sqlite) OrderNumber(expr string) string { return "(" + expr + ") COLLATE calldash_decimal" }
func (sqlite) IntText(expr string) string     { return "CAST(" + expr + " AS TEXT)" }

// ScanTime takes the INTEGER Unix nanoseconds.
func (sqlite) ScanTime(src any) (time.Time, error) {
	if n, ok := src.(int64); ok {
		return time.Unix(0, n).UTC(), nil
	}
	return time.Time{}, fmt.Errorf("sqlite: want INTEGER Unix nanoseconds for a timestamp, got %T", src)
}
