package recording

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"

	"github.com/orgsdk/orgsdk/internal/transport"
)

// Recorder is an http.RoundTripper that writes every exchange it carries to
// Dir, scrubbed, one file per exchange. Put it in the *http.Client given to
// a provider's WithHTTPClient: it then sits below the SDK's retries, so each
// attempt is recorded.
//
// It checks Dir (CheckDir) before the first request and sends nothing when
// it cannot write there. A write that fails after an exchange does not hide
// the answer, which the server may have acted on: the caller gets it, Err
// reports the failure, and every later request fails before it is sent.
// Both failures are transport.Permanent, so the SDK does not retry them.
type Recorder struct {
	// Dir receives the files.
	Dir string
	// Next carries the requests (http.DefaultTransport when nil).
	Next http.RoundTripper
	// Secrets are literal values to scrub besides the generic rules.
	Secrets *transport.Secrets
	// Redact, when set, is the recorded client's own Redact method: the
	// recording then loses every secret the client knows, including
	// session tokens it obtained itself. Set it before the first request.
	Redact func(string) string
	// Prefix starts every file name (the provider), so runs of several
	// providers can share one directory.
	Prefix string

	mu      sync.Mutex
	n       int
	checked bool
	// err is the first failure to write: the recording is incomplete
	// from there, so nothing more is sent.
	err error
}

// Err returns the first failure to check Dir or to write an exchange, or
// nil.
func (rec *Recorder) Err() error {
	rec.mu.Lock()
	defer rec.mu.Unlock()
	return rec.err
}

// ready checks Dir before the first request and returns the sticky failure
// that stops every request after one.
func (rec *Recorder) ready() error {
	rec.mu.Lock()
	defer rec.mu.Unlock()
	if rec.err == nil && !rec.checked {
		rec.checked = true
		rec.err = checkWritable(rec.Dir)
	}
	return rec.err
}

func (rec *Recorder) fail(err error) {
	rec.mu.Lock()
	defer rec.mu.Unlock()
	if rec.err == nil {
		rec.err = err
	}
}

// RoundTrip sends r and records the exchange.
func (rec *Recorder) RoundTrip(r *http.Request) (*http.Response, error) {
	if err := rec.ready(); err != nil {
		if r.Body != nil {
			r.Body.Close()
		}
		return nil, transport.Permanent(err)
	}
	next := rec.Next
	if next == nil {
		next = http.DefaultTransport
	}
	var reqBody []byte
	if r.Body != nil && r.Body != http.NoBody {
		data, err := io.ReadAll(r.Body)
		r.Body.Close()
		if err != nil {
			return nil, err
		}
		reqBody = data
		r = r.Clone(r.Context())
		r.Body = io.NopCloser(bytes.NewReader(data))
	}
	resp, err := next.RoundTrip(r)
	if err != nil {
		return nil, err
	}
	body, readErr := io.ReadAll(resp.Body)
	resp.Body.Close()
	if readErr != nil {
		// The caller reads the same cut body it would have read without
		// the recorder (a RoundTripper returns a response or an error,
		// never both); there is no whole exchange to record.
		resp.Body = io.NopCloser(io.MultiReader(bytes.NewReader(body), errReader{readErr}))
		return resp, nil
	}
	resp.Body = io.NopCloser(bytes.NewReader(body))
	origin := r.URL.Scheme + "://" + r.URL.Host
	ex := &Exchange{}
	ex.Request.Method = r.Method
	ex.Request.URL = r.URL.String()
	ex.Request.SetBody(reqBody)
	ex.Response.Status = resp.StatusCode
	ex.Response.Header = resp.Header.Clone()
	ex.Response.SetBody(body)
	clean := Scrub(ex, rec.Secrets, origin, rec.Redact)

	rec.mu.Lock()
	rec.n++
	n := rec.n
	rec.mu.Unlock()
	name := FileName(n, r.Method, cleanPath(clean.Request.URL))
	if rec.Prefix != "" {
		name = rec.Prefix + "-" + name
	}
	if err := Write(filepath.Join(rec.Dir, name), clean); err != nil {
		rec.fail(fmt.Errorf("recording: %w", err))
	}
	return resp, nil
}

