package readycloud

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/orgsdk/orgsdk/internal/recording"
)

// TestOrganizationID: decoding derives ID from the url, absolute or
// relative, on every path an organization is decoded (json.Unmarshal, as
// Do uses; the one-pass decoder of Get and Update; a page's results); a
// url without a key is an error there, never an empty ID.
func TestOrganizationID(t *testing.T) {
	t.Parallel()
	cases := map[string]string{
		"/api/v2/orgs/1/": "1",
		"/api/v2/orgs/1":  "1",
		"https://www.readycloud.com/api/v2/orgs/1/":   "1",
		"http://127.0.0.1:8080/api/v2/orgs/cF6EZn1o/": "cF6EZn1o",
		"/api/v2/orgs/a%2Fb/":                         "a/b",
		"/api/v2/orgs/a%3Fb%23c/":                     "a?b#c",
		"/api/v2/orgs/42/?bearer_token=x":             "42",
		"":                                            "",
		"/":                                           "",
		"1":                                           "",
		"http://[::1":                                 "",
		"/api/v2/orgs/%zz/":                           "",
	}
	for in, want := range cases {
		assert.Equal(t, want, pkFromURL(in), in)
		urlJSON, err := json.Marshal(in)
		require.NoError(t, err)
		body := []byte(`{"url":` + string(urlJSON) + `,"name":"n"}`)
		var viaUnmarshal Organization
		errUnmarshal := json.Unmarshal(body, &viaUnmarshal)
		viaDecoder, errDecoder := decodeOrganization(body)
		list, errList := decodeOrganizationList([]byte(`{"count":2,"results":[{"url":"/api/v2/orgs/ok/"},` + string(body) + `]}`))
		if want == "" {
			assert.ErrorContains(t, errUnmarshal, `"url"`, in)
			assert.ErrorContains(t, errDecoder, `"url"`, in)
			assert.ErrorContains(t, errList, `results[1]: organization`, in)
			continue
		}
		require.NoError(t, errUnmarshal, in)
		require.NoError(t, errDecoder, in)
		require.NoError(t, errList, in)
		assert.Equal(t, want, viaUnmarshal.ID, in)
		assert.Equal(t, want, viaDecoder.ID, in)
		assert.Equal(t, []string{"ok", want}, []string{list.Items[0].ID, list.Items[1].ID}, in)
	}
	for _, body := range []string{`{"name":"no url"}`, `{"url":null}`, `{"url":""}`} {
		_, err := decodeOrganization([]byte(body))
		assert.ErrorContains(t, err, `organization has no "url"`, body)
	}
}

// TestStrayIDIgnored: the API has no id member; one a server sends (of any
// type) neither fails the decode nor overrides the url's key.
func TestStrayIDIgnored(t *testing.T) {
	t.Parallel()
	for _, id := range []string{`7`, `"other"`, `null`, `{"x":1}`} {
		body := `{"id":` + id + `,"url":"/api/v2/orgs/1/","payment_plan":{"id":` + id + `,"url":"/api/v2/payments/plans/2/"}}`
		org, err := decodeOrganization([]byte(body))
		require.NoError(t, err, id)
		assert.Equal(t, "1", org.ID, id)
		assert.Equal(t, "2", org.PaymentPlan.ID, id)
		var viaUnmarshal Organization
		require.NoError(t, json.Unmarshal([]byte(body), &viaUnmarshal), id)
		assert.Equal(t, *org, viaUnmarshal, id)
		list, err := decodeOrganizationList([]byte(`{"results":[` + body + `]}`))
		require.NoError(t, err, id)
		assert.Equal(t, *org, *list.Items[0], id)
	}
}

