package jsonapi

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"net/http"
	"net/url"
	"reflect"
	"strconv"
	"strings"

	gjsonapi "github.com/google/jsonapi"

	"github.com/orgsdk/orgsdk/internal/transport"
)

// resourceType is the JSON:API type of an organization resource.
const resourceType = "organizations"

var organizationPtrType = reflect.TypeOf((*Organization)(nil))

// rawDocument is the top level of a JSON:API document, kept raw so the
// shapes google/jsonapi would reject with an unhelpful message (or accept
// wrongly) can be checked first. Struct fields match keys the way
// encoding/json does inside google/jsonapi (case-insensitively), so both
// see the same members.
type rawDocument struct {
	Data     json.RawMessage `json:"data"`
	Included json.RawMessage `json:"included"`
	Links    json.RawMessage `json:"links"`
	Meta     json.RawMessage `json:"meta"`
	Errors   json.RawMessage `json:"errors"`
}

// rawNode mirrors google/jsonapi's Node with every member raw.
type rawNode struct {
	Type          json.RawMessage `json:"type"`
	ID            json.RawMessage `json:"id"`
	ClientID      json.RawMessage `json:"client-id"`
	Attributes    json.RawMessage `json:"attributes"`
	Relationships json.RawMessage `json:"relationships"`
	Links         json.RawMessage `json:"links"`
	Meta          json.RawMessage `json:"meta"`
}

// attrKinds lists the JSON kinds each known attribute may take (null is
// always allowed). google/jsonapi fails on a mismatch with messages that do
// not name the attribute, or not at all for some shapes.
var attrKinds = map[string]byte{
	"abbreviation":          '"',
	"code":                  '"',
	"country":               '"',
	"created_at":            '"',
	"default_currency_code": '"',
	"gift_aid_percentage":   '0',
	"logo":                  '"',
	"name":                  '"',
	"oauth":                 'b',
	"updated_at":            '"',
	"updated_in_db_at":      '"',
}

// jsonKind classifies a raw JSON value by its first byte: '{', '[', '"',
// 'n' (null), 'b' (bool), '0' (number), or 0 when absent.
func jsonKind(raw json.RawMessage) byte {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 {
		return 0
	}
	switch c := raw[0]; c {
	case '{', '[', '"', 'n':
		return c
	case 't', 'f':
		return 'b'
	}
	return '0'
}

func kindName(k byte) string {
	switch k {
	case '{':
		return "an object"
	case '[':
		return "an array"
	case '"':
		return "a string"
	case 'n':
		return "null"
	case 'b':
		return "a boolean"
	case '0':
		return "a number"
	}
	return "missing"
}

// optional reports whether raw is absent, null, or of kind want.
func optional(raw json.RawMessage, want byte) bool {
	k := jsonKind(raw)
	return k == 0 || k == 'n' || k == want
}

// checkNode validates one resource object; wantType "" accepts any type
// (included resources).
func checkNode(raw json.RawMessage, where, wantType string) error {
	if jsonKind(raw) != '{' {
		return fmt.Errorf("%s is %s, want a resource object", where, kindName(jsonKind(raw)))
	}
	var n rawNode
	if err := json.Unmarshal(raw, &n); err != nil {
		return fmt.Errorf("%s: %w", where, err)
	}
	var typ string
	if jsonKind(n.Type) != '"' || json.Unmarshal(n.Type, &typ) != nil {
		return fmt.Errorf("%s: type is %s, want a string", where, kindName(jsonKind(n.Type)))
	}
	if wantType != "" && typ != wantType {
		return fmt.Errorf("%s: type is %q, want %q", where, typ, wantType)
	}
	// JSON:API ids are strings; google/jsonapi cannot decode a numeric one,
	// and silently leaves a missing one empty.
	var id string
	if jsonKind(n.ID) != '"' || json.Unmarshal(n.ID, &id) != nil {
		return fmt.Errorf("%s: id is %s, want a string", where, kindName(jsonKind(n.ID)))
	}
	if id == "" && wantType != "" {
		return fmt.Errorf("%s: id is empty", where)
	}
	where = fmt.Sprintf("%s (id %q)", where, id)
	if !optional(n.ClientID, '"') {
		return fmt.Errorf("%s: client-id is %s, want a string", where, kindName(jsonKind(n.ClientID)))
	}
	for _, m := range []struct {
		name string
		raw  json.RawMessage
	}{{"attributes", n.Attributes}, {"relationships", n.Relationships}, {"links", n.Links}, {"meta", n.Meta}} {
		if !optional(m.raw, '{') {
			return fmt.Errorf("%s: %s is %s, want an object", where, m.name, kindName(jsonKind(m.raw)))
		}
	}
	if wantType == "" || jsonKind(n.Attributes) != '{' {
		return nil
	}
	var attrs map[string]json.RawMessage
	if err := json.Unmarshal(n.Attributes, &attrs); err != nil {
		return fmt.Errorf("%s: attributes: %w", where, err)
	}
	for name, want := range attrKinds {
		if v, ok := attrs[name]; ok && !optional(v, want) {
			return fmt.Errorf("%s: attribute %q is %s, want %s", where, name, kindName(jsonKind(v)), kindName(want))
		}
	}
	return nil
}

