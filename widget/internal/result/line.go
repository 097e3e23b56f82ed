package result

import (
	"time"

	"github.com/shopspring/decimal"

	"github.com/calldash/calldash"
	"github.com/calldash/calldash/aggregate"
	"github.com/calldash/calldash/chart"
	"github.com/calldash/calldash/widget/internal/plan"
)

func lineData(points []linePoint, loc *time.Location) chart.Points {
	out := make(chart.Points, len(points))
	for i, p := range points {
		v := p.value
		if !p.time.IsZero() {
			v = calldash.Time(p.time.In(loc))
		}
		out[i] = chart.Point{ID: p.id, Timestamp: p.at.In(loc), Value: v}
	}
	return out
}

// statState accumulates a stat widget.
type statState struct {
	latency   int64
	total     int64
	known     int64
	succeeded int64
	duration  aggregate.Accumulator
	p95       aggregate.Accumulator
	places    int32
}

func newStatState(cfg *plan.Config) statState {
	return statState{
		latency:  cfg.LatencyMetric,
		duration: aggregate.New(aggregate.Avg, cfg.AvgPlaces),
		p95:      aggregate.New(aggregate.P95, cfg.AvgPlaces),
		places:   cfg.AvgPlaces,
	}
}

func (s *statState) add(c *calldash.Call) {
	s.total++
	if c.Success.Kind == calldash.KindBool {
		s.known++
		if c.Success.Bool {
			s.succeeded++
		}
	}
	s.duration.Add(c.Duration)
	if s.latency != 0 {
		for i := range c.MetricEvaluations {
			if e := &c.MetricEvaluations[i]; e.MetricID == s.latency {
				s.p95.Add(e.Value)
			}
		}
	}
}

// merge adds the calls of o, which come after s's.
func (s *statState) merge(o *statState) {
	s.total += o.total
	s.known += o.known
	s.succeeded += o.succeeded
	s.duration.Merge(&o.duration)
	s.p95.Merge(&o.p95)
}

func (s *statState) finish() chart.Stat {
	st := chart.Stat{TotalCalls: s.total}
	if s.known > 0 {
		st.SuccessRate = calldash.Number(decimal.NewFromInt(s.succeeded).DivRound(decimal.NewFromInt(s.known), s.places))
	}
	st.AvgDuration = resultValue(s.duration.Result(), time.UTC)
	st.P95Latency = resultValue(s.p95.Result(), time.UTC)
	return st
}
