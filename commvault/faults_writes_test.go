package commvault_test

// Issue 20: the lifecycle writes under faults. Every one is a write the
// server may act on, whatever its HTTP method (PUT and DELETE included):
// a redirect other than a same-origin 307/308 is refused, a dropped
// connection or a 5xx is never followed by a second copy, and a 429 (the
// server's refusal before any processing) is the one answer the transport
// resends. Each case counts what reached the server.

import (
	"context"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/orgsdk/orgsdk/commvault"
	"github.com/orgsdk/orgsdk/internal/faulttest"
	"github.com/orgsdk/orgsdk/internal/recording"
)

// lifecycleWrite is one lifecycle write: its method, the path after the
// web-service root, and the call.
type lifecycleWrite struct {
	name, method, path string
	call               func(ctx context.Context, c *commvault.Client) (*commvault.Response, error)
}

func lifecycleWrites() []lifecycleWrite {
	return []lifecycleWrite{
		{"Create", http.MethodPost, "Organization", func(ctx context.Context, c *commvault.Client) (*commvault.Response, error) {
			_, resp, err := c.Organizations.Create(ctx, &commvault.OrganizationInput{Name: "Globex", Alias: "globex", Plans: []commvault.PlanRef{{PlanID: 2}}})
			return resp, err
		}},
		{"Update", http.MethodPut, "Organization", func(ctx context.Context, c *commvault.Client) (*commvault.Response, error) {
			return c.Organizations.Update(ctx, 16, &commvault.OrganizationUpdate{NewName: "n", Plans: commvault.AddPlans(commvault.PlanRef{PlanID: 2})})
		}},
		{"Deactivate", http.MethodPost, "Organization/16/action/deactivate", func(ctx context.Context, c *commvault.Client) (*commvault.Response, error) {
			return c.Organizations.Deactivate(ctx, 16, nil)
		}},
		{"Activate", http.MethodPost, "Organization/16/action/activate", func(ctx context.Context, c *commvault.Client) (*commvault.Response, error) {
			return c.Organizations.Activate(ctx, 16)
		}},
		{"Delete", http.MethodDelete, "Organization/16", func(ctx context.Context, c *commvault.Client) (*commvault.Response, error) {
			return c.Organizations.Delete(ctx, 16)
		}},
		{"SetTags", http.MethodPut, "Tags", func(ctx context.Context, c *commvault.Client) (*commvault.Response, error) {
			return c.Organizations.SetTags(ctx, 16, []commvault.Tag{{Name: "tier", Value: "gold"}})
		}},
	}
}

// lifecycleSuccess answers any lifecycle write with success: the create
// answer (which serves every write, since the others read only its
// errorCode).
func lifecycleSuccess(w http.ResponseWriter, _ *http.Request) {
	w.Header().Set("Content-Type", "application/json")
	_, _ = io.WriteString(w, `{"response":{"errorCode":0,"entity":{"GUID":"G","providerId":18,"providerDomainName":"globex"}}}`)
}

func lifecycleClient(t *testing.T, srv *faulttest.Server, opts ...commvault.Option) *commvault.Client {
	t.Helper()
	return faultClient(t, srv, append([]commvault.Option{commvault.WithToken("QSDK fault0token0value")}, opts...)...)
}

