package commvaulttest_test

import (
	"context"
	"fmt"

	"github.com/orgsdk/orgsdk/commvault"
	"github.com/orgsdk/orgsdk/commvault/commvaulttest"
)

// A test that needs its own data starts the fake empty and adds it; the id
// Add returns is the one the client reads as Organization.ID.
func ExampleServer_Add() {
	srv := commvaulttest.NewServer(commvaulttest.WithoutSeed())
	defer srv.Close()
	id := srv.Add(commvaulttest.Organization{Name: "Acme"})

	c, err := commvault.NewClient(srv.URL, commvault.WithToken(srv.Token))
	if err != nil {
		fmt.Println(err)
		return
	}
	info, _, err := c.Organizations.Get(context.Background(), id)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(info.Organization.ID, info.Organization.Name, srv.Hits())
	// Output: 1 Acme 1
}
