package rservice

import (
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestContactProtocolKey(t *testing.T) {
	t.Parallel()
	cases := []struct {
		in   string
		want Contact
	}{
		{`{"id":225,"label":"general","telephone":"+1 (212) 369 2610"}`, Contact{ID: 225, Label: "general", Protocol: "telephone", Value: "+1 (212) 369 2610"}},
		{`{"id":227,"label":"general","website":"www.widget.com"}`, Contact{ID: 227, Label: "general", Protocol: "website", Value: "www.widget.com"}},
		{`{"id":1,"label":"service_desk","email":"sd@widget.com","integration":true}`, Contact{ID: 1, Label: "service_desk", Protocol: "email", Value: "sd@widget.com", Integration: true}},
		{`{"id":2,"label":"general","pager":"555"}`, Contact{ID: 2, Label: "general", Protocol: "pager", Value: "555"}},
		{`{"id":3,"label":"general","zzz":"x","email":"e@x"}`, Contact{ID: 3, Label: "general", Protocol: "email", Value: "e@x"}},
		{`{"id":4,"label":null,"telephone":null}`, Contact{ID: 4, Protocol: "telephone"}},
	}
	for _, tc := range cases {
		var c Contact
		require.NoError(t, json.Unmarshal([]byte(tc.in), &c), tc.in)
		assert.Equal(t, tc.want, c)
		out, err := json.Marshal(c)
		require.NoError(t, err)
		var back Contact
		require.NoError(t, json.Unmarshal(out, &back))
		assert.Equal(t, c, back)
	}
	var c Contact
	assert.Error(t, json.Unmarshal([]byte(`{"id":"x"}`), &c))
	_, err := json.Marshal(Contact{Protocol: "id"})
	assert.Error(t, err)
}

func TestOptionalJSON(t *testing.T) {
	t.Parallel()
	in := OrganizationInput{
		Name:         Set("Widget"),
		ManagerID:    Null[int64](),
		Disabled:     Set(false),
		CustomFields: Set([]CustomField{{ID: "cost_center", Value: json.RawMessage(`"CC-1"`)}}),
	}
	b, err := json.Marshal(in)
	require.NoError(t, err)
	assert.JSONEq(t, `{"name":"Widget","manager_id":null,"disabled":false,"custom_fields":[{"id":"cost_center","value":"CC-1"}]}`, string(b))

	withFiles := OrganizationInput{
		Remarks:                 Set("See ![](attachments/5/2026/logo.png)"),
		RemarksAttachments:      []AttachmentInput{{Key: "attachments/5/2026/logo.png", FileSize: 1234, Inline: true}},
		CustomFieldsAttachments: []AttachmentInput{{Key: "attachments/5/2026/contract.pdf", FileSize: 98765}},
	}
	b2, err := json.Marshal(withFiles)
	require.NoError(t, err)
	assert.JSONEq(t, `{"remarks":"See ![](attachments/5/2026/logo.png)",
		"remarks_attachments":[{"key":"attachments/5/2026/logo.png","filesize":1234,"inline":true}],
		"custom_fields_attachments":[{"key":"attachments/5/2026/contract.pdf","filesize":98765}]}`, string(b2))

	var back OrganizationInput
	require.NoError(t, json.Unmarshal(b, &back))
	assert.True(t, back.ManagerID.IsNull())
	assert.True(t, back.ParentID.IsZero())
	v, ok := back.Name.Get()
	assert.True(t, ok)
	assert.Equal(t, "Widget", v)
	assert.Equal(t, `"Widget"`, back.Name.String())
	assert.Equal(t, "null", back.ManagerID.String())
	assert.Equal(t, "<unset>", back.ParentID.String())
}

func TestInputValidation(t *testing.T) {
	t.Parallel()
	long := string(make([]rune, 129))
	cases := []struct {
		name   string
		in     OrganizationInput
		create bool
	}{
		{"create without name", OrganizationInput{Region: Set("NA")}, true},
		{"create with blank name", OrganizationInput{Name: Set("")}, true},
		{"clear name", OrganizationInput{Name: Null[string]()}, false},
		{"blank name on update", OrganizationInput{Name: Set("")}, false},
		{"nothing to update", OrganizationInput{}, false},
		{"name too long", OrganizationInput{Name: Set(long)}, true},
		{"source too long", OrganizationInput{Name: Set("x"), Source: Set("0123456789012345678901234567890")}, true},
		{"zero parent", OrganizationInput{ParentID: Set[int64](0)}, false},
		{"negative manager", OrganizationInput{ManagerID: Set[int64](-1)}, false},
		{"custom field without id", OrganizationInput{CustomFields: Set([]CustomField{{Value: json.RawMessage(`1`)}})}, false},
		{"create without order template", OrganizationInput{Name: Set("x")}, true},
		{"create with order template cleared", OrganizationInput{Name: Set("x"), OrderTemplateID: Null[int64]()}, true},
		{"remarks attachment without key", OrganizationInput{Region: Set("x"), RemarksAttachments: []AttachmentInput{{Key: " ", FileSize: 1}}}, false},
		{"custom fields attachment negative size", OrganizationInput{Region: Set("x"), CustomFieldsAttachments: []AttachmentInput{{Key: "k", FileSize: -1}}}, false},
		{"custom field bad JSON", OrganizationInput{CustomFields: Set([]CustomField{{ID: "a", Value: json.RawMessage(`{`)}})}, false},
	}
	for _, tc := range cases {
		err := tc.in.validate(tc.create)
		assert.ErrorIs(t, err, ErrInvalidArgument, tc.name)
	}
	assert.NoError(t, (&OrganizationInput{Name: Set("x"), OrderTemplateID: Set[int64](30)}).validate(true))
	assert.NoError(t, (&OrganizationInput{ParentID: Null[int64]()}).validate(false))
}

func TestParseError(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name    string
		body    string
		msg     string
		details []ErrorDetail
	}{
		{"observed 422", `{"message":"Validation Failed","errors":[["name","Name has already been taken"]]}`, "Validation Failed",
			[]ErrorDetail{{Field: "name", Message: "Name has already been taken"}}},
		{"repeated field", `{"message":"Validation Failed","errors":[["name","a"],["name","b"],["parent","c"]]}`, "Validation Failed",
			[]ErrorDetail{{Field: "name", Message: "a"}, {Field: "name", Message: "b"}, {Field: "parent", Message: "c"}}},
		{"plain", `{"message":"Unauthorized"}`, "Unauthorized", nil},
		{"object errors", `{"message":"x","errors":{"name":["a","b"],"id":"c"}}`, "x",
			[]ErrorDetail{{Field: "id", Message: "c"}, {Field: "name", Message: "a"}, {Field: "name", Message: "b"}}},
		{"string errors", `{"message":"x","errors":["a",["only"],[]]}`, "x", []ErrorDetail{{Message: "a"}, {Message: "only"}}},
		{"odd tuple", `{"message":1,"errors":[["n",1,null]]}`, "1", []ErrorDetail{{Field: "n", Message: "1; "}}},
		{"not JSON", `oops`, "Bad Request", nil},
		{"null message", `{"message":null}`, "Bad Request", nil},
	}
	for _, tc := range cases {
		e := &APIError{StatusCode: 400, Message: http.StatusText(400)}
		parseError(e, []byte(tc.body))
		assert.Equal(t, tc.msg, e.Message, tc.name)
		assert.Equal(t, tc.details, e.Details, tc.name)
	}
}

