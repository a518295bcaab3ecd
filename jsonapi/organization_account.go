package jsonapi

import "time"

// accountType is the JSON:API type of an organization account.
const accountType = "organization_accounts"

// OrganizationAccount is one of the signed-in user's accounts at an
// organization (type "organization_accounts"): the credentials MPDX uses to
// download donations from that organization's system. The password is
// write-only: MPDX never sends it, and this type has no field for it.
//
// API doc: MPDX API, User > Organization Accounts [GET] (api_practice: app/serializers/person/organization_account_serializer.rb)
type OrganizationAccount struct {
	// ID is the account's UUID.
	ID string `json:"id"`
	// DisableDownloads reports whether MPDX stopped downloading donations
	// through this account.
	DisableDownloads bool `json:"disable_downloads"`
	// LastDownload is when donations were last downloaded; nil if never.
	LastDownload *time.Time `json:"last_download"`
	// LockedAt is when a download in progress locked the account; nil when
	// none is.
	LockedAt *time.Time `json:"locked_at"`
	// RemoteID is the account's id in the organization's system.
	RemoteID *string `json:"remote_id"`
	// Username is the account's user name at the organization.
	Username *string `json:"username"`
	// CreatedAt is when the resource was created.
	CreatedAt time.Time `json:"created_at"`
	// UpdatedAt is when the resource was last updated.
	UpdatedAt time.Time `json:"updated_at"`
	// UpdatedInDBAt is the version MPDX checks an update against: Update
	// sends it back (see OrganizationAccount.Edit), and a stale one is a
	// conflict.
	UpdatedInDBAt time.Time `json:"updated_in_db_at"`

	// OrganizationID is the id in the organization relationship ("" when
	// the server sent none).
	OrganizationID string `json:"organization_id,omitempty"`
	// PersonID is the id in the person relationship.
	PersonID string `json:"person_id,omitempty"`
	// Organization is the related organization when the document included
	// it (ListOptions.Include or GetOptions.Include "organization"); nil
	// otherwise.
	Organization *Organization `json:"organization,omitempty"`

	// Links are the resource's own links; nil when none were sent.
	Links Links `json:"links,omitempty"`
	// Relationships are the resource's relationships as sent.
	Relationships map[string]Relationship `json:"relationships,omitempty"`
	// Meta is the resource's meta information.
	Meta map[string]any `json:"meta,omitempty"`
}

// Edit returns an update input that carries the account's UpdatedInDBAt,
// the version MPDX requires with every update: set the attributes to
// change on it and pass it to OrganizationAccountsService.Update.
func (a *OrganizationAccount) Edit() *OrganizationAccountInput {
	return &OrganizationAccountInput{UpdatedInDBAt: a.UpdatedInDBAt}
}

// OrganizationAccountList is one page of organization accounts.
//
// API doc: MPDX API, User > Organization Accounts [LIST]
type OrganizationAccountList struct {
	// Items are the page's accounts, never nil.
	Items []*OrganizationAccount `json:"items"`
	// Total is meta.pagination.total_count, or -1 when not sent.
	Total int `json:"total"`
	// Pagination is meta.pagination as sent.
	Pagination
	// Included are the related resources of any type; included
	// organizations are also reachable from each account's Organization.
	Included []Resource `json:"included,omitempty"`
}

// OrganizationAccountInput is the body of an organization account create
// or update: only what is set is sent.
//
// API doc: MPDX API, User > Organization Accounts [CREATE] and [UPDATE]
type OrganizationAccountInput struct {
	// OrganizationID is the organization (relationship organization);
	// required on create.
	OrganizationID string
	// PersonID is the person the account belongs to (relationship
	// person); required on create.
	PersonID string
	// Username is the user name at the organization; required on create.
	Username Optional[string]
	// Password is the password at the organization; required on create.
	// It is a secret from the moment it is given: the client adds it to
	// its scrubber before sending, so no log line, error, Response or
	// recording of the client shows it, and no value the SDK returns holds
	// it.
	Password Optional[Secret]
	// UpdatedInDBAt is the version of the account the update is based on
	// (OrganizationAccount.UpdatedInDBAt; Edit fills it in). Update refuses
	// a zero one unless Overwrite is set; Create ignores it.
	UpdatedInDBAt time.Time
	// Overwrite sends overwrite=true: MPDX then applies the update whatever
	// the account's current version. Default false.
	Overwrite bool
}
