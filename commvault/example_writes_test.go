package commvault_test

import (
	"context"
	"errors"
	"fmt"

	"github.com/orgsdk/orgsdk/commvault"
	"github.com/orgsdk/orgsdk/commvault/commvaulttest"
)

func ExampleOrganizationsService_Create() {
	srv := commvaulttest.NewServer()
	defer srv.Close()
	ctx := context.Background()
	c, err := commvault.NewClient(srv.URL, commvault.WithCredentials(srv.Username, srv.Password))
	if err != nil {
		fmt.Println(err)
		return
	}
	created, _, err := c.Organizations.Create(ctx, &commvault.OrganizationInput{
		Name: "Globex", Alias: "globex",
		PrimaryContacts: []commvault.Contact{{FullName: "Hank Scorpio", Email: "hank@globex.example"}},
		Plans:           []commvault.PlanRef{{PlanName: "Server plan"}},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(created.ID, created.Alias)
	// The same name again is refused inside HTTP 200, as a conflict.
	_, _, err = c.Organizations.Create(ctx, &commvault.OrganizationInput{Name: "Globex", Alias: "globex2"})
	fmt.Println(errors.Is(err, commvault.ErrConflict))
	// Output:
	// 1 globex
	// true
}

func ExampleOrganizationsService_Update() {
	srv := commvaulttest.NewServer()
	defer srv.Close()
	ctx := context.Background()
	c, err := commvault.NewClient(srv.URL, commvault.WithCredentials(srv.Username, srv.Password))
	if err != nil {
		fmt.Println(err)
		return
	}
	// Company 6 has the Server plan; add the Laptop plan, keeping it.
	_, err = c.Organizations.Update(ctx, 6, &commvault.OrganizationUpdate{
		NewName: "company001 Ltd",
		Plans:   commvault.AddPlans(commvault.PlanRef{PlanName: "Laptop plan"}),
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	info, _, err := c.Organizations.Get(ctx, 6)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(info.Organization.Name)
	for _, p := range info.PlanDetails {
		fmt.Println(p.Plan.PlanName)
	}
	// Output:
	// company001 Ltd
	// Server plan
	// Laptop plan
}

func ExampleOrganizationsService_Delete() {
	srv := commvaulttest.NewServer()
	defer srv.Close()
	ctx := context.Background()
	c, err := commvault.NewClient(srv.URL, commvault.WithCredentials(srv.Username, srv.Password))
	if err != nil {
		fmt.Println(err)
		return
	}
	// The server deletes only a deactivated company; Delete does not
	// deactivate on its own.
	_, err = c.Organizations.Delete(ctx, 6)
	fmt.Println("active:", errors.Is(err, commvault.ErrConflict))
	if _, err := c.Organizations.Deactivate(ctx, 6, nil); err != nil {
		fmt.Println(err)
		return
	}
	_, err = c.Organizations.Delete(ctx, 6)
	fmt.Println("deactivated, deleted:", err == nil)
	// Output:
	// active: true
	// deactivated, deleted: true
}
