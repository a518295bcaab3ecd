package jsonapi_test

// Fault injection, issue 19 groups 2, 6 and 10: every walk ends, whatever
// pages the server invents (by links.next or by a meta.pagination.
// total_pages of two billion); an HTML page or a body in another format is
// never an answer; and a document that names an identity twice is refused.

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
	"github.com/orgsdk/orgsdk/jsonapi"
)

const walksPath = "/api/v2/organizations"

func walksClient(t *testing.T, srv *faulttest.Server, opts ...jsonapi.Option) *jsonapi.Client {
	t.Helper()
	base := []jsonapi.Option{
		jsonapi.WithBaseURL(srv.URL + "/api/v2/"),
		jsonapi.WithRetryWait(time.Millisecond, 5*time.Millisecond),
		jsonapi.WithMaxRetries(2),
	}
	c, err := jsonapi.NewClient("walks-token", append(base, opts...)...)
	require.NoError(t, err)
	return c
}

func walksOrg(id string) string {
	return `{"id":"` + id + `","type":"organizations","attributes":{"name":"Org ` + id + `","created_at":"2021-11-23T14:38:10Z"}}`
}

func walksID(o *jsonapi.Organization) string { return o.ID }

// walksPage renders page n of a list whose next page is named by
// links.next, or, with byTotal, by meta.pagination (two billion pages).
func walksPage(ids []string, n int, next, byTotal bool) string {
	orgs := make([]string, len(ids))
	for i, id := range ids {
		orgs[i] = walksOrg(id)
	}
	data := `{"data":[` + strings.Join(orgs, ",") + `]`
	if byTotal {
		total := n
		if next {
			total = 2_000_000_000
		}
		return data + `,"meta":{"pagination":{"page":` + strconv.Itoa(n) + `,"per_page":25,"total_pages":` + strconv.Itoa(total) + `}}}`
	}
	link := "null"
	if next {
		link = `"/api/v2/organizations?page=` + strconv.Itoa(n+1) + `"`
	}
	return data + `,"links":{"next":` + link + `}}`
}

func TestWalksEnd(t *testing.T) {
	t.Parallel()
	for _, byTotal := range []bool{false, true} {
		t.Run(map[bool]string{false: "links.next", true: "total_pages"}[byTotal], func(t *testing.T) {
			t.Parallel()
			faulttest.EachHostileList(t, "jsonapi", func(t *testing.T, hl faulttest.HostileList, prefetch int) (faulttest.Walked, int) {
				srv := faulttest.NewServer(t, nil, func(w http.ResponseWriter, r *http.Request) {
					n := 1
					if p := r.URL.Query().Get("page"); p != "" {
						n, _ = strconv.Atoi(p)
					}
					ids, next := hl.Page(n)
					w.Header().Set("Content-Type", jsonapi.MediaType)
					_, _ = io.WriteString(w, walksPage(ids, n, next, byTotal))
				})
				c := walksClient(t, srv, jsonapi.WithPrefetch(prefetch))
				walked := faulttest.Walk(c.Organizations.All(t.Context(), &jsonapi.ListOptions{MaxPages: hl.MaxPages}), walksID, 10_000)
				return walked, srv.Count(http.MethodGet, walksPath)
			})
		})
	}
}

// TestWalksYieldRepeatsInsideNewPages: numbered pages shift when an
// organization is added during a walk; the repeat is yielded, not taken for
// a loop.
func TestWalksYieldRepeatsInsideNewPages(t *testing.T) {
	t.Parallel()
	srv := faulttest.NewServer(t, nil, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", jsonapi.MediaType)
		if r.URL.Query().Get("page") == "" {
			_, _ = io.WriteString(w, walksPage([]string{"a", "b"}, 1, true, true))
			return
		}
		_, _ = io.WriteString(w, walksPage([]string{"b", "c"}, 2, false, true))
	})
	walked := faulttest.Walk(walksClient(t, srv).Organizations.All(t.Context(), nil), walksID, 100)
	assert.Empty(t, walked.Errs)
	assert.Equal(t, []string{"a", "b", "b", "c"}, walked.IDs)
}

