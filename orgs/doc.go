// Package orgs is one portable API over the organizations of every orgsdk
// provider: a program holds a *Directory, the same concrete type whatever
// the provider, and lists (All), reads (Get) and renames (Rename)
// organizations as the same Organization struct, or walks several
// directories at once (AllOf). Under each Directory is a small driver
// (package orgs/driver) built from the provider's own client (ReadyCloud,
// RService, Commvault, JSONAPI) or from configuration (Open, FromEnv); what
// every provider shares is done once, in the Directory: argument checks,
// the cap on items, page sizes, cancellation, errors that name the
// provider. Nothing is flattened to what all providers have in common:
// what one provider cannot do is an error matching ErrUnsupported, known
// beforehand from Can, and what only one provider has stays reachable
// through As — Organization.As to the provider's own organization,
// Directory.As to its client, errors.As to its *APIError.
//
// The design follows Go CDK's (gocloud.dev): a portable type over a
// driver, As escape hatches, options as *Options structs, and a
// conformance suite, orgs/orgstest, that every driver passes against the
// same cases. The import goes one way: orgs imports the provider packages,
// never the reverse, so a program that uses one provider does not need
// orgs.
//
//	ctx := context.Background()
//	dir, err := orgs.Open(ctx, "readycloud", orgs.Config{Token: os.Getenv("READYCLOUD_TOKEN")})
//	if err != nil {
//		return err
//	}
//	for org, err := range dir.All(ctx, &orgs.ListOptions{Limit: 100}) {
//		if err != nil {
//			return err // an *orgs.Error; errors.Is(err, orgs.ErrUnauthorized), ...
//		}
//		fmt.Println(org.Provider, org.ID, org.Name)
//	}
//	if dir.Can(orgs.Rename) {
//		_, err = dir.Rename(ctx, "1", "Renamed Company")
//	}
//
// # Providers
//
// The fields of Organization come from each provider as follows; an empty
// field, Unknown or a zero time means the provider does not say.
//
//	provider    ID                  ParentID        Active                   CreatedAt, UpdatedAt   Rename
//	readycloud  key of its url      —               False when deleted_at    —                      yes
//	rservice    integer id          parent's id     not disabled (Get only)  created_at, updated_at yes
//	commvault   shortName.id        ownerCompanyId  status, else enabled     CreatedAt by Get only  yes
//	jsonapi     UUID                —               —                        created_at, updated_at no (ErrUnsupported)
//
// # Configuration
//
// Open takes a Config, whose fields are a provider's address and
// credentials; FromEnv fills one from these environment variables (the
// ones examples/orgs reads):
//
//	variable             field     provider    what it holds
//	READYCLOUD_TOKEN     Token     readycloud  API token
//	READYCLOUD_BASE_URL  BaseURL   readycloud  API root (default https://www.readycloud.com/api/v2/)
//	RSERVICE_TOKEN       Token     rservice    personal access token
//	RSERVICE_ACCOUNT     Account   rservice    account id (X-4me-Account)
//	RSERVICE_BASE_URL    BaseURL   rservice    API root (default https://api.r-service.tech/v1/)
//	COMMVAULT_BASE_URL   BaseURL   commvault   API root, e.g. https://host/commandcenter/api/
//	COMMVAULT_USERNAME   Username  commvault   user to log in as
//	COMMVAULT_PASSWORD   Password  commvault   password of that user
//	COMMVAULT_DOMAIN     Domain    commvault   domain of that user (optional)
//	COMMVAULT_TOKEN      Token     commvault   an existing QSDK token, instead of a login
//	MPDX_TOKEN           Token     jsonapi     API token
//	MPDX_BASE_URL        BaseURL   jsonapi     API root (default https://api.mpdx.org/api/v2/)
//
// Each provider needs these of them (the others are optional; Commvault
// logs in when both a username and a password are set, and uses the token
// otherwise):
//
//	readycloud  READYCLOUD_TOKEN
//	rservice    RSERVICE_TOKEN; and RSERVICE_ACCOUNT
//	commvault   COMMVAULT_BASE_URL; and COMMVAULT_USERNAME and COMMVAULT_PASSWORD, or COMMVAULT_TOKEN
//	jsonapi     MPDX_TOKEN
//
// A provider with none of its variables set is an error matching
// ErrNotConfigured; one with only some (a token without the account,
// credentials without a base URL, a username without its password) is a
// *ConfigError that names what is set and what is missing. Credentials
// never travel in a URL: each has its own field or variable, a base URL
// with user info or a query is refused, and ReadyCloud's query-string
// token is not offered here. Environment lists the variables, for a
// program's own -h.
//
// # Errors
//
// Every error of a Directory is an *Error naming the provider and the
// operation, wrapping the provider client's own: errors.Is matches the
// family's sentinels (ErrNotFound, ErrUnauthorized, ErrRateLimited, ...,
// the same values as in every provider package) and errors.As reaches
// *orgsdk.APIError with the status, the provider's message and code. No
// ErrorAs function is needed: the provider errors are ordinary wrapped
// errors. Commvault reports a missing company inside an HTTP 200; its
// directory matches ErrNotFound there too.
package orgs
