// Package rservicetest is an in-memory fake of the R-Service (4me)
// Organizations API for tests and examples: bearer auth, the eight
// predefined views, every filter operator on the filterable fields, sort,
// field selection, cursor pages with Link and X-Pagination-* headers,
// X-RateLimit-* headers with a 429 when the budget is spent, creates with
// name validation, PATCH with null clearing, and injectable faults. It
// serves an organization's sub-collections too: addresses and contacts
// (list, get, create, update, delete one, delete all, with 422 tuples and
// 404s), its children (the organization list's filters, sort, fields and
// views enabled/disabled) and its people (enabled/disabled), all paged
// like the organizations. Like a live tenant it sends account {id,name}
// and a nodeID on every organization and organization reference, nodeID
// on every address and contact, and end_user_privacy and
// permitted_customers on a single organization (the node ids are made
// up).
//
// Point a client at it with rservice.WithBaseURL(srv.URL):
//
//	srv := rservicetest.NewServer()
//	defer srv.Close()
//	c, _ := rservice.NewClient(srv.Token, rservice.WithBaseURL(srv.URL))
//
// Its API is the one every orgsdk fake has: InjectFault makes it fail on
// demand; Add seeds it (Clear or WithoutSeed first to start from nothing),
// Organization and Organizations read it back, Hits, HitsFor and Requests
// show what the client sent, and Reset puts it back as it started.
package rservicetest

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"math"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/orgsdk/orgsdk/internal/fake"
	"github.com/orgsdk/orgsdk/rservice"
)

// Prefix is the path the fake mounts the API under, as the real one is
// (https://api.r-service.tech/v1/).
const Prefix = "/v1/"

// Organization is an organization as Add takes it and Organization and
// Organizations return it: the client's own type, so a test compares what
// the server holds with what a client read.
//
// API docs: https://developer.4me.com/v1/organizations/
type Organization = rservice.Organization

// Server is a running fake. Its methods are safe for concurrent use.
type Server struct {
	// URL is the API root to pass to rservice.WithBaseURL; it ends in
	// Prefix, like the real one.
	URL string
	// Token is the only bearer token the server accepts.
	Token string
	// Account is the account id the server accepts in X-4me-Account (the
	// header is optional).
	Account string
	// APIUserID is the person the token belongs to (for ManagedByMe).
	APIUserID int64

	srv    *httptest.Server
	faults fake.Faults

	noSeed     bool
	seedLimit  int
	seedWindow time.Duration

	mu        sync.Mutex
	orgs      map[int64]*org
	people    map[int64]string
	templates map[int64]string
	nextID    int64
	nextSubID int64
	limit     int
	window    time.Duration
	remaining int
	windowEnd time.Time
	now       func() time.Time
}

// WithRateLimit sets the request budget per window (3600 per hour by
// default, like the real API), from the start and again after Reset. A
// small budget makes 429 tests quick; a limit or window that is not
// positive is ignored.
func WithRateLimit(limit int, window time.Duration) Option {
	return func(s *Server) {
		if limit > 0 && window > 0 {
			s.limit, s.window = limit, window
		}
	}
}

// NewServer starts a fake seeded with the Widget organizations of the API
// documentation and 60 generated ones, with a fresh random token, unless
// options say otherwise. Close it when done.
func NewServer(opts ...Option) *Server {
	s := &Server{
		Token:     newToken(),
		Account:   "widget",
		APIUserID: 6,
		orgs:      map[int64]*org{},
		limit:     3600,
		window:    time.Hour,
		now:       time.Now,
	}
	for _, o := range opts {
		if o != nil {
			o(s)
		}
	}
	s.seedLimit, s.seedWindow = s.limit, s.window
	s.seed()
	s.faults.DefaultBody = func(status int) (string, string) {
		b, _ := json.Marshal(map[string]string{"message": http.StatusText(status)})
		return "application/json", string(b)
	}
	s.srv = httptest.NewServer(s.faults.Middleware(http.HandlerFunc(s.serve)))
	s.URL = s.srv.URL + Prefix
	return s
}