func TestDecodeShapes(t *testing.T) {
	t.Parallel()
	orgs, err := decodeList[Organization]([]byte(`[{"id":1,"name":"a"},null]`))
	require.NoError(t, err)
	require.Len(t, orgs, 1)
	_, err = decodeList[Organization]([]byte(`{"id":1}`))
	assert.Error(t, err)
	_, err = decodeOrganization([]byte(`[]`))
	assert.Error(t, err)
	_, err = decodeOrganization([]byte(`{"id":1,"created_at":"yesterday"}`))
	assert.Error(t, err)
	o, err := decodeOrganization([]byte(`{"id":1,"created_at":"2016-03-22T21:02:50-05:00","updated_at":"2016-03-23T02:02:50Z"}`))
	require.NoError(t, err)
	assert.True(t, o.CreatedAt.Equal(o.UpdatedAt))
	_, off := o.CreatedAt.Zone()
	assert.Equal(t, -5*3600, off, "the offset is kept")
}

func fuzzSeeds(f *testing.F) {
	for _, name := range []string{"001-get-organizations.json", "003-get-organizations-50.json", "004-post-organizations-422.json"} {
		data, err := os.ReadFile("../testdata/rservice/" + name)
		if err != nil {
			f.Fatal(err)
		}
		var ex struct {
			Response struct {
				JSON json.RawMessage `json:"json"`
			} `json:"response"`
		}
		if err := json.Unmarshal(data, &ex); err != nil {
			f.Fatal(err)
		}
		f.Add([]byte(ex.Response.JSON))
	}
	f.Add([]byte(`[{"contacts":[{"id":1,"x":2}]}]`))
	f.Add([]byte(`{"custom_fields":[{"id":"a","value":{"b":[1]}}],"parent":{"id":1,"account":{"id":"x"}}}`))
}

