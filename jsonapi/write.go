package jsonapi

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"strings"

	"github.com/orgsdk/orgsdk/internal/transport"
)

// The write path. Request documents are built with encoding/json, not
// google/jsonapi: its MarshalPayload writes every tagged attribute (or
// drops the zero ones with omitempty), so it cannot send only the
// attributes a caller set, nor tell "leave alone" from "clear to null";
// it has no place for a write-only attribute that must never be decoded
// back, nor for MPDX's overwrite flag. A document here is the
// JSON:API resource object with exactly the members the caller chose.

// resourceObject is the primary data of a request document.
type resourceObject struct {
	Type          string                  `json:"type"`
	ID            string                  `json:"id,omitempty"`
	Attributes    map[string]any          `json:"attributes"`
	Relationships map[string]relationship `json:"relationships,omitempty"`
}

type relationship struct {
	Data *identifier `json:"data"`
}

type identifier struct {
	Type string `json:"type"`
	ID   string `json:"id"`
}

// attrs collects the attributes a caller set; encoding/json sorts the
// keys, so a document is the same bytes for the same input.
type attrs map[string]any

// put adds an attribute when o is set or cleared; a left-out one stays out.
func put[T any](a attrs, name string, o Optional[T]) {
	if o.IsZero() {
		return
	}
	if v, ok := o.Get(); ok {
		a[name] = v
		return
	}
	a[name] = nil
}

// requestDocument encodes {"data": resource}.
func requestDocument(r resourceObject) ([]byte, error) {
	if r.Attributes == nil {
		r.Attributes = map[string]any{}
	}
	b, err := json.Marshal(struct {
		Data resourceObject `json:"data"`
	}{r})
	if err != nil {
		return nil, invalidArgument("cannot encode the request document: %v", err)
	}
	return b, nil
}

// write sends one write. The transport never resends it once it may have
// reached the server, whatever its method (a retry happens only when the
// request was not written, or on a 429, which says it was not served). decode, when not nil, reads a success body; a 204 (or any
// empty success body) skips it.
func (c *Client) write(ctx context.Context, method string, doc []byte, decode transport.Decoder, path ...string) (*Response, error) {
	req := newRequest(method, path...)
	// DELETE and PUT are idempotent in HTTP, but a resent delete is
	// answered 404 and a resent update 409: every write goes once.
	req.Once = true
	if doc != nil {
		req.Body = doc
		req.ContentType = MediaType
	}
	var dec transport.Decoder
	if decode != nil {
		dec = func(r *http.Response, body []byte) error {
			if r.StatusCode == http.StatusNoContent || len(body) == 0 {
				return errNoDocument
			}
			return decode(r, body)
		}
	}
	resp, err := c.t.Do(ctx, req, dec)
	return resp, conflictOf(err)
}

// errNoDocument is a write answered without the document it should carry
// (a 204 to a create).
var errNoDocument = errors.New("the answer carries no document")

// conflictPhrase is how MPDX words a stale updated_in_db_at
// (ApplicationRecord::CONFLICT_ERROR_MESSAGE in the MPDX API source).
const conflictPhrase = "is not equal to the current value in the database"

// conflictError is an *APIError about a stale updated_in_db_at that came
// with another status than 409: it matches ErrConflict as well as what
// its status matches, and errors.As still finds the *APIError.
type conflictError struct{ *APIError }

func (e *conflictError) Unwrap() error { return e.APIError }

func (e *conflictError) Is(target error) bool { return target == ErrConflict }

// conflictOf makes an answer about a stale updated_in_db_at match
// ErrConflict whatever its status: MPDX answers it 409, but a server of
// the same family (or a proxy) may say 400 or 422, and a caller's retry
// logic must see a conflict either way.
func conflictOf(err error) error {
	var e *APIError
	if err == nil || !errors.As(err, &e) || e.StatusCode == http.StatusConflict {
		return err
	}
	for _, d := range e.Details {
		about := strings.HasSuffix(d.Field, "updated_in_db_at") || strings.Contains(strings.ToLower(d.Message), "updated in db at")
		if about && strings.Contains(d.Message, conflictPhrase) {
			return &conflictError{e}
		}
	}
	return err
}
