package faulttest

// Pacing, waits and leaks (issue 19, groups 1, 7 and 9, and the goroutine
// checks of its "Also deliver"): the scenarios every provider runs against
// its own client, written once.

import (
	"context"
	"net/http"
	"os"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"
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

// AbandonedWaits is issue 19.1's scenario, for clients paced to one request
// per 300 ms (WithRateLimit(1, 300*time.Millisecond), or a shared limiter
// of that rate). The first call takes the only slot; ten calls then wait
// for the next one and are abandoned after 50 ms, the way end says; a last
// call with a 1 s deadline must then get through, though the ten booked
// 3 s of slots between them had they kept them. calls are used in turn
// (the first call on calls[0], the last on the last one), so two clients
// sharing one limiter can be tested together. hits counts the requests that
// reached the server.
func AbandonedWaits(t *testing.T, end WaitEnd, hits func() int, calls ...func(context.Context) error) {
	t.Helper()
	require.NotEmpty(t, calls)
	require.NoError(t, calls[0](t.Context()), "the first call takes the only slot")
	require.Equal(t, 1, hits())
	const waiters = 10
	errs := make([]error, waiters)
	var wg sync.WaitGroup
	for i := range waiters {
		wg.Add(1)
		go func() {
			defer wg.Done()
			ctx, cancel := end.Context(t.Context(), 50*time.Millisecond)
			defer cancel()
			errs[i] = calls[i%len(calls)](ctx)
		}()
	}
	wg.Wait()
	for i, err := range errs {
		assert.ErrorIs(t, err, end.Err(), "abandoned call %d", i)
	}
	assert.Equal(t, 1, hits(), "no abandoned call reached the server")
	ctx, cancel := context.WithTimeout(t.Context(), time.Second)
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
