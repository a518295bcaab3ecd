package transport

import (
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestResolveURL(t *testing.T) {
	t.Parallel()
	c := newTestClient(t, "https://api.example.com/api/v2/")
	type q struct {
		Limit  int    `url:"limit,omitempty"`
		Cursor string `url:"-"`
	}
	tests := []struct {
		name    string
		req     Request
		want    string
		wantErr error
	}{
		{"segments escaped", Request{Path: []string{"orgs", "a/b?c#d"}, TrailingSlash: true}, "https://api.example.com/api/v2/orgs/a%2Fb%3Fc%23d/", nil},
		{"no trailing slash", Request{Path: []string{"organizations", "42"}}, "https://api.example.com/api/v2/organizations/42", nil},
		{"unicode", Request{Path: []string{"orgs", "café"}}, "https://api.example.com/api/v2/orgs/caf%C3%A9", nil},
		{"query struct", Request{Path: []string{"orgs"}, Query: q{Limit: 5}, TrailingSlash: true}, "https://api.example.com/api/v2/orgs/?limit=5", nil},
		{"values", Request{Path: []string{"orgs"}, Values: url.Values{"filter[name]": {"a b"}}}, "https://api.example.com/api/v2/orgs?filter%5Bname%5D=a+b", nil},
		{"relative cursor", Request{URL: "orgs/?offset=2"}, "https://api.example.com/api/v2/orgs/?offset=2", nil},
		{"absolute-path cursor", Request{URL: "/api/v2/orgs/?offset=2"}, "https://api.example.com/api/v2/orgs/?offset=2", nil},
		{"absolute cursor kept verbatim", Request{URL: "https://api.example.com/v1/organizations?fields=id,name&search_after=a%2Cb"}, "https://api.example.com/v1/organizations?fields=id,name&search_after=a%2Cb", nil},
		{"explicit default port", Request{URL: "https://api.example.com:443/x"}, "https://api.example.com:443/x", nil},
		{"foreign host", Request{URL: "https://evil.example/api/v2/orgs/"}, "", ErrForeignHost},
		{"scheme downgrade", Request{URL: "http://api.example.com/api/v2/orgs/"}, "", ErrForeignHost},
		{"protocol-relative", Request{URL: "//evil.example/x"}, "", ErrForeignHost},
		{"empty segment", Request{Path: []string{"orgs", ""}}, "", ErrInvalidArgument},
		{"dot segment", Request{Path: []string{"orgs", "."}}, "", ErrInvalidArgument},
		{"dotdot segment", Request{Path: []string{"orgs", ".."}}, "", ErrInvalidArgument},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			u, err := c.ResolveURL(&tt.req)
			if tt.wantErr != nil {
				require.ErrorIs(t, err, tt.wantErr)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.want, u.String())
		})
	}
}

func TestForeignHostGetsNoRequestAndNoCredential(t *testing.T) {
	t.Parallel()
	var foreignAuth []string
	foreign := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		foreignAuth = append(foreignAuth, r.Header.Get("Authorization")+r.URL.RawQuery)
	}))
	t.Cleanup(foreign.Close)
	ts := newTestServer(t, func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, foreign.URL+"/steal", http.StatusFound)
	})
	c := newTestClient(t, ts.URL+"/api/v1/", withAuth(bearerAuth))

	_, err := c.Do(t.Context(), &Request{Method: http.MethodGet, URL: foreign.URL + "/api/v1/orgs?page=2"}, nil)
	require.ErrorIs(t, err, ErrForeignHost)
	assert.Zero(t, ts.Hits())

	_, err = c.Do(t.Context(), &Request{Method: http.MethodGet, Path: []string{"orgs"}}, nil)
	require.ErrorIs(t, err, ErrForeignHost, "a redirect to another host is refused")
	assert.Equal(t, 1, ts.Hits(), "refused redirects are not retried")
	assert.Empty(t, foreignAuth, "nothing reached the foreign host")
}

