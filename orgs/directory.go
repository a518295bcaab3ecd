package orgs

import (
	"context"
	"fmt"
	"iter"

	"github.com/orgsdk/orgsdk/orgs/driver"
)

// Directory is the organizations of one provider, through one client: the
// portable type every program uses. Build it from a provider's client
// (ReadyCloud, RService, Commvault, JSONAPI), from configuration (Open), or
// from a driver of your own (NewDirectory). It is safe for concurrent use,
// as the client under it is.
//
// What every provider shares is done here, once: arguments are checked
// before any I/O, a walk stops at ListOptions.Limit and when its context
// ends (between items of one page too), the page size is derived and
// bounded, what a provider cannot do is refused with ErrUnsupported before
// any call (Can says so beforehand), and every error is an *Error naming
// the provider.
type Directory struct {
	d        driver.Directory
	provider string
	// err, when set, is what every call returns: the directory was built
	// from a nil client or driver.
	err error
}

// NewDirectory returns the Directory over d, a driver of your own (see
// package orgs/driver, and orgs/orgstest to check it). A nil d gives a
// Directory whose every call returns an error matching ErrInvalidArgument.
func NewDirectory(d driver.Directory) *Directory {
	if d == nil {
		return &Directory{provider: "orgs", err: argumentError("", "nil driver")}
	}
	p := d.Provider()
	if p == "" {
		return &Directory{d: d, provider: "orgs", err: argumentError("", "driver %T names no provider", d)}
	}
	return &Directory{d: d, provider: p}
}

// broken returns a Directory of provider whose every call returns err.
func broken(provider string, err error) *Directory {
	return &Directory{provider: provider, err: err}
}

// check returns why dir cannot be used, or nil.
func (dir *Directory) check() error {
	switch {
	case dir == nil:
		return argumentError("", "nil *orgs.Directory")
	case dir.err != nil:
		return dir.err
	case dir.d == nil:
		return argumentError("", "zero orgs.Directory (build one with orgs.Open, orgs.NewDirectory or a provider's constructor)")
	}
	return nil
}

// name is the provider for errors, also on a nil or zero Directory.
func (dir *Directory) name() string {
	if dir == nil || dir.provider == "" {
		return "orgs"
	}
	return dir.provider
}

// Provider names the directory's provider ("readycloud", "rservice",
// "commvault", "jsonapi", or a driver's own name); "orgs" for a Directory
// that cannot be used.
func (dir *Directory) Provider() string { return dir.name() }

// Op is an operation that not every provider can do; Can tells which a
// directory can.
type Op int

// Operations Can answers for. Listing (All) and reading (Get) every
// directory can do.
const (
	// Rename is Directory.Rename. ReadyCloud, R-Service and Commvault
	// can; MPDX's API has no write on organizations.
	Rename Op = iota + 1
)

// String returns the operation's name ("rename").
func (op Op) String() string {
	switch op {
	case Rename:
		return opRename
	}
	return "unknown operation"
}

// Can reports whether the directory's provider can do op, so a program
// can adapt before it calls (hide a rename button, say) instead of after
// an ErrUnsupported.
func (dir *Directory) Can(op Op) bool {
	if dir.check() != nil {
		return false
	}
	switch op {
	case Rename:
		_, ok := dir.d.(driver.Renamer)
		return ok
	}
	return false
}

// ListOptions shapes a walk (All, AllOf). The zero value, or nil, walks
// everything at the provider's default page size.
type ListOptions struct {
	// Limit is the most organizations the walk yields; 0 for all. With no
	// PageSize, it is also the page size asked for when smaller than the
	// provider's largest page, so no organization past it is fetched.
	Limit int
	// PageSize is the page size to ask the provider for; 0 for its
	// default. It is lowered to the provider's largest page when above it
	// (R-Service serves at most 100), and ignored by a provider that does
	// not page (Commvault answers its list at once).
	PageSize int
	// MaxPages caps the pages one walk fetches; 0 for the provider's
	// default (orgsdk.DefaultMaxPages, 10,000). A walk that reaches it
	// with pages left ends with an error matching ErrTooManyPages.
	MaxPages int
}

// driverOptions checks opts and computes what the driver gets.
func (dir *Directory) driverOptions(opts *ListOptions) (*driver.ListOptions, int, error) {
	var o ListOptions
	if opts != nil {
		o = *opts
	}
	switch {
	case o.Limit < 0:
		return nil, 0, argumentError(dir.provider, "ListOptions.Limit is %d (want 0 for all, or more)", o.Limit)
	case o.PageSize < 0:
		return nil, 0, argumentError(dir.provider, "ListOptions.PageSize is %d (want 0 for the provider's default, or more)", o.PageSize)
	case o.MaxPages < 0:
		return nil, 0, argumentError(dir.provider, "ListOptions.MaxPages is %d (want 0 for the default, or more)", o.MaxPages)
	}
	size := o.PageSize
	if size == 0 && o.Limit > 0 {
		size = o.Limit
	}
	if largest := dir.d.MaxPageSize(); largest > 0 && size > largest {
		size = largest
	}
	return &driver.ListOptions{PageSize: size, MaxPages: o.MaxPages}, o.Limit, nil
}

