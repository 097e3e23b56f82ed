// Command server is the reference service of calldash: it exposes widget
// previews over HTTP as the hosted dashboards API does, and is meant to be
// copied. It imports only calldash's public packages and the database
// drivers.
//
//	go run ./examples/server                        # sample calls of two tenants, in memory
//	go run ./examples/server -calls calls.jsonl -keys keys.txt -widgets dashboards.json
//	go run ./examples/server -source postgres -dsn 'postgres://postgres@127.0.0.1:5432/test?sslmode=disable'
//
//	curl -s -X POST 'http://127.0.0.1:8080/dashboards/widgets/preview_data/?tz=Europe/Paris' \
//	    -H 'X-CEKURA-API-KEY: KEY' -H 'Content-Type: application/json' \
//	    -d '{"chart_type":"pie","field":"topic","filters":{"field":"timestamp","op":"gte","value":"today-7d"}}'
//
// # Routes
//
// Routes are exact: another path is 404, another method 405 with an Allow
// header; "/dashboards/widgets/preview_data/x" and
// "/dashboards/widgets/preview_data" (no slash) are 404, not redirects.
// assets/openapi.json, served at GET /openapi.json, describes every route,
// parameter, body and status.
//
//   - POST /dashboards/widgets/preview_data/ answers the widget of the body
//     (widget_id null). A widget whose "dashboard" names a dashboard of the
//     store gets that dashboard's filters ANDed with its own (an unknown
//     one is 400 at "dashboard").
//   - GET /dashboards/widgets/{id}/data/ answers saved widget id
//     (widget_id id) with its dashboard's filters. The query parameter
//     filters, a filter as JSON, replaces the widget's own filters for this
//     request; the dashboard's still apply. An unknown id is 404.
//   - POST /dashboards/widgets/bulk_data/ answers several widgets: the
//     saved ones of "widget_ids", then the unsaved ones of "widgets", each
//     as the two routes above would, with "filters" (as in the hosted API)
//     replacing every widget's own filters and "dashboard_filters" ANDed
//     with every widget's dashboard filters. The answer is a page, as the
//     hosted API's: {"count": N, "next": URL or null, "previous": URL or
//     null, "results": [...]}, one result per widget of the page in
//     request order, either the widget's data or, for that widget alone,
//     {"widget_id": id or null, "status": 400|404|500, "errors": {...}}.
//     Query parameters page (from 1; past the last page, or not a positive
//     integer: 404 "Invalid page.") and page_size (default 20, at most 100;
//     larger counts as 100; not a positive integer: 400). Only the widgets
//     of the requested page are computed.
//   - POST /playground/sql/?dialect=postgres|mysql|sqlite|clickhouse
//     returns {"dialect", "sql", "args"}: the statement an SQL source over
//     the default tables would run for the widget of the body
//     (widget.Statement), without running it.
//   - GET / is the playground, a page that previews a widget and draws its
//     chart (line, bar with groups, pie, stat tiles) in SVG from the
//     service's own answer, next to its SQL; GET /playground/samples.json
//     is the sample dashboard its picker offers. Plain HTML and script,
//     nothing fetched from elsewhere (its Content-Security-Policy says so).
//
// The data routes take the query parameters tz (IANA zone of buckets and
// dates, default UTC) and week_start (default monday).
//
// # API keys and tenants
//
// Every route but the playground's page, its samples and /openapi.json
// needs an API key in the header X-CEKURA-API-KEY: without one, or with
// an unknown one, the answer is 401 {"detail": ...}. Keys come from the
// environment variable CALLDASH_API_KEYS (comma-separated; unscoped) and
// from the -keys file, one key per line with the scope it grants:
//
//	# key           scope (none: every call)
//	k_admin_5b1e
//	k_acme_3f9a     tenant=acme
//	k_globex_81cc   tenant=globex
//
// With no key at all the service makes one up at start and logs it.
//
// A scope is the tenant a key sees, written column=value[,column=value]:
// the conditions an SQL source will add to every statement (see the
// layouts and scope of docs/semantics.md).
// In memory it selects a data set: -calls tenant=acme@acme.jsonl gives
// the calls of that file to the scope tenant=acme, and the service keeps
// one widget.Table per scope, built once at start; a scoped key is
// answered from its scope's Table only (no calls when no -calls names its
// scope), an unscoped key from a Table of every call. Without -calls the
// service generates sample calls for two tenants, tenant=acme and
// tenant=globex (400 calls each over the last 45 days, with the metrics
// sentiment 14, resolved 15 and latency_ms 16).
//
// Over SQL an unscoped key reads every row. When the calls come with
// scopes, the service loads them into tables with scope columns (an
// sqlgen.Layout whose scope is the columns of the -calls scopes) and a
// scoped key reads through that layout bound to its values
// (sqlgen.Layout.Scoped, in scopedSQL): exactly the calls of its scope,
// as in memory. Over existing default tables (-load=false), which have no
// scope columns, a scoped key is answered 501 rather than shown another
// tenant's rows.
//
// # Statuses
//
// Every answer is JSON, errors in the hosted API's style ({"detail":
// "..."} or {"key": ["message", ...]}, widget.ErrorBody):
//
//	200  the data
//	400  invalid input: widget, filters, query parameters, bulk body
//	401  no API key, or an unknown one
//	404  unknown route, unknown saved widget, invalid page
//	405  known route, other method; with Allow
//	408  the body did not arrive within -read-timeout
//	413  body larger than -max-body
//	415  body not sent as application/json
//	500  a failure of the service or its database: logged, answered
//	     {"detail": "A server error occurred."} without its text
//	501  a scoped key over existing default tables (-load=false)
//	503  past the -timeout deadline, or more than -max-inflight
//	     requests at once (with Retry-After)
//
// Only responses that Go's http.Server writes before the handler runs
// (a malformed request line, headers over 1 MiB) are not JSON.
//
// # Store
//
// Saved widgets and dashboards live in SQLite (-store, default an
// in-memory database). -widgets FILE adds those of a JSON document,
// replacing any with the same ids:
//
//	{"dashboards": [{"id": 1, "name": "Support", "filters": {"field": "timestamp", "op": "gte", "value": "today-29d"}}],
//	 "widgets": [{"id": 1, "dashboard": 1, "name": "Topics", "chart_type": "pie", "field": "topic"}]}
//
// Without -widgets an empty store gets the sample dashboard
// (assets/dashboard.json). Every widget and filter is validated when it
// is stored. The store is shared by all keys: a saved widget is a
// definition, and its data is always computed over the caller's scope.
//
// # Sources
//
// -source memory (the default) answers from Tables. -source sqlite,
// postgres, mysql or clickhouse with -dsn (the driver's form, as in
// examples/preview) loads the calls into scratch tables of that database
// (package sqlstore, a fresh name prefix) and drops them at exit;
// -load=false answers over existing default tables instead, named with
// -table-prefix. ClickHouse gets the session setting join_use_nulls=1.
//
// # Limits
//
// -max-body (1 MiB) bounds a body, -read-timeout (10 s) the time to read
// a request (http.Server ReadTimeout; headers within 5 s), -timeout
// (10 s) the work of one request once read (the context of the preview:
// the statement is cancelled on the database), -max-inflight (4 per CPU)
// the requests answered at once. -latency-metric names the metric whose
// p95 is a stat widget's p95_latency (default 16 with the sample calls,
// else none). -now fixes the clock, e.g. for a saved JSON Lines
// file whose calls are older than the 30 days the time-range policy
// allows.
package main
