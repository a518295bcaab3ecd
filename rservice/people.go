package rservice

import (
	"context"
	"iter"
	"time"
)

// Person is a person as an organization's people collection returns it
// by default. Nullable fields are pointers.
//
// API docs: https://developer.4me.com/v1/people/#fields
type Person struct {
	ID       int64   `json:"id"`
	Name     string  `json:"name"`
	SourceID *string `json:"sourceID"`
	// PrimaryEmail is the person's primary e-mail address.
	PrimaryEmail *string    `json:"primary_email,omitempty"`
	Organization *Reference `json:"organization,omitempty"`
	Site         *Reference `json:"site,omitempty"`
	Disabled     bool       `json:"disabled,omitempty"`
	Account      *Account   `json:"account,omitempty"`
	NodeID       *string    `json:"nodeID,omitempty"`
	CreatedAt    time.Time  `json:"created_at"`
	UpdatedAt    time.Time  `json:"updated_at"`
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
