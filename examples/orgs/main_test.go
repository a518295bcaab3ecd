package main

import (
	"bufio"
	"encoding/base64"
	"encoding/json"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/orgsdk/orgsdk/commvault/commvaulttest"
	"github.com/orgsdk/orgsdk/examples/internal/cli"
	"github.com/orgsdk/orgsdk/internal/recording"
	"github.com/orgsdk/orgsdk/jsonapi/jsonapitest"
	"github.com/orgsdk/orgsdk/orgs"
	"github.com/orgsdk/orgsdk/readycloud/readycloudtest"
	"github.com/orgsdk/orgsdk/rservice/rservicetest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func runCmd(t *testing.T, env map[string]string, args ...string) (int, string, string) {
	t.Helper()
	return cli.RunInProcess(t.Context(), run, env, args...)
}

func TestDefaultRunPrintsEveryProviderFromFakes(t *testing.T) {
	t.Parallel()
	code, out, errOut := runCmd(t, nil)
	require.Equal(t, 0, code, errOut)
	assert.Contains(t, errOut, "live: none; fake: readycloud, rservice, commvault, jsonapi")
	for _, header := range []string{
		"PROVIDER    ID  NAME", // aligned columns
		"PLAN", "PRICE", "PARENT", "MANAGER", "DEFAULT PLAN", "CURRENCY",
	} {
		assert.Contains(t, out, header)
	}
	for _, want := range []string{
		"readycloud  1   Test Company",
		"Widget Data Center, External IT  Widget Data Center          Howard Tanner",
		"commvault  6   company001",
		"Cru",
	} {
		assert.Contains(t, out, want)
	}
	assert.Equal(t, 4, strings.Count(out, "PROVIDER"), "one table per provider")
}

func TestSharedFlags(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		args   []string
		code   int
		check  func(t *testing.T, out, errOut string)
		stderr []string
	}{
		{name: "-limit is the most organizations per provider", args: []string{"-limit", "2", "-provider", "readycloud,commvault"},
			check: func(t *testing.T, out, _ string) {
				assert.Equal(t, 2, strings.Count(out, "\nreadycloud "))
				assert.Equal(t, 2, strings.Count(out, "\ncommvault "))
			}},
		{name: "-per-page is the page size, -limit still the total", args: []string{"-per-page", "2", "-limit", "5", "-v", "-provider", "jsonapi"},
			check: func(t *testing.T, out, errOut string) {
				assert.Equal(t, 5, strings.Count(out, "\njsonapi "))
				assert.Contains(t, errOut, "orgs: jsonapi: page 2 fetched, 2 organizations so far", "progress on a walk with -v")
				assert.Contains(t, errOut, "orgs: jsonapi: page 3 fetched, 4 organizations so far")
			}},
		{name: "-prefetch walks every provider in pages in flight, in order", args: []string{"-per-page", "1", "-prefetch", "3"},
			check: func(t *testing.T, out, _ string) {
				_, plain, _ := cli.RunInProcess(t.Context(), run, nil, "-per-page", "1")
				assert.Equal(t, plain, out, "the same rows as without -prefetch")
			}},
		{name: "-h exits 0 and lists every live variable", args: []string{"-h"},
			stderr: []string{"usage: orgs", "-provider", "-limit N", "-per-page N", "-prefetch N", "-json", "-record DIR",
				"READYCLOUD_TOKEN", "READYCLOUD_BASE_URL", "RSERVICE_TOKEN", "RSERVICE_ACCOUNT", "RSERVICE_BASE_URL",
				"COMMVAULT_BASE_URL", "COMMVAULT_USERNAME", "COMMVAULT_PASSWORD", "COMMVAULT_TOKEN", "MPDX_TOKEN", "MPDX_BASE_URL"}},
		{name: "unknown flag", args: []string{"-nope"}, code: 2, stderr: []string{"flag provided but not defined: -nope"}},
		{name: "unknown provider", args: []string{"-provider", "github"}, code: 2, stderr: []string{`orgs: unknown provider "github"`}},
		{name: "empty provider list", args: []string{"-provider", ","}, code: 2, stderr: []string{"names no provider"}},
		{name: "negative limit", args: []string{"-limit", "-1"}, code: 2, stderr: []string{"-limit must be 0 or more"}},
		{name: "extra argument", args: []string{"extra"}, code: 2, stderr: []string{`unexpected argument "extra"`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			code, out, errOut := runCmd(t, nil, tt.args...)
			require.Equal(t, tt.code, code, errOut)
			for _, s := range tt.stderr {
				assert.Contains(t, errOut, s)
				if tt.code == 2 {
					assert.Equal(t, 1, strings.Count(errOut, s), "the error is printed once")
					assert.Empty(t, out)
				}
			}
			if tt.check != nil {
				tt.check(t, out, errOut)
			}
		})
	}
}

