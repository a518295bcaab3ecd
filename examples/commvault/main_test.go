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

	"github.com/orgsdk/orgsdk/commvault/commvaulttest"
	"github.com/orgsdk/orgsdk/examples/internal/cli"
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
		{name: "lists with default plans from the fake", outLines: 3,
			out:    []string{"   6  company001           enabled  Server: Server plan\n", "no default plan"},
			errOut: []string{"using the in-memory fake server", "3 organizations listed"}},
		{name: "xml", args: []string{"-xml"}, outLines: 3, out: []string{"company001"}},
		{name: "-limit is the most listed", args: []string{"-limit", "1"}, outLines: 1, errOut: []string{"1 organizations listed"}},
		{name: "-json: an empty list, not a dash", args: []string{"-json"}, outLines: 3, jsonLines: true, out: []string{`"default_plans":[]`}},
		{name: "-get", args: []string{"-get", "16"}, outLines: -1, out: []string{"16  test Company (alias testalias)"}},
		{name: "-get -json", args: []string{"-get", "16", "-json"}, outLines: 1},
		{name: "-h exits 0 and lists the environment", args: []string{"-h"}, outLines: 0,
			errOut: []string{"usage: commvault", "-limit N", "-per-page N", "-json", "-record DIR", "-xml",
				"COMMVAULT_BASE_URL", "COMMVAULT_USERNAME", "COMMVAULT_PASSWORD", "COMMVAULT_DOMAIN", "COMMVAULT_TOKEN"}},
		{name: "-per-page is refused, not ignored", args: []string{"-per-page", "5"}, code: 2, outLines: 0,
			errOnce: "commvault: -per-page: Commvault answers the organization list in one page"},
		{name: "unknown flag", args: []string{"-nope"}, code: 2, outLines: 0, errOnce: "flag provided but not defined: -nope"},
		{name: "unknown organization", args: []string{"-get", "999"}, code: 1, outLines: 0},
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
					assert.NotContains(t, l, `"-"`)
				}
			}
		})
	}
}

func TestLiveConfiguration(t *testing.T) {
	t.Parallel()
	srv := commvaulttest.NewServer()
	t.Cleanup(srv.Close)
	tests := []struct {
		name   string
		env    map[string]string
		code   int
		errOut string
	}{
		{name: "login", env: map[string]string{"COMMVAULT_BASE_URL": srv.URL, "COMMVAULT_USERNAME": srv.Username, "COMMVAULT_PASSWORD": srv.Password},
			errOut: "3 organizations listed"},
		{name: "credentials without base URL", env: map[string]string{"COMMVAULT_USERNAME": srv.Username, "COMMVAULT_PASSWORD": srv.Password},
			code: 1, errOut: "COMMVAULT_USERNAME and COMMVAULT_PASSWORD are set but COMMVAULT_BASE_URL missing"},
		{name: "base URL without credentials", env: map[string]string{"COMMVAULT_BASE_URL": srv.URL},
			code: 1, errOut: "COMMVAULT_USERNAME and COMMVAULT_PASSWORD, or COMMVAULT_TOKEN missing"},
		{name: "username without password", env: map[string]string{"COMMVAULT_BASE_URL": srv.URL, "COMMVAULT_USERNAME": srv.Username},
			code: 1, errOut: "COMMVAULT_USERNAME is set but COMMVAULT_PASSWORD is not"},
		{name: "wrong password", env: map[string]string{"COMMVAULT_BASE_URL": srv.URL, "COMMVAULT_USERNAME": srv.Username, "COMMVAULT_PASSWORD": "wrong-pass-5678"},
			code: 1, errOut: "commvault: orgsdk: commvault:"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, _, errOut := cli.RunInProcess(t.Context(), run, tt.env)
			assert.Equal(t, tt.code, code, errOut)
			assert.Contains(t, errOut, tt.errOut)
			assert.NotContains(t, errOut, "in-memory fake", "no silent fall back")
			assert.NotContains(t, errOut, srv.Password)
			assert.NotContains(t, errOut, "wrong-pass-5678")
		})
	}
}

func TestRecordHasNoPasswordInAnyForm(t *testing.T) {
	t.Parallel()
	srv := commvaulttest.NewServer()
	t.Cleanup(srv.Close)
	dir := t.TempDir()
	env := map[string]string{"COMMVAULT_BASE_URL": srv.URL, "COMMVAULT_USERNAME": srv.Username, "COMMVAULT_PASSWORD": srv.Password}
	code, _, errOut := cli.RunInProcess(t.Context(), run, env, "-record", dir, "-v")
	require.Equal(t, 0, code, errOut)
	files, err := filepath.Glob(filepath.Join(dir, "commvault-*.json"))
	require.NoError(t, err)
	require.NotEmpty(t, files)
	assert.Contains(t, filepath.Base(files[0]), "commvault-001-post-")
	for _, f := range files {
		data, err := os.ReadFile(f)
		require.NoError(t, err)
		for _, form := range []string{srv.Password, base64.StdEncoding.EncodeToString([]byte(srv.Password))} {
			assert.NotContains(t, string(data), form, f)
		}
		assert.NotRegexp(t, `QSDK [^R]`, string(data), f)
	}
	for _, line := range strings.Split(errOut, "\n") {
		assert.LessOrEqual(t, strings.Count(line, "provider="), 1, line)
	}
}
