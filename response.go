package orgsdk

import (
	"net/http"
	"time"
)

// Response is one answer from an API: the HTTP response (its body already
// read and closed), the rate-limit state the server reported, and the
// cursor of the next page. Response.Request is the request as sent, with
// every credential and request body removed. No string in it holds a
// secret the client knows, in any encoding: not the request's URL or
// headers, not the redirect chain behind it (Location included), not the
// answer's own headers (a server that echoes the token in X-Request-Id
// gets it replaced by REDACTED), not NextCursor.
type Response struct {
	*http.Response
	// Rate is read from X-RateLimit-*; zero when the provider sends none.
	Rate RateLimit
	// NextCursor fetches the next page when passed back as
	// ListOptions.Cursor; "" on the last page and on answers that are not
	// lists. Secret query parameters are never in it, nor any secret the
	// client holds, under whatever name.
	NextCursor string
}

// RateLimit is the server's rate-limit state from the X-RateLimit-Limit,
// -Remaining and -Reset headers. Every field is zero when the provider does
// not send them.
type RateLimit struct {
	// Limit is how many requests the window allows.
	Limit int
	// Remaining is how many are left in the current window.
	Remaining int
	// Reset is when the window starts again.
	Reset time.Time
}

// DefaultMaxPages is how many pages one walk (a provider's All) fetches at
// most when its ListOptions.MaxPages is 0. At 100 organizations a page it
// is a million organizations, far past any real list, and it ends the
// endless walk of a broken or hostile server after a bounded number of
// requests: such a walk ends with an error matching ErrTooManyPages.
const DefaultMaxPages = 10_000
