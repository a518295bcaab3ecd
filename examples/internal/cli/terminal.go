package cli

import (
	"io"
	"os"
	"sync"
)

// terminals reports whether stderr is a terminal, which turns the progress
// line on, and whether stdout writes to that same terminal, so that a row
// printed there would land on the progress line. A file or pipe on stdout
// cannot mix with it, nor can another terminal.
func terminals(stdout, stderr *os.File) (terminal, shared bool) {
	errInfo, err := stderr.Stat()
	if err != nil || errInfo.Mode()&os.ModeCharDevice == 0 {
		return false, false
	}
	outInfo, err := stdout.Stat()
	shared = err == nil && outInfo.Mode()&os.ModeCharDevice != 0 && os.SameFile(outInfo, errInfo)
	return true, shared
}

// Control sequences of the progress line: a carriage return goes back to
// the start of the line, eraseLine erases from the cursor to its end.
const (
	carriageReturn = "\r"
	eraseLine      = "\x1b[K"
)

// screen is the terminal stderr is on. It holds the progress line and
// sees every write the program makes to that terminal (stderr, and stdout
// when it is the same terminal), so the line never mixes with them: it is
// erased before each write and drawn again, on a line of its own, after a
// write that ends a line. A write that ends mid-line (a tabwriter writes
// cell by cell) keeps the line off the terminal until the line is ended.
// Every write goes through one lock, so the bytes reach the terminal in
// the order the screen decided on.
type screen struct {
	mu      sync.Mutex
	tty     io.Writer // the terminal, as stderr
	line    string    // the progress line to show; "" for none
	drawn   bool      // line is on the terminal, the cursor at its end
	midLine bool      // the last write left the cursor after text of its own
}

// writer returns w with every write ordered around the progress line; w
// must write to the screen's terminal.
func (s *screen) writer(w io.Writer) io.Writer { return &screenWriter{s: s, w: w} }

// show makes line the progress line, drawing it now unless a write has
// left the cursor mid-line.
func (s *screen) show(line string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.line = line
	if s.drawn || !s.midLine {
		// In place: the erase removes what a longer line left behind.
		_, _ = io.WriteString(s.tty, carriageReturn+line+eraseLine)
		s.drawn = true
	}
}

// end replaces the progress line with final, a line that stays.
func (s *screen) end(final string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.line = ""
	switch {
	case s.drawn:
		_, _ = io.WriteString(s.tty, carriageReturn+final+eraseLine+"\n")
	case s.midLine:
		_, _ = io.WriteString(s.tty, "\n"+final+"\n")
	default:
		_, _ = io.WriteString(s.tty, final+"\n")
	}
	s.drawn, s.midLine = false, false
}

type screenWriter struct {
	s *screen
	w io.Writer
}

func (sw *screenWriter) Write(p []byte) (int, error) {
	s := sw.s
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(p) == 0 {
		return sw.w.Write(p)
	}
	if s.drawn {
		_, _ = io.WriteString(s.tty, carriageReturn+eraseLine)
		s.drawn = false
	}
	n, err := sw.w.Write(p)
	if n > 0 {
		s.midLine = p[n-1] != '\n'
	}
	if s.line != "" && !s.midLine {
		_, _ = io.WriteString(s.tty, s.line+eraseLine)
		s.drawn = true
	}
	return n, err
}
