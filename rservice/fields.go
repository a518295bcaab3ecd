package rservice

// The API's lists for organizations, kept in one place so filters, sorting
// and field selection are checked against the same source, before any I/O.
// Source: https://developer.4me.com/v1/organizations/ ("Filtering is
// available for the following fields", "accepted by the ?sort= parameter").

// fieldKind says which Go values a filter field takes and which operators
// make sense on it.
type fieldKind int

const (
	kindString fieldKind = iota
	kindInt
	kindBool
	kindTime
)

// filterFields are the organization fields the API filters on.
var filterFields = map[string]fieldKind{
	"id":          kindInt,
	"source":      kindString,
	"sourceID":    kindString,
	"name":        kindString,
	"disabled":    kindBool,
	"created_at":  kindTime,
	"updated_at":  kindTime,
	"financialID": kindString,
	"parent":      kindInt, // the parent organization's id
}

// sortFields are the organization fields ?sort= accepts.
var sortFields = map[string]bool{
	"id":         true,
	"sourceID":   true,
	"name":       true,
	"created_at": true,
	"updated_at": true,
}

// organizationFields are the fields ?fields= may ask for: every field of an
// organization (id is always returned).
var organizationFields = map[string]bool{
	"addresses":                  true,
	"attachments":                true,
	"business_unit":              true,
	"business_unit_organization": true,
	"contacts":                   true,
	"created_at":                 true,
	"custom_fields":              true,
	"disabled":                   true,
	"financialID":                true,
	"id":                         true,
	"manager":                    true,
	"name":                       true,
	"order_template":             true,
	"parent":                     true,
	"picture_uri":                true,
	"region":                     true,
	"remarks":                    true,
	"source":                     true,
	"sourceID":                   true,
	"substitute":                 true,
	"ui_extension":               true,
	"updated_at":                 true,
}

// FilterFields returns the organization fields the API can filter on.
//
// API docs: https://developer.4me.com/v1/organizations/
func FilterFields() []string { return sortedKeys(filterFields) }

// SortFields returns the organization fields the API can sort on.
//
// API docs: https://developer.4me.com/v1/organizations/
func SortFields() []string { return sortedKeys(sortFields) }
