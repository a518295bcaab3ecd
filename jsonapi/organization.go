package jsonapi

import "time"

// Organization is an MPDX organization resource (type "organizations"):
// its id, its attributes flattened into fields, and the resource-level
// links, relationships and meta a JSON:API server may add. Attributes the
// API may send as null are pointers.
//
// API doc: MPDX API documentation, Organizations, Organization [GET]; https://jsonapi.org/format/#document-resource-objects
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
	// donation, exactly as the server wrote it (MPDX sends the Rails decimal
	// as a string, "25.0"); nil when the organization has none.
	GiftAidPercentage *Decimal `jsonapi:"attr,gift_aid_percentage" json:"gift_aid_percentage"`
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

	// Links are the resource's own links ("self"); nil when none were sent.
	Links Links `json:"links,omitempty"`
	// Relationships are the resource's relationships by name; nil when none
	// were sent. Ask for the related resources with ListOptions.Include or
	// GetOptions.Include to find them in the document's Included.
	Relationships map[string]Relationship `json:"relationships,omitempty"`
	// Meta is the resource's non-standard meta information.
	Meta map[string]any `json:"meta,omitempty"`
}

// OrganizationList is one page of organizations: the items, the total the
// server reported, and the rest of the document's meta.
//
// API doc: MPDX API documentation, Organization [LIST]; https://jsonapi.org/format/#fetching-pagination
type OrganizationList struct {
	// Items are the page's organizations, never nil.
	Items []*Organization `json:"items"`
	// Total is the number of organizations in the whole list
	// (meta.pagination.total_count), or -1 when the server did not say.
	Total int `json:"total"`
	// Pagination is meta.pagination as sent.
	Pagination
	// Sort is meta.sort, the order the server applied ("" when it sent
	// null or something other than a string).
	Sort string `json:"sort,omitempty"`
	// Filter is meta.filter, the filters the server applied (MPDX drops
	// keys it does not know, so this says which were used).
	Filter map[string]any `json:"filter,omitempty"`
	// Included are the related resources asked for with
	// ListOptions.Include, of any type.
	Included []Resource `json:"included,omitempty"`
}

// OrganizationDocument is a single-organization document with what the
// server sent beside the resource: the included resources asked for with
// GetOptions.Include, and the document's links and meta.
//
// API doc: MPDX API documentation, Organization [GET]; https://jsonapi.org/format/#document-compound-documents
type OrganizationDocument struct {
	// Organization is the document's primary data.
	Organization *Organization `json:"organization"`
	// Included are the related resources, of any type.
	Included []Resource `json:"included,omitempty"`
	// Links are the document's top-level links.
	Links Links `json:"links,omitempty"`
	// Meta is the document's top-level meta.
	Meta map[string]any `json:"meta,omitempty"`
}

// Pagination is meta.pagination of a list document. MPDX sends page and
// per_page as strings when the request set them and as numbers when it did
// not; both decode here. Zero values mean the server did not say.
type Pagination struct {
	// Page is the 1-based number of this page.
	Page int `json:"page"`
	// PerPage is the page size the server used.
	PerPage int `json:"per_page"`
	// TotalCount is the number of items in the whole list.
	TotalCount int `json:"total_count"`
	// TotalPages is the number of pages (computed from TotalCount and
	// PerPage when the server sends only those).
	TotalPages int `json:"total_pages"`
}

// Resource is a resource object of any type, as found in a compound
// document's included member.
//
// API doc: https://jsonapi.org/format/#document-resource-objects
type Resource struct {
	// Type is the resource type ("users", "organizations", ...).
	Type string `json:"type"`
	// ID identifies the resource within its type.
	ID string `json:"id"`
	// Attributes are the resource's attributes as generic JSON values.
	Attributes map[string]any `json:"attributes,omitempty"`
	// Relationships are the resource's relationships by name.
	Relationships map[string]Relationship `json:"relationships,omitempty"`
	// Links are the resource's links.
	Links Links `json:"links,omitempty"`
	// Meta is the resource's meta information.
	Meta map[string]any `json:"meta,omitempty"`
}

// ResourceIdentifier names one related resource.
//
// API doc: https://jsonapi.org/format/#document-resource-identifier-objects
type ResourceIdentifier struct {
	// Type is the related resource's type.
	Type string `json:"type"`
	// ID is the related resource's id.
	ID string `json:"id"`
	// Meta is the identifier's meta information.
	Meta map[string]any `json:"meta,omitempty"`
}

// Relationship is one entry of a resource's relationships: its linkage
// (Data), its links and its meta.
//
// API doc: https://jsonapi.org/format/#document-resource-object-relationships
type Relationship struct {
	// Data is the resource linkage; its zero value means the server sent
	// no data member (only links or meta).
	Data Linkage `json:"data,omitzero"`
	// Links are the relationship's links ("self", "related").
	Links Links `json:"links,omitempty"`
	// Meta is the relationship's meta information.
	Meta map[string]any `json:"meta,omitempty"`
}

// Linkage is a relationship's data member, which JSON:API allows in three
// shapes: null (an empty to-one relationship), one resource identifier (a
// to-one relationship) or an array of them (to-many). Anything else fails
// the decode with a DecodeError.
//
// API doc: https://jsonapi.org/format/#document-resource-object-linkage
type Linkage struct {
	// Present reports whether the data member was sent at all (null
	// included).
	Present bool
	// One is the identifier of a to-one relationship; nil for null and for
	// to-many.
	One *ResourceIdentifier
	// Many are the identifiers of a to-many relationship; non-nil (maybe
	// empty) exactly when data was an array.
	Many []ResourceIdentifier
}

// IsMany reports whether the linkage is a to-many array.
func (l Linkage) IsMany() bool { return l.Many != nil }

// Identifiers returns the linked identifiers whatever the shape: none for
// null, one for to-one, all of them for to-many.
func (l Linkage) Identifiers() []ResourceIdentifier {
	switch {
	case l.One != nil:
		return []ResourceIdentifier{*l.One}
	case l.Many != nil:
		return l.Many
	}
	return nil
}

// Links are a JSON:API links object by name ("self", "related", "next").
//
// API doc: https://jsonapi.org/format/#document-links
type Links map[string]Link

// Link is one link: a URL string, or a link object with href and meta. A
// null link decodes as the zero Link.
//
// API doc: https://jsonapi.org/format/#document-links-link-object
type Link struct {
	// Href is the link's URL (may be relative to the document's URL).
	Href string `json:"href,omitempty"`
	// Meta is a link object's meta information.
	Meta map[string]any `json:"meta,omitempty"`
}
