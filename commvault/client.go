package commvault

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"sync"

	"github.com/orgsdk/orgsdk"
	"github.com/orgsdk/orgsdk/internal/transport"
)

// provider names this package in errors, log lines and the User-Agent.
const provider = "commvault"

// Response is one answer from the API: the HTTP response (body already
// read) and its rate-limit headers (zero: Commvault sends none). It is
// orgsdk.Response, shared by every provider.
type Response = orgsdk.Response

// RateLimit is the server's rate-limit state; Commvault sends none.
type RateLimit = orgsdk.RateLimit

// Client talks to one Commvault web service. It is safe for concurrent use:
// concurrent first calls share one login, and an expired token is renewed
// once for all callers.
type Client struct {
	// Organizations reads companies (tenants) and their default plans,
	// and runs their lifecycle (create, update, deactivate, delete, tags).
	Organizations *OrganizationsService

	tc       *transport.Client
	format   Format
	secrets  *transport.Secrets
	logger   *slog.Logger
	username string
	// password64 is the base64 form Login sends; the plain password is
	// not kept.
	password64 string
	domain     string
	hasCreds   bool
	deviceID   string
	timeoutMin int
	// bearer is the access token of WithAccessToken; it never changes.
	bearer string

	// sem serialises login, renewal and logout; a channel so waiting
	// callers honour their context.
	sem chan struct{}

	mu    sync.RWMutex // guards token, gen, owned
	token string
	// gen counts token changes so a 401 can tell whether the token it was
	// sent with has already been replaced by another caller.
	gen uint64
	// owned: the token came from this client's Login, so RenewLoginToken
	// with the same deviceId can extend it.
	owned bool
}

// NewClient returns a client for the web-service root baseURL, such as
// https://host/commandcenter/api/ (or .../webconsole/api/, or
// http://host:81/SearchSvc/CVWebService.svc/).
//
// Unlike the other orgsdk providers, whose first argument is the
// credential (their API lives at one public address, so WithBaseURL is
// optional), Commvault is self-hosted: there is no default host, so the
// base URL comes first and the credential is an option. One of
// WithCredentials, WithToken, WithSAMLToken or WithAccessToken is
// required (WithBaseURL, if given too, replaces baseURL). NewClient does
// no I/O.
//
// API doc: https://documentation.commvault.com/11.20/rest_api_authentication_post_login.html
func NewClient(baseURL string, opts ...Option) (*Client, error) {
	s, err := transport.NewSettings("")
	if err != nil {
		return nil, err
	}
	o := &options{Settings: s, timeoutMin: 30}
	if strings.TrimSpace(baseURL) != "" {
		if err := o.SetBaseURL(baseURL); err != nil {
			return nil, invalidArgument("%v", err)
		}
	}
	if err := applyOptions(o, opts); err != nil {
		return nil, err
	}
	if o.BaseURL == nil {
		return nil, invalidArgument("a base URL is required (Commvault is self-hosted: https://host/commandcenter/api/)")
	}
	if o.bearer != "" && (o.hasCreds || o.tokens > 0) {
		return nil, invalidArgument("WithAccessToken cannot be combined with WithCredentials, WithToken or WithSAMLToken")
	}
	if o.tokens > 1 {
		return nil, invalidArgument("give one session token: WithToken or WithSAMLToken")
	}
	if !o.hasCreds && o.token == "" && o.bearer == "" {
		return nil, invalidArgument("credentials are required: use WithCredentials(username, password), WithToken, WithSAMLToken or WithAccessToken")
	}
	if o.deviceID == "" {
		var b [16]byte
		_, _ = rand.Read(b[:])
		o.deviceID = hex.EncodeToString(b[:])
	}
	c := &Client{
		format:     o.format,
		secrets:    &transport.Secrets{},
		username:   o.username,
		domain:     o.domain,
		hasCreds:   o.hasCreds,
		deviceID:   o.deviceID,
		timeoutMin: o.timeoutMin,
		sem:        make(chan struct{}, 1),
	}
	if o.hasCreds {
		c.password64 = base64.StdEncoding.EncodeToString([]byte(o.password))
		c.addSecret(o.password, c.password64)
	}
	if o.bearer != "" {
		c.bearer = o.bearer
		c.addSecret(o.bearer, "Bearer "+o.bearer)
	}
	if o.token != "" {
		c.setToken(o.token, false)
	}
	o.HTTPClient = httpClient(o.HTTPClient)
	c.tc, err = transport.New(transport.Config{
		Provider:   provider,
		Settings:   o.Settings,
		Auth:       c.auth,
		ParseError: parseError,
		Secrets:    c.secrets,
	})
	if err != nil {
		return nil, err
	}
	c.logger = c.tc.Logger()
	c.Organizations = &OrganizationsService{c: c}
	return c, nil
}

// BaseURL returns the web-service root the client sends requests to.
func (c *Client) BaseURL() string { return c.tc.BaseURL().String() }

// Redact returns text without any secret this client knows — the
// credentials it was built with and any token it obtained since — in any
// form a server may echo them (literal, URL- or JSON-escaped, base64), and
// without anything shaped like a credential. Use it before logging or
// storing request and response text yourself; the SDK's own errors, logs
// and recordings already pass through it.
func (c *Client) Redact(text string) string { return c.tc.Redact(text) }

