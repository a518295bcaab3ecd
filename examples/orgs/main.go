// Command orgs lists the organizations of every orgsdk provider.
//
// With no credentials in the environment it starts the four providers' fake
// servers in-process, so `go run ./examples/orgs` works on a fresh machine.
// A provider whose credentials are set runs live instead:
//
//	READYCLOUD_TOKEN [READYCLOUD_BASE_URL]
//	RSERVICE_TOKEN RSERVICE_ACCOUNT [RSERVICE_BASE_URL]
//	COMMVAULT_BASE_URL and COMMVAULT_USERNAME + COMMVAULT_PASSWORD, or COMMVAULT_TOKEN
//	MPDX_TOKEN [MPDX_BASE_URL]
//
// Flags: -provider (one or a comma list), -json (one object per line),
// -limit N, -v (debug logging to stderr, secrets redacted), -record DIR
// (write every HTTP exchange, scrubbed, in the golden-test format).
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"os/signal"
	"slices"
	"strings"
	"text/tabwriter"

	"github.com/orgsdk/orgsdk/internal/recording"
	"github.com/orgsdk/orgsdk/internal/transport"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	code := run(ctx, os.Args[1:], os.Getenv, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// row is one organization as the command prints it.
type row struct {
	Provider string
	ID       string
	Name     string
	// Extra holds the provider's own columns, in the order of
	// source.columns.
	Extra []string
}

// source is one provider, live or fake, ready to list.
type source struct {
	name    string
	live    bool
	columns []string
	list    func(ctx context.Context, limit int) ([]row, error)
	close   func()
}

// options are what every provider's client gets from the command line.
type options struct {
	getenv     func(string) string
	logger     *slog.Logger
	httpClient *http.Client // nil unless recording
	secrets    *transport.Secrets
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

func run(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("orgs", flag.ContinueOnError)
	fs.SetOutput(stderr)
	providerFlag := fs.String("provider", strings.Join(providerNames, ","), "providers to list: one or a comma list of "+strings.Join(providerNames, ", "))
	jsonOut := fs.Bool("json", false, "print one JSON object per organization instead of tables")
	limit := fs.Int("limit", 0, "list at most N organizations per provider (0: all)")
	verbose := fs.Bool("v", false, "log every HTTP attempt to stderr (secrets redacted)")
	recordDir := fs.String("record", "", "write every HTTP exchange, secrets scrubbed, to this directory")
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "usage: orgs [-provider list] [-json] [-limit N] [-v] [-record DIR]\n\n")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "orgs: unexpected argument %q\n", fs.Arg(0))
		fs.Usage()
		return 2
	}
	if *limit < 0 {
		fmt.Fprintf(stderr, "orgs: -limit must be 0 or more, got %d\n", *limit)
		fs.Usage()
		return 2
	}
	names, err := parseProviders(*providerFlag)
	if err != nil {
		fmt.Fprintf(stderr, "orgs: %v\n", err)
		fs.Usage()
		return 2
	}

	logger := slog.New(slog.DiscardHandler)
	if *verbose {
		logger = slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: slog.LevelDebug}))
	}
	secrets := &transport.Secrets{}
	for _, k := range secretEnv {
		secrets.Add(getenv(k))
	}

	failed := false
	var sources []*source
	for _, name := range names {
		opts := options{getenv: getenv, logger: logger.With("provider", name), secrets: secrets}
		if *recordDir != "" {
			opts.httpClient = &http.Client{Transport: &recording.Recorder{
				Dir: *recordDir, Prefix: name, Secrets: secrets, Next: transport.DefaultHTTPClient().Transport,
			}}
		}
		src, err := openers()[name](opts)
		if err != nil {
			fmt.Fprintf(stderr, "orgs: %s: %v\n", name, err)
			failed = true
			continue
		}
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
	fmt.Fprintf(stderr, "orgs: live: %s; fake: %s\n", listOrNone(live), listOrNone(fake))

	for i, s := range sources {
		rows, err := s.list(ctx, *limit)
		if err != nil {
			fmt.Fprintf(stderr, "orgs: %s: %v\n", s.name, err)
			failed = true
			continue
		}
		if *jsonOut {
			if err := writeJSON(stdout, s, rows); err != nil {
				fmt.Fprintf(stderr, "orgs: %v\n", err)
				return 1
			}
			continue
		}
		if i > 0 {
			fmt.Fprintln(stdout)
		}
		writeTable(stdout, s, rows)
	}
	if failed {
		return 1
	}
	return 0
}

// secretEnv are the environment variables whose values never reach output.
var secretEnv = []string{"READYCLOUD_TOKEN", "RSERVICE_TOKEN", "COMMVAULT_PASSWORD", "COMMVAULT_TOKEN", "MPDX_TOKEN"}

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
		return nil, errors.New("-provider names no provider")
	}
	return out, nil
}

func listOrNone(v []string) string {
	if len(v) == 0 {
		return "none"
	}
	return strings.Join(v, ", ")
}

func writeTable(w io.Writer, s *source, rows []row) {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	header := append([]string{"PROVIDER", "ID", "NAME"}, s.columns...)
	fmt.Fprintln(tw, strings.Join(header, "\t"))
	for _, r := range rows {
		cells := append([]string{r.Provider, r.ID, r.Name}, r.Extra...)
		fmt.Fprintln(tw, strings.Join(cells, "\t"))
	}
	_ = tw.Flush()
}

func writeJSON(w io.Writer, s *source, rows []row) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	for _, r := range rows {
		obj := map[string]string{"provider": r.Provider, "id": r.ID, "name": r.Name}
		for i, c := range s.columns {
			if i < len(r.Extra) {
				obj[strings.ToLower(strings.ReplaceAll(c, " ", "_"))] = r.Extra[i]
			}
		}
		if err := enc.Encode(obj); err != nil {
			return err
		}
	}
	return nil
}

// collect turns the items of an All iterator into rows, stopping after limit
// (0: no limit) so no page past the last needed one is fetched.
func collect[T any](seq func(func(T, error) bool), limit int, toRow func(T) row) ([]row, error) {
	var rows []row
	for item, err := range seq {
		if err != nil {
			return rows, err
		}
		rows = append(rows, toRow(item))
		if limit > 0 && len(rows) >= limit {
			break
		}
	}
	return rows, nil
}
