package commvault_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/orgsdk/orgsdk/commvault"
	"github.com/orgsdk/orgsdk/internal/faulttest"
	"github.com/orgsdk/orgsdk/internal/recording"
)

// TestAnswerWithoutOrganizationInfoIsDecodeError: a 200 body that is no
// organizationInfo (here the real success answer of a DELETE) used to give
// an empty struct and no error (issue 13.4).
func TestAnswerWithoutOrganizationInfoIsDecodeError(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name, ct, body string
		keys           []string
	}{
		{"json success answer", "application/json", `{"errorMessage":"","errorCode":0}`, []string{"errorCode", "errorMessage"}},
		{"json other object", "application/json", `{"providers":[],"count":3}`, []string{"count", "providers"}},
		{"json empty object", "application/json", `{}`, nil},
		{"xml generic response", "application/xml", `<App_GenericResp errorMessage="" errorCode="0" />`, []string{"App_GenericResp"}},
		{"xml other root", "application/xml", `<Resp><providers id="1"/><count n="1"/></Resp>`, []string{"Resp", "providers", "count"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			srv, hits := fixed(t, http.StatusOK, tc.ct, tc.body)
			c, err := commvault.NewClient(srv.URL+"/commandcenter/api/", commvault.WithToken("abc123token"))
			require.NoError(t, err)
			for _, call := range []func() (any, error){
				func() (any, error) { v, _, err := c.Organizations.Get(context.Background(), 16); return v, err },
				func() (any, error) { v, _, err := c.Organizations.DefaultPlan(context.Background(), 16); return v, err },
			} {
				v, err := call()
				var decErr *commvault.DecodeError
				require.ErrorAs(t, err, &decErr, "got %v", v)
				assert.Equal(t, http.StatusOK, decErr.StatusCode)
				assert.Contains(t, err.Error(), "organizationInfo")
				for _, k := range tc.keys {
					assert.Contains(t, err.Error(), k)
				}
				assert.Equal(t, 1, strings.Count(err.Error(), "commvault"), err.Error())
			}
			assert.Equal(t, int32(2), hits.Load())
		})
	}
}

// newCVServer is a scripted Commvault: Login and RenewLoginToken answer
// tokens, and every other path is answered by handle, with n the number of
// requests to that method and path so far, this one included (the calls
// here are sequential).
func newCVServer(t *testing.T, handle func(w http.ResponseWriter, r *http.Request, n int)) *faulttest.Server {
	t.Helper()
	var s *faulttest.Server
	s = faulttest.NewServer(t, nil, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		switch {
		case strings.HasSuffix(r.URL.Path, "/Login"):
			_ = json.NewEncoder(w).Encode(map[string]any{"userName": "admin", "token": "QSDK login-token-1"})
		case strings.HasSuffix(r.URL.Path, "/RenewLoginToken"):
			_ = json.NewEncoder(w).Encode(map[string]any{"token": "QSDK renewed-token-2", "error": map[string]any{}})
		default:
			handle(w, r, s.Count(r.Method, r.URL.Path))
		}
	})
	return s
}

const accessDenied = `{"errorMessage":"Access denied","errorCode":5}`

const defaultPlanBody = `{"organizationInfo":{"organization":{"connectName":"company001","shortName":{"domainName":"company001","id":6}},"organizationProperties":{"defaultPlans":[{"subtype":33554437,"plan":{"planName":"Server plan","planId":2}}]}}}`

