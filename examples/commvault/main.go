// Command commvault lists the organizations (companies) of a Commvault
// CommCell with their default plans.
//
// With COMMVAULT_BASE_URL set (e.g. https://host/commandcenter/api/) it
// talks to that server, logging in with COMMVAULT_USERNAME and
// COMMVAULT_PASSWORD (COMMVAULT_DOMAIN for domain users) or using
// COMMVAULT_TOKEN; without it, to an in-memory fake (commvaulttest), so it
// runs anywhere.
//
//	go run ./examples/commvault [-xml] [-get ID]
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

	"github.com/orgsdk/orgsdk/commvault"
	"github.com/orgsdk/orgsdk/commvault/commvaulttest"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Getenv, os.Stdout, os.Stderr); err != nil {
		if !errors.Is(err, flag.ErrHelp) {
			fmt.Fprintln(os.Stderr, "commvault:", err)
		}
		os.Exit(1)
	}
}

func run(ctx context.Context, args []string, env func(string) string, stdout, stderr io.Writer) (err error) {
	fs := flag.NewFlagSet("commvault", flag.ContinueOnError)
	fs.SetOutput(stderr)
	useXML := fs.Bool("xml", false, "ask for XML answers instead of JSON")
	get := fs.Int("get", -1, "print one organization's details by id instead of listing")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("unexpected arguments: %s", strings.Join(fs.Args(), " "))
	}

	opts := []commvault.Option{}
	if *useXML {
		opts = append(opts, commvault.WithFormat(commvault.XML))
	}
	base := env("COMMVAULT_BASE_URL")
	if base == "" {
		srv := commvaulttest.NewServer()
		defer srv.Close()
		base = srv.URL
		opts = append(opts, commvault.WithCredentials(srv.Username, srv.Password))
		fmt.Fprintln(stderr, "COMMVAULT_BASE_URL not set: using the in-memory fake server")
	} else {
		user, pass, tok := env("COMMVAULT_USERNAME"), env("COMMVAULT_PASSWORD"), env("COMMVAULT_TOKEN")
		switch {
		case user != "" && pass != "":
			opts = append(opts, commvault.WithCredentials(user, pass))
			if d := env("COMMVAULT_DOMAIN"); d != "" {
				opts = append(opts, commvault.WithDomain(d))
			}
		case tok != "":
			opts = append(opts, commvault.WithToken(tok))
		default:
			return errors.New("set COMMVAULT_USERNAME and COMMVAULT_PASSWORD, or COMMVAULT_TOKEN")
		}
	}
	c, err := commvault.NewClient(base, opts...)
	if err != nil {
		return err
	}
	defer func() {
		// Only end sessions this program started; a given token is the
		// caller's to keep.
		if env("COMMVAULT_TOKEN") != "" && env("COMMVAULT_PASSWORD") == "" {
			return
		}
		if _, lerr := c.Logout(ctx); lerr != nil && err == nil {
			err = lerr
		}
	}()

	if *get >= 0 {
		info, _, err := c.Organizations.Get(ctx, *get)
		if err != nil {
			return err
		}
		o := info.Organization
		fmt.Fprintf(stdout, "%d  %s (alias %s)\n", o.ID(), o.Name, o.ShortName.DomainName)
		if !info.Properties.CreatedAt.IsZero() {
			fmt.Fprintf(stdout, "  created  %s\n", info.Properties.CreatedAt.Format("2006-01-02"))
		}
		fmt.Fprintf(stdout, "  users %d, servers %d, VMs %d\n", info.Properties.UserCount, info.Properties.ServerCount, info.Properties.VMCount)
		for _, ct := range info.Properties.PrimaryContacts {
			fmt.Fprintf(stdout, "  contact  %s\n", ct.FullName)
		}
		for _, p := range info.PlanDetails {
			fmt.Fprintf(stdout, "  plan     %s (%d)\n", p.Plan.PlanName, p.Plan.PlanID)
		}
		return nil
	}

	list, _, err := c.Organizations.List(ctx, nil)
	if err != nil {
		return err
	}
	for _, o := range list.Items {
		d, _, err := c.Organizations.DefaultPlan(ctx, o.ID())
		if err != nil {
			return err
		}
		var plans []string
		for _, p := range d.Plans {
			plans = append(plans, fmt.Sprintf("%s: %s", p.Subtype, p.Plan.PlanName))
		}
		if len(plans) == 0 {
			plans = []string{"no default plan"}
		}
		state := "enabled"
		if !o.Enabled {
			state = "disabled"
		}
		fmt.Fprintf(stdout, "%4d  %-20s %-8s %s\n", o.ID(), o.Name, state, strings.Join(plans, ", "))
	}
	fmt.Fprintf(stdout, "%d organizations\n", list.Total)
	return nil
}
