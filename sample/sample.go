// Package sample generates call logs for tests, examples and benchmarks.
//
// [Generate] makes realistic call logs: business-hours timestamps, a few
// agents, correlated outcomes, metadata and metric evaluations, with nulls,
// non-ASCII text and strings holding the LIKE wildcards % _ \. [WriteJSONL]
// writes the same calls as JSON Lines, adding what a [calldash.Call] cannot
// hold but real logs have: absent keys, and metadata values that are objects
// or arrays (which behave as missing keys). [Random] makes smaller, nastier
// data for differential tests: more nulls, edge numbers and strings, and
// timestamps on bucket boundaries and daylight-saving changes.
//
// Everything is deterministic: the same [Config] (or the same seeded
// *rand.Rand) gives the same calls and the same bytes.
//
// # The sample file
//
// testdata/calls/sample.jsonl is WriteJSONL(DefaultConfig()). A test checks
// that it has not drifted from the generator. After changing the generator,
// regenerate it from the repository root with
//
//	go run ./examples/gensample -o testdata/calls/sample.jsonl
//
// or, equivalently, go test ./sample -run TestSampleFile -update.
package sample

import (
	"bufio"
	"io"
	"iter"
	"math/rand/v2"
	"slices"
	"time"

	"github.com/shopspring/decimal"

	"github.com/calldash/calldash"
)

// A Config says which calls [Generate] makes.
type Config struct {
	Seed  uint64    // seeds the PCG generator; the same Config gives the same calls
	N     int       // number of calls; none when N <= 0
	Start time.Time // earliest timestamp (inclusive)
	End   time.Time // latest timestamp (inclusive); when not after Start, every call is at Start
}

// DefaultConfig returns the Config of testdata/calls/sample.jsonl: 600
// calls over the 45 days from 2025-10-15T00:00:00Z to 2025-11-28T23:59:59Z.
func DefaultConfig() Config {
	return Config{
		Seed:  20251128,
		N:     600,
		Start: time.Date(2025, 10, 15, 0, 0, 0, 0, time.UTC),
		End:   time.Date(2025, 11, 28, 23, 59, 59, 0, time.UTC),
	}
}

// File is the path of the sample file, relative to the repository root.
const File = "testdata/calls/sample.jsonl"

// Metric ids of [Metrics].
const (
	AccuracyMetricID  = 12 // "accuracy", numeric, 0.5..1 with two decimals
	EmpathyMetricID   = 13 // "empathy", continuous_qualitative, 1..5 with one decimal
	SentimentMetricID = 14 // "sentiment", enum: positive, neutral, negative, Négatif
	ResolvedMetricID  = 15 // "resolved", binary
	LatencyMetricID   = 16 // "latency_ms", numeric; the latency metric for stat widgets
)

// Metrics returns the metrics of the generated evaluations, by id. Every
// evaluation of a metric id carries that metric's name and eval type.
func Metrics() []calldash.Metric {
	return []calldash.Metric{
		{ID: AccuracyMetricID, Name: "accuracy", EvalType: calldash.EvalNumeric},
		{ID: EmpathyMetricID, Name: "empathy", EvalType: calldash.EvalContinuous},
		{ID: SentimentMetricID, Name: "sentiment", EvalType: calldash.EvalEnum},
		{ID: ResolvedMetricID, Name: "resolved", EvalType: calldash.EvalBinary},
		{ID: LatencyMetricID, Name: "latency_ms", EvalType: calldash.EvalNumeric},
	}
}

// An Agent is one of the agents of the generated calls.
type Agent struct {
	ID   int64
	Name calldash.Value // string or null
}

// Agents returns the agents of [Generate], by id. Agent 11 has no name.
func Agents() []Agent {
	return []Agent{
		{7, calldash.String("Support EN")},
		{8, calldash.String("Soporte ES")},
		{9, calldash.String("Kundenservice DE")},
		{10, calldash.String("Sales Outbound")},
		{11, calldash.Null},
		{12, calldash.String("サポート JP")},
	}
}

// Generate returns cfg.N realistic call logs with timestamps between
// cfg.Start and cfg.End, ordered by timestamp, with ids 1..N in that order.
// Timestamps are in UTC but for a few in a fixed offset (-05:00, +01:00 or
// +05:30); some have milliseconds or microseconds (never finer, so that
// databases that keep microseconds hold them exactly), and a few calls share
// a timestamp. Metric evaluation ids are unique across the calls.
func Generate(cfg Config) []calldash.Call {
	if cfg.N <= 0 {
		return nil
	}
	calls := make([]calldash.Call, 0, cfg.N)
	for r := range records(cfg) {
		calls = append(calls, r.call)
	}
	return calls
}

