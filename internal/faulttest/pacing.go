package faulttest

// Pacing, waits and leaks (issue 19, groups 1, 7 and 9, and the goroutine
// checks of its "Also deliver"): the scenarios every provider runs against
// its own client, written once.

import (
	"context"
	"errors"
	"iter"
	"net/http"
	"os"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"
	"golang.org/x/time/rate"

	"github.com/orgsdk/orgsdk"
)

// WaitEnd is how a caller's context ends while its call waits.
type WaitEnd string

// The two ways a wait is abandoned.
const (
	// ByCancel: the caller cancels the context.
	ByCancel WaitEnd = "cancel"
	// ByDeadline: the context's deadline passes.
	ByDeadline WaitEnd = "deadline"
)

// WaitEnds lists every WaitEnd, for table-driven tests.
func WaitEnds() []WaitEnd { return []WaitEnd{ByCancel, ByDeadline} }

// Context returns a child of parent that ends after d, the way e says.
func (e WaitEnd) Context(parent context.Context, d time.Duration) (context.Context, context.CancelFunc) {
	if e == ByDeadline {
		return context.WithTimeout(parent, d)
	}
	ctx, cancel := context.WithCancel(parent)
	t := time.AfterFunc(d, cancel)
	return ctx, func() { t.Stop(); cancel() }
}

// Err is the error a call abandoned this way must match.
func (e WaitEnd) Err() error {
	if e == ByDeadline {
		return context.DeadlineExceeded
	}
	return context.Canceled
}

// PacingInterval is the pace of AbandonedWaits' clients: one request per
// PacingInterval (WithRateLimit(1, PacingInterval), or a shared
// rate.NewLimiter(rate.Every(PacingInterval), 1)). It is long beside the
// 50 ms the waiters wait, so that a waiter the scheduler starts late on a
// loaded machine still gives up long before a slot frees: with 300 ms, a
// goroutine started 250 ms late under -race could reach the slot and the
// server, and the test failed without a bug.
const PacingInterval = time.Second

// AbandonedWaits is issue 19.1's scenario, for clients paced to one request
// per PacingInterval. The first call takes the only slot; ten calls then
// wait for the next one and are abandoned after 50 ms, the way end says; a
// last call with a deadline of two intervals must then get through,
// though the ten booked ten intervals of slots between them had they kept
// them. calls are used in turn (the first call on calls[0], the last on the
// last one), so two clients sharing one limiter can be tested together.
// hits counts the requests that reached the server.
func AbandonedWaits(t *testing.T, end WaitEnd, hits func() int, calls ...func(context.Context) error) {
	t.Helper()
	require.NotEmpty(t, calls)
	require.NoError(t, calls[0](t.Context()), "the first call takes the only slot")
	require.Equal(t, 1, hits())
	const waiters = 10
	// The contexts are made before any waiter starts, so each one's 50 ms
	// run from now, however late its goroutine is scheduled.
	ctxs := make([]context.Context, waiters)
	for i := range ctxs {
		ctx, cancel := end.Context(t.Context(), 50*time.Millisecond)
		defer cancel()
		ctxs[i] = ctx
	}
	errs := make([]error, waiters)
	var wg sync.WaitGroup
	for i := range waiters {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = calls[i%len(calls)](ctxs[i])
		}()
	}
	wg.Wait()
	for i, err := range errs {
		assert.ErrorIs(t, err, end.Err(), "abandoned call %d", i)
	}
	assert.Equal(t, 1, hits(), "no abandoned call reached the server")
	ctx, cancel := context.WithTimeout(t.Context(), 2*PacingInterval)
	defer cancel()
	require.NoError(t, calls[len(calls)-1](ctx), "ten abandoned waits must not keep their slots")
	assert.Equal(t, 2, hits())
}

// CountingLimiter is a Limiter (orgsdk.Limiter) that lets every request go
// and counts its Wait calls; Err, when set, is what Wait returns instead.
type CountingLimiter struct {
	n   atomic.Int64
	Err error
}

