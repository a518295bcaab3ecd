package rservice

import (
	"context"
	"iter"
	"net/http"
	"strings"

	"github.com/orgsdk/orgsdk/internal/transport"
)

// Address labels the API documents.
const (
	LabelStreet  = "street"
	LabelMailing = "mailing"
	LabelBilling = "billing"
)

// AddressInput is the body of CreateAddress and UpdateAddress. Every
// field is Optional: left out unless Set, or cleared with Null.
//
// API docs: https://developer.4me.com/v1/organizations/addresses/
type AddressInput struct {
	// Label is required on create: LabelStreet, LabelMailing or
	// LabelBilling (other values are sent as given; the API judges them).
	Label   Optional[string] `json:"label,omitzero"`
	Address Optional[string] `json:"address,omitzero"`
	City    Optional[string] `json:"city,omitzero"`
	State   Optional[string] `json:"state,omitzero"`
	Zip     Optional[string] `json:"zip,omitzero"`
	// Country is an ISO 3166-1 alpha-2 code such as "US".
	Country Optional[string] `json:"country,omitzero"`
	// Integration marks an address an integration maintains.
	Integration Optional[bool] `json:"integration,omitzero"`
}

func (in *AddressInput) validate(create bool) error {
	if in == nil {
		return invalidArgument("nil address input")
	}
	if create {
		if l, ok := in.Label.Get(); !ok || strings.TrimSpace(l) == "" {
			return invalidArgument("address label is required (street, mailing or billing)")
		}
	} else if in.Label.IsZero() && in.Address.IsZero() && in.City.IsZero() && in.State.IsZero() &&
		in.Zip.IsZero() && in.Country.IsZero() && in.Integration.IsZero() {
		return invalidArgument("nothing to update")
	}
	if in.Label.IsNull() {
		return invalidArgument("address label cannot be cleared")
	}
	if l, ok := in.Label.Get(); ok && strings.TrimSpace(l) == "" {
		return invalidArgument("address label cannot be blank")
	}
	if c, ok := in.Country.Get(); ok && c != "" && len(c) != 2 {
		return invalidArgument("country %q is not a two-letter ISO 3166 code", c)
	}
	return nil
}

var addresses = subCollection[Address]{name: "addresses", views: noViews,
	key: func(a *Address) string { return idKey(a.ID) }}

// ListAddresses returns one page of the organization's addresses. opts
// takes PerPage, Cursor and MaxPages (nil: the API's defaults); Filters,
// Fields, Sort and View are ErrInvalidArgument.
//
// API docs: https://developer.4me.com/v1/organizations/addresses/#list-all-addresses
func (s *OrganizationsService) ListAddresses(ctx context.Context, orgID int64, opts *ListOptions) (*Page[Address], *Response, error) {
	return addresses.list(ctx, s.client, orgID, opts, 0)
}

// AllAddresses walks every page of the organization's addresses, 100 per
// page unless opts.PerPage says otherwise, with the guarantees of All.
//
// API docs: https://developer.4me.com/v1/organizations/addresses/#list-all-addresses
func (s *OrganizationsService) AllAddresses(ctx context.Context, orgID int64, opts *ListOptions) iter.Seq2[*Address, error] {
	return addresses.all(ctx, s.client, orgID, opts)
}

// GetAddress returns one address of the organization.
//
// API docs: https://developer.4me.com/v1/organizations/addresses/#get-a-single-address
func (s *OrganizationsService) GetAddress(ctx context.Context, orgID, addressID int64) (*Address, *Response, error) {
	if err := checkIDs(orgID, addressID, "address"); err != nil {
		return nil, nil, err
	}
	return addresses.one(ctx, s.client, &transport.Request{Method: http.MethodGet, Path: addresses.path(orgID, addressID)})
}

// CreateAddress adds an address to the organization (201 with the
// record). A label is required; it is checked before anything is sent.
//
// API docs: https://developer.4me.com/v1/organizations/addresses/#create-an-address
func (s *OrganizationsService) CreateAddress(ctx context.Context, orgID int64, in *AddressInput) (*Address, *Response, error) {
	if err := checkOrgID(orgID); err != nil {
		return nil, nil, err
	}
	if err := in.validate(true); err != nil {
		return nil, nil, err
	}
	return addresses.one(ctx, s.client, &transport.Request{Method: http.MethodPost, Path: addresses.path(orgID), Body: in})
}

// UpdateAddress changes the fields of in that are Set or Null (PATCH) and
// returns the whole address.
//
// API docs: https://developer.4me.com/v1/organizations/addresses/#update-an-address
func (s *OrganizationsService) UpdateAddress(ctx context.Context, orgID, addressID int64, in *AddressInput) (*Address, *Response, error) {
	if err := checkIDs(orgID, addressID, "address"); err != nil {
		return nil, nil, err
	}
	if err := in.validate(false); err != nil {
		return nil, nil, err
	}
	return addresses.one(ctx, s.client, &transport.Request{Method: http.MethodPatch, Path: addresses.path(orgID, addressID), Body: in})
}

// DeleteAddress removes one address of the organization (204).
//
// API docs: https://developer.4me.com/v1/organizations/addresses/#delete-an-address
func (s *OrganizationsService) DeleteAddress(ctx context.Context, orgID, addressID int64) (*Response, error) {
	if err := checkIDs(orgID, addressID, "address"); err != nil {
		return nil, err
	}
	return addresses.none(ctx, s.client, &transport.Request{Method: http.MethodDelete, Path: addresses.path(orgID, addressID)})
}

// DeleteAllAddresses removes EVERY address of the organization at once
// (DELETE on the collection). It takes the organization id only, so it
// cannot be reached by a DeleteAddress with a zero address id.
// Like every write it is sent once: a dropped connection or a 5xx after
// it may have reached the server is returned, not retried (a 429 is).
//
// API docs: https://developer.4me.com/v1/organizations/addresses/#delete-all-addresses
func (s *OrganizationsService) DeleteAllAddresses(ctx context.Context, orgID int64) (*Response, error) {
	if err := checkOrgID(orgID); err != nil {
		return nil, err
	}
	return addresses.none(ctx, s.client, &transport.Request{Method: http.MethodDelete, Path: addresses.path(orgID)})
}

func checkIDs(orgID, itemID int64, what string) error {
	if err := checkOrgID(orgID); err != nil {
		return err
	}
	if itemID <= 0 {
		return invalidArgument("%s id %d is not positive", what, itemID)
	}
	return nil
}
