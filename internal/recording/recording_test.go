package recording

import (
	"encoding/base64"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/orgsdk/orgsdk/internal/transport"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/orgsdk/orgsdk/internal/faulttest"
)

const secret = "tok-9f8e7d6c5b4a"

func TestRecordScrubAndReplay(t *testing.T) {
	t.Parallel()
	var live *httptest.Server
	live = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Link", `<`+live.URL+`/v1/orgs?page=2&bearer_token=`+secret+`>; rel="next"`)
		w.Header().Set("Set-Cookie", "session="+secret)
		w.Header().Set("X-Pagination-Total-Entries", "3")
		switch r.URL.Path {
		case "/v1/login":
			_, _ = io.WriteString(w, `{"token":"QSDK `+secret+`","userName":"admin"}`)
		default:
			_, _ = io.WriteString(w, `{"next":"`+live.URL+`/v1/orgs?offset=2&bearer_token=`+secret+`","results":[{"name":"Test Company"}]}`)
		}
	}))
	t.Cleanup(live.Close)

	dir := t.TempDir()
	secrets := &transport.Secrets{}
	secrets.Add(secret)
	rec := &Recorder{Dir: dir, Secrets: secrets, Prefix: "test"}
	hc := &http.Client{Transport: rec}

	req, err := http.NewRequest(http.MethodPost, live.URL+"/v1/login", strings.NewReader(`{"username":"admin","password":"`+secret+`"}`))
	require.NoError(t, err)
	req.Header.Set("Authorization", "Bearer "+secret)
	resp, err := hc.Do(req)
	require.NoError(t, err)
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	assert.Contains(t, string(body), secret, "the caller still gets the real body")

	resp, err = hc.Get(live.URL + "/v1/orgs?limit=1&bearer_token=" + secret)
	require.NoError(t, err)
	resp.Body.Close()

	files, err := filepath.Glob(filepath.Join(dir, "*.json"))
	require.NoError(t, err)
	require.Len(t, files, 2)
	for _, f := range files {
		data, err := os.ReadFile(f)
		require.NoError(t, err)
		assert.NotContains(t, string(data), secret, f)
		assert.NotContains(t, string(data), live.URL, "origin replaced by the placeholder")
		assert.NotContains(t, string(data), "Set-Cookie")
		assert.True(t, strings.HasPrefix(filepath.Base(f), "test-00"))
	}

	exs, err := LoadDir(dir)
	require.NoError(t, err)
	require.Len(t, exs, 2)
	assert.Equal(t, http.MethodPost, exs[0].Request.Method)
	assert.Equal(t, Origin+"/v1/orgs?limit=1&bearer_token=REDACTED", exs[1].Request.URL)
	assert.Equal(t, "3", exs[1].Response.Header.Get("X-Pagination-Total-Entries"))

	replay := NewServer(exs...)
	t.Cleanup(replay.Close)
	resp, err = faulttest.RawClient(t).Get(replay.URL + "/v1/orgs?limit=1")
	require.NoError(t, err)
	body, _ = io.ReadAll(resp.Body)
	resp.Body.Close()
	assert.Equal(t, http.StatusOK, resp.StatusCode)
	assert.Contains(t, string(body), replay.URL+"/v1/orgs?offset=2", "the placeholder becomes the replay server's origin")
	assert.Contains(t, resp.Header.Get("Link"), replay.URL)
	assert.Equal(t, 1, replay.Hits())

	resp, err = faulttest.RawClient(t).Get(replay.URL + "/v1/orgs?limit=1")
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, http.StatusNotFound, resp.StatusCode, "each exchange answers once")
}