// Wait counts the call and returns Err, or the context's error when it has
// ended.
func (l *CountingLimiter) Wait(ctx context.Context) error {
	l.n.Add(1)
	if err := ctx.Err(); err != nil {
		return err
	}
	return l.Err
}

// Waits is how many times Wait was called.
func (l *CountingLimiter) Waits() int { return int(l.n.Load()) }

// NoLeaks fails t when a goroutine started during t outlives it and its
// cleanups (servers closed, walks ended). Call it first in a test that
// does not run in parallel, so others' goroutines are not counted; every
// package also checks at exit (goleak.VerifyTestMain in its TestMain).
func NoLeaks(t *testing.T) {
	t.Helper()
	ignore := goleak.IgnoreCurrent()
	t.Cleanup(func() { goleak.VerifyNone(t, ignore) })
}

// StalledServer answers nothing until t ends: with stallBody it sends the
// headers and the first bytes of a body and then goes silent, otherwise it
// never answers at all. Its hits are counted like a Server's.
func StalledServer(t *testing.T, stallBody bool) *Server {
	t.Helper()
	release := make(chan struct{})
	srv := NewServer(t, func(w http.ResponseWriter, r *http.Request, _ []byte) bool {
		if stallBody {
			w.Header().Set("Content-Type", "application/json")
			w.Header().Set("Content-Length", "100")
			w.WriteHeader(http.StatusOK)
			_, _ = w.Write([]byte(`{"a`))
			w.(http.Flusher).Flush()
		}
		select {
		case <-release:
		case <-r.Context().Done():
		}
		return true
	}, nil)
	// Cleanups run last-in first-out: the handlers are released before
	// the server's Close waits for them.
	t.Cleanup(func() { close(release) })
	return srv
}

// UnwritableDirs returns folders a recorder cannot write to, by name: a
// path that is a file, and a folder under a file.
func UnwritableDirs(t *testing.T) map[string]string {
	t.Helper()
	file := t.TempDir() + "/file"
	require.NoError(t, os.WriteFile(file, []byte("x"), 0o644))
	return map[string]string{
		"a file":             file,
		"a folder in a file": file + "/sub",
	}
}

// RetryAfterServer answers every request with status, a small JSON error
// body and, unless retryAfter is "", that Retry-After; each answer, once
// written, is reported on the returned channel.
func RetryAfterServer(t *testing.T, status int, retryAfter string) (*Server, <-chan struct{}) {
	t.Helper()
	answered := make(chan struct{}, 100)
	srv := NewServer(t, func(w http.ResponseWriter, _ *http.Request, _ []byte) bool {
		if retryAfter != "" {
			w.Header().Set("Retry-After", retryAfter)
		}
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		_, _ = w.Write([]byte(`{"message":"slow down"}`))
		w.(http.Flusher).Flush()
		answered <- struct{}{}
		return true
	}, nil)
	return srv, answered
}

// CancelOnAnswer returns a context that is cancelled 20 ms after the first
// answer is reported on answered: the client is then waiting to retry.
func CancelOnAnswer(t *testing.T, answered <-chan struct{}) context.Context {
	t.Helper()
	ctx, cancel := context.WithCancel(t.Context())
	t.Cleanup(cancel)
	go func() {
		select {
		case <-answered:
			time.Sleep(20 * time.Millisecond)
		case <-ctx.Done():
		}
		cancel()
	}()
	return ctx
}

// AssertInterruptedWait checks the error of a call cancelled while it
// waited to retry an answer of status (issue 19.7): it matches
// context.Canceled and, when rateLimited, ErrRateLimited, and errors.As
// finds the answer's *APIError with its RetryAfter.
func AssertInterruptedWait(t *testing.T, err error, status int, rateLimited bool, retryAfter time.Duration) {
	t.Helper()
	require.ErrorIs(t, err, context.Canceled)
	assert.Equal(t, rateLimited, errors.Is(err, orgsdk.ErrRateLimited), "matches ErrRateLimited: %v", err)
	var apiErr *orgsdk.APIError
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, status, apiErr.StatusCode)
	assert.Equal(t, retryAfter, apiErr.RetryAfter)
	assert.Equal(t, 1, apiErr.Attempts)
	assert.Contains(t, err.Error(), "gave up waiting to retry: context canceled")
}

