package main

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/orgsdk/orgsdk/commvault"
	"github.com/orgsdk/orgsdk/commvault/commvaulttest"
)

// openCommvault lists Commvault organizations with their alias and default
// plans; it logs in with a username and password or uses a token.
func openCommvault(o options) (*source, error) {
	src := &source{name: "commvault", columns: []string{"ALIAS", "DEFAULT PLAN"}}
	base := o.getenv("COMMVAULT_BASE_URL")
	user, password, token := o.getenv("COMMVAULT_USERNAME"), o.getenv("COMMVAULT_PASSWORD"), o.getenv("COMMVAULT_TOKEN")
	var opts []commvault.Option
	switch {
	case base != "" && (password != "" || token != ""):
		src.live = true
		if password != "" {
			opts = append(opts, commvault.WithCredentials(user, password))
		}
		if token != "" {
			opts = append(opts, commvault.WithToken(token))
		}
	case base != "":
		return nil, fmt.Errorf("COMMVAULT_BASE_URL is set but neither COMMVAULT_USERNAME/COMMVAULT_PASSWORD nor COMMVAULT_TOKEN")
	default:
		srv := commvaulttest.NewServer()
		src.close = srv.Close
		base = srv.URL
		o.secrets.Add(srv.Password)
		opts = append(opts, commvault.WithCredentials(srv.Username, srv.Password))
	}
	opts = append(opts, commvault.WithLogger(o.logger))
	if o.httpClient != nil {
		opts = append(opts, commvault.WithHTTPClient(o.httpClient))
	}
	c, err := commvault.NewClient(base, opts...)
	if err != nil {
		if src.close != nil {
			src.close()
		}
		return nil, err
	}
	src.list = func(ctx context.Context, limit int) ([]row, error) {
		list, _, err := c.Organizations.List(ctx, nil)
		if err != nil {
			return nil, err
		}
		orgs := list.Items
		if limit > 0 && len(orgs) > limit {
			orgs = orgs[:limit]
		}
		rows := make([]row, 0, len(orgs))
		for _, org := range orgs {
			plans, _, err := c.Organizations.DefaultPlan(ctx, org.ID())
			if err != nil {
				return rows, fmt.Errorf("default plan of %s: %w", org.Name, err)
			}
			var names []string
			for _, p := range plans.Plans {
				names = append(names, p.Plan.PlanName+" ("+p.Subtype.String()+")")
			}
			plan := strings.Join(names, ", ")
			if plan == "" {
				plan = "-"
			}
			rows = append(rows, row{Provider: "commvault", ID: strconv.Itoa(org.ID()), Name: org.Name, Extra: []string{org.ShortName.DomainName, plan}})
		}
		// Ending the session frees a server-side slot; a failure here does
		// not make the listing wrong.
		_, _ = c.Logout(ctx)
		return rows, nil
	}
	return src, nil
}
