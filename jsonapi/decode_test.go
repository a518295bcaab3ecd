package jsonapi

import (
	"bytes"
	"encoding/json"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/orgsdk/orgsdk/internal/recording"
)

var testReqURL, _ = url.Parse("https://api.example.test/api/v2/organizations?per_page=2")

// TestDecodeRejectsBadDocuments lists shapes the one-pass decoder must
// refuse, each with the message the explaining walk gives.
func TestDecodeRejectsBadDocuments(t *testing.T) {
	t.Parallel()
	org := `{"id":"a","type":"organizations","attributes":{"name":"A"}}`
	for name, tc := range map[string]struct {
		body, says string
	}{
		"not json":              {`{`, "unexpected end"},
		"array top":             {`[]`, "not a JSON object"},
		"trailing garbage":      {`{"data":[]} x`, "invalid character"},
		"no data":               {`{"meta":{}}`, "no data member"},
		"data object":           {`{"data":` + org + `}`, "want an array"},
		"null element":          {`{"data":[null]}`, "data[0]: is null"},
		"numeric id":            {`{"data":[{"id":5,"type":"organizations"}]}`, "data[0].id: is a number"},
		"missing id":            {`{"data":[{"type":"organizations"}]}`, "data[0].id: is missing"},
		"empty id":              {`{"data":[{"id":"","type":"organizations"}]}`, "data[0].id: is empty"},
		"wrong type":            {`{"data":[{"id":"a","type":"people"}]}`, `type: is "people"`},
		"numeric type":          {`{"data":[{"id":"a","type":1}]}`, "data[0].type: is a number"},
		"attributes array":      {`{"data":[{"id":"a","type":"organizations","attributes":[]}]}`, "data[0].attributes: is an array"},
		"links string":          {`{"data":[{"id":"a","type":"organizations","links":"x"}]}`, "data[0].links: is a string"},
		"name number":           {`{"data":[{"id":"a","type":"organizations","attributes":{"name":5}}]}`, `attributes.name: is a number`},
		"oauth string":          {`{"data":[{"id":"a","type":"organizations","attributes":{"oauth":"yes"}}]}`, `attributes.oauth: is the string "yes", want a boolean`},
		"gift aid bool":         {`{"data":[{"id":"a","type":"organizations","attributes":{"gift_aid_percentage":true}}]}`, `data[0].attributes.gift_aid_percentage: is a boolean, want a decimal`},
		"gift aid object":       {`{"data":[{"id":"a","type":"organizations","attributes":{"gift_aid_percentage":{"v":1}}}]}`, `attributes.gift_aid_percentage: is an object, want a decimal`},
		"gift aid word":         {`{"data":[{"id":"a","type":"organizations","attributes":{"gift_aid_percentage":"lots"}}]}`, `attributes.gift_aid_percentage: is the string "lots", want a decimal`},
		"name case folded":      {`{"data":[{"id":"a","type":"organizations","attributes":{"NAME":5}}]}`, `attributes.name: is a number`},
		"relationship string":   {`{"data":[{"id":"a","type":"organizations","relationships":{"x":{"data":"y"}}}]}`, `data[0].relationships.x: relationship data is a string`},
		"relationship number":   {`{"data":[{"id":"a","type":"organizations","relationships":{"x":{"data":[1]}}}]}`, `relationships.x: resource identifier is a number`},
		"relationship no id":    {`{"data":[{"id":"a","type":"organizations","relationships":{"x":{"data":{"type":"users"}}}}]}`, `relationships.x: resource identifier has no id`},
		"relationship not obj":  {`{"data":[{"id":"a","type":"organizations","relationships":{"x":[]}}]}`, `relationships.x: is an array`},
		"id invalid utf8":       {"{\"data\":[{\"id\":\"a\xff\",\"type\":\"organizations\"}]}", "id is not valid UTF-8"},
		"id lone surrogate":     {`{"data":[{"id":"a\ud800","type":"organizations"}]}`, "id is not valid UTF-8"},
		"included bad utf8 id":  {"{\"data\":[],\"included\":[{\"id\":\"\xc3\",\"type\":\"users\"}]}", "included[0].id: id is not valid UTF-8"},
		"rel id bad utf8":       {"{\"data\":[{\"id\":\"a\",\"type\":\"organizations\",\"relationships\":{\"u\":{\"data\":{\"id\":\"\xff\",\"type\":\"users\"}}}}]}", "id is not valid UTF-8"},
		"link number":           {`{"data":[{"id":"a","type":"organizations","links":{"self":5}}]}`, "links.self: link is a number"},
		"top links next number": {`{"data":[],"links":{"next":5}}`, "links.next: link is a number"},
		"pagination bool":       {`{"data":[],"meta":{"pagination":{"page":true}}}`, "meta.pagination.page is a boolean"},
		"pagination array":      {`{"data":[],"meta":{"pagination":[]}}`, "meta.pagination is an array"},
		"nested deep":           {strings.Repeat("[", 100000) + strings.Repeat("]", 100000), "nested more than 256 levels"},
		"nested deep in meta":   {`{"data":[],"meta":{"x":` + strings.Repeat(`{"a":`, 20000) + "1" + strings.Repeat("}", 20000) + `}}`, "nested more than 256 levels"},
		"logo object":           {`{"data":[{"id":"a","type":"organizations","attributes":{"logo":{"url":"x"}}}]}`, `attributes.logo: is an object`},
		"bad time":              {`{"data":[{"id":"a","type":"organizations","attributes":{"created_at":"yesterday"}}]}`, `attributes.created_at: is the string "yesterday", want an RFC 3339 time`},
		"iso time without zone": {`{"data":[{"id":"a","type":"organizations","attributes":{"created_at":"2021-11-23T14:38:10"}}]}`, "want an RFC 3339 time"},
		"meta array":            {`{"data":[],"meta":[]}`, "meta is an array"},
		"included numeric id":   {`{"data":[],"included":[{"id":1,"type":"x"}]}`, "included[0].id: is a number"},
		"included object":       {`{"data":[],"included":{}}`, "included is an object"},
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			list, _, _, err := decodeList([]byte(tc.body), 200, testReqURL)
			require.Error(t, err)
			assert.Nil(t, list)
			assert.Contains(t, err.Error(), tc.says)
		})
	}
}

