package faulttest

import (
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestServerCountsAndFallsBack(t *testing.T) {
	t.Parallel()
	srv := NewServer(t, func(w http.ResponseWriter, r *http.Request, body []byte) bool {
		if r.Method != http.MethodPost {
			return false
		}
		_, _ = w.Write(append([]byte("got "), body...))
		return true
	}, func(w http.ResponseWriter, _ *http.Request) { _, _ = io.WriteString(w, "fallback") })
	for _, m := range []string{http.MethodGet, http.MethodGet, http.MethodPost} {
		req, err := http.NewRequest(m, srv.URL+"/a", strings.NewReader("x"))
		require.NoError(t, err)
		resp, err := srv.Client().Do(req)
		require.NoError(t, err)
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if m == http.MethodPost {
			assert.Equal(t, "got x", string(b))
		} else {
			assert.Equal(t, "fallback", string(b))
		}
	}
	assert.Equal(t, 2, srv.Count(http.MethodGet, "/a"))
	assert.Equal(t, 1, srv.Count(http.MethodPost, "/a"))
	assert.Equal(t, 3, srv.Total())
	assert.Equal(t, []string{"x"}, srv.Bodies(http.MethodPost, "/a"))
	srv.AssertNoWriteTwice(t)
}

func TestSecretFormsAndAudit(t *testing.T) {
	t.Parallel()
	forms := SecretForms("a/b+c d")
	for name, want := range map[string]string{
		"literal": "a/b+c d", "query-escaped": "a%2Fb%2Bc+d", "path-escaped": "a%2Fb+c%20d",
		"json-escaped (\\/ style)": `a\/b+c d`, "json-escaped (\\u002b)": `a\/b\u002bc d`, "base64": "YS9iK2MgZA==",
	} {
		assert.Equal(t, want, forms[name], name)
	}
	echo := Echo("a/b+c d", "prefix")
	assert.True(t, strings.HasPrefix(echo, "prefix"))
	for name, f := range forms {
		assert.Contains(t, echo, f, name)
	}
	clean, leaky := &recorder{}, &recorder{}
	Audit(clean, "clean text", "nothing here", "a/b+c d")
	assert.Empty(t, clean.failures)
	Audit(leaky, "log line", "token=YS9iK2MgZA== end", "a/b+c d")
	// The padded and the raw base64 forms both match.
	require.Len(t, leaky.failures, 2, "the base64 form is a leak too")
	assert.Contains(t, strings.Join(leaky.failures, "\n"), "log line leaks a secret (base64)")
}

// recorder is a testing.TB that keeps failures instead of failing.
type recorder struct {
	testing.TB
	failures []string
}

func (r *recorder) Helper() {}

func (r *recorder) Name() string { return "recorder" }

func (r *recorder) Errorf(format string, args ...any) {
	r.failures = append(r.failures, fmt.Sprintf(format, args...))
}
