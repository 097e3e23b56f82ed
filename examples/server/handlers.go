package main

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/calldash/calldash/sqlgen"

	"github.com/calldash/calldash"

	"github.com/calldash/calldash/dialect"
	"github.com/calldash/calldash/filter"
	"github.com/calldash/calldash/widget"
)

// errNoDashboard is the kind of the error for a widget whose dashboard
// is not in the store.
var errNoDashboard = errors.New("no such dashboard")

// options returns the options of a data request: the clock, the latency
// metric, and the query parameters tz (an IANA zone, default UTC) and
// week_start (a weekday name, default monday).
func (s *server) options(rq *request) ([]widget.Option, *reply) {
	opts := []widget.Option{widget.WithNow(s.now())}
	if s.latency != 0 {
		opts = append(opts, widget.WithLatencyMetric(s.latency))
	}
	q := rq.URL.Query()
	if tz := q.Get("tz"); tz != "" {
		loc, err := time.LoadLocation(tz)
		if err != nil {
			rep := keyErrors("tz", fmt.Sprintf("unknown time zone %q; want an IANA name such as Europe/Paris", tz))
			return nil, &rep
		}
		opts = append(opts, widget.WithLocation(loc))
	}
	if ws := q.Get("week_start"); ws != "" {
		day, ok := weekdays()[strings.ToLower(ws)]
		if !ok {
			rep := keyErrors("week_start", "want a weekday name, e.g. monday")
			return nil, &rep
		}
		opts = append(opts, widget.WithWeekStart(day))
	}
	return opts, nil
}

func weekdays() map[string]time.Weekday {
	return map[string]time.Weekday{
		"sunday": time.Sunday, "monday": time.Monday, "tuesday": time.Tuesday, "wednesday": time.Wednesday,
		"thursday": time.Thursday, "friday": time.Friday, "saturday": time.Saturday,
	}
}

// dashboardFilters returns the filters of dashboard id in the store (nil
// for none), or an error at $.dashboard when there is no such dashboard.
func (s *server) dashboardFilters(ctx context.Context, id *int64) (filter.Node, error) {
	if id == nil {
		return nil, nil
	}
	data, ok, err := s.store.dashboardFilters(ctx, *id)
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, calldash.ErrorList{calldash.Errorf("$.dashboard", errNoDashboard, "Invalid pk \"%d\" - object does not exist.", *id)}
	}
	return storedFilters(data)
}

// storedFilters parses filters from the store, which were validated when
// they were stored: a problem now is the service's, not the user's.
func storedFilters(data []byte) (filter.Node, error) {
	if data == nil {
		return nil, nil
	}
	n, err := filter.Validate(data, filter.CallLogs())
	if err != nil {
		return nil, fmt.Errorf("stored dashboard filters: %s", err) // %s: no longer the user's error kind
	}
	return n.Node(), nil
}

// answer previews spec over the calls of the request's scope, with the
// filters of the widget's dashboard (ANDed with more, when not nil) and
// opts.
func (s *server) answer(rq *request, spec *widget.Spec, dashboard filter.Node, opts []widget.Option) (*widget.Response, error) {
	src, err := s.data.source(rq.scope)
	if err != nil {
		return nil, err
	}
	if dashboard != nil {
		opts = append(opts, widget.WithDashboardFilters(dashboard))
	}
	resp, err := widget.Preview(rq.ctx, spec, src, opts...)
	if err == nil && rq.ctx.Err() != nil {
		err = rq.ctx.Err() // answered, but too late
	}
	return resp, err
}

// decode reads the request's options, the widget of its body and the
// filters of the dashboard the widget names (nil when none).
func (s *server) decode(rq *request) ([]widget.Option, *widget.Spec, filter.Node, *reply) {
	opts, bad := s.options(rq)
	if bad != nil {
		return nil, nil, nil, bad
	}
	spec, err := widget.Decode(rq.body)
	if err != nil {
		r := s.fail(rq, err)
		return nil, nil, nil, &r
	}
	dash, err := s.dashboardFilters(rq.ctx, spec.Dashboard)
	if err != nil {
		r := s.fail(rq, err)
		return nil, nil, nil, &r
	}
	return opts, spec, dash, nil
}

