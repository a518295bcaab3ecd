package transport

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// hangUp closes the connection without answering: a transport error after
// the request was written.
func hangUp(w http.ResponseWriter) {
	hj, ok := w.(http.Hijacker)
	if !ok {
		panic("test server cannot hijack")
	}
	conn, _, err := hj.Hijack()
	if err == nil {
		conn.Close()
	}
}

func TestRetryMatrix(t *testing.T) {
	t.Parallel()
	const maxRetries = 2
	all := maxRetries + 1
	methods := []string{http.MethodGet, http.MethodHead, http.MethodPut, http.MethodDelete, http.MethodOptions, http.MethodPost, http.MethodPatch}
	idem := map[string]bool{http.MethodGet: true, http.MethodHead: true, http.MethodPut: true, http.MethodDelete: true, http.MethodOptions: true}
	cases := []struct {
		name    string
		status  int
		attempt func(method string) int
	}{
		{"429", 429, func(string) int { return all }},
		{"500", 500, func(m string) int { return pick(idem[m], all, 1) }},
		{"502", 502, func(m string) int { return pick(idem[m], all, 1) }},
		{"503", 503, func(m string) int { return pick(idem[m], all, 1) }},
		{"504", 504, func(m string) int { return pick(idem[m], all, 1) }},
		{"501", 501, func(string) int { return 1 }},
		{"400", 400, func(string) int { return 1 }},
		{"401", 401, func(string) int { return 1 }},
		{"404", 404, func(string) int { return 1 }},
		{"409", 409, func(string) int { return 1 }},
		{"422", 422, func(string) int { return 1 }},
		{"connection dropped after write", 0, func(m string) int { return pick(idem[m], all, 1) }},
	}
	for _, tc := range cases {
		for _, method := range methods {
			t.Run(tc.name+"/"+method, func(t *testing.T) {
				t.Parallel()
				ts := newTestServer(t, func(w http.ResponseWriter, r *http.Request) {
					_, _ = io.Copy(io.Discard, r.Body)
					if tc.status == 0 {
						hangUp(w)
						return
					}
					w.Header().Set("Content-Type", "application/json")
					w.WriteHeader(tc.status)
					_, _ = w.Write([]byte(`{"message":"x"}`))
				})
				c := newTestClient(t, ts.URL+"/api/v1/", withSettings(func(s *Settings) { s.MaxRetries = maxRetries }))
				var body any
				if method == http.MethodPost || method == http.MethodPatch || method == http.MethodPut {
					body = map[string]string{"name": "x"}
				}
				_, err := c.Do(t.Context(), &Request{Method: method, Path: []string{"orgs"}, Body: body}, nil)
				require.Error(t, err)
				assert.Equal(t, tc.attempt(method), ts.Hits(), "attempts")
				if tc.status != 0 {
					var apiErr *APIError
					require.ErrorAs(t, err, &apiErr)
					assert.Equal(t, tc.status, apiErr.StatusCode)
				} else {
					var te *TransportError
					require.ErrorAs(t, err, &te)
				}
			})
		}
	}
}

func pick(cond bool, a, b int) int {
	if cond {
		return a
	}
	return b
}

// countingTransport counts round trips, including ones that never reach a
// server.
type countingTransport struct {
	next http.RoundTripper
	n    atomic.Int64
}

func (c *countingTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	c.n.Add(1)
	return c.next.RoundTrip(r)
}

func closedAddr(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	addr := l.Addr().String()
	require.NoError(t, l.Close())
	return addr
}

func TestWritesRetriedWhenNeverSent(t *testing.T) {
	t.Parallel()
	for _, method := range []string{http.MethodPost, http.MethodPatch, http.MethodGet} {
		t.Run(method, func(t *testing.T) {
			t.Parallel()
			ct := &countingTransport{next: http.DefaultTransport}
			c := newTestClient(t, "http://"+closedAddr(t)+"/api/v1/", withSettings(func(s *Settings) {
				s.MaxRetries = 2
				s.HTTPClient = &http.Client{Transport: ct}
			}))
			_, err := c.Do(t.Context(), &Request{Method: method, Path: []string{"orgs"}, Body: map[string]int{"a": 1}}, nil)
			require.Error(t, err)
			assert.Equal(t, int64(3), ct.n.Load(), "connection refused happens before the request is written")
			var te *TransportError
			require.ErrorAs(t, err, &te)
			assert.True(t, isDialError(err))
		})
	}
}

