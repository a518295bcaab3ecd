package transport

import (
	"context"
	"hash/maphash"
	"strconv"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Issue 19.6: every walk ends. Each fetch below names a fresh next page for
// ever; the walk must still end, with the error the rule documents, after
// a bounded number of fetches.

// endless is a server that never ends its list: page n (counting from 1)
// has the items page(n) returns and always names page n+1.
type endless struct {
	page    func(n int) []string
	fetched atomic.Int64
}

func (e *endless) fetch(_ context.Context, cursor string) (Page[string], error) {
	n := 1
	if cursor != "" {
		n, _ = strconv.Atoi(cursor)
	}
	e.fetched.Add(1)
	return Page[string]{Items: e.page(n), Next: strconv.Itoa(n + 1)}, nil
}

func identity(s string) string { return s }

func items(prefix string, from, n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = prefix + strconv.Itoa(from+i)
	}
	return out
}

// walkAtMost ranges over seq, breaking after limit items so a walk that
// does not end cannot hang the test.
func walkAtMost(seq func(func(string, error) bool), limit int) (got []string, errs []error) {
	for v, err := range seq {
		if err != nil {
			errs = append(errs, err)
			continue
		}
		got = append(got, v)
		if len(got) >= limit {
			break
		}
	}
	return got, errs
}

func TestIterateEveryWalkEnds(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name      string
		page      func(n int) []string
		opts      []WalkOption[string]
		wantItems int
		wantPages int
		is        error
		says      string
	}{
		{
			name:      "empty pages, each naming a fresh next page",
			page:      func(int) []string { return nil },
			wantPages: 1, is: ErrPaginationLoop, says: "page 1 is empty but names a next page",
		},
		{
			name:      "an empty page after real ones",
			page:      func(n int) []string { return map[bool][]string{true: items("o", n*10, 3)}[n < 3] },
			wantItems: 6, wantPages: 3, is: ErrPaginationLoop, says: "page 3 is empty",
		},
		{
			name:      "the same page under fresh cursors",
			page:      func(int) []string { return items("o", 1, 3) },
			opts:      []WalkOption[string]{ItemKey(identity)},
			wantItems: 3, wantPages: 2, is: ErrPaginationLoop, says: "page 2 holds only items this walk has already yielded",
		},
		{
			name:      "two pages rotating under fresh cursors",
			page:      func(n int) []string { return items("o", 10*(n%2), 5) },
			opts:      []WalkOption[string]{ItemKey(identity)},
			wantItems: 10, wantPages: 3, is: ErrPaginationLoop,
		},
		{
			name:      "large pages rotating",
			page:      func(n int) []string { return items("o", 5000*(n%3), 5000) },
			opts:      []WalkOption[string]{ItemKey(identity)},
			wantItems: 15000, wantPages: 4, is: ErrPaginationLoop,
		},
		{
			name:      "new items for ever stop at the page cap",
			page:      func(n int) []string { return items("o", n*10, 2) },
			opts:      []WalkOption[string]{ItemKey(identity), MaxPages[string](50)},
			wantItems: 100, wantPages: 50, is: ErrTooManyPages, says: "stopped after 50 pages",
		},
		{
			name:      "items without identity stop at the cap",
			page:      func(int) []string { return []string{"", ""} },
			opts:      []WalkOption[string]{ItemKey(identity), MaxPages[string](7)},
			wantItems: 14, wantPages: 7, is: ErrTooManyPages,
		},
		{
			name:      "without a key, repeats run into the default cap",
			page:      func(int) []string { return []string{"same"} },
			wantItems: DefaultMaxPages, wantPages: DefaultMaxPages, is: ErrTooManyPages,
		},
	}
	for _, tt := range tests {
		for _, prefetch := range []bool{false, true} {
			t.Run(tt.name+"/prefetch="+strconv.FormatBool(prefetch), func(t *testing.T) {
				t.Parallel()
				e := &endless{page: tt.page}
				got, errs := walkAtMost(Iterate(t.Context(), "test", "", prefetch, e.fetch, tt.opts...), 1<<20)
				require.Len(t, errs, 1, "the walk ends with one error")
				assert.ErrorIs(t, errs[0], tt.is)
				assert.Contains(t, errs[0].Error(), "orgsdk: test: ")
				assert.Contains(t, errs[0].Error(), tt.says)
				assert.Len(t, got, tt.wantItems)
				assert.Equal(t, int64(tt.wantPages), e.fetched.Load(), "no page is fetched past the end, prefetch or not")
			})
		}
	}
}

