package jsonapi_test

// Pages in flight (issue 25): the promises of All at WithPrefetch(n),
// checked at the server, for MPDX's numbered pages (meta.pagination, no
// links), and the cursor walk a server's own links.next keeps.

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
	"github.com/orgsdk/orgsdk/jsonapi"
)

// writeMPDXPage writes page n (from 1) of a list of total organizations
// in pages of perPage, the way MPDX does: meta.pagination, no links; with
// next, links.next names page n+1 instead (another JSON:API server).
func writeMPDXPage(w http.ResponseWriter, ids []string, n, perPage, totalPages int, next string) {
	data := make([]map[string]any, len(ids))
	for i, id := range ids {
		data[i] = map[string]any{"id": id, "type": "organizations", "attributes": map[string]any{"name": "Org " + id}}
	}
	doc := map[string]any{"data": data, "meta": map[string]any{"pagination": map[string]any{
		"page": n, "per_page": perPage, "total_count": totalPages * perPage, "total_pages": totalPages}}}
	if next != "" {
		doc["links"] = map[string]any{"next": next}
		delete(doc, "meta")
	}
	w.Header().Set("Content-Type", jsonapi.MediaType)
	_ = json.NewEncoder(w).Encode(doc)
}

func pagedServer(t *testing.T, p *faulttest.Paged) *faulttest.Server {
	t.Helper()
	return faulttest.NewServer(t, func(w http.ResponseWriter, r *http.Request, _ []byte) bool {
		n := 1
		if v := r.URL.Query().Get("page"); v != "" {
			n, _ = strconv.Atoi(v)
		}
		status, ids := p.Answer(r, n-1)
		switch status {
		case 0:
		case http.StatusOK:
			writeMPDXPage(w, ids, n, p.PerPage, p.Pages, "")
		default:
			w.Header().Set("Content-Type", jsonapi.MediaType)
			w.Header().Set("Retry-After", "0")
			w.WriteHeader(status)
			_, _ = w.Write([]byte(`{"errors":[{"status":"` + strconv.Itoa(status) + `","title":"page ` + strconv.Itoa(n) + ` failed"}]}`))
		}
		return true
	}, nil)
}

func pagedWalk(t *testing.T, p *faulttest.Paged, prefetch int, pace faulttest.Pace) iter.Seq2[string, error] {
	opts := append(faulttest.PaceOptions(pace, jsonapi.WithRateLimit, jsonapi.WithLimiter), jsonapi.WithPrefetch(prefetch))
	c := walksClient(t, pagedServer(t, p), opts...)
	return faulttest.IDsOf(c.Organizations.All(t.Context(), &jsonapi.ListOptions{PerPage: p.PerPage}), walksID)
}

func TestWalkPaged(t *testing.T) {
	t.Parallel()
	faulttest.PagedWalks(t, "jsonapi", pagedWalk)
}

func TestWalkPagedControl(t *testing.T) {
	t.Parallel()
	faulttest.WithoutLimiterExceeds(t, pagedWalk)
}

// TestWalkPagedStartsAtTheFirstPage: a walk from ListOptions.Page = 3
// numbers the pages after it from 3, and counts total_pages from there.
func TestWalkPagedStartsAtTheFirstPage(t *testing.T) {
	t.Parallel()
	p := &faulttest.Paged{Pages: 7, PerPage: 2}
	srv := pagedServer(t, p)
	c := walksClient(t, srv, jsonapi.WithPrefetch(4))
	walked := faulttest.Walk(c.Organizations.All(t.Context(), &jsonapi.ListOptions{Page: 3, PerPage: 2}), walksID, 100)
	require.Empty(t, walked.Errs)
	assert.Equal(t, faulttest.IDs(5, 10), walked.IDs)
	assert.Len(t, p.Hits(), 5)
}

// TestWalkOwnLinksStayOneAhead: a server that sends links.next is
// followed link by link, one request at a time, even at WithPrefetch(8).
func TestWalkOwnLinksStayOneAhead(t *testing.T) {
	t.Parallel()
	var inFlight faulttest.InFlight
	var srv *faulttest.Server
	srv = faulttest.NewServer(t, func(w http.ResponseWriter, r *http.Request, _ []byte) bool {
		defer inFlight.Enter()()
		time.Sleep(2 * time.Millisecond)
		k := 1
		if c := r.URL.Query().Get("cursor"); c != "" {
			k, _ = strconv.Atoi(c)
		}
		next := ""
		if k < 6 {
			next = srv.URL + "/api/v2/organizations?cursor=" + strconv.Itoa(k+1)
		} else {
			next = "" // a null links.next: encoded below
		}
		if next == "" {
			w.Header().Set("Content-Type", jsonapi.MediaType)
			_, _ = w.Write([]byte(`{"data":[{"id":"` + strconv.Itoa(2*k-1) + `","type":"organizations","attributes":{}},{"id":"` + strconv.Itoa(2*k) + `","type":"organizations","attributes":{}}],"links":{"next":null}}`))
			return true
		}
		writeMPDXPage(w, faulttest.IDs(2*k-1, 2), k, 2, 6, next)
		return true
	}, nil)
	c := walksClient(t, srv, jsonapi.WithPrefetch(8))
	walked := faulttest.Walk(c.Organizations.All(t.Context(), nil), walksID, 100)
	require.Empty(t, walked.Errs)
	assert.Equal(t, faulttest.IDs(1, 12), walked.IDs)
	assert.Equal(t, 6, srv.Count(http.MethodGet, walksPath))
	assert.Equal(t, 1, inFlight.Most(), "one request at a time at the server")
}

