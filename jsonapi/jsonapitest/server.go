// Package jsonapitest is an in-memory fake of the MPDX organizations API
// for tests: point a jsonapi.Client at Server.URL with Server.Token.
//
// It enforces what the real server does: Content-Type
// application/vnd.api+json on every request (415 otherwise), an Accept
// whose JSON:API types are not all parameterised (406 otherwise), bearer
// auth (the real 401 body), page and per_page (echoed in meta.pagination as
// strings when sent and as numbers when not), sort=name and -name (400 for
// anything else), filter[...] (unknown keys dropped) and JSON:API 404
// errors. Decimal attributes are sent as strings ("25.0"), as Rails does.
// fields[organizations]=a,b (a sparse fieldset) keeps only those
// attributes; include= is answered 400, as JSON:API requires of a server
// that cannot serve the path: the documented organization resource has no
// relationships.
// It takes the writes MPDX has around organizations with MPDX's rules:
// POST admin/organizations for admins only (SetAdmin(false) makes it 403;
// a blank name is 400 with a source pointer), and the signed-in user's
// organization accounts under user/organization_accounts (list with
// filter, sort, paging and include=organization; get; create with
// organization, person, username and password, 400 with one pointer per
// missing one; PATCH or PUT checked against updated_in_db_at: missing is
// 400, stale is 409 naming it, overwrite skips the check; 204 on delete;
// 404 for an unknown id). Request documents are checked as its answers
// are: one JSON object, no member twice, data of the route's type. The
// password it is sent is kept apart and never written into an answer.
// AddOrganizationAccount, OrganizationAccount and OrganizationAccounts
// seed and read the accounts.
// WithLinks (or SetLinks) makes it also send links.next, as other JSON:API
// servers do, and InjectFault makes requests fail. Resources are
// marshalled with github.com/google/jsonapi, an implementation independent
// of the client's decoder.
//
// Its API is the one every orgsdk fake has: InjectFault makes it fail on
// demand; Add seeds it (Clear or WithoutSeed first to start from nothing),
// Organization and Organizations read it back, Hits, HitsFor and Requests
// show what the client sent, and Reset puts it back as it started.
//
//	srv := jsonapitest.NewServer()
//	defer srv.Close()
//	c, err := jsonapi.NewClient(srv.Token, jsonapi.WithBaseURL(srv.URL))
package jsonapitest

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"mime"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	gjsonapi "github.com/google/jsonapi"

	"github.com/orgsdk/orgsdk/internal/fake"
	"github.com/orgsdk/orgsdk/jsonapi"
)

// Prefix is the path the fake mounts the API under, as on api.mpdx.org.
const Prefix = "/api/v2/"

// contentType is what the real server answers with.
const contentType = "application/vnd.api+json; charset=utf-8"

// unauthorizedBody is the 401 body MPDX's own test suite asserts.
const unauthorizedBody = `{"errors":[{"status":"401","title":"Unauthorized","detail":"Exceptions::AuthenticationError"}]}`

// Organization is an organization as Add takes it and Organization and
// Organizations return it: the client's own type, so a test compares what
// the server holds with what a client read.
//
// API doc: MPDX API documentation, Organizations, Organization [GET]
type Organization = jsonapi.Organization

// LinksMode chooses whether and how list documents carry links.next.
type LinksMode int

const (
	// LinksNone sends no top-level links, like MPDX.
	LinksNone LinksMode = iota
	// LinksAbsolute sends links.next as an absolute URL string.
	LinksAbsolute
	// LinksRelative sends links.next as a path-absolute reference
	// ("/api/v2/organizations?page=2").
	LinksRelative
	// LinksObject sends links.next as a link object {"href": absolute URL}.
	LinksObject
)

// Server is the fake. It is safe for concurrent use.
type Server struct {
	// URL is the API root to hand to jsonapi.WithBaseURL; it ends in
	// Prefix.
	URL string
	// Token is the only bearer token the server accepts.
	Token string

	srv    *httptest.Server
	faults fake.Faults

	noSeed  bool
	initial config

	mu       sync.Mutex
	orgs     []Organization
	nextID   int
	links    LinksMode
	omitMeta bool
	accounts []account
	admin    bool
	clock    int
	// nextAccount numbers generated account ids apart from
	// organizations', so Add's ids do not depend on account writes.
	nextAccount int
}

// config is what an option sets and Reset restores.
type config struct {
	links    LinksMode
	omitMeta bool
}

