package core

import (
	"context"

	"github.com/secondarydns/secondarydns-go/facade/internal/poll"
)

// Poll is [facade.Poll] paced as [facade.WithPolling] configured (by default
// [facade.DefaultPollFirst] doubling up to [facade.DefaultPollMax]); when ctx ends, the
// error is an [*facade.Error] for op of kind [facade.ErrTransport] that also matches ctx's
// error. Errors from check are returned as they are.
func (c *Core) Poll(ctx context.Context, op string, check func(ctx context.Context) (done bool, err error)) error {
	err := poll.Loop(ctx, c.pollFirst, c.pollMax, c.wait, check)
	if err != nil && ctx.Err() != nil && err == ctx.Err() {
		return c.Wrap(op, err)
	}
	return err
}
