package orgsdk_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/orgsdk/orgsdk"
	"github.com/orgsdk/orgsdk/commvault"
	"github.com/orgsdk/orgsdk/jsonapi"
	"github.com/orgsdk/orgsdk/readycloud"
	"github.com/orgsdk/orgsdk/rservice"
)

// TestDecodeErrorsNameTheFieldPath is the family's rule (issue 21.4): a
// list whose second organization has a field of the wrong type fails with
// a *DecodeError whose text names the path to that field, in every
// provider, so a user finds the bad value in a page of a hundred.
func TestDecodeErrorsNameTheFieldPath(t *testing.T) {
	t.Parallel()
	cases := []struct {
		provider    string
		contentType string
		body        string
		path        string
		list        func(ctx context.Context, base string) error
	}{
		{"readycloud", "application/json",
			`{"count":2,"next":null,"previous":null,"results":[{"url":"/api/v2/orgs/1/","name":"A"},{"url":"/api/v2/orgs/2/","name":5}]}`,
			"results[1].name", func(ctx context.Context, base string) error {
				c, err := readycloud.NewClient("token-value", readycloud.WithBaseURL(base+"/api/v2/"))
				require.NoError(t, err)
				_, _, err = c.Organizations.List(ctx, nil)
				return err
			}},
		{"rservice", "application/json",
			`[{"id":1,"name":"A"},{"id":2,"name":"B","created_at":5}]`,
			"[1].created_at", func(ctx context.Context, base string) error {
				c, err := rservice.NewClient("token-value", rservice.WithAccount("acme"), rservice.WithBaseURL(base+"/v1/"))
				require.NoError(t, err)
				_, _, err = c.Organizations.List(ctx, nil)
				return err
			}},
		{"commvault", "application/json",
			`{"providers":[{"connectName":"A","shortName":{"domainName":"a","id":1}},{"connectName":"B","shortName":{"domainName":"b","id":"two"}}]}`,
			"providers[1].shortName.id", func(ctx context.Context, base string) error {
				c, err := commvault.NewClient(base+"/commandcenter/api/", commvault.WithToken("QSDK token-value"))
				require.NoError(t, err)
				_, _, err = c.Organizations.List(ctx, nil)
				return err
			}},
		{"jsonapi", "application/vnd.api+json",
			`{"data":[{"id":"a","type":"organizations","attributes":{"name":"A"}},{"id":"b","type":"organizations","attributes":{"name":5}}]}`,
			"data[1].attributes.name", func(ctx context.Context, base string) error {
				c, err := jsonapi.NewClient("token-value", jsonapi.WithBaseURL(base+"/api/v2/"))
				require.NoError(t, err)
				_, _, err = c.Organizations.List(ctx, nil)
				return err
			}},
	}
	for _, tc := range cases {
		t.Run(tc.provider, func(t *testing.T) {
			t.Parallel()
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", tc.contentType)
				_, _ = w.Write([]byte(tc.body))
			}))
			t.Cleanup(srv.Close)
			err := tc.list(t.Context(), srv.URL)
			require.Error(t, err)
			var de *orgsdk.DecodeError
			require.True(t, errors.As(err, &de), "%T: %v", err, err)
			assert.Contains(t, err.Error(), tc.path+": ", "the error names the field's path")
		})
	}
}
