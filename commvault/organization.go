package commvault

import (
	"encoding/json"
	"encoding/xml"
	"strconv"
	"strings"
	"time"
)

// Organization is a company (tenant) of a CommCell as the Organization
// endpoints describe it. The same struct decodes the JSON and the XML form,
// where scalar fields are attributes.
//
// API doc: https://documentation.commvault.com/v11/essential/92470_rest_api_get_organization.html
type Organization struct {
	// ID is the organization's id, the one Get and DefaultPlan take: a copy
	// of ShortName.ID, made when the organization is decoded (0, the
	// CommCell's own id, when the answer has no shortName, as before). The
	// wire has no id of its own (a JSON "id" member is ignored); encoding
	// to JSON writes it as "id".
	ID int `json:"id" xml:"-"`
	// Name is the organization's display name (connectName on the wire).
	Name        string `json:"connectName" xml:"connectName,attr"`
	Description string `json:"description" xml:"description,attr"`
	// ShortName carries the id used in paths and the alias (domainName).
	ShortName ShortName `json:"shortName" xml:"shortName"`
	// ResourceProvider is the CommCell that hosts the organization.
	ResourceProvider *ShortName `json:"resourceProvider,omitempty" xml:"resourceProvider"`
	ServiceType      Int        `json:"serviceType" xml:"serviceType,attr"`
	Flags            Int        `json:"flags" xml:"flags,attr"`
	Enabled          Flag       `json:"enabled" xml:"enabled,attr"`
	// TrustedHostUser is bTrustedHostUser, often sent as "".
	TrustedHostUser Flag `json:"bTrustedHostUser" xml:"bTrustedHostUser,attr"`
	UseSecureLDAP   Flag `json:"useSecureLdap" xml:"useSecureLdap,attr"`
	Port            Int  `json:"port" xml:"port,attr"`
	// LoginEnabled is bLogin, often sent as "".
	LoginEnabled Flag `json:"bLogin" xml:"bLogin,attr"`
	// Login is the login field of the detailed form (usually "").
	Login            string    `json:"login" xml:"login,attr"`
	TPPM             *TPPM     `json:"tppm,omitempty" xml:"tppm"`
	PrimaryContacts  []Contact `json:"primaryContacts,omitempty" xml:"primaryContacts"`
	EmailDomainNames []string  `json:"emailDomainNames,omitempty" xml:"emailDomainNames"`
	// Fields added by newer servers.
	ProviderGUID string `json:"providerGUID,omitempty" xml:"providerGUID,attr"`
	// Status is the organization's state ("Active", "Deactivated", ...).
	Status                  OrganizationStatus `json:"status,omitempty" xml:"status,attr"`
	OwnerCompanyName        string             `json:"ownerCompanyName,omitempty" xml:"ownerCompanyName,attr"`
	OwnerCompanyID          Int                `json:"ownerCompanyId,omitempty" xml:"ownerCompanyId,attr"`
	CanCreateCompanies      Flag               `json:"canCreateCompanies,omitempty" xml:"canCreateCompanies,attr"`
	AssociatedEntitiesCount Int                `json:"associatedEntitiesCount,omitempty" xml:"associatedEntitiesCount,attr"`
	// AgePasswordDays is how many days a company user's password lasts
	// (0: no expiry).
	AgePasswordDays Int `json:"agePasswordDays,omitempty" xml:"agePasswordDays,attr"`
	// EnableLocalAuthentication allows users without an identity provider
	// to log in with a local password.
	EnableLocalAuthentication Flag `json:"enableLocalAuthentication,omitempty" xml:"enableLocalAuthentication,attr"`
	// IsCloudServiceCompany marks a company of a Commvault Cloud (SaaS)
	// service.
	IsCloudServiceCompany Flag `json:"isCloudServiceCompany,omitempty" xml:"isCloudServiceCompany,attr"`
	// LoginSessionTimeoutInMinutes is the idle timeout of the company's
	// users' sessions.
	LoginSessionTimeoutInMinutes Int `json:"loginSessionTimeoutInMinutes,omitempty" xml:"loginSessionTimeoutInMinutes,attr"`
	// SharedInfraDetails is the shared-infrastructure setting, kept as the
	// JSON the server sent (its fields are not documented; nil in XML).
	SharedInfraDetails json.RawMessage `json:"sharedInfraDetails,omitempty" xml:"-"`
	// DeactivateOptions is what a deactivated company may no longer do
	// (the detail form of Get carries it; nil when absent).
	DeactivateOptions *DeactivateOptions `json:"deactivateOptions,omitempty" xml:"deactivateOptions"`
	// Provider is the company as an entity of the CommCell, with its tags
	// (a listed company on newer servers; nil when absent).
	Provider *ProviderEntity `json:"provider,omitempty" xml:"provider"`
	// Commcell is the CommCell the company lives on (newer servers, and
	// every company of a multi-CommCell view; nil when absent).
	Commcell *CommcellRef `json:"commcell,omitempty" xml:"commcell"`
	// CloudServiceDetails is organizationCloudServiceDetails: where a
	// company of a Commvault Cloud service is served (its Command Center's
	// redirect URL).
	CloudServiceDetails []CloudServiceDetail `json:"organizationCloudServiceDetails,omitempty" xml:"organizationCloudServiceDetails"`
	// IdpCompanyDetails is present on the entries of a multi-CommCell list
	// that describe a company of an identity-provider CommCell rather than
	// a company of this one (cvpysdk skips them). Its fields are not
	// published, so it is kept as the JSON the server sent (nil in XML);
	// non-nil means the entry had one.
	IdpCompanyDetails json.RawMessage `json:"idpCompanyDetails,omitempty" xml:"-"`
}

