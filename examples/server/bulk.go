package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"strconv"

	"github.com/calldash/calldash"

	"github.com/calldash/calldash/filter"
	"github.com/calldash/calldash/widget"
)

// Pagination of bulk_data, as the hosted API's page and page_size.
const (
	defaultPageSize = 20
	maxPageSize     = 100
)

// bulkKeys are the keys of a bulk_data body.
const bulkKeys = "widget_ids, widgets, filters, dashboard_filters"

// A bulk is the body of bulk_data, checked.
type bulk struct {
	ids       []int64           // saved widgets
	widgets   []json.RawMessage // unsaved widgets, decoded one at a time
	override  filter.Node       // "filters": replaces every widget's filters
	overrides bool              // "filters" was given (and not null)
	dashboard filter.Node       // "dashboard_filters": ANDed with every widget's
}

// parseBulk reads and checks a bulk_data body; every problem is reported
// at its key.
func parseBulk(data []byte) (*bulk, error) {
	var top map[string]json.RawMessage
	if err := json.Unmarshal(data, &top); err != nil || top == nil {
		return nil, calldash.ErrorList{calldash.Errorf("$", calldash.ErrType, "the body must be a JSON object with the keys %s", bulkKeys)}
	}
	var errs calldash.ErrorList
	b := &bulk{}
	for key, raw := range top {
		path := "$." + key
		switch key {
		case "widget_ids":
			if json.Unmarshal(raw, &b.ids) != nil {
				errs = append(errs, calldash.Errorf(path, calldash.ErrType, "want a list of widget ids (integers)"))
			}
		case "widgets":
			if json.Unmarshal(raw, &b.widgets) != nil {
				errs = append(errs, calldash.Errorf(path, calldash.ErrType, "want a list of widgets (objects)"))
			}
		case "filters", "dashboard_filters":
			if bytes.Equal(raw, []byte("null")) {
				continue
			}
			n, err := filter.Validate(raw, filter.CallLogs(), filter.AtPath(path))
			if err != nil {
				var list calldash.ErrorList
				if errors.As(err, &list) {
					errs = append(errs, list...)
				} else {
					errs = append(errs, calldash.Errorf(path, calldash.ErrType, "%v", err))
				}
				continue
			}
			if key == "filters" {
				b.override, b.overrides = n.Node(), true
			} else {
				b.dashboard = n.Node()
			}
		default:
			errs = append(errs, calldash.Errorf("$", calldash.ErrUnknownKey, "unknown key %q (known: %s)", key, bulkKeys))
		}
	}
	_, hasIDs := top["widget_ids"]
	_, hasWidgets := top["widgets"]
	if !hasIDs && !hasWidgets {
		errs = append(errs, calldash.Errorf("$.widget_ids", calldash.ErrRequired, "This field is required (or widgets)."))
	}
	if len(errs) > 0 {
		errs.Sort()
		return nil, errs
	}
	return b, nil
}

// page returns the page and page size of a request: 404 for a page that
// is not a positive integer, 400 for such a page size; a page size above
// maxPageSize counts as maxPageSize.
func page(q url.Values) (page, size int, bad *reply) {
	page, size = 1, defaultPageSize
	if v := q.Get("page"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			rep := detail(http.StatusNotFound, "Invalid page.")
			return 0, 0, &rep
		}
		page = n
	}
	if v := q.Get("page_size"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			rep := keyErrors("page_size", "A positive integer is required.")
			return 0, 0, &rep
		}
		size = min(n, maxPageSize)
	}
	return page, size, nil
}

// bulkData answers POST /dashboards/widgets/bulk_data/: the saved widgets
// of widget_ids, then the widgets of widgets, one page of them, each with
// its own data or errors.
func (s *server) bulkData(rq *request) reply {
	opts, bad := s.options(rq)
	if bad != nil {
		return *bad
	}
	b, err := parseBulk(rq.body)
	if err != nil {
		return s.fail(rq, err)
	}
	pageNo, size, bad := page(rq.URL.Query())
	if bad != nil {
		return *bad
	}
	if _, err := s.data.source(rq.scope); err != nil {
		return s.fail(rq, err) // no widget can be answered for this key
	}
	total := len(b.ids) + len(b.widgets)
	pages := max(1, (total+size-1)/size)
	if pageNo > pages {
		return detail(http.StatusNotFound, "Invalid page.")
	}
	if b.overrides {
		opts = append(opts, widget.WithFilterOverride(b.override))
	}
	from, to := (pageNo-1)*size, min(pageNo*size, total)
	out := []byte(`{"count":`)
	out = strconv.AppendInt(out, int64(total), 10)
	out = append(out, `,"next":`...)
	out = appendURL(out, rq, pageNo+1, pageNo < pages)
	out = append(out, `,"previous":`...)
	out = appendURL(out, rq, pageNo-1, pageNo > 1)
	out = append(out, `,"results":[`...)
	for i := from; i < to; i++ {
		if i > from {
			out = append(out, ',')
		}
		var id *int64
		var resp *widget.Response
		var err error
		if i < len(b.ids) {
			id = &b.ids[i]
			resp, err = s.savedWidget(rq, *id, b.dashboard, opts)
		} else {
			resp, err = s.inline(rq, b.widgets[i-len(b.ids)], b.dashboard, opts)
		}
		if err == nil {
			out = resp.AppendJSON(out)
			continue
		}
		if errors.Is(err, context.DeadlineExceeded) || errors.Is(err, context.Canceled) {
			return s.fail(rq, err) // the whole request is past its deadline
		}
		rep := s.fail(rq, err)
		if errors.Is(err, errNotFound) {
			rep = detail(http.StatusNotFound, "Not found.")
		}
		out = appendItemError(out, id, rep)
	}
	return ok(append(out, "]}"...))
}

// inline answers an unsaved widget of a bulk request, with the filters of
// the dashboard it names (if any) ANDed with more.
func (s *server) inline(rq *request, data []byte, more filter.Node, opts []widget.Option) (*widget.Response, error) {
	spec, err := widget.Decode(data)
	if err != nil {
		return nil, err
	}
	dash, err := s.dashboardFilters(rq.ctx, spec.Dashboard)
	if err != nil {
		return nil, err
	}
	return s.answer(rq, spec, filter.And(dash, more), opts)
}

// appendItemError appends the result of a widget that could not be
// answered: {"widget_id": id or null, "status": N, "errors": {...}}, the
// errors in the form of the status's whole-request reply.
func appendItemError(b []byte, id *int64, rep reply) []byte {
	b = append(b, `{"widget_id":`...)
	if id == nil {
		b = append(b, "null"...)
	} else {
		b = strconv.AppendInt(b, *id, 10)
	}
	b = append(b, `,"status":`...)
	b = strconv.AppendInt(b, int64(rep.status), 10)
	b = append(b, `,"errors":`...)
	b = append(b, rep.body...)
	return append(b, '}')
}

// appendURL appends the absolute URL of page p of the request (its other
// query parameters kept; page 1 without a page parameter), or null.
func appendURL(b []byte, rq *request, p int, exists bool) []byte {
	if !exists {
		return append(b, "null"...)
	}
	u := url.URL{Scheme: "http", Host: rq.Host, Path: rq.URL.Path}
	if rq.TLS != nil {
		u.Scheme = "https"
	}
	q := rq.URL.Query()
	if p == 1 {
		q.Del("page")
	} else {
		q.Set("page", strconv.Itoa(p))
	}
	u.RawQuery = q.Encode()
	s, _ := marshal(u.String())
	return append(b, s...)
}
