// Package rservice is a client for the Organizations API of R-Service, a
// service-management platform built on 4me.
//
// The API speaks JSON with a bearer token. An optional X-4me-Account header
// picks the account to act in (WithAccount). Collections come in cursor
// pages: the Link header's rel="next" URL is followed verbatim, and
// X-Pagination-* headers say how many records there are (OrganizationList.Total
// and the rest of OrganizationList).
// Lists take predefined filters as views (Enabled, ManagedByMe, ...), field
// filters built with Eq, NotEq, Empty, Present, In, NotIn, Lt, Lte, Gt, Gte
// and Between, a sort and a field selection; unknown fields are refused
// before any request is sent. Writes take an OrganizationInput whose fields
// are each left out, Set, or cleared with Null. Every X-RateLimit-* header
// lands in Response.Rate, and a 429 is retried after its Retry-After
// (WithRateLimit paces a client under the documented limit instead).
// NewRequest and Do reach endpoints this package does not cover (an
// organization's contracts, SLAs and time allocations, other resources),
// through the same credentials, retries and error decoding.
//
// An organization's addresses and contacts are read-only inside it and
// managed through its sub-collections on OrganizationsService:
// ListAddresses, AllAddresses, GetAddress, CreateAddress, UpdateAddress,
// DeleteAddress and DeleteAllAddresses, and the same for contacts, with
// AddressInput and ContactInput as tri-state as OrganizationInput.
// DeleteAllAddresses and DeleteAllContacts remove every record and take the
// organization id only. ListChildren/AllChildren (with the Enabled and
// Disabled views and the organization filters, sort and fields) and
// ListPeople/AllPeople (Enabled, Disabled) list the rest of its tree; a
// page of any of them is a Page[T]. Every write is sent once: a DELETE too
// is never resent after it may have reached the server. The fields a live
// tenant sends beyond the documentation are kept: Account and NodeID on
// organizations, references, addresses, contacts and people,
// EndUserPrivacy, and PermittedCustomers as raw JSON.
//
// A DecodeError names the path of the field that failed:
// "[3].created_at: ..." in a list, "contacts[1].email: ..." in an
// organization.
//
// A complete program:
//
//	package main
//
//	import (
//		"context"
//		"fmt"
//		"log"
//		"os"
//		"time"
//
//		"github.com/orgsdk/orgsdk/rservice"
//	)
//
//	func main() {
//		var opts []rservice.Option
//		if acc := os.Getenv("RSERVICE_ACCOUNT"); acc != "" {
//			opts = append(opts, rservice.WithAccount(acc))
//		}
//		c, err := rservice.NewClient(os.Getenv("RSERVICE_TOKEN"), opts...)
//		if err != nil {
//			log.Fatal(err)
//		}
//		ctx := context.Background()
//		lo := &rservice.ListOptions{
//			View:    rservice.Enabled,
//			Filters: []rservice.Filter{rservice.Gte("created_at", rservice.Date{Year: 2016, Month: time.January, Day: 1})},
//			Sort:    []string{"-created_at", "name"},
//		}
//		for org, err := range c.Organizations.All(ctx, lo) {
//			if err != nil {
//				log.Fatal(err)
//			}
//			fmt.Println(org.ID, org.Name)
//		}
//		org, _, err := c.Organizations.Update(ctx, 50, &rservice.OrganizationInput{
//			Region:    rservice.Set("EMEA"),
//			ManagerID: rservice.Null[int64](), // clears the manager
//		})
//		if err != nil {
//			log.Fatal(err)
//		}
//		fmt.Println(org.Name, *org.Region)
//	}
//
// What the package refuses to read (issue 19): an HTML page, whatever its
// Content-Type says (a proxy's or a login page served with 200), and a
// body in another format than its Content-Type names, are DecodeErrors
// matching ErrUnexpectedContentType; a list that is not a JSON array, or
// an organization that is not an object (null, say), is a DecodeError that
// says what arrived. An object that holds id, sourceID or name twice (in
// any case or escaped spelling, as encoding/json matches them), in an
// organization or in a reference it holds, is a DecodeError naming the
// key: encoding/json would keep the last silently, so a proxy and this
// package could read different organizations from one body.
//
// Every walk (All) ends: a page that is empty but names a next page, a
// next link read before, or a page of organizations all yielded before
// ends it with ErrPaginationLoop, and ListOptions.MaxPages (default
// 10,000) with ErrTooManyPages.
//
// WithPrefetch(n), for any n > 0, fetches the next page while the caller
// works through the current one, and no more: each page's Link header
// names the next with an opaque search_after cursor, so a walk cannot ask
// for a page before the one that names it has arrived (the readycloud and
// jsonapi walks, whose pages are addressed by offset or number, have up to
// n in flight).
//
// Package rservicetest has an in-memory fake of the API for tests.
//
// API docs: https://developer.4me.com/v1/organizations/
package rservice
