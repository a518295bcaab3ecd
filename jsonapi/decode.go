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
	"time"
	"unicode/utf8"

	"github.com/orgsdk/orgsdk/internal/bound"
	"github.com/orgsdk/orgsdk/internal/transport"
)

// resourceType is the JSON:API type of an organization resource.
const resourceType = "organizations"

// The wire types below are the document shapes for encoding/json: the
// happy path is one typed pass over the body (see the package doc for why
// it is not google/jsonapi). Whatever they cannot express is checked on the
// decoded values afterwards, and a body that fails is walked again, member
// by member, only to say what was wrong and where (explain).

// orgAttrs decodes a resource's attributes into Organization's fields. It
// must list exactly Organization's fields (the conversion in organization
// does not compile otherwise); those that are not attributes are hidden
// from encoding/json, so an odd attribute named "id" or "links" is ignored
// rather than failing the page.
type orgAttrs struct {
	ID                  string                  `json:"-"`
	Abbreviation        *string                 `json:"abbreviation"`
	Code                *string                 `json:"code"`
	Country             *string                 `json:"country"`
	CreatedAt           time.Time               `json:"created_at"`
	DefaultCurrencyCode string                  `json:"default_currency_code"`
	GiftAidPercentage   *Decimal                `json:"gift_aid_percentage"`
	Logo                *string                 `json:"logo"`
	Name                string                  `json:"name"`
	OAuth               bool                    `json:"oauth"`
	UpdatedAt           time.Time               `json:"updated_at"`
	UpdatedInDBAt       time.Time               `json:"updated_in_db_at"`
	Links               Links                   `json:"-"`
	Relationships       map[string]Relationship `json:"-"`
	Meta                map[string]any          `json:"-"`
}

type wireOrg struct {
	Type          string                  `json:"type"`
	ID            wireID                  `json:"id"`
	Attributes    orgAttrs                `json:"attributes"`
	Relationships map[string]Relationship `json:"relationships"`
	Links         Links                   `json:"links"`
	Meta          map[string]any          `json:"meta"`
}

type wireResource struct {
	Type          string                  `json:"type"`
	ID            wireID                  `json:"id"`
	Attributes    map[string]any          `json:"attributes"`
	Relationships map[string]Relationship `json:"relationships"`
	Links         Links                   `json:"links"`
	Meta          map[string]any          `json:"meta"`
}

type wirePagination struct {
	Page       flexInt  `json:"page"`
	PerPage    flexInt  `json:"per_page"`
	TotalCount *flexInt `json:"total_count"`
	TotalPages flexInt  `json:"total_pages"`
}

// pagination reads meta.pagination into what a list page says: its
// Pagination and its Total (total_count, or -1 when not sent). TotalPages
// is computed from total_count and per_page when the server sends only
// those. A nil p is a page without pagination.
func (p *wirePagination) pagination() (Pagination, int) {
	if p == nil {
		return Pagination{}, -1
	}
	out := Pagination{Page: int(p.Page), PerPage: int(p.PerPage), TotalPages: int(p.TotalPages)}
	total := -1
	if p.TotalCount != nil {
		out.TotalCount = int(*p.TotalCount)
		total = out.TotalCount
	}
	if out.TotalPages == 0 && out.TotalCount > 0 && out.PerPage > 0 {
		out.TotalPages = (out.TotalCount + out.PerPage - 1) / out.PerPage
	}
	return out, total
}

type wireListMeta struct {
	Pagination *wirePagination `json:"pagination"`
	Sort       any             `json:"sort"`
	Filter     any             `json:"filter"`
}

type wireList struct {
	Data     []wireOrg       `json:"data"`
	Included []wireResource  `json:"included"`
	Links    Links           `json:"links"`
	Meta     *wireListMeta   `json:"meta"`
	Errors   json.RawMessage `json:"errors"`
}

type wireOne struct {
	Data     *wireOrg        `json:"data"`
	Included []wireResource  `json:"included"`
	Links    Links           `json:"links"`
	Meta     map[string]any  `json:"meta"`
	Errors   json.RawMessage `json:"errors"`
}

// wireID is a resource id: a JSON string of valid UTF-8. encoding/json
// would silently turn invalid UTF-8 into U+FFFD, making two different ids
// look alike.
type wireID string

var errIDNotUTF8 = errors.New("id is not valid UTF-8")

func (id *wireID) UnmarshalJSON(b []byte) error {
	if len(b) < 2 || b[0] != '"' {
		return &json.UnmarshalTypeError{Value: kindName(jsonKind(b)), Type: reflect.TypeFor[string]()}
	}
	raw := b[1 : len(b)-1]
	if bytes.IndexByte(raw, '\\') < 0 {
		if !utf8.Valid(raw) {
			return errIDNotUTF8
		}
		*id = wireID(raw)
		return nil
	}
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return err
	}
	// An escaped lone surrogate ("\ud800") decodes to U+FFFD as well.
	if !utf8.Valid(raw) || strings.ContainsRune(s, utf8.RuneError) {
		return errIDNotUTF8
	}
	*id = wireID(s)
	return nil
}

