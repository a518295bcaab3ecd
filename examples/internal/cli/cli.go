// Package cli is the command line the five example programs share, so a
// flag means the same thing in each: -limit (most organizations listed),
// -per-page (page size), -json, -v and -record, the live-mode environment
// variables -h lists, what a partial live configuration says, how errors
// are printed, and progress on long walks.
package cli

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"strings"
	"sync"

	"github.com/orgsdk/orgsdk"
	"github.com/orgsdk/orgsdk/internal/recording"
	"github.com/orgsdk/orgsdk/internal/transport"
)

// Exit codes of every example program.
const (
	ExitOK    = 0
	ExitError = 1 // the run failed (an API error, an incomplete live configuration)
	ExitUsage = 2 // a bad flag or argument
)

// Env is what a program gets from its process. Tests fill it in to run a
// program in-process.
type Env struct {
	Getenv         func(string) string
	Stdout, Stderr io.Writer
	// Terminal reports that Stderr is a terminal, which turns progress on
	// even without -v, as one line redrawn in place.
	Terminal bool
	// SharedTerminal reports that Stdout writes to the same terminal as
	// Stderr (with Terminal): the progress line is then erased before each
	// write to Stdout too, and drawn again below it, so rows never glue to
	// it. Stdout on a file, a pipe or another terminal cannot mix with it.
	SharedTerminal bool
	// Transport carries the HTTP requests (transport.DefaultHTTPClient's
	// when nil).
	Transport http.RoundTripper
}

// OSEnv is the process's own environment.
func OSEnv() Env { return fileEnv(os.Stdout, os.Stderr) }

// fileEnv is the environment of a process whose output goes to stdout and
// stderr.
func fileEnv(stdout, stderr *os.File) Env {
	terminal, shared := terminals(stdout, stderr)
	return Env{Getenv: os.Getenv, Stdout: stdout, Stderr: stderr, Terminal: terminal, SharedTerminal: shared}
}

// Command holds a program's parsed shared flags and what they set up. Build
// it with New, add the program's own flags to Flags, then call Parse.
type Command struct {
	// Name is the program's name, the prefix of every message it prints.
	Name string
	// Flags holds the shared flags; programs add their own before Parse.
	Flags *flag.FlagSet

	// Limit is the most organizations to list (0: all).
	Limit int
	// PerPage is the page size to ask for (0: the server's default).
	PerPage int
	// Prefetch is how many pages a walk may have in flight, the
	// providers' WithPrefetch (0: none).
	Prefetch int
	// JSON asks for one JSON object per organization on stdout.
	JSON bool
	// Verbose turns on the debug log and progress.
	Verbose bool
	// Record is the directory every HTTP exchange is written to ("": none).
	Record string
	// RecordReplace lets -record replace the recordings of an earlier run
	// in its folder; without it a folder that holds files is refused.
	RecordReplace bool

	// TakesArgs, set before Parse, lets the program take arguments beside
	// its flags (anywhere among them); Parse keeps them in Args. Without
	// it an argument is a usage error.
	TakesArgs bool
	// Args are the arguments Parse found among the flags, in order.
	Args []string

	// Logger is the debug log on stderr with -v, else a discarding one.
	Logger *slog.Logger
	// Secrets are the values no output may contain: the live credentials,
	// and those of the fakes the program adds.
	Secrets *transport.Secrets

	env      Env
	screen   *screen // the terminal Stderr is on; nil when it is not one
	synopsis string
	live     []Live

	mu        sync.Mutex
	recorders []*recording.Recorder
}

// New returns a Command with the shared flags registered. synopsis follows
// the program name in the usage line; live lists the providers whose
// environment variables -h shows.
func New(name, synopsis string, env Env, live ...Live) *Command {
	if env.Getenv == nil {
		env.Getenv = func(string) string { return "" }
	}
	if env.Stdout == nil {
		env.Stdout = io.Discard
	}
	if env.Stderr == nil {
		env.Stderr = io.Discard
	}
	var scr *screen
	if env.Terminal {
		// Every message, log line and usage text, and the rows too when
		// they share the terminal, pass the progress line by the screen.
		scr = &screen{tty: env.Stderr}
		env.Stderr = scr.writer(env.Stderr)
		if env.SharedTerminal {
			env.Stdout = scr.writer(env.Stdout)
		}
	}
	c := &Command{Name: name, Flags: flag.NewFlagSet(name, flag.ContinueOnError), env: env, screen: scr, synopsis: synopsis, live: live}
	fs := c.Flags
	fs.SetOutput(env.Stderr)
	fs.IntVar(&c.Limit, "limit", 0, "list at most `N` organizations (0: all)")
	fs.IntVar(&c.PerPage, "per-page", 0, "ask for pages of `N` organizations (0: the server's default)")
	fs.IntVar(&c.Prefetch, "prefetch", 0, "have up to `N` pages in flight while listing (0: none; one ahead where each page names the next)")
	fs.BoolVar(&c.JSON, "json", false, "print one JSON object per organization; missing values are null or left out")
	fs.BoolVar(&c.Verbose, "v", false, "log every HTTP attempt and show progress on stderr (secrets redacted)")
	fs.StringVar(&c.Record, "record", "", "write every HTTP exchange, secrets scrubbed, to `DIR` in the golden-test format;\nDIR must be new or empty (see -record-replace)")
	fs.BoolVar(&c.RecordReplace, "record-replace", false, "let -record remove the recordings of an earlier run in its DIR first\n(a DIR holding any other file is still refused)")
	fs.Usage = c.usage
	return c
}

