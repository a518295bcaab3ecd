package commvault_test

import (
	"context"
	"encoding/json"
	"encoding/xml"
	"errors"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
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
		assert.Equal(t, 1, strings.Count(err.Error(), "invalid argument"), "the family's wording, once: %v", err)
		_, err = names(t, c.Organizations.All(context.Background(), &tc.opts))
		require.ErrorIs(t, err, commvault.ErrInvalidArgument, tc.name)
	}
	assert.Zero(t, hits.Load(), "no request")
}

// TestOrganizationStatus (issue 20.5): status arrives as a name (newer
// servers) or a number (classic ones, "status": 1). A name is read; a
// number is kept as sent and reported unknown, never as inactive.
func TestOrganizationStatus(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		raw           string
		text          string
		active, known bool
		number        bool
	}{
		{`"Active"`, "Active", true, true, false},
		{`"ACTIVE"`, "ACTIVE", true, true, false},
		{`"Deactivated"`, "Deactivated", false, true, false},
		{`1`, "1", false, false, true},
		{`"1"`, "1", false, false, true},
		{`0`, "0", false, false, true},
		{`"Suspended"`, "Suspended", false, false, false},
		{`null`, "", false, false, false},
	} {
		var o commvault.Organization
		require.NoError(t, json.Unmarshal([]byte(`{"connectName":"a","status":`+tc.raw+`}`), &o), tc.raw)
		assert.Equal(t, tc.text, o.Status.String(), tc.raw)
		active, known := o.Status.Active()
		assert.Equal(t, tc.active, active, tc.raw)
		assert.Equal(t, tc.known, known, tc.raw)
		assert.Equal(t, tc.known, o.Status.Known(), tc.raw)
		assert.Equal(t, tc.active, o.Status.IsActive(), tc.raw)
		_, isNum := o.Status.Number()
		assert.Equal(t, tc.number, isNum, tc.raw)
	}
	var x commvault.Organization
	require.NoError(t, xml.Unmarshal([]byte(`<organization connectName="a" status=" 1 "/>`), &x))
	n, ok := x.Status.Number()
	assert.True(t, ok)
	assert.Equal(t, int64(1), n)
	assert.False(t, x.Status.Known())
}

// TestListProviderFields (issue 20.5): the fields newer servers put on a
// listed company (provider tags, commcell, cloud service, idp company) and
// filterQueryCount on the list, in JSON and XML alike.
func TestListProviderFields(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ name, ct, body string }{
		{"json", "application/json", `{"providers":[{"connectName":"Acme","shortName":{"domainName":"acme","id":6},
			"status":1,"provider":{"_type_":61,"providerId":6,"tags":[{"name":"tier","value":"gold"}]},
			"commcell":{"commCellName":"cs01","entityInfo":{"multiCommcellName":"cs01"}},
			"organizationCloudServiceDetails":[{"cloudService":{"redirectUrl":"https://cs01.example.com/commandcenter"}}]}],
			"filterQueryCount":7}`},
		{"xml", "application/xml", `<App_GetOrganizationsResponse filterQueryCount="7"><providers connectName="Acme" status="1">
			<shortName domainName="acme" id="6"/><provider _type_="61" providerId="6"><tags name="tier" value="gold"/></provider>
			<commcell commCellName="cs01"><entityInfo multiCommcellName="cs01"/></commcell>
			<organizationCloudServiceDetails><cloudService redirectUrl="https://cs01.example.com/commandcenter"/></organizationCloudServiceDetails>
			</providers></App_GetOrganizationsResponse>`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			srv, _ := fixed(t, http.StatusOK, tc.ct, tc.body)
			c, err := commvault.NewClient(srv.URL+"/commandcenter/api/", commvault.WithToken("abc123token"))
			require.NoError(t, err)
			list, _, err := c.Organizations.List(context.Background(), nil)
			require.NoError(t, err)
			assert.Equal(t, 7, list.Total)
			require.Len(t, list.Items, 1)
			o := list.Items[0]
			assert.Equal(t, 6, o.ID)
			require.NotNil(t, o.Provider)
			assert.Equal(t, []commvault.Tag{{Name: "tier", Value: "gold"}}, o.Provider.Tags)
			assert.Equal(t, commvault.Int(61), o.Provider.Type)
			require.NotNil(t, o.Commcell)
			assert.Equal(t, "cs01", o.Commcell.CommCellName)
			require.NotNil(t, o.Commcell.EntityInfo)
			assert.Equal(t, "cs01", o.Commcell.EntityInfo.MultiCommcellName)
			require.Len(t, o.CloudServiceDetails, 1)
			assert.Equal(t, "https://cs01.example.com/commandcenter", o.CloudServiceDetails[0].CloudService.RedirectURL)
			assert.Equal(t, "1", o.Status.String())
		})
	}
}