// ProviderEntity is a listed company's provider object: its entity type
// (61, a company), its id and its tags.
type ProviderEntity struct {
	Type       Int   `json:"_type_" xml:"_type_,attr"`
	ProviderID Int   `json:"providerId" xml:"providerId,attr"`
	Tags       []Tag `json:"tags,omitempty" xml:"tags"`
}

// CommcellRef names the CommCell of a listed company.
type CommcellRef struct {
	CommCellName string `json:"commCellName" xml:"commCellName,attr"`
	// EntityInfo carries the CommCell's name in a multi-CommCell (global)
	// view.
	EntityInfo *CommcellEntityInfo `json:"entityInfo,omitempty" xml:"entityInfo"`
}

// CommcellEntityInfo is a CommCell's entityInfo.
type CommcellEntityInfo struct {
	MultiCommcellName string `json:"multiCommcellName" xml:"multiCommcellName,attr"`
}

// CloudServiceDetail is one organizationCloudServiceDetails entry.
type CloudServiceDetail struct {
	CloudService CloudService `json:"cloudService" xml:"cloudService"`
}

// CloudService is where a Commvault Cloud company is served.
type CloudService struct {
	// RedirectURL is the company's own Command Center.
	RedirectURL string `json:"redirectUrl" xml:"redirectUrl,attr"`
}

// OrganizationStatus is an organization's state as the server sent it:
// a name on newer servers ("Active", "Deactivated"; cvpysdk filters on
// "ACTIVE"), a number on classic ones ("status": 1 in the SP32 example),
// kept as its text ("1"). Commvault does not publish what the numbers
// mean, and the SDK does not guess: a number is an unknown status (Known
// is false, Active says so), never a silent inactive. String returns the
// value as sent, whatever it is.
//
// API doc: https://documentation.commvault.com/v11/essential/92470_rest_api_get_organization.html
type OrganizationStatus string

// Organization states with a documented name.
const (
	StatusActive      OrganizationStatus = "Active"
	StatusDeactivated OrganizationStatus = "Deactivated"
)

// IsActive reports whether the status is the name Active, in any case.
// It is false for Deactivated and for every status it cannot read (a
// number, an unknown name, none): use Active to tell those apart.
func (s OrganizationStatus) IsActive() bool {
	return strings.EqualFold(string(s), string(StatusActive))
}

// Active reports whether the status says the organization is active, and
// whether it says anything the SDK can read: known is true only for the
// names Active and Deactivated (in any case). A numeric or unknown status
// gives (false, false); its text is String.
func (s OrganizationStatus) Active() (active, known bool) {
	switch {
	case s.IsActive():
		return true, true
	case strings.EqualFold(string(s), string(StatusDeactivated)):
		return false, true
	}
	return false, false
}

// Known reports whether the status is one of the documented names.
func (s OrganizationStatus) Known() bool { _, known := s.Active(); return known }

