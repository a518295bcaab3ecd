package main

import (
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/orgsdk/orgsdk/commvault/commvaulttest"
	"github.com/orgsdk/orgsdk/examples/internal/cli"
	"github.com/orgsdk/orgsdk/examples/internal/clitest"
)

// TestLifecycleFlags runs each lifecycle flag against a fresh fake.
func TestLifecycleFlags(t *testing.T) {
	t.Parallel()
	clitest.Run(t, run, []clitest.Case{
		{Name: "-create with plans and tags", Args: []string{"-create", "Globex", "-alias", "globex", "-plan", "Server plan", "-plan", "1", "-tag", "tier=gold", "-tag", "region=eu", "-v"},
			OutLines: 1, OutHas: []string{"1  Globex (alias globex, GUID "}, ErrHas: []string{"commvault: company 1 created", "commvault: 2 tags set on company 1"}},
		{Name: "-create -json", Args: []string{"-create", "Globex", "-alias", "globex", "-json"}, OutLines: 1, OutHas: []string{`"id":1`, `"alias":"globex"`}},
		{Name: "-create -xml", Args: []string{"-create", "Globex", "-alias", "globex", "-xml"}, OutLines: 1, OutHas: []string{"Globex (alias globex"}},
		{Name: "-create needs -alias", Args: []string{"-create", "Globex"}, Code: 2, OutLines: 0, ErrOnce: "-create needs -alias"},
		{Name: "-create with a blank name is refused before sending", Args: []string{"-create", " ", "-alias", "a"}, Code: 2, OutLines: 0, ErrOnce: "must not be blank"},
		{Name: "-create with a taken name", Args: []string{"-create", "company001", "-alias", "other"}, Code: 1, OutLines: 0, ErrOnce: "already exists"},
		{Name: "-create with an unknown plan", Args: []string{"-create", "Globex", "-alias", "globex", "-plan", "nope"}, Code: 1, OutLines: 0, ErrOnce: "Plan [nope] does not exist"},
		{Name: "-plan without -create", Args: []string{"-plan", "1"}, Code: 2, OutLines: 0, ErrOnce: "-alias and -plan go with -create"},
		{Name: "-tag without -create or -tags", Args: []string{"-delete", "21", "-tag", "a=b"}, Code: 2, OutLines: 0, ErrOnce: "-tag goes with -create or -tags"},
		{Name: "bad -tag", Args: []string{"-tags", "6", "-tag", "nokey"}, Code: 2, OutLines: 0, ErrOnce: `want key=value, got "nokey"`},
		{Name: "modes exclude each other", Args: []string{"-create", "x", "-alias", "x", "-delete", "6"}, Code: 2, OutLines: 0, ErrOnce: "-create and -delete exclude each other"},
		{Name: "-deactivate", Args: []string{"-deactivate", "6"}, OutLines: 0, ErrHas: []string{"company 6 deactivated"}},
		{Name: "-activate", Args: []string{"-activate", "21"}, OutLines: 0, ErrHas: []string{"company 21 activated"}},
		{Name: "-delete of an active company is refused with a hint", Args: []string{"-delete", "6"}, Code: 1, OutLines: 0,
			ErrHas: []string{"run -deactivate 6 first", "409 Conflict"}},
		{Name: "-delete of a deactivated company", Args: []string{"-delete", "21"}, OutLines: 0, ErrHas: []string{"company 21 deleted"}},
		{Name: "-delete of a missing company", Args: []string{"-delete", "999"}, Code: 1, OutLines: 0, ErrOnce: "Organization [999] does not exist"},
		{Name: "-delete of a negative id is refused before sending", Args: []string{"-delete", "-5"}, Code: 2, OutLines: 0, ErrOnce: "organization id -5 is not positive"},
		{Name: "-tags of a company without tags", Args: []string{"-tags", "6"}, OutLines: 0, ErrHas: []string{"company 6 has 0 tags"}},
		{Name: "-tags ID -tag sets them", Args: []string{"-tags", "6", "-tag", "tier=gold"}, OutLines: 0, ErrHas: []string{"1 tags set on company 6"}},
		{Name: "-h lists the lifecycle flags", Args: []string{"-h"}, OutLines: 0,
			ErrHas: []string{"-create NAME", "-alias", "-plan", "-tag", "-deactivate", "-activate", "-delete", "-tags"}},
	})
}

// TestLiveLifecycle runs the whole lifecycle against one server, as a
// user would, one run per step; every write reaches the server once.
func TestLiveLifecycle(t *testing.T) {
	t.Parallel()
	srv := commvaulttest.NewServer()
	t.Cleanup(srv.Close)
	env := map[string]string{"COMMVAULT_BASE_URL": srv.URL, "COMMVAULT_USERNAME": srv.Username, "COMMVAULT_PASSWORD": srv.Password}
	step := func(want int, args ...string) string {
		t.Helper()
		code, out, errOut := cli.RunInProcess(t.Context(), run, env, args...)
		require.Equal(t, want, code, errOut)
		clitest.CleanLog(t, errOut, srv.Password)
		return out + errOut
	}
	assert.Contains(t, step(0, "-create", "Initech", "-alias", "initech", "-plan", "Laptop plan", "-tag", "tier=silver"), "company 1 created")
	assert.Contains(t, step(0, "-tags", "1"), "tier=silver")
	assert.Contains(t, step(1, "-delete", "1"), "run -deactivate 1 first")
	assert.Contains(t, step(0, "-deactivate", "1"), "company 1 deactivated")
	assert.Contains(t, step(0, "-delete", "1"), "company 1 deleted")
	assert.Contains(t, step(1, "-tags", "1"), "Organization [1] does not exist")
	p := commvaulttest.Prefix
	assert.Equal(t, 1, srv.HitsFor(http.MethodPost, p+"Organization"))
	assert.Equal(t, 1, srv.HitsFor(http.MethodPut, p+"Tags"))
	assert.Equal(t, 1, srv.HitsFor(http.MethodPost, p+"Organization/1/action/deactivate"))
	assert.Equal(t, 2, srv.HitsFor(http.MethodDelete, p+"Organization/1"), "the refused delete and the one that went through")
}

// TestRecordedWritesHoldNoSecret: -record with a write keeps its request
// body (the golden-test format's writes) and no form of the password or a
// session token.
func TestRecordedWritesHoldNoSecret(t *testing.T) {
	t.Parallel()
	srv := commvaulttest.NewServer()
	t.Cleanup(srv.Close)
	dir := t.TempDir()
	env := map[string]string{"COMMVAULT_BASE_URL": srv.URL, "COMMVAULT_USERNAME": srv.Username, "COMMVAULT_PASSWORD": srv.Password}
	code, _, errOut := cli.RunInProcess(t.Context(), run, env, "-create", "Hooli", "-alias", "hooli", "-tag", "k=v", "-record", dir, "-v")
	require.Equal(t, 0, code, errOut)
	files := clitest.NoSecretsRecorded(t, dir, "commvault-*.json", srv.Password)
	var names, bodies []string
	for _, f := range files {
		data, err := os.ReadFile(f)
		require.NoError(t, err)
		assert.NotRegexp(t, `QSDK [^R]`, string(data), f, "no session token")
		names = append(names, filepath.Base(f))
		bodies = append(bodies, string(data))
	}
	assert.Contains(t, strings.Join(names, " "), "post-commandcenter_api_Organization")
	assert.Contains(t, strings.Join(names, " "), "put-commandcenter_api_Tags")
	assert.Contains(t, strings.Join(bodies, " "), `"connectName": "Hooli"`, "the write's body is recorded")
	clitest.CleanLog(t, errOut, srv.Password)
}
