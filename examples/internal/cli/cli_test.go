package cli

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/orgsdk/orgsdk/orgs"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// program is a minimal program built on Command, as the examples are.
func program(ctx context.Context, args []string, env Env) int {
	cmd := New("prog", "[-extra]", env, RService, Commvault)
	extra := cmd.Flags.Bool("extra", false, "a flag of the program's own")
	if code, ok := cmd.Parse(args); !ok {
		return code
	}
	if *extra && cmd.JSON {
		return cmd.UsageError("-extra and -json do not mix")
	}
	fmt.Fprintf(cmd.Stdout(), "limit=%d per-page=%d json=%v v=%v record=%q\n", cmd.Limit, cmd.PerPage, cmd.JSON, cmd.Verbose, cmd.Record)
	return ExitOK
}

func TestParse(t *testing.T) {
	t.Parallel()
	// -record's folder is created by Parse: it must not land in the
	// package's own.
	rec := filepath.Join(t.TempDir(), "d")
	notDir := filepath.Join(t.TempDir(), "file")
	require.NoError(t, os.WriteFile(notDir, nil, 0o644))
	// A folder an earlier run recorded into (issue 24.5), one per case that
	// uses it, since a replace empties it.
	used := func() string {
		dir := t.TempDir()
		require.NoError(t, os.WriteFile(filepath.Join(dir, "rservice-001-get-v1_organizations.json"), []byte("{}\n"), 0o644))
		return dir
	}
	usedRefused, usedReplaced, usedForeign := used(), used(), used()
	require.NoError(t, os.WriteFile(filepath.Join(usedForeign, "keep.txt"), nil, 0o644))
	tests := []struct {
		name       string
		args       []string
		code       int
		stdout     string
		stderrHas  []string
		errorLines map[string]int // text -> how many times stderr holds it
	}{
		{name: "defaults", code: 0, stdout: "limit=0 per-page=0 json=false v=false record=\"\"\n"},
		{name: "every shared flag", args: []string{"-limit", "5", "-per-page", "2", "-json", "-v", "-record", rec},
			code: 0, stdout: fmt.Sprintf("limit=5 per-page=2 json=true v=true record=%q\n", rec)},
		{name: "-record to a file fails before anything is sent", args: []string{"-record", notDir}, code: 2,
			errorLines: map[string]int{"prog: -record " + strconv.Quote(notDir) + ": recording: cannot create the folder": 1, "usage: prog": 1}},
		{name: "-record into a used folder is refused", args: []string{"-record", usedRefused}, code: 2,
			errorLines: map[string]int{"prog: -record " + strconv.Quote(usedRefused) + ": recording: the folder is in use: it holds 1 file of an earlier run": 1, "usage: prog": 1}},
		{name: "-record-replace replaces an earlier run", args: []string{"-record", usedReplaced, "-record-replace"}, code: 0,
			stdout: fmt.Sprintf("limit=0 per-page=0 json=false v=false record=%q\n", usedReplaced)},
		{name: "-record-replace keeps a folder with other files", args: []string{"-record", usedForeign, "-record-replace"}, code: 2,
			errorLines: map[string]int{`holds "keep.txt", which is not a recording; nothing was removed`: 1}},
		{name: "-record-replace without -record", args: []string{"-record-replace"}, code: 2,
			errorLines: map[string]int{"prog: -record-replace needs -record DIR": 1}},
		{name: "help exits 0 and lists the environment", args: []string{"-h"}, code: 0,
			stderrHas: []string{"usage: prog [flags] [-extra]", "-limit N", "-per-page N", "-prefetch N", "-json", "-v", "-record DIR", "DIR must be new or empty", "-record-replace", "-extra",
				"RSERVICE_TOKEN", "RSERVICE_ACCOUNT", "RSERVICE_BASE_URL", "COMMVAULT_BASE_URL", "COMMVAULT_USERNAME",
				"COMMVAULT_PASSWORD", "COMMVAULT_DOMAIN", "COMMVAULT_TOKEN",
				"rservice: live mode needs RSERVICE_TOKEN; and RSERVICE_ACCOUNT"}},
		{name: "unknown flag printed once", args: []string{"-nope"}, code: 2,
			errorLines: map[string]int{"flag provided but not defined: -nope": 1, "usage: prog": 1}},
		{name: "bad value printed once", args: []string{"-limit", "x"}, code: 2,
			errorLines: map[string]int{`invalid value "x" for flag -limit`: 1}},
		{name: "negative limit", args: []string{"-limit", "-1"}, code: 2,
			errorLines: map[string]int{"prog: -limit must be 0 or more, got -1": 1, "usage: prog": 1}},
		{name: "negative page size", args: []string{"-per-page", "-3"}, code: 2,
			errorLines: map[string]int{"prog: -per-page must be 0 or more, got -3": 1}},
		{name: "negative pages in flight", args: []string{"-prefetch", "-1"}, code: 2,
			errorLines: map[string]int{"prog: -prefetch must be 0 or more, got -1": 1, "usage: prog": 1}},
		{name: "extra argument", args: []string{"list"}, code: 2,
			errorLines: map[string]int{`prog: unexpected argument "list"`: 1}},
		{name: "program's own usage error", args: []string{"-extra", "-json"}, code: 2,
			errorLines: map[string]int{"prog: -extra and -json do not mix": 1, "usage: prog": 1}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			code, out, errOut := RunInProcess(t.Context(), program, nil, tt.args...)
			assert.Equal(t, tt.code, code)
			assert.Equal(t, tt.stdout, out)
			for _, s := range tt.stderrHas {
				assert.Contains(t, errOut, s)
			}
			for s, n := range tt.errorLines {
				assert.Equal(t, n, strings.Count(errOut, s), "%q in %s", s, errOut)
			}
		})
	}
}