func TestIterateRepeatsInsideANewPageAreYielded(t *testing.T) {
	t.Parallel()
	// Page 2 starts with the last item of page 1, as an offset page does
	// after an insert; page 3, the last, holds only repeats.
	pages := map[string]Page[string]{
		"":  {Items: []string{"a", "b", "c"}, Next: "2"},
		"2": {Items: []string{"c", "d", "d"}, Next: "3"},
		"3": {Items: []string{"d"}},
	}
	fetch := func(_ context.Context, cursor string) (Page[string], error) { return pages[cursor], nil }
	got, errs := walkAtMost(Iterate(t.Context(), "test", "", false, fetch, ItemKey(identity)), 100)
	assert.Empty(t, errs, "a last page of repeats ends the walk as any last page does")
	assert.Equal(t, []string{"a", "b", "c", "c", "d", "d", "d"}, got, "repeats are not filtered out")
}

func TestIterateLastPagesEndWithoutError(t *testing.T) {
	t.Parallel()
	for name, last := range map[string]Page[string]{
		"empty last page": {},
		"one item":        {Items: []string{"x"}},
	} {
		t.Run(name, func(t *testing.T) {
			fetch := func(_ context.Context, cursor string) (Page[string], error) {
				if cursor == "" {
					return Page[string]{Items: []string{"a"}, Next: "2"}, nil
				}
				return last, nil
			}
			_, errs := walkAtMost(Iterate(t.Context(), "test", "", true, fetch, ItemKey(identity), MaxPages[string](2)), 100)
			assert.Empty(t, errs, "reaching the cap on the last page is no error")
		})
	}
}

func TestIterateNegativeMaxPages(t *testing.T) {
	t.Parallel()
	e := &endless{page: func(int) []string { return []string{"a"} }}
	got, errs := walkAtMost(Iterate(t.Context(), "test", "", false, e.fetch, MaxPages[string](-1)), 10)
	assert.Empty(t, got)
	require.Len(t, errs, 1)
	assert.ErrorIs(t, errs[0], ErrInvalidArgument)
	assert.EqualError(t, errs[0], "orgsdk: test: invalid argument: MaxPages -1 is negative")
	assert.Zero(t, e.fetched.Load(), "refused before any request")
}

// TestRecentSetBounded: however many hashes pass through, the set holds at
// most two generations, and remembers at least the last size of them.
func TestRecentSetBounded(t *testing.T) {
	t.Parallel()
	s := recentSet{size: 100}
	for i := range uint64(100_000) {
		s.add(i)
		require.LessOrEqual(t, len(s.cur)+len(s.prev), 200)
	}
	for i := uint64(100_000 - 100); i < 100_000; i++ {
		assert.True(t, s.has(i), "hash %d is among the last 100", i)
	}
	assert.False(t, s.has(0))
	var none recentSet
	none.add(1)
	assert.False(t, none.has(1), "a zero set remembers nothing")
}

func TestAddPageGrowsWithThePage(t *testing.T) {
	t.Parallel()
	seed := maphash.MakeSeed()
	s := recentSet{size: minRecentItems}
	var scratch []uint64
	big := items("o", 0, 3000)
	assert.True(t, addPage(&s, &scratch, seed, big, identity))
	assert.Equal(t, 4*3000, s.size, "room for four pages of the largest size")
	assert.False(t, addPage(&s, &scratch, seed, big, identity), "the whole page is remembered")
	assert.True(t, addPage(&s, &scratch, seed, append(big[:10:10], "new"), identity))
}