func TestDecodeAccepts(t *testing.T) {
	t.Parallel()
	body := `{"data":[{"id":"a","type":"organizations","attributes":{"name":"A","gift_aid_percentage":12.5,"oauth":true,"created_at":"2021-11-23T14:38:10.5+01:00","unknown":{"x":[1]}},"relationships":{"users":{"data":[{"id":"9","type":"users"}]}},"links":{"self":"/x"},"meta":{}}],"included":[{"id":"9","type":"users"}],"links":null,"meta":null}`
	list, next, _, err := decodeList([]byte(body), 200, testReqURL)
	require.NoError(t, err)
	assert.Empty(t, next)
	require.Len(t, list.Items, 1)
	o := list.Items[0]
	assert.Equal(t, "A", o.Name)
	assert.True(t, o.OAuth)
	assert.Equal(t, "12.5", o.GiftAidPercentage.String())
	assert.Equal(t, "9", o.Relationships["users"].Data.Many[0].ID)
	assert.Equal(t, "/x", o.Links["self"].Href)
	require.Len(t, list.Items, 1)
	assert.Equal(t, []Resource{{Type: "users", ID: "9"}}, list.Included)
	assert.True(t, o.CreatedAt.Equal(time.Date(2021, 11, 23, 13, 38, 10, 5e8, time.UTC)))

	// Attributes JSON:API reserves are ignored, not a reason to fail.
	list, _, _, err = decodeList([]byte(`{"data":[{"id":"a","type":"organizations","attributes":{"id":5,"links":"x","meta":1,"relationships":[],"name":"A"}}]}`), 200, testReqURL)
	require.NoError(t, err)
	assert.Equal(t, "a", list.Items[0].ID)
	assert.Nil(t, list.Items[0].Links)

	list, _, _, err = decodeList([]byte(`{"data":null}`), 200, testReqURL)
	require.NoError(t, err)
	assert.Empty(t, list.Items)

	_, _, _, err = decodeList([]byte(`{"meta":{}}`), 200, testReqURL)
	require.ErrorContains(t, err, "no data member")

	_, err = decodeOne([]byte(`{"data":null}`), 200)
	require.Error(t, err)
	_, err = decodeOne([]byte(`{"data":[]}`), 200)
	require.Error(t, err)
}

