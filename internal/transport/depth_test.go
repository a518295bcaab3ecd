package transport

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

// referenceJSONDepth is the plain byte-at-a-time count CheckJSONDepth must
// agree with.
func referenceJSONDepth(b []byte) error {
	depth, inString, escaped := 0, false, false
	for _, c := range b {
		switch {
		case inString:
			switch {
			case escaped:
				escaped = false
			case c == '\\':
				escaped = true
			case c == '"':
				inString = false
			}
		case c == '"':
			inString = true
		case c == '{' || c == '[':
			if depth++; depth > MaxDepth {
				return ErrTooDeep
			}
		case c == '}' || c == ']':
			depth--
		}
	}
	return nil
}

func TestCheckJSONDepth(t *testing.T) {
	t.Parallel()
	deep := func(n int) string { return strings.Repeat("[", n) + strings.Repeat("]", n) }
	pad := `"` + strings.Repeat("x", 300) + `"`
	for name, tc := range map[string]struct {
		body    string
		tooDeep bool
	}{
		"flat":                        {`{"a":1}`, false},
		"at the limit":                {deep(MaxDepth), false},
		"one past":                    {deep(MaxDepth + 1), true},
		"brackets in strings":         {`[` + pad + `,"` + strings.Repeat("[", 400) + `"]`, false},
		"escaped quote keeps string":  {`["\"` + strings.Repeat("[", 400) + `"]`, false},
		"escaped backslash ends it":   {`["\\\\",` + deep(MaxDepth+1) + `]`, true},
		"unterminated string":         {`[` + pad + `,"` + strings.Repeat("[", 400), false},
		"short body cannot be deep":   {strings.Repeat("[", MaxDepth), false},
		"unclosed but deep":           {strings.Repeat("[", MaxDepth+1), true},
		"deep after a long string":    {`[` + pad + `,` + deep(MaxDepth) + `]`, true},
		"odd backslash run then deep": {`["\\\"",` + deep(MaxDepth) + `]`, true},
	} {
		t.Run(name, func(t *testing.T) {
			got := CheckJSONDepth([]byte(tc.body))
			assert.Equal(t, referenceJSONDepth([]byte(tc.body)), got)
			if tc.tooDeep {
				assert.ErrorIs(t, got, ErrTooDeep)
			} else {
				assert.NoError(t, got)
			}
		})
	}
}

func FuzzCheckJSONDepth(f *testing.F) {
	for _, s := range []string{`{"a":[1,"]"]}`, `["\\",[[]]]`, `["\"[[["]`, strings.Repeat("[", 300)} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		if got, want := CheckJSONDepth(b), referenceJSONDepth(b); got != want {
			t.Fatalf("CheckJSONDepth(%.80q) = %v, reference %v", b, got, want)
		}
	})
}
