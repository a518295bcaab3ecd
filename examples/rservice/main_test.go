package main

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/orgsdk/orgsdk/examples/internal/cli"
	"github.com/orgsdk/orgsdk/rservice"
	"github.com/orgsdk/orgsdk/rservice/rservicetest"
)

func TestRun(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		args     []string
		code     int
		out      string // exact, when set
		outHas   []string
		errOut   []string
		errOnce  string
		jsonLine bool
	}{
		{name: "view, filters, sort, limit, per-page",
			args: []string{"-view", "enabled", "-filter", "created_at>=2016-04-10", "-filter", "parent~6,51", "-sort", "-created_at", "-limit", "3", "-per-page", "2"},
			out: "159\tGenerated Organization 059\tWidget North America, Inc.\n" +
				"158\tGenerated Organization 058\tWidget Data Center\n" +
				"157\tGenerated Organization 057\tWidget North America, Inc.\n",
			errOut: []string{"in-memory fake", "3 organizations listed"}},
		{name: "-v shows progress on a walk", args: []string{"-per-page", "10", "-limit", "25", "-v"},
			errOut: []string{"rservice: page 2 fetched, 10 organizations so far", "rservice: 3 pages, 25 organizations"}},
		{name: "-json lines", args: []string{"-limit", "2", "-json"}, jsonLine: true},
		{name: "-get", args: []string{"-get", "50"}, outHas: []string{`"name": "Widget North America, Finance"`}},
		{name: "-h exits 0 and lists the environment", args: []string{"-h"},
			errOut: []string{"usage: rservice", "-limit N", "-per-page N", "-json", "-record DIR", "RSERVICE_TOKEN", "RSERVICE_ACCOUNT", "RSERVICE_BASE_URL"}},
		{name: "old -max flag is gone", args: []string{"-max", "1"}, code: 2, errOnce: "flag provided but not defined: -max"},
		{name: "extra argument", args: []string{"extra"}, code: 2, errOnce: `rservice: unexpected argument "extra"`},
		{name: "two modes", args: []string{"-get", "1", "-update", "2"}, code: 2, errOnce: "use only one of -get, -create and -update"},
		{name: "bad filter", args: []string{"-filter", "id=x"}, code: 2, errOnce: `-filter "id=x": "x" is not an integer`},
		{name: "bad -disabled", args: []string{"-update", "50", "-disabled", "perhaps"}, code: 2, errOnce: `-disabled "perhaps": want true or false`},
		{name: "bad -clear", args: []string{"-update", "50", "-clear", "name"}, code: 2, errOnce: `cannot clear "name"`},
		{name: "unknown filter field", args: []string{"-filter", "colour=red"}, code: 1, errOnce: "colour"},
		{name: "unknown view", args: []string{"-view", "archived"}, code: 1, errOnce: "archived"},
		{name: "empty update", args: []string{"-update", "50"}, code: 1},
		{name: "duplicate name", args: []string{"-create", "Widget Data Center", "-order-template", "30"}, code: 1, errOnce: "Name has already been taken"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			code, out, errOut := cli.RunInProcess(t.Context(), run, nil, tt.args...)
			require.Equal(t, tt.code, code, errOut)
			if tt.out != "" {
				assert.Equal(t, tt.out, out)
			}
			for _, s := range tt.outHas {
				assert.Contains(t, out, s)
			}
			for _, s := range tt.errOut {
				assert.Contains(t, errOut, s)
			}
			if tt.errOnce != "" {
				assert.Equal(t, 1, strings.Count(errOut, tt.errOnce), errOut)
			}
			if tt.code != 0 {
				assert.Empty(t, out)
			}
			if tt.jsonLine {
				lines := strings.Split(strings.TrimSpace(out), "\n")
				assert.Len(t, lines, 2)
				for _, l := range lines {
					var org rservice.Organization
					require.NoError(t, json.Unmarshal([]byte(l), &org), l)
					assert.NotEmpty(t, org.Name)
					assert.NotContains(t, l, `:"-"`)
				}
			}
		})
	}
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

func TestWrites(t *testing.T) {
	t.Parallel()
	code, out, errOut := cli.RunInProcess(t.Context(), run, nil, "-create", "Widget Europe", "-order-template", "30", "-parent", "6", "-manager", "121", "-region", "EMEA", "-disabled", "false")
	require.Equal(t, 0, code, errOut)
	var org rservice.Organization
	require.NoError(t, json.Unmarshal([]byte(out), &org))
	assert.Equal(t, "Widget Data Center", org.Parent.Name)
	assert.Equal(t, "EMEA", *org.Region)

	code, out, errOut = cli.RunInProcess(t.Context(), run, nil, "-update", "50", "-region", "EMEA", "-financial-id", "F-1", "-clear", "substitute,remarks", "-name", "Widget NA Finance", "-json")
	require.Equal(t, 0, code, errOut)
	assert.Equal(t, 1, strings.Count(out, "\n"), "-json prints one line")
	org = rservice.Organization{}
	require.NoError(t, json.Unmarshal([]byte(out), &org))
	assert.Equal(t, "Widget NA Finance", org.Name)
	assert.Nil(t, org.Substitute)
	assert.Nil(t, org.Remarks)
	assert.Equal(t, "Carolyn Goldrat", org.Manager.Name, "left alone")

	code, _, errOut = cli.RunInProcess(t.Context(), run, nil, "-create", "Widget Asia")
	assert.Equal(t, 1, code)
	assert.Contains(t, errOut, "order_template_id is required", "create without an order template is refused before any request")
}

func TestLiveMode(t *testing.T) {
	t.Parallel()
	srv := rservicetest.NewServer()
	t.Cleanup(srv.Close)
	tests := []struct {
		name   string
		env    map[string]string
		args   []string
		code   int
		errOut string
	}{
		{name: "complete", env: map[string]string{"RSERVICE_TOKEN": srv.Token, "RSERVICE_BASE_URL": srv.URL, "RSERVICE_ACCOUNT": srv.Account},
			args: []string{"-view", "managed_by_me", "-fields", "name,parent", "-limit", "2"}, errOut: "2 organizations listed"},
		{name: "token without account", env: map[string]string{"RSERVICE_TOKEN": srv.Token, "RSERVICE_BASE_URL": srv.URL},
			code: 1, errOut: "RSERVICE_TOKEN and RSERVICE_BASE_URL are set but RSERVICE_ACCOUNT missing"},
		{name: "another account", env: map[string]string{"RSERVICE_TOKEN": srv.Token, "RSERVICE_BASE_URL": srv.URL, "RSERVICE_ACCOUNT": "someone-else"},
			args: []string{"-get", "50"}, code: 1, errOut: "403"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, _, errOut := cli.RunInProcess(t.Context(), run, tt.env, tt.args...)
			assert.Equal(t, tt.code, code, errOut)
			assert.Contains(t, errOut, tt.errOut)
			assert.NotContains(t, errOut, "in-memory fake")
			assert.NotContains(t, errOut, srv.Token)
		})
	}
}
