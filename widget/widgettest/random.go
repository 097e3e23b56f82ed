package widgettest

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/shopspring/decimal"

	"github.com/calldash/calldash"
	"github.com/calldash/calldash/filter"
	"github.com/calldash/calldash/sample"
	"github.com/calldash/calldash/widget"
)

// A pool holds values drawn from a data set, so that random filters
// match some calls.
type pool struct {
	ids       []int64
	times     []time.Time
	durations []decimal.Decimal
	strs      map[string][]string // by field name
	agentIDs  []int64
	meta      map[string][]calldash.Value // by key
	metaKeys  []string
	metricIDs []int64
	evals     map[string][]calldash.Value // by eval type
	allStrs   []string
}

func newPool(calls []calldash.Call) *pool {
	p := &pool{strs: map[string][]string{}, meta: map[string][]calldash.Value{}, evals: map[string][]calldash.Value{}}
	addStr := func(field string, v calldash.Value) {
		if v.Kind == calldash.KindString {
			p.strs[field] = append(p.strs[field], v.Str)
			p.allStrs = append(p.allStrs, v.Str)
		}
	}
	for _, c := range calls {
		p.ids = append(p.ids, c.ID)
		p.times = append(p.times, c.Timestamp)
		if c.Duration.Kind == calldash.KindNumber {
			p.durations = append(p.durations, c.Duration.Num)
		}
		addStr("call_ended_reason", c.CallEndedReason)
		addStr("dropoff_point", c.DropoffPoint)
		addStr("topic", c.Topic)
		addStr("customer_number", c.CustomerNumber)
		addStr("agent.agent_name", c.AgentName)
		if c.AgentID.Kind == calldash.KindNumber {
			p.agentIDs = append(p.agentIDs, c.AgentID.Num.IntPart())
		}
		for k, v := range c.Metadata {
			if _, ok := p.meta[k]; !ok {
				p.metaKeys = append(p.metaKeys, k)
			}
			p.meta[k] = append(p.meta[k], v)
		}
		for _, ev := range c.MetricEvaluations {
			p.metricIDs = append(p.metricIDs, ev.MetricID)
			addStr("metric_evaluations.metric.name", ev.MetricName)
			if !ev.Value.IsNull() {
				p.evals[ev.EvalType] = append(p.evals[ev.EvalType], ev.Value)
				if ev.Value.Kind == calldash.KindString {
					p.allStrs = append(p.allStrs, ev.Value.Str)
				}
			}
		}
	}
	slices.Sort(p.metaKeys) // map order must not leak into the widgets
	p.metaKeys = append(p.metaKeys, "missing_key", "Region", "a b", "ключ")
	return p
}

// A gen draws one widget.
type gen struct {
	r    *rand.Rand
	p    *pool
	now  time.Time
	loc  *time.Location
	data *Data
}

func (g *gen) chance(p float64) bool { return g.r.Float64() < p }
func (g *gen) intn(n int) int        { return g.r.IntN(n) }

func pick[T any](g *gen, xs []T) T { return xs[g.r.IntN(len(xs))] }