// fastNode is the common case of a resource object, checked in one pass.
type fastNode struct {
	Type          string                     `json:"type"`
	ID            string                     `json:"id"`
	ClientID      json.RawMessage            `json:"client-id"`
	Attributes    map[string]json.RawMessage `json:"attributes"`
	Relationships json.RawMessage            `json:"relationships"`
	Links         json.RawMessage            `json:"links"`
	Meta          json.RawMessage            `json:"meta"`
}

// checkNodes validates an array of organization resources. It decodes the
// array once; only when something is wrong does it go over the elements one
// by one (checkNode) for a message that says what and where.
func checkNodes(data json.RawMessage) error {
	var nodes []*fastNode
	if json.Unmarshal(data, &nodes) == nil && fastNodesOK(nodes) {
		return nil
	}
	var items []json.RawMessage
	if err := json.Unmarshal(data, &items); err != nil {
		return fmt.Errorf("data: %w", err)
	}
	for i, n := range items {
		if err := checkNode(n, fmt.Sprintf("data[%d]", i), resourceType); err != nil {
			return err
		}
	}
	// checkNode is stricter than the fast path; this is unreachable unless
	// the two disagree, and then the document is refused.
	return errors.New("data: malformed resource")
}

func fastNodesOK(nodes []*fastNode) bool {
	for _, n := range nodes {
		if n == nil || n.Type != resourceType || n.ID == "" || !optional(n.ClientID, '"') ||
			!optional(n.Relationships, '{') || !optional(n.Links, '{') || !optional(n.Meta, '{') {
			return false
		}
		for name, want := range attrKinds {
			if v, ok := n.Attributes[name]; ok && !optional(v, want) {
				return false
			}
		}
	}
	return true
}

// parseDocument checks the top level shared by list and single documents.
// A document carrying errors and no data (an error inside a success status)
// becomes an *APIError.
func parseDocument(body []byte, status int) (*rawDocument, error) {
	if jsonKind(body) != '{' {
		return nil, errors.New("document is not a JSON object")
	}
	var doc rawDocument
	if err := json.Unmarshal(body, &doc); err != nil {
		return nil, err
	}
	if k := jsonKind(doc.Data); k == 0 || k == 'n' {
		if jsonKind(doc.Errors) == '[' {
			// An error document in a success status: the error objects'
			// status is the one that means something to errors.Is.
			e := &transport.APIError{StatusCode: status}
			if objs, err := ParseErrors(body); err == nil && len(objs) > 0 {
				if n, err := strconv.Atoi(objs[0].Status); err == nil && n >= 400 && n <= 599 {
					e.StatusCode = n
				}
			}
			parseError(e, body)
			return nil, e
		}
		if k == 0 {
			return nil, errors.New("document has no data member")
		}
	}
	if !optional(doc.Links, '{') {
		return nil, fmt.Errorf("links is %s, want an object", kindName(jsonKind(doc.Links)))
	}
	if !optional(doc.Meta, '{') {
		return nil, fmt.Errorf("meta is %s, want an object", kindName(jsonKind(doc.Meta)))
	}
	if !optional(doc.Included, '[') {
		return nil, fmt.Errorf("included is %s, want an array", kindName(jsonKind(doc.Included)))
	}
	if jsonKind(doc.Included) == '[' {
		var inc []json.RawMessage
		if err := json.Unmarshal(doc.Included, &inc); err != nil {
			return nil, fmt.Errorf("included: %w", err)
		}
		for i, n := range inc {
			if err := checkNode(n, fmt.Sprintf("included[%d]", i), ""); err != nil {
				return nil, err
			}
		}
	}
	return &doc, nil
}

