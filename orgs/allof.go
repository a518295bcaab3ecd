package orgs

import (
	"context"
	"iter"
	"sync"
	"sync/atomic"
)

// DefaultConcurrency is how many directories AllOf walks at once when
// AllOptions.Concurrency is 0.
const DefaultConcurrency = 4

// AllOptions shapes an AllOf walk.
type AllOptions struct {
	// ListOptions apply to each directory's walk: Limit is the most
	// organizations of each, not of all together.
	ListOptions
	// Concurrency is the most directories walked at once (default
	// DefaultConcurrency); the others wait for one of them to end.
	Concurrency int
}

// AllOf walks several directories at once and yields every organization
// of each, as it comes: Organization.Provider says whose it is, and the
// order within one directory is its All's. Each directory's walk is
// Directory.All with opts.ListOptions, and at most opts.Concurrency of them
// run at a time (nil opts: every default).
//
// A walk's failure is yielded once, as the *Error of its directory
// (Error.Provider names it), and ends that walk only: the others go on, so
// ranging to the end sees every organization the others have and one
// error per directory that failed. A nil directory, or bad options, is
// such an error too. Each walk waits for the loop's body to finish with
// its previous item before it fetches more, so memory stays at one page
// per walk however slow the body is.
//
// Breaking out of the loop stops every walk: their requests are cancelled
// and AllOf returns only once all of them have ended, leaving no
// goroutine behind. Like All it is lazy, and starts over when ranged again.
func AllOf(ctx context.Context, opts *AllOptions, dirs ...*Directory) iter.Seq2[*Organization, error] {
	var o AllOptions
	if opts != nil {
		o = *opts
	}
	dirs = append([]*Directory(nil), dirs...)
	return func(yield func(*Organization, error) bool) {
		if o.Concurrency < 0 {
			yield(nil, argumentError("", "AllOptions.Concurrency is %d (want 0 for the default, or more)", o.Concurrency))
			return
		}
		if ctx == nil {
			yield(nil, argumentError("", "nil context"))
			return
		}
		if len(dirs) == 0 {
			return
		}
		workers := o.Concurrency
		if workers == 0 {
			workers = DefaultConcurrency
		}
		workers = min(workers, len(dirs))

		walkCtx, cancel := context.WithCancel(ctx)
		// stop is closed when the range ends: a walk blocked handing over
		// an item gives up. A context that ends does not close it, so the
		// walks still hand over their context errors.
		stop := make(chan struct{})
		out := make(chan handover)
		defer func() {
			// However the range ends (to the last item, a break, a panic
			// in the loop's body), every walk ends before AllOf returns:
			// none can block on out or done once stop is closed, and out
			// is closed when the last one has returned.
			close(stop)
			cancel()
			for range out {
			}
		}()
		var next atomic.Int64
		var wg sync.WaitGroup
		for range workers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for {
					i := int(next.Add(1) - 1)
					if i >= len(dirs) || !walk(walkCtx, dirs[i], i, &o.ListOptions, out, stop) {
						return
					}
				}
			}()
		}
		go func() {
			wg.Wait()
			close(out)
		}()

		for h := range out {
			if !yield(h.org, h.err) {
				return
			}
			h.done <- struct{}{}
		}
	}
}

// handover is one item or error of a walk, with the channel the loop
// answers on when its body is done with it.
type handover struct {
	org  *Organization
	err  error
	done chan struct{}
}

// walk hands every item of dir's walk over to out, one at a time, each
// after the loop's body finished with the previous one. It returns false
// when the loop broke (stop closed).
func walk(ctx context.Context, dir *Directory, i int, opts *ListOptions, out chan<- handover, stop <-chan struct{}) bool {
	done := make(chan struct{}, 1)
	send := func(org *Organization, err error) bool {
		select {
		case out <- handover{org: org, err: err, done: done}:
		case <-stop:
			return false
		}
		select {
		case <-done:
			return true
		case <-stop:
			return false
		}
	}
	if dir == nil {
		return send(nil, wrap("orgs", opAll, "", argumentError("", "directory %d of AllOf is nil", i)))
	}
	for org, err := range dir.All(ctx, opts) {
		if !send(org, err) {
			return false
		}
	}
	return true
}
