package faulttest

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/orgsdk/orgsdk"
)

func TestErrorsWalksTheTree(t *testing.T) {
	t.Parallel()
	leaf := errors.New("leaf")
	err := fmt.Errorf("top: %w", errors.Join(errors.New("a"), fmt.Errorf("b: %w", leaf)))
	var texts []string
	for _, e := range Errors(err) {
		texts = append(texts, e.Error())
	}
	assert.Contains(t, texts, "leaf", "multi-unwrap branches are followed")
	assert.Len(t, texts, 5)
	assert.Empty(t, Errors(nil))
}

func TestAuditErrorFindsAWrappedLeak(t *testing.T) {
	t.Parallel()
	const secret = "s3cr3t-value"
	// The top-level text is clean; the cause is not.
	err := &orgsdk.TransportError{Message: "refused", Err: fmt.Errorf("redirect to /p/%s/", secret)}
	rec := &recorder{}
	AuditError(rec, "call", err, secret)
	require.NotEmpty(t, rec.failures)
	assert.Contains(t, strings.Join(rec.failures, "\n"), "error 1 (*errors.errorString) text leaks a secret (literal)")

	rec = &recorder{}
	AuditError(rec, "call", &orgsdk.APIError{RequestID: secret}, secret)
	assert.Contains(t, strings.Join(rec.failures, "\n"), "APIError.RequestID leaks a secret")
}

func TestAuditBounded(t *testing.T) {
	t.Parallel()
	rec := &recorder{}
	cut := AuditBounded(rec, &orgsdk.APIError{Message: strings.Repeat("m", 300) + orgsdk.CutMark})
	assert.True(t, cut)
	assert.NotEmpty(t, rec.failures, "a field over its bound fails")

	rec = &recorder{}
	assert.False(t, AuditBounded(rec, errors.New("short")))
	assert.Empty(t, rec.failures)
}

func TestAuditDirReadsNamesAndContents(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(dir, "001-get-s3cr3t-value.json"), []byte("{}"), 0o600))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "002.json"), []byte(`{"x":"czNjcjN0LXZhbHVl"}`), 0o600))
	rec := &recorder{}
	AuditDir(rec, dir, "s3cr3t-value")
	all := strings.Join(rec.failures, "\n")
	assert.Contains(t, all, "file name")
	assert.Contains(t, all, "file 002.json leaks a secret (base64)")
}

func TestHostileSpellings(t *testing.T) {
	t.Parallel()
	const secret = "a/b+c"
	q := SecretQuery(secret)
	assert.Contains(t, q, "next=a%2Fb%2Bc")
	assert.Contains(t, q, "access_token=")
	assert.Equal(t, "a%2Fb+c", SecretPath(secret))
	echo := EchoAll(secret, "other-secret")
	for _, f := range SecretForms(secret) {
		assert.Contains(t, echo, f)
	}
	assert.Contains(t, echo, "other-secret")
	for _, tok := range HostileTokens("p") {
		assert.True(t, strings.HasPrefix(tok, "p"))
	}
}
