package transport

import (
	"errors"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

type testOpts struct{ n int }

type testOption func(*testOpts) error

func TestApplyOptions(t *testing.T) {
	t.Parallel()
	o := &testOpts{}
	inc := testOption(func(o *testOpts) error { o.n++; return nil })
	require.NoError(t, ApplyOptions("p", o, []testOption{inc, inc}))
	assert.Equal(t, 2, o.n)

	err := ApplyOptions("p", o, []testOption{inc, nil})
	require.ErrorIs(t, err, ErrInvalidArgument)
	assert.EqualError(t, err, "orgsdk: p: invalid argument: option 1 is nil")

	err = ApplyOptions("p", o, []testOption{func(*testOpts) error { return errors.New("max retries -1 out of range") }})
	require.ErrorIs(t, err, ErrInvalidArgument)
	assert.Contains(t, err.Error(), "orgsdk: p: invalid argument: ")
	assert.Contains(t, err.Error(), "max retries -1 out of range")
}

func TestCheckToken(t *testing.T) {
	t.Parallel()
	assert.NoError(t, CheckToken("p", "abc.DEF-123_~+/="))
	for _, bad := range []string{"", " ", "Bearer " + testSecret, testSecret + "\r\nX-Evil: 1", "a\tb", "a\x00b", "a\x7fb"} {
		err := CheckToken("p", bad)
		require.ErrorIs(t, err, ErrInvalidArgument, "%q", bad)
		assert.NotContains(t, err.Error(), testSecret)
	}
}

// Errors from code that does not know the provider (the transport's
// argument checks, the walk's loop detection) used to read "orgsdk:
// invalid argument: …" in three providers and "orgsdk: readycloud: …" in
// the fourth, which wrapped them itself.
func TestProviderErrorNamesTheProviderOnce(t *testing.T) {
	t.Parallel()
	named := &APIError{Provider: "p", StatusCode: 404, Method: "GET", URL: "https://x/", Message: "gone"}
	loop := fmt.Errorf("%w: next page x was already read", ErrPaginationLoop)
	for name, tc := range map[string]struct {
		err      error
		want     string
		argument bool
	}{
		"generic argument":  {InvalidArgument("empty path segment"), "orgsdk: p: invalid argument: empty path segment", true},
		"unnamed argument":  {&ArgumentError{Msg: "nil request"}, "orgsdk: p: invalid argument: nil request", true},
		"named argument":    {ProviderArgumentError("p", "token is empty"), "orgsdk: p: invalid argument: token is empty", true},
		"walk error":        {loop, "orgsdk: p: pagination did not advance: next page x was already read", false},
		"foreign error":     {errors.New("boom"), "orgsdk: p: boom", false},
		"already named":     {named, named.Error(), false},
		"named twice stays": {ProviderError("p", loop), "orgsdk: p: pagination did not advance: next page x was already read", false},
	} {
		t.Run(name, func(t *testing.T) {
			got := ProviderError("p", tc.err)
			assert.EqualError(t, got, tc.want)
			if !tc.argument {
				assert.ErrorIs(t, got, tc.err, "the original stays reachable")
			}
			var ae *ArgumentError
			assert.Equal(t, tc.argument, errors.As(got, &ae))
			if tc.argument {
				assert.Equal(t, "p", ae.Provider)
				assert.ErrorIs(t, got, ErrInvalidArgument)
			}
		})
	}
	assert.NoError(t, ProviderError("p", nil))
}

func TestClientErrorsNameTheProvider(t *testing.T) {
	t.Parallel()
	c := newTestClient(t, "https://api.example.com/v1/")
	_, err := c.Do(t.Context(), &Request{Method: http.MethodGet, Path: []string{"orgs", ""}}, nil)
	assert.EqualError(t, err, "orgsdk: test: invalid argument: empty path segment")
	var ae *ArgumentError
	require.ErrorAs(t, err, &ae)
	_, err = c.Do(t.Context(), &Request{Method: http.MethodGet, URL: "https://elsewhere.example/orgs"}, nil)
	assert.ErrorIs(t, err, ErrForeignHost)
	assert.True(t, strings.HasPrefix(err.Error(), "orgsdk: test: refusing"), err.Error())
	_, err = c.NewHTTPRequest("BAD METHOD", "orgs", nil, "")
	assert.EqualError(t, err, `orgsdk: test: invalid argument: bad HTTP method "BAD METHOD"`)
	_, err = c.DoHTTP(t.Context(), nil, nil, nil)
	assert.EqualError(t, err, "orgsdk: test: invalid argument: nil request")
}