func TestPageLinkKeepsQuery(t *testing.T) {
	t.Parallel()
	u, _ := url.Parse("https://h/api/v2/organizations?filter%5Bname%5D=a+b&page=3&per_page=2&sort=-name")
	got := pageLink(Pagination{Page: 3, TotalPages: 5}, u)
	assert.Equal(t, "https://h/api/v2/organizations?filter%5Bname%5D=a+b&page=4&per_page=2&sort=-name", got)
	assert.Empty(t, pageLink(Pagination{Page: 5, TotalPages: 5}, u))
	assert.Empty(t, pageLink(Pagination{Page: 1, TotalPages: 5}, nil))
}

// TestDecimal: a number or a string holding one keeps its exact text;
// anything else is refused.
func TestDecimal(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		in, text string
		zero     bool
		f        float64
	}{
		{`"25.0"`, "25.0", false, 25},
		{`25`, "25", false, 25},
		{`"0.00"`, "0.00", true, 0},
		{`-0e5`, "-0e5", true, 0},
		{`"12.345678901234567890123"`, "12.345678901234567890123", false, 12.345678901234567},
		{`1E+2`, "1E+2", false, 100},
	} {
		var d Decimal
		require.NoError(t, json.Unmarshal([]byte(tc.in), &d), tc.in)
		assert.Equal(t, tc.text, d.String())
		assert.Equal(t, tc.zero, d.IsZero(), tc.in)
		f, err := d.Float64()
		require.NoError(t, err)
		assert.InDelta(t, tc.f, f, 1e-9)
		out, err := json.Marshal(d)
		require.NoError(t, err)
		assert.JSONEq(t, strconv.Quote(tc.text), string(out))
	}
	for _, in := range []string{`"25,0"`, `""`, `" 1"`, `"1."`, `"01"`, `"NaN"`, `"\u0032"`, `true`, `{}`, `[]`} {
		var d Decimal
		err := json.Unmarshal([]byte(in), &d)
		require.Error(t, err, in)
		assert.Contains(t, err.Error(), "Decimal", in)
	}
	var direct Decimal
	require.Error(t, direct.UnmarshalJSON([]byte(`"`)), "a lone quote called directly")
	require.NoError(t, direct.UnmarshalJSON([]byte(` 1.5 `)))
	assert.Equal(t, "1.5", direct.String())
	var d *Decimal
	require.NoError(t, json.Unmarshal([]byte(`null`), &d))
	assert.Nil(t, d)
	assert.True(t, Decimal{}.IsZero())
	out, _ := json.Marshal(Decimal{})
	assert.Equal(t, "null", string(out))
	_, err := ParseDecimal("1x")
	require.Error(t, err)
	p, err := ParseDecimal("-1.50")
	require.NoError(t, err)
	assert.Equal(t, "-1.50", p.String())
}

func fuzzSeeds(f *testing.F) {
	for _, dir := range []string{"../testdata/jsonapi"} {
		names, _ := filepath.Glob(filepath.Join(dir, "*.json"))
		for _, n := range names {
			if strings.HasSuffix(n, ".golden.json") {
				continue
			}
			if ex, err := recording.Load(n); err == nil {
				f.Add(ex.Response.Body())
				continue
			}
			if b, err := os.ReadFile(n); err == nil {
				f.Add(b)
			}
		}
	}
	f.Add([]byte(`{"data":[{"id":"a","type":"organizations","attributes":{"name":"A"}}],"links":{"next":{"href":"?page=2"}},"meta":{"pagination":{"page":"1","total_pages":"2"}}}`))
	f.Add([]byte(`{"data":[null]}`))
	f.Add([]byte(`{"data":[{"id":1,"type":"organizations"}]}`))
	f.Add([]byte(`{"errors":[{"status":429,"source":{"parameter":"sort"}}]}`))
}

// FuzzDecodeDocument: no input makes the document decoders panic, and a
// decoded list never holds a nil organization or one without an id.
func FuzzDecodeDocument(f *testing.F) {
	fuzzSeeds(f)
	f.Fuzz(func(t *testing.T, body []byte) {
		list, _, _, err := decodeList(body, 200, testReqURL)
		if err == nil {
			for _, o := range list.Items {
				if o == nil || o.ID == "" {
					t.Fatalf("decoded a bad organization from %q", body)
				}
			}
		}
		doc, err := decodeOne(body, 200)
		if err == nil && (doc == nil || doc.Organization == nil || doc.Organization.ID == "") {
			t.Fatalf("decoded a bad organization from %q", body)
		}
	})
}

