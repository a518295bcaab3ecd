package main

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/orgsdk/orgsdk/commvault/commvaulttest"
	"github.com/orgsdk/orgsdk/examples/internal/cli"
	"github.com/orgsdk/orgsdk/examples/internal/clitest"
	"github.com/orgsdk/orgsdk/internal/golden"
)

func TestRun(t *testing.T) {
	t.Parallel()
	clitest.Run(t, run, []clitest.Case{
		{Name: "lists with default plans from the fake", OutLines: 3,
			OutHas: []string{"   6  company001           enabled  Server: Server plan\n", "no default plan"},
			ErrHas: []string{"using the in-memory fake server", "3 organizations listed"}},
		{Name: "xml", Args: []string{"-xml"}, OutLines: 3, OutHas: []string{"company001"}},
		{Name: "-limit is the most listed", Args: []string{"-limit", "1"}, OutLines: 1, ErrHas: []string{"1 organizations listed"}},
		{Name: "-limit with -json", Args: []string{"-limit", "2", "-json"}, OutLines: 2, JSONLines: true, ErrHas: []string{"2 organizations listed"}},
		{Name: "-json: an empty list, not a dash", Args: []string{"-json"}, OutLines: 3, JSONLines: true, OutHas: []string{`"default_plans":[]`}},
		{Name: "-get", Args: []string{"-get", "16"}, OutLines: clitest.AnyLines, OutHas: []string{"16  test Company (alias testalias)"}},
		{Name: "-get -json", Args: []string{"-get", "16", "-json"}, OutLines: 1},
		// 0 is an id (the CommCell itself), so whether -get was given is
		// the flag's own state: -h shows no made-up default (issue 24.6).
		{Name: "-h shows -get without a default", Args: []string{"-h"}, OutLines: 0, ErrHas: []string{"-get id\n"}, ErrLacks: []string{"(default -1)"}},
		{Name: "-get negative is a usage error", Args: []string{"-get", "-1"}, Code: 2, OutLines: 0, ErrOnce: "commvault: invalid argument: organization id -1 is negative"},
		{Name: "-get not a number", Args: []string{"-get", "x"}, Code: 2, OutLines: 0, ErrOnce: `invalid value "x" for flag -get: not an integer`},
		{Name: "-h exits 0 and lists the environment", Args: []string{"-h"}, OutLines: 0,
			ErrHas: []string{"usage: commvault", "-limit N", "-per-page N", "-json", "-record DIR", "-xml",
				"COMMVAULT_BASE_URL", "COMMVAULT_USERNAME", "COMMVAULT_PASSWORD", "COMMVAULT_DOMAIN", "COMMVAULT_TOKEN"}},
		{Name: "-per-page walks pages", Args: []string{"-per-page", "1", "-v"}, OutLines: 3, ErrHas: []string{"3 organizations listed"}},
		{Name: "unknown flag", Args: []string{"-nope"}, Code: 2, OutLines: 0, ErrOnce: "flag provided but not defined: -nope"},
		{Name: "unknown organization", Args: []string{"-get", "999"}, Code: 1, OutLines: 0},
	})
}

func TestLiveConfiguration(t *testing.T) {
	t.Parallel()
	srv := commvaulttest.NewServer()
	t.Cleanup(srv.Close)
	noFake := []string{"in-memory fake", srv.Password, "wrong-pass-5678"}
	clitest.Run(t, run, []clitest.Case{
		{Name: "login", Env: map[string]string{"COMMVAULT_BASE_URL": srv.URL, "COMMVAULT_USERNAME": srv.Username, "COMMVAULT_PASSWORD": srv.Password},
			OutLines: 3, ErrHas: []string{"3 organizations listed"}, ErrLacks: noFake},
		{Name: "credentials without base URL", Env: map[string]string{"COMMVAULT_USERNAME": srv.Username, "COMMVAULT_PASSWORD": srv.Password},
			Code: 1, ErrHas: []string{"COMMVAULT_USERNAME and COMMVAULT_PASSWORD are set but COMMVAULT_BASE_URL missing"}, ErrLacks: noFake},
		{Name: "base URL without credentials", Env: map[string]string{"COMMVAULT_BASE_URL": srv.URL},
			Code: 1, ErrHas: []string{"COMMVAULT_USERNAME and COMMVAULT_PASSWORD, or COMMVAULT_TOKEN missing"}, ErrLacks: noFake},
		{Name: "username without password", Env: map[string]string{"COMMVAULT_BASE_URL": srv.URL, "COMMVAULT_USERNAME": srv.Username},
			Code: 1, ErrHas: []string{"COMMVAULT_USERNAME is set but COMMVAULT_PASSWORD is not"}, ErrLacks: noFake},
		{Name: "wrong password", Env: map[string]string{"COMMVAULT_BASE_URL": srv.URL, "COMMVAULT_USERNAME": srv.Username, "COMMVAULT_PASSWORD": "wrong-pass-5678"},
			Code: 1, ErrHas: []string{"commvault: POST "}, ErrLacks: append([]string{"orgsdk: commvault:"}, noFake...)},
	})
}

func TestRecordHasNoPasswordInAnyForm(t *testing.T) {
	t.Parallel()
	srv := commvaulttest.NewServer()
	t.Cleanup(srv.Close)
	dir := t.TempDir()
	env := map[string]string{"COMMVAULT_BASE_URL": srv.URL, "COMMVAULT_USERNAME": srv.Username, "COMMVAULT_PASSWORD": srv.Password}
	code, _, errOut := cli.RunInProcess(t.Context(), run, env, "-record", dir, "-v")
	require.Equal(t, 0, code, errOut)
	files := clitest.NoSecretsRecorded(t, dir, "commvault-*.json", srv.Password)
	assert.Contains(t, filepath.Base(files[0]), "commvault-001-post-")
	for _, f := range files {
		data, err := os.ReadFile(f)
		require.NoError(t, err)
		assert.NotRegexp(t, `QSDK [^R]`, string(data), f, "no session token")
	}
	clitest.CleanLog(t, errOut, srv.Password)
}

// TestRecordingIsGolden (issue 20.8): two runs with -record against the
// fake write the same bytes (the recorder fixes the deviceId the client
// makes up per run), and those bytes are the recordings at the root of
// testdata/commvault (the -xml run's in its recorded-xml/ folder), which
// commvault's TestGolden replays against their .golden.json: a recording
// copied there is a golden test, as the README says, whatever its format.
// ORGSDK_UPDATE_GOLDEN=1 rewrites them when the fake changes.
func TestRecordingIsGolden(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		args []string
		dir  string
	}{
		{nil, ""},
		{[]string{"-xml"}, "recorded-xml"},
	} {
		record := func() map[string][]byte {
			dir := t.TempDir()
			code, _, errOut := cli.RunInProcess(t.Context(), run, map[string]string{}, append([]string{"-record", dir}, tc.args...)...)
			require.Equal(t, 0, code, errOut)
			files, err := filepath.Glob(filepath.Join(dir, "commvault-*.json"))
			require.NoError(t, err)
			require.NotEmpty(t, files)
			out := map[string][]byte{}
			for _, f := range files {
				data, err := os.ReadFile(f)
				require.NoError(t, err)
				out[filepath.Base(f)] = data
			}
			return out
		}
		first, second := record(), record()
		require.Equal(t, len(first), len(second))
		for name, data := range first {
			assert.Equal(t, string(data), string(second[name]), "%s differs between two runs", name)
			golden.Assert(t, filepath.Join("..", "..", "testdata", "commvault", tc.dir, name), data)
		}
	}
}