// TestPaymentPlanID: a plan's ID comes from its url too, on its own or
// inside an organization; a plan url without a key leaves it empty (no
// call takes a plan's key, so that is not worth failing an organization).
func TestPaymentPlanID(t *testing.T) {
	t.Parallel()
	var p PaymentPlan
	require.NoError(t, json.Unmarshal([]byte(`{"url":"https://www.readycloud.com/api/v2/payments/plans/3/"}`), &p))
	assert.Equal(t, "3", p.ID)
	require.NoError(t, json.Unmarshal([]byte(`{"url":"/"}`), &p))
	assert.Empty(t, p.ID)
	org, err := decodeOrganization([]byte(`{"url":"/api/v2/orgs/1/","payment_plan":{"url":"/api/v2/payments/plans/%zz/"}}`))
	require.NoError(t, err)
	assert.Empty(t, org.PaymentPlan.ID)
	org, err = decodeOrganization([]byte(`{"url":"/api/v2/orgs/1/","payment_plan":null}`))
	require.NoError(t, err)
	assert.Nil(t, org.PaymentPlan)
}

func TestPlanLimit(t *testing.T) {
	t.Parallel()
	var p PaymentPlan
	require.NoError(t, json.Unmarshal([]byte(`{"limit": 1991, "users": -1, "integrations": "5", "storage": null}`), &p))
	assert.Equal(t, PlanLimit(1991), p.Limit)
	assert.False(t, p.Limit.Unlimited())
	assert.True(t, p.Users.Unlimited())
	assert.Equal(t, NoLimit, p.Users)
	assert.Equal(t, PlanLimit(5), p.Integrations)
	assert.Equal(t, "unlimited", p.Users.String())
	assert.Equal(t, "1991", p.Limit.String())
	n, limited := p.Limit.Value()
	assert.Equal(t, int64(1991), n)
	assert.True(t, limited)
	_, limited = p.Users.Value()
	assert.False(t, limited)
	out, err := json.Marshal(p.Users)
	require.NoError(t, err)
	assert.Equal(t, "-1", string(out))
	// 19000000000000000000 overflowed the multiplication and read as
	// 553255926290448384 before the check.
	for _, bad := range []string{`1.5`, `"x"`, `true`, `{}`, `99999999999999999999`, `19000000000000000000`, `"18446744073709551617"`} {
		var l PlanLimit
		assert.Error(t, json.Unmarshal([]byte(bad), &l), bad)
	}
}

func TestTimestamps(t *testing.T) {
	t.Parallel()
	cases := []struct {
		wire string
		want *time.Time
	}{
		{`"2019-08-02T12:21:00.268467Z"`, ptrTime(time.Date(2019, 8, 2, 12, 21, 0, 268467000, time.UTC))},
		{`"2019-08-07T15:41:07Z"`, ptrTime(time.Date(2019, 8, 7, 15, 41, 7, 0, time.UTC))},
		{`"2019-08-07T17:41:07.5+02:00"`, ptrTime(time.Date(2019, 8, 7, 15, 41, 7, 500000000, time.UTC))},
		{`"2019-08-07T15:41:07.123456"`, ptrTime(time.Date(2019, 8, 7, 15, 41, 7, 123456000, time.UTC))},
		{`"2019-08-07 15:41:07"`, ptrTime(time.Date(2019, 8, 7, 15, 41, 7, 0, time.UTC))},
		{`null`, nil},
		{`""`, nil},
	}
	for _, tc := range cases {
		var o Organization
		require.NoError(t, json.Unmarshal([]byte(`{"url": "/api/v2/orgs/1/", "deleted_at": `+tc.wire+`, "trial_expires_at": `+tc.wire+`}`), &o), tc.wire)
		if tc.want == nil {
			assert.Nil(t, o.DeletedAt, tc.wire)
			assert.Nil(t, o.TrialExpiresAt, tc.wire)
			continue
		}
		require.NotNil(t, o.DeletedAt, tc.wire)
		assert.True(t, tc.want.Equal(*o.DeletedAt), "%s: got %s", tc.wire, o.DeletedAt)
		assert.True(t, tc.want.Equal(*o.TrialExpiresAt), tc.wire)
	}
	for _, bad := range []string{`"yesterday"`, `12345`, `true`, `"2019-13-01T00:00:00Z"`} {
		var o Organization
		assert.Error(t, json.Unmarshal([]byte(`{"url": "/api/v2/orgs/1/", "deleted_at": `+bad+`}`), &o), bad)
	}
}

func ptrTime(t time.Time) *time.Time { return &t }