// RandomWidget returns widget i of the run with the given seed, over d.
func RandomWidget(seed uint64, i int, d *Data) *Widget {
	g := &gen{r: rand.New(rand.NewPCG(seed, 1e6+uint64(i))), p: d.pool, data: d}
	w := &Widget{Data: d}
	opt := func(desc string, o widget.Option) {
		w.Desc = append(w.Desc, desc)
		w.Opts = append(w.Opts, o)
	}

	// The clock: after the data, inside it, or with a sub-microsecond part.
	span := d.End.Sub(d.Start)
	switch k := g.intn(10); {
	case k < 5:
		g.now = d.End.Add(time.Duration(g.r.Int64N(int64(48 * time.Hour)))).Truncate(time.Second)
	case k < 8:
		g.now = d.Start.Add(time.Duration(g.r.Int64N(int64(span) + 1))).Truncate(time.Millisecond)
	default:
		g.now = d.Start.Add(time.Duration(g.r.Int64N(int64(span) + 1)))
	}
	opt("-now "+g.now.UTC().Format(time.RFC3339Nano), widget.WithNow(g.now))
	zone := pick(g, zones)
	g.loc, _ = time.LoadLocation(zone)
	opt("-tz "+zone, widget.WithLocation(g.loc))
	if g.chance(0.5) {
		day := time.Weekday(g.intn(7))
		opt("-week-start "+day.String(), widget.WithWeekStart(day))
	}
	if g.chance(0.3) {
		opt("gap fill off", widget.WithGapFill(false))
	}
	if g.chance(0.4) {
		n := 1 + g.intn(4)
		opt("top groups "+strconv.Itoa(n), widget.WithTopGroups(n))
	}
	if g.chance(0.2) {
		n := 1 + g.intn(40)
		opt("max points "+strconv.Itoa(n), widget.WithMaxPoints(n))
	}
	if g.chance(0.05) {
		n := 1 + g.intn(60)
		opt("max buckets "+strconv.Itoa(n), widget.WithMaxBuckets(n))
	}
	if g.chance(0.15) {
		n := int32(g.intn(7))
		opt("avg places "+strconv.Itoa(int(n)), widget.WithAvgPlaces(n))
	}
	if g.chance(0.7) {
		id := pick(g, []int64{sample.LatencyMetricID, sample.LatencyMetricID, sample.AccuracyMetricID, 99})
		opt("latency metric "+strconv.FormatInt(id, 10), widget.WithLatencyMetric(id))
	}
	if g.chance(0.3) {
		opt("metrics given", widget.WithMetrics(sample.Metrics()...))
	}

	// The time-range policy: mostly lifted; when kept, the dashboard
	// filters carry a lower bound it accepts.
	var dashboard []any
	if g.chance(0.7) {
		opt("no time policy", widget.WithTimePolicy(filter.TimePolicy{}))
	} else {
		dashboard = append(dashboard, leaf("timestamp", pick(g, []string{"gte", "gt"}), g.recentBound()))
	}
	if g.chance(0.25) {
		dashboard = append(dashboard, g.node(0, false))
	}
	if dashboard != nil {
		n := map[string]any{"operator": "and", "conditions": dashboard}
		opt("-dashboard-filters "+mustJSON(n), widget.WithDashboardFilters(mustFilter(n)))
	}
	if g.chance(0.1) {
		var n any
		if g.chance(0.8) {
			n = g.node(0, false)
		}
		opt("filter override "+mustJSON(n), widget.WithFilterOverride(mustFilter(n)))
	}
	w.JSON = mustJSON(g.spec())
	return w
}

// recentBound is a timestamp lower bound that the default policy accepts.
func (g *gen) recentBound() json.RawMessage {
	switch g.intn(4) {
	case 0:
		return jsonString(fmt.Sprintf("today-%dd", g.intn(30)))
	case 1:
		return jsonString(fmt.Sprintf("now-%dh", g.intn(30*24)))
	case 2:
		return jsonString(fmt.Sprintf("today-%dw", g.intn(5)))
	}
	t := g.now.Add(-time.Duration(g.r.Int64N(int64(29 * 24 * time.Hour))))
	return jsonString(t.In(g.loc).Format(time.RFC3339Nano))
}

