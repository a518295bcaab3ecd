package rservicetest_test

import (
	"context"
	"fmt"

	"github.com/orgsdk/orgsdk/rservice"
	"github.com/orgsdk/orgsdk/rservice/rservicetest"
)

// A test that needs its own data starts the fake empty and adds it; the id
// Add returns is the one the client reads as Organization.ID.
func ExampleServer_Add() {
	srv := rservicetest.NewServer(rservicetest.WithoutSeed())
	defer srv.Close()
	id := srv.Add(rservicetest.Organization{Name: "Acme"})

	c, err := rservice.NewClient(srv.Token, rservice.WithBaseURL(srv.URL))
	if err != nil {
		fmt.Println(err)
		return
	}
	org, _, err := c.Organizations.Get(context.Background(), id)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(org.ID, org.Name, srv.Hits())
	// Output: 1000 Acme 1
}
