package commvault

import (
	"context"
	"encoding/xml"
	"net/http"
	"strconv"
)

// DeactivateOptions says what a deactivated company can no longer do:
// what Deactivate asks for, and what Get reports of a company
// (Organization.DeactivateOptions, the detail answer's deactivateOptions).
// Deactivate with nil options disables all three, as Command Center and
// the official Python SDK (cvpysdk) do by default.
//
// API docs: https://documentation.commvault.com/v11/software/rest_api_post_deactivate.html,
// https://github.com/Commvault/cvpysdk/blob/master/cvpysdk/organization.py (Organization.deactivate)
type DeactivateOptions struct {
	// DisableBackup stops the company's backups.
	DisableBackup Flag `json:"disableBackup" xml:"disableBackup,attr"`
	// DisableRestore stops the company's restores.
	DisableRestore Flag `json:"disableRestore" xml:"disableRestore,attr"`
	// DisableLogin stops the company's users from logging in.
	DisableLogin Flag `json:"disableLogin" xml:"disableLogin,attr"`
}

// deactivateRequest is the deactivate body. The XML root's name is not
// published (App_DeactivateOrganizationRequest is this package's).
type deactivateRequest struct {
	XMLName xml.Name          `json:"-" xml:"App_DeactivateOrganizationRequest"`
	Options deactivateOptions `json:"deactivateOptions" xml:"deactivateOptions"`
}

type deactivateOptions struct {
	DisableBackup  bool `json:"disableBackup" xml:"disableBackup,attr"`
	DisableRestore bool `json:"disableRestore" xml:"disableRestore,attr"`
	DisableLogin   bool `json:"disableLogin" xml:"disableLogin,attr"`
}

// Deactivate deactivates a company (POST
// Organization/{id}/action/deactivate): with nil opts its backups,
// restores and logins all stop; otherwise what opts sets. Options that
// disable nothing are refused before any I/O (pass nil for all three), as
// is an id that is not positive; both match ErrInvalidArgument.
//
// Deactivate is what Delete needs first. A company that does not exist
// is an *APIError matching ErrNotFound. Deactivate is a write: it is never
// sent twice (see the package doc).
//
// API doc: https://github.com/Commvault/cvpysdk/blob/master/cvpysdk/organization.py (Organization.deactivate)
func (s *OrganizationsService) Deactivate(ctx context.Context, id int, opts *DeactivateOptions) (*Response, error) {
	if err := checkID(id); err != nil {
		return nil, err
	}
	o := DeactivateOptions{DisableBackup: true, DisableRestore: true, DisableLogin: true}
	if opts != nil {
		o = *opts
	}
	if !o.DisableBackup && !o.DisableRestore && !o.DisableLogin {
		return nil, invalidArgument("deactivate options disable nothing (nil disables backup, restore and login)")
	}
	body := &deactivateRequest{Options: deactivateOptions{DisableBackup: bool(o.DisableBackup), DisableRestore: bool(o.DisableRestore), DisableLogin: bool(o.DisableLogin)}}
	return s.c.write(ctx, writeOther, http.MethodPost, nil, body, nil, "Organization", strconv.Itoa(id), "action", "deactivate")
}

// Activate activates a deactivated company again (POST
// Organization/{id}/action/activate, no body): its backups, restores and
// logins resume. An id that is not positive is refused before any I/O
// (ErrInvalidArgument); a company that does not exist is an *APIError
// matching ErrNotFound. Activate is a write: it is never sent twice.
//
// API doc: https://github.com/Commvault/cvpysdk/blob/master/cvpysdk/organization.py (Organization.activate)
func (s *OrganizationsService) Activate(ctx context.Context, id int) (*Response, error) {
	if err := checkID(id); err != nil {
		return nil, err
	}
	return s.c.write(ctx, writeOther, http.MethodPost, nil, nil, nil, "Organization", strconv.Itoa(id), "action", "activate")
}

// Delete deletes a company (DELETE Organization/{id}).
//
// The server deletes only a deactivated company: call Deactivate first.
// Delete does not deactivate on its own (cvpysdk's delete does by default;
// an SDK that silently stops a customer's backups is worse), so deleting
// an active company is refused by the server, inside HTTP 200, and that
// refusal is an *APIError matching ErrConflict (its Code and Message are
// the server's). A company that does not exist is an *APIError matching
// ErrNotFound; an id that is not positive is refused before any I/O
// (ErrInvalidArgument). Delete is a write: it is never sent twice,
// although DELETE is idempotent in HTTP (see the package doc).
//
// API doc: https://github.com/Commvault/cvpysdk/blob/master/cvpysdk/organization.py (Organizations.delete)
func (s *OrganizationsService) Delete(ctx context.Context, id int) (*Response, error) {
	if err := checkID(id); err != nil {
		return nil, err
	}
	return s.c.write(ctx, writeDelete, http.MethodDelete, nil, nil, nil, "Organization", strconv.Itoa(id))
}
