package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/calldash/calldash"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/legacy"

	"github.com/calldash/calldash/filter"
	"github.com/calldash/calldash/widget"
)

// testNow is the clock of every test service.
const testNow = "2025-11-28T18:00:00Z"

// The keys of testKeys, and the unscoped key of the environment.
const (
	keyEnv    = "k_env_0001"
	keyAdmin  = "k_admin_0002"
	keyAcme   = "k_acme_0003"
	keyGlobex = "k_globex_0004"
	keyNobody = "k_nobody_0005" // a scope without calls
)

const testKeys = `# test keys
k_admin_0002
k_acme_0003     tenant=acme
k_globex_0004   tenant=globex
k_nobody_0005   tenant=nobody
`

// A testService is the service on a loopback httptest.Server, with the
// OpenAPI document every request and response is checked against.
type testService struct {
	*httptest.Server
	srv    *server
	log    *syncBuffer
	close  func(context.Context) error
	doc    *openapi3.T
	router routers.Router
}

// startService starts the service with the flags args (plus -now and
// -keys testKeys, unless given) and CALLDASH_API_KEYS=keyEnv.
func startService(t *testing.T, args ...string) *testService {
	t.Helper()
	keysFile := filepath.Join(t.TempDir(), "keys.txt")
	if err := os.WriteFile(keysFile, []byte(testKeys), 0o600); err != nil {
		t.Fatal(err)
	}
	args = append([]string{"-now", testNow, "-keys", keysFile}, args...)
	cfg, err := parseFlags(args, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	buf := &syncBuffer{}
	logger := log.New(buf, "", 0)
	ctx := context.Background()
	s, closeAll, err := newServer(ctx, cfg, keyEnv, logger)
	if err != nil {
		t.Fatal(err)
	}
	ts := &testService{Server: httptest.NewUnstartedServer(s), srv: s, log: buf, close: closeAll}
	ts.Config = cfg.httpServer(s, logger)
	ts.Start()
	t.Cleanup(func() {
		ts.Server.Close()
		if err := closeAll(ctx); err != nil {
			t.Error(err)
		}
	})
	ts.doc, ts.router = openAPI(t)
	return ts
}

// openAPI loads and validates the service's OpenAPI document.
func openAPI(t *testing.T) (*openapi3.T, routers.Router) {
	t.Helper()
	doc, err := openapi3.NewLoader().LoadFromData([]byte(openAPIJSON))
	if err != nil {
		t.Fatal(err)
	}
	if err := doc.Validate(context.Background()); err != nil {
		t.Fatalf("openapi.json: %v", err)
	}
	// The playground page is HTML, checked as a string.
	openapi3filter.RegisterBodyDecoder("text/html", openapi3filter.PlainBodyDecoder)
	router, err := legacy.NewRouter(doc)
	if err != nil {
		t.Fatal(err)
	}
	return doc, router
}

// A call is one request of a test, and what the OpenAPI document should
// say about it.
type call struct {
	method, path string
	key          string // X-CEKURA-API-KEY; "" for none
	ctype        string // Content-Type; default application/json with a body, "none" for no header
	body         string
	// conforms says whether the request is one the document describes:
	// invalid requests the document already rules out (a missing key, a
	// body that is not a widget) must fail its request validation.
	conforms bool
}

// do sends c, checks the request against the OpenAPI document as c says
// and the response against it always, and returns the response.
func (ts *testService) do(t *testing.T, c call) (*http.Response, []byte) {
	t.Helper()
	req := ts.request(t, c)
	ts.checkRequest(t, c, req)
	res, err := ts.Client().Do(ts.request(t, c))
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	body, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	ts.checkResponse(t, req, res.StatusCode, res.Header, body)
	return res, body
}

func (ts *testService) request(t *testing.T, c call) *http.Request {
	t.Helper()
	var body io.Reader
	if c.body != "" {
		body = strings.NewReader(c.body)
	}
	req, err := http.NewRequest(c.method, ts.URL+c.path, body)
	if err != nil {
		t.Fatal(err)
	}
	if c.key != "" {
		req.Header.Set(keyHeader, c.key)
	}
	switch {
	case c.ctype == "none":
	case c.ctype != "":
		req.Header.Set("Content-Type", c.ctype)
	case c.body != "":
		req.Header.Set("Content-Type", "application/json")
	}
	return req
}

// validationOptions checks the API key header's presence (the document
// cannot know which keys exist).
func validationOptions() *openapi3filter.Options {
	return &openapi3filter.Options{
		IncludeResponseStatus: true,
		MultiError:            true,
		AuthenticationFunc: func(_ context.Context, in *openapi3filter.AuthenticationInput) error {
			if in.RequestValidationInput.Request.Header.Get(keyHeader) == "" {
				return errors.New("no API key")
			}
			return nil
		},
	}
}

func (ts *testService) checkRequest(t *testing.T, c call, req *http.Request) {
	t.Helper()
	route, params, err := ts.findRoute(req)
	if err == nil {
		err = openapi3filter.ValidateRequest(context.Background(), &openapi3filter.RequestValidationInput{
			Request: req, PathParams: params, Route: route, Options: validationOptions(),
		})
	}
	switch {
	case c.conforms && err != nil:
		t.Errorf("%s %s: the request does not conform to openapi.json: %v", c.method, c.path, err)
	case !c.conforms && err == nil:
		t.Errorf("%s %s: the request conforms to openapi.json, but the test says it should not", c.method, c.path)
	}
}

// findRoute finds the operation of a request in the document. The
// router is lenient about a trailing slash; the service is not, so a
// route counts only when its path matches exactly.
func (ts *testService) findRoute(req *http.Request) (*routers.Route, map[string]string, error) {
	route, params, err := ts.router.FindRoute(req)
	if err != nil {
		return nil, nil, err
	}
	if _, ok := matchPath(route.Path, req.URL.Path); !ok {
		return nil, nil, routers.ErrPathNotFound
	}
	return route, params, nil
}

// methods returns the methods openapi.json has for path, as an Allow
// header lists them ("" for a path it does not have).
func (ts *testService) methods(path string) string {
	for pattern, item := range ts.doc.Paths.Map() {
		if _, ok := matchPath(pattern, path); ok {
			var ms []string
			for m := range item.Operations() {
				ms = append(ms, m)
			}
			slices.Sort(ms)
			return strings.Join(ms, ", ")
		}
	}
	return ""
}

// checkResponse validates a response: against its operation, or, for a
// request the document has no operation for, against the document's
// NotFound or MethodNotAllowed response.
func (ts *testService) checkResponse(t *testing.T, req *http.Request, status int, header http.Header, body []byte) {
	t.Helper()
	route, params, err := ts.findRoute(req)
	if err != nil {
		want, name := http.StatusNotFound, "NotFound"
		methods := ts.methods(req.URL.Path)
		if methods != "" {
			want, name = http.StatusMethodNotAllowed, "MethodNotAllowed"
			if got := header.Get("Allow"); got != methods {
				t.Errorf("%s %s: Allow %q, want the methods of openapi.json, %q", req.Method, req.URL, got, methods)
			}
		}
		if status != want {
			t.Errorf("%s %s: status %d for a request outside openapi.json (%v), want %d", req.Method, req.URL, status, err, want)
		}
		resp := ts.doc.Components.Responses[name].Value
		var v any
		if err := json.Unmarshal(body, &v); err != nil {
			t.Errorf("%s %s: body is not JSON: %s", req.Method, req.URL, body)
			return
		}
		if err := resp.Content.Get("application/json").Schema.Value.VisitJSON(v); err != nil {
			t.Errorf("%s %s: response does not conform to openapi.json's %s: %v\n%s", req.Method, req.URL, name, err, body)
		}
		return
	}
	in := &openapi3filter.ResponseValidationInput{
		RequestValidationInput: &openapi3filter.RequestValidationInput{Request: req, PathParams: params, Route: route},
		Status:                 status,
		Header:                 header,
		Options:                validationOptions(),
	}
	in.SetBodyBytes(body)
	if err := openapi3filter.ValidateResponse(context.Background(), in); err != nil {
		t.Errorf("%s %s: response %d does not conform to openapi.json: %v\n%.500s", req.Method, req.URL, status, err, body)
	}
}

// syncBuffer is a log destination safe for concurrent writes.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.String()
}

