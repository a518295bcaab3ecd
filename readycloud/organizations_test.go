package readycloud_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/orgsdk/orgsdk/readycloud"
	"github.com/orgsdk/orgsdk/readycloud/readycloudtest"
)

func newClient(t *testing.T, baseURL, token string, opts ...readycloud.Option) *readycloud.Client {
	t.Helper()
	opts = append([]readycloud.Option{
		readycloud.WithBaseURL(baseURL),
		readycloud.WithRetryWait(time.Millisecond, 20*time.Millisecond),
	}, opts...)
	c, err := readycloud.NewClient(token, opts...)
	require.NoError(t, err)
	return c
}

func newFake(t *testing.T, opts ...readycloud.Option) (*readycloudtest.Server, *readycloud.Client) {
	t.Helper()
	srv := readycloudtest.NewServer()
	t.Cleanup(srv.Close)
	return srv, newClient(t, srv.URL, srv.Token, opts...)
}

func idsOf(srv *readycloudtest.Server) []string {
	var ids []string
	for _, o := range srv.Organizations() {
		ids = append(ids, o.ID)
	}
	return ids
}

func collect(t *testing.T, seq func(func(*readycloud.Organization, error) bool)) []string {
	t.Helper()
	var pks []string
	for o, err := range seq {
		require.NoError(t, err)
		pks = append(pks, o.ID)
	}
	return pks
}

func TestNewClient(t *testing.T) {
	t.Parallel()
	c, err := readycloud.NewClient("tok")
	require.NoError(t, err)
	assert.Equal(t, readycloud.DefaultBaseURL, c.BaseURL())

	bad := []struct {
		name  string
		token string
		opts  []readycloud.Option
	}{
		{"empty token", "", nil},
		{"token with space", "Bearer abc", nil},
		{"token with newline", "abc\r\nX-Evil: 1", nil},
		{"nil option", "tok", []readycloud.Option{nil}},
		{"relative base URL", "tok", []readycloud.Option{readycloud.WithBaseURL("/api/v2/")}},
		{"base URL with query", "tok", []readycloud.Option{readycloud.WithBaseURL("https://x.example/api/v2/?bearer_token=abc")}},
		{"ftp base URL", "tok", []readycloud.Option{readycloud.WithBaseURL("ftp://x.example/")}},
		{"nil HTTP client", "tok", []readycloud.Option{readycloud.WithHTTPClient(nil)}},
		{"nil logger", "tok", []readycloud.Option{readycloud.WithLogger(nil)}},
		{"negative retries", "tok", []readycloud.Option{readycloud.WithMaxRetries(-1)}},
		{"retry wait inverted", "tok", []readycloud.Option{readycloud.WithRetryWait(time.Second, time.Millisecond)}},
		{"zero body cap", "tok", []readycloud.Option{readycloud.WithMaxBodyBytes(0)}},
		{"user agent newline", "tok", []readycloud.Option{readycloud.WithUserAgent("a\nb")}},
	}
	for _, tc := range bad {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			c, err := readycloud.NewClient(tc.token, tc.opts...)
			require.Error(t, err)
			assert.Nil(t, c)
			assert.NotContains(t, err.Error(), "abc")
		})
	}
}

func TestAllPagesAbsoluteAndRelativeNext(t *testing.T) {
	t.Parallel()
	for _, relative := range []bool{false, true} {
		for _, query := range []bool{false, true} {
			t.Run(fmt.Sprintf("relative=%v,queryToken=%v", relative, query), func(t *testing.T) {
				t.Parallel()
				var opts []readycloud.Option
				if query {
					opts = append(opts, readycloud.WithQueryToken())
				}
				srv, c := newFake(t, opts...)
				srv.SetRelativeLinks(relative)
				got := collect(t, c.Organizations.All(context.Background(), &readycloud.ListOptions{PerPage: 7}))
				assert.Equal(t, idsOf(srv), got)
				assert.Equal(t, 4, srv.Hits(), "25 organizations in pages of 7")
				for _, r := range srv.Requests() {
					assert.Equal(t, "/api/v2/orgs/", r.Path)
				}
			})
		}
	}
}

func TestListCursor(t *testing.T) {
	t.Parallel()
	srv, c := newFake(t)
	ctx := context.Background()
	page, resp, err := c.Organizations.List(ctx, &readycloud.ListOptions{PerPage: 10, Offset: 20})
	require.NoError(t, err)
	assert.Equal(t, 25, page.Total)
	assert.Len(t, page.Items, 5)
	assert.Empty(t, resp.NextCursor)
	assert.Empty(t, page.Next)
	assert.Equal(t, srv.URL+"orgs/?limit=10&offset=10", page.Previous)

	page, resp, err = c.Organizations.List(ctx, &readycloud.ListOptions{PerPage: 10})
	require.NoError(t, err)
	assert.Equal(t, srv.URL+"orgs/?limit=10&offset=10", resp.NextCursor)
	assert.Equal(t, "1", page.Items[0].ID)

	// A cursor carries its own limit and offset.
	page, resp, err = c.Organizations.List(ctx, &readycloud.ListOptions{Cursor: resp.NextCursor, PerPage: 3, Offset: 99})
	require.NoError(t, err)
	assert.Equal(t, "11", page.Items[0].ID)
	assert.Len(t, page.Items, 10)
	assert.Equal(t, srv.URL+"orgs/?limit=10&offset=20", resp.NextCursor)
}

