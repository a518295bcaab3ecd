package transport

import (
	"strconv"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestParseIntMatchesStrconv(t *testing.T) {
	t.Parallel()
	for _, in := range []string{"0", "-0", "+7", "42", "-42", "9223372036854775807", "-9223372036854775808",
		"9223372036854775808", "-9223372036854775809", "99999999999999999999", "", "-", "+", "1.5", "1e3", " 1", "0x10", "１"} {
		want, err := strconv.ParseInt(in, 10, 64)
		got, ok := ParseInt([]byte(in))
		assert.Equal(t, err == nil, ok, in)
		if ok {
			assert.Equal(t, want, got, in)
		}
	}
}

func FuzzParseInt(f *testing.F) {
	for _, s := range []string{"0", "-1", "+5", "9223372036854775808", "1e3"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		want, err := strconv.ParseInt(s, 10, 64)
		got, ok := ParseInt([]byte(s))
		if ok != (err == nil) || (ok && got != want) {
			t.Fatalf("ParseInt(%q) = %d, %v; strconv: %d, %v", s, got, ok, want, err)
		}
	})
}
