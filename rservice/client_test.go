package rservice_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/orgsdk/orgsdk/rservice"
	"github.com/orgsdk/orgsdk/rservice/rservicetest"

	"github.com/orgsdk/orgsdk/internal/faulttest"
)

func newFake(t *testing.T, opts ...rservicetest.Option) (*rservicetest.Server, *rservice.Client) {
	t.Helper()
	srv := rservicetest.NewServer(opts...)
	t.Cleanup(srv.Close)
	c, err := rservice.NewClient(srv.Token,
		rservice.WithBaseURL(srv.URL),
		rservice.WithRetryWait(time.Millisecond, 20*time.Millisecond))
	require.NoError(t, err)
	return srv, c
}

func names(list *rservice.OrganizationList) []string {
	out := make([]string, len(list.Items))
	for i, o := range list.Items {
		out[i] = o.Name
	}
	return out
}

// requestLine renders a logged request as "METHOD /path?query", the query
// exactly as sent.
func requestLine(r rservicetest.Request) string {
	line := r.Method + " " + r.Path
	if r.RawQuery != "" {
		line += "?" + r.RawQuery
	}
	return line
}

func lastRequest(srv *rservicetest.Server) string {
	r := srv.Requests()
	if len(r) == 0 {
		return ""
	}
	return requestLine(r[len(r)-1])
}

func TestNewClientOptions(t *testing.T) {
	t.Parallel()
	_, err := rservice.NewClient("")
	assert.Error(t, err)
	_, err = rservice.NewClient("a b")
	assert.Error(t, err)
	bad := []rservice.Option{
		rservice.WithBaseURL("ftp://x"),
		rservice.WithBaseURL("https://x/v1?q=1"),
		rservice.WithHTTPClient(nil),
		rservice.WithLogger(nil),
		rservice.WithUserAgent("a\nb"),
		rservice.WithMaxRetries(-1),
		rservice.WithRetryWait(0, time.Second),
		rservice.WithMaxBodyBytes(0),
		rservice.WithPrefetch(-1),
		rservice.WithAccount(" "),
		rservice.WithAccount("a\r\nb"),
		rservice.WithAccountHeader("X Account"),
		rservice.WithAccountHeader("Authorization"),
		rservice.WithSource(""),
		rservice.WithRateLimit(-1, time.Second),
		rservice.WithRateLimit(20, 0),
		nil,
	}
	for i, o := range bad {
		_, err := rservice.NewClient("tok", o)
		assert.Error(t, err, "option %d", i)
	}
	for _, o := range bad[len(bad)-3 : len(bad)-1] {
		_, err := rservice.NewClient("tok", o)
		assert.ErrorIs(t, err, rservice.ErrInvalidArgument)
	}
	for _, o := range []rservice.Option{rservice.WithRateLimit(20, 2*time.Second), rservice.WithRateLimit(0, 0)} {
		_, err := rservice.NewClient("tok", o)
		assert.NoError(t, err)
	}
	c, err := rservice.NewClient("tok", rservice.WithPrefetch(1), rservice.WithUserAgent("app/1"))
	require.NoError(t, err)
	assert.Equal(t, rservice.DefaultBaseURL, c.BaseURL())
	c, err = rservice.NewClient("tok", rservice.WithBaseURL("https://api.qa.r-service.tech/v1"))
	require.NoError(t, err)
	assert.Equal(t, "https://api.qa.r-service.tech/v1/", c.BaseURL())
}

func TestHeadersSent(t *testing.T) {
	t.Parallel()
	var mu sync.Mutex
	var got []http.Header
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		got = append(got, r.Header.Clone())
		mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, `{"id":1,"name":"x"}`)
	}))
	defer srv.Close()
	c, err := rservice.NewClient("secret-token-1", rservice.WithBaseURL(srv.URL+"/v1/"),
		rservice.WithAccount("wdc"), rservice.WithSource("orgsdk-test"))
	require.NoError(t, err)
	_, _, err = c.Organizations.Get(context.Background(), 1)
	require.NoError(t, err)
	c2, err := rservice.NewClient("secret-token-1", rservice.WithBaseURL(srv.URL+"/v1/"),
		rservice.WithAccount("wdc"), rservice.WithAccountHeader("X-RService-Account"))
	require.NoError(t, err)
	_, _, err = c2.Organizations.Get(context.Background(), 1)
	require.NoError(t, err)

	require.Len(t, got, 2)
	assert.Equal(t, "Bearer secret-token-1", got[0].Get("Authorization"))
	assert.Equal(t, "wdc", got[0].Get("X-4me-Account"))
	assert.Equal(t, "orgsdk-test", got[0].Get("X-4me-Source"))
	assert.Contains(t, got[0].Get("User-Agent"), "rservice")
	assert.Equal(t, "wdc", got[1].Get("X-RService-Account"))
	assert.Empty(t, got[1].Get("X-4me-Account"))
	assert.Empty(t, got[1].Get("X-4me-Source"))
}

