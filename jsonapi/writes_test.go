package jsonapi_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/orgsdk/orgsdk/jsonapi"
	"github.com/orgsdk/orgsdk/jsonapi/jsonapitest"
)

const (
	cruID   = "2b8e6f0c-7d1a-4c3e-9f5b-1a2b3c4d5e6f"
	agapeID = "8c4d2e1f-3a5b-4c6d-8e7f-9a0b1c2d3e4f"
)

// lastBody is the document of the last request the fake received.
func lastBody(t *testing.T, srv *jsonapitest.Server) map[string]any {
	t.Helper()
	reqs := srv.Requests()
	require.NotEmpty(t, reqs)
	var doc map[string]any
	require.NoError(t, json.Unmarshal(reqs[len(reqs)-1].Body, &doc))
	return doc
}

func TestOrganizationsCreate(t *testing.T) {
	t.Parallel()
	srv, c := newFake(t)
	ctx := t.Context()

	org, resp, err := c.Organizations.Create(ctx, &jsonapi.OrganizationInput{
		Name: jsonapi.Set("New Org"), Country: jsonapi.Set("Canada"), OrgHelpURL: jsonapi.Set("https://example.org/help"),
	})
	require.NoError(t, err)
	assert.Equal(t, http.StatusCreated, resp.StatusCode)
	assert.Equal(t, "New Org", org.Name)
	require.NotNil(t, org.Country)
	assert.Equal(t, "Canada", *org.Country)
	held, ok := srv.Organization(org.ID)
	require.True(t, ok)
	assert.Equal(t, "New Org", held.Name)
	assert.Equal(t, 1, srv.HitsFor(http.MethodPost, "/api/v2/admin/organizations"))
	req := srv.Requests()[0]
	assert.Equal(t, "application/vnd.api+json", req.Header.Get("Content-Type"))
	assert.JSONEq(t, `{"data":{"type":"organizations","attributes":{"name":"New Org","country":"Canada","org_help_url":"https://example.org/help"}}}`, string(req.Body))

	// Only what is set is sent; Null sends null.
	_, _, err = c.Organizations.Create(ctx, &jsonapi.OrganizationInput{Name: jsonapi.Set("Other"), Country: jsonapi.Null[string]()})
	require.NoError(t, err)
	assert.Equal(t, map[string]any{"name": "Other", "country": nil}, lastBody(t, srv)["data"].(map[string]any)["attributes"])

	// A non-admin gets 403, sent once.
	srv.SetAdmin(false)
	before := srv.Hits()
	_, _, err = c.Organizations.Create(ctx, &jsonapi.OrganizationInput{Name: jsonapi.Set("Nope")})
	require.ErrorIs(t, err, jsonapi.ErrForbidden)
	assert.Contains(t, err.Error(), "must be admin level user")
	assert.Equal(t, before+1, srv.Hits())
}

func TestOrganizationsCreateRefusedBeforeIO(t *testing.T) {
	t.Parallel()
	srv, c := newFake(t)
	for name, in := range map[string]*jsonapi.OrganizationInput{
		"nil":        nil,
		"no name":    {Country: jsonapi.Set("X")},
		"blank name": {Name: jsonapi.Set("  ")},
		"null name":  {Name: jsonapi.Null[string]()},
	} {
		_, _, err := c.Organizations.Create(t.Context(), in)
		require.ErrorIs(t, err, jsonapi.ErrInvalidArgument, name)
	}
	assert.Zero(t, srv.Hits())
}

func TestWriteValidationPointers(t *testing.T) {
	t.Parallel()
	for _, status := range []int{http.StatusBadRequest, http.StatusUnprocessableEntity} {
		t.Run(fmt.Sprint(status), func(t *testing.T) {
			t.Parallel()
			var hits atomic.Int32
			c, _, _ := stub(t, func(w http.ResponseWriter, r *http.Request) {
				hits.Add(1)
				assert.Equal(t, "application/vnd.api+json", r.Header.Get("Content-Type"))
				writeDoc(w, status, fmt.Sprintf(`{"errors":[{"status":"%d","source":{"pointer":"/data/attributes/name"},"title":"can't be blank","detail":"Name can't be blank"}]}`, status))
			})
			_, _, err := c.Organizations.Create(t.Context(), &jsonapi.OrganizationInput{Name: jsonapi.Set("x")})
			require.ErrorIs(t, err, jsonapi.ErrValidation)
			var apiErr *jsonapi.APIError
			require.ErrorAs(t, err, &apiErr)
			require.Len(t, apiErr.Details, 1)
			assert.Equal(t, "/data/attributes/name", apiErr.Details[0].Field)
			assert.Equal(t, "Name can't be blank", apiErr.Details[0].Message)
			assert.EqualValues(t, 1, hits.Load())
		})
	}
}