func TestAllLazyRestartBreak(t *testing.T) {
	t.Parallel()
	srv, c := newFake(t)
	seq := c.Organizations.All(context.Background(), &readycloud.ListOptions{PerPage: 2})
	assert.Zero(t, srv.Hits(), "All must not fetch before the first item is pulled")

	n := 0
	for _, err := range seq {
		require.NoError(t, err)
		n++
		if n == 3 {
			break
		}
	}
	assert.Equal(t, 2, srv.Hits(), "the third item is on page 2; nothing after the break")

	first := collect(t, seq)
	second := collect(t, seq)
	assert.Len(t, first, 25)
	assert.Equal(t, first, second, "ranging again starts over")
	assert.Equal(t, 2+13+13, srv.Hits())
}

func TestAllOptionsSnapshot(t *testing.T) {
	t.Parallel()
	srv, c := newFake(t)
	opts := &readycloud.ListOptions{PerPage: 20, Offset: 20}
	seq := c.Organizations.All(context.Background(), opts)
	opts.Offset = 0
	assert.Equal(t, []string{"21", "22", "23", "24", "25"}, collect(t, seq))
	assert.Equal(t, 1, srv.Hits())
}

func TestAllPrefetch(t *testing.T) {
	t.Parallel()
	srv, c := newFake(t, readycloud.WithPrefetch(1))
	assert.Equal(t, idsOf(srv), collect(t, c.Organizations.All(context.Background(), &readycloud.ListOptions{PerPage: 4})))
}

func TestAllStopsAtFirstError(t *testing.T) {
	t.Parallel()
	srv, c := newFake(t)
	var errs []error
	n := 0
	for o, err := range c.Organizations.All(context.Background(), &readycloud.ListOptions{PerPage: 5}) {
		if err != nil {
			errs = append(errs, err)
			continue
		}
		require.NotNil(t, o)
		n++
		if n == 1 {
			srv.InjectFault(readycloudtest.Fault{Status: http.StatusForbidden})
		}
	}
	require.Len(t, errs, 1)
	assert.ErrorIs(t, errs[0], readycloud.ErrForbidden)
	assert.Equal(t, 5, n)
	assert.Equal(t, 2, srv.Hits())
}

// TestNextLinkTokenNeverLeaksOrReplaces serves next links that carry a
// bearer_token other than the client's, absolute and relative.
func TestNextLinkTokenNeverLeaksOrReplaces(t *testing.T) {
	t.Parallel()
	const own, foreign = "own-token-123", "someone-elses-token-456"
	for _, relative := range []bool{false, true} {
		for _, query := range []bool{false, true} {
			t.Run(fmt.Sprintf("relative=%v,queryToken=%v", relative, query), func(t *testing.T) {
				t.Parallel()
				var mu sync.Mutex
				var seen []*http.Request
				mux := http.NewServeMux()
				var base string
				mux.HandleFunc("/mount/api/v2/orgs/", func(w http.ResponseWriter, r *http.Request) {
					mu.Lock()
					seen = append(seen, r.Clone(context.Background()))
					mu.Unlock()
					next, pk := "null", 2
					if r.URL.Query().Get("offset") == "" {
						pk = 1
						link := "/mount/api/v2/orgs/?bearer_token=" + foreign + "&limit=1&offset=1"
						if !relative {
							link = base + link
						}
						next = `"` + link + `"`
					}
					w.Header().Set("Content-Type", "application/json")
					fmt.Fprintf(w, `{"count":2,"next":%s,"previous":null,"results":[{"url":"/mount/api/v2/orgs/%d/","name":"x"}]}`,
						next, pk)
				})
				srv := httptest.NewServer(mux)
				defer srv.Close()
				base = srv.URL
				var opts []readycloud.Option
				if query {
					opts = append(opts, readycloud.WithQueryToken())
				}
				c := newClient(t, srv.URL+"/mount/api/v2/", own, opts...)

				page, resp, err := c.Organizations.List(context.Background(), nil)
				require.NoError(t, err)
				assert.NotContains(t, resp.NextCursor, foreign)
				assert.NotContains(t, resp.NextCursor, "bearer_token")
				assert.NotContains(t, page.Next, foreign)
				assert.Equal(t, srv.URL+"/mount/api/v2/orgs/?limit=1&offset=1", resp.NextCursor)

				assert.Equal(t, []string{"1", "2"}, collect(t, c.Organizations.All(context.Background(), nil)))
				mu.Lock()
				defer mu.Unlock()
				require.Len(t, seen, 3)
				for _, r := range seen {
					tokens := r.URL.Query()["bearer_token"]
					if query {
						assert.Equal(t, []string{own}, tokens)
						assert.Empty(t, r.Header.Get("Authorization"))
					} else {
						assert.Empty(t, tokens)
						assert.Equal(t, "Bearer "+own, r.Header.Get("Authorization"))
					}
				}
			})
		}
	}
}