func TestFaultsLifecycleRedirects(t *testing.T) {
	t.Parallel()
	for _, w := range lifecycleWrites() {
		for _, status := range []int{301, 302, 303, 307, 308} {
			t.Run(w.name+"/"+http.StatusText(status), func(t *testing.T) {
				t.Parallel()
				srv := faulttest.NewServer(t, func(rw http.ResponseWriter, r *http.Request, _ []byte) bool {
					if r.URL.Path == root+w.path {
						target := root + "v2/" + w.path
						if r.URL.RawQuery != "" {
							target += "?" + r.URL.RawQuery
						}
						http.Redirect(rw, r, target, status)
						return true
					}
					return false
				}, lifecycleSuccess)
				c := lifecycleClient(t, srv)
				_, err := w.call(context.Background(), c)
				assert.Equal(t, 1, srv.Count(w.method, root+w.path))
				if status == 307 || status == 308 {
					require.NoError(t, err, "a same-origin 307/308 is followed once")
					assert.Equal(t, 1, srv.Count(w.method, root+"v2/"+w.path))
					assert.Equal(t, srv.Bodies(w.method, root+w.path), srv.Bodies(w.method, root+"v2/"+w.path), "the same body, once more")
				} else {
					require.ErrorIs(t, err, commvault.ErrRedirectedWrite)
					assert.Zero(t, srv.Count(w.method, root+"v2/"+w.path))
					assert.Zero(t, srv.Count(http.MethodGet, root+"v2/"+w.path), "the write never becomes a GET")
				}
				assert.Equal(t, 2-btoi(status != 307 && status != 308), srv.Total())
				srv.AssertNoWriteTwice(t)
			})
		}
		t.Run(w.name+"/307 to another origin", func(t *testing.T) {
			t.Parallel()
			other := faulttest.NewServer(t, nil, lifecycleSuccess)
			srv := faulttest.NewServer(t, func(rw http.ResponseWriter, r *http.Request, _ []byte) bool {
				http.Redirect(rw, r, other.URL+root+w.path, http.StatusTemporaryRedirect)
				return true
			}, nil)
			_, err := w.call(context.Background(), lifecycleClient(t, srv))
			require.ErrorIs(t, err, commvault.ErrForeignHost)
			assert.Equal(t, 1, srv.Total())
			assert.Zero(t, other.Total(), "nothing went to the other origin")
		})
	}
}

func btoi(b bool) int {
	if b {
		return 1
	}
	return 0
}

func TestFaultsLifecycleFailures(t *testing.T) {
	t.Parallel()
	faults := []string{"dropped after the write was sent", "500", "502", "503", "504", "429 with Retry-After", "429 with Retry-After 0"}
	for _, w := range lifecycleWrites() {
		for _, fault := range faults {
			t.Run(w.name+"/"+fault, func(t *testing.T) {
				t.Parallel()
				srv := faulttest.NewServer(t, func(rw http.ResponseWriter, r *http.Request, _ []byte) bool {
					switch fault {
					case "429 with Retry-After":
						rw.Header().Set("Retry-After", "120")
						rw.WriteHeader(http.StatusTooManyRequests)
					case "429 with Retry-After 0":
						rw.Header().Set("Retry-After", "0")
						rw.WriteHeader(http.StatusTooManyRequests)
					case "dropped after the write was sent":
						conn, _, err := rw.(http.Hijacker).Hijack()
						if err == nil {
							conn.Close()
						}
					default:
						var code int
						_, _ = fmt.Sscan(fault, &code)
						rw.Header().Set("Retry-After", "0")
						rw.WriteHeader(code)
					}
					return true
				}, nil)
				_, err := w.call(context.Background(), lifecycleClient(t, srv))
				require.Error(t, err)
				switch fault {
				case "429 with Retry-After 0":
					// Refused before any processing: resent within
					// WithMaxRetries (3), each copy refused again.
					assert.ErrorIs(t, err, commvault.ErrRateLimited)
					assert.Equal(t, 4, srv.Count(w.method, root+w.path))
					return
				case "429 with Retry-After":
					assert.ErrorIs(t, err, commvault.ErrRateLimited)
					var ae *commvault.APIError
					require.ErrorAs(t, err, &ae)
					assert.Equal(t, 120*time.Second, ae.RetryAfter)
				case "dropped after the write was sent":
					var te *commvault.TransportError
					assert.ErrorAs(t, err, &te)
				default:
					var ae *commvault.APIError
					require.ErrorAs(t, err, &ae)
					assert.Equal(t, 1, ae.Attempts)
				}
				assert.Equal(t, 1, srv.Count(w.method, root+w.path), "a write is never sent twice")
				assert.Equal(t, 1, srv.Total())
				srv.AssertNoWriteTwice(t)
			})
		}
	}
}

