package transport

import (
	"context"
	"fmt"
	"hash/maphash"
	"io"
	"iter"
	"net/url"
	"strconv"
	"sync"

	"github.com/orgsdk/orgsdk"
)

// Page is one page of a list: its items and the cursor of the next page
// ("" on the last).
type Page[T any] struct {
	Items []T
	Next  string
}

// DefaultMaxPages is the page cap of a walk that sets none
// (orgsdk.DefaultMaxPages).
const DefaultMaxPages = orgsdk.DefaultMaxPages

// FetchPage fetches the page at cursor; "" means the first page as the
// caller's options describe it.
type FetchPage[T any] func(ctx context.Context, cursor string) (Page[T], error)

// WalkOption tunes one walk of Iterate.
type WalkOption[T any] func(*walk[T])

type walk[T any] struct {
	maxPages int
	key      func(T) string
}

// pageCap is the most pages the walk may fetch: MaxPages, or
// DefaultMaxPages when 0; a negative MaxPages is the caller's error.
func (cfg *walk[T]) pageCap(provider string) (int, error) {
	switch {
	case cfg.maxPages < 0:
		return 0, ProviderArgumentError(provider, "MaxPages %d is negative", cfg.maxPages)
	case cfg.maxPages == 0:
		return DefaultMaxPages, nil
	}
	return cfg.maxPages, nil
}

// MaxPages caps the pages one walk may fetch; 0 means DefaultMaxPages and
// a negative n is an invalid argument, yielded before any request. A walk
// that reaches the cap with a next page still to fetch ends with an error
// matching ErrTooManyPages.
func MaxPages[T any](n int) WalkOption[T] {
	return func(w *walk[T]) { w.maxPages = n }
}

// ItemKey gives the walk the identity of its items, so it can tell a page
// that brings nothing new: a page whose items it has all yielded already
// ends the walk with ErrPaginationLoop when that page names a next one.
// An item whose key is "" counts as new (its identity is unknown).
func ItemKey[T any](key func(T) string) WalkOption[T] {
	return func(w *walk[T]) { w.key = key }
}

// Memory bounds of a walk (issue 19.6). A walk remembers hashes, never
// items or cursors, and only the recent ones, so what it holds does not
// grow with the walk's length (BenchmarkAllLiveHeap).
const (
	// recentCursors is how many of the latest cursors a walk remembers
	// at least; a cursor cycle longer than that is still ended, by the
	// item memory or by the page cap.
	recentCursors = 1024
	// minRecentItems is how many of the latest item keys a walk remembers
	// at least; it grows to four pages' worth for large pages, so a server
	// that rotates a few pages under fresh cursors is caught too.
	minRecentItems = 1024
	// maxRecentItems bounds that growth (a page that large does not fit
	// under the default body cap anyway).
	maxRecentItems = 1 << 20
)

