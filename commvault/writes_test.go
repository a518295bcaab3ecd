package commvault_test

// Issue 20, the write half: the company lifecycle against the fake (which
// runs it as a CommCell does) and against httptest servers, in JSON and
// XML.

import (
	"context"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/orgsdk/orgsdk/commvault"
	"github.com/orgsdk/orgsdk/commvault/commvaulttest"
	"github.com/orgsdk/orgsdk/internal/faulttest"
)

func planNames(info *commvault.OrganizationInfo) []string {
	out := []string{}
	for _, p := range info.PlanDetails {
		out = append(out, p.Plan.PlanName)
	}
	return out
}

func TestLifecycleAgainstTheFake(t *testing.T) {
	t.Parallel()
	bothFormats(t, func(t *testing.T, f commvault.Format) {
		srv := commvaulttest.NewServer()
		defer srv.Close()
		c := newClient(t, srv, commvault.WithFormat(f))
		ctx := context.Background()
		orgs := c.Organizations

		created, _, err := orgs.Create(ctx, &commvault.OrganizationInput{
			Name: "Globex", Alias: "globex", EmailDomains: []string{"globex.example"},
			PrimaryContacts: []commvault.Contact{{FullName: "Hank Scorpio", Email: "hank@globex.example"}},
			Plans:           []commvault.PlanRef{{PlanName: "Server plan"}, {PlanID: 1}},
		})
		require.NoError(t, err)
		assert.Positive(t, created.ID)
		assert.Equal(t, "globex", created.Alias)
		assert.NotEmpty(t, created.GUID)
		info, _, err := orgs.Get(ctx, created.ID)
		require.NoError(t, err)
		assert.Equal(t, "Globex", info.Organization.Name)
		assert.Equal(t, []string{"Server plan", "Laptop plan"}, planNames(info))
		assert.True(t, bool(info.Organization.Enabled))

		// A second company of the same name (in another case) is refused
		// inside HTTP 200, as a conflict.
		_, resp, err := orgs.Create(ctx, &commvault.OrganizationInput{Name: "GLOBEX", Alias: "other"})
		require.ErrorIs(t, err, commvault.ErrConflict)
		assert.Equal(t, http.StatusOK, resp.StatusCode)
		var ae *commvault.APIError
		require.ErrorAs(t, err, &ae)
		assert.Equal(t, "2", ae.Code)
		assert.Contains(t, ae.Message, "already exists")

		// Plans: add, remove, replace; default plans among them.
		_, err = orgs.Update(ctx, created.ID, &commvault.OrganizationUpdate{Plans: commvault.AddPlans(commvault.PlanRef{PlanName: "Database plan"})})
		require.NoError(t, err)
		info, _, err = orgs.Get(ctx, created.ID)
		require.NoError(t, err)
		assert.Equal(t, []string{"Server plan", "Laptop plan", "Database plan"}, planNames(info))
		_, err = orgs.Update(ctx, created.ID, &commvault.OrganizationUpdate{Plans: commvault.RemovePlans(commvault.PlanRef{PlanID: 1})})
		require.NoError(t, err)
		info, _, err = orgs.Get(ctx, created.ID)
		require.NoError(t, err)
		assert.Equal(t, []string{"Server plan", "Database plan"}, planNames(info))
		_, err = orgs.Update(ctx, created.ID, &commvault.OrganizationUpdate{
			Plans:        commvault.ReplacePlans(commvault.PlanRef{PlanName: "Laptop plan"}),
			DefaultPlans: commvault.ReplacePlans(commvault.PlanRef{PlanName: "Laptop plan"}),
		})
		require.NoError(t, err)
		info, _, err = orgs.Get(ctx, created.ID)
		require.NoError(t, err)
		assert.Equal(t, []string{"Laptop plan"}, planNames(info))
		dp, _, err := orgs.DefaultPlan(ctx, created.ID)
		require.NoError(t, err)
		p, ok := dp.For(commvault.PlanSubtypeLaptop)
		require.True(t, ok)
		assert.Equal(t, "Laptop plan", p.PlanName)

		// Rename, and a rename onto another company's name.
		_, err = orgs.Update(ctx, created.ID, &commvault.OrganizationUpdate{NewName: "Globex Corp", NewAlias: "globexcorp"})
		require.NoError(t, err)
		info, _, err = orgs.Get(ctx, created.ID)
		require.NoError(t, err)
		assert.Equal(t, "Globex Corp", info.Organization.Name)
		assert.Equal(t, "globexcorp", info.Organization.ShortName.DomainName)
		_, err = orgs.Update(ctx, created.ID, &commvault.OrganizationUpdate{NewName: "company001"})
		require.ErrorIs(t, err, commvault.ErrConflict)

		// Tags.
		tags, _, err := orgs.Tags(ctx, created.ID)
		require.NoError(t, err)
		assert.Empty(t, tags)
		assert.NotNil(t, tags)
		want := []commvault.Tag{{Name: "tier", Value: "gold"}, {Name: "region", Value: "eu"}}
		_, err = orgs.SetTags(ctx, created.ID, want)
		require.NoError(t, err)
		tags, _, err = orgs.Tags(ctx, created.ID)
		require.NoError(t, err)
		assert.Equal(t, want, tags)

		// Delete is refused while the company is active; Deactivate
		// first, then it goes.
		_, err = orgs.Delete(ctx, created.ID)
		require.ErrorIs(t, err, commvault.ErrConflict)
		require.ErrorAs(t, err, &ae)
		assert.Contains(t, ae.Message, "deactivate")
		_, ok = srv.Organization(created.ID)
		assert.True(t, ok, "the refused delete left the company")

		_, err = orgs.Deactivate(ctx, created.ID, nil)
		require.NoError(t, err)
		got, _ := srv.Organization(created.ID)
		assert.False(t, got.Enabled)
		_, err = orgs.Activate(ctx, created.ID)
		require.NoError(t, err)
		got, _ = srv.Organization(created.ID)
		assert.True(t, got.Enabled)
		_, err = orgs.Deactivate(ctx, created.ID, &commvault.DeactivateOptions{DisableBackup: true})
		require.NoError(t, err)
		_, err = orgs.Delete(ctx, created.ID)
		require.NoError(t, err)
		_, ok = srv.Organization(created.ID)
		assert.False(t, ok)

		// Gone: every operation says so with ErrNotFound.
		for name, call := range map[string]func() error{
			"Update": func() error {
				_, err := orgs.Update(ctx, created.ID, &commvault.OrganizationUpdate{NewName: "x"})
				return err
			},
			"Deactivate": func() error { _, err := orgs.Deactivate(ctx, created.ID, nil); return err },
			"Activate":   func() error { _, err := orgs.Activate(ctx, created.ID); return err },
			"Delete":     func() error { _, err := orgs.Delete(ctx, created.ID); return err },
			"Tags":       func() error { _, _, err := orgs.Tags(ctx, created.ID); return err },
			"SetTags":    func() error { _, err := orgs.SetTags(ctx, created.ID, want); return err },
		} {
			err := call()
			require.ErrorIs(t, err, commvault.ErrNotFound, name)
			require.ErrorAs(t, err, &ae, name)
			assert.Equal(t, "2", ae.Code, name)
			assert.Contains(t, ae.Message, "does not exist", name)
		}
	})
}

