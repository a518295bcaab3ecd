package rservice_test

// Fault injection, issue 19 groups 2, 6 and 10: every walk ends, whatever
// pages the server invents; an HTML page or a body in another format is
// never an answer; and a body that names an identity twice is refused.

import (
	"io"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/orgsdk/orgsdk/internal/faulttest"
	"github.com/orgsdk/orgsdk/rservice"
)

const walksPath = "/v1/organizations"

func walksClient(t *testing.T, srv *faulttest.Server, opts ...rservice.Option) *rservice.Client {
	t.Helper()
	base := []rservice.Option{
		rservice.WithBaseURL(srv.URL + "/v1/"),
		rservice.WithRetryWait(time.Millisecond, 5*time.Millisecond),
		rservice.WithMaxRetries(2),
	}
	c, err := rservice.NewClient("walks-token-123", append(base, opts...)...)
	require.NoError(t, err)
	return c
}

func walksOrg(id string) string {
	return `{"id":` + id + `,"name":"Org ` + id + `","sourceID":null,"parent":null,"manager":null}`
}

func walksID(o *rservice.Organization) string { return strconv.FormatInt(o.ID, 10) }

// walksPage answers page n: a JSON array, and a Link header naming page
// n+1 under a fresh search_after cursor.
func walksPage(w http.ResponseWriter, ids []string, n int, next bool) {
	orgs := make([]string, len(ids))
	for i, id := range ids {
		orgs[i] = walksOrg(id)
	}
	w.Header().Set("Content-Type", "application/json")
	if next {
		w.Header().Set("Link", `</v1/organizations?per_page=100&search_after=`+strconv.Itoa(n+1)+`>; rel="next"`)
	}
	_, _ = io.WriteString(w, "["+strings.Join(orgs, ",")+"]")
}

func TestWalksEnd(t *testing.T) {
	t.Parallel()
	faulttest.EachHostileList(t, "rservice", func(t *testing.T, hl faulttest.HostileList, prefetch int) (faulttest.Walked, int) {
		srv := faulttest.NewServer(t, nil, func(w http.ResponseWriter, r *http.Request) {
			n := 1
			if s := r.URL.Query().Get("search_after"); s != "" {
				n, _ = strconv.Atoi(s)
			}
			ids, next := hl.Page(n)
			walksPage(w, ids, n, next)
		})
		c := walksClient(t, srv, rservice.WithPrefetch(prefetch))
		walked := faulttest.Walk(c.Organizations.All(t.Context(), &rservice.ListOptions{MaxPages: hl.MaxPages}), walksID, 10_000)
		return walked, srv.Count(http.MethodGet, walksPath)
	})
}

// TestWalksYieldRepeatsInsideNewPages: a page shifted by a concurrent
// change repeats an organization; it is yielded, not taken for a loop.
func TestWalksYieldRepeatsInsideNewPages(t *testing.T) {
	t.Parallel()
	srv := faulttest.NewServer(t, nil, func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Query().Get("search_after") == "" {
			walksPage(w, []string{"1", "2"}, 1, true)
			return
		}
		walksPage(w, []string{"2", "3"}, 2, false)
	})
	walked := faulttest.Walk(walksClient(t, srv).Organizations.All(t.Context(), nil), walksID, 100)
	assert.Empty(t, walked.Errs)
	assert.Equal(t, []string{"1", "2", "2", "3"}, walked.IDs)
}

func TestWalksMaxPagesNegative(t *testing.T) {
	t.Parallel()
	srv := faulttest.NewServer(t, nil, func(w http.ResponseWriter, _ *http.Request) { walksPage(w, []string{"1"}, 1, false) })
	c := walksClient(t, srv)
	opts := &rservice.ListOptions{MaxPages: -1}
	walked := faulttest.Walk(c.Organizations.All(t.Context(), opts), walksID, 10)
	require.Len(t, walked.Errs, 1)
	assert.ErrorIs(t, walked.Errs[0], rservice.ErrInvalidArgument)
	assert.EqualError(t, walked.Errs[0], "orgsdk: rservice: invalid argument: MaxPages -1 is negative")
	_, _, err := c.Organizations.List(t.Context(), &rservice.ListOptions{MaxPages: -1, Cursor: srv.URL + "/v1/organizations?search_after=2"})
	assert.ErrorIs(t, err, rservice.ErrInvalidArgument)
	assert.Zero(t, srv.Total(), "refused before any request")
}

