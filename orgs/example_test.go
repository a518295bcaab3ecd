package orgs_test

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"

	"github.com/orgsdk/orgsdk/jsonapi/jsonapitest"
	"github.com/orgsdk/orgsdk/orgs"
	"github.com/orgsdk/orgsdk/readycloud"
	"github.com/orgsdk/orgsdk/readycloud/readycloudtest"
	"github.com/orgsdk/orgsdk/rservice/rservicetest"
)

// Open a directory from configuration, list a few organizations, read
// one and rename it where the provider can.
func ExampleOpen() {
	srv := readycloudtest.NewServer()
	defer srv.Close()
	ctx := context.Background()

	dir, err := orgs.Open(ctx, "readycloud", orgs.Config{Token: srv.Token, BaseURL: srv.URL})
	if err != nil {
		fmt.Println(err)
		return
	}
	for org, err := range dir.All(ctx, &orgs.ListOptions{Limit: 2}) {
		if err != nil {
			fmt.Println(err)
			return
		}
		fmt.Println(org.Provider, org.ID, org.Name)
	}
	if dir.Can(orgs.Rename) {
		org, err := dir.Rename(ctx, "1", "Renamed Company")
		if err != nil {
			fmt.Println(err)
			return
		}
		fmt.Println("renamed:", org.Name)
	}
	_, err = dir.Get(ctx, "no-such-org")
	fmt.Println(errors.Is(err, orgs.ErrNotFound))
	// Output:
	// readycloud 1 Test Company
	// readycloud 2 Acme Outfitters
	// renamed: Renamed Company
	// true
}

// Walk several providers at once; each organization says whose it is.
func ExampleAllOf() {
	rc, rs, ja := readycloudtest.NewServer(), rservicetest.NewServer(), jsonapitest.NewServer()
	defer rc.Close()
	defer rs.Close()
	defer ja.Close()
	ctx := context.Background()
	var dirs []*orgs.Directory
	for _, c := range []struct {
		provider string
		cfg      orgs.Config
	}{
		{"readycloud", orgs.Config{Token: rc.Token, BaseURL: rc.URL}},
		{"rservice", orgs.Config{Token: rs.Token, Account: rs.Account, BaseURL: rs.URL}},
		{"jsonapi", orgs.Config{Token: ja.Token, BaseURL: ja.URL}},
	} {
		dir, err := orgs.Open(ctx, c.provider, c.cfg)
		if err != nil {
			fmt.Println(err)
			return
		}
		dirs = append(dirs, dir)
	}
	count := map[string]int{}
	for org, err := range orgs.AllOf(ctx, nil, dirs...) {
		if err != nil {
			fmt.Println(err) // one provider's failure; the others go on
			continue
		}
		count[org.Provider]++
	}
	for _, p := range slices.Sorted(maps.Keys(count)) {
		fmt.Println(p, count[p])
	}
	// Output:
	// jsonapi 5
	// readycloud 25
	// rservice 64
}

// Reach the provider's own organization, for what only it has.
func ExampleOrganization_As() {
	srv := readycloudtest.NewServer()
	defer srv.Close()
	c, err := readycloud.NewClient(srv.Token, readycloud.WithBaseURL(srv.URL))
	if err != nil {
		fmt.Println(err)
		return
	}
	dir := orgs.ReadyCloud(c)
	org, err := dir.Get(context.Background(), "2")
	if err != nil {
		fmt.Println(err)
		return
	}
	var rc *readycloud.Organization
	if org.As(&rc) && rc.PaymentPlan != nil {
		fmt.Println(org.Name, rc.PaymentPlan.Name, rc.PaymentPlan.Price)
	}
	// Output:
	// Acme Outfitters Pro 49.99 USD
}

// Ask before calling what not every provider can do.
func ExampleDirectory_Can() {
	srv := jsonapitest.NewServer()
	defer srv.Close()
	dir, err := orgs.Open(context.Background(), "jsonapi", orgs.Config{Token: srv.Token, BaseURL: srv.URL})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(dir.Provider(), "can rename:", dir.Can(orgs.Rename))
	_, err = dir.Rename(context.Background(), "any", "New name")
	fmt.Println(errors.Is(err, orgs.ErrUnsupported))
	// Output:
	// jsonapi can rename: false
	// true
}