func TestForeignNextLinkIsRefused(t *testing.T) {
	t.Parallel()
	var evilHits atomic.Int32
	evil := httptest.NewServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) { evilHits.Add(1) }))
	defer evil.Close()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprintf(w, `{"count":2,"next":%q,"previous":null,"results":[{"url":"/api/v2/orgs/1/"}]}`,
			evil.URL+"/api/v2/orgs/?offset=1")
	}))
	defer srv.Close()
	c := newClient(t, srv.URL+"/api/v2/", "secret-token", readycloud.WithQueryToken())
	var gotErr error
	n := 0
	for _, err := range c.Organizations.All(context.Background(), nil) {
		if err != nil {
			gotErr = err
			continue
		}
		n++
	}
	assert.Equal(t, 1, n)
	require.ErrorIs(t, gotErr, readycloud.ErrForeignHost)
	assert.NotContains(t, gotErr.Error(), "secret-token")
	assert.Zero(t, evilHits.Load())
}

func TestPaginationLoopIsAnError(t *testing.T) {
	t.Parallel()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, `{"count":9,"next":"/api/v2/orgs/?offset=1","previous":null,"results":[{"url":"/api/v2/orgs/1/"}]}`)
	}))
	defer srv.Close()
	c := newClient(t, srv.URL+"/api/v2/", "tok")
	var gotErr error
	for _, err := range c.Organizations.All(context.Background(), nil) {
		if err != nil {
			gotErr = err
		}
	}
	require.Error(t, gotErr)
}

func TestTokenHeaderVsQuery(t *testing.T) {
	t.Parallel()
	for _, query := range []bool{false, true} {
		t.Run(fmt.Sprintf("queryToken=%v", query), func(t *testing.T) {
			t.Parallel()
			var opts []readycloud.Option
			if query {
				opts = append(opts, readycloud.WithQueryToken())
			}
			srv, c := newFake(t, opts...)
			ctx := context.Background()
			_, _, err := c.Organizations.List(ctx, &readycloud.ListOptions{PerPage: 1})
			require.NoError(t, err)
			_, _, err = c.Organizations.Get(ctx, "1")
			require.NoError(t, err)
			_, _, err = c.Organizations.Update(ctx, "1", &readycloud.OrganizationInput{Name: "Renamed"})
			require.NoError(t, err)
			reqs := srv.Requests()
			require.Len(t, reqs, 3)
			for _, r := range reqs {
				q, err := url.ParseQuery(r.RawQuery)
				require.NoError(t, err)
				if query {
					assert.Equal(t, []string{srv.Token}, q["bearer_token"], r.Path)
					assert.Empty(t, r.Header.Get("Authorization"))
				} else {
					assert.Empty(t, q["bearer_token"])
					assert.Equal(t, "Bearer "+srv.Token, r.Header.Get("Authorization"))
				}
			}
		})
	}
}

// TestTokenNeverInErrorsOrLogs drives every path that logs or builds an
// error with the token in the query string and checks neither shows it.
func TestTokenNeverInErrorsOrLogs(t *testing.T) {
	t.Parallel()
	for _, query := range []bool{false, true} {
		t.Run(fmt.Sprintf("queryToken=%v", query), func(t *testing.T) {
			t.Parallel()
			var logs bytes.Buffer
			var mu sync.Mutex
			logger := slog.New(slog.NewJSONHandler(&lockedWriter{w: &logs, mu: &mu}, &slog.HandlerOptions{Level: slog.LevelDebug}))
			opts := []readycloud.Option{readycloud.WithLogger(logger), readycloud.WithMaxRetries(2)}
			if query {
				opts = append(opts, readycloud.WithQueryToken())
			}
			srv, c := newFake(t, opts...)
			ctx := context.Background()
			var errs []error
			record := func(err error) {
				if err != nil {
					errs = append(errs, err)
				}
			}

			srv.InjectFault(readycloudtest.Fault{Status: http.StatusServiceUnavailable, Count: 5})
			_, _, err := c.Organizations.Get(ctx, "1")
			record(err)
			srv.InjectFault(readycloudtest.Fault{Status: http.StatusTooManyRequests, RetryAfter: "3600"})
			_, _, err = c.Organizations.List(ctx, nil)
			record(err)
			_, _, err = c.Organizations.Get(ctx, "nope")
			record(err)
			// The server echoes the token back in a body.
			srv.InjectFault(readycloudtest.Fault{Status: http.StatusBadRequest,
				Body: `{"detail":"bad token ` + srv.Token + `", "bearer_token": "` + srv.Token + `"}`})
			_, _, err = c.Organizations.Update(ctx, "1", &readycloud.OrganizationInput{Name: "x"})
			record(err)
			srv.InjectFault(readycloudtest.Fault{Status: http.StatusOK, Body: `{"url": ` + srv.Token + `}`})
			_, _, err = c.Organizations.Get(ctx, "1")
			record(err)
			// A url without a key, made of the token.
			srv.InjectFault(readycloudtest.Fault{Status: http.StatusOK, Body: `{"url": "` + srv.Token + `"}`})
			_, _, err = c.Organizations.Get(ctx, "1")
			record(err)
			srv.Close()
			_, _, err = c.Organizations.List(ctx, nil)
			record(err)

			require.Len(t, errs, 7)
			for _, err := range errs {
				assert.NotContains(t, err.Error(), srv.Token)
				var apiErr *readycloud.APIError
				if errors.As(err, &apiErr) {
					assert.NotContains(t, string(apiErr.Body), srv.Token)
					assert.NotContains(t, apiErr.URL, srv.Token)
				}
			}
			mu.Lock()
			defer mu.Unlock()
			require.NotEmpty(t, logs.String())
			assert.Contains(t, logs.String(), "retrying")
			assert.NotContains(t, logs.String(), srv.Token)
		})
	}
}

