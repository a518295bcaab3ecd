package commvault_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/orgsdk/orgsdk/commvault"
	"github.com/orgsdk/orgsdk/commvault/commvaulttest"
)

func TestNewClientValidation(t *testing.T) {
	t.Parallel()
	creds := commvault.WithCredentials("admin", "pw-1234")
	for _, tc := range []struct {
		name string
		base string
		opts []commvault.Option
		want string
	}{
		{"no base URL", "", []commvault.Option{creds}, "base URL is required"},
		{"no scheme", "host.example/commandcenter/api", []commvault.Option{creds}, "no scheme"},
		{"no host", "https:///commandcenter/api", []commvault.Option{creds}, "no host"},
		{"bad scheme", "ftp://host/api", []commvault.Option{creds}, "scheme"},
		{"no credentials", "https://host/commandcenter/api", nil, "credentials are required"},
		{"empty username", "https://host/commandcenter/api", []commvault.Option{commvault.WithCredentials(" ", "pw")}, "username is empty"},
		{"empty password", "https://host/commandcenter/api", []commvault.Option{commvault.WithCredentials("admin", "")}, "password is empty"},
		{"empty token", "https://host/commandcenter/api", []commvault.Option{commvault.WithToken("QSDK ")}, "token is empty"},
		{"bad format", "https://host/commandcenter/api", []commvault.Option{creds, commvault.WithFormat(7)}, "unknown format"},
		{"bad retries", "https://host/commandcenter/api", []commvault.Option{creds, commvault.WithMaxRetries(-1)}, "max retries"},
		{"nil http client", "https://host/commandcenter/api", []commvault.Option{creds, commvault.WithHTTPClient(nil)}, "HTTP client is nil"},
		{"bad session timeout", "https://host/commandcenter/api", []commvault.Option{creds, commvault.WithSessionTimeout(90 * time.Second)}, "whole minutes"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			c, err := commvault.NewClient(tc.base, tc.opts...)
			require.Error(t, err)
			assert.Nil(t, c)
			assert.ErrorIs(t, err, commvault.ErrInvalidArgument)
			assert.Contains(t, err.Error(), tc.want)
			assert.NotContains(t, err.Error(), "pw-1234")
		})
	}
	c, err := commvault.NewClient("", commvault.WithBaseURL("https://host/webconsole/api"), creds)
	require.NoError(t, err)
	assert.Equal(t, commvault.JSON, c.Format())
}

// TestBadInputBeforeIO checks that rejected arguments send nothing: not
// even the login.
func TestBadInputBeforeIO(t *testing.T) {
	t.Parallel()
	srv := commvaulttest.NewServer()
	defer srv.Close()
	c := newClient(t, srv)
	_, _, err := c.Organizations.Get(context.Background(), -1)
	assert.ErrorIs(t, err, commvault.ErrInvalidArgument)
	_, _, err = c.Organizations.DefaultPlan(context.Background(), -6)
	assert.ErrorIs(t, err, commvault.ErrInvalidArgument)
	//lint:ignore SA1012 a nil context is exactly what is being tested
	_, _, err = c.Organizations.List(nil, nil) //nolint:staticcheck
	assert.ErrorIs(t, err, commvault.ErrInvalidArgument)
	assert.Equal(t, 0, srv.Hits())
}

func TestCommCellDefaultPlanAndNoDefaultPlan(t *testing.T) {
	t.Parallel()
	bothFormats(t, func(t *testing.T, f commvault.Format) {
		srv := commvaulttest.NewServer()
		defer srv.Close()
		c := newClient(t, srv, commvault.WithFormat(f))
		ctx := context.Background()
		cc, _, err := c.Organizations.DefaultPlan(ctx, 0)
		require.NoError(t, err)
		require.Len(t, cc.Plans, 2)
		p, ok := cc.For(commvault.PlanSubtypeLaptop)
		require.True(t, ok)
		assert.Equal(t, commvault.Int(1), p.PlanID)

		none, _, err := c.Organizations.DefaultPlan(ctx, 21)
		require.NoError(t, err)
		assert.Equal(t, "Acme Corp", none.Organization.Name)
		assert.Empty(t, none.Plans)
		assert.NotNil(t, none.Plans)

		org, _, err := c.Organizations.Get(ctx, 21)
		require.NoError(t, err)
		assert.False(t, bool(org.Organization.Enabled))
		assert.Equal(t, 21, org.Organization.ID)
	})
}

