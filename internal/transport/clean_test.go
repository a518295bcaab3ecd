package transport

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"reflect"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/orgsdk/orgsdk"
	"github.com/orgsdk/orgsdk/internal/bound"
	"github.com/orgsdk/orgsdk/internal/faulttest"
)

// secretClient is a test client that knows testSecret, logging at Debug.
func secretClient(t *testing.T, base string, opts ...clientOpt) (*Client, *faulttest.LogBuffer) {
	t.Helper()
	logger, logs := debugLogger()
	secrets := &Secrets{}
	secrets.Add(testSecret)
	opts = append([]clientOpt{func(cfg *Config) { cfg.Settings.Logger = logger; cfg.Secrets = secrets }}, opts...)
	return newTestClient(t, base, opts...), logs
}

// TestCleanErrorTree: every error in the tree below a returned error is
// clean and bounded, and errors.Is and errors.As still reach what was
// wrapped (issue 19.3: the error inside an ErrForeignHost refusal kept the
// token; 19.4: encoding/json quotes a number whole).
func TestCleanErrorTree(t *testing.T) {
	t.Parallel()
	var s Secrets
	s.Add(testSecret)
	digits := strings.Repeat("7", 1<<20)
	typeErr := &json.UnmarshalTypeError{Value: "number " + digits, Type: reflect.TypeFor[int]()}
	inner := fmt.Errorf("redirect to /p/%s/: %w", testSecret, ErrForeignHost)
	cases := map[string]struct {
		err  error
		want []error
	}{
		"wrapped secret":  {fmt.Errorf("outer %s: %w", url.QueryEscape(testSecret), inner), []error{ErrForeignHost}},
		"joined":          {errors.Join(inner, context.Canceled), []error{ErrForeignHost, context.Canceled}},
		"million digits":  {fmt.Errorf("decoding: %w", typeErr), nil},
		"clean unchanged": {fmt.Errorf("plain: %w", ErrTruncatedBody), []error{ErrTruncatedBody}},
		"decode error": {&DecodeError{Provider: "test", URL: "https://h/" + testSecret, ContentType: "text/" + digits,
			Err: fmt.Errorf("%w: %s", ErrUnexpectedContentType, digits)}, []error{ErrUnexpectedContentType}},
		"transport error": {&TransportError{Provider: "test", URL: "https://h/?sig=" + testSecret, Message: testSecret,
			Err: &url.Error{Op: "Get", URL: "https://h/" + testSecret, Err: inner}}, []error{ErrForeignHost}},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			got := s.CleanError(tc.err)
			faulttest.AuditError(t, name, got, testSecret)
			faulttest.AuditBounded(t, got)
			for _, target := range tc.want {
				assert.ErrorIs(t, got, target)
			}
			if name == "clean unchanged" {
				assert.Same(t, tc.err, got, "a clean error is returned as it is")
			}
		})
	}
	var de *DecodeError
	require.ErrorAs(t, s.CleanError(fmt.Errorf("wrapped: %w", &DecodeError{Err: errors.New(testSecret)})), &de)
	assert.NotContains(t, de.Err.Error(), testSecret, "a typed error below a replaced one is found and clean")
	assert.Nil(t, s.CleanError(nil))
}

func TestCleanErrorAPIError(t *testing.T) {
	t.Parallel()
	var s Secrets
	s.Add(testSecret)
	huge := strings.Repeat("m", 8<<20)
	details := make([]ErrorDetail, 500)
	for i := range details {
		details[i] = ErrorDetail{Field: huge, Message: testSecret, Code: huge}
	}
	e := &APIError{Provider: "test", URL: "https://h/" + huge, Message: huge + testSecret, Code: testSecret,
		RequestID: testSecret, DocumentationURL: "https://d/?state=" + testSecret, Details: details}
	got := s.CleanError(e)
	assert.Same(t, e, got, "an APIError is cleaned in place, so errors.As finds it")
	assert.Len(t, e.Details, bound.Details)
	faulttest.AuditError(t, "APIError", got, testSecret)
	assert.True(t, faulttest.AuditBounded(t, got))
	assert.Equal(t, Redacted, e.RequestID)
}

