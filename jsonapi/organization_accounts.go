package jsonapi

import (
	"context"
	"iter"
	"net/http"
	"slices"
	"strings"
	"time"
)

// OrganizationAccountsService manages the signed-in user's organization
// accounts under /user/organization_accounts.
//
// API doc: MPDX API, User > Organization Accounts; https://jsonapi.org/format/
type OrganizationAccountsService struct {
	c *Client
}

// accountsPath is where MPDX mounts the accounts, under the API root.
var accountsPath = []string{"user", "organization_accounts"}

func accountPath(id string) []string { return append(slices.Clone(accountsPath), id) }

// List returns one page of the user's organization accounts, oldest first
// unless opts.Sort says otherwise; opts works as for organizations (filter,
// sort, page and per_page, include, fields, cursor). With Include
// "organization" each account's Organization is the included organization.
//
// API doc: MPDX API, User > Organization Accounts [LIST]
func (s *OrganizationAccountsService) List(ctx context.Context, opts *ListOptions) (*OrganizationAccountList, *Response, error) {
	list, resp, _, err := listPage(ctx, s.c, accountsPath, opts, decodeAccountList)
	return list, resp, err
}

// All walks every organization account from the page opts describes to
// the last, with the guarantees of OrganizationsService.All: lazy,
// restartable, in the server's order, one error and stop, nothing fetched
// after a break, every walk ends (ErrPaginationLoop, ErrTooManyPages after
// opts.MaxPages, default 10,000), and with WithPrefetch(n) the pages after
// the first asked for by number n at a time when the first page says
// meta.pagination.total_pages and the server sends no links.next of its
// own (a server's links.next is followed one page ahead at most).
//
// API doc: MPDX API, User > Organization Accounts [LIST]
func (s *OrganizationAccountsService) All(ctx context.Context, opts *ListOptions) iter.Seq2[*OrganizationAccount, error] {
	return walkPages(ctx, s.c, opts, func(a *OrganizationAccount) string { return a.ID },
		func(ctx context.Context, o *ListOptions) (listed[*OrganizationAccount], *Response, bool, error) {
			list, resp, own, err := listPage(ctx, s.c, accountsPath, o, decodeAccountList)
			if err != nil {
				return listed[*OrganizationAccount]{}, resp, false, err
			}
			return listed[*OrganizationAccount]{items: list.Items, totalPages: list.TotalPages}, resp, own, nil
		})
}

// Get returns the user's organization account with the given id; opts
// (nil for none) may ask for include=organization, which sets the
// account's Organization.
//
// API doc: MPDX API, User > Organization Accounts [GET]
func (s *OrganizationAccountsService) Get(ctx context.Context, id string, opts *GetOptions) (*OrganizationAccount, *Response, error) {
	if strings.TrimSpace(id) == "" {
		return nil, nil, invalidArgument("organization account id is empty")
	}
	var o GetOptions
	if opts != nil {
		o = *opts
	}
	if err := o.validate(); err != nil {
		return nil, nil, err
	}
	req := newRequest(http.MethodGet, accountPath(id)...)
	req.Query = &o
	req.Values = fieldValues(nil, o.Fields)
	var out *OrganizationAccount
	resp, err := s.c.t.Do(ctx, req, func(r *http.Response, body []byte) error {
		var err error
		out, _, err = decodeAccount(body, r.StatusCode)
		return err
	})
	if err != nil {
		return nil, resp, err
	}
	return out, resp, nil
}

// Create adds an organization account for the signed-in user. MPDX
// requires in.OrganizationID, in.PersonID, a Username and a Password;
// a missing one is refused before any I/O. The password joins the
// client's scrubber before anything else happens, so it shows in no
// error, log line, Response or recording of this client. The request is
// sent once, never retried after it may have reached the server.
//
// API doc: MPDX API, User > Organization Accounts [CREATE]; https://jsonapi.org/format/#crud-creating
func (s *OrganizationAccountsService) Create(ctx context.Context, in *OrganizationAccountInput) (*OrganizationAccount, *Response, error) {
	if in == nil {
		return nil, nil, invalidArgument("organization account input is nil")
	}
	s.c.holdSecret(in.Password)
	switch {
	case strings.TrimSpace(in.OrganizationID) == "":
		return nil, nil, invalidArgument("organization account create needs OrganizationID")
	case strings.TrimSpace(in.PersonID) == "":
		return nil, nil, invalidArgument("organization account create needs PersonID")
	}
	if u, ok := in.Username.Get(); !ok || strings.TrimSpace(u) == "" {
		return nil, nil, invalidArgument("organization account create needs a Username")
	}
	if p, ok := in.Password.Get(); !ok || p == "" {
		return nil, nil, invalidArgument("organization account create needs a Password")
	}
	doc, err := in.document("", false)
	if err != nil {
		return nil, nil, err
	}
	return s.send(ctx, http.MethodPost, doc, accountsPath)
}

