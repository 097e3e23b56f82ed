package sqlitefn

import "github.com/shopspring/decimal"

// compareText compares two decimal texts exactly without making numbers
// of them: by sign, then by magnitude (the position of the leading
// digit), then digit by digit. It costs one pass over the texts, where
// shopspring/decimal would parse both and scale one to the other's
// exponent — for 1234567890123456789012e977 against "60.5", a
// thousand-digit multiplication per row. ok is false when a text is not
// of the form parseSmall documents, is longer than parseDecimal reads,
// has an exponent of more than 9 digits or a value whose exponent
// shopspring/decimal refuses; the decimal path then decides, so that the
// order is exactly the decimal path's.
func compareText(a, b string) (r int, ok bool) {
	x, ok := scanText(a)
	if !ok {
		return 0, false
	}
	y, ok := scanText(b)
	if !ok {
		return 0, false
	}
	switch {
	case x.sign != y.sign:
		if x.sign > y.sign {
			return 1, true
		}
		return -1, true
	case x.sign == 0:
		return 0, true
	case x.mag != y.mag:
		if (x.mag > y.mag) == (x.sign > 0) {
			return 1, true
		}
		return -1, true
	}
	// Same sign and magnitude: the significant digits decide, the shorter
	// run padded with zeros.
	i, j := x.first, y.first
	for {
		i, j = x.skipPoint(i), y.skipPoint(j)
		di, dj := x.digit(i), y.digit(j)
		if di == -1 && dj == -1 {
			return 0, true
		}
		if di == -1 {
			di = 0
		}
		if dj == -1 {
			dj = 0
		}
		if di != dj {
			if (di > dj) == (x.sign > 0) {
				return 1, true
			}
			return -1, true
		}
		i, j = i+1, j+1
	}
}

// A scanned is a decimal text read in place.
type scanned struct {
	s     string
	sign  int   // -1, 0 or +1
	mag   int64 // the leading significant digit stands for 10^mag
	first int   // index of the leading significant digit in s
	last  int   // index just past the last significant digit
}

// digit returns the digit at index i of the significant run, or -1 past
// its end.
func (x scanned) digit(i int) int {
	if i >= x.last {
		return -1
	}
	return int(x.s[i] - '0')
}

// skipPoint steps over the decimal point.
func (x scanned) skipPoint(i int) int {
	if i < x.last && x.s[i] == '.' {
		return i + 1
	}
	return i
}

// scanText reads s: [sign] digits [. digits] [e|E [sign] digits], at
// least one digit in the mantissa.
func scanText(s string) (scanned, bool) {
	if s == "" || len(s) > 1100 { // as parseDecimal
		return scanned{}, false
	}
	x := scanned{s: s}
	n, i := len(s), 0
	neg := false
	if i < n && (s[i] == '+' || s[i] == '-') {
		neg = s[i] == '-'
		i++
	}
	point, digits := -1, 0
	first, last := -1, -1
	for ; i < n; i++ {
		c := s[i]
		switch {
		case c == '.' && point < 0:
			point = i
		case c >= '0' && c <= '9':
			digits++
			if c != '0' {
				if first < 0 {
					first = i
				}
				last = i + 1
			}
		default:
			goto mantissaDone
		}
	}
mantissaDone:
	if digits == 0 {
		return scanned{}, false
	}
	end := i
	if point < 0 {
		point = end
	}
	var exp int64
	if i < n {
		if s[i] != 'e' && s[i] != 'E' {
			return scanned{}, false
		}
		i++
		eneg := false
		if i < n && (s[i] == '+' || s[i] == '-') {
			eneg = s[i] == '-'
			i++
		}
		if i == n || n-i > 9 {
			return scanned{}, false
		}
		for ; i < n; i++ {
			c := s[i]
			if c < '0' || c > '9' {
				return scanned{}, false
			}
			exp = exp*10 + int64(c-'0')
		}
		if eneg {
			exp = -exp
		}
	}
	// The exponent of the coefficient, as decimal.NewFromString reads it,
	// must be within its MaxDecodeExponent.
	if e := exp - int64(max(end-point-1, 0)); e > int64(decimal.MaxDecodeExponent) || e < -int64(decimal.MaxDecodeExponent) {
		return scanned{}, false
	}
	if first < 0 { // zero
		return x, true
	}
	x.sign = 1
	if neg {
		x.sign = -1
	}
	// The leading digit's power of ten: its distance to the point.
	if first < point {
		x.mag = int64(point-first-1) + exp
	} else {
		x.mag = -int64(first-point) + exp
	}
	x.first, x.last = first, last
	return x, true
}