func newToken() string {
	b := make([]byte, 20)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// Reset puts the server back as NewServer left it: the seed data (none
// after WithoutSeed; what Add, POST and PATCH did is gone), the rate-limit
// budget its options chose with a fresh window, no queued fault, an empty
// request log and zero counters. The token stays.
func (s *Server) Reset() {
	s.faults.Reset()
	s.mu.Lock()
	defer s.mu.Unlock()
	s.seed()
	s.limit, s.window = s.seedLimit, s.seedWindow
	s.windowEnd = time.Time{}
}

// Clear removes every organization, as WithoutSeed starts the server, so
// a test sees only what it adds; the IDs Add gives start again from the
// first (1000). The people and request templates references name stay;
// so do queued faults, the request log and the counters (Reset clears
// those too).
func (s *Server) Clear() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.clear()
}

// clear drops every organization. Callers hold s.mu or own s alone.
func (s *Server) clear() {
	s.orgs, s.nextID = map[int64]*org{}, firstID
}

// firstID is the first id the server gives a new organization.
const firstID = 1000

// newID returns the next id no organization holds. Callers hold s.mu.
func (s *Server) newID() int64 {
	for {
		id := s.nextID
		s.nextID++
		if _, taken := s.orgs[id]; !taken {
			return id
		}
	}
}

// Add stores org as if the API had created it and returns its ID. A zero
// ID gets the next free one; an ID already held replaces that organization
// in place, so Add also edits seed data. References are kept by id
// (Parent, Manager, Substitute, OrderTemplate, BusinessUnitOrganization;
// names come from the server's own records); addresses, contacts and
// custom fields are not copied. Zero CreatedAt and UpdatedAt become now.
func (s *Server) Add(org Organization) int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.now().UTC().Truncate(time.Second)
	o := fromOrganization(&org)
	if o.ID <= 0 {
		o.ID = s.newID()
	}
	if o.CreatedAt.IsZero() {
		o.CreatedAt = now
	}
	if o.UpdatedAt.IsZero() {
		o.UpdatedAt = o.CreatedAt
	}
	s.orgs[o.ID] = o
	return o.ID
}

// fromOrganization is the record of in: the fields Add copies.
func fromOrganization(in *Organization) *org {
	o := &org{
		ID: in.ID, Name: in.Name, Source: in.Source, SourceID: in.SourceID, FinancialID: in.FinancialID,
		Region: in.Region, Remarks: in.Remarks, PictureURI: in.PictureURI, Disabled: in.Disabled,
		BusinessUnit: in.BusinessUnit, CreatedAt: in.CreatedAt, UpdatedAt: in.UpdatedAt,
	}
	refID := func(r *rservice.Reference) *int64 {
		if r == nil {
			return nil
		}
		return ptr(r.ID)
	}
	o.ParentID, o.ManagerID = refID(in.Parent), refID(in.Manager)
	o.SubstituteID, o.OrderTemplateID = refID(in.Substitute), refID(in.OrderTemplate)
	o.BusinessUnitOrg = refID(in.BusinessUnitOrganization)
	return o
}

