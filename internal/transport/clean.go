package transport

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"slices"

	"github.com/orgsdk/orgsdk/internal/bound"
)

// The one rule of issue 19.3: every string the SDK logs, returns or stores
// goes through the client's Secrets, which knows every secret the client
// holds, and through the generic rules (RedactText). It is applied at the
// few places strings leave the SDK rather than where each is made:
//
//   - every error a Client method returns (CleanError, in named): each
//     string field of the SDK's error types, and the text of every error
//     in the tree below them, scrubbed and bounded;
//   - every log line (scrubHandler wraps the caller's logger);
//   - every Response (sanitizeRequest, finish): the request handed back,
//     the redirect chain behind it with its Location headers, and the
//     answer's own headers;
//   - every cursor and link handed back (CleanLink);
//   - the User-Agent, once, in New.

// CleanError returns err with every secret s knows, and everything the
// generic rules recognise as a credential, removed from every string it
// carries, each string cut to its bound (bound.Field for the fields of
// the SDK's error types, bound.Text for an error's whole text). The SDK's
// own error types are cleaned in place. Any other error in the tree whose
// text needed cleaning is replaced by one with the clean text that unwraps
// to its (cleaned) causes, so errors.Is and errors.As still find every
// sentinel and typed cause below it, while no error reachable through
// Unwrap keeps the secret or the megabytes. A nil s applies the rules and
// the bounds only.
func (s *Secrets) CleanError(err error) error {
	clean, _ := s.clean(err, 0)
	return clean
}

// clean is CleanError; changed reports whether err had to be replaced.
func (s *Secrets) clean(err error, depth int) (error, bool) {
	if err == nil {
		return nil, false
	}
	if depth > 32 {
		// A chain this deep is not the SDK's; keep its text, not its tree.
		return &cleanError{msg: s.Bound(err.Error(), bound.Text)}, true
	}
	switch e := err.(type) {
	case *APIError:
		s.cleanAPIError(e)
		return e, false
	case *DecodeError:
		e.Method, e.URL = s.Bound(e.Method, bound.Field), s.Bound(e.URL, bound.Field)
		e.ContentType = s.Bound(e.ContentType, bound.Field)
		e.Err, _ = s.clean(e.Err, depth+1)
		return e, false
	case *TransportError:
		e.Method, e.URL = s.Bound(e.Method, bound.Field), s.Bound(e.URL, bound.Field)
		e.Message = s.Bound(e.Message, bound.Field)
		e.Err, _ = s.clean(e.Err, depth+1)
		return e, false
	case *ArgumentError:
		e.Msg = s.Bound(e.Msg, maxArgumentMsg)
		return e, false
	case *providerError:
		e.err, _ = s.clean(e.err, depth+1)
		return e, false
	case *cleanError:
		return e, false
	}
	msg := err.Error()
	text := s.Bound(msg, bound.Text)
	changed := text != msg
	var kids []error
	switch u := err.(type) {
	case interface{ Unwrap() error }:
		if k := u.Unwrap(); k != nil {
			kids = []error{k}
		}
	case interface{ Unwrap() []error }:
		kids = slices.Clone(u.Unwrap())
	}
	for i, k := range kids {
		var c bool
		if kids[i], c = s.clean(k, depth+1); c {
			changed = true
		}
	}
	if !changed {
		return err, false
	}
	return &cleanError{msg: text, errs: kids}, true
}

// cleanAPIError bounds and scrubs every string an APIError carries but its
// Body, which the transport copies through RedactedPrefix already.
func (s *Secrets) cleanAPIError(e *APIError) {
	e.Method, e.URL = s.Bound(e.Method, bound.Field), s.Bound(e.URL, bound.Field)
	e.Message, e.Code = s.Bound(e.Message, bound.Field), s.Bound(e.Code, bound.Field)
	e.DocumentationURL = s.QuoteURL(e.DocumentationURL)
	e.RequestID = s.Bound(e.RequestID, bound.Field)
	if len(e.Details) > bound.Details {
		e.Details = slices.Clone(e.Details[:bound.Details])
	}
	for i := range e.Details {
		d := &e.Details[i]
		d.Field, d.Code, d.Message = s.Bound(d.Field, bound.Field), s.Bound(d.Code, bound.Field), s.Bound(d.Message, bound.Field)
	}
}

// QuoteURL is a URL in text form as an error may quote it: without user
// info, secret query parameters and any secret s knows, cut to
// bound.Field. Only a window of raw is read: a 9.5 MB link that does not
// parse costs no regular-expression pass over 9.5 MB.
func (s *Secrets) QuoteURL(raw string) string {
	return s.Bound(RedactURLString(bound.Prefix(raw, bound.Field+s.margin())), bound.Field)
}

// QuoteURL is Secrets.QuoteURL with the generic rules only, for code that
// has no client at hand (a decoder); the client's exit (CleanError) then
// removes its secrets as well.
func QuoteURL(raw string) string { return (*Secrets)(nil).QuoteURL(raw) }

// cleanError stands for an error whose text had to be scrubbed or cut: it
// keeps the clean text and the (cleaned) errors it wrapped, so matching
// with errors.Is and errors.As goes on as before.
type cleanError struct {
	msg  string
	errs []error
}

func (e *cleanError) Error() string   { return e.msg }
func (e *cleanError) Unwrap() []error { return e.errs }

// CleanError is Secrets.CleanError with this client's secrets.
func (c *Client) CleanError(err error) error { return c.secrets.CleanError(err) }

// CleanLink returns a link the SDK hands back (a cursor, a list's next or
// previous link) without secret query parameters and without any secret
// the client holds, anywhere in it. It is not cut: a cursor must stay
// usable.
func (c *Client) CleanLink(link string) string {
	if link == "" {
		return ""
	}
	return c.secrets.Scrub(StripSecretParams(link))
}

