package commvault_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"net/url"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/orgsdk/orgsdk/commvault"
	"github.com/orgsdk/orgsdk/commvault/commvaulttest"
)

// TestMissingCompanyIsErrNotFound (issue 20.3): a company that does not
// exist is answered with HTTP 200, errorCode 2 and "Organization [999]
// does not exist"; it matches ErrNotFound as a 404 does for the other
// providers, in JSON and XML, flat and nested, and through every read.
func TestMissingCompanyIsErrNotFound(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name, ct, body string
	}{
		{"json flat", "application/json", `{"errorMessage":"Organization [999] does not exist","errorCode":2}`},
		{"json nested error", "application/json", `{"error":{"errorMessage":"Organization [999] does not exist","errorCode":2}}`},
		{"json response", "application/json", `{"response":{"errorString":"Organization [999] does not exist","errorCode":2}}`},
		{"json doesn't", "application/json", `{"errorMessage":"Company doesn't exist","errorCode":2}`},
		{"xml generic", "application/xml", `<App_GenericResp errorMessage="Organization [999] does not exist" errorCode="2"/>`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			srv, hits := fixed(t, http.StatusOK, tc.ct, tc.body)
			c, err := commvault.NewClient(srv.URL+"/commandcenter/api/", commvault.WithToken("abc123token"))
			require.NoError(t, err)
			ctx := context.Background()
			for name, call := range map[string]func() error{
				"Get":         func() error { _, _, err := c.Organizations.Get(ctx, 999); return err },
				"DefaultPlan": func() error { _, _, err := c.Organizations.DefaultPlan(ctx, 999); return err },
			} {
				err := call()
				require.ErrorIs(t, err, commvault.ErrNotFound, name)
				var apiErr *commvault.APIError
				require.ErrorAs(t, err, &apiErr)
				assert.Equal(t, http.StatusNotFound, apiErr.StatusCode, name)
				assert.Equal(t, commvault.CodeGenericFailure, apiErr.Code, name)
				assert.False(t, errors.Is(err, commvault.ErrUnauthorized), name)
			}
			assert.Equal(t, int32(2), hits.Load(), "no retry of a not-found answer")
		})
	}
}

// TestGenericFailureIsNotNotFound: errorCode 2 with another message stays
// a plain error (status 200 as it arrived), matching no status sentinel.
func TestGenericFailureIsNotNotFound(t *testing.T) {
	t.Parallel()
	srv, _ := fixed(t, http.StatusOK, "application/json", `{"errorMessage":"Failed to process request","errorCode":2}`)
	c, err := commvault.NewClient(srv.URL+"/commandcenter/api/", commvault.WithToken("abc123token"))
	require.NoError(t, err)
	_, _, err = c.Organizations.Get(context.Background(), 6)
	var apiErr *commvault.APIError
	require.ErrorAs(t, err, &apiErr)
	assert.NotErrorIs(t, err, commvault.ErrNotFound)
	assert.Equal(t, http.StatusOK, apiErr.StatusCode)
	assert.True(t, apiErr.Code == commvault.CodeGenericFailure, "Code compares with the constant")
}

// names collects the names of a walk, failing on its first error.
func names(t *testing.T, seq func(func(*commvault.Organization, error) bool)) ([]string, error) {
	t.Helper()
	var out []string
	for o, err := range seq {
		if err != nil {
			return out, err
		}
		out = append(out, o.Name)
	}
	return out, nil
}

// TestListPagingAgainstFake (issue 20.2): List and All page with start and
// limit and read filterQueryCount, in JSON and XML.
func TestListPagingAgainstFake(t *testing.T) {
	t.Parallel()
	bothFormats(t, func(t *testing.T, f commvault.Format) {
		srv := commvaulttest.NewServer()
		t.Cleanup(srv.Close)
		c := newClient(t, srv, commvault.WithFormat(f))
		ctx := context.Background()

		list, _, err := c.Organizations.List(ctx, &commvault.ListOptions{PerPage: 2, Offset: 1})
		require.NoError(t, err)
		require.Len(t, list.Items, 2)
		assert.Equal(t, "test Company", list.Items[0].Name)
		assert.Equal(t, 3, list.Total, "filterQueryCount, not len(Items)")

		before := srv.HitsFor(http.MethodGet, commvaulttest.Prefix+"Organization")
		got, err := names(t, c.Organizations.All(ctx, &commvault.ListOptions{PerPage: 1}))
		require.NoError(t, err)
		assert.Equal(t, []string{"company001", "test Company", "Acme Corp"}, got)
		assert.Equal(t, 3, srv.HitsFor(http.MethodGet, commvaulttest.Prefix+"Organization")-before, "one request per page")

		got, err = names(t, c.Organizations.All(ctx, &commvault.ListOptions{PerPage: 2, Offset: 1}))
		require.NoError(t, err)
		assert.Equal(t, []string{"test Company", "Acme Corp"}, got)

		got, err = names(t, c.Organizations.All(ctx, nil))
		require.NoError(t, err)
		assert.Len(t, got, 3)

		_, err = names(t, c.Organizations.All(ctx, &commvault.ListOptions{PerPage: 1, MaxPages: 2}))
		require.ErrorIs(t, err, commvault.ErrTooManyPages)

		var sent []string
		for _, r := range srv.Requests() {
			if r.Method == http.MethodGet && r.Path == commvaulttest.Prefix+"Organization" && r.RawQuery != "" {
				sent = append(sent, r.RawQuery)
			}
		}
		assert.Contains(t, sent, "limit=1&start=2")
	})
}

