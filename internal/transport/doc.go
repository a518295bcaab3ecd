// Package transport is the one HTTP core every orgsdk provider package uses.
//
// It owns everything that is the same for all four providers: option
// validation, the retry policy (which never resends a write the server may
// have acted on), credentials that only ever go to the configured host,
// redaction of secrets in logs and errors, response size and content-type
// checks, the typed API error, and the lazy page iterator. A provider adds
// only what is truly its own: how it authenticates, how it paginates, its
// models, and how its error bodies read.
package transport