// Iterate walks every page from start. The sequence is lazy (no request
// before the first item is pulled), restartable (each range starts again at
// start), yields an error once and stops, and fetches nothing after the
// caller breaks. With prefetch, the next page is fetched while the caller
// consumes the current one; that goroutine is cancelled and waited for when
// the range ends, however it ends. Errors name provider (ProviderError),
// the walk's own as much as a fetch's.
//
// Every walk ends (issue 19.6). Besides the last page and the first error,
// it stops with an error, after yielding what came before:
//   - matching ErrPaginationLoop, when a page is empty but names a next
//     page, when a page names a cursor this walk has already read, or
//     (with ItemKey) when a page holds only items this walk has already
//     yielded and names a next page; that page's items are not yielded.
//     A repeated item inside a page that also brings a new one is yielded:
//     servers shift pages under concurrent inserts;
//   - matching ErrTooManyPages, when it has fetched MaxPages pages (default
//     DefaultMaxPages) and the last of them names a next page.
func Iterate[T any](ctx context.Context, provider, start string, prefetch bool, fetch FetchPage[T], opts ...WalkOption[T]) iter.Seq2[T, error] {
	var cfg walk[T]
	for _, o := range opts {
		o(&cfg)
	}
	return func(yield func(T, error) bool) {
		var zero T
		maxPages, err := cfg.pageCap(provider)
		if err != nil {
			yield(zero, err)
			return
		}
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
		stop := func(err error) { yield(zero, ProviderError(provider, err)) }

		// One seed per range: the hashes mean nothing outside this walk.
		seed := maphash.MakeSeed()
		cursors := recentSet{size: recentCursors}
		cursors.add(maphash.String(seed, start))
		items := recentSet{size: minRecentItems}
		var scratch []uint64
		pages := 1
		page, err := fetch(ctx, start)
		for {
			if err != nil {
				stop(err)
				return
			}
			if len(page.Items) == 0 && page.Next != "" {
				stop(fmt.Errorf("%w: page %d is empty but names a next page", ErrPaginationLoop, pages))
				return
			}
			if cfg.key != nil && !addPage(&items, &scratch, seed, page.Items, cfg.key) && page.Next != "" {
				stop(fmt.Errorf("%w: page %d holds only items this walk has already yielded", ErrPaginationLoop, pages))
				return
			}
			nextHash := maphash.String(seed, page.Next)
			looped := page.Next != "" && cursors.has(nextHash)
			capped := page.Next != "" && pages >= maxPages
			var pending <-chan result
			if prefetch && page.Next != "" && !looped && !capped {
				pending = fetchAsync(page.Next)
			}
			for _, item := range page.Items {
				if !yield(item, nil) {
					return
				}
			}
			switch {
			case page.Next == "":
				return
			case looped:
				stop(fmt.Errorf("%w: next page %s was already read in this walk", ErrPaginationLoop, RedactURLString(page.Next)))
				return
			case capped:
				stop(fmt.Errorf("%w: stopped after %d pages (MaxPages; 0 means %d)", ErrTooManyPages, pages, DefaultMaxPages))
				return
			}
			cursors.add(nextHash)
			pages++
			if pending != nil {
				r := <-pending
				page, err = r.page, r.err
			} else {
				page, err = fetch(ctx, page.Next)
			}
		}
	}
}

// recentSet remembers at least the last size hashes added to it, and at
// most twice that many, in two generations: when the newer fills up, the
// older is emptied and takes its place. Its memory is bounded by size
// however many hashes pass through it, and after the first fill it
// allocates nothing more. A zero size remembers nothing.
type recentSet struct {
	size      int
	cur, prev map[uint64]struct{}
}

func (s *recentSet) has(h uint64) bool {
	if _, ok := s.cur[h]; ok {
		return true
	}
	_, ok := s.prev[h]
	return ok
}

func (s *recentSet) add(h uint64) {
	if s.size == 0 {
		return
	}
	if len(s.cur) >= s.size {
		s.cur, s.prev = s.prev, s.cur
		clear(s.cur)
	}
	if s.cur == nil {
		s.cur = make(map[uint64]struct{}, min(s.size, 64))
	}
	s.cur[h] = struct{}{}
}

// addPage remembers the keys of a page's items and reports whether any of
// them was new (or has no key). The page is checked before any of its own
// keys is added, so a page that repeats an item of its own is still new.
// The memory grows to hold four pages of the largest size seen; scratch
// keeps the page's hashes between the two passes.
func addPage[T any](s *recentSet, scratch *[]uint64, seed maphash.Seed, items []T, key func(T) string) bool {
	s.size = min(max(s.size, 4*len(items)), maxRecentItems)
	hashes := (*scratch)[:0]
	fresh := false
	for _, item := range items {
		k := key(item)
		if k == "" {
			fresh = true
			continue
		}
		h := maphash.String(seed, k)
		if !s.has(h) {
			fresh = true
		}
		hashes = append(hashes, h)
	}
	for _, h := range hashes {
		s.add(h)
	}
	*scratch = hashes
	return fresh
}

// FetchAt fetches the page at index k of a page-addressable walk (0 is the
// first page as the caller's options describe it; a provider maps k to its
// own offset, k·limit, or page number, k+1) and reports how many pages the
// walk has in all, as the server says it (readycloud count/limit, MPDX
// total_pages, Commvault total/limit). Only the first page's count is used.
type FetchAt[T any] func(ctx context.Context, k int) (items []T, pages int, err error)

