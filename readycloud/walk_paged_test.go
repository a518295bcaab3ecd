package readycloud_test

// Pages in flight (issue 25): the promises of All at WithPrefetch(n),
// checked at the server, and the rule of a counted walk (the count of the
// first page plans it, the next link of the last counted page ends it).

import (
	"encoding/json"
	"iter"
	"net/http"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/orgsdk/orgsdk/internal/faulttest"
	"github.com/orgsdk/orgsdk/readycloud"
)

// pagedServer serves p as DRF limit/offset pages: page k is at offset
// k·PerPage, the count is p's, and next names the following page.
func pagedServer(t *testing.T, p *faulttest.Paged) *faulttest.Server {
	t.Helper()
	var srv *faulttest.Server
	srv = faulttest.NewServer(t, func(w http.ResponseWriter, r *http.Request, _ []byte) bool {
		offset, _ := strconv.Atoi(r.URL.Query().Get("offset"))
		k := offset / p.PerPage
		status, ids := p.Answer(r, k)
		switch status {
		case 0:
			return true
		case http.StatusOK:
		default:
			w.Header().Set("Content-Type", "application/json")
			w.Header().Set("Retry-After", "0")
			w.WriteHeader(status)
			_, _ = w.Write([]byte(`{"detail":"page ` + strconv.Itoa(k) + ` failed"}`))
			return true
		}
		writePage(w, srv.URL, p.Count(), p.PerPage, offset, ids, k+1 < p.Pages)
		return true
	}, nil)
	return srv
}

// writePage writes one DRF page of the organizations ids at offset.
func writePage(w http.ResponseWriter, base string, count any, limit, offset int, ids []string, next bool) {
	results := make([]map[string]any, len(ids))
	for i, id := range ids {
		results[i] = map[string]any{"url": "/api/v2/orgs/" + id + "/", "name": "Org " + id}
	}
	var link any
	if next {
		link = base + "/api/v2/orgs/?limit=" + strconv.Itoa(limit) + "&offset=" + strconv.Itoa(offset+limit)
	}
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(map[string]any{"count": count, "next": link, "previous": nil, "results": results})
}

func orgID(o *readycloud.Organization) string { return o.ID }

func pagedWalk(t *testing.T, p *faulttest.Paged, prefetch int, pace faulttest.Pace) iter.Seq2[string, error] {
	opts := append(faulttest.PaceOptions(pace, readycloud.WithRateLimit, readycloud.WithLimiter), readycloud.WithPrefetch(prefetch))
	c := walksClient(t, pagedServer(t, p), opts...)
	return faulttest.IDsOf(c.Organizations.All(t.Context(), &readycloud.ListOptions{PerPage: p.PerPage}), orgID)
}

func TestWalkPaged(t *testing.T) {
	t.Parallel()
	faulttest.PagedWalks(t, "readycloud", pagedWalk)
}

func TestWalkPagedControl(t *testing.T) {
	t.Parallel()
	faulttest.WithoutLimiterExceeds(t, pagedWalk)
}

