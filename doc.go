// Package orgsdk holds what the four provider packages of orgsdk share: the
// error types every call returns ([APIError], [DecodeError],
// [TransportError]), the sentinels to match them with [errors.Is], the
// [Response] every method hands back with its [RateLimit], and [Version].
//
// A program imports one provider package (readycloud, rservice, commvault or
// jsonapi) to talk to an API. Each of those re-exports the names here as
// aliases, so readycloud.APIError and orgsdk.APIError are the same type and
// code that handles errors from several providers can use either.
//
// Every error string the SDK returns starts with "orgsdk: " once; an error
// from a provider's answer then names the provider, the method and the
// redacted URL:
//
//	orgsdk: readycloud: GET https://www.readycloud.com/api/v2/orgs/x/: 404 Not Found: Not found.
//
// No error string, log line or Response.Request ever carries a token,
// password or other credential.
package orgsdk

// Version is the SDK's version. It is sent in the User-Agent header of every
// request ("orgsdk/<Version> (<provider>)"), so a server's logs tell which
// build called. Between tags it is the version the next tag will carry, the
// one CHANGELOG.md's [Unreleased] section names, with "-dev" appended (a
// semver pre-release, which sorts before the tag itself); the release
// commit drops "-dev", and the commit after the tag moves it on to the next
// version. TestVersionMatchesChangelog holds the three together.
const Version = "0.1.0-dev"