// Stdout is where results go.
func (c *Command) Stdout() io.Writer { return c.env.Stdout }

// Stderr is where messages, the log and progress go.
func (c *Command) Stderr() io.Writer { return c.env.Stderr }

// Getenv reads the program's environment.
func (c *Command) Getenv(key string) string { return c.env.Getenv(key) }

func (c *Command) usage() {
	w := c.Flags.Output()
	fmt.Fprintf(w, "usage: %s [flags]", c.Name)
	if c.synopsis != "" {
		fmt.Fprintf(w, " %s", c.synopsis)
	}
	fmt.Fprintf(w, "\n\nflags:\n")
	c.Flags.PrintDefaults()
	if len(c.live) == 0 {
		return
	}
	fmt.Fprintf(w, "\nenvironment (live mode; a provider with none of its variables set uses its in-memory fake server):\n")
	for _, l := range c.live {
		fmt.Fprintf(w, "  %s: live mode needs %s\n", l.Provider(), l.Env.Needs)
		for _, v := range l.Env.Vars {
			fmt.Fprintf(w, "    %-22s %s\n", v.Name, v.Usage)
		}
	}
}

// Parse parses args. When ok is false the program must exit with code:
// 0 after -h, 2 after a flag error (already printed, once, with the usage).
func (c *Command) Parse(args []string) (code int, ok bool) {
	err := c.Flags.Parse(args)
	// The flag package stops at the first argument; with TakesArgs the
	// flags after it are parsed too.
	for err == nil && c.TakesArgs && c.Flags.NArg() > 0 {
		c.Args = append(c.Args, c.Flags.Arg(0))
		err = c.Flags.Parse(c.Flags.Args()[1:])
	}
	if err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return ExitOK, false
		}
		// The flag package has printed the error and the usage.
		return ExitUsage, false
	}
	switch {
	case c.Flags.NArg() > 0:
		return c.UsageError("unexpected argument %q", c.Flags.Arg(0)), false
	case c.Limit < 0:
		return c.UsageError("-limit must be 0 or more, got %d", c.Limit), false
	case c.PerPage < 0:
		return c.UsageError("-per-page must be 0 or more, got %d", c.PerPage), false
	case c.Prefetch < 0:
		return c.UsageError("-prefetch must be 0 or more, got %d", c.Prefetch), false
	}
	if c.Record != "" {
		// Before anything is sent: a write must not reach a server and
		// then be reported as failed because its recording could not be.
		if err := recording.CheckDir(c.Record, c.RecordReplace); err != nil {
			return c.UsageError("-record %q: %v", c.Record, err), false
		}
	} else if c.RecordReplace {
		return c.UsageError("-record-replace needs -record DIR"), false
	}
	c.Logger = slog.New(slog.DiscardHandler)
	if c.Verbose {
		// The SDK names the provider in every record itself; adding a
		// provider attribute here would print it twice.
		c.Logger = slog.New(slog.NewTextHandler(c.env.Stderr, &slog.HandlerOptions{Level: slog.LevelDebug}))
	}
	c.Secrets = &transport.Secrets{}
	for _, l := range c.live {
		for _, v := range l.Env.Vars {
			if v.Secret {
				AddSecret(c.Secrets, c.Getenv(v.Name))
			}
		}
	}
	return ExitOK, true
}

// UsageError prints a usage error once, with the usage, and returns the
// exit code for it.
func (c *Command) UsageError(format string, args ...any) int {
	fmt.Fprintln(c.env.Stderr, c.prefixed(fmt.Sprintf(format, args...)))
	c.usage()
	return ExitUsage
}

// Errorf prints a run-time error once, prefixed with the program's name.
func (c *Command) Errorf(format string, args ...any) {
	fmt.Fprintln(c.env.Stderr, c.prefixed(fmt.Sprintf(format, args...)))
}

// prefixed puts the program's name before msg, and names a provider once:
// an SDK error reads "orgsdk: rservice: ...", so under a prefix that
// already ends in the provider ("rservice: ", "orgs: rservice: ") the
// SDK's own "orgsdk: rservice: " would say it twice.
func (c *Command) prefixed(msg string) string {
	line := c.Name + ": " + msg
	i := strings.Index(line, ": orgsdk: ")
	if i < 0 {
		return line
	}
	head := line[:i]
	provider := head[strings.LastIndex(head, ": ")+1:]
	provider = strings.TrimPrefix(provider, " ")
	rest := line[i+len(": orgsdk: "):]
	if after, ok := strings.CutPrefix(rest, provider+": "); ok {
		return head + ": " + after
	}
	return line
}

