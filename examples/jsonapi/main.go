// Command jsonapi lists MPDX organizations, or those of any JSON:API server
// with the same conventions, shows one with -get, creates one with -create
// (MPDX admins only) and lists the user's organization accounts with
// -accounts.
//
// With MPDX_TOKEN set it talks to the live API (MPDX_BASE_URL overrides
// https://api.mpdx.org/api/v2/); with neither set, to an in-memory fake
// (jsonapitest), so it runs anywhere.
//
//	go run ./examples/jsonapi [-limit N] [-per-page N] [-json] [-v] [-record DIR] [-sort name|-name] [-filter key=value] [-get ID] [-create NAME] [-accounts]
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

func run(ctx context.Context, args []string, env cli.Env) (code int) {
	cmd := cli.New("jsonapi", "[-sort name|-name] [-filter key=value]... [-get ID | -create NAME | -accounts]", env, cli.JSONAPI)
	defer func() { code = cmd.Finish(code) }()
	sortBy := cmd.Flags.String("sort", "name", "sort order: name or -name")
	get := cmd.Flags.String("get", "", "show the organization with this `id` instead of listing")
	create := cmd.Flags.String("create", "", "create an organization named `NAME` (MPDX admins only) instead of listing")
	accounts := cmd.Flags.Bool("accounts", false, "list the user's organization accounts (user name, organization) instead of organizations")
	filter := filters{}
	cmd.Flags.Var(filter, "filter", "filter[key]=value, repeatable (e.g. country=Canada)")
	if code, ok := cmd.Parse(args); !ok {
		return code
	}
	modes := 0
	for _, on := range []bool{*get != "", *create != "", *accounts} {
		if on {
			modes++
		}
	}
	if modes > 1 {
		return cmd.UsageError("-get, -create and -accounts exclude each other: give one")
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
	opts = append(opts, jsonapi.WithPrefetch(cmd.Prefetch))
	c, err := jsonapi.NewClient(token, opts...)
	if err != nil {
		cmd.Errorf("%v", err)
		return cli.ExitError
	}
	s.RedactWith(c.Redact)
	lo := &jsonapi.ListOptions{Sort: *sortBy, PerPage: cmd.PageSize(100), Filter: filter}
	switch {
	case *create != "":
		err = createOrg(ctx, cmd, c, *create)
	case *accounts:
		err = listAccounts(ctx, cmd, s, c, cmd.PageSize(100))
	default:
		err = work(ctx, cmd, s, c, *get, lo)
	}
	if err != nil {
		return s.Fail(err)
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

// createOrg sends one POST: a failure after it may have reached the server
// is reported, never retried, so the organization is never made twice.
func createOrg(ctx context.Context, cmd *cli.Command, c *jsonapi.Client, name string) error {
	org, _, err := c.Organizations.Create(ctx, &jsonapi.OrganizationInput{Name: jsonapi.Set(name)})
	if err != nil {
		return err
	}
	if err := printOrg(cmd, org); err != nil {
		return err
	}
	cmd.Infof("jsonapi: organization %s created", org.ID)
	return nil
}

// listAccounts walks the user's organization accounts with their
// organization included, so each row can name it without another request.
func listAccounts(ctx context.Context, cmd *cli.Command, s *cli.Session, c *jsonapi.Client, perPage int) error {
	n := 0
	defer s.Done()
	for a, err := range c.OrganizationAccounts.All(ctx, &jsonapi.ListOptions{PerPage: perPage, Include: []string{"organization"}}) {
		if err != nil {
			return err
		}
		n++
		s.Item()
		if cmd.JSON {
			if err := cmd.PrintJSON(a); err != nil {
				return err
			}
		} else {
			user, org := "-", a.OrganizationID
			if a.Username != nil && *a.Username != "" {
				user = *a.Username
			}
			if a.Organization != nil {
				org = a.Organization.Name
			}
			fmt.Fprintf(cmd.Stdout(), "%s  %-20s %s\n", a.ID, user, org)
		}
		if cmd.Enough(n) {
			break
		}
	}
	cmd.Infof("jsonapi: %d organization accounts listed", n)
	return nil
}