func TestUnauthorized(t *testing.T) {
	t.Parallel()
	srv, _ := newFake(t)
	c, err := rservice.NewClient("wrong-token-123", rservice.WithBaseURL(srv.URL))
	require.NoError(t, err)
	_, resp, err := c.Organizations.List(context.Background(), nil)
	require.ErrorIs(t, err, rservice.ErrUnauthorized)
	var apiErr *rservice.APIError
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, "Unauthorized", apiErr.Message)
	assert.Equal(t, http.StatusUnauthorized, resp.StatusCode)
	assert.NotContains(t, err.Error(), "wrong-token-123")
}

func TestListViews(t *testing.T) {
	t.Parallel()
	_, c := newFake(t)
	ctx := context.Background()
	count := func(v rservice.View) int {
		n := 0
		for o, err := range c.Organizations.All(ctx, &rservice.ListOptions{View: v, Fields: []string{"name", "disabled"}}) {
			require.NoError(t, err)
			if v == rservice.Disabled {
				assert.True(t, o.Disabled)
			}
			if v == rservice.Enabled {
				assert.False(t, o.Disabled)
			}
			n++
		}
		return n
	}
	all := count("")
	assert.Equal(t, 64, all)
	for _, pair := range [][2]rservice.View{{rservice.Enabled, rservice.Disabled}, {rservice.External, rservice.Internal}, {rservice.Directory, rservice.SupportDomain}} {
		a, b := count(pair[0]), count(pair[1])
		assert.Positive(t, a, pair[0])
		assert.Positive(t, b, pair[1])
		assert.Equal(t, all, a+b, "%s + %s", pair[0], pair[1])
	}
	assert.Positive(t, count(rservice.Trusted))
	mine, _, err := c.Organizations.List(ctx, &rservice.ListOptions{View: rservice.ManagedByMe, PerPage: 100, Fields: []string{"manager", "substitute"}})
	require.NoError(t, err)
	require.NotEmpty(t, mine.Items)
	for _, o := range mine.Items {
		isMine := (o.Manager != nil && o.Manager.ID == 6) || (o.Substitute != nil && o.Substitute.ID == 6)
		assert.True(t, isMine, o.ID)
	}
}

// TestFilterOperatorsAgainstFake asserts the exact query each operator
// sends and that the fake reads it as the API does.
func TestFilterOperatorsAgainstFake(t *testing.T) {
	t.Parallel()
	srv, c := newFake(t)
	ctx := context.Background()
	jan := rservice.Date{Year: 2016, Month: time.April, Day: 3}
	cases := []struct {
		name   string
		filter rservice.Filter
		query  string
		want   []int64
	}{
		{"eq", rservice.Eq("name", "Widget Data Center, External IT"), "name=Widget%20Data%20Center%2C%20External%20IT", []int64{44}},
		{"not eq", rservice.NotEq("parent", 6), "parent=!6", []int64{50, 101, 103, 105, 107, 109, 111}},
		{"empty", rservice.Empty("parent"), "parent=", []int64{6, 51, 110, 120, 130, 140, 150}},
		{"present", rservice.Present("financialID"), "financialID=!", []int64{51, 106, 112, 118, 124, 130, 136}},
		{"in", rservice.In("id", 44, 50, 999), "id=44,50,999", []int64{44, 50}},
		{"not in", rservice.NotIn("id", 6, 44, 50, 51), "id=!6,44,50,51", []int64{101, 102, 103, 104, 105, 106, 107}},
		{"in enum", rservice.In("sourceID", "gen-001", "gen-004"), "sourceID=gen-001,gen-004", []int64{101, 104}},
		{"lt", rservice.Lt("id", 44), "id=%3C44", []int64{6}},
		{"lte", rservice.Lte("id", 44), "id=%3C%3D44", []int64{6, 44}},
		{"gt", rservice.Gt("id", 158), "id=%3E158", []int64{159, 160}},
		{"gte", rservice.Gte("id", 158), "id=%3E%3D158", []int64{158, 159, 160}},
		{"gt time", rservice.Gt("created_at", time.Date(2016, 5, 29, 9, 0, 0, 0, time.UTC)), "created_at=%3E2016-05-29T09%3A00%3A00Z", []int64{159, 160}},
		{"between dates", rservice.Between("created_at", jan, rservice.Date{Year: 2016, Month: time.April, Day: 5}), "created_at=%3E%3D2016-04-03%3C%3D2016-04-05", []int64{102, 103}},
		{"eq bool", rservice.Eq("disabled", true), "disabled=true", []int64{105, 110, 115, 120, 125, 130, 135}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			orgs, _, err := c.Organizations.List(ctx, &rservice.ListOptions{Filters: []rservice.Filter{tc.filter}, Sort: []string{"id"}, PerPage: 7})
			require.NoError(t, err)
			assert.Equal(t, "GET /v1/organizations?"+tc.query+"&sort=id&per_page=7", lastRequest(srv))
			ids := make([]int64, len(orgs.Items))
			for i, o := range orgs.Items {
				ids[i] = o.ID
			}
			assert.Equal(t, tc.want, ids)
		})
	}
}