// SafeURL is u as the SDK may print it: no user info, no secret query
// parameter, no secret the client holds, cut to bound.Field.
func (c *Client) SafeURL(u *url.URL) string {
	return c.secrets.Bound(RedactURL(u), bound.Field)
}

// scrubHandler hands every record to next with every string in it
// scrubbed of the client's secrets and the generic rules and cut to
// bound.Text: the message and every attribute (in groups too); values
// logged with slog.Any (an error, a Stringer) become their clean text. It
// wraps the caller's logger once, in New, so a line of the transport and a
// provider's own line (Commvault's session events) obey the same rule.
type scrubHandler struct {
	next    slog.Handler
	secrets *Secrets
}

func (h *scrubHandler) Enabled(ctx context.Context, l slog.Level) bool { return h.next.Enabled(ctx, l) }

func (h *scrubHandler) Handle(ctx context.Context, r slog.Record) error {
	out := slog.NewRecord(r.Time, r.Level, h.secrets.Bound(r.Message, bound.Text), r.PC)
	r.Attrs(func(a slog.Attr) bool {
		out.AddAttrs(h.attr(a))
		return true
	})
	return h.next.Handle(ctx, out)
}

func (h *scrubHandler) WithAttrs(attrs []slog.Attr) slog.Handler {
	clean := make([]slog.Attr, len(attrs))
	for i, a := range attrs {
		clean[i] = h.attr(a)
	}
	return &scrubHandler{next: h.next.WithAttrs(clean), secrets: h.secrets}
}

func (h *scrubHandler) WithGroup(name string) slog.Handler {
	return &scrubHandler{next: h.next.WithGroup(name), secrets: h.secrets}
}

func (h *scrubHandler) attr(a slog.Attr) slog.Attr {
	v := a.Value.Resolve()
	switch v.Kind() {
	case slog.KindString:
		return slog.String(a.Key, h.secrets.Bound(v.String(), bound.Text))
	case slog.KindGroup:
		group := v.Group()
		clean := make([]slog.Attr, len(group))
		for i, g := range group {
			clean[i] = h.attr(g)
		}
		return slog.Attr{Key: a.Key, Value: slog.GroupValue(clean...)}
	case slog.KindAny:
		return slog.String(a.Key, h.secrets.Bound(fmt.Sprint(v.Any()), bound.Text))
	}
	return slog.Attr{Key: a.Key, Value: v}
}

// sanitizeRequest removes the body (a login body holds the password) and
// every credential from r, the request this call built and sent, and from
// the requests of its redirect chain (r.Response.Request), at most depth
// steps, with the headers of the chain's answers (a Location may hold a
// token in its path). They belong to this call alone, so they are changed
// in place; headers and URL are copied only when they hold something to
// remove, which the common case checks without allocating.
func (c *Client) sanitizeRequest(r *http.Request, depth int) *http.Request {
	if r == nil {
		return nil
	}
	r.Body, r.GetBody = nil, nil
	if c.headerHolds(r.Header) {
		r.Header = c.cleanHeader(r.Header)
	}
	if r.URL != nil && (r.URL.User != nil || hasSecretParam(r.URL.RawQuery)) {
		if u, err := url.Parse(RedactURL(r.URL)); err == nil {
			r.URL = u
		}
	}
	if r.URL != nil && c.urlHolds(r.URL) {
		r.URL = c.cleanURL(r.URL)
	}
	if r.Response != nil {
		if depth <= 0 {
			r.Response = nil
			return r
		}
		prev := r.Response
		prev.Request = c.sanitizeRequest(prev.Request, depth-1)
		// A redirect's answer is rare: it is cleaned whole.
		prev.Header = c.cleanHeader(prev.Header)
		prev.Body = http.NoBody
	}
	return r
}

// urlHolds reports whether any part of u holds a secret the client knows.
func (c *Client) urlHolds(u *url.URL) bool {
	s := c.secrets
	return s.Holds(u.Path) || s.Holds(u.RawPath) || s.Holds(u.RawQuery) || s.Holds(u.Fragment) || s.Holds(u.Opaque)
}

// headerHolds reports whether h has a credential header or a value that
// holds a secret the client knows, in one pass over the map. The
// User-Agent the transport set is skipped: it is checked once, in New.
func (c *Client) headerHolds(h http.Header) bool {
	for k, vs := range h {
		if IsSecretHeader(k) {
			return true
		}
		for _, v := range vs {
			if v != c.userAgent && c.secrets.Holds(v) {
				return true
			}
		}
	}
	return false
}

// cleanURL returns u without user info, secret query parameters and any
// secret the client knows. A URL that no longer parses after the secrets
// are replaced keeps only its scheme and host.
func (c *Client) cleanURL(u *url.URL) *url.URL {
	clean, err := url.Parse(c.secrets.Scrub(RedactURL(u)))
	if err != nil {
		return &url.URL{Scheme: u.Scheme, Host: c.secrets.Scrub(u.Host), Path: "/" + Redacted}
	}
	return clean
}

// cleanHeader returns a copy of h with credential headers replaced and
// every other value scrubbed; Location is read as a URL first, so a secret
// query parameter in it goes too.
func (c *Client) cleanHeader(h http.Header) http.Header {
	out := make(http.Header, len(h))
	for k, vs := range h {
		if IsSecretHeader(k) {
			out[k] = []string{Redacted}
			continue
		}
		clean := make([]string, len(vs))
		for i, v := range vs {
			if http.CanonicalHeaderKey(k) == "Location" {
				v = RedactURLString(v)
			}
			clean[i] = c.secrets.Redact(v)
		}
		out[k] = clean
	}
	return out
}
