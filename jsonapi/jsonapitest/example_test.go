package jsonapitest_test

import (
	"context"
	"fmt"

	"github.com/orgsdk/orgsdk/jsonapi"
	"github.com/orgsdk/orgsdk/jsonapi/jsonapitest"
)

// A test that needs its own data starts the fake empty and adds it; the id
// Add returns is the one the client reads as Organization.ID.
func ExampleServer_Add() {
	srv := jsonapitest.NewServer(jsonapitest.WithoutSeed())
	defer srv.Close()
	id := srv.Add(jsonapitest.Organization{Name: "Acme"})

	c, err := jsonapi.NewClient(srv.Token, jsonapi.WithBaseURL(srv.URL))
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
	// Output: 00000000-0000-4000-8000-000000000001 Acme 1
}
