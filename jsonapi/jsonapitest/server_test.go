package jsonapitest_test

import (
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/orgsdk/orgsdk/internal/recording"
	"github.com/orgsdk/orgsdk/jsonapi"
	"github.com/orgsdk/orgsdk/jsonapi/jsonapitest"

	"github.com/orgsdk/orgsdk/internal/faulttest"
)

// get sends a raw request so the tests see exactly what the server says.
func get(t *testing.T, srv *jsonapitest.Server, path string, header map[string]string) (int, http.Header, map[string]any, string) {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, srv.URL+path, nil)
	require.NoError(t, err)
	req.Header.Set("Content-Type", "application/vnd.api+json")
	req.Header.Set("Accept", "application/vnd.api+json")
	req.Header.Set("Authorization", "Bearer "+srv.Token)
	for k, v := range header {
		if v == "" {
			req.Header.Del(k)
		} else {
			req.Header.Set(k, v)
		}
	}
	resp, err := faulttest.RawClient(t).Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	var doc map[string]any
	require.NoError(t, json.Unmarshal(raw, &doc), "%s", raw)
	return resp.StatusCode, resp.Header, doc, string(raw)
}

func pagination(doc map[string]any) map[string]any {
	return doc["meta"].(map[string]any)["pagination"].(map[string]any)
}

func TestMediaTypeAndAuth(t *testing.T) {
	t.Parallel()
	srv := jsonapitest.NewServer()
	defer srv.Close()
	// The 401 body recorded from MPDX's own test suite.
	rec401, err := recording.Load("../../testdata/jsonapi/error_401.json")
	require.NoError(t, err)
	want401 := string(rec401.Response.Body())
	for name, tc := range map[string]struct {
		header map[string]string
		status int
	}{
		"ok":                     {nil, 200},
		"ok without accept":      {map[string]string{"Accept": ""}, 200},
		"ok with wildcard":       {map[string]string{"Accept": "*/*"}, 200},
		"no content type":        {map[string]string{"Content-Type": ""}, 415},
		"content type params":    {map[string]string{"Content-Type": "application/vnd.api+json; charset=utf-8"}, 415},
		"plain json":             {map[string]string{"Content-Type": "application/json"}, 415},
		"accept all with params": {map[string]string{"Accept": "application/vnd.api+json; ext=bulk, application/vnd.api+json; profile=x"}, 406},
		"accept one plain":       {map[string]string{"Accept": "application/vnd.api+json; ext=bulk, application/vnd.api+json"}, 200},
		"accept q only":          {map[string]string{"Accept": "application/vnd.api+json; q=0.9"}, 200},
		"no auth":                {map[string]string{"Authorization": ""}, 401},
		"wrong token":            {map[string]string{"Authorization": "Bearer nope"}, 401},
		"basic auth":             {map[string]string{"Authorization": "Basic " + srv.Token}, 401},
	} {
		t.Run(name, func(t *testing.T) {
			status, h, doc, raw := get(t, srv, "organizations", tc.header)
			assert.Equal(t, tc.status, status, raw)
			assert.Equal(t, "application/vnd.api+json; charset=utf-8", h.Get("Content-Type"))
			if status != 200 {
				require.Contains(t, doc, "errors")
			}
			if status == 401 {
				assert.JSONEq(t, want401, raw)
			}
		})
	}
}

func TestPaginationEcho(t *testing.T) {
	t.Parallel()
	srv := jsonapitest.NewServer()
	defer srv.Close()

	_, _, doc, _ := get(t, srv, "organizations", nil)
	assert.Equal(t, map[string]any{"page": 1.0, "per_page": 25.0, "total_count": 5.0, "total_pages": 1.0}, pagination(doc))
	assert.NotContains(t, doc, "links", "MPDX sends no top-level links")

	_, _, doc, _ = get(t, srv, "organizations?page=2&per_page=2", nil)
	assert.Equal(t, map[string]any{"page": "2", "per_page": "2", "total_count": 5.0, "total_pages": 3.0}, pagination(doc))
	assert.Len(t, doc["data"], 2)

	_, _, doc, _ = get(t, srv, "organizations?per_page=2", nil)
	assert.Equal(t, map[string]any{"page": 1.0, "per_page": "2", "total_count": 5.0, "total_pages": 3.0}, pagination(doc))

	_, _, doc, _ = get(t, srv, "organizations?page=9", nil)
	assert.Empty(t, doc["data"])

	for _, q := range []string{"page=0", "page=x", "per_page=-1"} {
		status, _, doc, _ := get(t, srv, "organizations?"+q, nil)
		assert.Equal(t, 400, status, q)
		assert.Contains(t, doc, "errors")
	}
}