// Seq yields the calls of Generate(cfg), the same ones in the same order,
// each made when it is asked for: what it holds is the calls' timestamps
// and customer numbers (a few dozen bytes per call), not the calls, so
// that millions of them can be loaded or read without a slice of them.
// Each iteration generates the calls afresh.
func Seq(cfg Config) iter.Seq[calldash.Call] {
	return func(yield func(calldash.Call) bool) {
		for r := range records(cfg) {
			if !yield(r.call) {
				return
			}
		}
	}
}

// WriteJSONL writes the calls of Generate(cfg) as JSON Lines, in the form of
// [calldash.Call.MarshalJSON] except that, on some calls, null values are left
// out (absent keys), a null agent is written as {"id":null,"agent_name":null},
// and metadata holds extra object ("nested") and array ("tags") values.
// [calldash.DecodeCalls] reads the output back as Generate(cfg).
func WriteJSONL(w io.Writer, cfg Config) error {
	bw := bufio.NewWriterSize(w, 64*1024)
	var b []byte
	for r := range records(cfg) {
		var err error
		if b, err = r.appendJSON(b[:0]); err != nil {
			return err
		}
		if _, err := bw.Write(append(b, '\n')); err != nil {
			return err
		}
	}
	return bw.Flush()
}

// A weighted is a choice with a relative weight.
type weighted[T any] struct {
	v T
	w int
}

// pick returns one of choices with probability proportional to its weight.
func pick[T any](r *rand.Rand, choices []weighted[T]) T {
	total := 0
	for _, c := range choices {
		total += c.w
	}
	n := r.IntN(total)
	for _, c := range choices {
		if n < c.w {
			return c.v
		}
		n -= c.w
	}
	panic("unreachable")
}

// chance reports true with probability p.
func chance(r *rand.Rand, p float64) bool { return r.Float64() < p }

// decimalIn returns a decimal in [lo, hi] with the given number of decimals.
func decimalIn(r *rand.Rand, lo, hi float64, decimals int32) decimal.Decimal {
	scale := 1.0
	for range decimals {
		scale *= 10
	}
	a, b := int64(lo*scale), int64(hi*scale)
	return decimal.New(a+r.Int64N(b-a+1), -decimals)
}

var (
	str  = calldash.String
	null = calldash.Null
)

// Text choices of Generate.
var (
	reasons = []weighted[string]{
		{"customer_ended_call", 40}, {"assistant_ended_call", 25}, {"silence_timed_out", 8},
		{"voicemail", 8}, {"customer_did_not_answer", 5}, {"pipeline_error", 4},
		{"assistant_forwarded_call", 6}, {"exceeded_max_duration", 2},
	}
	dropoffs = []weighted[calldash.Value]{
		{str("greeting"), 20}, {str("identity_verification"), 20}, {str("authentication"), 10},
		{str("payment"), 15}, {str("transfer"), 10}, {str("closing"), 10}, {str("hold_music"), 5},
	}
	topics = []weighted[calldash.Value]{
		{str("billing"), 20}, {str("technical_support"), 15}, {str("account_access"), 10},
		{str("cancellation"), 8}, {str("appointment"), 8}, {str("sales_inquiry"), 8},
		{str("shipping"), 6}, {str("facturación"), 6}, {str("Überweisung"), 5}, {str("返金"), 4},
		{str(`50%_off\promo`), 3}, {str("Billing"), 2}, {null, 6},
	}
	regions = []weighted[string]{
		{"us-east", 35}, {"us-west", 20}, {"eu-central", 20}, {"eu-west", 15}, {"ap-northeast", 10},
	}
	callTypes  = []weighted[string]{{"inbound", 60}, {"outbound", 30}, {"transfer", 10}}
	languages  = []weighted[string]{{"en", 50}, {"es", 20}, {"de", 15}, {"ja", 10}, {"fr", 5}}
	sentiments = []weighted[string]{{"positive", 45}, {"neutral", 30}, {"negative", 20}, {"Négatif", 5}}
	tagSets    = []string{`["callback"]`, `["escalated","vip"]`, `[]`, `["new_customer",1,true]`}
	nestedSet  = []string{
		`{"crm":{"account_id":48213,"tier":"gold"}}`,
		`{"ab_test":"B","weights":[0.2,0.8]}`,
		`{}`,
	}
)

