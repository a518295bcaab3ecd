package transport

import (
	"context"
	"encoding/binary"
	"encoding/json"
	"io"
	"iter"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"
)

type benchOrg struct {
	ID   int    `json:"id"`
	Name string `json:"name"`
}

var benchBody = func() string {
	var b strings.Builder
	b.WriteString(`[`)
	for i := 0; i < 50; i++ {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(`{"id":1,"name":"Widget Data Center, External IT"}`)
	}
	b.WriteString(`]`)
	return b.String()
}()

func benchServer(b *testing.B) *httptest.Server {
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, benchBody)
	}))
	b.Cleanup(ts.Close)
	return ts
}

// BenchmarkGet measures one GET through the transport (retry wrapper, auth,
// content-type check, capped read, decode).
func BenchmarkGet(b *testing.B) {
	ts := benchServer(b)
	c := newTestClient(b, ts.URL+"/api/v1/", withAuth(bearerAuth))
	ctx := b.Context()
	b.ReportAllocs()
	for b.Loop() {
		var out []benchOrg
		_, err := c.Do(ctx, &Request{Method: http.MethodGet, Path: []string{"orgs"}}, func(_ *http.Response, body []byte) error {
			return json.Unmarshal(body, &out)
		})
		if err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkGetBaseline is the same GET with plain net/http + encoding/json.
func BenchmarkGetBaseline(b *testing.B) {
	ts := benchServer(b)
	hc := DefaultHTTPClient()
	ctx := b.Context()
	b.ReportAllocs()
	for b.Loop() {
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, ts.URL+"/api/v1/orgs", nil)
		if err != nil {
			b.Fatal(err)
		}
		bearerAuth(req)
		req.Header.Set("Accept", "application/json")
		resp, err := hc.Do(req)
		if err != nil {
			b.Fatal(err)
		}
		var out []benchOrg
		err = json.NewDecoder(resp.Body).Decode(&out)
		resp.Body.Close()
		if err != nil {
			b.Fatal(err)
		}
	}
}

// walkPages walks n items in pages of 100 through Iterate; each page is a
// fresh allocation of about 100 KiB, as a decoded page would be, and takes
// fetchDelay to arrive. perPage, when set, runs after each page's last
// item.
func walkPages(b *testing.B, n int, prefetch bool, fetchDelay time.Duration, perPage func(page int)) {
	const size = 100
	pages := (n + size - 1) / size
	fetch := func(_ context.Context, cursor string) (Page[[]byte], error) {
		i := 0
		if cursor != "" {
			i, _ = strconv.Atoi(cursor)
		}
		time.Sleep(fetchDelay)
		items := make([][]byte, size)
		for j := range items {
			items[j] = make([]byte, 1024)
			binary.LittleEndian.PutUint64(items[j], uint64(i*size+j))
		}
		next := ""
		if i+1 < pages {
			next = strconv.Itoa(i + 1)
		}
		return Page[[]byte]{Items: items, Next: next}, nil
	}
	seen := 0
	// Each item's identity is its first 8 bytes: the walk remembers the
	// recent ones, as every provider's walk does (issue 19.6).
	key := func(item []byte) string { return string(item[:8]) }
	for _, err := range Iterate(b.Context(), "bench", "", prefetch, fetch, ItemKey(key), MaxPages[[]byte](2*pages)) {
		if err != nil {
			b.Fatal(err)
		}
		if seen++; seen%size == 0 && perPage != nil {
			perPage(seen / size)
		}
	}
	if seen != pages*size {
		b.Fatalf("walked %d items, want %d", seen, pages*size)
	}
}

// BenchmarkAllLiveHeap reports the most heap a walk keeps live at 10,000
// and at 100,000 items: a walk holds one page (two with prefetch) and a
// bounded memory of recent cursors and item keys, not what it has yielded,
// so ten times the items must not mean ten times the memory (issue 12:
// keep the ratio near 1; issue 19.6 added the key memory).
func BenchmarkAllLiveHeap(b *testing.B) {
	peak := func(n int) float64 {
		var most uint64
		walkPages(b, n, true, 0, func(page int) {
			if page%10 != 0 {
				return
			}
			runtime.GC()
			var ms runtime.MemStats
			runtime.ReadMemStats(&ms)
			most = max(most, ms.HeapAlloc)
		})
		return float64(most)
	}
	var small, large float64
	for b.Loop() {
		small, large = peak(10_000), peak(100_000)
	}
	b.ReportMetric(small/1024, "live-KiB-10k")
	b.ReportMetric(large/1024, "live-KiB-100k")
	b.ReportMetric(large/small, "100k/10k")
}

// BenchmarkAllPrefetch reports how long a walk takes with prefetch against
// without, when fetching a page and working through it take the same time
// (2 ms each): prefetch overlaps the two, so the ratio goes towards 0.5
// (issue 12: keep it).
func BenchmarkAllPrefetch(b *testing.B) {
	const pages, delay = 20, 2 * time.Millisecond
	work := func(int) { time.Sleep(delay) }
	var lazy, ahead time.Duration
	for b.Loop() {
		start := time.Now()
		walkPages(b, pages*100, false, delay, work)
		lazy += time.Since(start)
		start = time.Now()
		walkPages(b, pages*100, true, delay, work)
		ahead += time.Since(start)
	}
	b.ReportMetric(float64(ahead)/float64(lazy), "prefetch/lazy")
}

// BenchmarkAllInFlight walks 100 pages from a server that waits 20 ms a
// page, sequentially (Iterate, no prefetch) and with IterateAt at n = 1, 4
// and 8 pages in flight, in the same loop. Each walk's time is reported
// over its limit ceil(99/n)·L + L (the first page, then the rest n at a
// time); the sequential one over 100·L (issue 25).
func BenchmarkAllInFlight(b *testing.B) {
	const pages, size, wait = 100, 100, 20 * time.Millisecond
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		time.Sleep(wait)
		w.Header().Set("Content-Type", "application/json")
		k, _ := strconv.Atoi(r.URL.Query().Get("k"))
		ids := make([]int, size)
		for j := range ids {
			ids[j] = k*size + j
		}
		_ = json.NewEncoder(w).Encode(map[string]any{"ids": ids, "pages": pages})
	}))
	defer srv.Close()
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 16}}
	defer client.CloseIdleConnections()
	get := func(ctx context.Context, k int) ([]int, int, error) {
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, srv.URL+"?k="+strconv.Itoa(k), nil)
		if err != nil {
			return nil, 0, err
		}
		resp, err := client.Do(req)
		if err != nil {
			return nil, 0, err
		}
		defer resp.Body.Close()
		var body struct {
			IDs   []int `json:"ids"`
			Pages int   `json:"pages"`
		}
		err = json.NewDecoder(resp.Body).Decode(&body)
		return body.IDs, body.Pages, err
	}
	cursor := func(ctx context.Context, c string) (Page[int], error) {
		k, _ := strconv.Atoi(c)
		ids, _, err := get(ctx, k)
		next := ""
		if k+1 < pages {
			next = strconv.Itoa(k + 1)
		}
		return Page[int]{Items: ids, Next: next}, err
	}
	count := func(seq iter.Seq2[int, error]) {
		seen := 0
		for id, err := range seq {
			if err != nil {
				b.Fatal(err)
			}
			if id != seen {
				b.Fatalf("item %d at %d: out of order", id, seen)
			}
			seen++
		}
		if seen != pages*size {
			b.Fatalf("walked %d items, want %d", seen, pages*size)
		}
	}
	ns := []int{1, 4, 8}
	took := make([]time.Duration, len(ns))
	var seq time.Duration
	for b.Loop() {
		start := time.Now()
		count(Iterate(b.Context(), "bench", "", false, cursor))
		seq += time.Since(start)
		for i, n := range ns {
			start := time.Now()
			count(IterateAt(b.Context(), "bench", n, get))
			took[i] += time.Since(start)
		}
	}
	runs := time.Duration(b.N)
	b.ReportMetric(float64(seq/runs)/float64(pages*wait), "seq/limit")
	for i, n := range ns {
		limit := time.Duration((pages-1+n-1)/n)*wait + wait
		b.ReportMetric(float64(took[i]/runs)/float64(limit), "n"+strconv.Itoa(n)+"/limit")
		b.ReportMetric(float64(took[i])/float64(seq), "n"+strconv.Itoa(n)+"/seq")
	}
}
