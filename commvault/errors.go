package commvault

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"errors"
	"io"
	"strconv"
	"strings"

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
// means. Every provider package exports the same set.
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
	// ErrNoSession matches a call the client could not authenticate: it has
	// no token and no credentials to get one (a WithToken client after
	// Logout, or whose token expired). Commvault only.
	ErrNoSession = errors.New("orgsdk: commvault: no session and no credentials to log in with")
)

// Error codes with a documented meaning.
const (
	// CodeGenericFailure is errorCode 2.
	CodeGenericFailure = 2
	// CodeAccessDenied is errorCode 5 (also an expired token's 401).
	CodeAccessDenied = 5
)

// errEntry is one error object of any shape; the message field name
// differs by shape.
type errEntry struct {
	ErrorMessage  Text            `json:"errorMessage" xml:"errorMessage,attr"`
	ErrorString   Text            `json:"errorString" xml:"errorString,attr"`
	ErrLogMessage Text            `json:"errLogMessage" xml:"errLogMessage,attr"`
	ErrorCode     json.RawMessage `json:"errorCode" xml:"-"`
	xmlCode       string
	hasXMLCode    bool
}

func (e *errEntry) message() string {
	for _, m := range []Text{e.ErrorMessage, e.ErrorString, e.ErrLogMessage} {
		if s := strings.TrimSpace(string(m)); s != "" {
			return s
		}
	}
	return ""
}

// code returns the errorCode as text and whether it signals an error: any
// value but 0, "", "0" or "NO_ERROR" (newer APIs send enum names).
func (e *errEntry) code() (string, bool) {
	var s string
	switch {
	case e.hasXMLCode:
		s = e.xmlCode
	case len(e.ErrorCode) > 0:
		raw := bytes.TrimSpace(e.ErrorCode)
		if len(raw) > 0 && raw[0] == '"' {
			if err := json.Unmarshal(raw, &s); err != nil {
				s = string(raw)
			}
		} else if string(raw) != "null" {
			s = string(raw)
		}
	}
	s = strings.TrimSpace(s)
	if s == "" || strings.EqualFold(s, "NO_ERROR") {
		return s, false
	}
	if n, err := parseInt(s); err == nil {
		return strconv.FormatInt(n, 10), n != 0
	}
	return truncate(s, 40), true
}

func (e *errEntry) present() bool {
	return len(e.ErrorCode) > 0 || e.hasXMLCode || e.message() != ""
}

// errBody is every JSON error shape at once.
type errBody struct {
	errEntry
	Error    json.RawMessage `json:"error"`
	Response json.RawMessage `json:"response"`
	ErrList  json.RawMessage `json:"errList"`
}

// detectError looks for Commvault's error shapes in a body: flat
// {errorMessage, errorCode}, {error: {...}}, {response: {...}} or
// {response: [...]}, {errList: [...]}, and XML elements (App_GenericResp
// and the same names as attributes). It returns nil when the body carries
// no error. With loose set (a non-2xx answer), a message without a non-zero
// code counts too.
func detectError(body []byte, loose bool) *APIError {
	var entries []errEntry
	var lists int
	switch sniff(body) {
	case formatJSON:
		entries, lists = jsonErrEntries(body)
	case formatXML:
		entries, lists = xmlErrEntries(body)
	default:
		return nil
	}
	var failed []errEntry
	for _, e := range entries {
		if _, bad := e.code(); bad {
			failed = append(failed, e)
		}
	}
	if len(failed) == 0 && loose {
		for _, e := range entries {
			if e.present() {
				failed = append(failed, e)
				break
			}
		}
	}
	if len(failed) == 0 {
		return nil
	}
	first := failed[0]
	ae := &APIError{Message: first.message()}
	ae.Code, _ = first.code()
	if ae.Message == "" {
		ae.Message = "request failed"
	}
	if lists > 0 && len(failed) > 1 {
		for _, e := range failed {
			code, _ := e.code()
			ae.Details = append(ae.Details, ErrorDetail{Code: code, Message: e.message()})
		}
	}
	return ae
}

