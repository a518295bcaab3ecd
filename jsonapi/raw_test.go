package jsonapi_test

import (
	"context"
	"encoding/json"
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/orgsdk/orgsdk/jsonapi"
)

// TestRawEscapeHatch: NewRequest/Do reach endpoints the package does not
// cover with the same media types (the fake answers 415 without
// Content-Type, GET included), auth and error decoding.
func TestRawEscapeHatch(t *testing.T) {
	t.Parallel()
	srv, c := newFake(t)
	ctx := context.Background()

	req, err := c.NewRequest(http.MethodGet, "organizations?sort=-name&per_page=2", nil)
	require.NoError(t, err)
	assert.Equal(t, jsonapi.MediaType, req.Header.Get("Content-Type"))
	assert.Empty(t, req.Header.Get("Authorization"), "Do adds the credential per attempt")
	var doc struct {
		Data []struct {
			ID         string `json:"id"`
			Attributes struct {
				Name string `json:"name"`
			} `json:"attributes"`
		} `json:"data"`
	}
	resp, err := c.Do(ctx, req, &doc)
	require.NoError(t, err)
	assert.Equal(t, http.StatusOK, resp.StatusCode)
	require.Len(t, doc.Data, 2)
	assert.Equal(t, "Power to Change", doc.Data[0].Attributes.Name)
	last := srv.Requests()[len(srv.Requests())-1]
	assert.Equal(t, jsonapi.MediaType, last.Header.Get("Content-Type"))
	assert.Equal(t, "Bearer "+srv.Token, last.Header.Get("Authorization"))
	assert.NotContains(t, resp.Request.Header.Get("Authorization"), srv.Token, "the returned request carries no credential")

	// Raw bytes, and nothing.
	req, err = c.NewRequest(http.MethodGet, "organizations/f543998b-5dbf-4e4b-ab2b-00f2751986b8", nil)
	require.NoError(t, err)
	var raw []byte
	_, err = c.Do(ctx, req, &raw)
	require.NoError(t, err)
	assert.True(t, json.Valid(raw))
	assert.Contains(t, string(raw), "Organization442")
	req, err = c.NewRequest(http.MethodGet, "organizations", nil)
	require.NoError(t, err)
	_, err = c.Do(ctx, req, nil)
	require.NoError(t, err)

	// Errors decode as everywhere else.
	req, err = c.NewRequest(http.MethodGet, "organizations/nope", nil)
	require.NoError(t, err)
	_, err = c.Do(ctx, req, &raw)
	require.ErrorIs(t, err, jsonapi.ErrNotFound)
	require.Len(t, jsonapi.ErrorObjects(err), 1)

	// A body goes out as JSON with the JSON:API type; the fake has no
	// writes and says so.
	req, err = c.NewRequest(http.MethodPost, "organizations", map[string]any{"data": map[string]any{"type": "organizations"}})
	require.NoError(t, err)
	assert.Equal(t, jsonapi.MediaType, req.Header.Get("Content-Type"))
	_, err = c.Do(ctx, req, nil)
	var apiErr *jsonapi.APIError
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, http.StatusMethodNotAllowed, apiErr.StatusCode)
	post := srv.Requests()[len(srv.Requests())-1]
	assert.JSONEq(t, `{"data":{"type":"organizations"}}`, string(post.Body))
	assert.Equal(t, 1, srv.HitsFor(http.MethodPost, "/api/v2/organizations"), "a write answered 405 is not retried")

	// Another host is refused before anything is sent.
	_, err = c.NewRequest(http.MethodGet, "https://evil.example/api/v2/organizations", nil)
	require.ErrorIs(t, err, jsonapi.ErrForeignHost)
	_, err = c.NewRequest("BAD METHOD", "organizations", nil)
	require.ErrorIs(t, err, jsonapi.ErrInvalidArgument)
}
