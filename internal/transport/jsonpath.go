package transport

import (
	"encoding/json"
	"fmt"
	"reflect"
	"sort"
	"strings"
)

// JSONPathError returns err, which decoding data into v gave, with the
// path of the value that failed in front: "[3].created_at: ...", the
// family's rule for a DecodeError (jsonapi's explain.go does the same for
// JSON:API documents). It re-decodes data piece by piece along v's type
// to find the first value that fails; when it cannot tell (a syntax
// error, a type it does not walk) err is returned as it was.
func JSONPathError(data []byte, v any, err error) error {
	if err == nil {
		return nil
	}
	t := reflect.TypeOf(v)
	if t == nil || t.Kind() != reflect.Pointer {
		return err
	}
	path, inner := findPath(data, t.Elem(), 0)
	if path == "" || inner == nil {
		return err
	}
	return &pathError{path: strings.TrimPrefix(path, "."), err: inner}
}

type pathError struct {
	path string
	err  error
}

func (e *pathError) Error() string { return e.path + ": " + e.err.Error() }
func (e *pathError) Unwrap() error { return e.err }

var unmarshalerType = reflect.TypeFor[json.Unmarshaler]()

// maxPathDepth bounds the walk; answers are depth-checked before decoding.
const maxPathDepth = 64

// findPath decodes data as t and, if that fails, returns the path below
// data of the first failing value and its error.
func findPath(data []byte, t reflect.Type, depth int) (string, error) {
	if err := json.Unmarshal(data, reflect.New(t).Interface()); err == nil {
		return "", nil
	} else if depth > maxPathDepth || reflect.PointerTo(t).Implements(unmarshalerType) && t.Kind() != reflect.Pointer {
		return "", err
	}
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	fail := func() (string, error) {
		return "", json.Unmarshal(data, reflect.New(t).Interface())
	}
	switch t.Kind() {
	case reflect.Slice, reflect.Array:
		var items []json.RawMessage
		if json.Unmarshal(data, &items) != nil {
			return fail()
		}
		for i, item := range items {
			if p, err := findPath(item, t.Elem(), depth+1); err != nil {
				return fmt.Sprintf("[%d]", i) + p, err
			}
		}
	case reflect.Struct:
		var obj map[string]json.RawMessage
		if json.Unmarshal(data, &obj) != nil {
			return fail()
		}
		fields := jsonFields(t)
		keys := make([]string, 0, len(obj))
		for k := range obj {
			keys = append(keys, k)
		}
		sort.Strings(keys) // the same path for the same body, every time
		for _, key := range keys {
			raw := obj[key]
			ft, ok := fields[strings.ToLower(key)]
			if !ok {
				continue
			}
			if p, err := findPath(raw, ft, depth+1); err != nil {
				return "." + key + p, err
			}
		}
	}
	return fail()
}

// jsonFields maps the lower-cased JSON key of each exported field of t
// (encoding/json matches keys case-insensitively) to its type. The fields
// of an embedded struct without a JSON name are promoted, as encoding/json
// promotes them, even when its type is unexported (a decoder's wire struct
// that embeds the model through an alias), and a field of the outer struct
// hides a promoted one of the same key.
func jsonFields(t reflect.Type) map[string]reflect.Type {
	out := map[string]reflect.Type{}
	addJSONFields(t, out, 0)
	return out
}

// maxEmbedDepth bounds the promotion of embedded structs.
const maxEmbedDepth = 8

func addJSONFields(t reflect.Type, out map[string]reflect.Type, depth int) {
	var embedded []reflect.Type
	for i := range t.NumField() {
		f := t.Field(i)
		name := ""
		if tag, ok := f.Tag.Lookup("json"); ok {
			n, _, _ := strings.Cut(tag, ",")
			if n == "-" {
				continue
			}
			name = n
		}
		if f.Anonymous && name == "" {
			ft := f.Type
			if ft.Kind() == reflect.Pointer {
				ft = ft.Elem()
			}
			if ft.Kind() == reflect.Struct {
				embedded = append(embedded, ft)
				continue
			}
		}
		if !f.IsExported() {
			continue
		}
		if name == "" {
			name = f.Name
		}
		if _, hidden := out[strings.ToLower(name)]; !hidden {
			out[strings.ToLower(name)] = f.Type
		}
	}
	if depth >= maxEmbedDepth {
		return
	}
	for _, e := range embedded {
		addJSONFields(e, out, depth+1)
	}
}
