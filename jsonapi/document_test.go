package jsonapi_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/orgsdk/orgsdk/jsonapi"
)

// compoundOrg carries every resource-level member JSON:API allows.
const compoundOrg = `{"id":"o1","type":"organizations",
 "attributes":{"name":"Cru","gift_aid_percentage":"25.0"},
 "links":{"self":"/api/v2/organizations/o1","logo":{"href":"https://cdn.example/o1.png","meta":{"w":64}}},
 "relationships":{
   "parent":{"data":{"type":"organizations","id":"o0"},"links":{"related":"/api/v2/organizations/o0"}},
   "users":{"data":[{"type":"users","id":"u1"},{"type":"users","id":"u2","meta":{"role":"admin"}}],"meta":{"count":2}},
   "logo_file":{"data":null},
   "designations":{"links":{"related":"/api/v2/organizations/o1/designations"}}},
 "meta":{"rank":3}}`

const included = `[{"type":"users","id":"u1","attributes":{"first_name":"Ann"},"relationships":{"org":{"data":{"type":"organizations","id":"o1"}}}},
 {"type":"organizations","id":"o0","attributes":{"name":"Parent"}}]`

func checkCompound(t *testing.T, o *jsonapi.Organization, inc []jsonapi.Resource) {
	t.Helper()
	assert.Equal(t, "o1", o.ID)
	assert.Equal(t, "25.0", o.GiftAidPercentage.String())
	assert.Equal(t, "/api/v2/organizations/o1", o.Links["self"].Href)
	assert.Equal(t, "https://cdn.example/o1.png", o.Links["logo"].Href)
	assert.Equal(t, map[string]any{"rank": float64(3)}, o.Meta)

	parent := o.Relationships["parent"]
	assert.True(t, parent.Data.Present)
	assert.False(t, parent.Data.IsMany())
	require.NotNil(t, parent.Data.One)
	assert.Equal(t, jsonapi.ResourceIdentifier{Type: "organizations", ID: "o0"}, *parent.Data.One)
	assert.Equal(t, "/api/v2/organizations/o0", parent.Links["related"].Href)

	users := o.Relationships["users"]
	assert.True(t, users.Data.IsMany())
	require.Len(t, users.Data.Identifiers(), 2)
	assert.Equal(t, map[string]any{"role": "admin"}, users.Data.Many[1].Meta)
	assert.Equal(t, map[string]any{"count": float64(2)}, users.Meta)

	logo := o.Relationships["logo_file"]
	assert.True(t, logo.Data.Present, "null data is an empty to-one relationship")
	assert.Empty(t, logo.Data.Identifiers())

	des := o.Relationships["designations"]
	assert.False(t, des.Data.Present, "links only: no data member")

	require.Len(t, inc, 2)
	assert.Equal(t, "users", inc[0].Type)
	assert.Equal(t, "Ann", inc[0].Attributes["first_name"])
	assert.Equal(t, "o1", inc[0].Relationships["org"].Data.One.ID)
	assert.Equal(t, "Parent", inc[1].Attributes["name"])

	// Written back, the relationships keep their shapes.
	out, err := json.Marshal(o.Relationships)
	require.NoError(t, err)
	assert.JSONEq(t, `{
	  "parent":{"data":{"type":"organizations","id":"o0"},"links":{"related":"/api/v2/organizations/o0"}},
	  "users":{"data":[{"type":"users","id":"u1"},{"type":"users","id":"u2","meta":{"role":"admin"}}],"meta":{"count":2}},
	  "logo_file":{"data":null},
	  "designations":{"links":{"related":"/api/v2/organizations/o1/designations"}}}`, string(out))
}

// TestListIncludeFieldsAndMeta: include= and fields[type]= go out, and
// meta.sort, meta.filter, per-resource links, relationships, meta and the
// included resources come back.
func TestListIncludeFieldsAndMeta(t *testing.T) {
	t.Parallel()
	c, reqs, _ := stub(t, func(w http.ResponseWriter, r *http.Request) {
		writeDoc(w, 200, `{"data":[`+compoundOrg+`],"included":`+included+`,
		 "meta":{"pagination":{"page":"1","per_page":"25","total_count":1,"total_pages":1},"sort":"name","filter":{"country":"Canada","wildcard_search":"cru"}}}`)
	})
	list, resp, err := c.Organizations.List(context.Background(), &jsonapi.ListOptions{
		Sort:    "name",
		Include: []string{"users", "parent"},
		Fields:  map[string][]string{"organizations": {"name", "users"}, "users": {"first_name"}},
	})
	require.NoError(t, err)
	assert.Empty(t, resp.NextCursor)
	q, err := url.ParseQuery(reqs()[0].Query)
	require.NoError(t, err)
	assert.Equal(t, url.Values{
		"sort": {"name"}, "include": {"users,parent"},
		"fields[organizations]": {"name,users"}, "fields[users]": {"first_name"},
	}, q)

	assert.Equal(t, 1, list.Total)
	assert.Equal(t, "name", list.Sort)
	assert.Equal(t, map[string]any{"country": "Canada", "wildcard_search": "cru"}, list.Filter)
	require.Len(t, list.Items, 1)
	checkCompound(t, list.Items[0], list.Included)
}

