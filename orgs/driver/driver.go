// Package driver defines what a provider implements to be used through
// package orgs: one small interface, Directory, and optional ones for what
// only some providers can do (Renamer, Redactor, Closer). Programs use
// package orgs, never this one; the four providers of orgsdk have their
// drivers inside orgs (orgs.ReadyCloud, orgs.RService, orgs.Commvault,
// orgs.JSONAPI), and a driver of your own is turned into an *orgs.Directory
// with orgs.NewDirectory and checked with orgs/orgstest.Run.
//
// The portable type does what is the same for every provider, so a driver
// does not: it checks arguments (an empty id or name never reaches a
// driver), caps a walk's items (ListOptions.Limit), derives and bounds the
// page size, stops a walk whose context ends (also between items of one
// page), refuses what a driver cannot do with errors.ErrUnsupported before
// any call, and wraps errors with the provider's name. A driver returns its
// provider's errors as they are (the family's sentinels, orgsdk.ErrNotFound
// first, must match them with errors.Is), so a program reaches the
// provider's own error types with errors.As.
package driver

import (
	"context"
	"iter"
	"time"
)

// Organization is one organization as a driver hands it to the portable
// type, which copies it into an orgs.Organization.
type Organization struct {
	// ID is the provider's id in its canonical text form: the string Get
	// takes and finds the same organization by. Never empty.
	ID string
	// Name is the organization's display name.
	Name string
	// ParentID is the ID of the organization this one belongs to; empty
	// when it has none or the provider does not say.
	ParentID string
	// Active says whether the organization is in use; nil when the
	// provider does not say.
	Active *bool
	// CreatedAt and UpdatedAt are zero when the provider does not say.
	CreatedAt, UpdatedAt time.Time
	// AsFunc reaches the provider's own value (a **readycloud.Organization,
	// say): it sets what target points to and returns true when target is
	// a pointer to a type it knows, and returns false otherwise (nil
	// included). nil: the driver exposes nothing.
	AsFunc func(target any) bool
}

// ListOptions are the options of one walk, as the portable type computed
// them; a driver never gets nil.
type ListOptions struct {
	// PageSize is the page size to ask for; 0 for the provider's default.
	// It is never above Directory.MaxPageSize when that is not 0. A
	// provider that does not page ignores it.
	PageSize int
	// MaxPages caps the pages of one walk; 0 for the provider's default.
	// A walk that reaches it with pages left ends with an error matching
	// orgsdk.ErrTooManyPages.
	MaxPages int
}

// Directory is the interface every driver implements. It must be safe
// for concurrent use.
type Directory interface {
	// Provider names the provider, in lower case ("readycloud"); the
	// portable type sets it on every organization and error.
	Provider() string
	// MaxPageSize is the largest page the provider serves; 0 when it is
	// not known or the provider does not page.
	MaxPageSize() int
	// All walks every organization the directory's credentials can see.
	// It is lazy (nothing is fetched before the range starts), can be
	// ranged over again from the start, yields an error at most once and
	// then stops, and stops fetching as soon as yield returns false. Items
	// are never nil and never yielded with an error.
	All(ctx context.Context, opts *ListOptions) iter.Seq2[*Organization, error]
	// Get returns the organization whose ID is id (never empty). An id
	// that names no organization returns an error matching
	// orgsdk.ErrNotFound; one that cannot be an id of this provider (not a
	// number, say) an error matching orgsdk.ErrInvalidArgument, before any
	// I/O.
	Get(ctx context.Context, id string) (*Organization, error)
	// As reaches the driver's client: it sets what target points to
	// (*readycloud.Client for a **readycloud.Client, say) and returns
	// true, or returns false for a type it does not know (nil included).
	As(target any) bool
}

// Renamer is implemented by a driver whose provider can rename an
// organization; the portable type's Can(orgs.Rename) reports whether the
// driver implements it.
type Renamer interface {
	// Rename changes the name of the organization whose ID is id (never
	// empty) to name (never empty) and returns it as renamed. A missing id
	// returns an error matching orgsdk.ErrNotFound. It is a write: it must
	// never be sent twice once it may have reached the server.
	Rename(ctx context.Context, id, name string) (*Organization, error)
}

// Redactor is implemented by a driver whose client knows secrets (tokens,
// passwords): Redact returns text with every one of them removed, in any
// form. A driver without it has none to remove.
type Redactor interface {
	Redact(text string) string
}

// Closer is implemented by a driver that holds something to release when
// the directory is no longer used, such as a session it logged in to.
type Closer interface {
	Close(ctx context.Context) error
}
