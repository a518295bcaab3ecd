// Package readycloud is a client for the Organizations resource of
// ReadyCloud API v2, the order-management service's Django REST
// framework API: list organizations page by page, read one, and rename it.
//
// A client authenticates with an OAuth2 access token, sent as an
// "Authorization: Bearer" header (or, with WithQueryToken, as the
// bearer_token query parameter the docs' examples use). Organizations have
// no id on the wire: their identity is their url, from which decoding fills
// Organization.ID, the opaque key that Get and Update take. Prices are Money values kept as
// decimal text ("0.00 USD"), and plan quotas are PlanLimit values where -1
// means unlimited.
//
//	c, err := readycloud.NewClient(os.Getenv("READYCLOUD_TOKEN"))
//	if err != nil {
//		log.Fatal(err)
//	}
//	ctx := context.Background()
//	for org, err := range c.Organizations.All(ctx, &readycloud.ListOptions{PerPage: 50}) {
//		if err != nil {
//			log.Fatal(err)
//		}
//		fmt.Println(org.ID, org.Name)
//	}
//	org, _, err := c.Organizations.Update(ctx, "1", &readycloud.OrganizationInput{Name: "Acme"})
//	switch {
//	case errors.Is(err, readycloud.ErrNotFound):
//		log.Fatal("no such organization")
//	case err != nil:
//		log.Fatal(err)
//	}
//	fmt.Println("renamed to", org.Name)
//
// Endpoints this package does not cover go through the raw escape hatch,
// with the same token handling, retries, redaction and error decoding:
//
//	req, err := c.NewRequest(http.MethodGet, "orgs/1/", nil)
//	// handle err
//	var raw map[string]any
//	resp, err := c.Do(ctx, req, &raw)
//
// When the answer is a Django REST framework page, resp.NextCursor is its
// next link without any token, ready for the next NewRequest.
//
// What the package refuses to read (issue 19): an HTML page, whatever its
// Content-Type says (a proxy's or a login page served with 200), and a
// body in another format than its Content-Type names, are DecodeErrors
// matching ErrUnexpectedContentType; a body whose top level is not an
// object (or, for a list, an array), such as null, is a DecodeError that
// says what arrived. An object that holds one of the keys url, name,
// count, next, previous or results twice (in any case or escaped spelling,
// as encoding/json matches them) is a DecodeError naming the key:
// encoding/json would keep the last silently, so a proxy and this package
// could read different organizations from one body.
//
// Every walk (All) ends: a page that is empty but names a next page, a
// next link read before, or a page of organizations all yielded before
// ends it with ErrPaginationLoop, and ListOptions.MaxPages (default
// 10,000) with ErrTooManyPages.
//
// WithPrefetch(n) lets a walk have up to n pages in flight (default 0).
// ReadyCloud pages by limit and offset and its first page says count, so
// the pages after it are asked for by offset, n at a time, and yielded in
// the server's order, through the client's limiter; each page's next link
// still decides where the walk ends (OrganizationsService.All has the
// rule). A first page without count is walked by next links, one page
// ahead at most.
//
// Package readycloudtest has an in-memory fake of the API for tests.
//
// API docs: https://www.readycloud.com/static/api-doc/v2/02-apireference-v2-01-organizations.html
package readycloud