// Update changes the attributes and relationships set in in, with PATCH.
// MPDX checks the update against the account's version: in.UpdatedInDBAt
// (from the account read, see OrganizationAccount.Edit, or given) is sent
// as updated_in_db_at, and a zero one is refused before any I/O unless
// in.Overwrite is set. A stale version is an *APIError matching
// ErrConflict, whatever status the server answered it with, whose Details
// name updated_in_db_at; read the account again and retry, or set
// Overwrite to apply the change anyway. The request is sent once.
//
// API doc: MPDX API, User > Organization Accounts [UPDATE]; https://jsonapi.org/format/#crud-updating
func (s *OrganizationAccountsService) Update(ctx context.Context, id string, in *OrganizationAccountInput) (*OrganizationAccount, *Response, error) {
	if in == nil {
		return nil, nil, invalidArgument("organization account input is nil")
	}
	s.c.holdSecret(in.Password)
	if strings.TrimSpace(id) == "" {
		return nil, nil, invalidArgument("organization account id is empty")
	}
	if in.UpdatedInDBAt.IsZero() && !in.Overwrite {
		return nil, nil, invalidArgument("organization account update needs UpdatedInDBAt (the updated_in_db_at of the account read; see OrganizationAccount.Edit), or Overwrite")
	}
	if in.Password.IsNull() {
		return nil, nil, invalidArgument("organization account password cannot be cleared")
	}
	doc, err := in.document(id, true)
	if err != nil {
		return nil, nil, err
	}
	return s.send(ctx, http.MethodPatch, doc, accountPath(id))
}

// Delete removes the organization account with the given id; MPDX
// answers 204. The request is sent once.
//
// API doc: MPDX API, User > Organization Accounts [DELETE]; https://jsonapi.org/format/#crud-deleting
func (s *OrganizationAccountsService) Delete(ctx context.Context, id string) (*Response, error) {
	if strings.TrimSpace(id) == "" {
		return nil, invalidArgument("organization account id is empty")
	}
	return s.c.write(ctx, http.MethodDelete, nil, nil, accountPath(id)...)
}

func (s *OrganizationAccountsService) send(ctx context.Context, method string, doc []byte, path []string) (*OrganizationAccount, *Response, error) {
	var out *OrganizationAccount
	resp, err := s.c.write(ctx, method, doc, func(r *http.Response, body []byte) error {
		var err error
		out, _, err = decodeAccount(body, r.StatusCode)
		return err
	}, path...)
	if err != nil {
		return nil, resp, err
	}
	return out, resp, nil
}

// holdSecret registers a password with the client's scrubber.
func (c *Client) holdSecret(p Optional[Secret]) {
	if v, ok := p.Get(); ok && v != "" {
		c.secrets.Add(string(v))
	}
}

// document builds the request document; update adds the version and the
// overwrite flag.
func (in *OrganizationAccountInput) document(id string, update bool) ([]byte, error) {
	a := attrs{}
	put(a, "username", in.Username)
	if p, ok := in.Password.Get(); ok {
		a["password"] = string(p)
	}
	if update {
		if !in.UpdatedInDBAt.IsZero() {
			a["updated_in_db_at"] = in.UpdatedInDBAt.UTC().Format(time.RFC3339Nano)
		}
		if in.Overwrite {
			a["overwrite"] = true
		}
	}
	r := resourceObject{Type: accountType, ID: id, Attributes: a}
	rel := map[string]relationship{}
	if v := strings.TrimSpace(in.OrganizationID); v != "" {
		rel["organization"] = relationship{Data: &identifier{Type: resourceType, ID: v}}
	}
	if v := strings.TrimSpace(in.PersonID); v != "" {
		rel["person"] = relationship{Data: &identifier{Type: "people", ID: v}}
	}
	if len(rel) > 0 {
		r.Relationships = rel
	}
	return requestDocument(r)
}
