package sample

import (
	"math/rand/v2"
	"strings"
	"sync"
	"time"
	_ "time/tzdata" // America/New_York on machines without a zone database
	"unicode/utf8"

	"github.com/shopspring/decimal"

	"github.com/calldash/calldash"
)

// newYork is the zone whose boundaries and daylight-saving changes Random
// favours.
var newYork = sync.OnceValue(func() *time.Location {
	loc, err := time.LoadLocation("America/New_York")
	if err != nil {
		panic(err) // time/tzdata is linked in
	}
	return loc
})

// RandomAgents returns the agents of [Random], by id: one with no name, two
// whose names differ only in case, one named "null", one with an empty
// name, and one whose id (2^53+1) is not exact as a float64.
func RandomAgents() []Agent {
	return []Agent{
		{1, calldash.String("Billing")},
		{2, calldash.String("billing")},
		{3, calldash.Null},
		{4, calldash.String("null")},
		{5, calldash.String("")},
		{9007199254740993, calldash.String(`50%_off\promo "agent"`)},
	}
}

// Text and number choices of Random.
var (
	longText    = strings.Repeat("long-text_", 30)                     // 300 bytes
	longUnicode = truncate(strings.Repeat("Überweisung–返金 ", 20), 300) // about 300 bytes
	edgeStrings = []string{
		"billing", "Billing", "BILLING", "billing ", " billing", "", "facturación", "FACTURACIÓN",
		"Überweisung", "überweisung", "ÜBERWEISUNG", "返金", "返金 refund", "Straße", "STRASSE",
		`50%_off\promo`, "50%", "%", "_", `\`, `a\b`, "a_b", "aXb", "a%b", "abc", `say "hi"`,
		"it's", "null", "true", "3", "Other", "Négatif", "négatif", "line\nbreak", "tab\there",
		longText, longText + "x", strings.ToUpper(longText), longUnicode,
	}
	reasonsRandom = []string{
		"customer_ended_call", "Customer_Ended_Call", "assistant_ended_call", "silence_timed_out",
		"pipeline_error", "voicemail", "customer_ended_call%", "customer_ended",
	}
	enumValues = []string{"positive", "neutral", "negative", "Négatif", "NEGATIVE", "négatif", "", "50%_off", "positive "}
	numbers    = []string{
		"0", "0.000", "-0", "0.001", "0.1", "0.10", "0.5", "1", "1.0", "1.00", "2", "3", "3.0", "10",
		"10.5", "45.5", "99.999", "100", "-1", "-0.5", "-3", "-12345.678", "99999.999",
		"12345678901234567890.123456789", "9007199254740993", "0.30000000000000004",
	}
)

// truncate cuts s to at most n bytes at a rune boundary.
func truncate(s string, n int) string {
	for n < len(s) && !utf8.RuneStart(s[n]) {
		n--
	}
	if n >= len(s) {
		return s
	}
	return s[:n]
}

// Random returns n call logs for differential tests, drawn from r, with
// timestamps in [start, end], in no particular order. Compared with
// [Generate] it has many more nulls and edge values, so that bugs show up:
//
//   - ids are unique but shuffled, a few beyond 2^53;
//   - timestamps repeat across calls, fall exactly on (and one microsecond
//     around) hour, day, Monday and month boundaries in UTC and in
//     America/New_York, on start and end, and around New York's
//     daylight-saving changes (including both 01:30 of a fall-back night);
//     they are in UTC, in America/New_York or in odd fixed offsets; some
//     have milliseconds or microseconds, none a finer fraction (when start
//     and end have none), since PostgreSQL and MariaDB keep microseconds;
//   - numbers include 0, -0, negative metadata numbers, 1 vs 1.0 vs 1.00,
//     and values beyond float64 precision; durations are never negative;
//   - strings include case variants, % _ \ and quotes, "null", "true", "3"
//     and "Other", the empty string, line breaks, and 300-byte strings;
//   - metadata holds the same key with numbers and strings ("priority": 3
//     vs "3"), booleans vs the string "true", and the keys "region" and
//     "Region";
//   - evaluations repeat a metric within a call, their rows are not in id
//     order, and values are often null; metric ids, names and eval types are
//     those of [Metrics], agents those of [RandomAgents].
//
// Evaluation ids are unique across the calls. The same r state gives the
// same calls.
func Random(r *rand.Rand, n int, start, end time.Time) []calldash.Call {
	if n <= 0 {
		return nil
	}
	if end.Before(start) {
		end = start
	}
	special := specialInstants(start, end)
	ids := r.Perm(n)
	calls := make([]calldash.Call, n)
	evalID := r.Int64N(1000)
	var times []time.Time
	for i := range calls {
		id := int64(ids[i] + 1)
		if ids[i]%17 == 16 {
			id = 9007199254740993 + int64(ids[i])
		}
		t := randomInstant(r, start, end, special, times)
		times = append(times, t)
		c := calldash.Call{ID: id, Timestamp: t}
		c.Duration = randomValue(r, 0.25, func() calldash.Value {
			if chance(r, 0.5) {
				return calldash.Number(decimalIn(r, 0, 600, int32(r.IntN(4))))
			}
			d := decimal.RequireFromString(numbers[r.IntN(len(numbers))])
			return calldash.Number(d.Abs())
		})
		c.Success = randomBool(r)
		c.IsReviewed = randomBool(r)
		c.CallEndedReason = randomValue(r, 0.3, func() calldash.Value {
			if chance(r, 0.7) {
				return str(reasonsRandom[r.IntN(len(reasonsRandom))])
			}
			return randomString(r)
		})
		c.DropoffPoint = randomValue(r, 0.5, func() calldash.Value { return randomString(r) })
		c.Topic = randomValue(r, 0.3, func() calldash.Value { return randomString(r) })
		c.CustomerNumber = randomValue(r, 0.3, func() calldash.Value {
			if chance(r, 0.5) {
				return str("+1415555010" + string(rune('0'+r.IntN(10))))
			}
			return randomString(r)
		})
		if !chance(r, 0.25) {
			agents := RandomAgents()
			a := agents[r.IntN(len(agents))]
			c.AgentID, c.AgentName = calldash.Int(a.ID), a.Name
		}
		c.Metadata = randomMetadata(r)
		c.MetricEvaluations, evalID = randomEvaluations(r, evalID)
		calls[i] = c
	}
	r.Shuffle(len(calls), func(i, j int) { calls[i], calls[j] = calls[j], calls[i] })
	return calls
}

// randomValue returns null with probability pNull, else f().
func randomValue(r *rand.Rand, pNull float64, f func() calldash.Value) calldash.Value {
	if chance(r, pNull) {
		return null
	}
	return f()
}

func randomBool(r *rand.Rand) calldash.Value {
	switch r.IntN(3) {
	case 0:
		return null
	case 1:
		return calldash.Bool(true)
	}
	return calldash.Bool(false)
}

func randomString(r *rand.Rand) calldash.Value { return str(edgeStrings[r.IntN(len(edgeStrings))]) }

func randomNumber(r *rand.Rand) calldash.Value {
	return calldash.Number(decimal.RequireFromString(numbers[r.IntN(len(numbers))]))
}

func randomMetadata(r *rand.Rand) map[string]calldash.Value {
	if chance(r, 0.2) {
		return nil
	}
	m := map[string]calldash.Value{}
	keys := []struct {
		key string
		p   float64
		v   func() calldash.Value
	}{
		{"region", 0.7, func() calldash.Value {
			return str([]string{"us-east", "US-EAST", "us-west", "eu-central", "", "us_east", "us%east"}[r.IntN(7)])
		}},
		{"Region", 0.1, func() calldash.Value { return str("eu-west") }},
		{"call_type", 0.6, func() calldash.Value { return str([]string{"inbound", "outbound", "Inbound"}[r.IntN(3)]) }},
		{"ringing_duration", 0.6, func() calldash.Value { return randomNumber(r) }},
		{"vip", 0.5, func() calldash.Value {
			switch r.IntN(5) {
			case 0:
				return str("true")
			case 1:
				return str("false")
			}
			return calldash.Bool(chance(r, 0.5))
		}},
		{"priority", 0.6, func() calldash.Value {
			return []calldash.Value{
				calldash.Int(3), str("3"), calldash.Number(decimal.New(30, -1)), calldash.Int(-1), calldash.Int(0),
				str("03"), calldash.Int(1), str("1"), calldash.Int(5), str("high"),
			}[r.IntN(10)]
		}},
		{"note", 0.3, func() calldash.Value { return randomString(r) }},
		{"score", 0.3, func() calldash.Value {
			if chance(r, 0.2) {
				return randomString(r)
			}
			return randomNumber(r)
		}},
	}
	for _, k := range keys {
		if chance(r, k.p) {
			m[k.key] = k.v()
		}
	}
	return m
}

func randomEvaluations(r *rand.Rand, evalID int64) ([]calldash.Evaluation, int64) {
	n := r.IntN(6)
	if n == 0 {
		if chance(r, 0.5) {
			return nil, evalID
		}
		return []calldash.Evaluation{}, evalID
	}
	metrics := Metrics()
	evs := make([]calldash.Evaluation, n)
	for i := range evs {
		evalID += 1 + r.Int64N(3)
		m := metrics[r.IntN(len(metrics))]
		ev := calldash.Evaluation{ID: evalID, MetricID: m.ID, MetricName: str(m.Name), EvalType: m.EvalType}
		if !chance(r, 0.2) {
			switch m.EvalType {
			case calldash.EvalBinary:
				ev.Value = calldash.Bool(chance(r, 0.5))
			case calldash.EvalEnum:
				ev.Value = str(enumValues[r.IntN(len(enumValues))])
			default:
				ev.Value = randomNumber(r)
			}
		}
		evs[i] = ev
	}
	if chance(r, 0.3) {
		r.Shuffle(n, func(i, j int) { evs[i], evs[j] = evs[j], evs[i] })
	}
	return evs, evalID
}

// randomInstant returns a time in [start, end]: often a special instant or
// one already used, in a random zone.
func randomInstant(r *rand.Rand, start, end time.Time, special, used []time.Time) time.Time {
	var t time.Time
	switch k := r.IntN(100); {
	case k < 4:
		t = start
	case k < 8:
		t = end
	case k < 40 && len(special) > 0:
		t = special[r.IntN(len(special))]
	case k < 55 && len(used) > 0:
		t = used[r.IntN(len(used))]
	default:
		span := int64(end.Sub(start))
		if span <= 0 {
			t = start
			break
		}
		t = start.Add(time.Duration(r.Int64N(span))).Truncate(time.Second)
		switch k := r.IntN(10); {
		case k < 1:
			t = t.Add(time.Duration(r.IntN(1000)) * time.Millisecond)
		case k < 2:
			t = t.Add(time.Duration(r.IntN(1_000_000)) * time.Microsecond)
		}
		if t.Before(start) {
			t = start
		}
		if t.After(end) {
			t = end
		}
	}
	switch k := r.IntN(10); {
	case k < 6:
		return t.UTC()
	case k < 9:
		return t.In(newYork())
	}
	offsets := []int{-(9*3600 + 1800), 5*3600 + 2700, 14 * 3600, -12 * 3600}
	return t.In(time.FixedZone("", offsets[r.IntN(len(offsets))]))
}

// maxDays caps the days that specialInstants walks through.
const maxDays = 800

// specialInstants returns the boundary instants in [start, end] that
// Random favours, each also one microsecond before and after.
func specialInstants(start, end time.Time) []time.Time {
	var out []time.Time
	add := func(t time.Time) {
		for _, d := range []time.Duration{0, -time.Microsecond, time.Microsecond} {
			if u := t.Add(d); !u.Before(start) && !u.After(end) {
				out = append(out, u)
			}
		}
	}
	add(start)
	add(end)
	ny := newYork()
	for _, loc := range []*time.Location{time.UTC, ny} {
		s := start.In(loc)
		day := time.Date(s.Year(), s.Month(), s.Day(), 0, 0, 0, 0, loc)
		for i := 0; i < maxDays && !day.After(end); i++ {
			next := time.Date(day.Year(), day.Month(), day.Day()+1, 0, 0, 0, 0, loc)
			if i%3 == 0 || day.Weekday() == time.Monday || day.Day() == 1 {
				add(day) // midnight: day, week and month boundaries
				add(day.Add(13 * time.Hour))
			}
			if loc == ny {
				_, o1 := day.Zone()
				if _, o2 := next.Zone(); o1 != o2 {
					// A daylight-saving change: every half hour of that
					// day, both 01:30 of a fall-back night included.
					for h := day; h.Before(next); h = h.Add(30 * time.Minute) {
						add(h)
					}
				}
			}
			day = next
		}
	}
	return out
}
