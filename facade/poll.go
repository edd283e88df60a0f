package facade

import (
	"context"
	"time"
)

// Default pacing of [Poll] and [Core.Poll]; see [WithPolling].
const (
	DefaultPollFirst = 250 * time.Millisecond
	DefaultPollMax   = 5 * time.Second
)

// Poll calls check until it reports done or fails, and returns check's error
// or ctx's. The first call happens at once; the pause before each further
// call starts at first and doubles up to max. Every pause ends when ctx
// does. It is the one polling loop of the module: the adapters wait for a
// provider's asynchronous work through [Core.Poll], and tools (the secdns
// CLI's progress display) call it directly.
func Poll(ctx context.Context, first, max time.Duration, check func(ctx context.Context) (done bool, err error)) error {
	return poll(ctx, first, max, waitCtx, check)
}

func poll(ctx context.Context, first, max time.Duration, wait func(context.Context, time.Duration) error, check func(context.Context) (bool, error)) error {
	delay := first
	for {
		done, err := check(ctx)
		if err != nil || done {
			return err
		}
		if err := wait(ctx, delay); err != nil {
			return err
		}
		if delay > max/2 { // doubling saturates at max: no overflow
			delay = max
		} else {
			delay *= 2
		}
	}
}

// Poll is [Poll] paced as [WithPolling] configured (by default
// [DefaultPollFirst] doubling up to [DefaultPollMax]); when ctx ends, the
// error is an [*Error] for op of kind [ErrTransport] that also matches ctx's
// error. Errors from check are returned as they are.
func (c *Core) Poll(ctx context.Context, op string, check func(ctx context.Context) (done bool, err error)) error {
	err := poll(ctx, c.pollFirst, c.pollMax, c.wait, check)
	if err != nil && ctx.Err() != nil && err == ctx.Err() {
		return c.Wrap(op, err)
	}
	return err
}