// TestGetKeepsSettings (issue 20.5): Get keeps the company's settings
// under organizationProperties and its deactivateOptions.
func TestGetKeepsSettings(t *testing.T) {
	t.Parallel()
	srv, _ := fixed(t, http.StatusOK, "application/json", `{"organizationInfo":{
		"organization":{"connectName":"Acme","shortName":{"id":6},"deactivateOptions":{"disableBackup":true,"disableRestore":0,"disableLogin":"1"}},
		"organizationProperties":{"agePasswordDays":90,"loginSessionTimeoutInMinutes":"30","canCreateCompanies":1,
			"additionalDomains":["b.example"],"senderSmtp":"noreply@acme.example",
			"operatorRole":{"roleName":"Tenant Operator","roleId":3},
			"operators":[{"role":{"roleName":"Tenant Admin"},"user":{"userName":"acme\\bob","userId":9}},
				{"role":{"roleName":"Viewer"},"userGroup":{"userGroupName":"acme\\ops","userGroupId":4}}],
			"advancedPrivacySettings":{"authType":2}},
		"planDetails":[{"plan":{"planName":"Server plan","planId":2}}]}}`)
	c, err := commvault.NewClient(srv.URL+"/commandcenter/api/", commvault.WithToken("abc123token"))
	require.NoError(t, err)
	info, _, err := c.Organizations.Get(context.Background(), 6)
	require.NoError(t, err)
	p := info.Properties
	assert.Equal(t, commvault.Int(90), p.AgePasswordDays)
	assert.Equal(t, commvault.Int(30), p.LoginSessionTimeoutInMinutes)
	assert.True(t, bool(p.CanCreateCompanies))
	assert.Equal(t, []string{"b.example"}, p.AdditionalDomains)
	assert.Equal(t, "noreply@acme.example", p.SenderSMTP)
	require.NotNil(t, p.OperatorRole)
	assert.Equal(t, "Tenant Operator", p.OperatorRole.RoleName)
	require.Len(t, p.Operators, 2)
	assert.Equal(t, "acme\\bob", p.Operators[0].User.UserName)
	assert.Equal(t, "acme\\ops", p.Operators[1].UserGroup.UserGroupName)
	assert.JSONEq(t, `{"authType":2}`, string(p.AdvancedPrivacySettings))
	require.NotNil(t, info.Organization.DeactivateOptions)
	assert.Equal(t, commvault.DeactivateOptions{DisableBackup: true, DisableLogin: true}, *info.Organization.DeactivateOptions)
	require.Len(t, info.PlanDetails, 1)
}

// TestLoginGUIDs (issue 20.5): the login's GUIDs (the user's, and its
// organizations') are decoded, in XML as the official Terraform provider
// reads them.
func TestLoginGUIDs(t *testing.T) {
	t.Parallel()
	body := `<DM2ContentIndexing_CheckCredentialResp userGUID="5E1C0A52" userName="acme\tenantadmin" token="QSDK tok123abc">` +
		`<ownerOrganization providerId="6" GUID="3146C5E7" providerDomainName="acme"/>` +
		`<additionalResp><nameValues name="USERNAME" value="acme\tenantadmin"/></additionalResp>` +
		`<providerOrganization providerId="0" GUID="A1B2C3D4" providerDomainName="Commcell"/></DM2ContentIndexing_CheckCredentialResp>`
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/xml")
		_, _ = w.Write([]byte(body))
	}))
	t.Cleanup(srv.Close)
	c, err := commvault.NewClient(srv.URL+"/commandcenter/api/", commvault.WithCredentials("admin", "pw-123456"), commvault.WithFormat(commvault.XML))
	require.NoError(t, err)
	info, _, err := c.Login(context.Background())
	require.NoError(t, err)
	assert.Equal(t, "5E1C0A52", info.UserGUID)
	require.NotNil(t, info.OwnerOrganization)
	assert.Equal(t, "3146C5E7", info.OwnerOrganization.GUID)
	require.NotNil(t, info.ProviderOrganization)
	assert.Equal(t, "A1B2C3D4", info.ProviderOrganization.GUID)
	require.NotNil(t, info.AdditionalResp)
	assert.Equal(t, []commvault.NameValue{{Name: "USERNAME", Value: `acme\tenantadmin`}}, info.AdditionalResp.NameValues)
}

