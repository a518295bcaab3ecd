package commvaulttest

import (
	"encoding/xml"
	"slices"
)

// The fake keeps its own wire structs rather than reusing the SDK's models,
// so a decoding bug in the SDK cannot hide behind a matching encoder.

type shortW struct {
	DomainName string `json:"domainName" xml:"domainName,attr"`
	ID         int    `json:"id" xml:"id,attr"`
}

type userW struct {
	Type     int    `json:"_type_,omitempty" xml:"_type_,attr,omitempty"`
	UserName string `json:"userName" xml:"userName,attr"`
	UserID   int    `json:"userId" xml:"userId,attr"`
}

type contactW struct {
	FullName string `json:"fullName" xml:"fullName,attr"`
	Email    string `json:"email,omitempty" xml:"email,attr,omitempty"`
	User     *userW `json:"user,omitempty" xml:"user"`
}

type proxyEntityW struct {
	ClientName string `json:"clientName" xml:"clientName,attr"`
	ClientID   int    `json:"clientId" xml:"clientId,attr"`
	Type       int    `json:"_type_" xml:"_type_,attr"`
}

type proxyInfoW struct {
	PortNumber  int          `json:"portNumber" xml:"portNumber,attr"`
	ProxyEntity proxyEntityW `json:"proxyEntity" xml:"proxyEntity"`
}

type tppmW struct {
	Enable           bool       `json:"enable" xml:"enable,attr"`
	TPPMType         int        `json:"tppmType" xml:"tppmType,attr"`
	ProxyInformation proxyInfoW `json:"proxyInformation" xml:"proxyInformation"`
}

// orgW is an organization in list form (providers[]) or detail form
// (organizationInfo.organization); pointers control which optional fields
// each form carries.
type orgW struct {
	ServiceType      *int       `json:"serviceType,omitempty" xml:"serviceType,attr,omitempty"`
	Flags            *int       `json:"flags,omitempty" xml:"flags,attr,omitempty"`
	Description      *string    `json:"description,omitempty" xml:"description,attr,omitempty"`
	Login            *string    `json:"login,omitempty" xml:"login,attr,omitempty"`
	Enabled          *int       `json:"enabled,omitempty" xml:"enabled,attr,omitempty"`
	BTrustedHostUser *string    `json:"bTrustedHostUser,omitempty" xml:"bTrustedHostUser,attr,omitempty"`
	UseSecureLdap    *int       `json:"useSecureLdap,omitempty" xml:"useSecureLdap,attr,omitempty"`
	ConnectName      string     `json:"connectName" xml:"connectName,attr"`
	Port             *int       `json:"port,omitempty" xml:"port,attr,omitempty"`
	BLogin           *string    `json:"bLogin,omitempty" xml:"bLogin,attr,omitempty"`
	TPPM             *tppmW     `json:"tppm,omitempty" xml:"tppm"`
	PrimaryContacts  []contactW `json:"primaryContacts,omitempty" xml:"primaryContacts"`
	EmailDomainNames []string   `json:"emailDomainNames,omitempty" xml:"emailDomainNames"`
	ResourceProvider *shortW    `json:"resourceProvider,omitempty" xml:"resourceProvider"`
	ShortName        shortW     `json:"shortName" xml:"shortName"`
}

type planW struct {
	PlanName string `json:"planName" xml:"planName,attr"`
	PlanID   int    `json:"planId" xml:"planId,attr"`
}

type defaultPlanW struct {
	Subtype int   `json:"subtype" xml:"subtype,attr"`
	Plan    planW `json:"plan" xml:"plan"`
}

type planDetailW struct {
	Plan planW `json:"plan" xml:"plan"`
}

type propsW struct {
	PhysicalDeviceCount *int           `json:"physicalDeviceCount,omitempty" xml:"physicalDeviceCount,attr,omitempty"`
	AuthCode            *string        `json:"authCode,omitempty" xml:"authCode,attr,omitempty"`
	DeviceCount         *int           `json:"deviceCount,omitempty" xml:"deviceCount,attr,omitempty"`
	OrgCreationDateTime *int64         `json:"orgCreationDateTime,omitempty" xml:"orgCreationDateTime,attr,omitempty"`
	HypervisiorCount    *int           `json:"hypervisiorCount,omitempty" xml:"hypervisiorCount,attr,omitempty"`
	TotalMachineCount   *int           `json:"totalMachineCount,omitempty" xml:"totalMachineCount,attr,omitempty"`
	EnableAuthCodeGen   *bool          `json:"enableAuthCodeGen,omitempty" xml:"enableAuthCodeGen,attr,omitempty"`
	MiscMachineCount    *int           `json:"miscMachineCount,omitempty" xml:"miscMachineCount,attr,omitempty"`
	ServerCount         *int           `json:"serverCount,omitempty" xml:"serverCount,attr,omitempty"`
	UserCount           *int           `json:"userCount,omitempty" xml:"userCount,attr,omitempty"`
	VMCount             *int           `json:"vmCount,omitempty" xml:"vmCount,attr,omitempty"`
	PrimaryContacts     []contactW     `json:"primaryContacts,omitempty" xml:"primaryContacts"`
	DefaultPlans        []defaultPlanW `json:"defaultPlans,omitempty" xml:"defaultPlans"`
}

