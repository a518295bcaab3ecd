package faulttest

// The walks of issue 25: a counted list served page by page, and the
// promises every page-addressable All keeps with several pages in flight,
// checked at the server (what reached it, and when).

import (
	"errors"
	"iter"
	"net/http"
	"slices"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/time/rate"

	"github.com/orgsdk/orgsdk"
)

// Paged is a counted list of Pages pages of PerPage organizations, whose
// identities are "1", "2", ... in server order. A provider's test server
// maps its page parameters (offset, page number) to a page index k and
// answers with what Answer returns, in its own wire format, counting
// Pages·PerPage organizations and naming a next page while k+1 < Pages.
type Paged struct {
	Pages, PerPage int
	// Wait, when set, is how long page k takes to answer.
	Wait func(k int) time.Duration
	// Status, when set and not 0 for page k at its attempt-th request
	// (from 1), is the status page k is answered with instead: 429 with
	// Retry-After 0, or any error status.
	Status func(k, attempt int) int
	// Block makes every page after the first wait for its request to be
	// cancelled, and answer nothing.
	Block bool
	// Together, when set, holds the first Together requests for pages
	// after the first until all of them have arrived (10 s at most): a
	// walk that does not have that many in flight at once takes 10 s.
	Together int

	mu        sync.Mutex
	hits      []PagedHit
	attempts  map[int]int
	cancelled atomic.Int32
	arrived   int
	all       chan struct{}
	timedOut  atomic.Bool
}

// PagedHit is one request that reached the server: the page it asked for
// and when it arrived.
type PagedHit struct {
	K  int
	At time.Time
}

// Answer records a request for page k and returns the status to answer it
// with and, for 200, the identities of the page's organizations (none past
// the last page). Status 0 means the request was cancelled: answer
// nothing.
func (p *Paged) Answer(r *http.Request, k int) (status int, ids []string) {
	p.mu.Lock()
	if p.attempts == nil {
		p.attempts = map[int]int{}
	}
	p.attempts[k]++
	attempt := p.attempts[k]
	p.hits = append(p.hits, PagedHit{K: k, At: time.Now()})
	var together chan struct{}
	if p.Together > 0 && k > 0 && p.arrived < p.Together {
		if p.all == nil {
			p.all = make(chan struct{})
		}
		together = p.all
		if p.arrived++; p.arrived == p.Together {
			close(p.all)
		}
	}
	p.mu.Unlock()
	if together != nil {
		select {
		case <-together:
		case <-time.After(10 * time.Second):
			p.timedOut.Store(true)
		case <-r.Context().Done():
		}
	}
	if p.Block && k > 0 {
		<-r.Context().Done()
		p.cancelled.Add(1)
		return 0, nil
	}
	if p.Wait != nil {
		select {
		case <-time.After(p.Wait(k)):
		case <-r.Context().Done():
			p.cancelled.Add(1)
			return 0, nil
		}
	}
	if p.Status != nil {
		if s := p.Status(k, attempt); s != 0 {
			return s, nil
		}
	}
	if k < 0 || k >= p.Pages {
		return http.StatusOK, nil
	}
	return http.StatusOK, IDs(k*p.PerPage+1, p.PerPage)
}

// Count is how many organizations the list holds.
func (p *Paged) Count() int { return p.Pages * p.PerPage }

// Hits are the requests that reached the server, in order of arrival.
func (p *Paged) Hits() []PagedHit {
	p.mu.Lock()
	defer p.mu.Unlock()
	return slices.Clone(p.hits)
}

// Attempts is how many requests page k got.
func (p *Paged) Attempts(k int) int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.attempts[k]
}

// Cancelled is how many requests ended while the server held them.
func (p *Paged) Cancelled() int { return int(p.cancelled.Load()) }

// MostInWindow is the most requests that arrived within any span of
// length w.
func MostInWindow(hits []PagedHit, w time.Duration) int {
	at := make([]time.Time, len(hits))
	for i, h := range hits {
		at[i] = h.At
	}
	slices.SortFunc(at, func(a, b time.Time) int { return a.Compare(b) })
	most, j := 0, 0
	for i := range at {
		for at[i].Sub(at[j]) >= w {
			j++
		}
		most = max(most, i-j+1)
	}
	return most
}

// Pace is how a PagedWalk's client is paced: WithRateLimit(N, Per) when N
// is set, WithLimiter(Limiter) when Limiter is, neither when both are zero.
type Pace struct {
	N       int
	Per     time.Duration
	Limiter orgsdk.Limiter
}

// PagedWalk builds a client of the provider against a server that answers
// with p, with WithPrefetch(prefetch), paced as pace says, retry waits of
// a few milliseconds and at least two retries, and returns its All over
// the whole list (the first page as the zero options describe it), each
// organization as its identity.
type PagedWalk func(t *testing.T, p *Paged, prefetch int, pace Pace) iter.Seq2[string, error]

