package transport

import (
	"context"
	"errors"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/orgsdk/orgsdk/internal/faulttest"
)

func getX(c *Client) func(context.Context) error {
	return func(ctx context.Context) error {
		_, err := c.Do(ctx, &Request{Method: http.MethodGet, Path: []string{"x"}}, nil)
		return err
	}
}

// TestAbandonedPacingWaitsGiveBackTheirSlots is issue 19.1: ten calls whose
// contexts end while they wait for a pacing slot must not keep it.
func TestAbandonedPacingWaitsGiveBackTheirSlots(t *testing.T) {
	t.Parallel()
	for _, end := range faulttest.WaitEnds() {
		t.Run(string(end), func(t *testing.T) {
			t.Parallel()
			ts := newTestServer(t, func(w http.ResponseWriter, r *http.Request) {})
			c := newTestClient(t, ts.URL+"/api/v1/", withSettings(func(s *Settings) {
				require.NoError(t, s.SetRateLimit(1, faulttest.PacingInterval))
			}))
			faulttest.AbandonedWaits(t, end, ts.Hits, getX(c))
		})
	}
}

// TestCancelDuringRetryWaitKeepsTheAnswer is issue 19.7: a cancel during
// the wait before a retry returns the answer being waited out, matching
// both the context's error and the answer's own.
func TestCancelDuringRetryWaitKeepsTheAnswer(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name        string
		status      int
		retryAfter  string
		rateLimited bool
		wantWait    time.Duration
	}{
		{"429 Retry-After", http.StatusTooManyRequests, "2", true, 2 * time.Second},
		{"429 backoff", http.StatusTooManyRequests, "", true, 0},
		{"503 Retry-After", http.StatusServiceUnavailable, "2", true, 2 * time.Second},
		{"503 backoff", http.StatusServiceUnavailable, "", false, 0},
	}
	for _, tc := range cases {
		for _, method := range []string{http.MethodGet, http.MethodPost} {
			if tc.status == http.StatusServiceUnavailable && method == http.MethodPost {
				continue // a 503 to a write is not retried, so there is no wait
			}
			t.Run(tc.name+"/"+method, func(t *testing.T) {
				t.Parallel()
				hit := make(chan struct{}, 10)
				ts := newTestServer(t, func(w http.ResponseWriter, r *http.Request) {
					if tc.retryAfter != "" {
						w.Header().Set("Retry-After", tc.retryAfter)
					}
					w.Header().Set("Content-Type", "application/json")
					w.WriteHeader(tc.status)
					_, _ = w.Write([]byte(`{"message":"slow down"}`))
					hit <- struct{}{}
				})
				c := newTestClient(t, ts.URL+"/api/v1/", withSettings(func(s *Settings) {
					s.RetryWaitMin, s.RetryWaitMax = 5*time.Second, 10*time.Second
				}))
				ctx, cancel := context.WithCancel(t.Context())
				go func() {
					<-hit
					time.Sleep(20 * time.Millisecond)
					cancel()
				}()
				_, err := c.Do(ctx, &Request{Method: method, Path: []string{"x"}, Body: []byte(`{}`)}, nil)
				require.ErrorIs(t, err, context.Canceled)
				assert.Equal(t, tc.rateLimited, errors.Is(err, ErrRateLimited), "ErrRateLimited")
				var apiErr *APIError
				require.ErrorAs(t, err, &apiErr)
				assert.Equal(t, tc.status, apiErr.StatusCode)
				assert.Equal(t, tc.wantWait, apiErr.RetryAfter)
				assert.Contains(t, string(apiErr.Body), "slow down", "the answer's body survives the cancel")
				assert.Regexp(t, `^orgsdk: test: `+method+` http://127\.0\.0\.1:\d+/api/v1/x: \d{3} .*: context canceled$`, err.Error())
				assert.Equal(t, 1, ts.Hits())
			})
		}
	}
}

