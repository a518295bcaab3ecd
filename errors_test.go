package orgsdk_test

import (
	"errors"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/orgsdk/orgsdk"
	"github.com/stretchr/testify/assert"
)

func TestAPIErrorText(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		err  error
		want string
	}{
		{"full", &orgsdk.APIError{Provider: "rservice", Method: "POST", URL: "https://x/v1/organizations", StatusCode: 422,
			Message: "Validation Failed", Details: []orgsdk.ErrorDetail{{Field: "name", Message: "taken"}}},
			"orgsdk: rservice: POST https://x/v1/organizations: 422 Unprocessable Entity: Validation Failed [name: taken]"},
		{"wait and attempts", &orgsdk.APIError{Provider: "jsonapi", Method: "GET", URL: "u", StatusCode: 429, RetryAfter: 2 * time.Second, Attempts: 5},
			"orgsdk: jsonapi: GET u: 429 Too Many Requests (retry after 2s) (after 5 attempts)"},
		{"code", &orgsdk.APIError{StatusCode: 200, Message: "Access denied", Code: "5"},
			"orgsdk: 200 OK: Access denied (code 5)"},
		{"decode", &orgsdk.DecodeError{Provider: "commvault", Method: "GET", URL: "u", StatusCode: 200, ContentType: "text/html", Snippet: "<html>", Err: fmt.Errorf("%w: got text/html", orgsdk.ErrUnexpectedContentType)},
			`orgsdk: commvault: GET u: cannot decode 200 response (text/html): unexpected content type: got text/html; body starts "<html>"`},
		{"transport", &orgsdk.TransportError{Provider: "readycloud", Method: "GET", URL: "u", Message: "connection refused", Attempts: 3},
			"orgsdk: readycloud: GET u: connection refused (after 3 attempts)"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.want, tc.err.Error())
		})
	}
}

func TestAPIErrorIs(t *testing.T) {
	t.Parallel()
	tests := []struct {
		status int
		wait   time.Duration
		target error
		want   bool
	}{
		{http.StatusNotFound, 0, orgsdk.ErrNotFound, true},
		{http.StatusUnauthorized, 0, orgsdk.ErrUnauthorized, true},
		{http.StatusForbidden, 0, orgsdk.ErrForbidden, true},
		{http.StatusConflict, 0, orgsdk.ErrConflict, true},
		{http.StatusTooManyRequests, 0, orgsdk.ErrRateLimited, true},
		{http.StatusServiceUnavailable, time.Second, orgsdk.ErrRateLimited, true},
		{http.StatusServiceUnavailable, 0, orgsdk.ErrRateLimited, false},
		{http.StatusBadRequest, 0, orgsdk.ErrValidation, true},
		{http.StatusUnprocessableEntity, 0, orgsdk.ErrValidation, true},
		{http.StatusNotFound, 0, orgsdk.ErrUnauthorized, false},
	}
	for _, tc := range tests {
		err := fmt.Errorf("wrapped: %w", &orgsdk.APIError{StatusCode: tc.status, RetryAfter: tc.wait})
		assert.Equal(t, tc.want, errors.Is(err, tc.target), "%d %v", tc.status, tc.target)
	}
}

func TestDecodeAndTransportErrorsUnwrap(t *testing.T) {
	t.Parallel()
	d := &orgsdk.DecodeError{Err: orgsdk.ErrBodyTooLarge}
	assert.ErrorIs(t, d, orgsdk.ErrBodyTooLarge)
	te := &orgsdk.TransportError{Err: orgsdk.ErrRedirectedWrite, Message: "x"}
	assert.ErrorIs(t, te, orgsdk.ErrRedirectedWrite)
}

// TestErrorTextBounded: an error built with huge fields (a server's 8 MiB
// message, a 9.5 MB URL) prints at most ErrorTextLimit bytes, each field
// cut to ErrorFieldLimit with the mark, and keeps the wait and the attempt
// count, which matter more than the end of a message (issue 19.4).
func TestErrorTextBounded(t *testing.T) {
	t.Parallel()
	huge := strings.Repeat("m", 8<<20)
	details := make([]orgsdk.ErrorDetail, 1000)
	for i := range details {
		details[i] = orgsdk.ErrorDetail{Field: huge, Message: huge, Code: huge}
	}
	for name, err := range map[string]error{
		"APIError": &orgsdk.APIError{Provider: "rservice", Method: "GET", URL: "https://x/" + huge, StatusCode: 429,
			Message: huge, Code: huge, Details: details, RetryAfter: 2 * time.Second, Attempts: 3},
		"DecodeError": &orgsdk.DecodeError{Provider: "jsonapi", Method: "GET", URL: huge, StatusCode: 200, ContentType: huge,
			Snippet: huge, Err: errors.New(huge)},
		"TransportError": &orgsdk.TransportError{Provider: "commvault", Method: "POST", URL: huge, Message: huge, Attempts: 3},
	} {
		t.Run(name, func(t *testing.T) {
			text := err.Error()
			assert.LessOrEqual(t, len(text), orgsdk.ErrorTextLimit)
			assert.Contains(t, text, strings.Repeat("m", 100)+orgsdk.CutMark, "each field shows where it was cut")
			assert.NotContains(t, text, strings.Repeat("m", orgsdk.ErrorFieldLimit), "no field is longer than its bound")
			if name != "DecodeError" {
				assert.True(t, strings.HasSuffix(text, "(after 3 attempts)"), "the attempts survive the cut: %s", text)
			}
		})
	}
	d := orgsdk.ErrorDetail{Field: huge, Message: huge, Code: huge}
	assert.LessOrEqual(t, len(d.String()), 3*orgsdk.ErrorFieldLimit+8)
}
