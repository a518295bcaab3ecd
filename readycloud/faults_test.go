package readycloud_test

// Fault injection (issue 11, "Also deliver"): every write under redirects,
// a dropped connection, 5xx and 429; next links to a foreign host and in a
// cycle; hostile bodies; and a secret audit of errors, logs, cursors and
// Response.Request for every form a token can take on the wire.
//
// The writes are Update (PATCH /orgs/{pk}/) and the raw escape hatch's
// PATCH and POST; ReadyCloud's Organizations API has no other write.

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/orgsdk/orgsdk/internal/faulttest"
	"github.com/orgsdk/orgsdk/internal/recording"
	"github.com/orgsdk/orgsdk/internal/transport"
	"github.com/orgsdk/orgsdk/readycloud"
)

// orgBody is a detail answer for pk 1.
const orgBody = `{"url":"/api/v2/orgs/1/","name":"Test Company","payment_plan":null,"subscriptions":{}}`

// newFaultServer counts every request by method and full path and lets
// handle answer it; when handle is nil or returns false the request gets
// orgBody.
func newFaultServer(t *testing.T, handle faulttest.Handler) *faulttest.Server {
	t.Helper()
	return faulttest.NewServer(t, handle, func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, orgBody)
	})
}

const orgPath = "/api/v2/orgs/1/"

// write is one write the package can send.
type write struct {
	name   string
	method string
	call   func(ctx context.Context, c *readycloud.Client) (*readycloud.Response, error)
}

func writes() []write {
	raw := func(method string) func(ctx context.Context, c *readycloud.Client) (*readycloud.Response, error) {
		return func(ctx context.Context, c *readycloud.Client) (*readycloud.Response, error) {
			req, err := c.NewRequest(method, "orgs/1/", map[string]string{"name": "Renamed"})
			if err != nil {
				return nil, err
			}
			return c.Do(ctx, req, &readycloud.Organization{})
		}
	}
	return []write{
		{"Update", http.MethodPatch, func(ctx context.Context, c *readycloud.Client) (*readycloud.Response, error) {
			_, resp, err := c.Organizations.Update(ctx, "1", &readycloud.OrganizationInput{Name: "Renamed"})
			return resp, err
		}},
		{"raw PATCH", http.MethodPatch, raw(http.MethodPatch)},
		{"raw POST", http.MethodPost, raw(http.MethodPost)},
	}
}

func faultClient(t *testing.T, baseURL string, opts ...readycloud.Option) *readycloud.Client {
	t.Helper()
	base := []readycloud.Option{
		readycloud.WithBaseURL(baseURL),
		readycloud.WithRetryWait(time.Millisecond, 50*time.Millisecond),
		readycloud.WithMaxRetries(3),
	}
	c, err := readycloud.NewClient("fault-token-0123456789", append(base, opts...)...)
	require.NoError(t, err)
	return c
}

func TestFaultsWriteRedirects(t *testing.T) {
	t.Parallel()
	foreign := newFaultServer(t, nil)
	for _, w := range writes() {
		for _, status := range []int{301, 302, 303, 307, 308} {
			for _, target := range []string{"same origin", "foreign host"} {
				t.Run(fmt.Sprintf("%s/%d/%s", w.name, status, target), func(t *testing.T) {
					t.Parallel()
					srv := newFaultServer(t, func(rw http.ResponseWriter, r *http.Request, _ []byte) bool {
						if r.URL.Path != orgPath {
							return false
						}
						loc := "/api/v2/orgs/1/moved/"
						if target == "foreign host" {
							loc = foreign.URL + loc
						}
						http.Redirect(rw, r, loc, status)
						return true
					})
					c := faultClient(t, srv.URL+"/api/v2/")
					before := foreign.Total()
					_, err := w.call(t.Context(), c)
					// Django answers a write it would redirect before acting
					// on it, and a followed 301-303 would turn it into a GET;
					// 307/308 would resend the body the server may have kept.
					// None is followed.
					require.ErrorIs(t, err, readycloud.ErrRedirectedWrite)
					assert.Equal(t, 1, srv.Count(w.method, orgPath))
					assert.Equal(t, 1, srv.Total(), "nothing else was sent")
					assert.Zero(t, srv.Count(http.MethodGet, "/api/v2/orgs/1/moved/"), "the write never becomes a GET")
					assert.Equal(t, before, foreign.Total(), "nothing reached the foreign host")
					srv.AssertNoWriteTwice(t)
				})
			}
		}
	}
}

