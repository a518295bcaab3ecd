package orgs

import (
	"encoding/json"
	"fmt"
	"time"
)

// Organization is one organization of any provider, in the fields every
// provider can fill. What only one provider has (ReadyCloud's payment plan,
// R-Service's manager, Commvault's alias) is on the provider's own value,
// which As reaches.
type Organization struct {
	// Provider names the provider the organization comes from
	// ("readycloud", "rservice", "commvault", "jsonapi", or a driver's
	// own name).
	Provider string `json:"provider"`
	// ID is the provider's id in its canonical text form: ReadyCloud's key
	// ("1"), R-Service's and Commvault's integer in decimal ("6"), MPDX's
	// UUID. It is what Get and Rename take, and unique within one
	// provider's directory, not across providers: key a map on Provider
	// and ID together.
	ID string `json:"id"`
	// Name is the organization's display name (Commvault's connectName).
	Name string `json:"name"`
	// ParentID is the ID of the organization this one belongs to, in the
	// same directory: R-Service's parent, Commvault's owning (reseller)
	// company. Empty when it has none or the provider does not say
	// (ReadyCloud and MPDX have no hierarchy).
	ParentID string `json:"parent_id,omitempty"`
	// Active says whether the organization is in use: R-Service's
	// disabled (from Get: its lists leave it out), Commvault's status or enabled flag, ReadyCloud's deleted_at
	// (False when set, else Unknown). MPDX does not say: Unknown.
	Active Tristate `json:"active"`
	// CreatedAt and UpdatedAt are zero when the provider does not say:
	// ReadyCloud never does, Commvault says CreatedAt only in Get.
	CreatedAt time.Time `json:"created_at,omitzero"`
	UpdatedAt time.Time `json:"updated_at,omitzero"`

	as func(any) bool
}

// As reaches the provider's own value behind o: target is a pointer to a
// pointer of the provider's organization type, set when As returns true.
//
//	var rc *readycloud.Organization
//	if org.As(&rc) {
//		fmt.Println(rc.PaymentPlan.Name)
//	}
//
// The four providers answer to **readycloud.Organization,
// **rservice.Organization, **commvault.Organization (and, from Get,
// **commvault.OrganizationInfo, the detailed answer) and
// **jsonapi.Organization. As returns false for any other target, nil
// included, and for an organization the package did not hand out.
func (o *Organization) As(target any) bool {
	if o == nil || o.as == nil || target == nil {
		return false
	}
	return o.as(target)
}

// Tristate is a yes or no that a provider may leave unsaid. The zero value
// is Unknown.
type Tristate int8

// The values of a Tristate.
const (
	// Unknown: the provider does not say.
	Unknown Tristate = iota
	// True: yes.
	True
	// False: no.
	False
)

// TristateOf returns True or False for v.
func TristateOf(v bool) Tristate {
	if v {
		return True
	}
	return False
}

// Bool returns the value and whether it is known: (false, false) for
// Unknown.
func (s Tristate) Bool() (value, known bool) {
	switch s {
	case True:
		return true, true
	case False:
		return false, true
	}
	return false, false
}

// Known reports whether s is True or False.
func (s Tristate) Known() bool { _, ok := s.Bool(); return ok }

// String returns "true", "false" or "unknown".
func (s Tristate) String() string {
	switch s {
	case True:
		return "true"
	case False:
		return "false"
	case Unknown:
		return "unknown"
	}
	return fmt.Sprintf("Tristate(%d)", int8(s))
}

// MarshalJSON writes true, false, or null for Unknown.
func (s Tristate) MarshalJSON() ([]byte, error) {
	if v, ok := s.Bool(); ok {
		return json.Marshal(v)
	}
	return []byte("null"), nil
}

// UnmarshalJSON reads true, false or null.
func (s *Tristate) UnmarshalJSON(data []byte) error {
	var v *bool
	if err := json.Unmarshal(data, &v); err != nil {
		return fmt.Errorf("orgsdk: orgs: Tristate: want true, false or null: %w", err)
	}
	*s = Unknown
	if v != nil {
		*s = TristateOf(*v)
	}
	return nil
}

func tristate(p *bool) Tristate {
	if p == nil {
		return Unknown
	}
	return TristateOf(*p)
}
