package jsonapi_test

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/orgsdk/orgsdk/jsonapi"
	"github.com/orgsdk/orgsdk/jsonapi/jsonapitest"
)

const orgJSON = `{"id":%q,"type":"organizations","attributes":{"name":%q,"created_at":"2021-11-23T14:38:10Z","updated_at":"2021-11-23T14:38:10Z","updated_in_db_at":"2021-11-23T14:38:10Z","oauth":false,"default_currency_code":"USD"}}`

func testOpts(base string) []jsonapi.Option {
	return []jsonapi.Option{
		jsonapi.WithBaseURL(base),
		jsonapi.WithRetryWait(time.Millisecond, 20*time.Millisecond),
	}
}

// newFake starts a jsonapitest server and a client for it.
func newFake(t *testing.T, opts ...jsonapi.Option) (*jsonapitest.Server, *jsonapi.Client) {
	t.Helper()
	srv := jsonapitest.NewServer()
	t.Cleanup(srv.Close)
	c, err := jsonapi.NewClient(srv.Token, append(testOpts(srv.URL), opts...)...)
	require.NoError(t, err)
	return srv, c
}

// recorded is a request as a hand-written handler saw it.
type recorded struct {
	Method, Path, RawPath, Query string
	Header                       http.Header
}

// stub serves handler under /api/v2/ and records each request.
func stub(t *testing.T, handler func(w http.ResponseWriter, r *http.Request)) (*jsonapi.Client, func() []recorded, *httptest.Server) {
	t.Helper()
	var mu sync.Mutex
	var reqs []recorded
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		reqs = append(reqs, recorded{r.Method, r.URL.Path, r.URL.EscapedPath(), r.URL.RawQuery, r.Header.Clone()})
		mu.Unlock()
		handler(w, r)
	}))
	t.Cleanup(srv.Close)
	c, err := jsonapi.NewClient("secret-token-123", testOpts(srv.URL+"/api/v2/")...)
	require.NoError(t, err)
	return c, func() []recorded {
		mu.Lock()
		defer mu.Unlock()
		return append([]recorded(nil), reqs...)
	}, srv
}

func writeDoc(w http.ResponseWriter, status int, body string) {
	w.Header().Set("Content-Type", "application/vnd.api+json; charset=utf-8")
	w.WriteHeader(status)
	_, _ = w.Write([]byte(body))
}

func TestNewClient(t *testing.T) {
	t.Parallel()
	c, err := jsonapi.NewClient("tok")
	require.NoError(t, err)
	assert.Equal(t, jsonapi.DefaultBaseURL, c.BaseURL())
	for name, tc := range map[string]struct {
		token string
		opts  []jsonapi.Option
	}{
		"empty token":       {token: ""},
		"blank token":       {token: "  "},
		"newline in token":  {token: "a\nb"},
		"bad base URL":      {token: "t", opts: []jsonapi.Option{jsonapi.WithBaseURL("ftp://x")}},
		"nil http client":   {token: "t", opts: []jsonapi.Option{jsonapi.WithHTTPClient(nil)}},
		"nil logger":        {token: "t", opts: []jsonapi.Option{jsonapi.WithLogger(nil)}},
		"negative retries":  {token: "t", opts: []jsonapi.Option{jsonapi.WithMaxRetries(-1)}},
		"bad retry wait":    {token: "t", opts: []jsonapi.Option{jsonapi.WithRetryWait(time.Second, time.Millisecond)}},
		"zero body cap":     {token: "t", opts: []jsonapi.Option{jsonapi.WithMaxBodyBytes(0)}},
		"negative prefetch": {token: "t", opts: []jsonapi.Option{jsonapi.WithPrefetch(-1)}},
		"bad user agent":    {token: "t", opts: []jsonapi.Option{jsonapi.WithUserAgent("a\r\nb")}},
		"nil option":        {token: "t", opts: []jsonapi.Option{nil}},
		"negative rate":     {token: "t", opts: []jsonapi.Option{jsonapi.WithRateLimit(-1, time.Second)}},
		"rate zero window":  {token: "t", opts: []jsonapi.Option{jsonapi.WithRateLimit(5, 0)}},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := jsonapi.NewClient(tc.token, tc.opts...)
			require.ErrorIs(t, err, jsonapi.ErrInvalidArgument)
			assert.Equal(t, 1, strings.Count(err.Error(), "orgsdk: "), "one orgsdk prefix: %v", err)
			assert.Equal(t, 1, strings.Count(err.Error(), "jsonapi: "), "provider named once: %v", err)
		})
	}
	c, err = jsonapi.NewClient("tok", jsonapi.WithRateLimit(20, 2*time.Second), jsonapi.WithRateLimit(0, 0))
	require.NoError(t, err, "a limit, and 0 turning pacing off")
	assert.NotNil(t, c.Organizations)
}

