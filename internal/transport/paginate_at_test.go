package transport

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// atPager serves pages of three ints by index, each after a short wait, and
// records the most fetches it saw at once.
type atPager struct {
	pages   int
	failAt  int // index+1 of the page that fails; 0: none
	wait    time.Duration
	mu      sync.Mutex
	fetched []int
	now     atomic.Int32
	most    atomic.Int32
}

func (p *atPager) fetch(ctx context.Context, k int) ([]int, int, error) {
	p.mu.Lock()
	p.fetched = append(p.fetched, k)
	p.mu.Unlock()
	n := p.now.Add(1)
	defer p.now.Add(-1)
	for {
		m := p.most.Load()
		if n <= m || p.most.CompareAndSwap(m, n) {
			break
		}
	}
	select {
	case <-time.After(p.wait):
	case <-ctx.Done():
		return nil, 0, ctx.Err()
	}
	if k+1 == p.failAt {
		return nil, 0, errors.New("boom")
	}
	return []int{k*10 + 1, k*10 + 2, k*10 + 3}, p.pages, nil
}

func (p *atPager) calls() []int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]int(nil), p.fetched...)
}

func wantItems(pages int) []int {
	var out []int
	for k := range pages {
		out = append(out, k*10+1, k*10+2, k*10+3)
	}
	return out
}

func TestIterateAtOrderAndInflight(t *testing.T) {
	t.Parallel()
	for _, n := range []int{0, 1, 4, 8} {
		t.Run("", func(t *testing.T) {
			t.Parallel()
			p := &atPager{pages: 20, wait: 2 * time.Millisecond}
			items, errs := collect(IterateAt(context.Background(), "x", n, p.fetch))
			require.Empty(t, errs)
			assert.Equal(t, wantItems(20), items, "server order")
			assert.LessOrEqual(t, int(p.most.Load()), max(n, 1), "fetches at once")
			assert.Len(t, p.calls(), 20, "each page once")
		})
	}
}

func TestIterateAtFirstErrorOnly(t *testing.T) {
	t.Parallel()
	p := &atPager{pages: 10, failAt: 4, wait: time.Millisecond}
	items, errs := collect(IterateAt(context.Background(), "x", 8, p.fetch))
	require.Len(t, errs, 1, "one error")
	assert.Equal(t, wantItems(3), items, "the pages before the failing one, nothing after")
	assert.ErrorContains(t, errs[0], "boom")
}

func TestIterateAtBreakFetchesNothingMore(t *testing.T) {
	t.Parallel()
	p := &atPager{pages: 50, wait: time.Millisecond}
	for v, err := range IterateAt(context.Background(), "x", 4, p.fetch) {
		require.NoError(t, err)
		if v == 2 {
			break
		}
	}
	// The first page and at most 4 in flight; none started after the break.
	n := len(p.calls())
	assert.LessOrEqual(t, n, 5)
	time.Sleep(10 * time.Millisecond)
	assert.Equal(t, n, len(p.calls()))
	assert.Zero(t, p.now.Load(), "fetches in flight were waited for")
}

func TestIterateAtLazyRestartableCapped(t *testing.T) {
	t.Parallel()
	p := &atPager{pages: 5}
	seq := IterateAt(context.Background(), "x", 2, p.fetch, MaxPages[int](3))
	assert.Empty(t, p.calls(), "lazy")
	for range 2 {
		items, errs := collect(seq)
		assert.Equal(t, wantItems(3), items)
		require.Len(t, errs, 1)
		assert.ErrorIs(t, errs[0], ErrTooManyPages)
	}
	assert.Len(t, p.calls(), 6, "three pages per range, never the fourth")
}

func TestIterateAtRepeatedPageIsALoop(t *testing.T) {
	t.Parallel()
	same := func(_ context.Context, _ int) ([]int, int, error) { return []int{1, 2}, 4, nil }
	items, errs := collect(IterateAt(context.Background(), "x", 2, same, ItemKey(func(v int) string { return string(rune('a' + v)) })))
	assert.Equal(t, []int{1, 2}, items)
	require.Len(t, errs, 1)
	assert.ErrorIs(t, errs[0], ErrPaginationLoop)
}

