package jsonapi

import (
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"time"

	"github.com/orgsdk/orgsdk/internal/bound"
	"github.com/orgsdk/orgsdk/internal/transport"
)

// This file runs only for a body the one-pass decoder refused: it walks
// the document member by member to say what was wrong and where, in the
// family's form, the path first ("data[3].attributes.created_at: is the
// string "yesterday", want an RFC 3339 time (id "x")"). Its cost does not matter; its bounds do: it refuses a body
// nested deeper than transport.MaxDepth before decoding anything, and every
// name or value it quotes from the body is cut (bound.Cut), so a 1 MiB
// type or id makes a short message.

// rawDocument is the top level of a JSON:API document with every member
// raw.
type rawDocument struct {
	Data     json.RawMessage `json:"data"`
	Included json.RawMessage `json:"included"`
	Links    json.RawMessage `json:"links"`
	Meta     json.RawMessage `json:"meta"`
	Errors   json.RawMessage `json:"errors"`
}

// rawNode is a resource object with every member raw.
type rawNode struct {
	Type          json.RawMessage `json:"type"`
	ID            json.RawMessage `json:"id"`
	Attributes    json.RawMessage `json:"attributes"`
	Relationships json.RawMessage `json:"relationships"`
	Links         json.RawMessage `json:"links"`
	Meta          json.RawMessage `json:"meta"`
}

// orgAttr is one attribute of Organization: its wire name, Go type and
// what a valid value looks like.
type orgAttr struct {
	name string
	typ  reflect.Type
	want string
}

// orgAttrList is read from Organization's jsonapi tags, so a new attribute
// is explained without editing this file.
var orgAttrList = func() []orgAttr {
	var out []orgAttr
	t := reflect.TypeFor[Organization]()
	for i := range t.NumField() {
		f := t.Field(i)
		kind, rest, _ := strings.Cut(f.Tag.Get("jsonapi"), ",")
		if kind != "attr" {
			continue
		}
		name, _, _ := strings.Cut(rest, ",")
		a := orgAttr{name: name, typ: f.Type}
		switch base := f.Type; {
		case base == reflect.TypeFor[time.Time]():
			a.want = "an RFC 3339 time"
		case base == reflect.TypeFor[*Decimal]():
			a.want = "a decimal number (a JSON number or a string holding one)"
		case base.Kind() == reflect.Bool:
			a.want = "a boolean"
		default:
			a.want = "a string"
		}
		out = append(out, a)
	}
	return out
}()

// explainList says why a list body failed, or returns fallback (the
// one-pass decoder's error, or a generic one) when the walk finds nothing.
func explainList(body []byte, fallback error) error {
	if err := checkDocument(body, true); err != nil {
		return err
	}
	return fallbackError(fallback)
}

// explainOne is explainList for a single-resource document.
func explainOne(body []byte, fallback error) error {
	if err := checkDocument(body, false); err != nil {
		return err
	}
	return fallbackError(fallback)
}

func fallbackError(err error) error {
	var te *json.UnmarshalTypeError
	switch {
	case err == nil:
		return errors.New("malformed JSON:API document")
	case errors.As(err, &te) && te.Field != "":
		return fmt.Errorf("%s is %s, which the document shape does not allow", bound.Cut(te.Field, bound.Field), bound.Cut(te.Value, bound.Field))
	}
	return err
}

