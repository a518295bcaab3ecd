package cli

import (
	"bytes"
	"context"
)

// Program is the in-process entry point every example program has beside
// main, so tests run it against the fakes without building a binary.
type Program func(ctx context.Context, args []string, env Env) int

// RunInProcess runs p with the variables in env (nothing else is set) and
// returns its exit code, stdout and stderr.
func RunInProcess(ctx context.Context, p Program, env map[string]string, args ...string) (code int, stdout, stderr string) {
	var out, errOut bytes.Buffer
	code = p(ctx, args, Env{Getenv: func(k string) string { return env[k] }, Stdout: &out, Stderr: &errOut})
	return code, out.String(), errOut.String()
}
