package transport

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var testKeys = NewKeySet("id", "url", "name", "data", "providers", "shortName", "sKey", "organizationInfo")

func TestKeySetCheck(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, body string
		dup        string // "" means accepted
	}{
		{"distinct keys", `{"id":1,"name":"a","url":"u"}`, ""},
		{"id twice", `{"id":1,"name":"a","id":2}`, "id"},
		{"url twice", `{"url":"/orgs/1/","url":"/orgs/2/"}`, "url"},
		{"in any case", `{"id":1,"ID":2}`, "id"},
		{"escaped", `{"id":1,"\u0069\u0064":2}`, "id"},
		{"escaped and long", `{"name":1,"\u006e\u0061\u006d\u0065":2}`, "name"},
		{"long s folds to s", `{"shortName":1,"ſhortName":2}`, "shortName"},
		{"Kelvin sign folds to k", `{"sKey":1,"sKey":2}`, "sKey"},
		{"escaped Kelvin sign", `{"sKey":1,"s\u212aey":2}`, "sKey"},
		{"nested object", `{"data":[{"id":"a"},{"id":"b","id":"c"}]}`, "id"},
		{"top-level envelope", `{"data":[],"links":{},"data":null}`, "data"},
		{"same key in sibling objects", `[{"id":1},{"id":1}]`, ""},
		{"same key at two depths", `{"id":1,"parent":{"id":2,"name":"p"},"name":"o"}`, ""},
		{"after a nested object", `{"parent":{"id":2},"id":1,"x":{"y":[1,{"z":3}]},"id":4}`, "id"},
		{"key-like strings in values", `{"id":"id","name":["id","id"],"url":"\"id\":"}`, ""},
		{"escaped quotes in keys", `{"i\"d":1,"i\"d":2,"id":3}`, ""},
		{"other keys may repeat", `{"x":1,"x":2}`, ""},
		{"backslash run before a quote", `{"a\\":1,"id":1,"id":2}`, "id"},
		{"a key longer than any watched one", `{"providersproviders":1,"providersproviders":2}`, ""},
		{"a long key spelled in escapes", `{"organizationInfo":1,"` + strings.Repeat(`\u006f`, 1) + `rganizationInf\u006f":2}`, "organizationInfo"},
		{"a long key all in escapes", `{"organizationInfo":1,"` + escapeAll("organizationInfo") + `":2}`, "organizationInfo"},
		{"long values with escaped quotes", `{"id":"` + strings.Repeat(`x\"\\`, 40) + `","name":"` + strings.Repeat("é", 50) + `","id":2}`, "id"},
		{"a long key that only looks like one", `{"id":1,"` + strings.Repeat("i", 70) + `":2,"` + strings.Repeat("\\", 40) + `":3}`, ""},
		{"not JSON", `{"id":1,"id"`, "id"},
		{"unterminated string", `{"id":1,"id`, ""},
		{"closing too much", `}}]]{"id":1,"id":2}`, "id"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := testKeys.Check([]byte(tt.body))
			if tt.dup == "" {
				assert.NoError(t, err)
				return
			}
			var de *DuplicateKeyError
			require.ErrorAs(t, err, &de)
			assert.Equal(t, tt.dup, de.Key)
			assert.Contains(t, err.Error(), `key "`+tt.dup+`" appears twice in one JSON object`)
			if ref, ok := referenceDuplicate(testKeys, []byte(tt.body)); ok {
				assert.Equal(t, ref, tt.dup, "the reference agrees")
			}
		})
	}
}

func escapeAll(s string) string {
	var b strings.Builder
	for _, r := range s {
		fmt.Fprintf(&b, `\u%04x`, r)
	}
	return b.String()
}

func TestKeySetCheckDepth(t *testing.T) {
	t.Parallel()
	deep := []byte(strings.Repeat(`{"a":`, MaxDepth+1) + "1" + strings.Repeat("}", MaxDepth+1))
	assert.ErrorIs(t, testKeys.Check(deep), ErrTooDeep)
	ok := []byte(strings.Repeat(`[`, MaxDepth) + strings.Repeat("]", MaxDepth))
	assert.NoError(t, testKeys.Check(ok))
}

func TestNewKeySetKeepsOnlyUsableKeys(t *testing.T) {
	t.Parallel()
	many := make([]string, 70)
	for i := range many {
		many[i] = strings.Repeat("k", i+1)
	}
	assert.Len(t, NewKeySet(many...).Keys(), 64, "one bit per key in a uint64")
	assert.Equal(t, []string{"id"}, NewKeySet("", "ïd", "id").Keys())
}

func TestKeySetCheckAllocatesNothing(t *testing.T) {
	body := []byte(`{"data":[{"id":"a","name":"A","attributes":{"x":[1,2,{"y":"z"}]}}],"links":{"next":"/p?page=2"}}`)
	allocs := testing.AllocsPerRun(100, func() {
		if err := testKeys.Check(body); err != nil {
			t.Fatal(err)
		}
	})
	assert.Zero(t, allocs)
}

