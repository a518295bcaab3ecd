package rservice_test

import (
	"context"
	"errors"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/orgsdk/orgsdk/internal/faulttest"
	"github.com/orgsdk/orgsdk/rservice"
)

// subServer answers the sub-collection requests of organization 7 the way
// the API does; anything else is a 404.
func subServer(t *testing.T) (*faulttest.Server, *rservice.Client) {
	t.Helper()
	srv := faulttest.NewServer(t, func(w http.ResponseWriter, r *http.Request, body []byte) bool {
		w.Header().Set("Content-Type", "application/json")
		switch r.Method + " " + r.URL.Path {
		case "GET /organizations/7/addresses":
			if r.URL.Query().Get("page") == "2" {
				w.Header().Set("X-Pagination-Total-Entries", "3")
				_, _ = w.Write([]byte(`[{"id":3,"label":"billing","city":"Oslo","nodeID":"NG-3","account":{"id":"acme","name":"Acme"}}]`))
				return true
			}
			w.Header().Set("X-Pagination-Total-Entries", "3")
			w.Header().Set("Link", `<`+"http://"+r.Host+`/organizations/7/addresses?page=2&per_page=2>; rel="next"`)
			_, _ = w.Write([]byte(`[{"id":1,"label":"street","address":"1 Main St"},{"id":2,"label":"mailing","city":"Bergen"}]`))
		case "GET /organizations/7/addresses/1":
			_, _ = w.Write([]byte(`{"id":1,"label":"street","address":"1 Main St"}`))
		case "GET /organizations/7/addresses/9":
			w.WriteHeader(http.StatusNotFound)
			_, _ = w.Write([]byte(`{"message":"Not Found"}`))
		case "POST /organizations/7/addresses":
			w.WriteHeader(http.StatusBadGateway) // the write may have been acted on
			_, _ = w.Write([]byte(`{"message":"Bad Gateway"}`))
		case "PATCH /organizations/7/addresses/1":
			_, _ = w.Write(append([]byte(`{"id":1,"label":"street",`), body[1:]...))
		case "DELETE /organizations/7/addresses", "DELETE /organizations/7/addresses/1":
			w.WriteHeader(http.StatusNoContent)
		case "GET /organizations/7/contacts":
			_, _ = w.Write([]byte(`[{"id":5,"label":"email","telephone":null,"email":"desk@acme.example"},{"id":"x"}]`))
		default:
			return false
		}
		return true
	}, http.NotFound)
	c, err := rservice.NewClient("tok-secret", rservice.WithBaseURL(srv.URL+"/"), rservice.WithRetryWait(time.Millisecond, 5*time.Millisecond))
	require.NoError(t, err)
	return srv, c
}

func TestAddressesWalkPagesAndKeepLiveTenantFields(t *testing.T) {
	t.Parallel()
	srv, c := subServer(t)
	page, resp, err := c.Organizations.ListAddresses(t.Context(), 7, &rservice.ListOptions{PerPage: 2})
	require.NoError(t, err)
	assert.Len(t, page.Items, 2)
	assert.Equal(t, 3, page.Total)
	assert.NotEmpty(t, resp.NextCursor)

	var cities []string
	var last *rservice.Address
	for a, err := range c.Organizations.AllAddresses(t.Context(), 7, &rservice.ListOptions{PerPage: 2}) {
		require.NoError(t, err)
		cities = append(cities, a.City)
		last = a
	}
	assert.Equal(t, []string{"", "Bergen", "Oslo"}, cities)
	require.NotNil(t, last.NodeID)
	assert.Equal(t, "NG-3", *last.NodeID)
	require.NotNil(t, last.Account)
	assert.Equal(t, 1+2, srv.Count(http.MethodGet, "/organizations/7/addresses"))
}

func TestAddressReadWriteDelete(t *testing.T) {
	t.Parallel()
	srv, c := subServer(t)
	ctx := t.Context()
	a, _, err := c.Organizations.GetAddress(ctx, 7, 1)
	require.NoError(t, err)
	assert.Equal(t, "1 Main St", a.Address)

	_, _, err = c.Organizations.GetAddress(ctx, 7, 9)
	assert.ErrorIs(t, err, rservice.ErrNotFound)

	up, _, err := c.Organizations.UpdateAddress(ctx, 7, 1, &rservice.AddressInput{City: rservice.Set("Tromsø"), Zip: rservice.Null[string]()})
	require.NoError(t, err)
	assert.Equal(t, "Tromsø", up.City)
	assert.JSONEq(t, `{"city":"Tromsø","zip":null}`, srv.Bodies(http.MethodPatch, "/organizations/7/addresses/1")[0], "only what was set is sent")

	_, err = c.Organizations.DeleteAddress(ctx, 7, 1)
	require.NoError(t, err)
	_, err = c.Organizations.DeleteAllAddresses(ctx, 7)
	require.NoError(t, err)
	assert.Equal(t, 1, srv.Count(http.MethodDelete, "/organizations/7/addresses"))
}