func TestFaultsWriteFailures(t *testing.T) {
	t.Parallel()
	faults := []string{"dropped after the write was sent", "500", "502", "503 with Retry-After 0", "504", "429 with Retry-After 120", "429 with Retry-After 0"}
	for _, w := range writes() {
		for _, fault := range faults {
			t.Run(w.name+"/"+fault, func(t *testing.T) {
				t.Parallel()
				var mu sync.Mutex
				faulted, applied := 0, 0
				srv := newFaultServer(t, func(rw http.ResponseWriter, r *http.Request, body []byte) bool {
					mu.Lock()
					defer mu.Unlock()
					if faulted > 0 {
						// Only the first attempt is faulted; a resend would
						// succeed, and be counted as applied.
						applied++
						return false
					}
					faulted++
					switch fault {
					case "500":
						rw.WriteHeader(http.StatusInternalServerError)
					case "502":
						rw.WriteHeader(http.StatusBadGateway)
					case "503 with Retry-After 0":
						rw.Header().Set("Retry-After", "0")
						rw.WriteHeader(http.StatusServiceUnavailable)
					case "504":
						rw.WriteHeader(http.StatusGatewayTimeout)
					case "429 with Retry-After 120":
						rw.Header().Set("Retry-After", "120")
						rw.Header().Set("Content-Type", "application/json")
						rw.WriteHeader(http.StatusTooManyRequests)
						_, _ = io.WriteString(rw, `{"detail":"Request was throttled. Expected available in 120 seconds."}`)
					case "429 with Retry-After 0":
						rw.Header().Set("Retry-After", "0")
						rw.WriteHeader(http.StatusTooManyRequests)
					default:
						// The server read the whole write, then the
						// connection died: it may have acted on it.
						require.NotEmpty(t, body)
						conn, _, err := rw.(http.Hijacker).Hijack()
						if err == nil {
							conn.Close()
						}
					}
					return true
				})
				c := faultClient(t, srv.URL+"/api/v2/")
				_, err := w.call(t.Context(), c)
				if fault == "429 with Retry-After 0" {
					// A 429 is a refusal before any processing: the one case
					// the transport resends a write, after the server's wait.
					// The refused copy did nothing, so the rename happens once.
					require.NoError(t, err)
					assert.Equal(t, 2, srv.Count(w.method, orgPath))
					assert.Equal(t, 1, applied)
					return
				}
				require.Error(t, err)
				assert.Equal(t, 1, srv.Count(w.method, orgPath), "a write that may have been acted on is never resent")
				assert.Zero(t, applied)
				switch fault {
				case "dropped after the write was sent":
					var te *readycloud.TransportError
					require.ErrorAs(t, err, &te)
				case "429 with Retry-After 120":
					var apiErr *readycloud.APIError
					require.ErrorAs(t, err, &apiErr)
					require.ErrorIs(t, err, readycloud.ErrRateLimited)
					assert.Equal(t, 120*time.Second, apiErr.RetryAfter, "a wait longer than WithRetryWait's max is handed back, not slept")
				default:
					var apiErr *readycloud.APIError
					require.ErrorAs(t, err, &apiErr)
					assert.GreaterOrEqual(t, apiErr.StatusCode, 500)
				}
				srv.AssertNoWriteTwice(t)
			})
		}
	}
}

// pageServer serves DRF pages whose next links come from next(offset).
func pageServer(t *testing.T, next func(srv *faulttest.Server, offset string) any) *faulttest.Server {
	t.Helper()
	return countedPageServer(t, 100, next)
}

// countedPageServer is pageServer with count as given (nil: null).
func countedPageServer(t *testing.T, count any, next func(srv *faulttest.Server, offset string) any) *faulttest.Server {
	t.Helper()
	var srv *faulttest.Server
	srv = newFaultServer(t, func(rw http.ResponseWriter, r *http.Request, _ []byte) bool {
		if r.URL.Path != "/api/v2/orgs/" {
			return false
		}
		offset := r.URL.Query().Get("offset")
		if offset == "" {
			offset = "0"
		}
		rw.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(rw).Encode(map[string]any{
			"count": count, "next": next(srv, offset), "previous": nil,
			"results": []map[string]any{{"url": "/api/v2/orgs/" + offset + "/", "name": "Org " + offset}},
		})
		return true
	})
	return srv
}