// safely runs a google/jsonapi call. Shapes it would panic on are rejected
// beforehand; the recover is the last line of defence so that no response,
// however odd, can crash the caller. Its error is formatted here too,
// because some of google/jsonapi's error types format themselves through
// reflection.
func safely(f func() error) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("google/jsonapi panicked: %v", r)
		}
	}()
	if e := f(); e != nil {
		return errors.New("google/jsonapi: " + e.Error())
	}
	return nil
}

// decodeList decodes a list document from the buffered body. The resources
// go through google/jsonapi's UnmarshalManyPayload, which drops meta and
// links, so those are read from the same bytes; reqURL (the URL that was
// answered) resolves relative links and builds page-number cursors.
func decodeList(body []byte, status int, reqURL *url.URL) (*OrganizationList, string, error) {
	doc, err := parseDocument(body, status)
	if err != nil {
		return nil, "", err
	}
	switch jsonKind(doc.Data) {
	case 'n':
	case '[':
		if err := checkNodes(doc.Data); err != nil {
			return nil, "", err
		}
	default:
		return nil, "", fmt.Errorf("data is %s, want an array of resources", kindName(jsonKind(doc.Data)))
	}
	list := &OrganizationList{Items: []*Organization{}}
	var models []any
	if err := safely(func() error {
		var err error
		models, err = gjsonapi.UnmarshalManyPayload(bytes.NewReader(body), organizationPtrType)
		return err
	}); err != nil {
		return nil, "", err
	}
	for _, m := range models {
		org, ok := m.(*Organization)
		if !ok || org == nil {
			return nil, "", fmt.Errorf("google/jsonapi returned %T, want *Organization", m)
		}
		list.Items = append(list.Items, org)
	}
	if list.Pagination, err = decodePagination(doc.Meta); err != nil {
		return nil, "", err
	}
	next, err := nextCursor(doc.Links, list.Pagination, reqURL)
	if err != nil {
		return nil, "", err
	}
	return list, next, nil
}

// decodeOne decodes a single-resource document.
func decodeOne(body []byte, status int) (*Organization, error) {
	doc, err := parseDocument(body, status)
	if err != nil {
		return nil, err
	}
	if err := checkNode(doc.Data, "data", resourceType); err != nil {
		return nil, err
	}
	org := new(Organization)
	if err := safely(func() error { return gjsonapi.UnmarshalPayload(bytes.NewReader(body), org) }); err != nil {
		return nil, err
	}
	return org, nil
}

// flexInt is a pagination number sent as a JSON number or a string.
type flexInt int

