// Command jsonapi lists MPDX organizations, or those of any JSON:API server
// with the same conventions, and shows one with -get.
//
// With MPDX_TOKEN set it talks to the live API (MPDX_BASE_URL overrides
// https://api.mpdx.org/api/v2/); with neither set, to an in-memory fake
// (jsonapitest), so it runs anywhere.
//
//	go run ./examples/jsonapi [-limit N] [-per-page N] [-json] [-v] [-record DIR] [-sort name|-name] [-filter key=value] [-get ID]
package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"

	"github.com/orgsdk/orgsdk/examples/internal/cli"
	"github.com/orgsdk/orgsdk/jsonapi"
	"github.com/orgsdk/orgsdk/jsonapi/jsonapitest"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	code := run(ctx, os.Args[1:], cli.OSEnv())
	stop()
	os.Exit(code)
}

type filters map[string]string

func (f filters) String() string { return fmt.Sprint(map[string]string(f)) }

func (f filters) Set(v string) error {
	k, val, ok := strings.Cut(v, "=")
	if !ok || k == "" {
		return fmt.Errorf("want key=value, got %q", v)
	}
	f[k] = val
	return nil
}

func run(ctx context.Context, args []string, env cli.Env) int {
	cmd := cli.New("jsonapi", "[-sort name|-name] [-filter key=value]... [-get ID]", env, cli.JSONAPI)
	sortBy := cmd.Flags.String("sort", "name", "sort order: name or -name")
	get := cmd.Flags.String("get", "", "show the organization with this `id` instead of listing")
	filter := filters{}
	cmd.Flags.Var(filter, "filter", "filter[key]=value, repeatable (e.g. country=Canada)")
	if code, ok := cmd.Parse(args); !ok {
		return code
	}
	live, err := cli.JSONAPI.Resolve(cmd.Getenv)
	if err != nil {
		cmd.Errorf("%v", err)
		return cli.ExitError
	}

	s := cmd.Session("jsonapi")
	token := cmd.Getenv("MPDX_TOKEN")
	opts := []jsonapi.Option{jsonapi.WithLogger(cmd.Logger), jsonapi.WithHTTPClient(s.HTTPClient)}
	if !live {
		srv := jsonapitest.NewServer()
		defer srv.Close()
		token = srv.Token
		cmd.Secrets.Add(token)
		opts = append(opts, jsonapi.WithBaseURL(srv.URL))
		cmd.Infof("jsonapi: MPDX_TOKEN not set: using the in-memory fake server")
	} else if base := cmd.Getenv("MPDX_BASE_URL"); base != "" {
		opts = append(opts, jsonapi.WithBaseURL(base))
	}
	c, err := jsonapi.NewClient(token, opts...)
	if err != nil {
		cmd.Errorf("%v", err)
		return cli.ExitError
	}
	if err := work(ctx, cmd, s, c, *get, &jsonapi.ListOptions{Sort: *sortBy, PerPage: cmd.PageSize(100), Filter: filter}); err != nil {
		cmd.Errorf("%v", s.Err(err))
		return cli.ExitError
	}
	return cli.ExitOK
}

func work(ctx context.Context, cmd *cli.Command, s *cli.Session, c *jsonapi.Client, id string, lo *jsonapi.ListOptions) error {
	if id != "" {
		org, _, err := c.Organizations.Get(ctx, id)
		if err != nil {
			return err
		}
		return printOrg(cmd, org)
	}
	n := 0
	defer s.Done()
	for org, err := range c.Organizations.All(ctx, lo) {
		if err != nil {
			return err
		}
		n++
		s.Item()
		if err := printOrg(cmd, org); err != nil {
			return err
		}
		if cmd.Enough(n) {
			break
		}
	}
	cmd.Infof("jsonapi: %d organizations listed", n)
	return nil
}

func printOrg(cmd *cli.Command, o *jsonapi.Organization) error {
	if cmd.JSON {
		return cmd.PrintJSON(o)
	}
	printText(cmd.Stdout(), o)
	return nil
}

func printText(w io.Writer, o *jsonapi.Organization) {
	country := "-"
	if o.Country != nil && *o.Country != "" {
		country = *o.Country
	}
	fmt.Fprintf(w, "%s  %-20s %s  %s\n", o.ID, o.Name, o.DefaultCurrencyCode, country)
}