func TestLifecycleServerRefusals(t *testing.T) {
	t.Parallel()
	bothFormats(t, func(t *testing.T, f commvault.Format) {
		srv := commvaulttest.NewServer()
		defer srv.Close()
		c := newClient(t, srv, commvault.WithFormat(f))
		ctx := context.Background()
		// A plan the CommCell does not have.
		_, _, err := c.Organizations.Create(ctx, &commvault.OrganizationInput{Name: "N", Alias: "n", Plans: []commvault.PlanRef{{PlanName: "nope"}}})
		var ae *commvault.APIError
		require.ErrorAs(t, err, &ae)
		// The shared rule: something the request names does not exist.
		assert.ErrorIs(t, err, commvault.ErrNotFound, "a missing plan, as a missing company, is ErrNotFound")
		assert.Contains(t, ae.Message, "Plan [nope] does not exist")
		// A default plan that is not one of the company's plans.
		_, err = c.Organizations.Update(ctx, 6, &commvault.OrganizationUpdate{DefaultPlans: commvault.AddPlans(commvault.PlanRef{PlanID: 3})})
		require.ErrorAs(t, err, &ae)
		assert.Contains(t, ae.Message, "not associated")
		// The seeded disabled company can be deleted at once.
		_, err = c.Organizations.Delete(ctx, 21)
		require.NoError(t, err)
	})
}