// TestWalkPagedTotalChanges: the first page's total_pages plans the walk;
// each page's own total_pages says whether another follows.
func TestWalkPagedTotalChanges(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name         string
		first, later int // total_pages on page 1 and on the pages after it
		pages        int // pages yielded
	}{
		{"grown: the last counted page counts more, and they are walked", 3, 5, 5},
		{"shrunk: a page that counts no more is the last", 6, 3, 3},
	} {
		for _, n := range []int{0, 1, 8} {
			t.Run(tc.name+"/prefetch="+strconv.Itoa(n), func(t *testing.T) {
				t.Parallel()
				srv := faulttest.NewServer(t, func(w http.ResponseWriter, r *http.Request, _ []byte) bool {
					page := 1
					if v := r.URL.Query().Get("page"); v != "" {
						page, _ = strconv.Atoi(v)
					}
					total := tc.later
					if page == 1 {
						total = tc.first
					}
					// Pages past any total are still served: only the
					// pages' own word can end the walk.
					writeMPDXPage(w, faulttest.IDs(2*page-1, 2), page, 2, total, "")
					return true
				}, nil)
				c := walksClient(t, srv, jsonapi.WithPrefetch(n))
				walked := faulttest.Walk(c.Organizations.All(t.Context(), nil), walksID, 100)
				require.Empty(t, walked.Errs)
				assert.Equal(t, faulttest.IDs(1, 2*tc.pages), walked.IDs)
				requests := srv.Count(http.MethodGet, walksPath)
				assert.GreaterOrEqual(t, requests, tc.pages)
				assert.LessOrEqual(t, requests, max(tc.pages, tc.first), "no page beyond the plan and the server's word")
			})
		}
	}
}

// accountsPagedServer serves p as MPDX pages of the user's organization
// accounts: the same meta.pagination, no links.
func accountsPagedServer(t *testing.T, p *faulttest.Paged) *faulttest.Server {
	t.Helper()
	return faulttest.NewServer(t, func(w http.ResponseWriter, r *http.Request, _ []byte) bool {
		n := 1
		if v := r.URL.Query().Get("page"); v != "" {
			n, _ = strconv.Atoi(v)
		}
		status, ids := p.Answer(r, n-1)
		switch status {
		case 0:
		case http.StatusOK:
			data := make([]map[string]any, len(ids))
			for i, id := range ids {
				data[i] = map[string]any{"id": id, "type": "organization_accounts", "attributes": map[string]any{"username": "user" + id}}
			}
			w.Header().Set("Content-Type", jsonapi.MediaType)
			_ = json.NewEncoder(w).Encode(map[string]any{"data": data, "meta": map[string]any{"pagination": map[string]any{
				"page": n, "per_page": p.PerPage, "total_count": p.Count(), "total_pages": p.Pages}}})
		default:
			w.Header().Set("Content-Type", jsonapi.MediaType)
			w.Header().Set("Retry-After", "0")
			w.WriteHeader(status)
			_, _ = w.Write([]byte(`{"errors":[{"status":"` + strconv.Itoa(status) + `","title":"page ` + strconv.Itoa(n) + ` failed"}]}`))
		}
		return true
	}, nil)
}

func accountsPagedWalk(t *testing.T, p *faulttest.Paged, prefetch int, pace faulttest.Pace) iter.Seq2[string, error] {
	opts := append(faulttest.PaceOptions(pace, jsonapi.WithRateLimit, jsonapi.WithLimiter), jsonapi.WithPrefetch(prefetch))
	c := walksClient(t, accountsPagedServer(t, p), opts...)
	return faulttest.IDsOf(c.OrganizationAccounts.All(t.Context(), &jsonapi.ListOptions{PerPage: p.PerPage}),
		func(a *jsonapi.OrganizationAccount) string { return a.ID })
}

// TestWalkPagedAccounts: the accounts walk is the organizations' walk
// (one implementation, walkPages), pages in flight included.
func TestWalkPagedAccounts(t *testing.T) {
	t.Parallel()
	faulttest.PagedWalks(t, "jsonapi", accountsPagedWalk)
}