// Infof prints a message for the user on stderr.
func (c *Command) Infof(format string, args ...any) {
	fmt.Fprintf(c.env.Stderr, format+"\n", args...)
}

// Enough reports whether n organizations reach -limit.
func (c *Command) Enough(n int) bool { return c.Limit > 0 && n >= c.Limit }

// PageSize is the page size to ask a provider whose pages hold at most max
// organizations for: -per-page when given, else -limit when smaller than a
// full page (so no organization past the limit is fetched), else 0 for the
// server's default.
func (c *Command) PageSize(max int) int {
	switch {
	case c.PerPage > 0:
		return c.PerPage
	case c.Limit > 0 && c.Limit < max:
		return c.Limit
	}
	return 0
}

// PrintJSON writes v as one line of JSON.
func (c *Command) PrintJSON(v any) error {
	enc := json.NewEncoder(c.env.Stdout)
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}

// Session is one provider's use of the network in a run: the HTTP client to
// give the provider (recording, progress and attempt counting), and the
// error and progress reporting that go with it.
type Session struct {
	cmd      *Command
	provider string
	tracker  *tracker
	progress *progress
	recorder *recording.Recorder
	// HTTPClient is the client to pass to the provider's WithHTTPClient.
	HTTPClient *http.Client
}

// Finish returns the program's exit code: code, unless -record failed to
// write an exchange, which it then reports (exit 1 in place of 0). The
// recorder hands every answer back even when its file could not be
// written, and refuses the requests after it; a failure on the last
// exchange is seen only here. Call it once, as the program ends:
//
//	func run(ctx context.Context, args []string, env cli.Env) (code int) {
//		cmd := cli.New(...)
//		defer func() { code = cmd.Finish(code) }()
func (c *Command) Finish(code int) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, rec := range c.recorders {
		if err := rec.Err(); err != nil {
			c.Errorf("-record %s: the recording is incomplete: %v", c.Record, err)
			if code == ExitOK {
				code = ExitError
			}
			break
		}
	}
	return code
}

// Session starts provider's session. Call Done when its listing ends.
func (c *Command) Session(provider string) *Session {
	next := c.env.Transport
	if next == nil {
		next = transport.DefaultHTTPClient().Transport
	}
	var rec *recording.Recorder
	if c.Record != "" {
		rec = &recording.Recorder{Dir: c.Record, Prefix: provider, Secrets: c.Secrets, Next: next}
		next = rec
		c.mu.Lock()
		c.recorders = append(c.recorders, rec)
		c.mu.Unlock()
	}
	// A one-provider program is named after its provider: its progress
	// says "readycloud: page 2", not "readycloud: readycloud: page 2".
	name := c.Name
	if provider != c.Name {
		name += ": " + provider
	}
	p := &progress{w: c.env.Stderr, name: name, verbose: c.Verbose, screen: c.screen}
	t := &tracker{next: next, progress: p}
	return &Session{cmd: c, provider: provider, tracker: t, progress: p, recorder: rec, HTTPClient: &http.Client{Transport: t}}
}

// RedactWith makes the recording (with -record) scrub everything the
// provider client knows to be secret, through its Redact method; the
// client's list holds what the program cannot know, such as a session
// token a login returned. Call it once the client is built.
func (s *Session) RedactWith(redact func(string) string) {
	if s.recorder != nil {
		s.recorder.Redact = redact
	}
}

// Fail prints the error err of the program's work once and returns its
// exit code. The SDK checks its arguments before sending anything, and
// every argument of a program's work comes from its flags (-view, -filter,
// -sort, -per-page, -get...): an ErrInvalidArgument there is a bad flag
// value, a usage error (exit 2) like those the flag package reports, with
// the usage after it. Anything else is a failed run (exit 1).
func (s *Session) Fail(err error) int {
	if errors.Is(err, orgsdk.ErrInvalidArgument) {
		return s.cmd.UsageError("%v", err)
	}
	s.cmd.Errorf("%v", s.Err(err))
	return ExitError
}

// Item counts one organization listed, for progress.
func (s *Session) Item() { s.progress.item() }

// Done ends the progress line, if one was shown.
func (s *Session) Done() { s.progress.done() }

// CountPages sets which successful requests count as pages for progress;
// by default every GET does, which suits providers that page.
func (s *Session) CountPages(isPage func(*http.Request) bool) { s.tracker.isPage = isPage }

// Err returns err with the number of attempts made when the SDK's error
// did not say and the request was sent more than once.
func (s *Session) Err(err error) error {
	if err == nil {
		return nil
	}
	n := s.tracker.lastAttempts()
	if n <= 1 || strings.Contains(err.Error(), "attempts)") {
		return err
	}
	return &attemptsError{err: err, attempts: n}
}

// attemptsError adds the attempt count to an error whose text lacks it.
type attemptsError struct {
	err      error
	attempts int
}

func (e *attemptsError) Error() string {
	return fmt.Sprintf("%v (after %d attempts)", e.err, e.attempts)
}

func (e *attemptsError) Unwrap() error { return e.err }