func TestWritesRefusedBeforeIO(t *testing.T) {
	t.Parallel()
	srv := faulttest.NewServer(t, nil, nil)
	c, err := commvault.NewClient(srv.URL+root, commvault.WithToken("QSDK before0io0token"))
	require.NoError(t, err)
	ctx := context.Background()
	orgs := c.Organizations
	upd := &commvault.OrganizationUpdate{NewName: "x"}
	for name, call := range map[string]func() error{
		"Create nil": func() error { _, _, err := orgs.Create(ctx, nil); return err },
		"Create blank name": func() error {
			_, _, err := orgs.Create(ctx, &commvault.OrganizationInput{Name: " ", Alias: "a"})
			return err
		},
		"Create no alias": func() error { _, _, err := orgs.Create(ctx, &commvault.OrganizationInput{Name: "n"}); return err },
		"Create plan without id": func() error {
			_, _, err := orgs.Create(ctx, &commvault.OrganizationInput{Name: "n", Alias: "a", Plans: []commvault.PlanRef{{}}})
			return err
		},
		"Create negative plan": func() error {
			_, _, err := orgs.Create(ctx, &commvault.OrganizationInput{Name: "n", Alias: "a", Plans: []commvault.PlanRef{{PlanID: -1}}})
			return err
		},
		"Create contact without email": func() error {
			_, _, err := orgs.Create(ctx, &commvault.OrganizationInput{Name: "n", Alias: "a", PrimaryContacts: []commvault.Contact{{FullName: "x"}}})
			return err
		},
		"Create email domain": func() error {
			_, _, err := orgs.Create(ctx, &commvault.OrganizationInput{Name: "n", Alias: "a", EmailDomains: []string{"a@b"}})
			return err
		},
		"Update id 0":        func() error { _, err := orgs.Update(ctx, 0, upd); return err },
		"Update id negative": func() error { _, err := orgs.Update(ctx, -3, upd); return err },
		"Update nil":         func() error { _, err := orgs.Update(ctx, 6, nil); return err },
		"Update empty":       func() error { _, err := orgs.Update(ctx, 6, &commvault.OrganizationUpdate{}); return err },
		"Update blank name":  func() error { _, err := orgs.Update(ctx, 6, &commvault.OrganizationUpdate{NewName: "  "}); return err },
		"Update no operation": func() error {
			_, err := orgs.Update(ctx, 6, &commvault.OrganizationUpdate{Plans: &commvault.PlanChange{Plans: []commvault.PlanRef{{PlanID: 1}}}})
			return err
		},
		"Update unknown operation": func() error {
			_, err := orgs.Update(ctx, 6, &commvault.OrganizationUpdate{Plans: &commvault.PlanChange{Operation: 9, Plans: []commvault.PlanRef{{PlanID: 1}}}})
			return err
		},
		"Update no plans": func() error {
			_, err := orgs.Update(ctx, 6, &commvault.OrganizationUpdate{Plans: commvault.AddPlans()})
			return err
		},
		"Update no default plans": func() error {
			_, err := orgs.Update(ctx, 6, &commvault.OrganizationUpdate{DefaultPlans: commvault.ReplacePlans()})
			return err
		},
		"Deactivate id 0":    func() error { _, err := orgs.Deactivate(ctx, 0, nil); return err },
		"Deactivate nothing": func() error { _, err := orgs.Deactivate(ctx, 6, &commvault.DeactivateOptions{}); return err },
		"Activate id 0":      func() error { _, err := orgs.Activate(ctx, 0); return err },
		"Delete id 0":        func() error { _, err := orgs.Delete(ctx, 0); return err },
		"Delete negative":    func() error { _, err := orgs.Delete(ctx, -1); return err },
		"Tags id 0":          func() error { _, _, err := orgs.Tags(ctx, 0); return err },
		"SetTags id 0":       func() error { _, err := orgs.SetTags(ctx, 0, []commvault.Tag{{Name: "a"}}); return err },
		"SetTags none":       func() error { _, err := orgs.SetTags(ctx, 6, nil); return err },
		"SetTags blank name": func() error { _, err := orgs.SetTags(ctx, 6, []commvault.Tag{{Name: " ", Value: "v"}}); return err },
		"nil context":        func() error { var none context.Context; _, err := orgs.Delete(none, 6); return err },
	} {
		err := call()
		require.ErrorIs(t, err, commvault.ErrInvalidArgument, name)
		assert.True(t, strings.HasPrefix(err.Error(), "orgsdk: commvault: "), "%s: %v", name, err)
	}
	assert.Zero(t, srv.Total(), "nothing reached the server")
}

