package commvaulttest_test

import (
	"encoding/base64"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/orgsdk/orgsdk/commvault/commvaulttest"
)

func do(t *testing.T, method, url, accept, token, ct, body string) (int, string, string) {
	t.Helper()
	req, err := http.NewRequest(method, url, strings.NewReader(body))
	require.NoError(t, err)
	if accept != "" {
		req.Header.Set("Accept", accept)
	}
	if token != "" {
		req.Header.Set("Authtoken", token)
	}
	if ct != "" {
		req.Header.Set("Content-Type", ct)
	}
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return resp.StatusCode, resp.Header.Get("Content-Type"), string(data)
}

func TestFake(t *testing.T) {
	t.Parallel()
	srv := commvaulttest.NewServer()
	defer srv.Close()
	require.True(t, strings.HasSuffix(srv.URL, "/commandcenter/api/"))
	pw := base64.StdEncoding.EncodeToString([]byte(srv.Password))

	// XML login on the lower-case path some clients use.
	status, ct, body := do(t, "POST", srv.URL+"login", "application/xml", "", "application/xml",
		`<DM2ContentIndexing_CheckCredentialReq username="admin" password="`+pw+`" deviceId="d1"/>`)
	assert.Equal(t, 200, status)
	assert.Contains(t, ct, "application/xml")
	assert.Contains(t, body, `token="QSDK `)
	assert.Equal(t, 1, srv.Logins())

	// Wrong password: HTTP 200 with errList.
	status, _, body = do(t, "POST", srv.URL+"Login", "application/json", "", "application/json",
		`{"username":"admin","password":"d3Jvbmc="}`)
	assert.Equal(t, 200, status)
	assert.Contains(t, body, `"errList":[{"errLogMessage":"Invalid Username or Password","errorCode":5}]`)

	// No token: 401 Access denied, flat.
	status, _, body = do(t, "GET", srv.URL+"Organization", "", "", "", "")
	assert.Equal(t, 401, status)
	assert.JSONEq(t, `{"errorMessage":"Access denied","errorCode":5}`, body)

	// JSON and XML per Accept.
	_, ct, body = do(t, "GET", srv.URL+"Organization/6/defaultplan", "application/json", srv.Token, "", "")
	assert.Contains(t, ct, "application/json")
	assert.JSONEq(t, `{"organizationInfo":{"organization":{"connectName":"company001","shortName":{"domainName":"company001","id":6}},"organizationProperties":{"defaultPlans":[{"subtype":33554437,"plan":{"planName":"Server plan","planId":2}}]}}}`, body)
	_, _, body = do(t, "GET", srv.URL+"Organization/6/defaultplan", "application/xml", srv.Token, "", "")
	assert.Contains(t, body, `<defaultPlans subtype="33554437"><plan planName="Server plan" planId="2"></plan></defaultPlans>`)
	_, _, body = do(t, "GET", srv.URL+"Organization/abc", "application/xml", srv.Token, "", "")
	assert.Equal(t, `<App_GenericResp errorMessage="Organization [abc] does not exist" errorCode="2"></App_GenericResp>`, body)

	// Fault injection.
	srv.InjectFault(commvaulttest.Fault{Status: 503, RetryAfter: "1", PathContains: "Organization"})
	status, _, _ = do(t, "GET", srv.URL+"Organization", "", srv.Token, "", "")
	assert.Equal(t, 503, status)
	assert.Equal(t, 2, srv.HitsFor("GET", "Organization"))

	// Idle expiry, then logout of an expired token is refused.
	srv.SetIdleTimeout(-time.Second)
	status, _, _ = do(t, "GET", srv.URL+"Organization", "", srv.Token, "", "")
	assert.Equal(t, 401, status)
	status, _, _ = do(t, "POST", srv.URL+"Logout", "", srv.Token, "", "")
	assert.Equal(t, 401, status)

	// Renewal needs the login's deviceId.
	status, _, body = do(t, "POST", srv.URL+"RenewLoginToken", "", "", "application/json",
		`{"sessionId":"`+srv.Token+`","deviceId":"other"}`)
	assert.Equal(t, 200, status)
	assert.Contains(t, body, `"errorCode":5`)
	status, _, body = do(t, "POST", srv.URL+"RenewLoginToken", "", "", "application/json",
		`{"sessionId":"`+srv.Token+`","deviceId":"`+commvaulttest.TokenDeviceID+`"}`)
	assert.Equal(t, 200, status)
	assert.Contains(t, body, `"token":"QSDK `)
	assert.Equal(t, 1, srv.Renewals())
}