func TestWalksMaxPagesNegative(t *testing.T) {
	t.Parallel()
	srv := faulttest.NewServer(t, nil, func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", jsonapi.MediaType)
		_, _ = io.WriteString(w, walksPage([]string{"a"}, 1, false, false))
	})
	c := walksClient(t, srv)
	opts := &jsonapi.ListOptions{MaxPages: -1}
	walked := faulttest.Walk(c.Organizations.All(t.Context(), opts), walksID, 10)
	require.Len(t, walked.Errs, 1)
	assert.ErrorIs(t, walked.Errs[0], jsonapi.ErrInvalidArgument)
	assert.EqualError(t, walked.Errs[0], "orgsdk: jsonapi: invalid argument: MaxPages -1 is negative")
	_, _, err := c.Organizations.List(t.Context(), opts)
	assert.ErrorIs(t, err, jsonapi.ErrInvalidArgument)
	assert.Zero(t, srv.Total(), "refused before any request")
}

func TestWalksForeignBodies(t *testing.T) {
	t.Parallel()
	bodies := append(faulttest.ForeignBodies(),
		faulttest.ForeignBody{Name: "an array for a document", ContentType: faulttest.JSONType, Body: "[]", Says: "got a JSON array, want a JSON object"},
		faulttest.ForeignBody{Name: "HTML typed as plain JSON", ContentType: "application/json", Body: "<html><body>Sign in</body></html>", Is: jsonapi.ErrUnexpectedContentType, Says: "HTML page"})
	for _, fb := range bodies {
		for _, call := range []string{"Get", "List", "All"} {
			t.Run(fb.Name+"/"+call, func(t *testing.T) {
				t.Parallel()
				srv := faulttest.NewServer(t, nil, func(w http.ResponseWriter, _ *http.Request) {
					w.Header()["Content-Type"] = []string{strings.ReplaceAll(fb.ContentType, faulttest.JSONType, jsonapi.MediaType)}
					_, _ = io.WriteString(w, fb.Body)
				})
				c := walksClient(t, srv)
				var err error
				switch call {
				case "Get":
					_, _, err = c.Organizations.Get(t.Context(), "a")
				case "List":
					var list *jsonapi.OrganizationList
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
	org := walksOrg("a")
	attrs := `{"name":"Org a","created_at":"2021-11-23T14:38:10Z"}`
	list := `{"data":[` + org + `],"links":{"next":null},"meta":{"pagination":{"page":1,"total_pages":1}}}`
	one := `{"data":` + org + `}`
	inList := func(o string) string { return `{"data":[` + walksOrg("z") + `,` + o + `]}` }
	inOne := func(o string) string { return `{"data":` + o + `}` }
	withAttrs := func(a string) string {
		return inList(`{"id":"a","type":"organizations","attributes":` + a + `}`)
	}
	var cases []faulttest.DuplicateCase
	for _, c := range [][]faulttest.DuplicateCase{
		faulttest.DuplicateCases("Get", one, "data", `{"id":"b","type":"organizations"}`, nil),
		faulttest.DuplicateCases("Get", org, "id", `"b"`, inOne),
		faulttest.DuplicateCases("Get", org, "type", `"users"`, inOne),
		faulttest.DuplicateCases("List", list, "data", `[]`, nil),
		faulttest.DuplicateCases("List", list, "meta", `{}`, nil),
		faulttest.DuplicateCases("List", org, "id", `"b"`, inList),
		faulttest.DuplicateCases("List", org, "attributes", `{}`, inList),
		faulttest.DuplicateCases("List", attrs, "name", `"Someone Else"`, withAttrs),
		faulttest.DuplicateCases("List", `{"next":null}`, "next", `"/api/v2/organizations?page=9"`, func(l string) string { return `{"data":[],"links":` + l + `}` }),
		faulttest.DuplicateCases("List", `{"page":1,"total_pages":1}`, "total_pages", `99`, func(p string) string { return `{"data":[],"meta":{"pagination":` + p + `}}` }),
	} {
		cases = append(cases, c...)
	}
	for _, tc := range cases {
		t.Run(tc.Name, func(t *testing.T) {
			t.Parallel()
			srv := faulttest.NewServer(t, nil, func(w http.ResponseWriter, _ *http.Request) {
				w.Header().Set("Content-Type", jsonapi.MediaType)
				_, _ = io.WriteString(w, tc.Body)
			})
			c := walksClient(t, srv)
			var err error
			if strings.HasPrefix(tc.Name, "Get/") {
				_, _, err = c.Organizations.Get(t.Context(), "a")
			} else {
				_, _, err = c.Organizations.List(t.Context(), nil)
			}
			faulttest.AssertDuplicate(t, tc.Key, err, srv.Total())
		})
	}
}
