// Package benchwalk measures a provider's All with pages in flight (issue
// 25): the same walk, through the provider's own client, sequentially, one
// page ahead as a cursor walk (what WithPrefetch(true) did before issue 25)
// and with n = 1, 4 and 8 pages in flight, in one loop, against a loopback
// server that waits L before each page. Only benchmarks import it.
package benchwalk

import (
	"context"
	"iter"
	"net/http"
	"net/http/httptest"
	"runtime"
	"testing"
	"time"
)

// The walk every provider's benchmark makes: Pages pages of PerPage
// organizations, each answered Latency after it is asked for.
const (
	Pages   = 100
	PerPage = 100
	Latency = 20 * time.Millisecond
)

// Provider is what a provider's benchmark hands to Run and LiveHeap.
type Provider struct {
	// Path is the list's path under the server's root ("/api/v2/orgs/").
	Path string
	// ContentType is the type of the pages' bodies.
	ContentType string
	// Index reads the page index k (from 0) a request asks for.
	Index func(r *http.Request) int
	// Body renders page k of pages with PerPage organizations; counted
	// says whether it carries what makes the walk page-addressable (a
	// count, total_pages) or only a next link (a cursor walk).
	Body func(serverURL string, k, pages int, counted bool) []byte
	// Walk ranges over All of a client of the provider against the server
	// at serverURL, with WithPrefetch(prefetch), calling each for every
	// organization, and returns how many it yielded.
	Walk func(ctx context.Context, serverURL string, prefetch, perPage int, each func()) (int, error)
	// First returns the first page as List returns it, n times over from
	// one client, to weigh one page's worth of heap.
	First func(ctx context.Context, serverURL string, perPage, n int) ([]any, error)
}

// Count ranges over a provider's All, calling each for every item, and
// returns how many it yielded, or the walk's error: what every provider's
// Provider.Walk does once it has built its client.
func Count[T any](all iter.Seq2[T, error], each func()) (int, error) {
	n := 0
	for _, err := range all {
		if err != nil {
			return n, err
		}
		each()
		n++
	}
	return n, nil
}

// Lists calls list n times and returns the pages it answered: what every
// provider's Provider.First does once it has built its client.
func Lists[L any](n int, list func() (L, error)) ([]any, error) {
	var pages []any
	for range n {
		page, err := list()
		if err != nil {
			return nil, err
		}
		pages = append(pages, page)
	}
	return pages, nil
}

// server serves p's pages, pre-rendered (so the server allocates nothing
// while the walk is measured), each after wait.
func server(b *testing.B, p Provider, pages int, counted bool, wait time.Duration) *httptest.Server {
	b.Helper()
	bodies := make([][]byte, pages)
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		time.Sleep(wait)
		k := p.Index(r)
		w.Header().Set("Content-Type", p.ContentType)
		if k < 0 || k >= len(bodies) {
			w.WriteHeader(http.StatusNotFound)
			return
		}
		_, _ = w.Write(bodies[k])
	}))
	srv.Start()
	b.Cleanup(srv.Close)
	for k := range bodies {
		bodies[k] = p.Body(srv.URL, k, pages, counted)
	}
	return srv
}

// Limit is the least a walk of pages with n in flight can take:
// ceil((pages−1)/n)·L + L (the first page, then the rest n at a time).
func Limit(pages, n int, l time.Duration) time.Duration {
	return time.Duration((pages-1+n-1)/n)*l + l
}

