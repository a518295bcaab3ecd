package orgs

import (
	"context"
	"fmt"
	"iter"
	"strconv"

	"github.com/orgsdk/orgsdk/commvault"
	"github.com/orgsdk/orgsdk/orgs/driver"
)

// Commvault returns the Directory over a Commvault client. IDs are the
// companies' ids in decimal (shortName.id, "6"); the list comes in the
// server's order, in pages of ListOptions.PageSize (start and limit) when
// it is set, and in one answer otherwise or from a server that ignores
// paging.
// Rename sends one Organizations.Update with the new name (PUT
// Organization, newCompanyName), then reads the company back with Get; a
// name another company has is refused by the server (ErrConflict).
// ParentID is the owning (reseller) company when the server names one
// (ownerCompanyId), Active is the status when it is Active or Deactivated
// and the enabled flag otherwise, and CreatedAt is set by Get only (the
// detailed answer's orgCreationDateTime). A company that does not exist
// matches ErrNotFound, also when the server says so inside an HTTP 200.
// Organization.As reaches **commvault.Organization (and, from Get,
// **commvault.OrganizationInfo), Directory.As **commvault.Client.
//
// The client's session stays yours: Directory.Close does not log out. A
// nil c gives a Directory whose every call fails with ErrInvalidArgument.
//
// API doc: https://documentation.commvault.com/v11/essential/92470_rest_api_get_organization.html
func Commvault(c *commvault.Client) *Directory {
	if c == nil {
		return broken("commvault", argumentError("commvault", "nil *commvault.Client"))
	}
	return NewDirectory(&commvaultDriver{c: c})
}

// commvaultDriver is the driver.Directory of Commvault.
type commvaultDriver struct {
	c *commvault.Client
	// ownSession: Open logged in with a username and password it was
	// given, so Close logs that session out.
	ownSession bool
}

var (
	_ driver.Directory = (*commvaultDriver)(nil)
	_ driver.Renamer   = (*commvaultDriver)(nil)
	_ driver.Redactor  = (*commvaultDriver)(nil)
	_ driver.Closer    = (*commvaultDriver)(nil)
)

func (d *commvaultDriver) Provider() string { return "commvault" }

// MaxPageSize is 0: Commvault publishes no largest page (cvpysdk sends no
// limit unless asked).
func (d *commvaultDriver) MaxPageSize() int { return 0 }

func (d *commvaultDriver) All(ctx context.Context, opts *driver.ListOptions) iter.Seq2[*driver.Organization, error] {
	return mapAll(d.c.Organizations.All(ctx, &commvault.ListOptions{PerPage: opts.PageSize, MaxPages: opts.MaxPages}), commvaultOrg)
}

func (d *commvaultDriver) Get(ctx context.Context, id string) (*driver.Organization, error) {
	n, err := d.id(id)
	if err != nil {
		return nil, err
	}
	info, _, err := d.c.Organizations.Get(ctx, n)
	if err != nil {
		return nil, err
	}
	org := commvaultOrg(&info.Organization)
	if org.ID == "0" {
		// A detailed answer without shortName: it answered for id.
		org.ID = id
	}
	org.CreatedAt = info.Properties.CreatedAt
	org.AsFunc = func(target any) bool {
		return asClient(info, target) || asClient(&info.Organization, target)
	}
	return org, nil
}

// Rename renames with one Update (a write, sent once) and returns the
// company as Get then reads it.
func (d *commvaultDriver) Rename(ctx context.Context, id, name string) (*driver.Organization, error) {
	n, err := d.id(id)
	if err != nil {
		return nil, err
	}
	if _, err := d.c.Organizations.Update(ctx, n, &commvault.OrganizationUpdate{NewName: name}); err != nil {
		return nil, err
	}
	org, err := d.Get(ctx, id)
	if err != nil {
		return nil, fmt.Errorf("renamed, but reading the company back failed: %w", err)
	}
	return org, nil
}

func (d *commvaultDriver) As(target any) bool { return asClient(d.c, target) }

func (d *commvaultDriver) Redact(text string) string { return d.c.Redact(text) }

// Close logs out the session Open logged in to; a client given to
// Commvault keeps its session.
func (d *commvaultDriver) Close(ctx context.Context) error {
	if !d.ownSession {
		return nil
	}
	_, err := d.c.Logout(ctx)
	return err
}

// id reads a company id: a positive int (0 is the CommCell itself, no
// company).
func (d *commvaultDriver) id(id string) (int, error) {
	n, err := parseIntID(d.Provider(), id, strconv.IntSize)
	return int(n), err
}

func commvaultOrg(o *commvault.Organization) *driver.Organization {
	org := &driver.Organization{ID: strconv.Itoa(o.ID), Name: o.Name, AsFunc: asValue(o)}
	if active, known := o.Status.Active(); known {
		org.Active = ptr(active)
	} else {
		// No status, or one without a published meaning (classic servers
		// send numbers): the enabled flag every answer carries.
		org.Active = ptr(bool(o.Enabled))
	}
	if o.OwnerCompanyID > 0 {
		org.ParentID = strconv.FormatInt(int64(o.OwnerCompanyID), 10)
	}
	return org
}