// TestDecodeErrorNamesThePath (issue 21.4 for commvault): a value that
// cannot be read names where it is, the field path in JSON and the
// element path and attribute in XML.
func TestDecodeErrorNamesThePath(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name, ct, body, path string
		get                  bool
	}{
		{"json list", "application/json", `{"providers":[{"connectName":"a"},{"connectName":"b","serviceType":"abc"}]}`,
			`providers[1].serviceType: cannot read "abc" as an integer`, false},
		{"json nested", "application/json", `{"providers":[{"shortName":{"id":"x6"}}]}`,
			`providers[0].shortName.id: cannot read "x6" as an integer`, false},
		{"json get", "application/json", `{"organizationInfo":{"organization":{"connectName":"a"},"organizationProperties":{"userCount":{}}}}`,
			`organizationInfo.organizationProperties.userCount: cannot read "{}" as an integer`, true},
		{"json flag", "application/json", `{"providers":[{"enabled":"maybe"}]}`,
			`providers[0].enabled: cannot read "maybe" as a flag`, false},
		{"xml list", "application/xml", `<R><providers connectName="a"/><providers connectName="b"><shortName id="x6"/></providers></R>`,
			`providers[1].shortName[0].@id: cannot read "x6" as an integer`, false},
		{"xml get", "application/xml", `<R><organizationInfo><organization connectName="a"/><organizationProperties userCount="many"/></organizationInfo></R>`,
			`organizationInfo[0].organizationProperties[0].@userCount: cannot read "many" as an integer`, true},
		{"xml flag on root", "application/xml", `<R filterQueryCount="lots"/>`,
			`@filterQueryCount: cannot read "lots" as an integer`, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			srv, _ := fixed(t, http.StatusOK, tc.ct, tc.body)
			c, err := commvault.NewClient(srv.URL+"/commandcenter/api/", commvault.WithToken("abc123token"))
			require.NoError(t, err)
			if tc.get {
				_, _, err = c.Organizations.Get(context.Background(), 6)
			} else {
				_, _, err = c.Organizations.List(context.Background(), nil)
			}
			var decErr *commvault.DecodeError
			require.ErrorAs(t, err, &decErr)
			assert.Contains(t, decErr.Err.Error(), tc.path)
		})
	}
}

// TestXMLSyntaxErrorNamesTheElement: a malformed XML body names the
// element the decoder was in.
func TestXMLSyntaxErrorNamesTheElement(t *testing.T) {
	t.Parallel()
	srv, _ := fixed(t, http.StatusOK, "application/xml", `<R><providers connectName="a"><shortName id="6"></providers></R>`)
	c, err := commvault.NewClient(srv.URL+"/commandcenter/api/", commvault.WithToken("abc123token"))
	require.NoError(t, err)
	_, _, err = c.Organizations.List(context.Background(), nil)
	var decErr *commvault.DecodeError
	require.ErrorAs(t, err, &decErr)
	assert.Contains(t, decErr.Err.Error(), "providers[0]: XML syntax error on line 1: element <shortName> closed by </providers>")
}

// TestAllStopsWhenServerIgnoresLimit: a server that counts but answers
// more than limit organizations has given the whole list: one request.
func TestAllStopsWhenServerIgnoresLimit(t *testing.T) {
	t.Parallel()
	srv, hits := fixed(t, http.StatusOK, "application/json",
		`{"providers":[{"connectName":"a","shortName":{"id":1}},{"connectName":"b","shortName":{"id":2}},{"connectName":"c","shortName":{"id":3}}],"filterQueryCount":3}`)
	c, err := commvault.NewClient(srv.URL+"/commandcenter/api/", commvault.WithToken("abc123token"))
	require.NoError(t, err)
	got, err := names(t, c.Organizations.All(context.Background(), &commvault.ListOptions{PerPage: 1}))
	require.NoError(t, err)
	assert.Equal(t, []string{"a", "b", "c"}, got)
	assert.Equal(t, int32(1), hits.Load())
}

// TestAllBreakFetchesNothingMore: a walk the caller leaves early sends no
// further page request.
func TestAllBreakFetchesNothingMore(t *testing.T) {
	t.Parallel()
	srv := commvaulttest.NewServer()
	t.Cleanup(srv.Close)
	c := newClient(t, srv)
	for range c.Organizations.All(context.Background(), &commvault.ListOptions{PerPage: 1}) {
		break
	}
	assert.Equal(t, 1, srv.HitsFor(http.MethodGet, commvaulttest.Prefix+"Organization"))
}

// TestErrorStatusKeepsItsOwn: an error status keeps its own status even
// when its message says "does not exist"; only errors inside a 200 take
// the status they stand for.
func TestErrorStatusKeepsItsOwn(t *testing.T) {
	t.Parallel()
	srv, _ := fixed(t, http.StatusInternalServerError, "application/json", `{"errorMessage":"Organization [9] does not exist","errorCode":2}`)
	c, err := commvault.NewClient(srv.URL+"/commandcenter/api/", commvault.WithToken("abc123token"), commvault.WithMaxRetries(0))
	require.NoError(t, err)
	_, _, err = c.Organizations.Get(context.Background(), 9)
	var apiErr *commvault.APIError
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, http.StatusInternalServerError, apiErr.StatusCode)
	assert.Equal(t, commvault.CodeGenericFailure, apiErr.Code)
	assert.NotErrorIs(t, err, commvault.ErrNotFound)
}
