// Package commvaulttest is an in-memory fake of the Commvault REST API's
// session and Organization endpoints, for tests and examples: Login (JSON
// and XML bodies), tokens that expire after an idle time, RenewLoginToken,
// Logout, and GET Organization, Organization/{id} and
// Organization/{id}/defaultplan in JSON or XML per Accept, with errors
// answered inside HTTP 200 as the real server does.
//
// Its API is the one every orgsdk fake has: InjectFault makes it fail on
// demand; Add seeds it (Clear or WithoutSeed first to start from nothing),
// Organization and Organizations read it back, Hits, HitsFor and Requests
// show what the client sent, and Reset puts it back as it started. The
// CommCell itself (id 0, which DefaultPlan addresses) is always there: it
// is no organization of List, so Clear and WithoutSeed leave it.
//
//	srv := commvaulttest.NewServer()
//	defer srv.Close()
//	c, err := commvault.NewClient(srv.URL, commvault.WithCredentials(srv.Username, srv.Password))
package commvaulttest

import (
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/orgsdk/orgsdk/internal/fake"
)

// Prefix is the path the fake API is mounted under, as on a real Command
// Center.
const Prefix = "/commandcenter/api/"

// Default credentials the fake accepts.
const (
	DefaultUsername = "admin"
	DefaultPassword = "fake-Passw0rd!"
)

// TokenDeviceID is the deviceId Server.Token was issued for.
const TokenDeviceID = "commvaulttest-preissued"

// DefaultIdleTimeout is how long a token survives without use, as on a
// real server.
const DefaultIdleTimeout = 30 * time.Minute

// Server is the fake. All methods are safe for concurrent use.
type Server struct {
	// URL is the web-service root to pass to commvault.NewClient.
	URL string
	// Token is a valid session token issued at start (random, with the
	// "QSDK " prefix real tokens have, unless WithToken chose it), for
	// clients built with commvault.WithToken. RenewLoginToken renews it
	// only with TokenDeviceID (commvault.WithDeviceID).
	Token string
	// Username and Password are the credentials Login accepts.
	Username string
	Password string

	srv    *httptest.Server
	faults fake.Faults

	noSeed   bool
	seedIdle time.Duration
	// unpaged: the list ignores start, limit and fq and sends no
	// filterQueryCount, as older servers do (WithoutListPaging).
	unpaged bool

	mu       sync.Mutex
	idle     time.Duration
	sessions map[string]*session
	orgs     map[int]*record
	lockFor  time.Duration
	renewals int
	logins   int
}

type session struct {
	deviceID string
	lastUsed time.Time
	expired  bool
}

// WithCredentials sets the user name and password Login accepts (default
// DefaultUsername, DefaultPassword).
func WithCredentials(username, password string) Option {
	return func(s *Server) { s.Username, s.Password = username, password }
}

// WithIdleTimeout sets how long a token may go unused (default
// DefaultIdleTimeout).
func WithIdleTimeout(d time.Duration) Option {
	return func(s *Server) { s.idle, s.seedIdle = d, d }
}

// NewServer starts a fake seeded with three organizations (company001 with
// id 6 from the API docs, "test Company" with id 16 from the recorded
// answers, and a disabled "Acme Corp" with id 21 and no default plan) and
// the CommCell's own default plans (id 0), with a fresh random token,
// unless options say otherwise. Close it when done.
func NewServer(opts ...Option) *Server {
	s := &Server{
		Username: DefaultUsername,
		Password: DefaultPassword,
		idle:     DefaultIdleTimeout,
		seedIdle: DefaultIdleTimeout,
		sessions: map[string]*session{},
	}
	for _, opt := range opts {
		if opt != nil {
			opt(s)
		}
	}
	s.orgs = s.seedData()
	s.faults.DefaultBody = func(status int) (string, string) {
		b, _ := json.Marshal(map[string]any{"errorMessage": http.StatusText(status), "errorCode": status})
		return "application/json", string(b)
	}
	mux := http.NewServeMux()
	mux.HandleFunc(Prefix, s.route)
	s.srv = httptest.NewServer(s.faults.Middleware(mux))
	s.URL = s.srv.URL + Prefix
	s.Token = s.issue(TokenDeviceID, s.Token)
	return s
}

