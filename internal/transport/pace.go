package transport

import (
	"context"
	"errors"
	"fmt"
	"math"
	"net/http"
	"reflect"
	"time"

	"golang.org/x/time/rate"

	"github.com/orgsdk/orgsdk"
)

// Limiter is orgsdk.Limiter: what WithLimiter takes.
type Limiter = orgsdk.Limiter

// NewRateLimiter is what WithRateLimit(n, per) stands for: a token bucket
// of n tokens that refills at n per per, full at the start. It lets n
// requests go at once after a quiet spell and then one every per/n; over
// any span of length d at most n + d·n/per requests go (2n in a span of
// per, at worst), and over a long walk the rate tends to n per per.
func NewRateLimiter(n int, per time.Duration) *rate.Limiter {
	return rate.NewLimiter(rate.Limit(float64(n)/per.Seconds()), n)
}

// pacer waits for its limiter before each request it carries. It sits
// below the retries and the redirects, so every request on the wire waits.
type pacer struct {
	next http.RoundTripper
	wait func(context.Context) error
}

// newPacer paces next with l. A *rate.Limiter is waited for by a
// ratePacer (see orgsdk.Limiter for why); any other limiter by its Wait.
func newPacer(next http.RoundTripper, l Limiter) *pacer {
	if rl, ok := l.(*rate.Limiter); ok {
		rp := &ratePacer{lim: rl, turn: make(chan struct{}, 1)}
		return &pacer{next: next, wait: rp.wait}
	}
	return &pacer{next: next, wait: l.Wait}
}

func (p *pacer) RoundTrip(r *http.Request) (*http.Response, error) {
	ctx := r.Context()
	if err := p.wait(ctx); err != nil {
		closeRequestBody(r)
		if ctxErr := ctx.Err(); ctxErr != nil && !errors.Is(err, ctxErr) {
			// A Limiter that returned its own error as the context
			// ended: the caller still sees why the call ended.
			err = fmt.Errorf("%w: %w", ctxErr, err)
		}
		return nil, &limiterError{err: err}
	}
	return p.next.RoundTrip(r)
}

// closeRequestBody honours RoundTrip's contract: the body is closed even
// when the request is never sent.
func closeRequestBody(r *http.Request) {
	if r.Body != nil {
		_ = r.Body.Close()
	}
}

// limiterError is a pacing wait that did not let the request go. It is
// never retried: the limiter is the caller's, and a retry would only wait
// again.
type limiterError struct{ err error }

func (e *limiterError) Error() string { return "client-side rate limit: " + e.err.Error() }

func (e *limiterError) Unwrap() error { return e.err }

// ratePacer waits for a *rate.Limiter without booking ahead, so that a wait
// that is abandoned holds nothing: the next caller is not delayed by it.
// rate.Limiter.Wait books the slot on entry, and Reservation.Cancel gives
// it back only while no later booking exists; with ten waiters cancelled
// in their arrival order, nine slots stay booked.
//
// Callers of one client queue in order for turn; the one holding it takes
// a token as soon as one is free (Allow) and sleeps until the next is due
// otherwise. Clients sharing the limiter each have their own queue, and
// their heads compete for the tokens.
type ratePacer struct {
	lim  *rate.Limiter
	turn chan struct{}
}

func (p *ratePacer) wait(ctx context.Context) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	select {
	case p.turn <- struct{}{}:
	default:
		// Someone is ahead. Waiting in line is pointless when even a
		// free turn would come too late.
		if err := p.tooLate(ctx, time.Now()); err != nil {
			return err
		}
		select {
		case p.turn <- struct{}{}:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	defer func() { <-p.turn }()
	var timer *time.Timer
	defer func() {
		if timer != nil {
			timer.Stop()
		}
	}()
	for {
		now := time.Now()
		if p.lim.AllowN(now, 1) {
			return nil
		}
		d, err := p.due(now)
		if err != nil {
			return err
		}
		if err := p.tooLate(ctx, now); err != nil {
			return err
		}
		var fire <-chan time.Time
		if d != never {
			if timer == nil {
				timer = time.NewTimer(d)
			} else {
				timer.Reset(d)
			}
			fire = timer.C
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-fire:
		}
	}
}

// errNoBurst: a limiter whose burst is below one lets no request go, ever.
var errNoBurst = errors.New("the rate limiter's burst is 0: no request can ever go")

// never is the wait for a limiter that does not refill (a zero rate).
const never = time.Duration(math.MaxInt64)

// due returns how long until the limiter has a whole token, as of now;
// never when it does not refill.
func (p *ratePacer) due(now time.Time) (time.Duration, error) {
	limit := p.lim.Limit()
	if limit == rate.Inf {
		return 0, nil
	}
	if p.lim.Burst() < 1 {
		return 0, errNoBurst
	}
	if limit <= 0 {
		return never, nil
	}
	missing := 1 - p.lim.TokensAt(now)
	if missing <= 0 {
		return 0, nil
	}
	d := math.Ceil(missing / float64(limit) * float64(time.Second))
	if d >= float64(never) {
		return never, nil
	}
	return time.Duration(d), nil
}

// tooLate reports, as an error matching context.DeadlineExceeded, that the
// next token is due after ctx's deadline, so waiting cannot help.
func (p *ratePacer) tooLate(ctx context.Context, now time.Time) error {
	deadline, ok := ctx.Deadline()
	if !ok {
		return nil
	}
	d, err := p.due(now)
	if err != nil {
		return err
	}
	if d == never || now.Add(d).After(deadline) {
		return fmt.Errorf("%w: the next request the rate limit allows is %s away, past the deadline", context.DeadlineExceeded, fmtDue(d))
	}
	return nil
}

func fmtDue(d time.Duration) string {
	if d == never {
		return "forever"
	}
	return d.Round(time.Millisecond).String()
}

// isNil reports a nil interface or one holding a nil pointer (a
// (*rate.Limiter)(nil) would panic on its first Wait).
func isNil(l Limiter) bool {
	if l == nil {
		return true
	}
	v := reflect.ValueOf(l)
	switch v.Kind() {
	case reflect.Pointer, reflect.Map, reflect.Slice, reflect.Func, reflect.Chan, reflect.Interface:
		return v.IsNil()
	}
	return false
}
