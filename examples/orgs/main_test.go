package main

import (
	"bufio"
	"bytes"
	"context"
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
	"github.com/orgsdk/orgsdk/internal/recording"
	"github.com/orgsdk/orgsdk/jsonapi/jsonapitest"
	"github.com/orgsdk/orgsdk/readycloud/readycloudtest"
	"github.com/orgsdk/orgsdk/rservice/rservicetest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func envFrom(m map[string]string) func(string) string {
	return func(k string) string { return m[k] }
}

func runCmd(t *testing.T, env map[string]string, args ...string) (int, string, string) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	code := run(context.Background(), args, envFrom(env), &stdout, &stderr)
	return code, stdout.String(), stderr.String()
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

func TestJSONLinesAndProviderAndLimit(t *testing.T) {
	t.Parallel()
	code, out, errOut := runCmd(t, nil, "-json", "-provider", "rservice, jsonapi", "-limit", "2")
	require.Equal(t, 0, code, errOut)
	assert.Contains(t, errOut, "fake: rservice, jsonapi")
	lines := strings.Split(strings.TrimSpace(out), "\n")
	require.Len(t, lines, 4)
	counts := map[string]int{}
	for _, l := range lines {
		var obj map[string]string
		require.NoError(t, json.Unmarshal([]byte(l), &obj), l)
		counts[obj["provider"]]++
		assert.NotEmpty(t, obj["id"])
		assert.NotEmpty(t, obj["name"])
	}
	assert.Equal(t, map[string]int{"rservice": 2, "jsonapi": 2}, counts)
	var first map[string]string
	require.NoError(t, json.Unmarshal([]byte(lines[0]), &first))
	assert.Contains(t, first, "parent")
	assert.Contains(t, first, "manager")
}

func TestBadFlags(t *testing.T) {
	t.Parallel()
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"-nope"}, "flag provided but not defined"},
		{[]string{"-provider", "github"}, `unknown provider "github"`},
		{[]string{"-provider", ","}, "names no provider"},
		{[]string{"-limit", "-1"}, "-limit must be 0 or more"},
		{[]string{"extra"}, `unexpected argument "extra"`},
	}
	for _, tt := range tests {
		code, out, errOut := runCmd(t, nil, tt.args...)
		assert.Equal(t, 2, code, tt.args)
		assert.Empty(t, out)
		assert.Contains(t, errOut, tt.want)
		assert.Contains(t, errOut, "usage: orgs", "a bad flag prints usage")
	}
	code, _, errOut := runCmd(t, nil, "-h")
	assert.Equal(t, 0, code)
	assert.Contains(t, errOut, "usage: orgs")
}

func TestProviderErrorsAreReportedAndExitNonZero(t *testing.T) {
	t.Parallel()
	env := map[string]string{
		"READYCLOUD_TOKEN":    "bad-token-value",
		"READYCLOUD_BASE_URL": "http://127.0.0.1:1/api/v2/",
		"COMMVAULT_BASE_URL":  "https://cv.example.com/commandcenter/api/",
	}
	code, out, errOut := runCmd(t, env, "-provider", "readycloud,commvault,jsonapi")
	assert.Equal(t, 1, code)
	assert.Contains(t, errOut, "orgs: readycloud:")
	assert.Contains(t, errOut, "orgs: commvault: COMMVAULT_BASE_URL is set but")
	assert.Contains(t, out, "Cru", "the providers that work still print")
	assert.NotContains(t, errOut, "bad-token-value")
}

func TestVerboseLogsWithoutSecrets(t *testing.T) {
	t.Parallel()
	code, _, errOut := runCmd(t, nil, "-v", "-provider", "readycloud,commvault,jsonapi,rservice", "-limit", "1")
	require.Equal(t, 0, code, errOut)
	assert.Contains(t, errOut, "orgsdk: http attempt")
	assert.NotContains(t, errOut, commvaulttest.DefaultPassword)
	assert.NotContains(t, errOut, jsonapitest.Token)
	assertNoCredentialPatterns(t, "stderr", errOut)
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
// knows every secret the run uses.
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
	secrets := []string{rc.Token, rs.Token, cv.Password, base64.StdEncoding.EncodeToString([]byte(cv.Password)), cv.Token, ja.Token}
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
			assert.NotContains(t, string(data), url.QueryEscape(s), "secret in %s", f)
		}
		assertNoCredentialPatterns(t, f, string(data))
		byProvider[strings.SplitN(filepath.Base(f), "-", 2)[0]]++
		_, err = recording.Load(f)
		require.NoError(t, err, "a recording is a valid golden-test input")
	}
	for _, p := range providerNames {
		assert.Positive(t, byProvider[p], "no exchange recorded for %s", p)
	}
	assert.Positive(t, byProvider["commvault"], "the login exchange is recorded (scrubbed)")

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
