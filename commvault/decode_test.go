package commvault

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"errors"
	"io"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/orgsdk/orgsdk/internal/recording"
	"github.com/orgsdk/orgsdk/internal/transport"
)

func TestLenientScalars(t *testing.T) {
	t.Parallel()
	type rec struct {
		F Flag        `json:"f"`
		N Int         `json:"n"`
		S PlanSubtype `json:"s"`
		T Text        `json:"t"`
	}
	for _, tc := range []struct {
		in   string
		want rec
	}{
		{`{"f":true,"n":6,"s":33554437,"t":"Active"}`, rec{true, 6, PlanSubtypeServer, "Active"}},
		{`{"f":1,"n":"6","s":"33554439","t":1}`, rec{true, 6, PlanSubtypeLaptop, "1"}},
		{`{"f":"","n":"","s":"","t":null}`, rec{}},
		{`{"f":"0","n":6.0,"s":1}`, rec{false, 6, PlanSubtypeEDiscovery, ""}},
		{`{"f":"true","n":4328650366975}`, rec{F: true, N: 4328650366975}},
		{`{"f":null,"n":null}`, rec{}},
	} {
		var got rec
		require.NoError(t, json.Unmarshal([]byte(tc.in), &got), tc.in)
		assert.Equal(t, tc.want, got, tc.in)
	}
	for _, bad := range []string{`{"f":"maybe"}`, `{"n":"six"}`, `{"n":6.5}`, `{"t":{}}`, `{"s":[1]}`} {
		var got rec
		assert.Error(t, json.Unmarshal([]byte(bad), &got), bad)
	}
	assert.Equal(t, "VSA Replication", PlanSubtypeVSAReplication.String())
	assert.Equal(t, "42", PlanSubtype(42).String())
	assert.False(t, PlanSubtype(42).Known())
	assert.True(t, PlanSubtypeDataClassification.Known())
}

func TestXMLLenientAndRootless(t *testing.T) {
	t.Parallel()
	// organizationInfo as the root itself, flags as "", "1" and "true".
	body := `<organizationInfo>
	  <organization connectName="n" enabled="true" bTrustedHostUser="" bLogin="1"><shortName domainName="n" id="12"/></organization>
	  <organizationProperties orgCreationDateTime="1507659390"><defaultPlans subtype="100859907"><plan planName="p" planId="3"/></defaultPlans></organizationProperties>
	</organizationInfo>`
	var env infoEnvelope
	require.NoError(t, decodeBody([]byte(body), &env, false))
	info := env.Info.result()
	assert.Equal(t, 12, info.Organization.ID)
	assert.True(t, bool(info.Organization.Enabled))
	assert.True(t, bool(info.Organization.LoginEnabled))
	assert.Equal(t, int64(1507659390), info.Properties.CreatedAt.Unix())
	require.Len(t, info.Properties.DefaultPlans, 1)
	assert.Equal(t, PlanSubtypeExchangeUser, info.Properties.DefaultPlans[0].Subtype)

	var bad infoEnvelope
	assert.Error(t, decodeBody([]byte(`<?xml version="1.0" encoding="UTF-16"?><r/>`), &bad, false))
	assert.Error(t, decodeBody([]byte(`<r><organizationInfo><organization port="x"/></organizationInfo></r>`), &bad, false))
}

