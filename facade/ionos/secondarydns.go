package ionos

import (
	"context"
	"errors"
	"iter"
	"net/netip"
	"strings"
	"sync"

	"github.com/secondarydns/secondarydns-go/facade"
	"github.com/secondarydns/secondarydns-go/facade/internal/core"
	"github.com/secondarydns/secondarydns-go/facade/internal/neutral"
)

// This file implements facade.SecondaryDNS on top of the typed methods.
// IONOS addresses zones by UUID. The client remembers each zone's UUID from
// every answer naming the zone: ListZones, CreateZone, GetZone,
// SetPrimaries and the lookups below. DeleteZone, Transfer and
// TransferStatus act by the remembered UUID directly; IONOS never reuses a
// UUID, so a remembered one addresses that zone or none: a 404 makes the
// client forget it and resolve the name afresh with a filtered list
// (filter.zoneName is a "contains" filter; the exact match is picked
// client-side), then act once more. SetPrimaries always looks the zone up
// first: its PUT is an upsert ("ensure") that would re-create a zone
// deleted since its UUID was remembered, and it must resend the zone's
// current description. RepointZone (see [facade.Repointer]) is for callers
// wanting that upsert: it sends the PUT alone, by the UUID of the zone the
// caller listed, with the description remembered from the listing.

// neutralState is the client's neutral-layer state: the zone name ->
// UUID (and description) cache (bounded by [neutral.DefaultIDsCap]
// entries).
type neutralState struct {
	once sync.Once
	ids  *neutral.IDs[zoneRef]
}

// zoneRef is what the client remembers of a zone: its UUID and the
// description a PUT must resend.
type zoneRef struct {
	id, description string
}

// zoneIDs returns the client's name -> UUID cache.
func (c *Client) zoneIDs() *neutral.IDs[zoneRef] {
	c.ns.once.Do(func() { c.ns.ids = neutral.NewIDs[zoneRef](0) })
	return c.ns.ids
}

// remember records z's UUID and description and returns the UUID.
func (c *Client) remember(z SecondaryZone) string {
	c.zoneIDs().Put(z.Name, zoneRef{id: z.ID, description: z.Description})
	return z.ID
}

// ListZones iterates over all secondary zones of the account
// ([facade.SecondaryDNS]).
func (c *Client) ListZones(ctx context.Context) iter.Seq2[facade.Zone, error] {
	return neutral.List(core.LabelSeq(c.core, "ListZones", c.ListSecondaryZones(ctx, ListOptions{PageSize: MaxPageSize})), func() func(SecondaryZone) (facade.Zone, bool, error) {
		return func(z SecondaryZone) (facade.Zone, bool, error) {
			c.remember(z)
			return toZone(z), true, nil
		}
	})
}

// GetZone returns the secondary zone called name, or an error matching
// [facade.ErrNotFound] ([facade.SecondaryDNS]). Zone.State is the IONOS
// provisioning state in lower case; Zone.Readiness reads it as: AVAILABLE
// ready, PROVISIONING pending, FAILED and DESTROYING failed, anything else
// unknown. Primaries carry Port 53.
func (c *Client) GetZone(ctx context.Context, name string) (facade.Zone, error) {
	z, err := c.lookup(ctx, "GetZone", name)
	if err != nil {
		return facade.Zone{}, err
	}
	c.remember(z)
	return toZone(z), nil
}

