// Command readycloud lists ReadyCloud organizations, shows one in detail,
// and with -rename renames it.
//
// With READYCLOUD_TOKEN set it talks to the live API (READYCLOUD_BASE_URL
// overrides https://www.readycloud.com/api/v2/); without it, to an
// in-memory fake (readycloudtest), so it runs anywhere.
//
//	go run ./examples/readycloud [-limit N] [-max N] [-get PK] [-rename NAME] [-query-token]
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"

	"github.com/orgsdk/orgsdk/readycloud"
	"github.com/orgsdk/orgsdk/readycloud/readycloudtest"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Getenv, os.Stdout, os.Stderr); err != nil {
		if !errors.Is(err, flag.ErrHelp) {
			fmt.Fprintln(os.Stderr, "readycloud:", err)
		}
		os.Exit(1)
	}
}

func run(ctx context.Context, args []string, env func(string) string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("readycloud", flag.ContinueOnError)
	fs.SetOutput(stderr)
	limit := fs.Int("limit", 0, "page size (0: the server's default)")
	maxOrgs := fs.Int("max", 0, "list at most this many organizations (0: all)")
	get := fs.String("get", "", "organization pk to show (default: the first one listed)")
	rename := fs.String("rename", "", "new name for the organization shown")
	queryToken := fs.Bool("query-token", false, "send the token as the bearer_token query parameter")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("unexpected arguments %q", fs.Args())
	}
	if *maxOrgs < 0 {
		return fmt.Errorf("-max %d is negative", *maxOrgs)
	}

	token := env("READYCLOUD_TOKEN")
	var opts []readycloud.Option
	if token == "" {
		srv := readycloudtest.NewServer()
		defer srv.Close()
		token = srv.Token
		opts = append(opts, readycloud.WithBaseURL(srv.URL))
		fmt.Fprintln(stderr, "READYCLOUD_TOKEN not set: using the in-memory fake server")
	} else if base := env("READYCLOUD_BASE_URL"); base != "" {
		opts = append(opts, readycloud.WithBaseURL(base))
	}
	if *queryToken {
		opts = append(opts, readycloud.WithQueryToken())
	}
	c, err := readycloud.NewClient(token, opts...)
	if err != nil {
		return err
	}

	pk := *get
	n := 0
	for org, err := range c.Organizations.All(ctx, &readycloud.ListOptions{PerPage: *limit}) {
		if err != nil {
			return err
		}
		if pk == "" {
			pk = org.PK()
		}
		fmt.Fprintf(stdout, "%-10s %s\n", org.PK(), org.Name)
		if n++; n == *maxOrgs {
			break
		}
	}
	fmt.Fprintf(stdout, "%d organizations listed\n", n)
	if pk == "" {
		if *rename != "" {
			return errors.New("no organization to rename")
		}
		return nil
	}

	org, _, err := c.Organizations.Get(ctx, pk)
	if err != nil {
		return err
	}
	fmt.Fprintln(stdout)
	printOrg(stdout, org)

	if *rename != "" {
		org, _, err = c.Organizations.Update(ctx, pk, &readycloud.OrganizationInput{Name: *rename})
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "\nrenamed %s to %q\n", org.PK(), org.Name)
	}
	return nil
}

func printOrg(w io.Writer, o *readycloud.Organization) {
	fmt.Fprintf(w, "pk:         %s\n", o.PK())
	fmt.Fprintf(w, "name:       %s\n", o.Name)
	fmt.Fprintf(w, "website:    %s\n", orDash(o.Website))
	fmt.Fprintf(w, "user slots: %d\n", o.UserSlots)
	if p := o.PaymentPlan; p != nil {
		name := p.Name
		if name == "" {
			name = "(unnamed)"
		}
		fmt.Fprintf(w, "plan:       %s, %s per %s\n", name, p.Price, p.BillingPeriod)
		fmt.Fprintf(w, "quotas:     orders %s, users %s, integrations %s, storage %s\n", p.Limit, p.Users, p.Integrations, p.Storage)
	}
	if o.TrialExpiresAt != nil {
		fmt.Fprintf(w, "trial ends: %s\n", o.TrialExpiresAt.Format("2006-01-02 15:04 MST"))
	}
}

func orDash(s *string) string {
	if s == nil || *s == "" {
		return "-"
	}
	return *s
}
