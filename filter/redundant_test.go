package filter_test

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/calldash/calldash"
	"github.com/calldash/calldash/filter"
)

// TestMembers checks which members of a group Members keeps.
func TestMembers(t *testing.T) {
	for _, c := range []struct {
		name   string
		filter string
		want   []int  // indexes of the kept members
		merged string // or the members, formatted, when some are merged
	}{
		{"or: the weakest lower bound", group("or", leaf("duration", "gt", "5"), leaf("duration", "gt", "3"), leaf("duration", "gte", "4")), []int{1}, ""},
		{"or: gte beats gt at the same number", group("or", leaf("duration", "gt", "3"), leaf("duration", "gte", "3.0")), []int{1}, ""},
		{"or: the first of equal bounds", group("or", leaf("duration", "gt", "1e999"), leaf("duration", "gt", "10e998")), []int{0}, ""},
		{"or: the weakest upper bound", group("or", leaf("duration", "lt", "-1e999"), leaf("duration", "lte", "1"), leaf("duration", "lt", "1")), []int{1}, ""},
		{"or: eq inside a bound", group("or", leaf("duration", "eq", "7"), leaf("duration", "gte", "7")), []int{1}, ""},
		{"or: eq outside a bound", group("or", leaf("duration", "eq", "7"), leaf("duration", "gt", "7")), []int{0, 1}, ""},
		{"or: repeated eq, in of seen numbers", group("or", leaf("metadata.n", "eq", "1e999"), leaf("metadata.n", "eq", "1E+999"), leaf("metadata.n", "in", "[1e999]"), leaf("metadata.n", "gt", "1e999")), []int{0, 3}, ""},
		{"or: in with a new number, merged", group("or", leaf("metadata.n", "eq", "1"), leaf("metadata.n", "in", "[1, 2]"), leaf("metadata.n", "in", "[2, 1.0]")), nil,
			`[{"field":"metadata.n","op":"in","value":[1,2]}]`},
		{"or: different numbers merged into one in", group("or", leaf("agent.id", "eq", "7"), leaf("topic", "eq", `"a"`), leaf("agent.id", "eq", "9"), leaf("agent.id", "in", "[7, 11, 11]")), nil,
			`[{"field":"agent.id","op":"in","value":[7,9,11]} {"field":"topic","op":"eq","value":"a"}]`},
		{"or: a bound and eq outside it, merged after it", group("or", leaf("duration", "eq", "1"), leaf("duration", "gt", "5"), leaf("duration", "eq", "2"), leaf("duration", "eq", "6")), nil,
			`[{"field":"duration","op":"in","value":[1,2]} {"field":"duration","op":"gt","value":5}]`},
		{"or: metric rows merged", group("or", leaf("metric_evaluations.value", "eq", "1"), leaf("metric_evaluations.value", "eq", "0.5")), nil,
			`[{"field":"metric_evaluations.value","op":"in","value":[1,0.5]}]`},
		{"or: in with a string stays", group("or", leaf("metadata.n", "eq", "1"), leaf("metadata.n", "in", `[1, "1"]`)), []int{0, 1}, ""},
		{"or: other keys and fields stay", group("or", leaf("metadata.n", "gt", "1"), leaf("metadata.m", "gt", "1"), leaf("duration", "gt", "1"), leaf("metric_evaluations.value", "gt", "1")), []int{0, 1, 2, 3}, ""},
		{"or: neq, strings and isnull stay", group("or", leaf("metadata.n", "neq", "1"), leaf("metadata.n", "neq", "1"), leaf("metadata.n", "gt", `"a"`), leaf("metadata.n", "gt", `"a"`), leaf("metadata.n", "isnull", "true")), []int{0, 1, 2, 3, 4}, ""},
		{"and: the strongest bounds", group("and", leaf("duration", "gt", "3"), leaf("duration", "gte", "5"), leaf("duration", "gt", "5"), leaf("duration", "lt", "9"), leaf("duration", "lte", "8")), []int{2, 4}, ""},
		{"and: repeated eq, but not in", group("and", leaf("metadata.n", "eq", "2"), leaf("metadata.n", "eq", "2.00"), leaf("metadata.n", "eq", "3"), leaf("metadata.n", "in", "[2]"), leaf("metadata.n", "in", "[2]")), []int{0, 2, 3, 4}, ""},
		{"and: metric rows", group("and", leaf("metric_evaluations.value", "gt", "1"), leaf("metric_evaluations.value", "gt", "2")), []int{1}, ""},
		{"same_row stays", group("same_row", leaf("metric_evaluations.value", "gt", "1"), leaf("metric_evaluations.value", "gt", "2")), []int{0, 1}, ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			checked, err := filter.Validate([]byte(c.filter), nil)
			if err != nil {
				t.Fatal(err)
			}
			g := checked.Node().(*filter.Group)
			got := filter.Members(g, checked.Schema())
			var want []filter.Node
			for _, i := range c.want {
				want = append(want, g.Conditions[i])
			}
			wantText := fmt.Sprint(want)
			if c.merged != "" {
				wantText = c.merged
			}
			if fmt.Sprint(got) != wantText {
				t.Errorf("Members = %v\nwant      %v", got, want)
			}
		})
	}
}