func TestIterateAtNegative(t *testing.T) {
	t.Parallel()
	p := &atPager{pages: 2}
	_, errs := collect(IterateAt(context.Background(), "x", -1, p.fetch))
	require.Len(t, errs, 1)
	assert.ErrorIs(t, errs[0], ErrInvalidArgument)
	assert.Empty(t, p.calls(), "no fetch before the argument error")
}

// countedList is a list of pages of two ints whose first page counts
// counted pages, while the server holds pages of them: the cursor of page
// k is "k", and every page names the next while there is one.
type countedList struct {
	counted, pages int
	mu             sync.Mutex
	byIndex        []int
	byCursor       []string
}

func (l *countedList) page(k int) Page[int] {
	if k >= l.pages {
		return Page[int]{}
	}
	p := Page[int]{Items: []int{2*k + 1, 2*k + 2}}
	if k+1 < l.pages {
		p.Next = strconv.Itoa(k + 1)
	}
	return p
}

func (l *countedList) at(_ context.Context, k int) (Page[int], int, error) {
	l.mu.Lock()
	l.byIndex = append(l.byIndex, k)
	l.mu.Unlock()
	return l.page(k), l.counted, nil
}

func (l *countedList) next(_ context.Context, c string) (Page[int], error) {
	l.mu.Lock()
	l.byCursor = append(l.byCursor, c)
	l.mu.Unlock()
	k, _ := strconv.Atoi(c)
	return l.page(k), nil
}

func upTo(n int) []int {
	out := make([]int, n)
	for i := range out {
		out[i] = i + 1
	}
	return out
}

func TestIterateCounted(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name            string
		counted, pages  int
		maxPages        int
		items           int
		tooMany         bool
		byIndex, cursor int // fetches by index, by cursor
	}{
		{name: "counted", counted: 5, pages: 5, items: 10, byIndex: 5},
		{name: "not counted: the cursors are followed", counted: 0, pages: 4, items: 8, byIndex: 1, cursor: 3},
		{name: "grown: the last counted page's next is followed", counted: 3, pages: 6, items: 12, byIndex: 3, cursor: 3},
		{name: "shrunk: an empty page ends the walk", counted: 6, pages: 3, items: 6, byIndex: 6},
		{name: "the cap counts both parts", counted: 3, pages: 9, maxPages: 5, items: 10, tooMany: true, byIndex: 3, cursor: 2},
		{name: "the cap before the count", counted: 8, pages: 8, maxPages: 2, items: 4, tooMany: true, byIndex: 2},
	} {
		for _, n := range []int{0, 1, 4} {
			t.Run(tc.name+"/"+strconv.Itoa(n), func(t *testing.T) {
				t.Parallel()
				l := &countedList{counted: tc.counted, pages: tc.pages}
				items, errs := collect(IterateCounted(context.Background(), "x", "", n, l.at, l.next,
					MaxPages[int](tc.maxPages), ItemKey(func(v int) string { return strconv.Itoa(v) })))
				assert.Equal(t, upTo(tc.items), items, "in order, each once")
				if tc.tooMany {
					require.Len(t, errs, 1)
					assert.ErrorIs(t, errs[0], ErrTooManyPages)
				} else {
					assert.Empty(t, errs)
				}
				if tc.name == "shrunk: an empty page ends the walk" {
					// Pages in flight beyond the end were fetched and
					// found empty; the first empty one ends the walk.
					assert.LessOrEqual(t, len(l.byIndex), min(tc.counted, tc.pages+1+n))
				} else {
					assert.Len(t, l.byIndex, tc.byIndex, "by index")
				}
				assert.Len(t, l.byCursor, tc.cursor, "by cursor")
			})
		}
	}
}

