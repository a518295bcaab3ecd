package commvault

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"net/http"
	"reflect"
	"slices"
	"strconv"
	"strings"

	"github.com/orgsdk/orgsdk/internal/bound"
	"github.com/orgsdk/orgsdk/internal/transport"
)

// maxDepth bounds the nesting of every body the SDK decodes (issue 11.5);
// the bound and its error are shared by every provider.
const maxDepth = transport.MaxDepth

// errTooDeep is the decode failure for a body nested deeper than maxDepth.
var errTooDeep = transport.ErrTooDeep

// errNotJSONOrXML is the decode failure for a body in neither format.
var errNotJSONOrXML = errors.New("body is neither JSON nor XML")

// answerKeys are the keys a JSON answer may not hold twice in one object
// (issue 19.10): the envelopes (providers, organizationInfo and the
// objects in it), an organization's identity (shortName and its id and
// domainName, connectName), the session token, and the error shapes,
// since a repeated errorCode could hide an error from one reader and show
// it to another. encoding/json would keep the last of each silently.
var answerKeys = transport.NewKeySet(
	"providers", "filterQueryCount", "organizationInfo", "organization", "organizationProperties", "planDetails", "defaultPlans",
	"shortName", "id", "domainName", "connectName", "token",
	"errorCode", "errorMessage", "errorString", "errLogMessage", "errList", "error", "response",
)

// errEmptyBody is the decode failure for an empty success body.
var errEmptyBody = errors.New("empty body")

// errJSON is one JSON error object of any shape; the message field name
// differs by shape. The fields stay raw so an odd type (an object where a
// string was expected) never fails the decode of the answer around it.
type errJSON struct {
	ErrorMessage  json.RawMessage `json:"errorMessage" xml:"-"`
	ErrorString   json.RawMessage `json:"errorString" xml:"-"`
	ErrLogMessage json.RawMessage `json:"errLogMessage" xml:"-"`
	ErrorCode     json.RawMessage `json:"errorCode" xml:"-"`
}

// errFields are the error shapes at the root of a JSON answer. Answer
// envelopes embed them, so one json.Unmarshal decodes the answer and finds
// its error: Commvault reports errors inside HTTP 200, and scanning every
// body for them separately doubled the decode cost (issue 12).
type errFields struct {
	errJSON
	Error    json.RawMessage `json:"error" xml:"-"`
	Response json.RawMessage `json:"response" xml:"-"`
	ErrList  json.RawMessage `json:"errList" xml:"-"`
}

func (f *errFields) errorFields() *errFields { return f }

// carrier is an answer envelope that embeds errFields.
type carrier interface{ errorFields() *errFields }

// errEntry is one error object found in a body.
type errEntry struct {
	msg     string
	code    string
	hasCode bool
}

func (e *errEntry) present() bool { return e.hasCode || e.msg != "" }

// failed returns the errorCode as text and whether it signals an error: any
// value but 0, "", "0" or "NO_ERROR" (newer APIs send enum names).
func (e *errEntry) failed() (string, bool) {
	s := strings.TrimSpace(e.code)
	if s == "" || strings.EqualFold(s, "NO_ERROR") {
		return s, false
	}
	if n, err := parseInt(s); err == nil {
		return strconv.FormatInt(n, 10), n != 0
	}
	return bound.Cut(s, 40), true
}

// scalarText is a JSON scalar's text ("" for null, objects and arrays).
func scalarText(raw json.RawMessage) (string, bool) {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || string(raw) == "null" || raw[0] == '{' || raw[0] == '[' {
		return "", false
	}
	if raw[0] == '"' {
		var s string
		if json.Unmarshal(raw, &s) != nil {
			return "", false
		}
		return s, true
	}
	return string(raw), true
}

func (j *errJSON) entry() errEntry {
	var e errEntry
	for _, m := range []json.RawMessage{j.ErrorMessage, j.ErrorString, j.ErrLogMessage} {
		if s, _ := scalarText(m); strings.TrimSpace(s) != "" {
			e.msg = strings.TrimSpace(s)
			break
		}
	}
	e.code, e.hasCode = scalarText(j.ErrorCode)
	return e
}