type errReader struct{ err error }

func (r errReader) Read([]byte) (int, error) { return 0, r.err }

// ErrDirInUse matches a recording folder that already holds files: a
// second run into it would overwrite some recordings and keep others, so
// the two runs would mix without a word.
var ErrDirInUse = errors.New("recording: the folder is in use")

// recordingName is FileName's pattern, with the optional provider prefix
// a Recorder puts before it.
var recordingName = regexp.MustCompile(`^([a-z]+-)?[0-9]{3,}-[a-z]+-[A-Za-z0-9_-]*\.json$`)

// IsRecordingName reports whether name is the name of a file a Recorder
// writes (FileName, with or without a provider prefix). A golden file
// (*.golden.json) is not one.
func IsRecordingName(name string) bool {
	return recordingName.MatchString(name) && !strings.HasSuffix(name, ".golden.json")
}

// CheckDir makes sure a new run can be recorded in dir: it creates the
// folder when missing, refuses one that already holds files (ErrDirInUse)
// unless replace is set, and creates and removes a file in it. With
// replace, the recordings of an earlier run are removed first; a file that
// is not a recording (IsRecordingName), or a subfolder, is never removed:
// the folder is then refused as well, since replacing it would mix runs
// or destroy what the user keeps there. An example's -record flag calls it
// before anything is sent, so a folder that is a file, or one without
// write permission, fails the run before a write reaches a server rather
// than after.
func CheckDir(dir string, replace bool) error {
	if dir == "" {
		return errors.New("recording: no folder given")
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("recording: cannot create the folder: %w", err)
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return fmt.Errorf("recording: cannot read the folder: %w", err)
	}
	if len(entries) > 0 {
		if !replace {
			files := "files"
			if len(entries) == 1 {
				files = "file"
			}
			return fmt.Errorf("%w: it holds %d %s of an earlier run (replace them, or record into an empty folder)", ErrDirInUse, len(entries), files)
		}
		for _, e := range entries {
			if !e.Type().IsRegular() || !IsRecordingName(e.Name()) {
				return fmt.Errorf("%w: it holds %q, which is not a recording; nothing was removed", ErrDirInUse, e.Name())
			}
		}
		for _, e := range entries {
			if err := os.Remove(filepath.Join(dir, e.Name())); err != nil {
				return fmt.Errorf("recording: cannot remove an earlier recording: %w", err)
			}
		}
	}
	return checkWritable(dir)
}

// checkWritable creates dir when missing and creates and removes a file in
// it. A Recorder runs it before its first request; whether the folder is
// free of an earlier run is the program's question (CheckDir), asked once
// before any Recorder exists.
func checkWritable(dir string) error {
	if dir == "" {
		return errors.New("recording: no folder given")
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("recording: cannot create the folder: %w", err)
	}
	f, err := os.CreateTemp(dir, ".write-check-*")
	if err != nil {
		return fmt.Errorf("recording: cannot write to the folder: %w", err)
	}
	name := f.Name()
	if err := f.Close(); err != nil {
		_ = os.Remove(name)
		return fmt.Errorf("recording: cannot write to the folder: %w", err)
	}
	if err := os.Remove(name); err != nil {
		return fmt.Errorf("recording: cannot remove a file from the folder: %w", err)
	}
	return nil
}

// cleanPath is the path of a scrubbed recorded URL, for the file name: a
// token in the request's path must not reach the name either (issue 19.3).
func cleanPath(recorded string) string {
	u, err := url.Parse(strings.TrimPrefix(recorded, Origin))
	if err != nil {
		return "redacted"
	}
	return u.Path
}
