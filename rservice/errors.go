package rservice

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/orgsdk/orgsdk"
	"github.com/orgsdk/orgsdk/internal/transport"
)

// The error types and sentinels are shared by every orgsdk provider
// package; see package orgsdk for their fields. They are aliases, so
// rservice.APIError and orgsdk.APIError are one type.
//
// API docs: https://developer.4me.com/v1/#http-status-codes
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
)

// errorBody is the API's error shape: {"message": "..."} always, and on 422
// "errors": [["field", "message"], ...] where a field may repeat.
type errorBody struct {
	Message json.RawMessage `json:"message"`
	Errors  json.RawMessage `json:"errors"`
	// DocumentationURL comes with a 429.
	DocumentationURL json.RawMessage `json:"documentation_url"`
}

// parseError fills e from an error body; it tolerates any bytes, and keeps
// the status text when the body is not the documented shape.
func parseError(e *APIError, body []byte) {
	var b errorBody
	if err := json.Unmarshal(body, &b); err != nil {
		return
	}
	if msg := jsonText(b.Message); msg != "" {
		e.Message = msg
	}
	e.Details = append(e.Details, parseErrorDetails(b.Errors)...)
	if doc := strings.TrimSpace(jsonText(b.DocumentationURL)); doc != "" {
		e.DocumentationURL = transport.RedactURLString(doc)
	}
}

// parseErrorDetails reads the documented tuples, and, leniently, an object
// of field → message(s) or a list of plain strings.
func parseErrorDetails(raw json.RawMessage) []ErrorDetail {
	if len(raw) == 0 {
		return nil
	}
	var out []ErrorDetail
	var list []json.RawMessage
	if err := json.Unmarshal(raw, &list); err == nil {
		for _, item := range list {
			var tuple []json.RawMessage
			if err := json.Unmarshal(item, &tuple); err == nil {
				switch len(tuple) {
				case 0:
				case 1:
					out = append(out, ErrorDetail{Message: jsonText(tuple[0])})
				default:
					parts := make([]string, 0, len(tuple)-1)
					for _, p := range tuple[1:] {
						parts = append(parts, jsonText(p))
					}
					out = append(out, ErrorDetail{Field: jsonText(tuple[0]), Message: strings.Join(parts, "; ")})
				}
				continue
			}
			if s := jsonText(item); s != "" {
				out = append(out, ErrorDetail{Message: s})
			}
		}
		return out
	}
	var obj map[string]json.RawMessage
	if err := json.Unmarshal(raw, &obj); err == nil {
		for _, k := range sortedKeys(obj) {
			var msgs []json.RawMessage
			if err := json.Unmarshal(obj[k], &msgs); err == nil {
				for _, m := range msgs {
					out = append(out, ErrorDetail{Field: k, Message: jsonText(m)})
				}
				continue
			}
			out = append(out, ErrorDetail{Field: k, Message: jsonText(obj[k])})
		}
	}
	return out
}

// jsonText renders a JSON value as text: strings unquoted, null as "",
// anything else compactly.
func jsonText(raw json.RawMessage) string {
	if len(raw) == 0 {
		return ""
	}
	var s string
	if err := json.Unmarshal(raw, &s); err == nil {
		return s
	}
	t := strings.TrimSpace(string(raw))
	if t == "null" {
		return ""
	}
	return fmt.Sprint(t)
}
