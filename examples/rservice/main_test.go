package main

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/orgsdk/orgsdk/rservice"
	"github.com/orgsdk/orgsdk/rservice/rservicetest"
)

func noEnv(string) string { return "" }

func runArgs(t *testing.T, env func(string) string, args ...string) (string, string, error) {
	t.Helper()
	var out, errOut bytes.Buffer
	err := run(context.Background(), args, env, &out, &errOut)
	return out.String(), errOut.String(), err
}

func TestListWithViewFilterSort(t *testing.T) {
	t.Parallel()
	out, errOut, err := runArgs(t, noEnv, "-view", "enabled", "-filter", "created_at>=2016-04-10",
		"-filter", "parent~6,51", "-sort", "-created_at", "-max", "3", "-per-page", "2")
	require.NoError(t, err)
	assert.Equal(t, "159\tGenerated Organization 059\tWidget North America, Inc.\n"+
		"158\tGenerated Organization 058\tWidget Data Center\n"+
		"157\tGenerated Organization 057\tWidget North America, Inc.\n", out)
	assert.Contains(t, errOut, "in-memory fake")
	assert.Contains(t, errOut, "3 organizations")
}

func TestFilterSyntax(t *testing.T) {
	t.Parallel()
	cases := map[string]string{
		"name=Widget":                     "name=Widget",
		"name!=Widget":                    "name=!Widget",
		"financialID=":                    "financialID=",
		"financialID!=":                   "financialID=!",
		"id<44":                           "id=%3C44",
		"id<=44":                          "id=%3C%3D44",
		"id>44":                           "id=%3E44",
		"id>=44":                          "id=%3E%3D44",
		"id~1,2":                          "id=1,2",
		"id~!1,2":                         "id=!1,2",
		"source~a,b":                      "source=a,b",
		"disabled=true":                   "disabled=true",
		"created_at<2016-01-15T23:00:00Z": "created_at=%3C2016-01-15T23%3A00%3A00Z",
		"updated_at>2016-01-15":           "updated_at=%3E2016-01-15",
	}
	for in, want := range cases {
		f, err := parseFilter(in)
		require.NoError(t, err, in)
		assert.Equal(t, want, f.String(), in)
	}
	for _, bad := range []string{"name", "=x", "id=x", "id~1,x", "disabled=maybe", "created_at>soon"} {
		_, err := parseFilter(bad)
		assert.Error(t, err, bad)
	}
}

func TestGetCreateUpdate(t *testing.T) {
	t.Parallel()
	out, _, err := runArgs(t, noEnv, "-get", "50")
	require.NoError(t, err)
	var org rservice.Organization
	require.NoError(t, json.Unmarshal([]byte(out), &org))
	assert.Equal(t, "Widget North America, Finance", org.Name)

	out, _, err = runArgs(t, noEnv, "-create", "Widget Europe", "-order-template", "30", "-parent", "6", "-manager", "121", "-region", "EMEA", "-disabled", "false")
	require.NoError(t, err)
	org = rservice.Organization{}
	require.NoError(t, json.Unmarshal([]byte(out), &org))
	assert.Equal(t, "Widget Data Center", org.Parent.Name)
	assert.Equal(t, "EMEA", *org.Region)

	out, _, err = runArgs(t, noEnv, "-update", "50", "-region", "EMEA", "-financial-id", "F-1", "-clear", "substitute,remarks", "-name", "Widget NA Finance")
	require.NoError(t, err)
	org = rservice.Organization{}
	require.NoError(t, json.Unmarshal([]byte(out), &org))
	assert.Equal(t, "Widget NA Finance", org.Name)
	assert.Nil(t, org.Substitute)
	assert.Nil(t, org.Remarks)
	assert.Equal(t, "Carolyn Goldrat", org.Manager.Name, "left alone")

	_, _, err = runArgs(t, noEnv, "-create", "Widget Asia")
	assert.ErrorIs(t, err, rservice.ErrInvalidArgument, "no order template")

	_, _, err = runArgs(t, noEnv, "-create", "Widget Data Center", "-order-template", "30")
	assert.ErrorIs(t, err, rservice.ErrValidation)
	assert.Contains(t, err.Error(), "Name has already been taken")
}

func TestLiveModeUsesEnvironment(t *testing.T) {
	t.Parallel()
	srv := rservicetest.NewServer()
	defer srv.Close()
	env := map[string]string{"RSERVICE_TOKEN": srv.Token, "RSERVICE_BASE_URL": srv.URL, "RSERVICE_ACCOUNT": srv.Account}
	out, errOut, err := runArgs(t, func(k string) string { return env[k] }, "-view", "managed_by_me", "-fields", "name,parent", "-max", "2")
	require.NoError(t, err)
	assert.NotContains(t, errOut, "fake")
	assert.Equal(t, 2, strings.Count(out, "\n"))
	first := srv.Requests()[0]
	assert.Equal(t, "GET /v1/organizations/managed_by_me?fields=name,parent&per_page=100", first.Method+" "+first.Path+"?"+first.RawQuery)
	assert.Equal(t, srv.Account, first.Header.Get("X-4me-Account"))

	env["RSERVICE_ACCOUNT"] = "someone-else"
	_, _, err = runArgs(t, func(k string) string { return env[k] }, "-get", "50")
	assert.ErrorIs(t, err, rservice.ErrForbidden)
}

func TestBadArguments(t *testing.T) {
	t.Parallel()
	for _, args := range [][]string{
		{"extra"},
		{"-max", "-1"},
		{"-get", "1", "-update", "2"},
		{"-filter", "colour=red"},
		{"-view", "archived"},
		{"-sort", "region"},
		{"-update", "50", "-disabled", "perhaps"},
		{"-update", "50", "-clear", "name"},
		{"-update", "50"},
		{"-get", "-5"},
	} {
		_, _, err := runArgs(t, noEnv, args...)
		assert.Error(t, err, args)
	}
	_, _, err := runArgs(t, noEnv, "-h")
	assert.ErrorIs(t, err, flag.ErrHelp)
}
