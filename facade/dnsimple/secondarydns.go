package dnsimple

import (
	"context"
	"iter"
	"net/netip"
	"slices"
	"strconv"
	"sync"

	"github.com/secondarydns/secondarydns-go/facade"
	"github.com/secondarydns/secondarydns-go/facade/internal/core"
	"github.com/secondarydns/secondarydns-go/facade/internal/neutral"
)

// This file implements facade.SecondaryDNS. DNSimple models a secondary
// zone as a zone with secondary = true; its primaries are the primary
// servers whose linked_secondary_zones contain the zone's name.

// PrimaryServerNamePrefix starts the name of every primary server
// [Client.CreateZone] and [Client.SetPrimaries] create, followed by the
// server's address and port, e.g. "secondarydns 192.0.2.1:53".
const PrimaryServerNamePrefix = "secondarydns "

// serverKey identifies a primary server by address and effective port.
type serverKey struct {
	addr netip.Addr
	port uint16
}

func keyOf(p facade.Primary) serverKey { return serverKey{p.Addr.Unmap(), p.PortOrDefault()} }

func (s PrimaryServer) key() serverKey { return serverKey{s.IP, s.Port} }

func (s PrimaryServer) primary() facade.Primary { return facade.Primary{Addr: s.IP, Port: s.Port} }

func (s PrimaryServer) linkedTo(zone string) bool {
	return slices.Contains(s.LinkedSecondaryZones, zone)
}

// ListZones iterates over the account's secondary zones with their
// primaries ([facade.SecondaryDNS]); primary zones are skipped. The primary
// servers are listed once, before the first zone is yielded.
func (c *Client) ListZones(ctx context.Context) iter.Seq2[facade.Zone, error] {
	const op = "ListZones"
	return neutral.List(c.listZones(ctx, op, ZoneListOptions{PerPage: MaxPerPage}), func() func(Zone) (facade.Zone, bool, error) {
		var (
			servers []PrimaryServer // listed once per iteration, before the first zone is yielded
			loaded  bool
		)
		return func(z Zone) (facade.Zone, bool, error) {
			if !z.Secondary {
				return facade.Zone{}, false, nil
			}
			if !loaded {
				var err error
				if servers, err = c.serversWhere(ctx, op, nil); err != nil {
					return facade.Zone{}, false, err
				}
				loaded = true
			}
			return toZone(z, linkedServers(servers, z.Name)), true, nil
		}
	})
}

// GetZone returns the secondary zone called name with its primaries
// ([facade.SecondaryDNS]). A primary zone of that name counts as absent
// ([facade.ErrNotFound]). DNSimple reports only whether a zone is active:
// Zone.State is "active" (Readiness ready) or empty (Readiness pending, the
// zone is not served yet).
func (c *Client) GetZone(ctx context.Context, name string) (facade.Zone, error) {
	z, servers, err := c.withServers(ctx, "GetZone", name)
	if err != nil {
		return facade.Zone{}, err
	}
	return toZone(z, servers), nil
}

// withServers reads the secondary zone called name and the primary
// servers linked to it.
func (c *Client) withServers(ctx context.Context, op, name string) (Zone, []PrimaryServer, error) {
	z, err := c.secondaryZone(ctx, op, name)
	if err != nil {
		return Zone{}, nil, err
	}
	servers, err := c.serversLinkedTo(ctx, op, z.Name)
	return z, servers, err
}

