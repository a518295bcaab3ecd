package rservice_test

// Issue 19, groups 3 and 4: secrets where the scrubber never looked (a
// base URL's user info, a redirect's path and Location, a Link cursor
// under an unknown query name, X-Request-Id, the error inside a refusal),
// and error text without a bound. The audit runs over a hostile server
// that echoes the token everywhere it can.

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/orgsdk/orgsdk"
	"github.com/orgsdk/orgsdk/internal/faulttest"
	"github.com/orgsdk/orgsdk/internal/recording"
	"github.com/orgsdk/orgsdk/rservice"
)

// hostileTokens are the tokens of the audits (see faulttest.HostileTokens).
var hostileTokens = faulttest.HostileTokens("rs")

func TestSecretsBaseURLUserinfo(t *testing.T) {
	t.Parallel()
	faulttest.AuditBaseURLUserInfo(t, "/v1/", func(base string) error {
		_, err := rservice.NewClient("tok-0123456789", rservice.WithBaseURL(base))
		return err
	})
}

// hostileServer echoes token wherever a server can: organizations/50
// redirects (same origin) to a URL holding it in its path and under query
// names the SDK does not know, organizations/51 redirects to another host
// the same way, the list's Link names such a URL as the next page, which
// fails with the token in every body field, and the writes fail likewise.
// Every answer carries it in X-Request-Id and in the Content-Type.
func hostileServer(t *testing.T, token string) *faulttest.Server {
	t.Helper()
	foreign := faulttest.NewServer(t, nil, nil)
	hidden := faulttest.SecretPath(token) + "?" + faulttest.SecretQuery(token)
	echo := faulttest.EchoAll(token)
	fail := func(rw http.ResponseWriter, status int) {
		rw.WriteHeader(status)
		b, _ := json.Marshal(map[string]any{"message": echo, "errors": [][]string{{"name", echo}, {echo, echo}}, "documentation_url": "https://docs.example/?" + faulttest.SecretQuery(token)})
		_, _ = rw.Write(b)
	}
	return faulttest.NewServer(t, func(rw http.ResponseWriter, r *http.Request, _ []byte) bool {
		faulttest.SetSecretHeaders(rw.Header(), token)
		rw.Header().Set("Content-Type", "application/json; charset="+url.QueryEscape(token))
		switch p := r.URL.Path; {
		case p == "/v1/organizations" && r.Method == http.MethodGet:
			rw.Header().Set("Link", `<http://`+r.Host+`/v1/organizations/`+hidden+`&page=2>; rel="next"`)
			_, _ = io.WriteString(rw, "["+orgJSON+"]")
		case strings.HasPrefix(p, "/v1/organizations/") && r.URL.Query().Get("page") == "2":
			fail(rw, http.StatusInternalServerError)
		case p == "/v1/organizations/50":
			http.Redirect(rw, r, "/v1/organizations/50/"+hidden, http.StatusFound)
		case strings.HasPrefix(p, "/v1/organizations/50/"):
			_, _ = io.WriteString(rw, orgJSON)
		case p == "/v1/organizations/51":
			http.Redirect(rw, r, foreign.URL+"/v1/organizations/51/"+hidden, http.StatusFound)
		case p == "/v1/organizations/52":
			http.Redirect(rw, r, "/v1/organizations/52/"+hidden, http.StatusMovedPermanently)
		case strings.HasPrefix(p, "/v1/organizations/52/"):
			fail(rw, http.StatusNotFound)
		case p == "/v1/organizations/53":
			// A success body that does not decode, quoting the token.
			_, _ = io.WriteString(rw, `{"id":53,"name":"x","created_at":"`+token+`"}`)
		case p == "/v1/organizations/54":
			rw.Header().Set("Retry-After", "3600")
			fail(rw, http.StatusTooManyRequests)
		case r.Method == http.MethodPost || r.Method == http.MethodPatch:
			fail(rw, http.StatusUnprocessableEntity)
		default:
			return false
		}
		return true
	}, nil)
}

