package main

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/orgsdk/orgsdk/examples/internal/cli"
	"github.com/orgsdk/orgsdk/examples/internal/clitest"
	"github.com/orgsdk/orgsdk/jsonapi/jsonapitest"
)

func TestRun(t *testing.T) {
	t.Parallel()
	clitest.Run(t, run, []clitest.Case{
		{Name: "lists sorted by name from the fake", OutLines: clitest.AnyLines, OutHas: []string{"Agape UK", "Cru"},
			ErrHas: []string{"using the in-memory fake server", "organizations listed"}},
		{Name: "-limit is the most listed", Args: []string{"-limit", "3"}, OutLines: 3, ErrHas: []string{"3 organizations listed"}},
		// MPDX's API (chuckmersereau/api_practice) takes per_page from the
		// query with no maximum configured (its Pagination concern and
		// config/initializers set none): a large page size is the server's
		// to answer, and the SDK sends it (issue 24.6).
		{Name: "-per-page large is sent as asked", Args: []string{"-per-page", "1000"}, OutLines: 5, ErrHas: []string{"5 organizations listed"}},
		{Name: "-per-page pages, -v shows progress", Args: []string{"-per-page", "1", "-limit", "3", "-v"}, OutLines: 3,
			ErrHas: []string{"jsonapi: page 2 fetched, 1 organizations so far", "jsonapi: 3 pages, 3 organizations"}, ErrLacks: []string{"jsonapi: jsonapi:"}},
		{Name: "-json: null for a missing country", Args: []string{"-json"}, OutLines: clitest.AnyLines, JSONLines: true, OutHas: []string{`"country":null`}},
		{Name: "-filter", Args: []string{"-filter", "country=United Kingdom"}, OutLines: 1, OutHas: []string{"Agape UK"}},
		{Name: "-get", Args: []string{"-get", "2b8e6f0c-7d1a-4c3e-9f5b-1a2b3c4d5e6f"}, OutLines: 1, OutHas: []string{"Cru"}},
		{Name: "-h exits 0 and lists the environment", Args: []string{"-h"}, OutLines: 0,
			ErrHas: []string{"usage: jsonapi", "-limit N", "-per-page N", "-json", "-record DIR", "MPDX_TOKEN", "MPDX_BASE_URL"}},
		{Name: "bad filter printed once", Args: []string{"-filter", "nokey"}, Code: 2, OutLines: 0, ErrOnce: `want key=value, got "nokey"`},
		{Name: "extra argument", Args: []string{"x"}, Code: 2, OutLines: 0, ErrOnce: `jsonapi: unexpected argument "x"`},
		{Name: "-accounts lists the user's accounts with their organization", Args: []string{"-accounts", "-v"}, OutLines: 2,
			OutHas: []string{"jdoe@cru.org", "Cru", "Agape UK"}, ErrHas: []string{"2 organization accounts listed"}, ErrLacks: []string{"seed-password"}},
		{Name: "-accounts -json never holds a password", Args: []string{"-accounts", "-json"}, OutLines: 2,
			OutHas: []string{`"username":"jdoe@cru.org"`}, ErrLacks: []string{"seed-password"}},
		{Name: "-create creates once and prints the new organization", Args: []string{"-create", "Widget Mission", "-v"}, OutLines: 1,
			OutHas: []string{"Widget Mission"}, ErrHas: []string{"organization 00000000-0000-4000-8000-000000000001 created"}},
		{Name: "-create with a blank name is refused before sending", Args: []string{"-create", " "}, Code: 2, OutLines: 0, ErrOnce: "must not be blank"},
		{Name: "-get, -create and -accounts exclude each other", Args: []string{"-create", "x", "-accounts"}, Code: 2, OutLines: 0,
			ErrOnce: "-get, -create and -accounts exclude each other"},
		{Name: "unknown organization", Args: []string{"-get", "00000000-0000-0000-0000-000000000000"}, Code: 1, OutLines: 0, ErrOnce: "404 Not Found"},
	})
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
	clitest.CleanLog(t, errOut, srv.Token)
	clitest.NoSecretsRecorded(t, dir, "jsonapi-*.json", srv.Token)

	code, _, errOut = cli.RunInProcess(t.Context(), run, map[string]string{"MPDX_BASE_URL": srv.URL})
	assert.Equal(t, 1, code)
	assert.Contains(t, errOut, "MPDX_BASE_URL is set but MPDX_TOKEN missing")
	assert.NotContains(t, errOut, "in-memory fake", "no silent fall back")

	srv.InjectFault(jsonapitest.Fault{Status: 429, Count: 100, RetryAfter: "0"})
	code, _, errOut = cli.RunInProcess(t.Context(), run, env)
	assert.Equal(t, 1, code)
	assert.Contains(t, errOut, "(after 5 attempts)")
}