func TestResolve(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		live    Live
		env     map[string]string
		want    bool
		errHas  []string
		errLack []string
	}{
		{name: "nothing set: fake", live: RService, want: false},
		{name: "complete", live: RService, env: map[string]string{"RSERVICE_TOKEN": "t", "RSERVICE_ACCOUNT": "a"}, want: true},
		{name: "token without account", live: RService, env: map[string]string{"RSERVICE_TOKEN": "t"},
			errHas: []string{"RSERVICE_TOKEN is set", "RSERVICE_ACCOUNT missing"}},
		{name: "base URL alone", live: RService, env: map[string]string{"RSERVICE_BASE_URL": "https://x/v1/"},
			errHas: []string{"RSERVICE_BASE_URL is set", "RSERVICE_TOKEN; and RSERVICE_ACCOUNT missing"}},
		{name: "readycloud base URL without token", live: ReadyCloud, env: map[string]string{"READYCLOUD_BASE_URL": "https://x/"},
			errHas: []string{"READYCLOUD_TOKEN missing"}},
		{name: "readycloud token", live: ReadyCloud, env: map[string]string{"READYCLOUD_TOKEN": "t"}, want: true},
		{name: "mpdx base URL without token", live: JSONAPI, env: map[string]string{"MPDX_BASE_URL": "https://x/"},
			errHas: []string{"MPDX_TOKEN missing"}},
		{name: "commvault credentials without base URL", live: Commvault,
			env:    map[string]string{"COMMVAULT_USERNAME": "u", "COMMVAULT_PASSWORD": "p"},
			errHas: []string{"COMMVAULT_USERNAME and COMMVAULT_PASSWORD are set", "COMMVAULT_BASE_URL missing"}},
		{name: "commvault token without base URL", live: Commvault, env: map[string]string{"COMMVAULT_TOKEN": "t"},
			errHas: []string{"COMMVAULT_BASE_URL missing"}},
		{name: "commvault base URL without credentials", live: Commvault, env: map[string]string{"COMMVAULT_BASE_URL": "https://x/"},
			errHas: []string{"COMMVAULT_USERNAME and COMMVAULT_PASSWORD, or COMMVAULT_TOKEN missing"}},
		{name: "commvault username without password", live: Commvault,
			env:    map[string]string{"COMMVAULT_BASE_URL": "https://x/", "COMMVAULT_USERNAME": "u", "COMMVAULT_TOKEN": "t"},
			errHas: []string{"COMMVAULT_USERNAME is set but COMMVAULT_PASSWORD is not"}},
		{name: "commvault login", live: Commvault, want: true,
			env: map[string]string{"COMMVAULT_BASE_URL": "https://x/", "COMMVAULT_USERNAME": "u", "COMMVAULT_PASSWORD": "p"}},
		{name: "commvault token", live: Commvault, want: true,
			env: map[string]string{"COMMVAULT_BASE_URL": "https://x/", "COMMVAULT_TOKEN": "t"}},
		{name: "values never in the message", live: Commvault, env: map[string]string{"COMMVAULT_PASSWORD": "hunter2-secret"},
			errHas: []string{"COMMVAULT_PASSWORD is set but COMMVAULT_USERNAME is not"}, errLack: []string{"hunter2-secret"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := tt.live.Resolve(func(k string) string { return tt.env[k] })
			if len(tt.errHas) > 0 {
				require.Error(t, err)
				assert.False(t, got)
				for _, s := range append(tt.errHas, "incomplete live configuration") {
					assert.Contains(t, err.Error(), s)
				}
				for _, s := range tt.errLack {
					assert.NotContains(t, err.Error(), s)
				}
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.want, got)
		})
	}
}

