package orgsdk

import "context"

// Limiter paces a client's requests on the client's side, so a bulk walk
// stays under a provider's quota instead of running into 429 answers.
// Every provider's WithLimiter option takes one.
//
// Wait blocks until one more request may be sent and returns nil, or
// returns an error without letting it go. It must return once ctx ends,
// with an error that matches ctx's (errors.Is), and a Wait that returns an
// error must not keep the slot it was waiting for: a burst of calls that
// time out must not stall the callers after them. An error from Wait ends
// the call with that error (wrapped); the SDK does not retry it.
//
// A client calls Wait once per attempt on the wire, just before the
// request is written: each retry and each followed redirect waits again,
// and so do Commvault's Login, RenewLoginToken and Logout. Wait is called
// from many goroutines at once; several clients may share one Limiter to
// share one quota.
//
// A *rate.Limiter (golang.org/x/time/rate) satisfies Limiter. For it the
// client does not use rate.Limiter.Wait: Wait books a slot ahead, and a
// cancelled booking is only given back when no later booking was made
// (verified against golang.org/x/time v0.14.0), so ten cancelled waits
// would keep nine slots. The client takes a token only when one is free
// (rate.Limiter.Allow), sleeps until the next one is due otherwise, and
// fails at once, with an error matching context.DeadlineExceeded, when
// that is after ctx's deadline. The limiter's rate and burst are read on
// every wait, so SetLimit and SetBurst take effect at once.
//
// A limiter shared between processes (one backed by Redis, say) can
// implement Limiter too; it then owns what Wait means, including giving
// back what an abandoned wait took.
type Limiter interface {
	Wait(ctx context.Context) error
}

// LimiterFunc lets a function be a Limiter, as http.HandlerFunc lets one
// be a handler: an adapter for a limiter whose own API is not a Wait
// method (a distributed one that answers "allowed" or "retry after").
type LimiterFunc func(ctx context.Context) error

// Wait calls f(ctx).
func (f LimiterFunc) Wait(ctx context.Context) error { return f(ctx) }