// An oracle computes what the service should answer, with widget.Preview
// over Tables of the same sample calls: independent of the service's
// routes, store and pagination.
type oracle struct {
	t      *testing.T
	now    time.Time
	tables map[string]*widget.Table // by scope text; "" every call
	seed   map[int64][]byte         // saved widgets of the sample dashboard
	dash   map[int64][]byte         // dashboard filters of the sample dashboard
}

func newOracle(t *testing.T) *oracle {
	now, _ := time.Parse(time.RFC3339, testNow)
	o := &oracle{t: t, now: now, tables: map[string]*widget.Table{}, seed: map[int64][]byte{}, dash: map[int64][]byte{}}
	var all []calldash.Call
	for scope, calls := range sampleCalls(now, 400) {
		o.tables[scope] = widget.NewTable(calls)
		all = append(all, calls...)
	}
	o.tables[""] = widget.NewTable(all)
	var doc struct {
		Dashboards []struct {
			ID      int64           `json:"id"`
			Filters json.RawMessage `json:"filters"`
		} `json:"dashboards"`
		Widgets []json.RawMessage `json:"widgets"`
	}
	if err := json.Unmarshal([]byte(sampleDashboard), &doc); err != nil {
		t.Fatal(err)
	}
	for _, d := range doc.Dashboards {
		o.dash[d.ID] = d.Filters
	}
	for _, w := range doc.Widgets {
		var id struct{ ID int64 }
		json.Unmarshal(w, &id)
		o.seed[id.ID] = w
	}
	return o
}

