package readycloud_test

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
	"github.com/orgsdk/orgsdk/readycloud"
)

const walksPath = "/api/v2/orgs/"

func walksClient(t *testing.T, srv *faulttest.Server, opts ...readycloud.Option) *readycloud.Client {
	t.Helper()
	base := []readycloud.Option{
		readycloud.WithBaseURL(srv.URL + "/api/v2/"),
		readycloud.WithRetryWait(time.Millisecond, 5*time.Millisecond),
		readycloud.WithMaxRetries(2),
	}
	c, err := readycloud.NewClient("walks-token-0123456789", append(base, opts...)...)
	require.NoError(t, err)
	return c
}

func walksURL(o *readycloud.Organization) string { return o.URL }

func walksOrg(id string) string {
	return `{"url":"/api/v2/orgs/` + id + `/","name":"Org ` + id + `","payment_plan":null,"subscriptions":{}}`
}

// walksPage renders a Django REST framework page; next names page n+1.
func walksPage(ids []string, n int, next bool) string {
	orgs := make([]string, len(ids))
	for i, id := range ids {
		orgs[i] = walksOrg(id)
	}
	link := "null"
	if next {
		link = `"/api/v2/orgs/?limit=2&offset=` + strconv.Itoa(2*n) + `"`
	}
	return `{"count":null,"next":` + link + `,"previous":null,"results":[` + strings.Join(orgs, ",") + `]}`
}

func TestWalksEnd(t *testing.T) {
	t.Parallel()
	faulttest.EachHostileList(t, "readycloud", func(t *testing.T, hl faulttest.HostileList, prefetch int) (faulttest.Walked, int) {
		srv := faulttest.NewServer(t, nil, func(w http.ResponseWriter, r *http.Request) {
			offset, _ := strconv.Atoi(r.URL.Query().Get("offset"))
			n := offset/2 + 1
			ids, next := hl.Page(n)
			w.Header().Set("Content-Type", "application/json")
			_, _ = io.WriteString(w, walksPage(ids, n, next))
		})
		c := walksClient(t, srv, readycloud.WithPrefetch(prefetch))
		walked := faulttest.Walk(c.Organizations.All(t.Context(), &readycloud.ListOptions{MaxPages: hl.MaxPages}), walksURL, 10_000)
		return walked, srv.Count(http.MethodGet, walksPath)
	})
}

// TestWalksYieldRepeatsInsideNewPages: offset pages shift when an
// organization is added during a walk; the repeat is yielded, not taken
// for a loop.
func TestWalksYieldRepeatsInsideNewPages(t *testing.T) {
	t.Parallel()
	srv := faulttest.NewServer(t, nil, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		if r.URL.Query().Get("offset") == "" {
			_, _ = io.WriteString(w, walksPage([]string{"a", "b"}, 1, true))
			return
		}
		_, _ = io.WriteString(w, walksPage([]string{"b", "c"}, 2, false))
	})
	c := walksClient(t, srv)
	walked := faulttest.Walk(c.Organizations.All(t.Context(), nil), walksURL, 100)
	assert.Empty(t, walked.Errs)
	assert.Equal(t, []string{"/api/v2/orgs/a/", "/api/v2/orgs/b/", "/api/v2/orgs/b/", "/api/v2/orgs/c/"}, walked.IDs)
}

func TestWalksMaxPagesNegative(t *testing.T) {
	t.Parallel()
	srv := faulttest.NewServer(t, nil, func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, walksPage([]string{"a"}, 1, false))
	})
	c := walksClient(t, srv)
	opts := &readycloud.ListOptions{MaxPages: -1}
	walked := faulttest.Walk(c.Organizations.All(t.Context(), opts), walksURL, 10)
	require.Len(t, walked.Errs, 1)
	assert.ErrorIs(t, walked.Errs[0], readycloud.ErrInvalidArgument)
	assert.EqualError(t, walked.Errs[0], "orgsdk: readycloud: invalid argument: MaxPages -1 is negative")
	_, _, err := c.Organizations.List(t.Context(), opts)
	assert.ErrorIs(t, err, readycloud.ErrInvalidArgument)
	assert.Zero(t, srv.Total(), "refused before any request")
}

func TestWalksForeignBodies(t *testing.T) {
	t.Parallel()
	bodies := append(faulttest.ForeignBodies(),
		faulttest.ForeignBody{Name: "an array for one organization", ContentType: faulttest.JSONType, Body: "[]", Says: "got a JSON array, want a JSON object"})
	for _, fb := range bodies {
		for _, call := range []string{"Get", "List", "All"} {
			if fb.Body == "[]" && call != "Get" {
				continue // a bare array is an unpaginated list
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
					_, _, err = c.Organizations.Get(t.Context(), "1")
				case "List":
					var list *readycloud.OrganizationList
					list, _, err = c.Organizations.List(t.Context(), nil)
					assert.Nil(t, list, "never an empty page")
				case "All":
					walked := faulttest.Walk(c.Organizations.All(t.Context(), nil), walksURL, 10)
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
	org := walksOrg("1")
	inPage := func(o string) string { return `{"count":1,"next":null,"previous":null,"results":[` + o + `]}` }
	var cases []faulttest.DuplicateCase
	for _, c := range [][]faulttest.DuplicateCase{
		faulttest.DuplicateCases("Get", org, "url", `"/api/v2/orgs/2/"`, nil),
		faulttest.DuplicateCases("Get", org, "name", `"Someone Else"`, nil),
		faulttest.DuplicateCases("List", org, "url", `"/api/v2/orgs/2/"`, inPage),
		faulttest.DuplicateCases("List", inPage(org), "results", `[]`, nil),
		faulttest.DuplicateCases("List", inPage(org), "next", `"/api/v2/orgs/?offset=100"`, nil),
		faulttest.DuplicateCases("List", inPage(org), "count", `0`, nil),
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
				_, _, err = c.Organizations.Get(t.Context(), "1")
			} else {
				_, _, err = c.Organizations.List(t.Context(), nil)
			}
			faulttest.AssertDuplicate(t, tc.Key, err, srv.Total())
		})
	}
}
