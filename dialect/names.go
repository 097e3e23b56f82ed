package dialect

import (
	"fmt"
	"regexp"
)

// ByName returns the dialect named name: "postgres", "mysql" or "sqlite".
func ByName(name string) (Dialect, error) {
	switch name {
	case "postgres":
		return Postgres, nil
	case "mysql":
		return MySQL, nil
	case "sqlite":
		return SQLite, nil
	}
	return nil, fmt.Errorf("unknown SQL dialect %q (known: postgres, mysql, sqlite)", name)
}

// translateRegexCheck only checks that pattern is RE2 (SQLite runs Go's
// regexp itself).
func translateRegexCheck(pattern string) (string, error) {
	if _, err := regexp.Compile(pattern); err != nil {
		return "", err
	}
	return pattern, nil
}