// FuzzParseError: error bodies never panic and always leave a message.
func FuzzParseError(f *testing.F) {
	fuzzSeeds(f)
	f.Fuzz(func(t *testing.T, body []byte) {
		for _, status := range []int{400, 406, 415, 429} {
			e := &APIError{StatusCode: status, Message: "x"}
			parseError(e, body)
			if e.Message == "" {
				t.Fatalf("empty message for %q", body)
			}
			_ = e.Error()
		}
		_, _ = ParseErrors(body)
	})
}

// TestDecodeDeepBodyBounded: a body nested a million levels deep is
// refused by both decoders with a message, allocating a small fraction of
// its own size (encoding/json stops at its own limit before decoding; the
// explaining walk refuses it at 256 levels before allocating).
func TestDecodeDeepBodyBounded(t *testing.T) {
	for name, body := range map[string]string{
		"objects": strings.Repeat(`{"data":`, 1<<20) + "null" + strings.Repeat("}", 1<<20),
		"arrays":  `{"data":[` + strings.Repeat("[", 1<<20) + strings.Repeat("]", 1<<20) + `]}`,
		"in meta": `{"data":[],"meta":{"x":` + strings.Repeat("[", 1<<20) + strings.Repeat("]", 1<<20) + `}}`,
	} {
		t.Run(name, func(t *testing.T) {
			var before, after runtime.MemStats
			runtime.GC()
			runtime.ReadMemStats(&before)
			_, _, _, errList := decodeList([]byte(body), 200, testReqURL)
			_, errOne := decodeOne([]byte(body), 200)
			runtime.ReadMemStats(&after)
			require.Error(t, errList)
			require.Error(t, errOne)
			assert.Contains(t, errList.Error(), "nested more than 256 levels")
			assert.Contains(t, errOne.Error(), "nested more than 256 levels")
			// []byte(body) twice is the test's own share.
			assert.Less(t, after.TotalAlloc-before.TotalAlloc, uint64(3*len(body)), "allocated %d bytes for a %d-byte body", after.TotalAlloc-before.TotalAlloc, len(body))
		})
	}
}

// FuzzDecodeAccount: no input makes the organization account decoders
// panic, a decoded account always has an id, and the password attribute a
// hostile server echoes is never decoded into it (the account type has no
// place for it, so its JSON form never holds "password").
func FuzzDecodeAccount(f *testing.F) {
	fuzzSeeds(f)
	f.Add([]byte(`{"data":{"id":"a1","type":"organization_accounts","attributes":{"username":"u","password":"hunter2","updated_in_db_at":"2024-01-01T00:00:00Z"},"relationships":{"organization":{"data":{"id":"o1","type":"organizations"}}}},"included":[{"id":"o1","type":"organizations","attributes":{"name":"Cru"}}]}`))
	f.Add([]byte(`{"data":[{"id":"a1","type":"organization_accounts","attributes":{"password":"hunter2"}}],"meta":{"pagination":{"page":1,"per_page":25,"total_count":1,"total_pages":1}}}`))
	f.Fuzz(func(t *testing.T, body []byte) {
		check := func(a *OrganizationAccount) {
			if a == nil || a.ID == "" {
				t.Fatalf("decoded a bad account from %q", body)
			}
			if out, err := json.Marshal(a); err == nil && bytes.Contains(out, []byte(`"password"`)) {
				t.Fatalf("a decoded account holds a password: %s", out)
			}
		}
		if list, _, _, err := decodeAccountList(body, 200, testReqURL); err == nil {
			for _, a := range list.Items {
				check(a)
			}
		}
		if a, _, err := decodeAccount(body, 200); err == nil {
			check(a)
		}
	})
}

// TestAccountListDecodeErrorsNameThePath: the family's rule holds for the
// accounts collection too (it said "organization account list: json:
// cannot unmarshal ..." without saying where).
func TestAccountListDecodeErrorsNameThePath(t *testing.T) {
	t.Parallel()
	cases := map[string]struct{ body, want string }{
		"attribute": {`{"data":[{"id":"a","type":"organization_accounts"},{"id":"b","type":"organization_accounts","attributes":{"username":5}}]}`,
			"data[1].attributes.username: "},
		"type": {`{"data":[{"id":"a","type":"organizations"}]}`, `data[0].type: is "organizations", want "organization_accounts"`},
		"id":   {`{"data":[{"id":"","type":"organization_accounts"}]}`, "data[0].id: is missing or empty"},
	}
	for name, tc := range cases {
		_, _, _, err := decodeAccountList([]byte(tc.body), 200, testReqURL)
		require.Error(t, err, name)
		assert.Contains(t, err.Error(), tc.want, name)
	}
}
