package commvault_test

// Issue 19, groups 3 and 4: secrets where the scrubber never looked (a
// base URL's user info, a redirect's path and Location — Login's 307
// carrying the base64 password above all —, the userName a login answer
// sends back, X-Request-Id, the error inside a refusal), and error text
// without a bound. The audit runs over a hostile server that echoes every
// secret the client holds everywhere it can. Commvault's list is not
// paged, so no cursor is handed back to check.

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/orgsdk/orgsdk"
	"github.com/orgsdk/orgsdk/commvault"
	"github.com/orgsdk/orgsdk/internal/faulttest"
	"github.com/orgsdk/orgsdk/internal/recording"
)

func TestSecretsBaseURLUserinfo(t *testing.T) {
	t.Parallel()
	t.Run("first argument", func(t *testing.T) {
		t.Parallel()
		faulttest.AuditBaseURLUserInfo(t, root, func(base string) error {
			_, err := commvault.NewClient(base, commvault.WithCredentials("admin", "pw-0123"))
			return err
		})
	})
	t.Run("WithBaseURL", func(t *testing.T) {
		t.Parallel()
		faulttest.AuditBaseURLUserInfo(t, root, func(base string) error {
			_, err := commvault.NewClient("", commvault.WithBaseURL(base), commvault.WithCredentials("admin", "pw-0123"))
			return err
		})
	})
}

// hostileSecrets are the credentials of the hostile audit.
type hostileSecrets struct {
	password, password64, token string
}

func (h hostileSecrets) all() []string {
	return []string{h.password, h.password64, h.token, strings.TrimPrefix(h.token, "QSDK ")}
}

var hostileCreds = map[string]hostileSecrets{
	"escaping secrets": {"pa/ss+w0rd?&<x>%25", base64.StdEncoding.EncodeToString([]byte("pa/ss+w0rd?&<x>%25")), "QSDK 0a1b/2c3d+4e5f=60718293"},
	"plain secrets":    {"cv0Password0value42", base64.StdEncoding.EncodeToString([]byte("cv0Password0value42")), "QSDK cv0Session0Token0value42"},
}

// hostileServer answers Login with a 307 to a same-origin URL holding the
// base64 password in its path and query, and the login that follows with
// the password as the user name; Organization/6 redirects (GET) to a URL
// holding the session token; the default plan fails with every secret in
// every body field; every answer carries the token in X-Request-Id.
func hostileServer(t *testing.T, h hostileSecrets, loginTarget string) *faulttest.Server {
	t.Helper()
	echo := faulttest.EchoAll(h.all()...)
	bare := strings.TrimPrefix(h.token, "QSDK ")
	return faulttest.NewServer(t, func(rw http.ResponseWriter, r *http.Request, _ []byte) bool {
		faulttest.SetSecretHeaders(rw.Header(), bare)
		rw.Header().Set("Content-Type", "application/json; charset="+url.QueryEscape(h.password64))
		p := strings.TrimPrefix(r.URL.Path, root)
		switch {
		case p == "Login":
			target := loginTarget
			if target == "" {
				target = "http://" + r.Host
			}
			http.Redirect(rw, r, target+root+"Login/"+faulttest.SecretPath(h.password64)+"?"+faulttest.SecretQuery(h.password64), http.StatusTemporaryRedirect)
		case strings.HasPrefix(p, "Login/"):
			b, _ := json.Marshal(map[string]any{"userName": h.password, "aliasName": h.password64, "token": h.token,
				"ownerOrganization": map[string]any{"providerId": 0, "providerDomainName": h.password}})
			_, _ = rw.Write(b)
		case p == "Organization/6" && r.Method == http.MethodGet:
			http.Redirect(rw, r, root+"Organization/6/"+faulttest.SecretPath(bare)+"?"+faulttest.SecretQuery(bare), http.StatusFound)
		case strings.HasPrefix(p, "Organization/6/") && p != "Organization/6/defaultplan":
			_, _ = io.WriteString(rw, defaultPlanBody)
		case p == "Organization/6/defaultplan":
			rw.WriteHeader(http.StatusInternalServerError)
			b, _ := json.Marshal(map[string]any{"errorMessage": echo, "errorCode": echo})
			_, _ = rw.Write(b)
		case p == "Organization":
			// Commvault reports errors inside a 200.
			b, _ := json.Marshal(map[string]any{"errList": []map[string]any{{"errLogMessage": echo, "errorCode": 2}, {"errLogMessage": echo, "errorCode": 3}}})
			_, _ = rw.Write(b)
		case p == "Organization/7":
			_, _ = io.WriteString(rw, `{"organizationInfo":{"organization":{"shortName":{"id":"`+h.password+`"}}}}`)
		case p == "Logout":
			rw.Header().Set("Content-Type", "text/plain")
			_, _ = io.WriteString(rw, "User logged out")
		default:
			return false
		}
		return true
	}, nil)
}