func TestSortAndFields(t *testing.T) {
	t.Parallel()
	srv, c := newFake(t)
	ctx := context.Background()
	orgs, resp, err := c.Organizations.List(ctx, &rservice.ListOptions{Sort: []string{"-created_at", "name"}, Fields: []string{"name", "region"}, PerPage: 3})
	require.NoError(t, err)
	assert.Equal(t, "GET /v1/organizations?fields=name,region&sort=-created_at,name&per_page=3", lastRequest(srv))
	assert.Equal(t, []string{"Generated Organization 060", "Generated Organization 059", "Generated Organization 058"}, names(orgs))
	assert.True(t, orgs.Items[0].CreatedAt.IsZero(), "created_at was not requested")
	assert.Equal(t, 64, orgs.Total)
	assert.Equal(t, []int{3, 1, 22}, []int{orgs.PerPage, orgs.CurrentPage, orgs.TotalPages})
	assert.False(t, orgs.Throttled)
	assert.NotEmpty(t, resp.NextCursor)

	orgs, _, err = c.Organizations.List(ctx, &rservice.ListOptions{PerPage: 2})
	require.NoError(t, err)
	assert.Equal(t, []string{"Generated Organization 001", "Generated Organization 002"}, names(orgs), "default sort is name")

	_, _, err = c.Organizations.List(ctx, &rservice.ListOptions{Sort: []string{"region"}})
	assert.ErrorIs(t, err, rservice.ErrInvalidArgument)
	hits := srv.Hits()
	_, _, err = c.Organizations.List(ctx, &rservice.ListOptions{Filters: []rservice.Filter{rservice.Eq("remarks", "x")}})
	assert.ErrorIs(t, err, rservice.ErrInvalidArgument)
	assert.Equal(t, hits, srv.Hits(), "no request for bad options")
}

// TestCursorPagesWithCommas walks pages whose Link URLs carry bare commas
// (fields=id,name and the search_after value) and checks each next request
// is the link verbatim.
func TestCursorPagesWithCommas(t *testing.T) {
	t.Parallel()
	srv, c := newFake(t)
	ctx := context.Background()
	opts := &rservice.ListOptions{View: rservice.Enabled, Fields: []string{"id", "name"}, PerPage: 10}
	var got []string
	var cursors []string
	for {
		orgs, resp, err := c.Organizations.List(ctx, opts)
		require.NoError(t, err)
		got = append(got, names(orgs)...)
		assert.Equal(t, 10, orgs.PerPage)
		if resp.NextCursor == "" {
			break
		}
		assert.Contains(t, resp.NextCursor, "fields=id,name")
		cursors = append(cursors, resp.NextCursor)
		opts = &rservice.ListOptions{Cursor: resp.NextCursor}
	}
	assert.Len(t, got, 52)
	require.Len(t, cursors, 5)
	reqs := srv.Requests()
	require.Len(t, reqs, 6)
	assert.Equal(t, "GET /v1/organizations/enabled?fields=id,name&per_page=10", requestLine(reqs[0]))
	for i, cur := range cursors {
		assert.Equal(t, "GET "+strings.TrimPrefix(cur, strings.TrimSuffix(srv.URL, "/v1/")), requestLine(reqs[i+1]), "cursor sent verbatim")
		assert.Regexp(t, `search_after=[^&]*,\d+$`, cur, "commas inside the URL")
	}

	// All over the same pages yields the same records, 100 per page by default.
	var all []string
	for o, err := range c.Organizations.All(ctx, &rservice.ListOptions{View: rservice.Enabled, Fields: []string{"id", "name"}}) {
		require.NoError(t, err)
		all = append(all, o.Name)
	}
	assert.Equal(t, got, all)
	assert.Equal(t, "GET /v1/organizations/enabled?fields=id,name&per_page=100", lastRequest(srv))

	// Multi-page All, restartable, prefetching.
	pc, err := rservice.NewClient(srv.Token, rservice.WithBaseURL(srv.URL), rservice.WithPrefetch(1))
	require.NoError(t, err)
	seq := pc.Organizations.All(ctx, &rservice.ListOptions{View: rservice.Enabled, Fields: []string{"id", "name"}, PerPage: 7})
	for range 2 {
		var again []string
		for o, err := range seq {
			require.NoError(t, err)
			again = append(again, o.Name)
		}
		assert.Equal(t, got, again)
	}
}

