package orgs

import (
	"context"
	"iter"

	"github.com/orgsdk/orgsdk/orgs/driver"
	"github.com/orgsdk/orgsdk/rservice"
)

// RService returns the Directory over an R-Service client. IDs are
// R-Service's integer ids in decimal ("6"); Rename is supported (PATCH
// /organizations/{id} with the name); organizations come by name (the
// API's default order, asked for explicitly); pages hold at most
// rservice.MaxPerPage. ParentID is the parent's id, CreatedAt and
// UpdatedAt are the record's, and Active is the negation of disabled in
// Get and Rename; in All it is Unknown, since a collection's records leave
// disabled out.
// Organization.As reaches **rservice.Organization, Directory.As
// **rservice.Client. A nil c gives a Directory whose every call fails with
// ErrInvalidArgument.
//
// API docs: https://developer.4me.com/v1/organizations/
func RService(c *rservice.Client) *Directory {
	if c == nil {
		return broken("rservice", argumentError("rservice", "nil *rservice.Client"))
	}
	return NewDirectory(&rserviceDriver{c: c})
}

// rserviceDriver is the driver.Directory of R-Service.
type rserviceDriver struct{ c *rservice.Client }

var (
	_ driver.Directory = (*rserviceDriver)(nil)
	_ driver.Renamer   = (*rserviceDriver)(nil)
	_ driver.Redactor  = (*rserviceDriver)(nil)
)

func (d *rserviceDriver) Provider() string { return "rservice" }

func (d *rserviceDriver) MaxPageSize() int { return rservice.MaxPerPage }

func (d *rserviceDriver) All(ctx context.Context, opts *driver.ListOptions) iter.Seq2[*driver.Organization, error] {
	lo := &rservice.ListOptions{Sort: []string{"name"}, PerPage: opts.PageSize, MaxPages: opts.MaxPages}
	return mapAll(d.c.Organizations.All(ctx, lo), func(o *rservice.Organization) *driver.Organization { return rserviceOrg(o, false) })
}

func (d *rserviceDriver) Get(ctx context.Context, id string) (*driver.Organization, error) {
	n, err := parseIntID(d.Provider(), id, 64)
	if err != nil {
		return nil, err
	}
	org, _, err := d.c.Organizations.Get(ctx, n)
	if err != nil {
		return nil, err
	}
	return rserviceOrg(org, true), nil
}

func (d *rserviceDriver) Rename(ctx context.Context, id, name string) (*driver.Organization, error) {
	n, err := parseIntID(d.Provider(), id, 64)
	if err != nil {
		return nil, err
	}
	org, _, err := d.c.Organizations.Update(ctx, n, &rservice.OrganizationInput{Name: rservice.Set(name)})
	if err != nil {
		return nil, err
	}
	return rserviceOrg(org, true), nil
}

func (d *rserviceDriver) As(target any) bool { return asClient(d.c, target) }

func (d *rserviceDriver) Redact(text string) string { return d.c.Redact(text) }

// rserviceOrg is o as the portable type sees it. whole says o is a single
// record (Get, Update), which carries every field: a collection leaves out
// disabled unless asked for it (the API returns a predefined set of fields
// per record), so from a list Active is unknown rather than a false "not
// disabled".
func rserviceOrg(o *rservice.Organization, whole bool) *driver.Organization {
	org := &driver.Organization{
		ID:        intID(o.ID),
		Name:      o.Name,
		CreatedAt: o.CreatedAt,
		UpdatedAt: o.UpdatedAt,
		AsFunc:    asValue(o),
	}
	if whole {
		org.Active = ptr(!o.Disabled)
	}
	if o.Parent != nil && o.Parent.ID > 0 {
		org.ParentID = intID(o.Parent.ID)
	}
	return org
}
