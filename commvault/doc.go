// Package commvault is a client for the Organization endpoints of the
// Commvault REST API (self-hosted Command Center or Web Server): the list
// of organizations (companies, tenants), one organization's details and
// its default plans, and a company's lifecycle: create, rename and change
// plans, tag, deactivate, activate, delete.
//
// Commvault is self-hosted, so NewClient takes the web-service root, in one
// of its three forms: https://host/commandcenter/api/ (current),
// https://host/webconsole/api/ (older; servers since 2024E redirect it to
// commandcenter: a 307 or 308 to the same origin is followed once, method
// and body kept, even for POST Login, while a 301/302/303 to a write is
// refused with ErrRedirectedWrite and any redirect to another origin with
// ErrForeignHost), or
// http://host:81/SearchSvc/CVWebService.svc/ (the Web Server directly).
// Servers with self-signed certificates need WithHTTPClient with your CA.
//
// The client manages the session: with WithCredentials it logs in on the
// first call (the SDK base64-encodes the password, as Login requires), lets
// concurrent first calls share one login, and when a token expires after
// its idle time (HTTP 401) renews it with RenewLoginToken, or logs in again
// when renewal fails, then replays the request once; errorCode 5 (Access
// denied) inside an HTTP 200 counts as that 401. WithToken uses an existing
// token instead, WithSAMLToken a SAML token (sent verbatim), and
// WithAccessToken an access token sent as "Authorization: Bearer" (never
// renewed). Commvault Cloud's login answer ({"data":{"authToken":...}}) is
// read like the classic one. Passwords and tokens never reach a log line or an
// error string.
//
// Answers come as JSON or XML (WithFormat); the same structs decode both,
// and lenient types (Flag, Int) accept Commvault's integers-as-booleans,
// empty-string flags and ids sent as strings. Commvault often reports
// errors inside HTTP 200: every answer is checked for its error shapes
// ({errorMessage, errorCode}, {error: {...}}, {response: ...}, {errList:
// [...]}, XML App_GenericResp), and a non-zero errorCode is an *APIError
// whatever the status.
//
//	ctx := context.Background()
//	c, err := commvault.NewClient("https://cv.example.com/commandcenter/api/",
//		commvault.WithCredentials("admin", os.Getenv("COMMVAULT_PASSWORD")))
//	if err != nil {
//		return err
//	}
//	defer c.Logout(ctx)
//	list, _, err := c.Organizations.List(ctx, nil)
//	if err != nil {
//		return err
//	}
//	for _, o := range list.Items {
//		plans, _, err := c.Organizations.DefaultPlan(ctx, o.ID)
//		if err != nil {
//			return err
//		}
//		for _, p := range plans.Plans {
//			fmt.Println(o.Name, p.Subtype, p.Plan.PlanName)
//		}
//	}
//
// Lists: without options, List answers every organization at once
// (OrganizationList.Items, Total) and All ranges over that one answer.
// ListOptions takes what the list endpoint takes, as Commvault's own
// Python SDK (cvpysdk) sends it: Filters (fq=column:op:value, built with
// Contains, Eq, NotEq, Gt, Lt, Gte, Lte and NotIn over a Column such as
// ColumnName, "providers.connectName"), Sort ("-" first for descending),
// Fields (fl=), Search, HardRefresh, and PerPage and Offset sent as limit
// and start; every one is checked before any I/O. Total is the server's
// filterQueryCount when it sends one. With PerPage, All walks
// ceil((filterQueryCount-Offset)/PerPage) pages (at most MaxPages); a
// server that ignores paging, as older ones do, sends no filterQueryCount
// or more than PerPage organizations, and All stops after that one answer,
// which is the whole list.
//
//	opts := &commvault.ListOptions{
//		Filters: []commvault.Filter{commvault.Eq(commvault.ColumnName, "Acme")},
//		PerPage: 100,
//	}
//	for o, err := range c.Organizations.All(ctx, opts) {
//		if err != nil {
//			return err
//		}
//		fmt.Println(o.ID, o.Name, o.Status)
//	}
//
// A company's status is a name on newer servers and a number on classic
// ones, whose meaning Commvault does not publish: OrganizationStatus keeps
// what arrived, and Active reports whether it could read it. A value that
// cannot be decoded is a DecodeError that names where it is
// ("providers[3].serviceType: ...", "providers[1].shortName[0].@id: ..."
// in XML).
//
// The lifecycle is a set of writes on Organizations: Create, Update (a
// new name or alias, and plans and default plans changed by an explicit
// PlanChange: AddPlans, RemovePlans or ReplacePlans, never a silent
// overwrite), SetTags (Tags reads them), Deactivate, Activate and Delete.
// The server deletes only a deactivated company, and Delete never
// deactivates on its own (an SDK that silently stops a customer's backups
// is worse): deactivate first.
//
//	created, _, err := c.Organizations.Create(ctx, &commvault.OrganizationInput{
//		Name: "Globex", Alias: "globex", Plans: []commvault.PlanRef{{PlanName: "Server plan"}},
//	})
//	if err != nil {
//		return err // a taken name or alias matches ErrConflict
//	}
//	_, err = c.Organizations.Update(ctx, created.ID, &commvault.OrganizationUpdate{
//		Plans: commvault.AddPlans(commvault.PlanRef{PlanID: 1}),
//	})
//	if err != nil {
//		return err
//	}
//	if _, err := c.Organizations.Deactivate(ctx, created.ID, nil); err != nil {
//		return err // nil options: backup, restore and login disabled
//	}
//	if _, err := c.Organizations.Delete(ctx, created.ID); err != nil {
//		return err // an active company's refusal matches ErrConflict
//	}
//
// Each lifecycle call is a write: whatever its HTTP method (PUT and DELETE
// included) it is never sent twice once it may have reached the server (a
// 5xx or a dropped connection ends the call; only a 429, the server's
// refusal before any processing, is resent, and a 401 after the session
// is renewed), a 301/302/303 is refused with ErrRedirectedWrite and a
// same-origin 307/308 followed once. Its arguments are checked before any
// I/O (a nil input, a blank name or alias, an id that is not positive, a
// plan change without an operation or without plans), as ErrInvalidArgument.
// The XML root names of the lifecycle's bodies are not published: the
// package names them App_CreateOrganizationRequest,
// App_UpdateOrganizationRequest, App_DeactivateOrganizationRequest and
// App_SetEntityTagsRequest.
//
// For other endpoints, NewRequest and Do go through the same session
// handling.
//
// Which answer matches which sentinel (errors.Is), for every call, reads
// and writes alike:
//
//   - ErrNotFound: HTTP 404; and an error inside a success answer (HTTP
//     200) whose message says the entity does not exist: "Organization
//     [999] does not exist" with errorCode 2 is how Commvault answers a
//     missing company, for reads and writes alike (a plan that Create
//     names and the CommCell lacks is one too: "Plan [P] does not
//     exist"); "doesn't exist", "not found" and "no longer exists" count
//     too. APIError.StatusCode is then 404; the status on the wire is
//     in Response. An error status (a 500 saying "does not exist") keeps
//     its own.
//   - ErrUnauthorized: HTTP 401, and errorCode 5 (Access denied) inside a
//     success answer (StatusCode 401): the session is renewed and the call
//     replayed once.
//   - ErrConflict: HTTP 409; and, inside a success answer, a message
//     saying a name or alias already exists (Create, Update), or a Delete
//     refused because the company is still active (deactivate it first).
//     APIError.StatusCode is then 409. The wording of these two refusals
//     is not published: they are matched by their message.
//   - ErrForbidden, ErrRateLimited, ErrValidation: their HTTP statuses
//     (403; 429, or 503 with Retry-After; 400 and 422), as in every
//     provider.
//   - Any other errorCode inside an HTTP 200 (2, a generic failure, above
//     all) is an *APIError with StatusCode 200 that matches none of them;
//     APIError.Code holds the code as text, and compares with
//     CodeGenericFailure and CodeAccessDenied.
//
// What the package refuses to read (issue 19): an HTML page (a doctype,
// or an html, head or body root), whatever its Content-Type says, is a
// DecodeError matching ErrUnexpectedContentType, never an empty list: a
// proxy's login page served with 200 used to read as "no organizations".
// So is JSON labelled XML and XML labelled JSON. Any other XML root is
// accepted, since Commvault does not publish the root names of its
// answers. A JSON answer that is not an object (null, an array) is a
// DecodeError that says what arrived, and so is an object holding twice
// one of the envelope, identity, token or error keys (providers,
// filterQueryCount, organizationInfo, organization, organizationProperties, planDetails,
// defaultPlans, shortName, id, domainName, connectName, token, errorCode,
// errorMessage, errorString, errLogMessage, errList, error, response), in
// any case or escaped spelling, as encoding/json matches them: it would
// keep the last silently, so a proxy and this package could read different
// organizations, or a different error code, from one body.
//
// Package commvaulttest has an in-memory fake of these endpoints for tests.
//
// API docs: https://documentation.commvault.com/v11/essential/92470_rest_api_get_organization.html
// (and the pages linked from each method).
package commvault