func TestAllStopsAfterBreakAndOnError(t *testing.T) {
	t.Parallel()
	srv, c := newFake(t)
	ctx := context.Background()
	seq := c.Organizations.All(ctx, &rservice.ListOptions{PerPage: 5})
	assert.Equal(t, 0, srv.Hits(), "lazy")
	n := 0
	for range seq {
		n++
		if n == 7 {
			break
		}
	}
	assert.Equal(t, 2, srv.Hits(), "no page after break")

	srv.InjectFault(rservicetest.Fault{Status: http.StatusNotFound, PathContains: "/organizations"})
	var errs []error
	for _, err := range seq {
		if err != nil {
			errs = append(errs, err)
		}
	}
	require.Len(t, errs, 1)
	assert.ErrorIs(t, errs[0], rservice.ErrNotFound)
}

func TestGet(t *testing.T) {
	t.Parallel()
	_, c := newFake(t)
	ctx := context.Background()
	o, resp, err := c.Organizations.Get(ctx, 50)
	require.NoError(t, err)
	assert.Equal(t, "Widget North America, Finance", o.Name)
	require.Len(t, o.Contacts, 3)
	assert.Equal(t, "website", o.Contacts[2].Protocol)
	assert.Equal(t, "Buck Kreuter", o.Substitute.Name)
	assert.Equal(t, 3600, resp.Rate.Limit)
	assert.Equal(t, 3599, resp.Rate.Remaining)
	assert.False(t, resp.Rate.Reset.IsZero())
	assert.Empty(t, resp.NextCursor)

	_, _, err = c.Organizations.Get(ctx, 424242)
	assert.ErrorIs(t, err, rservice.ErrNotFound)
	_, _, err = c.Organizations.Get(ctx, 0)
	assert.ErrorIs(t, err, rservice.ErrInvalidArgument)
}

func TestCreate(t *testing.T) {
	t.Parallel()
	srv, c := newFake(t)
	c2, err := rservice.NewClient(srv.Token, rservice.WithBaseURL(srv.URL), rservice.WithSource("orgsdk"), rservice.WithAccount(srv.Account))
	require.NoError(t, err)
	ctx := context.Background()
	o, resp, err := c2.Organizations.Create(ctx, &rservice.OrganizationInput{
		Name:            rservice.Set("Widget Europe"),
		ParentID:        rservice.Set[int64](6),
		ManagerID:       rservice.Set[int64](121),
		Region:          rservice.Set("EMEA"),
		OrderTemplateID: rservice.Set[int64](30),
	})
	require.NoError(t, err)
	assert.Equal(t, http.StatusCreated, resp.StatusCode)
	assert.Equal(t, "Widget Europe", o.Name)
	assert.Equal(t, int64(6), o.Parent.ID)
	assert.Equal(t, "Widget Data Center", o.Parent.Name)
	assert.Equal(t, "Buck Kreuter", o.Manager.Name)
	require.NotNil(t, o.Source)
	assert.Equal(t, "orgsdk", *o.Source, "X-4me-Source sets source")
	stored, ok := srv.Organization(o.ID)
	require.True(t, ok)
	assert.Equal(t, "EMEA", *stored.Region)

	_, resp, err = c.Organizations.Create(ctx, &rservice.OrganizationInput{Name: rservice.Set("widget data center"), OrderTemplateID: rservice.Set[int64](30)})
	require.ErrorIs(t, err, rservice.ErrValidation)
	assert.Equal(t, http.StatusUnprocessableEntity, resp.StatusCode)
	var apiErr *rservice.APIError
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, "Validation Failed", apiErr.Message)
	assert.Equal(t, []rservice.ErrorDetail{{Field: "name", Message: "Name has already been taken"}}, apiErr.Details)

	_, _, err = c.Organizations.Create(ctx, &rservice.OrganizationInput{Name: rservice.Set("X"), ManagerID: rservice.Set[int64](99999), OrderTemplateID: rservice.Set[int64](30)})
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, []rservice.ErrorDetail{{Field: "manager", Message: "Manager is invalid"}}, apiErr.Details)

	hits := srv.Hits()
	_, _, err = c.Organizations.Create(ctx, nil)
	assert.ErrorIs(t, err, rservice.ErrInvalidArgument)
	_, _, err = c.Organizations.Create(ctx, &rservice.OrganizationInput{Region: rservice.Set("x")})
	assert.ErrorIs(t, err, rservice.ErrInvalidArgument)
	// order_template is required: refused before any request.
	_, _, err = c.Organizations.Create(ctx, &rservice.OrganizationInput{Name: rservice.Set("No Template")})
	require.ErrorIs(t, err, rservice.ErrInvalidArgument)
	assert.Contains(t, err.Error(), "order_template_id is required")
	_, _, err = c.Organizations.Create(ctx, &rservice.OrganizationInput{Name: rservice.Set("No Template"), OrderTemplateID: rservice.Null[int64]()})
	assert.ErrorIs(t, err, rservice.ErrInvalidArgument)
	assert.Equal(t, hits, srv.Hits())
}