func TestUnknownIDIsErrorInside200(t *testing.T) {
	t.Parallel()
	bothFormats(t, func(t *testing.T, f commvault.Format) {
		srv := commvaulttest.NewServer()
		defer srv.Close()
		c := newClient(t, srv, commvault.WithFormat(f))
		for _, call := range []func() (*commvault.Response, error){
			func() (*commvault.Response, error) {
				_, r, err := c.Organizations.Get(context.Background(), 99)
				return r, err
			},
			func() (*commvault.Response, error) {
				_, r, err := c.Organizations.DefaultPlan(context.Background(), 99)
				return r, err
			},
		} {
			resp, err := call()
			var apiErr *commvault.APIError
			require.ErrorAs(t, err, &apiErr)
			// A missing company is a 404 to the caller (issue 20.3); the
			// wire's 200 is in the Response.
			assert.Equal(t, http.StatusNotFound, apiErr.StatusCode)
			require.ErrorIs(t, err, commvault.ErrNotFound)
			require.NotNil(t, resp)
			assert.Equal(t, http.StatusOK, resp.StatusCode)
			assert.Equal(t, commvault.CodeGenericFailure, apiErr.Code)
			assert.Equal(t, "Organization [99] does not exist", apiErr.Message)
			assert.Equal(t, http.MethodGet, apiErr.Method)
		}
	})
}

// fixed serves one body with a status and content type under a base path,
// checking the Authtoken it gets.
func fixed(t *testing.T, status int, contentType, body string) (*httptest.Server, *atomic.Int32) {
	t.Helper()
	var hits atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		if !strings.HasPrefix(r.URL.Path, "/commandcenter/api/") || r.Header.Get("Authtoken") != "QSDK abc123token" {
			w.WriteHeader(http.StatusTeapot)
			return
		}
		if contentType != "" {
			w.Header().Set("Content-Type", contentType)
		} else {
			// Suppress net/http's content sniffing: no Content-Type at all.
			w.Header()["Content-Type"] = nil
		}
		w.WriteHeader(status)
		_, _ = io.WriteString(w, body)
	}))
	t.Cleanup(srv.Close)
	return srv, &hits
}

func TestErrorShapesUnder200(t *testing.T) {
	t.Parallel()
	const jsonCT, xmlCT = "application/json", "application/xml"
	for _, tc := range []struct {
		name, ct, body, msg, code string
		details                   int
	}{
		{"flat", jsonCT, `{"errorMessage":"Generic failure","errorCode":2}`, "Generic failure", "2", 0},
		{"flat code as string", jsonCT, `{"errorMessage":"Access denied","errorCode":"5"}`, "Access denied", "5", 0},
		{"error object", jsonCT, `{"error":{"errorMessage":"There is no comment with given id ","errorCode":404}}`, "There is no comment with given id", "404", 0},
		{"response object", jsonCT, `{"response":{"errorCode":2,"errorString":"Plan not found"}}`, "Plan not found", "2", 0},
		{"response array", jsonCT, `{"response":[{"errorCode":0},{"errorCode":3,"errorString":"first"},{"errorCode":4,"errorString":"second"}]}`, "first", "3", 2},
		{"errList", jsonCT, `{"errList":[{"errLogMessage":"Invalid input","errorCode":7}]}`, "Invalid input", "7", 0},
		{"enum code", jsonCT, `{"errorMessage":"bad","errorCode":"INVALID_INPUT"}`, "bad", "INVALID_INPUT", 0},
		{"xml generic", xmlCT, `<App_GenericResp errorMessage="Organization not found" errorCode="2"/>`, "Organization not found", "2", 0},
		{"xml nested", "text/xml", `<?xml version="1.0"?><Resp><response errorCode="9" errorString="nested"/></Resp>`, "nested", "9", 0},
		{"xml errList", xmlCT, `<Resp><errList errLogMessage="a" errorCode="1"/><errList errLogMessage="b" errorCode="2"/></Resp>`, "a", "1", 2},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			srv, hits := fixed(t, http.StatusOK, tc.ct, tc.body)
			c, err := commvault.NewClient(srv.URL+"/commandcenter/api/", commvault.WithToken("abc123token"))
			require.NoError(t, err)
			_, _, err = c.Organizations.List(context.Background(), nil)
			var apiErr *commvault.APIError
			require.ErrorAs(t, err, &apiErr)
			switch {
			case tc.code == "5":
				assert.Equal(t, http.StatusUnauthorized, apiErr.StatusCode, "Access denied is an expired session")
			case strings.Contains(tc.msg, "not found"):
				assert.Equal(t, http.StatusNotFound, apiErr.StatusCode, "a missing entity is ErrNotFound (issue 20.3)")
			default:
				assert.Equal(t, http.StatusOK, apiErr.StatusCode)
			}
			assert.Equal(t, tc.msg, apiErr.Message)
			assert.Equal(t, tc.code, apiErr.Code)
			assert.Len(t, apiErr.Details, tc.details)
			assert.NotEmpty(t, apiErr.Body)
			assert.Equal(t, int32(1), hits.Load(), "an error inside 200 is not retried")
		})
	}
}

