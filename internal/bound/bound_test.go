package bound

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
)

func TestCut(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		in   string
		n    int
		want string
	}{
		{"short", "abc", 10, "abc"},
		{"exact", "abcdefghij", 10, "abcdefghij"},
		{"cut", strings.Repeat("a", 20), 10, "aa" + Mark},
		{"rune kept whole", "é" + strings.Repeat("é", 20), 11, "é" + Mark},
		{"below the mark", strings.Repeat("a", 20), 3, Mark},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Cut(tt.in, tt.n)
			assert.Equal(t, tt.want, got)
			assert.True(t, utf8.ValidString(got))
			if tt.n >= len(Mark) {
				assert.LessOrEqual(t, len(got), tt.n)
			}
		})
	}
}

func TestPrefixInvalidUTF8(t *testing.T) {
	t.Parallel()
	// Continuation bytes with no start: the cut stays where it was asked.
	in := strings.Repeat("\x80", 10)
	assert.Equal(t, in[:4], Prefix(in, 4))
	assert.Equal(t, "", Prefix(in, 0))
}

func FuzzCut(f *testing.F) {
	f.Add("héllo wörld", 5)
	f.Add("\xff\xfe", 1)
	f.Fuzz(func(t *testing.T, s string, n int) {
		n = n % 4096
		if n < 0 {
			n = -n
		}
		got := Cut(s, n)
		if len(s) <= n {
			if got != s {
				t.Fatalf("Cut(%q, %d) = %q, want it unchanged", s, n, got)
			}
			return
		}
		if !strings.HasSuffix(got, Mark) || !strings.HasPrefix(s, strings.TrimSuffix(got, Mark)) {
			t.Fatalf("Cut(%q, %d) = %q: not a prefix and the mark", s, n, got)
		}
		if n >= len(Mark) && len(got) > n {
			t.Fatalf("Cut(%q, %d) = %q: %d bytes", s, n, got, len(got))
		}
	})
}