func TestServerMatching(t *testing.T) {
	t.Parallel()
	mk := func(method, u string, status int, body string) *Exchange {
		ex := &Exchange{Request: Request{Method: method, URL: u}, Response: Response{Status: status}}
		ex.Response.SetBody([]byte(body))
		return ex
	}
	srv := NewServer(
		mk("GET", "/a?page=1", 200, `{"p":1}`),
		mk("GET", "/a?page=2", 200, `{"p":2}`),
		mk("PATCH", "/a", 200, `{"patched":true}`),
		mk("GET", "/text", 200, "User logged out"),
	)
	t.Cleanup(srv.Close)
	get := func(method, path string) (int, string) {
		req, err := http.NewRequest(method, srv.URL+path, nil)
		require.NoError(t, err)
		resp, err := faulttest.RawClient(t).Do(req)
		require.NoError(t, err)
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	status, body := get("GET", "/a?page=2&access_token=x")
	assert.Equal(t, 200, status)
	assert.JSONEq(t, `{"p":2}`, body, "exact query match first, secret params ignored")
	_, body = get("GET", "/a?page=9")
	assert.JSONEq(t, `{"p":1}`, body, "then method and path")
	_, body = get("PATCH", "/a")
	assert.JSONEq(t, `{"patched":true}`, body)
	_, body = get("GET", "/text")
	assert.Equal(t, "User logged out", body)
	status, _ = get("DELETE", "/a")
	assert.Equal(t, 404, status)
}

func TestLoadRejectsIncompleteFiles(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	p := filepath.Join(dir, "x.json")
	require.NoError(t, os.WriteFile(p, []byte(`{"request":{"method":"GET"}}`), 0o644))
	_, err := Load(p)
	require.ErrorContains(t, err, "required")
	require.NoError(t, os.WriteFile(p, []byte(`{`), 0o644))
	_, err = Load(p)
	require.Error(t, err)
	_, err = LoadDir(dir)
	require.Error(t, err)
}

func TestBodyKinds(t *testing.T) {
	t.Parallel()
	var r Response
	r.SetBody([]byte(`{"a": 1}`))
	assert.NotEmpty(t, r.JSON)
	assert.Empty(t, r.Text)
	r.SetBody([]byte(`<App_GenericResp errorCode="0"/>`))
	assert.Empty(t, r.JSON)
	assert.Equal(t, `<App_GenericResp errorCode="0"/>`, string(r.Body()))
	r.SetBody([]byte(`"just a string"`))
	assert.Equal(t, `"just a string"`, r.Text, "only objects and arrays are stored as JSON")
}

func TestFileName(t *testing.T) {
	t.Parallel()
	assert.Equal(t, "007-get-api_v2_orgs.json", FileName(7, "GET", "/api/v2/orgs/"))
	assert.Equal(t, "001-post-Login.json", FileName(1, "POST", "/Login?x=1"))
}

func TestLoadDirSkipsGoldenFiles(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	ex := &Exchange{Request: Request{Method: "GET", URL: "/x"}, Response: Response{Status: 200}}
	require.NoError(t, Write(filepath.Join(dir, "001-get-x.json"), ex))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "001-get-x.golden.json"), []byte(`{"name":"x"}`), 0o644))
	exs, err := LoadDir(dir)
	require.NoError(t, err)
	assert.Len(t, exs, 1)
}

// Issue 11.10: a recording kept the base64 password a server echoed
// (JSON-escaped) and any session token only the client knew. The recorder
// now uses the shared scrubber for its own list and the client's Redact
// for the rest.
func TestRecorderScrubsEveryFormAndTheClientsSecrets(t *testing.T) {
	t.Parallel()
	const password = "pa/ss+word?"
	const sessionToken = "QSDK 3f1a9bc07e-session"
	b64 := base64.StdEncoding.EncodeToString([]byte(password))
	echo := `{"user":{"password":"` + strings.ReplaceAll(b64, "/", `\/`) + `"},"note":"` + strings.ReplaceAll(b64, "+", `\u002b`) + `","token":"x","msg":"session ` + sessionToken + ` ok"}`
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(echo))
	}))
	t.Cleanup(srv.Close)

	list := &transport.Secrets{}
	list.Add(password)
	clientList := &transport.Secrets{}
	clientList.AddSession(sessionToken)
	dir := t.TempDir()
	rec := &Recorder{Dir: dir, Secrets: list, Redact: clientList.Scrub}
	resp, err := (&http.Client{Transport: rec}).Get(srv.URL + "/x")
	require.NoError(t, err)
	resp.Body.Close()
	files, err := filepath.Glob(filepath.Join(dir, "*.json"))
	require.NoError(t, err)
	require.Len(t, files, 1)
	data, err := os.ReadFile(files[0])
	require.NoError(t, err)
	text := string(data)
	for _, form := range []string{password, b64, strings.ReplaceAll(b64, "/", `\/`), "3f1a9bc07e-session"} {
		assert.NotContains(t, text, form)
	}
	assert.Contains(t, text, transport.Redacted)
}

// TestDeviceIDIsFixed (issue 20.8): a Commvault client makes up a random
// deviceId per run; the recording holds a fixed one, in JSON and XML
// request bodies, so two recordings of the same calls are the same bytes.
func TestDeviceIDIsFixed(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ in, want string }{
		{`{"username":"a","deviceId":"137fca75caececf7a1bc637ed8744cc1","timeout":30}`, `"deviceId": "` + DeviceID + `"`},
		{`{"sessionId":"REDACTED","deviceId" : "x\"y"}`, `"deviceId": "` + DeviceID + `"`},
		{`<DM2ContentIndexing_CheckCredentialReq username="a" deviceId="355779f8"/>`, `deviceId="` + DeviceID + `"`},
		{`<R deviceId='abc'/>`, `deviceId='` + DeviceID + `'`},
	} {
		ex := &Exchange{}
		ex.Request.Method, ex.Request.URL = http.MethodPost, Origin+"/api/Login"
		ex.Request.SetBody([]byte(tc.in))
		ex.Response.Status = 200
		got := string(Scrub(ex, nil, "").Request.Body())
		assert.Contains(t, got, tc.want, tc.in)
		assert.NotContains(t, got, "137fca75")
	}
}