// PagedWalks checks every promise of a page-addressable All with pages in
// flight (issue 25.2), each as a parallel subtest: items in server order
// however the pages arrive, lazy, restartable, the first error in page
// order yielded once and nothing after it, no page fetched after the
// caller breaks and the requests in flight cancelled, at most prefetch+1
// pages held, 429 answers retried once each, and the limiter never
// exceeded, counted in windows at the server with slack for scheduling
// (no assertion bounds a duration from above).
func PagedWalks(t *testing.T, provider string, walk PagedWalk) {
	t.Helper()
	collect := func(seq iter.Seq2[string, error]) ([]string, []error) {
		var ids []string
		var errs []error
		for id, err := range seq {
			if err != nil {
				errs = append(errs, err)
				continue
			}
			ids = append(ids, id)
		}
		return ids, errs
	}
	for _, n := range []int{0, 1, 4, 8} {
		t.Run("order, lazy, restartable/prefetch="+strconv.Itoa(n), func(t *testing.T) {
			t.Parallel()
			// Pages take 0-4 ms in a pattern, so with several in flight
			// they arrive out of order.
			p := &Paged{Pages: 12, PerPage: 3, Wait: func(k int) time.Duration { return time.Duration(k*7%5) * time.Millisecond }}
			seq := walk(t, p, n, Pace{})
			assert.Empty(t, p.Hits(), "nothing is asked for before the first item")
			for run := 1; run <= 2; run++ {
				ids, errs := collect(seq)
				require.Empty(t, errs)
				assert.Equal(t, IDs(1, p.Count()), ids, "in server order (range %d)", run)
				assert.Len(t, p.Hits(), run*p.Pages, "each page once per range")
			}
		})
	}
	for _, n := range []int{4, 8} {
		t.Run("n pages in flight together/prefetch="+strconv.Itoa(n), func(t *testing.T) {
			t.Parallel()
			p := &Paged{Pages: 2*n + 1, PerPage: 2, Together: n}
			ids, errs := collect(walk(t, p, n, Pace{}))
			require.Empty(t, errs)
			assert.Equal(t, IDs(1, p.Count()), ids)
			assert.False(t, p.timedOut.Load(), "the pages after the first were at the server %d at a time", n)
		})
	}
	t.Run("the first error in page order, once", func(t *testing.T) {
		t.Parallel()
		// Page 4 fails late with 400; page 6 fails at once with 404.
		p := &Paged{Pages: 10, PerPage: 2,
			Wait: func(k int) time.Duration {
				if k == 3 {
					return 30 * time.Millisecond
				}
				return 0
			},
			Status: func(k, _ int) int {
				switch k {
				case 3:
					return http.StatusBadRequest
				case 5:
					return http.StatusNotFound
				}
				return 0
			}}
		ids, errs := collect(walk(t, p, 8, Pace{}))
		assert.Equal(t, IDs(1, 3*p.PerPage), ids, "the pages before the failing one, nothing after")
		require.Len(t, errs, 1, "one error")
		var apiErr *orgsdk.APIError
		require.ErrorAs(t, errs[0], &apiErr)
		assert.Equal(t, http.StatusBadRequest, apiErr.StatusCode, "page 4's error, not page 6's: %v", errs[0])
		assert.False(t, errors.Is(errs[0], orgsdk.ErrNotFound))
		assert.Equal(t, 1, p.Attempts(3), "a 400 is not retried")
	})
	for _, n := range []int{1, 4} {
		t.Run("at most prefetch+1 pages held/prefetch="+strconv.Itoa(n), func(t *testing.T) {
			t.Parallel()
			p := &Paged{Pages: 20, PerPage: 2}
			i := 0
			for id, err := range walk(t, p, n, Pace{}) {
				require.NoError(t, err)
				require.Equal(t, strconv.Itoa(i+1), id)
				k := i / p.PerPage // the page being consumed
				for _, h := range p.Hits() {
					require.LessOrEqual(t, h.K, k+n, "page %d asked for while page %d is consumed", h.K, k)
				}
				if i%p.PerPage == 0 {
					time.Sleep(time.Millisecond) // let the fetches run ahead
				}
				i++
			}
			assert.Equal(t, p.Count(), i)
		})
	}
	t.Run("break: nothing fetched after it, requests in flight cancelled", func(t *testing.T) {
		t.Parallel()
		p := &Paged{Pages: 50, PerPage: 2, Block: true}
		seq := walk(t, p, 4, Pace{})
		for _, err := range seq {
			require.NoError(t, err)
			break
		}
		// The range has returned: every fetch it started has ended.
		hits := len(p.Hits())
		assert.LessOrEqual(t, hits, 1+4, "the first page and at most 4 in flight")
		assert.Eventually(t, func() bool { return p.Cancelled() == hits-1 }, 5*time.Second, time.Millisecond,
			"every request in flight was cancelled (%d of %d)", p.Cancelled(), hits-1)
		time.Sleep(20 * time.Millisecond)
		assert.Len(t, p.Hits(), hits, "no page asked for after the break")
	})
	t.Run("429 retried once per answer", func(t *testing.T) {
		t.Parallel()
		p := &Paged{Pages: 12, PerPage: 2, Status: func(k, attempt int) int {
			if k%3 == 1 && attempt == 1 {
				return http.StatusTooManyRequests
			}
			return 0
		}}
		ids, errs := collect(walk(t, p, 8, Pace{}))
		require.Empty(t, errs)
		assert.Equal(t, IDs(1, p.Count()), ids)
		for k := range p.Pages {
			want := 1
			if k%3 == 1 {
				want = 2
			}
			assert.Equal(t, want, p.Attempts(k), "requests of page %d", k)
		}
	})
	// The limiter, counted at the server: a bucket of b requests refilled
	// at r a second lets at most b + r·w through in any span w. The slack
	// allows requests the scheduler delays on their way (up to 3 of them
	// arriving in the next span); a walk of 8 in flight without the
	// limiter sends several times the bound in the first span.
	paces := []struct {
		name  string
		pace  func() Pace
		burst int
		every time.Duration
	}{
		{"WithRateLimit(5, 100ms)", func() Pace { return Pace{N: 5, Per: 100 * time.Millisecond} }, 5, 20 * time.Millisecond},
		{"WithLimiter(every 20ms, burst 2)", func() Pace { return Pace{Limiter: rate.NewLimiter(rate.Every(20*time.Millisecond), 2)} }, 2, 20 * time.Millisecond},
	}
	for _, pc := range paces {
		t.Run("the limiter is never exceeded/"+pc.name, func(t *testing.T) {
			t.Parallel()
			// Every fifth page is answered 429 once: its retry waits for
			// the limiter too.
			p := &Paged{Pages: 40, PerPage: 2, Status: func(k, attempt int) int {
				if k%5 == 2 && attempt == 1 {
					return http.StatusTooManyRequests
				}
				return 0
			}}
			start := time.Now()
			ids, errs := collect(walk(t, p, 8, pc.pace()))
			took := time.Since(start)
			require.Empty(t, errs)
			assert.Equal(t, IDs(1, p.Count()), ids)
			hits := p.Hits()
			assert.Len(t, hits, p.Pages+p.Pages/5, "each 429 retried once")
			const span = 200 * time.Millisecond
			bound := pc.burst + int(span/pc.every)
			assert.LessOrEqual(t, MostInWindow(hits, span), bound+3, "requests in any %s at the server (limit %d)", span, bound)
			least := time.Duration(len(hits)-pc.burst) * pc.every
			assert.GreaterOrEqual(t, took, least*9/10, "the walk cannot be faster than its limiter")
		})
	}
}

