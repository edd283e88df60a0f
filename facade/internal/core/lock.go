package core

import (
	"context"
)

// Lock is a mutual-exclusion lock whose wait honours a context, for
// adapters that serialise multi-request operations (a sync.Mutex held
// across network calls would make a caller with a short deadline wait for
// another caller's slow requests). Create it with [NewLock]; it is safe for
// concurrent use.
type Lock struct{ ch chan struct{} }

// NewLock returns an unlocked Lock.
func NewLock() *Lock { return &Lock{ch: make(chan struct{}, 1)} }

// Lock waits until the lock is free or ctx is done. It returns nil with
// the lock held, or, without it, an [facade.ErrTransport] error for operation op
// of c's provider matching ctx's error (context.Canceled or
// context.DeadlineExceeded); no request was sent, so
// [facade.OutcomeUnknown] is false for it. A ctx already done fails at once even
// if the lock is free.
func (l *Lock) Lock(ctx context.Context, c *Core, op string) error {
	if err := ctx.Err(); err != nil {
		return c.refusedCtx(op, err)
	}
	select {
	case l.ch <- struct{}{}:
		return nil
	case <-ctx.Done():
		return c.refusedCtx(op, ctx.Err())
	}
}

// Unlock releases the lock. It must be held.
func (l *Lock) Unlock() { <-l.ch }

// refusedCtx is the error of a wait that ctx ended before any request.
func (c *Core) refusedCtx(op string, err error) error {
	e := transportError(c.provider, op, err, nil)
	e.Refused = true
	return e
}
