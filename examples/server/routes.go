package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log"
	"mime"
	"net"
	"net/http"
	"runtime/debug"
	"strings"
	"time"

	"github.com/calldash/calldash"
	"github.com/calldash/calldash/widget"
)

// A server is the service's http.Handler: exact routes, API keys, limits,
// and JSON answers for every status (see the package documentation).
type server struct {
	keys    keyring
	data    *backend
	store   *store
	now     func() time.Time // the clock of "now" in filters
	latency int64            // -latency-metric; 0 for none
	maxBody int64            // -max-body
	timeout time.Duration    // -timeout: the deadline of one request
	busy    chan struct{}    // a token per request being answered (-max-inflight)
	log     *log.Logger
	routes  []route
}

// A route is a path and method of the service.
type route struct {
	path   string // exact; a segment "{id}" stands for any one segment
	method string
	public bool // answered without an API key
	body   bool // takes a JSON body
	serve  func(*server, *request) reply
}

// routes returns the routes of the service; the OpenAPI document
// (assets/openapi.json) describes each of them.
func routes() []route {
	return []route{
		{path: "/", method: http.MethodGet, public: true, serve: (*server).playground},
		{path: "/openapi.json", method: http.MethodGet, public: true, serve: (*server).openAPI},
		{path: "/playground/samples.json", method: http.MethodGet, public: true, serve: (*server).samples},
		{path: "/playground/sql/", method: http.MethodPost, body: true, serve: (*server).sql},
		{path: "/dashboards/widgets/preview_data/", method: http.MethodPost, body: true, serve: (*server).previewData},
		{path: "/dashboards/widgets/bulk_data/", method: http.MethodPost, body: true, serve: (*server).bulkData},
		{path: "/dashboards/widgets/{id}/data/", method: http.MethodGet, serve: (*server).widgetData},
	}
}

// A request is what a route's handler gets: the HTTP request, with the
// deadline of the request in ctx, the scope of its API key, the {id}
// segment of its path and its body.
type request struct {
	*http.Request
	ctx   context.Context
	scope Scope
	id    string
	body  []byte
}

// A reply is a response to write: JSON unless ctype says otherwise.
type reply struct {
	status int
	body   []byte
	ctype  string      // default application/json
	header http.Header // more headers, e.g. Allow
}

// detail is a reply with the body {"detail": msg}, the hosted API's form
// of an error that is not about one key.
func detail(status int, msg string) reply {
	body, _ := marshal(map[string]string{"detail": msg})
	return reply{status: status, body: body}
}

// ok is a 200 reply with a JSON body.
func ok(body []byte) reply { return reply{status: http.StatusOK, body: body} }

// match finds the route of path and method. With no route for the method
// it returns the methods the path has (none: the path is unknown).
func (s *server) match(path, method string) (rt *route, id string, allow []string) {
	for i := range s.routes {
		r := &s.routes[i]
		seg, ok := matchPath(r.path, path)
		if !ok {
			continue
		}
		if r.method == method {
			return r, seg, nil
		}
		allow = append(allow, r.method)
	}
	return nil, "", allow
}

// matchPath matches path against a route's pattern, returning the
// segment that stands for "{id}".
func matchPath(pattern, path string) (id string, ok bool) {
	before, after, wild := strings.Cut(pattern, "{id}")
	if !wild {
		return "", path == pattern
	}
	if !strings.HasPrefix(path, before) || !strings.HasSuffix(path, after) || len(path) < len(before)+len(after) {
		return "", false
	}
	id = path[len(before) : len(path)-len(after)]
	return id, id != "" && !strings.Contains(id, "/")
}

// ServeHTTP answers one request: route (404, 405), API key (401), load
// (503), body (415, 413, 408, 400), then the route's handler under the
// request's deadline.
func (s *server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	defer func() {
		if p := recover(); p != nil {
			if p == http.ErrAbortHandler {
				panic(p)
			}
			s.log.Printf("%s %s: panic: %v\n%s", r.Method, r.URL.Path, p, debug.Stack())
			s.write(w, detail(http.StatusInternalServerError, msgInternal))
		}
	}()
	s.write(w, s.serve(w, r))
}