// referenceDuplicate is the slow, obviously right check: encoding/json's
// own tokenizer, keys compared as encoding/json compares struct field names
// (strings.EqualFold after unescaping). It reports the first watched key
// met a second time in one object, and whether it found one; it only
// speaks for valid JSON.
func referenceDuplicate(ks *KeySet, body []byte) (string, bool) {
	type frame struct {
		obj     bool
		wantKey bool
		seen    map[string]bool
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	var stack []*frame
	// value marks the end of a value inside the innermost container.
	value := func() {
		if n := len(stack); n > 0 && stack[n-1].obj {
			stack[n-1].wantKey = true
		}
	}
	for {
		tok, err := dec.Token()
		if err != nil {
			return "", false
		}
		top := (*frame)(nil)
		if len(stack) > 0 {
			top = stack[len(stack)-1]
		}
		switch v := tok.(type) {
		case json.Delim:
			switch v {
			case '{', '[':
				stack = append(stack, &frame{obj: v == '{', wantKey: v == '{', seen: map[string]bool{}})
			case '}', ']':
				stack = stack[:len(stack)-1]
				value()
			}
			continue
		case string:
			if top != nil && top.obj && top.wantKey {
				top.wantKey = false
				for _, k := range ks.keys {
					if strings.EqualFold(v, k) {
						if top.seen[k] {
							return k, true
						}
						top.seen[k] = true
						break
					}
				}
				continue
			}
		}
		value()
		if len(stack) == 0 {
			_, err := dec.Token()
			if errors.Is(err, io.EOF) {
				return "", false
			}
		}
	}
}

// FuzzKeySetCheck holds the byte scanner to the reference on every valid
// JSON body (nesting within MaxDepth), and to "never panics" on any bytes.
func FuzzKeySetCheck(f *testing.F) {
	for _, seed := range []string{
		`{"id":1,"id":2}`, `{"ID":1,"id":2}`, `{"\u0069d":1,"id":2}`, `{"ſhortName":1,"shortname":2}`,
		`[{"id":1},{"id":1}]`, `{"a":{"id":1},"id":1}`, `{"a\\":"\\\"","id":[{"id":1,"id":2}]}`,
		`{"data":null,"errors":[],"data":[]}`, `"id"`, `{"name":"x","url":"y","providers":[]}`,
		`{"sKey":1,"SKEY":2}`, "{\"i\xffd\":1,\"id\":2}", `{"id":1,"i\u0000d":2}`,
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		err := testKeys.Check(body)
		if !json.Valid(body) {
			return
		}
		if errors.Is(err, ErrTooDeep) {
			return
		}
		require.NoError(t, CheckJSONDepth(body), "the depth checks agree")
		ref, found := referenceDuplicate(testKeys, body)
		var de *DuplicateKeyError
		if !found {
			require.NoError(t, err, "%q", body)
			return
		}
		require.ErrorAs(t, err, &de, "%q has %q twice", body, ref)
		require.Equal(t, ref, de.Key, "%q", body)
	})
}

// BenchmarkKeySetCheck compares the duplicate-key scan with the depth scan
// it replaces on a decoder's path, over a 100-organization page.
func BenchmarkKeySetCheck(b *testing.B) {
	var sb strings.Builder
	sb.WriteString(`{"data":[`)
	for i := range 100 {
		if i > 0 {
			sb.WriteByte(',')
		}
		sb.WriteString(`{"type":"organizations","id":"0b0f7c0e-8f1e-4b51-9a3c-6d1f2c3b4a5d","attributes":{"abbreviation":null,"code":"CCC","country":"United States","created_at":"2018-01-01T00:00:00Z","default_currency_code":"USD","gift_aid_percentage":"25.0","logo":null,"name":"Cru - USA","oauth":false,"updated_at":"2018-01-01T00:00:00Z","updated_in_db_at":"2018-01-01T00:00:00Z"}}`)
	}
	sb.WriteString(`],"meta":{"pagination":{"page":1,"per_page":100,"total_count":100,"total_pages":1}}}`)
	body := []byte(sb.String())
	// The keys jsonapi watches, many of them four bytes long like the
	// attribute names they are compared with.
	keys := NewKeySet("data", "errors", "included", "links", "meta", "jsonapi",
		"type", "id", "attributes", "relationships", "name",
		"next", "href", "pagination", "page", "per_page", "total_pages", "total_count")
	b.Run("KeySet.Check", func(b *testing.B) {
		b.SetBytes(int64(len(body)))
		for b.Loop() {
			if err := keys.Check(body); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("CheckJSONDepth", func(b *testing.B) {
		b.SetBytes(int64(len(body)))
		for b.Loop() {
			if err := CheckJSONDepth(body); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("json.Unmarshal", func(b *testing.B) {
		b.SetBytes(int64(len(body)))
		for b.Loop() {
			var v struct {
				Data []struct {
					ID         string         `json:"id"`
					Attributes map[string]any `json:"attributes"`
				} `json:"data"`
			}
			if err := json.Unmarshal(body, &v); err != nil {
				b.Fatal(err)
			}
		}
	})
}