// FetchCounted fetches page k of a walk whose first page decides how it
// goes on (IterateCounted): k = 0 is the first page as the caller's options
// describe it, k > 0 a page the first one made addressable. It returns the
// page (its items and the server's own next cursor, "" when it names none)
// and how many pages the walk has in all when the pages after the first
// can be addressed by index (count/limit, total_pages), or 0 when they
// cannot. Only the first page's count is used.
type FetchCounted[T any] func(ctx context.Context, k int) (page Page[T], pages int, err error)

// IterateAt walks a page-addressable list: the first page, then the pages
// after it, up to inflight at a time once the first has said how many there
// are (issue 25). inflight 0 fetches each page after the caller has consumed
// the one before; 1 is one page ahead, as Iterate's prefetch. Cursor walks
// cannot do this (the next cursor is known only once a page has arrived)
// and stay on Iterate.
//
// It keeps Iterate's promises: items in server order, lazy, restartable, the
// first error in page order yielded once and nothing after it, nothing
// fetched after the caller breaks (fetches in flight are cancelled and
// waited for), and at most inflight+1 pages held. Each fetch goes through
// the client's transport, so its limiter paces every page and a 429 is
// retried as any request is. A context that ends mid-walk ends it at the
// next page with the context's error, even when that page had arrived.
//
// The pages in flight are decoded in page order: a fetch that goes through
// Client.Do with the context it was given waits, once its answer has
// arrived and before decoding it, for the fetch of the page before to end
// (withTurn). Pages asked for together arrive together, and on a machine
// with fewer cores than pages in flight, decoded in any order, the page
// the walk needs next would as often be decoded last as first.
//
// It ends quietly at an empty page (the list shrank under the walk), with
// ErrPaginationLoop when (with ItemKey) a page before the last holds only
// items already yielded, and with ErrTooManyPages after MaxPages pages when
// the server counts more.
func IterateAt[T any](ctx context.Context, provider string, inflight int, fetch FetchAt[T], opts ...WalkOption[T]) iter.Seq2[T, error] {
	at := func(ctx context.Context, k int) (Page[T], int, error) {
		items, pages, err := fetch(ctx, k)
		return Page[T]{Items: items}, pages, err
	}
	return iterateCounted(ctx, provider, "", inflight, at, nil, opts)
}

// IterateCounted walks a list whose first page says how the rest of it is
// reached (issue 25): readycloud's and MPDX's lists are page-addressable
// when their first page counts the pages, and cursor walks otherwise.
//
// When the first page counts pages > 0, the pages 1..pages-1 are fetched by
// index with at, up to inflight at a time, as IterateAt does. The count
// decides which pages are asked for ahead of time; each page's own word
// (whether it names a next page) decides where the walk ends, as it would
// end a walk by cursors:
//   - a page that names no next page is the last, however many the first
//     page counted (the list shrank under the walk); pages in flight after
//     it are cancelled and never yielded;
//   - the last counted page, when it still names a next page (the list
//     grew), is followed by its cursor with next, one page at a time as
//     Iterate does, until a page names none;
//   - the next cursors of the pages in between are not followed: their
//     index is the plan's. A page shorter than the others is yielded and
//     the walk goes on.
//
// An empty page that names a next page ends the walk with
// ErrPaginationLoop, as in Iterate; an empty one that names none ends it
// quietly.
//
// When the first page counts nothing (pages 0), the walk follows its next
// cursor with next from start, as Iterate does, one page ahead at most
// when inflight > 0: a cursor is only known once the page before it has
// arrived.
//
// It keeps the promises of Iterate and IterateAt; MaxPages counts the pages
// of the whole walk.
func IterateCounted[T any](ctx context.Context, provider, start string, inflight int, at FetchCounted[T], next FetchPage[T], opts ...WalkOption[T]) iter.Seq2[T, error] {
	return iterateCounted(ctx, provider, start, inflight, at, next, opts)
}