// TestCancelDuringBackoffAfterTransportError: the same for a request that
// got no answer (connection refused): the network error is kept.
func TestCancelDuringBackoffAfterTransportError(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t, func(w http.ResponseWriter, r *http.Request) {})
	base := ts.URL + "/api/v1/"
	ts.Close()
	c := newTestClient(t, base, withSettings(func(s *Settings) {
		s.RetryWaitMin, s.RetryWaitMax = 5*time.Second, 10*time.Second
	}))
	ctx, cancel := faulttest.ByCancel.Context(t.Context(), 50*time.Millisecond)
	defer cancel()
	err := getX(c)(ctx)
	require.ErrorIs(t, err, context.Canceled)
	var te *TransportError
	require.ErrorAs(t, err, &te)
	assert.Contains(t, err.Error(), "connection refused")
}

// TestValidHeaderValueIsNetHTTPsRule compares ValidHeaderValue with what
// net/http's client itself refuses, byte by byte: a Transport whose dial
// fails at once tells a refused header from one it would have sent.
func TestValidHeaderValueIsNetHTTPsRule(t *testing.T) {
	t.Parallel()
	noDial := errors.New("no dial")
	tr := &http.Transport{DialContext: func(context.Context, string, string) (net.Conn, error) { return nil, noDial }}
	t.Cleanup(tr.CloseIdleConnections)
	for b := 0; b < 256; b++ {
		v := "a" + string([]byte{byte(b)}) + "b"
		req, err := http.NewRequest(http.MethodGet, "http://127.0.0.1:1/", nil)
		require.NoError(t, err)
		req.Header["X-Test"] = []string{v}
		_, err = tr.RoundTrip(req)
		sent := errors.Is(err, noDial)
		assert.Equal(t, sent, ValidHeaderValue(v), "byte %#x: net/http sends it: %v (%v)", b, sent, err)
	}
}

// TestBadRequestHeadersFailBeforeIO is issue 19.9's first case: a raw
// request whose header net/http would refuse fails once, before any I/O,
// and names the header but not the value.
func TestBadRequestHeadersFailBeforeIO(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t, func(w http.ResponseWriter, r *http.Request) {})
	c := newTestClient(t, ts.URL+"/api/v1/")
	cases := map[string]http.Header{
		"control byte":  {"X-Trace": {"ok", "a\x01" + testSecret}},
		"line break":    {"X-Trace": {"a\r\nX-Injected: " + testSecret}},
		"NUL":           {"Authorization": {"Bearer " + testSecret + "\x00"}},
		"bad name":      {"X Trace": {"v"}},
		"Accept":        {"Accept": {"application/json\x7f"}},
		"Content-Type":  {"Content-Type": {"application/json\x0b"}},
		"empty name":    {"": {"v"}},
		"name with ':'": {"X-A:": {"v"}},
	}
	for name, h := range cases {
		for _, method := range []string{http.MethodGet, http.MethodPost} {
			req, err := c.NewHTTPRequest(method, "x", []byte(`{}`), "application/json")
			require.NoError(t, err)
			for k, v := range h {
				req.Header[k] = v
			}
			_, err = c.DoHTTP(t.Context(), req, nil, nil)
			require.ErrorIs(t, err, ErrInvalidArgument, name)
			assert.Contains(t, err.Error(), "orgsdk: test: invalid argument: header", name)
			assert.NotContains(t, err.Error(), testSecret, name)
		}
	}
	for _, ok := range []string{"tab\tinside", "über-UTF-8 ✓", ""} {
		req, err := c.NewHTTPRequest(http.MethodGet, "x", nil, "")
		require.NoError(t, err)
		req.Header.Set("X-Fine", ok)
		_, err = c.DoHTTP(t.Context(), req, nil, nil)
		require.NoError(t, err, "%q", ok)
	}
	assert.Equal(t, 3, ts.Hits(), "only the valid requests were sent")
}

