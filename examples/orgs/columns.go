package main

import (
	"context"
	"fmt"
	"net/http"
	"strings"

	"github.com/orgsdk/orgsdk/commvault"
	"github.com/orgsdk/orgsdk/commvault/commvaulttest"
	"github.com/orgsdk/orgsdk/jsonapi"
	"github.com/orgsdk/orgsdk/jsonapi/jsonapitest"
	"github.com/orgsdk/orgsdk/orgs"
	"github.com/orgsdk/orgsdk/readycloud"
	"github.com/orgsdk/orgsdk/readycloud/readycloudtest"
	"github.com/orgsdk/orgsdk/rservice"
	"github.com/orgsdk/orgsdk/rservice/rservicetest"
)

// What is each provider's own: the columns the command prints besides
// provider, id and name, read through Organization.As and Directory.As,
// and the fake server it lists when not live.

// columns are a provider's own columns.
type columns struct {
	headers []string
	// values returns org's cells, in the order of headers.
	values func(ctx context.Context, dir *orgs.Directory, org *orgs.Organization) ([]*string, error)
	// isPage, when set, says which requests count as pages for progress
	// (by default every GET).
	isPage func(*http.Request) bool
}

func columnsOf(provider string) columns {
	switch provider {
	case "readycloud":
		return columns{headers: []string{"PLAN", "PRICE"}, values: readyCloudColumns}
	case "rservice":
		return columns{headers: []string{"PARENT", "MANAGER"}, values: rserviceColumns}
	case "commvault":
		return columns{headers: []string{"ALIAS", "DEFAULT PLAN"}, values: commvaultColumns,
			// The list is one page; the default-plan calls are not pages.
			isPage: func(r *http.Request) bool {
				return r.Method == http.MethodGet && strings.HasSuffix(r.URL.Path, "/Organization")
			}}
	case "jsonapi":
		return columns{headers: []string{"CURRENCY", "COUNTRY"}, values: jsonapiColumns}
	}
	return columns{values: func(context.Context, *orgs.Directory, *orgs.Organization) ([]*string, error) { return nil, nil }}
}

// readyCloudColumns: the plan and its price.
func readyCloudColumns(_ context.Context, _ *orgs.Directory, org *orgs.Organization) ([]*string, error) {
	var o *readycloud.Organization
	var plan, price *string
	if org.As(&o) && o.PaymentPlan != nil {
		plan, price = text(o.PaymentPlan.Name), text(o.PaymentPlan.Price.String())
	}
	return []*string{plan, price}, nil
}

// rserviceColumns: the parent's and the manager's names.
func rserviceColumns(_ context.Context, _ *orgs.Directory, org *orgs.Organization) ([]*string, error) {
	var o *rservice.Organization
	if !org.As(&o) {
		return []*string{nil, nil}, nil
	}
	return []*string{refName(o.Parent), refName(o.Manager)}, nil
}

func refName(r *rservice.Reference) *string {
	if r == nil {
		return nil
	}
	return text(r.Name)
}

// commvaultColumns: the alias, and the default plans, which take a call
// of Commvault's own per organization.
func commvaultColumns(ctx context.Context, dir *orgs.Directory, org *orgs.Organization) ([]*string, error) {
	var o *commvault.Organization
	var c *commvault.Client
	if !org.As(&o) || !dir.As(&c) {
		return []*string{nil, nil}, nil
	}
	plans, _, err := c.Organizations.DefaultPlan(ctx, o.ID)
	if err != nil {
		return nil, fmt.Errorf("default plan of %s: %w", o.Name, err)
	}
	var names []string
	for _, p := range plans.Plans {
		names = append(names, p.Plan.PlanName+" ("+p.Subtype.String()+")")
	}
	return []*string{text(o.ShortName.DomainName), text(strings.Join(names, ", "))}, nil
}

// jsonapiColumns: the default currency and the country.
func jsonapiColumns(_ context.Context, _ *orgs.Directory, org *orgs.Organization) ([]*string, error) {
	var o *jsonapi.Organization
	if !org.As(&o) {
		return []*string{nil, nil}, nil
	}
	return []*string{text(o.DefaultCurrencyCode), o.Country}, nil
}

// text is a column value: nil when empty, so JSON says null.
func text(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

// fakeConfig starts provider's fake server and returns the configuration
// that reaches it, how to stop it, and its secrets.
func fakeConfig(provider string) (orgs.Config, func(), []string) {
	switch provider {
	case "readycloud":
		srv := readycloudtest.NewServer()
		return orgs.Config{BaseURL: srv.URL, Token: srv.Token}, srv.Close, []string{srv.Token}
	case "rservice":
		srv := rservicetest.NewServer()
		return orgs.Config{BaseURL: srv.URL, Token: srv.Token, Account: srv.Account}, srv.Close, []string{srv.Token}
	case "commvault":
		srv := commvaulttest.NewServer()
		return orgs.Config{BaseURL: srv.URL, Username: srv.Username, Password: srv.Password}, srv.Close, []string{srv.Password}
	case "jsonapi":
		srv := jsonapitest.NewServer()
		return orgs.Config{BaseURL: srv.URL, Token: srv.Token}, srv.Close, []string{srv.Token}
	}
	return orgs.Config{}, func() {}, nil
}
