package commvault_test

import (
	"context"
	"errors"
	"fmt"

	"github.com/orgsdk/orgsdk/commvault"
	"github.com/orgsdk/orgsdk/commvault/commvaulttest"
)

func Example() {
	srv := commvaulttest.NewServer()
	defer srv.Close()
	ctx := context.Background()

	c, err := commvault.NewClient(srv.URL, commvault.WithCredentials(srv.Username, srv.Password))
	if err != nil {
		fmt.Println(err)
		return
	}
	defer c.Logout(ctx)
	orgs, _, err := c.Organizations.List(ctx, nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, o := range orgs.Items {
		fmt.Printf("%d %s (alias %s, enabled %t)\n", o.ID, o.Name, o.ShortName.DomainName, o.Enabled)
	}
	// Output:
	// 6 company001 (alias company001, enabled true)
	// 16 test Company (alias testalias, enabled true)
	// 21 Acme Corp (alias acme, enabled false)
}

func ExampleOrganizationsService_Get() {
	srv := commvaulttest.NewServer()
	defer srv.Close()
	ctx := context.Background()

	// XML answers decode into the same structs as JSON.
	c, err := commvault.NewClient(srv.URL, commvault.WithCredentials(srv.Username, srv.Password),
		commvault.WithFormat(commvault.XML))
	if err != nil {
		fmt.Println(err)
		return
	}
	info, _, err := c.Organizations.Get(ctx, 16)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(info.Organization.Name, info.Organization.EmailDomainNames)
	fmt.Println("created", info.Properties.CreatedAt.Format("2006-01-02"), "users", info.Properties.UserCount)
	for _, c := range info.Properties.PrimaryContacts {
		fmt.Println("contact", c.FullName, c.User.UserName)
	}
	for _, p := range info.PlanDetails {
		fmt.Println("plan", p.Plan.PlanName)
	}
	// Output:
	// test Company [mail.com]
	// created 2017-10-10 users 1
	// contact testadmin testalias\testmail2
	// plan Laptop plan
}

func ExampleOrganizationsService_DefaultPlan() {
	srv := commvaulttest.NewServer()
	defer srv.Close()
	ctx := context.Background()

	c, err := commvault.NewClient(srv.URL, commvault.WithToken(srv.Token))
	if err != nil {
		fmt.Println(err)
		return
	}
	// Id 0 is the CommCell itself.
	for _, id := range []int{6, 0, 21} {
		d, _, err := c.Organizations.DefaultPlan(ctx, id)
		if err != nil {
			fmt.Println(err)
			return
		}
		if len(d.Plans) == 0 {
			fmt.Printf("%s: no default plan\n", d.Organization.Name)
		}
		for _, p := range d.Plans {
			fmt.Printf("%s: %s -> %s (%d)\n", d.Organization.Name, p.Subtype, p.Plan.PlanName, p.Plan.PlanID)
		}
	}
	// Output:
	// company001: Server -> Server plan (2)
	// Qinetix Commcell: Server -> Server plan (2)
	// Qinetix Commcell: Laptop -> Laptop plan (1)
	// Acme Corp: no default plan
}

func ExampleClient_Login() {
	srv := commvaulttest.NewServer()
	defer srv.Close()
	ctx := context.Background()

	c, err := commvault.NewClient(srv.URL, commvault.WithCredentials(srv.Username, "not-the-password"))
	if err != nil {
		fmt.Println(err)
		return
	}
	// Commvault rejects a login with HTTP 200; the SDK makes it an APIError.
	_, _, err = c.Login(ctx)
	var apiErr *commvault.APIError
	if errors.As(err, &apiErr) {
		fmt.Println(apiErr.Message, "- code", apiErr.Code)
	}
	// Output:
	// login failed: Invalid Username or Password - code 5
}

func ExampleAPIError() {
	srv := commvaulttest.NewServer()
	defer srv.Close()

	c, err := commvault.NewClient(srv.URL, commvault.WithToken(srv.Token))
	if err != nil {
		fmt.Println(err)
		return
	}
	// An unknown id is answered with HTTP 200 and errorCode 2 in the body;
	// the SDK reads it as the 404 it stands for, so it matches ErrNotFound
	// as in every orgsdk provider, and Code compares with the package's
	// constants.
	_, resp, err := c.Organizations.Get(context.Background(), 99)
	var apiErr *commvault.APIError
	if errors.As(err, &apiErr) {
		fmt.Println(apiErr.StatusCode, apiErr.Code == commvault.CodeGenericFailure, apiErr.Message)
		fmt.Println(errors.Is(err, commvault.ErrNotFound), "on the wire:", resp.StatusCode)
	}
	// Output:
	// 404 true Organization [99] does not exist
	// true on the wire: 200
}

// The list filtered and paged: fq filters built from a column and a
// value, the page size sent as limit, and All walking the pages the
// server counts (filterQueryCount).
func ExampleOrganizationsService_All_filtered() {
	srv := commvaulttest.NewServer()
	defer srv.Close()

	c, err := commvault.NewClient(srv.URL, commvault.WithToken(srv.Token))
	if err != nil {
		fmt.Println(err)
		return
	}
	opts := &commvault.ListOptions{
		Filters: []commvault.Filter{commvault.Contains(commvault.ColumnName, "co")},
		Sort:    commvault.ColumnName,
		PerPage: 1,
	}
	for o, err := range c.Organizations.All(context.Background(), opts) {
		if err != nil {
			fmt.Println(err)
			return
		}
		fmt.Println(o.ID, o.Name)
	}
	list, _, err := c.Organizations.List(context.Background(), opts)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(len(list.Items), "of", list.Total)
	// Output:
	// 21 Acme Corp
	// 6 company001
	// 16 test Company
	// 1 of 3
}
