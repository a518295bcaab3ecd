package rservice_test

// Issue 21: every sub-collection operation against the fake
// (rservicetest), which serves them with the API's paging, 422 tuples and
// 404s. Writes count the server's hits.

import (
	"iter"
	"net/http"
	"strconv"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/orgsdk/orgsdk"
	"github.com/orgsdk/orgsdk/rservice"
)

func TestFakeAddressesCRUD(t *testing.T) {
	t.Parallel()
	srv, c := newFake(t)
	ctx := t.Context()
	o := c.Organizations

	page, _, err := o.ListAddresses(ctx, 50, nil)
	require.NoError(t, err)
	require.Len(t, page.Items, 1)
	seeded := page.Items[0]
	assert.Equal(t, int64(71), seeded.ID)
	assert.Equal(t, "1172 Park Avenue", seeded.Address)
	assert.Equal(t, 1, page.Total)

	a, _, err := o.CreateAddress(ctx, 50, &rservice.AddressInput{
		Label: rservice.Set(rservice.LabelBilling), Address: rservice.Set("PO Box 7"), City: rservice.Set("Albany"),
		State: rservice.Set("NY"), Zip: rservice.Set("12201"), Country: rservice.Set("US"), Integration: rservice.Set(true),
	})
	require.NoError(t, err)
	assert.Equal(t, rservice.LabelBilling, a.Label)
	assert.Equal(t, "PO Box 7", a.Address)
	assert.True(t, a.Integration)
	assert.NotNil(t, a.NodeID, "a new record has a node id")
	assert.Equal(t, 1, srv.HitsFor(http.MethodPost, "/v1/organizations/50/addresses"))

	got, _, err := o.GetAddress(ctx, 50, a.ID)
	require.NoError(t, err)
	assert.Equal(t, a, got)

	up, _, err := o.UpdateAddress(ctx, 50, a.ID, &rservice.AddressInput{City: rservice.Set("Troy"), Zip: rservice.Null[string]()})
	require.NoError(t, err)
	assert.Equal(t, "Troy", up.City)
	assert.Empty(t, up.Zip, "cleared")
	assert.Equal(t, "PO Box 7", up.Address, "left out, kept")
	assert.Equal(t, 1, srv.HitsFor(http.MethodPatch, "/v1/organizations/50/addresses/"+itoa(a.ID)))

	org, ok := srv.Organization(50)
	require.True(t, ok)
	require.Len(t, org.Addresses, 2, "the organization shows its addresses")

	_, err = o.DeleteAddress(ctx, 50, a.ID)
	require.NoError(t, err)
	assert.Equal(t, 1, srv.HitsFor(http.MethodDelete, "/v1/organizations/50/addresses/"+itoa(a.ID)))
	_, _, err = o.GetAddress(ctx, 50, a.ID)
	require.ErrorIs(t, err, rservice.ErrNotFound)
	_, err = o.DeleteAddress(ctx, 50, a.ID)
	require.ErrorIs(t, err, rservice.ErrNotFound, "deleting twice is a 404")

	_, err = o.DeleteAllAddresses(ctx, 50)
	require.NoError(t, err)
	assert.Equal(t, 1, srv.HitsFor(http.MethodDelete, "/v1/organizations/50/addresses"))
	page, _, err = o.ListAddresses(ctx, 50, nil)
	require.NoError(t, err)
	assert.Empty(t, page.Items)
	assert.Equal(t, 0, page.Total)
	org, _ = srv.Organization(50)
	assert.Empty(t, org.Addresses)
	other, _ := srv.Organization(6)
	assert.Len(t, other.Contacts, 1, "DeleteAllAddresses touches one organization's addresses only")
}

