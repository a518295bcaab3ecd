package commvaulttest_test

import (
	"encoding/base64"
	"io"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/orgsdk/orgsdk/commvault/commvaulttest"

	"github.com/orgsdk/orgsdk/internal/faulttest"
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
	resp, err := faulttest.RawClient(t).Do(req)
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
	assert.Equal(t, 2, srv.HitsFor("GET", commvaulttest.Prefix+"Organization"))

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

func TestFakeFamilyAPI(t *testing.T) {
	t.Parallel()
	srv := commvaulttest.NewServer(commvaulttest.WithCredentials("ops", "s3cret-pw"), commvaulttest.WithIdleTimeout(time.Hour))
	defer srv.Close()
	assert.Equal(t, "ops", srv.Username)
	seeded := srv.Organizations()
	require.Len(t, seeded, 3)
	assert.Equal(t, "company001", seeded[0].Name)

	ids := []int{
		srv.Add(commvaulttest.Organization{Name: "Added One", Enabled: true, DefaultPlans: []commvaulttest.DefaultPlan{{Subtype: 33554437, PlanName: "Server plan", PlanID: 2}}}),
		srv.Add(commvaulttest.Organization{ID: 40, Name: "Added Two"}),
	}
	assert.Equal(t, 1, ids[0], "the first free id")
	assert.Equal(t, 40, ids[1])
	assert.Len(t, srv.Organizations(), 5)
	assert.Equal(t, 16, srv.Add(commvaulttest.Organization{ID: 16, Name: "Replaced"}), "a taken ID replaces")
	assert.Len(t, srv.Organizations(), 5)
	replaced, ok := srv.Organization(16)
	require.True(t, ok)
	assert.Equal(t, "Replaced", replaced.Name)
	assert.Equal(t, "Replaced", replaced.Alias, "an empty Alias is the Name")
	_, ok = srv.Organization(0)
	assert.False(t, ok, "the CommCell is no organization")

	_, _, body := do(t, "GET", srv.URL+"Organization/"+strconv.Itoa(ids[0])+"/defaultplan", "application/json", srv.Token, "", "")
	assert.Contains(t, body, `"connectName":"Added One"`)
	assert.Contains(t, body, `"planName":"Server plan"`)
	_, _, body = do(t, "GET", srv.URL+"Organization", "application/json", srv.Token, "", "")
	assert.Contains(t, body, `"connectName":"Added Two"`)

	path := commvaulttest.Prefix + "Organization"
	assert.Equal(t, 1, srv.HitsFor("GET", path), "HitsFor takes the full request path")
	assert.Zero(t, srv.HitsFor("GET", "Organization"))
	reqs := srv.Requests()
	require.Len(t, reqs, 2)
	assert.Equal(t, path, reqs[1].Path)
	assert.Equal(t, srv.Token, reqs[1].Header.Get("Authtoken"))

	srv.InjectFault(commvaulttest.Fault{Status: 500})
	status, _, _ := do(t, "GET", srv.URL+"Organization", "", srv.Token, "", "")
	assert.Equal(t, 500, status)

	srv.LockAccount(time.Minute)
	srv.InjectFault(commvaulttest.Fault{Status: 502})
	srv.Reset()
	assert.Zero(t, srv.Hits())
	assert.Empty(t, srv.Requests())
	assert.Len(t, srv.Organizations(), 3, "seed data back, added ones gone")
	status, _, _ = do(t, "GET", srv.URL+"Organization", "", srv.Token, "", "")
	assert.Equal(t, 200, status, "queued faults cleared, Token still valid")
	status, _, body = do(t, "POST", srv.URL+"Login", "application/json", "", "application/json",
		`{"username":"ops","password":"`+base64.StdEncoding.EncodeToString([]byte("s3cret-pw"))+`"}`)
	assert.Equal(t, 200, status)
	assert.Contains(t, body, `"token":"QSDK `, "the account is unlocked")

	empty := commvaulttest.NewServer(commvaulttest.WithoutSeed(), commvaulttest.WithToken("QSDK fixed"), nil)
	defer empty.Close()
	assert.Equal(t, "QSDK fixed", empty.Token)
	assert.Empty(t, empty.Organizations())
	_, _, body = do(t, "GET", empty.URL+"Organization/0/defaultplan", "application/json", empty.Token, "", "")
	assert.Contains(t, body, "Qinetix Commcell", "the CommCell stays")
	empty.Add(commvaulttest.Organization{Name: "Mine"})
	empty.Reset()
	assert.Empty(t, empty.Organizations(), "Reset keeps WithoutSeed")

	srv.InjectFault(commvaulttest.Fault{Status: 503})
	srv.Clear()
	assert.Empty(t, srv.Organizations())
	status, _, _ = do(t, "GET", srv.URL+"Organization", "", srv.Token, "", "")
	assert.Equal(t, 503, status, "Clear keeps queued faults")
	_, _, body = do(t, "GET", srv.URL+"Organization/0/defaultplan", "application/json", srv.Token, "", "")
	assert.Contains(t, body, "Qinetix Commcell", "Clear keeps the CommCell")
	assert.Equal(t, 1, srv.Add(commvaulttest.Organization{Name: "First"}), "ids start again")
}