// TestFaultsLifecycleReadsAreRetried: Tags, the lifecycle's one read, is
// retried after a 503 like every GET.
func TestFaultsLifecycleReadsAreRetried(t *testing.T) {
	t.Parallel()
	var n atomic.Int32
	srv := faulttest.NewServer(t, func(rw http.ResponseWriter, r *http.Request, _ []byte) bool {
		if n.Add(1) == 1 {
			rw.Header().Set("Retry-After", "0")
			rw.WriteHeader(http.StatusServiceUnavailable)
			return true
		}
		rw.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(rw, `{"tags":[{"entityType":61,"entityId":16,"tag":[{"id":1,"name":"tier","value":"gold"}]}]}`)
		return true
	}, nil)
	tags, _, err := lifecycleClient(t, srv).Organizations.Tags(context.Background(), 16)
	require.NoError(t, err)
	assert.Equal(t, []commvault.Tag{{Name: "tier", Value: "gold"}}, tags)
	assert.Equal(t, 2, srv.Count(http.MethodGet, root+"Tags/PROVIDER_ENTITY/16"))
}

// TestSecretsLifecycleWrites: a hostile server answers every lifecycle
// write with every form of the password and the token, in an error inside
// HTTP 200 (JSON and XML) and in a 4xx body, with the token in its
// headers. No error, Response, log line or recorded file of a write holds
// any of them.
func TestSecretsLifecycleWrites(t *testing.T) {
	t.Parallel()
	for name, h := range hostileCreds {
		for _, shape := range []string{"json inside 200", "xml inside 200", "409 body"} {
			t.Run(name+"/"+shape, func(t *testing.T) {
				t.Parallel()
				echo := faulttest.EchoAll(h.all()...)
				bare := strings.TrimPrefix(h.token, "QSDK ")
				srv := faulttest.NewServer(t, func(rw http.ResponseWriter, r *http.Request, body []byte) bool {
					faulttest.SetSecretHeaders(rw.Header(), bare)
					if strings.HasSuffix(r.URL.Path, "/Login") {
						rw.Header().Set("Content-Type", "application/json")
						_, _ = io.WriteString(rw, `{"userName":"admin","token":`+jsonString(h.token)+`}`)
						return true
					}
					msg := echo + " " + string(body) + " " + r.Header.Get("Authtoken")
					switch shape {
					case "xml inside 200":
						rw.Header().Set("Content-Type", "application/xml")
						var b strings.Builder
						_ = xml.EscapeText(&b, []byte(msg))
						_, _ = io.WriteString(rw, `<App_GenericResp errorCode="2" errorMessage="`+strings.ReplaceAll(b.String(), `"`, "&quot;")+`"/>`)
					case "409 body":
						rw.Header().Set("Content-Type", "application/json")
						rw.WriteHeader(http.StatusConflict)
						_, _ = io.WriteString(rw, `{"errorMessage":`+jsonString(msg)+`,"errorCode":2}`)
					default:
						rw.Header().Set("Content-Type", "application/json")
						_, _ = io.WriteString(rw, `{"response":{"errorCode":2,"errorString":`+jsonString(msg)+`}}`)
					}
					return true
				}, nil)
				trail := &faulttest.Trail{Dir: t.TempDir()}
				rec := &recording.Recorder{Dir: trail.Dir}
				c, err := commvault.NewClient(srv.URL+root, commvault.WithCredentials("admin", h.password), commvault.WithLogger(trail.Logger()),
					commvault.WithRetryWait(time.Millisecond, 5*time.Millisecond), commvault.WithMaxRetries(1),
					commvault.WithHTTPClient(&http.Client{Transport: rec}))
				require.NoError(t, err)
				rec.Redact = c.Redact
				for _, w := range lifecycleWrites() {
					resp, err := w.call(t.Context(), c)
					var ae *commvault.APIError
					require.ErrorAs(t, err, &ae, w.name)
					trail.Call(resp, err)
				}
				require.Len(t, trail.Errors(), len(lifecycleWrites()))
				trail.Audit(t, h.all()...)
				srv.AssertNoWriteTwice(t)
			})
		}
	}
}

func jsonString(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}