// CreateZone creates a secondary zone transferring from primaries
// ([facade.SecondaryDNS]). IONOS supports neither primary ports other than
// 53 nor TSIG (Capabilities says so): such requests fail with
// [facade.ErrUnsupported], also matching errors.ErrUnsupported, before any
// request. [facade.WithDescription] sets
// the zone's description; with [facade.WithWaitUntilAvailable] the call
// returns once the zone is [StateAvailable] (see [Client.WaitUntilAvailable];
// a zone that fails to provision, or whose wait ctx ends, is left in place
// and reported with the error). A zone of the same name fails with
// [facade.ErrConflict]. If the create request's outcome is unknown (the
// connection dropped, or ctx ended, after it was sent), CreateZone looks the
// zone up and deletes it if it has exactly the requested primaries and
// description, within [facade.CleanupTimeout], before returning the error: a
// failed CreateZone leaves nothing behind.
func (c *Client) CreateZone(ctx context.Context, name string, primaries []facade.Primary, opts ...facade.CreateOption) (facade.Zone, error) {
	const op = "CreateZone"
	o := core.ApplyCreateOptions(opts...)
	if o.TSIG != nil {
		return facade.Zone{}, c.core.Unsupported(op, "TSIG: IONOS secondary zones do not support TSIG")
	}
	in, err := c.input(op, name, primaries)
	if err != nil {
		return facade.Zone{}, err
	}
	in.Description = o.Description
	z, err := core.Label[SecondaryZone](c.core, op)(c.CreateSecondaryZone(ctx, in))
	if err != nil {
		if facade.OutcomeUnknown(err) {
			c.undoCreate(ctx, op, in)
		}
		return facade.Zone{}, err
	}
	c.remember(z)
	if o.WaitAvailable {
		w, err := core.Label[SecondaryZone](c.core, op)(c.WaitUntilAvailable(ctx, z.ID))
		if w.ID != "" {
			z = w
		}
		if err != nil {
			return toZone(z), err
		}
	}
	return toZone(z), nil
}

// undoCreate deletes the zone a CreateSecondaryZone request whose outcome
// is unknown (the connection dropped or the caller cancelled after it was
// sent) may have created, so that a failed CreateZone leaves nothing
// behind. It runs on core.CleanupContext, and deletes only a zone of that
// name with exactly the requested primaries and description: one that
// differs was created by someone else.
func (c *Client) undoCreate(ctx context.Context, op string, in SecondaryZoneInput) {
	ctx, cancel := core.CleanupContext(ctx)
	defer cancel()
	z, err := c.lookup(ctx, op, in.Name)
	if err != nil || z.Description != in.Description || !sameAddrs(z.PrimaryIPs, in.PrimaryIPs) {
		return
	}
	_ = c.core.Wrap(op, c.DeleteSecondaryZone(ctx, z.ID))
}

// sameAddrs reports whether a and b hold the same addresses.
func sameAddrs(a, b []netip.Addr) bool {
	set := make(map[netip.Addr]int, len(a))
	for _, x := range a {
		set[x.Unmap()]++
	}
	for _, x := range b {
		set[x.Unmap()]--
	}
	for _, n := range set {
		if n != 0 {
			return false
		}
	}
	return true
}

// SetPrimaries replaces the zone's primaries, keeping its name and
// description ([facade.SecondaryDNS]). The same port and TSIG limits as in
// [Client.CreateZone] apply. It looks the zone up, then updates it by UUID
// (two requests; see the file comment for why the UUID is not taken from
// the cache).
func (c *Client) SetPrimaries(ctx context.Context, name string, primaries []facade.Primary) (facade.Zone, error) {
	const op = "SetPrimaries"
	in, err := c.input(op, name, primaries)
	if err != nil {
		return facade.Zone{}, err
	}
	cur, err := c.lookup(ctx, op, in.Name)
	if err != nil {
		return facade.Zone{}, err
	}
	return c.update(ctx, op, zoneRef{id: cur.ID, description: cur.Description}, in)
}

// update replaces the primaries of the zone ref by its UUID (the PUT
// checks that the answer names that UUID and in.Name), resending ref's
// description, and remembers the answer.
func (c *Client) update(ctx context.Context, op string, ref zoneRef, in SecondaryZoneInput) (facade.Zone, error) {
	in.Description = ref.description
	z, err := core.Label[SecondaryZone](c.core, op)(c.UpdateSecondaryZone(ctx, ref.id, in))
	if err != nil {
		return facade.Zone{}, err
	}
	c.remember(z)
	return toZone(z), nil
}