func TestJSONLinesUseNullForMissingValues(t *testing.T) {
	t.Parallel()
	code, out, errOut := runCmd(t, nil, "-json", "-provider", "rservice, jsonapi,readycloud,commvault", "-limit", "3")
	require.Equal(t, 0, code, errOut)
	lines := strings.Split(strings.TrimSpace(out), "\n")
	require.Len(t, lines, 12)
	counts := map[string]int{}
	nulls := 0
	for _, l := range lines {
		var obj map[string]any
		require.NoError(t, json.Unmarshal([]byte(l), &obj), l)
		counts[obj["provider"].(string)]++
		assert.NotEmpty(t, obj["id"])
		assert.NotEmpty(t, obj["name"])
		for k, v := range obj {
			assert.NotEqual(t, "-", v, "%s in %s", k, l)
			if v == nil {
				nulls++
			}
		}
	}
	assert.Equal(t, map[string]int{"rservice": 3, "jsonapi": 3, "readycloud": 3, "commvault": 3}, counts)
	assert.Positive(t, nulls, "the fakes have organizations without a plan name, country or default plan")
	assert.Contains(t, out, `"country":null`)
}

func TestLiveConfiguration(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		env     map[string]string
		missing string
	}{
		{"rservice token without account", map[string]string{"RSERVICE_TOKEN": "tok-abcdef123"}, "RSERVICE_TOKEN is set but RSERVICE_ACCOUNT missing"},
		{"rservice account without token", map[string]string{"RSERVICE_ACCOUNT": "widget"}, "RSERVICE_ACCOUNT is set but RSERVICE_TOKEN missing"},
		{"commvault credentials without base URL", map[string]string{"COMMVAULT_USERNAME": "admin", "COMMVAULT_PASSWORD": "pw-abcdef123"},
			"but COMMVAULT_BASE_URL missing"},
		{"commvault base URL without credentials", map[string]string{"COMMVAULT_BASE_URL": "https://cv.example.com/commandcenter/api/"},
			"COMMVAULT_USERNAME and COMMVAULT_PASSWORD, or COMMVAULT_TOKEN missing"},
		{"readycloud base URL without token", map[string]string{"READYCLOUD_BASE_URL": "https://rc.example.com/api/v2/"}, "READYCLOUD_TOKEN missing"},
		{"mpdx base URL without token", map[string]string{"MPDX_BASE_URL": "https://mpdx.example.com/api/v2/"}, "MPDX_TOKEN missing"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			code, out, errOut := runCmd(t, tt.env)
			assert.Equal(t, 1, code)
			assert.Contains(t, errOut, tt.missing)
			assert.Equal(t, 1, strings.Count(errOut, "incomplete live configuration"), errOut)
			provider := strings.SplitN(tt.name, " ", 2)[0]
			if provider == "mpdx" {
				provider = "jsonapi"
			}
			assert.NotContains(t, errOut, "fake: "+provider, "no silent fall back to the fake")
			assert.NotContains(t, out, "\n"+provider+" ", "no rows for the misconfigured provider")
			assert.Contains(t, out, "PROVIDER", "the other providers still print")
			assert.NotContains(t, errOut, "abcdef123")
		})
	}
}