func TestSecretsHostileServer(t *testing.T) {
	t.Parallel()
	for name, token := range hostileTokens {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			srv := hostileServer(t, token)
			trail := &faulttest.Trail{Dir: t.TempDir()}
			rec := &recording.Recorder{Dir: trail.Dir}
			c, err := rservice.NewClient(token, rservice.WithBaseURL(srv.URL+"/v1/"), rservice.WithLogger(trail.Logger()),
				rservice.WithRetryWait(time.Millisecond, 5*time.Millisecond), rservice.WithMaxRetries(1),
				rservice.WithHTTPClient(&http.Client{Transport: rec}))
			require.NoError(t, err)
			rec.Redact = c.Redact
			ctx := t.Context()

			_, resp, err := c.Organizations.Get(ctx, 50)
			require.NoError(t, err)
			require.NotNil(t, resp.Request.Response, "the redirect was followed")
			trail.Call(resp, err)
			_, resp, err = c.Organizations.Get(ctx, 51)
			require.ErrorIs(t, err, rservice.ErrForeignHost)
			trail.Call(resp, err)
			_, resp, err = c.Organizations.Get(ctx, 52)
			require.ErrorIs(t, err, rservice.ErrNotFound)
			trail.Call(resp, err)
			for _, id := range []int64{53, 54} {
				_, resp, err = c.Organizations.Get(ctx, id)
				require.Error(t, err)
				trail.Call(resp, err)
			}

			_, resp, err = c.Organizations.List(ctx, nil)
			require.NoError(t, err)
			require.NotEmpty(t, resp.NextCursor)
			trail.Call(resp, err)
			_, resp, err = c.Organizations.List(ctx, &rservice.ListOptions{Cursor: resp.NextCursor})
			require.Error(t, err)
			trail.Call(resp, err)
			for _, err := range c.Organizations.All(ctx, nil) {
				if err != nil {
					trail.Call(nil, err)
				}
			}

			_, resp, err = c.Organizations.Create(ctx, &rservice.OrganizationInput{Name: rservice.Set("x"), OrderTemplateID: rservice.Set[int64](30)})
			require.ErrorIs(t, err, rservice.ErrValidation)
			trail.Call(resp, err)
			req, err := c.NewRequest(http.MethodGet, "organizations/50?"+faulttest.SecretQuery(token), nil)
			require.NoError(t, err)
			var raw []byte
			resp, err = c.Do(ctx, req, &raw)
			require.NoError(t, err)
			trail.Call(resp, err)

			// The sub-collections (issue 21): writes refused with the
			// token in every field, a list answered with an object.
			_, resp, err = c.Organizations.CreateAddress(ctx, 60, &rservice.AddressInput{Label: rservice.Set(rservice.LabelStreet)})
			require.ErrorIs(t, err, rservice.ErrValidation)
			trail.Call(resp, err)
			_, resp, err = c.Organizations.UpdateContact(ctx, 60, 1, &rservice.ContactInput{Email: rservice.Set("a@b.example")})
			require.ErrorIs(t, err, rservice.ErrValidation)
			trail.Call(resp, err)
			_, resp, err = c.Organizations.ListAddresses(ctx, 50, nil)
			var decErr *rservice.DecodeError
			require.ErrorAs(t, err, &decErr)
			trail.Call(resp, err)

			require.Len(t, trail.Errors(), 10, "every failing call was recorded")
			require.Contains(t, trail.Logs(), `"path":`, "the audit reads the attempt lines")
			trail.Audit(t, token)
			srv.AssertNoWriteTwice(t)
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
	longLink := "/v1/organizations?page=2&pad=" + strings.Repeat("p", 9_500_000)
	type answer struct {
		status int
		header map[string]string
		body   string
	}
	get := func(ctx context.Context, c *rservice.Client) error {
		_, _, err := c.Organizations.Get(ctx, 50)
		return err
	}
	cases := map[string]struct {
		answer answer
		call   func(ctx context.Context, c *rservice.Client) error
	}{
		"8 MiB message":          {answer{400, nil, `{"message":"` + huge + `"}`}, get},
		"8 MiB field errors":     {answer{422, nil, `{"message":"x","errors":[["` + huge + `","` + huge + `"]]}`}, get},
		"8 MiB error object":     {answer{422, nil, `{"message":"x","errors":{"` + huge + `":["` + huge + `"]}}`}, get},
		"8 MiB documentation":    {answer{429, map[string]string{"Retry-After": "3600"}, `{"message":"x","documentation_url":"https://d/` + huge + `"}`}, get},
		"million-digit number":   {answer{200, nil, `{"id":50,"name":` + digits + `}`}, get},
		"million-digit id":       {answer{200, nil, `{"id":` + digits + `}`}, get},
		"1 MiB timestamp":        {answer{200, nil, `{"id":50,"created_at":"` + digits + `"}`}, get},
		"1 MiB X-Request-Id":     {answer{404, map[string]string{"X-Request-Id": digits}, `{}`}, get},
		"1 MiB Content-Type":     {answer{200, map[string]string{"Content-Type": "text/" + digits}, `{}`}, get},
		"9.5 MB next link":       {answer{}, listTwice},
		"9.5 MB unparsable link": {answer{}, listTwice},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			srv := faulttest.NewServer(t, func(rw http.ResponseWriter, r *http.Request, _ []byte) bool {
				rw.Header().Set("Content-Type", "application/json")
				if strings.HasPrefix(name, "9.5 MB") {
					if r.URL.Query().Get("page") == "2" {
						rw.WriteHeader(http.StatusBadGateway)
						return true
					}
					link := longLink
					if name == "9.5 MB unparsable link" {
						link = "http://[::1" + longLink
					}
					rw.Header().Set("Link", "<"+link+`>; rel="next"`)
					_, _ = io.WriteString(rw, "[]")
					return true
				}
				for k, v := range tc.answer.header {
					rw.Header().Set(k, v)
				}
				rw.WriteHeader(tc.answer.status)
				_, _ = io.WriteString(rw, tc.answer.body)
				return true
			}, nil)
			c := faultClient(t, srv.URL+"/v1/", rservice.WithMaxRetries(0), rservice.WithMaxBodyBytes(24<<20))
			err := tc.call(t.Context(), c)
			require.Error(t, err)
			assert.LessOrEqual(t, len(err.Error()), orgsdk.ErrorTextLimit, "%.300s", err.Error())
			cut := faulttest.AuditBounded(t, err)
			// The unparsable link is refused without being quoted at all.
			if name != "million-digit number" && name != "9.5 MB unparsable link" {
				// Whether encoding/json quotes the number in its error
				// depends on the Go release; where it does not, there is
				// nothing to cut (internal/transport's clean tests cover
				// an error that quotes it).
				assert.True(t, cut, "the error shows where it was cut: %.300s", err.Error())
			}
		})
	}
}

func listTwice(ctx context.Context, c *rservice.Client) error {
	_, resp, err := c.Organizations.List(ctx, nil)
	if err != nil {
		return err
	}
	if resp.NextCursor == "" {
		return fmt.Errorf("no cursor")
	}
	_, _, err = c.Organizations.List(ctx, &rservice.ListOptions{Cursor: resp.NextCursor})
	return err
}