// TestAccessDeniedInside200RenewsOnce: errorCode 5 inside a 200 is an
// expired session like a 401 (issue 13.5): it matches ErrUnauthorized and
// gets the one renewal a 401 gets.
func TestAccessDeniedInside200RenewsOnce(t *testing.T) {
	t.Parallel()
	t.Run("renewal helps", func(t *testing.T) {
		t.Parallel()
		srv := newCVServer(t, func(w http.ResponseWriter, r *http.Request, n int) {
			if n == 1 {
				_, _ = io.WriteString(w, accessDenied)
				return
			}
			assert.Equal(t, "QSDK renewed-token-2", r.Header.Get("Authtoken"))
			_, _ = io.WriteString(w, defaultPlanBody)
		})
		c, err := commvault.NewClient(srv.URL+"/commandcenter/api/", commvault.WithCredentials("admin", "pw-secret"),
			commvault.WithRetryWait(time.Millisecond, 5*time.Millisecond))
		require.NoError(t, err)
		plans, _, err := c.Organizations.DefaultPlan(context.Background(), 6)
		require.NoError(t, err, "%d requests", srv.Total())
		assert.Equal(t, "company001", plans.Organization.Name)
		assert.Equal(t, 1, srv.Count(http.MethodPost, "/commandcenter/api/Login"))
		assert.Equal(t, 1, srv.Count(http.MethodPost, "/commandcenter/api/RenewLoginToken"))
		assert.Equal(t, 2, srv.Count(http.MethodGet, "/commandcenter/api/Organization/6/defaultplan"))
	})
	t.Run("renewal does not help", func(t *testing.T) {
		t.Parallel()
		srv := newCVServer(t, func(w http.ResponseWriter, _ *http.Request, _ int) {
			_, _ = io.WriteString(w, accessDenied)
		})
		c, err := commvault.NewClient(srv.URL+"/commandcenter/api/", commvault.WithCredentials("admin", "pw-secret"),
			commvault.WithRetryWait(time.Millisecond, 5*time.Millisecond))
		require.NoError(t, err)
		_, _, err = c.Organizations.DefaultPlan(context.Background(), 6)
		require.ErrorIs(t, err, commvault.ErrUnauthorized)
		var apiErr *commvault.APIError
		require.ErrorAs(t, err, &apiErr)
		assert.Equal(t, http.StatusUnauthorized, apiErr.StatusCode)
		assert.Equal(t, "5", apiErr.Code)
		assert.Equal(t, "Access denied", apiErr.Message)
		assert.Equal(t, 2, srv.Count(http.MethodGet, "/commandcenter/api/Organization/6/defaultplan"), "one renewal, one replay")
		assert.Equal(t, 1, srv.Count(http.MethodPost, "/commandcenter/api/RenewLoginToken"))
	})
	t.Run("xml", func(t *testing.T) {
		t.Parallel()
		srv, hits := fixed(t, http.StatusOK, "application/xml", `<App_GenericResp errorMessage="Access denied" errorCode="5"/>`)
		c, err := commvault.NewClient(srv.URL+"/commandcenter/api/", commvault.WithToken("abc123token"), commvault.WithFormat(commvault.XML))
		require.NoError(t, err)
		_, _, err = c.Organizations.Get(context.Background(), 6)
		require.ErrorIs(t, err, commvault.ErrUnauthorized)
		assert.Equal(t, int32(1), hits.Load(), "a token-only client has nothing to renew with")
	})
}