// gen holds the state of one Generate run.
type gen struct {
	r       *rand.Rand
	evalID  int64
	numbers []calldash.Value // customer numbers, so that customers call again
}

// records yields the records of cfg in order, each made when it is asked for.
func records(cfg Config) iter.Seq[record] {
	return func(yield func(record) bool) {
		if cfg.N <= 0 {
			return
		}
		g := &gen{r: rand.New(rand.NewPCG(cfg.Seed, 0x63616c6c64617368)), evalID: 900}
		g.numbers = make([]calldash.Value, 1+cfg.N/3)
		for i := range g.numbers {
			g.numbers[i] = str(g.phone())
		}
		times := make([]time.Time, cfg.N)
		for i := range times {
			if i > 0 && chance(g.r, 0.02) {
				times[i] = times[i-1] // two calls at the same instant
				continue
			}
			times[i] = g.instant(cfg.Start, cfg.End)
		}
		slices.SortStableFunc(times, func(a, b time.Time) int { return a.Compare(b) })
		for i, t := range times {
			if !yield(g.record(int64(i+1), t)) {
				return
			}
		}
	}
}

func (g *gen) phone() string {
	digits := func(n int) string {
		b := make([]byte, n)
		for i := range b {
			b[i] = byte('0' + g.r.IntN(10))
		}
		return string(b)
	}
	switch pick(g.r, []weighted[int]{{0, 60}, {1, 15}, {2, 15}, {3, 10}}) {
	case 0:
		return "+1415555" + digits(4)
	case 1:
		return "+4930" + digits(7)
	case 2:
		return "+346" + digits(8)
	}
	return "+8190" + digits(8)
}

// instant returns a time in [start, end], more often in business hours (UTC).
func (g *gen) instant(start, end time.Time) time.Time {
	span := int64(end.Sub(start) / time.Second)
	if span <= 0 {
		return start
	}
	var t time.Time
	for range 3 {
		t = start.Add(time.Duration(g.r.Int64N(span+1)) * time.Second)
		if h := t.UTC().Hour(); h >= 8 && h <= 21 || chance(g.r, 0.2) {
			break
		}
	}
	switch pick(g.r, []weighted[int]{{0, 70}, {1, 25}, {2, 5}}) {
	case 1:
		t = t.Add(time.Duration(g.r.IntN(1000)) * time.Millisecond)
	case 2:
		t = t.Add(time.Duration(1+g.r.IntN(999999)) * time.Microsecond)
	}
	if t.After(end) {
		t = end
	}
	t = t.UTC()
	if chance(g.r, 0.04) {
		offsets := []int{-5 * 3600, 3600, 5*3600 + 1800}
		t = t.In(time.FixedZone("", offsets[g.r.IntN(len(offsets))]))
	}
	return t
}

func (g *gen) record(id int64, t time.Time) record {
	r := g.r
	rec := record{call: calldash.Call{ID: id, Timestamp: t}}
	c := &rec.call

	reason := pick(r, reasons)
	if !chance(r, 0.04) {
		c.CallEndedReason = str(reason)
	}
	switch reason {
	case "pipeline_error", "voicemail", "customer_did_not_answer":
		c.Success = calldash.Bool(false)
		c.Duration = calldash.Number(decimalIn(r, 0, 40, int32(r.IntN(4))))
	case "silence_timed_out", "exceeded_max_duration":
		c.Success = calldash.Bool(chance(r, 0.2))
		c.Duration = calldash.Number(decimalIn(r, 60, 1800, int32(r.IntN(4))))
	default:
		c.Success = calldash.Bool(chance(r, 0.82))
		c.Duration = calldash.Number(decimalIn(r, 15, 900, int32(r.IntN(4))))
	}
	if chance(r, 0.08) {
		c.Success = null
	}
	if chance(r, 0.05) {
		c.Duration = null
	}
	if !isTrue(c.Success) || chance(r, 0.1) {
		c.DropoffPoint = pick(r, dropoffs)
	}
	c.Topic = pick(r, topics)
	if !chance(r, 0.04) {
		c.CustomerNumber = g.numbers[r.IntN(len(g.numbers))]
	}
	switch {
	case chance(r, 0.08):
	case chance(r, 0.35):
		c.IsReviewed = calldash.Bool(true)
	default:
		c.IsReviewed = calldash.Bool(false)
	}

	if chance(r, 0.06) {
		rec.nullAgentObject = chance(r, 0.25)
	} else {
		a := pick(r, []weighted[Agent]{
			{Agents()[0], 25}, {Agents()[1], 15}, {Agents()[2], 15},
			{Agents()[3], 20}, {Agents()[4], 10}, {Agents()[5], 10},
		})
		c.AgentID, c.AgentName = calldash.Int(a.ID), a.Name
	}

	g.metadata(&rec)
	g.evaluations(&rec)

	// Leave out some null values altogether.
	for _, f := range []struct {
		key string
		v   calldash.Value
	}{
		{"duration", c.Duration}, {"success", c.Success}, {"call_ended_reason", c.CallEndedReason},
		{"dropoff_point", c.DropoffPoint}, {"topic", c.Topic}, {"customer_number", c.CustomerNumber},
		{"is_reviewed", c.IsReviewed},
	} {
		if f.v.IsNull() && chance(r, 0.4) {
			rec.absent = append(rec.absent, f.key)
		}
	}
	if c.AgentID.IsNull() && c.AgentName.IsNull() && !rec.nullAgentObject && chance(r, 0.4) {
		rec.absent = append(rec.absent, "agent")
	}
	if c.Metadata == nil && chance(r, 0.5) {
		rec.absent = append(rec.absent, "metadata")
	}
	if c.MetricEvaluations == nil && chance(r, 0.5) {
		rec.absent = append(rec.absent, "metric_evaluations")
	}
	return rec
}

