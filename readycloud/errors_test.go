package readycloud

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/orgsdk/orgsdk/internal/transport"
)

func TestParseError(t *testing.T) {
	t.Parallel()
	cases := []struct {
		body    string
		message string
		code    string
		details []transport.ErrorDetail
	}{
		{`{"detail": "Not found."}`, "Not found.", "", nil},
		{`{"detail": "Throttled.", "code": "throttled"}`, "Throttled.", "throttled", nil},
		{`{"detail": ["Only one."]}`, "Only one.", "", nil},
		{`{"detail": {"name": ["Bad."]}}`, "Invalid input: name", "", []transport.ErrorDetail{{Field: "name", Message: "Bad."}}},
		{`{"name": ["This field is required."]}`, "Invalid input: name", "", []transport.ErrorDetail{{Field: "name", Message: "This field is required."}}},
		{`{"payment_plan": {"price": ["Invalid."]}}`, "Invalid input: payment_plan.price", "", []transport.ErrorDetail{{Field: "payment_plan.price", Message: "Invalid."}}},
		{`{"extras": [{"a": ["x"]}, {}]}`, "Invalid input: extras.0.a", "", []transport.ErrorDetail{{Field: "extras.0.a", Message: "x"}}},
		{`{"non_field_errors": ["Nope."]}`, "Nope.", "", nil},
		{`{"count": [3]}`, "Invalid input: count", "", []transport.ErrorDetail{{Field: "count", Message: "3"}}},
		{`["a", "b"]`, "Invalid input.", "", []transport.ErrorDetail{{Message: "a"}, {Message: "b"}}},
		{`"plain"`, "plain", "", nil},
		{`{"error": "invalid_grant", "error_description": "Expired."}`, "Expired.", "invalid_grant", nil},
		{`{"error": "invalid_token"}`, "invalid_token", "invalid_token", nil},
		{`{"error_message": "Legacy failure"}`, "Legacy failure", "", nil},
		{`{}`, "Status", "", nil},
		{`not json`, "Status", "", nil},
		{`null`, "Status", "", nil},
	}
	for _, tc := range cases {
		e := &transport.APIError{StatusCode: 400, Message: "Status"}
		parseError(e, []byte(tc.body))
		assert.Equal(t, tc.message, e.Message, tc.body)
		assert.Equal(t, tc.code, e.Code, tc.body)
		assert.Equal(t, tc.details, e.Details, tc.body)
	}
}

func TestParseErrorBoundsDetails(t *testing.T) {
	t.Parallel()
	body := `{"name": [` + strings.Repeat(`"x",`, 1000) + `"x"]}`
	e := &transport.APIError{}
	parseError(e, []byte(body))
	assert.Len(t, e.Details, maxDetails)
}
