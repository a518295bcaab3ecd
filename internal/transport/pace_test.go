package transport

import (
	"context"
	"net/http"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
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
	// In any window of length per there are at most limit requests.
	for i := limit; i < len(times); i++ {
		gap := times[i].Sub(times[i-limit])
		assert.GreaterOrEqual(t, gap, per-20*time.Millisecond, "request %d came %s after request %d", i, gap, i-limit)
	}
}

func TestRateLimitWaitEndsWithTheContext(t *testing.T) {
	t.Parallel()
	var hits atomic.Int32
	ts := newTestServer(t, func(w http.ResponseWriter, r *http.Request) { hits.Add(1) })
	c := newTestClient(t, ts.URL+"/api/v1/", withSettings(func(s *Settings) { s.RateLimit, s.RatePer = 1, time.Hour }))
	_, err := c.Do(t.Context(), &Request{Method: http.MethodGet, Path: []string{"x"}}, nil)
	require.NoError(t, err)
	ctx, cancel := context.WithTimeout(t.Context(), 100*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, err = c.Do(ctx, &Request{Method: http.MethodGet, Path: []string{"x"}}, nil)
	require.ErrorIs(t, err, context.DeadlineExceeded)
	assert.Less(t, time.Since(start), 2*time.Second)
	assert.EqualValues(t, 1, hits.Load(), "the paced request was never sent")
}
