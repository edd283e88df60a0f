// Package poll is the one polling loop of the module, shared by
// facade.Poll and the adapters' core.
package poll

import (
	"context"
	"time"
)

// Loop calls check until it reports done or fails, and returns check's
// error or wait's. The first call happens at once; the pause before each
// further call starts at first and doubles up to max, and is wait(ctx, d).
func Loop(ctx context.Context, first, max time.Duration, wait func(context.Context, time.Duration) error, check func(context.Context) (bool, error)) error {
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

// Wait waits for d or until ctx is done, whichever comes first.
func Wait(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}