// entries returns the error objects of every shape found and how many came
// from arrays.
func (f *errFields) entries() ([]errEntry, int) {
	var out []errEntry
	lists := 0
	if e := f.errJSON.entry(); e.present() {
		out = append(out, e)
	}
	for _, raw := range []json.RawMessage{f.Error, f.Response, f.ErrList} {
		raw = bytes.TrimSpace(raw)
		if len(raw) == 0 {
			continue
		}
		switch raw[0] {
		case '{':
			var j errJSON
			if json.Unmarshal(raw, &j) == nil {
				if e := j.entry(); e.present() {
					out = append(out, e)
				}
			}
		case '[':
			var js []errJSON
			if json.Unmarshal(raw, &js) == nil {
				for _, j := range js {
					if e := j.entry(); e.present() {
						out = append(out, e)
						lists++
					}
				}
			}
		}
	}
	return out, lists
}

// apiError turns the error objects of a body into an *APIError, or nil
// when none signals an error. With loose set (a non-2xx answer), a message
// without a non-zero code counts too. errorCode 5 is Access denied: the
// session expired, whatever the HTTP status said, so it gets the 401 that
// makes it match ErrUnauthorized and renews the session (issue 13.5).
func apiError(entries []errEntry, lists int, loose bool) *APIError {
	var failed []errEntry
	for _, e := range entries {
		if _, bad := e.failed(); bad {
			failed = append(failed, e)
		}
	}
	if len(failed) == 0 && loose {
		for _, e := range entries {
			if e.present() {
				failed = append(failed, e)
				break
			}
		}
	}
	if len(failed) == 0 {
		return nil
	}
	first := failed[0]
	ae := &APIError{Message: first.msg}
	ae.Code, _ = first.failed()
	if ae.Message == "" {
		ae.Message = "request failed"
	}
	ae.StatusCode = statusFor(ae.Code, ae.Message)
	if lists > 0 && len(failed) > 1 {
		for _, e := range failed {
			code, _ := e.failed()
			ae.Details = append(ae.Details, ErrorDetail{Code: code, Message: e.msg})
		}
	}
	return ae
}

// statusFor is the HTTP status an error inside a success answer stands
// for, or 0 when it stands for none (the status on the wire is then
// kept; a non-2xx answer always keeps its own, see parseError). It is the
// one place the body's error shapes meet the status sentinels, for reads
// and writes alike:
//   - errorCode 5 (Access denied) is 401, ErrUnauthorized: the session
//     expired, whatever the HTTP status said (issue 13.5);
//   - a message saying the entity does not exist ("Organization [999] does
//     not exist", errorCode 2 under HTTP 200; "doesn't exist", "not
//     found", "no longer exists") is 404, ErrNotFound (issue 20.3).
//
// Any other code keeps the status the answer arrived with.
func statusFor(code, msg string) int {
	if code == CodeAccessDenied {
		return http.StatusUnauthorized
	}
	if saysMissing(msg) {
		return http.StatusNotFound
	}
	return 0
}

// missingPhrases are the ways Commvault's messages say that the addressed
// entity is not there.
var missingPhrases = []string{"does not exist", "doesn't exist", "do not exist", "not found", "no longer exists"}

func saysMissing(msg string) bool {
	m := strings.ToLower(msg)
	for _, p := range missingPhrases {
		if strings.Contains(m, p) {
			return true
		}
	}
	return false
}

// xmlGuard feeds an xml.Decoder the tokens of a body, failing past
// maxDepth, and on the way reads the error attributes of the root element
// and of its direct children named error, response or errList, so the
// decode that fills a struct also finds the body's error. It also keeps
// the root's and its children's names to explain an answer without the
// element the caller wanted.
type xmlGuard struct {
	raw     *xml.Decoder
	depth   int
	tooDeep bool
	entries []errEntry
	lists   int
	names   []string
}

