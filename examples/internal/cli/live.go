package cli

import (
	"fmt"
	"strings"
)

// Var is one environment variable of a provider's live mode.
type Var struct {
	Name  string
	Usage string
	// Secret marks a value that no output may contain.
	Secret bool
}

// Live describes a provider's live mode: its variables, and which of them
// must be set together.
type Live struct {
	Provider string
	// Vars are every variable of the provider, in the order -h lists them.
	Vars []Var
	// Needs are the requirements of live mode. Each one is met by any of
	// its alternatives; an alternative is met when all its variables are
	// set. Commvault's {{BASE_URL}}, {{USERNAME, PASSWORD}, {TOKEN}} reads
	// "the base URL, and a username and password or a token".
	Needs [][][]string
}

// Resolve reports whether provider runs live: false when none of its
// variables is set (the fake server is used), true when every requirement
// is met, and an error naming what is missing when only some are set. A
// half-set alternative (a username without its password) is an error too,
// even when another alternative is complete: the user meant something.
func (l Live) Resolve(getenv func(string) string) (bool, error) {
	var set []string
	for _, v := range l.Vars {
		if getenv(v.Name) != "" {
			set = append(set, v.Name)
		}
	}
	if len(set) == 0 {
		return false, nil
	}
	var missing []string
	for _, need := range l.Needs {
		met := false
		var alternatives []string
		for _, alt := range need {
			var unset []string
			for _, name := range alt {
				if getenv(name) == "" {
					unset = append(unset, name)
				}
			}
			switch {
			case len(unset) == 0:
				met = true
			case len(unset) < len(alt):
				return false, fmt.Errorf("incomplete live configuration: %s is set but %s is not (unset them all to use the fake server)",
					joinAnd(without(alt, unset)), joinAnd(unset))
			}
			alternatives = append(alternatives, joinAnd(unset))
		}
		if !met {
			missing = append(missing, strings.Join(alternatives, ", or "))
		}
	}
	if len(missing) > 0 {
		return false, fmt.Errorf("incomplete live configuration: %s %s set but %s missing (unset them all to use the fake server)",
			joinAnd(set), isAre(len(set)), strings.Join(missing, "; and "))
	}
	return true, nil
}

// needsText describes Needs for -h.
func (l Live) needsText() string {
	var parts []string
	for _, need := range l.Needs {
		var alts []string
		for _, alt := range need {
			alts = append(alts, joinAnd(alt))
		}
		parts = append(parts, strings.Join(alts, ", or "))
	}
	return strings.Join(parts, "; and ")
}

func without(all, drop []string) []string {
	var out []string
	for _, a := range all {
		keep := true
		for _, d := range drop {
			if a == d {
				keep = false
			}
		}
		if keep {
			out = append(out, a)
		}
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

func isAre(n int) string {
	if n == 1 {
		return "is"
	}
	return "are"
}
