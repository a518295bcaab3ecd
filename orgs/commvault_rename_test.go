package orgs_test

import (
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/orgsdk/orgsdk/commvault/commvaulttest"
	"github.com/orgsdk/orgsdk/orgs"
)

// TestCommvaultRenameRefusals: a rename onto another company's name is
// the server's refusal (ErrConflict), a missing company ErrNotFound, and
// neither is read back nor sent twice.
func TestCommvaultRenameRefusals(t *testing.T) {
	t.Parallel()
	dir, srv := fakeOf(t, "commvault")
	put := func() int { return srv.HitsFor(http.MethodPut, commvaulttest.Prefix+"Organization") }

	_, err := dir.Rename(t.Context(), "16", "company001")
	require.ErrorIs(t, err, orgs.ErrConflict)
	assertProviderError(t, "commvault", "rename", err)
	assert.Equal(t, 1, put())

	_, err = dir.Rename(t.Context(), "999", "Anything")
	require.ErrorIs(t, err, orgs.ErrNotFound)
	assert.Equal(t, 2, put())
	assert.Zero(t, srv.HitsFor(http.MethodGet, commvaulttest.Prefix+"Organization/999"), "nothing read back after a refusal")

	org, err := dir.Rename(t.Context(), "16", "test Company 2")
	require.NoError(t, err)
	assert.Equal(t, "test Company 2", org.Name)
	assert.Equal(t, orgs.True, org.Active)
	assert.False(t, org.CreatedAt.IsZero(), "read back with Get")
}
