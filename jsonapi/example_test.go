package jsonapi_test

import (
	"context"
	"errors"
	"fmt"

	"github.com/orgsdk/orgsdk/jsonapi"
	"github.com/orgsdk/orgsdk/jsonapi/jsonapitest"
)

func ExampleNewClient() {
	srv := jsonapitest.NewServer()
	defer srv.Close()

	c, err := jsonapi.NewClient(srv.Token, jsonapi.WithBaseURL(srv.URL))
	if err != nil {
		fmt.Println(err)
		return
	}
	org, _, err := c.Organizations.Get(context.Background(), "f543998b-5dbf-4e4b-ab2b-00f2751986b8")
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(org.Name, org.DefaultCurrencyCode)
	// Output: Organization442 USD
}

func ExampleOrganizationsService_List() {
	srv := jsonapitest.NewServer()
	defer srv.Close()
	c, _ := jsonapi.NewClient(srv.Token, jsonapi.WithBaseURL(srv.URL))

	ctx := context.Background()
	opts := &jsonapi.ListOptions{Sort: "name", PerPage: 2}
	for {
		list, resp, err := c.Organizations.List(ctx, opts)
		if err != nil {
			fmt.Println(err)
			return
		}
		fmt.Printf("page %d of %d:", list.Page, list.TotalPages)
		for _, org := range list.Items {
			fmt.Printf(" %q", org.Name)
		}
		fmt.Println()
		if resp.NextCursor == "" {
			break
		}
		opts.Cursor = resp.NextCursor
	}
	// Output:
	// page 1 of 3: "Agape UK" "Cru"
	// page 2 of 3: "Organization442" "Organization446"
	// page 3 of 3: "Power to Change"
}

func ExampleOrganizationsService_All() {
	srv := jsonapitest.NewServer()
	defer srv.Close()
	c, _ := jsonapi.NewClient(srv.Token, jsonapi.WithBaseURL(srv.URL))

	opts := &jsonapi.ListOptions{Sort: "-name", Filter: map[string]string{"oauth": "true"}}
	for org, err := range c.Organizations.All(context.Background(), opts) {
		if err != nil {
			fmt.Println(err)
			return
		}
		fmt.Println(org.Name, *org.Country)
	}
	// Output:
	// Power to Change Canada
	// Cru United States
}

func ExampleOrganizationsService_Get_notFound() {
	srv := jsonapitest.NewServer()
	defer srv.Close()
	c, _ := jsonapi.NewClient(srv.Token, jsonapi.WithBaseURL(srv.URL))

	_, _, err := c.Organizations.Get(context.Background(), "00000000-0000-0000-0000-000000000000")
	var apiErr *jsonapi.APIError
	if errors.As(err, &apiErr) {
		fmt.Println(errors.Is(err, jsonapi.ErrNotFound), apiErr.StatusCode, apiErr.Details[0].Message)
	}
	// Output: true 404 Couldn't find Organization with 'id'=00000000-0000-0000-0000-000000000000
}

func ExampleWithPrefetch() {
	srv := jsonapitest.NewServer()
	defer srv.Close()
	for i := range 45 {
		srv.Add(jsonapitest.Organization{Name: fmt.Sprintf("Mission %02d", i)})
	}
	// Up to 4 pages in flight: MPDX's first page says total_pages and
	// sends no links.next, so the rest are asked for by page number, 4 at
	// a time, then yielded in the server's order.
	c, _ := jsonapi.NewClient(srv.Token, jsonapi.WithBaseURL(srv.URL), jsonapi.WithPrefetch(4))
	n := 0
	for _, err := range c.Organizations.All(context.Background(), &jsonapi.ListOptions{PerPage: 10}) {
		if err != nil {
			fmt.Println(err)
			return
		}
		n++
	}
	fmt.Println(n, "organizations in", srv.Hits(), "requests")
	// Output:
	// 50 organizations in 5 requests
}