func TestRequestHeadersAndQuery(t *testing.T) {
	t.Parallel()
	c, reqs, _ := stub(t, func(w http.ResponseWriter, r *http.Request) {
		writeDoc(w, 200, `{"data":[],"meta":{"pagination":{"page":"2","per_page":"10","total_count":0,"total_pages":0}}}`)
	})
	list, resp, err := c.Organizations.List(context.Background(), &jsonapi.ListOptions{
		Sort: "-name", Page: 2, PerPage: 10, Filter: map[string]string{"name": "Cru & Co", "updated_at": "2020-01-01..2020-12-31"},
	})
	require.NoError(t, err)
	assert.Empty(t, list.Items)
	assert.Equal(t, jsonapi.Pagination{Page: 2, PerPage: 10}, list.Pagination)
	assert.Empty(t, resp.NextCursor)
	got := reqs()
	require.Len(t, got, 1)
	r := got[0]
	assert.Equal(t, "GET", r.Method)
	assert.Equal(t, "/api/v2/organizations", r.Path)
	assert.Equal(t, "filter%5Bname%5D=Cru+%26+Co&filter%5Bupdated_at%5D=2020-01-01..2020-12-31&page=2&per_page=10&sort=-name", r.Query)
	assert.Equal(t, "application/vnd.api+json", r.Header.Get("Accept"))
	assert.Equal(t, "application/vnd.api+json", r.Header.Get("Content-Type"), "GET requests carry the content type too")
	assert.Equal(t, "Bearer secret-token-123", r.Header.Get("Authorization"))
	assert.Contains(t, r.Header.Get("User-Agent"), "orgsdk/")
}

func TestGetEscapesIDs(t *testing.T) {
	t.Parallel()
	c, reqs, _ := stub(t, func(w http.ResponseWriter, r *http.Request) {
		writeDoc(w, 200, fmt.Sprintf(`{"data":`+orgJSON+`}`, "weird/id ?#", "Weird"))
	})
	org, _, err := c.Organizations.Get(context.Background(), "weird/id ?#")
	require.NoError(t, err)
	assert.Equal(t, "weird/id ?#", org.ID)
	got := reqs()
	require.Len(t, got, 1)
	assert.Equal(t, "/api/v2/organizations/weird%2Fid%20%3F%23", got[0].RawPath)
	assert.Empty(t, got[0].Query)
}

func TestBadInputBeforeIO(t *testing.T) {
	t.Parallel()
	c, reqs, _ := stub(t, func(w http.ResponseWriter, r *http.Request) { t.Error("no request expected") })
	ctx := context.Background()
	for name, call := range map[string]func() error{
		"empty id":      func() error { _, _, err := c.Organizations.Get(ctx, ""); return err },
		"blank id":      func() error { _, _, err := c.Organizations.Get(ctx, "   "); return err },
		"dot id":        func() error { _, _, err := c.Organizations.Get(ctx, ".."); return err },
		"negative page": func() error { _, _, err := c.Organizations.List(ctx, &jsonapi.ListOptions{Page: -1}); return err },
		"negative size": func() error { _, _, err := c.Organizations.List(ctx, &jsonapi.ListOptions{PerPage: -5}); return err },
		"bracket filter": func() error {
			_, _, err := c.Organizations.List(ctx, &jsonapi.ListOptions{Filter: map[string]string{"a]": "b"}})
			return err
		},
		"empty filter": func() error {
			_, _, err := c.Organizations.List(ctx, &jsonapi.ListOptions{Filter: map[string]string{"": "b"}})
			return err
		},
		"bad cursor": func() error { _, _, err := c.Organizations.List(ctx, &jsonapi.ListOptions{Cursor: "%zz"}); return err },
		"all bad options": func() error {
			for _, err := range c.Organizations.All(ctx, &jsonapi.ListOptions{Page: -1}) {
				return err
			}
			return nil
		},
	} {
		t.Run(name, func(t *testing.T) {
			err := call()
			require.Error(t, err)
			assert.ErrorIs(t, err, jsonapi.ErrInvalidArgument)
		})
	}
	_, _, err := c.Organizations.List(ctx, &jsonapi.ListOptions{Cursor: "https://evil.example/api/v2/organizations?page=2"})
	assert.ErrorIs(t, err, jsonapi.ErrForeignHost)
	assert.Empty(t, reqs())
}

