// Package jsonapi is a client for the MPDX organizations API
// (https://api.mpdx.org/api/v2/), and for any JSON:API server that follows
// the same conventions: documents in application/vnd.api+json, resources of
// type "organizations", page and per_page query parameters, pagination
// totals in meta.pagination, and (when the server sends it) a links.next
// link to the following page.
//
// Requests carry the token as "Authorization: Bearer <token>" and, because
// MPDX answers 415 otherwise, send Content-Type and Accept
// application/vnd.api+json (without media-type parameters) on every request,
// GET included. Every non-success answer is an *APIError carrying the
// JSON:API error objects.
//
// Documents are decoded in one typed encoding/json pass straight into the
// document's shape (resources, included resources, links, meta). The hot
// path does not use github.com/google/jsonapi: its UnmarshalManyPayload
// decodes the body into generic maps and then copies them into structs by
// reflection, drops meta and links (so the body had to be parsed again),
// cannot decode a decimal sent as a string or a numeric status, and panics
// or fails with messages that name no member on some shapes; one 100
// organization page cost 20 times the allocations of plain encoding/json.
// Only a body that fails the one pass is walked again, member by member,
// to say what was wrong and where (with a DecodeError such as
// `data[3].attributes.created_at: is the string "yesterday", want an RFC
// 3339 time (id "x")`, the path first as in every provider); that walk refuses a body nested more than 256 levels deep before
// decoding anything, so a hostile body costs memory in proportion to its
// size. google/jsonapi remains the marshaller of the jsonapitest fake,
// where an implementation independent of the decoder is what a test wants.
//
// Decimal attributes (gift_aid_percentage) are Decimal values: MPDX, a
// Rails application, sends decimals as JSON strings ("25.0"); a number is
// accepted too, and the exact text is kept.
//
// Next-page cursors (Response.NextCursor) are absolute URLs on the base
// URL's origin with credential parameters (access_token and the like)
// removed, whether they come from links.next or from meta.pagination.
//
// Every organization, in name order:
//
//	ctx := context.Background()
//	c, err := jsonapi.NewClient(os.Getenv("MPDX_TOKEN"))
//	if err != nil {
//		log.Fatal(err)
//	}
//	for org, err := range c.Organizations.All(ctx, &jsonapi.ListOptions{Sort: "name"}) {
//		if err != nil {
//			log.Fatal(err)
//		}
//		fmt.Println(org.ID, org.Name)
//	}
//
// What the package refuses to read (issue 19): an HTML page, whatever its
// Content-Type says (a proxy's or a login page served with 200), and a
// body in another format than its Content-Type names, are DecodeErrors
// matching ErrUnexpectedContentType; a document that is not a JSON object
// (null, an array) is a DecodeError that says what arrived. An object that
// holds twice one of the document members (data, errors, included, links,
// meta, jsonapi), a resource's type, id, attributes, relationships or
// name, or what a walk follows (next, href, pagination, page, per_page,
// total_pages, total_count) is a DecodeError naming the key, in any case or
// escaped spelling, as encoding/json matches them: it would keep the last
// silently, so a proxy and this package could read different resources or
// next pages from one body.
//
// Every walk (All) ends: a page that is empty but names a next page
// (links.next, or a meta.pagination.total_pages beyond it), a next link
// read before, or a page of organizations all yielded before ends it with
// ErrPaginationLoop, and ListOptions.MaxPages (default 10,000) with
// ErrTooManyPages.
//
// WithPrefetch(n) lets Organizations.All have up to n pages in flight
// (default 0). MPDX numbers its pages and its first page says
// meta.pagination.total_pages with no links.next, so the pages after it
// are asked for by number, n at a time, and yielded in the server's order,
// through the client's limiter; each page's own total_pages still decides
// where the walk ends. A server that sends links.next is followed link by
// link, one page ahead at most. OrganizationAccounts.All walks the same
// way (one implementation for both collections).
//
// Package jsonapitest provides an in-memory fake of the API for tests.
//
// Writes: Organizations.Create (POST /admin/organizations, admins only; a
// 403 matches ErrForbidden) and OrganizationAccounts (the signed-in user's
// organization accounts: List, All, Get, Create, Update, Delete). Request
// documents are built with encoding/json rather than google/jsonapi,
// whose MarshalPayload cannot send only the attributes a caller set, nor
// tell "leave alone" from "null" (Optional does), nor keep a write-only
// attribute from being decoded back. A write is sent once: never resent
// after it may have reached the server, a DELETE included (a second one
// would answer 404). An account's password is a Secret: the client adds it
// to its scrubber before sending, so no log, error, Response or recording
// shows it. Update sends updated_in_db_at, the version the caller read
// (OrganizationAccount.UpdatedInDBAt); a stale one matches ErrConflict
// whatever status MPDX answers it with, and Overwrite sends overwrite=true
// instead.
//
// API documentation: the MPDX API documentation (Organizations section:
// Organization [LIST] and [GET]) and the JSON:API specification,
// https://jsonapi.org/format/.
package jsonapi
