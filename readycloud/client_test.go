package readycloud_test

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/orgsdk/orgsdk/readycloud"
	"github.com/orgsdk/orgsdk/readycloud/readycloudtest"
)

func TestBaseURL(t *testing.T) {
	t.Parallel()
	cases := map[string]string{
		"":                                    readycloud.DefaultBaseURL,
		"https://staging.example/api/v2":      "https://staging.example/api/v2/",
		"http://127.0.0.1:8080/mount/api/v2/": "http://127.0.0.1:8080/mount/api/v2/",
	}
	for in, want := range cases {
		var opts []readycloud.Option
		if in != "" {
			opts = append(opts, readycloud.WithBaseURL(in))
		}
		c, err := readycloud.NewClient("tok", opts...)
		require.NoError(t, err, in)
		assert.Equal(t, want, c.BaseURL(), in)
	}
}

func TestWithRateLimitValidation(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name string
		n    int
		per  time.Duration
		ok   bool
	}{
		{"off", 0, 0, true},
		{"ten per second", 10, time.Second, true},
		{"negative", -1, time.Second, false},
		{"no window", 5, 0, false},
		{"negative window", 5, -time.Second, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := readycloud.NewClient("tok", readycloud.WithRateLimit(tc.n, tc.per))
			if tc.ok {
				require.NoError(t, err)
				return
			}
			require.ErrorIs(t, err, readycloud.ErrInvalidArgument)
			assert.True(t, strings.HasPrefix(err.Error(), "orgsdk: readycloud: invalid argument: "), err.Error())
		})
	}
}

// TestWithRateLimitPaces checks the option does what it says once the
// transport paces (the pacing itself lives there).
func TestWithRateLimitPaces(t *testing.T) {
	t.Parallel()
	srv, c := newFake(t, readycloud.WithRateLimit(2, 300*time.Millisecond))
	start := time.Now()
	for range 4 {
		_, _, err := c.Organizations.Get(t.Context(), "1")
		require.NoError(t, err)
	}
	require.Equal(t, 4, srv.Hits())
	assert.GreaterOrEqual(t, time.Since(start), 250*time.Millisecond, "4 requests at 2 per 300ms wait at least one window")
}

func TestRawRequestDecodes(t *testing.T) {
	t.Parallel()
	srv, c := newFake(t)
	ctx := t.Context()

	req, err := c.NewRequest(http.MethodGet, "orgs/2/", nil)
	require.NoError(t, err)
	assert.Empty(t, req.Header.Get("Authorization"), "the credential is added by Do, not stored on the request")
	var org readycloud.Organization
	resp, err := c.Do(ctx, req, &org)
	require.NoError(t, err)
	assert.Equal(t, "Acme Outfitters", org.Name)
	assert.Equal(t, "2", org.ID, "decoding through Do derives the ID too")
	assert.Equal(t, http.StatusOK, resp.StatusCode)
	assert.Empty(t, resp.NextCursor)

	// A leading slash is relative to the base URL too, and raw bytes come back as sent.
	req, err = c.NewRequest(http.MethodGet, "/orgs/?limit=2", nil)
	require.NoError(t, err)
	var raw []byte
	resp, err = c.Do(ctx, req, &raw)
	require.NoError(t, err)
	var page map[string]any
	require.NoError(t, json.Unmarshal(raw, &page))
	assert.EqualValues(t, 25, page["count"])
	assert.Equal(t, srv.URL+"orgs/?limit=2&offset=2", resp.NextCursor, "a DRF page's next link becomes the cursor")

	// The cursor feeds the next raw request.
	req, err = c.NewRequest(http.MethodGet, resp.NextCursor, nil)
	require.NoError(t, err)
	_, err = c.Do(ctx, req, nil)
	require.NoError(t, err)

	// A write through the raw path, body encoded as JSON.
	req, err = c.NewRequest(http.MethodPatch, "orgs/3/", map[string]string{"name": "Raw Renamed"})
	require.NoError(t, err)
	resp, err = c.Do(ctx, req, &org)
	require.NoError(t, err)
	assert.Equal(t, "Raw Renamed", org.Name)
	stored, _ := srv.Organization("3")
	name := stored.Name
	assert.Equal(t, "Raw Renamed", name)
	assert.Equal(t, 1, srv.HitsFor(http.MethodPatch, "/api/v2/orgs/3/"))
	assert.NotContains(t, resp.Request.Header.Get("Authorization"), srv.Token)
	for _, r := range srv.Requests() {
		assert.Equal(t, "Bearer "+srv.Token, r.Header.Get("Authorization"), r.Path)
	}
}

