package transport

import (
	"encoding/json"
	"errors"
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
	// A value whose own UnmarshalJSON named a path below it (a decoder
	// built on this one) continues this path: "results" and "[3].url"
	// read "results[3].url".
	var below *pathError
	if errors.As(inner, &below) && below == inner {
		return AtPath(path, below)
	}
	return &pathError{path: strings.TrimPrefix(path, "."), err: inner}
}

// AtPath returns err as the error of the value at path ("[3]",
// "payment_plan.price"), for a decoder that finds a fault JSON does not
// (an organization without a url) and names where, as JSONPathError
// does. An err that names a path itself continues path.
func AtPath(path string, err error) error {
	if err == nil {
		return nil
	}
	var below *pathError
	if errors.As(err, &below) && below == err {
		sep := "."
		if strings.HasPrefix(below.path, "[") {
			sep = ""
		}
		return &pathError{path: strings.TrimPrefix(path+sep+below.path, "."), err: below.err}
	}
	return &pathError{path: strings.TrimPrefix(path, "."), err: err}
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
// of an embedded struct without a JSON name are promoted, as
// encoding/json does, and a field of t shadows a promoted one of the same
// name (the wire types of a decoder that embed the public type and
// override some of its fields).
func jsonFields(t reflect.Type) map[string]reflect.Type {
	return jsonFieldsDepth(t, 0)
}

func jsonFieldsDepth(t reflect.Type, depth int) map[string]reflect.Type {
	out := map[string]reflect.Type{}
	direct := map[string]reflect.Type{}
	for i := range t.NumField() {
		f := t.Field(i)
		name := f.Name
		tagged := false
		if tag, ok := f.Tag.Lookup("json"); ok {
			n, _, _ := strings.Cut(tag, ",")
			if n == "-" {
				continue
			}
			if n != "" {
				name, tagged = n, true
			}
		}
		if f.Anonymous && !tagged {
			et := f.Type
			if et.Kind() == reflect.Pointer {
				et = et.Elem()
			}
			if et.Kind() == reflect.Struct && depth < maxPathDepth {
				for k, v := range jsonFieldsDepth(et, depth+1) {
					if _, taken := out[k]; !taken {
						out[k] = v
					}
				}
				continue
			}
		}
		if !f.IsExported() {
			continue
		}
		direct[strings.ToLower(name)] = f.Type
	}
	for k, v := range direct {
		out[k] = v
	}
	return out
}
