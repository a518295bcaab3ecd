package orgs

import (
	"context"
	"iter"

	"github.com/orgsdk/orgsdk/orgs/driver"
	"github.com/orgsdk/orgsdk/readycloud"
)

// ReadyCloud returns the Directory over a ReadyCloud client. IDs are
// ReadyCloud's organization keys (Organization.ID, the last segment of its
// url); Rename is supported (PATCH /orgs/{pk}/); organizations come in the
// API's order; Organization.As reaches **readycloud.Organization and
// Directory.As **readycloud.Client. ReadyCloud does not say when an
// organization was created or updated, nor whether it is active (Active is
// False for one with a deleted_at, Unknown otherwise), and has no parent.
// A nil c gives a Directory whose every call fails with ErrInvalidArgument.
//
// API docs: https://www.readycloud.com/static/api-doc/v2/02-apireference-v2-01-organizations.html
func ReadyCloud(c *readycloud.Client) *Directory {
	if c == nil {
		return broken("readycloud", argumentError("readycloud", "nil *readycloud.Client"))
	}
	return NewDirectory(&readyCloudDriver{c: c})
}

// readyCloudDriver is the driver.Directory of ReadyCloud.
type readyCloudDriver struct{ c *readycloud.Client }

var (
	_ driver.Directory = (*readyCloudDriver)(nil)
	_ driver.Renamer   = (*readyCloudDriver)(nil)
	_ driver.Redactor  = (*readyCloudDriver)(nil)
)

func (d *readyCloudDriver) Provider() string { return "readycloud" }

// MaxPageSize is 0: ReadyCloud publishes no largest page (its server
// clamps a larger limit silently).
func (d *readyCloudDriver) MaxPageSize() int { return 0 }

func (d *readyCloudDriver) All(ctx context.Context, opts *driver.ListOptions) iter.Seq2[*driver.Organization, error] {
	return mapAll(d.c.Organizations.All(ctx, &readycloud.ListOptions{PerPage: opts.PageSize, MaxPages: opts.MaxPages}), readyCloudOrg)
}

func (d *readyCloudDriver) Get(ctx context.Context, id string) (*driver.Organization, error) {
	org, _, err := d.c.Organizations.Get(ctx, id)
	if err != nil {
		return nil, err
	}
	return readyCloudOrg(org), nil
}

func (d *readyCloudDriver) Rename(ctx context.Context, id, name string) (*driver.Organization, error) {
	org, _, err := d.c.Organizations.Update(ctx, id, &readycloud.OrganizationInput{Name: name})
	if err != nil {
		return nil, err
	}
	return readyCloudOrg(org), nil
}

func (d *readyCloudDriver) As(target any) bool { return asClient(d.c, target) }

func (d *readyCloudDriver) Redact(text string) string { return d.c.Redact(text) }

func readyCloudOrg(o *readycloud.Organization) *driver.Organization {
	var active *bool
	if o.DeletedAt != nil {
		active = ptr(false)
	}
	return &driver.Organization{ID: o.ID, Name: o.Name, Active: active, AsFunc: asValue(o)}
}

// mapAll turns a provider's walk into a driver's.
func mapAll[T any](seq iter.Seq2[T, error], conv func(T) *driver.Organization) iter.Seq2[*driver.Organization, error] {
	return func(yield func(*driver.Organization, error) bool) {
		for item, err := range seq {
			if err != nil {
				yield(nil, err)
				return
			}
			if !yield(conv(item), nil) {
				return
			}
		}
	}
}

// asValue is the AsFunc of an organization whose own value is v: it sets
// a **T target.
func asValue[T any](v *T) func(any) bool {
	return func(target any) bool { return asClient(v, target) }
}

// asClient sets *target to v when target is a **T.
func asClient[T any](v *T, target any) bool {
	p, ok := target.(**T)
	if !ok || p == nil {
		return false
	}
	*p = v
	return true
}
