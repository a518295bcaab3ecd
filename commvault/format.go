package commvault

import (
	"bytes"
	"fmt"
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