func TestPaginationNumbersAndStrings(t *testing.T) {
	t.Parallel()
	for name, tc := range map[string]struct {
		meta string
		want jsonapi.Pagination
		next string
	}{
		"numbers":          {`{"pagination":{"page":1,"per_page":25,"total_count":30,"total_pages":2}}`, jsonapi.Pagination{1, 25, 30, 2}, "/api/v2/organizations?page=2"},
		"strings":          {`{"pagination":{"page":"1","per_page":"25","total_count":"30","total_pages":"2"}}`, jsonapi.Pagination{1, 25, 30, 2}, "/api/v2/organizations?page=2"},
		"float numbers":    {`{"pagination":{"page":2.0,"per_page":25,"total_count":30,"total_pages":2}}`, jsonapi.Pagination{2, 25, 30, 2}, ""},
		"pages from count": {`{"pagination":{"page":1,"per_page":10,"total_count":25}}`, jsonapi.Pagination{1, 10, 25, 3}, "/api/v2/organizations?page=2"},
		"nulls":            {`{"pagination":{"page":null,"per_page":null,"total_count":null,"total_pages":null}}`, jsonapi.Pagination{}, ""},
		"no pagination":    {`{"sort":null}`, jsonapi.Pagination{}, ""},
		"no page echoed":   {`{"pagination":{"total_pages":3}}`, jsonapi.Pagination{TotalPages: 3}, "/api/v2/organizations?page=2"},
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			c, _, srv := stub(t, func(w http.ResponseWriter, r *http.Request) {
				writeDoc(w, 200, `{"data":[],"meta":`+tc.meta+`}`)
			})
			list, resp, err := c.Organizations.List(context.Background(), nil)
			require.NoError(t, err)
			assert.Equal(t, tc.want, list.Pagination)
			assert.Equal(t, tc.next, strings.TrimPrefix(resp.NextCursor, srv.URL), "cursors are absolute")
		})
	}
	for name, meta := range map[string]string{
		"garbage string": `{"pagination":{"page":"one"}}`,
		"fraction":       `{"pagination":{"total_pages":1.5}}`,
		"negative":       `{"pagination":{"total_pages":-1}}`,
		"object":         `{"pagination":{"page":{}}}`,
		"not an object":  `{"pagination":[1]}`,
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			c, _, _ := stub(t, func(w http.ResponseWriter, r *http.Request) {
				writeDoc(w, 200, `{"data":[],"meta":`+meta+`}`)
			})
			_, _, err := c.Organizations.List(context.Background(), nil)
			var de *jsonapi.DecodeError
			require.ErrorAs(t, err, &de)
		})
	}
}