// UnmarshalJSON reads a link: a URL string, a link object, or null.
func (l *Link) UnmarshalJSON(b []byte) error {
	switch jsonKind(b) {
	case 'n':
		*l = Link{}
		return nil
	case '"':
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		*l = Link{Href: s}
		return nil
	case '{':
		var obj struct {
			Href *string        `json:"href"`
			Meta map[string]any `json:"meta"`
		}
		if err := json.Unmarshal(b, &obj); err != nil {
			return fmt.Errorf("link object: %w", err)
		}
		*l = Link{Meta: obj.Meta}
		if obj.Href != nil {
			l.Href = *obj.Href
		}
		return nil
	}
	return fmt.Errorf("link is %s, want a string, a link object or null", kindName(jsonKind(b)))
}

// MarshalJSON writes a link without meta as a plain string, the usual form.
func (l Link) MarshalJSON() ([]byte, error) {
	if l.Meta == nil {
		if l.Href == "" {
			return []byte("null"), nil
		}
		return json.Marshal(l.Href)
	}
	type plain Link
	return json.Marshal(plain(l))
}

// UnmarshalJSON reads a resource identifier; type and id must be non-empty
// strings and the id valid UTF-8.
func (r *ResourceIdentifier) UnmarshalJSON(b []byte) error {
	if jsonKind(b) != '{' {
		return fmt.Errorf("resource identifier is %s, want an object", kindName(jsonKind(b)))
	}
	var w struct {
		Type *string        `json:"type"`
		ID   *wireID        `json:"id"`
		Meta map[string]any `json:"meta"`
	}
	if err := json.Unmarshal(b, &w); err != nil {
		return fmt.Errorf("resource identifier: %w", err)
	}
	if w.Type == nil || *w.Type == "" {
		return errors.New("resource identifier has no type")
	}
	if w.ID == nil || *w.ID == "" {
		return errors.New("resource identifier has no id")
	}
	*r = ResourceIdentifier{Type: *w.Type, ID: string(*w.ID), Meta: w.Meta}
	return nil
}

// UnmarshalJSON reads a relationship's data member: null, one resource
// identifier, or an array of them. Any other value ("data": "y") is an
// error: it links nothing a client could follow.
func (l *Linkage) UnmarshalJSON(b []byte) error {
	switch jsonKind(b) {
	case 'n':
		*l = Linkage{Present: true}
		return nil
	case '{':
		var id ResourceIdentifier
		if err := id.UnmarshalJSON(b); err != nil {
			return err
		}
		*l = Linkage{Present: true, One: &id}
		return nil
	case '[':
		var ids []ResourceIdentifier
		if err := json.Unmarshal(b, &ids); err != nil {
			return err
		}
		if ids == nil {
			ids = []ResourceIdentifier{}
		}
		*l = Linkage{Present: true, Many: ids}
		return nil
	}
	return fmt.Errorf("relationship data is %s, want null, a resource identifier or an array of them", kindName(jsonKind(b)))
}

// MarshalJSON writes the linkage in the shape it was read.
func (l Linkage) MarshalJSON() ([]byte, error) {
	switch {
	case l.One != nil:
		return json.Marshal(l.One)
	case l.Many != nil:
		return json.Marshal(l.Many)
	}
	return []byte("null"), nil
}

// organization checks what the types could not (type and id) and builds
// the Organization in place.
func (w *wireOrg) organization(into *Organization) bool {
	if w.Type != resourceType || w.ID == "" {
		return false
	}
	*into = Organization(w.Attributes)
	into.ID = string(w.ID)
	into.Links, into.Relationships, into.Meta = w.Links, w.Relationships, w.Meta
	return true
}

func resources(ws []wireResource) ([]Resource, bool) {
	if ws == nil {
		return nil, true
	}
	out := make([]Resource, len(ws))
	for i, w := range ws {
		if w.Type == "" || w.ID == "" {
			return nil, false
		}
		out[i] = Resource{Type: w.Type, ID: string(w.ID), Attributes: w.Attributes,
			Relationships: w.Relationships, Links: w.Links, Meta: w.Meta}
	}
	return out, true
}

// errorDocument turns an error document inside a success status into an
// *APIError; the error objects' status is the one that means something to
// errors.Is.
func errorDocument(body []byte, status int) error {
	e := &transport.APIError{StatusCode: status}
	if objs, err := ParseErrors(body); err == nil && len(objs) > 0 {
		if n, err := strconv.Atoi(objs[0].Status); err == nil && n >= 400 && n <= 599 {
			e.StatusCode = n
		}
	}
	parseError(e, body)
	return e
}