func TestLinksModes(t *testing.T) {
	t.Parallel()
	srv := jsonapitest.NewServer()
	defer srv.Close()
	srv.SetPaginationMeta(false)
	for mode, want := range map[jsonapitest.LinksMode]func(next any) bool{
		jsonapitest.LinksAbsolute: func(n any) bool { s, ok := n.(string); return ok && strings.HasPrefix(s, "http://") },
		jsonapitest.LinksRelative: func(n any) bool { s, ok := n.(string); return ok && strings.HasPrefix(s, "/api/v2/organizations?") },
		jsonapitest.LinksObject: func(n any) bool {
			m, ok := n.(map[string]any)
			return ok && strings.Contains(m["href"].(string), "page=2")
		},
	} {
		srv.SetLinks(mode)
		_, _, doc, _ := get(t, srv, "organizations?per_page=2&sort=name", nil)
		assert.NotContains(t, doc, "meta")
		next := doc["links"].(map[string]any)["next"]
		assert.True(t, want(next), "mode %d: %v", mode, next)
		_, _, doc, _ = get(t, srv, "organizations?per_page=2&page=3", nil)
		assert.Nil(t, doc["links"].(map[string]any)["next"], "last page")
	}
}

func TestSortFilterAndErrors(t *testing.T) {
	t.Parallel()
	srv := jsonapitest.NewServer()
	defer srv.Close()
	names := func(doc map[string]any) []string {
		var out []string
		for _, d := range doc["data"].([]any) {
			out = append(out, d.(map[string]any)["attributes"].(map[string]any)["name"].(string))
		}
		return out
	}
	_, _, doc, _ := get(t, srv, "organizations?sort=name", nil)
	assert.Equal(t, []string{"Agape UK", "Cru", "Organization442", "Organization446", "Power to Change"}, names(doc))
	assert.Equal(t, "name", doc["meta"].(map[string]any)["sort"])
	_, _, doc, _ = get(t, srv, "organizations?sort=-name", nil)
	assert.Equal(t, []string{"Power to Change", "Organization446", "Organization442", "Cru", "Agape UK"}, names(doc))

	status, _, doc, _ := get(t, srv, "organizations?sort=created_at", nil)
	assert.Equal(t, 400, status)
	errObj := doc["errors"].([]any)[0].(map[string]any)
	assert.Equal(t, "400", errObj["status"])
	assert.Equal(t, map[string]any{"parameter": "sort"}, errObj["source"])

	_, _, doc, _ = get(t, srv, "organizations?filter%5Bcountry%5D=canada&filter%5Bbogus%5D=x", nil)
	assert.Equal(t, []string{"Power to Change"}, names(doc))
	assert.Equal(t, map[string]any{"country": "canada"}, doc["meta"].(map[string]any)["filter"], "unknown keys dropped")

	status, _, doc, _ = get(t, srv, "organizations/6fcf9f2f-25c6-4a7c-9d76-db7bfc3b0041", nil)
	assert.Equal(t, 200, status)
	assert.Equal(t, "Organization446", doc["data"].(map[string]any)["attributes"].(map[string]any)["name"])

	status, _, doc, _ = get(t, srv, "organizations/missing", nil)
	assert.Equal(t, 404, status)
	assert.Equal(t, "404", doc["errors"].([]any)[0].(map[string]any)["status"])

	status, _, _, _ = get(t, srv, "nothing-here", nil)
	assert.Equal(t, 404, status)
}

