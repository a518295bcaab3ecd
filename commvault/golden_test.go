package commvault_test

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/orgsdk/orgsdk/commvault"
	"github.com/orgsdk/orgsdk/internal/golden"
	"github.com/orgsdk/orgsdk/internal/recording"
)

const testdataDir = "../testdata/commvault"

// TestGolden replays the recorded bodies (JSON as recorded, XML in the
// form constructed from them) and compares the decoded values with one
// golden file per endpoint: both formats must decode to the same value.
func TestGolden(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		dir    string
		format commvault.Format
	}{{"json", commvault.JSON}, {"xml", commvault.XML}} {
		t.Run(tc.dir, func(t *testing.T) {
			t.Parallel()
			exs, err := recording.LoadDir(filepath.Join(testdataDir, tc.dir))
			require.NoError(t, err)
			require.Len(t, exs, 5)
			srv := recording.NewServer(exs...)
			defer srv.Close()
			c, err := commvault.NewClient(srv.URL+"/commandcenter/api",
				commvault.WithCredentials("admin", "golden-password"),
				commvault.WithFormat(tc.format),
				commvault.WithRetryWait(time.Millisecond, 20*time.Millisecond))
			require.NoError(t, err)
			ctx := context.Background()

			info, _, err := c.Login(ctx)
			require.NoError(t, err)
			golden.AssertJSON(t, filepath.Join(testdataDir, "login.golden.json"), info)

			list, _, err := c.Organizations.List(ctx)
			require.NoError(t, err)
			golden.AssertJSON(t, filepath.Join(testdataDir, "list.golden.json"), list)

			org, _, err := c.Organizations.Get(ctx, 16)
			require.NoError(t, err)
			golden.AssertJSON(t, filepath.Join(testdataDir, "get.golden.json"), org)
			assert.Equal(t, time.Unix(1507659390, 0).UTC(), org.Properties.CreatedAt)

			plans, _, err := c.Organizations.DefaultPlan(ctx, 16)
			require.NoError(t, err)
			golden.AssertJSON(t, filepath.Join(testdataDir, "defaultplan.golden.json"), plans)
			plan, ok := plans.For(commvault.PlanSubtypeServer)
			require.True(t, ok)
			assert.Equal(t, "Server plan", plan.PlanName)
			assert.Equal(t, "Server", plans.Plans[0].Subtype.String())

			_, err = c.Logout(ctx)
			require.NoError(t, err)
			assert.Equal(t, 5, srv.Hits())
		})
	}
}

// TestGoldenErrors replays the recorded error bodies (from other endpoints
// of the same server) with their original status, and once more each body
// under HTTP 200, where it must still be an *APIError.
func TestGoldenErrors(t *testing.T) {
	t.Parallel()
	exs, err := recording.LoadDir(filepath.Join(testdataDir, "errors"))
	require.NoError(t, err)
	require.Len(t, exs, 4)
	as200 := make([]*recording.Exchange, len(exs))
	for i, ex := range exs {
		cp := *ex
		cp.Response.Status = 200
		as200[i] = &cp
	}
	type outcome struct {
		Status  int    `json:"status"`
		Message string `json:"message,omitempty"`
		Code    string `json:"code,omitempty"`
		OK      bool   `json:"ok,omitempty"`
	}
	got := map[string]outcome{}
	for _, set := range []struct {
		name string
		exs  []*recording.Exchange
	}{{"recorded", exs}, {"as200", as200}} {
		srv := recording.NewServer(set.exs...)
		c, err := commvault.NewClient(srv.URL+"/commandcenter/api/", commvault.WithToken("golden-token"),
			commvault.WithMaxRetries(0), commvault.WithRetryWait(time.Millisecond, 20*time.Millisecond))
		require.NoError(t, err)
		for id := 901; id <= 904; id++ {
			_, _, err := c.Organizations.Get(context.Background(), id)
			key := fmt.Sprintf("%s/%d", set.name, id)
			if err == nil {
				got[key] = outcome{Status: 200, OK: true}
				continue
			}
			apiErr, ok := err.(*commvault.APIError)
			require.True(t, ok, "%s: %T %v", key, err, err)
			got[key] = outcome{Status: apiErr.StatusCode, Message: apiErr.Message, Code: apiErr.Code}
		}
		srv.Close()
	}
	golden.AssertJSON(t, filepath.Join(testdataDir, "errors.golden.json"), got)
}