func TestRedirects(t *testing.T) {
	t.Parallel()
	var patchedAsGet int
	ts := newTestServer(t, func(w http.ResponseWriter, r *http.Request) {
		if !strings.HasSuffix(r.URL.Path, "/") {
			http.Redirect(w, r, r.URL.Path+"/", http.StatusMovedPermanently)
			return
		}
		if r.Method == http.MethodGet {
			patchedAsGet++
		}
		assert.Equal(t, "Bearer "+testSecret, r.Header.Get("Authorization"), "same-host redirect keeps credentials")
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"name":"unchanged"}`))
	})
	c := newTestClient(t, ts.URL+"/api/v1/", withAuth(bearerAuth))

	_, err := c.Do(t.Context(), &Request{Method: http.MethodGet, Path: []string{"orgs", "1"}}, nil)
	require.NoError(t, err, "GET follows a same-host redirect")
	assert.Equal(t, 1, patchedAsGet)

	for _, m := range []string{http.MethodPatch, http.MethodPost, http.MethodPut, http.MethodDelete} {
		_, err = c.Do(t.Context(), &Request{Method: m, Path: []string{"orgs", "1"}, Body: map[string]string{"name": "new"}}, nil)
		require.ErrorIs(t, err, ErrRedirectedWrite, m)
		assert.Contains(t, err.Error(), "301")
	}
	assert.Equal(t, 1, patchedAsGet, "no write silently became a read")
}

func TestBodyCap(t *testing.T) {
	t.Parallel()
	big := `{"x":"` + strings.Repeat("a", 500) + `"}`
	ts := newTestServer(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		if r.URL.Query().Get("chunked") != "" {
			w.(http.Flusher).Flush()
		}
		_, _ = w.Write([]byte(big))
	})
	c := newTestClient(t, ts.URL+"/api/v1/", withSettings(func(s *Settings) { s.MaxBodyBytes = 100 }))
	for _, chunked := range []string{"", "1"} {
		decoded := false
		_, err := c.Do(t.Context(), &Request{Method: http.MethodGet, Path: []string{"x"}, Values: url.Values{"chunked": {chunked}}},
			func(*http.Response, []byte) error { decoded = true; return nil })
		require.ErrorIs(t, err, ErrBodyTooLarge)
		var de *DecodeError
		require.ErrorAs(t, err, &de)
		assert.False(t, decoded)
	}
}

func TestTruncatedBody(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t, func(w http.ResponseWriter, r *http.Request) {
		hj := w.(http.Hijacker)
		conn, buf, err := hj.Hijack()
		require.NoError(t, err)
		_, _ = buf.WriteString("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"name\":")
		_ = buf.Flush()
		conn.Close()
	})
	c := newTestClient(t, ts.URL+"/api/v1/")
	_, err := c.Do(t.Context(), &Request{Method: http.MethodGet, Path: []string{"x"}}, func(*http.Response, []byte) error { return nil })
	require.ErrorIs(t, err, ErrTruncatedBody)
	var de *DecodeError
	require.ErrorAs(t, err, &de)
	assert.Equal(t, 200, de.StatusCode)
}

func TestContentTypeChecks(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name        string
		contentType string
		body        string
		expect      []string
		wantErr     bool
		wantInError []string
	}{
		{"json", "application/json", `{}`, nil, false, nil},
		{"json with charset", "application/json; charset=utf-8", `{}`, nil, false, nil},
		{"vnd json", "application/vnd.api+json; charset=utf-8", `{}`, nil, false, nil},
		{"missing content type", "", `{}`, nil, false, nil},
		{"xml expected", "application/xml", `<a/>`, []string{"application/xml", "text/xml"}, false, nil},
		{"html page", "text/html; charset=utf-8", `<!DOCTYPE html><html><title>Login</title></html>`, nil, true, []string{"HTML page", "200", "<!DOCTYPE html>"}},
		{"html without header", "", `<html><body>proxy error</body></html>`, nil, true, []string{"HTML page"}},
		{"plain text", "text/plain", `User logged out`, nil, true, []string{"text/plain", "want application/json"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			ts := newTestServer(t, func(w http.ResponseWriter, r *http.Request) {
				if tt.contentType != "" {
					w.Header().Set("Content-Type", tt.contentType)
				} else {
					w.Header()["Content-Type"] = nil
				}
				_, _ = w.Write([]byte(tt.body))
			})
			c := newTestClient(t, ts.URL+"/api/v1/")
			_, err := c.Do(t.Context(), &Request{Method: http.MethodGet, Path: []string{"x"}, Expect: tt.expect}, func(*http.Response, []byte) error { return nil })
			if !tt.wantErr {
				require.NoError(t, err)
				return
			}
			require.ErrorIs(t, err, ErrUnexpectedContentType)
			for _, s := range tt.wantInError {
				assert.Contains(t, err.Error(), s)
			}
		})
	}
}

func TestDecodeErrors(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"name": 12, "token": "` + testSecret + `"` + strings.Repeat(" ", 300) + `}`))
	})
	c := newTestClient(t, ts.URL+"/api/v1/")
	var out struct{ Name string }
	_, err := c.Do(t.Context(), &Request{Method: http.MethodGet, Path: []string{"x"}}, func(_ *http.Response, b []byte) error {
		return json.Unmarshal(b, &out)
	})
	var de *DecodeError
	require.ErrorAs(t, err, &de)
	var typeErr *json.UnmarshalTypeError
	assert.ErrorAs(t, err, &typeErr, "the cause is wrapped")
	assert.LessOrEqual(t, len(de.Snippet), 200)
	assert.NotContains(t, de.Error(), testSecret)
	assert.Contains(t, de.Error(), "application/json")
}

