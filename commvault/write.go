package commvault

import (
	"bytes"
	"context"
	"errors"
	"net/http"
	"strings"

	"github.com/orgsdk/orgsdk/internal/transport"
)

// The company lifecycle (issue 20) is a set of writes: POST Organization,
// PUT Organization, POST Organization/{id}/action/deactivate and
// .../activate, DELETE Organization/{id} and PUT Tags. Each one is sent
// under the transport's write rules (Request.Once: never resent once it
// may have reached the server, whatever its method), follows a same-origin
// 307/308 once (redirect.go), and has its answer checked for the error
// shapes Commvault sends inside HTTP 200 by the package's decoder.

// writeKind names a write whose refusals this package maps to a sentinel.
type writeKind int

const (
	writeOther writeKind = iota
	writeCreate
	writeDelete
)

// writeEnvelope is any write's answer: only its error shapes are read
// (JSON through errFields; XML by the guard of decodeBody).
type writeEnvelope struct {
	errFields
}

// write sends a lifecycle write: body (nil: none) in the client's format,
// marked Once, with its answer decoded by decode (nil: only its error
// shapes are read).
func (c *Client) write(ctx context.Context, kind writeKind, method string, values map[string]string, body any, decode transport.Decoder, path ...string) (*Response, error) {
	r := c.request(method, path...)
	r.Once = true
	for k, v := range values {
		if r.Values == nil {
			r.Values = map[string][]string{}
		}
		r.Values[k] = []string{v}
	}
	if body != nil {
		if err := c.body(r, body); err != nil {
			return nil, err
		}
	}
	if decode == nil {
		decode = func(_ *http.Response, b []byte) error {
			// A write's success answer may be empty (a 204, or a 200
			// without a body); an empty body has no error in it.
			if len(bytes.TrimSpace(b)) == 0 {
				return nil
			}
			var env writeEnvelope
			return decodeBody(b, &env, false)
		}
	}
	return c.do(ctx, r, func(resp *http.Response, b []byte) error {
		return classifyWrite(kind, decode(resp, b))
	})
}

// classifyWrite gives the refusals of a lifecycle call (the writes, and
// Tags) that Commvault answers inside HTTP 200 the status that makes them
// match a sentinel. The shared decoder (statusFor in decode.go) has made
// errorCode 5 a 401 and a missing entity ("Organization [N] does not
// exist", or a plan a create names) a 404 already, for every call; what
// only a write can be refused for is mapped here:
//
//   - a create or an update refused because the name or alias is taken
//     (a message saying it already exists): 409, ErrConflict;
//   - a delete refused because the company is still active (a message
//     about deactivating it): 409, ErrConflict.
//
// Only an error still without a status (one from inside a 2xx answer)
// is changed: an HTTP 404 or 409 stays as it came, and so does a mapping
// the shared decoder has made already.
func classifyWrite(kind writeKind, err error) error {
	var ae *APIError
	if !errors.As(err, &ae) || ae.StatusCode != 0 {
		return err
	}
	msg := strings.ToLower(ae.Message)
	switch {
	case strings.Contains(msg, "already exist"):
		ae.StatusCode = http.StatusConflict
	case kind == writeDelete && strings.Contains(msg, "deactivat"):
		ae.StatusCode = http.StatusConflict
	}
	return err
}

// checkID refuses an id that cannot name a company: the lifecycle writes
// never address the CommCell itself (id 0).
func checkID(id int) error {
	if id <= 0 {
		return invalidArgument("organization id %d is not positive", id)
	}
	return nil
}

// planRefWire is a plan as a write names it: by id, or by name, or both
// (the server then goes by the id); an empty field is left out, so a plan
// named by its name is not also sent as plan id 0.
type planRefWire struct {
	PlanName string `json:"planName,omitempty" xml:"planName,attr,omitempty"`
	PlanID   int64  `json:"planId,omitempty" xml:"planId,attr,omitempty"`
}

type planDetailWire struct {
	Plan planRefWire `json:"plan" xml:"plan"`
}

// planWires checks plans (what names each: "plans[2]") and converts them.
func planWires(what string, plans []PlanRef) ([]planDetailWire, error) {
	out := make([]planDetailWire, 0, len(plans))
	for i, p := range plans {
		name := strings.TrimSpace(p.PlanName)
		switch {
		case p.PlanID < 0:
			return nil, invalidArgument("%s[%d]: plan id %d is negative", what, i, p.PlanID)
		case p.PlanID == 0 && name == "":
			return nil, invalidArgument("%s[%d]: a plan needs a PlanID or a PlanName", what, i)
		}
		out = append(out, planDetailWire{Plan: planRefWire{PlanName: name, PlanID: int64(p.PlanID)}})
	}
	return out, nil
}
