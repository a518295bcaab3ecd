package commvault_test

import (
	"bytes"
	"context"
	"net/http"
	"runtime"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/orgsdk/orgsdk/commvault"
)

// TestDeeplyNestedBodiesCostBoundedMemory: a 200 body nested a million
// levels deep used to cost ~518 MiB in XML (issue 11.5). Now any nesting
// past 256 levels is a DecodeError, and the call allocates little beyond
// the body itself.
func TestDeeplyNestedBodiesCostBoundedMemory(t *testing.T) {
	const depth = 1 << 20
	for _, tc := range []struct {
		name, ct string
		body     []byte
	}{
		{"xml", "application/xml", append(bytes.Repeat([]byte("<a>"), depth), bytes.Repeat([]byte("</a>"), depth)...)},
		{"json arrays", "application/json", append(append([]byte(`{"organizationInfo":`), bytes.Repeat([]byte("["), depth)...), bytes.Repeat([]byte("]"), depth)...)},
		{"json objects", "application/json", append(bytes.Repeat([]byte(`{"a":`), depth), bytes.Repeat([]byte("}"), depth)...)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv, _ := fixed(t, http.StatusOK, tc.ct, string(tc.body))
			c, err := commvault.NewClient(srv.URL+"/commandcenter/api/", commvault.WithToken("abc123token"))
			require.NoError(t, err)
			var before, after runtime.MemStats
			runtime.GC()
			runtime.ReadMemStats(&before)
			_, _, err = c.Organizations.DefaultPlan(context.Background(), 6)
			runtime.ReadMemStats(&after)
			var decErr *commvault.DecodeError
			require.ErrorAs(t, err, &decErr)
			assert.Contains(t, err.Error(), "nested more than 256 levels")
			allocated := after.TotalAlloc - before.TotalAlloc
			t.Logf("%s: %d-byte body, %.1f MiB allocated", tc.name, len(tc.body), float64(allocated)/(1<<20))
			assert.Less(t, allocated, uint64(64<<20), "allocation must stay in proportion to the body")
		})
	}
}
