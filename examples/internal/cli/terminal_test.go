package cli

import (
	"fmt"
	"io"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/orgsdk/orgsdk/internal/faulttest"
)

// render is what a terminal shows after receiving out: a carriage return
// goes back to the line's start, a newline to the next line's, ESC [ K
// erases to the end of the line, any other byte is drawn at the cursor,
// over what was there. The pseudo-terminal's output processing turns "\n"
// into "\r\n", which renders the same. Any other control sequence fails
// the test: the programs send no other.
func render(t *testing.T, out string) []string {
	t.Helper()
	lines := [][]rune{nil}
	row, col := 0, 0
	runes := []rune(out)
	for i := 0; i < len(runes); i++ {
		switch r := runes[i]; r {
		case '\r':
			col = 0
		case '\n':
			row, col = row+1, 0
			if row == len(lines) {
				lines = append(lines, nil)
			}
		case '\x1b':
			require.True(t, i+2 < len(runes) && runes[i+1] == '[' && runes[i+2] == 'K', "unexpected control sequence at %d in %q", i, out)
			if col < len(lines[row]) {
				lines[row] = lines[row][:col]
			}
			i += 2
		default:
			require.True(t, r >= ' ', "unexpected control byte %q in %q", r, out)
			for len(lines[row]) <= col {
				lines[row] = append(lines[row], ' ')
			}
			lines[row][col] = r
			col++
		}
	}
	out2 := make([]string, 0, len(lines))
	for _, l := range lines {
		out2 = append(out2, string(l))
	}
	if out2[len(out2)-1] == "" {
		out2 = out2[:len(out2)-1]
	}
	return out2
}

func TestRender(t *testing.T) {
	t.Parallel()
	assert.Equal(t, []string{"abc", "xyz"}, render(t, "abc\nxx\rxyz"))
	assert.Equal(t, []string{"ab"}, render(t, "abcdef\rab\x1b[K"))
	assert.Equal(t, []string{"progress 2row 3"}, render(t, "\rprogress 1\x1b[K\rprogress 2\x1b[Krow 3\n"),
		"the defect the screen prevents, as a terminal shows it")
}

// listRows is a program's walk: pages of two organizations, each printed
// on stdout as it comes, a message on stderr at the end, then Done. With
// split, the first row of each page after the first is written in two
// parts, as a tabwriter writes cell by cell, with the page's fetch (and so
// its progress) between them.
func listRows(t *testing.T, cmd *Command, pageURL string, pages int, split bool) {
	t.Helper()
	s := cmd.Session("demo")
	fetch := func(page int) {
		require.Equal(t, 200, get(t, s, fmt.Sprintf("%s/orgs?page=%d", pageURL, page), "tok"))
	}
	n := 0
	for i := 1; i <= pages; i++ {
		perPage := 2
		if split && i > 1 {
			fmt.Fprintf(cmd.Stdout(), "row %d ", n+1)
			fetch(i)
			n++
			s.Item()
			fmt.Fprintf(cmd.Stdout(), "name %d\n", n)
			perPage--
		} else {
			fetch(i)
		}
		for range perPage {
			n++
			s.Item()
			fmt.Fprintf(cmd.Stdout(), "row %d name %d\n", n, n)
		}
	}
	cmd.Infof("prog: %d organizations listed", n)
	s.Done()
}