func FuzzDecodeOrganizations(f *testing.F) {
	fuzzSeeds(f)
	f.Fuzz(func(t *testing.T, body []byte) {
		orgs, err := decodeList[Organization](body)
		if err != nil {
			return
		}
		for _, o := range orgs {
			if o == nil {
				t.Fatal("nil organization in result")
			}
			if _, err := json.Marshal(o); err != nil && len(o.Contacts) == 0 {
				t.Fatalf("re-encoding failed: %v", err)
			}
		}
	})
}

func FuzzDecodeOrganization(f *testing.F) {
	fuzzSeeds(f)
	f.Fuzz(func(t *testing.T, body []byte) {
		o, err := decodeOrganization(body)
		if err == nil && o == nil {
			t.Fatal("nil organization without error")
		}
	})
}

func FuzzParseError(f *testing.F) {
	fuzzSeeds(f)
	f.Add([]byte(`{"message":"Too Many Requests"}`))
	f.Fuzz(func(t *testing.T, body []byte) {
		e := &APIError{StatusCode: 422}
		parseError(e, body)
		_ = e.Error()
	})
}

// FuzzDecodeSubCollections: the sub-collection decoders (issue 21) never
// panic, never return a nil record, and name a path or keep the cause
// whenever they fail.
func FuzzDecodeSubCollections(f *testing.F) {
	fuzzSeeds(f)
	files, _ := filepath.Glob("../testdata/rservice/xurrent/*.json")
	for _, name := range files {
		if data, err := os.ReadFile(name); err == nil {
			f.Add(data)
		}
	}
	f.Add([]byte(`[{"id":1,"label":"street","nodeID":"NG1","account":{"id":"a","name":"A"}},{"id":"x"}]`))
	f.Add([]byte(`[{"id":2,"label":"general","email":5}]`))
	f.Add([]byte(`[{"id":3,"name":"P","organization":{"id":1},"site":null,"manager":{"id":6},"created_at":""}]`))
	f.Fuzz(func(t *testing.T, body []byte) {
		as, errA := decodeList[Address](body)
		cs, errC := decodeList[Contact](body)
		ps, errP := decodeList[Person](body)
		for _, err := range []error{errA, errC, errP} {
			if err != nil && err.Error() == "" {
				t.Fatal("an error without text")
			}
		}
		for i := range max(len(as), len(cs), len(ps)) {
			if i < len(as) && as[i] == nil || i < len(cs) && cs[i] == nil || i < len(ps) && ps[i] == nil {
				t.Fatal("nil record in a result")
			}
		}
		var one Organization
		_ = decodeJSONAt(body, &one)
	})
}
