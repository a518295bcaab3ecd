package rservice

import (
	"encoding/json"
	"net/http"
	"net/url"
	"os"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func relsOf(links []link) map[string]string {
	out := map[string]string{}
	for _, l := range links {
		for _, r := range l.Rels {
			if _, ok := out[r]; !ok {
				out[r] = l.URL
			}
		}
	}
	return out
}

func TestParseLinks(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name  string
		lines []string
		want  map[string]string
	}{
		{"single", []string{`<https://a.example/v1/organizations?page=2>; rel="next"`},
			map[string]string{"next": "https://a.example/v1/organizations?page=2"}},
		{"comma inside URL, no space separator", []string{`<https://a.example/v1/o?fields=id,name&per_page=2>; rel="first",<https://a.example/v1/o?fields=id,name&search_after=a,b,3>; rel="next"`},
			map[string]string{"first": "https://a.example/v1/o?fields=id,name&per_page=2", "next": "https://a.example/v1/o?fields=id,name&search_after=a,b,3"}},
		{"comma and space separator", []string{`<https://a.example/1>; rel="prev", <https://a.example/3>; rel="next"`},
			map[string]string{"prev": "https://a.example/1", "next": "https://a.example/3"}},
		{"several header lines", []string{`<https://a.example/1>; rel="first"`, `<https://a.example/2?x=1,2>; rel="next"`},
			map[string]string{"first": "https://a.example/1", "next": "https://a.example/2?x=1,2"}},
		{"bare rel", []string{`<https://a.example/2>; rel=next`}, map[string]string{"next": "https://a.example/2"}},
		{"upper-case rel and spaces around =", []string{`<https://a.example/2> ; REL = "Next"`}, map[string]string{"next": "https://a.example/2"}},
		{"several rels in one", []string{`<https://a.example/2>; rel="next last"`}, map[string]string{"next": "https://a.example/2", "last": "https://a.example/2"}},
		{"other params, quoted comma and semicolon", []string{`<https://a.example/1>; title="a, b; c"; rel="prev", <https://a.example/2>; rel="next"`},
			map[string]string{"prev": "https://a.example/1", "next": "https://a.example/2"}},
		{"escaped quote in title", []string{`<https://a.example/1>; title="say \"hi\", ok"; rel=prev,<https://a.example/2>;rel=next`},
			map[string]string{"prev": "https://a.example/1", "next": "https://a.example/2"}},
		{"relative", []string{`</v1/organizations?fields=id,name&page=2>; rel="next"`}, map[string]string{"next": "/v1/organizations?fields=id,name&page=2"}},
		{"missing comma between entries", []string{`<https://a.example/1>; rel="prev" <https://a.example/2>; rel="next"`},
			map[string]string{"prev": "https://a.example/1", "next": "https://a.example/2"}},
		{"single-quoted rel", []string{`<https://a.example/2>; rel='next'`}, map[string]string{"next": "https://a.example/2"}},
		{"no rel", []string{`<https://a.example/2>`}, map[string]string{}},
		{"empty", []string{""}, map[string]string{}},
		{"garbage", []string{`next, "<", ;;;,,`}, map[string]string{}},
		{"unterminated", []string{`<https://a.example/2; rel="next"`}, map[string]string{}},
		// RFC 8288 §3.3: a rel repeated in one link-value counts only the
		// first time, so this link is first, never next.
		{"repeated rel uses the first", []string{`<https://a.example/1>; rel=first; rel=next`},
			map[string]string{"first": "https://a.example/1"}},
		{"repeated rel quoted, mixed case", []string{`<https://a.example/1>; REL="first prev"; rel="next"`},
			map[string]string{"first": "https://a.example/1", "prev": "https://a.example/1"}},
		{"repeated rel then a real next", []string{`<https://a.example/1>; rel=first; rel=next, <https://a.example/2>; rel=next`},
			map[string]string{"first": "https://a.example/1", "next": "https://a.example/2"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			h := http.Header{"Link": tc.lines}
			assert.Equal(t, tc.want, relsOf(parseLinks(h)))
		})
	}
}