// Number returns the status as an integer when the server sent a number
// (classic servers), and whether it did.
func (s OrganizationStatus) Number() (int64, bool) {
	n, err := strconv.ParseInt(string(s), 10, 64)
	return n, err == nil
}

// String returns the status as the server sent it ("" when absent).
func (s OrganizationStatus) String() string { return string(s) }

// UnmarshalJSON accepts a string or a number.
func (s *OrganizationStatus) UnmarshalJSON(data []byte) error {
	var t Text
	if err := t.UnmarshalJSON(data); err != nil {
		return err
	}
	*s = OrganizationStatus(strings.TrimSpace(string(t)))
	return nil
}

// UnmarshalXMLAttr keeps the attribute's text, trimmed.
func (s *OrganizationStatus) UnmarshalXMLAttr(attr xml.Attr) error {
	*s = OrganizationStatus(strings.TrimSpace(attr.Value))
	return nil
}

// orgAlias drops Organization's methods so orgWire can reuse its fields
// without recursion.
type orgAlias Organization

// orgWire is an organization as the decoders read it; its ID hides the
// embedded one, so a stray JSON "id" member cannot fail the decode or
// stand in for shortName.id.
type orgWire struct {
	orgAlias
	ID json.RawMessage `json:"id" xml:"-"`
}

// result is the decoded organization with its ID, pointing into w.
func (w *orgWire) result() *Organization {
	o := (*Organization)(&w.orgAlias)
	o.ID = int(o.ShortName.ID)
	return o
}

// UnmarshalJSON decodes an organization and copies shortName.id to ID.
func (o *Organization) UnmarshalJSON(data []byte) error {
	var w orgWire
	if err := json.Unmarshal(data, &w); err != nil {
		return err
	}
	*o = *w.result()
	return nil
}

// UnmarshalXML decodes an organization and copies shortName.id to ID.
func (o *Organization) UnmarshalXML(d *xml.Decoder, start xml.StartElement) error {
	var w orgWire
	if err := d.DecodeElement(&w, &start); err != nil {
		return err
	}
	*o = *w.result()
	return nil
}

// ShortName is an {id, domainName} pair: an organization's id and alias,
// or the CommCell that provides it.
type ShortName struct {
	DomainName string `json:"domainName" xml:"domainName,attr"`
	ID         Int    `json:"id" xml:"id,attr"`
}

// TPPM is the third-party port mapping (firewall proxy) setting.
type TPPM struct {
	Enable           Flag              `json:"enable" xml:"enable,attr"`
	Type             Int               `json:"tppmType" xml:"tppmType,attr"`
	ProxyInformation *ProxyInformation `json:"proxyInformation,omitempty" xml:"proxyInformation"`
}

// ProxyInformation names the proxy client of a TPPM setting.
type ProxyInformation struct {
	PortNumber  Int          `json:"portNumber" xml:"portNumber,attr"`
	ProxyEntity *ProxyEntity `json:"proxyEntity,omitempty" xml:"proxyEntity"`
}

// ProxyEntity is the client that acts as the proxy.
type ProxyEntity struct {
	ClientName string `json:"clientName" xml:"clientName,attr"`
	ClientID   Int    `json:"clientId" xml:"clientId,attr"`
	Type       Int    `json:"_type_" xml:"_type_,attr"`
}

// Contact is one of an organization's primary contacts.
type Contact struct {
	FullName string   `json:"fullName" xml:"fullName,attr"`
	Email    string   `json:"email,omitempty" xml:"email,attr"`
	User     *UserRef `json:"user,omitempty" xml:"user"`
}

// UserRef identifies a CommCell user ("alias\\name" for company users).
type UserRef struct {
	UserName string `json:"userName" xml:"userName,attr"`
	UserID   Int    `json:"userId" xml:"userId,attr"`
	Type     Int    `json:"_type_,omitempty" xml:"_type_,attr"`
}

// OrganizationInfo is the detailed form returned by Get: the organization,
// its properties and its associated plans.
//
// API doc: https://documentation.commvault.com/v11/software/rest_api_get_organization_details.html
type OrganizationInfo struct {
	Organization Organization           `json:"organization" xml:"organization"`
	Properties   OrganizationProperties `json:"organizationProperties" xml:"organizationProperties"`
	PlanDetails  []PlanDetail           `json:"planDetails,omitempty" xml:"planDetails"`
}

