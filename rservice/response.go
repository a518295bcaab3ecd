package rservice

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/orgsdk/orgsdk"
)

// Response is one answer from the API, shared by every orgsdk provider:
// the *http.Response (body already read, credentials removed from its
// Request), Rate from X-RateLimit-*, and NextCursor from the Link header's
// rel="next" (pass it back as ListOptions.Cursor).
//
// API docs: https://developer.4me.com/v1/#pagination
type Response = orgsdk.Response

// RateLimit is the X-RateLimit-* state: Limit requests per window,
// Remaining in it, and when it Resets.
//
// API docs: https://developer.4me.com/v1/#rate-limiting
type RateLimit = orgsdk.RateLimit

// OrganizationList is one page of organizations and what the
// X-Pagination-* headers say about the whole collection.
//
// API docs: https://developer.4me.com/v1/#pagination
type OrganizationList struct {
	// Items are the organizations of this page, in the API's order.
	Items []*Organization `json:"items"`
	// Total is X-Pagination-Total-Entries, the number of records matching
	// the list (at most 100,000, see Throttled); -1 when the server did
	// not say.
	Total int `json:"total"`
	// PerPage, CurrentPage and TotalPages are the other X-Pagination-*
	// headers; 0 when the server did not send them.
	PerPage     int `json:"per_page"`
	CurrentPage int `json:"current_page"`
	TotalPages  int `json:"total_pages"`
	// Throttled is set when the API capped the collection at 100,000
	// records: narrow the filters to see the rest.
	Throttled bool `json:"throttled"`
}

// newOrganizationList reads the X-Pagination-* headers around items.
func newOrganizationList(items []*Organization, h http.Header) *OrganizationList {
	num := func(k string) (int, bool) {
		n, err := strconv.Atoi(strings.TrimSpace(h.Get(k)))
		if err != nil || n < 0 {
			return 0, false
		}
		return n, true
	}
	out := &OrganizationList{Items: items, Total: -1}
	if n, ok := num("X-Pagination-Total-Entries"); ok {
		out.Total = n
	}
	out.PerPage, _ = num("X-Pagination-Per-Page")
	out.CurrentPage, _ = num("X-Pagination-Current-Page")
	out.TotalPages, _ = num("X-Pagination-Total-Pages")
	out.Throttled, _ = strconv.ParseBool(strings.TrimSpace(h.Get("X-Pagination-Throttled")))
	return out
}