// checkDocument walks a document; it returns nil for a valid one (a list
// with null data included).
func checkDocument(body []byte, list bool) error {
	if err := transport.CheckJSONDepth(body); err != nil {
		return err
	}
	if jsonKind(body) != '{' {
		return errors.New("document is not a JSON object")
	}
	var doc rawDocument
	if err := json.Unmarshal(body, &doc); err != nil {
		return err
	}
	switch k := jsonKind(doc.Data); {
	case k == 0:
		return errors.New("document has no data member")
	case list && k == 'n':
	case list && k == '[':
		var items []json.RawMessage
		if err := json.Unmarshal(doc.Data, &items); err != nil {
			return fmt.Errorf("data: %w", err)
		}
		for i, n := range items {
			if err := checkNode(n, fmt.Sprintf("data[%d]", i), resourceType); err != nil {
				return err
			}
		}
	case list:
		return fmt.Errorf("data is %s, want an array of resources", kindName(k))
	case k == '{':
		if err := checkNode(doc.Data, "data", resourceType); err != nil {
			return err
		}
	default:
		return fmt.Errorf("data is %s, want a resource object", kindName(k))
	}
	if err := checkLinks(doc.Links, "links"); err != nil {
		return err
	}
	if !optional(doc.Meta, '{') {
		return fmt.Errorf("meta is %s, want an object", kindName(jsonKind(doc.Meta)))
	}
	if list && jsonKind(doc.Meta) == '{' {
		if err := checkPagination(doc.Meta); err != nil {
			return err
		}
	}
	if !optional(doc.Included, '[') {
		return fmt.Errorf("included is %s, want an array", kindName(jsonKind(doc.Included)))
	}
	if jsonKind(doc.Included) == '[' {
		var inc []json.RawMessage
		if err := json.Unmarshal(doc.Included, &inc); err != nil {
			return fmt.Errorf("included: %w", err)
		}
		for i, n := range inc {
			if err := checkNode(n, fmt.Sprintf("included[%d]", i), ""); err != nil {
				return err
			}
		}
	}
	return nil
}

func checkPagination(meta json.RawMessage) error {
	var m struct {
		Pagination json.RawMessage `json:"pagination"`
	}
	if err := json.Unmarshal(meta, &m); err != nil {
		return fmt.Errorf("meta: %w", err)
	}
	if !optional(m.Pagination, '{') {
		return fmt.Errorf("meta.pagination is %s, want an object", kindName(jsonKind(m.Pagination)))
	}
	if jsonKind(m.Pagination) != '{' {
		return nil
	}
	var fields map[string]json.RawMessage
	if err := json.Unmarshal(m.Pagination, &fields); err != nil {
		return fmt.Errorf("meta.pagination: %w", err)
	}
	for _, name := range sortedKeys(fields) {
		var v flexInt
		if err := v.UnmarshalJSON(fields[name]); err != nil {
			return fmt.Errorf("meta.pagination.%s %w", bound.Cut(name, 64), err)
		}
	}
	return nil
}

func checkLinks(raw json.RawMessage, where string) error {
	if !optional(raw, '{') {
		return fmt.Errorf("%s: is %s, want an object", where, kindName(jsonKind(raw)))
	}
	if jsonKind(raw) != '{' {
		return nil
	}
	var links map[string]json.RawMessage
	if err := json.Unmarshal(raw, &links); err != nil {
		return fmt.Errorf("%s: %w", where, err)
	}
	for _, name := range sortedKeys(links) {
		var l Link
		if err := l.UnmarshalJSON(links[name]); err != nil {
			return fmt.Errorf("%s.%s: %w", where, bound.Cut(name, 64), err)
		}
	}
	return nil
}