func TestSecretsHostileServer(t *testing.T) {
	t.Parallel()
	for name, h := range hostileCreds {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			srv := hostileServer(t, h, "")
			trail := &faulttest.Trail{Dir: t.TempDir()}
			rec := &recording.Recorder{Dir: trail.Dir}
			c, err := commvault.NewClient(srv.URL+root, commvault.WithCredentials("admin", h.password), commvault.WithLogger(trail.Logger()),
				commvault.WithRetryWait(time.Millisecond, 5*time.Millisecond), commvault.WithMaxRetries(1),
				commvault.WithHTTPClient(&http.Client{Transport: rec}))
			require.NoError(t, err)
			rec.Redact = c.Redact
			ctx := t.Context()

			info, resp, err := c.Login(ctx)
			require.NoError(t, err)
			assert.Equal(t, 2, srv.Count(http.MethodPost, root+"Login")+srv.Count(http.MethodPost, root+"Login/"+h.password64), "the 307 was followed once")
			trail.Call(resp, err)
			trail.Text("LoginInfo.UserName", info.UserName)
			trail.Text("LoginInfo.AliasName", info.AliasName)
			require.Contains(t, trail.Logs(), "commvault: logged in")
			require.Contains(t, trail.Logs(), "commvault: following a write's redirect once")

			_, resp, err = c.Organizations.Get(ctx, 6)
			require.NoError(t, err)
			require.NotNil(t, resp.Request.Response, "the redirect was followed")
			trail.Call(resp, err)
			_, resp, err = c.Organizations.DefaultPlan(ctx, 6)
			require.Error(t, err)
			trail.Call(resp, err)
			_, resp, err = c.Organizations.List(ctx, nil)
			require.Error(t, err)
			trail.Call(resp, err)
			_, resp, err = c.Organizations.Get(ctx, 7)
			require.Error(t, err)
			trail.Call(resp, err)
			req, err := c.NewRequest(http.MethodGet, "Organization/6?"+faulttest.SecretQuery(h.password), nil)
			require.NoError(t, err)
			var raw []byte
			resp, err = c.Do(ctx, req, &raw)
			require.NoError(t, err)
			trail.Call(resp, err)
			resp, err = c.Logout(ctx)
			trail.Call(resp, err)

			require.Len(t, trail.Errors(), 3, "every failing call was recorded")
			trail.Audit(t, h.all()...)
		})
	}
}

