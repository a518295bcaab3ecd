package transport

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

type pathInner struct {
	Name  string    `json:"name"`
	Count int       `json:"count"`
	At    time.Time `json:"at"`
}

type pathPublic struct {
	ID    int64      `json:"id"`
	Inner *pathInner `json:"inner"`
	Kept  string     `json:"kept"`
	Over  string     `json:"over"`
}

// pathWire embeds the public type and overrides one of its fields, as a
// decoder's wire type does.
type pathWire struct {
	pathPublic
	Over json.RawMessage `json:"over"`
}

// pathWrapped holds a value whose UnmarshalJSON names a path of its own.
type pathWrapped struct {
	Results pathResults `json:"results"`
}

type pathResults []pathPublic

func (r *pathResults) UnmarshalJSON(b []byte) error {
	var items []pathPublic
	if err := json.Unmarshal(b, &items); err != nil {
		return JSONPathError(b, &items, err)
	}
	for i, it := range items {
		if it.ID == 0 {
			return AtPath("["+string(rune('0'+i))+"]", errors.New("no id"))
		}
	}
	*r = items
	return nil
}

func TestJSONPathError(t *testing.T) {
	t.Parallel()
	decode := func(body string, v any) error {
		err := json.Unmarshal([]byte(body), v)
		require.Error(t, err, body)
		return JSONPathError([]byte(body), v, err)
	}
	cases := []struct {
		name, body, path string
		v                func() any
	}{
		{"top field", `{"id":"x"}`, "id: ", func() any { return &pathPublic{} }},
		{"nested", `{"id":1,"inner":{"count":"many"}}`, "inner.count: ", func() any { return &pathPublic{} }},
		{"a time", `{"inner":{"at":""}}`, "inner.at: ", func() any { return &pathPublic{} }},
		{"array element", `[{"id":1},{"id":2,"inner":{"name":3}}]`, "[1].inner.name: ", func() any { return &[]*pathPublic{} }},
		{"promoted from an embedded struct", `{"kept":5}`, "kept: ", func() any { return &pathWire{} }},
		{"case-insensitive keys", `{"KEPT":5}`, "KEPT: ", func() any { return &pathWire{} }},
		{"a nested decoder's path continues", `{"results":[{"id":1},{"id":"y"}]}`, "results[1].id: ", func() any { return &pathWrapped{} }},
		{"a nested decoder's own fault", `{"results":[{"id":1},{"id":0}]}`, "results[1]: no id", func() any { return &pathWrapped{} }},
	}
	for _, tc := range cases {
		err := decode(tc.body, tc.v())
		assert.True(t, strings.HasPrefix(err.Error(), tc.path), "%s: %v", tc.name, err)
	}
	// The overriding field shadows the promoted one: a raw value takes
	// anything, so the error is not blamed on it.
	var w pathWire
	require.NoError(t, json.Unmarshal([]byte(`{"over":{"x":1}}`), &w))
	// Unwrap reaches encoding/json's own error.
	var typeErr *json.UnmarshalTypeError
	assert.ErrorAs(t, decode(`{"id":"x"}`, &pathPublic{}), &typeErr)
	// What it cannot place is returned as it was.
	syntax := decode(`{"id":`, &pathPublic{})
	assert.NotContains(t, syntax.Error(), "id: ")
	assert.Nil(t, JSONPathError(nil, &pathPublic{}, nil))
	assert.Nil(t, AtPath("x", nil))
	assert.Equal(t, "a.b: boom", AtPath("a", AtPath("b", errors.New("boom"))).Error())
}
