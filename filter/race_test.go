//go:build race

package filter_test

// raceEnabled: the race detector is on. sync.Pool, which package regexp
// keeps its matchers in, then drops entries at random, so a regex match
// may allocate.
const raceEnabled = true