func TestFaultsCursorToForeignHost(t *testing.T) {
	t.Parallel()
	foreign := newFaultServer(t, nil)
	links := map[string]string{
		"absolute":        foreign.URL + "/api/v2/orgs/?offset=1",
		"scheme-relative": "//" + strings.TrimPrefix(foreign.URL, "http://") + "/api/v2/orgs/?offset=1",
		"other scheme":    "https://" + strings.TrimPrefix(foreign.URL, "http://") + "/api/v2/orgs/?offset=1",
	}
	for name, link := range links {
		for _, query := range []bool{false, true} {
			t.Run(fmt.Sprintf("%s/queryToken=%v", name, query), func(t *testing.T) {
				t.Parallel()
				srv := pageServer(t, func(_ *faulttest.Server, offset string) any {
					if offset == "0" {
						return link + "&bearer_token=leaked"
					}
					return nil
				})
				var opts []readycloud.Option
				if query {
					opts = append(opts, readycloud.WithQueryToken())
				}
				c := faultClient(t, srv.URL+"/api/v2/", opts...)
				before := foreign.Total()

				_, resp, err := c.Organizations.List(t.Context(), nil)
				require.NoError(t, err)
				assert.NotContains(t, resp.NextCursor, "leaked")
				_, _, err = c.Organizations.List(t.Context(), &readycloud.ListOptions{Cursor: resp.NextCursor})
				require.ErrorIs(t, err, readycloud.ErrForeignHost)

				var got []string
				var walkErr error
				for o, err := range c.Organizations.All(t.Context(), nil) {
					if err != nil {
						walkErr = err
						break
					}
					got = append(got, o.ID)
				}
				assert.Equal(t, []string{"0"}, got)
				require.ErrorIs(t, walkErr, readycloud.ErrForeignHost)
				assert.Equal(t, before, foreign.Total(), "nothing, and so no token, reached the foreign host")
				assert.Equal(t, 2, srv.Count(http.MethodGet, "/api/v2/orgs/"))
			})
		}
	}
}

func TestFaultsCursorCycle(t *testing.T) {
	t.Parallel()
	// A (offset 0) → B (offset 1) → C (offset 2) → B: the cursor repeats
	// two pages apart, which a check against the last page alone misses.
	// Without a count the walk follows the next links (with one, it would
	// address the pages by offset and never read these links).
	for name, cycle := range map[string]map[string]string{
		"A→B→A":   {"0": "1", "1": "0"},
		"A→B→C→B": {"0": "1", "1": "2", "2": "1"},
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			srv := countedPageServer(t, nil, func(srv *faulttest.Server, offset string) any {
				return srv.URL + "/api/v2/orgs/?limit=1&offset=" + cycle[offset]
			})
			c := faultClient(t, srv.URL+"/api/v2/")
			start := srv.URL + "/api/v2/orgs/?limit=1&offset=0"
			items, loopErrs := 0, 0
			for _, err := range c.Organizations.All(t.Context(), &readycloud.ListOptions{Cursor: start}) {
				if err != nil {
					require.ErrorIs(t, err, readycloud.ErrPaginationLoop)
					assert.True(t, strings.HasPrefix(err.Error(), "orgsdk: readycloud: pagination did not advance"), "every provider words the walk's own errors alike: %v", err)
					loopErrs++
					continue
				}
				if items++; items > 20 {
					break
				}
			}
			require.LessOrEqual(t, items, 20, "the walk must end")
			assert.Equal(t, 1, loopErrs, "the loop is reported once")
			assert.LessOrEqual(t, srv.Count(http.MethodGet, "/api/v2/orgs/"), len(cycle), "no page is fetched twice")
		})
	}
}

// hostileBody is an answer no organization can be decoded from.
type hostileBody struct {
	status      int
	contentType string
	body        []byte
	truncated   bool
}

// bodyCap is the client's WithMaxBodyBytes in the hostile-body tests; the
// 1M-deep object body (5 MiB) fits under it.
const bodyCap = 6 << 20

