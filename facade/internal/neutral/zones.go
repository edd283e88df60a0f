package neutral

import (
	"context"
	"errors"
	"iter"

	"github.com/secondarydns/secondarydns-go/facade"
	"github.com/secondarydns/secondarydns-go/facade/internal/core"
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
func ByName[R any](ctx context.Context, c *core.Core, op, name string, ids *IDs[R], lookup func(ctx context.Context, n string) (R, error), act func(ctx context.Context, n string, r R) error) error {
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

// Readiness maps a provider's zone state (as the adapter reports it in
// Zone.State) to the neutral [facade.Readiness] with the adapter's table;
// an empty or unlisted state is [facade.ReadinessUnknown].
func Readiness(state string, table map[string]facade.Readiness) facade.Readiness {
	if r, ok := table[state]; ok {
		return r
	}
	return facade.ReadinessUnknown
}

// Primaries returns ps in their effective form ([facade.Primary.Effective]):
// every primary with its port, 53 where the provider has none.
func Primaries(ps []facade.Primary) []facade.Primary {
	out := make([]facade.Primary, len(ps))
	for i, p := range ps {
		out[i] = p.Effective()
	}
	return out
}

// List is the shape of every adapter's ListZones: it ranges over the
// provider's listing and yields each item through the converter newConv
// makes for this iteration (so that a converter may load what it needs
// lazily, once per iteration, e.g. the account's peers). A converter
// returns ok false to skip an item (e.g. a primary zone). The first error,
// from the listing or a converter, is yielded once, last, with a zero
// Zone; nothing more is fetched once the consumer stops.
func List[Z any](list iter.Seq2[Z, error], newConv func() func(z Z) (out facade.Zone, ok bool, err error)) iter.Seq2[facade.Zone, error] {
	return func(yield func(facade.Zone, error) bool) {
		conv := newConv()
		for z, err := range list {
			var (
				out facade.Zone
				ok  bool
			)
			if err == nil {
				out, ok, err = conv(z)
			}
			if err != nil {
				yield(facade.Zone{}, err)
				return
			}
			if ok && !yield(out, nil) {
				return
			}
		}
	}
}