func TestPageSizeAndEnough(t *testing.T) {
	t.Parallel()
	tests := []struct {
		limit, perPage, max int
		want                int
		enoughAt            int // smallest n with Enough(n); 0 for never
	}{
		{0, 0, 100, 0, 0},
		{5, 0, 100, 5, 5},
		{500, 0, 100, 0, 500},
		{5, 2, 100, 2, 5},
		{0, 30, 100, 30, 0},
	}
	for _, tt := range tests {
		c := &Command{Limit: tt.limit, PerPage: tt.perPage}
		assert.Equal(t, tt.want, c.PageSize(tt.max), "%+v", tt)
		if tt.enoughAt == 0 {
			assert.False(t, c.Enough(1_000_000), "%+v", tt)
		} else {
			assert.False(t, c.Enough(tt.enoughAt-1), "%+v", tt)
			assert.True(t, c.Enough(tt.enoughAt), "%+v", tt)
		}
	}
}

func TestPrintJSONWritesOneLine(t *testing.T) {
	t.Parallel()
	var out strings.Builder
	c := New("prog", "", Env{Stdout: &out})
	missing := (*string)(nil)
	require.NoError(t, c.PrintJSON(map[string]any{"name": "A & B <x>", "country": missing}))
	assert.Equal(t, `{"country":null,"name":"A & B <x>"}`+"\n", out.String())
}

func TestAddSecretScrubsEveryForm(t *testing.T) {
	t.Parallel()
	const secret = "p@ss/w+rd=é"
	c := New("prog", "", Env{})
	_, ok := c.Parse(nil)
	require.True(t, ok)
	AddSecret(c.Secrets, secret)
	j, _ := json.Marshal(secret)
	for _, form := range []string{
		secret, url.QueryEscape(secret), url.PathEscape(secret),
		base64.StdEncoding.EncodeToString([]byte(secret)), base64.URLEncoding.EncodeToString([]byte(secret)),
		base64.RawStdEncoding.EncodeToString([]byte(secret)), strings.Trim(string(j), `"`),
		strings.ReplaceAll(secret, "/", `\/`),
	} {
		assert.NotContains(t, c.Secrets.Scrub("x "+form+" y"), form)
	}
}

