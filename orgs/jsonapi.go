package orgs

import (
	"context"
	"iter"

	"github.com/orgsdk/orgsdk/jsonapi"
	"github.com/orgsdk/orgsdk/orgs/driver"
)

// JSONAPI returns the Directory over a JSON:API (MPDX) client. IDs are the
// server's ids as sent (UUIDs for MPDX); organizations come by name
// (sort=name: MPDX documents no default order). Rename is not supported:
// MPDX's API has no write on an organization (Can(Rename) is false,
// Rename returns ErrUnsupported). MPDX has no hierarchy and does not say
// whether an organization is active; CreatedAt and UpdatedAt are its
// created_at and updated_at. Organization.As reaches
// **jsonapi.Organization, Directory.As **jsonapi.Client. A nil c gives a
// Directory whose every call fails with ErrInvalidArgument.
//
// API doc: MPDX API documentation, Organizations; https://jsonapi.org/format/
func JSONAPI(c *jsonapi.Client) *Directory {
	if c == nil {
		return broken("jsonapi", argumentError("jsonapi", "nil *jsonapi.Client"))
	}
	return NewDirectory(&jsonapiDriver{c: c})
}

// jsonapiDriver is the driver.Directory of a JSON:API server.
type jsonapiDriver struct{ c *jsonapi.Client }

var (
	_ driver.Directory = (*jsonapiDriver)(nil)
	_ driver.Redactor  = (*jsonapiDriver)(nil)
)

func (d *jsonapiDriver) Provider() string { return "jsonapi" }

// MaxPageSize is 0: MPDX publishes no largest page.
func (d *jsonapiDriver) MaxPageSize() int { return 0 }

func (d *jsonapiDriver) All(ctx context.Context, opts *driver.ListOptions) iter.Seq2[*driver.Organization, error] {
	lo := &jsonapi.ListOptions{Sort: "name", PerPage: opts.PageSize, MaxPages: opts.MaxPages}
	return mapAll(d.c.Organizations.All(ctx, lo), jsonapiOrg)
}

func (d *jsonapiDriver) Get(ctx context.Context, id string) (*driver.Organization, error) {
	org, _, err := d.c.Organizations.Get(ctx, id)
	if err != nil {
		return nil, err
	}
	return jsonapiOrg(org), nil
}

func (d *jsonapiDriver) As(target any) bool { return asClient(d.c, target) }

func (d *jsonapiDriver) Redact(text string) string { return d.c.Redact(text) }

func jsonapiOrg(o *jsonapi.Organization) *driver.Organization {
	return &driver.Organization{ID: o.ID, Name: o.Name, CreatedAt: o.CreatedAt, UpdatedAt: o.UpdatedAt, AsFunc: asValue(o)}
}