func TestCreateIsNotRetriedOn5xx(t *testing.T) {
	t.Parallel()
	srv, c := newFake(t)
	before := len(srv.Organizations())
	srv.InjectFault(rservicetest.Fault{Status: http.StatusBadGateway, Method: http.MethodPost})
	_, _, err := c.Organizations.Create(context.Background(), &rservice.OrganizationInput{Name: rservice.Set("Once"), OrderTemplateID: rservice.Set[int64](30)})
	var apiErr *rservice.APIError
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, http.StatusBadGateway, apiErr.StatusCode)
	assert.Equal(t, "Bad Gateway", apiErr.Message)
	assert.Equal(t, 1, srv.Hits())
	assert.Equal(t, before, len(srv.Organizations()))
}

func TestUpdateSetsLeavesAndClears(t *testing.T) {
	t.Parallel()
	srv, c := newFake(t)
	ctx := context.Background()
	before, ok := srv.Organization(50)
	require.True(t, ok)
	require.NotNil(t, before.Substitute)
	require.NotNil(t, before.Remarks)

	o, resp, err := c.Organizations.Update(ctx, 50, &rservice.OrganizationInput{
		Region:       rservice.Set("EMEA"),    // set
		SubstituteID: rservice.Null[int64](),  // cleared
		Remarks:      rservice.Null[string](), // cleared
		FinancialID:  rservice.Set("FIN-50"),  // set
		ParentID:     rservice.Set[int64](6),  // set a reference
		CustomFields: rservice.Set([]rservice.CustomField{{ID: "cc", Value: []byte(`"CC-9"`)}}),
	})
	require.NoError(t, err)
	assert.Equal(t, http.StatusOK, resp.StatusCode)
	assert.Equal(t, "EMEA", *o.Region)
	assert.Nil(t, o.Substitute)
	assert.Nil(t, o.Remarks)
	assert.Equal(t, "FIN-50", *o.FinancialID)
	assert.Equal(t, "Widget Data Center", o.Parent.Name)
	require.Len(t, o.CustomFields, 1)
	assert.JSONEq(t, `"CC-9"`, string(o.CustomFields[0].Value))
	// Left alone.
	assert.Equal(t, before.Name, o.Name)
	assert.Equal(t, before.Manager, o.Manager)
	assert.Equal(t, before.Contacts, o.Contacts)
	assert.Equal(t, before.CreatedAt, o.CreatedAt)
	assert.True(t, o.UpdatedAt.After(before.UpdatedAt))

	o, _, err = c.Organizations.Update(ctx, 50, &rservice.OrganizationInput{CustomFields: rservice.Null[[]rservice.CustomField]()})
	require.NoError(t, err)
	assert.Nil(t, o.CustomFields)
	assert.Equal(t, "EMEA", *o.Region)

	_, _, err = c.Organizations.Update(ctx, 44, &rservice.OrganizationInput{Name: rservice.Set("Widget North America, Finance")})
	assert.ErrorIs(t, err, rservice.ErrValidation)
	_, _, err = c.Organizations.Update(ctx, 424242, &rservice.OrganizationInput{Region: rservice.Set("x")})
	assert.ErrorIs(t, err, rservice.ErrNotFound)
	for _, in := range []*rservice.OrganizationInput{nil, {}, {Name: rservice.Null[string]()}} {
		_, _, err = c.Organizations.Update(ctx, 50, in)
		assert.ErrorIs(t, err, rservice.ErrInvalidArgument)
	}
	_, _, err = c.Organizations.Update(ctx, -1, &rservice.OrganizationInput{Region: rservice.Set("x")})
	assert.ErrorIs(t, err, rservice.ErrInvalidArgument)
}