func TestOrganizationAccountsListAndGet(t *testing.T) {
	t.Parallel()
	srv, c := newFake(t)
	ctx := t.Context()

	list, _, err := c.OrganizationAccounts.List(ctx, &jsonapi.ListOptions{Include: []string{"organization"}})
	require.NoError(t, err)
	require.Len(t, list.Items, 2)
	assert.Equal(t, 2, list.Total)
	a := list.Items[0]
	assert.Equal(t, cruID, a.OrganizationID)
	assert.Equal(t, jsonapitest.PersonID, a.PersonID)
	require.NotNil(t, a.Organization, "the included organization is reachable from the account")
	assert.Equal(t, "Cru", a.Organization.Name)
	require.NotNil(t, list.Items[1].Organization)
	assert.Equal(t, "Agape UK", list.Items[1].Organization.Name)
	assert.Len(t, list.Included, 2)
	assert.Equal(t, "include=organization", srv.Requests()[0].RawQuery)

	// Without include there is no organization, only its id.
	list, _, err = c.OrganizationAccounts.List(ctx, &jsonapi.ListOptions{Filter: map[string]string{"username": "jdoe"}, Sort: "-created_at"})
	require.NoError(t, err)
	require.Len(t, list.Items, 1)
	assert.Nil(t, list.Items[0].Organization)
	assert.Equal(t, agapeID, list.Items[0].OrganizationID)
	assert.True(t, list.Items[0].DisableDownloads)

	// Paging: All walks page by page.
	for i := range 3 {
		srv.AddOrganizationAccount(jsonapitest.Account{OrganizationID: cruID, Username: ptr(fmt.Sprint("extra", i))})
	}
	var ids []string
	for a, err := range c.OrganizationAccounts.All(ctx, &jsonapi.ListOptions{PerPage: 2, Include: []string{"organization"}}) {
		require.NoError(t, err)
		require.NotNil(t, a.Organization)
		ids = append(ids, a.ID)
	}
	assert.Len(t, ids, 5)
	assert.Equal(t, 1+1+3, srv.HitsFor(http.MethodGet, "/api/v2/user/organization_accounts"))

	got, _, err := c.OrganizationAccounts.Get(ctx, ids[0], &jsonapi.GetOptions{Include: []string{"organization"}})
	require.NoError(t, err)
	assert.Equal(t, ids[0], got.ID)
	require.NotNil(t, got.Organization)
	assert.Equal(t, "Cru", got.Organization.Name)

	_, _, err = c.OrganizationAccounts.Get(ctx, "missing", nil)
	require.ErrorIs(t, err, jsonapi.ErrNotFound)
	_, _, err = c.OrganizationAccounts.Get(ctx, " ", nil)
	require.ErrorIs(t, err, jsonapi.ErrInvalidArgument)
	_, _, err = c.OrganizationAccounts.List(ctx, &jsonapi.ListOptions{Sort: "password"})
	require.ErrorIs(t, err, jsonapi.ErrValidation)
}

func ptr[T any](v T) *T { return &v }