// Token implements xml.TokenReader.
func (g *xmlGuard) Token() (xml.Token, error) {
	tok, err := g.raw.RawToken()
	switch t := tok.(type) {
	case xml.StartElement:
		g.depth++
		if g.depth > maxDepth {
			g.tooDeep = true
			return nil, errTooDeep
		}
		switch g.depth {
		case 1:
			g.names = append(g.names, t.Name.Local)
			if e := xmlEntry(t); e.present() {
				g.entries = append(g.entries, e)
			}
		case 2:
			if len(g.names) < 12 && !slices.Contains(g.names[1:], t.Name.Local) {
				g.names = append(g.names, t.Name.Local)
			}
			switch t.Name.Local {
			case "error", "response", "errList":
				if e := xmlEntry(t); e.present() {
					g.entries = append(g.entries, e)
					if t.Name.Local != "error" {
						g.lists++
					}
				}
			}
		}
	case xml.EndElement:
		g.depth--
	}
	return tok, err
}

func xmlEntry(t xml.StartElement) errEntry {
	var e errEntry
	var msgs [3]string
	for _, a := range t.Attr {
		switch a.Name.Local {
		case "errorMessage":
			msgs[0] = a.Value
		case "errorString":
			msgs[1] = a.Value
		case "errLogMessage":
			msgs[2] = a.Value
		case "errorCode":
			e.code, e.hasCode = a.Value, true
		}
	}
	for _, m := range msgs {
		if s := strings.TrimSpace(m); s != "" {
			e.msg = s
			break
		}
	}
	return e
}

// newXMLDecoder returns a depth-guarded decoder over body that reads UTF-8
// (and ASCII-compatible declarations) leniently.
func newXMLDecoder(body []byte) (*xml.Decoder, *xmlGuard) {
	g := &xmlGuard{raw: plainXMLDecoder(body)}
	return xml.NewTokenDecoder(g), g
}

// plainXMLDecoder is a decoder over body without the guard.
func plainXMLDecoder(body []byte) *xml.Decoder {
	d := xml.NewDecoder(bytes.NewReader(body))
	d.CharsetReader = xmlCharset
	return d
}

// xmlCharset accepts the encodings whose bytes are UTF-8 already.
func xmlCharset(label string, in io.Reader) (io.Reader, error) {
	switch strings.ToLower(label) {
	case "utf-8", "utf8", "us-ascii", "ascii":
		return in, nil
	}
	return nil, errors.New("unsupported XML encoding " + strconv.Quote(bound.Cut(label, 20)))
}

// checkXMLDepth fails a body nested deeper than maxDepth, reading bytes
// rather than tokens: it follows the grammar only as far as nesting needs
// (start, end and empty-element tags, quoted attribute values, comments,
// CDATA sections, processing instructions). On a well-formed body it
// counts exactly what the decoder will see, since '<' cannot occur in text
// or attribute values; on a malformed one the decoder stops at the first
// fault, before the two can disagree.
//
// simple is false when the body needs the token-level guard after all: it
// holds a declaration (<!DOCTYPE ...>, whose nesting and quoting rules
// differ), or the root or one of its children has "err" in its tag, where
// an error attribute or element may be (xmlGuard reads those).
//
// An element holding one attribute twice is an error too: XML forbids it,
// but encoding/xml keeps the last silently, so a proxy and this package
// could read different organizations from one body (the JSON answers'
// duplicate keys are refused for the same reason).
func checkXMLDepth(b []byte) (simple bool, err error) {
	deepest, simple, dup := xmlDepth(b)
	if deepest > maxDepth {
		return simple, errTooDeep
	}
	if dup != "" {
		return simple, fmt.Errorf("an element holds the attribute %q twice", bound.Cut(dup, 64))
	}
	return simple, nil
}