// CreateZone creates a secondary zone transferring from primaries
// ([facade.SecondaryDNS]): it reuses the account's primary servers with the
// same address and port, creates missing ones (named
// [PrimaryServerNamePrefix] + "address:port"), creates the secondary zone
// and links every server to it. If a step fails, what this call created is
// rolled back on a best-effort basis (links removed, created servers
// deleted, the zone deleted) and the original error is returned. An
// existing zone fails with [facade.ErrConflict]. [facade.WithTSIG] fails
// with [facade.ErrUnsupported] (also errors.ErrUnsupported) before any
// request. With WithWaitUntilAvailable, a zone not yet active is polled
// until it is (a failed wait returns the zone as last read with the
// error). WithDescription has no effect (DNSimple zones have no
// description; Capabilities().Description is false).
//
// The account's primary servers are listed once per Client and cached (see
// [Client.SetPrimaries]), so a CreateZone whose servers exist sends the
// zone creation and one link per primary. Concurrent calls on one Client
// run in parallel; only the creation of a missing server is serialised, so
// that two calls needing the same new server create it once.
func (c *Client) CreateZone(ctx context.Context, name string, primaries []facade.Primary, opts ...facade.CreateOption) (facade.Zone, error) {
	const op = "CreateZone"
	o := core.ApplyCreateOptions(opts...)
	if o.TSIG != nil {
		return facade.Zone{}, c.core.Unsupported(op, "TSIG: DNSimple secondary zones do not support TSIG")
	}
	n, ps, err := c.validate(op, name, primaries)
	if err != nil {
		return facade.Zone{}, err
	}
	rb := &rollback{c: c, op: op, zone: n, wanted: keysOf(ps)}
	defer rb.release()
	use := make([]PrimaryServer, 0, len(ps))
	hs := make([]neutral.Handle[PrimaryServer], 0, len(ps))
	for _, p := range ps {
		h, err := c.ensureServer(ctx, op, p, rb)
		if err != nil {
			return facade.Zone{}, rb.run(ctx, err)
		}
		hs = append(hs, h)
		use = append(use, h.Obj)
	}
	z, err := c.createSecondaryZone(ctx, op, n)
	if err != nil {
		rb.zoneUnknown = facade.OutcomeUnknown(err)
		return facade.Zone{}, rb.run(ctx, err)
	}
	rb.zoneCreated = true
	for i, p := range ps {
		ls, err := c.linkServer(ctx, op, p, &hs[i], n, rb)
		if err != nil {
			return facade.Zone{}, rb.run(ctx, err)
		}
		use[i] = ls
	}
	out := toZone(z, use)
	if o.WaitAvailable && out.Readiness != facade.ReadinessReady {
		// Not active yet: poll until DNSimple reports it active. A failed
		// wait keeps the zone and returns it as last read.
		err := c.core.Poll(ctx, op, func(ctx context.Context) (bool, error) {
			got, err := c.secondaryZone(ctx, op, n)
			if err != nil {
				return false, err
			}
			z = got
			return z.Active, nil
		})
		return toZone(z, use), err
	}
	return out, nil
}

// neutralState is the client's neutral-layer state: the cache of the
// account's primary servers.
type neutralState struct {
	once    sync.Once
	servers *neutral.Objects[PrimaryServer]
}

// servers returns the client's primary-server cache. Cached servers carry
// no linked zones (links change with every zone; they are read fresh).
func (c *Client) servers() *neutral.Objects[PrimaryServer] {
	c.ns.once.Do(func() {
		c.ns.servers = neutral.NewObjects(
			func(s PrimaryServer) string { return strconv.FormatInt(s.ID, 10) },
			func(a, b PrimaryServer) bool { return a.ID < b.ID })
	})
	return c.ns.servers
}

// listServers lists the account's primary servers for the cache.
func (c *Client) listServers(op string) neutral.Lister[PrimaryServer] {
	return func(ctx context.Context) iter.Seq2[PrimaryServer, error] {
		return func(yield func(PrimaryServer, error) bool) {
			for s, err := range c.listPrimaryServers(ctx, op, ListOptions{PerPage: MaxPerPage}) {
				s.LinkedSecondaryZones = nil
				if !yield(s, err) {
					return
				}
			}
		}
	}
}

// ensureServer returns a primary server for p from the cache, creating it
// if the account has none; rb records what it created (or may have).
func (c *Client) ensureServer(ctx context.Context, op string, p facade.Primary, rb *rollback) (neutral.Handle[PrimaryServer], error) {
	k := keyOf(p)
	h, err := c.servers().Ensure(ctx, c.core, op, c.listServers(op), func(s PrimaryServer) bool { return s.key() == k },
		func(ctx context.Context) (PrimaryServer, error) {
			s, err := c.createServerFor(ctx, op, p)
			rb.serversUnknown = rb.serversUnknown || facade.OutcomeUnknown(err)
			s.LinkedSecondaryZones = nil
			return s, err
		})
	if err == nil {
		rb.handles = append(rb.handles, h)
	}
	return h, err
}