// TestOrganizationID: every decode of an organization, the SDK's own (List,
// Get, DefaultPlan) and a caller's (json.Unmarshal, xml.Unmarshal, Do),
// copies shortName.id to ID; a stray JSON "id" member changes nothing, and
// an organization without shortName keeps ID 0 (as ID() gave).
func TestOrganizationID(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name, json, xml string
		want            int
	}{
		{"id", `{"connectName":"a","shortName":{"domainName":"a","id":6}}`, `<organization connectName="a"><shortName domainName="a" id="6"/></organization>`, 6},
		{"id as string", `{"shortName":{"id":"16"}}`, `<organization><shortName id="16"/></organization>`, 16},
		{"stray id", `{"id":"x","shortName":{"id":7}}`, `<organization id="x"><shortName id="7"/></organization>`, 7},
		{"stray numeric id", `{"id":99,"shortName":{"id":7}}`, `<organization id="99"><shortName id="7"/></organization>`, 7},
		{"no shortName", `{"connectName":"a"}`, `<organization connectName="a"/>`, 0},
	} {
		var viaJSON, viaXML Organization
		require.NoError(t, json.Unmarshal([]byte(tc.json), &viaJSON), tc.name)
		require.NoError(t, xml.Unmarshal([]byte(tc.xml), &viaXML), tc.name)
		assert.Equal(t, tc.want, viaJSON.ID, tc.name)
		assert.Equal(t, tc.want, viaXML.ID, tc.name)

		var list listEnvelope
		require.NoError(t, decodeBody([]byte(`{"providers":[`+tc.json+`]}`), &list, false), tc.name)
		assert.Equal(t, tc.want, list.Providers[0].result().ID, tc.name)
		list = listEnvelope{}
		asProvider := strings.NewReplacer("<organization", "<providers", "</organization>", "</providers>").Replace(tc.xml)
		require.NoError(t, decodeBody([]byte(`<r>`+asProvider+`</r>`), &list, false), tc.name)
		assert.Equal(t, tc.want, list.Providers[0].result().ID, tc.name)
		var info infoEnvelope
		require.NoError(t, decodeBody([]byte(`{"organizationInfo":{"organization":`+tc.json+`}}`), &info, false), tc.name)
		assert.Equal(t, tc.want, info.Info.result().Organization.ID, tc.name)
		info = infoEnvelope{}
		require.NoError(t, decodeBody([]byte(`<organizationInfo>`+tc.xml+`</organizationInfo>`), &info, false), tc.name)
		assert.Equal(t, tc.want, info.Info.result().Organization.ID, tc.name)

		// The JSON form writes ID, and reads back the same value.
		out, err := json.Marshal(&viaJSON)
		require.NoError(t, err)
		var again Organization
		require.NoError(t, json.Unmarshal(out, &again))
		assert.Equal(t, viaJSON, again, tc.name)
	}
}

func TestDetectErrorLoose(t *testing.T) {
	t.Parallel()
	// A 401's body: code 5 is an error either way.
	ae := detectError([]byte(`{"errorMessage":"Access denied","errorCode":5}`), false)
	require.NotNil(t, ae)
	assert.Equal(t, "5", ae.Code)
	// A message with a zero code counts only on a non-2xx answer.
	assert.Nil(t, detectError([]byte(`{"errorMessage":"odd","errorCode":0}`), false))
	ae = detectError([]byte(`{"errorMessage":"odd","errorCode":0}`), true)
	require.NotNil(t, ae)
	assert.Equal(t, "odd", ae.Message)
	assert.Nil(t, detectError([]byte(`not a body`), true))
	assert.Nil(t, detectError([]byte(`[1,2]`), false))
	ae = detectError([]byte(`{"errorCode":2}`), false)
	require.NotNil(t, ae)
	assert.Equal(t, "request failed", ae.Message)
}

// fuzzSeeds returns every recorded body under testdata plus some edge
// cases.
func fuzzSeeds(f *testing.F) [][]byte {
	f.Helper()
	var out [][]byte
	for _, dir := range []string{"json", "xml", "errors"} {
		exs, err := recording.LoadDir(filepath.Join("..", "testdata", "commvault", dir))
		if err != nil {
			f.Fatal(err)
		}
		for _, ex := range exs {
			out = append(out, ex.Response.Body())
		}
	}
	return append(out,
		[]byte(`{"response":[{"errorCode":"2","errorString":"x"}]}`),
		[]byte(`{"errList":[{"errLogMessage":"locked","errorCode":1116}],"isAccountLocked":1,"remainingLockTime":"60"}`),
		[]byte(`<R><error errorMessage="m" errorCode="NO_ERROR"/></R>`),
		[]byte(`{"providers":[{"shortName":{"id":"6"},"enabled":"","port":"1e2"}]}`),
		[]byte(``), []byte(`<`), []byte(`{`))
}

func FuzzDecodeJSON(f *testing.F) {
	for _, s := range fuzzSeeds(f) {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		var l listEnvelope
		var i infoEnvelope
		var w loginWire
		_ = json.Unmarshal(data, &l)
		_ = json.Unmarshal(data, &i)
		_ = json.Unmarshal(data, &w)
		_ = decodeBody(data, &i, false)
		_ = decodeBody(data, &l, true)
	})
}

func FuzzDecodeXML(f *testing.F) {
	for _, s := range fuzzSeeds(f) {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		var l listEnvelope
		var i infoEnvelope
		var w loginWire
		for _, v := range []any{&l, &i, &w} {
			d, _ := newXMLDecoder(data)
			_ = d.Decode(v)
		}
		_ = decodeLogin(data, &w, &transport.Secrets{})
	})
}

func FuzzDetectError(f *testing.F) {
	for _, s := range fuzzSeeds(f) {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, loose := range []bool{false, true} {
			ae := detectError(data, loose)
			if ae == nil {
				continue
			}
			if ae.Message == "" {
				t.Fatalf("error without a message for %q", data)
			}
			if !loose && ae.Code == "" {
				t.Fatalf("strict detection without a code for %q", data)
			}
			_ = ae.Error()
		}
		var e APIError
		parseError(&e, data)
	})
}

