package transport

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"net/url"
	"runtime"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestRedactURL(t *testing.T) {
	t.Parallel()
	tests := []struct{ in, want string }{
		{"https://h/api/?bearer_token=abc&limit=2", "https://h/api/?bearer_token=REDACTED&limit=2"},
		{"https://h/?ACCESS_TOKEN=abc", "https://h/?ACCESS_TOKEN=REDACTED"},
		{"https://h/?Token=abc&password=p&api_key=k&client_secret=c", "https://h/?Token=REDACTED&password=REDACTED&api_key=REDACTED&client_secret=REDACTED"},
		{"https://user:pw@h/x?a=1", "https://h/x?a=1"},
		{"https://h/x?fields=id,name&bearer_token=", "https://h/x?fields=id,name&bearer_token=REDACTED"},
		{"https://h/x?bearer%5Ftoken=abc", "https://h/x?bearer%5Ftoken=REDACTED"},
		{"/api/v2/orgs/?bearer_token=abc&offset=2", "/api/v2/orgs/?bearer_token=REDACTED&offset=2"},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, RedactURLString(tt.in), tt.in)
	}
}

func TestRedactHeader(t *testing.T) {
	t.Parallel()
	h := http.Header{}
	for _, k := range []string{"Authorization", "Authtoken", "Cookie", "X-Api-Key"} {
		h.Set(k, testSecret)
	}
	h.Set("Accept", "application/json")
	got := RedactHeader(h)
	for _, k := range []string{"Authorization", "Authtoken", "Cookie", "X-Api-Key"} {
		assert.Equal(t, Redacted, got.Get(k), k)
	}
	assert.Equal(t, "application/json", got.Get("Accept"))
	assert.Equal(t, testSecret, h.Get("Authorization"), "input not modified")
}

func TestRedactText(t *testing.T) {
	t.Parallel()
	tests := []string{
		`{"token":"QSDK ` + testSecret + `","userName":"admin"}`,
		`{"password": "` + testSecret + `"}`,
		`<DM2ContentIndexing_CheckCredentialReq username="admin" password="` + testSecret + `"/>`,
		`next: https://h/api/v2/orgs/?bearer_token=` + testSecret + `&offset=2`,
		`Authorization: Bearer ` + testSecret,
		`Authtoken: QSDK ` + testSecret,
		`{"sessionId":"` + testSecret + `"}`,
	}
	for _, in := range tests {
		out := RedactText(in)
		assert.NotContains(t, out, testSecret, in)
		assert.Contains(t, out, Redacted, in)
	}
	assert.Equal(t, `{"name":"Widget"}`, RedactText(`{"name":"Widget"}`))
}

func TestSecretsScrub(t *testing.T) {
	t.Parallel()
	var s Secrets
	s.Add("", "ab", "p@ss word+1")
	assert.Equal(t, "x REDACTED y REDACTED", s.Scrub("x p@ss word+1 y "+url.QueryEscape("p@ss word+1")))
	assert.Equal(t, "ab", s.Scrub("ab"), "too-short values are not scrubbed")
	var nilSecrets *Secrets
	nilSecrets.Add("ignored")
	assert.Equal(t, "text", nilSecrets.Scrub("text"))
}

// Issue 11.2: after many session renewals the password the client was built
// with was evicted from a 256-entry list and leaked verbatim.
func TestSecretsKeepCredentialsThroughRenewals(t *testing.T) {
	t.Parallel()
	var s Secrets
	s.Add("hunter2-password")
	for i := 0; i < 1000; i++ {
		s.AddSession("session-token-" + strconv.Itoa(i))
	}
	assert.Equal(t, "login failed for REDACTED", s.Scrub("login failed for hunter2-password"))
	assert.Equal(t, "REDACTED", s.Scrub("session-token-999"), "the newest session token is scrubbed")
	assert.LessOrEqual(t, s.Len(), 1+maxSessionSecrets, "session tokens are bounded")
	assert.Equal(t, "session-token-1", s.Scrub("session-token-1"), "expired session tokens give way")
}