// documentKeys are the keys a document may not hold twice in one object
// (issue 19.10): the top-level members, a resource's identity (type, id)
// and its attributes and name, and what the walk follows (links.next, its
// href, meta.pagination). encoding/json would keep the last of each
// silently, so a proxy and the SDK could read different resources, or
// different next pages, from one body.
var documentKeys = transport.NewKeySet(
	"data", "errors", "included", "links", "meta", "jsonapi",
	"type", "id", "attributes", "relationships", "name",
	"next", "href", "pagination", "page", "per_page", "total_pages", "total_count",
)

// documentError words a failure of the checks before the decode as the
// explaining walk words its own.
func documentError(err error) error {
	var dup *transport.DuplicateKeyError
	if errors.As(err, &dup) || errors.Is(err, transport.ErrTooDeep) {
		return err
	}
	return fmt.Errorf("document is not a JSON object: %w", err)
}

// decodeList decodes a list document from the buffered body in one pass.
// reqURL (the URL that was answered) resolves a relative links.next and
// builds page-number links; next is the absolute next-page link, still to
// go through the transport's NextCursor ("" on the last page); own says
// whether the server sent a links.next of its own (null included): a walk
// then follows it instead of numbering pages.
func decodeList(body []byte, status int, reqURL *url.URL) (list *OrganizationList, next string, own bool, err error) {
	if err := documentKeys.CheckAnswer(body, '{'); err != nil {
		return nil, "", false, documentError(err)
	}
	var w wireList
	if err := json.Unmarshal(body, &w); err != nil {
		return nil, "", false, explainList(body, err)
	}
	if w.Data == nil {
		if jsonKind(w.Errors) == '[' {
			return nil, "", false, errorDocument(body, status)
		}
		// Null data is an empty page; a missing one is no document.
		if err := checkDocument(body, true); err != nil {
			return nil, "", false, err
		}
	}
	list = &OrganizationList{Items: make([]*Organization, len(w.Data)), Total: -1}
	orgs := make([]Organization, len(w.Data))
	for i := range w.Data {
		if !w.Data[i].organization(&orgs[i]) {
			return nil, "", false, explainList(body, nil)
		}
		list.Items[i] = &orgs[i]
	}
	var ok bool
	if list.Included, ok = resources(w.Included); !ok {
		return nil, "", false, explainList(body, nil)
	}
	if m := w.Meta; m != nil {
		list.Pagination, list.Total = m.Pagination.pagination()
		list.Sort, _ = m.Sort.(string)
		list.Filter, _ = m.Filter.(map[string]any)
	}
	_, own = w.Links["next"]
	next, err = nextLink(w.Links, list.Pagination, reqURL)
	if err != nil {
		return nil, "", false, err
	}
	return list, next, own, nil
}

// decodeOne decodes a single-organization document in one pass.
func decodeOne(body []byte, status int) (*OrganizationDocument, error) {
	if err := documentKeys.CheckAnswer(body, '{'); err != nil {
		return nil, documentError(err)
	}
	var w wireOne
	if err := json.Unmarshal(body, &w); err != nil {
		return nil, explainOne(body, err)
	}
	if w.Data == nil {
		if jsonKind(w.Errors) == '[' {
			return nil, errorDocument(body, status)
		}
		return nil, explainOne(body, nil)
	}
	doc := &OrganizationDocument{Organization: new(Organization), Links: w.Links, Meta: w.Meta}
	if !w.Data.organization(doc.Organization) {
		return nil, explainOne(body, nil)
	}
	var ok bool
	if doc.Included, ok = resources(w.Included); !ok {
		return nil, explainOne(body, nil)
	}
	return doc, nil
}

// nextLink picks the next page: links.next when the server sends one
// (null or "" meaning last page), else the next page number while it is
// within meta.pagination.total_pages. A relative link is resolved against
// the URL that was answered, as JSON:API links are.
func nextLink(links Links, p Pagination, reqURL *url.URL) (string, error) {
	l, ok := links["next"]
	if !ok {
		return pageLink(p, reqURL), nil
	}
	href := strings.TrimSpace(l.Href)
	if href == "" {
		return "", nil
	}
	ref, err := url.Parse(href)
	if err != nil {
		return "", fmt.Errorf("links.next %q is not a URL", transport.QuoteURL(href))
	}
	if reqURL == nil {
		return href, nil
	}
	return reqURL.ResolveReference(ref).String(), nil
}

// pageLink is the request URL with page set to the next page number, or
// "" on the last page.
func pageLink(p Pagination, reqURL *url.URL) string {
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
	return u.String()
}

// requestURL is the URL that was answered (after any redirect), falling
// back to the one that was sent.
func requestURL(resp *http.Response, sent *url.URL) *url.URL {
	if resp != nil && resp.Request != nil && resp.Request.URL != nil {
		return resp.Request.URL
	}
	return sent
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
		return fmt.Errorf("%q is not a page count", bound.Cut(s, 40))
	}
	*n = flexInt(f)
	return nil
}
