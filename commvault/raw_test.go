package commvault_test

import (
	"context"
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/orgsdk/orgsdk/commvault"
	"github.com/orgsdk/orgsdk/commvault/commvaulttest"
)

func TestRawRequests(t *testing.T) {
	t.Parallel()
	bothFormats(t, func(t *testing.T, f commvault.Format) {
		srv := commvaulttest.NewServer()
		defer srv.Close()
		c := newClient(t, srv, commvault.WithFormat(f), commvault.WithRateLimit(100, 1))
		assert.Equal(t, srv.URL, c.BaseURL())
		ctx := context.Background()

		req, err := c.NewRequest(http.MethodGet, "Organization/6/defaultplan", nil)
		require.NoError(t, err)
		assert.Empty(t, req.Header.Get("Authtoken"), "the credential is added per attempt")
		var env struct {
			Info commvault.OrganizationInfo `json:"organizationInfo" xml:"organizationInfo"`
		}
		resp, err := c.Do(ctx, req, &env)
		require.NoError(t, err)
		assert.Equal(t, http.StatusOK, resp.StatusCode)
		assert.Equal(t, "company001", env.Info.Organization.Name)
		assert.Equal(t, 6, env.Info.Organization.ID, "decoding through Do copies shortName.id to ID")
		assert.Equal(t, 1, srv.Logins(), "the raw call logs in like any other")

		req, err = c.NewRequest(http.MethodGet, "Organization", nil)
		require.NoError(t, err)
		var raw []byte
		_, err = c.Do(ctx, req, &raw)
		require.NoError(t, err)
		assert.Contains(t, string(raw), "company001")

		req, err = c.NewRequest(http.MethodGet, "Organization/99", nil)
		require.NoError(t, err)
		_, err = c.Do(ctx, req, nil)
		var apiErr *commvault.APIError
		require.ErrorAs(t, err, &apiErr, "an error inside 200 is an APIError here too")
		assert.Equal(t, "2", apiErr.Code)

		srv.ExpireTokens()
		req, err = c.NewRequest(http.MethodGet, "Organization/6", nil)
		require.NoError(t, err)
		_, err = c.Do(ctx, req, &env)
		require.NoError(t, err)
		assert.Equal(t, 1, srv.Renewals(), "an expired token is renewed once")

		_, err = c.NewRequest(http.MethodGet, "https://evil.example/commandcenter/api/Organization", nil)
		assert.ErrorIs(t, err, commvault.ErrForeignHost)
		//lint:ignore SA1012 a nil context is exactly what is being tested
		_, err = c.Do(nil, req, nil) //nolint:staticcheck
		assert.ErrorIs(t, err, commvault.ErrInvalidArgument)
		_, err = c.Do(ctx, nil, nil)
		assert.ErrorIs(t, err, commvault.ErrInvalidArgument)
	})
}

func TestRawWriteBodyIsEncodedInTheClientsFormat(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		f    commvault.Format
		ct   string
		want string
	}{
		{commvault.JSON, "application/json", `{"a":"b"}`},
		{commvault.XML, "application/xml", `<x a="b"></x>`},
	} {
		c, err := commvault.NewClient("https://host/commandcenter/api/", commvault.WithToken("abc123token"), commvault.WithFormat(tc.f))
		require.NoError(t, err)
		var body any = map[string]string{"a": "b"}
		if tc.f == commvault.XML {
			body = &struct {
				XMLName struct{} `xml:"x"`
				A       string   `xml:"a,attr"`
			}{A: "b"}
		}
		req, err := c.NewRequest(http.MethodPost, "Plan", body)
		require.NoError(t, err)
		assert.Equal(t, tc.ct, req.Header.Get("Content-Type"))
		assert.Equal(t, "https://host/commandcenter/api/Plan", req.URL.String())
		got := make([]byte, 64)
		n, _ := req.Body.Read(got)
		if tc.f == commvault.JSON {
			assert.JSONEq(t, tc.want, string(got[:n]))
		} else {
			assert.Equal(t, tc.want, string(got[:n]))
		}
	}
}
