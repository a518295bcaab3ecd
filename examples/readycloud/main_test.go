package main

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/orgsdk/orgsdk/examples/internal/cli"
	"github.com/orgsdk/orgsdk/examples/internal/clitest"
	"github.com/orgsdk/orgsdk/readycloud/readycloudtest"
)

func TestRun(t *testing.T) {
	t.Parallel()
	clitest.Run(t, run, []clitest.Case{
		{Name: "lists every organization of the fake", OutLines: 25, OutHas: []string{"1          Test Company\n"},
			ErrHas: []string{"using the in-memory fake server", "25 organizations listed"}},
		{Name: "-limit is the most listed", Args: []string{"-limit", "3"}, OutLines: 3, ErrHas: []string{"3 organizations listed"}},
		{Name: "-per-page pages, -v shows progress", Args: []string{"-per-page", "10", "-v"}, OutLines: 25,
			ErrHas: []string{"readycloud: page 2 fetched, 10 organizations so far", "readycloud: page 3 fetched, 20 organizations so far",
				"readycloud: 3 pages, 25 organizations"}},
		{Name: "-json: one object per organization", Args: []string{"-json", "-limit", "4"}, OutLines: 4, JSONLines: true},
		{Name: "-prefetch has pages in flight, in order", Args: []string{"-per-page", "5", "-prefetch", "4"}, OutLines: 25,
			OutHas: []string{"1          Test Company\n"}, ErrHas: []string{"25 organizations listed"}},
		// ReadyCloud publishes no maximum page size and a DRF server lowers
		// one above its own without notice, so the SDK sends what it is
		// given, as jsonapi does for MPDX; rservice refuses what its API
		// documents as too large (issue 24.6).
		{Name: "-per-page above the server's maximum is sent and lowered by the server", Args: []string{"-per-page", "1000"}, OutLines: 25,
			ErrHas: []string{"25 organizations listed"}},
		{Name: "-per-page negative is a usage error", Args: []string{"-per-page", "-1"}, Code: 2, OutLines: 0, ErrOnce: "-per-page must be 0 or more"},
		{Name: "-get shows one", Args: []string{"-get", "1"}, OutLines: clitest.AnyLines, OutHas: []string{"id:         1\n", "name:       Test Company\n", "website:    -\n"}},
		{Name: "-get -json: null for a missing website", Args: []string{"-get", "1", "-json"}, OutLines: 1, JSONLines: true,
			OutHas: []string{`"website":null`}},
		{Name: "-rename", Args: []string{"-get", "1", "-rename", "Renamed Co"}, OutLines: clitest.AnyLines, OutHas: []string{"name:       Renamed Co\n"}},
		{Name: "-h exits 0 and lists the environment", Args: []string{"-h"}, OutLines: 0,
			ErrHas: []string{"usage: readycloud", "-limit N", "-per-page N", "-json", "-record DIR", "-get id", "READYCLOUD_TOKEN", "READYCLOUD_BASE_URL"}},
		{Name: "unknown flag", Args: []string{"-max", "3"}, Code: 2, OutLines: 0, ErrOnce: "flag provided but not defined: -max"},
		{Name: "-rename without -get", Args: []string{"-rename", "x"}, Code: 2, OutLines: 0, ErrOnce: "readycloud: -rename needs -get ID"},
		{Name: "unknown organization", Args: []string{"-get", "no-such-org"}, Code: 1, OutLines: 0, ErrOnce: "404 Not Found"},
	})
}

func TestLiveMode(t *testing.T) {
	t.Parallel()
	srv := readycloudtest.NewServer()
	t.Cleanup(srv.Close)
	live := map[string]string{"READYCLOUD_TOKEN": srv.Token, "READYCLOUD_BASE_URL": srv.URL}
	noFake := []string{"in-memory fake", "wrong-token-1234", srv.Token}
	clitest.Run(t, run, []clitest.Case{
		{Name: "token and base URL", Env: live, Args: []string{"-limit", "2"}, OutLines: 2,
			ErrHas: []string{"2 organizations listed"}, ErrLacks: noFake},
		{Name: "query token", Env: live, Args: []string{"-limit", "1", "-query-token"}, OutLines: 1,
			ErrHas: []string{"1 organizations listed"}, ErrLacks: noFake},
		{Name: "base URL without token is an error, not the fake", Env: map[string]string{"READYCLOUD_BASE_URL": srv.URL},
			Code: 1, ErrHas: []string{"READYCLOUD_BASE_URL is set but READYCLOUD_TOKEN missing"}, ErrLacks: noFake},
		{Name: "bad token", Env: map[string]string{"READYCLOUD_TOKEN": "wrong-token-1234", "READYCLOUD_BASE_URL": srv.URL},
			Code: 1, ErrHas: []string{"401"}, ErrLacks: noFake},
	})
}

func TestRecordAndRetries(t *testing.T) {
	t.Parallel()
	srv := readycloudtest.NewServer()
	t.Cleanup(srv.Close)
	env := map[string]string{"READYCLOUD_TOKEN": srv.Token, "READYCLOUD_BASE_URL": srv.URL}
	dir := t.TempDir()
	code, _, errOut := cli.RunInProcess(t.Context(), run, env, "-record", dir, "-limit", "2", "-query-token", "-v")
	require.Equal(t, 0, code, errOut)
	clitest.NoSecretsRecorded(t, dir, "readycloud-*.json", srv.Token)
	clitest.CleanLog(t, errOut, srv.Token)

	srv.InjectFault(readycloudtest.Fault{Status: 503, Count: 100, RetryAfter: "0"})
	code, _, errOut = cli.RunInProcess(t.Context(), run, env, "-get", "1")
	assert.Equal(t, 1, code)
	assert.Contains(t, errOut, "503")
	assert.Contains(t, errOut, "(after 5 attempts)")
}