// TestAccessTokenIsBearer: an access token goes in Authorization: Bearer,
// with no login and no renewal (issue 13.2).
func TestAccessTokenIsBearer(t *testing.T) {
	t.Parallel()
	const tok = "eyJhbGciOiJSUzI1NiJ9.access-token-value"
	srv := newCVServer(t, func(w http.ResponseWriter, r *http.Request, n int) {
		assert.Equal(t, "Bearer "+tok, r.Header.Get("Authorization"))
		assert.Empty(t, r.Header.Get("Authtoken"))
		if n > 1 {
			w.WriteHeader(http.StatusUnauthorized)
			_, _ = io.WriteString(w, `{"errorMessage":"Access denied for `+r.Header.Get("Authorization")+`","errorCode":5}`)
			return
		}
		_, _ = io.WriteString(w, defaultPlanBody)
	})
	c, err := commvault.NewClient(srv.URL+"/commandcenter/api/", commvault.WithAccessToken(tok))
	require.NoError(t, err)
	_, _, err = c.Organizations.DefaultPlan(context.Background(), 6)
	require.NoError(t, err)
	_, _, err = c.Organizations.DefaultPlan(context.Background(), 6)
	require.ErrorIs(t, err, commvault.ErrUnauthorized)
	assert.NotContains(t, err.Error(), tok)
	var apiErr *commvault.APIError
	require.ErrorAs(t, err, &apiErr)
	assert.NotContains(t, string(apiErr.Body), tok)
	assert.Equal(t, 2, srv.Count(http.MethodGet, "/commandcenter/api/Organization/6/defaultplan"))
	assert.Zero(t, srv.Count(http.MethodPost, "/commandcenter/api/Login"), "an access token never logs in")
	assert.Zero(t, srv.Count(http.MethodPost, "/commandcenter/api/RenewLoginToken"), "an access token is never renewed")
	_, _, err = c.Login(context.Background())
	assert.ErrorIs(t, err, commvault.ErrInvalidArgument)

	for _, bad := range [][]commvault.Option{
		{commvault.WithAccessToken("")},
		{commvault.WithAccessToken("tok\nen")},
		{commvault.WithAccessToken(tok), commvault.WithCredentials("admin", "pw")},
		{commvault.WithAccessToken(tok), commvault.WithToken("QSDK abc")},
		{commvault.WithToken("QSDK abc"), commvault.WithSAMLToken("SAML abc")},
		{commvault.WithSAMLToken("")},
	} {
		_, err := commvault.NewClient(srv.URL+"/commandcenter/api/", bad...)
		assert.ErrorIs(t, err, commvault.ErrInvalidArgument)
	}
}

// TestSAMLTokenSentVerbatim: a SAML token is sent as Authtoken exactly as
// given, and (not being this client's login) is not renewed.
func TestSAMLTokenSentVerbatim(t *testing.T) {
	t.Parallel()
	const tok = "SAML 3f6d0c1e9a7b4c2d8e5f"
	srv := newCVServer(t, func(w http.ResponseWriter, r *http.Request, n int) {
		assert.Equal(t, tok, r.Header.Get("Authtoken"))
		assert.Empty(t, r.Header.Get("Authorization"))
		if n > 1 {
			_, _ = io.WriteString(w, accessDenied)
			return
		}
		_, _ = io.WriteString(w, defaultPlanBody)
	})
	c, err := commvault.NewClient(srv.URL+"/commandcenter/api/", commvault.WithSAMLToken(tok))
	require.NoError(t, err)
	_, _, err = c.Organizations.DefaultPlan(context.Background(), 6)
	require.NoError(t, err)
	_, _, err = c.Organizations.DefaultPlan(context.Background(), 6)
	require.ErrorIs(t, err, commvault.ErrUnauthorized)
	assert.Zero(t, srv.Count(http.MethodPost, "/commandcenter/api/RenewLoginToken"))
	assert.Zero(t, srv.Count(http.MethodPost, "/commandcenter/api/Login"))
}

// TestSaaSLoginAnswer: Commvault Cloud answers Login with
// {"data":{"authToken":...}} instead of a top-level token.
func TestSaaSLoginAnswer(t *testing.T) {
	t.Parallel()
	var mu sync.Mutex
	var got []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		if strings.HasSuffix(r.URL.Path, "/Login") {
			_, _ = io.WriteString(w, `{"data":{"authToken":"QSDK saas0token0value"}}`)
			return
		}
		mu.Lock()
		got = append(got, r.Header.Get("Authtoken"))
		mu.Unlock()
		_, _ = io.WriteString(w, defaultPlanBody)
	}))
	defer srv.Close()
	c, err := commvault.NewClient(srv.URL+"/commandcenter/api/", commvault.WithCredentials("admin", "pw-secret"))
	require.NoError(t, err)
	_, _, err = c.Login(context.Background())
	require.NoError(t, err)
	_, _, err = c.Organizations.DefaultPlan(context.Background(), 6)
	require.NoError(t, err)
	assert.Equal(t, []string{"QSDK saas0token0value"}, got)
}