func TestOrganizationAccountsCreate(t *testing.T) {
	t.Parallel()
	srv, c := newFake(t)
	ctx := t.Context()
	const password = "hunter2-correct-horse"

	a, resp, err := c.OrganizationAccounts.Create(ctx, &jsonapi.OrganizationAccountInput{
		OrganizationID: cruID, PersonID: jsonapitest.PersonID,
		Username: jsonapi.Set("new-user"), Password: jsonapi.Set[jsonapi.Secret](password),
	})
	require.NoError(t, err)
	assert.Equal(t, http.StatusCreated, resp.StatusCode)
	assert.Equal(t, "new-user", *a.Username)
	assert.Equal(t, cruID, a.OrganizationID)
	assert.False(t, a.UpdatedInDBAt.IsZero())
	assert.NotContains(t, fmt.Sprintf("%+v %#v", a, a), password)
	assert.Equal(t, 1, srv.HitsFor(http.MethodPost, "/api/v2/user/organization_accounts"))
	assert.JSONEq(t, `{"data":{"type":"organization_accounts","attributes":{"username":"new-user","password":"`+password+`"},
		"relationships":{"organization":{"data":{"type":"organizations","id":"`+cruID+`"}},"person":{"data":{"type":"people","id":"`+jsonapitest.PersonID+`"}}}}}`,
		string(srv.Requests()[0].Body))
	_, ok := srv.OrganizationAccount(a.ID)
	assert.True(t, ok)

	// The server's own rules: an unknown organization is a 400 naming it.
	_, _, err = c.OrganizationAccounts.Create(ctx, &jsonapi.OrganizationAccountInput{
		OrganizationID: "nope", PersonID: jsonapitest.PersonID, Username: jsonapi.Set("u"), Password: jsonapi.Set[jsonapi.Secret]("pw-1234"),
	})
	require.ErrorIs(t, err, jsonapi.ErrValidation)
	var apiErr *jsonapi.APIError
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, "/data/attributes/organization", apiErr.Details[0].Field)
	hits := srv.Hits()

	// What MPDX requires is refused before any I/O.
	full := jsonapi.OrganizationAccountInput{OrganizationID: cruID, PersonID: jsonapitest.PersonID, Username: jsonapi.Set("u"), Password: jsonapi.Set[jsonapi.Secret]("pw-1234")}
	for name, edit := range map[string]func(*jsonapi.OrganizationAccountInput){
		"organization": func(in *jsonapi.OrganizationAccountInput) { in.OrganizationID = "" },
		"person":       func(in *jsonapi.OrganizationAccountInput) { in.PersonID = " " },
		"username":     func(in *jsonapi.OrganizationAccountInput) { in.Username = jsonapi.Optional[string]{} },
		"password":     func(in *jsonapi.OrganizationAccountInput) { in.Password = jsonapi.Null[jsonapi.Secret]() },
		"empty pw":     func(in *jsonapi.OrganizationAccountInput) { in.Password = jsonapi.Set[jsonapi.Secret]("") },
	} {
		in := full
		edit(&in)
		_, _, err := c.OrganizationAccounts.Create(ctx, &in)
		require.ErrorIs(t, err, jsonapi.ErrInvalidArgument, name)
	}
	_, _, err = c.OrganizationAccounts.Create(ctx, nil)
	require.ErrorIs(t, err, jsonapi.ErrInvalidArgument)
	assert.Equal(t, hits, srv.Hits())
}

func TestOrganizationAccountsUpdateConcurrency(t *testing.T) {
	t.Parallel()
	srv, c := newFake(t)
	ctx := t.Context()
	const id = "5e6f7a8b-9c0d-4e1f-8a2b-3c4d5e6f7a8b"

	read, _, err := c.OrganizationAccounts.Get(ctx, id, nil)
	require.NoError(t, err)
	in := read.Edit()
	in.Username = jsonapi.Set("renamed")
	updated, _, err := c.OrganizationAccounts.Update(ctx, id, in)
	require.NoError(t, err)
	assert.Equal(t, "renamed", *updated.Username)
	assert.True(t, updated.UpdatedInDBAt.After(read.UpdatedInDBAt))
	doc := lastBody(t, srv)["data"].(map[string]any)
	assert.Equal(t, id, doc["id"])
	assert.Equal(t, read.UpdatedInDBAt.UTC().Format(time.RFC3339Nano), doc["attributes"].(map[string]any)["updated_in_db_at"])
	assert.Equal(t, http.MethodPatch, srv.Requests()[1].Method)

	// The same stale version again: a conflict, sent once.
	before := srv.Hits()
	_, _, err = c.OrganizationAccounts.Update(ctx, id, in)
	require.ErrorIs(t, err, jsonapi.ErrConflict)
	var apiErr *jsonapi.APIError
	require.ErrorAs(t, err, &apiErr)
	require.NotEmpty(t, apiErr.Details)
	assert.Equal(t, "/data/attributes/updated_in_db_at", apiErr.Details[0].Field)
	assert.Contains(t, apiErr.Details[0].Message, "is not equal to the current value in the database")
	assert.Equal(t, before+1, srv.Hits())

	// An explicit version works as one read.
	_, _, err = c.OrganizationAccounts.Update(ctx, id, &jsonapi.OrganizationAccountInput{UpdatedInDBAt: updated.UpdatedInDBAt, Username: jsonapi.Set("again")})
	require.NoError(t, err)

	// Overwrite sends overwrite and skips the check.
	_, _, err = c.OrganizationAccounts.Update(ctx, id, &jsonapi.OrganizationAccountInput{Overwrite: true, Username: jsonapi.Set("forced")})
	require.NoError(t, err)
	assert.Equal(t, true, lastBody(t, srv)["data"].(map[string]any)["attributes"].(map[string]any)["overwrite"])
	held, _ := srv.OrganizationAccount(id)
	assert.Equal(t, "forced", *held.Username)

	// A missing version is refused before any I/O.
	before = srv.Hits()
	_, _, err = c.OrganizationAccounts.Update(ctx, id, &jsonapi.OrganizationAccountInput{Username: jsonapi.Set("x")})
	require.ErrorIs(t, err, jsonapi.ErrInvalidArgument)
	assert.Contains(t, err.Error(), "UpdatedInDBAt")
	_, _, err = c.OrganizationAccounts.Update(ctx, "", in)
	require.ErrorIs(t, err, jsonapi.ErrInvalidArgument)
	_, _, err = c.OrganizationAccounts.Update(ctx, id, nil)
	require.ErrorIs(t, err, jsonapi.ErrInvalidArgument)
	assert.Equal(t, before, srv.Hits())

	_, _, err = c.OrganizationAccounts.Update(ctx, "missing", in)
	require.ErrorIs(t, err, jsonapi.ErrNotFound)
}

