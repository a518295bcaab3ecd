package jsonapi

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	gjsonapi "github.com/google/jsonapi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/orgsdk/orgsdk/internal/recording"
)

var testReqURL, _ = url.Parse("https://api.example.test/api/v2/organizations?per_page=2")

// TestDecodeRejectsBadDocuments lists shapes google/jsonapi would panic on,
// misread, or reject with a message that names nothing.
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
		"null element":          {`{"data":[null]}`, "data[0] is null"},
		"numeric id":            {`{"data":[{"id":5,"type":"organizations"}]}`, "id is a number"},
		"missing id":            {`{"data":[{"type":"organizations"}]}`, "id is missing"},
		"empty id":              {`{"data":[{"id":"","type":"organizations"}]}`, "id is empty"},
		"wrong type":            {`{"data":[{"id":"a","type":"people"}]}`, `type is "people"`},
		"numeric type":          {`{"data":[{"id":"a","type":1}]}`, "type is a number"},
		"attributes array":      {`{"data":[{"id":"a","type":"organizations","attributes":[]}]}`, "attributes is an array"},
		"links string":          {`{"data":[{"id":"a","type":"organizations","links":"x"}]}`, "links is a string"},
		"client-id number":      {`{"data":[{"id":"a","type":"organizations","client-id":1}]}`, "client-id is a number"},
		"name number":           {`{"data":[{"id":"a","type":"organizations","attributes":{"name":5}}]}`, `attribute "name" is a number`},
		"oauth string":          {`{"data":[{"id":"a","type":"organizations","attributes":{"oauth":"yes"}}]}`, `attribute "oauth" is a string`},
		"gift aid string":       {`{"data":[{"id":"a","type":"organizations","attributes":{"gift_aid_percentage":"25.0"}}]}`, `attribute "gift_aid_percentage" is a string`},
		"logo object":           {`{"data":[{"id":"a","type":"organizations","attributes":{"logo":{"url":"x"}}}]}`, `attribute "logo" is an object`},
		"bad time":              {`{"data":[{"id":"a","type":"organizations","attributes":{"created_at":"yesterday"}}]}`, "RFC3339"},
		"iso time without zone": {`{"data":[{"id":"a","type":"organizations","attributes":{"created_at":"2021-11-23T14:38:10"}}]}`, "RFC3339"},
		"huge number":           {`{"data":[{"id":"a","type":"organizations","attributes":{"gift_aid_percentage":1e999}}]}`, "google/jsonapi"},
		"meta array":            {`{"data":[],"meta":[]}`, "meta is an array"},
		"included numeric id":   {`{"data":[],"included":[{"id":1,"type":"x"}]}`, "included[0]: id is a number"},
		"included object":       {`{"data":[],"included":{}}`, "included is an object"},
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			list, _, err := decodeList([]byte(tc.body), 200, testReqURL)
			require.Error(t, err)
			assert.Nil(t, list)
			assert.Contains(t, err.Error(), tc.says)
		})
	}
}

func TestDecodeAccepts(t *testing.T) {
	t.Parallel()
	body := `{"data":[{"id":"a","type":"organizations","attributes":{"name":"A","gift_aid_percentage":12.5,"oauth":true,"created_at":"2021-11-23T14:38:10.5+01:00","unknown":{"x":[1]}},"relationships":{"users":{"data":[{"id":9,"type":"users"}]}},"links":{"self":"/x"},"meta":{}}],"included":[{"id":"9","type":"users"}],"links":null,"meta":null}`
	list, next, err := decodeList([]byte(body), 200, testReqURL)
	require.NoError(t, err)
	assert.Empty(t, next)
	require.Len(t, list.Items, 1)
	o := list.Items[0]
	assert.Equal(t, "A", o.Name)
	assert.True(t, o.OAuth)
	assert.InDelta(t, 12.5, *o.GiftAidPercentage, 0)
	assert.True(t, o.CreatedAt.Equal(time.Date(2021, 11, 23, 13, 38, 10, 5e8, time.UTC)))

	list, _, err = decodeList([]byte(`{"data":null}`), 200, testReqURL)
	require.NoError(t, err)
	assert.Empty(t, list.Items)

	_, err = decodeOne([]byte(`{"data":null}`), 200)
	require.Error(t, err)
	_, err = decodeOne([]byte(`{"data":[]}`), 200)
	require.Error(t, err)
}

func TestPageCursorKeepsQuery(t *testing.T) {
	t.Parallel()
	u, _ := url.Parse("https://h/api/v2/organizations?filter%5Bname%5D=a+b&page=3&per_page=2&sort=-name")
	got := pageCursor(Pagination{Page: 3, TotalPages: 5}, u)
	assert.Equal(t, "/api/v2/organizations?filter%5Bname%5D=a+b&page=4&per_page=2&sort=-name", got)
	assert.Empty(t, pageCursor(Pagination{Page: 5, TotalPages: 5}, u))
	assert.Empty(t, pageCursor(Pagination{Page: 1, TotalPages: 5}, nil))
}