// spec draws the widget spec: a chart type and a valid combination.
func (g *gen) spec() map[string]any {
	s := map[string]any{}
	if g.chance(0.3) {
		s["dashboard"] = g.intn(100)
	}
	if g.chance(0.3) {
		s["name"] = pick(g, []string{"Widget", "Dauer ø", "", `50%_off "w"`})
	}
	if g.chance(0.1) {
		s["metadata"] = map[string]any{"x": 1, "layout": []int{1, 2}}
	}
	switch g.intn(4) {
	case 0:
		s["filters"] = nil
	case 1:
		s["filters"] = map[string]any{}
	default:
		s["filters"] = g.node(0, false)
	}

	type plot struct {
		field    string
		typ      string // numeric, boolean, string
		metric   int64
		evalType string
	}
	strFields := []string{"call_ended_reason", "dropoff_point", "topic", "agent.agent_name", "agent.id", "agent_id"}
	var plots []plot
	plots = append(plots, plot{field: "duration", typ: "numeric"}, plot{field: "success", typ: "boolean"}, plot{field: "is_reviewed", typ: "boolean"})
	for _, f := range strFields {
		plots = append(plots, plot{field: f, typ: "string"})
	}
	for range 3 {
		plots = append(plots, plot{field: "metadata." + pick(g, g.p.metaKeys), typ: "string"})
	}
	metrics := append(sample.Metrics(), calldash.Metric{ID: 99, Name: "unknown", EvalType: calldash.EvalNumeric})
	for _, m := range metrics {
		typ := "numeric"
		switch m.EvalType {
		case calldash.EvalBinary:
			typ = "boolean"
		case calldash.EvalEnum:
			typ = "string"
		}
		plots = append(plots, plot{field: "metric_evaluations.value", typ: typ, metric: m.ID, evalType: m.EvalType})
	}
	choose := func(ok func(p plot) bool) plot {
		var c []plot
		for _, p := range plots {
			if ok(p) {
				c = append(c, p)
			}
		}
		return pick(g, c)
	}
	setPlot := func(p plot) {
		s["field"] = p.field
		if p.metric != 0 {
			s["metric"] = p.metric
		}
		if g.chance(0.2) {
			dt := p.typ
			if p.metric != 0 || strings.HasPrefix(p.field, "metadata.") {
				dt = "dynamic"
			}
			s["data_type"] = dt
		}
	}
	empty := func(key string) {
		switch g.intn(3) {
		case 0:
			s[key] = nil
		case 1:
			s[key] = ""
		}
	}
	switch k := g.intn(20); {
	case k < 3: // line
		s["chart_type"] = "line"
		setPlot(choose(func(p plot) bool { return p.typ == "numeric" }))
		empty("time_period")
		empty("aggregation_function")
	case k < 12: // bar
		s["chart_type"] = "bar"
		p := choose(func(p plot) bool { return p.evalType != calldash.EvalEnum })
		setPlot(p)
		aggs := map[string][]string{
			"numeric": {"count", "sum", "avg", "min", "max", "p50", "p95", "p99"},
			"boolean": {"count", "avg"},
			"string":  {"count"},
		}[p.typ]
		if g.chance(0.8) {
			s["aggregation_function"] = pick(g, aggs)
		} else {
			empty("aggregation_function")
		}
		switch k := g.intn(10); {
		case k < 4:
			groups := []string{"success", "is_reviewed", "call_ended_reason", "dropoff_point", "topic", "agent.agent_name", "agent.id", "agent_id",
				"metadata." + pick(g, g.p.metaKeys), "metadata." + pick(g, g.p.metaKeys)}
			s["group_by"] = map[string]any{"type": "field", "field": pick(g, groups)}
		case k < 6:
			ms := pick(g, []int64{1000, 60_000, 900_000, 3_600_000, 5_400_000, 21_600_000, 86_400_000, 604_800_000, 2_592_000_000})
			s["group_by"] = map[string]any{"type": "bucket", "interval": ms}
		case k < 7:
			s["group_by"] = nil
		}
		if g.chance(0.85) {
			s["time_period"] = pick(g, []string{"hour", "day", "week", "month"})
		} else {
			empty("time_period")
		}
	case k < 17: // pie
		s["chart_type"] = "pie"
		setPlot(choose(func(p plot) bool { return p.typ != "numeric" || p.metric != 0 }))
		if g.chance(0.3) {
			s["aggregation_function"] = "count"
		} else {
			empty("aggregation_function")
		}
		empty("time_period")
	default:
		s["chart_type"] = "stat"
		switch g.intn(3) {
		case 0:
			s["field"] = ""
		case 1:
			s["field"] = nil
		}
	}
	return s
}

