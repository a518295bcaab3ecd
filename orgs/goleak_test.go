package orgs_test

import (
	"testing"

	"go.uber.org/goleak"
)

// TestMain fails the package's tests when a goroutine outlives them: a
// walk, a stalled server, a retry or a pacing wait the SDK left behind.
func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }
