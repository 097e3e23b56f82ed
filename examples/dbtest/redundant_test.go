package dbtest_test

import (
	"database/sql"
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"github.com/calldash/calldash"
	"github.com/calldash/calldash/dialect"
	"github.com/calldash/calldash/examples/internal/sqltest"
	"github.com/calldash/calldash/filter"
	"github.com/calldash/calldash/sqlgen"
)

// TestSQLRedundantNumbers compiles random and/or groups of comparisons
// with numbers — repeated bounds and numbers, in lists, neq, near-equal
// spellings — on a metadata key, duration and metric values, where
// filter.Members leaves members out, in lists are one IN and MariaDB
// compares numbers beyond DECIMAL(65,30) through their neighbours, and checks
// each database against memory and against the and/or of the members'
// answers one by one.
func TestSQLRedundantNumbers(t *testing.T) {
	num := func(s string) calldash.Value { return calldash.Number(decimal.RequireFromString(s)) }
	values := []calldash.Value{calldash.Null, calldash.String("1"), calldash.Bool(true)}
	lits := []string{"0", "1", "1.0", "2", "-1", "0.5", "1e20", "10e19", "-1e20", "1e-25", "3", "1e-30", "-1e-30", "0.500000000000000000000000000001", "1e-18", "-1e-18"}
	for _, s := range lits {
		values = append(values, num(s))
	}
	base := time.Date(2025, 11, 20, 10, 0, 0, 0, time.UTC)
	var calls []calldash.Call
	for i, v := range values {
		c := calldash.Call{ID: int64(i + 1), Timestamp: base.Add(time.Duration(i) * time.Second),
			Metadata: map[string]calldash.Value{"n": v}}
		if v.Kind == calldash.KindNumber {
			c.Duration = v
		}
		if v.Kind == calldash.KindNumber { // a numeric metric holds numbers and null
			w := values[(i*5+3)%len(values)]
			if w.Kind != calldash.KindNumber {
				w = calldash.Null
			}
			c.MetricEvaluations = []calldash.Evaluation{
				{ID: int64(2*i + 1), MetricID: 12, MetricName: calldash.String("score"), EvalType: calldash.EvalNumeric, Value: v},
				{ID: int64(2*i + 2), MetricID: 12, MetricName: calldash.String("score"), EvalType: calldash.EvalNumeric, Value: w},
			}
		}
		calls = append(calls, c)
	}
	// Literals only: numbers MariaDB's DECIMAL(65,30) cannot hold, compared
	// through their neighbours in the type.
	lits = append(lits, "1e40", "-1e40", "1e999", "-1e999", "1e-31", "-1e-31", "0.5000000000000000000000000000001", "0.5000000000000000001", "1e-19", "-1e-19", "1234567890123456789012e-999")
	r := rand.New(rand.NewPCG(21, 997))
	ops := []string{"eq", "gt", "gte", "lt", "lte", "in", "neq"}
	var groups []*filter.Group
	for range 120 {
		field := []string{"duration", "metadata.n", "metric_evaluations.value"}[r.IntN(3)]
		g := &filter.Group{Operator: []filter.GroupOp{filter.GroupAnd, filter.GroupOr}[r.IntN(2)], At: "$"}
		for i := range 2 + r.IntN(6) {
			op := ops[r.IntN(len(ops))]
			v := num(lits[r.IntN(len(lits))])
			if op == "in" {
				v = calldash.Value{Kind: calldash.KindList, List: []calldash.Value{v, num(lits[r.IntN(len(lits))]), num(lits[r.IntN(len(lits))])}}
			}
			g.Conditions = append(g.Conditions, &filter.Condition{Field: field, Op: mustOp(t, op), Value: v, At: fmt.Sprintf("$.conditions[%d]", i)})
		}
		groups = append(groups, g)
	}
	for _, name := range sqltest.Names {
		t.Run(name, func(t *testing.T) {
			db, d, prefix := sqltest.Open(t, name, calls)
			redundantRun(t, db, d, prefix, calls, groups)
		})
	}
	t.Run("clickhouse", func(t *testing.T) {
		// Decimal(38,18) holds neither 1e20 nor 1e-25: those calls are left out.
		held := slices.DeleteFunc(slices.Clone(calls), func(c calldash.Call) bool {
			nums := []calldash.Value{c.Duration, c.Metadata["n"]}
			for _, e := range c.MetricEvaluations {
				nums = append(nums, e.Value)
			}
			return slices.ContainsFunc(nums, func(v calldash.Value) bool {
				return v.Kind == calldash.KindNumber && dialect.ClickHouse.CheckNumber(v.Num) != nil
			})
		})
		cl := sqltest.OpenClickHouseCluster(t, held) // skips naming the variables
		redundantRun(t, cl.DB, dialect.ClickHouse, cl.Prefix, held, groups)
	})
}

// redundantRun checks each group on the calls stored in db against memory
// and against the and/or of its members' answers in memory.
func redundantRun(t *testing.T, db *sql.DB, d dialect.Dialect, prefix string, calls []calldash.Call, groups []*filter.Group) {
	t.Helper()
	for _, g := range groups {
		var want []int64
		for i, m := range g.Conditions {
			got := memoryIDs(t, mustCheck(t, m), calls, gdEnv)
			switch {
			case i == 0:
				want = got
			case g.Operator == filter.GroupOr:
				want = union(want, got)
			default:
				want = slices.DeleteFunc(want, func(id int64) bool { return !slices.Contains(got, id) })
			}
		}
		if got := memoryIDs(t, mustCheck(t, g), calls, gdEnv); !slices.Equal(got, want) {
			t.Errorf("%s: memory %v, members one by one %v", g, got, want)
		}
		cond, err := sqlgen.Where(mustCheck(t, g), d, sqlgen.DefaultLayout(prefix), gdEnv)
		if err != nil {
			t.Fatalf("%s: %v", g, err)
		}
		if got := selectIDs(t, db, d, prefix, cond); !slices.Equal(got, want) {
			t.Errorf("%s: %s %v, memory %v", g, d.Name(), got, want)
		}
	}
}

// union returns the sorted union of two sorted lists of ids.
func union(a, b []int64) []int64 {
	u := slices.Concat(a, b)
	slices.Sort(u)
	return slices.Compact(u)
}