func TestRetryAfterSecondsIsHonoured(t *testing.T) {
	t.Parallel()
	var first time.Time
	var gap time.Duration
	ts := newTestServer(t, func(w http.ResponseWriter, r *http.Request) {
		if first.IsZero() {
			first = time.Now()
			w.Header().Set("Retry-After", "1")
			w.WriteHeader(http.StatusTooManyRequests)
			return
		}
		gap = time.Since(first)
		w.WriteHeader(http.StatusOK)
	})
	c := newTestClient(t, ts.URL+"/api/v1/", withSettings(func(s *Settings) { s.RetryWaitMax = 2 * time.Second }))
	_, err := c.Do(t.Context(), &Request{Method: http.MethodPost, Path: []string{"x"}}, nil)
	require.NoError(t, err)
	assert.Equal(t, 2, ts.Hits())
	assert.GreaterOrEqual(t, gap, 900*time.Millisecond, "the server's Retry-After sets the wait, not the 1ms backoff")
}

func TestServerWaitSources(t *testing.T) {
	t.Parallel()
	// Each header is made when the server answers, not when the table is
	// built: parallel subtests start when the machine gets to them, seconds
	// later under load, and a date made then would have moved closer.
	tests := []struct {
		name   string
		status int
		header func(now time.Time) map[string]string
		want   time.Duration
	}{
		{"retry-after seconds", 429, func(time.Time) map[string]string { return map[string]string{"Retry-After": "120"} }, 120 * time.Second},
		{"retry-after date", 503, func(now time.Time) map[string]string {
			return map[string]string{"Retry-After": now.Add(90 * time.Second).UTC().Format(http.TimeFormat)}
		}, 90 * time.Second},
		{"ratelimit reset epoch", 429, func(now time.Time) map[string]string {
			return map[string]string{"X-RateLimit-Reset": strconv.FormatInt(now.Add(300*time.Second).Unix(), 10)}
		}, 300 * time.Second},
		{"ratelimit reset lower-case", 429, func(now time.Time) map[string]string {
			return map[string]string{"x-ratelimit-reset": strconv.FormatInt(now.Add(60*time.Second).Unix(), 10)}
		}, 60 * time.Second},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			ts := newTestServer(t, func(w http.ResponseWriter, r *http.Request) {
				for k, v := range tt.header(time.Now()) {
					w.Header().Set(k, v)
				}
				w.WriteHeader(tt.status)
			})
			c := newTestClient(t, ts.URL+"/api/v1/", withSettings(func(s *Settings) { s.RetryWaitMax = 10 * time.Second }))
			start := time.Now()
			_, err := c.Do(t.Context(), &Request{Method: http.MethodGet, Path: []string{"x"}}, nil)
			elapsed := time.Since(start)
			require.Error(t, err)
			assert.ErrorIs(t, err, ErrRateLimited)
			var apiErr *APIError
			require.ErrorAs(t, err, &apiErr)
			// HTTP dates and epoch resets are whole seconds (up to one
			// lost), and the answer takes its own time to be read.
			assert.LessOrEqual(t, apiErr.RetryAfter, tt.want)
			assert.Greater(t, apiErr.RetryAfter, tt.want-1*time.Second-elapsed)
			assert.Equal(t, 1, ts.Hits(), "a wait beyond the max is not slept")
			assert.Less(t, elapsed, 10*time.Second, "no wait was slept: not the server's, not RetryWaitMax")
		})
	}
}

func TestWaitPastDeadlineReturnsAtOnce(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Retry-After", "5")
		w.WriteHeader(http.StatusTooManyRequests)
	})
	c := newTestClient(t, ts.URL+"/api/v1/", withSettings(func(s *Settings) { s.RetryWaitMax = time.Minute }))
	// The deadline comes before the 5 s the server asks for: the call
	// returns the answer at once, while the context is still alive,
	// rather than sleeping into the deadline.
	ctx, cancel := context.WithTimeout(t.Context(), 4*time.Second)
	defer cancel()
	_, err := c.Do(ctx, &Request{Method: http.MethodGet, Path: []string{"x"}}, nil)
	require.ErrorIs(t, err, ErrRateLimited)
	require.NoError(t, ctx.Err(), "returned before the deadline, not at it")
	var apiErr *APIError
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, 5*time.Second, apiErr.RetryAfter)
	assert.Equal(t, 1, ts.Hits())
}

func TestRetryExhaustionKeepsRetryAfter(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Retry-After", "0")
		w.WriteHeader(http.StatusTooManyRequests)
	})
	c := newTestClient(t, ts.URL+"/api/v1/", withSettings(func(s *Settings) { s.MaxRetries = 3 }))
	_, err := c.Do(t.Context(), &Request{Method: http.MethodPost, Path: []string{"x"}}, nil)
	require.ErrorIs(t, err, ErrRateLimited)
	assert.Equal(t, 4, ts.Hits())
}

