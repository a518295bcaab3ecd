package readycloud_test

// Fault injection, issue 19 groups 1, 7, 8 and 9 and its goroutine checks:
// client-side pacing, a cancel during a retry wait, header and credential
// options, failures that cannot change, and walks and waits that must not
// leave a goroutine behind.

import (
	"context"
	"errors"
	"iter"
	"net/http"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/orgsdk/orgsdk/internal/faulttest"
	"github.com/orgsdk/orgsdk/internal/recording"
	"github.com/orgsdk/orgsdk/readycloud"
	"github.com/orgsdk/orgsdk/readycloud/readycloudtest"
)

func getOrg(c *readycloud.Client) func(context.Context) error {
	return func(ctx context.Context) error {
		_, _, err := c.Organizations.Get(ctx, "1")
		return err
	}
}

func TestFaultsPacingAbandonedWaits(t *testing.T) {
	t.Parallel()
	faulttest.AbandonedWaitsEveryWay(t, func(t *testing.T) *faulttest.Server { return newFaultServer(t, nil) },
		func(t *testing.T, srv *faulttest.Server, opts ...readycloud.Option) *readycloud.Client {
			return faultClient(t, srv.URL+"/api/v2/", opts...)
		},
		readycloud.WithRateLimit, readycloud.WithLimiter, getOrg)
}

// TestFaultsPacingWaitsPerAttempt: the limiter is asked once per request on
// the wire: each retry and each followed redirect waits again.
func TestFaultsPacingWaitsPerAttempt(t *testing.T) {
	t.Parallel()
	var failures atomic.Int32
	srv := newFaultServer(t, func(w http.ResponseWriter, r *http.Request, _ []byte) bool {
		switch r.URL.Path {
		case "/api/v2/orgs/2/":
			if failures.Add(1) <= 2 {
				w.WriteHeader(http.StatusServiceUnavailable)
				return true
			}
		case "/api/v2/orgs/3/":
			http.Redirect(w, r, "/api/v2/orgs/1/", http.StatusFound)
			return true
		}
		return false
	})
	for _, tc := range []struct {
		pk          string
		hits, waits int
	}{{"1", 1, 1}, {"2", 3, 3}, {"3", 2, 2}} {
		lim := &faulttest.CountingLimiter{}
		c := faultClient(t, srv.URL+"/api/v2/", readycloud.WithLimiter(lim))
		before := srv.Total()
		_, _, err := c.Organizations.Get(t.Context(), tc.pk)
		require.NoError(t, err, tc.pk)
		assert.Equal(t, tc.hits, srv.Total()-before, tc.pk)
		assert.Equal(t, tc.waits, lim.Waits(), tc.pk)
	}
}

func TestFaultsPacingOptions(t *testing.T) {
	t.Parallel()
	faulttest.LimiterOptionConflicts(t, "readycloud", readycloud.WithLimiter, readycloud.WithRateLimit, func(opts ...readycloud.Option) error {
		_, err := readycloud.NewClient("tok", opts...)
		return err
	})
}

// TestFaultsRetryWaitCancelled is issue 19.7: a cancel during the wait
// before a retry keeps the answer being waited out.
func TestFaultsRetryWaitCancelled(t *testing.T) {
	t.Parallel()
	calls := map[string]func(ctx context.Context, c *readycloud.Client) error{
		"Get": func(ctx context.Context, c *readycloud.Client) error { return getOrg(c)(ctx) },
		"Update": func(ctx context.Context, c *readycloud.Client) error {
			_, _, err := c.Organizations.Update(ctx, "1", &readycloud.OrganizationInput{Name: "Renamed"})
			return err
		},
	}
	faulttest.RetryWaitCancelled(t, func(t *testing.T, srv *faulttest.Server) *readycloud.Client {
		return faultClient(t, srv.URL+"/api/v2/", readycloud.WithRetryWait(5*time.Second, 10*time.Second))
	}, calls, "Update")
}

// TestFaultsHeaderOptions is issue 19.8: every value net/http would refuse
// in a header is refused by NewClient, before any I/O, naming the option
// and not the value.
func TestFaultsHeaderOptions(t *testing.T) {
	t.Parallel()
	srv := newFaultServer(t, nil)
	const mark = "MARK-a8f3"
	cases := []struct {
		name  string
		token string
		opt   readycloud.Option
		names string
	}{
		{"user agent \\x01", "tok", readycloud.WithUserAgent(mark + "\x01"), "WithUserAgent"},
		{"user agent ESC", "tok", readycloud.WithUserAgent(mark + "\x1b[2J"), "WithUserAgent"},
		{"user agent DEL", "tok", readycloud.WithUserAgent(mark + "\x7f"), "WithUserAgent"},
		{"user agent CR LF", "tok", readycloud.WithUserAgent(mark + "\r\nX-Injected: 1"), "WithUserAgent"},
		{"token \\x01", mark + "\x01", nil, "token"},
		{"token tab", mark + "\t", nil, "token"},
		{"token DEL", mark + "\x7f", nil, "token"},
		{"query token \\x01", mark + "\x01", readycloud.WithQueryToken(), "token"},
	}
	for _, tc := range cases {
		opts := []readycloud.Option{readycloud.WithBaseURL(srv.URL + "/api/v2/")}
		if tc.opt != nil {
			opts = append(opts, tc.opt)
		}
		_, err := readycloud.NewClient(tc.token, opts...)
		faulttest.AssertRefusedOption(t, err, tc.names, mark, tc.name)
	}
	_, err := readycloud.NewClient("tok", readycloud.WithUserAgent("app/1.0 (tab\tok; ünïcode)"))
	require.NoError(t, err, "net/http sends a tab and non-ASCII bytes")
	assert.Equal(t, 0, srv.Total(), "nothing was sent")
}