func TestOrganizationRoundTrip(t *testing.T) {
	t.Parallel()
	// The wire has no id members; encoding adds the derived IDs.
	in := `{"id":"1","url":"/api/v2/orgs/1/","name":"Test Company","fees_paid_by":null,"insurance_charges_allowed":false,` +
		`"app_seat_licenses":[{"seat":1}],"payment_plan":{"id":"2","url":"/api/v2/payments/plans/2/","name":"","price":"0.00 USD",` +
		`"billing_period":"month","limit":1991,"users":-1,"integrations":-1,"storage":-1,"extras":[]},"user_slots":0,` +
		`"subscriptions":{"integration":0,"storage":0,"user":0},"avatar":null,"website":null,` +
		`"trial_expires_at":"2019-08-02T12:21:00.268467Z","wallet_auto_refill_amount":"100.00 USD"}`
	wire := strings.NewReplacer(`"id":"1",`, "", `"id":"2",`, "").Replace(in)
	require.NotContains(t, wire, `"id"`)
	var o Organization
	require.NoError(t, json.Unmarshal([]byte(wire), &o))
	out, err := json.Marshal(&o)
	require.NoError(t, err)
	assert.JSONEq(t, in, string(out))
	var again Organization
	require.NoError(t, json.Unmarshal(out, &again))
	assert.Equal(t, o, again, "the encoded form decodes to the same value")
}

func TestUnknownFieldsIgnored(t *testing.T) {
	t.Parallel()
	org, err := decodeOrganization([]byte(`{"url":"/api/v2/orgs/9/","name":"x","brand_new":{"a":[1,2]},"another":null}`))
	require.NoError(t, err)
	assert.Equal(t, "9", org.ID)
}

func TestDecodeOrganizationList(t *testing.T) {
	t.Parallel()
	list, err := decodeOrganizationList([]byte(`{"count":3,"next":"/api/v2/orgs/?bearer_token=SECRET&limit=1&offset=2","previous":"http://h/api/v2/orgs/?limit=1&access_token=SECRET","results":[{"url":"/api/v2/orgs/2/"}]}`))
	require.NoError(t, err)
	assert.Equal(t, 3, list.Total)
	assert.Equal(t, "/api/v2/orgs/?limit=1&offset=2", list.Next)
	assert.Equal(t, "http://h/api/v2/orgs/?limit=1", list.Previous)
	require.Len(t, list.Items, 1)

	list, err = decodeOrganizationList([]byte(`[{"url":"/api/v2/orgs/2/"},{"url":"/api/v2/orgs/3/"}]`))
	require.NoError(t, err)
	assert.Equal(t, 2, list.Total)

	list, err = decodeOrganizationList([]byte(`{"count":0,"next":null,"previous":null,"results":null}`))
	require.NoError(t, err)
	assert.NotNil(t, list.Items)
	assert.Equal(t, 0, list.Total)

	// A page without count: the total is unknown, not the page's length.
	list, err = decodeOrganizationList([]byte(`{"next":null,"results":[{"url":"/api/v2/orgs/2/"}]}`))
	require.NoError(t, err)
	assert.Equal(t, -1, list.Total)
	assert.Len(t, list.Items, 1)

	for _, bad := range []string{``, `null`, `"x"`, `{"results":[null]}`, `{"results":{}}`, `{"count":"many"}`} {
		_, err := decodeOrganizationList([]byte(bad))
		assert.Error(t, err, bad)
	}
}

func TestStripParams(t *testing.T) {
	t.Parallel()
	cases := map[string]string{
		"bearer_token=abc&limit=2&offset=2":                    "limit=2&offset=2",
		"limit=2&bearer_token=abc":                             "limit=2",
		"bearer_token=abc":                                     "",
		"Bearer_Token=abc&access_token=d&b%65arer_token=e&x=1": "x=1",
		"limit=2&offset=0":                                     "limit=2&offset=0",
		"q=a%26bearer_token%3Dx":                               "q=a%26bearer_token%3Dx",
		"token=keep&refresh_token=keep":                        "token=keep&refresh_token=keep",
	}
	for in, want := range cases {
		assert.Equal(t, want, stripParams(in, secretParams), in)
		if want != in {
			assert.True(t, mayHoldToken(in), "fast path would skip %q", in)
		}
	}
	assert.False(t, mayHoldToken(""))
	assert.False(t, mayHoldToken("limit=2&offset=4"))
}

