package rservice

import (
	"context"
	"iter"
	"net/http"
	"strings"

	"github.com/orgsdk/orgsdk/internal/transport"
)

// ContactInput is the body of CreateContact and UpdateContact. Every
// field is Optional: left out unless Set, or cleared with Null. A contact
// holds one protocol: set at most one of Telephone, Email and Website
// (CreateContact needs exactly one).
//
// API docs: https://developer.4me.com/v1/organizations/contacts/
type ContactInput struct {
	// Label is required on create: "general", "service_desk", "fax", ...
	Label     Optional[string] `json:"label,omitzero"`
	Telephone Optional[string] `json:"telephone,omitzero"`
	Email     Optional[string] `json:"email,omitzero"`
	Website   Optional[string] `json:"website,omitzero"`
	// Integration marks a contact an integration maintains.
	Integration Optional[bool] `json:"integration,omitzero"`
}

func (in *ContactInput) validate(create bool) error {
	if in == nil {
		return invalidArgument("nil contact input")
	}
	protocols := 0
	for _, p := range []Optional[string]{in.Telephone, in.Email, in.Website} {
		if !p.IsZero() {
			protocols++
		}
	}
	if protocols > 1 {
		return invalidArgument("a contact holds one protocol: set only one of telephone, email and website")
	}
	if create {
		if l, ok := in.Label.Get(); !ok || strings.TrimSpace(l) == "" {
			return invalidArgument("contact label is required (general, service_desk, fax, ...)")
		}
		if protocols == 0 {
			return invalidArgument("a contact needs a telephone, an email or a website")
		}
	} else if protocols == 0 && in.Label.IsZero() && in.Integration.IsZero() {
		return invalidArgument("nothing to update")
	}
	if in.Label.IsNull() {
		return invalidArgument("contact label cannot be cleared")
	}
	if l, ok := in.Label.Get(); ok && strings.TrimSpace(l) == "" {
		return invalidArgument("contact label cannot be blank")
	}
	if e, ok := in.Email.Get(); ok && !strings.Contains(e, "@") {
		return invalidArgument("email %q has no @", e)
	}
	return nil
}

var contacts = subCollection[Contact]{name: "contacts", views: noViews,
	key: func(c *Contact) string { return idKey(c.ID) }}

// ListContacts returns one page of the organization's contacts. opts
// takes PerPage, Cursor and MaxPages (nil: the API's defaults); Filters,
// Fields, Sort and View are ErrInvalidArgument.
//
// API docs: https://developer.4me.com/v1/organizations/contacts/#list-all-contacts
func (s *OrganizationsService) ListContacts(ctx context.Context, orgID int64, opts *ListOptions) (*Page[Contact], *Response, error) {
	return contacts.list(ctx, s.client, orgID, opts, 0)
}

// AllContacts walks every page of the organization's contacts, 100 per
// page unless opts.PerPage says otherwise, with the guarantees of All.
//
// API docs: https://developer.4me.com/v1/organizations/contacts/#list-all-contacts
func (s *OrganizationsService) AllContacts(ctx context.Context, orgID int64, opts *ListOptions) iter.Seq2[*Contact, error] {
	return contacts.all(ctx, s.client, orgID, opts)
}

// GetContact returns one contact of the organization.
//
// API docs: https://developer.4me.com/v1/organizations/contacts/#get-a-single-contact
func (s *OrganizationsService) GetContact(ctx context.Context, orgID, contactID int64) (*Contact, *Response, error) {
	if err := checkIDs(orgID, contactID, "contact"); err != nil {
		return nil, nil, err
	}
	return contacts.one(ctx, s.client, &transport.Request{Method: http.MethodGet, Path: contacts.path(orgID, contactID)})
}

// CreateContact adds a contact to the organization (201 with the record).
// A label and exactly one protocol are required; both are checked before
// anything is sent.
//
// API docs: https://developer.4me.com/v1/organizations/contacts/#create-a-contact
func (s *OrganizationsService) CreateContact(ctx context.Context, orgID int64, in *ContactInput) (*Contact, *Response, error) {
	if err := checkOrgID(orgID); err != nil {
		return nil, nil, err
	}
	if err := in.validate(true); err != nil {
		return nil, nil, err
	}
	return contacts.one(ctx, s.client, &transport.Request{Method: http.MethodPost, Path: contacts.path(orgID), Body: in})
}

// UpdateContact changes the fields of in that are Set or Null (PATCH) and
// returns the whole contact.
//
// API docs: https://developer.4me.com/v1/organizations/contacts/#update-a-contact
func (s *OrganizationsService) UpdateContact(ctx context.Context, orgID, contactID int64, in *ContactInput) (*Contact, *Response, error) {
	if err := checkIDs(orgID, contactID, "contact"); err != nil {
		return nil, nil, err
	}
	if err := in.validate(false); err != nil {
		return nil, nil, err
	}
	return contacts.one(ctx, s.client, &transport.Request{Method: http.MethodPatch, Path: contacts.path(orgID, contactID), Body: in})
}

// DeleteContact removes one contact of the organization (204).
//
// API docs: https://developer.4me.com/v1/organizations/contacts/#delete-a-contact
func (s *OrganizationsService) DeleteContact(ctx context.Context, orgID, contactID int64) (*Response, error) {
	if err := checkIDs(orgID, contactID, "contact"); err != nil {
		return nil, err
	}
	return contacts.none(ctx, s.client, &transport.Request{Method: http.MethodDelete, Path: contacts.path(orgID, contactID)})
}

// DeleteAllContacts removes EVERY contact of the organization at once
// (DELETE on the collection). It takes the organization id only, so it
// cannot be reached by a DeleteContact with a zero contact id.
// Like every write it is sent once: a dropped connection or a 5xx after
// it may have reached the server is returned, not retried (a 429 is).
//
// API docs: https://developer.4me.com/v1/organizations/contacts/#delete-all-contacts
func (s *OrganizationsService) DeleteAllContacts(ctx context.Context, orgID int64) (*Response, error) {
	if err := checkOrgID(orgID); err != nil {
		return nil, err
	}
	return contacts.none(ctx, s.client, &transport.Request{Method: http.MethodDelete, Path: contacts.path(orgID)})
}
