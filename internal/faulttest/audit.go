package faulttest

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/orgsdk/orgsdk"
)

// The audit of issue 19.3: every string the SDK logs, returns or stores is
// checked for every form of every secret the client holds. The helpers
// below walk what Audit alone cannot reach: the whole tree of an error
// (every wrapped error's own text, every string field of the SDK's error
// types), the redirect chain behind a Response with its Location headers,
// and the names and contents of recorded files.

// Errors returns err and every error in its tree, depth first: what
// Unwrap() error and Unwrap() []error lead to, all the way down.
func Errors(err error) []error {
	var out []error
	var walk func(e error, depth int)
	walk = func(e error, depth int) {
		if e == nil || depth > 64 {
			return
		}
		out = append(out, e)
		switch u := e.(type) {
		case interface{ Unwrap() error }:
			walk(u.Unwrap(), depth+1)
		case interface{ Unwrap() []error }:
			for _, c := range u.Unwrap() {
				walk(c, depth+1)
			}
		}
	}
	walk(err, 0)
	return out
}

// errorFields names every string an error of the SDK's own types carries.
func errorFields(e error) map[string]string {
	switch e := e.(type) {
	case *orgsdk.APIError:
		f := map[string]string{
			"APIError.Method": e.Method, "APIError.URL": e.URL, "APIError.Message": e.Message,
			"APIError.Code": e.Code, "APIError.DocumentationURL": e.DocumentationURL,
			"APIError.RequestID": e.RequestID, "APIError.Body": string(e.Body),
		}
		for i, d := range e.Details {
			f[fmt.Sprintf("APIError.Details[%d]", i)] = d.Field + " " + d.Code + " " + d.Message
		}
		return f
	case *orgsdk.DecodeError:
		return map[string]string{
			"DecodeError.Method": e.Method, "DecodeError.URL": e.URL,
			"DecodeError.ContentType": e.ContentType, "DecodeError.Snippet": e.Snippet,
		}
	case *orgsdk.TransportError:
		return map[string]string{
			"TransportError.Method": e.Method, "TransportError.URL": e.URL, "TransportError.Message": e.Message,
		}
	}
	return nil
}

// AuditError fails when any form of any secret appears in the text of err
// or of any error in its tree (each wrapped error's Error(), not only the
// top one), or in any string field of the SDK's error types found there.
func AuditError(t testing.TB, where string, err error, secrets ...string) {
	t.Helper()
	for i, e := range Errors(err) {
		Audit(t, fmt.Sprintf("%s: error %d (%T) text", where, i, e), e.Error(), secrets...)
		for name, v := range errorFields(e) {
			Audit(t, where+": "+name, v, secrets...)
		}
	}
}

// AuditBounded fails when the text of err or of any error in its tree is
// longer than orgsdk.ErrorTextLimit, or a string field of the SDK's error
// types found there longer than orgsdk.ErrorFieldLimit (the body copies
// have their own caps: 4 KiB for APIError.Body, 200 bytes for
// DecodeError.Snippet). It returns whether any text or field shows the cut
// mark, which a test of a huge field expects.
func AuditBounded(t testing.TB, err error) (cut bool) {
	t.Helper()
	for i, e := range Errors(err) {
		text := e.Error()
		assert.LessOrEqual(t, len(text), orgsdk.ErrorTextLimit, "error %d (%T) text is %d bytes: %.200s", i, e, len(text), text)
		cut = cut || strings.Contains(text, orgsdk.CutMark)
		for name, v := range errorFields(e) {
			limit := orgsdk.ErrorFieldLimit
			switch {
			case name == "APIError.Body":
				limit = 4 << 10
			case name == "DecodeError.Snippet":
				limit = 200
			case strings.HasPrefix(name, "APIError.Details["):
				// Field, code and message, each bounded.
				limit = 3*orgsdk.ErrorFieldLimit + 2
			}
			assert.LessOrEqual(t, len(v), limit, "%s is %d bytes: %.200s", name, len(v), v)
			cut = cut || strings.Contains(v, orgsdk.CutMark)
		}
		if ae, ok := e.(*orgsdk.APIError); ok {
			assert.LessOrEqual(t, len(ae.Details), 50, "APIError.Details holds %d entries", len(ae.Details))
		}
	}
	return cut
}

// AuditRedirects checks what AuditResponse does not: the answers of the
// redirect chain behind resp, whose headers (Location above all) the
// Response hands back too.
func AuditRedirects(t testing.TB, resp *orgsdk.Response, secrets ...string) {
	t.Helper()
	if resp == nil || resp.Response == nil {
		return
	}
	for req, depth := resp.Request, 0; req != nil && req.Response != nil && depth < 10; depth++ {
		prev := req.Response
		for k, vs := range prev.Header {
			Audit(t, fmt.Sprintf("redirect %d header %s", depth, k), strings.Join(vs, " "), secrets...)
		}
		req = prev.Request
	}
}