// OrganizationProperties are an organization's counters, contacts and
// default plans.
type OrganizationProperties struct {
	// CreatedAt is orgCreationDateTime (unix seconds on the wire); zero
	// when absent.
	CreatedAt           time.Time `json:"orgCreationDateTime" xml:"-"`
	UserCount           Int       `json:"userCount" xml:"userCount,attr"`
	ServerCount         Int       `json:"serverCount" xml:"serverCount,attr"`
	VMCount             Int       `json:"vmCount" xml:"vmCount,attr"`
	DeviceCount         Int       `json:"deviceCount" xml:"deviceCount,attr"`
	PhysicalDeviceCount Int       `json:"physicalDeviceCount" xml:"physicalDeviceCount,attr"`
	MiscMachineCount    Int       `json:"miscMachineCount" xml:"miscMachineCount,attr"`
	TotalMachineCount   Int       `json:"totalMachineCount" xml:"totalMachineCount,attr"`
	// HypervisorCount is hypervisiorCount on the wire (sic).
	HypervisorCount   Int           `json:"hypervisiorCount" xml:"hypervisiorCount,attr"`
	AuthCode          string        `json:"authCode" xml:"authCode,attr"`
	EnableAuthCodeGen Flag          `json:"enableAuthCodeGen" xml:"enableAuthCodeGen,attr"`
	PrimaryDomain     string        `json:"primaryDomain,omitempty" xml:"primaryDomain,attr"`
	PrimaryContacts   []Contact     `json:"primaryContacts,omitempty" xml:"primaryContacts"`
	DefaultPlans      []DefaultPlan `json:"defaultPlans,omitempty" xml:"defaultPlans"`

	// The company's settings, as cvpysdk's Organization reads them
	// (_get_properties); each is zero when the server does not send it.

	// AdditionalDomains are the company's domains besides PrimaryDomain.
	AdditionalDomains []string `json:"additionalDomains,omitempty" xml:"additionalDomains"`
	// AgePasswordDays is how many days a company user's password lasts
	// (0: no expiry).
	AgePasswordDays Int `json:"agePasswordDays,omitempty" xml:"agePasswordDays,attr"`
	// LoginSessionTimeoutInMinutes is the idle timeout of the company's
	// users' sessions.
	LoginSessionTimeoutInMinutes Int `json:"loginSessionTimeoutInMinutes,omitempty" xml:"loginSessionTimeoutInMinutes,attr"`
	// CanCreateCompanies is reseller mode: the company may create
	// companies of its own.
	CanCreateCompanies Flag `json:"canCreateCompanies,omitempty" xml:"canCreateCompanies,attr"`
	// UseUPNForEmail logs users in by UPN instead of e-mail address.
	UseUPNForEmail Flag `json:"useUPNForEmail,omitempty" xml:"useUPNForEmail,attr"`
	// ShowDLP is data encryption (DLP) shown to the company's users.
	ShowDLP Flag `json:"showDLP,omitempty" xml:"showDLP,attr"`
	// InfrastructureType, AutoClientOwnerAssignmentType and
	// SupportedSolutions are codes, kept as sent (their names are not
	// published).
	InfrastructureType            Int `json:"infrastructureType,omitempty" xml:"infrastructureType,attr"`
	AutoClientOwnerAssignmentType Int `json:"autoClientOwnerAssignmentType,omitempty" xml:"autoClientOwnerAssignmentType,attr"`
	SupportedSolutions            Int `json:"supportedSolutions,omitempty" xml:"supportedSolutions,attr"`
	// UseCompanyGlobalFilter applies the company's global file exceptions.
	UseCompanyGlobalFilter Flag `json:"useCompanyGlobalFilter,omitempty" xml:"useCompanyGlobalFilter,attr"`
	// AllowUsersToEnablePasskey and AllowUsersToEnablePrivacy let the
	// company's users turn these on themselves.
	AllowUsersToEnablePasskey Flag `json:"allowUsersToEnablePasskey,omitempty" xml:"allowUsersToEnablePasskey,attr"`
	AllowUsersToEnablePrivacy Flag `json:"allowUsersToEnablePrivacy,omitempty" xml:"allowUsersToEnablePrivacy,attr"`
	// IsJobStartTimeEnabled and JobStartTime: the company's own job start
	// time (JobStartTime as sent, seconds), when enabled.
	IsJobStartTimeEnabled Flag `json:"isJobStartTimeEnabled,omitempty" xml:"isJobStartTimeEnabled,attr"`
	JobStartTime          Int  `json:"jobStartTime,omitempty" xml:"jobStartTime,attr"`
	// ClientGroupForceClientSideDownload makes the company's clients
	// download software from the internet.
	ClientGroupForceClientSideDownload Flag `json:"clientGroupForceClientSideDownload,omitempty" xml:"clientGroupForceClientSideDownload,attr"`
	// SenderName and SenderSMTP are the company's e-mail sender.
	SenderName string `json:"senderName,omitempty" xml:"senderName,attr"`
	SenderSMTP string `json:"senderSmtp,omitempty" xml:"senderSmtp,attr"`
	// OperatorRole is the role tenant operators get.
	OperatorRole *RoleRef `json:"operatorRole,omitempty" xml:"operatorRole"`
	// Operators are the company's tenant operators (a user or a user
	// group, each with a role).
	Operators []Operator `json:"operators,omitempty" xml:"operators"`
	// AdvancedPrivacySettings, Privacy, AutoRetireDevices and
	// GlobalFiltersInfo are kept as the JSON the server sent: their shapes
	// vary by release (nil in XML).
	AdvancedPrivacySettings json.RawMessage `json:"advancedPrivacySettings,omitempty" xml:"-"`
	Privacy                 json.RawMessage `json:"privacy,omitempty" xml:"-"`
	AutoRetireDevices       json.RawMessage `json:"autoRetireDevices,omitempty" xml:"-"`
	GlobalFiltersInfo       json.RawMessage `json:"globalFiltersInfo,omitempty" xml:"-"`
}

