package rservice_test

import (
	"context"
	"errors"
	"fmt"
	"log"
	"net/http"
	"time"

	"github.com/orgsdk/orgsdk/rservice"
	"github.com/orgsdk/orgsdk/rservice/rservicetest"
)

func Example() {
	srv := rservicetest.NewServer()
	defer srv.Close()

	c, err := rservice.NewClient(srv.Token, rservice.WithBaseURL(srv.URL), rservice.WithAccount(srv.Account))
	if err != nil {
		log.Fatal(err)
	}
	ctx := context.Background()
	org, _, err := c.Organizations.Get(ctx, 50)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(org.Name, "-", org.Parent.Name)
	for _, ct := range org.Contacts {
		fmt.Printf("%s %s: %s\n", ct.Label, ct.Protocol, ct.Value)
	}
	// Output:
	// Widget North America, Finance - Widget North America, Inc.
	// general telephone: +1 (212) 369 2610
	// fax telephone: +1 (212) 369 2611
	// general website: www.widget.com
}

func ExampleOrganizationsService_List() {
	srv := rservicetest.NewServer()
	defer srv.Close()
	c, _ := rservice.NewClient(srv.Token, rservice.WithBaseURL(srv.URL))

	page, resp, err := c.Organizations.List(context.Background(), &rservice.ListOptions{
		View:    rservice.Enabled,
		Filters: []rservice.Filter{rservice.Between("created_at", rservice.Date{Year: 2016, Month: time.April, Day: 2}, rservice.Date{Year: 2016, Month: time.April, Day: 30})},
		Sort:    []string{"-created_at"},
		Fields:  []string{"name", "created_at"},
		PerPage: 3,
	})
	if err != nil {
		log.Fatal(err)
	}
	for _, o := range page.Items {
		fmt.Println(o.Name, o.CreatedAt.Format(time.DateOnly))
	}
	fmt.Printf("page %d of %d, %d in all, more: %t\n", page.CurrentPage, page.TotalPages, page.Total, resp.NextCursor != "")
	// Output:
	// Generated Organization 028 2016-04-29
	// Generated Organization 027 2016-04-28
	// Generated Organization 026 2016-04-27
	// page 1 of 8, 23 in all, more: true
}

func ExampleOrganizationsService_All() {
	srv := rservicetest.NewServer()
	defer srv.Close()
	c, _ := rservice.NewClient(srv.Token, rservice.WithBaseURL(srv.URL))

	n := 0
	for org, err := range c.Organizations.All(context.Background(), &rservice.ListOptions{
		View:    rservice.ManagedByMe,
		Filters: []rservice.Filter{rservice.NotIn("id", 6, 44)},
		PerPage: 5, // small pages to show the walk over cursors
	}) {
		if err != nil {
			log.Fatal(err)
		}
		if n < 2 {
			fmt.Println(org.ID, org.Name)
		}
		n++
	}
	fmt.Println(n, "organizations managed by me")
	// Output:
	// 101 Generated Organization 001
	// 105 Generated Organization 005
	// 24 organizations managed by me
}

func ExampleOrganizationsService_Create() {
	srv := rservicetest.NewServer()
	defer srv.Close()
	c, _ := rservice.NewClient(srv.Token, rservice.WithBaseURL(srv.URL), rservice.WithSource("orgsdk-example"))
	ctx := context.Background()

	org, resp, err := c.Organizations.Create(ctx, &rservice.OrganizationInput{
		Name:            rservice.Set("Widget Europe"),
		ParentID:        rservice.Set[int64](6),
		ManagerID:       rservice.Set[int64](121),
		OrderTemplateID: rservice.Set[int64](30), // required on create
	})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(resp.StatusCode, org.Name, "under", org.Parent.Name, "from", *org.Source)

	_, _, err = c.Organizations.Create(ctx, &rservice.OrganizationInput{Name: rservice.Set("Widget Europe"), OrderTemplateID: rservice.Set[int64](30)})
	var apiErr *rservice.APIError
	if errors.As(err, &apiErr) && errors.Is(err, rservice.ErrValidation) {
		for _, d := range apiErr.Details {
			fmt.Println(apiErr.StatusCode, d.Field+":", d.Message)
		}
	}
	// Output:
	// 201 Widget Europe under Widget Data Center from orgsdk-example
	// 422 name: Name has already been taken
}

func ExampleOrganizationsService_Update() {
	srv := rservicetest.NewServer()
	defer srv.Close()
	c, _ := rservice.NewClient(srv.Token, rservice.WithBaseURL(srv.URL))

	// Set the region, clear the substitute, leave everything else alone.
	org, _, err := c.Organizations.Update(context.Background(), 50, &rservice.OrganizationInput{
		Region:       rservice.Set("EMEA"),
		SubstituteID: rservice.Null[int64](),
	})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(*org.Region, org.Substitute == nil, org.Manager.Name)
	// Output:
	// EMEA true Carolyn Goldrat
}

// An organization's contracts (and likewise its SLAs and time
// allocations) have no typed call: read them with NewRequest and Do into a
// type of your own, and walk their pages with Response.NextCursor.
//
// API docs: https://developer.4me.com/v1/contracts/
func ExampleClient_Do_contracts() {
	srv := rservicetest.NewServer()
	defer srv.Close()
	c, _ := rservice.NewClient(srv.Token, rservice.WithBaseURL(srv.URL))
	ctx := context.Background()

	type contract struct {
		ID         int64               `json:"id"`
		Name       string              `json:"name"`
		Status     string              `json:"status"`
		ExpiryDate string              `json:"expiry_date"`
		Customer   *rservice.Reference `json:"customer"`
	}
	next := "organizations/50/contracts?per_page=1"
	for next != "" {
		req, err := c.NewRequest(http.MethodGet, next, nil)
		if err != nil {
			log.Fatal(err)
		}
		var page []contract
		resp, err := c.Do(ctx, req, &page)
		if err != nil {
			log.Fatal(err)
		}
		for _, k := range page {
			fmt.Printf("%d %s (%s until %s) for %s\n", k.ID, k.Name, k.Status, k.ExpiryDate, k.Customer.Name)
		}
		next = resp.NextCursor // the Link header's rel="next", followed as given
	}
	// Output:
	// 12 Widget Finance Desktop Support (active until 2026-12-31) for Widget North America, Finance
	// 11 Widget Finance Legacy Hosting (expired until 2015-12-31) for Widget North America, Finance
}

func ExampleIn() {
	fmt.Println(rservice.In("id", 1, 2, 3))
	fmt.Println(rservice.NotEq("name", "Widget, Inc."))
	fmt.Println(rservice.Gte("created_at", time.Date(2016, 1, 1, 0, 0, 0, 0, time.UTC)))
	fmt.Println(rservice.In("name", "Widget, Inc.").Err())
	// Output:
	// id=1,2,3
	// name=!Widget%2C%20Inc.
	// created_at=%3E%3D2016-01-01T00%3A00%3A00Z
	// orgsdk: rservice: invalid argument: filter name: "Widget, Inc." is not an enumeration value: the API splits lists at commas and takes integers and enumeration values only
}