// linkServer links a server for p to zone: h if not nil, else one
// [Client.ensureServer] returns. If the server came from the cache and the
// API no longer knows it (deleted since it was cached), the cache is
// refreshed and the link tried once more with a server for p found or
// created then.
func (c *Client) linkServer(ctx context.Context, op string, p facade.Primary, h *neutral.Handle[PrimaryServer], zone string, rb *rollback) (PrimaryServer, error) {
	for attempt := 0; ; attempt++ {
		if h == nil {
			nh, err := c.ensureServer(ctx, op, p, rb)
			if err != nil {
				return PrimaryServer{}, err
			}
			h = &nh
		}
		rb.linked = append(rb.linked, h.Obj.ID) // before the call: its outcome may be unknown
		ls, err := c.link(ctx, op, h.Obj.ID, zone, true)
		if err == nil || attempt > 0 || !h.Cached || !neutral.Stale(err) {
			return ls, err
		}
		c.servers().Invalidate()
		h = nil
	}
}

// rollback undoes, on a best-effort basis, what a failed CreateZone or
// SetPrimaries created. Requests whose outcome is unknown (a transport
// error, a 5xx, an unusable response) are treated as possibly successful.
type rollback struct {
	c    *Client
	op   string
	zone string

	wanted         map[serverKey]bool              // the primaries' address and port
	handles        []neutral.Handle[PrimaryServer] // servers used (pinned), some created
	serversUnknown bool                            // a server creation may have succeeded
	zoneCreated    bool
	zoneUnknown    bool    // the zone creation may have succeeded
	linked         []int64 // servers a link was attempted for
}

// release unpins the servers the call used.
func (rb *rollback) release() { rb.c.servers().Release(rb.handles...) }

// run rolls back and returns cause. It runs on a context detached from
// ctx's cancellation, bounded as core.CleanupContext says.
func (rb *rollback) run(ctx context.Context, cause error) error {
	ctx, cancel := core.CleanupContext(ctx)
	defer cancel()
	c, op := rb.c, rb.op
	if rb.zone != "" {
		for _, id := range rb.linked {
			_, _ = c.link(ctx, op, id, rb.zone, false)
		}
	}
	rb.deleteServers(ctx)
	if rb.zoneUnknown {
		z, err := c.getZone(ctx, op, rb.zone)
		rb.zoneCreated = err == nil && z.Secondary
	}
	if rb.zoneCreated {
		_ = c.deleteDomain(ctx, op, rb.zone)
	}
	return cause
}

// deleteServers deletes the primary servers this call created. Servers
// are account objects that other callers may have started using since: a
// server another call of this Client holds is kept, and only a server that
// no zone links to is deleted. Those this call created, and, if a
// creation's outcome is unknown, those the cache does not know that are
// named as createServerFor names them.
func (rb *rollback) deleteServers(ctx context.Context) {
	c, op := rb.c, rb.op
	created := map[int64]neutral.Handle[PrimaryServer]{}
	for _, h := range rb.handles {
		if h.Created {
			created[h.Obj.ID] = h
		}
	}
	if len(created) == 0 && !rb.serversUnknown {
		return
	}
	if !rb.serversUnknown {
		rb.deleteServersIn(ctx, created, nil)
		return
	}
	_ = c.servers().Exclusively(ctx, c.core, op, c.listServers(op), func(known map[string]bool) {
		rb.deleteServersIn(ctx, created, known)
	})
}

// deleteServersIn deletes the servers of deleteServers: those created
// (unless shared) and, if known is not nil, those named as ours that it
// does not hold. Each is claimed first (no call of this Client can pick it
// up any more) and read again: a server that a zone links to by then (a
// call that used it finished meanwhile) is kept.
func (rb *rollback) deleteServersIn(ctx context.Context, created map[int64]neutral.Handle[PrimaryServer], known map[string]bool) {
	c, op := rb.c, rb.op
	servers, err := c.serversWhere(ctx, op, func(s PrimaryServer) bool { return rb.wanted[s.key()] })
	if err != nil {
		return
	}
	cache := c.servers()
	for _, s := range servers {
		id := strconv.FormatInt(s.ID, 10)
		_, ours := created[s.ID]
		unknown := !ours && known != nil && !known[id] && s.Name == serverName(s.key())
		if (!ours && !unknown) || len(s.LinkedSecondaryZones) != 0 || !cache.Claim(id, neutral.Pins(cache, rb.handles, id)) {
			continue
		}
		now, err := c.GetPrimaryServer(ctx, s.ID)
		if err != nil || len(now.LinkedSecondaryZones) != 0 {
			s.LinkedSecondaryZones = nil
			cache.Unclaim(s)
			continue
		}
		if err := c.deletePrimaryServer(ctx, op, s.ID); err != nil {
			s.LinkedSecondaryZones = nil
			cache.Unclaim(s)
			continue
		}
		cache.Settle(id)
	}
}