// TestMembersAnswer compares the matcher of random and/or groups of
// comparisons with numbers, with repeats and near-equal numbers, against
// the and/or of the matchers of their members one by one, on values of
// every kind: dropping a member must never change an answer.
func TestMembersAnswer(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 5))
	nums := []string{"0", "-0", "1", "1.0", "2", "-1", "1e999", "10e998", "-1e999", "1234567890123456789012e977", "-1234567890123456789012e977", "1234567890123456789012e-999", "-1234567890123456789012e-999", "1e-999"}
	ops := []string{"eq", "gt", "gte", "lt", "lte", "in", "neq"}
	values := []calldash.Value{calldash.Null, calldash.String("1"), calldash.Bool(true)}
	for _, s := range nums {
		d, _ := calldash.ParseNumber(s)
		values = append(values, calldash.Number(d))
	}
	env := filter.Env{Now: time.Date(2025, 11, 5, 0, 0, 0, 0, time.UTC)}
	for range 400 {
		field := []string{"duration", "metadata.n", "metric_evaluations.value"}[r.IntN(3)]
		gop := []string{"and", "or"}[r.IntN(2)]
		var conds []string
		for range 2 + r.IntN(6) {
			op := ops[r.IntN(len(ops))]
			v := nums[r.IntN(len(nums))]
			if op == "in" {
				v = "[" + v + ", " + nums[r.IntN(len(nums))] + "]"
			}
			conds = append(conds, leaf(field, op, v))
		}
		whole, err := compileFilter(group(gop, conds...), env)
		if err != nil {
			t.Fatal(err)
		}
		parts := make([]*filter.Matcher, len(conds))
		for i, c := range conds {
			if parts[i], err = compileFilter(c, env); err != nil {
				t.Fatal(err)
			}
		}
		for _, v := range values {
			for _, w := range values {
				call := calldash.Call{ID: 1, Duration: v, Metadata: map[string]calldash.Value{"n": v}}
				if field == "duration" && v.Kind != calldash.KindNumber && v.Kind != calldash.KindNull {
					continue // a duration is a number or null
				}
				for _, x := range []calldash.Value{v, w} {
					call.MetricEvaluations = append(call.MetricEvaluations, calldash.Evaluation{ID: int64(len(call.MetricEvaluations) + 1), MetricID: 12, EvalType: calldash.EvalNumeric, Value: x})
				}
				want := gop == "and"
				for _, p := range parts {
					if gop == "and" {
						want = want && p.Match(&call)
					} else {
						want = want || p.Match(&call)
					}
				}
				if got := whole.Match(&call); got != want {
					t.Fatalf("%s on %s (metric rows %s, %s): got %t, want %t", group(gop, conds...), v.Label(), v.Label(), w.Label(), got, want)
				}
			}
		}
	}
}

func compileFilter(text string, env filter.Env) (*filter.Matcher, error) {
	checked, err := filter.Validate([]byte(text), nil)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", strings.TrimSpace(text), err)
	}
	return filter.Compile(checked, env)
}