func TestFaultsAndData(t *testing.T) {
	t.Parallel()
	srv := jsonapitest.NewServer()
	defer srv.Close()
	srv.InjectFault(jsonapitest.Fault{Status: 503, PathContains: "/organizations"})
	status, h, doc, _ := get(t, srv, "organizations", nil)
	assert.Equal(t, 503, status)
	assert.Equal(t, "application/vnd.api+json; charset=utf-8", h.Get("Content-Type"))
	assert.Equal(t, "503", doc["errors"].([]any)[0].(map[string]any)["status"])
	status, _, _, _ = get(t, srv, "organizations", nil)
	assert.Equal(t, 200, status)
	assert.Equal(t, 2, srv.Hits())
	assert.Equal(t, 2, srv.HitsFor("GET", "/api/v2/organizations"))

	require.Len(t, srv.Requests(), 2)
	assert.Equal(t, "/api/v2/organizations", srv.Requests()[1].Path)
	assert.Equal(t, "Bearer "+srv.Token, srv.Requests()[1].Header.Get("Authorization"))

	srv.Clear()
	id := srv.Add(jsonapi.Organization{Name: "Solo"})
	assert.Equal(t, "00000000-0000-4000-8000-000000000001", id)
	orgs := srv.Organizations()
	require.Len(t, orgs, 1)
	assert.Equal(t, id, orgs[0].ID)
	assert.Equal(t, "USD", orgs[0].DefaultCurrencyCode)
	assert.False(t, orgs[0].CreatedAt.IsZero())

	// Reset brings the seed back and forgets faults and requests.
	srv.InjectFault(jsonapitest.Fault{Status: 500, Count: 5})
	srv.Reset()
	assert.Len(t, srv.Organizations(), 5)
	assert.Zero(t, srv.Hits())
	assert.Empty(t, srv.Requests())
	status, _, _, _ = get(t, srv, "organizations", nil)
	assert.Equal(t, 200, status, "the queued fault is gone")
	assert.Equal(t, 1, srv.HitsFor("GET", "/api/v2/organizations"))
}

// TestAddReplacesAndWithoutSeed: a taken ID replaces in place (it used to
// add a second organization with the same id), Organization reads one
// back, and WithoutSeed and WithToken start the server as asked.
func TestAddReplacesAndWithoutSeed(t *testing.T) {
	t.Parallel()
	srv := jsonapitest.NewServer()
	defer srv.Close()
	seeded := srv.Organizations()
	first := seeded[0].ID
	assert.Equal(t, first, srv.Add(jsonapi.Organization{ID: first, Name: "Replaced"}))
	orgs := srv.Organizations()
	require.Len(t, orgs, len(seeded), "a taken ID replaces, it does not add")
	assert.Equal(t, "Replaced", orgs[0].Name, "in place")
	got, ok := srv.Organization(first)
	require.True(t, ok)
	assert.Equal(t, "Replaced", got.Name)
	_, ok = srv.Organization("no-such-id")
	assert.False(t, ok)
	// A generated ID skips one already held.
	srv.Add(jsonapi.Organization{ID: "00000000-0000-4000-8000-000000000001", Name: "Holds the first"})
	assert.Equal(t, "00000000-0000-4000-8000-000000000002", srv.Add(jsonapi.Organization{Name: "Generated"}))

	empty := jsonapitest.NewServer(jsonapitest.WithoutSeed(), jsonapitest.WithToken("my-token"))
	defer empty.Close()
	assert.Equal(t, "my-token", empty.Token)
	assert.Empty(t, empty.Organizations())
	status, _, doc, _ := get(t, empty, "organizations", nil)
	require.Equal(t, 200, status)
	assert.Empty(t, doc["data"])
	empty.Add(jsonapi.Organization{Name: "Mine"})
	empty.Reset()
	assert.Empty(t, empty.Organizations(), "Reset keeps WithoutSeed")
	other := jsonapitest.NewServer()
	defer other.Close()
	assert.NotEqual(t, other.Token, srv.Token, "tokens are random")
}

