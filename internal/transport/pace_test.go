package transport

import (
	"context"
	"errors"
	"net/http"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/time/rate"

	"github.com/orgsdk/orgsdk/internal/faulttest"
)

func TestRateLimitPacesRequests(t *testing.T) {
	t.Parallel()
	var mu sync.Mutex
	var times []time.Time
	ts := newTestServer(t, func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		times = append(times, time.Now())
		mu.Unlock()
	})
	const limit, per = 3, 300 * time.Millisecond
	c := newTestClient(t, ts.URL+"/api/v1/", withSettings(func(s *Settings) { s.RateLimit, s.RatePer = limit, per }))
	start := time.Now()
	var wg sync.WaitGroup
	for i := 0; i < 7; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, err := c.Do(t.Context(), &Request{Method: http.MethodGet, Path: []string{"x"}}, nil)
			assert.NoError(t, err)
		}()
	}
	wg.Wait()
	mu.Lock()
	defer mu.Unlock()
	require.Len(t, times, 7)
	// A bucket of limit tokens, full at the start, refilled at limit per
	// per: the first limit requests go at once, then one every per/limit.
	for i := limit; i < len(times); i++ {
		earliest := time.Duration(i-limit+1) * per / limit
		assert.GreaterOrEqual(t, times[i].Sub(start), earliest-10*time.Millisecond, "request %d", i)
	}
}

func TestRateLimitWaitEndsWithTheContext(t *testing.T) {
	t.Parallel()
	for _, end := range faulttest.WaitEnds() {
		t.Run(string(end), func(t *testing.T) {
			t.Parallel()
			ts := newTestServer(t, func(w http.ResponseWriter, r *http.Request) {})
			c := newTestClient(t, ts.URL+"/api/v1/", withSettings(func(s *Settings) { s.RateLimit, s.RatePer = 1, time.Hour }))
			require.NoError(t, getX(c)(t.Context()))
			ctx, cancel := end.Context(t.Context(), 50*time.Millisecond)
			defer cancel()
			start := time.Now()
			err := getX(c)(ctx)
			require.ErrorIs(t, err, end.Err())
			// The next slot is an hour away: seconds of slack for a
			// loaded machine still tell "ended with the context" apart.
			assert.Less(t, time.Since(start), 30*time.Second)
			assert.Equal(t, 1, ts.Hits(), "the paced request was never sent")
		})
	}
}

// TestSharedRateLimiter: two clients given one *rate.Limiter share its
// quota, and waits abandoned on one do not stall the other.
func TestSharedRateLimiter(t *testing.T) {
	t.Parallel()
	for _, end := range faulttest.WaitEnds() {
		t.Run(string(end), func(t *testing.T) {
			t.Parallel()
			ts := newTestServer(t, func(w http.ResponseWriter, r *http.Request) {})
			lim := rate.NewLimiter(rate.Every(faulttest.PacingInterval), 1)
			shared := withSettings(func(s *Settings) { require.NoError(t, s.SetLimiter(lim)) })
			a := newTestClient(t, ts.URL+"/api/v1/", shared)
			b := newTestClient(t, ts.URL+"/api/v1/", shared)
			faulttest.AbandonedWaits(t, end, ts.Hits, getX(a), getX(b))
		})
	}
}

// TestLimiterWaitsOncePerAttempt: retries and followed redirects each wait.
func TestLimiterWaitsOncePerAttempt(t *testing.T) {
	t.Parallel()
	var n atomic.Int32
	ts := newTestServer(t, func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/api/v1/retry":
			if n.Add(1) <= 2 {
				w.WriteHeader(http.StatusServiceUnavailable)
			}
		case "/api/v1/moved":
			http.Redirect(w, r, "/api/v1/there", http.StatusFound)
		}
	})
	cases := []struct {
		path        string
		hits, waits int
	}{
		{"retry", 3, 3},
		{"moved", 2, 2},
		{"plain", 1, 1},
	}
	for _, tc := range cases {
		lim := &faulttest.CountingLimiter{}
		c := newTestClient(t, ts.URL+"/api/v1/", withSettings(func(s *Settings) { require.NoError(t, s.SetLimiter(lim)) }))
		before := ts.Hits()
		_, err := c.Do(t.Context(), &Request{Method: http.MethodGet, Path: []string{tc.path}}, nil)
		require.NoError(t, err, tc.path)
		assert.Equal(t, tc.hits, ts.Hits()-before, tc.path)
		assert.Equal(t, tc.waits, lim.Waits(), tc.path)
	}
}