type lockedWriter struct {
	w  io.Writer
	mu *sync.Mutex
}

func (l *lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}

func TestGetAndUpdatePersist(t *testing.T) {
	t.Parallel()
	srv, c := newFake(t)
	ctx := context.Background()
	org, _, err := c.Organizations.Get(ctx, "1")
	require.NoError(t, err)
	assert.Equal(t, "Test Company", org.Name)
	assert.Equal(t, "1", org.ID)
	require.NotNil(t, org.PaymentPlan)
	assert.Equal(t, readycloud.Money{Amount: "0.00", Currency: "USD"}, org.PaymentPlan.Price)
	assert.True(t, org.PaymentPlan.Users.Unlimited())
	assert.False(t, org.PaymentPlan.Limit.Unlimited())
	require.NotNil(t, org.TrialExpiresAt)
	assert.Equal(t, 268467000, org.TrialExpiresAt.Nanosecond())

	org, _, err = c.Organizations.Update(ctx, "1", &readycloud.OrganizationInput{Name: "New organization name"})
	require.NoError(t, err)
	assert.Equal(t, "New organization name", org.Name)
	stored, ok := srv.Organization("1")
	name := stored.Name
	require.True(t, ok)
	assert.Equal(t, "New organization name", name)
	org, _, err = c.Organizations.Get(ctx, "1")
	require.NoError(t, err)
	assert.Equal(t, "New organization name", org.Name)

	_, _, err = c.Organizations.Get(ctx, "999")
	require.ErrorIs(t, err, readycloud.ErrNotFound)
	var apiErr *readycloud.APIError
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, "Not found.", apiErr.Message)
	_, _, err = c.Organizations.Update(ctx, "999", &readycloud.OrganizationInput{Name: "x"})
	require.ErrorIs(t, err, readycloud.ErrNotFound)
}

func TestUpdateSendsExactlyName(t *testing.T) {
	t.Parallel()
	type seen struct {
		method, path, contentType string
		body                      []byte
	}
	got := make(chan seen, 1)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		got <- seen{r.Method, r.URL.EscapedPath(), r.Header.Get("Content-Type"), body}
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, `{"url":"/x/api/v2/orgs/7/","name":"Acme \"Corp\" <ü>"}`)
	}))
	defer srv.Close()
	c := newClient(t, srv.URL+"/x/api/v2", "tok")
	org, _, err := c.Organizations.Update(context.Background(), "7", &readycloud.OrganizationInput{Name: `Acme "Corp" <ü>`})
	require.NoError(t, err)
	assert.Equal(t, "7", org.ID)
	s := <-got
	assert.Equal(t, http.MethodPatch, s.method)
	assert.Equal(t, "/x/api/v2/orgs/7/", s.path, "Django needs the trailing slash")
	assert.Equal(t, "application/json", s.contentType)
	assert.JSONEq(t, `{"name": "Acme \"Corp\" <ü>"}`, string(s.body))
	assert.Equal(t, `{"name":"Acme \"Corp\" \u003cü\u003e"}`, string(s.body))
}

func TestWriteRedirectIsAnError(t *testing.T) {
	t.Parallel()
	var hits atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		if r.Method == http.MethodPatch {
			http.Redirect(w, r, "/api/v2/orgs/1/", http.StatusMovedPermanently)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, `{"url":"/api/v2/orgs/1/","name":"unchanged"}`)
	}))
	defer srv.Close()
	c := newClient(t, srv.URL+"/api/v2/", "tok")
	_, _, err := c.Organizations.Update(context.Background(), "1", &readycloud.OrganizationInput{Name: "new"})
	require.ErrorIs(t, err, readycloud.ErrRedirectedWrite)
	assert.Equal(t, int32(1), hits.Load())
}

func TestTrailingSlashAlwaysSent(t *testing.T) {
	t.Parallel()
	srv, c := newFake(t)
	ctx := context.Background()
	_, _, err := c.Organizations.List(ctx, nil)
	require.NoError(t, err)
	_, _, err = c.Organizations.Get(ctx, "2")
	require.NoError(t, err)
	_, _, err = c.Organizations.Update(ctx, "2", &readycloud.OrganizationInput{Name: "n"})
	require.NoError(t, err)
	var paths []string
	for _, r := range srv.Requests() {
		paths = append(paths, r.Method+" "+r.Path)
	}
	assert.Equal(t, []string{"GET /api/v2/orgs/", "GET /api/v2/orgs/2/", "PATCH /api/v2/orgs/2/"}, paths)
}

