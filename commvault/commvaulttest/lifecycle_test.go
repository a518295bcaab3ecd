package commvaulttest_test

import (
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/orgsdk/orgsdk/commvault/commvaulttest"
)

// TestFakeLifecycleOnTheWire drives the fake's lifecycle with raw
// requests, as another client than this SDK would: operation types by
// name as well as by number, refusals inside HTTP 200, JSON and XML.
func TestFakeLifecycleOnTheWire(t *testing.T) {
	t.Parallel()
	srv := commvaulttest.NewServer()
	defer srv.Close()
	const js = "application/json"
	call := func(method, path, ct, body string) string {
		t.Helper()
		code, _, out := do(t, method, srv.URL+path, js, srv.Token, ct, body)
		require.Equal(t, http.StatusOK, code, out)
		return out
	}

	out := call(http.MethodPost, "Organization", js, `{"organizationInfo":{"organization":{"connectName":"Hooli","shortName":{"domainName":"hooli"}},"planDetails":[{"plan":{"planName":"Laptop plan"}}]}}`)
	assert.JSONEq(t, `{"processinginstructioninfo":{"attributes":[{"name":"exitval","value":"0"}]},
		"response":{"errorCode":0,"entity":{"GUID":"00000001-0000-4000-8000-000000000001","_type_":61,"providerId":1,"providerDomainName":"hooli"}}}`, out)
	out = call(http.MethodPost, "Organization", js, `{"organizationInfo":{"organization":{"connectName":"x","shortName":{"domainName":"HOOLI"}}}}`)
	assert.JSONEq(t, `{"response":{"errorCode":2,"errorString":"Organization with alias [HOOLI] already exists"}}`, out)

	// cvpysdk sends operation types by name too (defaultPlansOperationType "OVERWRITE").
	out = call(http.MethodPut, "Organization?organizationId=1", js, `{"organizationInfo":{"planDetailsOperationType":"ADD","planDetails":[{"plan":{"planId":2}}],
		"organizationProperties":{"defaultPlansOperationType":"OVERWRITE","defaultPlans":[{"plan":{"planId":2}}]}}}`)
	assert.JSONEq(t, `{"errorMessage":"","errorCode":0}`, out)
	o, ok := srv.Organization(1)
	require.True(t, ok)
	assert.Equal(t, []commvaulttest.DefaultPlan{{Subtype: 33554437, PlanName: "Server plan", PlanID: 2}}, o.DefaultPlans)
	out = call(http.MethodPut, "Organization?organizationId=1", js, `{"organizationInfo":{"planDetails":[{"plan":{"planId":2}}]}}`)
	assert.Contains(t, out, "without an operation type")
	out = call(http.MethodPut, "Organization?organizationId=1", js, `{"organizationInfo":{"planDetailsOperationType":3,"planDetails":[{"plan":{"planId":2}}]}}`)
	assert.Contains(t, out, "Plan [Server plan] is not associated with the company", "a default plan must stay associated")

	out = call(http.MethodDelete, "Organization/1", "", "")
	assert.JSONEq(t, `{"errorMessage":"Company [Hooli] is active: deactivate it before deleting it","errorCode":2}`, out)
	code, ct, xout := do(t, http.MethodPost, srv.URL+"Organization/1/action/deactivate", "application/xml", srv.Token, "application/xml",
		`<r><deactivateOptions disableBackup="true" disableRestore="false" disableLogin="true"/></r>`)
	require.Equal(t, http.StatusOK, code)
	assert.Contains(t, ct, "application/xml")
	assert.Equal(t, `<App_GenericResponse><response errorCode="0"></response></App_GenericResponse>`, xout)
	o, _ = srv.Organization(1)
	assert.False(t, o.Enabled)
	out = call(http.MethodPut, "Tags", js, `{"entityTag":[{"entityId":1,"entityType":61,"tag":[{"name":"k","value":"v"}]}]}`)
	assert.JSONEq(t, `{"error":{"errorMessage":"Successfully executed given operation","errorCode":0}}`, out)
	out = call(http.MethodGet, "Tags/PROVIDER_ENTITY/1", "", "")
	assert.JSONEq(t, `{"tags":[{"entityType":61,"entityId":1,"tag":[{"id":101,"name":"k","value":"v"}]}]}`, out)
	out = call(http.MethodDelete, "Organization/1", "", "")
	assert.JSONEq(t, `{"errorMessage":"","errorCode":0}`, out)
	for _, path := range []string{"Organization/1", "Tags/PROVIDER_ENTITY/1"} {
		out = call(http.MethodGet, path, "", "")
		assert.JSONEq(t, `{"errorMessage":"Organization [1] does not exist","errorCode":2}`, out)
	}
	code, _, _ = do(t, http.MethodDelete, srv.URL+"Organization/6", js, "QSDK wrong", "", "")
	assert.Equal(t, http.StatusUnauthorized, code, "the lifecycle needs a session too")
}
