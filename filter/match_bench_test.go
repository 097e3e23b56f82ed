package filter_test

import (
	"math/rand/v2"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"github.com/calldash/calldash"
	"github.com/calldash/calldash/filter"
)

// benchCalls generates n call logs with every field set most of the time.
func benchCalls(n int) []calldash.Call {
	rng := rand.New(rand.NewPCG(7, 11))
	topics := []string{"billing", "support", "sales", "Réclamation", "onboarding"}
	regions := []string{"us-east", "us-west", "eu-west", "ap-south"}
	reasons := []string{"customer_ended_call", "agent_ended_call", "silence_timeout"}
	start := time.Date(2025, 11, 1, 0, 0, 0, 0, time.UTC)
	calls := make([]calldash.Call, n)
	for i := range calls {
		c := &calls[i]
		c.ID = int64(i + 1)
		c.Timestamp = start.Add(time.Duration(rng.Int64N(int64(7 * 24 * time.Hour))))
		if rng.IntN(20) > 0 {
			c.Duration = calldash.Number(decimal.New(rng.Int64N(3000), -1)) // 0.0 .. 299.9 s
		}
		if rng.IntN(10) > 0 {
			c.Success = calldash.Bool(rng.IntN(3) > 0)
		}
		c.IsReviewed = calldash.Bool(rng.IntN(2) == 0)
		c.CallEndedReason = calldash.String(reasons[rng.IntN(len(reasons))])
		c.Topic = calldash.String(topics[rng.IntN(len(topics))])
		c.AgentID = calldash.Int(int64(rng.IntN(20)))
		c.AgentName = calldash.String("Agent")
		c.Metadata = map[string]calldash.Value{
			"region":           calldash.String(regions[rng.IntN(len(regions))]),
			"call_type":        calldash.String("inbound"),
			"ringing_duration": calldash.Number(decimal.New(rng.Int64N(10000), -3)),
		}
		for j := range rng.IntN(4) {
			metric := int64(12 + j)
			c.MetricEvaluations = append(c.MetricEvaluations, calldash.Evaluation{
				ID: int64(i*10 + j), MetricID: metric, MetricName: calldash.String("m"),
				EvalType: calldash.EvalNumeric, Value: calldash.Number(decimal.New(rng.Int64N(100), -2)),
			})
		}
	}
	return calls
}

// benchFilters are the filters of the performance issue.
var benchFilters = []struct{ name, filter string }{
	{"2-conditions", group("and", leaf("success", "eq", "true"), leaf("duration", "gte", "60"))},
	{"6-conditions", group("and",
		leaf("timestamp", "gte", `"now-7d"`), leaf("timestamp", "lt", `"now"`),
		leaf("success", "eq", "true"), leaf("duration", "gte", "30.5"),
		leaf("topic", "in", `["billing", "support", "sales"]`),
		leaf("call_ended_reason", "contains", `"ENDED"`))},
	{"metadata", group("and",
		leaf("metadata.region", "startswith", `"us-"`), leaf("metadata.ringing_duration", "lt", "5"))},
	{"same_row", group("same_row",
		leaf("metric_evaluations.metric.id", "eq", "13"), leaf("metric_evaluations.value", "gt", "0.5"))},
	{"in-1000-numbers", leaf("duration", "in", inList(1000))},
	{"or-999-eq", orEq("metadata.ringing_duration", 999)},
}

// orEq is an or group of n eq conditions on field, with the numbers
// 0.000, 0.010, 0.020, …
func orEq(field string, n int) string {
	conds := make([]string, n)
	for i := range conds {
		conds[i] = leaf(field, "eq", decimal.New(int64(10*i), -3).String())
	}
	return group("or", conds...)
}

// inList is a JSON list of n durations 0.0, 0.3, 0.6, …
func inList(n int) string {
	b := []byte{'['}
	for i := range n {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, decimal.New(int64(3*i), -1).String()...)
	}
	return string(append(b, ']'))
}

// BenchmarkMatch measures one call per op over 10,000 generated calls.
func BenchmarkMatch(b *testing.B) {
	calls := benchCalls(10000)
	env := filter.Env{Now: time.Date(2025, 11, 8, 0, 0, 0, 0, time.UTC)}
	for _, tc := range benchFilters {
		b.Run(tc.name, func(b *testing.B) {
			m := compileJSON(b, tc.filter, env)
			b.ReportAllocs()
			n := 0
			b.ResetTimer()
			for i := range b.N {
				if m.Match(&calls[i%len(calls)]) {
					n++
				}
			}
			b.ReportMetric(float64(n)/float64(b.N), "match/op")
		})
	}
}

// BenchmarkValidate measures parsing and checking a filter (the JSON of a
// request) against the call-log schema, and compiling it for memory.
func BenchmarkValidate(b *testing.B) {
	s := filter.CallLogs()
	env := filter.Env{Now: time.Date(2025, 11, 8, 0, 0, 0, 0, time.UTC)}
	for _, tc := range benchFilters {
		data := []byte(tc.filter)
		b.Run(tc.name, func(b *testing.B) {
			b.ReportAllocs()
			b.ResetTimer()
			for range b.N {
				if _, err := filter.Validate(data, s); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run(tc.name+"/compile", func(b *testing.B) {
			n, err := filter.Validate(data, s)
			if err != nil {
				b.Fatal(err)
			}
			b.ReportAllocs()
			b.ResetTimer()
			for range b.N {
				if _, err := filter.Compile(n, env); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
