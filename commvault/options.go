package commvault

import (
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/orgsdk/orgsdk"
	"github.com/orgsdk/orgsdk/internal/transport"
)

// Option configures a Client. An option given a bad value makes NewClient
// fail.
type Option func(*options) error

type options struct {
	transport.Settings
	username   string
	password   string
	domain     string
	hasCreds   bool
	token      string
	tokens     int // session-token options given (WithToken, WithSAMLToken)
	bearer     string
	format     Format
	deviceID   string
	timeoutMin int
}

// WithBaseURL replaces the web-service root given to NewClient (default:
// that root; Commvault has no public one).
func WithBaseURL(u string) Option {
	return func(o *options) error { return o.SetBaseURL(u) }
}

// WithHTTPClient sets the HTTP client used for every request; give one
// with your CA pool for servers with self-signed certificates. It is
// copied, never modified.
// Default: the SDK's own pooled client: HTTP/1.1, connect and TLS
// handshake timeouts, and a connection that carries nothing for 60 s in
// either direction fails the call (the wait for headers included), so a
// silent server cannot hang a call that has no deadline. c replaces all of
// it: its Transport and Timeout are used as they are, so give it timeouts
// of its own.
func WithHTTPClient(c *http.Client) Option {
	return func(o *options) error { return o.SetHTTPClient(c) }
}

// WithLogger sets the logger for per-attempt Debug lines, per-retry Warn
// lines and session events. No token or password is ever logged. Default:
// a logger that discards everything.
func WithLogger(l *slog.Logger) Option {
	return func(o *options) error { return o.SetLogger(l) }
}

// WithUserAgent appends a suffix to the SDK's User-Agent (default: none).
// A suffix net/http would refuse in a header (a control character other
// than tab) is ErrInvalidArgument.
func WithUserAgent(suffix string) Option {
	return func(o *options) error { return o.SetUserAgent(suffix) }
}

// WithMaxRetries sets how many times a failed request may be retried
// (0 to 100; default 4). Writes are never resent once they may have
// reached the server.
func WithMaxRetries(n int) Option {
	return func(o *options) error { return o.SetMaxRetries(n) }
}

// WithRetryWait sets the bounds of the backoff between retries (default
// 500ms to 30s). A Retry-After longer than max is not slept: the call fails
// at once with the wait on the error.
func WithRetryWait(lo, hi time.Duration) Option {
	return func(o *options) error { return o.SetRetryWait(lo, hi) }
}

// WithMaxBodyBytes caps how much of a response body is read (default
// 32 MiB).
func WithMaxBodyBytes(n int64) Option {
	return func(o *options) error { return o.SetMaxBodyBytes(n) }
}

// WithPrefetch sets how many pages All may fetch ahead of the caller
// (default 0: each page is fetched when the walk reaches it). 1 fetches the
// next page while the caller consumes the current one. n > 1 fetches up to
// n pages at once: Commvault addresses pages by start and limit, so once
// the first page has said how many organizations match (filterQueryCount),
// the pages after it are requested at start Offset + k·PerPage, n at a
// time, and still yielded in server order. At most n+1 pages are held at
// once. Every request still goes through the client's limiter
// (WithRateLimit, WithLimiter) and is retried on 429 as any call is, so n
// multiplies the speed of a walk, never the rate. A walk without PerPage,
// or against a server that ignores paging, is one request and has nothing
// to fetch ahead. Negative is ErrInvalidArgument.
//
// API doc: https://documentation.commvault.com/v11/essential/92470_rest_api_get_organization.html
func WithPrefetch(pages int) Option {
	return func(o *options) error { return o.SetPrefetch(pages) }
}

// WithRateLimit paces the client on its side, so a bulk walk does not rely
// on the server pushing back. It is shorthand for
// WithLimiter(rate.NewLimiter(rate.Limit(float64(n)/per.Seconds()), n))
// (golang.org/x/time/rate): a bucket of n requests, full at the start and
// refilled at n per per. Up to n requests go at once, then one every
// per/n; a span of length per holds at most 2n (give n/2 to stay under a
// server that counts n in any such span). Every attempt on the wire
// waits: retries, followed redirects, Login and RenewLoginToken included.
// Default: no pacing; n == 0 turns it off. A negative n, a non-positive
// per with n > 0, or WithLimiter as well, is ErrInvalidArgument.
func WithRateLimit(n int, per time.Duration) Option {
	return func(o *options) error { return o.SetRateLimit(n, per) }
}

// Limiter paces requests on the client's side (see [orgsdk.Limiter]);
// a *rate.Limiter from golang.org/x/time/rate is one.
type Limiter = orgsdk.Limiter

// WithLimiter paces the client with l: a *rate.Limiter from
// golang.org/x/time/rate, one shared with other clients so that they share
// one quota, or a limiter shared between processes (one backed by Redis,
// say). The client calls l.Wait once per attempt on the wire: retries,
// followed redirects, Login and RenewLoginToken included. Default: no
// pacing. A nil l, or WithRateLimit as well, is ErrInvalidArgument.
func WithLimiter(l Limiter) Option {
	return func(o *options) error { return o.SetLimiter(l) }
}

