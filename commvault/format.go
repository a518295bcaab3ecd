package commvault

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"

	"github.com/orgsdk/orgsdk/internal/transport"
)

// Format is the wire format the client asks for with Accept (and sends
// request bodies in). Answers are decoded by what actually arrives, so a
// server or proxy that answers JSON to an XML request still decodes.
type Format int

// Wire formats.
const (
	// JSON asks for application/json (the default).
	JSON Format = iota
	// XML asks for application/xml; scalar fields arrive as attributes.
	XML
)

// String returns "json" or "xml".
func (f Format) String() string {
	switch f {
	case JSON:
		return "json"
	case XML:
		return "xml"
	}
	return fmt.Sprintf("Format(%d)", int(f))
}

func (f Format) mediaType() string {
	if f == XML {
		return "application/xml"
	}
	return "application/json"
}

// expectMedia are the success media types accepted whatever was asked for;
// anything else (an HTML login page from a proxy, plain text) is a
// DecodeError that names the type it got.
var expectMedia = []string{"application/json", "application/xml", "text/xml"}

type sniffed int

const (
	formatUnknown sniffed = iota
	formatJSON
	formatXML
)

// sniff tells JSON from XML by the first significant byte.
func sniff(body []byte) sniffed {
	b := bytes.TrimLeft(bytes.TrimPrefix(body, []byte("\xef\xbb\xbf")), " \t\r\n")
	if len(b) == 0 {
		return formatUnknown
	}
	switch b[0] {
	case '{', '[':
		return formatJSON
	case '<':
		return formatXML
	}
	return formatUnknown
}

// errNotJSONOrXML is the decode failure for a body in neither format.
var errNotJSONOrXML = errors.New("commvault: body is neither JSON nor XML")

// unmarshal decodes body into v as JSON or XML, whichever it is.
func unmarshal(body []byte, v any) error {
	switch sniff(body) {
	case formatJSON:
		return json.Unmarshal(body, v)
	case formatXML:
		return newXMLDecoder(body).Decode(v)
	}
	if len(bytes.TrimSpace(body)) == 0 {
		return errors.New("commvault: empty body")
	}
	return errNotJSONOrXML
}

// decodeBody checks body for every error shape first (Commvault answers
// errors with HTTP 200), then decodes it into v.
func decodeBody(body []byte, v any) error {
	if ae := detectError(body, false); ae != nil {
		return ae
	}
	return unmarshal(body, v)
}

// decoder adapts decodeBody to the transport.
func decoder(v any) transport.Decoder {
	return func(_ *http.Response, body []byte) error { return decodeBody(body, v) }
}