// Format returns the wire format the client asks for.
func (c *Client) Format() Format { return c.format }

// auth sets Authtoken from the current token; it runs on every attempt,
// so a renewed token is picked up by retries.
func (c *Client) auth(r *http.Request) {
	if c.bearer != "" {
		r.Header.Set("Authorization", "Bearer "+c.bearer)
		return
	}
	c.mu.RLock()
	tok := c.token
	c.mu.RUnlock()
	if tok == "" {
		return
	}
	r.Header.Set("Authtoken", tok)
}

// setToken stores a new token (registering it as a secret) and bumps the
// generation.
func (c *Client) setToken(tok string, owned bool) {
	if tok != "" {
		c.addSecret(tok, strings.TrimSpace(tok[min(len(tok), 5):]))
	}
	c.mu.Lock()
	c.token, c.owned = tok, owned
	c.gen++
	c.mu.Unlock()
}

func (c *Client) current() (tok string, gen uint64, owned bool) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return c.token, c.gen, c.owned
}

func (c *Client) lock(ctx context.Context) error {
	select {
	case c.sem <- struct{}{}:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

func (c *Client) unlock() { <-c.sem }

// request builds a request in the client's format.
func (c *Client) request(method string, path ...string) *transport.Request {
	return &transport.Request{
		Method: method,
		Path:   path,
		Accept: c.format.mediaType(),
		Expect: expectMedia,
	}
}

// do sends an authenticated request: it logs in first when there is no
// token, and on a 401 renews the token (or logs in again) and replays the
// request once.
func (c *Client) do(ctx context.Context, r *transport.Request, decode transport.Decoder) (*Response, error) {
	if ctx == nil {
		return nil, invalidArgument("nil context")
	}
	return c.withSession(ctx, r.Method, func(ctx context.Context) (*Response, error) { return c.send(ctx, r, decode) })
}

// withSession runs call with a session: it logs in first when there is no
// token, and on a 401 renews the token (or logs in again) and runs call
// once more.
func (c *Client) withSession(ctx context.Context, method string, call func(context.Context) (*Response, error)) (*Response, error) {
	resp, err := c.session(ctx, method, call)
	// The one exit of every authenticated call: the text this package adds
	// to an error is cleaned and bounded like the transport's own.
	return resp, c.tc.CleanError(err)
}

func (c *Client) session(ctx context.Context, method string, call func(context.Context) (*Response, error)) (*Response, error) {
	if err := c.ensureSession(ctx); err != nil {
		return nil, err
	}
	// The generation is read before sending rather than recorded by auth:
	// if another caller renews in between, refresh sees a newer generation
	// and only replays, which is what recording would have done.
	_, gen, _ := c.current()
	resp, err := call(ctx)
	if !isUnauthorized(err) || c.bearer != "" {
		return resp, err
	}
	if rerr := c.refresh(ctx, gen); rerr != nil {
		if errors.Is(rerr, errCannotRenew) {
			return resp, err
		}
		return resp, fmt.Errorf("%w (the session had expired and could not be re-established)", rerr)
	}
	c.logger.LogAttrs(ctx, slog.LevelDebug, "commvault: replaying request with the new token",
		slog.String("method", method))
	return call(ctx)
}

func isUnauthorized(err error) bool {
	if err == nil {
		return false
	}
	var ae *APIError
	return errors.As(err, &ae) && ae.StatusCode == http.StatusUnauthorized
}

// errCannotRenew: a token-only client has nothing to renew with.
var errCannotRenew = errors.New("token cannot be renewed")

// ensureSession logs in when the client has no token; concurrent callers
// wait for one login.
func (c *Client) ensureSession(ctx context.Context) error {
	if c.bearer != "" {
		return nil
	}
	if tok, _, _ := c.current(); tok != "" {
		return nil
	}
	if !c.hasCreds {
		return ErrNoSession
	}
	if err := c.lock(ctx); err != nil {
		return err
	}
	defer c.unlock()
	if tok, _, _ := c.current(); tok != "" {
		return nil
	}
	_, _, err := c.login(ctx)
	return err
}

// refresh replaces the token generation gen after a 401: by
// RenewLoginToken when this client logged in itself, else (or when renewal
// fails) by a fresh login with the stored credentials. If another caller
// already replaced that token, it does nothing.
func (c *Client) refresh(ctx context.Context, gen uint64) error {
	if err := c.lock(ctx); err != nil {
		return err
	}
	defer c.unlock()
	tok, cur, owned := c.current()
	if cur != gen {
		return nil
	}
	if owned && tok != "" {
		err := c.renew(ctx, tok)
		if err == nil {
			return nil
		}
		c.logger.LogAttrs(ctx, slog.LevelWarn, "commvault: token renewal failed",
			slog.String("error", c.secrets.Scrub(transport.RedactText(err.Error()))),
			slog.Bool("login_again", c.hasCreds))
	}
	if !c.hasCreds {
		return errCannotRenew
	}
	_, _, err := c.login(ctx)
	return err
}

// addSecret registers credentials the client was built with; the shared
// scrubber matches every escaped and base64 form of them.
func (c *Client) addSecret(values ...string) { c.secrets.Add(values...) }