// TestFaultsNotRetried is issue 19.9: failures that repeat identically are
// tried once.
func TestFaultsNotRetried(t *testing.T) {
	t.Parallel()
	t.Run("bad header on a raw request", func(t *testing.T) {
		t.Parallel()
		srv := newFaultServer(t, nil)
		c := faultClient(t, srv.URL+"/api/v2/")
		for _, method := range []string{http.MethodGet, http.MethodPatch} {
			req, err := c.NewRequest(method, "orgs/1/", map[string]string{"name": "x"})
			require.NoError(t, err)
			req.Header.Set("X-Trace", "a\x01b")
			_, err = c.Do(t.Context(), req, nil)
			require.ErrorIs(t, err, readycloud.ErrInvalidArgument, method)
			assert.Contains(t, err.Error(), "header X-Trace")
		}
		assert.Equal(t, 0, srv.Total())
	})
	t.Run("port out of range", func(t *testing.T) {
		t.Parallel()
		_, err := readycloud.NewClient("tok", readycloud.WithBaseURL("http://127.0.0.1:99999/api/v2/"))
		require.ErrorIs(t, err, readycloud.ErrInvalidArgument)
		assert.Contains(t, err.Error(), "outside 1..65535")
	})
	t.Run("redirect limit", func(t *testing.T) {
		t.Parallel()
		srv := newFaultServer(t, func(w http.ResponseWriter, r *http.Request, _ []byte) bool {
			http.Redirect(w, r, r.URL.Path+"x/", http.StatusFound)
			return true
		})
		c := faultClient(t, srv.URL+"/api/v2/")
		_, _, err := c.Organizations.Get(t.Context(), "1")
		require.Error(t, err)
		assert.Contains(t, err.Error(), "stopped after 10 redirects")
		assert.Equal(t, 11, srv.Total(), "10 hops, 11 requests, no retry")
	})
	t.Run("recorder folder is a file", func(t *testing.T) {
		t.Parallel()
		srv := newFaultServer(t, nil)
		for name, dir := range faulttest.UnwritableDirs(t) {
			rec := &recording.Recorder{Dir: dir}
			c := faultClient(t, srv.URL+"/api/v2/", readycloud.WithHTTPClient(&http.Client{Transport: rec}))
			_, _, err := c.Organizations.Get(t.Context(), "1")
			require.Error(t, err, name)
			assert.Contains(t, err.Error(), "recording: ", name)
			_, _, err = c.Organizations.Update(t.Context(), "1", &readycloud.OrganizationInput{Name: "Renamed"})
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
	fake := readycloudtest.NewServer()
	t.Cleanup(fake.Close)
	faulttest.WalkEndsAt(t, true, []int{0, 1, 8}, func(ctx context.Context, prefetch int) iter.Seq2[*readycloud.Organization, error] {
		c := newClient(t, fake.URL, fake.Token, readycloud.WithPrefetch(prefetch))
		return c.Organizations.All(ctx, &readycloud.ListOptions{PerPage: 2})
	})

	for _, stallBody := range []bool{false, true} {
		srv := faulttest.StalledServer(t, stallBody)
		c := faultClient(t, srv.URL+"/api/v2/")
		ctx, cancel := context.WithTimeout(t.Context(), 100*time.Millisecond)
		_, _, err := c.Organizations.Get(ctx, "1")
		cancel()
		require.ErrorIs(t, err, context.DeadlineExceeded, "stalled body: %v", stallBody)
	}

	srv := newFaultServer(t, nil)
	c := faultClient(t, srv.URL+"/api/v2/", readycloud.WithRateLimit(1, time.Hour))
	require.NoError(t, getOrg(c)(t.Context()))
	for _, end := range faulttest.WaitEnds() {
		ctx, cancel := end.Context(t.Context(), 10*time.Millisecond)
		err := getOrg(c)(ctx)
		cancel()
		require.True(t, errors.Is(err, end.Err()), "%v", err)
	}
}