func TestBadInputBeforeIO(t *testing.T) {
	t.Parallel()
	srv, c := newFake(t)
	ctx := context.Background()
	cases := map[string]func() error{
		"empty pk get": func() error { _, _, err := c.Organizations.Get(ctx, ""); return err },
		"dot pk":       func() error { _, _, err := c.Organizations.Get(ctx, "."); return err },
		"dotdot pk":    func() error { _, _, err := c.Organizations.Get(ctx, ".."); return err },
		"empty pk update": func() error {
			_, _, err := c.Organizations.Update(ctx, "", &readycloud.OrganizationInput{Name: "x"})
			return err
		},
		"dotdot update": func() error {
			_, _, err := c.Organizations.Update(ctx, "..", &readycloud.OrganizationInput{Name: "x"})
			return err
		},
		"nil update": func() error { _, _, err := c.Organizations.Update(ctx, "1", nil); return err },
		"empty update": func() error {
			_, _, err := c.Organizations.Update(ctx, "1", &readycloud.OrganizationInput{})
			return err
		},
		"blank name": func() error {
			_, _, err := c.Organizations.Update(ctx, "1", &readycloud.OrganizationInput{Name: " \t"})
			return err
		},
		"bad utf-8 name": func() error {
			_, _, err := c.Organizations.Update(ctx, "1", &readycloud.OrganizationInput{Name: "a\xffb"})
			return err
		},
		"NUL in name": func() error {
			_, _, err := c.Organizations.Update(ctx, "1", &readycloud.OrganizationInput{Name: "a\x00b"})
			return err
		},
		"negative limit":  func() error { _, _, err := c.Organizations.List(ctx, &readycloud.ListOptions{PerPage: -1}); return err },
		"negative offset": func() error { _, _, err := c.Organizations.List(ctx, &readycloud.ListOptions{Offset: -5}); return err },
		"bad cursor": func() error {
			_, _, err := c.Organizations.List(ctx, &readycloud.ListOptions{Cursor: "http://[::1"})
			return err
		},
		"nil context":      func() error { var nilCtx context.Context; _, _, err := c.Organizations.Get(nilCtx, "1"); return err },
		"all negative lim": func() error { return firstErr(c.Organizations.All(ctx, &readycloud.ListOptions{PerPage: -1})) },
	}
	for name, call := range cases {
		err := call()
		assert.ErrorIs(t, err, readycloud.ErrInvalidArgument, name)
	}
	assert.Zero(t, srv.Hits(), "no request may be sent for bad input")
}

func firstErr(seq func(func(*readycloud.Organization, error) bool)) error {
	for _, err := range seq {
		if err != nil {
			return err
		}
	}
	return nil
}

func TestPKIsEscapedNeverTraversal(t *testing.T) {
	t.Parallel()
	srv, c := newFake(t)
	cases := map[string]string{
		"a/b":     "/api/v2/orgs/a%2Fb/",
		"../1":    "/api/v2/orgs/..%2F1/",
		"1?x=y":   "/api/v2/orgs/1%3Fx=y/",
		"1#frag":  "/api/v2/orgs/1%23frag/",
		"%2e%2e":  "/api/v2/orgs/%252e%252e/",
		"a b":     "/api/v2/orgs/a%20b/",
		"orgs/..": "/api/v2/orgs/orgs%2F../",
	}
	for pk, want := range cases {
		_, _, err := c.Organizations.Get(context.Background(), pk)
		require.ErrorIs(t, err, readycloud.ErrNotFound, pk)
		reqs := srv.Requests()
		last := reqs[len(reqs)-1]
		assert.Equal(t, want, last.Path, pk)
		assert.Empty(t, last.RawQuery, pk)
	}
	// An opaque pk with every awkward character round-trips through the
	// url the server builds from it.
	const pk = "a/b?c#d %2F"
	srv.Add(readycloudtest.Organization{ID: pk, Name: "Awkward"})
	org, _, err := c.Organizations.Get(context.Background(), pk)
	require.NoError(t, err)
	assert.Equal(t, "Awkward", org.Name)
	assert.Equal(t, pk, org.ID)
	org, _, err = c.Organizations.Update(context.Background(), org.ID, &readycloud.OrganizationInput{Name: "Renamed"})
	require.NoError(t, err)
	assert.Equal(t, "Renamed", org.Name)
}

