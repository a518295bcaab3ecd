// Command jsonapi lists MPDX organizations, or those of any JSON:API server
// with the same conventions.
//
// With MPDX_TOKEN set it talks to the live API (MPDX_BASE_URL overrides
// https://api.mpdx.org/api/v2/); without it, to an in-memory fake
// (jsonapitest), so it runs anywhere.
//
//	go run ./examples/jsonapi [-sort name|-name] [-per-page N] [-filter key=value] [-get ID]
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"

	"github.com/orgsdk/orgsdk/jsonapi"
	"github.com/orgsdk/orgsdk/jsonapi/jsonapitest"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Getenv, os.Stdout, os.Stderr); err != nil {
		if !errors.Is(err, flag.ErrHelp) {
			fmt.Fprintln(os.Stderr, "jsonapi:", err)
		}
		os.Exit(1)
	}
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

func run(ctx context.Context, args []string, env func(string) string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("jsonapi", flag.ContinueOnError)
	fs.SetOutput(stderr)
	sortBy := fs.String("sort", "name", "sort order: name or -name")
	perPage := fs.Int("per-page", 0, "page size (server default 25)")
	get := fs.String("get", "", "print one organization by id instead of listing")
	filter := filters{}
	fs.Var(filter, "filter", "filter[key]=value, repeatable (e.g. country=Canada)")
	if err := fs.Parse(args); err != nil {
		return err
	}

	token := env("MPDX_TOKEN")
	var opts []jsonapi.Option
	if token == "" {
		srv := jsonapitest.NewServer()
		defer srv.Close()
		token = srv.Token
		opts = append(opts, jsonapi.WithBaseURL(srv.URL))
		fmt.Fprintln(stderr, "MPDX_TOKEN not set: using the in-memory fake server")
	} else if base := env("MPDX_BASE_URL"); base != "" {
		opts = append(opts, jsonapi.WithBaseURL(base))
	}
	c, err := jsonapi.NewClient(token, opts...)
	if err != nil {
		return err
	}

	if *get != "" {
		org, _, err := c.Organizations.Get(ctx, *get)
		if err != nil {
			return err
		}
		printOrg(stdout, org)
		return nil
	}
	n := 0
	for org, err := range c.Organizations.All(ctx, &jsonapi.ListOptions{Sort: *sortBy, PerPage: *perPage, Filter: filter}) {
		if err != nil {
			return err
		}
		printOrg(stdout, org)
		n++
	}
	fmt.Fprintf(stdout, "%d organizations\n", n)
	return nil
}

func printOrg(w io.Writer, o *jsonapi.Organization) {
	country := "-"
	if o.Country != nil {
		country = *o.Country
	}
	fmt.Fprintf(w, "%s  %-20s %s  %s\n", o.ID, o.Name, o.DefaultCurrencyCode, country)
}