// hostileBodies are the answers a broken or hostile server can send.
func hostileBodies() map[string]hostileBody {
	const deep = 1 << 20
	return map[string]hostileBody{
		"truncated":         {200, "application/json", []byte(`{"url":"/api/v2/orgs/1/","name":"Test Com`), true},
		"html":              {200, "text/html; charset=utf-8", []byte("<!doctype html><html><body><h1>Maintenance</h1></body></html>"), false},
		"html as json":      {200, "application/json", []byte("<html><body>Bad gateway</body></html>"), false},
		"empty":             {200, "application/json", nil, false},
		"over the cap":      {200, "application/json", append(append([]byte(`{"name":"`), bytes.Repeat([]byte("x"), bodyCap+bodyCap/2)...), `"}`...), false},
		"nested 1M deep":    {200, "application/json", bytes.Repeat([]byte(`{"a":`), deep), false},
		"arrays 1M deep":    {200, "application/json", bytes.Repeat([]byte(`[`), deep), false},
		"wrong shape":       {200, "application/json", []byte(`{"url":5,"results":"x"}`), false},
		"detail, no page":   {200, "application/json", []byte(`{"detail":"Maintenance"}`), false},
		"null":              {200, "application/json", []byte(`null`), false},
		"not utf-8 value":   {200, "application/json", []byte("{\"url\":\"/api/v2/orgs/1/\",\"name\":\"\xff\xfe\"}"), false},
		"error nested deep": {400, "application/json", bytes.Repeat([]byte(`{"name":`), deep), false},
		"error truncated":   {400, "application/json", []byte(`{"name":["This fie`), true},
	}
}

func TestFaultsHostileBodies(t *testing.T) {
	// Not parallel: each case measures what the process allocated.
	for name, hb := range hostileBodies() {
		calls := []string{"Get", "List", "Update"}
		if len(hb.body) > 2<<20 {
			// Update decodes like Get; the big bodies run once per decoder.
			calls = calls[:2]
		}
		for _, call := range calls {
			t.Run(name+"/"+call, func(t *testing.T) {
				srv := newFaultServer(t, func(rw http.ResponseWriter, _ *http.Request, _ []byte) bool {
					rw.Header().Set("Content-Type", hb.contentType)
					if hb.truncated {
						rw.Header().Set("Content-Length", fmt.Sprint(len(hb.body)+100))
					}
					rw.WriteHeader(hb.status)
					_, _ = rw.Write(hb.body)
					return true
				})
				c := faultClient(t, srv.URL+"/api/v2/", readycloud.WithMaxBodyBytes(bodyCap))
				var ms runtime.MemStats
				runtime.ReadMemStats(&ms)
				before := ms.TotalAlloc
				var err error
				switch call {
				case "Get":
					_, _, err = c.Organizations.Get(t.Context(), "1")
				case "List":
					_, _, err = c.Organizations.List(t.Context(), nil)
				case "Update":
					_, _, err = c.Organizations.Update(t.Context(), "1", &readycloud.OrganizationInput{Name: "x"})
				}
				runtime.ReadMemStats(&ms)
				switch {
				case name == "not utf-8 value" && call != "List":
					// encoding/json replaces invalid UTF-8 with U+FFFD: not
					// an error, and nothing a caller can be hurt by. A page
					// must have its results, though, and an organization its
					// url ("detail, no page" has none, so it is no
					// organization either).
					require.NoError(t, err)
				case hb.status != 200:
					var apiErr *readycloud.APIError
					require.ErrorAs(t, err, &apiErr, "a bad error body is still the server's error")
					assert.Equal(t, hb.status, apiErr.StatusCode)
					assert.LessOrEqual(t, len(apiErr.Body), 4096, "the error keeps a bounded copy of the body")
				default:
					var decErr *readycloud.DecodeError
					require.ErrorAs(t, err, &decErr, "a bad 200 body is a DecodeError")
					assert.LessOrEqual(t, len(err.Error()), 1024, "the error quotes a bounded snippet")
				}
				switch name {
				case "over the cap":
					assert.ErrorIs(t, err, readycloud.ErrBodyTooLarge)
				case "truncated":
					assert.ErrorIs(t, err, readycloud.ErrTruncatedBody)
				case "html":
					assert.ErrorIs(t, err, readycloud.ErrUnexpectedContentType)
				}
				assert.Equal(t, 1, srv.Total(), "a bad answer is not retried")
				// A hostile body costs memory in proportion to its size, never
				// in proportion to its depth (1M levels held as parser state
				// would be hundreds of MiB).
				used, size := ms.TotalAlloc-before, uint64(min(len(hb.body), bodyCap))
				require.Less(t, used, 16*size+(8<<20), "allocated %d bytes for a %d-byte body", used, size)
				// Reading it costs about twice its size; anything beyond that
				// is the error snippet redacting the whole body first.
				assert.LessOrEqual(t, used, 6*size+(4<<20), "allocated %d bytes for a %d-byte body", used, size)
			})
		}
	}
}

