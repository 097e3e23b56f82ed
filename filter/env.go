package filter

import "time"

// An Env is what evaluating a filter depends on besides the records: the
// clock and the time zone.
type Env struct {
	Now      time.Time      // the current instant; zero means time.Now() when the filter is compiled
	Location *time.Location // zone of dates, "today" and day/month arithmetic; nil means UTC
}

// now returns the instant "now" of e.
func (e Env) now() time.Time {
	if e.Now.IsZero() {
		return time.Now()
	}
	return e.Now
}

// loc returns the time zone of e.
func (e Env) loc() *time.Location {
	if e.Location == nil {
		return time.UTC
	}
	return e.Location
}