// WalkEnds ends a walk early in every way a caller can, with prefetch off
// and on: all is the provider's All over a list of several items. It is
// WalkEndsAt with prefetch 0 and 1.
func WalkEnds[T any](t *testing.T, paged bool, all func(ctx context.Context, prefetch bool) iter.Seq2[T, error]) {
	t.Helper()
	WalkEndsAt(t, paged, []int{0, 1}, func(ctx context.Context, n int) iter.Seq2[T, error] { return all(ctx, n > 0) })
}

// WalkEndsAt ends a walk early in every way a caller can, with each of the
// given prefetch depths (WithPrefetch(n)): all is the provider's All over a
// list of several items. Breaking after the first item ends the range at
// once; cancelling the context after the first item and ranging on ends
// it, when paged, with an error matching context.Canceled (a list of one
// page has nothing left to fetch), even when the pages after it had
// already arrived. Call NoLeaks first: no walk may leave a goroutine
// behind (a prefetch still running, a fetch still waiting).
func WalkEndsAt[T any](t *testing.T, paged bool, prefetch []int, all func(ctx context.Context, prefetch int) iter.Seq2[T, error]) {
	t.Helper()
	for _, prefetch := range prefetch {
		n := 0
		for _, err := range all(t.Context(), prefetch) {
			require.NoError(t, err)
			n++
			break
		}
		assert.Equal(t, 1, n, "break after the first item (prefetch %d)", prefetch)

		ctx, cancel := context.WithCancel(t.Context())
		var last error
		items := 0
		for _, err := range all(ctx, prefetch) {
			if err != nil {
				last = err
				continue
			}
			items++
			cancel()
		}
		cancel()
		if paged || last != nil {
			assert.ErrorIs(t, last, context.Canceled, "cancelled mid-walk (prefetch %d) after %d items", prefetch, items)
		}
	}
}

// RetryWaitCase is one answer a call waits to retry: its status, its
// Retry-After ("" for none: the client's own backoff), whether the error
// must match ErrRateLimited, and the RetryAfter it must carry.
type RetryWaitCase struct {
	Name        string
	Status      int
	RetryAfter  string
	RateLimited bool
	Wait        time.Duration
	// Writes: a write is retried after this answer too (429 only).
	Writes bool
}

// RetryWaitCases are the answers of issue 19.7.
func RetryWaitCases() []RetryWaitCase {
	return []RetryWaitCase{
		{"429 Retry-After", http.StatusTooManyRequests, "3", true, 3 * time.Second, true},
		{"429 backoff", http.StatusTooManyRequests, "", true, 0, true},
		{"503 Retry-After", http.StatusServiceUnavailable, "3", true, 3 * time.Second, false},
		{"503 backoff", http.StatusServiceUnavailable, "", false, 0, false},
	}
}

// RetryWaitCancelled runs every RetryWaitCase against a provider (issue
// 19.7): client builds its client for srv with retry waits of seconds
// (WithRetryWait(5*time.Second, 10*time.Second)), and each call of calls
// (by name) is cancelled while it waits to retry; writes names the calls
// that are writes. Each must return the answer joined with the context's
// error, after one request.
func RetryWaitCancelled[C any](t *testing.T, client func(t *testing.T, srv *Server) C, calls map[string]func(context.Context, C) error, writes ...string) {
	t.Helper()
	for _, tc := range RetryWaitCases() {
		for name, call := range calls {
			if !tc.Writes && slices.Contains(writes, name) {
				continue
			}
			t.Run(tc.Name+"/"+name, func(t *testing.T) {
				t.Parallel()
				srv, answered := RetryAfterServer(t, tc.Status, tc.RetryAfter)
				c := client(t, srv)
				err := call(CancelOnAnswer(t, answered), c)
				AssertInterruptedWait(t, err, tc.Status, tc.RateLimited, tc.Wait)
				assert.Equal(t, 1, srv.Total())
			})
		}
	}
}