// WithLinks makes list documents carry links.next in the given form from
// the start (and again after Reset). By default they carry none, like
// MPDX's.
func WithLinks(m LinksMode) Option {
	return func(s *Server) { s.initial.links = m }
}

// WithoutPaginationMeta leaves meta.pagination out of list documents from
// the start (and again after Reset), so a client can only page through
// links.next. By default it is there, as on MPDX.
func WithoutPaginationMeta() Option {
	return func(s *Server) { s.initial.omitMeta = true }
}

// NewServer starts a fake seeded with five organizations (the two of the
// API documentation and three more with every attribute set), with a
// fresh random token, unless options say otherwise. Close it when done.
func NewServer(opts ...Option) *Server {
	s := &Server{Token: newToken()}
	for _, o := range opts {
		if o != nil {
			o(s)
		}
	}
	s.faults.DefaultBody = func(status int) (string, string) {
		return contentType, errorBody(status, http.StatusText(status), "injected fault", nil)
	}
	s.seed()
	mux := http.NewServeMux()
	mux.HandleFunc(Prefix+"organizations", s.list)
	mux.HandleFunc(Prefix+"organizations/{id}", s.get)
	mux.HandleFunc(Prefix+"admin/organizations", s.createOrganization)
	mux.HandleFunc(Prefix+"user/organization_accounts", s.accountsRoute)
	mux.HandleFunc(Prefix+"user/organization_accounts/{id}", s.accountRoute)
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		writeError(w, http.StatusNotFound, "Not Found", "no route matches "+r.URL.Path, nil)
	})
	s.srv = httptest.NewServer(s.faults.Middleware(s.guard(mux)))
	s.URL = s.srv.URL + Prefix
	return s
}

func newToken() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	return "jsonapitest-" + hex.EncodeToString(b)
}

// seed puts the starting data and settings back. Callers hold s.mu or
// own s alone.
func (s *Server) seed() {
	s.clear()
	if !s.noSeed {
		s.orgs = seed()
		for _, a := range seedAccounts() {
			s.addAccount(a)
		}
	}
	s.links, s.omitMeta = s.initial.links, s.initial.omitMeta
	s.admin = true
}

// clear drops every organization. Callers hold s.mu or own s alone.
func (s *Server) clear() {
	s.orgs, s.nextID, s.accounts, s.clock, s.nextAccount = nil, 0, nil, 0, 0
}

// SetLinks makes list documents carry links.next in the given form.
func (s *Server) SetLinks(m LinksMode) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.links = m
}

// SetPaginationMeta with false leaves meta.pagination out of list documents,
// so a client can only page through links.next.
func (s *Server) SetPaginationMeta(on bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.omitMeta = !on
}

// Add stores org as if the API had created it and returns its ID. An
// empty ID gets a generated UUID ("00000000-0000-4000-8000-000000000001",
// then ...002); an ID already held replaces that organization in place, so
// Add also edits seed data. Zero times get a fixed timestamp and an empty
// DefaultCurrencyCode is "USD". New organizations come last in List.
func (s *Server) Add(org Organization) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	if org.ID == "" {
		org.ID = s.newID()
	}
	stamp := time.Date(2021, 11, 23, 14, 38, 10, 0, time.UTC)
	for _, t := range []*time.Time{&org.CreatedAt, &org.UpdatedAt, &org.UpdatedInDBAt} {
		if t.IsZero() {
			*t = stamp
		}
	}
	if org.DefaultCurrencyCode == "" {
		org.DefaultCurrencyCode = "USD"
	}
	if i := s.index(org.ID); i >= 0 {
		s.orgs[i] = org
	} else {
		s.orgs = append(s.orgs, org)
	}
	return org.ID
}

// newID returns the next generated UUID no organization holds. Callers
// hold s.mu.
func (s *Server) newID() string {
	for {
		s.nextID++
		id := fmt.Sprintf("00000000-0000-4000-8000-%012d", s.nextID)
		if s.index(id) < 0 {
			return id
		}
	}
}

// index is the position of the organization id in s.orgs, or -1. Callers
// hold s.mu.
func (s *Server) index(id string) int {
	for i := range s.orgs {
		if s.orgs[i].ID == id {
			return i
		}
	}
	return -1
}

// Reset puts the server back as NewServer left it: the seed data (none
// after WithoutSeed; what Add stored is gone), the links and pagination
// meta its options chose, no queued fault, an empty request log and zero
// counters. The token stays.
func (s *Server) Reset() {
	s.mu.Lock()
	s.seed()
	s.mu.Unlock()
	s.faults.Reset()
}