// SetPrimaries replaces the zone's primaries ([facade.SecondaryDNS]): it
// links the wanted servers (reusing or creating primary servers as
// [Client.CreateZone] does) before unlinking the others, so that the zone
// never loses all primaries. It is not atomic: on failure some links may
// already have changed (a server created by the failing call is deleted
// again). Unlinked servers are kept. The zone and the servers linked to it
// are read fresh; a server for a new primary comes from the cache
// [Client.CreateZone] uses.
func (c *Client) SetPrimaries(ctx context.Context, name string, primaries []facade.Primary) (facade.Zone, error) {
	const op = "SetPrimaries"
	n, ps, err := c.validate(op, name, primaries)
	if err != nil {
		return facade.Zone{}, err
	}
	z, err := c.secondaryZone(ctx, op, n)
	if err != nil {
		return facade.Zone{}, err
	}
	wanted := keysOf(ps)
	servers, err := c.serversWhere(ctx, op, func(s PrimaryServer) bool { return wanted[s.key()] || s.linkedTo(n) })
	if err != nil {
		return facade.Zone{}, err
	}
	rb := &rollback{c: c, op: op, wanted: wanted}
	defer rb.release()
	index := indexServers(servers, n)
	use := make([]PrimaryServer, 0, len(ps))
	for _, p := range ps {
		s, ok := index[keyOf(p)]
		if ok {
			// Pinned, so that no rollback of this Client deletes it now.
			var h neutral.Handle[PrimaryServer]
			if h, ok = c.servers().Pin(s); ok {
				rb.handles = append(rb.handles, h)
			}
		}
		switch {
		case ok && s.linkedTo(n):
		case ok:
			s, err = c.link(ctx, op, s.ID, n, true)
		default:
			s, err = c.linkServer(ctx, op, p, nil, n, rb)
		}
		if err != nil {
			return facade.Zone{}, rb.run(ctx, err)
		}
		use = append(use, s)
	}
	for _, s := range servers {
		if s.linkedTo(n) && !wanted[s.key()] {
			if _, err := c.link(ctx, op, s.ID, n, false); err != nil {
				return facade.Zone{}, err
			}
		}
	}
	return toZone(z, use), nil
}

// DeleteZone deletes the secondary zone called name through the domains
// API ([facade.SecondaryDNS]). It first checks that the zone is a
// secondary zone, so that a primary zone (a hosted or registered domain) of
// that name is never deleted: that fails with [facade.ErrNotFound].
func (c *Client) DeleteZone(ctx context.Context, name string) error {
	const op = "DeleteZone"
	return neutral.ByName(ctx, c.core, op, name, nil, func(ctx context.Context, n string) (Zone, error) {
		return c.secondaryZone(ctx, op, n)
	}, func(ctx context.Context, _ string, z Zone) error {
		return c.deleteDomain(ctx, op, z.Name)
	})
}

// Transfer always fails: DNSimple exposes no API to trigger a zone
// transfer (it transfers on NOTIFY and on the zone's refresh schedule;
// Capabilities().Transfer is false). The error is a *[facade.Error] of kind
// [facade.ErrUnsupported], also matching errors.ErrUnsupported; no request
// is sent. An invalid name is [facade.ErrInvalidInput] first.
func (c *Client) Transfer(ctx context.Context, name string) error {
	const op = "Transfer"
	if _, err := facade.NormalizeZoneName(name); err != nil {
		return c.core.Invalid(op, err)
	}
	return c.core.Unsupported(op, "DNSimple has no API to trigger a zone transfer")
}

// TransferStatus reports when the zone was last transferred
// (last_transferred_at) and lists its primaries ([facade.SecondaryDNS]).
// DNSimple reports neither per-primary status nor the serial: Status,
// Error and Serial are empty.
func (c *Client) TransferStatus(ctx context.Context, name string) (facade.TransferStatus, error) {
	z, servers, err := c.withServers(ctx, "TransferStatus", name)
	if err != nil {
		return facade.TransferStatus{}, err
	}
	ts := facade.TransferStatus{Zone: z.Name, LastTransfer: z.LastTransferredAt}
	for _, s := range servers {
		ts.Primaries = append(ts.Primaries, facade.PrimaryStatus{Primary: s.primary().Effective()})
	}
	return ts, nil
}