// TestWalkCountedRule: the count of the first page plans the walk, the
// next link of the last counted page ends it. The server's list changes
// under the walk as a live tenant's does.
func TestWalkCountedRule(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name string
		// serve returns the organizations at offset (pages of 2) and
		// whether the page names a next one, as the server now holds
		// them; count is what the first page says.
		count int
		serve func(offset int) (ids []string, next bool)
		want  []string
		// byOffset is how many pages the walk asked for by offset
		// after the first; -1: any.
		requests int
	}{
		{
			name:  "grown: the last counted page names a next one, which is followed",
			count: 6,
			serve: func(offset int) ([]string, bool) { return faulttest.IDs(offset+1, 2), offset+2 < 10 },
			want:  faulttest.IDs(1, 10), requests: 5,
		},
		{
			name:  "shrunk: an empty page ends the walk quietly",
			count: 12,
			serve: func(offset int) ([]string, bool) {
				if offset >= 6 {
					return nil, false
				}
				return faulttest.IDs(offset+1, 2), offset+2 < 6
			},
			want: faulttest.IDs(1, 6), requests: -1,
		},
		{
			name:  "a page whose next is null is the last, whatever the count",
			count: 20,
			serve: func(offset int) ([]string, bool) { return faulttest.IDs(offset+1, 2), offset+2 < 6 },
			want:  faulttest.IDs(1, 6), requests: -1,
		},
		{
			name:  "a short page before the end is yielded and the walk goes on",
			count: 8,
			serve: func(offset int) ([]string, bool) {
				if offset == 2 {
					return faulttest.IDs(3, 1), true
				}
				return faulttest.IDs(offset+1, 2), offset+2 < 8
			},
			want: []string{"1", "2", "3", "5", "6", "7", "8"}, requests: 4,
		},
		{
			name:  "the next links between are not read: the offsets are the plan's",
			count: 6,
			serve: func(offset int) ([]string, bool) { return faulttest.IDs(offset+1, 2), offset+2 < 6 },
			want:  faulttest.IDs(1, 6), requests: 3,
		},
	} {
		for _, n := range []int{0, 1, 8} {
			t.Run(tc.name+"/prefetch="+strconv.Itoa(n), func(t *testing.T) {
				t.Parallel()
				var srv *faulttest.Server
				srv = faulttest.NewServer(t, func(w http.ResponseWriter, r *http.Request, _ []byte) bool {
					offset, _ := strconv.Atoi(r.URL.Query().Get("offset"))
					ids, next := tc.serve(offset)
					if offset == 2 && tc.name == "the next links between are not read: the offsets are the plan's" {
						// A next link that skips a page: a walk by next
						// links would miss organizations 5 and 6.
						writePageNext(w, tc.count, ids, srv.URL+"/api/v2/orgs/?limit=2&offset=6")
						return true
					}
					writePage(w, srv.URL, tc.count, 2, offset, ids, next)
					return true
				}, nil)
				c := walksClient(t, srv, readycloud.WithPrefetch(n))
				walked := faulttest.Walk(c.Organizations.All(t.Context(), &readycloud.ListOptions{PerPage: 2}), orgID, 100)
				assert.Empty(t, walked.Errs)
				assert.Equal(t, tc.want, walked.IDs)
				if tc.requests >= 0 {
					assert.Equal(t, tc.requests, srv.Count(http.MethodGet, walksPath), "pages asked for")
				}
			})
		}
	}
}

func writePageNext(w http.ResponseWriter, count int, ids []string, next string) {
	results := make([]map[string]any, len(ids))
	for i, id := range ids {
		results[i] = map[string]any{"url": "/api/v2/orgs/" + id + "/", "name": "Org " + id}
	}
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(map[string]any{"count": count, "next": next, "previous": nil, "results": results})
}

// TestWalkUncountedFollowsNext: a first page without count, with a next
// link that is no limit/offset link, or short, is walked by next links,
// one page ahead at most even at WithPrefetch(8).
func TestWalkUncountedFollowsNext(t *testing.T) {
	t.Parallel()
	for name, page := range map[string]func(base string, k int) (count any, limit int, next string){
		"no count": func(base string, k int) (any, int, string) {
			return nil, 2, base + "/api/v2/orgs/?limit=2&offset=" + strconv.Itoa(2*k+2)
		},
		"a cursor link": func(base string, k int) (any, int, string) {
			return 10, 2, base + "/api/v2/orgs/?cursor=c" + strconv.Itoa(k+1)
		},
		"a first page shorter than its limit": func(base string, k int) (any, int, string) {
			return 10, 3, base + "/api/v2/orgs/?limit=3&offset=" + strconv.Itoa(2*k+2)
		},
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			var (
				srv      *faulttest.Server
				inFlight faulttest.InFlight
			)
			srv = faulttest.NewServer(t, func(w http.ResponseWriter, r *http.Request, _ []byte) bool {
				defer inFlight.Enter()()
				time.Sleep(2 * time.Millisecond)
				q := r.URL.Query()
				k := 0
				if c := q.Get("cursor"); c != "" {
					k, _ = strconv.Atoi(c[1:])
				} else if o := q.Get("offset"); o != "" {
					off, _ := strconv.Atoi(o)
					k = off / 2
				}
				count, _, next := page(srv.URL, k)
				if k == 4 {
					next = ""
				}
				results := []map[string]any{}
				for _, id := range faulttest.IDs(2*k+1, 2) {
					results = append(results, map[string]any{"url": "/api/v2/orgs/" + id + "/", "name": "Org " + id})
				}
				var link any
				if next != "" {
					link = next
				}
				w.Header().Set("Content-Type", "application/json")
				_ = json.NewEncoder(w).Encode(map[string]any{"count": count, "next": link, "previous": nil, "results": results})
				return true
			}, nil)
			c := walksClient(t, srv, readycloud.WithPrefetch(8))
			walked := faulttest.Walk(c.Organizations.All(t.Context(), nil), orgID, 100)
			require.Empty(t, walked.Errs)
			assert.Equal(t, faulttest.IDs(1, 10), walked.IDs)
			assert.Equal(t, 5, srv.Count(http.MethodGet, walksPath))
			assert.Equal(t, 1, inFlight.Most(), "a walk by next links has one request at a time at the server")
		})
	}
}
