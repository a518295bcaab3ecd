package fake

import (
	"io"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/orgsdk/orgsdk/internal/faulttest"
)

func TestFaults(t *testing.T) {
	t.Parallel()
	f := &Faults{DefaultBody: func(status int) (string, string) {
		return "application/json", `{"message":"injected"}`
	}}
	srv := httptest.NewServer(f.Middleware(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		WriteJSON(w, http.StatusOK, "", map[string]string{"ok": "<yes>"})
	})))
	t.Cleanup(srv.Close)
	get := func(method, path string) (*http.Response, string) {
		req, err := http.NewRequest(method, srv.URL+path, nil)
		require.NoError(t, err)
		resp, err := faulttest.RawClient(t).Do(req)
		require.NoError(t, err)
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp, string(b)
	}
	f.Inject(Fault{Status: 503, Count: 2, RetryAfter: "3"})
	f.Inject(Fault{Status: 500, Method: "PATCH", PathContains: "/orgs/", Body: "boom", ContentType: "text/plain"})

	resp, body := get("PATCH", "/orgs/1")
	assert.Equal(t, 503, resp.StatusCode, "faults apply in order")
	assert.Equal(t, "3", resp.Header.Get("Retry-After"))
	assert.JSONEq(t, `{"message":"injected"}`, body)
	resp, _ = get("GET", "/x")
	assert.Equal(t, 503, resp.StatusCode)
	resp, _ = get("GET", "/orgs/1")
	assert.Equal(t, 200, resp.StatusCode, "the PATCH fault does not match a GET")
	resp, body = get("PATCH", "/orgs/1")
	assert.Equal(t, 500, resp.StatusCode)
	assert.Equal(t, "boom", body)
	assert.Equal(t, "text/plain", resp.Header.Get("Content-Type"))
	resp, body = get("PATCH", "/orgs/1")
	assert.Equal(t, 200, resp.StatusCode)
	assert.JSONEq(t, `{"ok":"<yes>"}`, body)
	assert.Equal(t, 5, f.Hits())
	assert.Equal(t, 3, f.HitsFor("PATCH", "/orgs/1"))
	reqs := f.Requests()
	require.Len(t, reqs, 5)
	assert.Equal(t, "PATCH", reqs[0].Method)
	assert.Equal(t, "/orgs/1", reqs[0].Path)
	f.Reset()
	assert.Empty(t, f.Requests())
	assert.Zero(t, f.Hits())
}
