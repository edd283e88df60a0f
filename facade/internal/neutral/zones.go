package neutral

import (
	"context"
	"errors"

	"github.com/secondarydns/secondarydns-go/facade"
)

// Stale reports whether err, from a request addressing an object by a
// cached ID, proves that the ID is stale: a definite not-found (the server
// answered 404 to a request sent once), not one whose outcome is unknown
// (an earlier attempt may have acted, e.g. a retried DELETE whose first
// answer was lost).
func Stale(err error) bool {
	return err != nil && errors.Is(err, facade.ErrNotFound) && !facade.OutcomeUnknown(err)
}

// ByName runs act on the zone called name, the shape of every by-name
// method of an API addressing zones by ID: it normalises name (an invalid
// name is an ErrInvalidInput error for op, nothing is sent), then acts on
// the reference ids remembers for it, if any; if there is none, or act
// proves it stale (see [Stale]), it resolves the name with lookup (a fresh
// lookup, which the adapter makes remember its answer) and acts on that.
// ids may be nil (always look up). act receives the normalised name.
func ByName[R any](ctx context.Context, c *facade.Core, op, name string, ids *IDs[R], lookup func(ctx context.Context, n string) (R, error), act func(ctx context.Context, n string, r R) error) error {
	n, err := facade.NormalizeZoneName(name)
	if err != nil {
		return c.Invalid(op, err)
	}
	if ids != nil {
		if r, ok := ids.Get(n); ok {
			err := act(ctx, n, r)
			if !Stale(err) {
				return err
			}
			ids.Forget(n)
		}
	}
	r, err := lookup(ctx, n)
	if err != nil {
		return err
	}
	return act(ctx, n, r)
}