// RoleRef names a role.
type RoleRef struct {
	RoleName string `json:"roleName,omitempty" xml:"roleName,attr"`
	RoleID   Int    `json:"roleId,omitempty" xml:"roleId,attr"`
}

// UserGroupRef names a user group.
type UserGroupRef struct {
	UserGroupName string `json:"userGroupName,omitempty" xml:"userGroupName,attr"`
	UserGroupID   Int    `json:"userGroupId,omitempty" xml:"userGroupId,attr"`
}

// Operator is a tenant operator of a company: a user or a user group, with
// the role it has there.
type Operator struct {
	Role      *RoleRef      `json:"role,omitempty" xml:"role"`
	User      *UserRef      `json:"user,omitempty" xml:"user"`
	UserGroup *UserGroupRef `json:"userGroup,omitempty" xml:"userGroup"`
}

// propsAlias drops OrganizationProperties' methods so the wire struct
// below can reuse its fields without recursion.
type propsAlias OrganizationProperties

// propsWire reads orgCreationDateTime as unix seconds; the outer field
// hides the embedded time.Time of the same JSON name.
type propsWire struct {
	propsAlias
	Created Int `json:"orgCreationDateTime" xml:"orgCreationDateTime,attr"`
}

func (w *propsWire) result() OrganizationProperties {
	p := OrganizationProperties(w.propsAlias)
	if w.Created > 0 {
		p.CreatedAt = time.Unix(int64(w.Created), 0).UTC()
	}
	return p
}

// UnmarshalJSON reads orgCreationDateTime as unix seconds.
func (p *OrganizationProperties) UnmarshalJSON(data []byte) error {
	var w propsWire
	if err := json.Unmarshal(data, &w); err != nil {
		return err
	}
	*p = w.result()
	return nil
}

// UnmarshalXML reads orgCreationDateTime as unix seconds.
func (p *OrganizationProperties) UnmarshalXML(d *xml.Decoder, start xml.StartElement) error {
	var w propsWire
	if err := d.DecodeElement(&w, &start); err != nil {
		return err
	}
	*p = w.result()
	return nil
}

// PlanRef names a plan.
type PlanRef struct {
	PlanName string `json:"planName" xml:"planName,attr"`
	PlanID   Int    `json:"planId" xml:"planId,attr"`
}

// DefaultPlan is one default plan of an organization, per plan subtype.
type DefaultPlan struct {
	Subtype PlanSubtype `json:"subtype" xml:"subtype,attr"`
	Plan    PlanRef     `json:"plan" xml:"plan"`
}