func TestContextCancelledMidWait(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t, func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusServiceUnavailable)
	})
	c := newTestClient(t, ts.URL+"/api/v1/", withSettings(func(s *Settings) {
		s.RetryWaitMin, s.RetryWaitMax = 10*time.Second, 10*time.Second
	}))
	ctx, cancel := context.WithCancel(t.Context())
	var cancelledAt atomic.Int64
	time.AfterFunc(30*time.Millisecond, func() {
		cancelledAt.Store(time.Now().UnixNano())
		cancel()
	})
	_, err := c.Do(ctx, &Request{Method: http.MethodGet, Path: []string{"x"}}, nil)
	returned := time.Now()
	require.ErrorIs(t, err, context.Canceled)
	// Seconds of slack for a loaded machine, far below the 10 s wait.
	assert.Less(t, returned.Sub(time.Unix(0, cancelledAt.Load())), 3*time.Second, "the 10s wait ends with the context")
	assert.Equal(t, 1, ts.Hits())
}

func TestBackoffPastDeadlineStopsRetrying(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t, func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusBadGateway)
	})
	c := newTestClient(t, ts.URL+"/api/v1/", withSettings(func(s *Settings) {
		s.RetryWaitMin, s.RetryWaitMax = 5*time.Second, 5*time.Second
	}))
	// A backoff of 5 s cannot end before a 4 s deadline: the call stops
	// retrying at once, while the context is still alive.
	ctx, cancel := context.WithTimeout(t.Context(), 4*time.Second)
	defer cancel()
	_, err := c.Do(ctx, &Request{Method: http.MethodGet, Path: []string{"x"}}, nil)
	require.NoError(t, ctx.Err(), "returned before the deadline, not at it")
	var apiErr *APIError
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, http.StatusBadGateway, apiErr.StatusCode)
	assert.Equal(t, 1, ts.Hits())
}

func TestBodyReplayedOnRetry(t *testing.T) {
	t.Parallel()
	var bodies []string
	ts := newTestServer(t, func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		bodies = append(bodies, string(b))
		if len(bodies) < 3 {
			w.WriteHeader(http.StatusServiceUnavailable)
			return
		}
		w.WriteHeader(http.StatusOK)
	})
	c := newTestClient(t, ts.URL+"/api/v1/")
	_, err := c.Do(t.Context(), &Request{Method: http.MethodPut, Path: []string{"x"}, Body: map[string]string{"name": "Widget"}}, nil)
	require.NoError(t, err)
	assert.Equal(t, []string{`{"name":"Widget"}`, `{"name":"Widget"}`, `{"name":"Widget"}`}, bodies)
}

func TestFailedAttemptConnectionIsReused(t *testing.T) {
	t.Parallel()
	var conns atomic.Int64
	var n atomic.Int64
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if n.Add(1) < 4 {
			w.WriteHeader(http.StatusServiceUnavailable)
			_, _ = w.Write([]byte(strings.Repeat("x", 2000)))
			return
		}
		w.WriteHeader(http.StatusOK)
	}))
	srv.Config.ConnState = func(_ net.Conn, s http.ConnState) {
		if s == http.StateNew {
			conns.Add(1)
		}
	}
	srv.Start()
	t.Cleanup(srv.Close)
	c := newTestClient(t, srv.URL+"/api/v1/")
	_, err := c.Do(t.Context(), &Request{Method: http.MethodGet, Path: []string{"x"}}, nil)
	require.NoError(t, err)
	assert.Equal(t, int64(4), n.Load())
	assert.Equal(t, int64(1), conns.Load(), "drained bodies let every retry reuse the connection")
}

func TestAuthAppliedOnEveryAttempt(t *testing.T) {
	t.Parallel()
	var auths []string
	ts := newTestServer(t, func(w http.ResponseWriter, r *http.Request) {
		auths = append(auths, r.Header.Get("Authorization"))
		if len(auths) < 3 {
			w.WriteHeader(http.StatusTooManyRequests)
			return
		}
	})
	var calls atomic.Int64
	c := newTestClient(t, ts.URL+"/api/v1/", withAuth(func(r *http.Request) {
		r.Header.Set("Authorization", "Bearer t"+strconv.FormatInt(calls.Add(1), 10))
	}))
	_, err := c.Do(t.Context(), &Request{Method: http.MethodGet, Path: []string{"x"}}, nil)
	require.NoError(t, err)
	assert.Equal(t, []string{"Bearer t1", "Bearer t2", "Bearer t3"}, auths, "a renewed credential is picked up by the next attempt")
}

func TestNoAuthSkipsCredentials(t *testing.T) {
	t.Parallel()
	var got string
	ts := newTestServer(t, func(w http.ResponseWriter, r *http.Request) { got = r.Header.Get("Authorization") })
	c := newTestClient(t, ts.URL+"/api/v1/", withAuth(bearerAuth))
	_, err := c.Do(t.Context(), &Request{Method: http.MethodPost, Path: []string{"Login"}, NoAuth: true}, nil)
	require.NoError(t, err)
	assert.Empty(t, got)
}

