package orgs

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"os"
	"strings"

	"github.com/orgsdk/orgsdk/commvault"
	"github.com/orgsdk/orgsdk/jsonapi"
	"github.com/orgsdk/orgsdk/readycloud"
	"github.com/orgsdk/orgsdk/rservice"
)

// Config is what Open needs to reach a provider: its address and
// credentials, each in a field of its own (never inside BaseURL: a base
// URL with user info or a query is refused). Which fields a provider needs
// is in the package doc's table; a field the provider does not use is an
// error, not ignored. FromEnv fills a Config from the environment.
//
// Its String, GoString and LogValue methods show whether Token and
// Password are set, never their values, so printing or logging a Config
// leaks nothing.
type Config struct {
	// BaseURL is the API root. Optional, the provider's production API by
	// default, except for Commvault, which is self-hosted: required there
	// (https://host/commandcenter/api/).
	BaseURL string
	// Token is the API token: ReadyCloud's OAuth2 token, R-Service's
	// personal access token, MPDX's JWT (each sent as "Authorization:
	// Bearer"); for Commvault an existing QSDK token, instead of a login.
	Token string
	// Account is R-Service's account id (the X-4me-Account header).
	// Required for R-Service, used by no other provider.
	Account string
	// Username and Password log in to Commvault (the password is
	// base64-encoded by the SDK), which Close logs out again. Domain, when
	// set, is the user's domain, for a login only.
	Username string
	Password string
	Domain   string

	// HTTPClient sends the requests (proxies, certificates, timeouts);
	// nil for the SDK's pooled default.
	HTTPClient *http.Client
	// Logger receives the SDK's per-attempt Debug and per-retry Warn
	// lines, secrets removed; nil logs nothing.
	Logger *slog.Logger
	// Prefetch is how many pages a walk may have in flight, the
	// provider's WithPrefetch (default 0: none; n at a time where pages are
	// addressed by offset or number, one ahead on a cursor walk). Negative
	// is ErrInvalidArgument.
	Prefetch int
}

// String shows the fields that are set, the credentials as "<set>".
func (c Config) String() string {
	var parts []string
	add := func(name, v string, secret bool) {
		switch {
		case v == "":
		case secret:
			parts = append(parts, name+":<set>")
		default:
			parts = append(parts, fmt.Sprintf("%s:%q", name, v))
		}
	}
	add("BaseURL", c.BaseURL, false)
	add("Token", c.Token, true)
	add("Account", c.Account, false)
	add("Username", c.Username, false)
	add("Password", c.Password, true)
	add("Domain", c.Domain, false)
	if c.HTTPClient != nil {
		parts = append(parts, "HTTPClient:<set>")
	}
	if c.Logger != nil {
		parts = append(parts, "Logger:<set>")
	}
	if c.Prefetch != 0 {
		parts = append(parts, fmt.Sprintf("Prefetch:%d", c.Prefetch))
	}
	return "orgs.Config{" + strings.Join(parts, " ") + "}"
}

// GoString is String, for %#v.
func (c Config) GoString() string { return c.String() }

// LogValue is String, for log/slog.
func (c Config) LogValue() slog.Value { return slog.StringValue(c.String()) }

// ErrNotConfigured matches the error of FromEnv when none of the
// provider's environment variables is set: the program may then fall back
// to something else (a fake server, say), which it may not do for a
// partial configuration.
var ErrNotConfigured = errors.New("orgsdk: orgs: not configured")

// ConfigError is a configuration Open or FromEnv refused before any I/O:
// nothing set, a required value missing (naming it, and what is set), or a
// value the provider does not use. It matches ErrInvalidArgument, and
// ErrNotConfigured when nothing was set. It never holds a value, only
// names.
type ConfigError struct {
	// Provider names the provider configured.
	Provider string
	// Problem says what is wrong, naming Config fields (Open) or
	// environment variables (FromEnv): "RSERVICE_TOKEN is set but
	// RSERVICE_ACCOUNT missing".
	Problem string

	nothingSet bool
}

func (e *ConfigError) Error() string {
	return "orgsdk: " + e.Provider + ": configuration: " + e.Problem
}

// Is matches ErrInvalidArgument, and ErrNotConfigured when nothing was set.
func (e *ConfigError) Is(target error) bool {
	return target == ErrInvalidArgument || (e.nothingSet && target == ErrNotConfigured)
}

