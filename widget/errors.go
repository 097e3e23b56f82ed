package widget

import (
	"errors"
	"strings"

	"github.com/calldash/calldash"
	"github.com/calldash/calldash/internal/jsonx"
)

// ErrorBody renders err in the hosted API's style: problems with
// a widget key as {"key": ["message", ...]} (one entry per top-level key,
// messages in path order; a message about a node below the key keeps its
// full path), and anything else — a refusal by the time-range policy
// (calldash.ErrTimeRange), a problem with the whole input such as
// malformed JSON — as {"detail": "message"}, e.g. {"detail": "Timestamp
// filter value is too far in the past. Maximum allowed range is 30 days."}.
//
// Only invalid input ([calldash.IsInvalid]) is rendered with its messages.
// Any other error, nil included, is a failure of the system whose text may
// hold database messages or SQL: it renders as the generic
// {"detail": "A server error occurred."} ([ServerErrorMessage]), never with
// its text. A caller answers invalid input with 400 and everything else
// with a 5xx status, logging the error itself:
//
//	if calldash.IsInvalid(err) {
//		w.WriteHeader(http.StatusBadRequest)
//	} else {
//		log.Print(err)
//		w.WriteHeader(http.StatusInternalServerError)
//	}
//	w.Write(widget.ErrorBody(err))
func ErrorBody(err error) []byte {
	if !calldash.IsInvalid(err) {
		return detail(ServerErrorMessage)
	}
	var list calldash.ErrorList
	var one *calldash.Error
	switch {
	case errors.As(err, &list) && len(list) > 0:
	case errors.As(err, &one):
		list = calldash.ErrorList{one}
	}
	for _, e := range list {
		if errors.Is(e, calldash.ErrTimeRange) {
			return detail(e.Msg)
		}
	}
	byKey := map[string][]string{}
	var keys []string
	for _, e := range list {
		key, ok := topKey(e.Path)
		if !ok {
			return detail(e.Error())
		}
		msg := e.Msg
		if e.Path != "$."+key {
			msg = e.Error()
		}
		if _, seen := byKey[key]; !seen {
			keys = append(keys, key)
		}
		byKey[key] = append(byKey[key], msg)
	}
	b := []byte{'{'}
	for i, k := range keys {
		if i > 0 {
			b = append(b, ',')
		}
		b = jsonx.Quote(b, k)
		b = append(b, ':')
		b = append(b, '[')
		for j, m := range byKey[k] {
			if j > 0 {
				b = append(b, ',')
			}
			b = jsonx.Quote(b, m)
		}
		b = append(b, ']')
	}
	return append(b, '}')
}

// ServerErrorMessage is the whole message of [ErrorBody] for an error that
// is not invalid input.
const ServerErrorMessage = "A server error occurred."

func detail(msg string) []byte {
	b := append([]byte(`{"detail":`), jsonx.Quote(nil, msg)...)
	return append(b, '}')
}

// topKey returns the first key of a path such as "$.filters.conditions[0]".
func topKey(path string) (string, bool) {
	rest, ok := strings.CutPrefix(path, "$.")
	if !ok || rest == "" {
		return "", false
	}
	if i := strings.IndexAny(rest, ".["); i >= 0 {
		rest = rest[:i]
	}
	return rest, true
}