func TestCursor(t *testing.T) {
	t.Parallel()
	c, err := NewClient("tok", WithBaseURL("https://rc.example/mount/api/v2"))
	require.NoError(t, err)
	cases := map[string]string{
		"":                                     "",
		"/mount/api/v2/orgs/?limit=2&offset=2": "https://rc.example/mount/api/v2/orgs/?limit=2&offset=2",
		"orgs/?offset=4":                       "https://rc.example/mount/api/v2/orgs/?offset=4",
		"https://rc.example/mount/api/v2/orgs/?bearer_token=zz&offset=6": "https://rc.example/mount/api/v2/orgs/?offset=6",
		"https://other.example/api/v2/orgs/?offset=6#x":                  "https://other.example/api/v2/orgs/?offset=6",
	}
	for in, want := range cases {
		got, err := c.t.NextCursor(in)
		require.NoError(t, err, in)
		assert.Equal(t, want, got, in)
	}
	_, err = c.t.NextCursor("http://[::1")
	assert.Error(t, err)
}

// TestDecodePathsAgree checks the one-pass decoder that Get and Update use
// gives exactly what json.Unmarshal into an Organization gives.
func TestDecodePathsAgree(t *testing.T) {
	t.Parallel()
	exchanges, err := recording.LoadDir("../testdata/readycloud")
	require.NoError(t, err)
	bodies := [][]byte{
		[]byte(`{"url":"/api/v2/orgs/9/","deleted_at":"2019-08-07 15:41:07","trial_expires_at":null}`),
		[]byte(` {"trial_expires_at":"2019-08-02T12:21:00.268467Z","payment_plan":null} `),
		[]byte(`{"results":[{"url":"/api/v2/orgs/9/","deleted_at":"2019-08-07 15:41:07"},{"trial_expires_at":"2019-08-02T12:21:00Z","name":"b"}]}`),
	}
	for _, ex := range exchanges {
		bodies = append(bodies, ex.Response.Body())
	}
	for _, body := range bodies {
		// A page decodes each element like a lone organization.
		var page struct{ Results []*Organization }
		if json.Unmarshal(body, &page) == nil && len(page.Results) > 0 {
			list, err := decodeOrganizationList(body)
			require.NoError(t, err)
			assert.Equal(t, page.Results, list.Items)
		}
		var want Organization
		wantErr := json.Unmarshal(body, &want)
		got, err := decodeOrganization(body)
		if wantErr != nil || bytes.TrimSpace(body)[0] != '{' {
			assert.Error(t, err, string(body))
			continue
		}
		require.NoError(t, err, string(body))
		assert.Equal(t, &want, got, string(body))
	}
}

func TestPlanLimitParsing(t *testing.T) {
	// Not parallel: AllocsPerRun counts the whole process.
	cases := map[string]struct {
		want PlanLimit
		ok   bool
	}{
		`5`: {5, true}, `-1`: {-1, true}, `"+7"`: {7, true}, `"25"`: {25, true}, `" -1 "`: {-1, true},
		`9223372036854775807`: {1<<63 - 1, true}, `-9223372036854775808`: {-1 << 63, true},
		`9223372036854775808`: {0, false}, `99999999999999999999`: {0, false},
		`1.5`: {0, false}, `1e3`: {0, false}, `"x"`: {0, false}, `-`: {0, false}, `""`: {0, false}, `true`: {0, false},
	}
	for in, tc := range cases {
		var l PlanLimit
		err := json.Unmarshal([]byte(in), &l)
		if !tc.ok {
			assert.Error(t, err, in)
			continue
		}
		require.NoError(t, err, in)
		assert.Equal(t, tc.want, l, in)
	}
	quota := []byte("1991")
	var l PlanLimit
	allocs := testing.AllocsPerRun(100, func() { _ = l.UnmarshalJSON(quota) })
	assert.Zero(t, allocs, "a quota decodes without allocating")
}