// EnvVar is one environment variable FromEnv reads.
type EnvVar struct {
	// Name is the variable's name ("READYCLOUD_TOKEN").
	Name string
	// Field is the Config field it fills ("Token").
	Field string
	// Usage says what it holds.
	Usage string
	// Secret marks a credential: a value no output may show.
	Secret bool
}

// Env is a provider's environment variables, as FromEnv reads them and the
// package doc's table lists them.
type Env struct {
	// Provider names the provider.
	Provider string
	// Vars are its variables, in the table's order.
	Vars []EnvVar
	// Needs says which must be set, as the table does:
	// "COMMVAULT_BASE_URL; and COMMVAULT_USERNAME and COMMVAULT_PASSWORD,
	// or COMMVAULT_TOKEN".
	Needs string
}

// field is one Config field a provider uses.
type field struct {
	name   string // the Config field
	env    string // its environment variable
	usage  string
	secret bool
}

// provider is what Open, FromEnv and Environment know of one provider.
type provider struct {
	name   string
	fields []field
	// needs are the requirements, in Config field names: each is met by
	// any of its alternatives, an alternative when all its fields are set.
	// Commvault's {{BaseURL}}, {{Username, Password}, {Token}} reads "the
	// base URL, and a username and password or a token".
	needs [][][]string
	// open builds the directory from a checked Config.
	open func(cfg Config) (*Directory, error)
}

// providers are the four, in the order Providers lists them.
var providers = []*provider{
	{
		name: "readycloud",
		fields: []field{
			{"Token", "READYCLOUD_TOKEN", "API token", true},
			{"BaseURL", "READYCLOUD_BASE_URL", "API root (default " + readycloud.DefaultBaseURL + ")", false},
		},
		needs: [][][]string{{{"Token"}}},
		open: func(cfg Config) (*Directory, error) {
			opts := commonOptions(cfg, readycloud.WithBaseURL, readycloud.WithHTTPClient, readycloud.WithLogger, readycloud.WithPrefetch)
			c, err := readycloud.NewClient(cfg.Token, opts...)
			if err != nil {
				return nil, err
			}
			return ReadyCloud(c), nil
		},
	},
	{
		name: "rservice",
		fields: []field{
			{"Token", "RSERVICE_TOKEN", "personal access token", true},
			{"Account", "RSERVICE_ACCOUNT", "account id (X-4me-Account)", false},
			{"BaseURL", "RSERVICE_BASE_URL", "API root (default " + rservice.DefaultBaseURL + ")", false},
		},
		needs: [][][]string{{{"Token"}}, {{"Account"}}},
		open: func(cfg Config) (*Directory, error) {
			opts := commonOptions(cfg, rservice.WithBaseURL, rservice.WithHTTPClient, rservice.WithLogger, rservice.WithPrefetch)
			c, err := rservice.NewClient(cfg.Token, append(opts, rservice.WithAccount(cfg.Account))...)
			if err != nil {
				return nil, err
			}
			return RService(c), nil
		},
	},
	{
		name: "commvault",
		fields: []field{
			{"BaseURL", "COMMVAULT_BASE_URL", "API root, e.g. https://host/commandcenter/api/", false},
			{"Username", "COMMVAULT_USERNAME", "user to log in as", false},
			{"Password", "COMMVAULT_PASSWORD", "password of that user", true},
			{"Domain", "COMMVAULT_DOMAIN", "domain of that user (optional)", false},
			{"Token", "COMMVAULT_TOKEN", "an existing QSDK token, instead of a login", true},
		},
		needs: [][][]string{{{"BaseURL"}}, {{"Username", "Password"}, {"Token"}}},
		open: func(cfg Config) (*Directory, error) {
			// The base URL is NewClient's first argument.
			base := cfg.BaseURL
			cfg.BaseURL = ""
			opts := commonOptions(cfg, commvault.WithBaseURL, commvault.WithHTTPClient, commvault.WithLogger, commvault.WithPrefetch)
			// A login when a username and password are given (the check
			// made sure they come in pairs), else the token.
			login := cfg.Username != "" && cfg.Password != ""
			if login {
				opts = append(opts, commvault.WithCredentials(cfg.Username, cfg.Password))
				if cfg.Domain != "" {
					opts = append(opts, commvault.WithDomain(cfg.Domain))
				}
			} else {
				opts = append(opts, commvault.WithToken(cfg.Token))
			}
			c, err := commvault.NewClient(base, opts...)
			if err != nil {
				return nil, err
			}
			// A session this directory logs in to is its own to end; a
			// token given to it is the caller's to keep.
			return NewDirectory(&commvaultDriver{c: c, ownSession: login}), nil
		},
	},
	{
		name: "jsonapi",
		fields: []field{
			{"Token", "MPDX_TOKEN", "API token", true},
			{"BaseURL", "MPDX_BASE_URL", "API root (default " + jsonapi.DefaultBaseURL + ")", false},
		},
		needs: [][][]string{{{"Token"}}},
		open: func(cfg Config) (*Directory, error) {
			opts := commonOptions(cfg, jsonapi.WithBaseURL, jsonapi.WithHTTPClient, jsonapi.WithLogger, jsonapi.WithPrefetch)
			c, err := jsonapi.NewClient(cfg.Token, opts...)
			if err != nil {
				return nil, err
			}
			return JSONAPI(c), nil
		},
	},
}