// TestListFiltersAgainstFake: fq filters reach the fake, which applies
// eq, contains and the others; the count is of the matches.
func TestListFiltersAgainstFake(t *testing.T) {
	t.Parallel()
	bothFormats(t, func(t *testing.T, f commvault.Format) {
		srv := commvaulttest.NewServer()
		t.Cleanup(srv.Close)
		c := newClient(t, srv, commvault.WithFormat(f))
		ctx := context.Background()
		for _, tc := range []struct {
			name    string
			filters []commvault.Filter
			sort    commvault.Column
			want    []string
		}{
			{"eq name", []commvault.Filter{commvault.Eq(commvault.ColumnName, "Test company")}, "", []string{"test Company"}},
			{"contains", []commvault.Filter{commvault.Contains(commvault.ColumnName, "com")}, "", []string{"company001", "test Company"}},
			{"neq and gt", []commvault.Filter{commvault.NotEq(commvault.ColumnName, "acme corp"), commvault.Gt(commvault.ColumnID, 6)}, "", []string{"test Company"}},
			{"lte", []commvault.Filter{commvault.Lte(commvault.ColumnID, 16)}, "", []string{"company001", "test Company"}},
			{"nin", []commvault.Filter{commvault.NotIn(commvault.ColumnID, 6, 21)}, "", []string{"test Company"}},
			{"sort descending", nil, "-" + commvault.ColumnName, []string{"test Company", "company001", "Acme Corp"}},
			{"none match", []commvault.Filter{commvault.Eq(commvault.ColumnName, "nobody")}, "", nil},
		} {
			opts := &commvault.ListOptions{Filters: tc.filters, Sort: tc.sort, PerPage: 10}
			list, _, err := c.Organizations.List(ctx, opts)
			require.NoError(t, err, tc.name)
			var got []string
			for _, o := range list.Items {
				got = append(got, o.Name)
			}
			assert.Equal(t, tc.want, got, tc.name)
			assert.Equal(t, len(tc.want), list.Total, tc.name)
		}
	})
}

// TestAllStopsWhenServerIgnoresPaging: an older server answers every
// organization whatever start and limit say, and sends no
// filterQueryCount; the walk yields that answer once and stops.
func TestAllStopsWhenServerIgnoresPaging(t *testing.T) {
	t.Parallel()
	bothFormats(t, func(t *testing.T, f commvault.Format) {
		srv := commvaulttest.NewServer(commvaulttest.WithoutListPaging())
		t.Cleanup(srv.Close)
		c := newClient(t, srv, commvault.WithFormat(f))
		got, err := names(t, c.Organizations.All(context.Background(), &commvault.ListOptions{PerPage: 1}))
		require.NoError(t, err)
		assert.Equal(t, []string{"company001", "test Company", "Acme Corp"}, got)
		assert.Equal(t, 1, srv.HitsFor(http.MethodGet, commvaulttest.Prefix+"Organization"))
		list, _, err := c.Organizations.List(context.Background(), &commvault.ListOptions{PerPage: 1})
		require.NoError(t, err)
		assert.Equal(t, 3, list.Total, "no count: the answer is the whole list")
	})
}

// TestAllLoopWhenServerIgnoresStart: a server that honours limit but not
// start answers the first page again; the walk ends with
// ErrPaginationLoop rather than yielding it twice.
func TestAllLoopWhenServerIgnoresStart(t *testing.T) {
	t.Parallel()
	srv, hits := fixed(t, http.StatusOK, "application/json",
		`{"providers":[{"connectName":"a","shortName":{"id":1}}],"filterQueryCount":3}`)
	c, err := commvault.NewClient(srv.URL+"/commandcenter/api/", commvault.WithToken("abc123token"))
	require.NoError(t, err)
	got, err := names(t, c.Organizations.All(context.Background(), &commvault.ListOptions{PerPage: 1}))
	require.ErrorIs(t, err, commvault.ErrPaginationLoop)
	assert.Equal(t, []string{"a"}, got)
	assert.Equal(t, int32(2), hits.Load())
}

