package readycloud_test

// Issue 19, groups 3 and 4: secrets where the scrubber never looked (a
// base URL's user info, a redirect's path and Location, a cursor under an
// unknown query name, X-Request-Id, the error inside a refusal), and error
// text without a bound. The audit runs over a hostile server that echoes
// the token everywhere it can.

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
	"github.com/orgsdk/orgsdk/readycloud"
)

// hostileTokens are the tokens of the audits (see faulttest.HostileTokens).
var hostileTokens = faulttest.HostileTokens("rc")

func TestSecretsBaseURLUserinfo(t *testing.T) {
	t.Parallel()
	faulttest.AuditBaseURLUserInfo(t, "/api/v2/", func(base string) error {
		_, err := readycloud.NewClient("tok-0123456789", readycloud.WithBaseURL(base))
		return err
	})
}

// redirectServer answers GET orgs/1/ with a same-origin redirect to a URL
// holding the token in its path and in its query under names the SDK does
// not know, orgs/2/ with a redirect to another host, and orgs/3/ with a
// same-origin redirect to a 404; every answer echoes the token in
// X-Request-Id.
func redirectServer(t *testing.T, token string) *faulttest.Server {
	t.Helper()
	foreign := newFaultServer(t, nil)
	hidden := faulttest.SecretPath(token) + "/?" + faulttest.SecretQuery(token)
	return newFaultServer(t, func(rw http.ResponseWriter, r *http.Request, _ []byte) bool {
		faulttest.SetSecretHeaders(rw.Header(), token)
		switch {
		case r.URL.Path == "/api/v2/orgs/1/":
			http.Redirect(rw, r, "/api/v2/orgs/1/"+hidden, http.StatusFound)
		case r.URL.Path == "/api/v2/orgs/2/":
			http.Redirect(rw, r, foreign.URL+"/api/v2/orgs/2/"+hidden, http.StatusFound)
		case r.URL.Path == "/api/v2/orgs/3/":
			http.Redirect(rw, r, "/api/v2/orgs/3/"+hidden, http.StatusMovedPermanently)
		case strings.HasPrefix(r.URL.Path, "/api/v2/orgs/3/"):
			rw.Header().Set("Content-Type", "application/json")
			rw.WriteHeader(http.StatusNotFound)
			b, _ := json.Marshal(map[string]string{"detail": faulttest.EchoAll(token)})
			_, _ = rw.Write(b)
		default:
			return false
		}
		return true
	})
}

func TestSecretsRedirects(t *testing.T) {
	t.Parallel()
	for name, token := range hostileTokens {
		for _, query := range []bool{false, true} {
			t.Run(fmt.Sprintf("%s/queryToken=%v", name, query), func(t *testing.T) {
				t.Parallel()
				srv := redirectServer(t, token)
				var trail faulttest.Trail
				opts := []readycloud.Option{readycloud.WithBaseURL(srv.URL + "/api/v2/"), readycloud.WithLogger(trail.Logger()),
					readycloud.WithRetryWait(time.Millisecond, 5*time.Millisecond), readycloud.WithMaxRetries(1)}
				if query {
					opts = append(opts, readycloud.WithQueryToken())
				}
				c, err := readycloud.NewClient(token, opts...)
				require.NoError(t, err)

				_, resp, err := c.Organizations.Get(t.Context(), "1")
				require.NoError(t, err)
				require.NotNil(t, resp.Request.Response, "the redirect was followed")
				trail.Call(resp, err)

				_, resp, err = c.Organizations.Get(t.Context(), "2")
				require.ErrorIs(t, err, readycloud.ErrForeignHost)
				trail.Call(resp, err)

				_, resp, err = c.Organizations.Get(t.Context(), "3")
				require.ErrorIs(t, err, readycloud.ErrNotFound)
				trail.Call(resp, err)

				require.Contains(t, trail.Logs(), `"path":`, "the audit reads the attempt lines")
				trail.Audit(t, token)
			})
		}
	}
}

func TestSecretsNextCursor(t *testing.T) {
	t.Parallel()
	for name, token := range hostileTokens {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			srv := newFaultServer(t, func(rw http.ResponseWriter, r *http.Request, _ []byte) bool {
				if r.URL.Path != "/api/v2/orgs/" {
					return false
				}
				link := "http://" + r.Host + "/api/v2/orgs/" + faulttest.SecretPath(token) + "/?" + faulttest.SecretQuery(token) + "&offset=1"
				rw.Header().Set("Content-Type", "application/json")
				b, _ := json.Marshal(map[string]any{"count": 2, "next": link, "previous": link, "results": []any{}})
				_, _ = rw.Write(b)
				return true
			})
			c := faultClient(t, srv.URL+"/api/v2/")
			c2, err := readycloud.NewClient(token, readycloud.WithBaseURL(srv.URL+"/api/v2/"))
			require.NoError(t, err)
			for _, c := range []*readycloud.Client{c, c2} {
				list, resp, err := c.Organizations.List(t.Context(), nil)
				require.NoError(t, err)
				require.NotEmpty(t, resp.NextCursor)
				var trail faulttest.Trail
				trail.Call(resp, err)
				trail.Text("OrganizationList.Next", list.Next)
				trail.Text("OrganizationList.Previous", list.Previous)
				if c == c2 {
					// Only the client holding the token knows it is one.
					trail.Audit(t, token)
				}
			}
		})
	}
}