// Issue 11.3: a secret echoed in an escaped form survived scrubbing.
func TestSecretsScrubEveryForm(t *testing.T) {
	t.Parallel()
	plain := "p/ss+wörd \"q\""
	var s Secrets
	s.Add(plain)
	jsonEsc, err := json.Marshal(plain)
	require.NoError(t, err)
	forms := map[string]string{
		"literal":        plain,
		"query-escaped":  url.QueryEscape(plain),
		"path-escaped":   url.PathEscape(plain),
		"json":           string(jsonEsc[1 : len(jsonEsc)-1]),
		"json slash":     strings.ReplaceAll(string(jsonEsc[1:len(jsonEsc)-1]), "/", `\/`),
		"json u-escapes": `p\u002fss\u002Bw\u00f6rd\u0020\u0022q\u0022`,
		"lower-case hex": strings.ToLower(url.QueryEscape(plain)),
		"base64":         base64.StdEncoding.EncodeToString([]byte(plain)),
		"base64 raw url": base64.RawURLEncoding.EncodeToString([]byte(plain)),
		"base64 escaped": url.QueryEscape(base64.StdEncoding.EncodeToString([]byte(plain))),
		"base64 json /":  strings.ReplaceAll(base64.StdEncoding.EncodeToString([]byte(plain)), "/", `\/`),
	}
	for name, form := range forms {
		t.Run(name, func(t *testing.T) {
			out := s.Scrub(`{"error":"bad password ` + form + `"}`)
			assert.Equal(t, `{"error":"bad password REDACTED"}`, out)
		})
	}
}

// A secret that holds %XX itself is found even JSON-escaped (the decoded
// view undoes its own escapes as well).
func TestSecretsScrubSecretWithPercentEscape(t *testing.T) {
	t.Parallel()
	const token = "ab%2Fcd/ef+gh"
	var s Secrets
	s.Add(token)
	for _, form := range []string{token, `ab%2Fcd\/ef\u002bgh`, url.QueryEscape(token), `ab\u00252Fcd/ef+gh`} {
		assert.Equal(t, "x REDACTED y", s.Scrub("x "+form+" y"), form)
	}
}

// Issue 11.3 and 11.8: the 4 KiB copy is cut after redaction (no prefix of
// a secret survives the cut), and redaction reads a bounded window, not the
// whole body.
func TestRedactedPrefix(t *testing.T) {
	// Not parallel: AllocsPerRun.
	const secret = "0123456789abcdef-secret-value"
	var s Secrets
	s.Add(secret)
	for cut := 1; cut < len(secret); cut++ {
		body := []byte(strings.Repeat("x", 100-cut) + secret + strings.Repeat("y", 50))
		out := s.RedactedPrefix(body, 100)
		assert.LessOrEqual(t, len(out), 100)
		assert.NotContains(t, out, secret[:cut], "cut %d", cut)
	}
	// A JSON secret field whose value runs past the window is still redacted.
	body := []byte(`{"password":"` + strings.Repeat("s", 8000))
	out := s.RedactedPrefix(body, 4096)
	assert.NotContains(t, out, "ssss")
	// A 40 MiB body: only the window is scrubbed.
	huge := bytes.Repeat([]byte("&token=abc "), 4<<20)
	// Bytes, not allocation counts: regexp's machine cache is a sync.Pool,
	// which the race detector empties at random.
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	_ = s.RedactedPrefix(huge, 4096)
	runtime.ReadMemStats(&after)
	assert.Less(t, after.TotalAlloc-before.TotalAlloc, uint64(4<<20), "work is bounded by the window, not the 40 MiB body")
	assert.NotContains(t, s.RedactedPrefix(huge, 4096), "abc")
}

func TestRedactErrorRewritesURLError(t *testing.T) {
	t.Parallel()
	err := RedactError(&url.Error{Op: "Get", URL: "https://h/?access_token=" + testSecret, Err: context.Canceled})
	assert.NotContains(t, err.Error(), testSecret)
	assert.ErrorIs(t, err, context.Canceled)
}

