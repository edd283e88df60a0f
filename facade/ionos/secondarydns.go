package ionos

import (
	"context"
	"iter"
	"net/netip"
	"strings"

	"github.com/secondarydns/secondarydns-go/facade"
	"github.com/secondarydns/secondarydns-go/facade/internal/core"
)

// This file implements facade.SecondaryDNS on top of the typed methods.
// IONOS addresses zones by UUID, so every by-name method first resolves the
// name with a filtered list (filter.zoneName is a "contains" filter; the
// exact match is picked client-side).

// ListZones iterates over all secondary zones of the account
// ([facade.SecondaryDNS]).
func (c *Client) ListZones(ctx context.Context) iter.Seq2[facade.Zone, error] {
	return func(yield func(facade.Zone, error) bool) {
		for z, err := range core.LabelSeq(c.core, "ListZones", c.ListSecondaryZones(ctx, ListOptions{})) {
			if err != nil {
				yield(facade.Zone{}, err)
				return
			}
			if !yield(toZone(z), nil) {
				return
			}
		}
	}
}

// GetZone returns the secondary zone called name, or an error matching
// [facade.ErrNotFound] ([facade.SecondaryDNS]).
func (c *Client) GetZone(ctx context.Context, name string) (facade.Zone, error) {
	z, err := c.lookup(ctx, "GetZone", name)
	if err != nil {
		return facade.Zone{}, err
	}
	return toZone(z), nil
}

// CreateZone creates a secondary zone transferring from primaries
// ([facade.SecondaryDNS]). IONOS supports neither primary ports other than
// 53 nor TSIG: such requests fail with [facade.ErrInvalidInput] matching
// errors.ErrUnsupported before any request. [facade.WithDescription] sets
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
	_ = c.DeleteSecondaryZone(ctx, z.ID)
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
// [Client.CreateZone] apply.
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
	z, err := core.Label[SecondaryZone](c.core, op)(c.UpdateSecondaryZone(ctx, cur.ID, in))
	if err != nil {
		return facade.Zone{}, err
	}
	return toZone(z), nil
}

// DeleteZone deletes the secondary zone called name ([facade.SecondaryDNS]).
func (c *Client) DeleteZone(ctx context.Context, name string) error {
	const op = "DeleteZone"
	z, err := c.lookup(ctx, op, name)
	if err != nil {
		return err
	}
	return c.core.Wrap(op, c.DeleteSecondaryZone(ctx, z.ID))
}

// Transfer starts a zone transfer (AXFR) of the zone called name
// ([facade.SecondaryDNS]).
func (c *Client) Transfer(ctx context.Context, name string) error {
	const op = "Transfer"
	z, err := c.lookup(ctx, op, name)
	if err != nil {
		return err
	}
	return c.core.Wrap(op, c.StartZoneTransfer(ctx, z.ID))
}

// TransferStatus reports the per-primary transfer status of the zone called
// name ([facade.SecondaryDNS]). IONOS reports neither the time of the last
// transfer nor the serial: LastTransfer and Serial are zero. Status is the
// provider's status in lower case.
func (c *Client) TransferStatus(ctx context.Context, name string) (facade.TransferStatus, error) {
	const op = "TransferStatus"
	z, err := c.lookup(ctx, op, name)
	if err != nil {
		return facade.TransferStatus{}, err
	}
	st, err := core.Label[[]PrimaryTransferStatus](c.core, op)(c.GetZoneTransferStatus(ctx, z.ID))
	if err != nil {
		return facade.TransferStatus{}, err
	}
	ts := facade.TransferStatus{Zone: z.Name, Primaries: make([]facade.PrimaryStatus, 0, len(st))}
	for _, s := range st {
		ts.Primaries = append(ts.Primaries, facade.PrimaryStatus{
			Primary: facade.Primary{Addr: s.IP},
			Status:  strings.ToLower(s.Status),
			Error:   s.Error,
		})
	}
	return ts, nil
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

// toZone converts a SecondaryZone to the neutral type. IONOS primaries
// always use port 53, reported as Port 0 (the default).
func toZone(z SecondaryZone) facade.Zone {
	out := facade.Zone{
		Provider:    facade.ProviderIONOS,
		ID:          z.ID,
		Name:        z.Name,
		State:       strings.ToLower(z.State),
		Nameservers: append([]string(nil), z.Nameservers...),
		Primaries:   make([]facade.Primary, len(z.PrimaryIPs)),
	}
	for i, a := range z.PrimaryIPs {
		out.Primaries[i] = facade.Primary{Addr: a}
	}
	return out
}
