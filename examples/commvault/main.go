// Command commvault lists the organizations (companies) of a Commvault
// CommCell with their default plans, or shows one with -get, or runs a
// step of a company's lifecycle: -create NAME -alias A [-plan P]...
// [-tag k=v]..., -deactivate ID, -activate ID, -delete ID (Deactivate
// first: the server deletes only a deactivated company), and -tags ID
// [-tag k=v]... to show or set its tags.
//
// With COMMVAULT_BASE_URL set (e.g. https://host/commandcenter/api/) it
// talks to that server, logging in with COMMVAULT_USERNAME and
// COMMVAULT_PASSWORD (COMMVAULT_DOMAIN for domain users) or using
// COMMVAULT_TOKEN; with none of them set, to an in-memory fake
// (commvaulttest), so it runs anywhere. -per-page N walks the list N
// organizations a page (start and limit); a server that ignores paging
// answers it in one page, and the walk stops there.
//
//	go run ./examples/commvault [-limit N] [-json] [-v] [-record DIR] [-xml] [-get ID]
//	go run ./examples/commvault -create NAME -alias A [-plan P]... [-tag k=v]...
//	go run ./examples/commvault -deactivate ID | -activate ID | -delete ID | -tags ID [-tag k=v]...
package main

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"os"
	"os/signal"
	"strconv"
	"strings"

	"github.com/orgsdk/orgsdk/commvault"
	"github.com/orgsdk/orgsdk/commvault/commvaulttest"
	"github.com/orgsdk/orgsdk/examples/internal/cli"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	code := run(ctx, os.Args[1:], cli.OSEnv())
	stop()
	os.Exit(code)
}

func run(ctx context.Context, args []string, env cli.Env) (code int) {
	cmd := cli.New("commvault", "[-xml] [-get ID | -create NAME -alias A [-plan P]... [-tag k=v]... | -deactivate ID | -activate ID | -delete ID | -tags ID [-tag k=v]...]", env, cli.Commvault)
	defer func() { code = cmd.Finish(code) }()
	useXML := cmd.Flags.Bool("xml", false, "ask for XML answers instead of JSON")
	var get idFlag
	cmd.Flags.Var(&get, "get", "show the organization with this `id` instead of listing")
	life := addLifecycleFlags(cmd.Flags)
	if code, ok := cmd.Parse(args); !ok {
		return code
	}
	mode, err := life.mode(get.set)
	if err != nil {
		return cmd.UsageError("%v", err)
	}
	live, err := cli.Commvault.Resolve(cmd.Getenv)
	if err != nil {
		cmd.Errorf("%v", err)
		return cli.ExitError
	}

	s := cmd.Session("commvault")
	s.CountPages(func(r *http.Request) bool {
		return r.Method == http.MethodGet && strings.HasSuffix(r.URL.Path, "/Organization")
	})
	opts := []commvault.Option{commvault.WithLogger(cmd.Logger), commvault.WithHTTPClient(s.HTTPClient)}
	if *useXML {
		opts = append(opts, commvault.WithFormat(commvault.XML))
	}
	base := cmd.Getenv("COMMVAULT_BASE_URL")
	ownSession := true
	if !live {
		srv := commvaulttest.NewServer()
		defer srv.Close()
		base = srv.URL
		cmd.Secrets.Add(srv.Password)
		opts = append(opts, commvault.WithCredentials(srv.Username, srv.Password))
		cmd.Infof("commvault: COMMVAULT_BASE_URL not set: using the in-memory fake server")
	} else if user, pass := cmd.Getenv("COMMVAULT_USERNAME"), cmd.Getenv("COMMVAULT_PASSWORD"); user != "" && pass != "" {
		opts = append(opts, commvault.WithCredentials(user, pass))
		if d := cmd.Getenv("COMMVAULT_DOMAIN"); d != "" {
			opts = append(opts, commvault.WithDomain(d))
		}
	} else {
		// A given token is the caller's to keep: no logout at the end.
		opts = append(opts, commvault.WithToken(cmd.Getenv("COMMVAULT_TOKEN")))
		ownSession = false
	}
	opts = append(opts, commvault.WithPrefetch(cmd.Prefetch))
	c, err := commvault.NewClient(base, opts...)
	if err != nil {
		cmd.Errorf("%v", err)
		return cli.ExitError
	}
	s.RedactWith(c.Redact)
	if mode != "" && mode != "-get" {
		err = life.run(ctx, cmd, c, mode)
	} else {
		err = work(ctx, cmd, s, c, get, &commvault.ListOptions{PerPage: cmd.PerPage})
	}
	if ownSession {
		if _, lerr := c.Logout(ctx); lerr != nil && err == nil {
			err = lerr
		}
	}
	if err != nil {
		return s.Fail(err)
	}
	return cli.ExitOK
}

