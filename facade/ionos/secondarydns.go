package ionos

import (
	"context"
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
// current description.

// neutralState is the client's neutral-layer state: the zone name -> UUID
// cache (bounded by [neutral.DefaultIDsCap] entries).
type neutralState struct {
	once sync.Once
	ids  *neutral.IDs[string]
}

// zoneIDs returns the client's name -> UUID cache.
func (c *Client) zoneIDs() *neutral.IDs[string] {
	c.ns.once.Do(func() { c.ns.ids = neutral.NewIDs[string](0) })
	return c.ns.ids
}

// remember records z's UUID and returns it.
func (c *Client) remember(z SecondaryZone) string {
	c.zoneIDs().Put(z.Name, z.ID)
	return z.ID
}

// ListZones iterates over all secondary zones of the account
// ([facade.SecondaryDNS]).
func (c *Client) ListZones(ctx context.Context) iter.Seq2[facade.Zone, error] {
	return neutral.List(c.listSecondaryZones(ctx, "ListZones", ListOptions{PageSize: MaxPageSize}), func() func(SecondaryZone) (facade.Zone, bool, error) {
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
	z, err := c.createSecondaryZone(ctx, op, in)
	if err != nil {
		if facade.OutcomeUnknown(err) {
			c.undoCreate(ctx, op, in)
		}
		return facade.Zone{}, err
	}
	c.remember(z)
	if o.WaitAvailable {
		w, err := c.waitUntilAvailable(ctx, op, z.ID)
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
	_ = c.deleteSecondaryZone(ctx, op, z.ID)
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
	in.Name, in.Description = cur.Name, cur.Description
	z, err := c.updateSecondaryZone(ctx, op, cur.ID, in)
	if err != nil {
		return facade.Zone{}, err
	}
	c.remember(z)
	return toZone(z), nil
}

// DeleteZone deletes the secondary zone called name ([facade.SecondaryDNS]).
func (c *Client) DeleteZone(ctx context.Context, name string) error {
	const op = "DeleteZone"
	return c.byName(ctx, op, name, func(ctx context.Context, n string, id string) error {
		err := c.deleteSecondaryZone(ctx, op, id)
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
		return c.startZoneTransfer(ctx, op, id)
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
		st, err := c.getZoneTransferStatus(ctx, op, id)
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
	return neutral.ByName(ctx, c.core, op, name, c.zoneIDs(), func(ctx context.Context, n string) (string, error) {
		z, err := c.lookup(ctx, op, n)
		if err != nil {
			return "", err
		}
		return c.remember(z), nil
	}, act)
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
		return c.listSecondaryZones(ctx, op, ListOptions{ZoneName: n, PageSize: MaxPageSize})
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