// Reset puts the server back as NewServer left it: the seed data (none
// after WithoutSeed; what Add stored is gone), the idle timeout its options
// chose, an unlocked account, no queued fault, an empty request log and
// zero counters. Issued tokens, Token included, stay valid.
func (s *Server) Reset() {
	s.faults.Reset()
	s.mu.Lock()
	defer s.mu.Unlock()
	s.orgs = s.seedData()
	s.lockFor, s.renewals, s.logins, s.idle = 0, 0, 0, s.seedIdle
}

func (s *Server) seedData() map[int]*record {
	if s.noSeed {
		all := seed()
		return map[int]*record{0: all[0]}
	}
	return seed()
}

// Logins returns how many successful logins the server granted.
func (s *Server) Logins() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.logins
}

// Renewals returns how many tokens RenewLoginToken replaced.
func (s *Server) Renewals() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.renewals
}

// SetIdleTimeout sets how long a token may go unused before requests with
// it get 401 Access denied (default 30 minutes).
func (s *Server) SetIdleTimeout(d time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.idle = d
}

// ExpireTokens expires every issued token now, as if each had been idle
// too long; RenewLoginToken can still renew them.
func (s *Server) ExpireTokens() {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, ss := range s.sessions {
		ss.expired = true
	}
}

// LockAccount makes Login refuse every attempt, reporting the account as
// locked for d (0 unlocks).
func (s *Server) LockAccount(d time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.lockFor = d
}

// Sessions returns how many tokens are currently issued (expired or not).
func (s *Server) Sessions() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.sessions)
}

