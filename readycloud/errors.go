package readycloud

import (
	"encoding/json"
	"fmt"
	"sort"
	"strings"

	"github.com/orgsdk/orgsdk"
	"github.com/orgsdk/orgsdk/internal/transport"
)

// The error types and sentinels are shared by every orgsdk provider
// package; see package orgsdk for their fields. They are aliases, so
// readycloud.APIError and orgsdk.APIError are one type.
//
// API docs: https://www.readycloud.com/static/api-doc/v2/01-getting-started.html
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

// maxDetails bounds how many field errors are kept from one body, so a
// hostile body cannot make a huge error value.
const maxDetails = 50

// parseError reads the four error body shapes ReadyCloud's servers use:
// Django REST framework's {"detail": "..."}, DRF field errors
// {"name": ["..."]}, OAuth's {"error": "...", "error_description": "..."},
// and the older endpoints' {"error_message": "..."}.
func parseError(e *transport.APIError, body []byte) {
	var raw any
	if err := json.Unmarshal(body, &raw); err != nil {
		return
	}
	switch v := raw.(type) {
	case map[string]any:
		parseErrorObject(e, v)
	case []any:
		// A ValidationError raised with a list renders as a bare list.
		e.Details = appendDetails(e.Details, "", v)
		finishDetails(e)
	case string:
		if v != "" {
			e.Message = v
		}
	}
}

func parseErrorObject(e *transport.APIError, obj map[string]any) {
	if code, ok := obj["code"].(string); ok {
		e.Code = code
	}
	if d, ok := obj["detail"]; ok {
		switch d := d.(type) {
		case string:
			e.Message = d
			return
		case []any, map[string]any:
			e.Details = appendDetails(e.Details, "", d)
			finishDetails(e)
			return
		}
	}
	if m, ok := obj["error_message"].(string); ok && m != "" {
		e.Message = m
		return
	}
	if code, ok := obj["error"].(string); ok && code != "" {
		e.Code = code
		e.Message = code
		if desc, ok := obj["error_description"].(string); ok && desc != "" {
			e.Message = desc
		}
		return
	}
	// Field errors: every key is a field (non_field_errors is about the
	// object as a whole).
	keys := make([]string, 0, len(obj))
	for k := range obj {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		field := k
		if k == "non_field_errors" {
			field = ""
		}
		e.Details = appendDetails(e.Details, field, obj[k])
	}
	if len(e.Details) > 0 {
		finishDetails(e)
	}
}

// finishDetails sets the message from the details; a lone message without a
// field becomes the message itself rather than being printed twice.
func finishDetails(e *transport.APIError) {
	if len(e.Details) == 1 && e.Details[0].Field == "" {
		e.Message = e.Details[0].Message
		e.Details = nil
		return
	}
	e.Message = summarize(e.Details)
}

// appendDetails flattens DRF's nested error structure: lists of messages,
// objects of fields (nested serializers, joined with "."), and lists of
// objects (list serializers, indexed).
func appendDetails(out []transport.ErrorDetail, field string, v any) []transport.ErrorDetail {
	if len(out) >= maxDetails {
		return out
	}
	switch v := v.(type) {
	case string:
		return append(out, transport.ErrorDetail{Field: field, Message: v})
	case []any:
		for i, item := range v {
			if _, nested := item.(map[string]any); nested {
				out = appendDetails(out, joinField(field, fmt.Sprint(i)), item)
				continue
			}
			out = appendDetails(out, field, item)
		}
	case map[string]any:
		keys := make([]string, 0, len(v))
		for k := range v {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			out = appendDetails(out, joinField(field, k), v[k])
		}
	case nil:
	default:
		b, _ := json.Marshal(v)
		return append(out, transport.ErrorDetail{Field: field, Message: string(b)})
	}
	return out
}

func joinField(parent, child string) string {
	if parent == "" {
		return child
	}
	return parent + "." + child
}

// summarize picks the message for a body made only of field errors: the
// names of the fields at fault (the details carry the texts, and
// APIError.Error prints both), or the one message of a body without fields.
func summarize(details []transport.ErrorDetail) string {
	fields := make([]string, 0, len(details))
	seen := map[string]bool{}
	for _, d := range details {
		if d.Field != "" && !seen[d.Field] {
			seen[d.Field] = true
			fields = append(fields, d.Field)
		}
	}
	switch {
	case len(fields) > 0:
		return "Invalid input: " + strings.Join(fields, ", ")
	case len(details) == 1:
		return details[0].Message
	}
	return "Invalid input."
}