// wireCase is one write as it goes on the wire.
type wireCase struct {
	name   string
	method string
	path   string
	query  string
	call   func(ctx context.Context, c *commvault.Client) error
	// body is the JSON body expected (compared as JSON); "" is none.
	body string
	// answer is the server's success answer.
	answer string
}

func wireCases() []wireCase {
	return []wireCase{
		{
			name: "Create", method: http.MethodPost, path: "Organization",
			call: func(ctx context.Context, c *commvault.Client) error {
				got, _, err := c.Organizations.Create(ctx, &commvault.OrganizationInput{
					Name: "company001", Alias: "company001", EmailDomains: []string{"company001.example"},
					PrimaryContacts: []commvault.Contact{{FullName: "Ann Admin", Email: "ann@company001.example"}},
					PrimaryDomain:   "company001.example", EnableAutoDiscovery: true,
					Plans:            []commvault.PlanRef{{PlanID: 2}, {PlanName: "Laptop plan"}},
					SendWelcomeEmail: true,
				})
				if err == nil && *got != (commvault.CreatedOrganization{ID: 18, Alias: "testalias4", GUID: "3146C5E7-F898-410D-8952-6D8B84BABBE5"}) {
					return fmt.Errorf("unexpected create answer %+v", got)
				}
				return err
			},
			body: `{"organizationInfo":{"organization":{"connectName":"company001","emailDomainNames":["company001.example"],"shortName":{"domainName":"company001"}},
				"organizationProperties":{"enableAutoDiscovery":true,"primaryDomain":"company001.example","primaryContacts":[{"fullName":"Ann Admin","email":"ann@company001.example"}]},
				"planDetails":[{"plan":{"planId":2}},{"plan":{"planName":"Laptop plan"}}]},"sendEmail":true}`,
			answer: `{"processinginstructioninfo":{"attributes":[{"name":"exitval","value":"0"}]},"response":{"errorCode":0,"entity":{"GUID":"3146C5E7-F898-410D-8952-6D8B84BABBE5","_type_":61,"providerId":18,"providerDomainName":"testalias4"}}}`,
		},
		{
			name: "Update", method: http.MethodPut, path: "Organization", query: "organizationId=16",
			call: func(ctx context.Context, c *commvault.Client) error {
				_, err := c.Organizations.Update(ctx, 16, &commvault.OrganizationUpdate{
					NewName: "test Company 2", NewAlias: "testalias2",
					Plans:        commvault.AddPlans(commvault.PlanRef{PlanID: 3}),
					DefaultPlans: commvault.RemovePlans(commvault.PlanRef{PlanName: "Laptop plan"}),
				})
				return err
			},
			body: `{"newAliasName":"testalias2","newCompanyName":"test Company 2","organizationInfo":{"planDetailsOperationType":2,
				"organization":{"shortName":{"id":16}},"organizationProperties":{"defaultPlansOperationType":3,"defaultPlans":[{"plan":{"planName":"Laptop plan"}}]},
				"planDetails":[{"plan":{"planId":3}}]}}`,
			answer: `{"errorMessage":"","errorCode":0}`,
		},
		{
			name: "Update replace", method: http.MethodPut, path: "Organization", query: "organizationId=16",
			call: func(ctx context.Context, c *commvault.Client) error {
				_, err := c.Organizations.Update(ctx, 16, &commvault.OrganizationUpdate{Plans: commvault.ReplacePlans(commvault.PlanRef{PlanID: 1})})
				return err
			},
			body:   `{"organizationInfo":{"planDetailsOperationType":1,"organization":{"shortName":{"id":16}},"organizationProperties":{},"planDetails":[{"plan":{"planId":1}}]}}`,
			answer: `{"error":{"errorMessage":"","errorCode":0}}`,
		},
		{
			name: "Deactivate", method: http.MethodPost, path: "Organization/16/action/deactivate",
			call: func(ctx context.Context, c *commvault.Client) error {
				_, err := c.Organizations.Deactivate(ctx, 16, nil)
				return err
			},
			body:   `{"deactivateOptions":{"disableBackup":true,"disableRestore":true,"disableLogin":true}}`,
			answer: `{"response":{"errorCode":0}}`,
		},
		{
			name: "Deactivate login only", method: http.MethodPost, path: "Organization/16/action/deactivate",
			call: func(ctx context.Context, c *commvault.Client) error {
				_, err := c.Organizations.Deactivate(ctx, 16, &commvault.DeactivateOptions{DisableLogin: true})
				return err
			},
			body:   `{"deactivateOptions":{"disableBackup":false,"disableRestore":false,"disableLogin":true}}`,
			answer: `{"response":{"errorCode":0}}`,
		},
		{
			name: "Activate", method: http.MethodPost, path: "Organization/16/action/activate",
			call: func(ctx context.Context, c *commvault.Client) error {
				_, err := c.Organizations.Activate(ctx, 16)
				return err
			},
			answer: `{"response":{"errorCode":0}}`,
		},
		{
			name: "Delete", method: http.MethodDelete, path: "Organization/16",
			call: func(ctx context.Context, c *commvault.Client) error {
				_, err := c.Organizations.Delete(ctx, 16)
				return err
			},
			answer: `{"errorMessage":"","errorCode":0}`,
		},
		{
			name: "SetTags", method: http.MethodPut, path: "Tags",
			call: func(ctx context.Context, c *commvault.Client) error {
				_, err := c.Organizations.SetTags(ctx, 16, []commvault.Tag{{Name: "tier", Value: "gold"}, {Name: "flag"}})
				return err
			},
			body:   `{"entityTag":[{"entityId":16,"entityType":61,"tag":[{"name":"tier","value":"gold"},{"name":"flag","value":""}]}]}`,
			answer: `{"error":{"errorMessage":"Successfully executed given operation","errorCode":0}}`,
		},
	}
}