func TestPatchBodyOnTheWire(t *testing.T) {
	t.Parallel()
	var body []byte
	var method string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		method = r.Method
		body, _ = io.ReadAll(r.Body)
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, `{"id":50,"name":"x"}`)
	}))
	defer srv.Close()
	c, err := rservice.NewClient("tok-12345", rservice.WithBaseURL(srv.URL+"/v1/"))
	require.NoError(t, err)
	_, _, err = c.Organizations.Update(context.Background(), 50, &rservice.OrganizationInput{
		ManagerID:       rservice.Null[int64](),
		OrderTemplateID: rservice.Set[int64](30),
		Disabled:        rservice.Set(false),
	})
	require.NoError(t, err)
	assert.Equal(t, http.MethodPatch, method)
	assert.JSONEq(t, `{"manager_id":null,"order_template_id":30,"disabled":false}`, string(body))
}

func TestRateLimitHonoursRetryAfter(t *testing.T) {
	t.Parallel()
	srv, _ := newFake(t, rservicetest.WithRateLimit(2, time.Second))
	c, err := rservice.NewClient(srv.Token, rservice.WithBaseURL(srv.URL),
		rservice.WithRetryWait(time.Millisecond, 3*time.Second))
	require.NoError(t, err)
	ctx := context.Background()
	for i := range 2 {
		_, resp, err := c.Organizations.Get(ctx, 44)
		require.NoError(t, err)
		assert.Equal(t, 1-i, resp.Rate.Remaining, "counts down")
		assert.Equal(t, 2, resp.Rate.Limit)
	}
	// The third call gets 429 + Retry-After: 1, waits, and succeeds in the
	// next window.
	_, resp, err := c.Organizations.Get(ctx, 44)
	require.NoError(t, err)
	assert.Equal(t, http.StatusOK, resp.StatusCode)
	assert.Equal(t, 4, srv.Hits())
	assert.Equal(t, 1, resp.Rate.Remaining)

	// With a max wait below the server's, the call fails at once and says
	// how long to wait.
	srv.SetRateLimit(1, time.Hour)
	_, c2 := srv, mustClient(t, srv)
	_, _, err = c2.Organizations.Get(ctx, 44)
	require.NoError(t, err)
	hits := srv.Hits()
	_, _, err = c2.Organizations.Get(ctx, 44)
	require.ErrorIs(t, err, rservice.ErrRateLimited)
	var apiErr *rservice.APIError
	require.ErrorAs(t, err, &apiErr)
	assert.Greater(t, apiErr.RetryAfter, 59*time.Minute)
	assert.Equal(t, "Too Many Requests", apiErr.Message)
	assert.Equal(t, hits+1, srv.Hits(), "not retried")
}

func mustClient(t *testing.T, srv *rservicetest.Server) *rservice.Client {
	t.Helper()
	c, err := rservice.NewClient(srv.Token, rservice.WithBaseURL(srv.URL), rservice.WithRetryWait(time.Millisecond, 20*time.Millisecond))
	require.NoError(t, err)
	return c
}

func TestInjected429AndServerErrorsRetriedForGet(t *testing.T) {
	t.Parallel()
	srv, c := newFake(t)
	srv.InjectFault(rservicetest.Fault{Status: http.StatusTooManyRequests, RetryAfter: "0"})
	srv.InjectFault(rservicetest.Fault{Status: http.StatusServiceUnavailable})
	o, _, err := c.Organizations.Get(context.Background(), 44)
	require.NoError(t, err)
	assert.Equal(t, int64(44), o.ID)
	assert.Equal(t, 3, srv.Hits())
}

func TestCursorToAnotherHostIsRefused(t *testing.T) {
	t.Parallel()
	srv, c := newFake(t)
	_, _, err := c.Organizations.List(context.Background(), &rservice.ListOptions{Cursor: "https://evil.example/v1/organizations?x=1"})
	require.Error(t, err)
	assert.Equal(t, 0, srv.Hits())
}

func TestNoTokenInLogsOrErrors(t *testing.T) {
	t.Parallel()
	srv := rservicetest.NewServer()
	defer srv.Close()
	var buf bytes.Buffer
	logger := slog.New(slog.NewTextHandler(&buf, &slog.HandlerOptions{Level: slog.LevelDebug}))
	c, err := rservice.NewClient(srv.Token, rservice.WithBaseURL(srv.URL), rservice.WithLogger(logger),
		rservice.WithRetryWait(time.Millisecond, 20*time.Millisecond))
	require.NoError(t, err)
	srv.InjectFault(rservicetest.Fault{Status: 500, Body: `{"message":"token ` + srv.Token + ` broke"}`, Count: 10})
	_, _, err = c.Organizations.Get(context.Background(), 44)
	require.Error(t, err)
	assert.NotContains(t, err.Error(), srv.Token)
	var apiErr *rservice.APIError
	require.True(t, errors.As(err, &apiErr))
	assert.NotContains(t, string(apiErr.Body), srv.Token)
	assert.NotContains(t, buf.String(), srv.Token)
	assert.NotEmpty(t, buf.String())
}