func TestNonRetryableTransportErrors(t *testing.T) {
	t.Parallel()
	tls := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}))
	tls.Config.ErrorLog = log.New(io.Discard, "", 0)
	tls.StartTLS()
	t.Cleanup(tls.Close)
	ct := &countingTransport{next: http.DefaultTransport}
	c := newTestClient(t, tls.URL+"/api/v1/", withSettings(func(s *Settings) { s.HTTPClient = &http.Client{Transport: ct} }))
	_, err := c.Do(t.Context(), &Request{Method: http.MethodGet, Path: []string{"x"}}, nil)
	require.Error(t, err)
	assert.Equal(t, int64(1), ct.n.Load(), "an untrusted certificate fails the same way every time")
	assert.False(t, errors.Is(err, ErrRateLimited))
}

func TestParseRetryAfter(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	tests := []struct {
		in   string
		want time.Duration
		ok   bool
	}{
		{"0", 0, true},
		{"7", 7 * time.Second, true},
		{" 30 ", 30 * time.Second, true},
		{now.Add(45 * time.Second).Format(http.TimeFormat), 45 * time.Second, true},
		{now.Add(-45 * time.Second).Format(http.TimeFormat), 0, true},
		{"-3", 0, false},
		{"soon", 0, false},
		{"", 0, false},
	}
	for _, tt := range tests {
		got, ok := ParseRetryAfter(tt.in, now)
		assert.Equal(t, tt.ok, ok, tt.in)
		assert.Equal(t, tt.want, got, tt.in)
	}
}

func TestBackoffBounds(t *testing.T) {
	t.Parallel()
	c := &Client{waitMin: 10 * time.Millisecond, waitMax: 80 * time.Millisecond}
	for attempt := 0; attempt < 70; attempt++ {
		for i := 0; i < 20; i++ {
			d := c.backoff(attempt)
			assert.GreaterOrEqual(t, d, c.waitMin)
			assert.LessOrEqual(t, d, c.waitMax)
			if attempt == 0 {
				assert.Equal(t, c.waitMin, d)
			}
		}
	}
}

// TestOnceFollowsTheWriteRule: a PUT or DELETE marked Once is resent only
// as a POST is: after a 429 (the server did nothing) or when it never left
// (connection refused), never after a server error or a connection
// dropped once it was sent. Unmarked, the same methods are retried.
func TestOnceFollowsTheWriteRule(t *testing.T) {
	t.Parallel()
	const maxRetries = 2
	all := maxRetries + 1
	cases := []struct {
		name   string
		status int // 0: the connection is dropped after the request arrives
		hits   int
	}{
		{"429", 429, all},
		{"500", 500, 1},
		{"503", 503, 1},
		{"504", 504, 1},
		{"connection dropped after write", 0, 1},
	}
	for _, tc := range cases {
		for _, method := range []string{http.MethodPut, http.MethodDelete} {
			for _, once := range []bool{true, false} {
				want := tc.hits
				if !once {
					want = all
				}
				t.Run(fmt.Sprintf("%s/%s/once=%t", tc.name, method, once), func(t *testing.T) {
					t.Parallel()
					ts := newTestServer(t, func(w http.ResponseWriter, r *http.Request) {
						_, _ = io.Copy(io.Discard, r.Body)
						if tc.status == 0 {
							hangUp(w)
							return
						}
						w.Header().Set("Content-Type", "application/json")
						w.WriteHeader(tc.status)
						_, _ = w.Write([]byte(`{"message":"x"}`))
					})
					c := newTestClient(t, ts.URL+"/api/v1/", withSettings(func(s *Settings) { s.MaxRetries = maxRetries }))
					_, err := c.Do(t.Context(), &Request{Method: method, Path: []string{"orgs", "1"}, Body: map[string]string{"name": "x"}, Once: once}, nil)
					require.Error(t, err)
					assert.Equal(t, want, ts.Hits(), "requests that reached the server")
				})
			}
		}
	}

	t.Run("never sent", func(t *testing.T) {
		t.Parallel()
		ct := &countingTransport{next: http.DefaultTransport}
		c := newTestClient(t, "http://"+closedAddr(t)+"/api/v1/", withSettings(func(s *Settings) {
			s.MaxRetries = maxRetries
			s.HTTPClient = &http.Client{Transport: ct}
		}))
		_, err := c.Do(t.Context(), &Request{Method: http.MethodDelete, Path: []string{"orgs", "1"}, Once: true}, nil)
		require.Error(t, err)
		assert.Equal(t, int64(all), ct.n.Load(), "a request refused before it was written cannot have been acted on")
	})
}