// AuditDir fails when any form of any secret appears in the name or the
// contents of a file under dir (a recording).
func AuditDir(t testing.TB, dir string, secrets ...string) {
	t.Helper()
	n := 0
	err := filepath.WalkDir(dir, func(path string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		Audit(t, "file name "+path, d.Name(), secrets...)
		if d.IsDir() {
			return nil
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		n++
		Audit(t, "file "+d.Name(), string(data), secrets...)
		return nil
	})
	assert.NoError(t, err)
	assert.NotZero(t, n, "the audit reads real recordings")
}

// Trail collects everything the calls of one test handed back: errors,
// responses, other strings (a list's links, a login's user name), the log
// lines of Logger and the files recorded in Dir, for one audit at the end.
type Trail struct {
	// Dir, when set, is a recording directory audited too.
	Dir string

	logs  LogBuffer
	mu    sync.Mutex
	errs  []error
	resps []*orgsdk.Response
	texts []string
}

// Logger returns a Debug-level JSON logger writing into the trail.
func (tr *Trail) Logger() *slog.Logger {
	return slog.New(slog.NewJSONHandler(&tr.logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
}

// Logs returns what the trail's logger received.
func (tr *Trail) Logs() string { return tr.logs.String() }

// Call records what one call returned.
func (tr *Trail) Call(resp *orgsdk.Response, err error) {
	tr.mu.Lock()
	defer tr.mu.Unlock()
	if err != nil {
		tr.errs = append(tr.errs, err)
	}
	if resp != nil {
		tr.resps = append(tr.resps, resp)
	}
}

// Text records another string the SDK handed back; where names it.
func (tr *Trail) Text(where, s string) {
	tr.mu.Lock()
	defer tr.mu.Unlock()
	tr.texts = append(tr.texts, where+"\x00"+s)
}

// Errors returns the errors recorded so far.
func (tr *Trail) Errors() []error {
	tr.mu.Lock()
	defer tr.mu.Unlock()
	return append([]error(nil), tr.errs...)
}

// Audit checks every recorded error (its whole tree), Response (request,
// redirect chain, NextCursor), string, log line and recorded file for every
// form of every secret.
func (tr *Trail) Audit(t testing.TB, secrets ...string) {
	t.Helper()
	tr.mu.Lock()
	errs, resps, texts := tr.errs, tr.resps, tr.texts
	tr.mu.Unlock()
	for i, err := range errs {
		AuditError(t, fmt.Sprintf("error %d", i), err, secrets...)
	}
	for _, resp := range resps {
		AuditResponse(t, resp, secrets...)
		AuditRedirects(t, resp, secrets...)
	}
	for _, s := range texts {
		where, text, _ := strings.Cut(s, "\x00")
		Audit(t, where, text, secrets...)
	}
	logs := tr.logs.String()
	for _, line := range strings.Split(strings.TrimSpace(logs), "\n") {
		Audit(t, "log line", line, secrets...)
	}
	if tr.Dir != "" {
		AuditDir(t, tr.Dir, secrets...)
	}
}

// Hostile spellings a server can put a secret in, for the servers of the
// audits: a path segment, query parameters whose names are not on the
// SDK's secret list, and the whole lot for a message body.

// SecretPath is a path segment holding secret (escaped as a path needs).
func SecretPath(secret string) string { return url.PathEscape(secret) }

// SecretQuery is a query string carrying secret under names no secret
// list holds (next, sig, state) and under one it does (access_token).
func SecretQuery(secret string) string {
	q := url.QueryEscape(secret)
	return "next=" + q + "&sig=" + q + "&state=" + base64.RawURLEncoding.EncodeToString([]byte(secret)) + "&access_token=" + q
}

// EchoAll is a text holding every form of every secret, for the fields of
// a hostile answer.
func EchoAll(secrets ...string) string {
	var b bytes.Buffer
	for _, s := range secrets {
		b.WriteString(Echo(s, "echo:"))
		b.WriteString(" /")
		b.WriteString(SecretPath(s))
		b.WriteString("/?")
		b.WriteString(SecretQuery(s))
		b.WriteByte(' ')
	}
	return b.String()
}

// SetSecretHeaders sets the response headers a hostile server echoes a
// secret in: the request-id headers the SDK copies into its errors, and a
// Location.
func SetSecretHeaders(h http.Header, secret string) {
	h.Set("X-Request-Id", secret)
	h.Set("X-Correlation-Id", secret)
}

// userInfoPasswords make url.Parse fail on a base URL that carries them
// as user info ('#', '^', '/', '?', a space, a bad escape), and url.Parse's
// error quotes the whole raw URL; the last ones parse, and must be refused
// all the same.
var userInfoPasswords = []string{"hunter2#frag", "hunter2^x", "hunter2/p", "hunter2?q=1", "hunter 2", "hunter2%zz", "hunter2", "hunter2@x"}

// AuditBaseURLUserInfo builds a client (newClient) for base URLs holding
// user info at https://api.example.test + path, each with a password
// url.Parse cannot take or one it can, and checks that every one is
// refused as an invalid argument that says why and echoes no part of the
// user info, in any error of its tree (issue 19.3).
func AuditBaseURLUserInfo(t *testing.T, path string, newClient func(baseURL string) error) {
	t.Helper()
	for _, pw := range userInfoPasswords {
		t.Run(pw, func(t *testing.T) {
			t.Parallel()
			err := newClient("https://admin:" + pw + "@api.example.test" + path)
			assert.ErrorIs(t, err, orgsdk.ErrInvalidArgument)
			AuditError(t, "NewClient error", err, pw, "hunter", "admin")
			if err != nil {
				assert.Contains(t, err.Error(), "user info", "the error says what is wrong: %v", err)
			}
		})
	}
}

// HostileTokens are the tokens of the audits, by name, each starting with
// prefix: one with every character that escapes differently in a path, a
// query and JSON, and one of letters and digits only, which a file name or
// a path keeps as it is.
func HostileTokens(prefix string) map[string]string {
	return map[string]string{
		"escaping token": prefix + "/T0ken+x=y&z<w>%25~!",
		"plain token":    prefix + "0Hostile0Token0value42",
	}
}