// TestLinksNext covers the link shapes other JSON:API servers send.
func TestLinksNext(t *testing.T) {
	t.Parallel()
	for name, tc := range map[string]struct {
		next string // JSON value of links.next; %s is the server origin
		want string
	}{
		"absolute string":    {`"%s/api/v2/organizations?page%%5Bnumber%%5D=2"`, "/api/v2/organizations?page%5Bnumber%5D=2"},
		"path absolute":      {`"/api/v2/organizations?cursor=abc"`, "/api/v2/organizations?cursor=abc"},
		"query only":         {`"?page=2&per_page=5"`, "/api/v2/organizations?page=2&per_page=5"},
		"relative path":      {`"organizations?page=2"`, "/api/v2/organizations?page=2"},
		"object href":        {`{"href":"%s/api/v2/organizations?page=2","meta":{"x":1}}`, "/api/v2/organizations?page=2"},
		"null":               {`null`, ""},
		"empty string":       {`""`, ""},
		"object null href":   {`{"href":null}`, ""},
		"foreign host":       {`"https://evil.example/steal?page=2"`, "https://evil.example/steal?page=2"},
		"overrides meta":     {`"/api/v2/organizations?page=9"`, "/api/v2/organizations?page=9"},
		"links without next": {``, "/api/v2/organizations?page=2"},
		"token in next":      {`"/api/v2/organizations?access_token=s3cr3t-t0ken&page=2&bearer_token=s3cr3t-t0ken"`, "/api/v2/organizations?page=2"},
		"token in foreign":   {`"https://evil.example/x?access_token=s3cr3t-t0ken"`, "https://evil.example/x"},
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			c, _, srv := stub(t, func(w http.ResponseWriter, r *http.Request) {
				links := `{"self":"x"}`
				if tc.next != "" {
					links = `{"self":"x","next":` + strings.ReplaceAll(tc.next, "%s", "ORIGIN") + `}`
				}
				links = strings.ReplaceAll(links, "%%", "%")
				links = strings.ReplaceAll(links, "ORIGIN", "http://"+r.Host)
				writeDoc(w, 200, `{"data":[],"links":`+links+`,"meta":{"pagination":{"page":1,"total_pages":2}}}`)
			})
			_, resp, err := c.Organizations.List(context.Background(), nil)
			require.NoError(t, err)
			assert.Equal(t, tc.want, strings.TrimPrefix(resp.NextCursor, srv.URL), "cursors are absolute")
			assert.NotContains(t, resp.NextCursor, "s3cr3t")
		})
	}
	for name, links := range map[string]string{
		"number next":    `{"next":5}`,
		"number href":    `{"next":{"href":5}}`,
		"links an array": `[]`,
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			c, _, _ := stub(t, func(w http.ResponseWriter, r *http.Request) {
				writeDoc(w, 200, `{"data":[],"links":`+links+`}`)
			})
			_, _, err := c.Organizations.List(context.Background(), nil)
			var de *jsonapi.DecodeError
			require.ErrorAs(t, err, &de)
		})
	}
}

func TestAllRefusesForeignNextLink(t *testing.T) {
	t.Parallel()
	c, reqs, _ := stub(t, func(w http.ResponseWriter, r *http.Request) {
		writeDoc(w, 200, fmt.Sprintf(`{"data":[`+orgJSON+`],"links":{"next":"https://evil.example/api/v2/organizations?page=2"}}`, "a", "A"))
	})
	var n int
	var gotErr error
	for org, err := range c.Organizations.All(context.Background(), nil) {
		if err != nil {
			gotErr = err
			break
		}
		n++
		assert.Equal(t, "A", org.Name)
	}
	assert.Equal(t, 1, n)
	assert.ErrorIs(t, gotErr, jsonapi.ErrForeignHost)
	assert.Len(t, reqs(), 1)
}

func TestAllViaMeta(t *testing.T) {
	t.Parallel()
	srv, c := newFake(t)
	for i := range 12 {
		srv.Add(jsonapi.Organization{Name: fmt.Sprintf("Extra %02d", i)})
	}
	var names []string
	for org, err := range c.Organizations.All(context.Background(), &jsonapi.ListOptions{PerPage: 4, Sort: "name"}) {
		require.NoError(t, err)
		names = append(names, org.Name)
	}
	assert.Len(t, names, 17)
	assert.IsNonDecreasing(t, names)
	assert.Equal(t, 5, srv.Hits(), "17 organizations at 4 per page")

	// No options and 29 organizations: the first page's pagination comes
	// back as JSON numbers, the second's page as a string (page=2 was sent).
	for i := range 12 {
		srv.Add(jsonapi.Organization{Name: fmt.Sprintf("More %02d", i)})
	}
	n := 0
	for _, err := range c.Organizations.All(context.Background(), nil) {
		require.NoError(t, err)
		n++
	}
	assert.Equal(t, 29, n)
	assert.Equal(t, 7, srv.Hits(), "two more pages of 25")
}