func TestFakeContactsCRUD(t *testing.T) {
	t.Parallel()
	srv, c := newFake(t)
	ctx := t.Context()
	o := c.Organizations

	var protocols []string
	for ct, err := range o.AllContacts(ctx, 50, nil) {
		require.NoError(t, err)
		protocols = append(protocols, ct.Protocol+"="+ct.Value)
	}
	assert.Equal(t, []string{"telephone=+1 (212) 369 2610", "telephone=+1 (212) 369 2611", "website=www.widget.com"}, protocols)

	ct, _, err := o.CreateContact(ctx, 50, &rservice.ContactInput{Label: rservice.Set("service_desk"), Email: rservice.Set("desk@widget.com")})
	require.NoError(t, err)
	assert.Equal(t, rservice.ProtocolEmail, ct.Protocol)
	assert.Equal(t, "desk@widget.com", ct.Value)
	assert.Equal(t, 1, srv.HitsFor(http.MethodPost, "/v1/organizations/50/contacts"))

	// Switching the protocol replaces the old one.
	up, _, err := o.UpdateContact(ctx, 50, ct.ID, &rservice.ContactInput{Telephone: rservice.Set("+1 555 0100")})
	require.NoError(t, err)
	assert.Equal(t, rservice.ProtocolTelephone, up.Protocol)
	assert.Equal(t, "+1 555 0100", up.Value)
	assert.Equal(t, "service_desk", up.Label)

	got, _, err := o.GetContact(ctx, 50, ct.ID)
	require.NoError(t, err)
	assert.Equal(t, up, got)

	_, err = o.DeleteContact(ctx, 50, ct.ID)
	require.NoError(t, err)
	_, _, err = o.GetContact(ctx, 50, ct.ID)
	require.ErrorIs(t, err, rservice.ErrNotFound)
	_, _, err = o.UpdateContact(ctx, 50, ct.ID, &rservice.ContactInput{Label: rservice.Set("general")})
	require.ErrorIs(t, err, rservice.ErrNotFound)

	_, err = o.DeleteAllContacts(ctx, 50)
	require.NoError(t, err)
	assert.Equal(t, 1, srv.HitsFor(http.MethodDelete, "/v1/organizations/50/contacts"))
	page, _, err := o.ListContacts(ctx, 50, nil)
	require.NoError(t, err)
	assert.Empty(t, page.Items)
}

// TestFakeSubCollectionPaging walks the sub-collections over the fake's
// Link cursors, one page at a time and with All.
func TestFakeSubCollectionPaging(t *testing.T) {
	t.Parallel()
	srv, c := newFake(t)
	ctx := t.Context()
	o := c.Organizations
	for i := range 5 {
		_, _, err := o.CreateAddress(ctx, 6, &rservice.AddressInput{Label: rservice.Set(rservice.LabelStreet), Address: rservice.Set(itoa(int64(i+1)) + " Main St")})
		require.NoError(t, err)
	}

	page, resp, err := o.ListAddresses(ctx, 6, &rservice.ListOptions{PerPage: 2})
	require.NoError(t, err)
	assert.Len(t, page.Items, 2)
	assert.Equal(t, 5, page.Total)
	assert.Equal(t, 3, page.TotalPages)
	assert.Equal(t, 2, page.PerPage)
	assert.Equal(t, 1, page.CurrentPage)
	require.NotEmpty(t, resp.NextCursor)
	var seen []string
	for _, a := range page.Items {
		seen = append(seen, a.Address)
	}
	for resp.NextCursor != "" {
		page, resp, err = o.ListAddresses(ctx, 6, &rservice.ListOptions{Cursor: resp.NextCursor})
		require.NoError(t, err)
		for _, a := range page.Items {
			seen = append(seen, a.Address)
		}
	}
	assert.Equal(t, []string{"1 Main St", "2 Main St", "3 Main St", "4 Main St", "5 Main St"}, seen)

	before := srv.Hits()
	n := 0
	for _, err := range o.AllAddresses(ctx, 6, &rservice.ListOptions{PerPage: 2}) {
		require.NoError(t, err)
		n++
	}
	assert.Equal(t, 5, n)
	assert.Equal(t, 3, srv.Hits()-before, "three pages")

	// MaxPages stops the walk with ErrTooManyPages.
	n = 0
	var walkErr error
	for _, err := range o.AllAddresses(ctx, 6, &rservice.ListOptions{PerPage: 2, MaxPages: 2}) {
		if err != nil {
			walkErr = err
			break
		}
		n++
	}
	assert.Equal(t, 4, n)
	require.ErrorIs(t, walkErr, rservice.ErrTooManyPages)
}