func TestSuccessBodiesWithZeroCodes(t *testing.T) {
	t.Parallel()
	for _, body := range []string{
		`{"providers":[],"errorMessage":"","errorCode":0}`,
		`{"providers":[],"error":{"errorMessage":"Successful","errorCode":0}}`,
		`{"providers":[],"response":{"errorCode":0}}`,
		`{"providers":[],"errList":[]}`,
		`<App_GenericResp errorMessage="" errorCode="0" />`,
	} {
		srv, _ := fixed(t, http.StatusOK, "", body)
		c, err := commvault.NewClient(srv.URL+"/commandcenter/api/", commvault.WithToken("QSDK abc123token"))
		require.NoError(t, err)
		orgs, _, err := c.Organizations.List(context.Background(), nil)
		require.NoError(t, err, body)
		assert.Empty(t, orgs.Items)
		assert.Zero(t, orgs.Total)
	}
}

func TestNonJSONBodies(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name, ct, body string
		status         int
		want           string
	}{
		{"html 200", "text/html", "<html><body>Sign in</body></html>", 200, "HTML page"},
		{"text 200", "text/plain", "Service is starting", 200, "got text/plain"},
		{"text no type", "", "Service is starting", 200, "neither JSON nor XML"},
		{"html 502", "text/html", "<!DOCTYPE html><html>Bad gateway</html>", 502, "HTML page"},
		{"text 403", "text/plain", "Forbidden by policy\nmore", 403, "Forbidden by policy"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			srv, _ := fixed(t, tc.status, tc.ct, tc.body)
			c, err := commvault.NewClient(srv.URL+"/commandcenter/api/", commvault.WithToken("abc123token"),
				commvault.WithMaxRetries(0))
			require.NoError(t, err)
			_, _, err = c.Organizations.Get(context.Background(), 6)
			require.Error(t, err)
			assert.Contains(t, err.Error(), tc.want)
			if tc.status == 200 {
				var de *commvault.DecodeError
				assert.True(t, errors.As(err, &de), "%T", err)
			}
		})
	}
}

func TestAcceptHeaderPerFormat(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		f    commvault.Format
		want string
	}{{commvault.JSON, "application/json"}, {commvault.XML, "application/xml"}} {
		var got atomic.Value
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			got.Store(r.Header.Get("Accept"))
			w.Header().Set("Content-Type", "application/json")
			_, _ = io.WriteString(w, `{"providers":[{"connectName":"x","shortName":{"domainName":"x","id":"7"},"enabled":"1"}]}`)
		}))
		c, err := commvault.NewClient(srv.URL+"/api", commvault.WithToken("t0ken-value"), commvault.WithFormat(tc.f))
		require.NoError(t, err)
		orgs, _, err := c.Organizations.List(context.Background(), nil)
		require.NoError(t, err, "a JSON answer to an XML request still decodes")
		require.Len(t, orgs.Items, 1)
		assert.Equal(t, 7, orgs.Items[0].ID)
		assert.True(t, bool(orgs.Items[0].Enabled))
		assert.Equal(t, tc.want, got.Load())
		srv.Close()
	}
}

// All ranges like All in every other provider: lazily, once per range, one
// error that ends the range.
func TestAllRangesLikeEveryProvider(t *testing.T) {
	t.Parallel()
	srv := commvaulttest.NewServer()
	t.Cleanup(srv.Close)
	c := newClient(t, srv)
	ctx := t.Context()
	seq := c.Organizations.All(ctx, nil)
	assert.Zero(t, srv.Hits(), "nothing is sent before the range starts")

	list, _, err := c.Organizations.List(ctx, nil)
	require.NoError(t, err)
	var names []string
	for org, err := range seq {
		require.NoError(t, err)
		names = append(names, org.Name)
	}
	want := make([]string, 0, len(list.Items))
	for _, o := range list.Items {
		want = append(want, o.Name)
	}
	assert.Equal(t, want, names)

	before := srv.Hits()
	for range seq {
		break
	}
	assert.Equal(t, before+1, srv.Hits(), "a range that breaks early makes one request")

	srv.InjectFault(commvaulttest.Fault{Status: http.StatusForbidden, Count: 5})
	var errs []error
	for org, err := range seq {
		if err != nil {
			errs = append(errs, err)
			continue
		}
		t.Fatalf("got %v after a failed request", org)
	}
	require.Len(t, errs, 1)
	assert.ErrorIs(t, errs[0], commvault.ErrForbidden)
	assert.True(t, strings.HasPrefix(errs[0].Error(), "orgsdk: commvault: "), errs[0].Error())
}