// TestNoSecretInLogsOrErrors drives every path that logs or builds an error
// with a secret in the header, the query and a next link, and checks the
// captured Debug log and the error strings.
func TestNoSecretInLogsOrErrors(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t, func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/api/v1/retry":
			w.WriteHeader(http.StatusServiceUnavailable)
		case "/api/v1/fail":
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusBadRequest)
			_, _ = w.Write([]byte(`{"detail":"bad", "echo":"https://h/?bearer_token=` + testSecret + `", "token":"` + testSecret + `"}`))
		case "/api/v1/html":
			w.Header().Set("Content-Type", "text/html")
			_, _ = w.Write([]byte(`<html>` + testSecret + `</html>`))
		default:
			w.Header().Set("Content-Type", "application/json")
			_, _ = w.Write([]byte(`{}`))
		}
	})
	logger, logs := debugLogger()
	secrets := &Secrets{}
	secrets.Add(testSecret)
	c := newTestClient(t, ts.URL+"/api/v1/", withAuth(func(r *http.Request) { bearerAuth(r); queryAuth(r) }), func(cfg *Config) {
		cfg.Settings.Logger = logger
		cfg.Secrets = secrets
	})
	var errs []error
	do := func(r *Request, dec Decoder) {
		_, err := c.Do(t.Context(), r, dec)
		errs = append(errs, err)
	}
	do(&Request{Method: http.MethodGet, Path: []string{"ok"}}, nil)
	do(&Request{Method: http.MethodGet, Path: []string{"retry"}}, nil)
	do(&Request{Method: http.MethodGet, Path: []string{"fail"}}, nil)
	do(&Request{Method: http.MethodGet, Path: []string{"html"}}, func(*http.Response, []byte) error { return nil })
	do(&Request{Method: http.MethodGet, URL: "ok?access_token=" + testSecret}, nil)
	do(&Request{Method: http.MethodGet, URL: "https://elsewhere.example/?bearer_token=" + testSecret}, nil)

	refused := newTestClient(t, "http://"+closedAddr(t)+"/api/v1/", withAuth(queryAuth), func(cfg *Config) {
		cfg.Settings.Logger = logger
		cfg.Secrets = secrets
		cfg.Settings.MaxRetries = 1
	})
	_, err := refused.Do(t.Context(), &Request{Method: http.MethodGet, Path: []string{"x"}, Values: url.Values{"password": {testSecret}}}, nil)
	errs = append(errs, err)

	out := logs.String()
	assert.Contains(t, out, `"msg":"orgsdk: http attempt"`)
	assert.Contains(t, out, `"msg":"orgsdk: retrying request"`)
	assert.NotContains(t, out, testSecret)
	nonNil := 0
	for _, err := range errs {
		if err == nil {
			continue
		}
		nonNil++
		assert.NotContains(t, err.Error(), testSecret)
		var apiErr *APIError
		if errAs(err, &apiErr) {
			assert.NotContains(t, string(apiErr.Body), testSecret)
			assert.NotContains(t, apiErr.URL, testSecret)
		}
	}
	assert.Equal(t, 5, nonNil)
}

func errAs(err error, target **APIError) bool {
	e, ok := err.(*APIError)
	if ok {
		*target = e
	}
	return ok
}

func TestLogLines(t *testing.T) {
	t.Parallel()
	n := 0
	ts := newTestServer(t, func(w http.ResponseWriter, r *http.Request) {
		n++
		if n == 1 {
			w.WriteHeader(http.StatusServiceUnavailable)
		}
	})
	logger, logs := debugLogger()
	c := newTestClient(t, ts.URL+"/api/v1/", func(cfg *Config) { cfg.Settings.Logger = logger })
	_, err := c.Do(t.Context(), &Request{Method: http.MethodGet, Path: []string{"orgs"}}, nil)
	require.NoError(t, err)
	lines := strings.Split(strings.TrimSpace(logs.String()), "\n")
	require.Len(t, lines, 3)
	assert.Contains(t, lines[0], `"level":"DEBUG"`)
	assert.Contains(t, lines[0], `"status":503`)
	assert.Contains(t, lines[0], `"path":"/api/v1/orgs"`)
	assert.Contains(t, lines[0], `"attempt":1`)
	assert.Contains(t, lines[0], `"duration"`)
	assert.Contains(t, lines[1], `"level":"WARN"`)
	assert.Contains(t, lines[1], `"reason":"503 Service Unavailable"`)
	assert.Contains(t, lines[1], `"wait"`)
	assert.Contains(t, lines[2], `"status":200`)
	assert.Contains(t, lines[2], `"attempt":2`)
}

func TestResponseRequestHoldsNoCredential(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t, func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/api/v1/old" {
			http.Redirect(w, r, "/api/v1/new", http.StatusFound)
			return
		}
	})
	c := newTestClient(t, ts.URL+"/api/v1/", withAuth(func(r *http.Request) {
		bearerAuth(r)
		queryAuth(r)
		r.Header.Set("Authtoken", "QSDK "+testSecret)
	}))
	resp, err := c.Do(t.Context(), &Request{Method: http.MethodGet, Path: []string{"old"}}, nil)
	require.NoError(t, err)
	for r := resp.Request; r != nil; {
		assert.NotContains(t, r.URL.String(), testSecret)
		for k, v := range r.Header {
			assert.NotContains(t, strings.Join(v, " "), testSecret, k)
		}
		if r.Response == nil {
			break
		}
		r = r.Response.Request
	}
	assert.Equal(t, "/api/v1/new", resp.Request.URL.Path)
	assert.NotNil(t, resp.Request.Response, "the redirect chain is kept")
}

// FuzzSecretsScrub: any text scrubs without a panic, never grows a secret,
// and a secret embedded literally is always gone.
func FuzzSecretsScrub(f *testing.F) {
	f.Add(`{"e":"p\u002fss%2Fx\/y\ud83d\ude00+%"}`)
	f.Add(`%`)
	f.Add(`\u12`)
	f.Fuzz(func(t *testing.T, text string) {
		var s Secrets
		s.Add("s3cr3t/+x")
		out := s.Scrub(text + "s3cr3t/+x" + text)
		if strings.Contains(out, "s3cr3t/+x") {
			t.Fatalf("secret survived in %q", out)
		}
	})
}
