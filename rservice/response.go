package rservice

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/orgsdk/orgsdk/internal/transport"
)

// Response is one answer from the API: the *http.Response (body already
// read), Rate from X-RateLimit-*, NextCursor from the Link header's
// rel="next", and Pagination from X-Pagination-*.
//
// API docs: https://developer.4me.com/v1/#pagination
type Response struct {
	*transport.Response
	// Pagination is zero for answers that are not collections.
	Pagination Pagination
}

// RateLimit is the X-RateLimit-* state: Limit requests per window,
// Remaining in it, and when it Resets.
//
// API docs: https://developer.4me.com/v1/#rate-limiting
type RateLimit = transport.RateLimit

// Pagination is what the X-Pagination-* headers say about a collection.
//
// API docs: https://developer.4me.com/v1/#pagination
type Pagination struct {
	PerPage      int
	CurrentPage  int
	TotalPages   int
	TotalEntries int
	// Throttled is set when the API capped the collection at 100,000
	// records: narrow the filters to see the rest.
	Throttled bool
}

func parsePagination(h http.Header) Pagination {
	num := func(k string) int {
		n, err := strconv.Atoi(strings.TrimSpace(h.Get(k)))
		if err != nil || n < 0 {
			return 0
		}
		return n
	}
	throttled, _ := strconv.ParseBool(strings.TrimSpace(h.Get("X-Pagination-Throttled")))
	return Pagination{
		PerPage:      num("X-Pagination-Per-Page"),
		CurrentPage:  num("X-Pagination-Current-Page"),
		TotalPages:   num("X-Pagination-Total-Pages"),
		TotalEntries: num("X-Pagination-Total-Entries"),
		Throttled:    throttled,
	}
}

func newResponse(r *transport.Response) *Response {
	if r == nil {
		return nil
	}
	out := &Response{Response: r}
	if r.Response != nil {
		out.Pagination = parsePagination(r.Header)
	}
	return out
}