// A want is what the oracle answers for one widget.
type want struct {
	scope     string // the calls: "" every call, "tenant=acme", ..., "none" no calls
	widget    string // the widget's JSON
	id        int64  // the saved widget (and widget_id); widget is then ignored
	override  string // filters replacing the widget's, "" for none
	dashboard string // more dashboard filters
	opts      []widget.Option
}

// answer returns the response JSON of w, or its error body.
func (o *oracle) answer(w want) []byte {
	o.t.Helper()
	data := []byte(w.widget)
	if w.id != 0 {
		data = o.seed[w.id]
	}
	spec, err := widget.Decode(data)
	if err != nil {
		return widget.ErrorBody(err)
	}
	opts := append([]widget.Option{widget.WithNow(o.now), widget.WithLatencyMetric(latencyMetric)}, w.opts...)
	var dash []filter.Node
	if spec.Dashboard != nil {
		dash = append(dash, o.filter(string(o.dash[*spec.Dashboard])))
	}
	dash = append(dash, o.filter(w.dashboard))
	if d := filter.And(dash...); d != nil {
		opts = append(opts, widget.WithDashboardFilters(d))
	}
	if w.override != "" {
		opts = append(opts, widget.WithFilterOverride(o.filter(w.override)))
	}
	src := widget.Source(widget.NewTable(nil))
	if t, ok := o.tables[w.scope]; ok {
		src = t
	}
	resp, err := widget.Preview(context.Background(), spec, src, opts...)
	if err != nil {
		return widget.ErrorBody(err)
	}
	if w.id != 0 {
		resp.WidgetID = &w.id
	}
	return resp.AppendJSON(nil)
}

func (o *oracle) filter(text string) filter.Node {
	o.t.Helper()
	if text == "" || text == "null" {
		return nil
	}
	n, err := filter.Validate([]byte(text), filter.CallLogs())
	if err != nil {
		o.t.Fatal(err)
	}
	return n.Node()
}

// sameJSON reports whether a and b are the same JSON value.
func sameJSON(t *testing.T, a, b []byte) bool {
	t.Helper()
	var x, y any
	if err := json.Unmarshal(a, &x); err != nil {
		t.Fatalf("not JSON: %s", a)
	}
	if err := json.Unmarshal(b, &y); err != nil {
		t.Fatalf("not JSON: %s", b)
	}
	xs, _ := json.Marshal(x)
	ys, _ := json.Marshal(y)
	return bytes.Equal(xs, ys)
}