// TestListQuery: every option reaches the query string as cvpysdk sends
// it.
func TestListQuery(t *testing.T) {
	t.Parallel()
	var got url.Values
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got = r.URL.Query()
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"providers":[]}`))
	}))
	t.Cleanup(srv.Close)
	c, err := commvault.NewClient(srv.URL+"/commandcenter/api/", commvault.WithToken("abc123token"))
	require.NoError(t, err)
	_, _, err = c.Organizations.List(context.Background(), &commvault.ListOptions{
		Filters: []commvault.Filter{
			commvault.Eq(commvault.ColumnName, "Acme: Corp"),
			commvault.Gte(commvault.ColumnAssociatedEntitiesCount, 3),
			commvault.Eq(commvault.ColumnReseller, true),
			commvault.NotIn(commvault.ColumnStatus, "Deactivated", "Deleted"),
		},
		Sort:        "-" + commvault.ColumnName,
		Fields:      []commvault.Column{commvault.ColumnName, commvault.ColumnShortName},
		Search:      "acme",
		HardRefresh: true,
		PerPage:     25,
		Offset:      50,
	})
	require.NoError(t, err)
	assert.Equal(t, url.Values{
		"fq": {"providers.connectName:eq:Acme: Corp", "providers.associatedEntitiesCount:gteq:3",
			"providers.canCreateCompanies:eq:true", "providers.status:nin:Deactivated,Deleted"},
		"sort":        {"providers.connectName:-1"},
		"fl":          {"providers.connectName,providers.shortName"},
		"search":      {"providers.connectName,providers.primaryContacts.fullName,providers.providerGUID,providers.status:contains:acme"},
		"hardRefresh": {"true"},
		"start":       {"50"},
		"limit":       {"25"},
	}, got)

	got = nil
	_, _, err = c.Organizations.List(context.Background(), nil)
	require.NoError(t, err)
	assert.Empty(t, got, "no options, no query")
}

// TestListArgumentsCheckedBeforeIO: bad options fail List and All with
// ErrInvalidArgument and no request.
func TestListArgumentsCheckedBeforeIO(t *testing.T) {
	t.Parallel()
	srv, hits := fixed(t, http.StatusOK, "application/json", `{"providers":[]}`)
	c, err := commvault.NewClient(srv.URL+"/commandcenter/api/", commvault.WithToken("abc123token"))
	require.NoError(t, err)
	for _, tc := range []struct {
		name string
		opts commvault.ListOptions
		msg  string
	}{
		{"negative PerPage", commvault.ListOptions{PerPage: -1}, "PerPage -1 is negative"},
		{"negative Offset", commvault.ListOptions{Offset: -5}, "offset -5 is negative"},
		{"negative MaxPages", commvault.ListOptions{MaxPages: -1}, "MaxPages -1 is negative"},
		{"empty filter", commvault.ListOptions{Filters: []commvault.Filter{{}}}, "empty filter"},
		{"empty value", commvault.ListOptions{Filters: []commvault.Filter{commvault.Eq(commvault.ColumnName, "")}}, "empty value"},
		{"empty column", commvault.ListOptions{Filters: []commvault.Filter{commvault.Contains("", "x")}}, "empty column"},
		{"colon in column", commvault.ListOptions{Filters: []commvault.Filter{commvault.Eq[int]("a:b", 1)}}, "colon"},
		{"no NotIn values", commvault.ListOptions{Filters: []commvault.Filter{commvault.NotIn[string](commvault.ColumnName)}}, "at least one value"},
		{"comma in NotIn", commvault.ListOptions{Filters: []commvault.Filter{commvault.NotIn(commvault.ColumnName, "a,b")}}, "comma"},
		{"control in value", commvault.ListOptions{Filters: []commvault.Filter{commvault.Eq(commvault.ColumnName, "a\nb")}}, "control"},
		{"bad sort", commvault.ListOptions{Sort: "-"}, "Sort"},
		{"bad field", commvault.ListOptions{Fields: []commvault.Column{"a b"}}, "Fields"},
	} {
		_, _, err := c.Organizations.List(context.Background(), &tc.opts)
		require.ErrorIs(t, err, commvault.ErrInvalidArgument, tc.name)
		assert.Contains(t, err.Error(), tc.msg, tc.name)
		_, err = names(t, c.Organizations.All(context.Background(), &tc.opts))
		require.ErrorIs(t, err, commvault.ErrInvalidArgument, tc.name)
	}
	assert.Zero(t, hits.Load(), "no request")
}