// WithoutLimiterExceeds is the control of PagedWalks' limiter check: the
// same walk unpaced sends more than the paced bound within one span, so
// the check can fail.
func WithoutLimiterExceeds(t *testing.T, walk PagedWalk) {
	t.Helper()
	p := &Paged{Pages: 40, PerPage: 2}
	for _, err := range walk(t, p, 8, Pace{}) {
		require.NoError(t, err)
	}
	assert.Greater(t, MostInWindow(p.Hits(), 200*time.Millisecond), 5+10+3, "unpaced, the walk is faster than the bound")
}

// InFlight counts the requests a handler is serving at once, and the most
// it has served at once: a cursor walk has one at a time, however many
// pages its client may have in flight.
type InFlight struct{ now, most atomic.Int64 }

// Enter counts a request in; call the function it returns when the
// request is answered.
func (f *InFlight) Enter() (leave func()) {
	n := f.now.Add(1)
	for {
		m := f.most.Load()
		if n <= m || f.most.CompareAndSwap(m, n) {
			break
		}
	}
	return func() { f.now.Add(-1) }
}

// Most is the most requests served at once.
func (f *InFlight) Most() int { return int(f.most.Load()) }

// PaceOptions returns a provider's options for pace: its WithRateLimit or
// WithLimiter, or none.
func PaceOptions[O any](pace Pace, withRateLimit func(int, time.Duration) O, withLimiter func(orgsdk.Limiter) O) []O {
	switch {
	case pace.Limiter != nil:
		return []O{withLimiter(pace.Limiter)}
	case pace.N > 0:
		return []O{withRateLimit(pace.N, pace.Per)}
	}
	return nil
}

// IDsOf is seq with each item as its identity, for a PagedWalk; an error
// comes with "".
func IDsOf[T any](seq iter.Seq2[T, error], id func(T) string) iter.Seq2[string, error] {
	return func(yield func(string, error) bool) {
		for v, err := range seq {
			s := ""
			if err == nil {
				s = id(v)
			}
			if !yield(s, err) {
				return
			}
		}
	}
}
