package transport

import (
	"context"
	"errors"
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
