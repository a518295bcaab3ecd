package recording

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// Origin stands for the scheme and host of the recorded server in URLs,
// headers and bodies, so recordings replay against any test server.
const Origin = "{{origin}}"

// Exchange is one recorded request and its answer.
type Exchange struct {
	Request  Request  `json:"request"`
	Response Response `json:"response"`
}

// Request is the recorded request: method, URL path and query (relative to
// Origin, secrets redacted) and, for writes, the body.
type Request struct {
	Method string          `json:"method"`
	URL    string          `json:"url"`
	JSON   json.RawMessage `json:"json,omitempty"`
	Text   string          `json:"text,omitempty"`
}

// Response is the recorded answer: status, the headers that matter to the
// SDK, and the body — as JSON when it is JSON (readable in review), as text
// otherwise (XML, plain text, HTML).
type Response struct {
	Status int             `json:"status"`
	Header http.Header     `json:"header,omitempty"`
	JSON   json.RawMessage `json:"json,omitempty"`
	Text   string          `json:"text,omitempty"`
}

// Body returns the response body bytes.
func (r *Response) Body() []byte {
	if len(r.JSON) > 0 {
		return r.JSON
	}
	return []byte(r.Text)
}

// SetBody stores body as JSON when it is valid JSON, else as text.
func (r *Response) SetBody(body []byte) { r.JSON, r.Text = splitBody(body) }

// Body returns the request body bytes.
func (r *Request) Body() []byte {
	if len(r.JSON) > 0 {
		return r.JSON
	}
	return []byte(r.Text)
}

// SetBody stores body as JSON when it is valid JSON, else as text.
func (r *Request) SetBody(body []byte) { r.JSON, r.Text = splitBody(body) }

func splitBody(body []byte) (json.RawMessage, string) {
	trimmed := bytes.TrimSpace(body)
	if len(trimmed) > 0 && json.Valid(trimmed) && (trimmed[0] == '{' || trimmed[0] == '[') {
		var buf bytes.Buffer
		if err := json.Indent(&buf, trimmed, "", "  "); err == nil {
			return buf.Bytes(), ""
		}
	}
	return nil, string(body)
}

// Load reads one exchange file.
func Load(path string) (*Exchange, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var ex Exchange
	if err := json.Unmarshal(data, &ex); err != nil {
		return nil, fmt.Errorf("recording %s: %w", path, err)
	}
	if ex.Request.Method == "" || ex.Request.URL == "" || ex.Response.Status == 0 {
		return nil, fmt.Errorf("recording %s: request method, url and response status are required", path)
	}
	return &ex, nil
}

// LoadDir reads every *.json exchange in dir, in file-name order, skipping
// the *.golden.json files that golden tests keep beside their inputs.
func LoadDir(dir string) ([]*Exchange, error) {
	names, err := filepath.Glob(filepath.Join(dir, "*.json"))
	if err != nil {
		return nil, err
	}
	sort.Strings(names)
	out := make([]*Exchange, 0, len(names))
	for _, n := range names {
		if strings.HasSuffix(n, ".golden.json") {
			continue
		}
		ex, err := Load(n)
		if err != nil {
			return nil, err
		}
		out = append(out, ex)
	}
	return out, nil
}

// Write stores ex at path as indented JSON. The caller is expected to have
// scrubbed it (Scrub); Write scrubs once more with the generic rules so a
// forgotten call cannot leak a token.
func Write(path string, ex *Exchange) error {
	clean := Scrub(ex, nil, "")
	data, err := json.MarshalIndent(clean, "", "  ")
	if err != nil {
		return err
	}
	data = append(data, '\n')
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	return os.WriteFile(path, data, 0o644)
}

// FileName returns a readable name for the n-th exchange of a run.
func FileName(n int, method, urlPath string) string {
	p := strings.Trim(urlPath, "/")
	if i := strings.IndexByte(p, '?'); i >= 0 {
		p = p[:i]
	}
	var b strings.Builder
	for _, r := range p {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '-':
			b.WriteRune(r)
		default:
			b.WriteByte('_')
		}
	}
	name := b.String()
	if len(name) > 80 {
		name = name[:80]
	}
	return fmt.Sprintf("%03d-%s-%s.json", n, strings.ToLower(method), name)
}
