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
// its first page: a line per page with -v, one line rewritten in place on
// a terminal (at most every terminalEvery).
type progress struct {
	w        io.Writer
	name     string
	verbose  bool
	terminal bool

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
	case p.terminal:
		if time.Since(p.lastDraw) < terminalEvery {
			return
		}
		p.lastDraw = time.Now()
		fmt.Fprintf(p.w, "\r%s: %d pages, %d organizations so far\x1b[K", p.name, p.pages, p.items)
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
	if p.terminal && !p.verbose {
		fmt.Fprintf(p.w, "\r%s: %d pages, %d organizations\x1b[K\n", p.name, p.pages, p.items)
	} else {
		fmt.Fprintf(p.w, "%s: %d pages, %d organizations\n", p.name, p.pages, p.items)
	}
	p.shown = false
}
