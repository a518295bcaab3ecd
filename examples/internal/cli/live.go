package cli

import (
	"errors"
	"fmt"

	"github.com/orgsdk/orgsdk/orgs"
)

// Live is a provider's live mode: the environment variables orgs.FromEnv
// reads for it (package orgs holds the table and the rules of what must be
// set together), shown by -h.
type Live struct {
	// Env is the provider's variables, from orgs.Environment.
	Env orgs.Env
}

// live returns the live mode of one of orgs.Providers.
func live(provider string) Live {
	// provider is one of the fixed names orgs.Providers lists (a test
	// holds the four to it), so Environment cannot fail here.
	env, _ := orgs.Environment(provider)
	return Live{Env: env}
}

// Provider names the provider.
func (l Live) Provider() string { return l.Env.Provider }

// Config reads the provider's live configuration with getenv: live is
// false when none of its variables is set (the fake server is used), true
// with the configuration when every requirement is met, and the error
// names what is missing when only some are set. A half-set alternative (a
// username without its password) is an error too, even when another
// alternative is complete: the user meant something.
func (l Live) Config(getenv func(string) string) (cfg orgs.Config, live bool, err error) {
	cfg, err = orgs.FromEnvFunc(l.Env.Provider, getenv)
	var ce *orgs.ConfigError
	switch {
	case err == nil:
		return cfg, true, nil
	case errors.Is(err, orgs.ErrNotConfigured):
		return orgs.Config{}, false, nil
	case errors.As(err, &ce):
		return orgs.Config{}, false, fmt.Errorf("incomplete live configuration: %s (unset them all to use the fake server)", ce.Problem)
	}
	return orgs.Config{}, false, err
}

// Resolve is Config without the configuration: whether the provider runs
// live, or why its live configuration is incomplete.
func (l Live) Resolve(getenv func(string) string) (bool, error) {
	_, live, err := l.Config(getenv)
	return live, err
}