func TestDocumentationURLOf429(t *testing.T) {
	t.Parallel()
	srv, _ := newFake(t, rservicetest.WithRateLimit(1, time.Hour))
	c := mustClient(t, srv)
	ctx := context.Background()
	_, _, err := c.Organizations.Get(ctx, 44)
	require.NoError(t, err)
	_, _, err = c.Organizations.Get(ctx, 44)
	var apiErr *rservice.APIError
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, "https://developer.4me.com/v1/#rate-limiting", apiErr.DocumentationURL)

	// An echoed token in the link is scrubbed like the rest of the error.
	srv.InjectFault(rservicetest.Fault{Status: http.StatusTooManyRequests, RetryAfter: "3600",
		Body: `{"message":"Too Many Requests","documentation_url":"https://docs.example/?access_token=` + srv.Token + `&t=` + srv.Token + `"}`})
	srv.SetRateLimit(100, time.Hour)
	_, _, err = c.Organizations.Get(ctx, 44)
	require.ErrorAs(t, err, &apiErr)
	assert.NotEmpty(t, apiErr.DocumentationURL)
	assert.NotContains(t, apiErr.DocumentationURL, srv.Token)
}

func TestResponsePaginationThrottled(t *testing.T) {
	t.Parallel()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Type", "application/json")
		h["x-pagination-per-page"] = []string{"100"} // lower case on the wire
		h.Set("X-Pagination-Current-Page", "1")
		h.Set("X-Pagination-Total-Pages", "1000")
		h.Set("X-Pagination-Total-Entries", "100000")
		h.Set("X-Pagination-Throttled", "true")
		h["x-ratelimit-limit"] = []string{"3600"}
		h["x-ratelimit-remaining"] = []string{"12"}
		h.Add("Link", `<`+"http://"+r.Host+`/v1/organizations?page=1>; rel="first"`)
		h.Add("Link", `</v1/organizations?fields=id,name&search_after=b,9>; rel=next`)
		_, _ = io.WriteString(w, `[]`)
	}))
	defer srv.Close()
	c, err := rservice.NewClient("tok-12345", rservice.WithBaseURL(srv.URL+"/v1/"))
	require.NoError(t, err)
	orgs, resp, err := c.Organizations.List(context.Background(), nil)
	require.NoError(t, err)
	assert.Equal(t, &rservice.OrganizationList{Items: []*rservice.Organization{}, Total: 100000, PerPage: 100, CurrentPage: 1, TotalPages: 1000, Throttled: true}, orgs)
	assert.Equal(t, 12, resp.Rate.Remaining)
	assert.Equal(t, srv.URL+"/v1/organizations?fields=id,name&search_after=b,9", resp.NextCursor, "relative link made absolute, query verbatim")
}

func TestFakeRejectsWhatTheAPIRejects(t *testing.T) {
	t.Parallel()
	srv := rservicetest.NewServer()
	defer srv.Close()
	do := func(method, path, body string) (int, string) {
		req, _ := http.NewRequest(method, srv.URL+path, strings.NewReader(body))
		req.Header.Set("Authorization", "Bearer "+srv.Token)
		resp, err := faulttest.RawClient(t).Do(req)
		require.NoError(t, err)
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, strings.TrimSpace(string(b))
	}
	code, body := do("GET", "organizations?per_page=0", "")
	assert.Equal(t, 400, code)
	assert.Equal(t, `{"message":"Parameter 'per_page' cannot be less than 1"}`, body)
	code, body = do("GET", "organizations?sort=region", "")
	assert.Equal(t, 400, code)
	assert.Equal(t, `{"message":"Sorting not allowed on fields: region"}`, body)
	code, _ = do("GET", "organizations/archived", "")
	assert.Equal(t, 404, code)
	code, body = do("POST", "organizations", `{"name":"Q","parent":{"id":6}}`)
	assert.Equal(t, 422, code)
	assert.Contains(t, body, `["parent","is not a writable field"]`)
	code, _ = do("DELETE", "organizations/44", "")
	assert.Equal(t, 405, code)
	code, body = do("GET", "", "")
	assert.Equal(t, 200, code)
	assert.Equal(t, `{}`, body)
}