// TestWriteRedirects: a 307 or 308 to the same origin keeps method and
// body by definition, and the server has not acted on the write, so Login
// follows it once (/webconsole/api -> /commandcenter/api on 2024E and
// later, issue 13.3); 301/302/303 would turn the POST into a GET and stay
// ErrRedirectedWrite; another origin stays ErrForeignHost.
func TestWriteRedirects(t *testing.T) {
	t.Parallel()
	foreign := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		t.Error("the foreign host must not be contacted")
	}))
	// Cleanup, not defer: the subtests are parallel and run after this
	// function returns; a closed foreign server gave its port to a
	// subtest's own server, which made the "foreign" redirect same-origin.
	t.Cleanup(foreign.Close)
	for _, tc := range []struct {
		status  int
		foreign bool
		loop    bool
		want    error
	}{
		{status: http.StatusTemporaryRedirect},
		{status: http.StatusPermanentRedirect},
		{status: http.StatusMovedPermanently, want: commvault.ErrRedirectedWrite},
		{status: http.StatusFound, want: commvault.ErrRedirectedWrite},
		{status: http.StatusSeeOther, want: commvault.ErrRedirectedWrite},
		{status: http.StatusTemporaryRedirect, foreign: true, want: commvault.ErrForeignHost},
		{status: http.StatusPermanentRedirect, foreign: true, want: commvault.ErrForeignHost},
		{status: http.StatusTemporaryRedirect, loop: true, want: commvault.ErrRedirectedWrite},
	} {
		name := http.StatusText(tc.status)
		if tc.foreign {
			name += " foreign"
		}
		if tc.loop {
			name += " twice"
		}
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			var mu sync.Mutex
			hits := map[string]int{}
			var bodies []string
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				body, _ := io.ReadAll(r.Body)
				mu.Lock()
				hits[r.Method+" "+r.URL.Path]++
				if r.Method == http.MethodPost {
					bodies = append(bodies, string(body))
				}
				mu.Unlock()
				switch {
				case strings.HasPrefix(r.URL.Path, "/webconsole/api/"):
					loc := "/commandcenter/api/" + strings.TrimPrefix(r.URL.Path, "/webconsole/api/")
					if tc.foreign {
						loc = foreign.URL + loc
					}
					status := tc.status
					if r.Method == http.MethodGet {
						status = http.StatusFound
					}
					http.Redirect(w, r, loc, status)
				case tc.loop && r.URL.Path == "/commandcenter/api/Login":
					http.Redirect(w, r, "/commandcenter/api/v2/Login", tc.status)
				case r.URL.Path == "/commandcenter/api/Login":
					w.Header().Set("Content-Type", "application/json")
					_, _ = io.WriteString(w, `{"userName":"admin","token":"QSDK after-redirect-token"}`)
				default:
					assert.Equal(t, "QSDK after-redirect-token", r.Header.Get("Authtoken"))
					w.Header().Set("Content-Type", "application/json")
					_, _ = io.WriteString(w, defaultPlanBody)
				}
			}))
			defer srv.Close()
			c, err := commvault.NewClient(srv.URL+"/webconsole/api/", commvault.WithCredentials("admin", "pw-secret"),
				commvault.WithRetryWait(time.Millisecond, 5*time.Millisecond))
			require.NoError(t, err)
			_, _, err = c.Login(context.Background())
			mu.Lock()
			defer mu.Unlock()
			assert.Equal(t, 1, hits["POST /webconsole/api/Login"], "the write went out once to the old root")
			if tc.want != nil {
				require.ErrorIs(t, err, tc.want)
				assert.NotContains(t, err.Error(), "pw-secret")
				if tc.loop {
					assert.Equal(t, 1, hits["POST /commandcenter/api/Login"], "followed once only")
				} else {
					assert.Zero(t, hits["POST /commandcenter/api/Login"])
				}
				return
			}
			require.NoError(t, err)
			assert.Equal(t, 1, hits["POST /commandcenter/api/Login"])
			require.Len(t, bodies, 2)
			assert.Equal(t, bodies[0], bodies[1], "the body is sent again unchanged")
			assert.Contains(t, bodies[1], `"username":"admin"`)
			mu.Unlock()
			_, _, err = c.Organizations.DefaultPlan(context.Background(), 6)
			mu.Lock()
			require.NoError(t, err)
			assert.Equal(t, 1, hits["GET /commandcenter/api/Organization/6/defaultplan"])
		})
	}
}