func TestErrorBodyShapes(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name        string
		status      int
		contentType string
		header      map[string]string
		body        string
		is          error
		message     string
		code        string
		details     []readycloud.ErrorDetail
	}{
		{name: "DRF detail", status: 401, body: `{"detail": "Invalid token."}`,
			header: map[string]string{"WWW-Authenticate": `Bearer realm="api"`},
			is:     readycloud.ErrUnauthorized, message: "Invalid token."},
		{name: "DRF not found", status: 404, body: `{"detail":"Not found."}`, is: readycloud.ErrNotFound, message: "Not found."},
		{name: "field errors", status: 400, body: `{"name": ["This field is required."]}`,
			is: readycloud.ErrValidation, message: "Invalid input: name",
			details: []readycloud.ErrorDetail{{Field: "name", Message: "This field is required."}}},
		{name: "several field errors", status: 400,
			body: `{"website": ["Enter a valid URL."], "name": ["This field may not be blank.", "Too short."], "non_field_errors": ["Bad."]}`,
			is:   readycloud.ErrValidation, message: "Invalid input: name, website",
			details: []readycloud.ErrorDetail{{Field: "name", Message: "This field may not be blank."}, {Field: "name", Message: "Too short."}, {Message: "Bad."}, {Field: "website", Message: "Enter a valid URL."}}},
		{name: "OAuth error", status: 403, body: `{"error": "insufficient_scope", "error_description": "The request requires higher privileges."}`,
			is: readycloud.ErrForbidden, message: "The request requires higher privileges.", code: "insufficient_scope"},
		{name: "OAuth error without description", status: 401, body: `{"error": "invalid_token"}`,
			is: readycloud.ErrUnauthorized, message: "invalid_token", code: "invalid_token"},
		{name: "legacy error_message", status: 400, body: `{"error_message": "Organization name is too long"}`,
			is: readycloud.ErrValidation, message: "Organization name is too long"},
		{name: "throttled", status: 429, body: `{"detail": "Request was throttled. Expected available in 3600 seconds."}`,
			header: map[string]string{"Retry-After": "3600"},
			is:     readycloud.ErrRateLimited, message: "Request was throttled. Expected available in 3600 seconds."},
		{name: "HTML page", status: 404, contentType: "text/html", body: "<!doctype html><html><title>Not Found</title></html>",
			is: readycloud.ErrNotFound, message: "Not Found (HTML page: <!doctype html><html><title>Not Found</title></html>)"},
		{name: "empty body", status: 405, is: nil, message: "Method Not Allowed"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
				ct := tc.contentType
				if ct == "" {
					ct = "application/json"
				}
				w.Header().Set("Content-Type", ct)
				for k, v := range tc.header {
					w.Header().Set(k, v)
				}
				w.WriteHeader(tc.status)
				_, _ = io.WriteString(w, tc.body)
			}))
			defer srv.Close()
			c := newClient(t, srv.URL+"/api/v2/", "tok", readycloud.WithMaxRetries(0))
			_, _, err := c.Organizations.Get(context.Background(), "1")
			var apiErr *readycloud.APIError
			require.ErrorAs(t, err, &apiErr)
			if tc.is != nil {
				assert.ErrorIs(t, err, tc.is)
			}
			assert.Equal(t, tc.status, apiErr.StatusCode)
			assert.Equal(t, tc.message, apiErr.Message)
			assert.Equal(t, tc.code, apiErr.Code)
			assert.Equal(t, tc.details, apiErr.Details)
			assert.Equal(t, tc.body, string(apiErr.Body))
			assert.Equal(t, http.MethodGet, apiErr.Method)
			assert.True(t, strings.HasSuffix(apiErr.URL, "/api/v2/orgs/1/"), apiErr.URL)
			if tc.status == 429 {
				assert.Equal(t, time.Hour, apiErr.RetryAfter)
			}
		})
	}
}

func TestRetries(t *testing.T) {
	t.Parallel()
	ctx := context.Background()

	srv, c := newFake(t)
	srv.InjectFault(readycloudtest.Fault{Status: http.StatusServiceUnavailable, Count: 2})
	org, _, err := c.Organizations.Get(ctx, "1")
	require.NoError(t, err)
	assert.Equal(t, "Test Company", org.Name)
	assert.Equal(t, 3, srv.Hits())

	srv, c = newFake(t)
	srv.InjectFault(readycloudtest.Fault{Status: http.StatusServiceUnavailable, Method: http.MethodPatch})
	_, _, err = c.Organizations.Update(ctx, "1", &readycloud.OrganizationInput{Name: "twice?"})
	var apiErr *readycloud.APIError
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, http.StatusServiceUnavailable, apiErr.StatusCode)
	assert.Equal(t, 1, srv.Hits(), "a PATCH that may have reached the server is never resent")
	stored, _ := srv.Organization("1")
	name := stored.Name
	assert.Equal(t, "Test Company", name)

	srv, c = newFake(t)
	srv.InjectFault(readycloudtest.Fault{Status: http.StatusTooManyRequests, RetryAfter: "0", Method: http.MethodPatch})
	_, _, err = c.Organizations.Update(ctx, "1", &readycloud.OrganizationInput{Name: "after 429"})
	require.NoError(t, err, "429 means the server did not act, so even a PATCH is retried")
	assert.Equal(t, 2, srv.Hits())
}

