package facade

import (
	"context"
	"time"

	"github.com/secondarydns/secondarydns-go/facade/internal/poll"
)

// Default pacing of a client's waits for asynchronous work (e.g. IONOS
// provisioning with [WithWaitUntilAvailable]); see [WithPolling].
const (
	DefaultPollFirst = 250 * time.Millisecond
	DefaultPollMax   = 5 * time.Second
)

// Poll calls check until it reports done or fails, and returns check's error
// or ctx's. The first call happens at once; the pause before each further
// call starts at first and doubles up to max. Every pause ends when ctx
// does. The provider clients wait for a provider's asynchronous work with
// the same loop, paced by [WithPolling]; tools (the secdns CLI's progress
// display) call Poll directly.
func Poll(ctx context.Context, first, max time.Duration, check func(ctx context.Context) (done bool, err error)) error {
	return poll.Loop(ctx, first, max, poll.Wait, check)
}