// node draws a filter node; inMetric restricts it to the fields of a
// same_row group.
func (g *gen) node(depth int, inMetric bool) any {
	if depth >= 3 || g.chance(0.55) {
		return g.leaf(inMetric)
	}
	op := pick(g, []string{"and", "and", "or", "or", "same_row"})
	if inMetric && op == "same_row" {
		op = "and"
	}
	n := g.intn(4)
	if g.chance(0.05) {
		n = 0
	}
	conds := make([]any, n)
	for i := range conds {
		conds[i] = g.node(depth+1, inMetric || op == "same_row")
	}
	return map[string]any{"operator": op, "conditions": conds}
}

var (
	diffCallFields = []string{"id", "timestamp", "timestamp", "duration", "duration", "success", "is_reviewed",
		"call_ended_reason", "dropoff_point", "topic", "customer_number", "agent.id", "agent.agent_name",
		"metadata", "metadata", "metadata"}
	diffMetricFields = []string{"metric_evaluations.metric.id", "metric_evaluations.metric.name",
		"metric_evaluations.value", "metric_evaluations.value"}
	diffOps = map[string][]string{
		"integer":  {"eq", "neq", "gt", "gte", "lt", "lte", "in"},
		"datetime": {"eq", "neq", "gt", "gte", "lt", "lte"},
		"numeric":  {"eq", "neq", "gt", "gte", "lt", "lte", "in", "isnull"},
		"boolean":  {"eq", "neq", "isnull"},
		"string":   {"eq", "neq", "contains", "startswith", "endswith", "in", "isnull", "regex"},
		"dynamic":  {"eq", "neq", "gt", "gte", "lt", "lte", "contains", "startswith", "endswith", "in", "isnull", "regex"},
		"agent":    {"eq", "neq", "in", "isnull"},
		"metricid": {"eq", "neq", "in"},
		"mvalue":   {"eq", "neq", "gt", "gte", "lt", "lte", "contains", "startswith", "endswith", "in", "isnull"},
	}
	diffFieldTypes = map[string]string{
		"id": "integer", "timestamp": "datetime", "duration": "numeric", "success": "boolean", "is_reviewed": "boolean",
		"call_ended_reason": "string", "dropoff_point": "string", "topic": "string", "customer_number": "string",
		"agent.id": "agent", "agent.agent_name": "string", "metadata": "dynamic",
		"metric_evaluations.metric.id": "metricid", "metric_evaluations.metric.name": "string",
		"metric_evaluations.value": "mvalue",
	}
)

func leaf(field, op string, v json.RawMessage) map[string]any {
	return map[string]any{"field": field, "op": op, "value": v}
}

func (g *gen) leaf(inMetric bool) any {
	var field string
	if inMetric || g.chance(0.2) {
		field = pick(g, diffMetricFields)
	} else {
		field = pick(g, diffCallFields)
	}
	typ := diffFieldTypes[field]
	op := pick(g, diffOps[typ])
	name := field
	if field == "metadata" {
		name = "metadata." + pick(g, g.p.metaKeys)
	}
	var v json.RawMessage
	switch {
	case op == "isnull":
		v = jsonBool(g.chance(0.5))
	case op == "in":
		n := g.intn(5)
		elems := make([]json.RawMessage, n)
		for i := range elems {
			elems[i] = g.value(field, typ, "eq")
		}
		v = json.RawMessage(mustJSON(elems))
	default:
		v = g.value(field, typ, op)
	}
	return leaf(name, op, v)
}

