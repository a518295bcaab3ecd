package readycloudtest_test

import (
	"context"
	"fmt"

	"github.com/orgsdk/orgsdk/readycloud"
	"github.com/orgsdk/orgsdk/readycloud/readycloudtest"
)

// A test that needs its own data starts the fake empty and adds it; the id
// Add returns is the one the client reads as Organization.ID.
func ExampleServer_Add() {
	srv := readycloudtest.NewServer(readycloudtest.WithoutSeed())
	defer srv.Close()
	id := srv.Add(readycloudtest.Organization{Name: "Acme"})

	c, err := readycloud.NewClient(srv.Token, readycloud.WithBaseURL(srv.URL))
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
	// Output: 1 Acme 1
}
