package jsonapi

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"time"

	"github.com/orgsdk/orgsdk/internal/transport"
)

// accountAttrs are the attributes an account document carries. There is
// no password member: a password a server echoed is never decoded into a
// value the SDK returns.
type accountAttrs struct {
	DisableDownloads bool       `json:"disable_downloads"`
	LastDownload     *time.Time `json:"last_download"`
	LockedAt         *time.Time `json:"locked_at"`
	RemoteID         *string    `json:"remote_id"`
	Username         *string    `json:"username"`
	CreatedAt        time.Time  `json:"created_at"`
	UpdatedAt        time.Time  `json:"updated_at"`
	UpdatedInDBAt    time.Time  `json:"updated_in_db_at"`
}

type wireAccount struct {
	Type          string                  `json:"type"`
	ID            wireID                  `json:"id"`
	Attributes    accountAttrs            `json:"attributes"`
	Relationships map[string]Relationship `json:"relationships"`
	Links         Links                   `json:"links"`
	Meta          map[string]any          `json:"meta"`
}

type wireAccountList struct {
	Data     []wireAccount     `json:"data"`
	Included []json.RawMessage `json:"included"`
	Links    Links             `json:"links"`
	Meta     *wireListMeta     `json:"meta"`
	Errors   json.RawMessage   `json:"errors"`
}

type wireAccountOne struct {
	Data     *wireAccount      `json:"data"`
	Included []json.RawMessage `json:"included"`
	Errors   json.RawMessage   `json:"errors"`
}

func (w *wireAccount) account(i int) (*OrganizationAccount, error) {
	if w.Type != accountType {
		return nil, fmt.Errorf("data%s.type: is %q, want %q", index(i), w.Type, accountType)
	}
	if w.ID == "" {
		return nil, fmt.Errorf("data%s.id: is missing or empty", index(i))
	}
	a := w.Attributes
	out := &OrganizationAccount{
		ID: string(w.ID), DisableDownloads: a.DisableDownloads, LastDownload: a.LastDownload,
		LockedAt: a.LockedAt, RemoteID: a.RemoteID, Username: a.Username, CreatedAt: a.CreatedAt,
		UpdatedAt: a.UpdatedAt, UpdatedInDBAt: a.UpdatedInDBAt,
		Links: w.Links, Relationships: w.Relationships, Meta: w.Meta,
	}
	if r, ok := w.Relationships["organization"]; ok && r.Data.One != nil {
		out.OrganizationID = r.Data.One.ID
	}
	if r, ok := w.Relationships["person"]; ok && r.Data.One != nil {
		out.PersonID = r.Data.One.ID
	}
	return out, nil
}

func index(i int) string {
	if i < 0 {
		return ""
	}
	return fmt.Sprintf("[%d]", i)
}

// includedOf decodes a compound document's included member: every
// resource as a Resource, and the organizations among them as
// Organizations by id, for the accounts to point at.
func includedOf(raws []json.RawMessage) ([]Resource, map[string]*Organization, error) {
	if raws == nil {
		return nil, nil, nil
	}
	out := make([]Resource, len(raws))
	orgs := map[string]*Organization{}
	for i, raw := range raws {
		var w wireResource
		if err := json.Unmarshal(raw, &w); err != nil {
			return nil, nil, fmt.Errorf("included[%d]: %w", i, err)
		}
		if w.Type == "" || w.ID == "" {
			return nil, nil, fmt.Errorf("included[%d]: type or id is missing", i)
		}
		out[i] = Resource{Type: w.Type, ID: string(w.ID), Attributes: w.Attributes,
			Relationships: w.Relationships, Links: w.Links, Meta: w.Meta}
		if w.Type != resourceType {
			continue
		}
		var wo wireOrg
		if err := json.Unmarshal(raw, &wo); err != nil {
			return nil, nil, fmt.Errorf("included[%d] (organization %q): %w", i, w.ID, err)
		}
		o := new(Organization)
		if wo.organization(o) {
			orgs[o.ID] = o
		}
	}
	return out, orgs, nil
}

func link(a *OrganizationAccount, orgs map[string]*Organization) {
	if a.OrganizationID != "" {
		a.Organization = orgs[a.OrganizationID]
	}
}

// decodeAccountList decodes a page of organization accounts, its next
// cursor, and whether the server sent a links.next of its own.
func decodeAccountList(body []byte, status int, reqURL *url.URL) (*OrganizationAccountList, string, bool, error) {
	if err := documentKeys.CheckAnswer(body, '{'); err != nil {
		return nil, "", false, documentError(err)
	}
	var w wireAccountList
	if err := json.Unmarshal(body, &w); err != nil {
		return nil, "", false, transport.JSONPathError(body, &w, err)
	}
	if w.Data == nil {
		if jsonKind(w.Errors) == '[' {
			return nil, "", false, errorDocument(body, status)
		}
		if err := checkDocument(body, true); err != nil {
			return nil, "", false, err
		}
	}
	inc, orgs, err := includedOf(w.Included)
	if err != nil {
		return nil, "", false, err
	}
	list := &OrganizationAccountList{Items: make([]*OrganizationAccount, len(w.Data)), Total: -1, Included: inc}
	for i := range w.Data {
		a, err := w.Data[i].account(i)
		if err != nil {
			return nil, "", false, err
		}
		link(a, orgs)
		list.Items[i] = a
	}
	if m := w.Meta; m != nil {
		list.Pagination, list.Total = m.Pagination.pagination()
	}
	_, own := w.Links["next"]
	next, err := nextLink(w.Links, list.Pagination, reqURL)
	if err != nil {
		return nil, "", false, err
	}
	return list, next, own, nil
}

// decodeAccount decodes a single-account document.
func decodeAccount(body []byte, status int) (*OrganizationAccount, []Resource, error) {
	if err := documentKeys.CheckAnswer(body, '{'); err != nil {
		return nil, nil, documentError(err)
	}
	var w wireAccountOne
	if err := json.Unmarshal(body, &w); err != nil {
		return nil, nil, fmt.Errorf("organization account document: %w", err)
	}
	if w.Data == nil {
		if jsonKind(w.Errors) == '[' {
			return nil, nil, errorDocument(body, status)
		}
		return nil, nil, errors.New("document has no data: want one organization account")
	}
	inc, orgs, err := includedOf(w.Included)
	if err != nil {
		return nil, nil, err
	}
	a, err := w.Data.account(-1)
	if err != nil {
		return nil, nil, err
	}
	link(a, orgs)
	return a, inc, nil
}