// commonOptions are the options every provider's client takes, for what
// cfg sets: the base URL, the HTTP client, the logger, the pages in flight.
func commonOptions[O any](cfg Config, baseURL func(string) O, httpClient func(*http.Client) O, logger func(*slog.Logger) O, prefetch func(int) O) []O {
	var opts []O
	if cfg.BaseURL != "" {
		opts = append(opts, baseURL(cfg.BaseURL))
	}
	if cfg.HTTPClient != nil {
		opts = append(opts, httpClient(cfg.HTTPClient))
	}
	if cfg.Logger != nil {
		opts = append(opts, logger(cfg.Logger))
	}
	if cfg.Prefetch != 0 {
		// A negative one too: the provider's NewClient refuses it with
		// the family's wording.
		opts = append(opts, prefetch(cfg.Prefetch))
	}
	return opts
}

// Providers returns the names Open, FromEnv and Environment take, in the
// order of the package doc: readycloud, rservice, commvault, jsonapi.
func Providers() []string {
	out := make([]string, len(providers))
	for i, p := range providers {
		out[i] = p.name
	}
	return out
}

func lookup(name string) (*provider, error) {
	for _, p := range providers {
		if p.name == name {
			return p, nil
		}
	}
	return nil, argumentError("", "unknown provider %q (want %s)", name, strings.Join(Providers(), ", "))
}

// Open returns the Directory of provider ("readycloud", "rservice",
// "commvault" or "jsonapi") configured by cfg. A missing value, a value
// the provider does not use, or a Username without its Password is a
// *ConfigError naming the fields; an invalid value (a malformed BaseURL, a
// token with a newline) is the provider's own ErrInvalidArgument. Open does
// no network I/O: Commvault logs in at its first call. It fails at once
// when ctx is already done.
//
// For options Config does not carry (retries, pacing, pages in flight,
// XML), build the provider's client yourself and pass it to ReadyCloud,
// RService, Commvault or JSONAPI: the Directory walks with its client's
// All, WithPrefetch included.
func Open(ctx context.Context, provider string, cfg Config) (*Directory, error) {
	if err := ctxErr(provider, ctx); err != nil {
		return nil, err
	}
	p, err := lookup(provider)
	if err != nil {
		return nil, err
	}
	values := cfg.values()
	for _, name := range configFields {
		if values[name] != "" && !p.uses(name) {
			return nil, &ConfigError{Provider: p.name, Problem: name + " is set but " + p.name + " does not use it (it uses " + p.fieldList() + ")"}
		}
	}
	if err := p.check(func(f string) bool { return values[f] != "" }, func(f string) string { return f }); err != nil {
		return nil, err
	}
	return p.open(cfg)
}

// FromEnv returns the Config of provider read from the process's
// environment, with the variables of the package doc's table. None of them
// set is an error matching ErrNotConfigured; some but not all that are
// needed (a token without the account, credentials without a base URL) a
// *ConfigError naming what is set and what is missing. Open the Config
// with Open, after setting HTTPClient or Logger if you want to.
func FromEnv(provider string) (Config, error) { return FromEnvFunc(provider, os.Getenv) }

// FromEnvFunc is FromEnv reading variables with getenv (os.Getenv, or a
// test's own): a variable whose value is "" is not set.
func FromEnvFunc(provider string, getenv func(string) string) (Config, error) {
	p, err := lookup(provider)
	if err != nil {
		return Config{}, err
	}
	if getenv == nil {
		return Config{}, argumentError("", "nil getenv")
	}
	var cfg Config
	values := cfg.fields()
	envOf := map[string]string{}
	for _, f := range p.fields {
		*values[f.name] = getenv(f.env)
		envOf[f.name] = f.env
	}
	if err := p.check(func(f string) bool { return *values[f] != "" }, func(f string) string { return envOf[f] }); err != nil {
		return Config{}, err
	}
	return cfg, nil
}