func TestDecoderAPIErrorPassesThrough(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"errorCode":2,"errorMessage":"failed"}`))
	})
	c := newTestClient(t, ts.URL+"/api/v1/")
	_, err := c.Do(t.Context(), &Request{Method: http.MethodGet, Path: []string{"x"}}, func(_ *http.Response, b []byte) error {
		return &APIError{Message: "failed", Code: "2"}
	})
	var apiErr *APIError
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, 200, apiErr.StatusCode)
	assert.Equal(t, http.MethodGet, apiErr.Method)
	assert.Contains(t, apiErr.URL, "/api/v1/x")
	assert.NotEmpty(t, apiErr.Body)
}

func TestAPIErrorFromResponse(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("X-Request-Id", "req-123")
		w.WriteHeader(http.StatusUnprocessableEntity)
		_, _ = w.Write([]byte(`{"message":"Validation Failed","errors":[["name","Name has already been taken"]]}` + strings.Repeat(" ", 5000)))
	})
	c := newTestClient(t, ts.URL+"/api/v1/", func(cfg *Config) {
		cfg.ParseError = func(e *APIError, body []byte) {
			var b struct {
				Message string     `json:"message"`
				Errors  [][]string `json:"errors"`
			}
			if json.Unmarshal(body, &b) == nil {
				e.Message = b.Message
				for _, fe := range b.Errors {
					e.Details = append(e.Details, ErrorDetail{Field: fe[0], Message: fe[1]})
				}
			}
		}
	})
	_, err := c.Do(t.Context(), &Request{Method: http.MethodPost, Path: []string{"organizations"}, Body: map[string]string{"name": "x"}}, nil)
	var apiErr *APIError
	require.ErrorAs(t, err, &apiErr)
	assert.ErrorIs(t, err, ErrValidation)
	assert.Equal(t, "req-123", apiErr.RequestID)
	assert.Equal(t, "Validation Failed", apiErr.Message)
	assert.Equal(t, []ErrorDetail{{Field: "name", Message: "Name has already been taken"}}, apiErr.Details)
	assert.Len(t, apiErr.Body, maxErrorBody)
	assert.Equal(t, "orgsdk: test: POST "+ts.URL+"/api/v1/organizations: 422 Unprocessable Entity: Validation Failed [name: Name has already been taken]", apiErr.Error())
}

func TestHTMLErrorPage(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		w.WriteHeader(http.StatusNotFound)
		_, _ = w.Write([]byte("<!DOCTYPE html><html><head><title>Page not found at /api/v2/orgs</title></head></html>"))
	})
	parsed := false
	c := newTestClient(t, ts.URL+"/api/v1/", func(cfg *Config) { cfg.ParseError = func(*APIError, []byte) { parsed = true } })
	_, err := c.Do(t.Context(), &Request{Method: http.MethodGet, Path: []string{"x"}}, nil)
	require.ErrorIs(t, err, ErrNotFound)
	assert.Contains(t, err.Error(), "HTML page")
	assert.False(t, parsed, "an HTML page is not handed to the JSON error parser")
}

func TestAPIErrorIs(t *testing.T) {
	t.Parallel()
	sentinels := []error{ErrNotFound, ErrUnauthorized, ErrForbidden, ErrConflict, ErrRateLimited, ErrValidation}
	tests := []struct {
		err  *APIError
		want error
	}{
		{&APIError{StatusCode: 404}, ErrNotFound},
		{&APIError{StatusCode: 401}, ErrUnauthorized},
		{&APIError{StatusCode: 403}, ErrForbidden},
		{&APIError{StatusCode: 409}, ErrConflict},
		{&APIError{StatusCode: 429}, ErrRateLimited},
		{&APIError{StatusCode: 503, RetryAfter: time.Minute}, ErrRateLimited},
		{&APIError{StatusCode: 400}, ErrValidation},
		{&APIError{StatusCode: 422}, ErrValidation},
		{&APIError{StatusCode: 500}, nil},
		{&APIError{StatusCode: 503}, nil},
	}
	for _, tt := range tests {
		for _, s := range sentinels {
			wrapped := errors.Join(errors.New("context"), tt.err)
			assert.Equal(t, s == tt.want, errors.Is(wrapped, s), "%d vs %v", tt.err.StatusCode, s)
		}
	}
}

func TestRateLimitHeaders(t *testing.T) {
	t.Parallel()
	reset := time.Now().Add(time.Hour).Unix()
	ts := newTestServer(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("x-ratelimit-limit", "3600")
		w.Header().Set("X-RATELIMIT-REMAINING", "3599")
		w.Header().Set("X-RateLimit-Reset", strconv.FormatInt(reset, 10))
	})
	c := newTestClient(t, ts.URL+"/api/v1/")
	resp, err := c.Do(t.Context(), &Request{Method: http.MethodGet, Path: []string{"x"}}, nil)
	require.NoError(t, err)
	assert.Equal(t, 3600, resp.Rate.Limit)
	assert.Equal(t, 3599, resp.Rate.Remaining)
	assert.Equal(t, reset, resp.Rate.Reset.Unix())
	assert.Equal(t, http.StatusOK, resp.StatusCode, "Response embeds *http.Response")
	n, _ := io.Copy(io.Discard, resp.Body)
	assert.Zero(t, n, "the body was consumed by the transport")
}

func TestBadRequestsFailBeforeIO(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t, func(w http.ResponseWriter, r *http.Request) {})
	c := newTestClient(t, ts.URL+"/api/v1/")
	bad := []*Request{
		{Method: http.MethodGet, Path: []string{""}},
		{Method: http.MethodGet, Path: []string{"a", ".."}},
		{Method: http.MethodPost, Path: []string{"x"}, Body: map[string]any{"f": func() {}}},
		{Method: http.MethodGet, Path: []string{"x"}, Query: 42},
		{Method: http.MethodGet, URL: "http://[::1"},
	}
	for _, r := range bad {
		_, err := c.Do(t.Context(), r, nil)
		require.ErrorIs(t, err, ErrInvalidArgument)
	}
	_, err := c.Do(nil, &Request{Method: http.MethodGet, Path: []string{"x"}}, nil) //lint:ignore SA1012 testing nil context
	require.ErrorIs(t, err, ErrInvalidArgument)
	assert.Zero(t, ts.Hits())
}
