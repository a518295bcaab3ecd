// Command orgs lists the organizations of every orgsdk provider.
//
// With no credentials in the environment it starts the four providers' fake
// servers in-process, so `go run ./examples/orgs` works on a fresh machine.
// A provider whose environment variables are set runs live instead; one
// with only some of them set is an error naming what is missing (`orgs -h`
// lists them all).
//
// Flags: -provider (one or a comma list) and the flags every example
// program shares (examples/internal/cli): -limit N (per provider),
// -per-page N, -json, -v, -record DIR.
package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"slices"
	"strings"
	"text/tabwriter"

	"github.com/orgsdk/orgsdk/examples/internal/cli"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	code := run(ctx, os.Args[1:], cli.OSEnv())
	stop()
	os.Exit(code)
}

// row is one organization as the command prints it.
type row struct {
	Provider string
	ID       string
	Name     string
	// Extra holds the provider's own columns, in the order of
	// source.columns; nil is a value the server did not send.
	Extra []*string
}

// source is one provider, live or fake, ready to list.
type source struct {
	name    string
	live    bool
	columns []string
	list    func(ctx context.Context) ([]row, error)
	close   func()
}

// options are what every provider's client gets from the command line.
type options struct {
	cmd     *cli.Command
	session *cli.Session
	// live is whether the provider's environment asks for live mode.
	live bool
}

// opener builds a provider's source: live when its credentials are in the
// environment, else against its fake server.
type opener func(opts options) (*source, error)

var providerNames = []string{"readycloud", "rservice", "commvault", "jsonapi"}

func openers() map[string]opener {
	return map[string]opener{
		"readycloud": openReadyCloud,
		"rservice":   openRService,
		"commvault":  openCommvault,
		"jsonapi":    openJSONAPI,
	}
}

func liveOf(name string) cli.Live {
	for _, l := range cli.Providers {
		if l.Provider == name {
			return l
		}
	}
	panic("orgs: no live mode for " + name) // providerNames and cli.Providers are both fixed lists
}

func run(ctx context.Context, args []string, env cli.Env) int {
	cmd := cli.New("orgs", "", env, cli.Providers...)
	providerFlag := cmd.Flags.String("provider", strings.Join(providerNames, ","),
		"providers to list: one or a comma list of "+strings.Join(providerNames, ", "))
	if code, ok := cmd.Parse(args); !ok {
		return code
	}
	names, err := parseProviders(*providerFlag)
	if err != nil {
		return cmd.UsageError("%v", err)
	}

	failed := false
	var sources []*source
	sessions := map[string]*cli.Session{}
	for _, name := range names {
		live, err := liveOf(name).Resolve(cmd.Getenv)
		if err != nil {
			cmd.Errorf("%s: %v", name, err)
			failed = true
			continue
		}
		s := cmd.Session(name)
		src, err := openers()[name](options{cmd: cmd, session: s, live: live})
		if err != nil {
			cmd.Errorf("%s: %v", name, err)
			failed = true
			continue
		}
		sessions[name] = s
		sources = append(sources, src)
	}
	defer func() {
		for _, s := range sources {
			if s.close != nil {
				s.close()
			}
		}
	}()

	var live, fake []string
	for _, s := range sources {
		if s.live {
			live = append(live, s.name)
		} else {
			fake = append(fake, s.name)
		}
	}
	cmd.Infof("orgs: live: %s; fake: %s", listOrNone(live), listOrNone(fake))

	printed := 0
	for _, s := range sources {
		rows, err := s.list(ctx)
		sessions[s.name].Done()
		if err != nil {
			cmd.Errorf("%s: %v", s.name, sessions[s.name].Err(err))
			failed = true
			continue
		}
		if cmd.JSON {
			if err := writeJSON(cmd, s, rows); err != nil {
				cmd.Errorf("%v", err)
				return cli.ExitError
			}
			continue
		}
		if printed > 0 {
			fmt.Fprintln(cmd.Stdout())
		}
		writeTable(cmd, s, rows)
		printed++
	}
	if failed {
		return cli.ExitError
	}
	return cli.ExitOK
}

func parseProviders(v string) ([]string, error) {
	var out []string
	for _, p := range strings.Split(v, ",") {
		p = strings.ToLower(strings.TrimSpace(p))
		if p == "" {
			continue
		}
		if !slices.Contains(providerNames, p) {
			return nil, fmt.Errorf("unknown provider %q (want %s)", p, strings.Join(providerNames, ", "))
		}
		if !slices.Contains(out, p) {
			out = append(out, p)
		}
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("-provider names no provider")
	}
	return out, nil
}

func listOrNone(v []string) string {
	if len(v) == 0 {
		return "none"
	}
	return strings.Join(v, ", ")
}

func writeTable(cmd *cli.Command, s *source, rows []row) {
	tw := tabwriter.NewWriter(cmd.Stdout(), 0, 0, 2, ' ', 0)
	header := append([]string{"PROVIDER", "ID", "NAME"}, s.columns...)
	fmt.Fprintln(tw, strings.Join(header, "\t"))
	for _, r := range rows {
		cells := []string{r.Provider, r.ID, r.Name}
		for _, e := range r.Extra {
			if e == nil || *e == "" {
				cells = append(cells, "-")
			} else {
				cells = append(cells, *e)
			}
		}
		fmt.Fprintln(tw, strings.Join(cells, "\t"))
	}
	_ = tw.Flush()
}

// writeJSON prints one object per row: provider, id, name and the
// provider's columns in snake case, null where the server sent no value.
func writeJSON(cmd *cli.Command, s *source, rows []row) error {
	for _, r := range rows {
		obj := map[string]any{"provider": r.Provider, "id": r.ID, "name": r.Name}
		for i, c := range s.columns {
			key := strings.ToLower(strings.ReplaceAll(c, " ", "_"))
			if i < len(r.Extra) && r.Extra[i] != nil {
				obj[key] = *r.Extra[i]
			} else {
				obj[key] = nil
			}
		}
		if err := cmd.PrintJSON(obj); err != nil {
			return err
		}
	}
	return nil
}

// collect turns the items of an All iterator into rows, stopping at -limit
// so no page past the last needed one is fetched.
func collect[T any](o options, seq func(func(T, error) bool), toRow func(T) row) ([]row, error) {
	var rows []row
	for item, err := range seq {
		if err != nil {
			return rows, err
		}
		rows = append(rows, toRow(item))
		o.session.Item()
		if o.cmd.Enough(len(rows)) {
			break
		}
	}
	return rows, nil
}

// text is a column value: nil when empty, so JSON says null.
func text(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}
