package rservice_test

import (
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/orgsdk/orgsdk/internal/golden"
	"github.com/orgsdk/orgsdk/rservice"
)

// liveShapes are bodies a live tenant sent (testdata/rservice/xurrent,
// its README names the source).
const liveShapes = testdata + "xurrent"

// liveView is what a live-shape golden file holds.
type liveView struct {
	Call  string                     `json:"call"`
	List  *rservice.OrganizationList `json:"list,omitempty"`
	Org   *rservice.Organization     `json:"organization,omitempty"`
	Error *golden.Error              `json:"error,omitempty"`
}

// decodeLive serves body as the answer of List (a JSON array) or Get and
// returns what the SDK made of it.
func decodeLive(t *testing.T, body []byte) liveView {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		_, _ = w.Write(body)
	}))
	t.Cleanup(srv.Close)
	c, err := rservice.NewClient("live-shape-token", rservice.WithBaseURL(srv.URL+"/v1/"))
	require.NoError(t, err)
	var v liveView
	if strings.HasPrefix(strings.TrimSpace(string(body)), "[") {
		v.Call = "List"
		v.List, _, err = c.Organizations.List(t.Context(), nil)
	} else {
		v.Call = "Get"
		v.Org, _, err = c.Organizations.Get(t.Context(), 1)
	}
	v.Error = golden.ErrorView(err)
	if v.Error != nil {
		v.Error.Error = strings.ReplaceAll(v.Error.Error, srv.URL, "{{origin}}")
	}
	return v
}

// TestGoldenLiveShapes decodes every recorded (and filled, and derived)
// live-tenant body and compares the result with its golden file.
func TestGoldenLiveShapes(t *testing.T) {
	t.Parallel()
	files, err := golden.RecordingsIn(liveShapes)
	require.NoError(t, err)
	require.Len(t, files, 6)
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			t.Parallel()
			body, err := os.ReadFile(f)
			require.NoError(t, err)
			golden.AssertJSON(t, golden.GoldenPath(f), decodeLive(t, body))
		})
	}
}

// TestLiveShapesKeepTheTenantFields: what a live tenant adds (account,
// nodeID, end_user_privacy, permitted_customers, nodeID on contacts and
// addresses) is decoded, not dropped.
func TestLiveShapesKeepTheTenantFields(t *testing.T) {
	t.Parallel()
	read := func(name string) liveView {
		body, err := os.ReadFile(filepath.Join(liveShapes, name))
		require.NoError(t, err)
		return decodeLive(t, body)
	}
	list := read("organizations_list.xurrent-live-skeleton.filled.json")
	require.Nil(t, list.Error)
	require.Len(t, list.List.Items, 1)
	o := list.List.Items[0]
	assert.NotNil(t, o.Account)
	assert.NotNil(t, o.NodeID)
	assert.False(t, o.CreatedAt.IsZero())

	fields := read("organizations_list_fields.xurrent-live-skeleton.json")
	require.Nil(t, fields.Error, "a ?fields= answer without timestamps decodes")
	assert.NotNil(t, fields.List.Items[0].Account)

	got := read("organization_get.xurrent-live-skeleton.contacts-derived.json")
	require.Nil(t, got.Error)
	require.NotNil(t, got.Org.EndUserPrivacy)
	assert.JSONEq(t, `[]`, string(got.Org.PermittedCustomers))
	require.Len(t, got.Org.Contacts, 2)
	assert.Equal(t, rservice.ProtocolEmail, got.Org.Contacts[0].Protocol)
	require.NotNil(t, got.Org.Contacts[0].NodeID)
	assert.Equal(t, "NG1", *got.Org.Contacts[0].NodeID)
	require.Len(t, got.Org.Addresses, 1)
	require.NotNil(t, got.Org.Addresses[0].NodeID)
}

// TestLiveSkeletonBlankTimestamps: the raw skeletons carry "" where the
// server sent a timestamp (the recorder blanked it). The SDK does not
// guess a time: it is a DecodeError that names the field's path.
func TestLiveSkeletonBlankTimestamps(t *testing.T) {
	t.Parallel()
	for file, path := range map[string]string{
		"organizations_list.xurrent-live-skeleton.json": "[0].created_at: ",
		"organization_get.xurrent-live-skeleton.json":   "created_at: ",
	} {
		body, err := os.ReadFile(filepath.Join(liveShapes, file))
		require.NoError(t, err)
		v := decodeLive(t, body)
		require.NotNil(t, v.Error, file)
		assert.Contains(t, v.Error.Error, path, file)
		assert.Nil(t, v.List)
		assert.Nil(t, v.Org)
	}
}