// issue registers a session for deviceID under tok, or under a new random
// token when tok is "", and returns the token.
func (s *Server) issue(deviceID, tok string) string {
	if tok == "" {
		var b [48]byte
		_, _ = rand.Read(b[:])
		tok = "QSDK " + hex.EncodeToString(b[:])
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.sessions[tok] = &session{deviceID: deviceID, lastUsed: time.Now()}
	return tok
}

// valid reports whether tok may be used now, and records the use.
func (s *Server) valid(tok string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	ss, ok := s.sessions[tok]
	if !ok || ss.expired {
		return false
	}
	now := time.Now()
	if now.Sub(ss.lastUsed) > s.idle {
		ss.expired = true
		return false
	}
	ss.lastUsed = now
	return true
}

func (s *Server) route(w http.ResponseWriter, r *http.Request) {
	rest := strings.Trim(strings.TrimPrefix(r.URL.Path, Prefix), "/")
	parts := strings.Split(rest, "/")
	x := wantsXML(r)
	switch {
	case len(parts) == 1 && strings.EqualFold(parts[0], "Login") && r.Method == http.MethodPost:
		s.login(w, r, x)
		return
	case len(parts) == 1 && strings.EqualFold(parts[0], "RenewLoginToken") && r.Method == http.MethodPost:
		s.renew(w, r, x)
		return
	}
	if !s.valid(r.Header.Get("Authtoken")) {
		writeError(w, http.StatusUnauthorized, x, "flat", "Access denied", 5)
		return
	}
	if s.lifecycle(w, r, parts, x) {
		return
	}
	switch {
	case len(parts) == 1 && strings.EqualFold(parts[0], "Logout") && r.Method == http.MethodPost:
		s.mu.Lock()
		delete(s.sessions, r.Header.Get("Authtoken"))
		s.mu.Unlock()
		w.Header().Set("Content-Type", "text/plain")
		_, _ = io.WriteString(w, "User logged out")
	case strings.EqualFold(parts[0], "Organization") && r.Method == http.MethodGet:
		s.organization(w, r, parts[1:], x)
	default:
		writeError(w, http.StatusNotFound, x, "flat", "No such API: "+r.Method+" "+rest, 404)
	}
}

func wantsXML(r *http.Request) bool {
	a := strings.ToLower(r.Header.Get("Accept"))
	return strings.Contains(a, "xml") && !strings.Contains(a, "json")
}

// readBody decodes a JSON or XML request body by its Content-Type.
func readBody(r *http.Request, v any) error {
	data, err := io.ReadAll(io.LimitReader(r.Body, 1<<20))
	if err != nil {
		return err
	}
	mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if strings.Contains(mt, "xml") {
		return xml.Unmarshal(data, v)
	}
	return json.Unmarshal(data, v)
}

type loginReq struct {
	Username string `json:"username" xml:"username,attr"`
	Password string `json:"password" xml:"password,attr"`
	Domain   string `json:"domain" xml:"domain,attr"`
	DeviceID string `json:"deviceId" xml:"deviceId,attr"`
}

type providerW struct {
	ProviderID         int    `json:"providerId" xml:"providerId,attr"`
	ProviderDomainName string `json:"providerDomainName" xml:"providerDomainName,attr"`
}

type errListW struct {
	ErrLogMessage string `json:"errLogMessage" xml:"errLogMessage,attr"`
	ErrorCode     int    `json:"errorCode" xml:"errorCode,attr"`
}

type loginResp struct {
	XMLName              xml.Name   `json:"-" xml:"DM2ContentIndexing_CheckCredentialResp"`
	AliasName            string     `json:"aliasName,omitempty" xml:"aliasName,attr,omitempty"`
	UserGUID             string     `json:"userGUID,omitempty" xml:"userGUID,attr,omitempty"`
	LoginAttempts        int        `json:"loginAttempts" xml:"loginAttempts,attr"`
	RemainingLockTime    int        `json:"remainingLockTime" xml:"remainingLockTime,attr"`
	UserName             string     `json:"userName,omitempty" xml:"userName,attr,omitempty"`
	ProviderType         int        `json:"providerType,omitempty" xml:"providerType,attr,omitempty"`
	Token                string     `json:"token,omitempty" xml:"token,attr,omitempty"`
	Capability           int64      `json:"capability,omitempty" xml:"capability,attr,omitempty"`
	ForcePasswordChange  bool       `json:"forcePasswordChange" xml:"forcePasswordChange,attr"`
	IsAccountLocked      bool       `json:"isAccountLocked" xml:"isAccountLocked,attr"`
	OwnerOrganization    *providerW `json:"ownerOrganization,omitempty" xml:"ownerOrganization"`
	ProviderOrganization *providerW `json:"providerOrganization,omitempty" xml:"providerOrganization"`
	ErrList              []errListW `json:"errList" xml:"errList"`
}

func (s *Server) login(w http.ResponseWriter, r *http.Request, x bool) {
	var req loginReq
	if err := readBody(r, &req); err != nil {
		writeError(w, http.StatusOK, x, "flat", "Invalid request body", 2)
		return
	}
	pw, err := base64.StdEncoding.DecodeString(req.Password)
	s.mu.Lock()
	lockFor := s.lockFor
	s.mu.Unlock()
	switch {
	case lockFor > 0:
		write(w, http.StatusOK, x, &loginResp{
			LoginAttempts: 5, RemainingLockTime: int(lockFor / time.Second), IsAccountLocked: true,
			ErrList: []errListW{{ErrLogMessage: "User account is locked", ErrorCode: 1116}},
		})
		return
	case err != nil || req.Username != s.Username || string(pw) != s.Password:
		write(w, http.StatusOK, x, &loginResp{
			LoginAttempts: 1,
			ErrList:       []errListW{{ErrLogMessage: "Invalid Username or Password", ErrorCode: 5}},
		})
		return
	}
	tok := s.issue(req.DeviceID, "")
	s.mu.Lock()
	s.logins++
	s.mu.Unlock()
	cc := &providerW{ProviderID: 0, ProviderDomainName: "Qinetix Commcell"}
	write(w, http.StatusOK, x, &loginResp{
		AliasName: "1", UserGUID: "AC3E5333-4585-4EFD-B566-4654C5C88C27", UserName: req.Username,
		ProviderType: 1, Token: tok, Capability: 4328650366975,
		OwnerOrganization: cc, ProviderOrganization: cc, ErrList: []errListW{},
	})
}

type renewReq struct {
	SessionID string `json:"sessionId" xml:"sessionId,attr"`
	DeviceID  string `json:"deviceId" xml:"deviceId,attr"`
}

type renewResp struct {
	XMLName xml.Name `json:"-" xml:"DM2ContentIndexing_RenewLoginTokenResp"`
	Token   string   `json:"token" xml:"token,attr"`
	Error   struct{} `json:"error" xml:"-"`
}

func (s *Server) renew(w http.ResponseWriter, r *http.Request, x bool) {
	var req renewReq
	if err := readBody(r, &req); err != nil {
		writeError(w, http.StatusOK, x, "error", "Invalid request body", 2)
		return
	}
	s.mu.Lock()
	ss, ok := s.sessions[req.SessionID]
	if !ok || ss.deviceID != req.DeviceID || req.DeviceID == "" {
		s.mu.Unlock()
		writeError(w, http.StatusOK, x, "error", "Invalid session or device", 5)
		return
	}
	delete(s.sessions, req.SessionID)
	s.renewals++
	s.mu.Unlock()
	write(w, http.StatusOK, x, &renewResp{Token: s.issue(req.DeviceID, "")})
}

func (s *Server) organization(w http.ResponseWriter, r *http.Request, parts []string, x bool) {
	if len(parts) == 0 || parts[0] == "" {
		s.list(w, r, x)
		return
	}
	id, err := strconv.Atoi(parts[0])
	s.mu.Lock()
	o, ok := s.orgs[id]
	s.mu.Unlock()
	switch {
	case len(parts) == 1:
		if err != nil || !ok || id == 0 {
			writeError(w, http.StatusOK, x, "flat", fmt.Sprintf("Organization [%s] does not exist", parts[0]), 2)
			return
		}
		write(w, http.StatusOK, x, &infoResp{Info: o.infoForm()})
	case len(parts) == 2 && strings.EqualFold(parts[1], "defaultplan"):
		if err != nil || !ok {
			writeError(w, http.StatusOK, x, "error", fmt.Sprintf("Organization [%s] does not exist", parts[0]), 2)
			return
		}
		write(w, http.StatusOK, x, &infoResp{Info: o.defaultPlanForm()})
	default:
		writeError(w, http.StatusNotFound, x, "flat", "No such API", 404)
	}
}

// write answers v as XML or JSON.
func write(w http.ResponseWriter, status int, x bool, v any) {
	if !x {
		fake.WriteJSON(w, status, "application/json;charset=utf-8", v)
		return
	}
	data, err := xml.Marshal(v)
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/xml;charset=utf-8")
	w.WriteHeader(status)
	_, _ = w.Write(data)
}

type genericResp struct {
	XMLName      xml.Name `xml:"App_GenericResp"`
	ErrorMessage string   `xml:"errorMessage,attr"`
	ErrorCode    int      `xml:"errorCode,attr"`
}

// writeError answers an error: in XML as App_GenericResp, in JSON flat
// {errorMessage, errorCode} or nested {error: {...}} per shape.
func writeError(w http.ResponseWriter, status int, x bool, shape, msg string, code int) {
	if x {
		write(w, status, true, &genericResp{ErrorMessage: msg, ErrorCode: code})
		return
	}
	body := map[string]any{"errorMessage": msg, "errorCode": code}
	if shape == "error" {
		body = map[string]any{"error": body}
	}
	write(w, status, false, body)
}