func fuzzSeeds(f *testing.F) {
	for _, dir := range []string{"../testdata/jsonapi", "../../shared/fixtures/jsonapi"} {
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
		list, _, err := decodeList(body, 200, testReqURL)
		if err == nil {
			for _, o := range list.Items {
				if o == nil || o.ID == "" {
					t.Fatalf("decoded a bad organization from %q", body)
				}
			}
		}
		org, err := decodeOne(body, 200)
		if err == nil && (org == nil || org.ID == "") {
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

// plainOrganization is the same model for encoding/json, as a baseline.
type plainOrganization struct {
	ID         string `json:"id"`
	Type       string `json:"type"`
	Attributes struct {
		Abbreviation        *string   `json:"abbreviation"`
		Code                *string   `json:"code"`
		Country             *string   `json:"country"`
		CreatedAt           time.Time `json:"created_at"`
		DefaultCurrencyCode string    `json:"default_currency_code"`
		GiftAidPercentage   *float64  `json:"gift_aid_percentage"`
		Logo                *string   `json:"logo"`
		Name                string    `json:"name"`
		OAuth               bool      `json:"oauth"`
		UpdatedAt           time.Time `json:"updated_at"`
		UpdatedInDBAt       time.Time `json:"updated_in_db_at"`
	} `json:"attributes"`
}

type plainPage struct {
	Data []plainOrganization `json:"data"`
	Meta struct {
		Pagination struct {
			Page       int `json:"page"`
			PerPage    int `json:"per_page"`
			TotalCount int `json:"total_count"`
			TotalPages int `json:"total_pages"`
		} `json:"pagination"`
	} `json:"meta"`
}

func hundredOrganizations() []byte {
	var b strings.Builder
	b.WriteString(`{"data":[`)
	for i := range 100 {
		if i > 0 {
			b.WriteByte(',')
		}
		gift, abbr := "null", "null"
		if i%3 == 0 {
			gift, abbr = "25.0", fmt.Sprintf(`"O%d"`, i)
		}
		fmt.Fprintf(&b, `{"id":"6fcf9f2f-25c6-4a7c-9d76-%012d","type":"organizations","attributes":{"abbreviation":%s,"code":null,"country":"United Kingdom","created_at":"2021-11-23T14:38:10Z","default_currency_code":"GBP","gift_aid_percentage":%s,"logo":null,"name":"Organization%d","oauth":false,"updated_at":"2021-11-23T14:38:10Z","updated_in_db_at":"2021-11-23T14:38:10Z"}}`, i, abbr, gift, i)
	}
	b.WriteString(`],"meta":{"pagination":{"page":1,"per_page":100,"total_count":250,"total_pages":3},"sort":null,"filter":{}}}`)
	return []byte(b.String())
}

func TestBenchmarkDecodersAgree(t *testing.T) {
	t.Parallel()
	body := hundredOrganizations()
	list, next, err := decodeList(body, 200, testReqURL)
	require.NoError(t, err)
	assert.Equal(t, "/api/v2/organizations?page=2&per_page=2", next)
	var plain plainPage
	require.NoError(t, json.Unmarshal(body, &plain))
	require.Len(t, list.Items, 100)
	for i, o := range list.Items {
		p := plain.Data[i]
		assert.Equal(t, p.ID, o.ID)
		assert.Equal(t, p.Attributes.Name, o.Name)
		assert.Equal(t, p.Attributes.GiftAidPercentage, o.GiftAidPercentage)
		assert.True(t, p.Attributes.UpdatedInDBAt.Equal(o.UpdatedInDBAt))
	}
}

// BenchmarkDecodePage decodes the same 100-organization page three ways:
// this package's decoder (shape checks, google/jsonapi, meta and links),
// google/jsonapi's UnmarshalManyPayload alone, and plain encoding/json into
// a mirror struct.
func BenchmarkDecodePage(b *testing.B) {
	body := hundredOrganizations()
	b.Run("sdk-decodeList", func(b *testing.B) {
		b.SetBytes(int64(len(body)))
		b.ReportAllocs()
		for b.Loop() {
			if _, _, err := decodeList(body, 200, testReqURL); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("google-jsonapi", func(b *testing.B) {
		b.SetBytes(int64(len(body)))
		b.ReportAllocs()
		for b.Loop() {
			if _, err := gjsonapi.UnmarshalManyPayload(bytes.NewReader(body), organizationPtrType); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("encoding-json", func(b *testing.B) {
		b.SetBytes(int64(len(body)))
		b.ReportAllocs()
		for b.Loop() {
			var p plainPage
			if err := json.Unmarshal(body, &p); err != nil {
				b.Fatal(err)
			}
		}
	})
}

func TestSafelyTurnsPanicsIntoErrors(t *testing.T) {
	t.Parallel()
	err := safely(func() error { panic("boom") })
	require.Error(t, err)
	assert.Contains(t, err.Error(), "panicked: boom")
	assert.NoError(t, safely(func() error { return nil }))
}
