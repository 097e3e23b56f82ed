package main

import (
	"math/rand/v2"
	"slices"
	"time"

	"github.com/calldash/calldash"

	"github.com/shopspring/decimal"
)

// sampleMetrics returns the metrics of the sample calls; latencyMetric
// is the default -latency-metric over them.
func sampleMetrics() []calldash.Metric {
	return []calldash.Metric{
		{ID: 14, Name: "sentiment", EvalType: calldash.EvalEnum},
		{ID: 15, Name: "resolved", EvalType: calldash.EvalBinary},
		{ID: latencyMetric, Name: "latency_ms", EvalType: calldash.EvalNumeric},
	}
}

const latencyMetric = 16

// sampleTenants returns the scopes of the sample calls, one data set each.
func sampleTenants() []string { return []string{"tenant=acme", "tenant=globex"} }

// sampleCalls returns perTenant calls for each of sampleTenants, by scope:
// deterministic, over the 45 days that end at now (to the microsecond,
// which every database keeps), in time order. Ids are unique across the
// tenants, so that the calls of all of them fit in one set of tables.
// About one value in ten is null, as in real logs.
func sampleCalls(now time.Time, perTenant int) map[string][]calldash.Call {
	now = now.Truncate(time.Microsecond)
	const span = 45 * 24 * time.Hour
	reasons := []string{"customer_ended_call", "assistant_ended_call", "silence_timed_out", "voicemail"}
	topics := []string{"billing", "appointment", "support", "sales"}
	regions := []string{"us-east", "us-west", "eu-central"}
	sentiments := []string{"positive", "neutral", "negative"}
	out := map[string][]calldash.Call{}
	var id, evalID int64
	for t, scope := range sampleTenants() {
		r := rand.New(rand.NewPCG(20251128, uint64(t)))
		agents := []struct {
			id   int64
			name string
		}{{int64(10*t + 1), "Support EN"}, {int64(10*t + 2), "Soporte ES"}, {int64(10*t + 3), "Sales Outbound"}}
		// pick returns one of xs, or null one time in ten.
		pick := func(xs []string) calldash.Value {
			if r.IntN(10) == 0 {
				return calldash.Null
			}
			return calldash.String(xs[r.IntN(len(xs))])
		}
		offsets := make([]time.Duration, perTenant)
		for i := range offsets {
			offsets[i] = time.Duration(r.Int64N(int64(span))).Truncate(time.Microsecond)
		}
		slices.SortFunc(offsets, func(a, b time.Duration) int { return int(b - a) })
		calls := make([]calldash.Call, perTenant)
		for i := range calls {
			id++
			a := agents[r.IntN(len(agents))]
			c := calldash.Call{
				ID:              id,
				Timestamp:       now.Add(-offsets[i]),
				Duration:        calldash.Number(decimal.New(int64(50+r.IntN(6000)), -1)),
				Success:         calldash.Bool(r.IntN(4) != 0),
				IsReviewed:      calldash.Bool(r.IntN(3) == 0),
				CallEndedReason: pick(reasons),
				Topic:           pick(topics),
				AgentID:         calldash.Int(a.id),
				AgentName:       calldash.String(a.name),
				Metadata:        map[string]calldash.Value{"region": pick(regions)},
			}
			if r.IntN(10) == 0 {
				c.Duration, c.Success = calldash.Null, calldash.Null
			}
			for _, m := range sampleMetrics() {
				if r.IntN(5) == 0 {
					continue // not every call has every evaluation
				}
				var v calldash.Value
				switch m.EvalType {
				case calldash.EvalEnum:
					v = calldash.String(sentiments[r.IntN(len(sentiments))])
				case calldash.EvalBinary:
					v = calldash.Bool(r.IntN(3) != 0)
				default:
					v = calldash.Number(decimal.New(int64(300000+r.IntN(2500000)), -3))
				}
				evalID++
				c.MetricEvaluations = append(c.MetricEvaluations, calldash.Evaluation{
					ID: evalID, MetricID: m.ID, MetricName: calldash.String(m.Name), EvalType: m.EvalType, Value: v,
				})
			}
			calls[i] = c
		}
		out[scope] = calls
	}
	return out
}
