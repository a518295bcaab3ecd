package readycloud_test

import (
	"context"
	"errors"
	"fmt"
	"log"

	"github.com/orgsdk/orgsdk/readycloud"
	"github.com/orgsdk/orgsdk/readycloud/readycloudtest"
)

func Example() {
	srv := readycloudtest.NewServer() // a fake ReadyCloud; use your token and no WithBaseURL for the real one
	defer srv.Close()

	c, err := readycloud.NewClient(srv.Token, readycloud.WithBaseURL(srv.URL))
	if err != nil {
		log.Fatal(err)
	}
	ctx := context.Background()

	org, _, err := c.Organizations.Get(ctx, "1")
	if err != nil {
		log.Fatal(err)
	}
	plan := org.PaymentPlan
	fmt.Println(org.ID, org.Name)
	fmt.Println("price:", plan.Price, "users:", plan.Users, "orders:", plan.Limit)

	org, _, err = c.Organizations.Update(ctx, org.ID, &readycloud.OrganizationInput{Name: "Renamed Company"})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(org.ID, org.Name)
	// Output:
	// 1 Test Company
	// price: 0.00 USD users: unlimited orders: 1991
	// 1 Renamed Company
}

func ExampleOrganizationsService_All() {
	srv := readycloudtest.NewServer()
	defer srv.Close()
	c, err := readycloud.NewClient(srv.Token, readycloud.WithBaseURL(srv.URL))
	if err != nil {
		log.Fatal(err)
	}

	// All fetches pages of 10 as the loop needs them; breaking stops it.
	n := 0
	for org, err := range c.Organizations.All(context.Background(), &readycloud.ListOptions{PerPage: 10}) {
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println(org.ID, org.Name)
		if n++; n == 3 {
			break
		}
	}
	fmt.Println("requests:", srv.Hits())
	// Output:
	// 1 Test Company
	// 2 Acme Outfitters
	// 3 Blue Harbor Supply
	// requests: 1
}

func ExampleOrganizationsService_List() {
	srv := readycloudtest.NewServer()
	defer srv.Close()
	c, err := readycloud.NewClient(srv.Token, readycloud.WithBaseURL(srv.URL))
	if err != nil {
		log.Fatal(err)
	}
	ctx := context.Background()

	opts := &readycloud.ListOptions{PerPage: 10}
	for page := 1; ; page++ {
		list, resp, err := c.Organizations.List(ctx, opts)
		if err != nil {
			log.Fatal(err)
		}
		fmt.Printf("page %d: %d of %d organizations\n", page, len(list.Items), list.Total)
		if resp.NextCursor == "" {
			break
		}
		opts.Cursor = resp.NextCursor
	}
	// Output:
	// page 1: 10 of 25 organizations
	// page 2: 10 of 25 organizations
	// page 3: 5 of 25 organizations
}

func ExampleAPIError() {
	srv := readycloudtest.NewServer()
	defer srv.Close()
	c, err := readycloud.NewClient(srv.Token, readycloud.WithBaseURL(srv.URL))
	if err != nil {
		log.Fatal(err)
	}

	_, _, err = c.Organizations.Get(context.Background(), "does-not-exist")
	var apiErr *readycloud.APIError
	if errors.As(err, &apiErr) {
		fmt.Println(apiErr.StatusCode, apiErr.Message)
	}
	fmt.Println(errors.Is(err, readycloud.ErrNotFound))
	// Output:
	// 404 Not found.
	// true
}

func ExampleWithQueryToken() {
	srv := readycloudtest.NewServer()
	defer srv.Close()
	// The token goes in the bearer_token query parameter, as in the API
	// docs' examples; it still never appears in errors or logs.
	c, err := readycloud.NewClient(srv.Token, readycloud.WithBaseURL(srv.URL), readycloud.WithQueryToken())
	if err != nil {
		log.Fatal(err)
	}
	list, _, err := c.Organizations.List(context.Background(), &readycloud.ListOptions{PerPage: 1})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(list.Items[0].Name)
	// Output:
	// Test Company
}

func ExampleMoney() {
	m, err := readycloud.ParseMoney("49.99 USD")
	if err != nil {
		log.Fatal(err)
	}
	cents, err := m.MinorUnits(2)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(m.Amount, m.Currency, cents)
	// Output:
	// 49.99 USD 4999
}

func ExamplePlanLimit() {
	for _, l := range []readycloud.PlanLimit{readycloud.NoLimit, 25} {
		if n, limited := l.Value(); limited {
			fmt.Println("at most", n)
		} else {
			fmt.Println(l)
		}
	}
	// Output:
	// unlimited
	// at most 25
}

func ExampleWithPrefetch() {
	srv := readycloudtest.NewServer()
	defer srv.Close()
	for i := range 45 {
		srv.Add(readycloudtest.Organization{Name: fmt.Sprintf("Store %02d", i)})
	}
	// Up to 4 pages in flight: the first page's count says how many
	// pages there are, and the rest are asked for by offset, 4 at a time,
	// then yielded in the server's order.
	c, err := readycloud.NewClient(srv.Token, readycloud.WithBaseURL(srv.URL), readycloud.WithPrefetch(4))
	if err != nil {
		log.Fatal(err)
	}
	n, last := 0, ""
	for org, err := range c.Organizations.All(context.Background(), &readycloud.ListOptions{PerPage: 10}) {
		if err != nil {
			log.Fatal(err)
		}
		n, last = n+1, org.Name
	}
	fmt.Println(n, "organizations, the last", last)
	fmt.Println("requests:", srv.Hits())
	// Output:
	// 70 organizations, the last Store 44
	// requests: 7
}
