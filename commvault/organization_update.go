package commvault

import (
	"context"
	"encoding/xml"
	"net/http"
	"strconv"
	"strings"
)

// PlanOperation is how an Update changes a list of plans: it is always
// explicit, so an update never replaces a company's plans by accident.
// The zero value is no operation and is refused.
//
// The values are Commvault's operation-type codes, sent as
// planDetailsOperationType and defaultPlansOperationType: 1 OVERWRITE,
// 2 ADD, 3 DELETE (the official Python SDK, cvpysdk, sends 1 from its
// plans setter, which replaces the list, and 3 from dissociate_plans; its
// other operation-type maps, such as the client group's, read NONE 0,
// OVERWRITE 1, ADD 2, DELETE 3, CLEAR 4).
//
// API doc: https://github.com/Commvault/cvpysdk/blob/master/cvpysdk/organization.py (Organization.plans, dissociate_plans)
type PlanOperation int

// Plan operations.
const (
	// PlansReplace makes the given plans the whole list (OVERWRITE, 1):
	// plans not named are dissociated.
	PlansReplace PlanOperation = 1
	// PlansAdd associates the given plans, keeping the others (ADD, 2).
	PlansAdd PlanOperation = 2
	// PlansRemove dissociates the given plans, keeping the others
	// (DELETE, 3).
	PlansRemove PlanOperation = 3
)

// String returns "add", "remove", "replace", or the code of an unknown
// operation.
func (op PlanOperation) String() string {
	switch op {
	case PlansReplace:
		return "replace"
	case PlansAdd:
		return "add"
	case PlansRemove:
		return "remove"
	}
	return "PlanOperation(" + strconv.Itoa(int(op)) + ")"
}

// PlanChange is one change of a plan list: an operation and the plans it
// applies to (each by PlanID or PlanName). AddPlans, RemovePlans and
// ReplacePlans build one. A nil *PlanChange in an OrganizationUpdate
// leaves that list as it is.
type PlanChange struct {
	Operation PlanOperation
	Plans     []PlanRef
}

// AddPlans is the change that associates plans, keeping the others.
func AddPlans(plans ...PlanRef) *PlanChange {
	return &PlanChange{Operation: PlansAdd, Plans: plans}
}

// RemovePlans is the change that dissociates plans, keeping the others.
func RemovePlans(plans ...PlanRef) *PlanChange {
	return &PlanChange{Operation: PlansRemove, Plans: plans}
}

// ReplacePlans is the change that makes plans the whole list.
func ReplacePlans(plans ...PlanRef) *PlanChange {
	return &PlanChange{Operation: PlansReplace, Plans: plans}
}

// OrganizationUpdate is a change to a company, what Update sends. A nil
// or empty field leaves that part of the company as it is; at least one
// must be set.
//
// API doc: https://github.com/Commvault/cvpysdk/blob/master/cvpysdk/organization.py (Organization._update_properties; no page of the REST reference documents this form)
type OrganizationUpdate struct {
	// NewName renames the company (newCompanyName); "" keeps the name.
	NewName string
	// NewAlias changes the company's alias (newAliasName); "" keeps it.
	NewAlias string
	// Plans changes the plans associated with the company
	// (planDetailsOperationType, planDetails); nil keeps them.
	Plans *PlanChange
	// DefaultPlans changes the company's default plans
	// (organizationProperties.defaultPlansOperationType, defaultPlans);
	// nil keeps them. A default plan must be one of the company's plans.
	DefaultPlans *PlanChange
}

// updateRequest is PUT Organization's body. The XML root's name is not
// published (App_UpdateOrganizationRequest is this package's).
type updateRequest struct {
	XMLName        xml.Name   `json:"-" xml:"App_UpdateOrganizationRequest"`
	NewAliasName   string     `json:"newAliasName,omitempty" xml:"newAliasName,attr,omitempty"`
	NewCompanyName string     `json:"newCompanyName,omitempty" xml:"newCompanyName,attr,omitempty"`
	Info           updateInfo `json:"organizationInfo" xml:"organizationInfo"`
}