// TestLimiterErrorIsNotRetried: a limiter that refuses (a distributed one
// whose store is down, say) ends the call at once, for reads and writes.
func TestLimiterErrorIsNotRetried(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t, func(w http.ResponseWriter, r *http.Request) {})
	down := errors.New("quota store unreachable")
	for _, method := range []string{http.MethodGet, http.MethodPost} {
		lim := &faulttest.CountingLimiter{Err: down}
		c := newTestClient(t, ts.URL+"/api/v1/", withSettings(func(s *Settings) { require.NoError(t, s.SetLimiter(lim)) }))
		_, err := c.Do(t.Context(), &Request{Method: method, Path: []string{"x"}, Body: []byte(`{}`)}, nil)
		require.ErrorIs(t, err, down, method)
		assert.Contains(t, err.Error(), "client-side rate limit: quota store unreachable")
		assert.Equal(t, 1, lim.Waits(), method)
	}
	assert.Equal(t, 0, ts.Hits())
}

// TestLimiterEdgeCases: a limiter that can never let a request go fails at
// once; one that never refills waits for the context.
func TestLimiterEdgeCases(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t, func(w http.ResponseWriter, r *http.Request) {})
	client := func(l *rate.Limiter) *Client {
		return newTestClient(t, ts.URL+"/api/v1/", withSettings(func(s *Settings) { require.NoError(t, s.SetLimiter(l)) }))
	}

	err := getX(client(rate.NewLimiter(10, 0)))(t.Context())
	require.ErrorIs(t, err, errNoBurst)

	require.NoError(t, getX(client(rate.NewLimiter(rate.Inf, 0)))(t.Context()), "an infinite rate needs no burst")

	frozen := client(rate.NewLimiter(0, 1))
	require.NoError(t, getX(frozen)(t.Context()), "the one token of the burst")
	ctx, cancel := context.WithTimeout(t.Context(), time.Hour)
	defer cancel()
	start := time.Now()
	require.ErrorIs(t, getX(frozen)(ctx), context.DeadlineExceeded, "no token will ever come: fail before the deadline")
	assert.Less(t, time.Since(start), 30*time.Second, "not the hour of the deadline")
	cctx, ccancel := faulttest.ByCancel.Context(t.Context(), 20*time.Millisecond)
	defer ccancel()
	require.ErrorIs(t, getX(frozen)(cctx), context.Canceled)
	assert.Equal(t, 2, ts.Hits())
}

func TestLimiterOptions(t *testing.T) {
	t.Parallel()
	var s Settings
	require.ErrorContains(t, s.SetLimiter(nil), "WithLimiter: limiter is nil")
	require.ErrorContains(t, s.SetLimiter((*rate.Limiter)(nil)), "WithLimiter: limiter is nil")
	require.ErrorContains(t, s.SetLimiter((*faulttest.CountingLimiter)(nil)), "WithLimiter: limiter is nil")

	ts := newTestServer(t, func(w http.ResponseWriter, r *http.Request) {})
	base, err := NewSettings(ts.URL + "/api/v1/")
	require.NoError(t, err)
	require.NoError(t, base.SetLimiter(rate.NewLimiter(1, 1)))
	require.NoError(t, base.SetRateLimit(5, time.Second))
	_, err = New(Config{Provider: "test", Settings: base})
	require.ErrorIs(t, err, ErrInvalidArgument)
	assert.Contains(t, err.Error(), "orgsdk: test: invalid argument: WithRateLimit and WithLimiter cannot be combined")

	require.NoError(t, base.SetRateLimit(0, 0))
	_, err = New(Config{Provider: "test", Settings: base})
	require.NoError(t, err, "WithRateLimit(0, 0) turns the shorthand off")
}

func TestNewRateLimiter(t *testing.T) {
	t.Parallel()
	l := NewRateLimiter(20, 2*time.Second)
	assert.Equal(t, 20, l.Burst())
	assert.InDelta(t, 10, float64(l.Limit()), 1e-9)
	assert.InDelta(t, 20, l.Tokens(), 1e-6, "full at the start")
}

// TestAbandonedPacingWaitsLeaveNoGoroutine checks what the package's
// TestMain checks at exit, for the waits alone: none outlives its call.
// Not parallel, so no other test's goroutines are counted.
func TestAbandonedPacingWaitsLeaveNoGoroutine(t *testing.T) {
	faulttest.NoLeaks(t)
	ts := newTestServer(t, func(w http.ResponseWriter, r *http.Request) {})
	for _, l := range []Limiter{rate.NewLimiter(rate.Every(time.Hour), 1), blockingLimiter{}} {
		c := newTestClient(t, ts.URL+"/api/v1/", withSettings(func(s *Settings) { require.NoError(t, s.SetLimiter(l)) }))
		if _, ok := l.(*rate.Limiter); ok {
			require.NoError(t, getX(c)(t.Context()), "takes the only token")
		}
		var wg sync.WaitGroup
		for i := range 20 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				end := faulttest.WaitEnds()[i%2]
				ctx, cancel := end.Context(t.Context(), 10*time.Millisecond)
				defer cancel()
				assert.ErrorIs(t, getX(c)(ctx), end.Err())
			}()
		}
		wg.Wait()
	}
}

// blockingLimiter never lets a request go; it returns when ctx ends.
type blockingLimiter struct{}

func (blockingLimiter) Wait(ctx context.Context) error {
	<-ctx.Done()
	return ctx.Err()
}