func TestProviderErrorsAreReportedAndExitNonZero(t *testing.T) {
	t.Parallel()
	env := map[string]string{
		"READYCLOUD_TOKEN":    "bad-token-value",
		"READYCLOUD_BASE_URL": "http://127.0.0.1:1/api/v2/",
	}
	code, out, errOut := runCmd(t, env, "-provider", "readycloud,jsonapi")
	assert.Equal(t, 1, code)
	assert.Contains(t, errOut, "orgs: readycloud: GET ")
	assert.NotContains(t, errOut, "orgsdk: readycloud:", "the provider is named once")
	assert.Contains(t, out, "Cru", "the providers that work still print")
	assert.NotContains(t, errOut, "bad-token-value")
}

func TestRetriesExhaustedSaysHowManyAttempts(t *testing.T) {
	t.Parallel()
	srv := readycloudtest.NewServer()
	t.Cleanup(srv.Close)
	srv.InjectFault(readycloudtest.Fault{Status: 429, Count: 100, RetryAfter: "0"})
	env := map[string]string{"READYCLOUD_TOKEN": srv.Token, "READYCLOUD_BASE_URL": srv.URL}
	code, _, errOut := runCmd(t, env, "-provider", "readycloud")
	assert.Equal(t, 1, code)
	assert.Contains(t, errOut, "429")
	assert.Contains(t, errOut, "(after 5 attempts)", "the default allows 4 retries")
	assert.Equal(t, 1, strings.Count(errOut, "attempts)"))
	assert.Equal(t, 5, srv.Hits())
}

func TestVerboseLogsWithoutSecretsOrDuplicateAttributes(t *testing.T) {
	t.Parallel()
	code, _, errOut := runCmd(t, nil, "-v", "-provider", "readycloud,commvault,jsonapi,rservice", "-limit", "1")
	require.Equal(t, 0, code, errOut)
	assert.Contains(t, errOut, "orgsdk: http attempt")
	assert.NotContains(t, errOut, commvaulttest.DefaultPassword)
	assert.NotContains(t, errOut, "jsonapitest-", "every jsonapitest token starts so")
	assertNoCredentialPatterns(t, "stderr", errOut)
	logLines := 0
	for _, line := range strings.Split(errOut, "\n") {
		if !strings.Contains(line, "level=") {
			continue
		}
		logLines++
		assert.LessOrEqual(t, strings.Count(line, " provider="), 1, "duplicate attribute: %s", line)
	}
	assert.Positive(t, logLines)
}

var credentialPatterns = []*regexp.Regexp{
	regexp.MustCompile(`QSDK [^R"\s]`),
	regexp.MustCompile(`(?i)bearer [^R"\s]`),
	regexp.MustCompile(`(?i)(bearer_token|access_token)=[^R&"\s]`),
	regexp.MustCompile(`(?i)"(token|password|sessionId)"\s*:\s*"[^R]`),
}

func assertNoCredentialPatterns(t *testing.T, where, text string) {
	t.Helper()
	for _, re := range credentialPatterns {
		assert.False(t, re.MatchString(text), "%s matches %s: %s", where, re, re.FindString(text))
	}
}

// liveEnv starts the four fakes and points live mode at them, so the test
// knows every secret the run uses, in every form one may be echoed in.
func liveEnv(t *testing.T) (map[string]string, []string) {
	t.Helper()
	rc := readycloudtest.NewServer()
	rs := rservicetest.NewServer()
	cv := commvaulttest.NewServer()
	ja := jsonapitest.NewServer()
	t.Cleanup(func() { rc.Close(); rs.Close(); cv.Close(); ja.Close() })
	env := map[string]string{
		"READYCLOUD_TOKEN": rc.Token, "READYCLOUD_BASE_URL": rc.URL,
		"RSERVICE_TOKEN": rs.Token, "RSERVICE_ACCOUNT": "widget", "RSERVICE_BASE_URL": rs.URL,
		"COMMVAULT_BASE_URL": cv.URL, "COMMVAULT_USERNAME": cv.Username, "COMMVAULT_PASSWORD": cv.Password,
		"MPDX_TOKEN": ja.Token, "MPDX_BASE_URL": ja.URL,
	}
	var secrets []string
	for _, s := range []string{rc.Token, rs.Token, cv.Password, cv.Token, ja.Token} {
		if s == "" {
			continue
		}
		secrets = append(secrets, s, url.QueryEscape(s), url.PathEscape(s), base64.StdEncoding.EncodeToString([]byte(s)))
	}
	return env, secrets
}