func TestParseCollectsSecretsFromTheEnvironment(t *testing.T) {
	t.Parallel()
	env := map[string]string{"COMMVAULT_PASSWORD": "pw-0123456789", "RSERVICE_TOKEN": "tok-0123456789", "RSERVICE_ACCOUNT": "widget"}
	c := New("prog", "", Env{Getenv: func(k string) string { return env[k] }}, RService, Commvault)
	_, ok := c.Parse(nil)
	require.True(t, ok)
	text := c.Secrets.Scrub("pw-0123456789 " + base64.StdEncoding.EncodeToString([]byte("pw-0123456789")) + " tok-0123456789 widget")
	assert.NotContains(t, text, "0123456789")
	assert.Contains(t, text, "widget", "an account id is not a secret")
}

// pager answers every request with the page asked for, and echoes
// the request's token base64-encoded, as a careless server might.
func pager(t *testing.T) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		tok := strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer ")
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprintf(w, `{"page":%q,"echo":%q}`, r.URL.Query().Get("page"), base64.StdEncoding.EncodeToString([]byte(tok)))
	}))
	t.Cleanup(srv.Close)
	return srv
}

func get(t *testing.T, s *Session, u, token string) int {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, u, nil)
	require.NoError(t, err)
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := s.HTTPClient.Do(req)
	require.NoError(t, err)
	_, _ = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp.StatusCode
}

func TestSessionProgress(t *testing.T) {
	t.Parallel()
	srv := pager(t)
	tests := []struct {
		name     string
		args     []string
		terminal bool
		pages    int
		want     []string
		lack     []string
	}{
		{name: "quiet by default", pages: 3, lack: []string{"page", "organizations"}},
		{name: "-v: a line per page from the second", args: []string{"-v"}, pages: 3,
			want: []string{"prog: demo: page 2 fetched, 2 organizations so far\n", "prog: demo: page 3 fetched, 4 organizations so far\n",
				"prog: demo: 3 pages, 6 organizations\n"},
			lack: []string{"page 1 fetched"}},
		{name: "-v: one page is not a long walk", args: []string{"-v"}, pages: 1, lack: []string{"fetched", "pages,"}},
		{name: "terminal: a line rewritten in place", terminal: true, pages: 2,
			want: []string{"\rprog: demo: 2 pages, 2 organizations so far", "\rprog: demo: 2 pages, 4 organizations\x1b[K\n"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var errOut strings.Builder
			c := New("prog", "", Env{Stderr: &errOut, Terminal: tt.terminal})
			_, ok := c.Parse(tt.args)
			require.True(t, ok)
			s := c.Session("demo")
			for i := 1; i <= tt.pages; i++ {
				require.Equal(t, 200, get(t, s, fmt.Sprintf("%s/orgs?page=%d", srv.URL, i), "tok"))
				s.Item()
				s.Item()
			}
			s.Done()
			for _, w := range tt.want {
				assert.Contains(t, errOut.String(), w)
			}
			for _, l := range tt.lack {
				assert.NotContains(t, errOut.String(), l)
			}
		})
	}
}

func TestSessionCountPages(t *testing.T) {
	t.Parallel()
	srv := pager(t)
	var errOut strings.Builder
	c := New("prog", "", Env{Stderr: &errOut})
	_, ok := c.Parse([]string{"-v"})
	require.True(t, ok)
	s := c.Session("demo")
	s.CountPages(func(r *http.Request) bool { return r.URL.Path == "/orgs" })
	get(t, s, srv.URL+"/orgs", "tok")
	get(t, s, srv.URL+"/other", "tok")
	get(t, s, srv.URL+"/other", "tok")
	s.Done()
	assert.NotContains(t, errOut.String(), "fetched", "only /orgs counts as a page")
}