// TestSecretsHostileServer is the audit of issue 19.3: a server that echoes
// the token in every place it can (paths, unknown query names, Location,
// X-Request-Id, every body field) is called through every entry point, and
// nothing the SDK logs, returns or records holds any form of it.
func TestSecretsHostileServer(t *testing.T) {
	t.Parallel()
	for name, token := range hostileTokens {
		for _, query := range []bool{false, true} {
			t.Run(fmt.Sprintf("%s/queryToken=%v", name, query), func(t *testing.T) {
				t.Parallel()
				hidden := faulttest.SecretPath(token) + "/?" + faulttest.SecretQuery(token)
				echo := faulttest.EchoAll(token)
				srv := newFaultServer(t, func(rw http.ResponseWriter, r *http.Request, _ []byte) bool {
					faulttest.SetSecretHeaders(rw.Header(), token)
					rw.Header().Set("Content-Type", "application/json; charset="+url.QueryEscape(token))
					p := r.URL.Path
					switch {
					case p == "/api/v2/orgs/" && r.URL.Query().Get("offset") == "":
						next := "http://" + r.Host + "/api/v2/orgs/" + hidden + "&offset=1"
						b, _ := json.Marshal(map[string]any{"count": 3, "next": next, "previous": next,
							"results": []map[string]any{{"url": "/api/v2/orgs/1/", "name": "One"}}})
						_, _ = rw.Write(b)
					case strings.HasPrefix(p, "/api/v2/orgs/") && r.URL.Query().Get("offset") == "1":
						rw.WriteHeader(http.StatusInternalServerError)
						b, _ := json.Marshal(map[string]any{"detail": echo})
						_, _ = rw.Write(b)
					case p == "/api/v2/orgs/1/" && r.Method == http.MethodGet:
						http.Redirect(rw, r, "/api/v2/orgs/1/"+hidden, http.StatusFound)
					case p == "/api/v2/orgs/1/" && r.Method == http.MethodPatch:
						rw.WriteHeader(http.StatusBadRequest)
						b, _ := json.Marshal(map[string]any{"name": []string{echo}, echo: []string{echo}})
						_, _ = rw.Write(b)
					case p == "/api/v2/orgs/4/":
						rw.WriteHeader(http.StatusUnauthorized)
						b, _ := json.Marshal(map[string]any{"error": echo, "error_description": echo})
						_, _ = rw.Write(b)
					case p == "/api/v2/orgs/5/":
						// A success body that does not decode, quoting the token.
						_, _ = io.WriteString(rw, `{"url":"/api/v2/orgs/5/","name":"x","deleted_at":"`+token+`"}`)
					case p == "/api/v2/orgs/6/":
						rw.Header().Set("Retry-After", "3600")
						rw.WriteHeader(http.StatusTooManyRequests)
						b, _ := json.Marshal(map[string]any{"detail": echo})
						_, _ = rw.Write(b)
					default:
						return false
					}
					return true
				})
				trail := &faulttest.Trail{Dir: t.TempDir()}
				rec := &recording.Recorder{Dir: trail.Dir}
				opts := []readycloud.Option{
					readycloud.WithBaseURL(srv.URL + "/api/v2/"), readycloud.WithLogger(trail.Logger()),
					readycloud.WithRetryWait(time.Millisecond, 5*time.Millisecond), readycloud.WithMaxRetries(1),
					readycloud.WithHTTPClient(&http.Client{Transport: rec}),
				}
				if query {
					opts = append(opts, readycloud.WithQueryToken())
				}
				c, err := readycloud.NewClient(token, opts...)
				require.NoError(t, err)
				rec.Redact = c.Redact
				ctx := t.Context()

				list, resp, err := c.Organizations.List(ctx, nil)
				require.NoError(t, err)
				trail.Call(resp, err)
				trail.Text("OrganizationList.Next", list.Next)
				trail.Text("OrganizationList.Previous", list.Previous)
				_, resp, err = c.Organizations.List(ctx, &readycloud.ListOptions{Cursor: resp.NextCursor})
				var apiErr *readycloud.APIError
				require.ErrorAs(t, err, &apiErr)
				assert.Equal(t, http.StatusInternalServerError, apiErr.StatusCode)
				trail.Call(resp, err)
				for _, err := range c.Organizations.All(ctx, nil) {
					if err != nil {
						trail.Call(nil, err)
					}
				}
				for _, pk := range []string{"1", "4", "5", "6"} {
					_, resp, err := c.Organizations.Get(ctx, pk)
					trail.Call(resp, err)
				}
				_, resp, err = c.Organizations.Update(ctx, "1", &readycloud.OrganizationInput{Name: "x"})
				require.ErrorIs(t, err, readycloud.ErrValidation)
				trail.Call(resp, err)
				req, err := c.NewRequest(http.MethodGet, "orgs/1/?"+faulttest.SecretQuery(token), nil)
				require.NoError(t, err)
				var raw []byte
				resp, err = c.Do(ctx, req, &raw)
				trail.Call(resp, err)

				require.Len(t, trail.Errors(), 6, "every failing call was recorded")
				trail.Audit(t, token)
				srv.AssertNoWriteTwice(t)
			})
		}
	}
}