// RepointZone replaces the primaries of current, a zone this client
// returned, with one PUT /secondaryzones/{id} by current.ID
// ([facade.Repointer]), resending the description remembered with that ID
// (from ListZones or any other answer naming the zone). The same port and
// TSIG limits as in [Client.SetPrimaries] apply, checked before any
// request, as is current.ID (a UUID).
//
// IONOS's PUT is an upsert: a zone deleted since current was read is
// re-created under current.ID with these primaries (the desired state of
// a fleet apply; SetPrimaries never does this). If the client remembers no
// description for current.ID (the zone was not listed by this client, or
// it deleted the zone itself), or the PUT is refused with a conflict (the
// name now belongs to a zone of another UUID) or not-found, the zone is
// looked up by name first, as SetPrimaries does: a zone found is updated
// by its UUID with its description; a zone not found is re-created by the
// PUT under current.ID, without description.
func (c *Client) RepointZone(ctx context.Context, current facade.Zone, primaries []facade.Primary) (facade.Zone, error) {
	const op = "RepointZone"
	n, err := neutral.Current(c.core, op, facade.ProviderIONOS, current)
	if err != nil {
		return facade.Zone{}, err
	}
	in, err := c.input(op, n, primaries)
	if err != nil {
		return facade.Zone{}, err
	}
	if _, err := c.parseID(op, current.ID); err != nil {
		return facade.Zone{}, err
	}
	return neutral.Repoint(ctx, func(ctx context.Context) (facade.Zone, error) {
		ref, ok := c.zoneIDs().Get(n)
		if !ok || ref.id != current.ID {
			return facade.Zone{}, errNotRemembered
		}
		return c.update(ctx, op, ref, in)
	}, func(ctx context.Context) (facade.Zone, error) {
		c.zoneIDs().Forget(n)
		cur, err := c.lookup(ctx, op, n)
		switch {
		case err == nil:
			return c.update(ctx, op, zoneRef{id: cur.ID, description: cur.Description}, in)
		case neutral.Differs(err, facade.ErrNotFound):
			return c.update(ctx, op, zoneRef{id: current.ID}, in)
		}
		return facade.Zone{}, err
	}, func(err error) bool {
		return err == errNotRemembered || neutral.Differs(err, facade.ErrConflict, facade.ErrNotFound)
	})
}

// errNotRemembered makes RepointZone look the zone up: the client
// remembers nothing about current.ID. It never reaches a caller.
var errNotRemembered = errors.New("zone not remembered")

// DeleteZone deletes the secondary zone called name ([facade.SecondaryDNS]).
func (c *Client) DeleteZone(ctx context.Context, name string) error {
	const op = "DeleteZone"
	return c.byName(ctx, op, name, func(ctx context.Context, n string, id string) error {
		err := c.core.Wrap(op, c.DeleteSecondaryZone(ctx, id))
		if err == nil {
			c.zoneIDs().Forget(n)
		}
		return err
	})
}

// Transfer starts a zone transfer (AXFR) of the zone called name
// ([facade.SecondaryDNS]).
func (c *Client) Transfer(ctx context.Context, name string) error {
	const op = "Transfer"
	return c.byName(ctx, op, name, func(ctx context.Context, _ string, id string) error {
		return c.core.Wrap(op, c.StartZoneTransfer(ctx, id))
	})
}

// TransferStatus reports the per-primary transfer status of the zone called
// name ([facade.SecondaryDNS]). IONOS reports neither the time of the last
// transfer nor the serial: LastTransfer and Serial are zero. Status is the
// provider's status in lower case.
func (c *Client) TransferStatus(ctx context.Context, name string) (facade.TransferStatus, error) {
	const op = "TransferStatus"
	var ts facade.TransferStatus
	err := c.byName(ctx, op, name, func(ctx context.Context, n string, id string) error {
		st, err := core.Label[[]PrimaryTransferStatus](c.core, op)(c.GetZoneTransferStatus(ctx, id))
		if err != nil {
			return err
		}
		ts = facade.TransferStatus{Zone: n, Primaries: make([]facade.PrimaryStatus, 0, len(st))}
		for _, s := range st {
			ts.Primaries = append(ts.Primaries, facade.PrimaryStatus{
				Primary: facade.Primary{Addr: s.IP}.Effective(),
				Status:  strings.ToLower(s.Status),
				Error:   s.Error,
			})
		}
		return nil
	})
	if err != nil {
		return facade.TransferStatus{}, err
	}
	return ts, nil
}

