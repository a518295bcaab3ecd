package main

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/orgsdk/orgsdk/examples/internal/cli"
	"github.com/orgsdk/orgsdk/examples/internal/clitest"
	"github.com/orgsdk/orgsdk/internal/faulttest"
	"github.com/orgsdk/orgsdk/internal/transport"
	"github.com/orgsdk/orgsdk/rservice"
	"github.com/orgsdk/orgsdk/rservice/rservicetest"
)

func TestRun(t *testing.T) {
	t.Parallel()
	clitest.Run(t, run, []clitest.Case{
		{Name: "view, filters, sort, limit, per-page", OutLines: clitest.AnyLines,
			Args: []string{"-view", "enabled", "-filter", "created_at>=2016-04-10", "-filter", "parent~6,51", "-sort", "-created_at", "-limit", "3", "-per-page", "2"},
			Out: "159\tGenerated Organization 059\tWidget North America, Inc.\n" +
				"158\tGenerated Organization 058\tWidget Data Center\n" +
				"157\tGenerated Organization 057\tWidget North America, Inc.\n",
			ErrHas: []string{"in-memory fake", "3 organizations listed"}},
		{Name: "-v shows progress on a walk", OutLines: clitest.AnyLines, Args: []string{"-per-page", "10", "-limit", "25", "-v"},
			ErrHas: []string{"rservice: page 2 fetched, 10 organizations so far", "rservice: 3 pages, 25 organizations"}},
		{Name: "-json lines", Args: []string{"-limit", "2", "-json"}, OutLines: 2, JSONLines: true},
		{Name: "-get", OutLines: clitest.AnyLines, Args: []string{"-get", "50"}, OutHas: []string{`"name": "Widget North America, Finance"`}},
		{Name: "-h exits 0 and lists the environment", OutLines: clitest.AnyLines, Args: []string{"-h"},
			ErrHas: []string{"usage: rservice", "-limit N", "-per-page N", "-json", "-record DIR", "RSERVICE_TOKEN", "RSERVICE_ACCOUNT", "RSERVICE_BASE_URL"}},
		{Name: "old -max flag is gone", Args: []string{"-max", "1"}, Code: 2, ErrOnce: "flag provided but not defined: -max"},
		{Name: "extra argument", Args: []string{"extra"}, Code: 2, ErrOnce: `rservice: unexpected argument "extra"`},
		{Name: "two modes", Args: []string{"-get", "1", "-update", "2"}, Code: 2, ErrOnce: "use only one of -get, -create, -update, -addresses, -add-address and -children"},
		{Name: "two sub-collection modes", Args: []string{"-addresses", "50", "-children", "51"}, Code: 2, ErrOnce: "use only one of"},
		// Issue 21: an organization's addresses and children.
		{Name: "-addresses", Args: []string{"-addresses", "50"}, OutLines: 1, Out: "71\tstreet\t1172 Park Avenue, New York, NY 10128, US\n",
			ErrHas: []string{"1 addresses listed"}},
		{Name: "-addresses -json", Args: []string{"-addresses", "50", "-json"}, OutLines: 1, OutHas: []string{`"label":"street"`, `"nodeID":`}},
		{Name: "-addresses of an unknown organization", Args: []string{"-addresses", "999"}, Code: 1, ErrOnce: "404"},
		{Name: "-add-address", Args: []string{"-add-address", "50", "label=billing,address=1 Main St, Suite 5,city=Albany", "country=US", "-json"},
			OutLines: 1, OutHas: []string{`"label":"billing"`, `"address":"1 Main St, Suite 5"`, `"city":"Albany"`, `"country":"US"`}},
		{Name: "-add-address indented", Args: []string{"-add-address", "50", "label=street", "integration=true"}, OutLines: clitest.AnyLines,
			OutHas: []string{`"integration": true`}},
		{Name: "-add-address unknown key", Args: []string{"-add-address", "50", "label=street,colour=red"}, Code: 2,
			ErrOnce: `unknown key "colour" (keys: label, address, city, state, zip, country, integration)`, ErrHas: []string{"usage: rservice"}},
		{Name: "-add-address without a label", Args: []string{"-add-address", "50", "city=Albany"}, Code: 2, ErrOnce: "address label is required"},
		{Name: "-add-address not a pair", Args: []string{"-add-address", "50", "street"}, Code: 2, ErrOnce: `"street" is not key=value`},
		{Name: "-add-address a key twice", Args: []string{"-add-address", "50", "label=street", "label=billing"}, Code: 2, ErrOnce: "label given twice"},
		{Name: "-add-address bad integration", Args: []string{"-add-address", "50", "label=street,integration=maybe"}, Code: 2, ErrOnce: `integration="maybe": want true or false`},
		{Name: "-add-address bad country", Args: []string{"-add-address", "50", "label=street,country=USA"}, Code: 2, ErrOnce: "two-letter ISO 3166"},
		{Name: "-add-address label the API refuses", Args: []string{"-add-address", "50", "label=home"}, Code: 1, ErrOnce: "Label is not included in the list"},
		{Name: "pairs without -add-address", Args: []string{"-addresses", "50", "label=street"}, Code: 2, ErrOnce: `unexpected argument "label=street"`},
		{Name: "-children with a view, limit and per-page", Args: []string{"-children", "51", "-view", "disabled", "-limit", "2", "-per-page", "1"}, OutLines: 2,
			Out:    "105\tGenerated Organization 005\tWidget North America, Inc.\n115\tGenerated Organization 015\tWidget North America, Inc.\n",
			ErrHas: []string{"2 children listed"}},
		{Name: "-children with a filter and sort", Args: []string{"-children", "51", "-filter", "id<=103", "-sort", "-id"}, OutLines: 3,
			Out: "103\tGenerated Organization 003\tWidget North America, Inc.\n101\tGenerated Organization 001\tWidget North America, Inc.\n50\tWidget North America, Finance\tWidget North America, Inc.\n"},
		{Name: "-children -json", Args: []string{"-children", "6", "-limit", "3", "-json"}, OutLines: 3, JSONLines: true},
		{Name: "-children -v shows progress", Args: []string{"-children", "51", "-per-page", "10", "-v"}, OutLines: 31,
			ErrHas: []string{"rservice: page 2 fetched"}},
		{Name: "-children with a view children do not have", Args: []string{"-children", "51", "-view", "external"}, Code: 2, ErrOnce: `unknown view "external"`},
		{Name: "bad filter", Args: []string{"-filter", "id=x"}, Code: 2, ErrOnce: `-filter "id=x": "x" is not an integer`},
		{Name: "bad -disabled", Args: []string{"-update", "50", "-disabled", "perhaps"}, Code: 2, ErrOnce: `-disabled "perhaps": want true or false`},
		{Name: "bad -clear", Args: []string{"-update", "50", "-clear", "name"}, Code: 2, ErrOnce: `cannot clear "name"`},
		// A flag value the SDK refuses before sending is a usage error,
		// exit 2, with the usage after it (issue 24.6).
		{Name: "unknown filter field", Args: []string{"-filter", "colour=red"}, Code: 2, ErrOnce: "colour", ErrHas: []string{"usage: rservice"}},
		{Name: "unknown view", Args: []string{"-view", "archived"}, Code: 2, ErrOnce: "archived", ErrHas: []string{"usage: rservice"}},
		{Name: "unknown sort field", Args: []string{"-sort", "foo"}, Code: 2, ErrOnce: `sorted on "foo"`},
		{Name: "-per-page above the API's 100", Args: []string{"-per-page", "1000"}, Code: 2, ErrOnce: "PerPage 1000 is above the API's maximum, 100"},
		{Name: "empty update", Args: []string{"-update", "50"}, Code: 2},
		{Name: "duplicate name", Args: []string{"-create", "Widget Data Center", "-order-template", "30"}, Code: 1, ErrOnce: "Name has already been taken"},
	})
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
	assert.Equal(t, 2, code, "a missing flag the SDK needs is a usage error")
	assert.Contains(t, errOut, "order_template_id is required", "create without an order template is refused before any request")
}

