package orgs_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/orgsdk/orgsdk/commvault"
	"github.com/orgsdk/orgsdk/jsonapi"
	"github.com/orgsdk/orgsdk/orgs"
	"github.com/orgsdk/orgsdk/orgs/orgstest"
	"github.com/orgsdk/orgsdk/readycloud"
	"github.com/orgsdk/orgsdk/rservice"
)

// TestConformance runs the conformance suite against the directory of
// each provider over its fake server: the same cases for all four.
func TestConformance(t *testing.T) {
	t.Parallel()
	for _, f := range fakes() {
		t.Run(f.provider, func(t *testing.T) {
			t.Parallel()
			orgstest.Run(t, orgstest.Harness{
				NewDirectory: func(t *testing.T) *orgs.Directory {
					dir, _ := f.open(t)
					return dir
				},
				MissingID: f.missing,
				CheckAs:   checkAs[f.provider],
			})
		})
	}
}

// checkAs checks that each provider's organizations reach its own value,
// holding the same id and name.
var checkAs = map[string]func(t *testing.T, org *orgs.Organization){
	"readycloud": func(t *testing.T, org *orgs.Organization) {
		var rc *readycloud.Organization
		require.True(t, org.As(&rc))
		assert.Equal(t, org.ID, rc.ID)
		assert.Equal(t, org.Name, rc.Name)
		var wrong *rservice.Organization
		assert.False(t, org.As(&wrong), "a readycloud organization is no rservice one")
	},
	"rservice": func(t *testing.T, org *orgs.Organization) {
		var rs *rservice.Organization
		require.True(t, org.As(&rs))
		assert.Equal(t, org.ID, formatInt(rs.ID))
		assert.Equal(t, org.Name, rs.Name)
	},
	"commvault": func(t *testing.T, org *orgs.Organization) {
		var cv *commvault.Organization
		require.True(t, org.As(&cv))
		assert.Equal(t, org.ID, formatInt(int64(cv.ID)))
		assert.Equal(t, org.Name, cv.Name)
	},
	"jsonapi": func(t *testing.T, org *orgs.Organization) {
		var ja *jsonapi.Organization
		require.True(t, org.As(&ja))
		assert.Equal(t, org.ID, ja.ID)
		assert.Equal(t, org.Name, ja.Name)
	},
}