func TestWrongTokenAgainstFake(t *testing.T) {
	t.Parallel()
	for _, query := range []bool{false, true} {
		srv := readycloudtest.NewServer()
		defer srv.Close()
		var opts []readycloud.Option
		if query {
			opts = append(opts, readycloud.WithQueryToken())
		}
		c := newClient(t, srv.URL, "not-the-token", opts...)
		_, _, err := c.Organizations.List(context.Background(), nil)
		require.ErrorIs(t, err, readycloud.ErrUnauthorized)
		var apiErr *readycloud.APIError
		require.ErrorAs(t, err, &apiErr)
		assert.Equal(t, "Invalid token.", apiErr.Message)
		assert.NotContains(t, err.Error(), "not-the-token")
	}
}

func TestDecodeErrors(t *testing.T) {
	t.Parallel()
	cases := map[string]string{
		"not JSON":      `<html>oops</html>`,
		"null":          `null`,
		"array for org": `[]`,
		"bad money":     `{"url":"/api/v2/orgs/1/","payment_plan":{"price":1e3}}`,
		"bad timestamp": `{"url":"/api/v2/orgs/1/","deleted_at":"yesterday"}`,
	}
	for name, body := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
				w.Header().Set("Content-Type", "application/json")
				_, _ = io.WriteString(w, body)
			}))
			defer srv.Close()
			c := newClient(t, srv.URL+"/api/v2/", "tok")
			_, _, err := c.Organizations.Get(context.Background(), "1")
			var decErr *readycloud.DecodeError
			require.ErrorAs(t, err, &decErr)
			assert.Equal(t, http.StatusOK, decErr.StatusCode)
		})
	}
}

// TestDecodeErrorNamesThePath: a bad field says where it is, on every
// path that decodes an organization (issue 21.4, the family's rule: the
// path to the field and its name, as jsonapi and rservice do).
func TestDecodeErrorNamesThePath(t *testing.T) {
	t.Parallel()
	page := func(second string) string {
		return `{"count":2,"next":null,"previous":null,"results":[{"url":"/api/v2/orgs/1/"},` + second + `]}`
	}
	cases := []struct {
		name, body, call, path string
	}{
		{"timestamp", `{"url":"/api/v2/orgs/1/","deleted_at":"yesterday"}`, "Get", "deleted_at: "},
		{"money in the plan", `{"url":"/api/v2/orgs/1/","payment_plan":{"price":1e3}}`, "Get", "payment_plan.price: "},
		{"text", `{"url":"/api/v2/orgs/1/","name":5}`, "Get", "name: "},
		{"plan quota", `{"url":"/api/v2/orgs/1/","payment_plan":{"users":"many"}}`, "Update", "payment_plan.users: "},
		{"page element", page(`{"url":"/api/v2/orgs/2/","trial_expires_at":true}`), "List", "results[1].trial_expires_at: "},
		{"page element without url", page(`{"name":"x"}`), "List", `results[1]: organization has no "url"`},
		{"page element null", page(`null`), "List", "results[1]: organization is null"},
		{"page count", `{"count":"two","results":[]}`, "List", "count: "},
		{"bare array", `[{"url":"/api/v2/orgs/1/"},{"url":"/api/v2/orgs/2/","name":[]}]`, "List", "[1].name: "},
		{"Do into an Organization", `{"url":"/api/v2/orgs/1/","deleted_at":{}}`, "Do", "deleted_at: "},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
				w.Header().Set("Content-Type", "application/json")
				_, _ = io.WriteString(w, tc.body)
			}))
			defer srv.Close()
			c := newClient(t, srv.URL+"/api/v2/", "tok")
			ctx := t.Context()
			var err error
			switch tc.call {
			case "Get":
				_, _, err = c.Organizations.Get(ctx, "1")
			case "Update":
				_, _, err = c.Organizations.Update(ctx, "1", &readycloud.OrganizationInput{Name: "x"})
			case "List":
				_, _, err = c.Organizations.List(ctx, nil)
			case "Do":
				req, rerr := c.NewRequest(http.MethodGet, "orgs/1/", nil)
				require.NoError(t, rerr)
				var o readycloud.Organization
				_, err = c.Do(ctx, req, &o)
			}
			var decErr *readycloud.DecodeError
			require.ErrorAs(t, err, &decErr)
			assert.Contains(t, err.Error(), "): "+tc.path, "the path follows the response's description")
		})
	}
}