func TestProgressNeverGluesToOutput(t *testing.T) {
	t.Parallel()
	srv := pager(t)
	rows := func(n int) []string {
		out := make([]string, n)
		for i := range out {
			out[i] = fmt.Sprintf("row %d name %d", i+1, i+1)
		}
		return out
	}
	tests := []struct {
		name   string
		args   []string
		shared bool // stdout on the same terminal as stderr
		split  bool
		pages  int
		screen []string // what the terminal shows at the end
		stdout []string // stdout's lines when it is not the terminal
		drawn  bool     // a progress line was drawn at some point
	}{
		{name: "rows on the same terminal", shared: true, pages: 3, drawn: true,
			screen: append(rows(6), "prog: 6 organizations listed", "prog: demo: 3 pages, 6 organizations")},
		{name: "a row written in two parts around a page", shared: true, split: true, pages: 3, drawn: true,
			screen: append(rows(6), "prog: 6 organizations listed", "prog: demo: 3 pages, 6 organizations")},
		{name: "stdout elsewhere: only messages pass the line", pages: 3, drawn: true,
			screen: []string{"prog: 6 organizations listed", "prog: demo: 3 pages, 6 organizations"}, stdout: rows(6)},
		{name: "-v: lines, nothing drawn in place", args: []string{"-v"}, shared: true, pages: 2,
			screen: []string{"row 1 name 1", "row 2 name 2", "prog: demo: page 2 fetched, 2 organizations so far",
				"row 3 name 3", "row 4 name 4", "prog: 4 organizations listed", "prog: demo: 2 pages, 4 organizations"}},
		{name: "one page: no progress at all", shared: true, pages: 1,
			screen: append(rows(2), "prog: 2 organizations listed")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var term faulttest.LogBuffer // the one terminal both write to
			var stdout strings.Builder
			env := Env{Stderr: &term, Stdout: &stdout, Terminal: true, SharedTerminal: tt.shared}
			if tt.shared {
				env.Stdout = &term
			}
			cmd := New("prog", "", env)
			_, ok := cmd.Parse(tt.args)
			require.True(t, ok)
			listRows(t, cmd, srv.URL, tt.pages, tt.split)

			out := term.String()
			assert.Equal(t, tt.screen, render(t, out), "%q", out)
			if tt.args != nil {
				assert.NotContains(t, out, "\r")
			}
			assert.Equal(t, tt.drawn, strings.Contains(out, "so far"+eraseLine), "%q", out)
			if tt.stdout != nil {
				assert.Equal(t, strings.Join(tt.stdout, "\n")+"\n", stdout.String(), "no control sequence in a file or pipe")
			}
		})
	}
}

// TestScreenByteStream pins the bytes the screen sends for each event.
func TestScreenByteStream(t *testing.T) {
	t.Parallel()
	type event struct {
		show, end string // show or end the progress line with this text
		write     string // else write this to stdout
	}
	tests := []struct {
		name   string
		events []event
		want   string
	}{
		{name: "rows with no progress pass unchanged", events: []event{{write: "a\n"}, {write: "b\n"}}, want: "a\nb\n"},
		{name: "a row erases the line and draws it below",
			events: []event{{show: "p1"}, {write: "a\n"}, {end: "done"}},
			want:   "\rp1\x1b[K" + "\r\x1b[K" + "a\n" + "p1\x1b[K" + "\rdone\x1b[K\n"},
		{name: "a newer line is drawn in place",
			events: []event{{show: "p1"}, {show: "p2"}, {end: "done"}},
			want:   "\rp1\x1b[K\rp2\x1b[K\rdone\x1b[K\n"},
		{name: "mid-line: the line waits for the row's end",
			events: []event{{write: "a "}, {show: "p1"}, {write: "b\n"}, {end: "done"}},
			want:   "a " + "b\n" + "p1\x1b[K" + "\rdone\x1b[K\n"},
		{name: "ended mid-line: the final line goes below",
			events: []event{{show: "p1"}, {write: "a"}, {end: "done"}},
			want:   "\rp1\x1b[K" + "\r\x1b[K" + "a" + "\ndone\n"},
		{name: "ended with nothing drawn", events: []event{{end: "done"}}, want: "done\n"},
		{name: "an empty write changes nothing", events: []event{{show: "p1"}, {write: ""}, {end: "done"}},
			want: "\rp1\x1b[K\rdone\x1b[K\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var term strings.Builder
			s := &screen{tty: &term}
			w := s.writer(&term)
			for _, e := range tt.events {
				switch {
				case e.show != "":
					s.show(e.show)
				case e.end != "":
					s.end(e.end)
				default:
					_, err := io.WriteString(w, e.write)
					require.NoError(t, err)
				}
			}
			assert.Equal(t, tt.want, term.String())
		})
	}
}