// TestParseLinksRubySDKCases runs the official 4me Ruby SDK's Link cases.
func TestParseLinksRubySDKCases(t *testing.T) {
	t.Parallel()
	data, err := os.ReadFile("../testdata/rservice/vectors/link_header_cases.sdk-ruby-spec.json")
	require.NoError(t, err)
	var file struct {
		Cases []struct {
			Name    string            `json:"name"`
			Headers map[string]string `json:"headers"`
			Expect  map[string]any    `json:"expect"`
		} `json:"cases"`
	}
	require.NoError(t, json.Unmarshal(data, &file))
	require.Len(t, file.Cases, 3)
	for _, tc := range file.Cases {
		t.Run(tc.Name, func(t *testing.T) {
			h := http.Header{}
			for k, v := range tc.Headers {
				h.Set(k, v)
			}
			rels := relsOf(parseLinks(h))
			for _, rel := range []string{"first", "next", "last"} {
				want, ok := tc.Expect[rel]
				if !ok {
					continue
				}
				if want == nil {
					assert.NotContains(t, rels, rel)
					continue
				}
				assert.Equal(t, want, rels[rel], rel)
			}
			base, _ := url.Parse("https://api.4me.com/v1/people")
			if want, ok := tc.Expect["next"].(string); ok {
				assert.Equal(t, want, nextLink(h, base))
			} else {
				assert.Empty(t, nextLink(h, base))
			}
			if _, ok := tc.Expect["per_page"]; ok {
				l := newOrganizationList(nil, h)
				assert.Equal(t, &OrganizationList{Total: 5, PerPage: 3, CurrentPage: 1, TotalPages: 2}, l)
			}
			// Relative forms, as the Ruby SDK tests them.
			for _, rel := range []string{"first", "next"} {
				want, ok := tc.Expect[rel+"_relative"].(string)
				if !ok {
					continue
				}
				line := strings.ReplaceAll(tc.Headers["Link"], "https://api.4me.com", "")
				assert.Equal(t, want, relsOf(parseLinks(http.Header{"Link": {line}}))[rel])
			}
		})
	}
}

func TestNextLinkResolvesRelativeAndKeepsQuery(t *testing.T) {
	t.Parallel()
	base, _ := url.Parse("https://api.example/v1/organizations/enabled?per_page=2")
	cases := []struct{ link, want string }{
		{`<https://api.example/v1/organizations?fields=id,name&search_after=W%20N%2C%20F,50>; rel="next"`, "https://api.example/v1/organizations?fields=id,name&search_after=W%20N%2C%20F,50"},
		{`</v1/organizations?fields=id,name&search_after=a,b>; rel="next"`, "https://api.example/v1/organizations?fields=id,name&search_after=a,b"},
		{`<?search_after=x,1&fields=id%2Cname>; rel="next"`, "https://api.example/v1/organizations/enabled?search_after=x,1&fields=id%2Cname"},
		{`<disabled?a=1,2>; rel="next"`, "https://api.example/v1/organizations/disabled?a=1,2"},
		{`<https://api.example/v1/organizations?page=1>; rel="first"`, ""},
		{`<https://api.example/v1/organizations?page=1>; rel=first; rel=next`, ""},
	}
	for _, tc := range cases {
		assert.Equal(t, tc.want, nextLink(http.Header{"Link": {tc.link}}, base), tc.link)
	}
}

func FuzzParseLinks(f *testing.F) {
	f.Add(`<https://api.4me.com/v1/people?page=1&per_page=3&fields=id,name>; rel="first",<https://api.4me.com/v1/people?fields=id%2Cname&page=2&per_page=3>; rel="next", <https://api.4me.com/v1/people?page=2&per_page=3>; rel="last"`)
	f.Add(`</v1/organizations?x=1,2>; rel=next`)
	f.Add(`<a>; title="x\"y, z"; rel="prev next"`)
	f.Add(`<<>>;;=,"`)
	base, _ := url.Parse("https://api.example/v1/organizations")
	f.Fuzz(func(t *testing.T, s string) {
		h := http.Header{"Link": {s, s}}
		links := parseLinks(h)
		for _, l := range links {
			if strings.ContainsAny(l.URL, "<>") {
				t.Fatalf("URL %q holds angle brackets", l.URL)
			}
		}
		_ = nextLink(h, base)
	})
}

func TestParseLinksNonCanonicalKey(t *testing.T) {
	t.Parallel()
	h := http.Header{"Link": {`<https://a.example/1>; rel="first"`}, "link": {`<https://a.example/2>; rel="next"`}}
	assert.Equal(t, map[string]string{"first": "https://a.example/1", "next": "https://a.example/2"}, relsOf(parseLinks(h)))
}