type updateInfo struct {
	PlanDetailsOperationType int              `json:"planDetailsOperationType,omitempty" xml:"planDetailsOperationType,attr,omitempty"`
	Organization             updateOrg        `json:"organization" xml:"organization"`
	Properties               updateProps      `json:"organizationProperties" xml:"organizationProperties"`
	PlanDetails              []planDetailWire `json:"planDetails,omitempty" xml:"planDetails"`
}

type updateOrg struct {
	ShortName idWire `json:"shortName" xml:"shortName"`
}

type idWire struct {
	ID int `json:"id" xml:"id,attr"`
}

type updateProps struct {
	DefaultPlansOperationType int              `json:"defaultPlansOperationType,omitempty" xml:"defaultPlansOperationType,attr,omitempty"`
	DefaultPlans              []planDetailWire `json:"defaultPlans,omitempty" xml:"defaultPlans"`
}

// wire checks a change and converts it: it refuses one without a known operation or without plans.
func (ch *PlanChange) wire(what string) (int, []planDetailWire, error) {
	switch ch.Operation {
	case PlansAdd, PlansRemove, PlansReplace:
	case 0:
		return 0, nil, invalidArgument("%s: no plan operation (use AddPlans, RemovePlans or ReplacePlans)", what)
	default:
		return 0, nil, invalidArgument("%s: unknown plan operation %d", what, int(ch.Operation))
	}
	if len(ch.Plans) == 0 {
		return 0, nil, invalidArgument("%s: %s names no plan", what, ch.Operation)
	}
	plans, err := planWires(what+".Plans", ch.Plans)
	return int(ch.Operation), plans, err
}

func (u *OrganizationUpdate) wire(id int) (*updateRequest, error) {
	if u == nil {
		return nil, invalidArgument("nil organization update")
	}
	req := &updateRequest{Info: updateInfo{Organization: updateOrg{ShortName: idWire{ID: id}}}}
	for _, f := range []struct {
		name string
		in   string
		out  *string
	}{{"NewName", u.NewName, &req.NewCompanyName}, {"NewAlias", u.NewAlias, &req.NewAliasName}} {
		if f.in != "" && strings.TrimSpace(f.in) == "" {
			return nil, invalidArgument("%s must not be blank (\"\" keeps it)", f.name)
		}
		*f.out = strings.TrimSpace(f.in)
	}
	var err error
	if u.Plans != nil {
		if req.Info.PlanDetailsOperationType, req.Info.PlanDetails, err = u.Plans.wire("Plans"); err != nil {
			return nil, err
		}
	}
	if u.DefaultPlans != nil {
		if req.Info.Properties.DefaultPlansOperationType, req.Info.Properties.DefaultPlans, err = u.DefaultPlans.wire("DefaultPlans"); err != nil {
			return nil, err
		}
	}
	if req.NewCompanyName == "" && req.NewAliasName == "" && u.Plans == nil && u.DefaultPlans == nil {
		return nil, invalidArgument("nothing to update")
	}
	return req, nil
}

// Update changes a company (PUT Organization?organizationId={id}): its
// name, its alias, and its plans and default plans, each by an explicit
// PlanChange. The arguments are checked before any I/O: an id that is not
// positive, a nil or empty update, a blank new name or alias, or a plan
// change without an operation or without plans is an error matching
// ErrInvalidArgument.
//
// A company that does not exist (the server's "Organization [N] does not
// exist", inside HTTP 200) is an *APIError matching ErrNotFound. Update is
// a write: it is never sent twice, although PUT is idempotent in HTTP
// (see the package doc).
//
// API doc: https://github.com/Commvault/cvpysdk/blob/master/cvpysdk/organization.py (Organization._update_properties; no page of the REST reference documents this form)
func (s *OrganizationsService) Update(ctx context.Context, id int, u *OrganizationUpdate) (*Response, error) {
	if err := checkID(id); err != nil {
		return nil, err
	}
	req, err := u.wire(id)
	if err != nil {
		return nil, err
	}
	return s.c.write(ctx, writeOther, http.MethodPut, map[string]string{"organizationId": strconv.Itoa(id)}, req, nil, "Organization")
}