// jsonErrEntries returns the error objects of every shape found and how
// many came from arrays.
func jsonErrEntries(body []byte) ([]errEntry, int) {
	var b errBody
	if err := json.Unmarshal(body, &b); err != nil {
		return nil, 0
	}
	var out []errEntry
	lists := 0
	if b.errEntry.present() {
		out = append(out, b.errEntry)
	}
	one := func(raw json.RawMessage) {
		var e errEntry
		if json.Unmarshal(raw, &e) == nil && e.present() {
			out = append(out, e)
		}
	}
	many := func(raw json.RawMessage) {
		var es []errEntry
		if json.Unmarshal(raw, &es) == nil {
			for _, e := range es {
				if e.present() {
					out = append(out, e)
					lists++
				}
			}
		}
	}
	for _, raw := range []json.RawMessage{b.Error, b.Response, b.ErrList} {
		raw = bytes.TrimSpace(raw)
		if len(raw) == 0 {
			continue
		}
		switch raw[0] {
		case '{':
			one(raw)
		case '[':
			many(raw)
		}
	}
	return out, lists
}

// xmlErrEntries reads error attributes on the root element and on its
// direct children named error, response or errList.
func xmlErrEntries(body []byte) ([]errEntry, int) {
	d := newXMLDecoder(body)
	var out []errEntry
	lists := 0
	depth := 0
	for {
		tok, err := d.Token()
		if err != nil {
			return out, lists
		}
		switch t := tok.(type) {
		case xml.StartElement:
			depth++
			if depth == 1 {
				if e, ok := xmlEntry(t); ok {
					out = append(out, e)
				}
				continue
			}
			switch t.Name.Local {
			case "error", "response", "errList":
				if e, ok := xmlEntry(t); ok {
					out = append(out, e)
					if t.Name.Local != "error" {
						lists++
					}
				}
			}
			if err := d.Skip(); err != nil {
				return out, lists
			}
			depth--
		case xml.EndElement:
			depth--
			if depth <= 0 {
				return out, lists
			}
		}
	}
}

func xmlEntry(t xml.StartElement) (errEntry, bool) {
	var e errEntry
	for _, a := range t.Attr {
		switch a.Name.Local {
		case "errorMessage":
			e.ErrorMessage = Text(a.Value)
		case "errorString":
			e.ErrorString = Text(a.Value)
		case "errLogMessage":
			e.ErrLogMessage = Text(a.Value)
		case "errorCode":
			e.xmlCode, e.hasXMLCode = a.Value, true
		}
	}
	return e, e.present()
}

// parseError fills an APIError from a non-2xx body: any error shape, or
// the first line of a plain-text body.
func parseError(e *APIError, body []byte) {
	if found := detectError(body, true); found != nil {
		e.Message = found.Message
		e.Code = found.Code
		e.Details = found.Details
		return
	}
	if sniff(body) == formatUnknown {
		line, _, _ := strings.Cut(strings.TrimSpace(string(body)), "\n")
		line = strings.TrimSpace(strings.ToValidUTF8(line, ""))
		if line != "" {
			e.Message = truncate(line, 200)
		}
	}
}

// newXMLDecoder reads UTF-8 (and ASCII-compatible declarations) leniently.
func newXMLDecoder(body []byte) *xml.Decoder {
	d := xml.NewDecoder(bytes.NewReader(body))
	d.CharsetReader = func(label string, in io.Reader) (io.Reader, error) {
		switch strings.ToLower(label) {
		case "utf-8", "utf8", "us-ascii", "ascii":
			return in, nil
		}
		return nil, errors.New("commvault: unsupported XML encoding " + strconv.Quote(truncate(label, 20)))
	}
	return d
}
