package core

import (
	"context"

	"github.com/secondarydns/secondarydns-go/facade"
	"github.com/secondarydns/secondarydns-go/facade/internal/text"
)

// RequireID checks a provider identifier (a zone or account id) before it is
// put into a URL path: non-empty, at most 255 bytes, no whitespace, control
// characters, '/' or '\', and not "." or "..". field names the argument in
// the error, which is an [*facade.Error] of kind [facade.ErrInvalidInput].
func RequireID(field, v string) error {
	if msg := text.IDProblem(field, v); msg != "" {
		e := facade.NewError(facade.ErrInvalidInput, nil)
		e.Messages = []string{msg}
		return e
	}
	return nil
}

// ApplyCreateOptions applies opts in order (nil entries are skipped) and
// returns the result.
func ApplyCreateOptions(opts ...facade.CreateOption) facade.CreateOptions {
	var o facade.CreateOptions
	for _, f := range opts {
		if f != nil {
			f(&o)
		}
	}
	return o
}

// CleanupContext returns the context an adapter undoes a failed
// multi-request operation with (e.g. deleting what a CreateZone created). It
// outlives ctx's cancellation, so that objects known (or feared) to exist
// are removed even when the failure was the caller cancelling, and it is
// bounded by [facade.CleanupTimeout]. A call cancelled part-way therefore
// returns once its clean-up is done: promptly against a responsive API,
// after at most CleanupTimeout against one that stalls.
func CleanupContext(ctx context.Context) (context.Context, context.CancelFunc) {
	return context.WithTimeout(context.WithoutCancel(ctx), facade.CleanupTimeout)
}