func TestAllViaLinksNext(t *testing.T) {
	t.Parallel()
	for name, mode := range map[string]jsonapitest.LinksMode{
		"absolute": jsonapitest.LinksAbsolute,
		"relative": jsonapitest.LinksRelative,
		"object":   jsonapitest.LinksObject,
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			srv, c := newFake(t, jsonapi.WithPrefetch(1))
			srv.SetLinks(mode)
			srv.SetPaginationMeta(false) // only links.next can lead on
			for i := range 6 {
				srv.Add(jsonapi.Organization{Name: fmt.Sprintf("Extra %02d", i)})
			}
			var ids []string
			for org, err := range c.Organizations.All(context.Background(), &jsonapi.ListOptions{PerPage: 3, Filter: map[string]string{"default_currency_code": "usd"}}) {
				require.NoError(t, err)
				ids = append(ids, org.ID)
			}
			assert.Len(t, ids, 9, "3 seeded USD organizations and 6 extras")
			assert.Equal(t, 3, srv.Hits())
		})
	}
}

func TestAllLazyRestartableBreak(t *testing.T) {
	t.Parallel()
	srv, c := newFake(t)
	seq := c.Organizations.All(context.Background(), &jsonapi.ListOptions{PerPage: 2})
	assert.Equal(t, 0, srv.Hits(), "lazy")
	first := func() []string {
		var ids []string
		for org, err := range seq {
			require.NoError(t, err)
			ids = append(ids, org.ID)
			if len(ids) == 3 {
				break
			}
		}
		return ids
	}
	a := first()
	assert.Equal(t, 2, srv.Hits(), "no page after break")
	b := first()
	assert.Equal(t, a, b, "restartable")
}

func TestAllStopsAtFirstError(t *testing.T) {
	t.Parallel()
	srv, c := newFake(t, jsonapi.WithMaxRetries(0))
	srv.InjectFault(jsonapitest.Fault{Status: 500, Count: 1})
	var errs int
	for _, err := range c.Organizations.All(context.Background(), nil) {
		if err != nil {
			errs++
			var apiErr *jsonapi.APIError
			require.ErrorAs(t, err, &apiErr)
			assert.Equal(t, 500, apiErr.StatusCode)
		}
	}
	assert.Equal(t, 1, errs)
}

func TestRetriesInjectedFaults(t *testing.T) {
	t.Parallel()
	srv, c := newFake(t)
	srv.InjectFault(jsonapitest.Fault{Status: 503, Count: 2})
	srv.InjectFault(jsonapitest.Fault{Status: 429, RetryAfter: "0"})
	list, _, err := c.Organizations.List(context.Background(), nil)
	require.NoError(t, err)
	assert.Len(t, list.Items, 5)
	assert.Equal(t, 4, srv.Hits())
}

func TestFakeGetAndNotFound(t *testing.T) {
	t.Parallel()
	_, c := newFake(t)
	org, _, err := c.Organizations.Get(context.Background(), "8c4d2e1f-3a5b-4c6d-8e7f-9a0b1c2d3e4f")
	require.NoError(t, err)
	assert.Equal(t, "Agape UK", org.Name)
	require.NotNil(t, org.GiftAidPercentage)
	assert.Equal(t, "25.0", org.GiftAidPercentage.String(), "the fake sends decimals as strings, as Rails does")

	_, resp, err := c.Organizations.Get(context.Background(), "no-such-id")
	require.ErrorIs(t, err, jsonapi.ErrNotFound)
	assert.Equal(t, 404, resp.StatusCode)
	assert.Contains(t, err.Error(), "Couldn't find Organization with 'id'=no-such-id")
}

func TestFakeRejectsBadToken(t *testing.T) {
	t.Parallel()
	srv := jsonapitest.NewServer()
	defer srv.Close()
	c, err := jsonapi.NewClient("wrong-token-value", testOpts(srv.URL)...)
	require.NoError(t, err)
	_, _, err = c.Organizations.List(context.Background(), nil)
	require.ErrorIs(t, err, jsonapi.ErrUnauthorized)
	assert.NotContains(t, err.Error(), "wrong-token-value")
	assert.Contains(t, err.Error(), "Exceptions::AuthenticationError")
}

func TestFakeBadSort(t *testing.T) {
	t.Parallel()
	_, c := newFake(t)
	_, _, err := c.Organizations.List(context.Background(), &jsonapi.ListOptions{Sort: "created_at"})
	require.ErrorIs(t, err, jsonapi.ErrValidation)
	var apiErr *jsonapi.APIError
	require.ErrorAs(t, err, &apiErr)
	require.Len(t, apiErr.Details, 1)
	assert.Equal(t, "sort", apiErr.Details[0].Field)
}