// TestDecodeWithoutIdentity: an organization whose url yields no key is a
// DecodeError on every path that decodes one (Get, Update, a page, Do into
// an Organization), not an organization with an empty ID; the write is
// still sent once.
func TestDecodeWithoutIdentity(t *testing.T) {
	t.Parallel()
	for _, org := range []string{`{"name":"no url"}`, `{"url":"/","name":"no key"}`, `{"url":null}`} {
		var hits atomic.Int32
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			hits.Add(1)
			w.Header().Set("Content-Type", "application/json")
			if strings.HasSuffix(r.URL.Path, "/orgs/") {
				_, _ = io.WriteString(w, `{"count":2,"next":null,"previous":null,"results":[{"url":"/api/v2/orgs/1/"},`+org+`]}`)
				return
			}
			_, _ = io.WriteString(w, org)
		}))
		defer srv.Close()
		c := newClient(t, srv.URL+"/mount/api/v2/", "tok")
		ctx := t.Context()
		calls := map[string]func() error{
			"Get": func() error { _, _, err := c.Organizations.Get(ctx, "1"); return err },
			"Update": func() error {
				_, _, err := c.Organizations.Update(ctx, "1", &readycloud.OrganizationInput{Name: "x"})
				return err
			},
			"List": func() error { _, _, err := c.Organizations.List(ctx, nil); return err },
			"All":  func() error { return firstErr(c.Organizations.All(ctx, nil)) },
			"Do": func() error {
				req, err := c.NewRequest(http.MethodGet, "orgs/1/", nil)
				require.NoError(t, err)
				var o readycloud.Organization
				_, err = c.Do(ctx, req, &o)
				return err
			},
		}
		for name, call := range calls {
			hits.Store(0)
			err := call()
			var decErr *readycloud.DecodeError
			require.ErrorAs(t, err, &decErr, "%s %s", name, org)
			assert.Contains(t, err.Error(), `"url"`, "%s %s", name, org)
			assert.Equal(t, int32(1), hits.Load(), "%s %s: a decode error is not retried", name, org)
		}
	}
}

// TestResponseRequestHoldsNoToken: net/http hangs the request that went on
// the wire (credentials included) on the response; the client hands back a
// scrubbed copy.
func TestResponseRequestHoldsNoToken(t *testing.T) {
	t.Parallel()
	for _, query := range []bool{false, true} {
		var opts []readycloud.Option
		if query {
			opts = append(opts, readycloud.WithQueryToken())
		}
		srv, c := newFake(t, opts...)
		ctx := context.Background()
		_, resp1, err := c.Organizations.List(ctx, &readycloud.ListOptions{PerPage: 2})
		require.NoError(t, err)
		_, resp2, err := c.Organizations.Get(ctx, "1")
		require.NoError(t, err)
		_, resp3, err := c.Organizations.Update(ctx, "1", &readycloud.OrganizationInput{Name: "x"})
		require.NoError(t, err)
		_, resp4, err := c.Organizations.Get(ctx, "missing")
		require.ErrorIs(t, err, readycloud.ErrNotFound)
		for _, resp := range []*readycloud.Response{resp1, resp2, resp3, resp4} {
			require.NotNil(t, resp.Request)
			assert.NotContains(t, resp.Request.URL.String(), srv.Token)
			assert.NotContains(t, fmt.Sprint(resp.Request.Header), srv.Token)
			assert.Equal(t, "/api/v2/", resp.Request.URL.Path[:8])
		}
		assert.NotContains(t, resp1.NextCursor, srv.Token)
	}
}

func TestRedirectChainAndCallerCursorHoldNoToken(t *testing.T) {
	t.Parallel()
	const own = "own-token-789"
	var mu sync.Mutex
	var seen []*http.Request
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		seen = append(seen, r.Clone(context.Background()))
		mu.Unlock()
		if r.URL.Path == "/api/v2/orgs/old/" {
			http.Redirect(w, r, "/api/v2/orgs/new/", http.StatusFound)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, `{"count":0,"next":null,"previous":null,"results":[],"url":"/api/v2/orgs/new/"}`)
	}))
	defer srv.Close()

	for _, query := range []bool{false, true} {
		var opts []readycloud.Option
		if query {
			opts = append(opts, readycloud.WithQueryToken())
		}
		c := newClient(t, srv.URL+"/api/v2/", own, opts...)
		org, resp, err := c.Organizations.Get(context.Background(), "old")
		require.NoError(t, err)
		assert.Equal(t, "new", org.ID)
		require.NotNil(t, resp.Request.Response, "the redirect chain is kept")
		prev := resp.Request.Response.Request
		require.NotNil(t, prev)
		assert.Equal(t, "/api/v2/orgs/old/", prev.URL.Path)
		for _, r := range []*http.Request{resp.Request, prev} {
			assert.NotContains(t, r.URL.String(), own)
			assert.NotContains(t, fmt.Sprint(r.Header), own)
		}

		// A cursor the caller built with someone else's token in it.
		_, _, err = c.Organizations.List(context.Background(), &readycloud.ListOptions{Cursor: "/api/v2/orgs/?bearer_token=theirs&access_token=theirs&limit=5"})
		require.NoError(t, err)
	}
	mu.Lock()
	defer mu.Unlock()
	require.Len(t, seen, 6)
	for i, r := range seen {
		q := r.URL.Query()
		assert.Empty(t, q["access_token"])
		if i < 3 {
			assert.Empty(t, q["bearer_token"], r.URL.String())
			assert.Equal(t, "Bearer "+own, r.Header.Get("Authorization"))
		} else {
			assert.Equal(t, []string{own}, q["bearer_token"], r.URL.String())
			assert.Empty(t, r.Header.Get("Authorization"))
		}
		if r.URL.Path == "/api/v2/orgs/" {
			assert.Equal(t, "5", q.Get("limit"))
		}
	}
}