// xmlDepth returns the deepest nesting in b, counting no further than
// maxDepth+1, whether b is simple (see checkXMLDepth), and the name of an
// attribute a start tag holds twice ("" when none does).
func xmlDepth(b []byte) (deepest int, simple bool, dup string) {
	depth := 0
	simple = true
	for i := 0; i < len(b); {
		j := bytes.IndexByte(b[i:], '<')
		if j < 0 {
			break
		}
		i += j + 1
		rest := b[i:]
		switch {
		case len(rest) == 0:
			return deepest, simple, dup
		case rest[0] == '/':
			depth--
			i = skipPast(b, i, ">")
		case rest[0] == '?':
			i = skipPast(b, i, "?>")
		case bytes.HasPrefix(rest, []byte("!--")):
			i = skipPast(b, i+3, "-->")
		case bytes.HasPrefix(rest, []byte("![CDATA[")):
			i = skipPast(b, i, "]]>")
		case rest[0] == '!':
			return deepest, false, dup
		default:
			start := i
			var quote byte
			for ; i < len(b); i++ {
				c := b[i]
				if quote != 0 {
					if c == quote {
						quote = 0
					}
					continue
				}
				if c == '"' || c == '\'' {
					quote = c
				} else if c == '>' {
					break
				}
			}
			if depth < 2 && bytes.Contains(b[start:i], []byte("err")) {
				simple = false
			}
			if dup == "" {
				dup = dupAttr(b[start:min(i, len(b))])
			}
			if i >= len(b) {
				return deepest, simple, dup
			}
			// An empty-element tag is a start and an end to the decoder:
			// it reaches one level deeper without staying there.
			if depth+1 > deepest {
				deepest = depth + 1
				if deepest > maxDepth {
					return deepest, simple, dup
				}
			}
			if b[i-1] != '/' {
				depth++
			}
			i++
		}
	}
	return deepest, simple, dup
}

// dupAttr returns the name of an attribute the start tag tag (its bytes
// after "<", without the closing ">") holds twice, or "". It reads as the
// decoder does: the element name, then name=value pairs with the value in
// single or double quotes; anything else ends the reading (the decoder
// reports the malformed tag itself).
func dupAttr(tag []byte) string {
	if bytes.Count(tag, []byte("=")) < 2 {
		return ""
	}
	var seen [8][]byte
	names := seen[:0]
	i := 0
	for i < len(tag) && !isXMLSpace(tag[i]) && tag[i] != '/' {
		i++
	}
	for {
		for i < len(tag) && isXMLSpace(tag[i]) {
			i++
		}
		start := i
		for i < len(tag) && tag[i] != '=' && !isXMLSpace(tag[i]) && tag[i] != '/' {
			i++
		}
		name := tag[start:i]
		for i < len(tag) && isXMLSpace(tag[i]) {
			i++
		}
		if len(name) == 0 || i >= len(tag) || tag[i] != '=' {
			return ""
		}
		i++
		for i < len(tag) && isXMLSpace(tag[i]) {
			i++
		}
		if i >= len(tag) || (tag[i] != '"' && tag[i] != '\'') {
			return ""
		}
		end := bytes.IndexByte(tag[i+1:], tag[i])
		if end < 0 {
			return ""
		}
		i += end + 2
		for _, n := range names {
			if bytes.Equal(n, name) {
				return string(name)
			}
		}
		names = append(names, name)
	}
}

func isXMLSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

// xmlPathError returns err, which decoding body into v gave, with the path
// of the element that failed in front, below the root: each element named
// with its index among its same-named siblings, then the attribute
// ("providers[1].shortName[0].@id: cannot read ..."), the XML form of the
// JSON field paths of transport.JSONPathError. It decodes body a second
// time into a fresh value of v's type, following the elements, so the
// success path pays nothing; when it cannot tell, err is returned as it
// was.
func xmlPathError(body []byte, v any, err error) error {
	t := reflect.TypeOf(v)
	if t == nil || t.Kind() != reflect.Pointer {
		return err
	}
	tr := &xmlTracker{raw: plainXMLDecoder(body)}
	again := xml.NewTokenDecoder(tr).Decode(reflect.New(t.Elem()).Interface())
	if again == nil {
		return err
	}
	path := strings.Join(tr.stack[min(1, len(tr.stack)):], ".")
	var ae *attrError
	if !errors.As(again, &ae) {
		if path == "" {
			return err
		}
		return &xmlPathErr{path: path, sep: ": ", err: err}
	}
	if path == "" {
		return ae
	}
	return &xmlPathErr{path: path, sep: ".", err: ae}
}