func TestRawNewRequestAndDo(t *testing.T) {
	t.Parallel()
	srv, c := newFake(t)
	ctx := context.Background()

	req, err := c.NewRequest(http.MethodGet, "organizations/50", nil)
	require.NoError(t, err)
	assert.Empty(t, req.Header.Get("Authorization"), "credentials are added by Do")
	var m map[string]any
	resp, err := c.Do(ctx, req, &m)
	require.NoError(t, err)
	assert.Equal(t, http.StatusOK, resp.StatusCode)
	assert.Equal(t, "Widget North America, Finance", m["name"])
	assert.Equal(t, 3600, resp.Rate.Limit)
	assert.NotContains(t, resp.Request.Header.Get("Authorization"), srv.Token)

	// Raw bytes, and a collection's next cursor.
	req, err = c.NewRequest(http.MethodGet, "organizations?fields=id,name&per_page=2", nil)
	require.NoError(t, err)
	var raw []byte
	resp, err = c.Do(ctx, req, &raw)
	require.NoError(t, err)
	assert.True(t, json.Valid(raw))
	assert.Contains(t, resp.NextCursor, "fields=id,name")
	assert.Contains(t, resp.NextCursor, "search_after=")
	page, _, err := c.Organizations.List(ctx, &rservice.ListOptions{Cursor: resp.NextCursor})
	require.NoError(t, err)
	assert.Len(t, page.Items, 2)

	// A write with a body; nil v discards the answer.
	req, err = c.NewRequest(http.MethodPatch, "organizations/50", map[string]any{"region": "EMEA"})
	require.NoError(t, err)
	_, err = c.Do(ctx, req, nil)
	require.NoError(t, err)
	o, ok := srv.Organization(50)
	require.True(t, ok)
	assert.Equal(t, "EMEA", *o.Region)
	assert.Equal(t, 1, srv.HitsFor(http.MethodPatch, "/v1/organizations/50"))

	// Errors decode like any other call.
	req, err = c.NewRequest(http.MethodGet, "organizations/424242", nil)
	require.NoError(t, err)
	_, err = c.Do(ctx, req, &m)
	assert.ErrorIs(t, err, rservice.ErrNotFound)

	hits := srv.Hits()
	_, err = c.NewRequest(http.MethodGet, "https://evil.example/v1/organizations", nil)
	assert.ErrorIs(t, err, rservice.ErrForeignHost)
	_, err = c.NewRequest("BAD METHOD", "organizations", nil)
	assert.ErrorIs(t, err, rservice.ErrInvalidArgument)
	_, err = c.Do(ctx, nil, nil)
	assert.ErrorIs(t, err, rservice.ErrInvalidArgument)
	assert.Equal(t, hits, srv.Hits(), "nothing sent")
}

func TestErrorTextNamesProviderOnce(t *testing.T) {
	t.Parallel()
	cases := []rservice.Option{
		rservice.WithAccount(" "),
		rservice.WithAccountHeader("X Account"),
		rservice.WithSource(""),
		rservice.WithRateLimit(-1, time.Second),
	}
	for _, o := range cases {
		_, err := rservice.NewClient("tok", o)
		require.ErrorIs(t, err, rservice.ErrInvalidArgument)
		assert.Equal(t, 1, strings.Count(err.Error(), "rservice"), err.Error())
		assert.Equal(t, 1, strings.Count(err.Error(), "orgsdk: "), err.Error())
	}
	srv, c := newFake(t)
	_ = srv
	_, _, err := c.Organizations.Get(context.Background(), 424242)
	require.Error(t, err)
	assert.True(t, strings.HasPrefix(err.Error(), "orgsdk: rservice: "), err.Error())
	assert.Equal(t, 1, strings.Count(err.Error(), "rservice: "), err.Error())
}

// Argument errors read as in every provider ("orgsdk: rservice: invalid
// argument: …"); rservice used to build them with fmt.Errorf and name no
// provider.
func TestArgumentErrorsNameTheProvider(t *testing.T) {
	t.Parallel()
	c, err := rservice.NewClient("token-123", rservice.WithBaseURL("https://api.example.com/v1/"))
	require.NoError(t, err)
	ctx := t.Context()
	_, _, errCreate := c.Organizations.Create(ctx, &rservice.OrganizationInput{OrderTemplateID: rservice.Set[int64](30)})
	_, _, errNil := c.Organizations.Create(ctx, nil)
	_, _, errFilter := c.Organizations.List(ctx, &rservice.ListOptions{Filters: []rservice.Filter{rservice.Eq("colour", "red")}})
	_, _, errView := c.Organizations.List(ctx, &rservice.ListOptions{View: "archived"})
	for name, err := range map[string]error{"create": errCreate, "nil input": errNil, "filter": errFilter, "view": errView} {
		require.Error(t, err, name)
		assert.True(t, strings.HasPrefix(err.Error(), "orgsdk: rservice: invalid argument: "), "%s: %v", name, err)
		assert.ErrorIs(t, err, rservice.ErrInvalidArgument, name)
	}
}