func TestGetWithOptions(t *testing.T) {
	t.Parallel()
	c, reqs, _ := stub(t, func(w http.ResponseWriter, r *http.Request) {
		writeDoc(w, 200, `{"data":`+compoundOrg+`,"included":`+included+`,"links":{"self":"/api/v2/organizations/o1"},"meta":{"api":"v2"}}`)
	})
	doc, _, err := c.Organizations.GetWithOptions(context.Background(), "o1", &jsonapi.GetOptions{
		Include: []string{"users"},
		Fields:  map[string][]string{"users": {"first_name", "last_name"}},
	})
	require.NoError(t, err)
	assert.Equal(t, "/api/v2/organizations/o1", reqs()[0].Path)
	q, err := url.ParseQuery(reqs()[0].Query)
	require.NoError(t, err)
	assert.Equal(t, url.Values{"include": {"users"}, "fields[users]": {"first_name,last_name"}}, q)
	checkCompound(t, doc.Organization, doc.Included)
	assert.Equal(t, "/api/v2/organizations/o1", doc.Links["self"].Href)
	assert.Equal(t, map[string]any{"api": "v2"}, doc.Meta)

	// Get stays the plain form and sends no query.
	org, _, err := c.Organizations.Get(context.Background(), "o1")
	require.NoError(t, err)
	assert.Equal(t, "o1", org.ID)
	assert.Empty(t, reqs()[1].Query)
}

func TestIncludeFieldsValidation(t *testing.T) {
	t.Parallel()
	c, reqs, _ := stub(t, func(w http.ResponseWriter, r *http.Request) {
		writeDoc(w, 200, `{"data":[]}`)
	})
	ctx := context.Background()
	for name, o := range map[string]*jsonapi.ListOptions{
		"empty include":      {Include: []string{""}},
		"comma include":      {Include: []string{"a,b"}},
		"empty fields type":  {Fields: map[string][]string{"": {"a"}}},
		"bracket fields":     {Fields: map[string][]string{"a]": {"a"}}},
		"comma in field":     {Fields: map[string][]string{"users": {"a,b"}}},
		"empty field name":   {Fields: map[string][]string{"users": {" "}}},
		"negative per page":  {PerPage: -1},
		"bracket filter key": {Filter: map[string]string{"a[b]": "x"}},
	} {
		_, _, err := c.Organizations.List(ctx, o)
		require.ErrorIs(t, err, jsonapi.ErrInvalidArgument, name)
	}
	_, _, err := c.Organizations.GetWithOptions(ctx, "o1", &jsonapi.GetOptions{Include: []string{""}})
	require.ErrorIs(t, err, jsonapi.ErrInvalidArgument)
	_, _, err = c.Organizations.GetWithOptions(ctx, "o1", &jsonapi.GetOptions{Fields: map[string][]string{"": nil}})
	require.ErrorIs(t, err, jsonapi.ErrInvalidArgument)
	assert.Empty(t, reqs(), "nothing is sent for a bad argument")
}

// TestHostileRelationshipsAndIDs (issue 11.11): a relationship whose data
// is a bare string, and ids that are not valid UTF-8, are DecodeErrors,
// in a list and in a single document.
func TestHostileRelationshipsAndIDs(t *testing.T) {
	t.Parallel()
	for name, tc := range map[string]struct{ res, says string }{
		"relationship data string": {`{"id":"a","type":"organizations","relationships":{"x":{"data":"y"}}}`, `relationships.x: relationship data is a string`},
		"relationship data number": {`{"id":"a","type":"organizations","relationships":{"x":{"data":7}}}`, `relationship data is a number`},
		"id invalid utf8":          {"{\"id\":\"\xff\xfe\",\"type\":\"organizations\"}", "id is not valid UTF-8"},
		"rel id invalid utf8":      {"{\"id\":\"a\",\"type\":\"organizations\",\"relationships\":{\"x\":{\"data\":[{\"type\":\"t\",\"id\":\"\xc3(\"}]}}}", "id is not valid UTF-8"},
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			c, _, _ := stub(t, func(w http.ResponseWriter, r *http.Request) {
				if r.URL.Path == "/api/v2/organizations" {
					writeDoc(w, 200, `{"data":[`+tc.res+`]}`)
					return
				}
				writeDoc(w, 200, `{"data":`+tc.res+`}`)
			})
			_, _, err := c.Organizations.List(context.Background(), nil)
			var de *jsonapi.DecodeError
			require.ErrorAs(t, err, &de)
			assert.Contains(t, err.Error(), tc.says)
			_, _, err = c.Organizations.Get(context.Background(), "a")
			require.ErrorAs(t, err, &de)
			assert.Contains(t, err.Error(), tc.says)
		})
	}
}

// TestFakeResourceMembers: organizations seeded with links, relationships
// and meta come back with them.
func TestFakeResourceMembers(t *testing.T) {
	t.Parallel()
	srv, c := newFake(t)
	srv.Clear()
	d, err := jsonapi.ParseDecimal("12.50")
	require.NoError(t, err)
	id := srv.Add(jsonapi.Organization{
		Name: "Linked", GiftAidPercentage: &d, CreatedAt: time.Date(2020, 1, 2, 3, 4, 5, 0, time.UTC),
		Links:         jsonapi.Links{"self": {Href: "/x"}},
		Relationships: map[string]jsonapi.Relationship{"users": {Data: jsonapi.Linkage{Present: true, Many: []jsonapi.ResourceIdentifier{{Type: "users", ID: "u1"}}}}},
		Meta:          map[string]any{"k": "v"},
	})
	org, _, err := c.Organizations.Get(context.Background(), id)
	require.NoError(t, err)
	assert.Equal(t, "12.50", org.GiftAidPercentage.String())
	assert.Equal(t, "/x", org.Links["self"].Href)
	assert.Equal(t, "u1", org.Relationships["users"].Data.Many[0].ID)
	assert.Equal(t, "v", org.Meta["k"])
	assert.True(t, org.CreatedAt.Equal(time.Date(2020, 1, 2, 3, 4, 5, 0, time.UTC)))
	list, _, err := c.Organizations.List(context.Background(), nil)
	require.NoError(t, err)
	assert.Equal(t, 1, list.Total)
	assert.Equal(t, map[string]any{}, list.Filter)
}