type infoW struct {
	Organization orgW          `json:"organization" xml:"organization"`
	Properties   propsW        `json:"organizationProperties" xml:"organizationProperties"`
	PlanDetails  []planDetailW `json:"planDetails,omitempty" xml:"planDetails"`
}

// The XML root names of these answers are not published; these are
// plausible ones, and the SDK ignores the root's name.
type listResp struct {
	XMLName   xml.Name `json:"-" xml:"App_GetOrganizationsResponse"`
	Providers []orgW   `json:"providers" xml:"providers"`
	// FilterQueryCount is how many match before paging (newer servers);
	// in XML an attribute of the root.
	FilterQueryCount *int `json:"filterQueryCount,omitempty" xml:"filterQueryCount,attr,omitempty"`
}

type infoResp struct {
	XMLName xml.Name `json:"-" xml:"App_GetOrganizationInfoResponse"`
	Info    infoW    `json:"organizationInfo" xml:"organizationInfo"`
}

// record is one organization of the fake's store.
type record struct {
	id           int
	name         string
	alias        string
	description  string
	enabled      bool
	created      int64
	users        int
	servers      int
	contactName  string
	contactUser  string
	contactID    int
	emailDomains []string
	plans        []planW
	defaults     []defaultPlanW
	// The lifecycle's state (lifecycle.go): the GUID Create answered, the
	// tags, and what a deactivation disabled (backup, restore, login).
	guid     string
	tags     []tagW
	disabled [3]bool
}

func ptr[T any](v T) *T { return &v }

func (o *record) tppm() *tppmW {
	return &tppmW{TPPMType: 4, ProxyInformation: proxyInfoW{ProxyEntity: proxyEntityW{ClientName: "0", Type: 3}}}
}

func (o *record) enabledInt() int {
	if o.enabled {
		return 1
	}
	return 0
}

func commcell() *shortW { return &shortW{DomainName: "Qinetix Commcell", ID: 0} }

func (o *record) listForm() orgW {
	w := orgW{
		ServiceType: ptr(5), Flags: ptr(0), Description: ptr(o.description), Enabled: ptr(o.enabledInt()),
		BTrustedHostUser: ptr(""), UseSecureLdap: ptr(0), ConnectName: o.name, Port: ptr(0), BLogin: ptr(""),
		TPPM: o.tppm(), ResourceProvider: commcell(), ShortName: shortW{DomainName: o.alias, ID: o.id},
	}
	if o.contactUser != "" {
		w.PrimaryContacts = []contactW{{FullName: o.contactName, User: &userW{UserName: o.contactUser, UserID: o.contactID}}}
	}
	return w
}

func (o *record) infoForm() infoW {
	w := infoW{
		Organization: orgW{
			ServiceType: ptr(5), Flags: ptr(0), Description: ptr(o.description), Login: ptr(""),
			Enabled: ptr(o.enabledInt()), UseSecureLdap: ptr(0), ConnectName: o.name, Port: ptr(0),
			TPPM: o.tppm(), EmailDomainNames: o.emailDomains, ResourceProvider: commcell(),
			ShortName: shortW{DomainName: o.alias, ID: o.id},
		},
		Properties: propsW{
			PhysicalDeviceCount: ptr(0), AuthCode: ptr(""), DeviceCount: ptr(0), OrgCreationDateTime: ptr(o.created),
			HypervisiorCount: ptr(0), TotalMachineCount: ptr(o.servers), EnableAuthCodeGen: ptr(false),
			MiscMachineCount: ptr(0), ServerCount: ptr(o.servers), UserCount: ptr(o.users), VMCount: ptr(0),
		},
	}
	if o.contactUser != "" {
		w.Properties.PrimaryContacts = []contactW{{FullName: o.contactName, User: &userW{Type: 13, UserName: o.contactUser, UserID: o.contactID}}}
	}
	for _, p := range o.plans {
		w.PlanDetails = append(w.PlanDetails, planDetailW{Plan: p})
	}
	return w
}

func (o *record) defaultPlanForm() infoW {
	return infoW{
		Organization: orgW{ConnectName: o.name, ShortName: shortW{DomainName: o.alias, ID: o.id}},
		Properties:   propsW{DefaultPlans: o.defaults},
	}
}

var (
	serverPlan = planW{PlanName: "Server plan", PlanID: 2}
	laptopPlan = planW{PlanName: "Laptop plan", PlanID: 1}
)