// Run times the walks in one loop and reports each over its limit
// (seq/limit, cursor1/limit, n1/limit, n4/limit, n8/limit: the goals of
// issue 25 are n8/limit ≤ 1.15 and n1 no slower than cursor1) and over
// the sequential walk (nX/seq), and n1/cursor1.
func Run(b *testing.B, p Provider) {
	b.Helper()
	counted := server(b, p, Pages, true, Latency)
	cursor := server(b, p, Pages, false, Latency)
	type walk struct {
		name     string
		srv      *httptest.Server
		prefetch int
		took     time.Duration
	}
	walks := []*walk{
		{name: "seq", srv: cursor, prefetch: 0},
		{name: "cursor1", srv: cursor, prefetch: 1},
		{name: "n1", srv: counted, prefetch: 1},
		{name: "n4", srv: counted, prefetch: 4},
		{name: "n8", srv: counted, prefetch: 8},
	}
	ctx := b.Context()
	for b.Loop() {
		for _, w := range walks {
			start := time.Now()
			n, err := p.Walk(ctx, w.srv.URL, w.prefetch, PerPage, func() {})
			w.took += time.Since(start)
			if err != nil {
				b.Fatalf("%s: %v", w.name, err)
			}
			if n != Pages*PerPage {
				b.Fatalf("%s: walked %d organizations, want %d", w.name, n, Pages*PerPage)
			}
		}
	}
	seq, cursor1 := walks[0].took, walks[1].took
	for _, w := range walks {
		n := max(w.prefetch, 1)
		b.ReportMetric(float64(w.took)/float64(b.N)/float64(Limit(Pages, n, Latency)), w.name+"/limit")
		if w.name[0] == 'n' {
			b.ReportMetric(float64(w.took)/float64(seq), w.name+"/seq")
		}
	}
	b.ReportMetric(float64(walks[2].took)/float64(cursor1), "n1/cursor1")
}

// LiveHeap reports the most heap a walk at WithPrefetch(n) keeps live, in
// pages' worth (live-pages-n1, live-pages-n8; the goal of issue 25 is at
// most 9 at n = 8). The caller is slower than the server (it waits 4·L at
// the start of each page), so the pages in flight have all arrived and
// wait, decoded, when the heap is read there: after two runtime.GC (the
// second empties the sync.Pools' victim caches), HeapAlloc
// less its value before the walk. A page's worth is the same reading with
// five pages that List returned held, less the reading with one, over
// four (so that the client and its connection do not count).
func LiveHeap(b *testing.B, p Provider) {
	b.Helper()
	// 40 pages of 100: the walk's memory of item keys (two generations
	// of 1,024) is full after page 21 and does not grow after it, so the
	// pages from 22 to 31 (with 8 full pages ahead) and the last compare
	// like with like.
	const pages, wait, from, to = 40, 5 * time.Millisecond, 22, 31
	srv := server(b, p, pages, true, wait)
	ctx := b.Context()
	// Two collections: the first moves what sync.Pools cache (body
	// buffers of the requests just made) to their victim cache, the
	// second frees it; what is left is what something holds.
	live := func() uint64 {
		runtime.GC()
		runtime.GC()
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		return ms.HeapAlloc
	}
	// One page's worth: the heap five pages hold less what one holds,
	// over four (the client and its connection are in both).
	weigh := func() float64 {
		one, err := p.First(ctx, srv.URL, PerPage, 1)
		if err != nil {
			b.Fatal(err)
		}
		held1 := live()
		runtime.KeepAlive(one)
		five, err := p.First(ctx, srv.URL, PerPage, 5)
		if err != nil {
			b.Fatal(err)
		}
		held5 := live()
		runtime.KeepAlive(five)
		// held1 is read while one is live and five is not yet: the
		// difference is four pages and nothing else.
		return (float64(held5) - float64(held1)) / 4
	}
	// peak walks at n and returns the most live heap at the start of a
	// page, and the live heap at the start of the last page, when nothing
	// is in flight any more and only that page is held (the client, its
	// connections and the walk's own memory are there both times).
	peak := func(n int) (most, last float64) {
		before := live()
		items := 0
		_, err := p.Walk(ctx, srv.URL, n, PerPage, func() {
			if k := items / PerPage; items%PerPage == 0 && (k >= from && k <= to || k == pages-1) {
				time.Sleep(4 * wait)
				heap := float64(live()) - float64(before)
				switch k := items / PerPage; {
				case k == pages-1:
					last = heap
				case k >= from && k <= to:
					most = max(most, heap)
				}
			}
			items++
		})
		if err != nil {
			b.Fatal(err)
		}
		return most, last
	}
	var unit, n1, n8, n8KiB float64
	for b.Loop() {
		unit = weigh()
		most, last := peak(1)
		n1 = 1 + (most-last)/unit
		most, last = peak(8)
		n8 = 1 + (most-last)/unit
		n8KiB = most / 1024
	}
	b.ReportMetric(unit/1024, "page-KiB")
	b.ReportMetric(n1, "live-pages-n1")
	b.ReportMetric(n8, "live-pages-n8")
	b.ReportMetric(n8KiB, "live-KiB-n8")
}