// xmlPathErr is a decode error with the element path in front; sep is "."
// before an attribute's "@name: ..." and ": " before anything else.
type xmlPathErr struct {
	path, sep string
	err       error
}

func (e *xmlPathErr) Error() string { return bound.Cut(e.path, 200) + e.sep + e.err.Error() }
func (e *xmlPathErr) Unwrap() error { return e.err }

// xmlTracker feeds a decoder the tokens of a body and keeps the path of
// the element being read.
type xmlTracker struct {
	raw    *xml.Decoder
	stack  []string
	counts []map[string]int
}

// Token implements xml.TokenReader.
func (tr *xmlTracker) Token() (xml.Token, error) {
	tok, err := tr.raw.RawToken()
	switch t := tok.(type) {
	case xml.StartElement:
		depth := len(tr.stack)
		if depth > maxDepth {
			return nil, errTooDeep
		}
		for len(tr.counts) <= depth+1 {
			tr.counts = append(tr.counts, nil)
		}
		if tr.counts[depth] == nil {
			tr.counts[depth] = map[string]int{}
		}
		i := tr.counts[depth][t.Name.Local]
		tr.counts[depth][t.Name.Local]++
		tr.counts[depth+1] = nil
		tr.stack = append(tr.stack, bound.Cut(t.Name.Local, 40)+"["+strconv.Itoa(i)+"]")
	case xml.EndElement:
		if len(tr.stack) > 0 {
			tr.stack = tr.stack[:len(tr.stack)-1]
		}
	}
	return tok, err
}

// skipPast returns the index just past the first end at or after i, or
// len(b).
func skipPast(b []byte, i int, end string) int {
	k := bytes.Index(b[i:], []byte(end))
	if k < 0 {
		return len(b)
	}
	return i + k + len(end)
}

// scanXML reads a whole XML body for its errors and top-level names,
// without decoding it into anything.
func scanXML(body []byte) *xmlGuard {
	d, g := newXMLDecoder(body)
	for {
		if _, err := d.Token(); err != nil {
			return g
		}
		if g.depth == 0 {
			return g
		}
	}
}

// decodeBody decodes body, JSON or XML whichever it is, into v in one pass
// and returns the error the body reports, if any: an *APIError (Commvault
// answers errors with HTTP 200), or the decode failure. JSON envelopes
// (carriers) embed errFields to see the error shapes; for XML the guard
// reads them. With loose set, an error message without a code counts.
func decodeBody(body []byte, v any, loose bool) error {
	switch sniff(body) {
	case formatJSON:
		if err := answerKeys.Check(body); err != nil {
			return err
		}
		c, isCarrier := v.(carrier)
		if isCarrier {
			// Every answer is an object: an array would decode as nothing.
			if err := transport.ExpectJSON(body, '{'); err != nil {
				return err
			}
			// A replayed request decodes into the same envelope: the first
			// answer's error must not stick.
			*c.errorFields() = errFields{}
		}
		err := json.Unmarshal(body, v)
		if isCarrier && err == nil {
			entries, lists := c.errorFields().entries()
			if ae := apiError(entries, lists, loose); ae != nil {
				return ae
			}
			return nil
		}
		// The decode failed (or v sees no error shapes): the body may be an
		// error whose shape does not fit v.
		if ae := detectError(body, loose); ae != nil {
			return ae
		}
		// A failed decode says where: "providers[3].serviceType: ..."
		// (issue 21.4), found on the failure path only.
		return transport.JSONPathError(body, v, err)
	case formatXML:
		// The common answer, shallow and without an error attribute, is
		// decoded by one plain decoder; the token-level guard below (a
		// second decoder wrapped around the first) is for the rest.
		simple, err := checkXMLDepth(body)
		if err != nil {
			return err
		}
		if simple {
			if err := plainXMLDecoder(body).Decode(v); err != nil {
				return xmlPathError(body, v, err)
			}
			return nil
		}
		d, g := newXMLDecoder(body)
		err = d.Decode(v)
		if g.tooDeep {
			return errTooDeep
		}
		if err != nil {
			// The decode stopped early, maybe before the error element.
			g = scanXML(body)
			if g.tooDeep {
				return errTooDeep
			}
		}
		if ae := apiError(g.entries, g.lists, loose); ae != nil {
			return ae
		}
		if err != nil {
			return xmlPathError(body, v, err)
		}
		return nil
	}
	if len(bytes.TrimSpace(body)) == 0 {
		return errEmptyBody
	}
	if json.Valid(body) {
		// null, a string, a number: JSON, but no answer.
		return transport.ExpectJSON(body, '{')
	}
	return errNotJSONOrXML
}