func TestIterateAtCancelledBetweenPages(t *testing.T) {
	t.Parallel()
	// Every page has arrived before the first item is consumed; a context
	// cancelled then still ends the walk at the next page.
	p := &atPager{pages: 4}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var items []int
	var errs []error
	for v, err := range IterateAt(ctx, "x", 8, p.fetch) {
		if err != nil {
			errs = append(errs, err)
			continue
		}
		if len(items) == 0 {
			for len(p.calls()) < 4 || p.now.Load() > 0 {
				time.Sleep(time.Millisecond)
			}
			cancel()
		}
		items = append(items, v)
	}
	assert.Equal(t, wantItems(1), items)
	require.Len(t, errs, 1)
	assert.ErrorIs(t, errs[0], context.Canceled)
}

// TestIterateCountedDecodesInPageOrder: the pages in flight arrive in any
// order (here the last first), and are decoded in page order, each after
// the one before it: the page the walk needs next is never decoded last.
func TestIterateCountedDecodesInPageOrder(t *testing.T) {
	t.Parallel()
	const pages = 6
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		k, _ := strconv.Atoi(r.URL.Query().Get("k"))
		if k > 0 {
			time.Sleep(time.Duration(pages-k) * 5 * time.Millisecond)
		}
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, `{"k":`+strconv.Itoa(k)+`}`)
	}))
	t.Cleanup(srv.Close)
	c := newTestClient(t, srv.URL+"/")
	var (
		mu      sync.Mutex
		decoded []int
	)
	at := func(ctx context.Context, k int) (Page[int], int, error) {
		var got struct{ K int }
		_, err := c.Do(ctx, &Request{Method: http.MethodGet, Path: []string{"p"}, Values: url.Values{"k": {strconv.Itoa(k)}}},
			func(_ *http.Response, body []byte) error {
				if err := json.Unmarshal(body, &got); err != nil {
					return err
				}
				mu.Lock()
				decoded = append(decoded, got.K)
				mu.Unlock()
				return nil
			})
		p := Page[int]{Items: []int{got.K}}
		if k+1 < pages {
			p.Next = "more"
		}
		return p, pages, err
	}
	items, errs := collect(IterateCounted(context.Background(), "x", "", pages, at, func(context.Context, string) (Page[int], error) {
		return Page[int]{}, errors.New("not a cursor walk")
	}))
	require.Empty(t, errs)
	assert.Equal(t, []int{0, 1, 2, 3, 4, 5}, items)
	mu.Lock()
	defer mu.Unlock()
	assert.Equal(t, []int{0, 1, 2, 3, 4, 5}, decoded, "decoded in page order")
}

// TestIterateCountedOneConnection: a client limited to one connection a
// host still walks with pages in flight, and a retried page (429 on its
// first attempt) still gets the connection while the page after it waits
// for its turn to decode.
func TestIterateCountedOneConnection(t *testing.T) {
	t.Parallel()
	const pages = 5
	var mu sync.Mutex
	attempts := map[int]int{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		k, _ := strconv.Atoi(r.URL.Query().Get("k"))
		mu.Lock()
		attempts[k]++
		n := attempts[k]
		mu.Unlock()
		if k == 2 && n == 1 {
			w.Header().Set("Retry-After", "0")
			w.WriteHeader(http.StatusTooManyRequests)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, `{"k":`+strconv.Itoa(k)+`}`)
	}))
	t.Cleanup(srv.Close)
	hc := &http.Client{Transport: &http.Transport{MaxConnsPerHost: 1}}
	t.Cleanup(hc.CloseIdleConnections)
	c := newTestClient(t, srv.URL+"/", func(cfg *Config) { cfg.Settings.HTTPClient = hc })
	at := func(ctx context.Context, k int) (Page[int], int, error) {
		var got struct{ K int }
		_, err := c.Do(ctx, &Request{Method: http.MethodGet, Path: []string{"p"}, Values: url.Values{"k": {strconv.Itoa(k)}}},
			func(_ *http.Response, body []byte) error { return json.Unmarshal(body, &got) })
		p := Page[int]{Items: []int{got.K}}
		if k+1 < pages {
			p.Next = "more"
		}
		return p, pages, err
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	items, errs := collect(IterateCounted(ctx, "x", "", 4, at, nil))
	require.Empty(t, errs)
	assert.Equal(t, []int{0, 1, 2, 3, 4}, items)
}