// checkNode walks one resource object; wantType "" accepts any type
// (included resources).
func checkNode(raw json.RawMessage, where, wantType string) error {
	if jsonKind(raw) != '{' {
		return fmt.Errorf("%s: is %s, want a resource object", where, kindName(jsonKind(raw)))
	}
	var n rawNode
	if err := json.Unmarshal(raw, &n); err != nil {
		return fmt.Errorf("%s: %w", where, err)
	}
	var typ string
	if jsonKind(n.Type) != '"' || json.Unmarshal(n.Type, &typ) != nil {
		return fmt.Errorf("%s.type: is %s, want a string", where, kindName(jsonKind(n.Type)))
	}
	if typ == "" || (wantType != "" && typ != wantType) {
		return fmt.Errorf("%s.type: is %q, want %q", where, bound.Cut(typ, 64), cmp.Or(wantType, "a resource type"))
	}
	if jsonKind(n.ID) != '"' {
		return fmt.Errorf("%s.id: is %s, want a string", where, kindName(jsonKind(n.ID)))
	}
	var id wireID
	if err := id.UnmarshalJSON(n.ID); err != nil {
		return fmt.Errorf("%s.id: %w", where, err)
	}
	if id == "" {
		return fmt.Errorf("%s.id: is empty", where)
	}
	// Every error below names the resource too, after the path: the
	// family's form is "path: what is wrong", and the id tells which
	// organization of the page it is.
	ofID := fmt.Sprintf(" (id %q)", bound.Cut(string(id), 64))
	for _, m := range []struct {
		name string
		raw  json.RawMessage
	}{{"attributes", n.Attributes}, {"relationships", n.Relationships}, {"meta", n.Meta}} {
		if !optional(m.raw, '{') {
			return fmt.Errorf("%s.%s: is %s, want an object%s", where, m.name, kindName(jsonKind(m.raw)), ofID)
		}
	}
	if err := checkLinks(n.Links, where+".links"); err != nil {
		return err
	}
	if jsonKind(n.Relationships) == '{' {
		var rels map[string]json.RawMessage
		if err := json.Unmarshal(n.Relationships, &rels); err != nil {
			return fmt.Errorf("%s.relationships: %w%s", where, err, ofID)
		}
		for _, name := range sortedKeys(rels) {
			if jsonKind(rels[name]) != '{' {
				return fmt.Errorf("%s.relationships.%s: is %s, want a relationship object%s", where, bound.Cut(name, 64), kindName(jsonKind(rels[name])), ofID)
			}
			var r Relationship
			if err := json.Unmarshal(rels[name], &r); err != nil {
				return fmt.Errorf("%s.relationships.%s: %w%s", where, bound.Cut(name, 64), err, ofID)
			}
		}
	}
	if wantType == "" || jsonKind(n.Attributes) != '{' {
		return nil
	}
	var attrs map[string]json.RawMessage
	if err := json.Unmarshal(n.Attributes, &attrs); err != nil {
		return fmt.Errorf("%s.attributes: %w%s", where, err, ofID)
	}
	for _, key := range sortedKeys(attrs) {
		for _, a := range orgAttrList {
			// encoding/json matches member names ignoring case; so does
			// this walk, or it would miss what the decoder refused.
			if !strings.EqualFold(key, a.name) {
				continue
			}
			v := attrs[key]
			if json.Unmarshal(v, reflect.New(a.typ).Interface()) != nil {
				return fmt.Errorf("%s.attributes.%s: is %s, want %s%s", where, a.name, describe(v), a.want, ofID)
			}
		}
	}
	return nil
}

// describe names a JSON value's kind, quoting a short string so a bad
// timestamp or decimal is visible in the message.
func describe(v json.RawMessage) string {
	if jsonKind(v) == '"' {
		var s string
		if json.Unmarshal(v, &s) == nil {
			return fmt.Sprintf("the string %q", bound.Cut(s, 40))
		}
	}
	return kindName(jsonKind(v))
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// jsonKind classifies a raw JSON value by its first byte: '{', '[', '"',
// 'n' (null), 'b' (bool), '0' (number), or 0 when absent.
func jsonKind(raw []byte) byte {
	for len(raw) > 0 && (raw[0] == ' ' || raw[0] == '\t' || raw[0] == '\n' || raw[0] == '\r') {
		raw = raw[1:]
	}
	if len(raw) == 0 {
		return 0
	}
	switch c := raw[0]; c {
	case '{', '[', '"', 'n':
		return c
	case 't', 'f':
		return 'b'
	}
	return '0'
}

func kindName(k byte) string {
	switch k {
	case '{':
		return "an object"
	case '[':
		return "an array"
	case '"':
		return "a string"
	case 'n':
		return "null"
	case 'b':
		return "a boolean"
	case '0':
		return "a number"
	}
	return "missing"
}

// optional reports whether raw is absent, null, or of kind want.
func optional(raw json.RawMessage, want byte) bool {
	k := jsonKind(raw)
	return k == 0 || k == 'n' || k == want
}