// TestServerOptions: options set the starting modes, and Reset returns to
// them.
func TestServerOptions(t *testing.T) {
	t.Parallel()
	srv := jsonapitest.NewServer(jsonapitest.WithLinks(jsonapitest.LinksRelative), jsonapitest.WithoutPaginationMeta(), nil)
	defer srv.Close()
	_, _, doc, _ := get(t, srv, "organizations?per_page=2", nil)
	assert.NotContains(t, doc, "meta")
	assert.Equal(t, "/api/v2/organizations?page=2&per_page=2", doc["links"].(map[string]any)["next"])

	srv.SetLinks(jsonapitest.LinksNone)
	srv.SetPaginationMeta(true)
	_, _, doc, _ = get(t, srv, "organizations?per_page=2", nil)
	assert.NotContains(t, doc, "links")
	srv.Reset()
	_, _, doc, _ = get(t, srv, "organizations?per_page=2", nil)
	assert.NotContains(t, doc, "meta")
	assert.Contains(t, doc, "links")
}

// TestDecimalsAsStrings: the fake sends decimals as Rails does.
func TestDecimalsAsStrings(t *testing.T) {
	t.Parallel()
	srv := jsonapitest.NewServer()
	defer srv.Close()
	_, _, doc, _ := get(t, srv, "organizations/8c4d2e1f-3a5b-4c6d-8e7f-9a0b1c2d3e4f", nil)
	attrs := doc["data"].(map[string]any)["attributes"].(map[string]any)
	assert.Equal(t, "25.0", attrs["gift_aid_percentage"])
	assert.Equal(t, "2021-11-26T14:38:10Z", attrs["created_at"])
	_, _, doc, _ = get(t, srv, "organizations/f543998b-5dbf-4e4b-ab2b-00f2751986b8", nil)
	attrs = doc["data"].(map[string]any)["attributes"].(map[string]any)
	assert.Contains(t, attrs, "gift_aid_percentage")
	assert.Nil(t, attrs["gift_aid_percentage"], "null attributes are sent as null")
}

// The fake honours a sparse fieldset, on lists and on one resource, and
// refuses include (the organization resource has no relationships), so a
// user's test sees what the real server would send.
func TestSparseFieldsetsAndInclude(t *testing.T) {
	t.Parallel()
	srv := jsonapitest.NewServer()
	defer srv.Close()
	attrs := func(node any) map[string]any { return node.(map[string]any)["attributes"].(map[string]any) }

	_, _, doc, _ := get(t, srv, "organizations?fields%5Borganizations%5D=name,code", nil)
	for _, d := range doc["data"].([]any) {
		a := attrs(d)
		assert.Len(t, a, 2, "%v", a)
		assert.Contains(t, a, "name")
		assert.Contains(t, a, "code")
	}
	_, _, doc, _ = get(t, srv, "organizations/6fcf9f2f-25c6-4a7c-9d76-db7bfc3b0041?fields%5Borganizations%5D=name", nil)
	assert.Equal(t, map[string]any{"name": "Organization446"}, attrs(doc["data"]))
	_, _, doc, _ = get(t, srv, "organizations?fields%5Borganizations%5D=", nil)
	assert.Empty(t, attrs(doc["data"].([]any)[0]), "an empty fieldset keeps no attribute")

	status, _, doc, _ := get(t, srv, "organizations?include=users", nil)
	assert.Equal(t, 400, status)
	assert.Equal(t, map[string]any{"parameter": "include"}, doc["errors"].([]any)[0].(map[string]any)["source"])

	// Through the client: Fields narrows what decodes.
	c, err := jsonapi.NewClient(srv.Token, jsonapi.WithBaseURL(srv.URL))
	require.NoError(t, err)
	list, _, err := c.Organizations.List(t.Context(), &jsonapi.ListOptions{Fields: map[string][]string{"organizations": {"name"}}})
	require.NoError(t, err)
	require.NotEmpty(t, list.Items)
	assert.NotEmpty(t, list.Items[0].Name)
	assert.Empty(t, list.Items[0].DefaultCurrencyCode, "left out of the fieldset")
}