// TestNewerProviderFields: fields newer servers send on an organization
// are kept, and status is typed (issue 13.6).
func TestNewerProviderFields(t *testing.T) {
	t.Parallel()
	ex, err := recording.Load("../testdata/commvault/newer/001-get-Organization.json")
	require.NoError(t, err)
	srv, _ := fixed(t, http.StatusOK, "application/json", string(ex.Response.Body()))
	c, err := commvault.NewClient(srv.URL+"/commandcenter/api/", commvault.WithToken("abc123token"))
	require.NoError(t, err)
	list, _, err := c.Organizations.List(context.Background(), nil)
	require.NoError(t, err)
	require.Len(t, list.Items, 1)
	o := list.Items[0]
	assert.Equal(t, commvault.Int(90), o.AgePasswordDays)
	assert.True(t, bool(o.EnableLocalAuthentication))
	assert.False(t, bool(o.IsCloudServiceCompany))
	assert.Equal(t, commvault.Int(30), o.LoginSessionTimeoutInMinutes)
	assert.JSONEq(t, `{"isSharedInfra":false}`, string(o.SharedInfraDetails))
	assert.Equal(t, commvault.StatusActive, o.Status)
	assert.True(t, o.Status.IsActive())
}

// TestErrorTextNamesProviderOnce: every error reads "orgsdk: commvault: …"
// with no second prefix (the family contract).
func TestErrorTextNamesProviderOnce(t *testing.T) {
	t.Parallel()
	creds := commvault.WithCredentials("admin", "pw-1234")
	base := "https://host/commandcenter/api/"
	var errs []error
	for _, opts := range [][]commvault.Option{
		{creds, nil},
		{creds, commvault.WithFormat(7)},
		{commvault.WithToken("QSDK ")},
		{commvault.WithAccessToken("a b")},
		{creds, commvault.WithRateLimit(-1, time.Second)},
		{},
	} {
		_, err := commvault.NewClient(base, opts...)
		errs = append(errs, err)
	}
	_, err := commvault.NewClient("", creds)
	errs = append(errs, err)
	_, err = commvault.NewClient("ftp://host/api", creds)
	errs = append(errs, err)
	c, err := commvault.NewClient(base, creds)
	require.NoError(t, err)
	_, _, err = c.Organizations.Get(context.Background(), -1)
	errs = append(errs, err)
	//lint:ignore SA1012 a nil context is exactly what is being tested
	_, _, err = c.Organizations.List(nil, nil) //nolint:staticcheck
	errs = append(errs, err)
	_, err = c.NewRequest("GET", "https://evil.example/x", nil)
	errs = append(errs, err)
	for _, err := range errs {
		require.Error(t, err)
		msg := err.Error()
		assert.True(t, strings.HasPrefix(msg, "orgsdk: commvault: "), msg)
		assert.Equal(t, 1, strings.Count(msg, "orgsdk"), msg)
		assert.Equal(t, 1, strings.Count(msg, "commvault"), msg)
	}
}