// WithCredentials logs in with a user name and the plain password; the SDK
// base64-encodes it as Login requires. The client logs in on its first
// call (or on Login) and logs in again if its token expires and cannot be
// renewed. There is no default credential: NewClient needs this option,
// WithToken, WithSAMLToken or WithAccessToken.
//
// A user name or password holding a control character (tab included) is
// ErrInvalidArgument; the error never quotes it.
func WithCredentials(username, password string) Option {
	return func(o *options) error {
		if strings.TrimSpace(username) == "" {
			return errors.New("WithCredentials: the username is empty")
		}
		if password == "" {
			return errors.New("WithCredentials: the password is empty")
		}
		if err := transport.CheckNoControl("WithCredentials", "the username", username); err != nil {
			return err
		}
		if err := transport.CheckNoControl("WithCredentials", "the password", password); err != nil {
			return err
		}
		o.username, o.password, o.hasCreds = username, password, true
		return nil
	}
}

// WithDomain sets the domain of a domain (AD/LDAP) user for Login
// (default: none, a local user). A domain holding a control character is
// ErrInvalidArgument.
func WithDomain(domain string) Option {
	return func(o *options) error {
		if err := transport.CheckNoControl("WithDomain", "the domain", domain); err != nil {
			return err
		}
		o.domain = strings.TrimSpace(domain)
		return nil
	}
}

// WithToken uses an existing session token, sent verbatim in the Authtoken
// header; "QSDK " is prepended when missing, as the official SDK does. A
// client with only a token cannot renew it; add WithCredentials to log in
// again when it expires. Default: none. A token holding a space or a
// control character is ErrInvalidArgument.
func WithToken(token string) Option {
	return func(o *options) error {
		bare := strings.TrimSpace(token)
		if len(bare) >= 5 && strings.EqualFold(bare[:5], "QSDK ") {
			bare = bare[5:]
		} else if strings.EqualFold(bare, "QSDK") {
			bare = ""
		}
		if bare == "" {
			return errors.New("WithToken: the token is empty")
		}
		if strings.ContainsFunc(bare, func(r rune) bool { return r <= ' ' || r == 0x7f }) {
			return errors.New("WithToken: the token must not contain spaces or control characters")
		}
		o.token = "QSDK " + bare
		o.tokens++
		return nil
	}
}

// WithSAMLToken uses a session token obtained through SAML single sign-on
// (it starts with "SAML "), sent verbatim in the Authtoken header, as the
// official SDK sends it. Like WithToken it cannot be renewed; add
// WithCredentials to log in again when it expires. Default: none. A token
// holding a control character is ErrInvalidArgument.
//
// API doc: https://documentation.commvault.com/11.20/rest_api_authentication_post_login.html
func WithSAMLToken(token string) Option {
	return func(o *options) error {
		tok := strings.TrimSpace(token)
		if tok == "" {
			return errors.New("WithSAMLToken: the token is empty")
		}
		if err := transport.CheckNoControl("WithSAMLToken", "the token", tok); err != nil {
			return err
		}
		o.token = tok
		o.tokens++
		return nil
	}
}

// WithAccessToken uses an access token created in the Command Center (or
// with the access-token API), sent as "Authorization: Bearer <token>" on
// every call. Access tokens are not session tokens: the client never logs
// in, renews or logs out with one, so it cannot be combined with
// WithCredentials, WithToken or WithSAMLToken. When it expires, calls fail
// with ErrUnauthorized; renew it with its refresh token and build a new
// client. Default: none. A token holding a space or a control character
// is ErrInvalidArgument.
//
// API doc: https://documentation.commvault.com/11.42/software/access_tokens_for_rest_apis.html
func WithAccessToken(token string) Option {
	return func(o *options) error {
		tok := strings.TrimSpace(token)
		if len(tok) >= 7 && strings.EqualFold(tok[:7], "Bearer ") {
			tok = strings.TrimSpace(tok[7:])
		}
		if tok == "" {
			return errors.New("WithAccessToken: the token is empty")
		}
		if err := transport.CheckNoControl("WithAccessToken", "the token", tok); err != nil {
			return err
		}
		if strings.Contains(tok, " ") {
			return errors.New("WithAccessToken: the token must not contain spaces")
		}
		o.bearer = tok
		return nil
	}
}

// WithFormat picks JSON (default) or XML for Accept and request bodies.
func WithFormat(f Format) Option {
	return func(o *options) error {
		if f != JSON && f != XML {
			return fmt.Errorf("unknown format %d (want JSON or XML)", int(f))
		}
		o.format = f
		return nil
	}
}

// WithDeviceID sets the deviceId sent at Login and RenewLoginToken (by
// default a random id per client). Renewal requires the same id as login.
// An empty id, or one holding a control character, is ErrInvalidArgument.
func WithDeviceID(id string) Option {
	return func(o *options) error {
		if strings.TrimSpace(id) == "" {
			return errors.New("WithDeviceID: the device id is empty")
		}
		if err := transport.CheckNoControl("WithDeviceID", "the device id", id); err != nil {
			return err
		}
		o.deviceID = id
		return nil
	}
}

// WithSessionTimeout sets the login's idle timeout (whole minutes, 1 to
// 1440; default 30).
func WithSessionTimeout(d time.Duration) Option {
	return func(o *options) error {
		m := int(d / time.Minute)
		if d%time.Minute != 0 || m < 1 || m > 1440 {
			return fmt.Errorf("session timeout %s must be whole minutes between 1m and 24h", d)
		}
		o.timeoutMin = m
		return nil
	}
}

// normalizeToken adds the "QSDK " scheme a bare session token needs.
func normalizeToken(t string) string {
	if len(t) >= 5 && strings.EqualFold(t[:5], "QSDK ") {
		return t
	}
	return "QSDK " + t
}

func invalidArgument(format string, args ...any) error {
	return transport.ProviderArgumentError(provider, format, args...)
}

func applyOptions(o *options, opts []Option) error {
	return transport.ApplyOptions(provider, o, opts)
}
