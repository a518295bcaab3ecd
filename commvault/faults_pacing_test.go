package commvault_test

// Fault injection, issue 19 groups 1, 7, 8 and 9 and its goroutine checks:
// client-side pacing (Login and renewal included), a cancel during a retry
// wait, header and credential options, failures that cannot change, and
// walks and waits that must not leave a goroutine behind.

import (
	"context"
	"errors"
	"iter"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/orgsdk/orgsdk/commvault"
	"github.com/orgsdk/orgsdk/commvault/commvaulttest"
	"github.com/orgsdk/orgsdk/internal/faulttest"
	"github.com/orgsdk/orgsdk/internal/recording"
)

var sessionToken = commvault.WithToken("QSDK fault0token0value")

func getPlan(c *commvault.Client) func(context.Context) error {
	return func(ctx context.Context) error {
		_, _, err := c.Organizations.DefaultPlan(ctx, 1)
		return err
	}
}

func rawPostPlan(ctx context.Context, c *commvault.Client) error {
	req, err := c.NewRequest(http.MethodPost, "Plan", map[string]string{"planName": "p"})
	if err != nil {
		return err
	}
	_, err = c.Do(ctx, req, nil)
	return err
}

func TestFaultsPacingAbandonedWaits(t *testing.T) {
	t.Parallel()
	faulttest.AbandonedWaitsEveryWay(t, func(t *testing.T) *faulttest.Server { return newFaultServer(t, nil) },
		func(t *testing.T, srv *faulttest.Server, opts ...commvault.Option) *commvault.Client {
			return faultClient(t, srv, append(opts, sessionToken)...)
		},
		commvault.WithRateLimit, commvault.WithLimiter, getPlan)
}

// TestFaultsPacingWaitsPerAttempt: the limiter is asked once per request on
// the wire: Login, each retry and each followed redirect wait too.
func TestFaultsPacingWaitsPerAttempt(t *testing.T) {
	t.Parallel()
	var failures atomic.Int32
	srv := newFaultServer(t, func(w http.ResponseWriter, r *http.Request, _ []byte) bool {
		switch r.URL.Path {
		case root + "Organization/2/defaultplan":
			if failures.Add(1) <= 2 {
				w.WriteHeader(http.StatusServiceUnavailable)
				return true
			}
		case root + "Organization/3/defaultplan":
			http.Redirect(w, r, root+"Organization/1/defaultplan", http.StatusFound)
			return true
		}
		return false
	})
	for _, tc := range []struct {
		name        string
		id          int
		opt         commvault.Option
		hits, waits int
	}{
		{"token", 1, sessionToken, 1, 1},
		{"login first", 1, commvault.WithCredentials("admin", "pw"), 2, 2},
		{"two retries", 2, sessionToken, 3, 3},
		{"a redirect", 3, sessionToken, 2, 2},
	} {
		lim := &faulttest.CountingLimiter{}
		c := faultClient(t, srv, tc.opt, commvault.WithLimiter(lim))
		before := srv.Total()
		_, _, err := c.Organizations.DefaultPlan(t.Context(), tc.id)
		require.NoError(t, err, tc.name)
		assert.Equal(t, tc.hits, srv.Total()-before, tc.name)
		assert.Equal(t, tc.waits, lim.Waits(), tc.name)
	}
}

func TestFaultsPacingOptions(t *testing.T) {
	t.Parallel()
	faulttest.LimiterOptionConflicts(t, "commvault", commvault.WithLimiter, commvault.WithRateLimit, func(opts ...commvault.Option) error {
		_, err := commvault.NewClient("https://cv.example.com/commandcenter/api/", append(opts, sessionToken)...)
		return err
	})
}

// TestFaultsRetryWaitCancelled is issue 19.7: a cancel during the wait
// before a retry keeps the answer being waited out.
func TestFaultsRetryWaitCancelled(t *testing.T) {
	t.Parallel()
	calls := map[string]func(ctx context.Context, c *commvault.Client) error{
		"DefaultPlan": func(ctx context.Context, c *commvault.Client) error { return getPlan(c)(ctx) },
		"raw POST":    rawPostPlan,
	}
	faulttest.RetryWaitCancelled(t, func(t *testing.T, srv *faulttest.Server) *commvault.Client {
		return faultClient(t, srv, sessionToken, commvault.WithRetryWait(5*time.Second, 10*time.Second))
	}, calls, "raw POST")
}