// Clear removes every organization, as WithoutSeed starts the server, so
// a test sees only what it adds; the IDs Add generates start again from
// the first. Queued faults, the request log, the counters and the links
// settings stay (Reset restores those too).
func (s *Server) Clear() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.clear()
}

// Organizations returns a copy of every organization, in the order List
// serves them when not sorted, as the server holds it now.
func (s *Server) Organizations() []Organization {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Organization(nil), s.orgs...)
}

// Organization returns a copy of the organization id as the server holds
// it now, and whether there is one.
func (s *Server) Organization(id string) (Organization, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if i := s.index(id); i >= 0 {
		return s.orgs[i], true
	}
	return Organization{}, false
}

func seed() []Organization {
	str := func(v string) *string { return &v }
	pct := func(v string) *jsonapi.Decimal {
		d, _ := jsonapi.ParseDecimal(v)
		return &d
	}
	at := func(d int) time.Time { return time.Date(2021, 11, 23, 14, 38, 10, 0, time.UTC).AddDate(0, 0, d) }
	return []jsonapi.Organization{
		{ID: "6fcf9f2f-25c6-4a7c-9d76-db7bfc3b0041", Name: "Organization446", DefaultCurrencyCode: "USD", CreatedAt: at(0), UpdatedAt: at(0), UpdatedInDBAt: at(0)},
		{ID: "f543998b-5dbf-4e4b-ab2b-00f2751986b8", Name: "Organization442", DefaultCurrencyCode: "USD", CreatedAt: at(0), UpdatedAt: at(0), UpdatedInDBAt: at(0)},
		{ID: "2b8e6f0c-7d1a-4c3e-9f5b-1a2b3c4d5e6f", Name: "Cru", Abbreviation: str("CRU"), Code: str("CRU-USA"), Country: str("United States"), DefaultCurrencyCode: "USD", Logo: str("https://example.org/logos/cru.png"), OAuth: true, CreatedAt: at(1), UpdatedAt: at(2), UpdatedInDBAt: at(2)},
		{ID: "8c4d2e1f-3a5b-4c6d-8e7f-9a0b1c2d3e4f", Name: "Agape UK", Abbreviation: str("AUK"), Code: str("AGAPE-UK"), Country: str("United Kingdom"), DefaultCurrencyCode: "GBP", GiftAidPercentage: pct("25.0"), Logo: str("https://example.org/logos/agape.png"), CreatedAt: at(3), UpdatedAt: at(4), UpdatedInDBAt: at(4)},
		{ID: "d1e2f3a4-b5c6-4d7e-8f9a-0b1c2d3e4f5a", Name: "Power to Change", Abbreviation: str("P2C"), Code: str("P2C-CA"), Country: str("Canada"), DefaultCurrencyCode: "CAD", OAuth: true, CreatedAt: at(5), UpdatedAt: at(5), UpdatedInDBAt: at(6)},
	}
}

// guard enforces the media-type rules, then bearer auth.
func (s *Server) guard(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if mt, params, err := mime.ParseMediaType(r.Header.Get("Content-Type")); err != nil || mt != jsonapi.MediaType || len(params) > 0 {
			writeError(w, http.StatusUnsupportedMediaType, "Unsupported Media Type",
				"requests must have Content-Type application/vnd.api+json without media type parameters", nil)
			return
		}
		if !acceptable(r.Header.Values("Accept")) {
			writeError(w, http.StatusNotAcceptable, "Not Acceptable",
				"every application/vnd.api+json in Accept has media type parameters", nil)
			return
		}
		auth := r.Header.Get("Authorization")
		scheme, tok, _ := strings.Cut(auth, " ")
		if !strings.EqualFold(scheme, "Bearer") || strings.TrimSpace(tok) != s.Token {
			w.Header().Set("Content-Type", contentType)
			w.WriteHeader(http.StatusUnauthorized)
			_, _ = w.Write([]byte(unauthorizedBody))
			return
		}
		next.ServeHTTP(w, r)
	})
}

// acceptable applies the JSON:API rule: 406 when Accept lists the JSON:API
// media type and every instance of it carries parameters.
func acceptable(values []string) bool {
	seen, plain := false, false
	for _, v := range values {
		for _, part := range strings.Split(v, ",") {
			mt, params, err := mime.ParseMediaType(strings.TrimSpace(part))
			if err != nil || mt != jsonapi.MediaType {
				continue
			}
			seen = true
			delete(params, "q")
			if len(params) == 0 {
				plain = true
			}
		}
	}
	return !seen || plain
}