// FetchFirst fetches the first page of a walk (IteratePlanned) and plans
// the rest: plan addresses the pages after it, pages is how many the walk
// has in all (0: the pages cannot be addressed, follow the cursors).
type FetchFirst[T any] func(ctx context.Context) (page Page[T], plan LinkPlan, pages int, err error)

// IteratePlanned is IterateCounted for a list whose pages are links: the
// first page is fetched with first, which plans the walk, and every other
// page with page, by cursor: page k (k > 0) at plan.Cursor(k), and the
// pages a walk by cursors reads at their next links. Each range makes its
// own plan.
func IteratePlanned[T any](ctx context.Context, provider, start string, inflight int, first FetchFirst[T], page FetchPage[T], opts ...WalkOption[T]) iter.Seq2[T, error] {
	return func(yield func(T, error) bool) {
		// plan is written by the first fetch, before any fetch of a page
		// after it starts, and only read by those.
		var plan LinkPlan
		at := func(ctx context.Context, k int) (Page[T], int, error) {
			if k > 0 {
				p, err := page(ctx, plan.Cursor(k))
				return p, 0, err
			}
			p, pl, pages, err := first(ctx)
			plan = pl
			return p, pages, err
		}
		for v, err := range iterateCounted(ctx, provider, start, inflight, at, page, opts) {
			if !yield(v, err) {
				return
			}
		}
	}
}

func iterateCounted[T any](ctx context.Context, provider, start string, inflight int, at FetchCounted[T], next FetchPage[T], opts []WalkOption[T]) iter.Seq2[T, error] {
	var cfg walk[T]
	for _, o := range opts {
		o(&cfg)
	}
	return func(yield func(T, error) bool) {
		var zero T
		maxPages, err := cfg.pageCap(provider)
		if err != nil {
			yield(zero, err)
			return
		}
		if inflight < 0 {
			yield(zero, ProviderArgumentError(provider, "prefetch %d is negative", inflight))
			return
		}
		stop := func(err error) { yield(zero, ProviderError(provider, err)) }
		// follow walks on by cursor from c, whose page is first when it
		// has been fetched already, with at most left pages to fetch.
		follow := func(c string, first *Page[T], left int) {
			fetch := next
			if first != nil {
				// The first call is Iterate's own, before any goroutine
				// of its prefetch starts: served needs no lock.
				served := false
				fetch = func(ctx context.Context, cursor string) (Page[T], error) {
					if !served {
						served = true
						return *first, nil
					}
					return next(ctx, cursor)
				}
			}
			walkOpts := []WalkOption[T]{MaxPages[T](left)}
			if cfg.key != nil {
				walkOpts = append(walkOpts, ItemKey(cfg.key))
			}
			for v, err := range Iterate(ctx, provider, c, inflight > 0, fetch, walkOpts...) {
				if !yield(v, err) {
					return
				}
			}
		}

		var wg sync.WaitGroup
		defer wg.Wait()
		ctx, cancel := context.WithCancel(ctx)
		defer cancel()

		type result struct {
			page Page[T]
			err  error
		}
		// Pages in flight decode in page order (see withTurn): each waits
		// for the one before it to be done.
		var before <-chan struct{}
		fetchAsync := func(k int) <-chan result {
			ch := make(chan result, 1)
			done := make(chan struct{})
			turnCtx := withTurn(ctx, before)
			before = done
			wg.Add(1)
			go func() {
				defer wg.Done()
				defer close(done)
				p, _, err := at(turnCtx, k)
				ch <- result{p, err}
			}()
			return ch
		}

		page, total, err := at(ctx, 0)
		if err != nil {
			stop(err)
			return
		}
		if next != nil && total <= 0 {
			follow(start, &page, maxPages)
			return
		}
		if total < 1 {
			total = 1
		}
		seed := maphash.MakeSeed()
		seen := recentSet{size: minRecentItems}
		var scratch []uint64
		// queue holds the pages in flight, in page order; nextK is the
		// index of the next page to start.
		var queue []<-chan result
		nextK := 1
		last := min(total, maxPages) // pages this walk may fetch by index
		fill := func() {
			for len(queue) < inflight && nextK < last {
				queue = append(queue, fetchAsync(nextK))
				nextK++
			}
		}
		for k := 0; ; k++ {
			counted := k+1 >= total // the last page the first one counted
			// IterateAt knows the count only; IterateCounted also has
			// each page's own word on whether another follows, and that
			// word ends the walk, as it would end a walk by cursors.
			more := !counted
			if next != nil {
				more = page.Next != ""
			}
			grown := counted && more // the list grew under the walk
			if len(page.Items) == 0 {
				if next != nil && more {
					stop(fmt.Errorf("%w: page %d is empty but names a next page", ErrPaginationLoop, k+1))
					return
				}
				if k > 0 {
					return // the list shrank under the walk
				}
			}
			if cfg.key != nil && !addPage(&seen, &scratch, seed, page.Items, cfg.key) && more {
				stop(fmt.Errorf("%w: page %d holds only items this walk has already yielded", ErrPaginationLoop, k+1))
				return
			}
			fill()
			for _, item := range page.Items {
				if !yield(item, nil) {
					return
				}
			}
			switch {
			case !more:
				return
			case k+1 >= maxPages:
				stop(fmt.Errorf("%w: stopped after %d pages (MaxPages; 0 means %d); the server counts %d", ErrTooManyPages, k+1, DefaultMaxPages, total))
				return
			case grown:
				follow(page.Next, nil, maxPages-(k+1))
				return
			}
			if err := ctx.Err(); err != nil {
				stop(err)
				return
			}
			page = Page[T]{} // hold no more than inflight+1 pages
			if len(queue) > 0 {
				r := <-queue[0]
				queue = queue[1:]
				page, err = r.page, r.err
			} else {
				page, _, err = at(ctx, nextK)
				nextK++
			}
			if err != nil {
				stop(err)
				return
			}
		}
	}
}

