package commvault_test

// Fault injection (issue 11, "Also deliver"): every write under redirects,
// dropped connections, 5xx and 429; hostile bodies; and a secret audit.
// Commvault's list is not paged, so the cursor cases (foreign host, cycle)
// do not apply: no call of this package follows a server-provided link.

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/orgsdk/orgsdk/commvault"
	"github.com/orgsdk/orgsdk/internal/faulttest"
)

// newFaultServer counts every request by method and path and answers with
// handle; Login, RenewLoginToken and Logout succeed unless handle answers
// them first (it returns true when it did).
func newFaultServer(t *testing.T, handle faulttest.Handler) *faulttest.Server {
	t.Helper()
	return faulttest.NewServer(t, handle, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		switch {
		case strings.HasSuffix(r.URL.Path, "/Login"):
			_, _ = io.WriteString(w, `{"userName":"admin","token":"QSDK fault0token0value"}`)
		case strings.HasSuffix(r.URL.Path, "/RenewLoginToken"):
			_, _ = io.WriteString(w, `{"token":"QSDK renewed0token0value","error":{}}`)
		case strings.HasSuffix(r.URL.Path, "/Logout"):
			w.Header().Set("Content-Type", "text/plain")
			_, _ = io.WriteString(w, "User logged out")
		default:
			_, _ = io.WriteString(w, defaultPlanBody)
		}
	})
}

const root = "/commandcenter/api/"

// write is one write the package can send.
type write struct {
	name string
	path string
	// setup builds the client (with a session where the write needs one).
	opts []commvault.Option
	call func(ctx context.Context, c *commvault.Client) (*commvault.Response, error)
}

func writes() []write {
	creds := commvault.WithCredentials("admin", "pw-secret")
	return []write{
		{"Login", "Login", []commvault.Option{creds}, func(ctx context.Context, c *commvault.Client) (*commvault.Response, error) {
			_, resp, err := c.Login(ctx)
			return resp, err
		}},
		{"Logout", "Logout", []commvault.Option{commvault.WithToken("QSDK fault0token0value")}, func(ctx context.Context, c *commvault.Client) (*commvault.Response, error) {
			return c.Logout(ctx)
		}},
		{"raw POST", "Plan", []commvault.Option{commvault.WithToken("QSDK fault0token0value")}, func(ctx context.Context, c *commvault.Client) (*commvault.Response, error) {
			req, err := c.NewRequest(http.MethodPost, "Plan", map[string]string{"planName": "p"})
			if err != nil {
				return nil, err
			}
			return c.Do(ctx, req, nil)
		}},
	}
}

func faultClient(t *testing.T, srv *faulttest.Server, opts ...commvault.Option) *commvault.Client {
	t.Helper()
	base := []commvault.Option{commvault.WithRetryWait(time.Millisecond, 5*time.Millisecond), commvault.WithMaxRetries(3)}
	c, err := commvault.NewClient(srv.URL+root, append(base, opts...)...)
	require.NoError(t, err)
	return c
}

func TestFaultsWriteRedirects(t *testing.T) {
	t.Parallel()
	for _, w := range writes() {
		for _, status := range []int{301, 302, 303, 307, 308} {
			t.Run(w.name+"/"+http.StatusText(status), func(t *testing.T) {
				t.Parallel()
				srv := newFaultServer(t, func(rw http.ResponseWriter, r *http.Request, _ []byte) bool {
					if r.URL.Path == root+w.path {
						http.Redirect(rw, r, root+"v2/"+w.path, status)
						return true
					}
					return false
				})
				c := faultClient(t, srv, w.opts...)
				_, err := w.call(context.Background(), c)
				assert.Equal(t, 1, srv.Count(http.MethodPost, root+w.path))
				if status == 307 || status == 308 {
					require.NoError(t, err, "a same-origin 307/308 is followed once")
					assert.Equal(t, 1, srv.Count(http.MethodPost, root+"v2/"+w.path))
				} else {
					require.ErrorIs(t, err, commvault.ErrRedirectedWrite)
					assert.Zero(t, srv.Count(http.MethodPost, root+"v2/"+w.path))
					assert.Zero(t, srv.Count(http.MethodGet, root+"v2/"+w.path), "the write never becomes a GET")
				}
				srv.AssertNoWriteTwice(t)
			})
		}
	}
}