func TestSessionErrSaysHowManyAttempts(t *testing.T) {
	t.Parallel()
	srv := pager(t)
	tests := []struct {
		name     string
		requests []string
		err      error
		want     string
	}{
		{name: "nil stays nil", err: nil, want: ""},
		{name: "one attempt: unchanged", requests: []string{"/a"}, err: errors.New("boom"), want: "boom"},
		{name: "three attempts of the last request", requests: []string{"/a", "/b", "/b", "/b"}, err: errors.New("boom"),
			want: "boom (after 3 attempts)"},
		{name: "a different query is another request", requests: []string{"/a?page=1", "/a?page=2"}, err: errors.New("boom"), want: "boom"},
		{name: "already said by the SDK", requests: []string{"/a", "/a"}, err: errors.New("boom (after 2 attempts)"),
			want: "boom (after 2 attempts)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c := New("prog", "", Env{})
			_, ok := c.Parse(nil)
			require.True(t, ok)
			s := c.Session("demo")
			for _, p := range tt.requests {
				get(t, s, srv.URL+p, "tok")
			}
			got := s.Err(tt.err)
			if tt.want == "" {
				assert.NoError(t, got)
				return
			}
			assert.EqualError(t, got, tt.want)
			assert.ErrorIs(t, got, tt.err, "the cause stays reachable")
		})
	}
}

func TestSessionRecordsWithoutSecrets(t *testing.T) {
	t.Parallel()
	const token = "tok-secret-424242"
	srv := pager(t)
	dir := t.TempDir()
	c := New("prog", "", Env{Getenv: func(k string) string {
		if k == "RSERVICE_TOKEN" {
			return token
		}
		return ""
	}}, RService)
	_, ok := c.Parse([]string{"-record", dir})
	require.True(t, ok)
	s := c.Session("demo")
	get(t, s, srv.URL+"/orgs?page=1&access_token="+token, token)
	get(t, s, srv.URL+"/orgs?page=2", token)

	files, err := filepath.Glob(filepath.Join(dir, "*.json"))
	require.NoError(t, err)
	require.Len(t, files, 2)
	for _, f := range files {
		assert.True(t, strings.HasPrefix(filepath.Base(f), "demo-00"), f)
		data, err := os.ReadFile(f)
		require.NoError(t, err)
		for _, form := range []string{token, base64.StdEncoding.EncodeToString([]byte(token)), url.QueryEscape(token)} {
			assert.NotContains(t, string(data), form, f)
		}
		assert.NotContains(t, string(data), srv.URL, "the origin is a placeholder")
		assert.Contains(t, string(data), "{{origin}}")
	}
}

// TestLiveModesAreOrgsEnvironment: the four live modes are the
// environments of package orgs, in its order, so -h lists what
// orgs.FromEnv reads.
func TestLiveModesAreOrgsEnvironment(t *testing.T) {
	t.Parallel()
	require.Len(t, Providers, len(orgs.Providers()))
	for i, p := range orgs.Providers() {
		env, err := orgs.Environment(p)
		require.NoError(t, err)
		assert.Equal(t, env, Providers[i].Env)
		assert.NotEmpty(t, Providers[i].Env.Vars, p)
		assert.NotEmpty(t, Providers[i].Env.Needs, p)
	}
	cfg, live, err := RService.Config(func(k string) string {
		return map[string]string{"RSERVICE_TOKEN": "t", "RSERVICE_ACCOUNT": "a"}[k]
	})
	require.NoError(t, err)
	assert.True(t, live)
	assert.Equal(t, orgs.Config{Token: "t", Account: "a"}, cfg)
}

func TestErrorsNameTheProviderOnce(t *testing.T) {
	t.Parallel()
	tests := []struct {
		program, msg, want string
	}{
		{"rservice", "orgsdk: rservice: invalid argument: PerPage 1000 is above the API's maximum, 100",
			"rservice: invalid argument: PerPage 1000 is above the API's maximum, 100"},
		{"orgs", "rservice: orgsdk: rservice: invalid argument: x", "orgs: rservice: invalid argument: x"},
		{"orgs", "orgsdk: readycloud: GET /x: 404 Not Found", "orgs: orgsdk: readycloud: GET /x: 404 Not Found"},
		{"commvault", "orgsdk: rservice: odd", "commvault: orgsdk: rservice: odd"},
		{"jsonapi", "no SDK error here", "jsonapi: no SDK error here"},
		{"jsonapi", "jsonapi: orgsdk: jsonapi", "jsonapi: jsonapi: orgsdk: jsonapi"},
	}
	for _, tt := range tests {
		t.Run(tt.want, func(t *testing.T) {
			t.Parallel()
			var errOut bytes.Buffer
			c := New(tt.program, "", Env{Stderr: &errOut})
			c.Errorf("%s", tt.msg)
			assert.Equal(t, tt.want+"\n", errOut.String())
		})
	}
}

