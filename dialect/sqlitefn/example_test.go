package sqlitefn_test

import (
	"database/sql"
	"fmt"

	_ "github.com/calldash/calldash/dialect/sqlitefn"
)

// Decimal text compared and summed exactly, and grouped without a sort.
func Example() {
	db, err := sql.Open("sqlite", ":memory:")
	if err != nil {
		fmt.Println(err)
		return
	}
	defer db.Close()
	for _, q := range []string{
		"CREATE TABLE t (day INTEGER, duration TEXT COLLATE calldash_decimal)",
		"INSERT INTO t VALUES (1, '0.1'), (1, '0.2'), (1, '9'), (2, '10'), (2, NULL)",
	} {
		if _, err := db.Exec(q); err != nil {
			fmt.Println(err)
			return
		}
	}
	var sum, max string
	// The collation compares numbers: '9' < '10', where byte-wise '10'
	// comes first. The sum is exact: 0.1 + 0.2 + 9 is 9.3.
	if err := db.QueryRow("SELECT calldash_sum(duration), MAX(duration) FROM t WHERE duration < '10'").Scan(&sum, &max); err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(sum, max)
	// One row per day, as GROUP BY day would give it: day, rows, values, sum.
	rows, err := db.Query("SELECT g.value ->> 0, g.value ->> 1, g.value ->> 2, g.value ->> 3 " +
		"FROM json_each((SELECT calldash_group_sum(0, 0, duration, day) FROM t)) AS g")
	if err != nil {
		fmt.Println(err)
		return
	}
	defer rows.Close()
	for rows.Next() {
		var day, n, values int64
		var daySum string
		if err := rows.Scan(&day, &n, &values, &daySum); err != nil {
			fmt.Println(err)
			return
		}
		fmt.Println(day, n, values, daySum)
	}
	// Output:
	// 9.3 9
	// 1 3 3 9.3
	// 2 2 1 10
}