// LinkPlan addresses the pages of a counted walk (IterateCounted) from its
// first page's next link: page k is that link with one query parameter set
// to From + k·Step (readycloud: offset, base + k·limit; MPDX: page,
// first + k), every other parameter kept as the server wrote it.
type LinkPlan struct {
	link       *url.URL
	query      url.Values
	param      string
	from, step int
}

// NewLinkPlan plans from next, the first page's next cursor (already
// resolved and cleaned by NextCursor).
func NewLinkPlan(next, param string, from, step int) (LinkPlan, error) {
	u, err := url.Parse(next)
	if err != nil {
		return LinkPlan{}, err
	}
	return LinkPlan{link: u, query: u.Query(), param: param, from: from, step: step}, nil
}

// Cursor is page k's link. It only reads the plan, so the walk's
// goroutines may call it at once.
func (p LinkPlan) Cursor(k int) string {
	q := make(url.Values, len(p.query))
	for key, v := range p.query {
		q[key] = v
	}
	q.Set(p.param, strconv.Itoa(p.from+k*p.step))
	u := *p.link
	u.RawQuery = q.Encode()
	return u.String()
}

// turnKey carries, in a fetch's context, the channel closed when the page
// before it is done.
type turnKey struct{}

// withTurn makes the fetches of ctx decode their answer only once before
// is closed (nil: at once). Pages in flight arrive together; decoded in
// any order, the page the walk waits for is as likely to be decoded last
// as first, and every round of n pages waits for the decoding of all n.
// In page order, the page the walk needs next is decoded first, the next
// round starts a page at a time, and the decoding of one round overlaps
// the network wait of the next (issue 25, BENCHMARKS.md).
func withTurn(ctx context.Context, before <-chan struct{}) context.Context {
	if before == nil {
		return ctx
	}
	return context.WithValue(ctx, turnKey{}, before)
}

// waitTurn waits for the turn withTurn set in ctx, if any, or for ctx to
// end. The answer's body has been read to its end, which gives its
// connection back to the pool; it is closed first all the same, so that
// no fetch waiting for its turn holds a connection the fetch of the page
// before may need (a client limited to one connection a host,
// TestIterateCountedOneConnection).
func waitTurn(ctx context.Context, body io.Closer) error {
	before, _ := ctx.Value(turnKey{}).(<-chan struct{})
	if before == nil {
		return nil
	}
	_ = body.Close()
	select {
	case <-before:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