// TestSecretsLoginRedirectToAnotherOrigin: a 307 of Login to another
// origin is refused; the refusal names the target without the base64
// password the Location carries.
func TestSecretsLoginRedirectToAnotherOrigin(t *testing.T) {
	t.Parallel()
	for name, h := range hostileCreds {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			foreign := faulttest.NewServer(t, nil, nil)
			srv := hostileServer(t, h, foreign.URL)
			var trail faulttest.Trail
			c, err := commvault.NewClient(srv.URL+root, commvault.WithCredentials("admin", h.password), commvault.WithLogger(trail.Logger()))
			require.NoError(t, err)
			_, resp, err := c.Login(t.Context())
			require.ErrorIs(t, err, commvault.ErrForeignHost)
			var te *commvault.TransportError
			require.ErrorAs(t, err, &te)
			assert.Contains(t, te.URL, strings.TrimPrefix(foreign.URL, "http://"), "the refusal names where the redirect pointed")
			assert.Zero(t, foreign.Total(), "nothing went to the other origin")
			trail.Call(resp, err)
			trail.Audit(t, h.all()...)
		})
	}
}

// TestBoundedErrors: error text has a bound (issue 19.4). Each answer puts
// megabytes into a field an error quotes.
func TestBoundedErrors(t *testing.T) {
	// Not parallel with the other tests: the hostile-body tests measure
	// what the process allocates, and these answers are megabytes each.
	huge := strings.Repeat("m", 8<<20)
	digits := strings.Repeat("7", 1<<20)
	many := make([]string, 0, 20000)
	for range 20000 {
		many = append(many, `{"errLogMessage":"`+strings.Repeat("d", 400)+`","errorCode":2}`)
	}
	cases := map[string]struct {
		status int
		header map[string]string
		ct     string
		body   string
	}{
		"8 MiB errorMessage":         {500, nil, "application/json", `{"errorMessage":"` + huge + `","errorCode":2}`},
		"8 MiB errorMessage in 200":  {200, nil, "application/json", `{"errorMessage":"` + huge + `","errorCode":2}`},
		"8 MiB errorCode":            {200, nil, "application/json", `{"errorMessage":"x","errorCode":"` + huge + `"}`},
		"8 MiB XML errorMessage":     {200, nil, "application/xml", `<App_GetCompanyInfoResponse errorMessage="` + huge + `" errorCode="2"/>`},
		"20,000 errList entries":     {200, nil, "application/json", `{"errList":[` + strings.Join(many, ",") + `]}`},
		"million-digit number":       {200, nil, "application/json", `{"organizationInfo":{"organization":{"connectName":` + digits + `}}}`},
		"1 MiB id":                   {200, nil, "application/json", `{"organizationInfo":{"organization":{"shortName":{"id":"` + digits + `x"}}}}`},
		"1 MiB X-Request-Id":         {404, map[string]string{"X-Request-Id": digits}, "application/json", `{}`},
		"1 MiB Content-Type":         {200, nil, "text/" + digits, `{}`},
		"1 MiB root element, no XML": {200, nil, "application/xml", `<` + digits + `/>`},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			srv := newFaultServer(t, func(rw http.ResponseWriter, r *http.Request, _ []byte) bool {
				if !strings.HasSuffix(r.URL.Path, "/defaultplan") {
					return false
				}
				rw.Header().Set("Content-Type", tc.ct)
				for k, v := range tc.header {
					rw.Header().Set(k, v)
				}
				rw.WriteHeader(tc.status)
				_, _ = io.WriteString(rw, tc.body)
				return true
			})
			c := faultClient(t, srv, commvault.WithToken("QSDK fault0token0value"), commvault.WithMaxRetries(0), commvault.WithMaxBodyBytes(24<<20))
			_, _, err := c.Organizations.DefaultPlan(context.Background(), 6)
			require.Error(t, err)
			assert.LessOrEqual(t, len(err.Error()), orgsdk.ErrorTextLimit, "%.300s", err.Error())
			cut := faulttest.AuditBounded(t, err)
			if name != "million-digit number" {
				// Whether encoding/json quotes the number in its error
				// depends on the Go release; where it does not, there is
				// nothing to cut (internal/transport's clean tests cover
				// an error that quotes it).
				assert.True(t, cut, "the error shows where it was cut: %.300s", err.Error())
			}
		})
	}
}
