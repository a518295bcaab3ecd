package transport

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestRawRequestGoesThroughAuthRetriesAndErrors(t *testing.T) {
	t.Parallel()
	var gotAuth, gotPath, gotBody, gotCT string
	ts := newTestServer(t, func(w http.ResponseWriter, r *http.Request) {
		gotAuth, gotPath, gotCT = r.Header.Get("Authorization"), r.URL.RequestURI(), r.Header.Get("Content-Type")
		b, _ := io.ReadAll(r.Body)
		gotBody = string(b)
		switch r.URL.Path {
		case "/api/v1/things/7/members/":
			w.Header().Set("Content-Type", "application/json")
			_, _ = w.Write([]byte(`{"id":7,"name":"x"}`))
		case "/api/v1/text":
			w.Header().Set("Content-Type", "text/plain")
			_, _ = w.Write([]byte("User logged out"))
		default:
			http.Error(w, `{"detail":"nope"}`, http.StatusNotFound)
		}
	})
	c := newTestClient(t, ts.URL+"/api/v1", withAuth(bearerAuth))

	req, err := c.NewHTTPRequest(http.MethodPost, "/things/7/members/?x=1", map[string]any{"a": 1}, "")
	require.NoError(t, err)
	assert.Empty(t, req.Header.Get("Authorization"), "credentials are added per attempt, not on the returned request")
	var out struct {
		ID   int    `json:"id"`
		Name string `json:"name"`
	}
	resp, err := c.DoHTTP(context.Background(), req, nil, DecodeJSONInto(&out))
	require.NoError(t, err)
	assert.Equal(t, 7, out.ID)
	assert.Equal(t, "Bearer "+testSecret, gotAuth)
	assert.Equal(t, "/api/v1/things/7/members/?x=1", gotPath)
	assert.JSONEq(t, `{"a":1}`, gotBody)
	assert.Equal(t, "application/json", gotCT)
	assert.NotContains(t, resp.Request.Header.Get("Authorization"), testSecret)

	req, err = c.NewHTTPRequest(http.MethodGet, "text", nil, "")
	require.NoError(t, err)
	var raw []byte
	_, err = c.DoHTTP(context.Background(), req, ExpectFor(&raw), DecodeJSONInto(&raw))
	require.NoError(t, err)
	assert.Equal(t, "User logged out", string(raw))

	req, err = c.NewHTTPRequest(http.MethodGet, "missing", nil, "")
	require.NoError(t, err)
	_, err = c.DoHTTP(context.Background(), req, nil, DecodeJSONInto(&out))
	require.ErrorIs(t, err, ErrNotFound)
	var apiErr *APIError
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, "test", apiErr.Provider)
}

func TestRawRequestRejectsForeignHostsAndBadInput(t *testing.T) {
	t.Parallel()
	c := newTestClient(t, "https://api.example.com/v1/")
	_, err := c.NewHTTPRequest(http.MethodGet, "https://evil.example.net/steal", nil, "")
	require.ErrorIs(t, err, ErrForeignHost)
	_, err = c.NewHTTPRequest("", "x", nil, "")
	require.ErrorIs(t, err, ErrInvalidArgument)
	_, err = c.NewHTTPRequest(http.MethodPost, "x", func() {}, "")
	require.ErrorIs(t, err, ErrInvalidArgument)
	_, err = c.DoHTTP(context.Background(), nil, nil, nil)
	require.ErrorIs(t, err, ErrInvalidArgument)
}

func TestNextCursorStripsSecrets(t *testing.T) {
	t.Parallel()
	c := newTestClient(t, "https://api.example.com/v1/")
	tests := []struct{ link, want string }{
		{"", ""},
		{"orgs/?limit=2&bearer_token=abc&offset=2", "https://api.example.com/v1/orgs/?limit=2&offset=2"},
		{"/v1/orgs/?access_token=abc", "https://api.example.com/v1/orgs/"},
		{"https://other.example/x?Token=abc&a=%2C#frag", "https://other.example/x?a=%2C"},
	}
	for _, tc := range tests {
		got, err := c.NextCursor(tc.link)
		require.NoError(t, err, tc.link)
		assert.Equal(t, tc.want, got, tc.link)
	}
	// A link the server sent is not the caller's argument (issue 19: it
	// reaches the caller as a DecodeError of the page).
	_, err := c.NextCursor("%zz")
	require.Error(t, err)
	assert.NotErrorIs(t, err, ErrInvalidArgument)
	assert.Contains(t, err.Error(), "next link")

	// A secret the client holds goes wherever it sits in the link, under
	// any name (issue 19.3).
	var secrets Secrets
	secrets.Add(testSecret)
	sc := newTestClient(t, "https://api.example.com/v1/", func(cfg *Config) { cfg.Secrets = &secrets })
	got, err := sc.NextCursor("/v1/orgs/" + testSecret + "/?sig=" + url.QueryEscape(testSecret) + "&page=2")
	require.NoError(t, err)
	assert.Equal(t, "https://api.example.com/v1/orgs/REDACTED/?sig=REDACTED&page=2", got)
}

func TestDecodeJSONIntoReportsBadJSON(t *testing.T) {
	t.Parallel()
	var v map[string]any
	err := DecodeJSONInto(&v)(nil, []byte(`{"a":}`))
	var syn *json.SyntaxError
	assert.True(t, errors.As(err, &syn), "got %v", err)
	assert.Nil(t, DecodeJSONInto(nil))
}

func TestDoHTTPKeepsContentTypeOnBodilessRequest(t *testing.T) {
	var got string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got = r.Header.Get("Content-Type")
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{}`))
	}))
	defer srv.Close()
	c := newTestClient(t, srv.URL)
	req, err := c.NewHTTPRequest(http.MethodGet, "things", nil, "")
	require.NoError(t, err)
	req.Header.Set("Content-Type", "application/vnd.api+json")
	_, err = c.DoHTTP(context.Background(), req, nil, nil)
	require.NoError(t, err)
	assert.Equal(t, "application/vnd.api+json", got)
}
