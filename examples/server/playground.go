package main

import (
	_ "embed"
	"net/http"
)

// The files the service serves as they are (strings: never changed).
var (
	//go:embed assets/playground.html
	playgroundHTML string
	//go:embed assets/openapi.json
	openAPIJSON string
	//go:embed assets/dashboard.json
	sampleDashboard string
)

// playgroundCSP lets the page run its own script and talk to this service
// only: nothing is fetched from anywhere else.
const playgroundCSP = "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; " +
	"connect-src 'self'; img-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"

// playground serves GET /: a page that previews a pasted widget (or one of
// the sample dashboard's), draws its chart from the service's response,
// and shows the SQL it would run. It can take its input from the URL
// fragment, which never reaches a server:
//
//	/#key=KEY&widget=URL-ENCODED-JSON&dialect=sqlite&tz=Europe/Paris&run=1
func (s *server) playground(*request) reply {
	return reply{status: http.StatusOK, body: []byte(playgroundHTML), ctype: "text/html; charset=utf-8",
		header: http.Header{"Content-Security-Policy": {playgroundCSP}}}
}

// openAPI serves GET /openapi.json, the OpenAPI 3 document of the service.
func (s *server) openAPI(*request) reply { return ok([]byte(openAPIJSON)) }

// samples serves GET /playground/samples.json, the sample dashboard (the
// seed document of the store without -widgets) for the page's picker.
func (s *server) samples(*request) reply { return ok([]byte(sampleDashboard)) }