func (g *gen) metadata(rec *record) {
	r := g.r
	if chance(r, 0.08) {
		return // null or absent metadata
	}
	m := map[string]calldash.Value{}
	if chance(r, 0.9) {
		m["region"] = str(pick(r, regions))
	}
	callType := pick(r, callTypes)
	if chance(r, 0.9) {
		m["call_type"] = str(callType)
	}
	if chance(r, 0.8) {
		if callType == "outbound" && chance(r, 0.3) {
			m["ringing_duration"] = calldash.Int(0)
		} else {
			m["ringing_duration"] = calldash.Number(decimalIn(r, 0.5, 12, 3))
		}
	}
	if chance(r, 0.5) {
		m["vip"] = calldash.Bool(chance(r, 0.2))
	}
	if chance(r, 0.4) {
		p := 1 + r.Int64N(5)
		if chance(r, 0.3) {
			m["priority"] = str(string(rune('0' + p)))
		} else {
			m["priority"] = calldash.Int(p)
		}
	}
	if chance(r, 0.3) {
		m["language"] = str(pick(r, languages))
	}
	if chance(r, 0.1) {
		rec.extra = append(rec.extra, member{"nested", nestedSet[r.IntN(len(nestedSet))]})
	}
	if chance(r, 0.12) {
		rec.extra = append(rec.extra, member{"tags", tagSets[r.IntN(len(tagSets))]})
	}
	rec.call.Metadata = m
}

func (g *gen) evaluations(rec *record) {
	r := g.r
	c := &rec.call
	n := pick(r, []weighted[int]{{0, 15}, {1, 15}, {2, 25}, {3, 25}, {4, 20}})
	if n == 0 {
		if chance(r, 0.6) {
			c.MetricEvaluations = []calldash.Evaluation{}
		}
		return
	}
	metrics := Metrics()
	order := r.Perm(len(metrics))[:n]
	slices.Sort(order)
	c.MetricEvaluations = make([]calldash.Evaluation, 0, n)
	for _, i := range order {
		m := metrics[i]
		g.evalID += 1 + int64(pick(r, []weighted[int]{{0, 85}, {1, 10}, {5, 5}}))
		ev := calldash.Evaluation{ID: g.evalID, MetricID: m.ID, MetricName: str(m.Name), EvalType: m.EvalType}
		if !chance(r, 0.06) {
			switch m.ID {
			case AccuracyMetricID:
				ev.Value = calldash.Number(decimalIn(r, 0.5, 1, 2))
			case EmpathyMetricID:
				ev.Value = calldash.Number(decimalIn(r, 1, 5, 1))
			case SentimentMetricID:
				ev.Value = str(pick(r, sentiments))
			case ResolvedMetricID:
				ok := isTrue(c.Success)
				ev.Value = calldash.Bool(ok != chance(r, 0.1))
			case LatencyMetricID:
				d := decimalIn(r, 250, 2500, 0)
				if chance(r, 0.2) {
					d = decimalIn(r, 250, 2500, 3)
				}
				ev.Value = calldash.Number(d)
			}
		}
		c.MetricEvaluations = append(c.MetricEvaluations, ev)
	}
}

// isTrue reports whether v is the boolean true.
func isTrue(v calldash.Value) bool { return v.Kind == calldash.KindBool && v.Bool }
