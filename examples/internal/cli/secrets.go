package cli

import (
	"encoding/base64"
	"encoding/json"
	"net/url"
	"strings"

	"github.com/orgsdk/orgsdk/internal/transport"
)

// AddSecret adds v to s in every form a server may echo it in: literal,
// URL-escaped (query and path), JSON-escaped, and base64 (Commvault sends
// the password base64-encoded, and a server may echo it). The recorder
// scrubs with s, so a recording holds none of them.
func AddSecret(s *transport.Secrets, v string) {
	if v == "" {
		return
	}
	forms := []string{
		v,
		url.QueryEscape(v),
		url.PathEscape(v),
		base64.StdEncoding.EncodeToString([]byte(v)),
		base64.URLEncoding.EncodeToString([]byte(v)),
		base64.RawStdEncoding.EncodeToString([]byte(v)),
		base64.RawURLEncoding.EncodeToString([]byte(v)),
	}
	if j, err := json.Marshal(v); err == nil {
		forms = append(forms, strings.Trim(string(j), `"`))
	}
	// JSON encoders may escape "/" (PHP, Rails) or any non-ASCII byte.
	forms = append(forms, strings.ReplaceAll(v, "/", `\/`))
	s.Add(forms...)
}