// TestWritesOnTheWire: each write's method, path, query, headers and body,
// and that it reaches the server once.
func TestWritesOnTheWire(t *testing.T) {
	t.Parallel()
	for _, wc := range wireCases() {
		t.Run(wc.name, func(t *testing.T) {
			t.Parallel()
			var got *http.Request
			srv := faulttest.NewServer(t, func(w http.ResponseWriter, r *http.Request, _ []byte) bool {
				got = r.Clone(context.Background())
				w.Header().Set("Content-Type", "application/json")
				_, _ = io.WriteString(w, wc.answer)
				return true
			}, nil)
			c, err := commvault.NewClient(srv.URL+root, commvault.WithToken("QSDK wire0token0value"))
			require.NoError(t, err)
			require.NoError(t, wc.call(context.Background(), c))
			assert.Equal(t, 1, srv.Count(wc.method, root+wc.path))
			assert.Equal(t, 1, srv.Total())
			assert.Equal(t, wc.query, got.URL.RawQuery)
			assert.Equal(t, "QSDK wire0token0value", got.Header.Get("Authtoken"))
			assert.Equal(t, "application/json", got.Header.Get("Accept"))
			bodies := srv.Bodies(wc.method, root+wc.path)
			if wc.body == "" {
				assert.Empty(t, bodies[0])
				return
			}
			assert.Equal(t, "application/json", got.Header.Get("Content-Type"))
			assert.JSONEq(t, wc.body, bodies[0])
		})
	}
}