func (n *flexInt) UnmarshalJSON(b []byte) error {
	s := string(bytes.TrimSpace(b))
	switch jsonKind(b) {
	case 'n':
		*n = 0
		return nil
	case '"':
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		s = strings.TrimSpace(s)
		if s == "" {
			*n = 0
			return nil
		}
	case '0':
	default:
		return fmt.Errorf("is %s, want a number", kindName(jsonKind(b)))
	}
	if v, err := strconv.Atoi(s); err == nil {
		if v < 0 {
			return fmt.Errorf("is negative (%d)", v)
		}
		*n = flexInt(v)
		return nil
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || f != math.Trunc(f) || f < 0 || f > math.MaxInt32 {
		return fmt.Errorf("%q is not a page count", s)
	}
	*n = flexInt(f)
	return nil
}

// decodePagination reads meta.pagination; an absent one is all zeros.
func decodePagination(meta json.RawMessage) (Pagination, error) {
	if jsonKind(meta) != '{' {
		return Pagination{}, nil
	}
	var m struct {
		Pagination json.RawMessage `json:"pagination"`
	}
	if err := json.Unmarshal(meta, &m); err != nil {
		return Pagination{}, fmt.Errorf("meta: %w", err)
	}
	if !optional(m.Pagination, '{') {
		return Pagination{}, fmt.Errorf("meta.pagination is %s, want an object", kindName(jsonKind(m.Pagination)))
	}
	if jsonKind(m.Pagination) != '{' {
		return Pagination{}, nil
	}
	var fields map[string]json.RawMessage
	if err := json.Unmarshal(m.Pagination, &fields); err != nil {
		return Pagination{}, fmt.Errorf("meta.pagination: %w", err)
	}
	var p Pagination
	for _, f := range []struct {
		name string
		dst  *int
	}{{"page", &p.Page}, {"per_page", &p.PerPage}, {"total_count", &p.TotalCount}, {"total_pages", &p.TotalPages}} {
		raw, ok := fields[f.name]
		if !ok {
			continue
		}
		var v flexInt
		if err := v.UnmarshalJSON(raw); err != nil {
			return Pagination{}, fmt.Errorf("meta.pagination.%s %w", f.name, err)
		}
		*f.dst = int(v)
	}
	if p.TotalPages == 0 && p.TotalCount > 0 && p.PerPage > 0 {
		p.TotalPages = (p.TotalCount + p.PerPage - 1) / p.PerPage
	}
	return p, nil
}

// nextCursor picks the next page: links.next when the server sends one
// (string or {"href": ...}; null or "" means last page), else the next page
// number while it is within meta.pagination.total_pages. The cursor is a
// path-and-query reference to the server's origin (so it holds no host and
// transport still checks its origin when it is used), or the absolute link
// when the server pointed elsewhere (transport then refuses it).
func nextCursor(links json.RawMessage, p Pagination, reqURL *url.URL) (string, error) {
	if jsonKind(links) == '{' {
		var l struct {
			Next json.RawMessage `json:"next"`
		}
		if err := json.Unmarshal(links, &l); err != nil {
			return "", fmt.Errorf("links: %w", err)
		}
		var href string
		switch jsonKind(l.Next) {
		case 0:
			// No next member: fall back to meta.pagination.
			return pageCursor(p, reqURL), nil
		case 'n':
			return "", nil
		case '"':
			if err := json.Unmarshal(l.Next, &href); err != nil {
				return "", fmt.Errorf("links.next: %w", err)
			}
		case '{':
			var obj struct {
				Href json.RawMessage `json:"href"`
			}
			if err := json.Unmarshal(l.Next, &obj); err != nil {
				return "", fmt.Errorf("links.next: %w", err)
			}
			if !optional(obj.Href, '"') {
				return "", fmt.Errorf("links.next.href is %s, want a string", kindName(jsonKind(obj.Href)))
			}
			if jsonKind(obj.Href) == '"' {
				if err := json.Unmarshal(obj.Href, &href); err != nil {
					return "", fmt.Errorf("links.next.href: %w", err)
				}
			}
		default:
			return "", fmt.Errorf("links.next is %s, want a string or a link object", kindName(jsonKind(l.Next)))
		}
		href = strings.TrimSpace(href)
		if href == "" {
			return "", nil
		}
		ref, err := url.Parse(href)
		if err != nil {
			return "", fmt.Errorf("links.next %q is not a URL", transport.RedactURLString(href))
		}
		if reqURL == nil {
			return href, nil
		}
		return cursorString(reqURL.ResolveReference(ref), reqURL), nil
	}
	return pageCursor(p, reqURL), nil
}

// pageCursor is the request URL with page set to the next page number, or
// "" on the last page.
func pageCursor(p Pagination, reqURL *url.URL) string {
	if reqURL == nil || p.TotalPages == 0 {
		return ""
	}
	q := reqURL.Query()
	page := p.Page
	if page <= 0 {
		page = 1
		if v, err := strconv.Atoi(q.Get("page")); err == nil && v > 0 {
			page = v
		}
	}
	if page >= p.TotalPages {
		return ""
	}
	q.Set("page", strconv.Itoa(page+1))
	u := *reqURL
	u.RawQuery = q.Encode()
	return cursorString(&u, reqURL)
}

func cursorString(u, reqURL *url.URL) string {
	if !transport.SameOrigin(u, reqURL) {
		return u.String()
	}
	s := u.EscapedPath()
	if u.RawQuery != "" {
		s += "?" + u.RawQuery
	}
	return s
}

// requestURL is the URL that was answered (after any redirect), falling
// back to the one that was sent.
func requestURL(resp *http.Response, sent *url.URL) *url.URL {
	if resp != nil && resp.Request != nil && resp.Request.URL != nil {
		return resp.Request.URL
	}
	return sent
}