func TestFaultsWriteFailures(t *testing.T) {
	t.Parallel()
	for _, w := range writes() {
		for _, fault := range []string{"dropped after the write was sent", "500", "503", "429 with Retry-After", "429 with Retry-After 0"} {
			t.Run(w.name+"/"+fault, func(t *testing.T) {
				t.Parallel()
				srv := newFaultServer(t, func(rw http.ResponseWriter, r *http.Request, _ []byte) bool {
					if r.URL.Path != root+w.path {
						return false
					}
					switch fault {
					case "500":
						rw.WriteHeader(http.StatusInternalServerError)
					case "503":
						rw.Header().Set("Retry-After", "0")
						rw.WriteHeader(http.StatusServiceUnavailable)
					case "429 with Retry-After":
						rw.Header().Set("Retry-After", "120")
						rw.WriteHeader(http.StatusTooManyRequests)
					case "429 with Retry-After 0":
						rw.Header().Set("Retry-After", "0")
						rw.WriteHeader(http.StatusTooManyRequests)
					default:
						conn, _, err := rw.(http.Hijacker).Hijack()
						if err == nil {
							conn.Close()
						}
					}
					return true
				})
				c := faultClient(t, srv, w.opts...)
				_, err := w.call(context.Background(), c)
				require.Error(t, err)
				if fault == "429 with Retry-After 0" {
					// A 429 is a refusal before any processing, so the
					// transport's policy resends every method after the
					// server's wait (here none) within WithMaxRetries (3):
					// each of the 4 copies was refused, none acted on.
					assert.ErrorIs(t, err, commvault.ErrRateLimited)
					assert.Equal(t, 4, srv.Count(http.MethodPost, root+w.path))
					return
				}
				switch fault {
				case "429 with Retry-After":
					assert.ErrorIs(t, err, commvault.ErrRateLimited)
					var ae *commvault.APIError
					require.ErrorAs(t, err, &ae)
					assert.Equal(t, 120*time.Second, ae.RetryAfter, "a wait longer than the retry bound is handed to the caller")
				case "dropped after the write was sent":
					var te *commvault.TransportError
					assert.ErrorAs(t, err, &te)
				default:
					var ae *commvault.APIError
					assert.ErrorAs(t, err, &ae)
				}
				assert.Equal(t, 1, srv.Count(http.MethodPost, root+w.path), "a write is never retried")
				srv.AssertNoWriteTwice(t)
			})
		}
	}
}

// hostileBodies are success answers no decoder should trust.
func hostileBodies() map[string]struct {
	ct   string
	body []byte
	want error
} {
	deep := 1 << 20
	return map[string]struct {
		ct   string
		body []byte
		want error
	}{
		"json truncated": {"application/json", []byte(defaultPlanBody[:40]), nil},
		"xml truncated":  {"application/xml", []byte(`<r><organizationInfo><organization connectName="x"`), nil},
		"html":           {"text/html", []byte("<!DOCTYPE html><html><body>Login</body></html>"), commvault.ErrUnexpectedContentType},
		"html as json":   {"application/json", []byte("<html><body>proxy</body></html>"), nil},
		"json empty":     {"application/json", nil, nil},
		"xml empty":      {"application/xml", nil, nil},
		"over the cap":   {"application/json", append([]byte(`{"organizationInfo":{"x":"`), bytes.Repeat([]byte("a"), 2<<20)...), commvault.ErrBodyTooLarge},
		"json nested":    {"application/json", bytes.Repeat([]byte(`{"organizationInfo":`), deep), nil},
		"xml nested":     {"application/xml", bytes.Repeat([]byte("<a>"), deep), nil},
	}
}

func TestFaultsHostileBodies(t *testing.T) {
	t.Parallel()
	for name, hb := range hostileBodies() {
		for _, target := range []string{"Login", "Organization/6/defaultplan"} {
			t.Run(name+"/"+target, func(t *testing.T) {
				t.Parallel()
				srv := newFaultServer(t, func(rw http.ResponseWriter, r *http.Request, _ []byte) bool {
					if r.URL.Path != root+target {
						return false
					}
					rw.Header().Set("Content-Type", hb.ct)
					_, _ = rw.Write(hb.body)
					return true
				})
				c := faultClient(t, srv, commvault.WithCredentials("admin", "pw-secret"), commvault.WithMaxBodyBytes(1<<20+1<<19))
				_, _, err := c.Organizations.DefaultPlan(context.Background(), 6)
				require.Error(t, err)
				var de *commvault.DecodeError
				var ae *commvault.APIError
				assert.True(t, errors.As(err, &de) || errors.As(err, &ae), "%T: %v", err, err)
				if hb.want != nil {
					assert.ErrorIs(t, err, hb.want)
				}
				assert.Less(t, len(err.Error()), 1200, "an error quotes a snippet, not the body")
				assert.Equal(t, 1, srv.Count(http.MethodPost, root+"Login"))
				srv.AssertNoWriteTwice(t)
			})
		}
	}
}

