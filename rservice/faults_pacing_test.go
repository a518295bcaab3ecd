package rservice_test

// Fault injection, issue 19 groups 1, 7, 8 and 9 and its goroutine checks:
// client-side pacing, a cancel during a retry wait, header and credential
// options, failures that cannot change, and walks and waits that must not
// leave a goroutine behind.

import (
	"context"
	"errors"
	"io"
	"iter"
	"net/http"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/orgsdk/orgsdk/internal/faulttest"
	"github.com/orgsdk/orgsdk/internal/recording"
	"github.com/orgsdk/orgsdk/rservice"
	"github.com/orgsdk/orgsdk/rservice/rservicetest"
)

func getOrg(c *rservice.Client) func(context.Context) error {
	return func(ctx context.Context) error {
		_, _, err := c.Organizations.Get(ctx, 50)
		return err
	}
}

// pacingServer counts every request and lets handle answer it; the rest
// get organization 50.
func pacingServer(t *testing.T, handle faulttest.Handler) *faulttest.Server {
	t.Helper()
	return faulttest.NewServer(t, handle, func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, orgJSON)
	})
}

func updateOrg(ctx context.Context, c *rservice.Client) error {
	_, _, err := c.Organizations.Update(ctx, 50, &rservice.OrganizationInput{Remarks: rservice.Set("paced")})
	return err
}

func TestFaultsPacingAbandonedWaits(t *testing.T) {
	t.Parallel()
	faulttest.AbandonedWaitsEveryWay(t, func(t *testing.T) *faulttest.Server { return pacingServer(t, nil) },
		func(t *testing.T, srv *faulttest.Server, opts ...rservice.Option) *rservice.Client {
			return faultClient(t, srv.URL+"/v1/", opts...)
		},
		rservice.WithRateLimit, rservice.WithLimiter, getOrg)
}

// TestFaultsPacingWaitsPerAttempt: the limiter is asked once per request on
// the wire: each retry and each followed redirect waits again.
func TestFaultsPacingWaitsPerAttempt(t *testing.T) {
	t.Parallel()
	var failures atomic.Int32
	srv := pacingServer(t, func(w http.ResponseWriter, r *http.Request, _ []byte) bool {
		switch r.URL.Path {
		case "/v1/organizations/2":
			if failures.Add(1) <= 2 {
				w.WriteHeader(http.StatusServiceUnavailable)
				return true
			}
		case "/v1/organizations/3":
			http.Redirect(w, r, "/v1/organizations/50", http.StatusFound)
			return true
		}
		return false
	})
	for _, tc := range []struct {
		pk          int64
		hits, waits int
	}{{50, 1, 1}, {2, 3, 3}, {3, 2, 2}} {
		lim := &faulttest.CountingLimiter{}
		c := faultClient(t, srv.URL+"/v1/", rservice.WithLimiter(lim))
		before := srv.Total()
		_, _, err := c.Organizations.Get(t.Context(), tc.pk)
		require.NoError(t, err, tc.pk)
		assert.Equal(t, tc.hits, srv.Total()-before, tc.pk)
		assert.Equal(t, tc.waits, lim.Waits(), tc.pk)
	}
}

func TestFaultsPacingOptions(t *testing.T) {
	t.Parallel()
	faulttest.LimiterOptionConflicts(t, "rservice", rservice.WithLimiter, rservice.WithRateLimit, func(opts ...rservice.Option) error {
		_, err := rservice.NewClient("tok", opts...)
		return err
	})
}

// TestFaultsRetryWaitCancelled is issue 19.7: a cancel during the wait
// before a retry keeps the answer being waited out.
func TestFaultsRetryWaitCancelled(t *testing.T) {
	t.Parallel()
	calls := map[string]func(ctx context.Context, c *rservice.Client) error{
		"Get":    func(ctx context.Context, c *rservice.Client) error { return getOrg(c)(ctx) },
		"Update": updateOrg,
	}
	faulttest.RetryWaitCancelled(t, func(t *testing.T, srv *faulttest.Server) *rservice.Client {
		return faultClient(t, srv.URL+"/v1/", rservice.WithRetryWait(5*time.Second, 10*time.Second))
	}, calls, "Update")
}

// TestFaultsHeaderOptions is issue 19.8: every value net/http would refuse
// in a header is refused by NewClient, before any I/O, naming the option
// and not the value.
func TestFaultsHeaderOptions(t *testing.T) {
	t.Parallel()
	srv := pacingServer(t, nil)
	const mark = "MARK-a8f3"
	cases := []struct {
		name  string
		token string
		opt   rservice.Option
		names string
	}{
		{"user agent \\x01", "tok", rservice.WithUserAgent(mark + "\x01"), "WithUserAgent"},
		{"user agent ESC", "tok", rservice.WithUserAgent(mark + "\x1b[2J"), "WithUserAgent"},
		{"user agent DEL", "tok", rservice.WithUserAgent(mark + "\x7f"), "WithUserAgent"},
		{"user agent CR LF", "tok", rservice.WithUserAgent(mark + "\r\nX-Injected: 1"), "WithUserAgent"},
		{"account \\x01", "tok", rservice.WithAccount(mark + "\x01"), "WithAccount"},
		{"account tab", "tok", rservice.WithAccount(mark + "\tx"), "WithAccount"},
		{"account LF", "tok", rservice.WithAccount(mark + "\nx"), "WithAccount"},
		{"source \\x01", "tok", rservice.WithSource(mark + "\x01"), "WithSource"},
		{"source DEL", "tok", rservice.WithSource(mark + "\x7f"), "WithSource"},
		{"account header", "tok", rservice.WithAccountHeader("X Account"), "WithAccountHeader"},
		{"token \\x01", mark + "\x01", nil, "token"},
		{"token tab", mark + "\t", nil, "token"},
	}
	for _, tc := range cases {
		opts := []rservice.Option{rservice.WithBaseURL(srv.URL + "/api/v2/")}
		if tc.opt != nil {
			opts = append(opts, tc.opt)
		}
		_, err := rservice.NewClient(tc.token, opts...)
		faulttest.AssertRefusedOption(t, err, tc.names, mark, tc.name)
	}
	_, err := rservice.NewClient("tok", rservice.WithUserAgent("app/1.0 (tab\tok; ünïcode)"), rservice.WithSource("sync\tjob ✓"))
	require.NoError(t, err, "net/http sends a tab and non-ASCII bytes")
	assert.Equal(t, 0, srv.Total(), "nothing was sent")
}

