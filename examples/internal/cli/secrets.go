package cli

import "github.com/orgsdk/orgsdk/internal/transport"

// AddSecret adds v to s. The shared scrubber matches every form a server
// may echo it in (literal, URL-escaped, JSON-escaped, base64), the same
// mechanism the SDK's own clients use, so a recording holds none of them.
func AddSecret(s *transport.Secrets, v string) {
	if v != "" {
		s.Add(v)
	}
}