// TestFaultsHeaderOptions is issue 19.8: every credential holding a control
// character, and every header value net/http would refuse, is refused by
// NewClient before any I/O, naming the option and not the value.
func TestFaultsHeaderOptions(t *testing.T) {
	t.Parallel()
	srv := newFaultServer(t, nil)
	const mark = "MARK-a8f3"
	cases := []struct {
		name  string
		opts  []commvault.Option
		names string
	}{
		{"user agent \\x01", []commvault.Option{sessionToken, commvault.WithUserAgent(mark + "\x01")}, "WithUserAgent"},
		{"user agent CR LF", []commvault.Option{sessionToken, commvault.WithUserAgent(mark + "\r\nX: 1")}, "WithUserAgent"},
		{"SAML token \\x01", []commvault.Option{commvault.WithSAMLToken("SAML " + mark + "\x01")}, "WithSAMLToken"},
		{"SAML token ESC", []commvault.Option{commvault.WithSAMLToken("SAML " + mark + "\x1b")}, "WithSAMLToken"},
		{"SAML token tab", []commvault.Option{commvault.WithSAMLToken("SAML " + mark + "\tx")}, "WithSAMLToken"},
		{"access token \\x01", []commvault.Option{commvault.WithAccessToken(mark + "\x01")}, "WithAccessToken"},
		{"access token DEL", []commvault.Option{commvault.WithAccessToken(mark + "\x7f")}, "WithAccessToken"},
		{"session token \\x01", []commvault.Option{commvault.WithToken("QSDK " + mark + "\x01")}, "WithToken"},
		{"username \\x01", []commvault.Option{commvault.WithCredentials(mark+"\x01", "pw")}, "WithCredentials"},
		{"username tab", []commvault.Option{commvault.WithCredentials(mark+"\tx", "pw")}, "WithCredentials"},
		{"password \\x01", []commvault.Option{commvault.WithCredentials("admin", mark+"\x01")}, "WithCredentials"},
		{"password LF", []commvault.Option{commvault.WithCredentials("admin", mark+"\n")}, "WithCredentials"},
		{"domain \\x01", []commvault.Option{commvault.WithCredentials("admin", "pw"), commvault.WithDomain(mark + "\x01")}, "WithDomain"},
		{"device id \\x01", []commvault.Option{commvault.WithCredentials("admin", "pw"), commvault.WithDeviceID(mark + "\x01")}, "WithDeviceID"},
		{"device id DEL", []commvault.Option{commvault.WithCredentials("admin", "pw"), commvault.WithDeviceID(mark + "\x7f")}, "WithDeviceID"},
	}
	for _, tc := range cases {
		_, err := commvault.NewClient(srv.URL+root, tc.opts...)
		faulttest.AssertRefusedOption(t, err, tc.names, mark, tc.name)
	}
	_, err := commvault.NewClient(srv.URL+root, commvault.WithSAMLToken("SAML abc.def"), commvault.WithUserAgent("app/1.0 (tab\tok; ünïcode)"))
	require.NoError(t, err, "a SAML token has a space; net/http sends a tab and non-ASCII bytes in a user agent")
	assert.Equal(t, 0, srv.Total(), "nothing was sent")
}

