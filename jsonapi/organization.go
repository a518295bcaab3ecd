package jsonapi

import "time"

// Organization is an MPDX organization resource (type "organizations").
// Attributes the API may send as null are pointers, because google/jsonapi
// cannot tell a null attribute from a missing one otherwise.
//
// API doc: MPDX API documentation, Organizations, Organization [GET]; https://jsonapi.org/format/
type Organization struct {
	// ID is the organization's UUID.
	ID string `jsonapi:"primary,organizations" json:"id"`
	// Abbreviation is the abbreviated form of the organization name.
	Abbreviation *string `jsonapi:"attr,abbreviation" json:"abbreviation"`
	// Code is the short code of the organization.
	Code *string `jsonapi:"attr,code" json:"code"`
	// Country is the primary country of the organization.
	Country *string `jsonapi:"attr,country" json:"country"`
	// CreatedAt is when the resource was created.
	CreatedAt time.Time `jsonapi:"attr,created_at,rfc3339" json:"created_at"`
	// DefaultCurrencyCode is the organization's default currency (ISO 4217).
	DefaultCurrencyCode string `jsonapi:"attr,default_currency_code" json:"default_currency_code"`
	// GiftAidPercentage is the percentage a gift aid programme adds to each
	// donation; nil when the organization has none.
	GiftAidPercentage *float64 `jsonapi:"attr,gift_aid_percentage" json:"gift_aid_percentage"`
	// Logo is the URL of the organization's logo image.
	Logo *string `jsonapi:"attr,logo" json:"logo"`
	// Name is the organization's name.
	Name string `jsonapi:"attr,name" json:"name"`
	// OAuth reports whether users must authenticate via OAuth to connect.
	OAuth bool `jsonapi:"attr,oauth" json:"oauth"`
	// UpdatedAt is when the resource was last updated.
	UpdatedAt time.Time `jsonapi:"attr,updated_at,rfc3339" json:"updated_at"`
	// UpdatedInDBAt is when the resource was last updated in the remote
	// database, for clients that sync while offline.
	UpdatedInDBAt time.Time `jsonapi:"attr,updated_in_db_at,rfc3339" json:"updated_in_db_at"`
}

// OrganizationList is one page of organizations with the server's
// pagination totals.
type OrganizationList struct {
	Items []*Organization `json:"items"`
	Pagination
}

// Pagination is meta.pagination of a list document. MPDX sends page and
// per_page as strings when the request set them and as numbers when it did
// not; both decode here. Zero values mean the server did not say.
type Pagination struct {
	Page       int `json:"page"`
	PerPage    int `json:"per_page"`
	TotalCount int `json:"total_count"`
	TotalPages int `json:"total_pages"`
}
