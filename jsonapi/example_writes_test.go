package jsonapi_test

import (
	"context"
	"errors"
	"fmt"

	"github.com/orgsdk/orgsdk/jsonapi"
	"github.com/orgsdk/orgsdk/jsonapi/jsonapitest"
)

// An admin creates an organization; anyone else is refused with 403.
func ExampleOrganizationsService_Create() {
	srv := jsonapitest.NewServer()
	defer srv.Close()
	c, _ := jsonapi.NewClient(srv.Token, jsonapi.WithBaseURL(srv.URL))
	ctx := context.Background()

	org, _, err := c.Organizations.Create(ctx, &jsonapi.OrganizationInput{
		Name:    jsonapi.Set("Mission Aviation"),
		Country: jsonapi.Set("Canada"),
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(org.Name, *org.Country)

	srv.SetAdmin(false)
	_, _, err = c.Organizations.Create(ctx, &jsonapi.OrganizationInput{Name: jsonapi.Set("Not Allowed")})
	fmt.Println(errors.Is(err, jsonapi.ErrForbidden))
	// Output:
	// Mission Aviation Canada
	// true
}

// An organization account is created with a password the SDK never shows,
// then changed from the version read (Edit carries updated_in_db_at): an
// update based on an older version is a conflict, not a silent overwrite.
func ExampleOrganizationAccountsService_Update() {
	srv := jsonapitest.NewServer()
	defer srv.Close()
	c, _ := jsonapi.NewClient(srv.Token, jsonapi.WithBaseURL(srv.URL))
	ctx := context.Background()

	acct, _, err := c.OrganizationAccounts.Create(ctx, &jsonapi.OrganizationAccountInput{
		OrganizationID: "f543998b-5dbf-4e4b-ab2b-00f2751986b8",
		PersonID:       jsonapitest.PersonID,
		Username:       jsonapi.Set("donor-sync"),
		Password:       jsonapi.Set(jsonapi.Secret("s3cret-at-the-org")),
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("%s %v\n", *acct.Username, jsonapi.Set(jsonapi.Secret("s3cret-at-the-org")))

	edit := acct.Edit()
	edit.Username = jsonapi.Set("donor-sync-2")
	updated, _, err := c.OrganizationAccounts.Update(ctx, acct.ID, edit)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(*updated.Username)

	stale := acct.Edit() // still the version before the update
	stale.Username = jsonapi.Set("lost-update")
	_, _, err = c.OrganizationAccounts.Update(ctx, acct.ID, stale)
	fmt.Println(errors.Is(err, jsonapi.ErrConflict))
	// Output:
	// donor-sync "[redacted]"
	// donor-sync-2
	// true
}