func (s *Server) list(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet {
		writeError(w, http.StatusMethodNotAllowed, "Method Not Allowed", r.Method+" is not supported here", nil)
		return
	}
	q := r.URL.Query()
	page, pageSent, ok := intParam(w, q, "page", 1)
	if !ok {
		return
	}
	perPage, perPageSent, ok := intParam(w, q, "per_page", 25)
	if !ok {
		return
	}
	if perPage > 500 {
		perPage = 500
	}
	sortBy := q.Get("sort")
	if sortBy != "" && sortBy != "name" && sortBy != "-name" {
		writeError(w, http.StatusBadRequest, "Bad Request", fmt.Sprintf("sort %q is not supported; use name or -name", sortBy), map[string]string{"parameter": "sort"})
		return
	}
	fields, ok := queryShape(w, q)
	if !ok {
		return
	}
	filters := map[string]string{}
	for k, vs := range q {
		if strings.HasPrefix(k, "filter[") && strings.HasSuffix(k, "]") && len(vs) > 0 {
			key := k[len("filter[") : len(k)-1]
			if _, known := filterKeys[key]; known {
				filters[key] = vs[0]
			}
		}
	}

	s.mu.Lock()
	orgs := make([]jsonapi.Organization, 0, len(s.orgs))
	for _, o := range s.orgs {
		if matches(o, filters) {
			orgs = append(orgs, o)
		}
	}
	links, omitMeta := s.links, s.omitMeta
	s.mu.Unlock()

	switch sortBy {
	case "name":
		sort.SliceStable(orgs, func(i, j int) bool { return orgs[i].Name < orgs[j].Name })
	case "-name":
		sort.SliceStable(orgs, func(i, j int) bool { return orgs[i].Name > orgs[j].Name })
	}
	total := len(orgs)
	totalPages := (total + perPage - 1) / perPage
	lo := min((page-1)*perPage, total)
	hi := min(lo+perPage, total)
	doc, err := document(orgs[lo:hi], fields)
	if err != nil {
		writeError(w, http.StatusInternalServerError, "Internal Server Error", err.Error(), nil)
		return
	}
	if !omitMeta {
		pagination := map[string]any{"page": page, "per_page": perPage, "total_count": total, "total_pages": totalPages}
		// The real server echoes the parameters it was sent as strings.
		if pageSent {
			pagination["page"] = strconv.Itoa(page)
		}
		if perPageSent {
			pagination["per_page"] = strconv.Itoa(perPage)
		}
		var sortMeta any
		if sortBy != "" {
			sortMeta = sortBy
		}
		doc["meta"] = map[string]any{"pagination": pagination, "sort": sortMeta, "filter": filters}
	}
	if links != LinksNone {
		var next any
		if page < totalPages {
			nq := url.Values{}
			for k, v := range q {
				nq[k] = v
			}
			nq.Set("page", strconv.Itoa(page+1))
			ref := r.URL.Path + "?" + nq.Encode()
			switch links {
			case LinksAbsolute:
				next = s.srv.URL + ref
			case LinksRelative:
				next = ref
			case LinksObject:
				next = map[string]any{"href": s.srv.URL + ref}
			}
		}
		doc["links"] = map[string]any{"self": s.srv.URL + r.URL.RequestURI(), "next": next}
	}
	fake.WriteJSON(w, http.StatusOK, contentType, doc)
}

func (s *Server) get(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet {
		writeError(w, http.StatusMethodNotAllowed, "Method Not Allowed", r.Method+" is not supported here", nil)
		return
	}
	fields, ok := queryShape(w, r.URL.Query())
	if !ok {
		return
	}
	id := r.PathValue("id")
	found, ok := s.Organization(id)
	if !ok {
		writeError(w, http.StatusNotFound, "Not Found", fmt.Sprintf("Couldn't find Organization with 'id'=%s", id), nil)
		return
	}
	doc, err := document([]Organization{found}, fields)
	if err != nil {
		writeError(w, http.StatusInternalServerError, "Internal Server Error", err.Error(), nil)
		return
	}
	doc["data"] = doc["data"].([]any)[0]
	fake.WriteJSON(w, http.StatusOK, contentType, doc)
}