func TestRawRequestQueryTokenCursor(t *testing.T) {
	t.Parallel()
	srv, c := newFake(t, readycloud.WithQueryToken())
	req, err := c.NewRequest(http.MethodGet, "orgs/?limit=5", nil)
	require.NoError(t, err)
	resp, err := c.Do(t.Context(), req, nil)
	require.NoError(t, err)
	assert.Empty(t, resp.NextCursor, "a discarded body gives no cursor")

	var page struct{ Next string }
	resp, err = c.Do(t.Context(), mustRequest(t, c, "orgs/?limit=5"), &page)
	require.NoError(t, err)
	assert.Contains(t, page.Next, srv.Token, "the fake echoes the query token into next, as DRF does")
	assert.NotContains(t, resp.NextCursor, srv.Token)
	assert.NotContains(t, resp.NextCursor, "bearer_token")
	assert.NotContains(t, resp.Request.URL.String(), srv.Token)
}

func mustRequest(t *testing.T, c *readycloud.Client, path string) *http.Request {
	t.Helper()
	req, err := c.NewRequest(http.MethodGet, path, nil)
	require.NoError(t, err)
	return req
}

func TestRawRequestErrors(t *testing.T) {
	t.Parallel()
	srv, c := newFake(t)
	ctx := t.Context()

	_, err := c.NewRequest("BAD METHOD", "orgs/", nil)
	require.ErrorIs(t, err, readycloud.ErrInvalidArgument)
	assert.True(t, strings.HasPrefix(err.Error(), "orgsdk: readycloud: invalid argument: "), err.Error())

	_, err = c.NewRequest(http.MethodGet, "https://elsewhere.example/api/v2/orgs/", nil)
	require.ErrorIs(t, err, readycloud.ErrForeignHost)

	_, err = c.NewRequest(http.MethodPost, "orgs/", func() {})
	require.ErrorIs(t, err, readycloud.ErrInvalidArgument)

	var noCtx context.Context // a nil context must be refused, not panic
	_, err = c.Do(noCtx, mustRequest(t, c, "orgs/"), nil)
	require.ErrorIs(t, err, readycloud.ErrInvalidArgument)
	_, err = c.Do(ctx, nil, nil)
	require.ErrorIs(t, err, readycloud.ErrInvalidArgument)

	// An unknown path is Django's HTML 404: an APIError, not a decode error.
	_, err = c.Do(ctx, mustRequest(t, c, "boxes/"), &map[string]any{})
	var apiErr *readycloud.APIError
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, http.StatusNotFound, apiErr.StatusCode)
	require.ErrorIs(t, err, readycloud.ErrNotFound)

	// A write Django would redirect (no trailing slash) is never followed.
	before := srv.Hits()
	req, err := c.NewRequest(http.MethodPatch, "orgs/1", map[string]string{"name": "x"})
	require.NoError(t, err)
	_, err = c.Do(ctx, req, nil)
	require.ErrorIs(t, err, readycloud.ErrRedirectedWrite)
	assert.Equal(t, before+1, srv.Hits())
	assert.Equal(t, 0, srv.HitsFor(http.MethodPatch, "/api/v2/orgs/1/"))

	// Retries apply to raw GETs as to any other.
	srv.InjectFault(readycloudtest.Fault{Status: http.StatusServiceUnavailable})
	_, err = c.Do(ctx, mustRequest(t, c, "orgs/1/"), nil)
	require.NoError(t, err)
}