// Plan subtype codes used in the seed (Server, Laptop).
const (
	subtypeServer = 33554437
	subtypeLaptop = 33554439
)

func seed() map[int]*record {
	return map[int]*record{
		0: {id: 0, name: "Qinetix Commcell", alias: "Qinetix Commcell", enabled: true,
			defaults: []defaultPlanW{{Subtype: subtypeServer, Plan: serverPlan}, {Subtype: subtypeLaptop, Plan: laptopPlan}}},
		6: {id: 6, name: "company001", alias: "company001", description: "company001", enabled: true,
			created: 1507000000, users: 3, servers: 2, contactName: "admin", contactUser: "company001\\admin", contactID: 130,
			emailDomains: []string{"company001.example"}, plans: []planW{serverPlan},
			defaults: []defaultPlanW{{Subtype: subtypeServer, Plan: serverPlan}}},
		16: {id: 16, name: "test Company", alias: "testalias", description: "test Company", enabled: true,
			created: 1507659390, users: 1, contactName: "testadmin", contactUser: "testalias\\testmail2", contactID: 140,
			emailDomains: []string{"mail.com"}, plans: []planW{laptopPlan},
			defaults: []defaultPlanW{{Subtype: subtypeLaptop, Plan: laptopPlan}}},
		21: {id: 21, name: "Acme Corp", alias: "acme", description: "Disabled, no default plan", enabled: false,
			created: 1600000000},
	}
}

// Organization is an organization as the fake stores it: what Add seeds
// and Organization and Organizations return.
//
// API doc: https://documentation.commvault.com/v11/essential/92470_rest_api_get_organization.html
type Organization struct {
	// ID is shortName.id, what a client reads as commvault.Organization.ID;
	// Add gives a zero ID the next free one.
	ID int
	// Name is connectName.
	Name string
	// Alias is shortName.domainName; empty in Add means Name.
	Alias       string
	Description string
	Enabled     bool
	// CreatedAt is orgCreationDateTime in unix seconds.
	CreatedAt int64
	// DefaultPlans are the organization's default plans.
	DefaultPlans []DefaultPlan
}

// DefaultPlan is one default plan: its subtype code and the plan.
type DefaultPlan struct {
	Subtype  int
	PlanName string
	PlanID   int
}

// Add stores org as if it had been created on the CommCell and returns its
// ID. A zero (or negative) ID gets the next free one, from 1 (0 is the
// CommCell's own); an ID already held replaces that organization in place,
// so Add also edits seed data. An empty Alias is Name.
func (s *Server) Add(org Organization) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	id := org.ID
	if id <= 0 {
		for id = 1; s.orgs[id] != nil; id++ {
		}
	}
	alias := org.Alias
	if alias == "" {
		alias = org.Name
	}
	o := &record{id: id, name: org.Name, alias: alias, description: org.Description, enabled: org.Enabled, created: org.CreatedAt}
	for _, p := range org.DefaultPlans {
		plan := planW{PlanName: p.PlanName, PlanID: p.PlanID}
		o.defaults = append(o.defaults, defaultPlanW{Subtype: p.Subtype, Plan: plan})
		o.plans = append(o.plans, plan)
	}
	s.orgs[id] = o
	return id
}

// Clear removes every organization, as WithoutSeed starts the server, so
// a test sees only what it adds; the IDs Add gives start again from 1. The
// CommCell (id 0) stays, as do queued faults, the request log, the
// counters and the sessions (Reset clears the faults, log and counters
// too).
func (s *Server) Clear() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.orgs = map[int]*record{0: s.orgs[0]}
}

// Organizations returns a copy of every organization, in the order List
// serves them (by id; not the CommCell, id 0).
func (s *Server) Organizations() []Organization {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Organization, 0, len(s.orgs))
	for _, o := range s.orgs {
		if o.id != 0 {
			out = append(out, o.snapshot())
		}
	}
	slices.SortFunc(out, func(a, b Organization) int { return a.ID - b.ID })
	return out
}

// Organization returns a copy of the organization id as the server holds
// it now, and whether there is one (there is none with id 0: that is the
// CommCell).
func (s *Server) Organization(id int) (Organization, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	o, ok := s.orgs[id]
	if !ok || id == 0 {
		return Organization{}, false
	}
	return o.snapshot(), true
}

// snapshot is o as Organization. Callers hold s.mu.
func (o *record) snapshot() Organization {
	c := Organization{ID: o.id, Name: o.name, Alias: o.alias, Description: o.description, Enabled: o.enabled, CreatedAt: o.created}
	for _, d := range o.defaults {
		c.DefaultPlans = append(c.DefaultPlans, DefaultPlan{Subtype: d.Subtype, PlanName: d.Plan.PlanName, PlanID: d.Plan.PlanID})
	}
	return c
}
