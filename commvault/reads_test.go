package commvault_test

import (
	"context"
	"errors"
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/orgsdk/orgsdk/commvault"
)

// TestMissingCompanyIsErrNotFound (issue 20.3): a company that does not
// exist is answered with HTTP 200, errorCode 2 and "Organization [999]
// does not exist"; it matches ErrNotFound as a 404 does for the other
// providers, in JSON and XML, flat and nested, and through every read.
func TestMissingCompanyIsErrNotFound(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name, ct, body string
	}{
		{"json flat", "application/json", `{"errorMessage":"Organization [999] does not exist","errorCode":2}`},
		{"json nested error", "application/json", `{"error":{"errorMessage":"Organization [999] does not exist","errorCode":2}}`},
		{"json response", "application/json", `{"response":{"errorString":"Organization [999] does not exist","errorCode":2}}`},
		{"json doesn't", "application/json", `{"errorMessage":"Company doesn't exist","errorCode":2}`},
		{"xml generic", "application/xml", `<App_GenericResp errorMessage="Organization [999] does not exist" errorCode="2"/>`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			srv, hits := fixed(t, http.StatusOK, tc.ct, tc.body)
			c, err := commvault.NewClient(srv.URL+"/commandcenter/api/", commvault.WithToken("abc123token"))
			require.NoError(t, err)
			ctx := context.Background()
			for name, call := range map[string]func() error{
				"Get":         func() error { _, _, err := c.Organizations.Get(ctx, 999); return err },
				"DefaultPlan": func() error { _, _, err := c.Organizations.DefaultPlan(ctx, 999); return err },
			} {
				err := call()
				require.ErrorIs(t, err, commvault.ErrNotFound, name)
				var apiErr *commvault.APIError
				require.ErrorAs(t, err, &apiErr)
				assert.Equal(t, http.StatusNotFound, apiErr.StatusCode, name)
				assert.Equal(t, commvault.CodeGenericFailure, apiErr.Code, name)
				assert.False(t, errors.Is(err, commvault.ErrUnauthorized), name)
			}
			assert.Equal(t, int32(2), hits.Load(), "no retry of a not-found answer")
		})
	}
}

// TestGenericFailureIsNotNotFound: errorCode 2 with another message stays
// a plain error (status 200 as it arrived), matching no status sentinel.
func TestGenericFailureIsNotNotFound(t *testing.T) {
	t.Parallel()
	srv, _ := fixed(t, http.StatusOK, "application/json", `{"errorMessage":"Failed to process request","errorCode":2}`)
	c, err := commvault.NewClient(srv.URL+"/commandcenter/api/", commvault.WithToken("abc123token"))
	require.NoError(t, err)
	_, _, err = c.Organizations.Get(context.Background(), 6)
	var apiErr *commvault.APIError
	require.ErrorAs(t, err, &apiErr)
	assert.NotErrorIs(t, err, commvault.ErrNotFound)
	assert.Equal(t, http.StatusOK, apiErr.StatusCode)
	assert.True(t, apiErr.Code == commvault.CodeGenericFailure, "Code compares with the constant")
}