// TestWritesInXML: with WithFormat(XML) each write sends an XML body that
// holds what its JSON body holds, and reads an XML answer.
func TestWritesInXML(t *testing.T) {
	t.Parallel()
	for _, wc := range wireCases() {
		t.Run(wc.name, func(t *testing.T) {
			t.Parallel()
			answer := `<App_GenericResp errorCode="0" errorMessage=""/>`
			if wc.name == "Create" {
				answer = `<App_CreateOrganizationResponse><processinginstructioninfo><attributes name="exitval" value="0"/></processinginstructioninfo>` +
					`<response errorCode="0"><entity GUID="3146C5E7-F898-410D-8952-6D8B84BABBE5" _type_="61" providerId="18" providerDomainName="testalias4"/></response></App_CreateOrganizationResponse>`
			}
			var ct, accept string
			srv := faulttest.NewServer(t, func(w http.ResponseWriter, r *http.Request, _ []byte) bool {
				ct, accept = r.Header.Get("Content-Type"), r.Header.Get("Accept")
				w.Header().Set("Content-Type", "application/xml")
				_, _ = io.WriteString(w, answer)
				return true
			}, nil)
			c, err := commvault.NewClient(srv.URL+root, commvault.WithToken("QSDK wire0token0value"), commvault.WithFormat(commvault.XML))
			require.NoError(t, err)
			require.NoError(t, wc.call(context.Background(), c))
			assert.Equal(t, "application/xml", accept)
			assert.Equal(t, 1, srv.Total())
			body := srv.Bodies(wc.method, root+wc.path)[0]
			if wc.body == "" {
				assert.Empty(t, body)
				return
			}
			assert.Equal(t, "application/xml", ct)
			assert.NoError(t, xml.Unmarshal([]byte(body), new(struct{})), "well-formed XML: %s", body)
			// Every scalar of the JSON body is in the XML body.
			var v any
			require.NoError(t, json.Unmarshal([]byte(wc.body), &v))
			for _, s := range scalars(v) {
				assert.Contains(t, body, `"`+s+`"`, "XML body %s lacks %s", body, s)
			}
		})
	}
}

// scalars lists the scalar values of a decoded JSON value as text.
func scalars(v any) []string {
	switch v := v.(type) {
	case map[string]any:
		var out []string
		for _, x := range v {
			out = append(out, scalars(x)...)
		}
		return out
	case []any:
		var out []string
		for _, x := range v {
			out = append(out, scalars(x)...)
		}
		return out
	case string:
		if v == "" {
			return nil
		}
		return []string{v}
	case bool:
		if v {
			return []string{"true"}
		}
		return []string{"false"}
	case float64:
		b, _ := json.Marshal(v)
		return []string{string(b)}
	}
	return nil
}

