package cli

// The live modes of the four providers, shared by examples/orgs and each
// provider's own program so both read the same variables the same way.
var (
	// ReadyCloud is the ReadyCloud API v2 (https://www.readycloud.com/api/v2/).
	ReadyCloud = Live{
		Provider: "readycloud",
		Vars: []Var{
			{Name: "READYCLOUD_TOKEN", Usage: "API token", Secret: true},
			{Name: "READYCLOUD_BASE_URL", Usage: "API root (default https://www.readycloud.com/api/v2/)"},
		},
		Needs: [][][]string{{{"READYCLOUD_TOKEN"}}},
	}
	// RService is the R-Service API (https://api.r-service.tech/v1/).
	RService = Live{
		Provider: "rservice",
		Vars: []Var{
			{Name: "RSERVICE_TOKEN", Usage: "personal access token", Secret: true},
			{Name: "RSERVICE_ACCOUNT", Usage: "account id (X-4me-Account)"},
			{Name: "RSERVICE_BASE_URL", Usage: "API root (default https://api.r-service.tech/v1/)"},
		},
		Needs: [][][]string{{{"RSERVICE_TOKEN"}}, {{"RSERVICE_ACCOUNT"}}},
	}
	// Commvault is a self-hosted Commvault REST API.
	Commvault = Live{
		Provider: "commvault",
		Vars: []Var{
			{Name: "COMMVAULT_BASE_URL", Usage: "API root, e.g. https://host/commandcenter/api/"},
			{Name: "COMMVAULT_USERNAME", Usage: "user to log in as"},
			{Name: "COMMVAULT_PASSWORD", Usage: "password of that user", Secret: true},
			{Name: "COMMVAULT_DOMAIN", Usage: "domain of that user (optional)"},
			{Name: "COMMVAULT_TOKEN", Usage: "an existing QSDK token, instead of a login", Secret: true},
		},
		Needs: [][][]string{
			{{"COMMVAULT_BASE_URL"}},
			{{"COMMVAULT_USERNAME", "COMMVAULT_PASSWORD"}, {"COMMVAULT_TOKEN"}},
		},
	}
	// JSONAPI is MPDX's JSON:API (https://api.mpdx.org/api/v2/).
	JSONAPI = Live{
		Provider: "jsonapi",
		Vars: []Var{
			{Name: "MPDX_TOKEN", Usage: "API token", Secret: true},
			{Name: "MPDX_BASE_URL", Usage: "API root (default https://api.mpdx.org/api/v2/)"},
		},
		Needs: [][][]string{{{"MPDX_TOKEN"}}},
	}
)

// Providers are the four live modes in the order examples/orgs lists them.
var Providers = []Live{ReadyCloud, RService, Commvault, JSONAPI}
