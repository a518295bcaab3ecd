package jsonapi_test

// Issue 19, groups 3 and 4: secrets where the scrubber never looked (a
// base URL's user info, a redirect's path and Location, a links.next
// cursor under an unknown query name, X-Request-Id, the error inside a
// refusal), and error text without a bound. The audit runs over a hostile
// server that echoes the token everywhere it can.

import (
	"context"
	"encoding/json"
	"fmt"
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
	"github.com/orgsdk/orgsdk/jsonapi"
)

// hostileTokens are the tokens of the audits (see faulttest.HostileTokens).
var hostileTokens = faulttest.HostileTokens("ja")

// hostileOrg is one organization resource.
const hostileOrg = `{"id":"6b1c","type":"organizations","attributes":{"name":"One","created_at":"2021-11-23T14:38:10Z","updated_at":"2021-11-23T14:38:10Z","updated_in_db_at":"2021-11-23T14:38:10Z","oauth":false,"default_currency_code":"USD"}}`

func TestSecretsBaseURLUserinfo(t *testing.T) {
	t.Parallel()
	faulttest.AuditBaseURLUserInfo(t, "/api/v2/", func(base string) error {
		_, err := jsonapi.NewClient("tok-0123456789", jsonapi.WithBaseURL(base))
		return err
	})
}

// errorsDoc is a JSON:API error document whose every member is text.
func errorsDoc(status int, text string) string {
	b, _ := json.Marshal(map[string]any{"errors": []map[string]any{{
		"id": text, "status": fmt.Sprint(status), "code": text, "title": text, "detail": text,
		"source": map[string]string{"pointer": text, "parameter": text},
	}}})
	return string(b)
}