// Environment returns the environment variables FromEnv reads for
// provider, and what it needs of them.
func Environment(provider string) (Env, error) {
	p, err := lookup(provider)
	if err != nil {
		return Env{}, err
	}
	env := Env{Provider: p.name}
	envOf := map[string]string{}
	for _, f := range p.fields {
		env.Vars = append(env.Vars, EnvVar{Name: f.env, Field: f.name, Usage: f.usage, Secret: f.secret})
		envOf[f.name] = f.env
	}
	var parts []string
	for _, need := range p.needs {
		var alts []string
		for _, alt := range need {
			alts = append(alts, joinAnd(names(alt, func(f string) string { return envOf[f] })))
		}
		parts = append(parts, strings.Join(alts, ", or "))
	}
	env.Needs = strings.Join(parts, "; and ")
	return env, nil
}

// configFields are Config's string fields, in their order.
var configFields = []string{"BaseURL", "Token", "Account", "Username", "Password", "Domain"}

// fields maps each string field's name to it.
func (c *Config) fields() map[string]*string {
	return map[string]*string{
		"BaseURL": &c.BaseURL, "Token": &c.Token, "Account": &c.Account,
		"Username": &c.Username, "Password": &c.Password, "Domain": &c.Domain,
	}
}

// values maps each string field's name to its value.
func (c Config) values() map[string]string {
	out := map[string]string{}
	for name, p := range c.fields() {
		out[name] = *p
	}
	return out
}

func (p *provider) uses(name string) bool {
	for _, f := range p.fields {
		if f.name == name {
			return true
		}
	}
	return false
}

func (p *provider) fieldList() string {
	var fs []string
	for _, f := range p.fields {
		fs = append(fs, f.name)
	}
	return joinAnd(fs)
}

// check returns a *ConfigError when the fields set (isSet) do not meet
// p's needs, naming each field by label. Nothing set is an error matching
// ErrNotConfigured. A half-set alternative (a username without its
// password) is an error even when another alternative is complete: the
// caller meant something. So is Commvault's domain without a username: it
// would be dropped.
func (p *provider) check(isSet func(string) bool, label func(string) string) error {
	var set []string
	for _, f := range p.fields {
		if isSet(f.name) {
			set = append(set, label(f.name))
		}
	}
	if len(set) == 0 {
		var all []string
		for _, f := range p.fields {
			all = append(all, label(f.name))
		}
		return &ConfigError{Provider: p.name, Problem: "none of " + strings.Join(all, ", ") + " is set", nothingSet: true}
	}
	var missing []string
	for _, need := range p.needs {
		met := false
		var alternatives []string
		for _, alt := range need {
			var unset, given []string
			for _, f := range alt {
				if isSet(f) {
					given = append(given, f)
				} else {
					unset = append(unset, f)
				}
			}
			switch {
			case len(unset) == 0:
				met = true
			case len(given) > 0:
				return &ConfigError{Provider: p.name, Problem: fmt.Sprintf("%s is set but %s is not",
					joinAnd(names(given, label)), joinAnd(names(unset, label)))}
			}
			alternatives = append(alternatives, joinAnd(names(unset, label)))
		}
		if !met {
			missing = append(missing, strings.Join(alternatives, ", or "))
		}
	}
	if len(missing) > 0 {
		verb := "is"
		if len(set) > 1 {
			verb = "are"
		}
		return &ConfigError{Provider: p.name, Problem: fmt.Sprintf("%s %s set but %s missing", joinAnd(set), verb, strings.Join(missing, "; and "))}
	}
	if p.uses("Domain") && isSet("Domain") && !isSet("Username") {
		return &ConfigError{Provider: p.name, Problem: fmt.Sprintf("%s is set but %s is not (a domain is for a login)", label("Domain"), label("Username"))}
	}
	return nil
}

func names(fields []string, label func(string) string) []string {
	out := make([]string, len(fields))
	for i, f := range fields {
		out[i] = label(f)
	}
	return out
}

func joinAnd(names []string) string {
	switch len(names) {
	case 0:
		return ""
	case 1:
		return names[0]
	}
	return strings.Join(names[:len(names)-1], ", ") + " and " + names[len(names)-1]
}
