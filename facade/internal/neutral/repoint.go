package neutral

import (
	"context"
	"errors"
	"fmt"

	"github.com/secondarydns/secondarydns-go/facade"
	"github.com/secondarydns/secondarydns-go/facade/internal/core"
	"github.com/secondarydns/secondarydns-go/facade/internal/text"
)

// Current checks the zone a caller hands to an adapter's RepointZone (see
// facade.Repointer): it must come from provider (Provider equal), with a
// valid Name and an ID. It returns the normalised name; anything else is an
// ErrInvalidInput error for op, before any request.
func Current(c *core.Core, op, provider string, z facade.Zone) (string, error) {
	if z.Provider != provider {
		return "", c.Invalid(op, fmt.Errorf("zone %q: from provider %q, not %q (pass a Zone this client returned)",
			text.Clip(z.Name, 64), text.Clip(z.Provider, 32), provider))
	}
	n, err := facade.NormalizeZoneName(z.Name)
	if err != nil {
		return "", c.Invalid(op, err)
	}
	if z.ID == "" {
		return "", c.Invalid(op, fmt.Errorf("zone %s: no ID (pass a Zone this client returned)", n))
	}
	return n, nil
}

// Differs reports whether err, from a request acting on a zone as a
// caller last read it, proves that the zone differs from that reading: a
// definite answer (sent once, see [Stale]) of one of the kinds given, e.g.
// ErrNotFound for a zone deleted since.
func Differs(err error, kinds ...error) bool {
	if err == nil || facade.OutcomeUnknown(err) {
		return false
	}
	for _, k := range kinds {
		if errors.Is(err, k) {
			return true
		}
	}
	return false
}

// Repoint is the shape of every adapter's RepointZone: fast re-points the
// zone as the caller read it; if its error proves the zone differs from
// that reading (differs), full, the adapter's SetPrimaries path reading the
// zone afresh, runs once.
func Repoint(ctx context.Context, fast, full func(ctx context.Context) (facade.Zone, error), differs func(error) bool) (facade.Zone, error) {
	z, err := fast(ctx)
	if err == nil || !differs(err) {
		return z, err
	}
	return full(ctx)
}

// Repointed returns current, named n, as re-pointed to ps: with ps in
// effective form as its primaries.
func Repointed(current facade.Zone, n string, ps []facade.Primary) facade.Zone {
	current.Name = n
	current.Primaries = Primaries(ps)
	current.Nameservers = append([]string(nil), current.Nameservers...)
	return current
}