func TestSecretsHostileServer(t *testing.T) {
	t.Parallel()
	for name, token := range hostileTokens {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			foreign := faulttest.NewServer(t, nil, nil)
			hidden := faulttest.SecretPath(token) + "?" + faulttest.SecretQuery(token)
			echo := faulttest.EchoAll(token)
			srv := faulttest.NewServer(t, func(rw http.ResponseWriter, r *http.Request, _ []byte) bool {
				faulttest.SetSecretHeaders(rw.Header(), token)
				ct := "application/vnd.api+json; charset=" + url.QueryEscape(token)
				doc := func(status int, body string) {
					rw.Header().Set("Content-Type", ct)
					rw.WriteHeader(status)
					_, _ = rw.Write([]byte(body))
				}
				switch p := r.URL.Path; {
				case r.Method == http.MethodPost:
					doc(422, errorsDoc(422, echo))
				case p == "/api/v2/organizations" && r.URL.Query().Get("page") == "":
					doc(200, `{"data":[`+hostileOrg+`],"links":{"next":"http://`+r.Host+`/api/v2/organizations/`+hidden+`&page=2"}}`)
				case strings.HasPrefix(p, "/api/v2/organizations") && r.URL.Query().Get("page") == "2":
					doc(500, errorsDoc(500, echo))
				case p == "/api/v2/organizations/a":
					http.Redirect(rw, r, "/api/v2/organizations/a/"+hidden, http.StatusFound)
				case strings.HasPrefix(p, "/api/v2/organizations/a/"):
					doc(200, `{"data":`+hostileOrg+`}`)
				case p == "/api/v2/organizations/b":
					http.Redirect(rw, r, foreign.URL+"/api/v2/organizations/b/"+hidden, http.StatusFound)
				case p == "/api/v2/organizations/c":
					http.Redirect(rw, r, "/api/v2/organizations/c/"+hidden, http.StatusMovedPermanently)
				case strings.HasPrefix(p, "/api/v2/organizations/c/"):
					doc(404, errorsDoc(404, echo))
				case p == "/api/v2/organizations/d":
					// A success body that does not decode, quoting the token
					// in the members an explanation names.
					doc(200, `{"data":{"id":"`+token+`","type":"`+token+`"}}`)
				case p == "/api/v2/organizations/e":
					doc(200, `{"data":{"id":"e","type":"organizations","attributes":{"created_at":"`+token+`"}}}`)
				case p == "/api/v2/organizations/f":
					rw.Header().Set("Retry-After", "3600")
					doc(429, errorsDoc(429, echo))
				default:
					return false
				}
				return true
			}, nil)
			trail := &faulttest.Trail{Dir: t.TempDir()}
			rec := &recording.Recorder{Dir: trail.Dir}
			c, err := jsonapi.NewClient(token, jsonapi.WithBaseURL(srv.URL+"/api/v2/"), jsonapi.WithLogger(trail.Logger()),
				jsonapi.WithRetryWait(time.Millisecond, 5*time.Millisecond), jsonapi.WithMaxRetries(1),
				jsonapi.WithHTTPClient(&http.Client{Transport: rec}))
			require.NoError(t, err)
			rec.Redact = c.Redact
			ctx := t.Context()

			_, resp, err := c.Organizations.Get(ctx, "a")
			require.NoError(t, err)
			require.NotNil(t, resp.Request.Response, "the redirect was followed")
			trail.Call(resp, err)
			_, resp, err = c.Organizations.Get(ctx, "b")
			require.ErrorIs(t, err, jsonapi.ErrForeignHost)
			trail.Call(resp, err)
			_, resp, err = c.Organizations.Get(ctx, "c")
			require.ErrorIs(t, err, jsonapi.ErrNotFound)
			trail.Call(resp, err)
			for _, id := range []string{"d", "e", "f"} {
				_, resp, err = c.Organizations.Get(ctx, id)
				require.Error(t, err)
				trail.Call(resp, err)
			}

			_, resp, err = c.Organizations.List(ctx, nil)
			require.NoError(t, err)
			require.NotEmpty(t, resp.NextCursor)
			trail.Call(resp, err)
			_, resp, err = c.Organizations.List(ctx, &jsonapi.ListOptions{Cursor: resp.NextCursor})
			require.Error(t, err)
			trail.Call(resp, err)
			for _, err := range c.Organizations.All(ctx, nil) {
				if err != nil {
					trail.Call(nil, err)
				}
			}

			req, err := c.NewRequest(http.MethodPost, "organizations?"+faulttest.SecretQuery(token), map[string]any{"data": nil})
			require.NoError(t, err)
			resp, err = c.Do(ctx, req, nil)
			require.ErrorIs(t, err, jsonapi.ErrValidation)
			trail.Call(resp, err)
			for _, o := range jsonapi.ErrorObjects(err) {
				trail.Text("ErrorObject", fmt.Sprint(o))
			}

			require.Len(t, trail.Errors(), 8, "every failing call was recorded")
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
	big := strings.Repeat("7", 1<<20)
	get := func(ctx context.Context, c *jsonapi.Client) error {
		_, _, err := c.Organizations.Get(ctx, "a")
		return err
	}
	list := func(ctx context.Context, c *jsonapi.Client) error {
		_, _, err := c.Organizations.List(ctx, nil)
		return err
	}
	many := make([]string, 0, 20000)
	for range 20000 {
		many = append(many, `{"status":"422","title":"bad","detail":"`+strings.Repeat("d", 400)+`"}`)
	}
	cases := map[string]struct {
		status int
		header map[string]string
		body   string
		call   func(ctx context.Context, c *jsonapi.Client) error
	}{
		"8 MiB title":             {422, nil, `{"errors":[{"status":"422","title":"` + huge + `","detail":"` + huge + `"}]}`, get},
		"20,000 error objects":    {422, nil, `{"errors":[` + strings.Join(many, ",") + `]}`, get},
		"8 MiB error in a 200":    {200, nil, `{"errors":[{"status":"404","title":"` + huge + `"}]}`, get},
		"million-digit number":    {200, nil, `{"data":{"id":"a","type":"organizations","attributes":{"name":` + big + `}}}`, get},
		"million-digit page":      {200, nil, `{"data":[],"meta":{"pagination":{"page":` + big + `}}}`, list},
		"1 MiB type":              {200, nil, `{"data":{"id":"a","type":"` + big + `"}}`, get},
		"1 MiB id":                {200, nil, `{"data":[{"id":"` + big + `","type":"organizations","attributes":{"created_at":"x"}}]}`, list},
		"1 MiB id, bad attribute": {200, nil, `{"data":{"id":"` + big + `","type":"organizations","attributes":{"created_at":"` + big + `"}}}`, get},
		"1 MiB decimal":           {200, nil, `{"data":{"id":"a","type":"organizations","attributes":{"gift_aid_percentage":"` + big + `x"}}}`, get},
		"1 MiB X-Request-Id":      {404, map[string]string{"X-Request-Id": big}, `{}`, get},
		"1 MiB Content-Type":      {200, map[string]string{"Content-Type": "text/" + big}, `{}`, get},
		"9.5 MB next link": {200, nil, `{"data":[],"links":{"next":"/api/v2/organizations?page=2&pad=` + strings.Repeat("p", 9_500_000) + `"}}`,
			func(ctx context.Context, c *jsonapi.Client) error {
				_, resp, err := c.Organizations.List(ctx, nil)
				if err != nil {
					return err
				}
				_, _, err = c.Organizations.List(ctx, &jsonapi.ListOptions{Cursor: resp.NextCursor})
				return err
			}},
		"9.5 MB unparsable link": {200, nil, `{"data":[],"links":{"next":"http://[::1/` + strings.Repeat("p", 9_500_000) + `"}}`, list},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			srv := faulttest.NewServer(t, func(rw http.ResponseWriter, r *http.Request, _ []byte) bool {
				if r.URL.Query().Get("page") == "2" {
					rw.WriteHeader(http.StatusBadGateway)
					return true
				}
				rw.Header().Set("Content-Type", jsonapi.MediaType)
				for k, v := range tc.header {
					rw.Header().Set(k, v)
				}
				rw.WriteHeader(tc.status)
				_, _ = rw.Write([]byte(tc.body))
				return true
			}, nil)
			c := faultClient(t, srv.URL, jsonapi.WithMaxRetries(0), jsonapi.WithMaxBodyBytes(24<<20))
			err := tc.call(t.Context(), c)
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