// TestDecodeDeepBody: the SDK's own decoding of a body nested a million
// levels deep stops at maxDepth and allocates almost nothing beyond the
// body (it used to walk every level, twice for XML).
func TestDecodeDeepBody(t *testing.T) {
	const depth = 1 << 20
	for name, body := range map[string][]byte{
		"xml":          append(bytes.Repeat([]byte("<a>"), depth), bytes.Repeat([]byte("</a>"), depth)...),
		"xml in info":  append([]byte("<r><organizationInfo><organization>"), bytes.Repeat([]byte("<tppm>"), depth)...),
		"json arrays":  append([]byte(`{"organizationInfo":`), bytes.Repeat([]byte("["), depth)...),
		"json objects": bytes.Repeat([]byte(`{"organizationInfo":`), depth),
	} {
		t.Run(name, func(t *testing.T) {
			for _, loose := range []bool{false, true} {
				var env infoEnvelope
				allocs := testing.AllocsPerRun(2, func() {
					err := decodeBody(body, &env, loose)
					require.ErrorIs(t, err, errTooDeep)
					assert.Nil(t, detectError(body, loose))
					var e APIError
					parseError(&e, body)
					require.Error(t, missing("organizationInfo", body))
				})
				assert.Less(t, allocs, float64(40*maxDepth), "allocations must not grow with the depth past maxDepth")
				var before, after runtime.MemStats
				runtime.GC()
				runtime.ReadMemStats(&before)
				_ = decodeBody(body, &env, loose)
				runtime.ReadMemStats(&after)
				assert.Less(t, after.TotalAlloc-before.TotalAlloc, uint64(1<<20), "bytes allocated")
			}
		})
	}
}

// The fast paths of Int and Flag (issue 12) must read every value the
// general path reads, the same way.
func TestLenientFastPathsAgree(t *testing.T) {
	t.Parallel()
	for _, in := range []string{"0", "-0", "6", "-42", "33554437", "123456789012345678", "-123456789012345678", "1234567890123456789", "9223372036854775807", "-9223372036854775808"} {
		want, err := parseInt(in)
		require.NoError(t, err, in)
		var got Int
		require.NoError(t, json.Unmarshal([]byte(in), &got), in)
		assert.Equal(t, Int(want), got, in)
	}
	for _, in := range []string{"-", "", "1-", "--1", "1e3", "6.0"} {
		_, ok := transport.ParseInt([]byte(in))
		assert.False(t, ok, in)
	}
	for in, want := range map[string]Flag{"true": true, "1": true, `"1"`: true, `"true"`: true, `"yes"`: true, "2": true, "false": false, "0": false, `""`: false, `"0"`: false, `"false"`: false, "null": false} {
		var got Flag
		require.NoError(t, json.Unmarshal([]byte(in), &got), in)
		assert.Equal(t, want, got, in)
	}
}

// FuzzParseIntAgrees checks the allocation-free integer path against
// commvault's general one on any input.
func FuzzParseIntAgrees(f *testing.F) {
	for _, s := range []string{"0", "-1", "33554437", "123456789012345678", "1e3", " 1", "-"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		v, ok := transport.ParseInt([]byte(s))
		if !ok {
			return
		}
		want, err := parseInt(s)
		if err != nil || want != v {
			t.Fatalf("transport.ParseInt(%q) = %d, parseInt = %d, %v", s, v, want, err)
		}
	})
}

// tokenDepth is the deepest nesting the decoder reaches in b before it
// stops, and whether it read b to the end without an error.
func tokenDepth(b []byte) (deepest int, complete bool) {
	d := plainXMLDecoder(b)
	depth := 0
	for {
		tok, err := d.RawToken()
		if err != nil {
			return deepest, errors.Is(err, io.EOF)
		}
		switch tok.(type) {
		case xml.StartElement:
			depth++
			deepest = max(deepest, depth)
			if deepest > maxDepth {
				return deepest, false
			}
		case xml.EndElement:
			depth--
		}
	}
}