// TestWriteErrorsInsideHTTP200: every error shape inside a 200 answer to a
// write is an *APIError; the refusals with a meaning match their sentinel.
func TestWriteErrorsInsideHTTP200(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name, ct, body string
		want           error
	}{
		{"flat", "application/json", `{"errorMessage":"Failed to update","errorCode":2}`, nil},
		{"nested error", "application/json", `{"error":{"errorMessage":"Failed to update","errorCode":2}}`, nil},
		{"response", "application/json", `{"response":{"errorCode":2,"errorString":"Failed to update"}}`, nil},
		{"response array", "application/json", `{"response":[{"errorCode":2,"errorString":"Failed to update"}]}`, nil},
		{"errList", "application/json", `{"errList":[{"errLogMessage":"Failed to update","errorCode":2}]}`, nil},
		{"xml generic", "application/xml", `<App_GenericResp errorMessage="Failed to update" errorCode="2"/>`, nil},
		{"not found", "application/json", `{"errorMessage":"Organization [16] does not exist","errorCode":2}`, commvault.ErrNotFound},
		{"not found xml", "application/xml", `<App_GenericResp errorMessage="Organization [16] does not exist" errorCode="2"/>`, commvault.ErrNotFound},
		{"access denied", "application/json", `{"errorMessage":"Access denied","errorCode":5}`, commvault.ErrUnauthorized},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			srv := faulttest.NewServer(t, func(w http.ResponseWriter, r *http.Request, _ []byte) bool {
				w.Header().Set("Content-Type", tc.ct)
				_, _ = io.WriteString(w, tc.body)
				return true
			}, nil)
			c, err := commvault.NewClient(srv.URL+root, commvault.WithToken("QSDK inside0token"))
			require.NoError(t, err)
			_, err = c.Organizations.Update(context.Background(), 16, &commvault.OrganizationUpdate{NewName: "x"})
			var ae *commvault.APIError
			require.ErrorAs(t, err, &ae)
			assert.Contains(t, []string{"Failed to update", "Organization [16] does not exist", "Access denied"}, ae.Message)
			assert.Contains(t, []string{"2", "5"}, ae.Code)
			if tc.want != nil {
				assert.ErrorIs(t, err, tc.want)
			} else {
				assert.NotErrorIs(t, err, commvault.ErrNotFound)
				assert.NotErrorIs(t, err, commvault.ErrConflict)
			}
			if tc.want == commvault.ErrUnauthorized {
				return // the token-only client cannot renew; it is not replayed
			}
			assert.Equal(t, 1, srv.Total())
		})
	}
}

// TestCreateAnswerWithoutEntity: a success answer without the new
// company's id is a DecodeError, never a company with id 0.
func TestCreateAnswerWithoutEntity(t *testing.T) {
	t.Parallel()
	for _, body := range []string{`{"response":{"errorCode":0}}`, `{"errorCode":0}`, `<App_GenericResp errorCode="0"/>`} {
		srv := faulttest.NewServer(t, func(w http.ResponseWriter, r *http.Request, _ []byte) bool {
			if strings.HasPrefix(body, "<") {
				w.Header().Set("Content-Type", "application/xml")
			} else {
				w.Header().Set("Content-Type", "application/json")
			}
			_, _ = io.WriteString(w, body)
			return true
		}, nil)
		c, err := commvault.NewClient(srv.URL+root, commvault.WithToken("QSDK entity0token"))
		require.NoError(t, err)
		got, _, err := c.Organizations.Create(context.Background(), &commvault.OrganizationInput{Name: "n", Alias: "a"})
		var de *commvault.DecodeError
		require.ErrorAs(t, err, &de, body)
		assert.Contains(t, err.Error(), "providerId")
		assert.Nil(t, got)
		assert.Equal(t, 1, srv.Count(http.MethodPost, root+"Organization"))
	}
}

// TestWriteRefusedForAnExpiredSessionIsSentAgainOnce: a 401 means the
// server did not act, so after the renewal the write goes once more, and
// the company is created once.
func TestWriteRefusedForAnExpiredSessionIsSentAgainOnce(t *testing.T) {
	t.Parallel()
	srv := commvaulttest.NewServer()
	defer srv.Close()
	c := newClient(t, srv)
	ctx := context.Background()
	_, _, err := c.Login(ctx)
	require.NoError(t, err)
	srv.ExpireTokens()
	created, _, err := c.Organizations.Create(ctx, &commvault.OrganizationInput{Name: "Initech", Alias: "initech"})
	require.NoError(t, err)
	assert.Equal(t, 2, srv.HitsFor(http.MethodPost, commvaulttest.Prefix+"Organization"), "refused with 401, then sent once with the new token")
	n := 0
	for _, o := range srv.Organizations() {
		if o.Name == "Initech" {
			n++
			assert.Equal(t, created.ID, o.ID)
		}
	}
	assert.Equal(t, 1, n)
}