// TestAddAddressChecksBeforeSending: a bad -add-address sends nothing.
func TestAddAddressChecksBeforeSending(t *testing.T) {
	t.Parallel()
	for _, args := range [][]string{
		{"-add-address", "50", "label=street,colour=red"},
		{"-add-address", "50", "city=Albany"},
		{"-add-address", "0", "label=street"},
	} {
		ct := &faulttest.CountingTransport{Next: transport.DefaultHTTPClient().Transport}
		var out, errOut bytes.Buffer
		code := run(t.Context(), args, cli.Env{Getenv: func(string) string { return "" }, Stdout: &out, Stderr: &errOut, Transport: ct})
		assert.Equal(t, cli.ExitUsage, code, "%v: %s", args, errOut.String())
		assert.Zero(t, ct.Count(""), "%v: nothing sent", args)
	}
}

func TestLiveMode(t *testing.T) {
	t.Parallel()
	srv := rservicetest.NewServer()
	t.Cleanup(srv.Close)
	noFake := []string{"in-memory fake", srv.Token}
	clitest.Run(t, run, []clitest.Case{
		{Name: "complete", Env: map[string]string{"RSERVICE_TOKEN": srv.Token, "RSERVICE_BASE_URL": srv.URL, "RSERVICE_ACCOUNT": srv.Account},
			Args: []string{"-view", "managed_by_me", "-fields", "name,parent", "-limit", "2"}, OutLines: 2, ErrHas: []string{"2 organizations listed"}, ErrLacks: noFake},
		{Name: "token without account", Env: map[string]string{"RSERVICE_TOKEN": srv.Token, "RSERVICE_BASE_URL": srv.URL},
			Code: 1, ErrHas: []string{"RSERVICE_TOKEN and RSERVICE_BASE_URL are set but RSERVICE_ACCOUNT missing"}, ErrLacks: noFake},
		{Name: "another account", Env: map[string]string{"RSERVICE_TOKEN": srv.Token, "RSERVICE_BASE_URL": srv.URL, "RSERVICE_ACCOUNT": "someone-else"},
			Args: []string{"-get", "50"}, Code: 1, ErrHas: []string{"403"}, ErrLacks: noFake},
	})
}
