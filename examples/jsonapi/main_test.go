package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/orgsdk/orgsdk/examples/internal/cli"
	"github.com/orgsdk/orgsdk/jsonapi/jsonapitest"
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
		{name: "lists sorted by name from the fake", outLines: -1, out: []string{"Agape UK", "Cru"},
			errOut: []string{"using the in-memory fake server", "organizations listed"}},
		{name: "-limit is the most listed", args: []string{"-limit", "3"}, outLines: 3, errOut: []string{"3 organizations listed"}},
		{name: "-per-page pages, -v shows progress", args: []string{"-per-page", "1", "-limit", "3", "-v"}, outLines: 3,
			errOut: []string{"jsonapi: page 2 fetched, 1 organizations so far", "jsonapi: 3 pages, 3 organizations"}},
		{name: "-json: null for a missing country", args: []string{"-json"}, outLines: -1, jsonLines: true, out: []string{`"country":null`}},
		{name: "-filter", args: []string{"-filter", "country=United Kingdom"}, outLines: 1, out: []string{"Agape UK"}},
		{name: "-get", args: []string{"-get", "2b8e6f0c-7d1a-4c3e-9f5b-1a2b3c4d5e6f"}, outLines: 1, out: []string{"Cru"}},
		{name: "-h exits 0 and lists the environment", args: []string{"-h"}, outLines: 0,
			errOut: []string{"usage: jsonapi", "-limit N", "-per-page N", "-json", "-record DIR", "MPDX_TOKEN", "MPDX_BASE_URL"}},
		{name: "bad filter printed once", args: []string{"-filter", "nokey"}, code: 2, outLines: 0, errOnce: `want key=value, got "nokey"`},
		{name: "extra argument", args: []string{"x"}, code: 2, outLines: 0, errOnce: `jsonapi: unexpected argument "x"`},
		{name: "unknown organization", args: []string{"-get", "00000000-0000-0000-0000-000000000000"}, code: 1, outLines: 0, errOnce: "404"},
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
	srv := jsonapitest.NewServer()
	t.Cleanup(srv.Close)
	dir := t.TempDir()
	env := map[string]string{"MPDX_TOKEN": srv.Token, "MPDX_BASE_URL": srv.URL}
	code, out, errOut := cli.RunInProcess(t.Context(), run, env, "-limit", "2", "-record", dir, "-v")
	require.Equal(t, 0, code, errOut)
	assert.NotContains(t, errOut, "in-memory fake")
	assert.Equal(t, 2, strings.Count(out, "\n"))
	assert.NotContains(t, errOut, srv.Token)
	for _, line := range strings.Split(errOut, "\n") {
		assert.LessOrEqual(t, strings.Count(line, "provider="), 1, line)
	}
	files, err := filepath.Glob(filepath.Join(dir, "jsonapi-*.json"))
	require.NoError(t, err)
	require.NotEmpty(t, files)
	for _, f := range files {
		data, err := os.ReadFile(f)
		require.NoError(t, err)
		assert.NotContains(t, string(data), srv.Token)
	}

	code, _, errOut = cli.RunInProcess(t.Context(), run, map[string]string{"MPDX_BASE_URL": srv.URL})
	assert.Equal(t, 1, code)
	assert.Contains(t, errOut, "MPDX_BASE_URL is set but MPDX_TOKEN missing")
	assert.NotContains(t, errOut, "in-memory fake", "no silent fall back")

	srv.InjectFault(jsonapitest.Fault{Status: 429, Count: 100, RetryAfter: "0"})
	code, _, errOut = cli.RunInProcess(t.Context(), run, env)
	assert.Equal(t, 1, code)
	assert.Contains(t, errOut, "(after 5 attempts)")
}