// TestFakeChildrenViews: the children of Widget North America, Inc. (51)
// with the enabled and disabled views, over several pages, and with the
// organization filters and sort the children list takes.
func TestFakeChildrenViews(t *testing.T) {
	t.Parallel()
	srv, c := newFake(t)
	ctx := t.Context()
	o := c.Organizations
	var want, wantEnabled, wantDisabled []int64
	for _, org := range srv.Organizations() {
		if org.Parent != nil && org.Parent.ID == 51 {
			want = append(want, org.ID)
			if org.Disabled {
				wantDisabled = append(wantDisabled, org.ID)
			} else {
				wantEnabled = append(wantEnabled, org.ID)
			}
		}
	}
	require.NotEmpty(t, wantDisabled)
	require.NotEmpty(t, wantEnabled)
	walk := func(opts *rservice.ListOptions) []int64 {
		t.Helper()
		var ids []int64
		for ch, err := range o.AllChildren(ctx, 51, opts) {
			require.NoError(t, err)
			require.NotNil(t, ch.Parent)
			assert.Equal(t, int64(51), ch.Parent.ID)
			ids = append(ids, ch.ID)
		}
		return ids
	}
	assert.ElementsMatch(t, want, walk(&rservice.ListOptions{PerPage: 7}))
	assert.ElementsMatch(t, wantEnabled, walk(&rservice.ListOptions{View: rservice.Enabled, PerPage: 7}))
	assert.ElementsMatch(t, wantDisabled, walk(&rservice.ListOptions{View: rservice.Disabled}))

	page, _, err := o.ListChildren(ctx, 51, &rservice.ListOptions{PerPage: 5})
	require.NoError(t, err)
	assert.Len(t, page.Items, 5)
	assert.Equal(t, len(want), page.Total)

	// The children list takes the organization filters and sort.
	page, _, err = o.ListChildren(ctx, 51, &rservice.ListOptions{
		Filters: []rservice.Filter{rservice.In("id", wantDisabled[0], wantDisabled[1], 50)},
		Sort:    []string{"-id"},
	})
	require.NoError(t, err)
	var ids []int64
	for _, ch := range page.Items {
		ids = append(ids, ch.ID)
	}
	assert.Equal(t, []int64{wantDisabled[1], wantDisabled[0], 50}, ids, "filtered and sorted by the server")

	// An organization without children, and one the server does not have.
	page, _, err = o.ListChildren(ctx, 50, nil)
	require.NoError(t, err)
	assert.Empty(t, page.Items)
	_, _, err = o.ListChildren(ctx, 999, nil)
	require.ErrorIs(t, err, rservice.ErrNotFound)
}

// TestFakePeopleViews: the people of an organization, all, enabled and
// disabled, with the fields the collection returns by default.
func TestFakePeopleViews(t *testing.T) {
	t.Parallel()
	_, c := newFake(t)
	ctx := t.Context()
	o := c.Organizations
	names := func(opts *rservice.ListOptions) []string {
		t.Helper()
		var out []string
		for p, err := range o.AllPeople(ctx, 50, opts) {
			require.NoError(t, err)
			require.NotNil(t, p.Organization)
			assert.Equal(t, int64(50), p.Organization.ID)
			assert.False(t, p.CreatedAt.IsZero())
			out = append(out, p.Name)
		}
		return out
	}
	assert.Equal(t, []string{"Dwight Schuster", "Ellen Brown"}, names(nil))
	assert.Equal(t, []string{"Ellen Brown"}, names(&rservice.ListOptions{View: rservice.Enabled}))
	assert.Equal(t, []string{"Dwight Schuster"}, names(&rservice.ListOptions{View: rservice.Disabled}))

	page, _, err := o.ListPeople(ctx, 51, &rservice.ListOptions{PerPage: 1})
	require.NoError(t, err)
	require.Len(t, page.Items, 1)
	assert.Equal(t, 2, page.Total)
	p := page.Items[0]
	assert.Equal(t, "Buck Kreuter", p.Name)
	require.NotNil(t, p.Manager, "manager is a default field")
	require.NotNil(t, p.Site, "site is a default field")
	require.NotNil(t, p.Account, "a live tenant sends the account")
	require.NotNil(t, p.NodeID)

	_, _, err = o.ListPeople(ctx, 999, nil)
	require.ErrorIs(t, err, rservice.ErrNotFound)
}

// TestFakeSubCollectionValidation: what the SDK sends but the server
// refuses comes back as a 422 with the API's [field, message] tuples.
func TestFakeSubCollectionValidation(t *testing.T) {
	t.Parallel()
	srv, c := newFake(t)
	ctx := t.Context()
	before, _ := srv.Organization(50)
	_, _, err := c.Organizations.CreateAddress(ctx, 50, &rservice.AddressInput{Label: rservice.Set("home"), City: rservice.Set("Oslo")})
	require.ErrorIs(t, err, rservice.ErrValidation)
	var apiErr *rservice.APIError
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, http.StatusUnprocessableEntity, apiErr.StatusCode)
	assert.Equal(t, "Validation Failed", apiErr.Message)
	assert.Equal(t, []orgsdk.ErrorDetail{{Field: "label", Message: "Label is not included in the list"}}, apiErr.Details)
	assert.Equal(t, 1, srv.HitsFor(http.MethodPost, "/v1/organizations/50/addresses"), "not resent")

	_, _, err = c.Organizations.UpdateAddress(ctx, 50, 71, &rservice.AddressInput{Label: rservice.Set("home")})
	require.ErrorIs(t, err, rservice.ErrValidation)
	after, _ := srv.Organization(50)
	assert.Equal(t, before, after, "nothing applied")

	// A raw body with three faults: one tuple each, in field order.
	req, err := c.NewRequest(http.MethodPost, "organizations/50/contacts", map[string]any{"label": "", "colour": "red"})
	require.NoError(t, err)
	_, err = c.Do(ctx, req, nil)
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, []orgsdk.ErrorDetail{
		{Field: "colour", Message: "is not a known field"},
		{Field: "label", Message: "Label can't be blank"},
		{Field: "telephone", Message: "Telephone, email or website is required"},
	}, apiErr.Details)
}