// All walks the directory's organizations, in the provider's order
// (ReadyCloud's and Commvault's own, by name for R-Service and MPDX). Like
// every All of orgsdk it is lazy (no request before the range starts),
// starts over when ranged again, yields an error at most once and then
// stops, and fetches nothing more once the loop breaks. It also stops at
// opts.Limit, and with the context's error as soon as ctx ends, between
// two items of one page too. opts is read when All is called.
func (dir *Directory) All(ctx context.Context, opts *ListOptions) iter.Seq2[*Organization, error] {
	var snapshot *ListOptions
	if opts != nil {
		o := *opts
		snapshot = &o
	}
	return func(yield func(*Organization, error) bool) {
		if err := dir.check(); err != nil {
			yield(nil, wrap(dir.name(), opAll, "", err))
			return
		}
		dopts, limit, err := dir.driverOptions(snapshot)
		if err == nil {
			err = ctxErr(dir.provider, ctx)
		}
		if err != nil {
			yield(nil, wrap(dir.provider, opAll, "", err))
			return
		}
		n := 0
		for do, err := range dir.d.All(ctx, dopts) {
			var org *Organization
			if err == nil {
				org, err = dir.organization(do)
			}
			if err == nil {
				// A walk of one page holds every item already: only
				// this check makes a cancelled context end it.
				err = ctx.Err()
			}
			if err != nil {
				yield(nil, wrap(dir.provider, opAll, "", err))
				return
			}
			if !yield(org, nil) {
				return
			}
			if n++; limit > 0 && n >= limit {
				return
			}
		}
	}
}

// Get returns the organization whose ID is id. An id that names no
// organization matches ErrNotFound; one that cannot be an id of the
// provider (R-Service and Commvault ids are positive integers, written
// without sign or leading zeros) matches ErrInvalidArgument, before any
// I/O.
func (dir *Directory) Get(ctx context.Context, id string) (*Organization, error) {
	if err := dir.check(); err != nil {
		return nil, wrap(dir.name(), opGet, id, err)
	}
	if id == "" {
		return nil, wrap(dir.provider, opGet, id, argumentError(dir.provider, "empty id"))
	}
	if err := ctxErr(dir.provider, ctx); err != nil {
		return nil, wrap(dir.provider, opGet, id, err)
	}
	do, err := dir.d.Get(ctx, id)
	if err != nil {
		return nil, wrap(dir.provider, opGet, id, err)
	}
	org, err := dir.organization(do)
	if err != nil {
		return nil, wrap(dir.provider, opGet, id, err)
	}
	return org, nil
}

// Rename changes the name of the organization whose ID is id and returns
// it as renamed. On a provider that cannot rename (Can(Rename) is false)
// it returns an error matching ErrUnsupported and sends nothing. An empty
// id or name matches ErrInvalidArgument, a missing organization
// ErrNotFound. The write is sent once: it is never retried once it may
// have reached the server.
func (dir *Directory) Rename(ctx context.Context, id, name string) (*Organization, error) {
	if err := dir.check(); err != nil {
		return nil, wrap(dir.name(), opRename, id, err)
	}
	r, ok := dir.d.(driver.Renamer)
	if !ok {
		return nil, wrap(dir.provider, opRename, id, &unsupported{provider: dir.provider, op: opRename})
	}
	switch {
	case id == "":
		return nil, wrap(dir.provider, opRename, id, argumentError(dir.provider, "empty id"))
	case name == "":
		return nil, wrap(dir.provider, opRename, id, argumentError(dir.provider, "empty name"))
	}
	if err := ctxErr(dir.provider, ctx); err != nil {
		return nil, wrap(dir.provider, opRename, id, err)
	}
	do, err := r.Rename(ctx, id, name)
	if err != nil {
		return nil, wrap(dir.provider, opRename, id, err)
	}
	org, err := dir.organization(do)
	if err != nil {
		return nil, wrap(dir.provider, opRename, id, err)
	}
	return org, nil
}

// As reaches the client under the directory: target is a pointer to the
// provider's client pointer (**readycloud.Client, **rservice.Client,
// **commvault.Client, **jsonapi.Client), set when As returns true. Use it
// for what only that provider has (Commvault's DefaultPlan, R-Service's
// filters); false for any other target.
func (dir *Directory) As(target any) bool {
	if dir.check() != nil || target == nil {
		return false
	}
	return dir.d.As(target)
}

// Redact returns text without any secret the directory's client knows
// (tokens, passwords, a session token a login returned), in any form, for
// a program's own logs; a driver that holds none returns text as it is.
func (dir *Directory) Redact(text string) string {
	if dir.check() != nil {
		return text
	}
	if r, ok := dir.d.(driver.Redactor); ok {
		return r.Redact(text)
	}
	return text
}

// Close releases what the directory itself acquired: a Commvault session
// that Open logged in to (with a username and password) is logged out. A
// directory built from your client leaves the client and its session to
// you. The directory can still be used after: a login starts again.
func (dir *Directory) Close(ctx context.Context) error {
	if dir.check() != nil {
		return nil
	}
	if c, ok := dir.d.(driver.Closer); ok {
		return wrap(dir.provider, "close", "", c.Close(ctx))
	}
	return nil
}

// ctxErr is why ctx cannot carry a call: nil (a caller's mistake, refused
// rather than a panic), or done.
func ctxErr(provider string, ctx context.Context) error {
	if ctx == nil {
		return argumentError(provider, "nil context")
	}
	return ctx.Err()
}

// organization turns a driver's organization into the portable one.
func (dir *Directory) organization(do *driver.Organization) (*Organization, error) {
	switch {
	case do == nil:
		return nil, errDriver("handed back no organization", dir.d)
	case do.ID == "":
		return nil, errDriver("handed back an organization without an id", dir.d)
	}
	return &Organization{
		Provider:  dir.provider,
		ID:        do.ID,
		Name:      do.Name,
		ParentID:  do.ParentID,
		Active:    tristate(do.Active),
		CreatedAt: do.CreatedAt,
		UpdatedAt: do.UpdatedAt,
		as:        do.AsFunc,
	}, nil
}

// errDriver is a driver that broke its contract: what a program gets
// instead of a nil or id-less organization.
func errDriver(what string, d driver.Directory) error {
	return fmt.Errorf("driver %T %s", d, what)
}