// value draws a filter value for field and op.
func (g *gen) value(field, typ, op string) json.RawMessage {
	switch op {
	case "contains", "startswith", "endswith":
		return jsonString(g.fragment())
	case "regex":
		return jsonString(g.regex())
	}
	switch typ {
	case "integer":
		if g.chance(0.9) {
			id := pick(g, g.p.ids)
			return jsonNumber(decimal.NewFromInt(id + int64(g.intn(3)-1)))
		}
		return json.RawMessage(pick(g, []string{"0", "-1", "9007199254740993", "9223372036854775807", "1.0"})) // valid integers only: invalid values are the hostile corpus's
	case "datetime":
		return g.timeValue()
	case "numeric":
		return jsonNumber(g.number(g.p.durations))
	case "boolean":
		return jsonBool(g.chance(0.5))
	case "string":
		return jsonString(g.str(field))
	case "agent":
		if g.chance(0.85) && len(g.p.agentIDs) > 0 {
			return jsonNumber(decimal.NewFromInt(pick(g, g.p.agentIDs)))
		}
		return json.RawMessage(pick(g, []string{"0", "6", "9007199254740992", "9007199254740993.0"}))
	case "metricid":
		return jsonNumber(decimal.NewFromInt(pick(g, append(g.p.metricIDs, 12, 13, 14, 15, 16, 99))))
	case "dynamic":
		return g.dynamic(g.p.meta[pick(g, g.p.metaKeys)], op)
	case "mvalue":
		var vs []calldash.Value
		for _, t := range []string{calldash.EvalNumeric, calldash.EvalContinuous, calldash.EvalBinary, calldash.EvalEnum} {
			vs = append(vs, g.p.evals[t]...)
		}
		return g.dynamic(vs, op)
	}
	panic("unknown type " + typ)
}

// dynamic draws a value of any JSON type, mostly one of vs.
// Ordered operators take numbers and strings only.
func (g *gen) dynamic(vs []calldash.Value, op string) json.RawMessage {
	ordered := op == "gt" || op == "gte" || op == "lt" || op == "lte"
	if len(vs) > 0 && g.chance(0.7) {
		v := pick(g, vs)
		if v.Kind == calldash.KindBool && ordered {
			v = calldash.String(v.Label())
		}
		if v.Kind == calldash.KindNumber && g.chance(0.3) {
			// The same number written another way: 3 vs 3.0 vs 3.000.
			return json.RawMessage(v.Num.StringFixed(max(0, -v.Num.Exponent()) + int32(1+g.intn(2))))
		}
		return v.AppendJSON(nil)
	}
	switch g.intn(4) {
	case 0:
		return jsonNumber(g.number(nil))
	case 1:
		if !ordered {
			return jsonBool(g.chance(0.5))
		}
	}
	return jsonString(g.str(""))
}

// number draws a number: one of vs, near one, or an edge value.
func (g *gen) number(vs []decimal.Decimal) decimal.Decimal {
	if len(vs) > 0 && g.chance(0.7) {
		d := pick(g, vs)
		switch g.intn(4) {
		case 0:
			return d.Add(decimal.New(1, -int32(g.intn(4))))
		case 1:
			return d.Sub(decimal.New(1, -int32(g.intn(4))))
		}
		return d
	}
	return decimal.RequireFromString(pick(g, []string{"0", "-0", "0.5", "1", "1.00", "3", "10", "45.5", "-3", "99.999",
		"100", "600", "12345678901234567890.123456789", "9007199254740993", "0.30000000000000004", "1e2", "-12345.678"}))
}