// TestTransportCleansEverything drives the transport itself: a same-origin
// redirect into a path holding the token, a foreign redirect likewise, a
// decoder whose error quotes a million digits, and a 404 echoing the token
// in X-Request-Id.
func TestTransportCleansEverything(t *testing.T) {
	t.Parallel()
	foreign := newTestServer(t, func(w http.ResponseWriter, r *http.Request) {})
	hidden := url.PathEscape(testSecret) + "/?next=" + url.QueryEscape(testSecret) + "&access_token=" + testSecret
	ts := newTestServer(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-Request-Id", testSecret)
		switch {
		case r.URL.Path == "/api/v1/same":
			http.Redirect(w, r, "/api/v1/same/"+hidden, http.StatusFound)
		case r.URL.Path == "/api/v1/away":
			http.Redirect(w, r, foreign.URL+"/api/v1/"+hidden, http.StatusFound)
		case r.URL.Path == "/api/v1/missing":
			w.WriteHeader(http.StatusNotFound)
		default:
			w.Header().Set("Content-Type", "application/json")
			_, _ = w.Write([]byte(`{}`))
		}
	})
	c, logs := secretClient(t, ts.URL+"/api/v1/")
	ctx := t.Context()
	var trail faulttest.Trail

	resp, err := c.Do(ctx, &Request{Method: http.MethodGet, Path: []string{"same"}}, nil)
	require.NoError(t, err)
	require.NotNil(t, resp.Request.Response)
	assert.Contains(t, resp.Request.Response.Header.Get("Location"), Redacted)
	trail.Call(resp, err)

	resp, err = c.Do(ctx, &Request{Method: http.MethodGet, Path: []string{"away"}}, nil)
	require.ErrorIs(t, err, ErrForeignHost)
	trail.Call(resp, err)

	digits := strings.Repeat("7", 1<<20)
	resp, err = c.Do(ctx, &Request{Method: http.MethodGet, Path: []string{"ok"}}, func(*http.Response, []byte) error {
		return &json.UnmarshalTypeError{Value: "number " + digits, Type: reflect.TypeFor[int]()}
	})
	var de *DecodeError
	require.ErrorAs(t, err, &de)
	assert.LessOrEqual(t, len(err.Error()), bound.Text)
	assert.True(t, faulttest.AuditBounded(t, err))
	trail.Call(resp, err)

	resp, err = c.Do(ctx, &Request{Method: http.MethodGet, Path: []string{"missing"}}, nil)
	var ae *APIError
	require.ErrorAs(t, err, &ae)
	assert.Equal(t, Redacted, ae.RequestID)
	trail.Call(resp, err)

	require.Contains(t, logs.String(), `"path":`)
	trail.Audit(t, testSecret)
	faulttest.Audit(t, "logs", logs.String(), testSecret)
}

// TestScrubHandler: every string of a record, in every attribute shape,
// leaves the handler clean and bounded.
func TestScrubHandler(t *testing.T) {
	t.Parallel()
	logger, logs := debugLogger()
	var s Secrets
	s.Add(testSecret)
	l := slog.New(&scrubHandler{next: logger.Handler(), secrets: &s})
	l = l.With("with", "w/"+testSecret).WithGroup("g")
	l.Debug("msg "+testSecret,
		"string", testSecret,
		"error", fmt.Errorf("failed for %s", url.QueryEscape(testSecret)),
		"stringer", &url.URL{Scheme: "https", Host: "h", Path: "/" + testSecret},
		slog.Group("group", "inner", `{"token":"abc"}`),
		"huge", strings.Repeat("m", 1<<20),
		"number", 42)
	out := logs.String()
	faulttest.Audit(t, "log", out, testSecret)
	assert.NotContains(t, out, "abc", "the generic rules run too")
	assert.Contains(t, out, bound.Mark)
	assert.Contains(t, out, `"number":42`)
	assert.Less(t, len(out), 8<<10)
	assert.True(t, l.Enabled(t.Context(), slog.LevelDebug))
}

func TestParseBaseURLRefusesUserInfo(t *testing.T) {
	t.Parallel()
	for _, raw := range []string{
		"https://u:p#ss@h/", "https://u:p/ss@h/", "https://u:p?ss@h/", "https://u:p ss@h/", "https://u:p%zzss@h/",
		"https://u:p^ss@h/", "https://u@h/", "https://u:pss@h/",
	} {
		_, err := ParseBaseURL(raw)
		require.Error(t, err, raw)
		assert.Contains(t, err.Error(), "user info", raw)
		assert.NotContains(t, err.Error(), "ss", "nothing of the password is echoed: %v", err)
		assert.NotContains(t, err.Error(), "u:", raw)
	}
	// The other errors show scheme, host and path at most.
	_, err := ParseBaseURL("https://h/api/?sig=" + testSecret)
	require.Error(t, err)
	assert.Equal(t, `base URL "https://h/api/" must not have a query or fragment`, err.Error())
	_, err = ParseBaseURL("https://h/%zz")
	require.Error(t, err)
	assert.Contains(t, err.Error(), "not a valid URL")
	assert.NotContains(t, err.Error(), "https://h", "a URL that does not parse is not quoted")
}

func TestOrgsdkLimitsAreTheBounds(t *testing.T) {
	t.Parallel()
	assert.Equal(t, bound.Field, orgsdk.ErrorFieldLimit)
	assert.Equal(t, bound.Text, orgsdk.ErrorTextLimit)
	assert.Equal(t, bound.Mark, orgsdk.CutMark)
}

// TestUserAgentHoldingASecret: the User-Agent is checked once, when the
// client is built, so the per-call check of what a Response hands back can
// skip it.
func TestUserAgentHoldingASecret(t *testing.T) {
	t.Parallel()
	s, err := NewSettings("https://h/api/")
	require.NoError(t, err)
	require.NoError(t, s.SetUserAgent("app/1 "+testSecret))
	secrets := &Secrets{}
	secrets.Add(testSecret)
	_, err = New(Config{Provider: "test", Settings: s, Secrets: secrets})
	require.ErrorIs(t, err, ErrInvalidArgument)
	assert.NotContains(t, err.Error(), testSecret)
}
