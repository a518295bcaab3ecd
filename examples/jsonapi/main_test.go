package main

import (
	"bytes"
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/orgsdk/orgsdk/jsonapi/jsonapitest"
)

func noEnv(string) string { return "" }

func TestRunAgainstFake(t *testing.T) {
	t.Parallel()
	var out, errOut bytes.Buffer
	require.NoError(t, run(context.Background(), []string{"-per-page", "2", "-sort", "-name"}, noEnv, &out, &errOut))
	assert.Equal(t, `d1e2f3a4-b5c6-4d7e-8f9a-0b1c2d3e4f5a  Power to Change      CAD  Canada
6fcf9f2f-25c6-4a7c-9d76-db7bfc3b0041  Organization446      USD  -
f543998b-5dbf-4e4b-ab2b-00f2751986b8  Organization442      USD  -
2b8e6f0c-7d1a-4c3e-9f5b-1a2b3c4d5e6f  Cru                  USD  United States
8c4d2e1f-3a5b-4c6d-8e7f-9a0b1c2d3e4f  Agape UK             GBP  United Kingdom
5 organizations
`, out.String())
	assert.Contains(t, errOut.String(), "fake server")
}

func TestRunFilterAndGet(t *testing.T) {
	t.Parallel()
	var out bytes.Buffer
	require.NoError(t, run(context.Background(), []string{"-filter", "country=Canada"}, noEnv, &out, &bytes.Buffer{}))
	assert.Contains(t, out.String(), "Power to Change")
	assert.Contains(t, out.String(), "1 organizations")

	out.Reset()
	require.NoError(t, run(context.Background(), []string{"-get", "2b8e6f0c-7d1a-4c3e-9f5b-1a2b3c4d5e6f"}, noEnv, &out, &bytes.Buffer{}))
	assert.Contains(t, out.String(), "Cru")
}

func TestRunLiveSettings(t *testing.T) {
	t.Parallel()
	srv := jsonapitest.NewServer()
	defer srv.Close()
	env := map[string]string{"MPDX_TOKEN": srv.Token, "MPDX_BASE_URL": srv.URL}
	var out, errOut bytes.Buffer
	require.NoError(t, run(context.Background(), nil, func(k string) string { return env[k] }, &out, &errOut))
	assert.Contains(t, out.String(), "5 organizations")
	assert.Empty(t, errOut.String())
	assert.Equal(t, 1, srv.Hits())

	env["MPDX_TOKEN"] = "wrong-token"
	err := run(context.Background(), nil, func(k string) string { return env[k] }, &out, &errOut)
	require.Error(t, err)
	assert.NotContains(t, err.Error(), "wrong-token")
}

func TestRunErrors(t *testing.T) {
	t.Parallel()
	for name, args := range map[string][]string{
		"bad flag":    {"-nope"},
		"bad filter":  {"-filter", "novalue"},
		"bad sort":    {"-sort", "created_at"},
		"unknown id":  {"-get", "missing"},
		"negative pp": {"-per-page", "-1"},
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			require.Error(t, run(context.Background(), args, noEnv, &bytes.Buffer{}, &bytes.Buffer{}))
		})
	}
}