func TestWalksForeignBodies(t *testing.T) {
	t.Parallel()
	bodies := append(faulttest.ForeignBodies(),
		faulttest.ForeignBody{Name: "an object for a list", ContentType: faulttest.JSONType, Body: `{"message":"ok"}`, Says: "got a JSON object, want a JSON array"},
		faulttest.ForeignBody{Name: "an array for one organization", ContentType: faulttest.JSONType, Body: "[]", Says: "got a JSON array, want a JSON object"})
	for _, fb := range bodies {
		for _, call := range []string{"Get", "List", "All", "Update"} {
			switch {
			case fb.Body == "[]" && (call == "List" || call == "All"),
				strings.HasPrefix(fb.Body, "{") && call != "List":
				continue
			}
			t.Run(fb.Name+"/"+call, func(t *testing.T) {
				t.Parallel()
				srv := faulttest.NewServer(t, nil, func(w http.ResponseWriter, _ *http.Request) {
					w.Header()["Content-Type"] = []string{strings.ReplaceAll(fb.ContentType, faulttest.JSONType, "application/json")}
					_, _ = io.WriteString(w, fb.Body)
				})
				c := walksClient(t, srv)
				var err error
				switch call {
				case "Get":
					_, _, err = c.Organizations.Get(t.Context(), 50)
				case "Update":
					_, _, err = c.Organizations.Update(t.Context(), 50, &rservice.OrganizationInput{Remarks: rservice.Set("x")})
				case "List":
					var list *rservice.OrganizationList
					list, _, err = c.Organizations.List(t.Context(), nil)
					assert.Nil(t, list, "never an empty page")
				case "All":
					walked := faulttest.Walk(c.Organizations.All(t.Context(), nil), walksID, 10)
					assert.Empty(t, walked.IDs)
					require.Len(t, walked.Errs, 1)
					err = walked.Errs[0]
				}
				faulttest.AssertForeign(t, fb, err, srv.Total())
			})
		}
	}
}

func TestWalksDuplicateKeys(t *testing.T) {
	t.Parallel()
	org := walksOrg("50")
	withParent := `{"id":50,"name":"Org 50","parent":{"id":6,"name":"Parent"}}`
	inList := func(o string) string { return "[" + walksOrg("49") + "," + o + "]" }
	inParent := func(p string) string { return `{"id":50,"name":"Org 50","parent":` + p + `}` }
	var cases []faulttest.DuplicateCase
	for _, c := range [][]faulttest.DuplicateCase{
		faulttest.DuplicateCases("Get", org, "id", `51`, nil),
		faulttest.DuplicateCases("Get", org, "name", `"Someone Else"`, nil),
		faulttest.DuplicateCases("Get", org, "sourceID", `"other"`, nil),
		faulttest.DuplicateCases("Get", `{"id":6,"name":"Parent"}`, "id", `7`, inParent),
		faulttest.DuplicateCases("List", org, "id", `51`, inList),
		faulttest.DuplicateCases("List", withParent, "name", `"Someone Else"`, inList),
	} {
		cases = append(cases, c...)
	}
	for _, tc := range cases {
		t.Run(tc.Name, func(t *testing.T) {
			t.Parallel()
			srv := faulttest.NewServer(t, nil, func(w http.ResponseWriter, _ *http.Request) {
				w.Header().Set("Content-Type", "application/json")
				_, _ = io.WriteString(w, tc.Body)
			})
			c := walksClient(t, srv)
			var err error
			if strings.HasPrefix(tc.Name, "Get/") {
				_, _, err = c.Organizations.Get(t.Context(), 50)
			} else {
				_, _, err = c.Organizations.List(t.Context(), nil)
			}
			faulttest.AssertDuplicate(t, tc.Key, err, srv.Total())
		})
	}
}

// TestWalksLinkStaysOneAhead: the Link header's next URL carries an opaque
// search_after value, so the page after next is unknown until next has
// arrived: at WithPrefetch(8) the walk still has one request at a time at
// the server, and yields every page in order (issue 25.1).
func TestWalksLinkStaysOneAhead(t *testing.T) {
	t.Parallel()
	var inFlight faulttest.InFlight
	srv := faulttest.NewServer(t, nil, func(w http.ResponseWriter, r *http.Request) {
		defer inFlight.Enter()()
		time.Sleep(2 * time.Millisecond)
		n := 1
		if s := r.URL.Query().Get("search_after"); s != "" {
			n, _ = strconv.Atoi(s)
		}
		walksPage(w, faulttest.IDs(2*n-1, 2), n, n < 6)
	})
	c := walksClient(t, srv, rservice.WithPrefetch(8))
	walked := faulttest.Walk(c.Organizations.All(t.Context(), nil), walksID, 100)
	require.Empty(t, walked.Errs)
	assert.Equal(t, faulttest.IDs(1, 12), walked.IDs)
	assert.Equal(t, 6, srv.Count(http.MethodGet, walksPath))
	assert.Equal(t, 1, inFlight.Most(), "one request at a time at the server")
}
