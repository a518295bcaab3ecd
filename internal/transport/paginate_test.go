package transport

import (
	"context"
	"errors"
	"runtime"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// pager serves pages of three ints; cursors are page numbers.
type pager struct {
	pages   int
	failAt  int // page number that fails; 0: none
	mu      sync.Mutex
	fetched []string
	block   bool // block each fetch after the first until ctx is done
}

func (p *pager) fetch(ctx context.Context, cursor string) (Page[int], error) {
	p.mu.Lock()
	p.fetched = append(p.fetched, cursor)
	n := len(p.fetched)
	p.mu.Unlock()
	if p.block && n > 1 {
		<-ctx.Done()
		return Page[int]{}, ctx.Err()
	}
	page := 1
	if cursor != "" {
		page, _ = strconv.Atoi(cursor)
	}
	if page == p.failAt {
		return Page[int]{}, errors.New("boom")
	}
	items := []int{page*10 + 1, page*10 + 2, page*10 + 3}
	next := ""
	if page < p.pages {
		next = strconv.Itoa(page + 1)
	}
	return Page[int]{Items: items, Next: next}, nil
}

func (p *pager) calls() []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]string(nil), p.fetched...)
}

func collect(seq func(func(int, error) bool)) ([]int, []error) {
	var items []int
	var errs []error
	for v, err := range seq {
		if err != nil {
			errs = append(errs, err)
			continue
		}
		items = append(items, v)
	}
	return items, errs
}

func TestIterateLazyAndRestartable(t *testing.T) {
	t.Parallel()
	for _, prefetch := range []bool{false, true} {
		t.Run("prefetch="+strconv.FormatBool(prefetch), func(t *testing.T) {
			p := &pager{pages: 3}
			seq := Iterate(t.Context(), "test", "", prefetch, p.fetch)
			assert.Empty(t, p.calls(), "no request before the first item is pulled")
			want := []int{11, 12, 13, 21, 22, 23, 31, 32, 33}
			items, errs := collect(seq)
			assert.Empty(t, errs)
			assert.Equal(t, want, items)
			items, errs = collect(seq)
			assert.Empty(t, errs)
			assert.Equal(t, want, items, "ranging twice starts over")
			assert.Equal(t, []string{"", "2", "3", "", "2", "3"}, p.calls())
		})
	}
}

func TestIterateStartsAtCursor(t *testing.T) {
	t.Parallel()
	p := &pager{pages: 3}
	items, _ := collect(Iterate(t.Context(), "test", "3", false, p.fetch))
	assert.Equal(t, []int{31, 32, 33}, items)
}

func TestIterateBreakFetchesNoMore(t *testing.T) {
	t.Parallel()
	p := &pager{pages: 5}
	var got []int
	for v, err := range Iterate(t.Context(), "test", "", false, p.fetch) {
		require.NoError(t, err)
		got = append(got, v)
		if v == 21 {
			break
		}
	}
	assert.Equal(t, []int{11, 12, 13, 21}, got)
	assert.Equal(t, []string{"", "2"}, p.calls())
}

func TestIterateErrorYieldedOnce(t *testing.T) {
	t.Parallel()
	p := &pager{pages: 5, failAt: 2}
	items, errs := collect(Iterate(t.Context(), "test", "", false, p.fetch))
	assert.Equal(t, []int{11, 12, 13}, items)
	require.Len(t, errs, 1)
	assert.EqualError(t, errs[0], "orgsdk: test: boom", "a fetch error that names no provider gets the walk's")
	assert.Equal(t, []string{"", "2"}, p.calls())
}

func TestIteratePaginationLoop(t *testing.T) {
	t.Parallel()
	fetch := func(ctx context.Context, cursor string) (Page[int], error) {
		return Page[int]{Items: []int{1}, Next: "same"}, nil
	}
	items, errs := collect(Iterate(t.Context(), "test", "", false, fetch))
	assert.Equal(t, []int{1, 1}, items)
	require.Len(t, errs, 1)
	assert.ErrorIs(t, errs[0], ErrPaginationLoop)
}

func TestIteratePrefetchNoLeak(t *testing.T) {
	before := runtime.NumGoroutine()
	for i := 0; i < 20; i++ {
		p := &pager{pages: 10, block: true}
		for v, err := range Iterate(context.Background(), "test", "", true, p.fetch) {
			require.NoError(t, err)
			if v == 12 {
				break // the prefetch of page 2 is blocked until cancelled
			}
		}
		assert.Equal(t, []string{"", "2"}, p.calls(), "prefetch started page 2, nothing after")
	}
	deadline := time.Now().Add(2 * time.Second)
	for runtime.NumGoroutine() > before && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	assert.LessOrEqual(t, runtime.NumGoroutine(), before, "prefetch goroutines end when the caller breaks")
}

func TestIteratePrefetchOverlapsConsumption(t *testing.T) {
	t.Parallel()
	var inFlight atomic.Int64
	started := make(chan struct{}, 10)
	fetch := func(ctx context.Context, cursor string) (Page[int], error) {
		inFlight.Add(1)
		started <- struct{}{}
		if cursor == "" {
			return Page[int]{Items: []int{1, 2}, Next: "2"}, nil
		}
		return Page[int]{Items: []int{3}}, nil
	}
	var got []int
	for v, err := range Iterate(t.Context(), "test", "", true, fetch) {
		require.NoError(t, err)
		if v == 1 {
			<-started
			<-started // page 2 was requested while item 1 was being consumed
		}
		got = append(got, v)
	}
	assert.Equal(t, []int{1, 2, 3}, got)
	assert.Equal(t, int64(2), inFlight.Load())
}

func TestIterateContextCancelled(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	fetch := func(ctx context.Context, cursor string) (Page[int], error) { return Page[int]{}, ctx.Err() }
	_, errs := collect(Iterate(ctx, "test", "", true, fetch))
	require.Len(t, errs, 1)
	assert.ErrorIs(t, errs[0], context.Canceled)
}

// Issue 11.1: a cycle A→B→A was only caught when the next cursor equalled
// the page just read, so the walk never ended.
func TestIterateDetectsCursorCycles(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		next     map[string]string // cursor → next cursor
		prefetch bool
		want     int // pages fetched before the loop error
	}{
		{"self", map[string]string{"": "a", "a": "a"}, false, 2},
		{"two-cycle", map[string]string{"": "a", "a": "b", "b": "a"}, false, 3},
		{"back to start", map[string]string{"": "a", "a": "b", "b": "c", "c": "a"}, true, 4},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var mu sync.Mutex
			fetched := 0
			fetch := func(_ context.Context, cursor string) (Page[int], error) {
				mu.Lock()
				fetched++
				mu.Unlock()
				return Page[int]{Items: []int{1}, Next: tt.next[cursor]}, nil
			}
			items, errs := collect(Iterate(context.Background(), "test", "", tt.prefetch, fetch))
			require.Len(t, errs, 1)
			assert.ErrorIs(t, errs[0], ErrPaginationLoop)
			assert.Len(t, items, tt.want)
			mu.Lock()
			assert.LessOrEqual(t, fetched, tt.want+1)
			mu.Unlock()
		})
	}
}
