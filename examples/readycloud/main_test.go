package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/orgsdk/orgsdk/readycloud"
	"github.com/orgsdk/orgsdk/readycloud/readycloudtest"
)

func noEnv(string) string { return "" }

func TestRunAgainstBuiltInFake(t *testing.T) {
	t.Parallel()
	var out, errOut bytes.Buffer
	require.NoError(t, run(context.Background(), []string{"-limit", "7", "-rename", "Acme Renamed"}, noEnv, &out, &errOut))
	got := out.String()
	assert.Contains(t, errOut.String(), "READYCLOUD_TOKEN not set")
	assert.Contains(t, got, "1          Test Company\n")
	assert.Contains(t, got, "25 organizations listed")
	assert.Contains(t, got, "plan:       (unnamed), 0.00 USD per month")
	assert.Contains(t, got, "quotas:     orders 1991, users unlimited, integrations unlimited, storage unlimited")
	assert.Contains(t, got, "trial ends: 2019-08-02 12:21 UTC")
	assert.Contains(t, got, `renamed 1 to "Acme Renamed"`)
}

// TestRunLive points the program at a fake through the environment, as a
// user would with the real API, and checks the rename reached the server.
func TestRunLive(t *testing.T) {
	t.Parallel()
	srv := readycloudtest.NewServer()
	defer srv.Close()
	env := func(k string) string {
		switch k {
		case "READYCLOUD_TOKEN":
			return srv.Token
		case "READYCLOUD_BASE_URL":
			return srv.URL
		}
		return ""
	}
	for _, args := range [][]string{
		{"-max", "3", "-get", "5", "-rename", "Five"},
		{"-max", "3", "-get", "6", "-rename", "Six", "-query-token"},
	} {
		var out, errOut bytes.Buffer
		require.NoError(t, run(context.Background(), args, env, &out, &errOut))
		assert.Empty(t, errOut.String())
		assert.Contains(t, out.String(), "3 organizations listed")
		assert.NotContains(t, out.String(), srv.Token)
	}
	stored, _ := srv.Organization("5")
	name := stored.Name
	assert.Equal(t, "Five", name)
	stored, _ = srv.Organization("6")
	name = stored.Name
	assert.Equal(t, "Six", name)
}

func TestRunErrors(t *testing.T) {
	t.Parallel()
	srv := readycloudtest.NewServer()
	defer srv.Close()
	badToken := func(k string) string {
		switch k {
		case "READYCLOUD_TOKEN":
			return "wrong-token"
		case "READYCLOUD_BASE_URL":
			return srv.URL
		}
		return ""
	}
	var out, errOut bytes.Buffer
	err := run(context.Background(), nil, badToken, &out, &errOut)
	require.ErrorIs(t, err, readycloud.ErrUnauthorized)
	assert.NotContains(t, err.Error(), "wrong-token")

	err = run(context.Background(), []string{"-get", "nope"}, noEnv, &out, &errOut)
	require.ErrorIs(t, err, readycloud.ErrNotFound)

	err = run(context.Background(), []string{"-rename", " "}, noEnv, &out, &errOut)
	require.ErrorIs(t, err, readycloud.ErrInvalidArgument)

	err = run(context.Background(), []string{"-h"}, noEnv, &out, &errOut)
	require.True(t, errors.Is(err, flag.ErrHelp))
	assert.True(t, strings.Contains(errOut.String(), "-rename"))

	require.Error(t, run(context.Background(), []string{"extra"}, noEnv, &out, &errOut))
	require.Error(t, run(context.Background(), []string{"-max", "-1"}, noEnv, &out, &errOut))
	require.Error(t, run(context.Background(), nil, func(k string) string {
		if k == "READYCLOUD_TOKEN" {
			return "tok"
		}
		return "not a url"
	}, &out, &errOut))
}