func (s *server) serve(w http.ResponseWriter, r *http.Request) reply {
	rt, id, allow := s.match(r.URL.Path, r.Method)
	if rt == nil && allow == nil {
		return detail(http.StatusNotFound, "Not found.")
	}
	if rt == nil {
		rep := detail(http.StatusMethodNotAllowed, fmt.Sprintf("Method %q not allowed.", r.Method))
		rep.header = http.Header{"Allow": {strings.Join(allow, ", ")}}
		return rep
	}
	rq := &request{Request: r, id: id}
	if !rt.public {
		key := r.Header.Get(keyHeader)
		if key == "" {
			return unauthorized("Authentication credentials were not provided.")
		}
		scope, ok := s.keys.lookup(key)
		if !ok {
			return unauthorized("Invalid API key.")
		}
		rq.scope = scope
		select {
		case s.busy <- struct{}{}:
			defer func() { <-s.busy }()
		default:
			rep := detail(http.StatusServiceUnavailable, "The service is busy; try again later.")
			rep.header = http.Header{"Retry-After": {"1"}}
			return rep
		}
	}
	if rt.body {
		var bad *reply
		if rq.body, bad = s.readBody(w, r); bad != nil {
			return *bad
		}
	}
	ctx, cancel := context.WithTimeout(r.Context(), s.timeout)
	defer cancel()
	rq.ctx = ctx
	return rt.serve(s, rq)
}

func unauthorized(msg string) reply {
	rep := detail(http.StatusUnauthorized, msg)
	rep.header = http.Header{"Www-Authenticate": {`APIKey header="` + keyHeader + `"`}}
	return rep
}

// readBody reads a JSON request body of at most s.maxBody bytes. The
// http.Server's ReadTimeout bounds the time it may take.
func (s *server) readBody(w http.ResponseWriter, r *http.Request) ([]byte, *reply) {
	fail := func(rep reply) ([]byte, *reply) { return nil, &rep }
	ct := r.Header.Get("Content-Type")
	if mt, _, err := mime.ParseMediaType(ct); err != nil || mt != "application/json" {
		return fail(detail(http.StatusUnsupportedMediaType, fmt.Sprintf("Unsupported media type %q in request; send application/json.", ct)))
	}
	tooLarge := detail(http.StatusRequestEntityTooLarge, fmt.Sprintf("Request body is larger than %d bytes.", s.maxBody))
	if r.ContentLength > s.maxBody {
		return fail(tooLarge)
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, s.maxBody))
	var big *http.MaxBytesError
	var ne net.Error
	switch {
	case err == nil:
		return body, nil
	case errors.As(err, &big):
		return fail(tooLarge)
	case errors.As(err, &ne) && ne.Timeout():
		return fail(detail(http.StatusRequestTimeout, "The request body did not arrive in time."))
	default:
		return fail(detail(http.StatusBadRequest, "Could not read the request body."))
	}
}

// write writes rep; only a reply of the playground page is not JSON.
func (s *server) write(w http.ResponseWriter, rep reply) {
	h := w.Header()
	for k, v := range rep.header {
		h[k] = v
	}
	if rep.ctype == "" {
		rep.ctype = "application/json"
	}
	h.Set("Content-Type", rep.ctype)
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Cache-Control", "no-store")
	w.WriteHeader(rep.status)
	w.Write(rep.body)
}

// msgInternal is the whole message of a 500: never database text or SQL.
const msgInternal = widget.ServerErrorMessage

// fail turns an error of a handler into its reply: the user's mistakes
// (calldash.IsInvalid) are 400 with widget.ErrorBody; a request past its
// deadline is 503; a scoped key over SQL is 501; anything else is a
// failure of the system, logged and answered 500 with widget.ErrorBody's
// generic message, never its text.
func (s *server) fail(rq *request, err error) reply {
	switch {
	case calldash.IsInvalid(err):
		return reply{status: http.StatusBadRequest, body: widget.ErrorBody(err)}
	case errors.Is(err, context.DeadlineExceeded) || errors.Is(err, context.Canceled):
		return detail(http.StatusServiceUnavailable, "The request took too long; narrow the time range or try again later.")
	case errors.Is(err, errScopeUnsupported):
		s.log.Printf("%s %s: %v", rq.Method, rq.URL.Path, err)
		return detail(http.StatusNotImplemented, "This API key is scoped to a tenant, and this service's existing tables have no scope columns.")
	}
	s.log.Printf("%s %s: %v", rq.Method, rq.URL.Path, err)
	return reply{status: http.StatusInternalServerError, body: widget.ErrorBody(err)}
}

// marshal is json.Marshal without escaping <, > and & (a URL's query, SQL).
func marshal(v any) ([]byte, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(b.Bytes(), []byte("\n")), nil
}

// keyErrors is a 400 reply {"key": ["message"]} for problems with keys of
// the request that widget.ErrorBody does not know (query parameters).
func keyErrors(key, msg string) reply {
	body, _ := marshal(map[string][]string{key: {msg}})
	return reply{status: http.StatusBadRequest, body: body}
}
