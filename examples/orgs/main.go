// Command orgs lists the organizations of every orgsdk provider, through
// the portable package orgs: one orgs.Directory per provider, walked
// together with orgs.AllOf.
//
// With no credentials in the environment it starts the four providers' fake
// servers in-process, so `go run ./examples/orgs` works on a fresh machine.
// A provider whose environment variables are set runs live instead (the
// variables of orgs.FromEnv, listed in package orgs's doc and by `orgs
// -h`); one with only some of them set is an error naming what is missing.
//
// Flags: -provider (one or a comma list) and the flags every example
// program shares (examples/internal/cli): -limit N (per provider),
// -per-page N, -json, -v, -record DIR.
package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/signal"
	"slices"
	"strings"
	"text/tabwriter"

	"github.com/orgsdk/orgsdk/examples/internal/cli"
	"github.com/orgsdk/orgsdk/orgs"
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
	// columns.headers; nil is a value the server did not send.
	Extra []*string
}

// source is one provider, live or fake, opened.
type source struct {
	name    string
	live    bool
	dir     *orgs.Directory
	session *cli.Session
	columns columns
	close   func()

	rows []row
	err  error
}

func run(ctx context.Context, args []string, env cli.Env) (code int) {
	cmd := cli.New("orgs", "", env, cli.Providers...)
	defer func() { code = cmd.Finish(code) }()
	providerFlag := cmd.Flags.String("provider", strings.Join(orgs.Providers(), ","),
		"providers to list: one or a comma list of "+strings.Join(orgs.Providers(), ", "))
	if code, ok := cmd.Parse(args); !ok {
		return code
	}
	names, err := parseProviders(*providerFlag)
	if err != nil {
		return cmd.UsageError("%v", err)
	}

	failed := false
	var sources []*source
	defer func() {
		for _, s := range sources {
			// Ending a session this program logged in to frees a
			// server-side slot (Commvault); a failure here does not make
			// the listing wrong.
			_ = s.dir.Close(ctx)
			if s.close != nil {
				s.close()
			}
		}
	}()
	for _, name := range names {
		src, err := open(ctx, cmd, liveOf(name))
		if err != nil {
			cmd.Errorf("%s: %v", name, err)
			failed = true
			continue
		}
		sources = append(sources, src)
	}

	var live, fake []string
	for _, s := range sources {
		if s.live {
			live = append(live, s.name)
		} else {
			fake = append(fake, s.name)
		}
	}
	cmd.Infof("orgs: live: %s; fake: %s", listOrNone(live), listOrNone(fake))

	for _, err := range list(ctx, cmd, sources) {
		cmd.Errorf("%v", err)
		failed = true
	}

	printed := 0
	for _, s := range sources {
		if s.err != nil {
			cmd.Errorf("%s: %v", s.name, s.session.Err(s.err))
			failed = true
			continue
		}
		if cmd.JSON {
			if err := writeJSON(cmd, s); err != nil {
				cmd.Errorf("%v", err)
				return cli.ExitError
			}
			continue
		}
		if printed > 0 {
			fmt.Fprintln(cmd.Stdout())
		}
		writeTable(cmd, s)
		printed++
	}
	if failed {
		return cli.ExitError
	}
	return cli.ExitOK
}

// open opens one provider's directory: live when its variables are set,
// else over its fake server, through the command's session (recording,
// progress) and logger.
func open(ctx context.Context, cmd *cli.Command, l cli.Live) (*source, error) {
	name := l.Provider()
	cfg, live, err := l.Config(cmd.Getenv)
	if err != nil {
		return nil, err
	}
	src := &source{name: name, live: live, columns: columnsOf(name)}
	if !live {
		var secrets []string
		cfg, src.close, secrets = fakeConfig(name)
		for _, s := range secrets {
			cli.AddSecret(cmd.Secrets, s)
		}
	}
	src.session = cmd.Session(name)
	if src.columns.isPage != nil {
		src.session.CountPages(src.columns.isPage)
	}
	cfg.HTTPClient, cfg.Logger, cfg.Prefetch = src.session.HTTPClient, cmd.Logger, cmd.Prefetch
	src.dir, err = orgs.Open(ctx, name, cfg)
	if err != nil {
		if src.close != nil {
			src.close()
		}
		return nil, err
	}
	src.session.RedactWith(src.dir.Redact)
	return src, nil
}

// liveOf is the live mode of provider, one of orgs.Providers.
func liveOf(provider string) cli.Live {
	for _, l := range cli.Providers {
		if l.Provider() == provider {
			return l
		}
	}
	// cli.Providers holds every one of orgs.Providers (its tests check).
	return cli.Live{}
}

// list walks every source at once with orgs.AllOf, -limit organizations
// of each at most, and keeps each one's rows and error. It returns the
// errors of no source (none is expected: AllOf names the provider of
// each).
func list(ctx context.Context, cmd *cli.Command, sources []*source) []error {
	byName := map[string]*source{}
	dirs := make([]*orgs.Directory, len(sources))
	for i, s := range sources {
		byName[s.name] = s
		dirs[i] = s.dir
	}
	var lost []error
	opts := &orgs.AllOptions{ListOptions: orgs.ListOptions{Limit: cmd.Limit, PageSize: cmd.PerPage}}
	for org, err := range orgs.AllOf(ctx, opts, dirs...) {
		if err != nil {
			var oe *orgs.Error
			if !errors.As(err, &oe) || byName[oe.Provider] == nil {
				lost = append(lost, err)
			} else if s := byName[oe.Provider]; s.err == nil {
				s.err = err
			}
			continue
		}
		s := byName[org.Provider]
		if s.err != nil {
			continue
		}
		extra, err := s.columns.values(ctx, s.dir, org)
		if err != nil {
			s.err = err
			continue
		}
		s.rows = append(s.rows, row{Provider: org.Provider, ID: org.ID, Name: org.Name, Extra: extra})
		s.session.Item()
	}
	for _, s := range sources {
		s.session.Done()
	}
	return lost
}

func parseProviders(v string) ([]string, error) {
	var out []string
	for _, p := range strings.Split(v, ",") {
		p = strings.ToLower(strings.TrimSpace(p))
		if p == "" {
			continue
		}
		if !slices.Contains(orgs.Providers(), p) {
			return nil, fmt.Errorf("unknown provider %q (want %s)", p, strings.Join(orgs.Providers(), ", "))
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

func writeTable(cmd *cli.Command, s *source) {
	tw := tabwriter.NewWriter(cmd.Stdout(), 0, 0, 2, ' ', 0)
	header := append([]string{"PROVIDER", "ID", "NAME"}, s.columns.headers...)
	fmt.Fprintln(tw, strings.Join(header, "\t"))
	for _, r := range s.rows {
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
func writeJSON(cmd *cli.Command, s *source) error {
	for _, r := range s.rows {
		obj := map[string]any{"provider": r.Provider, "id": r.ID, "name": r.Name}
		for i, c := range s.columns.headers {
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