// TestFakeSubCollectionNotFound: an unknown organization or record is a
// 404 for every operation, and nothing is created.
func TestFakeSubCollectionNotFound(t *testing.T) {
	t.Parallel()
	srv, c := newFake(t)
	ctx := t.Context()
	o := c.Organizations
	for name, call := range map[string]func() error{
		"ListAddresses": func() error { _, _, err := o.ListAddresses(ctx, 999, nil); return err },
		"GetAddress":    func() error { _, _, err := o.GetAddress(ctx, 50, 999); return err },
		"CreateAddress": func() error {
			_, _, err := o.CreateAddress(ctx, 999, &rservice.AddressInput{Label: rservice.Set("street")})
			return err
		},
		"UpdateAddress": func() error {
			_, _, err := o.UpdateAddress(ctx, 50, 225, &rservice.AddressInput{City: rservice.Set("x")})
			return err
		},
		"DeleteAddress":      func() error { _, err := o.DeleteAddress(ctx, 6, 71); return err },
		"DeleteAllAddresses": func() error { _, err := o.DeleteAllAddresses(ctx, 999); return err },
		"ListContacts":       func() error { _, _, err := o.ListContacts(ctx, 999, nil); return err },
		"GetContact":         func() error { _, _, err := o.GetContact(ctx, 6, 225); return err },
		"CreateContact": func() error {
			_, _, err := o.CreateContact(ctx, 999, &rservice.ContactInput{Label: rservice.Set("general"), Website: rservice.Set("x.example")})
			return err
		},
		"UpdateContact": func() error {
			_, _, err := o.UpdateContact(ctx, 50, 71, &rservice.ContactInput{Label: rservice.Set("fax")})
			return err
		},
		"DeleteContact":     func() error { _, err := o.DeleteContact(ctx, 50, 999); return err },
		"DeleteAllContacts": func() error { _, err := o.DeleteAllContacts(ctx, 999); return err },
		"ListChildren":      func() error { _, _, err := o.ListChildren(ctx, 999, nil); return err },
		"ListPeople disabled": func() error {
			_, _, err := o.ListPeople(ctx, 999, &rservice.ListOptions{View: rservice.Disabled})
			return err
		},
		"AllChildren":  func() error { return firstErr(o.AllChildren(ctx, 999, nil)) },
		"AllPeople":    func() error { return firstErr(o.AllPeople(ctx, 999, nil)) },
		"AllContacts":  func() error { return firstErr(o.AllContacts(ctx, 999, nil)) },
		"AllAddresses": func() error { return firstErr(o.AllAddresses(ctx, 999, nil)) },
	} {
		err := call()
		assert.ErrorIs(t, err, rservice.ErrNotFound, name)
	}
	org, _ := srv.Organization(50)
	assert.Len(t, org.Addresses, 1, "nothing created or removed")
	assert.Len(t, org.Contacts, 3)
}

func firstErr[T any](seq iter.Seq2[T, error]) error {
	for _, err := range seq {
		if err != nil {
			return err
		}
	}
	return nil
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// TestDecodeErrorPathThroughAContact: a contact decodes through its own
// UnmarshalJSON (the protocol is a key), and its faults still name the
// path from the top: organization.contacts[1].email.
func TestDecodeErrorPathThroughAContact(t *testing.T) {
	t.Parallel()
	for body, path := range map[string]string{
		`{"id":7,"name":"x","contacts":[{"id":1,"label":"general","email":"a@b"},{"id":2,"label":"general","email":5}]}`: "contacts[1].email: ",
		`{"id":7,"name":"x","contacts":[{"id":1,"label":"general","nodeID":false}]}`:                                     "contacts[0].nodeID: ",
		`{"id":7,"name":"x","addresses":[{"id":1,"label":"street","zip":10128}]}`:                                        "addresses[0].zip: ",
	} {
		v := decodeLive(t, []byte(body))
		require.NotNil(t, v.Error, body)
		assert.Contains(t, v.Error.Error, "): "+path, body)
	}
}