// secretToken has every character that escapes differently in a URL, a
// path and JSON.
const secretToken = "s3cr3t/T0ken+x=y&z<w>%25~!"

// secretForms are the spellings of secretToken a server may echo back.
func secretForms() map[string]string { return faulttest.SecretForms(secretToken) }

// echo is a body that repeats the token in every form.
func echo(prefix string) string { return faulttest.Echo(secretToken, prefix) }

func TestFaultsSecretAudit(t *testing.T) {
	t.Parallel()
	type scenario struct {
		name   string
		status int
		ct     string
		body   func(r *http.Request) string
		call   func(ctx context.Context, c *readycloud.Client) (*readycloud.Response, error)
	}
	get := func(ctx context.Context, c *readycloud.Client) (*readycloud.Response, error) {
		_, resp, err := c.Organizations.Get(ctx, "1")
		return resp, err
	}
	update := func(ctx context.Context, c *readycloud.Client) (*readycloud.Response, error) {
		_, resp, err := c.Organizations.Update(ctx, "1", &readycloud.OrganizationInput{Name: "x"})
		return resp, err
	}
	list := func(ctx context.Context, c *readycloud.Client) (*readycloud.Response, error) {
		l, resp, err := c.Organizations.List(ctx, nil)
		if l != nil {
			for _, f := range secretForms() {
				if strings.Contains(l.Next, f) || strings.Contains(l.Previous, f) {
					return resp, fmt.Errorf("page link holds the token: %q", l.Next+" "+l.Previous)
				}
			}
		}
		return resp, err
	}
	jsonDetail := func(r *http.Request) string {
		b, _ := json.Marshal(map[string]string{"detail": echo("Invalid token.")})
		return string(b)
	}
	scenarios := []scenario{
		{"401 json detail", 401, "application/json", jsonDetail, get},
		{"400 field errors on a write", 400, "application/json", func(*http.Request) string {
			b, _ := json.Marshal(map[string][]string{"name": {echo("bad")}})
			return string(b)
		}, update},
		{"500 html page", 500, "text/html", func(*http.Request) string { return "<html><body><pre>" + echo("Traceback") + "</pre></body></html>" }, update},
		{"403 text", 403, "text/plain", func(*http.Request) string { return echo("forbidden") }, get},
		{"200 garbage", 200, "application/json", func(*http.Request) string { return "{" + echo("oops") }, get},
		{"200 html", 200, "text/html", func(*http.Request) string { return echo("<html>") }, get},
		{"secret straddles the 4 KiB cut", 400, "application/json", func(*http.Request) string {
			return `{"detail":"` + strings.Repeat("p", 4096-len(`{"detail":"`)-8) + secretToken + `"}`
		}, get},
		{"next link echoes the token", 200, "application/json", func(r *http.Request) string {
			next := "http://" + r.Host + "/api/v2/orgs/?bearer_token=" + url.QueryEscape(secretToken) + "&limit=1&offset=1&access_token=" + url.QueryEscape(secretToken)
			b, _ := json.Marshal(map[string]any{"count": 2, "next": next, "previous": next, "results": []any{}})
			return string(b)
		}, list},
		{"dropped connection", 0, "", nil, update},
	}
	for _, sc := range scenarios {
		for _, query := range []bool{false, true} {
			t.Run(fmt.Sprintf("%s/queryToken=%v", sc.name, query), func(t *testing.T) {
				t.Parallel()
				srv := newFaultServer(t, func(rw http.ResponseWriter, r *http.Request, _ []byte) bool {
					if sc.body == nil {
						conn, _, err := rw.(http.Hijacker).Hijack()
						if err == nil {
							conn.Close()
						}
						return true
					}
					rw.Header().Set("Content-Type", sc.ct)
					rw.Header().Set("X-Echo-Authorization", r.Header.Get("Authorization"))
					rw.WriteHeader(sc.status)
					_, _ = io.WriteString(rw, sc.body(r))
					return true
				})
				var logs faulttest.LogBuffer
				opts := []readycloud.Option{
					readycloud.WithBaseURL(srv.URL + "/api/v2/"),
					readycloud.WithRetryWait(time.Millisecond, 5*time.Millisecond),
					readycloud.WithMaxRetries(1),
					readycloud.WithLogger(slog.New(slog.NewJSONHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))),
				}
				if query {
					opts = append(opts, readycloud.WithQueryToken())
				}
				c, err := readycloud.NewClient(secretToken, opts...)
				require.NoError(t, err)
				resp, callErr := sc.call(t.Context(), c)
				if sc.status != 200 || sc.name == "200 garbage" || sc.name == "200 html" || sc.body == nil {
					require.Error(t, callErr)
				}

				var places []string
				if callErr != nil {
					places = append(places, "error: "+callErr.Error())
					if apiErr, ok := asAPIError(callErr); ok {
						places = append(places, "APIError.Body: "+string(apiErr.Body), "APIError.Message: "+apiErr.Message)
						for _, d := range apiErr.Details {
							places = append(places, "APIError.Details: "+d.Message)
						}
					}
				}
				require.NotEmpty(t, logs.String(), "the audit reads real log lines")
				places = append(places, "logs: "+logs.String())
				if resp != nil {
					places = append(places, "NextCursor: "+resp.NextCursor)
					if resp.Request != nil {
						places = append(places, "Response.Request.URL: "+resp.Request.URL.String())
						for k, v := range resp.Request.Header {
							places = append(places, "Response.Request.Header: "+k+": "+strings.Join(v, ","))
						}
						assert.Nil(t, resp.Request.GetBody, "a returned request carries no body")
					}
				}
				for _, place := range places {
					for form, secret := range secretForms() {
						assert.NotContains(t, place, secret, "%s form of the token in %.200s", form, place)
					}
				}
				if sc.name == "secret straddles the 4 KiB cut" {
					// The token's first 8 bytes must not survive either.
					for _, place := range places {
						assert.NotContains(t, place, secretToken[:8], "a prefix of the token survived the 4 KiB cut")
					}
				}
				srv.AssertNoWriteTwice(t)
			})
		}
	}
}

