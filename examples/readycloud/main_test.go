package main

import (
	"encoding/base64"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/orgsdk/orgsdk/examples/internal/cli"
	"github.com/orgsdk/orgsdk/readycloud/readycloudtest"
)

func TestRun(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name      string
		args      []string
		code      int
		out       []string
		outLines  int // -1: do not check
		errOut    []string
		errOnce   string
		jsonLines bool
	}{
		{name: "lists every organization of the fake", outLines: 25, out: []string{"1          Test Company\n"},
			errOut: []string{"using the in-memory fake server", "25 organizations listed"}},
		{name: "-limit is the most listed", args: []string{"-limit", "3"}, outLines: 3, errOut: []string{"3 organizations listed"}},
		{name: "-per-page pages, -v shows progress", args: []string{"-per-page", "10", "-v"}, outLines: 25,
			errOut: []string{"readycloud: page 2 fetched, 10 organizations so far", "readycloud: page 3 fetched, 20 organizations so far",
				"readycloud: 3 pages, 25 organizations"}},
		{name: "-json: one object per organization", args: []string{"-json", "-limit", "4"}, outLines: 4, jsonLines: true},
		{name: "-get shows one", args: []string{"-get", "1"}, outLines: -1, out: []string{"pk:         1\n", "name:       Test Company\n", "website:    -\n"}},
		{name: "-get -json: null for a missing website", args: []string{"-get", "1", "-json"}, outLines: 1, jsonLines: true,
			out: []string{`"website":null`}},
		{name: "-rename", args: []string{"-get", "1", "-rename", "Renamed Co"}, outLines: -1, out: []string{"name:       Renamed Co\n"}},
		{name: "-h exits 0 and lists the environment", args: []string{"-h"}, outLines: 0,
			errOut: []string{"usage: readycloud", "-limit N", "-per-page N", "-json", "-record DIR", "-get pk", "READYCLOUD_TOKEN", "READYCLOUD_BASE_URL"}},
		{name: "unknown flag", args: []string{"-max", "3"}, code: 2, outLines: 0, errOnce: "flag provided but not defined: -max"},
		{name: "-rename without -get", args: []string{"-rename", "x"}, code: 2, outLines: 0, errOnce: "readycloud: -rename needs -get PK"},
		{name: "unknown organization", args: []string{"-get", "no-such-org"}, code: 1, outLines: 0, errOnce: "404"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			code, out, errOut := cli.RunInProcess(t.Context(), run, nil, tt.args...)
			require.Equal(t, tt.code, code, errOut)
			if tt.outLines >= 0 {
				assert.Equal(t, tt.outLines, strings.Count(out, "\n"), out)
			}
			for _, s := range tt.out {
				assert.Contains(t, out, s)
			}
			for _, s := range tt.errOut {
				assert.Contains(t, errOut, s)
			}
			if tt.errOnce != "" {
				assert.Equal(t, 1, strings.Count(errOut, tt.errOnce), errOut)
			}
			if tt.jsonLines {
				for _, l := range strings.Split(strings.TrimSpace(out), "\n") {
					var obj map[string]any
					require.NoError(t, json.Unmarshal([]byte(l), &obj), l)
					assert.NotEmpty(t, obj["name"])
					assert.NotContains(t, l, `:"-"`)
				}
			}
		})
	}
}

func TestLiveMode(t *testing.T) {
	t.Parallel()
	srv := readycloudtest.NewServer()
	t.Cleanup(srv.Close)
	tests := []struct {
		name   string
		env    map[string]string
		args   []string
		code   int
		errOut string
	}{
		{name: "token and base URL", env: map[string]string{"READYCLOUD_TOKEN": srv.Token, "READYCLOUD_BASE_URL": srv.URL},
			args: []string{"-limit", "2"}, errOut: "2 organizations listed"},
		{name: "query token", env: map[string]string{"READYCLOUD_TOKEN": srv.Token, "READYCLOUD_BASE_URL": srv.URL},
			args: []string{"-limit", "1", "-query-token"}, errOut: "1 organizations listed"},
		{name: "base URL without token is an error, not the fake", env: map[string]string{"READYCLOUD_BASE_URL": srv.URL},
			code: 1, errOut: "READYCLOUD_BASE_URL is set but READYCLOUD_TOKEN missing"},
		{name: "bad token", env: map[string]string{"READYCLOUD_TOKEN": "wrong-token-1234", "READYCLOUD_BASE_URL": srv.URL},
			code: 1, errOut: "401"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, _, errOut := cli.RunInProcess(t.Context(), run, tt.env, tt.args...)
			assert.Equal(t, tt.code, code, errOut)
			assert.Contains(t, errOut, tt.errOut)
			assert.NotContains(t, errOut, "in-memory fake")
			assert.NotContains(t, errOut, "wrong-token-1234")
		})
	}
}

func TestRecordAndRetries(t *testing.T) {
	t.Parallel()
	srv := readycloudtest.NewServer()
	t.Cleanup(srv.Close)
	env := map[string]string{"READYCLOUD_TOKEN": srv.Token, "READYCLOUD_BASE_URL": srv.URL}
	dir := t.TempDir()
	code, _, errOut := cli.RunInProcess(t.Context(), run, env, "-record", dir, "-limit", "2", "-query-token", "-v")
	require.Equal(t, 0, code, errOut)
	files, err := filepath.Glob(filepath.Join(dir, "readycloud-*.json"))
	require.NoError(t, err)
	require.NotEmpty(t, files)
	for _, f := range files {
		data, err := os.ReadFile(f)
		require.NoError(t, err)
		for _, form := range []string{srv.Token, base64.StdEncoding.EncodeToString([]byte(srv.Token))} {
			assert.NotContains(t, string(data), form)
		}
	}
	for _, line := range strings.Split(errOut, "\n") {
		assert.LessOrEqual(t, strings.Count(line, "provider="), 1, line)
	}
	assert.NotContains(t, errOut, srv.Token)

	srv.InjectFault(readycloudtest.Fault{Status: 503, Count: 100, RetryAfter: "0"})
	code, _, errOut = cli.RunInProcess(t.Context(), run, env, "-get", "1")
	assert.Equal(t, 1, code)
	assert.Contains(t, errOut, "503")
	assert.Contains(t, errOut, "(after 5 attempts)")
}
