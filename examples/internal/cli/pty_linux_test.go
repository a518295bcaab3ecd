//go:build linux

package cli

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"unsafe"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// openPTY opens a pseudo-terminal pair with the standard library only:
// the master side the test reads, and the terminal a program writes to.
func openPTY(t *testing.T) (master, term *os.File) {
	t.Helper()
	master, err := os.OpenFile("/dev/ptmx", os.O_RDWR|syscall.O_NOCTTY, 0)
	if err != nil {
		t.Skipf("no pseudo-terminals on this machine: %v", err)
	}
	t.Cleanup(func() { master.Close() })
	ioctl := func(req uintptr, arg unsafe.Pointer) {
		t.Helper()
		if _, _, errno := syscall.Syscall(syscall.SYS_IOCTL, master.Fd(), req, uintptr(arg)); errno != 0 {
			t.Fatalf("ioctl %#x on /dev/ptmx: %v", req, errno)
		}
	}
	var unlock int32
	ioctl(syscall.TIOCSPTLCK, unsafe.Pointer(&unlock))
	var n uint32
	ioctl(syscall.TIOCGPTN, unsafe.Pointer(&n))
	term = openTerm(t, fmt.Sprintf("/dev/pts/%d", n))
	return master, term
}

// openTerm opens one more descriptor of a terminal, as a shell hands a
// program the same terminal on stdout and stderr.
func openTerm(t *testing.T, name string) *os.File {
	t.Helper()
	f, err := os.OpenFile(name, os.O_RDWR|syscall.O_NOCTTY, 0)
	require.NoError(t, err)
	t.Cleanup(func() { f.Close() })
	return f
}

func TestTerminalsOnRealFiles(t *testing.T) {
	t.Parallel()
	_, termA := openPTY(t)
	_, termB := openPTY(t)
	pr, pw, err := os.Pipe()
	require.NoError(t, err)
	t.Cleanup(func() { pr.Close(); pw.Close() })
	file, err := os.Create(filepath.Join(t.TempDir(), "out.txt"))
	require.NoError(t, err)
	t.Cleanup(func() { file.Close() })

	tests := []struct {
		name             string
		stdout, stderr   *os.File
		terminal, shared bool
	}{
		{"both on one terminal, two descriptors", termA, openTerm(t, termA.Name()), true, true},
		{"stdout to a pipe", pw, termA, true, false},
		{"stdout to a file", file, termA, true, false},
		{"stdout on another terminal", termB, termA, true, false},
		{"stderr to a pipe", termA, pw, false, false},
		{"both to a file", file, file, false, false},
	}
	for _, tt := range tests {
		terminal, shared := terminals(tt.stdout, tt.stderr)
		assert.Equal(t, tt.terminal, terminal, tt.name)
		assert.Equal(t, tt.shared, shared, tt.name)
	}
}

// TestProgressOnAPseudoTerminal runs a walk with stdout and stderr on one
// real terminal, as OSEnv sets it up, and reads what the terminal got.
func TestProgressOnAPseudoTerminal(t *testing.T) {
	t.Parallel()
	srv := pager(t)
	master, stdout := openPTY(t)
	stderr := openTerm(t, stdout.Name())
	env := fileEnv(stdout, stderr)
	require.True(t, env.Terminal, "stderr is a terminal")
	require.True(t, env.SharedTerminal, "stdout is the same terminal")

	got := make(chan []byte)
	go func() {
		var b bytes.Buffer
		buf := make([]byte, 4096)
		for {
			n, err := master.Read(buf)
			b.Write(buf[:n])
			if err != nil { // EIO once every terminal descriptor is closed
				got <- b.Bytes()
				return
			}
		}
	}()

	cmd := New("prog", "", env)
	_, ok := cmd.Parse(nil)
	require.True(t, ok)
	listRows(t, cmd, srv.URL, 3, true)
	require.NoError(t, stdout.Close())
	require.NoError(t, stderr.Close())
	out := string(<-got)

	assert.Contains(t, out, "so far"+eraseLine, "the progress line was drawn")
	assert.Contains(t, out, "\r\n", "the terminal's own output processing was on")
	want := []string{"row 1 name 1", "row 2 name 2", "row 3 name 3", "row 4 name 4", "row 5 name 5", "row 6 name 6",
		"prog: 6 organizations listed", "prog: demo: 3 pages, 6 organizations"}
	assert.Equal(t, want, render(t, out), "%q", out)
}
