package main

import (
	"context"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/orgsdk/orgsdk/commvault"
	"github.com/orgsdk/orgsdk/commvault/commvaulttest"
)

// openCommvault lists Commvault organizations with their alias and default
// plans; it logs in with a username and password or uses a token.
func openCommvault(o options) (*source, error) {
	src := &source{name: "commvault", live: o.live, columns: []string{"ALIAS", "DEFAULT PLAN"}}
	base := o.cmd.Getenv("COMMVAULT_BASE_URL")
	var opts []commvault.Option
	if o.live {
		opts = commvaultCredentials(o.cmd.Getenv)
	} else {
		srv := commvaulttest.NewServer()
		src.close = srv.Close
		base = srv.URL
		o.cmd.Secrets.Add(srv.Password)
		opts = append(opts, commvault.WithCredentials(srv.Username, srv.Password))
	}
	opts = append(opts, commvault.WithLogger(o.cmd.Logger), commvault.WithHTTPClient(o.session.HTTPClient))
	// The list is one page; the default-plan calls are not pages.
	o.session.CountPages(func(r *http.Request) bool {
		return r.Method == http.MethodGet && strings.HasSuffix(r.URL.Path, "/Organization")
	})
	c, err := commvault.NewClient(base, opts...)
	if err != nil {
		if src.close != nil {
			src.close()
		}
		return nil, err
	}
	o.session.RedactWith(c.Redact)
	src.list = func(ctx context.Context) ([]row, error) {
		var rows []row
		for org, err := range c.Organizations.All(ctx, nil) {
			if err != nil {
				return rows, err
			}
			plans, _, err := c.Organizations.DefaultPlan(ctx, org.ID)
			if err != nil {
				return rows, fmt.Errorf("default plan of %s: %w", org.Name, err)
			}
			var names []string
			for _, p := range plans.Plans {
				names = append(names, p.Plan.PlanName+" ("+p.Subtype.String()+")")
			}
			rows = append(rows, row{Provider: "commvault", ID: strconv.Itoa(org.ID), Name: org.Name,
				Extra: []*string{text(org.ShortName.DomainName), text(strings.Join(names, ", "))}})
			o.session.Item()
			if o.cmd.Enough(len(rows)) {
				break
			}
		}
		// Ending the session frees a server-side slot; a failure here does
		// not make the listing wrong. A token the user gave is theirs to
		// keep, so only a session this program logged in to is ended.
		if o.cmd.Getenv("COMMVAULT_PASSWORD") != "" || !o.live {
			_, _ = c.Logout(ctx)
		}
		return rows, nil
	}
	return src, nil
}

// commvaultCredentials picks the live credentials: a login when a username
// and password are set (cli.Commvault has checked they come in pairs), else
// the token.
func commvaultCredentials(getenv func(string) string) []commvault.Option {
	if user, pass := getenv("COMMVAULT_USERNAME"), getenv("COMMVAULT_PASSWORD"); user != "" && pass != "" {
		opts := []commvault.Option{commvault.WithCredentials(user, pass)}
		if d := getenv("COMMVAULT_DOMAIN"); d != "" {
			opts = append(opts, commvault.WithDomain(d))
		}
		return opts
	}
	return []commvault.Option{commvault.WithToken(getenv("COMMVAULT_TOKEN"))}
}
