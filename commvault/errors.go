package commvault

import (
	"errors"

	"github.com/orgsdk/orgsdk"
)

// The error types and sentinels are shared by every orgsdk provider
// package; see package orgsdk for their fields. They are aliases, so
// commvault.APIError and orgsdk.APIError are one type.
//
// API docs: https://documentation.commvault.com/2024e/essential/rest_api_error_codes.html
type (
	// APIError is a non-success answer: status, method, redacted URL, the
	// provider's message, code and details, and the wait the server asked
	// for.
	APIError = orgsdk.APIError
	// DecodeError is a success answer whose body could not be decoded.
	DecodeError = orgsdk.DecodeError
	// TransportError is a request that got no usable HTTP answer.
	TransportError = orgsdk.TransportError
	// ErrorDetail is one item of an error's Details.
	ErrorDetail = orgsdk.ErrorDetail
)

// Sentinels to match with errors.Is; see package orgsdk for what each one
// means. Every provider package exports these; a provider whose API has a
// case the others lack adds its own below them (commvault's ErrNoSession).
// Commvault answers many errors inside HTTP 200; the package doc lists
// which of those answers match which sentinel: a missing company
// ("Organization [999] does not exist", errorCode 2) matches ErrNotFound,
// errorCode 5 (Access denied) ErrUnauthorized.
var (
	ErrNotFound              = orgsdk.ErrNotFound
	ErrUnauthorized          = orgsdk.ErrUnauthorized
	ErrForbidden             = orgsdk.ErrForbidden
	ErrConflict              = orgsdk.ErrConflict
	ErrRateLimited           = orgsdk.ErrRateLimited
	ErrValidation            = orgsdk.ErrValidation
	ErrInvalidArgument       = orgsdk.ErrInvalidArgument
	ErrForeignHost           = orgsdk.ErrForeignHost
	ErrRedirectedWrite       = orgsdk.ErrRedirectedWrite
	ErrUnexpectedContentType = orgsdk.ErrUnexpectedContentType
	ErrBodyTooLarge          = orgsdk.ErrBodyTooLarge
	ErrTruncatedBody         = orgsdk.ErrTruncatedBody
	ErrPaginationLoop        = orgsdk.ErrPaginationLoop
	ErrTooManyPages          = orgsdk.ErrTooManyPages
	// ErrNoSession matches a call the client could not authenticate: it has
	// no token and no credentials to get one (a WithToken client after
	// Logout, or whose token expired). Commvault only.
	ErrNoSession = errors.New("orgsdk: commvault: no session and no credentials to log in with")
)

// Error codes with a documented meaning, as APIError.Code holds them:
// Code is a string in every orgsdk provider (jsonapi's codes are text), so
// these are untyped string constants and compare with it directly,
// apiErr.Code == commvault.CodeGenericFailure.
//
// API doc: https://documentation.commvault.com/2024e/essential/rest_api_error_codes.html
const (
	// CodeGenericFailure is errorCode 2, a generic failure. Commvault also
	// answers a missing company with it (HTTP 200, "Organization [999] does
	// not exist"); the SDK gives such an answer StatusCode 404, so it
	// matches ErrNotFound too (see the package doc for every mapping).
	CodeGenericFailure = "2"
	// CodeAccessDenied is errorCode 5 (also an expired token's 401); it
	// matches ErrUnauthorized whatever the HTTP status.
	CodeAccessDenied = "5"
)