func TestRecordThenReplay(t *testing.T) {
	t.Parallel()
	env, secrets := liveEnv(t)
	dir := t.TempDir()
	code, recorded, errOut := runCmd(t, env, "-json", "-record", dir)
	require.Equal(t, 0, code, errOut)
	assert.Contains(t, errOut, "live: readycloud, rservice, commvault, jsonapi; fake: none")

	files, err := filepath.Glob(filepath.Join(dir, "*.json"))
	require.NoError(t, err)
	byProvider := map[string]int{}
	for _, f := range files {
		data, err := os.ReadFile(f)
		require.NoError(t, err)
		for _, s := range secrets {
			assert.NotContains(t, string(data), s, "secret in %s", f)
		}
		assertNoCredentialPatterns(t, f, string(data))
		assert.NotContains(t, string(data), "127.0.0.1", "the server's origin is the placeholder in %s", f)
		byProvider[strings.SplitN(filepath.Base(f), "-", 2)[0]]++
		_, err = recording.Load(f)
		require.NoError(t, err, "a recording is a valid golden-test input")
	}
	for _, p := range orgs.Providers() {
		assert.Positive(t, byProvider[p], "no exchange recorded for %s", p)
	}

	// Replay: each provider's recordings served back, live mode pointed at
	// the replay servers, the same rows expected.
	replayEnv := map[string]string{}
	for k, v := range env {
		replayEnv[k] = v
	}
	for _, p := range []struct{ name, baseKey string }{
		{"readycloud", "READYCLOUD_BASE_URL"}, {"rservice", "RSERVICE_BASE_URL"},
		{"commvault", "COMMVAULT_BASE_URL"}, {"jsonapi", "MPDX_BASE_URL"},
	} {
		exs, err := loadPrefixed(dir, p.name)
		require.NoError(t, err)
		srv := recording.NewServer(exs...)
		t.Cleanup(srv.Close)
		u, err := url.Parse(env[p.baseKey])
		require.NoError(t, err)
		replayEnv[p.baseKey] = srv.URL + u.Path
	}
	code, replayed, errOut := runCmd(t, replayEnv, "-json")
	require.Equal(t, 0, code, errOut)
	assert.Equal(t, sortedLines(recorded), sortedLines(replayed))
}

func TestRecordingsAreStable(t *testing.T) {
	t.Parallel()
	// Two runs against two fakes on different ports record the same bytes:
	// the origin is a placeholder and nothing else varies but the R-Service
	// fake's rate-limit window, which ends at a wall-clock second.
	resetValue := regexp.MustCompile(`("X-Ratelimit-Reset": \[\s*)"\d+"`)
	var runs [2]map[string]string
	for i := range runs {
		dir := t.TempDir()
		code, _, errOut := runCmd(t, nil, "-provider", "readycloud,jsonapi,rservice", "-limit", "3", "-record", dir)
		require.Equal(t, 0, code, errOut)
		files, err := filepath.Glob(filepath.Join(dir, "*.json"))
		require.NoError(t, err)
		require.NotEmpty(t, files)
		runs[i] = map[string]string{}
		for _, f := range files {
			data, err := os.ReadFile(f)
			require.NoError(t, err)
			runs[i][filepath.Base(f)] = resetValue.ReplaceAllString(string(data), `${1}"<reset>"`)
		}
	}
	assert.Equal(t, runs[0], runs[1])
}

func loadPrefixed(dir, provider string) ([]*recording.Exchange, error) {
	names, err := filepath.Glob(filepath.Join(dir, provider+"-*.json"))
	if err != nil {
		return nil, err
	}
	sort.Strings(names)
	var out []*recording.Exchange
	for _, n := range names {
		ex, err := recording.Load(n)
		if err != nil {
			return nil, err
		}
		out = append(out, ex)
	}
	return out, nil
}

func sortedLines(s string) []string {
	var lines []string
	sc := bufio.NewScanner(strings.NewReader(s))
	for sc.Scan() {
		lines = append(lines, sc.Text())
	}
	sort.Strings(lines)
	return lines
}