// The byte-level depth check (issue 12) stands in for the token-level
// guard: it must never count less than the decoder reaches (or a deep body
// would get through), and on a body the decoder reads whole it must count
// exactly (or a valid body would be refused).
func TestXMLDepthMatchesDecoder(t *testing.T) {
	t.Parallel()
	for _, body := range []string{
		`<a/>`, `<a><b/></a>`, `<a x="1>2" y='/'><b z="</c>"/></a>`,
		`<?xml version="1.0"?><!-- <x><y> --><a><![CDATA[<b><c>]]><d></d></a>`,
		`<a><?pi <b>?><c/></a>`, strings.Repeat("<a>", maxDepth+1) + strings.Repeat("</a>", maxDepth+1),
		strings.Repeat("<a>", maxDepth) + strings.Repeat("</a>", maxDepth),
		`<a><b`, `<a x="<b>">`, `<a></b></c><d><e/>`,
		`<r errorCode="5" errorMessage="denied"/>`, `<r><error errorCode="1"/></r>`, `<r><response errorString="x"/></r>`,
	} {
		checkXMLDepthAgainstDecoder(t, []byte(body))
	}
}

func checkXMLDepthAgainstDecoder(t *testing.T, b []byte) {
	t.Helper()
	got, simple, dup := xmlDepth(b)
	checkDupAgainstDecoder(t, b, dup)
	if !simple {
		return
	}
	// A simple body skips the guard that reads error attributes: the guard
	// must find none in it.
	if g := scanXML(b); len(g.entries) > 0 {
		t.Fatalf("xmlDepth(%.80q) calls it simple, the guard finds %d error entries", b, len(g.entries))
	}
	want, complete := tokenDepth(b)
	if got < min(want, maxDepth+1) {
		t.Fatalf("xmlDepth(%.80q) = %d, the decoder reaches %d", b, got, want)
	}
	if complete && got != want {
		t.Fatalf("xmlDepth(%.80q) = %d, the decoder reads it whole at depth %d", b, got, want)
	}
}

func FuzzXMLDepth(f *testing.F) {
	for _, s := range []string{`<a><b x="1>2"/></a>`, `<!-- <a> --><b/>`, `<r><errList errLogMessage="m"/></r>`, `<a><![CDATA[<x>]]></a>`, `<?p <a>?><a/>`, `<a x='"'><b/></a>`} {
		f.Add([]byte(s))
	}
	f.Fuzz(checkXMLDepthAgainstDecoder)
}

// checkDupAgainstDecoder holds dupAttr to encoding/xml's reading: when the
// decoder reads b whole, the scanner names a repeated attribute exactly
// when some start element the decoder returns has one.
func checkDupAgainstDecoder(t *testing.T, b []byte, dup string) {
	t.Helper()
	d := plainXMLDecoder(b)
	want := ""
	for {
		tok, err := d.RawToken()
		if err != nil {
			if err != io.EOF {
				return // malformed: the decoder's own error comes first
			}
			break
		}
		if se, ok := tok.(xml.StartElement); ok && want == "" {
			seen := map[string]bool{}
			for _, a := range se.Attr {
				n := a.Name.Local
				if a.Name.Space != "" {
					n = a.Name.Space + ":" + n
				}
				if seen[n] {
					want = n
					break
				}
				seen[n] = true
			}
		}
	}
	if (dup == "") != (want == "") {
		t.Fatalf("xmlDepth(%.80q) names the repeated attribute %q, the decoder sees %q", b, dup, want)
	}
}

// TestXMLDuplicateAttributeRefused: an element holding an attribute twice
// is a DecodeError, not the last value silently (issue 19's duplicate-key
// rule, for XML).
func TestXMLDuplicateAttributeRefused(t *testing.T) {
	t.Parallel()
	cases := map[string]struct {
		body string
		dup  string
	}{
		"name twice":          {`<r><providers connectName="a" connectName="b"><shortName domainName="x" id="1"/></providers></r>`, "connectName"},
		"id twice":            {`<r><providers connectName="a"><shortName id="1" domainName="x" id="2"/></providers></r>`, "id"},
		"error code twice":    {`<App_GenericResp errorCode="0" errorMessage="" errorCode="2"/>`, "errorCode"},
		"single quotes":       {`<r><providers connectName='a' description="d" connectName='b'/></r>`, "connectName"},
		"same name, other ns": {`<r xmlns:a="u" xmlns:b="v"><providers a:x="1" b:x="2" connectName="c"><shortName id="1"/></providers></r>`, ""},
		"an = inside a value": {`<r><providers connectName="a=b" description="c=d"><shortName id="1"/></providers></r>`, ""},
	}
	for name, tc := range cases {
		_, _, dup := xmlDepth([]byte(tc.body))
		assert.Equal(t, tc.dup, dup, name)
		var env listEnvelope
		err := decodeBody([]byte(tc.body), &env, false)
		if tc.dup == "" {
			assert.NoError(t, err, name)
			continue
		}
		require.Error(t, err, name)
		assert.Contains(t, err.Error(), `holds the attribute "`+tc.dup+`" twice`, name)
	}
}