// A stale version matches ErrConflict whatever status the server answers
// it with, and keeps matching what its status matches.
func TestStaleVersionIsAConflictWhateverTheStatus(t *testing.T) {
	t.Parallel()
	for _, status := range []int{http.StatusConflict, http.StatusBadRequest, http.StatusUnprocessableEntity} {
		t.Run(fmt.Sprint(status), func(t *testing.T) {
			t.Parallel()
			var hits atomic.Int32
			c, _, _ := stub(t, func(w http.ResponseWriter, r *http.Request) {
				hits.Add(1)
				writeDoc(w, status, fmt.Sprintf(`{"errors":[{"status":"%d","source":{"pointer":"/data/attributes/updated_in_db_at"},"title":"is not equal to the current value in the database (2022-01-01T00:00:05Z)","detail":"Updated in db at is not equal to the current value in the database (2022-01-01T00:00:05Z)","meta":{"updated_in_db_at":"2022-01-01T00:00:05Z"}}]}`, status))
			})
			_, _, err := c.OrganizationAccounts.Update(t.Context(), "a1", &jsonapi.OrganizationAccountInput{UpdatedInDBAt: time.Unix(1, 0), Username: jsonapi.Set("x")})
			require.ErrorIs(t, err, jsonapi.ErrConflict)
			var apiErr *jsonapi.APIError
			require.ErrorAs(t, err, &apiErr)
			assert.Equal(t, status, apiErr.StatusCode)
			assert.Equal(t, "/data/attributes/updated_in_db_at", apiErr.Details[0].Field)
			if status != http.StatusConflict {
				require.ErrorIs(t, err, jsonapi.ErrValidation)
			}
			assert.EqualValues(t, 1, hits.Load())
		})
	}
	// Another 400 is no conflict.
	c, _, _ := stub(t, func(w http.ResponseWriter, r *http.Request) {
		writeDoc(w, 400, `{"errors":[{"status":"400","source":{"pointer":"/data/attributes/username"},"title":"can't be blank","detail":"Username can't be blank"}]}`)
	})
	_, _, err := c.OrganizationAccounts.Update(t.Context(), "a1", &jsonapi.OrganizationAccountInput{UpdatedInDBAt: time.Unix(1, 0)})
	require.ErrorIs(t, err, jsonapi.ErrValidation)
	require.NotErrorIs(t, err, jsonapi.ErrConflict)
}

func TestOrganizationAccountsDelete(t *testing.T) {
	t.Parallel()
	srv, c := newFake(t)
	ctx := t.Context()
	const id = "6f7a8b9c-0d1e-4f2a-9b3c-4d5e6f7a8b9c"
	resp, err := c.OrganizationAccounts.Delete(ctx, id)
	require.NoError(t, err)
	assert.Equal(t, http.StatusNoContent, resp.StatusCode)
	assert.Equal(t, 1, srv.HitsFor(http.MethodDelete, "/api/v2/user/organization_accounts/"+id))
	_, ok := srv.OrganizationAccount(id)
	assert.False(t, ok)
	_, err = c.OrganizationAccounts.Delete(ctx, id)
	require.ErrorIs(t, err, jsonapi.ErrNotFound)
	_, err = c.OrganizationAccounts.Delete(ctx, "")
	require.ErrorIs(t, err, jsonapi.ErrInvalidArgument)
	assert.Equal(t, 2, srv.Hits())
}