func TestFaultsSecretAudit(t *testing.T) {
	t.Parallel()
	// '/' and '+' so the password and its base64 form have JSON-escaped
	// and URL-escaped variants.
	const password = "pa/ss+w0rd?&<x>"
	password64 := base64.StdEncoding.EncodeToString([]byte(password))
	const token = "QSDK 0a1b2c3d4e5f60718293a4b5c6d7e8f9"
	const bearer = "eyJhbGciOiJIUzI1NiJ9.payload+/sig"
	secrets := []string{password, password64, token, strings.TrimPrefix(token, "QSDK "), bearer}

	// echo answers with every form of every secret it saw, so whatever the
	// client keeps from an answer is checked.
	echo := func(r *http.Request, body []byte, known []string) string {
		seen := append([]string{string(body), r.Header.Get("Authtoken"), r.Header.Get("Authorization")}, known...)
		var parts []string
		for _, s := range seen {
			for _, form := range faulttest.SecretForms(s) {
				parts = append(parts, form)
			}
		}
		b, _ := json.Marshal(strings.Join(parts, " | "))
		return string(b)
	}
	for _, tc := range []struct {
		name string
		opts []commvault.Option
		// fail picks the request answered with an error echoing secrets.
		fail string
		// known are the secrets the client holds, which the server echoes
		// in every form on top of what the request carried.
		known []string
	}{
		{"failed login", []commvault.Option{commvault.WithCredentials("admin", password)}, "Login", []string{password, password64}},
		{"login then 500", []commvault.Option{commvault.WithCredentials("admin", password)}, "Organization/6/defaultplan", []string{password, password64, token}},
		{"session token", []commvault.Option{commvault.WithToken(token)}, "Organization/6/defaultplan", []string{token}},
		{"bearer token", []commvault.Option{commvault.WithAccessToken(bearer)}, "Organization/6/defaultplan", []string{bearer}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			srv := newFaultServer(t, func(rw http.ResponseWriter, r *http.Request, body []byte) bool {
				switch {
				case r.URL.Path == root+"Login" && tc.fail != "Login":
					rw.Header().Set("Content-Type", "application/json")
					_, _ = io.WriteString(rw, `{"userName":"admin","token":"`+token+`"}`)
					return true
				case r.URL.Path != root+tc.fail:
					return false
				case tc.fail == "Login":
					rw.Header().Set("Content-Type", "application/json")
					_, _ = io.WriteString(rw, `{"errList":[{"errLogMessage":`+echo(r, body, tc.known)+`,"errorCode":5}]}`)
				default:
					rw.Header().Set("Content-Type", "application/json")
					rw.WriteHeader(http.StatusInternalServerError)
					_, _ = io.WriteString(rw, `{"errorMessage":`+echo(r, body, tc.known)+`,"errorCode":2}`)
				}
				return true
			})
			var logs faulttest.LogBuffer
			logger := slog.New(slog.NewJSONHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
			c := faultClient(t, srv, append(tc.opts, commvault.WithLogger(logger), commvault.WithMaxRetries(1))...)
			ctx := context.Background()

			if tc.fail != "Login" && tc.name == "login then 500" {
				_, resp, err := c.Login(ctx)
				require.NoError(t, err)
				faulttest.AuditResponse(t, resp, secrets...)
			}
			_, resp, err := c.Organizations.DefaultPlan(ctx, 6)
			require.Error(t, err)
			faulttest.Audit(t, "error string", err.Error(), secrets...)
			var ae *commvault.APIError
			if errors.As(err, &ae) {
				faulttest.Audit(t, "APIError.Message", ae.Message, secrets...)
				faulttest.Audit(t, "APIError.Body", string(ae.Body), secrets...)
				for _, d := range ae.Details {
					faulttest.Audit(t, "APIError.Details", d.Message, secrets...)
				}
			}
			faulttest.AuditResponse(t, resp, secrets...)
			_, _ = c.Logout(ctx)
			require.NotEmpty(t, logs.String())
			for _, line := range strings.Split(strings.TrimSpace(logs.String()), "\n") {
				faulttest.Audit(t, "log line", line, secrets...)
			}
		})
	}
}

// TestLoginResponseCarriesNoBody: the Response of Login hands back the
// request that went out; it must not hold the password through its body or
// GetBody (issue 11.4).
func TestLoginResponseCarriesNoBody(t *testing.T) {
	t.Parallel()
	const password = "login-Secret+/42"
	srv := newFaultServer(t, func(http.ResponseWriter, *http.Request, []byte) bool { return false })
	c := faultClient(t, srv, commvault.WithCredentials("admin", password))
	_, resp, err := c.Login(context.Background())
	require.NoError(t, err)
	require.NotNil(t, resp.Request)
	assert.Nil(t, resp.Request.GetBody)
	assert.True(t, resp.Request.Body == nil || resp.Request.Body == http.NoBody)
	faulttest.AuditResponse(t, resp, password)
}
