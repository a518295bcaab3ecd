package transport

// ParseInt is strconv.ParseInt(string(b), 10, 64) without the copy (an
// allocation per call): the lenient integer types of the providers read
// most values through it and fall back to their general path only when it
// says no.
func ParseInt(b []byte) (int64, bool) {
	neg := false
	if len(b) > 0 && (b[0] == '-' || b[0] == '+') {
		neg = b[0] == '-'
		b = b[1:]
	}
	if len(b) == 0 {
		return 0, false
	}
	var n uint64
	for _, c := range b {
		if c < '0' || c > '9' {
			return 0, false
		}
		// Checked before the multiplication: n*10 itself can wrap a
		// uint64 (19000000000000000000 used to read as 553255926290448384).
		if n > (1<<63)/10 {
			return 0, false
		}
		n = n*10 + uint64(c-'0')
		if n > 1<<63 {
			return 0, false
		}
	}
	if neg {
		return -int64(n), true // n == 1<<63 wraps to math.MinInt64, as intended
	}
	if n > 1<<63-1 {
		return 0, false
	}
	return int64(n), true
}