// detectError looks for Commvault's error shapes in a body: flat
// {errorMessage, errorCode}, {error: {...}}, {response: {...}} or
// {response: [...]}, {errList: [...]}, and XML elements (App_GenericResp
// and the same names as attributes). It returns nil when the body carries
// no error. With loose set (a non-2xx answer), a message without a
// non-zero code counts too.
func detectError(body []byte, loose bool) *APIError {
	switch sniff(body) {
	case formatJSON:
		if transport.CheckJSONDepth(body) != nil {
			return nil
		}
		var f errFields
		if json.Unmarshal(body, &f) != nil {
			return nil
		}
		entries, lists := f.entries()
		return apiError(entries, lists, loose)
	case formatXML:
		g := scanXML(body)
		return apiError(g.entries, g.lists, loose)
	}
	return nil
}

// parseError fills an APIError from a non-2xx body: any error shape, or
// the first line of a plain-text body.
func parseError(e *APIError, body []byte) {
	if found := detectError(body, true); found != nil {
		e.Message = found.Message
		e.Code = found.Code
		e.Details = found.Details
		return
	}
	if sniff(body) == formatUnknown {
		line, _, _ := strings.Cut(strings.TrimSpace(string(body)), "\n")
		line = strings.TrimSpace(strings.ToValidUTF8(line, ""))
		if line != "" {
			e.Message = bound.Cut(line, 200)
		}
	}
}

// missing is the decode failure for a well-formed answer without the
// element the call wanted; it names what arrived instead, so a proxy's or
// another endpoint's answer is recognisable.
func missing(want string, body []byte) error {
	switch sniff(body) {
	case formatJSON:
		var m map[string]json.RawMessage
		if transport.CheckJSONDepth(body) == nil && json.Unmarshal(body, &m) == nil {
			if len(m) == 0 {
				return fmt.Errorf("no %s in the answer: it is an empty object", want)
			}
			keys := make([]string, 0, len(m))
			for k := range m {
				keys = append(keys, strconv.Quote(bound.Cut(k, 40)))
			}
			slices.Sort(keys)
			if len(keys) > 12 {
				keys = append(keys[:12], "…")
			}
			return fmt.Errorf("no %s in the answer; its keys are %s", want, strings.Join(keys, ", "))
		}
	case formatXML:
		g := scanXML(body)
		if len(g.names) > 0 {
			msg := fmt.Sprintf("no %s in the answer; its root element is <%s>", want, bound.Cut(g.names[0], 40))
			if len(g.names) > 1 {
				kids := make([]string, 0, len(g.names)-1)
				for _, n := range g.names[1:] {
					kids = append(kids, "<"+bound.Cut(n, 40)+">")
				}
				msg += " with " + strings.Join(kids, ", ")
			}
			return errors.New(msg)
		}
	}
	return fmt.Errorf("no %s in the answer", want)
}

// decoder adapts decodeBody to the transport, for success answers.
func decoder(v any) transport.Decoder {
	return func(_ *http.Response, body []byte) error { return decodeBody(body, v, false) }
}