// byName runs act on the zone called name by its remembered ID, or by the
// ID a fresh lookup finds (see [neutral.ByName]).
func (c *Client) byName(ctx context.Context, op, name string, act func(ctx context.Context, n string, id string) error) error {
	return neutral.ByName(ctx, c.core, op, name, c.zoneIDs(), func(ctx context.Context, n string) (zoneRef, error) {
		z, err := c.lookup(ctx, op, n)
		if err != nil {
			return zoneRef{}, err
		}
		c.remember(z)
		return zoneRef{id: z.ID, description: z.Description}, nil
	}, func(ctx context.Context, n string, r zoneRef) error { return act(ctx, n, r.id) })
}

// input validates a zone name and primaries for IONOS.
func (c *Client) input(op, name string, primaries []facade.Primary) (SecondaryZoneInput, error) {
	n, err := facade.NormalizeZoneName(name)
	if err != nil {
		return SecondaryZoneInput{}, c.core.Invalid(op, err)
	}
	ps, err := c.core.ValidatePrimaries(op, primaries)
	if err != nil {
		return SecondaryZoneInput{}, err
	}
	in := SecondaryZoneInput{Name: n, PrimaryIPs: make([]netip.Addr, 0, len(ps))}
	for _, p := range ps {
		if p.PortOrDefault() != facade.DefaultPort {
			return SecondaryZoneInput{}, c.core.Unsupported(op, "primary "+p.String()+": IONOS transfers from port 53 only")
		}
		in.PrimaryIPs = append(in.PrimaryIPs, p.Addr)
	}
	return in, nil
}

// lookup resolves a zone name to the zone, with a filtered list and an
// exact match.
func (c *Client) lookup(ctx context.Context, op, name string) (SecondaryZone, error) {
	return core.FindZone(c.core, op, name, func(n string) iter.Seq2[SecondaryZone, error] {
		return core.LabelSeq(c.core, op, c.ListSecondaryZones(ctx, ListOptions{ZoneName: n, PageSize: MaxPageSize}))
	}, func(z SecondaryZone, n string) bool { return z.Name == n })
}

// readiness maps the IONOS provisioning states (lower-cased in
// Zone.State) to the neutral readiness: AVAILABLE is ready, PROVISIONING
// pending, FAILED failed, and DESTROYING failed too (the zone is going away
// and will not be served again); any other state is unknown.
var readiness = map[string]facade.Readiness{
	"available":    facade.ReadinessReady,
	"provisioning": facade.ReadinessPending,
	"failed":       facade.ReadinessFailed,
	"destroying":   facade.ReadinessFailed,
}

// toZone converts a SecondaryZone to the neutral type. IONOS primaries
// always use port 53, reported as Port 53 (the effective form).
func toZone(z SecondaryZone) facade.Zone {
	out := facade.Zone{
		Provider:    facade.ProviderIONOS,
		ID:          z.ID,
		Name:        z.Name,
		State:       strings.ToLower(z.State),
		Nameservers: append([]string(nil), z.Nameservers...),
		Primaries:   make([]facade.Primary, len(z.PrimaryIPs)),
	}
	out.Readiness = neutral.Readiness(out.State, readiness)
	for i, a := range z.PrimaryIPs {
		out.Primaries[i] = facade.Primary{Addr: a}.Effective()
	}
	return out
}

// Client re-points listed zones with the fewest requests.
var _ facade.Repointer = (*Client)(nil)