// mediaTypeClient changes the headers under the SDK, as a proxy or a
// custom http.Client might.
type headerRewriter struct {
	next http.RoundTripper
	set  map[string]string
}

func (h headerRewriter) RoundTrip(r *http.Request) (*http.Response, error) {
	r = r.Clone(r.Context())
	for k, v := range h.set {
		if v == "" {
			r.Header.Del(k)
		} else {
			r.Header.Set(k, v)
		}
	}
	return h.next.RoundTrip(r)
}

func TestMediaTypeRules(t *testing.T) {
	t.Parallel()
	for name, tc := range map[string]struct {
		set    map[string]string
		status int
		says   string
	}{
		"no content type":         {map[string]string{"Content-Type": ""}, 415, "Content-Type: application/vnd.api+json"},
		"json content type":       {map[string]string{"Content-Type": "application/json"}, 415, "Content-Type: application/vnd.api+json"},
		"parameterised ctype":     {map[string]string{"Content-Type": "application/vnd.api+json; charset=utf-8"}, 415, "Content-Type"},
		"parameterised accept":    {map[string]string{"Accept": `application/vnd.api+json; ext="bulk"`}, 406, "media-type parameters"},
		"accept with a plain one": {map[string]string{"Accept": `application/vnd.api+json; ext="bulk", application/vnd.api+json`}, 200, ""},
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			srv := jsonapitest.NewServer()
			defer srv.Close()
			hc := &http.Client{Transport: headerRewriter{http.DefaultTransport, tc.set}}
			c, err := jsonapi.NewClient(srv.Token, append(testOpts(srv.URL), jsonapi.WithHTTPClient(hc))...)
			require.NoError(t, err)
			_, resp, err := c.Organizations.List(context.Background(), nil)
			require.NotNil(t, resp)
			assert.Equal(t, tc.status, resp.StatusCode)
			if tc.status == 200 {
				require.NoError(t, err)
				return
			}
			require.Error(t, err)
			assert.Contains(t, err.Error(), tc.says)
		})
	}
}

func TestErrorShapes(t *testing.T) {
	t.Parallel()
	for name, tc := range map[string]struct {
		status int
		body   string
		check  func(t *testing.T, e *jsonapi.APIError)
	}{
		"numeric status": {429, `{"errors":[{"status":429,"title":"Too Many Requests","detail":"slow down","code":42}]}`, func(t *testing.T, e *jsonapi.APIError) {
			assert.Equal(t, "42", e.Code)
			assert.Equal(t, []jsonapi.ErrorDetail{{Code: "42", Message: "slow down"}}, e.Details)
			assert.Equal(t, "429", jsonapi.ErrorObjects(e)[0].Status)
		}},
		"parameter source": {400, `{"errors":[{"status":"400","title":"Invalid filter","detail":"bad date","source":{"parameter":"filter[updated_at]"}}]}`, func(t *testing.T, e *jsonapi.APIError) {
			assert.Equal(t, "Invalid filter", e.Message)
			assert.Equal(t, "filter[updated_at]", e.Details[0].Field)
		}},
		"pointer source": {422, `{"errors":[{"status":"422","detail":"can't be blank","source":{"pointer":"/data/attributes/name"}}]}`, func(t *testing.T, e *jsonapi.APIError) {
			assert.Equal(t, "/data/attributes/name", e.Details[0].Field)
			assert.Equal(t, "can't be blank", e.Details[0].Message)
		}},
		"odd members": {403, `{"errors":[{"status":true,"title":["x"],"detail":{"a":1},"source":"nowhere"},7,null]}`, func(t *testing.T, e *jsonapi.APIError) {
			require.Len(t, e.Details, 1)
			assert.Equal(t, "Forbidden", e.Message)
		}},
		"not json:api": {404, `{"error":"nope"}`, func(t *testing.T, e *jsonapi.APIError) {
			assert.Empty(t, e.Details)
			assert.Equal(t, "Not Found", e.Message)
		}},
		"415 explained": {415, `{"errors":[{"status":"415","title":"Unsupported Media Type"}]}`, func(t *testing.T, e *jsonapi.APIError) {
			assert.Contains(t, e.Message, "Content-Type: application/vnd.api+json")
		}},
		"406 without body": {406, ``, func(t *testing.T, e *jsonapi.APIError) {
			assert.Contains(t, e.Error(), "406 Not Acceptable")
		}},
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			c, _, _ := stub(t, func(w http.ResponseWriter, r *http.Request) {
				writeDoc(w, tc.status, tc.body)
			})
			c2, err := jsonapi.NewClient("secret-token-123", jsonapi.WithBaseURL(c.BaseURL()), jsonapi.WithMaxRetries(0))
			require.NoError(t, err)
			_, _, err = c2.Organizations.List(context.Background(), nil)
			var e *jsonapi.APIError
			require.ErrorAs(t, err, &e)
			assert.Equal(t, tc.status, e.StatusCode)
			tc.check(t, e)
		})
	}
}