// Organizations returns a copy of every organization, in the order List
// serves them (by id), as a client would read it with Get.
func (s *Server) Organizations() []Organization {
	s.mu.Lock()
	ids := make([]int64, 0, len(s.orgs))
	for id := range s.orgs {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	bodies := make([][]byte, len(ids))
	for i, id := range ids {
		bodies[i], _ = json.Marshal(s.render(s.orgs[id], nil))
	}
	s.mu.Unlock()
	out := make([]Organization, 0, len(bodies))
	for _, b := range bodies {
		var o Organization
		if err := json.Unmarshal(b, &o); err == nil {
			out = append(out, o)
		}
	}
	return out
}

// SetRateLimit changes the budget and starts a new window, until Reset
// goes back to the budget the options chose.
func (s *Server) SetRateLimit(limit int, window time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	WithRateLimit(limit, window)(s)
	s.windowEnd = time.Time{}
}

// Organization returns a copy of the organization id as the server holds
// it now (as a client would read it with Get), and whether there is one.
func (s *Server) Organization(id int64) (Organization, bool) {
	s.mu.Lock()
	o, ok := s.orgs[id]
	var data []byte
	if ok {
		data, _ = json.Marshal(s.render(o, nil))
	}
	s.mu.Unlock()
	if !ok {
		return Organization{}, false
	}
	var out Organization
	if err := json.Unmarshal(data, &out); err != nil {
		return Organization{}, false
	}
	return out, true
}

func writeMessage(w http.ResponseWriter, status int, msg string) {
	fake.WriteJSON(w, status, "", map[string]string{"message": msg})
}

func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	rest, ok := strings.CutPrefix(r.URL.Path, strings.TrimSuffix(Prefix, "/"))
	if !ok {
		writeMessage(w, http.StatusNotFound, "Not Found")
		return
	}
	rest = strings.Trim(rest, "/")
	if rest == "" && r.Method == http.MethodGet {
		fake.WriteJSON(w, http.StatusOK, "", map[string]any{})
		return
	}
	if r.Header.Get("Authorization") != "Bearer "+s.Token {
		writeMessage(w, http.StatusUnauthorized, "Unauthorized")
		return
	}
	if acc := r.Header.Get("X-4me-Account"); acc != "" && acc != s.Account {
		writeMessage(w, http.StatusForbidden, "Forbidden")
		return
	}
	if !s.spend(w) {
		return
	}
	segs := strings.Split(rest, "/")
	if segs[0] == "organizations" && len(segs) >= 3 {
		s.serveSub(w, r, segs)
		return
	}
	if segs[0] != "organizations" || len(segs) > 2 {
		writeMessage(w, http.StatusNotFound, "Not Found")
		return
	}
	switch {
	case len(segs) == 1 && r.Method == http.MethodGet:
		s.list(w, r, "")
	case len(segs) == 1 && r.Method == http.MethodPost:
		s.create(w, r)
	case len(segs) == 2:
		if id, err := strconv.ParseInt(segs[1], 10, 64); err == nil {
			switch r.Method {
			case http.MethodGet:
				s.get(w, id)
			case http.MethodPatch:
				s.update(w, r, id)
			default:
				writeMessage(w, http.StatusMethodNotAllowed, "Method Not Allowed")
			}
			return
		}
		if !views[segs[1]] {
			writeMessage(w, http.StatusNotFound, "Not Found")
			return
		}
		if r.Method != http.MethodGet {
			writeMessage(w, http.StatusMethodNotAllowed, "Method Not Allowed")
			return
		}
		s.list(w, r, segs[1])
	default:
		writeMessage(w, http.StatusMethodNotAllowed, "Method Not Allowed")
	}
}

// spend takes one request from the budget and sets the X-RateLimit-*
// headers; when the budget is spent it answers 429 with Retry-After.
func (s *Server) spend(w http.ResponseWriter) bool {
	s.mu.Lock()
	now := s.now()
	if s.windowEnd.IsZero() || !now.Before(s.windowEnd) {
		s.remaining = s.limit
		s.windowEnd = now.Add(s.window)
	}
	limit, end := s.limit, s.windowEnd
	allowed := s.remaining > 0
	if allowed {
		s.remaining--
	}
	remaining := s.remaining
	s.mu.Unlock()

	h := w.Header()
	h.Set("X-RateLimit-Limit", strconv.Itoa(limit))
	h.Set("X-RateLimit-Remaining", strconv.Itoa(remaining))
	h.Set("X-RateLimit-Reset", strconv.FormatInt(int64(math.Ceil(float64(end.UnixNano())/1e9)), 10))
	if allowed {
		return true
	}
	wait := int(math.Ceil(end.Sub(now).Seconds()))
	if wait < 1 {
		wait = 1
	}
	h.Set("Retry-After", strconv.Itoa(wait))
	fake.WriteJSON(w, http.StatusTooManyRequests, "", map[string]string{
		"message":           "Too Many Requests",
		"documentation_url": "https://developer.4me.com/v1/#rate-limiting",
	})
	return false
}

func (s *Server) get(w http.ResponseWriter, id int64) {
	s.mu.Lock()
	o, ok := s.orgs[id]
	var body map[string]any
	if ok {
		body = s.render(o, nil)
	}
	s.mu.Unlock()
	if !ok {
		writeMessage(w, http.StatusNotFound, "Not Found")
		return
	}
	fake.WriteJSON(w, http.StatusOK, "", body)
}
