package main

import (
	"bytes"
	"context"
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/orgsdk/orgsdk/commvault/commvaulttest"
)

func noEnv(string) string { return "" }

func TestRunAgainstBuiltInFake(t *testing.T) {
	t.Parallel()
	for _, args := range [][]string{nil, {"-xml"}} {
		var out, errOut bytes.Buffer
		require.NoError(t, run(context.Background(), args, noEnv, &out, &errOut))
		assert.Contains(t, errOut.String(), "in-memory fake")
		want := "   6  company001           enabled  Server: Server plan\n" +
			"  16  test Company         enabled  Laptop: Laptop plan\n" +
			"  21  Acme Corp            disabled no default plan\n" +
			"3 organizations\n"
		assert.Equal(t, want, out.String(), "args %v", args)
	}
}

func TestRunGet(t *testing.T) {
	t.Parallel()
	var out, errOut bytes.Buffer
	require.NoError(t, run(context.Background(), []string{"-get", "16"}, noEnv, &out, &errOut))
	assert.Equal(t, "16  test Company (alias testalias)\n"+
		"  created  2017-10-10\n"+
		"  users 1, servers 0, VMs 0\n"+
		"  contact  testadmin\n"+
		"  plan     Laptop plan (1)\n", out.String())
}

// TestRunLive points the program at a server given by environment, as a
// live run would: credentials, then a token.
func TestRunLive(t *testing.T) {
	t.Parallel()
	srv := commvaulttest.NewServer()
	defer srv.Close()
	creds := map[string]string{
		"COMMVAULT_BASE_URL": srv.URL, "COMMVAULT_USERNAME": srv.Username, "COMMVAULT_PASSWORD": srv.Password,
	}
	var out, errOut bytes.Buffer
	require.NoError(t, run(context.Background(), []string{"-xml"}, func(k string) string { return creds[k] }, &out, &errOut))
	assert.Contains(t, out.String(), "3 organizations")
	assert.Empty(t, errOut.String())
	assert.Equal(t, 1, srv.Logins())
	assert.Equal(t, 1, srv.HitsFor(http.MethodPost, commvaulttest.Prefix+"Logout"), "the program ends the session it started")

	tok := map[string]string{"COMMVAULT_BASE_URL": srv.URL, "COMMVAULT_TOKEN": srv.Token}
	out.Reset()
	require.NoError(t, run(context.Background(), nil, func(k string) string { return tok[k] }, &out, &errOut))
	assert.Contains(t, out.String(), "3 organizations")
	assert.Equal(t, 1, srv.HitsFor(http.MethodPost, commvaulttest.Prefix+"Logout"), "a given token is not logged out")
}

func TestRunErrors(t *testing.T) {
	t.Parallel()
	srv := commvaulttest.NewServer()
	defer srv.Close()
	for _, tc := range []struct {
		name string
		args []string
		env  map[string]string
		want string
	}{
		{"no credentials", nil, map[string]string{"COMMVAULT_BASE_URL": srv.URL}, "COMMVAULT_USERNAME"},
		{"bad base URL", nil, map[string]string{"COMMVAULT_BASE_URL": "host-only", "COMMVAULT_TOKEN": "x1234"}, "no scheme"},
		{"wrong password", nil, map[string]string{"COMMVAULT_BASE_URL": srv.URL, "COMMVAULT_USERNAME": "admin", "COMMVAULT_PASSWORD": "nope-secret"}, "login failed"},
		{"unknown id", []string{"-get", "99"}, nil, "does not exist"},
		{"bad flag", []string{"-nope"}, nil, "flag provided but not defined"},
		{"extra args", []string{"x"}, nil, "unexpected arguments"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var out, errOut bytes.Buffer
			err := run(context.Background(), tc.args, func(k string) string { return tc.env[k] }, &out, &errOut)
			require.Error(t, err)
			assert.Contains(t, err.Error()+errOut.String(), tc.want)
			assert.NotContains(t, err.Error(), "nope-secret")
		})
	}
}