// TestFaultsSessionTokenNoHeaderCanCarry: a Login answer whose token has a
// control character fails the login, instead of every later request
// failing in net/http (five times each).
func TestFaultsSessionTokenNoHeaderCanCarry(t *testing.T) {
	t.Parallel()
	srv := newFaultServer(t, func(w http.ResponseWriter, r *http.Request, _ []byte) bool {
		if !strings.HasSuffix(r.URL.Path, "/Login") {
			return false
		}
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"userName":"admin","token":"QSDK bad\u0001token"}`))
		return true
	})
	c := faultClient(t, srv, commvault.WithCredentials("admin", "pw"))
	err := getPlan(c)(t.Context())
	require.Error(t, err)
	assert.Contains(t, err.Error(), "control character")
	assert.Equal(t, 1, srv.Count(http.MethodPost, root+"Login"))
	assert.Equal(t, 1, srv.Total(), "nothing was sent with the bad token")
}

// TestFaultsNotRetried is issue 19.9: failures that repeat identically are
// tried once.
func TestFaultsNotRetried(t *testing.T) {
	t.Parallel()
	t.Run("bad header on a raw request", func(t *testing.T) {
		t.Parallel()
		srv := newFaultServer(t, nil)
		c := faultClient(t, srv, sessionToken)
		for _, method := range []string{http.MethodGet, http.MethodPost} {
			req, err := c.NewRequest(method, "Plan", map[string]string{"planName": "p"})
			require.NoError(t, err)
			req.Header.Set("X-Trace", "a\x01b")
			_, err = c.Do(t.Context(), req, nil)
			require.ErrorIs(t, err, commvault.ErrInvalidArgument, method)
			assert.Contains(t, err.Error(), "header X-Trace")
		}
		assert.Equal(t, 0, srv.Total())
	})
	t.Run("port out of range", func(t *testing.T) {
		t.Parallel()
		_, err := commvault.NewClient("http://127.0.0.1:99999/commandcenter/api/", sessionToken)
		require.ErrorIs(t, err, commvault.ErrInvalidArgument)
		assert.Contains(t, err.Error(), "outside 1..65535")
	})
	t.Run("redirect limit", func(t *testing.T) {
		t.Parallel()
		srv := newFaultServer(t, func(w http.ResponseWriter, r *http.Request, _ []byte) bool {
			http.Redirect(w, r, r.URL.Path+"x", http.StatusFound)
			return true
		})
		c := faultClient(t, srv, sessionToken)
		err := getPlan(c)(t.Context())
		require.Error(t, err)
		assert.Contains(t, err.Error(), "stopped after 10 redirects")
		assert.Equal(t, 11, srv.Total(), "10 hops, 11 requests, no retry")
	})
	t.Run("recorder folder is a file", func(t *testing.T) {
		t.Parallel()
		srv := newFaultServer(t, nil)
		for name, dir := range faulttest.UnwritableDirs(t) {
			rec := &recording.Recorder{Dir: dir}
			c := faultClient(t, srv, commvault.WithCredentials("admin", "pw"), commvault.WithHTTPClient(&http.Client{Transport: rec}))
			err := getPlan(c)(t.Context())
			require.Error(t, err, name)
			assert.Contains(t, err.Error(), "recording: ", name)
			require.Error(t, rawPostPlan(t.Context(), c), name)
		}
		assert.Equal(t, 0, srv.Total(), "nothing was sent, Login included")
	})
}

// TestFaultsNoLeaks: walks ended early, calls to stalled servers and
// abandoned pacing waits leave no goroutine behind. Not parallel, so the
// goroutines of other tests are not counted.
func TestFaultsNoLeaks(t *testing.T) {
	faulttest.NoLeaks(t)
	fake := commvaulttest.NewServer()
	t.Cleanup(fake.Close)
	faulttest.WalkEnds(t, false, func(ctx context.Context, _ bool) iter.Seq2[*commvault.Organization, error] {
		c, err := commvault.NewClient(fake.URL, commvault.WithToken(fake.Token))
		require.NoError(t, err)
		return c.Organizations.All(ctx, nil)
	})

	for _, stallBody := range []bool{false, true} {
		srv := faulttest.StalledServer(t, stallBody)
		c := faultClient(t, srv, sessionToken)
		ctx, cancel := context.WithTimeout(t.Context(), 100*time.Millisecond)
		err := getPlan(c)(ctx)
		cancel()
		require.ErrorIs(t, err, context.DeadlineExceeded, "stalled body: %v", stallBody)
	}

	srv := newFaultServer(t, nil)
	c := faultClient(t, srv, sessionToken, commvault.WithRateLimit(1, time.Hour))
	require.NoError(t, getPlan(c)(t.Context()))
	for _, end := range faulttest.WaitEnds() {
		ctx, cancel := end.Context(t.Context(), 10*time.Millisecond)
		err := getPlan(c)(ctx)
		cancel()
		require.True(t, errors.Is(err, end.Err()), "%v", err)
	}
}