func TestUserAgentRefusesWhatNetHTTPRefuses(t *testing.T) {
	t.Parallel()
	for _, bad := range []string{"app\x01", "app\r\nX: y", "app\x00", "app\x7f", "app\x1b[31m"} {
		var s Settings
		err := s.SetUserAgent(bad)
		require.Error(t, err, "%q", bad)
		assert.Contains(t, err.Error(), "WithUserAgent")
		assert.NotContains(t, err.Error(), "app")
	}
	var s Settings
	require.NoError(t, s.SetUserAgent("app/1.0 (tab\tok; ünïcode)"))
}

func TestBaseURLPortRange(t *testing.T) {
	t.Parallel()
	for _, bad := range []string{"http://127.0.0.1:99999/", "http://127.0.0.1:65536/", "http://127.0.0.1:0/", "https://h:00000/"} {
		_, err := ParseBaseURL(bad)
		require.Error(t, err, bad)
		assert.Contains(t, err.Error(), "outside 1..65535", bad)
	}
	for _, good := range []string{"http://127.0.0.1:65535/", "http://127.0.0.1:1/", "https://h/", "https://h:/"} {
		_, err := ParseBaseURL(good)
		require.NoError(t, err, good)
	}
}

// TestFailuresThatCannotChangeAreNotRetried is issue 19.9: each of these
// fails the same way every time, so one attempt is made, for reads and
// for writes.
func TestFailuresThatCannotChangeAreNotRetried(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t, func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, r.URL.Path+"x", http.StatusFound)
	})
	badPort := &http.Transport{Proxy: http.ProxyURL(&url.URL{Scheme: "http", Host: "127.0.0.1:99999"})}
	t.Cleanup(badPort.CloseIdleConnections)
	cases := []struct {
		name     string
		next     http.RoundTripper
		path     string
		attempts int64
		hits     int
		want     string
	}{
		{"invalid port (a proxy's)", badPort, "x", 1, 0, "invalid port"},
		{"a permanent transport error", roundTripFunc(func(*http.Request) (*http.Response, error) {
			return nil, Permanent(errors.New("recording: folder is a file"))
		}), "x", 1, 0, "folder is a file"},
		// Only reads follow redirects: a redirected write is refused at
		// the first hop (ErrRedirectedWrite).
		{"redirect limit", http.DefaultTransport, "loop", 11, 11, "stopped after 10 redirects"},
	}
	for _, tc := range cases {
		methods := []string{http.MethodGet, http.MethodPut, http.MethodPost}
		if tc.path == "loop" {
			methods = []string{http.MethodGet, http.MethodHead}
		}
		for _, method := range methods {
			t.Run(tc.name+"/"+method, func(t *testing.T) {
				ct := &countingTransport{next: tc.next}
				c := newTestClient(t, ts.URL+"/api/v1/", withSettings(func(s *Settings) { s.HTTPClient = &http.Client{Transport: ct} }))
				before := ts.Hits()
				_, err := c.Do(t.Context(), &Request{Method: method, Path: []string{tc.path}}, nil)
				require.Error(t, err)
				assert.Contains(t, err.Error(), tc.want)
				assert.Equal(t, tc.attempts, ct.n.Load(), "requests handed to the HTTP client's transport")
				assert.Equal(t, tc.hits, ts.Hits()-before, "server hits")
				var te *TransportError
				require.ErrorAs(t, err, &te)
				assert.Equal(t, 1, te.Attempts)
			})
		}
	}
}

// TestTenRedirectsAreFollowed: the limit is ten hops; a chain of ten ends
// in the answer, after eleven requests.
func TestTenRedirectsAreFollowed(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t, func(w http.ResponseWriter, r *http.Request) {
		n, _ := strconv.Atoi(r.URL.Query().Get("n"))
		if n < 10 {
			http.Redirect(w, r, r.URL.Path+"?n="+strconv.Itoa(n+1), http.StatusFound)
		}
	})
	c := newTestClient(t, ts.URL+"/api/v1/")
	require.NoError(t, getX(c)(t.Context()))
	assert.Equal(t, 11, ts.Hits())
}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }
