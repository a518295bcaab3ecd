// Package readycloudtest is an in-memory fake of ReadyCloud API v2's
// Organizations endpoints, for tests of code that uses package readycloud.
//
// It behaves like the real Django REST framework server where that matters
// to a client: the token is checked in the Authorization header or the
// bearer_token query parameter (the header wins), a bad or missing token is
// 401 {"detail": ...} with WWW-Authenticate: Bearer, lists are limit/offset
// pages whose absolute next and previous links keep every query parameter
// of the request (bearer_token included), a path without its trailing slash
// is redirected with 301, PATCH persists, an unknown pk is 404
// {"detail": "Not found."}, and an unknown path is an HTML 404 page.
//
// Its API is the one every orgsdk fake has: InjectFault makes it fail on
// demand; Add seeds it (Clear or WithoutSeed first to start from nothing),
// Organization and Organizations read it back, Hits, HitsFor and Requests
// show what the client sent, and Reset puts it back as it started.
//
//	srv := readycloudtest.NewServer()
//	defer srv.Close()
//	c, err := readycloud.NewClient(srv.Token, readycloud.WithBaseURL(srv.URL))
package readycloudtest

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/orgsdk/orgsdk/internal/fake"
)

// Prefix is the path the fake mounts the API under, as the real server does.
const Prefix = "/api/v2/"

// Page sizes, as a LimitOffsetPagination with PAGE_SIZE 10 and a maximum.
const (
	DefaultLimit = 10
	MaxLimit     = 100
)

// Plan is a payment plan as the fake stores it (the organization's
// payment_plan). Quotas of -1 mean unlimited.
//
// API docs: https://www.readycloud.com/static/api-doc/v2/02-apireference-v2-01-organizations.html
type Plan struct {
	ID, Name, Price                     string
	Limit, Users, Integrations, Storage int
}

// The two plans the seed data uses; an Organization without a plan is on
// FreePlan.
var (
	FreePlan = Plan{ID: "1", Name: "", Price: "0.00 USD", Limit: 1991, Users: -1, Integrations: -1, Storage: -1}
	ProPlan  = Plan{ID: "2", Name: "Pro", Price: "49.99 USD", Limit: 10000, Users: 25, Integrations: 10, Storage: -1}
)

// Organization is an organization as the fake stores it: what Add seeds
// and Organization and Organizations return. The fake renders it with
// every field of the API's organization object.
//
// API docs: https://www.readycloud.com/static/api-doc/v2/02-apireference-v2-01-organizations.html
type Organization struct {
	// ID is the organization's key, the pk of its url and what a client
	// reads as readycloud.Organization.ID: an opaque string ("1",
	// "cF6EZn1o", one with "/" to test escaping). Add gives an empty ID the
	// next free number.
	ID   string
	Name string
	// Plan is the payment plan; the zero Plan means FreePlan.
	Plan      Plan
	UserSlots int
	// BillingStatus is "active" when empty in Add.
	BillingStatus string
	// TrialExpiresAt is sent verbatim ("" sends null).
	TrialExpiresAt string
	// WebsocketChannel is member_websocket_channel_id; Add derives one
	// from the ID when empty.
	WebsocketChannel string
}

// WithRelativeLinks starts the server with SetRelativeLinks(true) (and
// Reset goes back to that). By default links are absolute.
func WithRelativeLinks() Option { return func(s *Server) { s.seedRelative = true } }

// Server is a running fake. Its methods are safe for concurrent use.
type Server struct {
	// URL is the API root to hand to readycloud.WithBaseURL; it ends in
	// /api/v2/.
	URL string
	// Token is the only token the server accepts.
	Token string

	srv    *httptest.Server
	faults fake.Faults

	seedRelative bool
	noSeed       bool

	mu       sync.Mutex
	orgs     []*Organization
	byID     map[string]*Organization
	nextID   int
	relative bool
}

var generatedNames = []string{
	"Acme Outfitters", "Blue Harbor Supply", "Cedar & Pine Goods", "Delta Parts Co", "Evergreen Apparel",
	"Foxglove Ceramics", "Granite Tools", "Harbor Light Books", "Ironwood Furniture", "Juniper Tea House",
	"Kestrel Cycles", "Lumen Lighting", "Maple Street Toys", "Northwind Traders", "Orchard Naturals",
	"Pioneer Camping", "Quartz Audio", "Riverbend Crafts", "Summit Footwear", "Tidewater Marine",
	"Upland Seeds", "Vantage Optics", "Willow Linens", "Yarrow Botanicals",
}

// NewServer starts a fake seeded with the docs' "Test Company" (ID "1")
// and 24 generated organizations (IDs "2" to "25"), with a fresh random
// token, unless options say otherwise. Close it when done.
func NewServer(opts ...Option) *Server {
	s := &Server{Token: randomToken()}
	for _, opt := range opts {
		if opt != nil {
			opt(s)
		}
	}
	s.seed()
	s.faults.DefaultBody = defaultBody
	s.srv = httptest.NewServer(s.faults.Middleware(http.HandlerFunc(s.serve)))
	s.URL = s.srv.URL + Prefix
	return s
}

// seed puts the starting data back. Callers hold s.mu or own s alone.
func (s *Server) seed() {
	s.relative = s.seedRelative
	s.clear()
	if s.noSeed {
		return
	}
	s.add(Organization{Name: "Test Company", BillingStatus: "pending", TrialExpiresAt: "2019-08-02T12:21:00.268467Z"})
	for i, name := range generatedNames {
		p := FreePlan
		if i%3 == 0 {
			p = ProPlan
		}
		s.add(Organization{Name: name, Plan: p, UserSlots: i % 5})
	}
}

func randomToken() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// clear drops every organization. Callers hold s.mu or own s alone.
func (s *Server) clear() {
	s.orgs, s.byID, s.nextID = nil, map[string]*Organization{}, 1
}

// add stores o, filling the defaults, and returns its ID. An organization
// whose ID is taken replaces the one holding it, in place. Callers hold
// s.mu or own s alone.
func (s *Server) add(o Organization) string {
	if o.ID == "" {
		for {
			o.ID = strconv.Itoa(s.nextID)
			s.nextID++
			if _, taken := s.byID[o.ID]; !taken {
				break
			}
		}
	}
	if o.Plan == (Plan{}) {
		o.Plan = FreePlan
	}
	if o.BillingStatus == "" {
		o.BillingStatus = "active"
	}
	if o.WebsocketChannel == "" {
		o.WebsocketChannel = "ch-" + url.PathEscape(o.ID)
		if n, err := strconv.Atoi(o.ID); err == nil {
			o.WebsocketChannel = fmt.Sprintf("ch%04dorg", n)
		}
	}
	stored := &o
	if old, taken := s.byID[o.ID]; taken {
		*old = o
		return o.ID
	}
	s.orgs = append(s.orgs, stored)
	s.byID[o.ID] = stored
	return o.ID
}

// Add stores org as if the API had created it and returns its ID. An empty
// ID gets the next free number ("1", "2", ...); an ID already held
// replaces that organization in place, so Add also edits seed data. Empty
// fields get the fake's defaults: FreePlan, billing status "active", a
// websocket channel. New organizations come last in List.
func (s *Server) Add(org Organization) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.add(org)
}

// Clear removes every organization, as WithoutSeed starts the server, so
// a test sees only what it adds; the IDs Add gives start again from "1".
// Queued faults, the request log and the counters stay (Reset clears
// those too).
func (s *Server) Clear() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.clear()
}

// Organizations returns a copy of every organization, in the order List
// serves them, as the server holds it now (PATCHes applied).
func (s *Server) Organizations() []Organization {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Organization, len(s.orgs))
	for i, o := range s.orgs {
		out[i] = *o
	}
	return out
}

// Organization returns a copy of the organization id as the server holds
// it now, and whether there is one.
func (s *Server) Organization(id string) (Organization, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	o, ok := s.byID[id]
	if !ok {
		return Organization{}, false
	}
	return *o, true
}

// Reset puts the server back as NewServer left it: the seed data (none
// after WithoutSeed; what Add stored and PATCH changed is gone), the link
// style its options chose, no queued fault, an empty request log and zero
// counters. The token stays.
func (s *Server) Reset() {
	s.faults.Reset()
	s.mu.Lock()
	defer s.mu.Unlock()
	s.seed()
}

// SetRelativeLinks makes url, next and previous relative paths, as the
// API docs show them (and as API v1 sent them), instead of the absolute
// URIs a Django REST framework server builds.
func (s *Server) SetRelativeLinks(on bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.relative = on
}

// maxRequestBody bounds what the fake reads of a request body.
const maxRequestBody = 1 << 20

func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(io.LimitReader(r.Body, maxRequestBody))

	path := r.URL.EscapedPath()
	rest, ok := strings.CutPrefix(path, Prefix)
	if !ok {
		notFoundPage(w, r)
		return
	}
	segs := strings.Split(rest, "/")
	// Django's APPEND_SLASH: a route that matches once "/" is added is
	// answered with a permanent redirect to it, whatever the method.
	if !strings.HasSuffix(rest, "/") && rest != "" && segs[0] == "orgs" && len(segs) <= 2 {
		loc := path + "/"
		if r.URL.RawQuery != "" {
			loc += "?" + r.URL.RawQuery
		}
		w.Header().Set("Location", loc)
		w.WriteHeader(http.StatusMovedPermanently)
		return
	}
	switch {
	case rest == "orgs/":
		if !s.authorized(w, r) || !allow(w, r, http.MethodGet) {
			return
		}
		s.list(w, r)
	case len(segs) == 3 && segs[0] == "orgs" && segs[1] != "" && segs[2] == "":
		id, err := url.PathUnescape(segs[1])
		if err != nil {
			notFoundPage(w, r)
			return
		}
		if !s.authorized(w, r) || !allow(w, r, http.MethodGet, http.MethodPatch) {
			return
		}
		if r.Method == http.MethodPatch {
			s.patch(w, r, id, body)
			return
		}
		s.get(w, r, id)
	default:
		notFoundPage(w, r)
	}
}

// authorized checks the token as django-oauth-toolkit does: the header
// when present, else the bearer_token query parameter.
func (s *Server) authorized(w http.ResponseWriter, r *http.Request) bool {
	got, sent := "", false
	if h := r.Header.Get("Authorization"); h != "" {
		sent = true
		scheme, tok, _ := strings.Cut(h, " ")
		if strings.EqualFold(scheme, "Bearer") {
			got = strings.TrimSpace(tok)
		}
	} else if q, ok := r.URL.Query()["bearer_token"]; ok {
		sent = true
		got = q[0]
	}
	if got != "" && got == s.Token {
		return true
	}
	detail := "Authentication credentials were not provided."
	if sent {
		detail = "Invalid token."
	}
	w.Header().Set("WWW-Authenticate", `Bearer realm="api"`)
	writeDetail(w, http.StatusUnauthorized, detail)
	return false
}

func allow(w http.ResponseWriter, r *http.Request, methods ...string) bool {
	for _, m := range methods {
		if r.Method == m || (r.Method == http.MethodHead && m == http.MethodGet) {
			return true
		}
	}
	w.Header().Set("Allow", strings.Join(append(methods, "HEAD", "OPTIONS"), ", "))
	writeDetail(w, http.StatusMethodNotAllowed, fmt.Sprintf("Method %q not allowed.", r.Method))
	return false
}

// list is LimitOffsetPagination: a bad limit means the default, a limit
// above the maximum is clamped, a bad offset means 0.
func (s *Server) list(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	limit := DefaultLimit
	if n, err := strconv.Atoi(q.Get("limit")); err == nil && n > 0 {
		limit = min(n, MaxLimit)
	}
	offset := 0
	if n, err := strconv.Atoi(q.Get("offset")); err == nil && n >= 0 {
		offset = n
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	count := len(s.orgs)
	results := []any{}
	for i := offset; i < count && i < offset+limit; i++ {
		results = append(results, s.render(r, s.orgs[i]))
	}
	var next, prev any
	if offset+limit < count {
		next = s.pageLink(r, limit, offset+limit)
	}
	if offset > 0 {
		prev = s.pageLink(r, limit, max(offset-limit, 0))
	}
	fake.WriteJSON(w, http.StatusOK, "", map[string]any{
		"count": count, "next": next, "previous": prev, "results": results,
	})
}

// pageLink is DRF's replace_query_param on the request's absolute URI:
// every parameter kept, re-encoded in sorted order; offset 0 is dropped.
func (s *Server) pageLink(r *http.Request, limit, offset int) string {
	q := r.URL.Query()
	q.Set("limit", strconv.Itoa(limit))
	if offset > 0 {
		q.Set("offset", strconv.Itoa(offset))
	} else {
		q.Del("offset")
	}
	return s.absolute(r, r.URL.EscapedPath()+"?"+q.Encode())
}

func (s *Server) absolute(r *http.Request, pathAndQuery string) string {
	if s.relative {
		return pathAndQuery
	}
	return "http://" + r.Host + pathAndQuery
}

func (s *Server) get(w http.ResponseWriter, r *http.Request, id string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	o, ok := s.byID[id]
	if !ok {
		writeDetail(w, http.StatusNotFound, "Not found.")
		return
	}
	fake.WriteJSON(w, http.StatusOK, "", s.render(r, o))
}

// patch is a partial update of the only writable field, name, validated
// as DRF's CharField(max_length=255) does. Unknown fields are ignored.
func (s *Server) patch(w http.ResponseWriter, r *http.Request, id string, body []byte) {
	s.mu.Lock()
	o, ok := s.byID[id]
	s.mu.Unlock()
	if !ok {
		writeDetail(w, http.StatusNotFound, "Not found.")
		return
	}
	ct := r.Header.Get("Content-Type")
	if mt, _, err := mime.ParseMediaType(ct); err != nil || mt != "application/json" {
		writeDetail(w, http.StatusUnsupportedMediaType, fmt.Sprintf("Unsupported media type %q in request.", ct))
		return
	}
	var data any
	if err := json.Unmarshal(body, &data); err != nil {
		writeDetail(w, http.StatusBadRequest, "JSON parse error - "+err.Error())
		return
	}
	obj, isObj := data.(map[string]any)
	if !isObj {
		fake.WriteJSON(w, http.StatusBadRequest, "", map[string][]string{
			"non_field_errors": {fmt.Sprintf("Invalid data. Expected a dictionary, but got %s.", jsonKind(data))},
		})
		return
	}
	newName, hasName := "", false
	if v, ok := obj["name"]; ok {
		name, msg := validateName(v)
		if msg != "" {
			fake.WriteJSON(w, http.StatusBadRequest, "", map[string][]string{"name": {msg}})
			return
		}
		newName, hasName = name, true
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if hasName {
		o.Name = newName
	}
	fake.WriteJSON(w, http.StatusOK, "", s.render(r, o))
}

func validateName(v any) (string, string) {
	switch v := v.(type) {
	case nil:
		return "", "This field may not be null."
	case string:
		name := strings.TrimSpace(v)
		switch {
		case name == "":
			return "", "This field may not be blank."
		case strings.ContainsRune(name, 0):
			return "", "Null characters are not allowed."
		case utf8.RuneCountInString(name) > 255:
			return "", "Ensure this field has no more than 255 characters."
		}
		return name, ""
	case float64:
		return strconv.FormatFloat(v, 'f', -1, 64), ""
	}
	return "", "Not a valid string."
}

func jsonKind(v any) string {
	switch v.(type) {
	case []any:
		return "list"
	case string:
		return "str"
	case float64:
		return "float"
	case bool:
		return "bool"
	}
	return "NoneType"
}

// render writes an organization with every documented field and the
// staging ones. Callers hold s.mu.
func (s *Server) render(r *http.Request, o *Organization) map[string]any {
	p := o.Plan
	var trial any
	if o.TrialExpiresAt != "" {
		trial = o.TrialExpiresAt
	}
	return map[string]any{
		"url":                       s.absolute(r, Prefix+"orgs/"+url.PathEscape(o.ID)+"/"),
		"name":                      o.Name,
		"fees_paid_by":              nil,
		"insurance_charges_allowed": false,
		"app_seat_licenses":         []any{},
		"payment_plan": map[string]any{
			"url":            s.absolute(r, Prefix+"payments/plans/"+p.ID+"/"),
			"name":           p.Name,
			"price":          p.Price,
			"billing_period": "month",
			"limit":          p.Limit,
			"users":          p.Users,
			"integrations":   p.Integrations,
			"storage":        p.Storage,
			"extras":         []any{},
		},
		"user_slots":                         o.UserSlots,
		"subscriptions":                      map[string]int{"integration": 0, "storage": 0, "user": 0},
		"avatar":                             nil,
		"website":                            nil,
		"billing_status":                     o.BillingStatus,
		"deleted_at":                         nil,
		"trial_expires_at":                   trial,
		"wallet_charges_allowed":             false,
		"wallet_auto_refill_limit":           nil,
		"wallet_auto_refill_amount":          nil,
		"equipment_returns_enabled":          false,
		"member_websocket_channel_id":        o.WebsocketChannel,
		"cached_orders_views":                false,
		"action_alert_send_from_alias":       nil,
		"action_alert_custom_domain_enabled": false,
	}
}

func writeDetail(w http.ResponseWriter, status int, detail string) {
	fake.WriteJSON(w, status, "", map[string]string{"detail": detail})
}

// notFoundPage is Django's 404 for a path no route matches: HTML, not JSON.
func notFoundPage(w http.ResponseWriter, _ *http.Request) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(http.StatusNotFound)
	_, _ = io.WriteString(w, "<!doctype html>\n<html lang=\"en\">\n<head>\n  <title>Not Found</title>\n</head>\n<body>\n  <h1>Not Found</h1><p>The requested resource was not found on this server.</p>\n</body>\n</html>\n")
}

// defaultBody is what the real stack answers for an injected status: DRF's
// {"detail"} for the statuses DRF raises, an HTML page for server errors
// (Django's 500 page, or the proxy's for 502 to 504).
func defaultBody(status int) (string, string) {
	var detail string
	switch status {
	case http.StatusBadRequest:
		return "application/json", `{"name": ["This field is required."]}`
	case http.StatusUnauthorized:
		detail = "Invalid token."
	case http.StatusForbidden:
		detail = "You do not have permission to perform this action."
	case http.StatusNotFound:
		detail = "Not found."
	case http.StatusTooManyRequests:
		detail = "Request was throttled. Expected available in 1 second."
	case http.StatusInternalServerError:
		return "text/html; charset=utf-8", "<!doctype html>\n<html lang=\"en\">\n<head>\n  <title>Server Error (500)</title>\n</head>\n<body>\n  <h1>Server Error (500)</h1><p></p>\n</body>\n</html>\n"
	case http.StatusBadGateway, http.StatusServiceUnavailable, http.StatusGatewayTimeout:
		return "text/html", fmt.Sprintf("<html>\r\n<head><title>%d %s</title></head>\r\n<body>\r\n<center><h1>%d %s</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n", status, http.StatusText(status), status, http.StatusText(status))
	default:
		detail = http.StatusText(status)
	}
	b, _ := json.Marshal(map[string]string{"detail": detail})
	return "application/json", string(b)
}
