package cli

// The live modes of the four providers, shared by examples/orgs and each
// provider's own program so both read the same variables the same way:
// those of orgs.FromEnv.
var (
	// ReadyCloud is the ReadyCloud API v2 (https://www.readycloud.com/api/v2/).
	ReadyCloud = live("readycloud")
	// RService is the R-Service API (https://api.r-service.tech/v1/).
	RService = live("rservice")
	// Commvault is a self-hosted Commvault REST API.
	Commvault = live("commvault")
	// JSONAPI is MPDX's JSON:API (https://api.mpdx.org/api/v2/).
	JSONAPI = live("jsonapi")
)

// Providers are the four live modes in the order examples/orgs lists them.
var Providers = []Live{ReadyCloud, RService, Commvault, JSONAPI}