// str draws a string for field: one of the data, a case variant, or an edge string.
func (g *gen) str(field string) string {
	vs := g.p.strs[field]
	if len(vs) == 0 {
		vs = g.p.allStrs
	}
	switch k := g.intn(10); {
	case k < 6 && len(vs) > 0:
		return pick(g, vs)
	case k < 8 && len(vs) > 0:
		s := pick(g, vs)
		if g.chance(0.5) {
			return strings.ToUpper(s)
		}
		return strings.ToLower(s)
	}
	return pick(g, []string{"", "billing", "Billing", "null", "true", "3", "%", "_", `\`, "a_b", "50%", "ß", "Straße", "STRASSE",
		"überweisung", "ÜBERWEISUNG", "返金", "négatif", "Other", "customer_ended_call"})
}

// fragment draws the value of a contains, startswith or endswith
// condition: a piece of a data string, often in another case.
func (g *gen) fragment() string {
	if g.chance(0.2) || len(g.p.allStrs) == 0 {
		return pick(g, []string{"", "%", "_", `\`, "!", "%_", "a_b", "a%b", "ü", "Ü", "ss", "SS", "ß", "ſ", "K", "k", "\u212a", "é", "É", "返", "i", "İ", "ı", " "})
	}
	s := pick(g, g.p.allStrs)
	runes := []rune(s)
	if len(runes) > 0 {
		i := g.intn(len(runes))
		j := i + g.intn(len(runes)-i+1)
		switch g.intn(3) {
		case 0:
			runes = runes[:j]
		case 1:
			runes = runes[i:]
		default:
			runes = runes[i:j]
		}
	}
	s = string(runes)
	switch g.intn(3) {
	case 0:
		s = strings.ToUpper(s)
	case 1:
		s = strings.ToLower(s)
	}
	return s
}

// regex draws a pattern: portable ones that PostgreSQL and MariaDB should
// accept, and RE2-only ones that they may refuse.
func (g *gen) regex() string {
	if g.chance(0.3) && len(g.p.allStrs) > 0 {
		s := pick(g, g.p.allStrs)
		if r := []rune(s); len(r) > 4 {
			s = string(r[:1+g.intn(4)])
		}
		return regexp.QuoteMeta(s)
	}
	return pick(g, []string{
		"^billing", "billing$", "bill", "^b", "ing$", "a.b", "^$", ".", "[0-9]+", "^\\+1415", "[A-Z]", "^[a-z_]+$",
		"ended|error", "(customer|assistant)_ended", "x*", "a{2}", "[%_]", "Ü", "^返", "é", "\\.", "[^a-z]",
		"(?i)billing", "\\d{3}", "\\bcall\\b", "\\w+", "\\s", "^(?:a|b)", "\\pL", "[[:alpha:]]+", "\\\\",
	})
}

// timeValue draws a datetime filter value: absolute (from the data, in
// any offset, sometimes with a sub-microsecond part), a date, or relative.
func (g *gen) timeValue() json.RawMessage {
	switch k := g.intn(10); {
	case k < 5:
		t := pick(g, g.p.times)
		switch g.intn(6) {
		case 0:
			t = t.Add(time.Microsecond)
		case 1:
			t = t.Add(-time.Microsecond)
		case 2:
			t = t.Add(time.Duration(g.intn(2000)-1000) * time.Nanosecond)
		case 3:
			t = t.Add(time.Duration(g.r.Int64N(int64(48*time.Hour))) - 24*time.Hour)
		}
		zone := pick(g, []*time.Location{time.UTC, g.loc, time.FixedZone("", 5*3600+1800), time.FixedZone("", -(9*3600 + 1800))})
		return jsonString(t.In(zone).Format(time.RFC3339Nano))
	case k < 6:
		t := pick(g, g.p.times).In(g.loc)
		return jsonString(t.Format("2006-01-02"))
	}
	base := pick(g, []string{"now", "today"})
	if g.chance(0.2) {
		return jsonString(base)
	}
	sign := pick(g, []string{"-", "-", "+"})
	unit := pick(g, []string{"s", "m", "h", "d", "w", "M", "y"})
	n := map[string]int{"s": 100000, "m": 5000, "h": 200, "d": 60, "w": 10, "M": 24, "y": 2}[unit]
	return jsonString(fmt.Sprintf("%s%s%d%s", base, sign, g.intn(n), unit))
}

// ---- JSON helpers ----

func mustJSON(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return string(b)
}

func mustFilter(n any) filter.Node {
	node, err := filter.Validate([]byte(mustJSON(n)), filter.CallLogs())
	if err != nil {
		panic(fmt.Sprintf("generated filter %s: %v", mustJSON(n), err))
	}
	return node.Node()
}

func jsonString(s string) json.RawMessage {
	if !utf8.ValidString(s) {
		panic("invalid UTF-8")
	}
	return json.RawMessage(mustJSON(s))
}

func jsonBool(b bool) json.RawMessage              { return json.RawMessage(strconv.FormatBool(b)) }
func jsonNumber(d decimal.Decimal) json.RawMessage { return json.RawMessage(d.String()) }