// TestAddressCreateIsSentOnce: a 502 after a POST may have reached the
// server is never resent.
func TestAddressCreateIsSentOnce(t *testing.T) {
	t.Parallel()
	srv, c := subServer(t)
	_, _, err := c.Organizations.CreateAddress(t.Context(), 7, &rservice.AddressInput{Label: rservice.Set(rservice.LabelStreet), Address: rservice.Set("1 Main St")})
	var apiErr *rservice.APIError
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, http.StatusBadGateway, apiErr.StatusCode)
	assert.Equal(t, 1, srv.Count(http.MethodPost, "/organizations/7/addresses"))
	srv.AssertNoWriteTwice(t)
}

// TestSubCollectionArgumentsCheckedBeforeIO: ids ≤ 0 and nil inputs are
// refused with ErrInvalidArgument and send nothing.
func TestSubCollectionArgumentsCheckedBeforeIO(t *testing.T) {
	t.Parallel()
	srv, c := subServer(t)
	ctx := context.Background()
	o := c.Organizations
	for name, call := range map[string]func() error{
		"ListAddresses org 0":      func() error { _, _, err := o.ListAddresses(ctx, 0, nil); return err },
		"GetAddress id 0":          func() error { _, _, err := o.GetAddress(ctx, 7, 0); return err },
		"CreateAddress nil":        func() error { _, _, err := o.CreateAddress(ctx, 7, nil); return err },
		"UpdateAddress org -1":     func() error { _, _, err := o.UpdateAddress(ctx, -1, 1, &rservice.AddressInput{}); return err },
		"DeleteAddress id 0":       func() error { _, err := o.DeleteAddress(ctx, 7, 0); return err },
		"DeleteAllAddresses org 0": func() error { _, err := o.DeleteAllAddresses(ctx, 0); return err },
		"DeleteAllContacts org 0":  func() error { _, err := o.DeleteAllContacts(ctx, 0); return err },
		"CreateContact nil":        func() error { _, _, err := o.CreateContact(ctx, 7, nil); return err },
		"ListChildren org 0":       func() error { _, _, err := o.ListChildren(ctx, 0, nil); return err },
		"ListPeople org 0":         func() error { _, _, err := o.ListPeople(ctx, 0, nil); return err },
	} {
		err := call()
		assert.ErrorIs(t, err, rservice.ErrInvalidArgument, name)
	}
	assert.Zero(t, srv.Total(), "nothing may be sent")
}

// TestSubCollectionDecodeErrorNamesThePath: a bad field says where it is.
func TestSubCollectionDecodeErrorNamesThePath(t *testing.T) {
	t.Parallel()
	_, c := subServer(t)
	_, _, err := c.Organizations.ListContacts(t.Context(), 7, nil)
	var de *rservice.DecodeError
	require.True(t, errors.As(err, &de), "%v", err)
	assert.Contains(t, err.Error(), "[1].id")
}

// TestFakeServesAddresses: the fake's sub-collections answer the SDK's
// writes and reads as the API does (201, the record back, 204, 404 after).
func TestFakeServesAddresses(t *testing.T) {
	t.Parallel()
	srv, c := newFake(t)
	ctx := t.Context()
	a, _, err := c.Organizations.CreateAddress(ctx, 50, &rservice.AddressInput{Label: rservice.Set(rservice.LabelStreet), Address: rservice.Set("1 Main St"), Country: rservice.Set("US")})
	require.NoError(t, err)
	assert.Equal(t, "1 Main St", a.Address)
	assert.Equal(t, 1, srv.HitsFor(http.MethodPost, "/v1/organizations/50/addresses"), "a create is sent once")

	got, _, err := c.Organizations.GetAddress(ctx, 50, a.ID)
	require.NoError(t, err)
	assert.Equal(t, a.ID, got.ID)
	var ids []int64
	for x, err := range c.Organizations.AllAddresses(ctx, 50, nil) {
		require.NoError(t, err)
		ids = append(ids, x.ID)
	}
	assert.Contains(t, ids, a.ID)

	_, err = c.Organizations.DeleteAllAddresses(ctx, 50)
	require.NoError(t, err)
	_, _, err = c.Organizations.GetAddress(ctx, 50, a.ID)
	assert.ErrorIs(t, err, rservice.ErrNotFound)
}