// Every write is sent once: a 5xx or a connection cut after the request
// may have reached the server is returned, never resent (a 429 is: it
// says the request was not served).
func TestWritesAreNeverResent(t *testing.T) {
	t.Parallel()
	const acct = "5e6f7a8b-9c0d-4e1f-8a2b-3c4d5e6f7a8b"
	writes := map[string]func(ctx context.Context, c *jsonapi.Client) error{
		"create organization": func(ctx context.Context, c *jsonapi.Client) error {
			_, _, err := c.Organizations.Create(ctx, &jsonapi.OrganizationInput{Name: jsonapi.Set("Once")})
			return err
		},
		"create account": func(ctx context.Context, c *jsonapi.Client) error {
			_, _, err := c.OrganizationAccounts.Create(ctx, &jsonapi.OrganizationAccountInput{OrganizationID: cruID, PersonID: jsonapitest.PersonID, Username: jsonapi.Set("u"), Password: jsonapi.Set[jsonapi.Secret]("pw-once-1234")})
			return err
		},
		"update account": func(ctx context.Context, c *jsonapi.Client) error {
			_, _, err := c.OrganizationAccounts.Update(ctx, acct, &jsonapi.OrganizationAccountInput{Overwrite: true, Username: jsonapi.Set("u")})
			return err
		},
		"delete account": func(ctx context.Context, c *jsonapi.Client) error {
			_, err := c.OrganizationAccounts.Delete(ctx, acct)
			return err
		},
	}
	for name, write := range writes {
		for _, status := range []int{http.StatusInternalServerError, http.StatusBadGateway, http.StatusServiceUnavailable, http.StatusGatewayTimeout} {
			t.Run(fmt.Sprint(name, " ", status), func(t *testing.T) {
				t.Parallel()
				srv, c := newFake(t, jsonapi.WithMaxRetries(3))
				srv.InjectFault(jsonapitest.Fault{Status: status, Count: 3})
				err := write(t.Context(), c)
				require.Error(t, err)
				assert.Equal(t, 1, srv.Hits(), "the write was sent once")
			})
		}
	}
	// A connection cut after the request was written.
	for name, write := range writes {
		t.Run(name+" cut", func(t *testing.T) {
			t.Parallel()
			var hits atomic.Int32
			c, _, _ := stub(t, func(w http.ResponseWriter, r *http.Request) {
				hits.Add(1)
				_, _ = io.Copy(io.Discard, r.Body)
				hj, ok := w.(http.Hijacker)
				require.True(t, ok)
				conn, _, err := hj.Hijack()
				require.NoError(t, err)
				_ = conn.Close()
			})
			err := write(t.Context(), c)
			require.Error(t, err)
			assert.EqualValues(t, 1, hits.Load())
		})
	}
}

// A create answered 204 (no document) is a DecodeError, not a nil
// organization.
func TestCreateWithoutDocument(t *testing.T) {
	t.Parallel()
	c, _, _ := stub(t, func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusNoContent) })
	org, _, err := c.Organizations.Create(t.Context(), &jsonapi.OrganizationInput{Name: jsonapi.Set("x")})
	var decErr *jsonapi.DecodeError
	require.ErrorAs(t, err, &decErr)
	assert.Nil(t, org)
}

// The fake checks request documents as strictly as its answers.
func TestFakeRequestDocumentRules(t *testing.T) {
	t.Parallel()
	srv, c := newFake(t)
	for name, tc := range map[string]struct {
		body   string
		status int
	}{
		"not an object":  {`[]`, 400},
		"duplicate data": {`{"data":{"type":"organizations","attributes":{"name":"a"}},"data":{}}`, 400},
		"no data":        {`{}`, 400},
		"no type":        {`{"data":{"attributes":{"name":"a"}}}`, 409},
		"wrong type":     {`{"data":{"type":"people","attributes":{"name":"a"}}}`, 409},
		"id in attrs":    {`{"data":{"type":"organizations","attributes":{"name":"a","id":"x"}}}`, 403},
		"blank name":     {`{"data":{"type":"organizations","attributes":{"name":""}}}`, 400},
		"ok":             {`{"data":{"type":"organizations","attributes":{"name":"a"}}}`, 201},
	} {
		req, err := c.NewRequest(http.MethodPost, "admin/organizations", []byte(tc.body))
		require.NoError(t, err)
		resp, err := c.Do(t.Context(), req, nil)
		if tc.status >= 400 {
			require.Error(t, err, name)
		} else {
			require.NoError(t, err, name)
		}
		assert.Equal(t, tc.status, resp.StatusCode, name)
	}
	_ = srv
	assert.True(t, strings.HasPrefix(srv.URL, "http://"))
}
