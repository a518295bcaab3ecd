package cli

import (
	"fmt"
	"io"
	"net/http"
	"sync"
	"time"
)

// tracker is the RoundTripper under a provider's client: it counts the
// attempts of the latest request (to report them when the SDK's error does
// not) and the pages fetched (for progress).
type tracker struct {
	next     http.RoundTripper
	progress *progress
	isPage   func(*http.Request) bool

	mu       sync.Mutex
	lastKey  string
	attempts int
}

func (t *tracker) RoundTrip(r *http.Request) (*http.Response, error) {
	key := r.Method + " " + r.URL.String()
	t.mu.Lock()
	if key == t.lastKey {
		t.attempts++
	} else {
		t.lastKey, t.attempts = key, 1
	}
	t.mu.Unlock()
	resp, err := t.next.RoundTrip(r)
	if err == nil && resp.StatusCode < 300 && t.countsAsPage(r) {
		t.progress.page()
	}
	return resp, err
}

func (t *tracker) countsAsPage(r *http.Request) bool {
	if t.isPage != nil {
		return t.isPage(r)
	}
	return r.Method == http.MethodGet
}

func (t *tracker) lastAttempts() int {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.attempts
}

// progress shows pages and items so far on stderr once a walk goes past
// its first page: a line per page with -v, else, on a terminal, one line
// redrawn in place (at most every terminalEvery) by the screen, which keeps
// it apart from the program's own output.
type progress struct {
	w       io.Writer // stderr
	name    string
	verbose bool
	screen  *screen // nil when stderr is not a terminal

	mu       sync.Mutex
	pages    int
	items    int
	shown    bool
	lastDraw time.Time
}

const terminalEvery = 200 * time.Millisecond

func (p *progress) page() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.pages++
	if p.pages < 2 {
		return
	}
	switch {
	case p.verbose:
		fmt.Fprintf(p.w, "%s: page %d fetched, %d organizations so far\n", p.name, p.pages, p.items)
		p.shown = true
	case p.screen != nil:
		if time.Since(p.lastDraw) < terminalEvery {
			return
		}
		p.lastDraw = time.Now()
		p.screen.show(fmt.Sprintf("%s: %d pages, %d organizations so far", p.name, p.pages, p.items))
		p.shown = true
	}
}

func (p *progress) item() {
	p.mu.Lock()
	p.items++
	p.mu.Unlock()
}

func (p *progress) done() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if !p.shown {
		return
	}
	final := fmt.Sprintf("%s: %d pages, %d organizations", p.name, p.pages, p.items)
	if p.screen != nil && !p.verbose {
		p.screen.end(final)
	} else {
		fmt.Fprintln(p.w, final)
	}
	p.shown = false
}