func TestErrorsInsideSuccess(t *testing.T) {
	t.Parallel()
	c, _, _ := stub(t, func(w http.ResponseWriter, r *http.Request) {
		writeDoc(w, 200, `{"errors":[{"status":"403","title":"Forbidden","detail":"no access"}]}`)
	})
	_, _, err := c.Organizations.Get(context.Background(), "x")
	var e *jsonapi.APIError
	require.ErrorAs(t, err, &e)
	assert.Equal(t, 403, e.StatusCode, "the error object's status")
	assert.ErrorIs(t, err, jsonapi.ErrForbidden)
	assert.Equal(t, "no access", e.Details[0].Message)
}

func TestAcceptsPlainJSONAndRejectsHTML(t *testing.T) {
	t.Parallel()
	var calls atomic.Int32
	c, _, _ := stub(t, func(w http.ResponseWriter, r *http.Request) {
		if calls.Add(1) == 1 {
			w.Header().Set("Content-Type", "application/json")
			_, _ = w.Write([]byte(`{"data":[]}`))
			return
		}
		w.Header().Set("Content-Type", "text/html")
		_, _ = w.Write([]byte(`<html>proxy</html>`))
	})
	_, _, err := c.Organizations.List(context.Background(), nil)
	require.NoError(t, err)
	_, _, err = c.Organizations.List(context.Background(), nil)
	assert.ErrorIs(t, err, jsonapi.ErrUnexpectedContentType)
}

func TestContextCancelled(t *testing.T) {
	t.Parallel()
	_, c := newFake(t)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, _, err := c.Organizations.List(ctx, nil)
	assert.True(t, errors.Is(err, context.Canceled), "%v", err)
}

func TestNoTokenInLogs(t *testing.T) {
	t.Parallel()
	var buf strings.Builder
	var mu sync.Mutex
	logger := slog.New(slog.NewTextHandler(writerFunc(func(p []byte) (int, error) {
		mu.Lock()
		defer mu.Unlock()
		return buf.Write(p)
	}), &slog.HandlerOptions{Level: slog.LevelDebug}))
	srv, c := newFake(t, jsonapi.WithLogger(logger))
	srv.InjectFault(jsonapitest.Fault{Status: 503})
	_, _, err := c.Organizations.List(context.Background(), nil)
	require.NoError(t, err)
	mu.Lock()
	defer mu.Unlock()
	assert.NotEmpty(t, buf.String())
	assert.NotContains(t, buf.String(), srv.Token)
}

type writerFunc func([]byte) (int, error)

func (f writerFunc) Write(p []byte) (int, error) { return f(p) }

// Argument errors read as in every provider ("orgsdk: jsonapi: invalid
// argument: …"); jsonapi's own checks used to name no provider.
func TestArgumentErrorsNameTheProvider(t *testing.T) {
	t.Parallel()
	c, err := jsonapi.NewClient("token-123", jsonapi.WithBaseURL("https://api.example.com/api/v2/"))
	require.NoError(t, err)
	ctx := t.Context()
	_, _, errPage := c.Organizations.List(ctx, &jsonapi.ListOptions{Page: -1})
	_, _, errInclude := c.Organizations.List(ctx, &jsonapi.ListOptions{Include: []string{""}})
	_, _, errGet := c.Organizations.Get(ctx, "")
	for name, err := range map[string]error{"page": errPage, "include": errInclude, "get": errGet} {
		require.Error(t, err, name)
		assert.True(t, strings.HasPrefix(err.Error(), "orgsdk: jsonapi: invalid argument: "), "%s: %v", name, err)
		assert.ErrorIs(t, err, jsonapi.ErrInvalidArgument, name)
	}
}
