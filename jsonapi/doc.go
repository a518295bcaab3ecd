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
// GET included. Resources are decoded with github.com/google/jsonapi; the
// document's meta and links are read from the same buffered body. Every
// non-success answer is an *APIError carrying the JSON:API error objects.
//
// A complete program:
//
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
// Package jsonapitest provides an in-memory fake of the API for tests.
//
// API documentation: the MPDX API documentation (Organizations section:
// Organization [LIST] and [GET]) and the JSON:API specification,
// https://jsonapi.org/format/.
package jsonapi
