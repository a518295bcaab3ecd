// Command readycloud lists ReadyCloud organizations, shows one with -get,
// and renames it with -get ID -rename NAME.
//
// With READYCLOUD_TOKEN set it talks to the live API (READYCLOUD_BASE_URL
// overrides https://www.readycloud.com/api/v2/); with neither set, to an
// in-memory fake (readycloudtest), so it runs anywhere.
//
//	go run ./examples/readycloud [-limit N] [-per-page N] [-json] [-v] [-record DIR] [-get ID [-rename NAME]] [-query-token]
package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"

	"github.com/orgsdk/orgsdk/examples/internal/cli"
	"github.com/orgsdk/orgsdk/readycloud"
	"github.com/orgsdk/orgsdk/readycloud/readycloudtest"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	code := run(ctx, os.Args[1:], cli.OSEnv())
	stop()
	os.Exit(code)
}

func run(ctx context.Context, args []string, env cli.Env) (code int) {
	cmd := cli.New("readycloud", "[-get ID [-rename NAME]] [-query-token]", env, cli.ReadyCloud)
	defer func() { code = cmd.Finish(code) }()
	get := cmd.Flags.String("get", "", "show the organization with this `id` instead of listing")
	rename := cmd.Flags.String("rename", "", "rename the organization given by -get to `NAME`")
	queryToken := cmd.Flags.Bool("query-token", false, "send the token as the bearer_token query parameter")
	if code, ok := cmd.Parse(args); !ok {
		return code
	}
	if *rename != "" && *get == "" {
		return cmd.UsageError("-rename needs -get ID")
	}
	live, err := cli.ReadyCloud.Resolve(cmd.Getenv)
	if err != nil {
		cmd.Errorf("%v", err)
		return cli.ExitError
	}

	s := cmd.Session("readycloud")
	token := cmd.Getenv("READYCLOUD_TOKEN")
	opts := []readycloud.Option{readycloud.WithLogger(cmd.Logger), readycloud.WithHTTPClient(s.HTTPClient)}
	if !live {
		srv := readycloudtest.NewServer()
		defer srv.Close()
		token = srv.Token
		cmd.Secrets.Add(token)
		opts = append(opts, readycloud.WithBaseURL(srv.URL))
		cmd.Infof("readycloud: READYCLOUD_TOKEN not set: using the in-memory fake server")
	} else if base := cmd.Getenv("READYCLOUD_BASE_URL"); base != "" {
		opts = append(opts, readycloud.WithBaseURL(base))
	}
	if *queryToken {
		opts = append(opts, readycloud.WithQueryToken())
	}
	opts = append(opts, readycloud.WithPrefetch(cmd.Prefetch))
	c, err := readycloud.NewClient(token, opts...)
	if err != nil {
		cmd.Errorf("%v", err)
		return cli.ExitError
	}
	s.RedactWith(c.Redact)
	if err := work(ctx, cmd, s, c, *get, *rename); err != nil {
		return s.Fail(err)
	}
	return cli.ExitOK
}

func work(ctx context.Context, cmd *cli.Command, s *cli.Session, c *readycloud.Client, id, rename string) error {
	if id != "" {
		org, _, err := c.Organizations.Get(ctx, id)
		if err != nil {
			return err
		}
		if rename != "" {
			if org, _, err = c.Organizations.Update(ctx, id, &readycloud.OrganizationInput{Name: rename}); err != nil {
				return err
			}
		}
		if cmd.JSON {
			return cmd.PrintJSON(org)
		}
		printOrg(cmd.Stdout(), org)
		return nil
	}
	n := 0
	defer s.Done()
	for org, err := range c.Organizations.All(ctx, &readycloud.ListOptions{PerPage: cmd.PageSize(100)}) {
		if err != nil {
			return err
		}
		n++
		s.Item()
		if cmd.JSON {
			if err := cmd.PrintJSON(org); err != nil {
				return err
			}
		} else {
			fmt.Fprintf(cmd.Stdout(), "%-10s %s\n", org.ID, org.Name)
		}
		if cmd.Enough(n) {
			break
		}
	}
	cmd.Infof("readycloud: %d organizations listed", n)
	return nil
}

func printOrg(w io.Writer, o *readycloud.Organization) {
	fmt.Fprintf(w, "id:         %s\n", o.ID)
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