// idFlag is an organization id given on the command line. Whether it was
// given is its own state, not a sentinel value: 0 is a real id (the
// CommCell itself), and -h shows no made-up default such as -1.
type idFlag struct {
	id  int
	set bool
}

func (f *idFlag) String() string {
	if f == nil || !f.set {
		return ""
	}
	return strconv.Itoa(f.id)
}

func (f *idFlag) Set(s string) error {
	n, err := strconv.Atoi(s)
	if err != nil {
		return errors.New("not an integer")
	}
	f.id, f.set = n, true
	return nil
}

// listed is one organization as -json prints it.
type listed struct {
	ID           int      `json:"id"`
	Name         string   `json:"name"`
	Alias        string   `json:"alias,omitempty"`
	Enabled      bool     `json:"enabled"`
	DefaultPlans []string `json:"default_plans"`
}

func work(ctx context.Context, cmd *cli.Command, s *cli.Session, c *commvault.Client, get idFlag, opts *commvault.ListOptions) error {
	out := cmd.Stdout()
	if get.set {
		info, _, err := c.Organizations.Get(ctx, get.id)
		if err != nil {
			return err
		}
		if cmd.JSON {
			return cmd.PrintJSON(info)
		}
		o := info.Organization
		fmt.Fprintf(out, "%d  %s (alias %s)\n", o.ID, o.Name, o.ShortName.DomainName)
		if !info.Properties.CreatedAt.IsZero() {
			fmt.Fprintf(out, "  created  %s\n", info.Properties.CreatedAt.Format("2006-01-02"))
		}
		fmt.Fprintf(out, "  users %d, servers %d, VMs %d\n", info.Properties.UserCount, info.Properties.ServerCount, info.Properties.VMCount)
		for _, ct := range info.Properties.PrimaryContacts {
			fmt.Fprintf(out, "  contact  %s\n", ct.FullName)
		}
		for _, p := range info.PlanDetails {
			fmt.Fprintf(out, "  plan     %s (%d)\n", p.Plan.PlanName, p.Plan.PlanID)
		}
		return nil
	}

	defer s.Done()
	n := 0
	for o, err := range c.Organizations.All(ctx, opts) {
		if err != nil {
			return err
		}
		if cmd.Enough(n) {
			break
		}
		d, _, err := c.Organizations.DefaultPlan(ctx, o.ID)
		if err != nil {
			return err
		}
		s.Item()
		n++
		plans := []string{}
		for _, p := range d.Plans {
			plans = append(plans, fmt.Sprintf("%s: %s", p.Subtype, p.Plan.PlanName))
		}
		if cmd.JSON {
			if err := cmd.PrintJSON(listed{ID: o.ID, Name: o.Name, Alias: o.ShortName.DomainName, Enabled: bool(o.Enabled), DefaultPlans: plans}); err != nil {
				return err
			}
			continue
		}
		state := "enabled"
		if !o.Enabled {
			state = "disabled"
		}
		planText := strings.Join(plans, ", ")
		if planText == "" {
			planText = "no default plan"
		}
		fmt.Fprintf(out, "%4d  %-20s %-8s %s\n", o.ID, o.Name, state, planText)
	}
	cmd.Infof("commvault: %d organizations listed", n)
	return nil
}