// intParam reads a positive integer query parameter; a bad one is answered
// with 400 and ok=false.
func intParam(w http.ResponseWriter, q url.Values, name string, def int) (v int, sent, ok bool) {
	raw, sent := q[name]
	if !sent || len(raw) == 0 || raw[0] == "" {
		return def, false, true
	}
	n, err := strconv.Atoi(raw[0])
	if err != nil || n < 1 {
		writeError(w, http.StatusBadRequest, "Bad Request", fmt.Sprintf("%s must be a positive integer", name), map[string]string{"parameter": name})
		return 0, true, false
	}
	return n, true, true
}

// filterKeys are the attributes filter[...] supports; each matches the
// attribute exactly, ignoring case. Other keys are dropped, as on MPDX.
var filterKeys = map[string]func(jsonapi.Organization) string{
	"name":                  func(o jsonapi.Organization) string { return o.Name },
	"abbreviation":          func(o jsonapi.Organization) string { return deref(o.Abbreviation) },
	"code":                  func(o jsonapi.Organization) string { return deref(o.Code) },
	"country":               func(o jsonapi.Organization) string { return deref(o.Country) },
	"default_currency_code": func(o jsonapi.Organization) string { return o.DefaultCurrencyCode },
	"oauth":                 func(o jsonapi.Organization) string { return strconv.FormatBool(o.OAuth) },
}

func matches(o jsonapi.Organization, filters map[string]string) bool {
	for k, want := range filters {
		if !strings.EqualFold(filterKeys[k](o), want) {
			return false
		}
	}
	return true
}

func deref(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}

// document marshals orgs with google/jsonapi (attributes, nulls and
// RFC 3339 times as MPDX writes them), then adds the resource-level links,
// relationships and meta google/jsonapi has no tags for.
// queryShape reads the parameters that shape a document: the sparse
// fieldset of organizations (nil: every attribute) and include, which is
// answered 400 (ok false).
func queryShape(w http.ResponseWriter, q url.Values) (fields map[string]bool, ok bool) {
	if inc := q.Get("include"); inc != "" {
		writeError(w, http.StatusBadRequest, "Bad Request",
			fmt.Sprintf("include %q cannot be served: organizations have no relationships", inc), map[string]string{"parameter": "include"})
		return nil, false
	}
	raw, set := q["fields[organizations]"]
	if !set {
		return nil, true
	}
	fields = map[string]bool{}
	for _, v := range raw {
		for _, name := range strings.Split(v, ",") {
			if name = strings.TrimSpace(name); name != "" {
				fields[name] = true
			}
		}
	}
	return fields, true
}

// document marshals orgs as a JSON:API document; fields, when not nil,
// is the sparse fieldset of their attributes.
func document(orgs []jsonapi.Organization, fields map[string]bool) (map[string]any, error) {
	ptrs := make([]*jsonapi.Organization, len(orgs))
	for i := range orgs {
		ptrs[i] = &orgs[i]
	}
	p, err := gjsonapi.Marshal(ptrs)
	if err != nil {
		return nil, err
	}
	many, ok := p.(*gjsonapi.ManyPayload)
	if !ok {
		return nil, fmt.Errorf("google/jsonapi returned %T", p)
	}
	data := make([]any, len(many.Data))
	for i, n := range many.Data {
		o := orgs[i]
		attrs := n.Attributes
		if fields != nil {
			kept := make(map[string]any, len(fields))
			for k, v := range attrs {
				if fields[k] {
					kept[k] = v
				}
			}
			attrs = kept
		}
		node := map[string]any{"id": n.ID, "type": n.Type, "attributes": attrs}
		if o.Links != nil {
			node["links"] = o.Links
		}
		if o.Relationships != nil {
			node["relationships"] = o.Relationships
		}
		if o.Meta != nil {
			node["meta"] = o.Meta
		}
		data[i] = node
	}
	return map[string]any{"data": data}, nil
}

func errorBody(status int, title, detail string, source map[string]string) string {
	obj := map[string]any{"status": strconv.Itoa(status), "title": title, "detail": detail}
	if len(source) > 0 {
		obj["source"] = source
	}
	b, _ := json.Marshal(map[string]any{"errors": []any{obj}})
	return string(b)
}

func writeError(w http.ResponseWriter, status int, title, detail string, source map[string]string) {
	w.Header().Set("Content-Type", contentType)
	w.WriteHeader(status)
	_, _ = w.Write([]byte(errorBody(status, title, detail, source)))
}
