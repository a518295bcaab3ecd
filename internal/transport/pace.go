package transport

import (
	"context"
	"net/http"
	"sync"
	"time"
)

// pacer holds a client to at most limit requests in any window of length
// per: it remembers the send times of the last limit requests and lets a
// new one go only when the oldest of them left the window. It sits below
// the retries and redirects, so every request on the wire counts.
type pacer struct {
	next  http.RoundTripper
	limit int
	per   time.Duration

	mu    sync.Mutex
	sent  []time.Time // ring of the last limit send times
	index int
}

func newPacer(next http.RoundTripper, limit int, per time.Duration) *pacer {
	return &pacer{next: next, limit: limit, per: per, sent: make([]time.Time, 0, limit)}
}

func (p *pacer) RoundTrip(r *http.Request) (*http.Response, error) {
	if err := p.wait(r.Context()); err != nil {
		return nil, err
	}
	return p.next.RoundTrip(r)
}

// wait reserves a slot and sleeps until it opens, or returns the context's
// error. The reservation is made under the lock, so concurrent callers
// queue in order instead of all waking at once.
func (p *pacer) wait(ctx context.Context) error {
	p.mu.Lock()
	now := time.Now()
	var at time.Time
	if len(p.sent) < p.limit {
		at = now
		p.sent = append(p.sent, at)
	} else {
		oldest := p.sent[p.index]
		at = oldest.Add(p.per)
		if at.Before(now) {
			at = now
		}
		p.sent[p.index] = at
		p.index = (p.index + 1) % p.limit
	}
	p.mu.Unlock()
	d := time.Until(at)
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}
