package filter

// Unchecked wraps n as a checked filter of s (nil: CallLogs) without
// checking it, so that tests reach what the later stages do with input
// that Check would refuse.
func Unchecked(n Node, s *Schema) *Checked {
	if s == nil {
		s = CallLogs()
	}
	return &Checked{root: n, schema: s}
}

// WallTime is wallTime, for the tests of DST gaps and overlaps.
var WallTime = wallTime
