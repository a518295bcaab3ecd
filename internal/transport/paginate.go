package transport

import (
	"context"
	"fmt"
	"iter"
	"sync"
)

// Page is one page of a list: its items and the cursor of the next page
// ("" on the last).
type Page[T any] struct {
	Items []T
	Next  string
}

// maxPagesPerWalk bounds the cursors remembered for cycle detection; at
// 100 items a page it is ten million items.
const maxPagesPerWalk = 100_000

// FetchPage fetches the page at cursor; "" means the first page as the
// caller's options describe it.
type FetchPage[T any] func(ctx context.Context, cursor string) (Page[T], error)

// Iterate walks every page from start. The sequence is lazy (no request
// before the first item is pulled), restartable (each range starts again at
// start), yields an error once and stops, and fetches nothing after the
// caller breaks. With prefetch, the next page is fetched while the caller
// consumes the current one; that goroutine is cancelled and waited for when
// the range ends, however it ends. Errors name provider (ProviderError),
// the walk's own as much as a fetch's.
func Iterate[T any](ctx context.Context, provider, start string, prefetch bool, fetch FetchPage[T]) iter.Seq2[T, error] {
	return func(yield func(T, error) bool) {
		var wg sync.WaitGroup
		defer wg.Wait()
		ctx, cancel := context.WithCancel(ctx)
		defer cancel()

		type result struct {
			page Page[T]
			err  error
		}
		fetchAsync := func(cursor string) <-chan result {
			ch := make(chan result, 1)
			wg.Add(1)
			go func() {
				defer wg.Done()
				p, err := fetch(ctx, cursor)
				ch <- result{p, err}
			}()
			return ch
		}

		// seen holds every cursor of this walk, so a cycle of any length
		// (A→B→A) ends with one error instead of running forever. It is
		// bounded: a walk long enough to fill it is cut short with the same
		// error rather than growing memory without limit.
		seen := map[string]struct{}{start: {}}
		cursor := start
		page, err := fetch(ctx, cursor)
		for {
			if err != nil {
				var zero T
				yield(zero, ProviderError(provider, err))
				return
			}
			var pending <-chan result
			_, looped := seen[page.Next]
			if prefetch && page.Next != "" && !looped {
				pending = fetchAsync(page.Next)
			}
			for _, item := range page.Items {
				if !yield(item, nil) {
					return
				}
			}
			if page.Next == "" {
				return
			}
			if looped {
				var zero T
				yield(zero, ProviderError(provider, fmt.Errorf("%w: next page %s was already read in this walk", ErrPaginationLoop, RedactURLString(page.Next))))
				return
			}
			if len(seen) >= maxPagesPerWalk {
				var zero T
				yield(zero, ProviderError(provider, fmt.Errorf("%w: more than %d pages in one walk", ErrPaginationLoop, maxPagesPerWalk)))
				return
			}
			seen[page.Next] = struct{}{}
			cursor = page.Next
			if pending != nil {
				r := <-pending
				page, err = r.page, r.err
			} else {
				page, err = fetch(ctx, cursor)
			}
		}
	}
}