// TestErrorTextNamesProviderOnce checks the family's error wording: one
// "orgsdk: " prefix and the provider named once, whatever went wrong.
func TestErrorTextNamesProviderOnce(t *testing.T) {
	t.Parallel()
	srv, c := newFake(t, readycloud.WithMaxRetries(0))
	ctx := t.Context()
	closed := readycloudtest.NewServer()
	closed.Close()
	dead := newClient(t, closed.URL, "tok", readycloud.WithMaxRetries(0))

	cases := map[string]func() error{
		"empty token": func() error { _, err := readycloud.NewClient(""); return err },
		"nil option":  func() error { _, err := readycloud.NewClient("tok", nil); return err },
		"bad option":  func() error { _, err := readycloud.NewClient("tok", readycloud.WithBaseURL("ftp://x")); return err },
		"negative per page": func() error {
			_, _, err := c.Organizations.List(ctx, &readycloud.ListOptions{PerPage: -1})
			return err
		},
		"bad pk":    func() error { _, _, err := c.Organizations.Get(ctx, ".."); return err },
		"nil input": func() error { _, _, err := c.Organizations.Update(ctx, "1", nil); return err },
		"not found": func() error { _, _, err := c.Organizations.Get(ctx, "nope"); return err },
		"decode": func() error {
			srv.InjectFault(readycloudtest.Fault{Status: http.StatusOK, Body: `[1]`})
			_, _, err := c.Organizations.Get(ctx, "1")
			return err
		},
		"decode money": func() error {
			srv.InjectFault(readycloudtest.Fault{Status: http.StatusOK, Body: `{"url":"/api/v2/orgs/1/","payment_plan":{"price":"lots"}}`})
			_, _, err := c.Organizations.Get(ctx, "1")
			return err
		},
		"transport":   func() error { _, _, err := dead.Organizations.Get(ctx, "1"); return err },
		"parse money": func() error { _, err := readycloud.ParseMoney("lots"); return err },
		"minor units": func() error { _, err := readycloud.Money{Amount: "1.234"}.MinorUnits(2); return err },
		"raw method":  func() error { _, err := c.NewRequest("A B", "orgs/", nil); return err },
		"canceled": func() error {
			ctx, cancel := context.WithCancel(ctx)
			cancel()
			_, _, err := c.Organizations.Get(ctx, "1")
			return err
		},
		"foreign cursor": func() error {
			_, _, err := c.Organizations.List(ctx, &readycloud.ListOptions{Cursor: "https://elsewhere.example/api/v2/orgs/"})
			return err
		},
		"bad cursor": func() error {
			_, _, err := c.Organizations.List(ctx, &readycloud.ListOptions{Cursor: "http://[::1"})
			return err
		},
		"pagination loop": func() error {
			loop := newLoopServer(t)
			lc := newClient(t, loop.URL+"/api/v2/", "tok")
			for _, err := range lc.Organizations.All(ctx, nil) {
				if err != nil {
					return err
				}
			}
			return nil
		},
		"raw foreign": func() error { _, err := c.NewRequest(http.MethodGet, "https://elsewhere.example/x", nil); return err },
	}
	for name, f := range cases {
		t.Run(name, func(t *testing.T) {
			err := f()
			require.Error(t, err)
			msg := err.Error()
			assert.True(t, strings.HasPrefix(msg, "orgsdk: readycloud: "), msg)
			assert.Equal(t, 1, strings.Count(msg, "orgsdk"), msg)
			assert.Equal(t, 1, strings.Count(msg, "readycloud"), msg)
			if name == "canceled" {
				assert.ErrorIs(t, err, context.Canceled)
			}
			if strings.HasPrefix(name, "bad") || strings.HasSuffix(name, "option") || strings.HasSuffix(name, "token") {
				assert.ErrorIs(t, err, readycloud.ErrInvalidArgument)
			}
			if name == "pagination loop" {
				assert.ErrorIs(t, err, readycloud.ErrPaginationLoop)
			}
			if strings.Contains(name, "foreign") {
				assert.ErrorIs(t, err, readycloud.ErrForeignHost)
			}
		})
	}
}

func TestOptionErrorsMatchInvalidArgument(t *testing.T) {
	t.Parallel()
	opts := map[string]readycloud.Option{
		"base URL":    readycloud.WithBaseURL(""),
		"http client": readycloud.WithHTTPClient(nil),
		"logger":      readycloud.WithLogger(nil),
		"user agent":  readycloud.WithUserAgent("a\nb"),
		"retries":     readycloud.WithMaxRetries(-1),
		"retry wait":  readycloud.WithRetryWait(0, 0),
		"body cap":    readycloud.WithMaxBodyBytes(0),
		"prefetch":    readycloud.WithPrefetch(-1),
		"rate limit":  readycloud.WithRateLimit(-1, time.Second),
	}
	for name, opt := range opts {
		_, err := readycloud.NewClient("tok", opt)
		require.Error(t, err, name)
		assert.True(t, errors.Is(err, readycloud.ErrInvalidArgument), name)
	}
	_, err := readycloud.NewClient("tok", readycloud.WithRateLimit(5, time.Second), readycloud.WithPrefetch(1))
	require.NoError(t, err)
	_, err = readycloud.NewClient("tok", readycloud.WithPrefetch(-1))
	assert.EqualError(t, err, "orgsdk: readycloud: invalid argument: WithPrefetch: -1 pages must not be negative")
}

// newLoopServer answers every page with a next link to itself.
func newLoopServer(t *testing.T) *httptest.Server {
	t.Helper()
	var srv *httptest.Server
	srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, `{"count":9,"next":"`+srv.URL+`/api/v2/orgs/?offset=1","results":[]}`)
	}))
	t.Cleanup(srv.Close)
	return srv
}