func asAPIError(err error) (*readycloud.APIError, bool) {
	var apiErr *readycloud.APIError
	ok := errors.As(err, &apiErr)
	return apiErr, ok
}

// TestFaultsSecretAuditRecordings records exchanges in which the server
// echoes the token in every form, as `examples/orgs -record` would, and
// greps every file written.
func TestFaultsSecretAuditRecordings(t *testing.T) {
	t.Parallel()
	tokens := map[string]string{
		"base64-like token":    "Zm9v+YmFy/T0k3n==",
		"token with %XX in it": secretToken,
	}
	for name, token := range tokens {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			srv := newFaultServer(t, func(rw http.ResponseWriter, r *http.Request, _ []byte) bool {
				rw.Header().Set("Content-Type", "application/json")
				if r.URL.Path == "/api/v2/orgs/" {
					prev := "http://" + r.Host + "/api/v2/orgs/?bearer_token=" + url.QueryEscape(token) + "&offset=1"
					b, _ := json.Marshal(map[string]any{"count": 1, "next": nil, "previous": prev, "results": []any{}})
					_, _ = rw.Write(b)
					return true
				}
				b, _ := json.Marshal(map[string]string{"detail": faulttest.Echo(token, "Invalid token.")})
				rw.WriteHeader(http.StatusUnauthorized)
				_, _ = rw.Write(b)
				return true
			})
			dir := t.TempDir()
			secrets := &transport.Secrets{}
			secrets.Add(token) // what a program using the recorder registers
			for _, query := range []bool{false, true} {
				opts := []readycloud.Option{
					readycloud.WithBaseURL(srv.URL + "/api/v2/"),
					readycloud.WithMaxRetries(0),
					readycloud.WithHTTPClient(&http.Client{Transport: &recording.Recorder{Dir: dir, Secrets: secrets, Prefix: fmt.Sprint(query)}}),
				}
				if query {
					opts = append(opts, readycloud.WithQueryToken())
				}
				c, err := readycloud.NewClient(token, opts...)
				require.NoError(t, err)
				_, _, err = c.Organizations.List(t.Context(), nil)
				require.NoError(t, err)
				_, _, err = c.Organizations.Update(t.Context(), "1", &readycloud.OrganizationInput{Name: "x"})
				require.ErrorIs(t, err, readycloud.ErrUnauthorized)
			}
			files, err := filepath.Glob(filepath.Join(dir, "*.json"))
			require.NoError(t, err)
			require.Len(t, files, 4)
			var leaks []string
			for _, f := range files {
				data, err := os.ReadFile(f)
				require.NoError(t, err)
				for form, secret := range faulttest.SecretForms(token) {
					if bytes.Contains(data, []byte(secret)) {
						leaks = append(leaks, fmt.Sprintf("%s form in %s", form, filepath.Base(f)))
					}
				}
			}
			assert.Empty(t, leaks)
		})
	}
}