// LimiterOptionConflicts checks a provider's pacing options (issue 19.1):
// a nil limiter, typed or not, and WithRateLimit with WithLimiter in either
// order are ErrInvalidArgument naming the options; WithRateLimit(0, 0) is
// off, so it combines. build is NewClient with the provider's required
// arguments.
func LimiterOptionConflicts[O any](t *testing.T, provider string, withLimiter func(orgsdk.Limiter) O, withRateLimit func(int, time.Duration) O, build func(...O) error) {
	t.Helper()
	lim := rate.NewLimiter(1, 1)
	cases := map[string][]O{
		"nil limiter":                {withLimiter(nil)},
		"nil *rate.Limiter":          {withLimiter((*rate.Limiter)(nil))},
		"WithRateLimit, WithLimiter": {withRateLimit(5, time.Second), withLimiter(lim)},
		"WithLimiter, WithRateLimit": {withLimiter(lim), withRateLimit(5, time.Second)},
	}
	for name, opts := range cases {
		err := build(opts...)
		require.ErrorIs(t, err, orgsdk.ErrInvalidArgument, name)
		assert.Regexp(t, `^orgsdk: `+provider+`: invalid argument: With(RateLimit and WithLimiter cannot be combined|Limiter: limiter is nil)`, err.Error(), name)
	}
	require.NoError(t, build(withRateLimit(0, 0), withLimiter(lim)), "WithRateLimit(0, 0) is off, so there is nothing to combine")
}

// AssertRefusedOption checks NewClient's error for an option given a value
// no header may carry (issue 19.8): ErrInvalidArgument, naming the option,
// never quoting the value (which holds mark).
func AssertRefusedOption(t *testing.T, err error, option, mark, name string) {
	t.Helper()
	require.ErrorIs(t, err, orgsdk.ErrInvalidArgument, name)
	assert.Contains(t, err.Error(), option, name)
	assert.NotContains(t, err.Error(), mark, name)
}

// CountingTransport counts the requests handed to it, by method, before
// passing them to Next (http.DefaultTransport when nil).
type CountingTransport struct {
	Next http.RoundTripper
	mu   sync.Mutex
	n    map[string]int
}

// RoundTrip counts r and sends it.
func (c *CountingTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	c.mu.Lock()
	if c.n == nil {
		c.n = map[string]int{}
	}
	c.n[r.Method]++
	c.mu.Unlock()
	next := c.Next
	if next == nil {
		next = http.DefaultTransport
	}
	return next.RoundTrip(r)
}

// Count is how many requests with method went through ("" for all).
func (c *CountingTransport) Count(method string) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	if method != "" {
		return c.n[method]
	}
	total := 0
	for _, n := range c.n {
		total += n
	}
	return total
}

// AbandonedWaitsEveryWay runs AbandonedWaits for every WaitEnd against a
// provider: one client paced with WithRateLimit(1, PacingInterval), and
// two clients sharing one *rate.Limiter of that rate through
// WithLimiter. server starts a fresh server; client builds the provider's
// client for it with opts; call is the request the scenario makes.
func AbandonedWaitsEveryWay[C, O any](t *testing.T, server func(*testing.T) *Server, client func(t *testing.T, srv *Server, opts ...O) C,
	withRateLimit func(int, time.Duration) O, withLimiter func(orgsdk.Limiter) O, call func(C) func(context.Context) error) {
	t.Helper()
	for _, end := range WaitEnds() {
		t.Run("WithRateLimit/"+string(end), func(t *testing.T) {
			t.Parallel()
			srv := server(t)
			c := client(t, srv, withRateLimit(1, PacingInterval))
			AbandonedWaits(t, end, srv.Total, call(c))
		})
		t.Run("shared WithLimiter/"+string(end), func(t *testing.T) {
			t.Parallel()
			srv := server(t)
			lim := rate.NewLimiter(rate.Every(PacingInterval), 1)
			AbandonedWaits(t, end, srv.Total, call(client(t, srv, withLimiter(lim))), call(client(t, srv, withLimiter(lim))))
		})
	}
}