// TestFaultsNotRetried is issue 19.9: failures that repeat identically are
// tried once.
func TestFaultsNotRetried(t *testing.T) {
	t.Parallel()
	t.Run("bad header on a raw request", func(t *testing.T) {
		t.Parallel()
		srv := pacingServer(t, nil)
		c := faultClient(t, srv.URL+"/v1/")
		for _, method := range []string{http.MethodGet, http.MethodPatch} {
			req, err := c.NewRequest(method, "organizations/50", map[string]string{"remarks": "x"})
			require.NoError(t, err)
			req.Header.Set("X-Trace", "a\x01b")
			_, err = c.Do(t.Context(), req, nil)
			require.ErrorIs(t, err, rservice.ErrInvalidArgument, method)
			assert.Contains(t, err.Error(), "header X-Trace")
		}
		assert.Equal(t, 0, srv.Total())
	})
	t.Run("port out of range", func(t *testing.T) {
		t.Parallel()
		_, err := rservice.NewClient("tok", rservice.WithBaseURL("http://127.0.0.1:99999/api/v2/"))
		require.ErrorIs(t, err, rservice.ErrInvalidArgument)
		assert.Contains(t, err.Error(), "outside 1..65535")
	})
	t.Run("redirect limit", func(t *testing.T) {
		t.Parallel()
		srv := pacingServer(t, func(w http.ResponseWriter, r *http.Request, _ []byte) bool {
			http.Redirect(w, r, r.URL.Path+"x", http.StatusFound)
			return true
		})
		c := faultClient(t, srv.URL+"/v1/")
		err := getOrg(c)(t.Context())
		require.Error(t, err)
		assert.Contains(t, err.Error(), "stopped after 10 redirects")
		assert.Equal(t, 11, srv.Total(), "10 hops, 11 requests, no retry")
	})
	t.Run("recorder folder is a file", func(t *testing.T) {
		t.Parallel()
		srv := pacingServer(t, nil)
		for name, dir := range faulttest.UnwritableDirs(t) {
			rec := &recording.Recorder{Dir: dir}
			c := faultClient(t, srv.URL+"/v1/", rservice.WithHTTPClient(&http.Client{Transport: rec}))
			err := getOrg(c)(t.Context())
			require.Error(t, err, name)
			assert.Contains(t, err.Error(), "recording: ", name)
			err = updateOrg(t.Context(), c)
			require.Error(t, err, name)
		}
		assert.Equal(t, 0, srv.Total(), "nothing was sent")
	})
}

// TestFaultsNoLeaks: walks ended early, calls to stalled servers and
// abandoned pacing waits leave no goroutine behind. Not parallel, so the
// goroutines of other tests are not counted.
func TestFaultsNoLeaks(t *testing.T) {
	faulttest.NoLeaks(t)
	fake := rservicetest.NewServer()
	t.Cleanup(fake.Close)
	faulttest.WalkEndsAt(t, true, []int{0, 1, 8}, func(ctx context.Context, prefetch int) iter.Seq2[*rservice.Organization, error] {
		c, err := rservice.NewClient(fake.Token, rservice.WithBaseURL(fake.URL), rservice.WithPrefetch(prefetch))
		require.NoError(t, err)
		return c.Organizations.All(ctx, &rservice.ListOptions{PerPage: 2})
	})

	for _, stallBody := range []bool{false, true} {
		srv := faulttest.StalledServer(t, stallBody)
		c := faultClient(t, srv.URL+"/v1/")
		ctx, cancel := context.WithTimeout(t.Context(), 100*time.Millisecond)
		err := getOrg(c)(ctx)
		cancel()
		require.ErrorIs(t, err, context.DeadlineExceeded, "stalled body: %v", stallBody)
	}

	srv := pacingServer(t, nil)
	c := faultClient(t, srv.URL+"/v1/", rservice.WithRateLimit(1, time.Hour))
	require.NoError(t, getOrg(c)(t.Context()))
	for _, end := range faulttest.WaitEnds() {
		ctx, cancel := end.Context(t.Context(), 10*time.Millisecond)
		err := getOrg(c)(ctx)
		cancel()
		require.True(t, errors.Is(err, end.Err()), "%v", err)
	}
}