// previewData answers POST /dashboards/widgets/preview_data/: the widget
// of the body, with the filters of its dashboard when it names one.
func (s *server) previewData(rq *request) reply {
	opts, spec, dash, bad := s.decode(rq)
	if bad != nil {
		return *bad
	}
	resp, err := s.answer(rq, spec, dash, opts)
	if err != nil {
		return s.fail(rq, err)
	}
	return ok(resp.AppendJSON(nil))
}

// widgetData answers GET /dashboards/widgets/{id}/data/: a saved widget,
// with its dashboard's filters, and the query parameter filters, when
// given, in place of the widget's own filters.
func (s *server) widgetData(rq *request) reply {
	id, err := strconv.ParseInt(rq.id, 10, 64)
	if err != nil || id <= 0 {
		return detail(http.StatusNotFound, "Not found.")
	}
	opts, bad := s.options(rq)
	if bad != nil {
		return *bad
	}
	if f := rq.URL.Query().Get("filters"); f != "" {
		n, err := filter.Validate([]byte(f), filter.CallLogs(), filter.AtPath("$.filters"))
		if err != nil {
			return s.fail(rq, err)
		}
		opts = append(opts, widget.WithFilterOverride(n.Node()))
	}
	resp, err := s.savedWidget(rq, id, nil, opts)
	if errors.Is(err, errNotFound) {
		return detail(http.StatusNotFound, "Not found.")
	}
	if err != nil {
		return s.fail(rq, err)
	}
	return ok(resp.AppendJSON(nil))
}

// errNotFound is the error of a saved widget that does not exist.
var errNotFound = errors.New("no such widget")

// savedWidget answers the saved widget id, its dashboard's filters ANDed
// with more (when not nil).
func (s *server) savedWidget(rq *request, id int64, more filter.Node, opts []widget.Option) (*widget.Response, error) {
	w, found, err := s.store.widget(rq.ctx, id)
	if err != nil {
		return nil, err
	}
	if !found {
		return nil, errNotFound
	}
	spec, err := widget.Decode(w.spec)
	if err != nil {
		return nil, fmt.Errorf("stored widget %d: %s", id, err) // %s: no longer the user's error kind
	}
	dash, err := storedFilters(w.dashboardFilters)
	if err != nil {
		return nil, err
	}
	resp, err := s.answer(rq, spec, filter.And(dash, more), opts)
	if err != nil {
		return nil, err
	}
	resp.WidgetID = &id
	return resp, nil
}

// sql answers POST /playground/sql/?dialect=D: the statement and
// arguments an SQL source over the default tables of dialect D (default
// postgres) would run for the widget of the body.
func (s *server) sql(rq *request) reply {
	name := rq.URL.Query().Get("dialect")
	if name == "" {
		name = "postgres"
	}
	d, err := dialect.ByName(name)
	if err != nil {
		return keyErrors("dialect", err.Error())
	}
	opts, spec, dash, bad := s.decode(rq)
	if bad != nil {
		return *bad
	}
	if dash != nil {
		opts = append(opts, widget.WithDashboardFilters(dash))
	}
	text, args, err := widget.Statement(spec, d, sqlgen.DefaultLayout(""), append(opts, widget.WithMetrics(s.data.metrics...))...)
	if err != nil {
		return s.fail(rq, err)
	}
	if args == nil {
		args = []any{}
	}
	body, err := marshal(struct {
		Dialect string `json:"dialect"`
		SQL     string `json:"sql"`
		Args    []any  `json:"args"`
	}{d.Name(), text, args})
	if err != nil {
		return s.fail(rq, err)
	}
	return ok(body)
}
