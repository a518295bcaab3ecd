package rservice

import (
	"context"
	"iter"
	"time"
)

// Person is a person as an organization's people collection returns it
// by default: the documented collection fields id, sourceID, name,
// organization, site, manager, created_at and updated_at, with disabled
// (in the documentation's example answer) and the account and nodeID a
// live tenant adds. Other person fields need NewRequest/Do on /people.
// Nullable fields are pointers.
//
// API docs: https://developer.4me.com/v1/people/
type Person struct {
	ID       int64   `json:"id"`
	SourceID *string `json:"sourceID"`
	Name     string  `json:"name"`
	// Organization is the organization the person belongs to.
	Organization *Reference `json:"organization"`
	// Site is where the person works.
	Site *Reference `json:"site"`
	// Manager is the person's manager.
	Manager   *Reference `json:"manager"`
	CreatedAt time.Time  `json:"created_at"`
	UpdatedAt time.Time  `json:"updated_at"`
	// Disabled is false when the answer did not carry it.
	Disabled bool `json:"disabled,omitempty"`
	// Account is the 4me account the person lives in; nil when not sent.
	Account *Account `json:"account,omitempty"`
	// NodeID is the record's GraphQL id; nil when not sent.
	NodeID *string `json:"nodeID,omitempty"`
}

var people = subCollection[Person]{name: "people", views: subViews,
	key: func(p *Person) string { return idKey(p.ID) }}

var children = subCollection[Organization]{name: "children", views: subViews, orgShaped: true,
	key: organizationKey}

// ListPeople returns one page of the people of the organization. opts
// takes View (Enabled or Disabled; default all), PerPage, Cursor and
// MaxPages.
//
// API docs: https://developer.4me.com/v1/organizations/people/
func (s *OrganizationsService) ListPeople(ctx context.Context, orgID int64, opts *ListOptions) (*Page[Person], *Response, error) {
	return people.list(ctx, s.client, orgID, opts, 0)
}

// AllPeople walks every page of the people of the organization, 100 per
// page unless opts.PerPage says otherwise, with the guarantees of All.
//
// API docs: https://developer.4me.com/v1/organizations/people/
func (s *OrganizationsService) AllPeople(ctx context.Context, orgID int64, opts *ListOptions) iter.Seq2[*Person, error] {
	return people.all(ctx, s.client, orgID, opts)
}

// ListChildren returns one page of the organization's direct children.
// opts takes View (Enabled or Disabled; default all) and the organization
// Filters, Fields and Sort of List.
//
// API docs: https://developer.4me.com/v1/organizations/children/
func (s *OrganizationsService) ListChildren(ctx context.Context, orgID int64, opts *ListOptions) (*Page[Organization], *Response, error) {
	return children.list(ctx, s.client, orgID, opts, 0)
}

// AllChildren walks every page of the organization's direct children, 100
// per page unless opts.PerPage says otherwise, with the guarantees of All.
// Walk the tree by calling it again for each child.
//
// API docs: https://developer.4me.com/v1/organizations/children/
func (s *OrganizationsService) AllChildren(ctx context.Context, orgID int64, opts *ListOptions) iter.Seq2[*Organization, error] {
	return children.all(ctx, s.client, orgID, opts)
}
