package jsonapi

import (
	"bytes"
	"encoding/json"
	"errors"
	"net/http"
	"strconv"

	"github.com/orgsdk/orgsdk"
)

// The error types and sentinels are shared by every orgsdk provider
// package; see package orgsdk for their fields. They are aliases, so
// jsonapi.APIError and orgsdk.APIError are one type.
//
// API docs: https://jsonapi.org/format/#errors
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

// ErrorObject is a JSON:API error object
// (https://jsonapi.org/format/#error-objects). It is decoded by this
// package rather than by google/jsonapi, whose ErrorObject has no source
// and fails on a numeric status.
type ErrorObject struct {
	ID string `json:"id,omitempty"`
	// Status is the HTTP status as text; servers that send it as a number
	// ("status": 429) are read the same.
	Status string       `json:"status,omitempty"`
	Code   string       `json:"code,omitempty"`
	Title  string       `json:"title,omitempty"`
	Detail string       `json:"detail,omitempty"`
	Source *ErrorSource `json:"source,omitempty"`
}

// ErrorSource says what an error object is about.
type ErrorSource struct {
	// Pointer is a JSON pointer into the request document
	// ("/data/attributes/name").
	Pointer string `json:"pointer,omitempty"`
	// Parameter names the query parameter at fault ("sort").
	Parameter string `json:"parameter,omitempty"`
	// Header names the request header at fault.
	Header string `json:"header,omitempty"`
}

// flexString is a member servers send as a string, a number or a boolean;
// other shapes read as "" so one odd member cannot hide the whole error.
type flexString string

func (s *flexString) UnmarshalJSON(b []byte) error {
	switch jsonKind(b) {
	case '"':
		var v string
		if err := json.Unmarshal(b, &v); err != nil {
			return err
		}
		*s = flexString(v)
	case '0', 'b':
		*s = flexString(bytes.TrimSpace(b))
	default:
		*s = ""
	}
	return nil
}

type wireErrorSource struct {
	Pointer   flexString `json:"pointer"`
	Parameter flexString `json:"parameter"`
	Header    flexString `json:"header"`
}

type wireError struct {
	ID     flexString      `json:"id"`
	Status flexString      `json:"status"`
	Code   flexString      `json:"code"`
	Title  flexString      `json:"title"`
	Detail flexString      `json:"detail"`
	Source json.RawMessage `json:"source"`
}

// ParseErrors reads the error objects of a JSON:API error document
// ({"errors": [...]}). It fails only when body is not such a document.
func ParseErrors(body []byte) ([]ErrorObject, error) {
	if jsonKind(body) != '{' {
		return nil, errors.New("orgsdk: jsonapi: error body is not a JSON object")
	}
	var doc struct {
		Errors json.RawMessage `json:"errors"`
	}
	if err := json.Unmarshal(body, &doc); err != nil {
		return nil, err
	}
	if jsonKind(doc.Errors) != '[' {
		return nil, errors.New("orgsdk: jsonapi: error body has no errors array")
	}
	var raws []json.RawMessage
	if err := json.Unmarshal(doc.Errors, &raws); err != nil {
		return nil, err
	}
	out := make([]ErrorObject, 0, len(raws))
	for _, raw := range raws {
		if jsonKind(raw) != '{' {
			continue
		}
		var w wireError
		if err := json.Unmarshal(raw, &w); err != nil {
			continue
		}
		o := ErrorObject{ID: string(w.ID), Status: string(w.Status), Code: string(w.Code), Title: string(w.Title), Detail: string(w.Detail)}
		if jsonKind(w.Source) == '{' {
			var src wireErrorSource
			if json.Unmarshal(w.Source, &src) == nil && (src.Pointer != "" || src.Parameter != "" || src.Header != "") {
				o.Source = &ErrorSource{Pointer: string(src.Pointer), Parameter: string(src.Parameter), Header: string(src.Header)}
			}
		}
		out = append(out, o)
	}
	return out, nil
}

// ErrorObjects returns the JSON:API error objects of an *APIError found in
// err's chain, read from its body copy (capped at 4 KiB, so a very long list
// may be cut short); nil when there are none.
func ErrorObjects(err error) []ErrorObject {
	var e *APIError
	if !errors.As(err, &e) {
		return nil
	}
	objs, perr := ParseErrors(e.Body)
	if perr != nil {
		return nil
	}
	return objs
}

// Messages that say why, for the two statuses caused by media types.
const (
	msg415 = "the server requires Content-Type: application/vnd.api+json (without parameters) on every request, GET included; this client sends it, so a proxy or a custom HTTP client may have changed it"
	msg406 = "the server cannot answer in application/vnd.api+json; JSON:API servers answer 406 when every JSON:API type in Accept carries media-type parameters (this client sends it without), so a proxy or a custom HTTP client may have changed it"
)

// parseError fills an APIError from a JSON:API error body. Message is the
// first object's title when it says more than the status text; Details has
// one entry per object.
func parseError(e *APIError, body []byte) {
	switch e.StatusCode {
	case http.StatusUnsupportedMediaType:
		e.Message = msg415
	case http.StatusNotAcceptable:
		e.Message = msg406
	}
	objs, err := ParseErrors(body)
	if err != nil || len(objs) == 0 {
		return
	}
	first := objs[0]
	e.Code = first.Code
	if e.StatusCode != http.StatusUnsupportedMediaType && e.StatusCode != http.StatusNotAcceptable &&
		first.Title != "" && first.Title != http.StatusText(e.StatusCode) {
		e.Message = first.Title
	}
	own := strconv.Itoa(e.StatusCode)
	e.Details = make([]ErrorDetail, 0, len(objs))
	for _, o := range objs {
		d := ErrorDetail{Code: o.Code, Message: o.Detail}
		if d.Message == "" {
			d.Message = o.Title
		}
		if o.Source != nil {
			switch {
			case o.Source.Pointer != "":
				d.Field = o.Source.Pointer
			case o.Source.Parameter != "":
				d.Field = o.Source.Parameter
			default:
				d.Field = o.Source.Header
			}
		}
		if o.Status != "" && o.Status != own {
			d.Message += " (status " + o.Status + ")"
		}
		e.Details = append(e.Details, d)
	}
}