// validate normalises the zone name and validates the primaries.
func (c *Client) validate(op, name string, primaries []facade.Primary) (string, []facade.Primary, error) {
	n, err := facade.NormalizeZoneName(name)
	if err != nil {
		return "", nil, c.core.Invalid(op, err)
	}
	ps, err := c.core.ValidatePrimaries(op, primaries)
	if err != nil {
		return "", nil, err
	}
	return n, ps, nil
}

// secondaryZone returns the zone called name if it is a secondary zone.
func (c *Client) secondaryZone(ctx context.Context, op, name string) (Zone, error) {
	z, err := c.getZone(ctx, op, name)
	if err != nil {
		return Zone{}, err
	}
	if !z.Secondary {
		return Zone{}, c.core.Errorf(op, facade.ErrNotFound, "%s is not a secondary zone", z.Name)
	}
	return z, nil
}

// serversWhere lists the account's primary servers and keeps those keep
// accepts (all if keep is nil): memory holds one page plus what is kept.
func (c *Client) serversWhere(ctx context.Context, op string, keep func(PrimaryServer) bool) ([]PrimaryServer, error) {
	var out []PrimaryServer
	for s, err := range c.listPrimaryServers(ctx, op, ListOptions{PerPage: MaxPerPage}) {
		if err != nil {
			return nil, err
		}
		if keep == nil || keep(s) {
			out = append(out, s)
		}
	}
	return out, nil
}

// serversLinkedTo lists the primary servers linked to zone.
func (c *Client) serversLinkedTo(ctx context.Context, op, zone string) ([]PrimaryServer, error) {
	return c.serversWhere(ctx, op, func(s PrimaryServer) bool { return s.linkedTo(zone) })
}

// keysOf returns the set of the primaries' address and effective port.
func keysOf(ps []facade.Primary) map[serverKey]bool {
	out := make(map[serverKey]bool, len(ps))
	for _, p := range ps {
		out[keyOf(p)] = true
	}
	return out
}

func (c *Client) createServerFor(ctx context.Context, op string, p facade.Primary) (PrimaryServer, error) {
	k := keyOf(p)
	return c.createPrimaryServer(ctx, op, PrimaryServerInput{Name: serverName(k), IP: k.addr, Port: k.port})
}

// serverName is the name createServerFor gives a server.
func serverName(k serverKey) string {
	return PrimaryServerNamePrefix + netip.AddrPortFrom(k.addr, k.port).String()
}

// indexServers maps address and port to a server, preferring one linked
// to zone (if zone is not empty), then the lowest ID.
func indexServers(servers []PrimaryServer, zone string) map[serverKey]PrimaryServer {
	index := make(map[serverKey]PrimaryServer, len(servers))
	for _, s := range servers {
		cur, ok := index[s.key()]
		switch {
		case !ok:
		case zone != "" && s.linkedTo(zone) && !cur.linkedTo(zone):
		case (zone == "" || s.linkedTo(zone) == cur.linkedTo(zone)) && s.ID < cur.ID:
		default:
			continue
		}
		index[s.key()] = s
	}
	return index
}

// linkedServers returns the servers linked to zone.
func linkedServers(servers []PrimaryServer, zone string) []PrimaryServer {
	var out []PrimaryServer
	for _, s := range servers {
		if s.linkedTo(zone) {
			out = append(out, s)
		}
	}
	return out
}

func toZone(z Zone, servers []PrimaryServer) facade.Zone {
	out := facade.Zone{
		Provider:     facade.ProviderDNSimple,
		ID:           strconv.FormatInt(z.ID, 10),
		Name:         z.Name,
		LastTransfer: z.LastTransferredAt,
		Primaries:    make([]facade.Primary, 0, len(servers)),
	}
	out.Readiness = facade.ReadinessPending
	if z.Active {
		out.State, out.Readiness = "active", facade.ReadinessReady
	}
	for _, s := range servers {
		out.Primaries = append(out.Primaries, s.primary().Effective())
	}
	return out
}