// roundTripFunc is an http.RoundTripper of a function.
type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

// TestFinishReportsAnIncompleteRecording: the recorder hands back an
// answer whose file it could not write; the program must not exit 0 as if
// the recording were whole.
func TestFinishReportsAnIncompleteRecording(t *testing.T) {
	t.Parallel()
	for _, lose := range []bool{false, true} {
		t.Run(fmt.Sprintf("folder lost %t", lose), func(t *testing.T) {
			t.Parallel()
			dir := filepath.Join(t.TempDir(), "rec")
			var errOut bytes.Buffer
			answer := roundTripFunc(func(r *http.Request) (*http.Response, error) {
				if lose {
					// The folder becomes a file while the request is out,
					// so the exchange cannot be written.
					require.NoError(t, os.RemoveAll(dir))
					require.NoError(t, os.WriteFile(dir, nil, 0o644))
				}
				return &http.Response{StatusCode: 200, Header: http.Header{}, Body: io.NopCloser(strings.NewReader(`{}`)), Request: r}, nil
			})
			c := New("prog", "", Env{Stderr: &errOut, Transport: answer})
			_, ok := c.Parse([]string{"-record", dir})
			require.True(t, ok, errOut.String())
			s := c.Session("prov")
			resp, err := s.HTTPClient.Get("http://example.invalid/x")
			require.NoError(t, err, "the answer is handed back either way")
			resp.Body.Close()
			if !lose {
				assert.Equal(t, ExitOK, c.Finish(ExitOK))
				assert.Empty(t, errOut.String())
				return
			}
			assert.Equal(t, ExitError, c.Finish(ExitOK))
			assert.Contains(t, errOut.String(), "prog: -record "+dir+": the recording is incomplete: recording:")
			assert.Equal(t, ExitUsage, c.Finish(ExitUsage), "an exit code that already says failure is kept")
		})
	}
}

// TestTakesArgs: a program that takes arguments gets them wherever they
// stand among the flags, and the flags after them are parsed too.
func TestTakesArgs(t *testing.T) {
	t.Parallel()
	for name, tc := range map[string]struct {
		args     []string
		wantArgs []string
		json     bool
		limit    int
		code     int
	}{
		"none":                {args: []string{"-json"}, json: true},
		"after the flags":     {args: []string{"-json", "a=1", "b=2"}, wantArgs: []string{"a=1", "b=2"}, json: true},
		"among the flags":     {args: []string{"a=1", "-limit", "3", "b=2", "-json"}, wantArgs: []string{"a=1", "b=2"}, json: true, limit: 3},
		"a bad flag after":    {args: []string{"a=1", "-nope"}, code: ExitUsage},
		"-- ends the flags":   {args: []string{"a=1", "--", "-json"}, wantArgs: []string{"a=1", "-json"}},
		"help after an arg":   {args: []string{"a=1", "-h"}, code: ExitOK},
		"an empty argument":   {args: []string{"", "-limit", "1"}, wantArgs: []string{""}, limit: 1},
		"only one argument":   {args: []string{"x"}, wantArgs: []string{"x"}},
		"flags, then one arg": {args: []string{"-limit", "2", "x"}, wantArgs: []string{"x"}, limit: 2},
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			c := New("prog", "", Env{})
			c.TakesArgs = true
			code, ok := c.Parse(tc.args)
			if tc.code != ExitOK || !ok {
				assert.False(t, ok)
				assert.Equal(t, tc.code, code)
				return
			}
			assert.Equal(t, tc.wantArgs, c.Args)
			assert.Equal(t, tc.json, c.JSON)
			assert.Equal(t, tc.limit, c.Limit)
		})
	}
}