// TestBoundedErrors: error text has a bound (issue 19.4). Each answer puts
// megabytes into a field an error quotes.
func TestBoundedErrors(t *testing.T) {
	// Not parallel with the other tests: the hostile-body tests measure
	// what the process allocates, and these answers are megabytes each.
	huge := strings.Repeat("m", 8<<20)
	digits := strings.Repeat("7", 1<<20)
	longLink := "/api/v2/orgs/?offset=1&pad=" + strings.Repeat("p", 9_500_000)
	type answer struct {
		status int
		header map[string]string
		body   string
	}
	cases := map[string]struct {
		answer answer
		call   func(ctx context.Context, c *readycloud.Client) error
	}{
		"8 MiB detail":             {answer{400, nil, `{"detail":"` + huge + `"}`}, getOne},
		"8 MiB error_message":      {answer{500, nil, `{"error_message":"` + huge + `"}`}, getOne},
		"8 MiB field errors":       {answer{400, nil, `{"name":["` + huge + `"],"` + huge + `":["x"]}`}, getOne},
		"8 MiB OAuth error":        {answer{401, nil, `{"error":"` + huge + `","error_description":"` + huge + `"}`}, getOne},
		"million-digit number":     {answer{200, nil, `{"url":"/api/v2/orgs/1/","name":` + digits + `}`}, getOne},
		"million-digit plan limit": {answer{200, nil, `{"url":"/api/v2/orgs/1/","payment_plan":{"users":` + digits + `}}`}, getOne},
		"1 MiB timestamp":          {answer{200, nil, `{"url":"/api/v2/orgs/1/","deleted_at":"` + digits + `"}`}, getOne},
		"1 MiB price":              {answer{200, nil, `{"url":"/api/v2/orgs/1/","payment_plan":{"price":"` + digits + ` X Y"}}`}, getOne},
		"1 MiB X-Request-Id":       {answer{404, map[string]string{"X-Request-Id": digits}, `{}`}, getOne},
		"1 MiB Content-Type":       {answer{200, map[string]string{"Content-Type": "text/" + digits}, `{}`}, getOne},
		"9.5 MB next link": {answer{}, func(ctx context.Context, c *readycloud.Client) error {
			_, resp, err := c.Organizations.List(ctx, nil)
			if err != nil {
				return err
			}
			_, _, err = c.Organizations.List(ctx, &readycloud.ListOptions{Cursor: resp.NextCursor})
			return err
		}},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			srv := newFaultServer(t, func(rw http.ResponseWriter, r *http.Request, _ []byte) bool {
				rw.Header().Set("Content-Type", "application/json")
				if name == "9.5 MB next link" {
					if r.URL.Query().Get("offset") == "1" {
						rw.WriteHeader(http.StatusBadGateway)
						return true
					}
					b, _ := json.Marshal(map[string]any{"count": 2, "next": longLink, "results": []any{}})
					_, _ = rw.Write(b)
					return true
				}
				for k, v := range tc.answer.header {
					rw.Header().Set(k, v)
				}
				rw.WriteHeader(tc.answer.status)
				_, _ = io.WriteString(rw, tc.answer.body)
				return true
			})
			c := faultClient(t, srv.URL+"/api/v2/", readycloud.WithMaxRetries(0), readycloud.WithMaxBodyBytes(24<<20))
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

func getOne(ctx context.Context, c *readycloud.Client) error {
	_, _, err := c.Organizations.Get(ctx, "1")
	return err
}

func TestBoundedMoneyErrors(t *testing.T) {
	t.Parallel()
	frac := strings.Repeat("5", 1<<20)
	for name, call := range map[string]func() error{
		"MinorUnits, too many places": func() error { _, err := readycloud.Money{Amount: "1." + frac}.MinorUnits(2); return err },
		"MinorUnits, does not fit":    func() error { _, err := readycloud.Money{Amount: frac}.MinorUnits(2); return err },
		"MinorUnits, not a decimal":   func() error { _, err := readycloud.Money{Amount: "x" + frac}.MinorUnits(2); return err },
		"ParseMoney":                  func() error { _, err := readycloud.ParseMoney("1 USD x" + frac); return err },
		"UnmarshalJSON":               func() error { var m readycloud.Money; return json.Unmarshal([]byte(`"`+frac+` X Y"`), &m) },
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			err := call()
			require.Error(t, err)
			assert.True(t, faulttest.AuditBounded(t, err), "the error shows where it was cut: %.300s", err.Error())
		})
	}
}