// PlanDetail is a plan associated with an organization.
type PlanDetail struct {
	Plan           PlanRef      `json:"plan" xml:"plan"`
	Description    string       `json:"description,omitempty" xml:"description,attr"`
	Type           Int          `json:"type,omitempty" xml:"type,attr"`
	Subtype        PlanSubtype  `json:"subtype,omitempty" xml:"subtype,attr"`
	Restrictions   Int          `json:"restrictions,omitempty" xml:"restrictions,attr"`
	PlanStatusFlag Int          `json:"planStatusFlag,omitempty" xml:"planStatusFlag,attr"`
	NumDevices     Int          `json:"numDevices,omitempty" xml:"numDevices,attr"`
	NumUsers       Int          `json:"numUsers,omitempty" xml:"numUsers,attr"`
	Permissions    []Permission `json:"permissions,omitempty" xml:"permissions"`
	PlanOwner      *UserRef     `json:"planOwner,omitempty" xml:"planOwner"`
}

// Permission is a permission granted through a plan.
type Permission struct {
	PermissionID Int `json:"permissionId" xml:"permissionId,attr"`
}

// DefaultPlans is the answer of DefaultPlan: the organization (or the
// CommCell, id 0) and its default plan per subtype. Plans is empty when no
// default plan is set.
//
// API doc: https://documentation.commvault.com/2024e/commcell-console/rest_api_get_organization_default_plan.html
type DefaultPlans struct {
	Organization Organization  `json:"organization"`
	Plans        []DefaultPlan `json:"defaultPlans"`
}

// For returns the default plan of the given subtype, if there is one.
func (d *DefaultPlans) For(subtype PlanSubtype) (PlanRef, bool) {
	for _, p := range d.Plans {
		if p.Subtype == subtype {
			return p.Plan, true
		}
	}
	return PlanRef{}, false
}

// PlanSubtype is a plan's subtype code. Codes without a name here are kept
// and print as their number.
type PlanSubtype int64

// Documented plan subtype codes.
const (
	PlanSubtypeEDiscovery         PlanSubtype = 1
	PlanSubtypeDLO                PlanSubtype = 16777223
	PlanSubtypeServer             PlanSubtype = 33554437
	PlanSubtypeLaptop             PlanSubtype = 33554439
	PlanSubtypeDatabase           PlanSubtype = 33579013
	PlanSubtypeFileSystem         PlanSubtype = 50331655
	PlanSubtypeSnap               PlanSubtype = 67108869
	PlanSubtypeVSASystem          PlanSubtype = 83886085
	PlanSubtypeVSAReplication     PlanSubtype = 83918853
	PlanSubtypeExchangeJournal    PlanSubtype = 100794372
	PlanSubtypeExchangeUser       PlanSubtype = 100859907
	PlanSubtypeDataClassification PlanSubtype = 117506053
)

var subtypeNames = map[PlanSubtype]string{
	PlanSubtypeEDiscovery:         "eDiscovery",
	PlanSubtypeDLO:                "DLO",
	PlanSubtypeServer:             "Server",
	PlanSubtypeLaptop:             "Laptop",
	PlanSubtypeDatabase:           "Database",
	PlanSubtypeFileSystem:         "File system",
	PlanSubtypeSnap:               "Snap",
	PlanSubtypeVSASystem:          "VSA system",
	PlanSubtypeVSAReplication:     "VSA Replication",
	PlanSubtypeExchangeJournal:    "Exchange journal",
	PlanSubtypeExchangeUser:       "Exchange user",
	PlanSubtypeDataClassification: "Data classification",
}

// String returns the documented name, or the code for an unknown subtype.
func (s PlanSubtype) String() string {
	if n, ok := subtypeNames[s]; ok {
		return n
	}
	return strconv.FormatInt(int64(s), 10)
}

// Known reports whether the code is one of the documented subtypes.
func (s PlanSubtype) Known() bool { _, ok := subtypeNames[s]; return ok }

// UnmarshalJSON accepts the code as a number or a numeric string.
func (s *PlanSubtype) UnmarshalJSON(data []byte) error {
	var n Int
	if err := n.UnmarshalJSON(data); err != nil {
		return err
	}
	*s = PlanSubtype(n)
	return nil
}

// UnmarshalXMLAttr reads the code from an attribute.
func (s *PlanSubtype) UnmarshalXMLAttr(attr xml.Attr) error {
	v, err := parseInt(attr.Value)
	if err != nil {
		return inAttr(attr, err)
	}
	*s = PlanSubtype(v)
	return nil
}
