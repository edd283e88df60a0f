package cloudflare

import (
	"context"
	"errors"
	"iter"
	"net/netip"
	"sync"
	"time"

	"github.com/secondarydns/secondarydns-go/facade"
	"github.com/secondarydns/secondarydns-go/facade/internal/core"
	"github.com/secondarydns/secondarydns-go/facade/internal/neutral"
)

// On Cloudflare a secondary zone is three things: a zone of type
// "secondary", account-wide peers (one per primary server, optionally with a
// TSIG key) and the zone's incoming configuration naming the peers. The
// facade.SecondaryDNS methods below manage the three together.

// peerIndex resolves peer IDs to peers.
type peerIndex map[string]Peer

func (c *Client) peerIndex(ctx context.Context, op string) (peerIndex, error) {
	idx := peerIndex{}
	for p, err := range c.peers.List(ctx, op) {
		if err != nil {
			return nil, err
		}
		idx[p.ID] = p
	}
	return idx, nil
}

// lookupSecondary finds the account's zone called name (normalised first)
// and fails with ErrNotFound unless it exists and is of type secondary.
func (c *Client) lookupSecondary(ctx context.Context, op, name string) (Zone, error) {
	return core.FindZone(c.core, op, name, func(n string) iter.Seq2[Zone, error] {
		return c.listZones(ctx, op, ZoneListOptions{Name: n})
	}, func(z Zone, n string) bool { return z.Name == n && z.Type == ZoneTypeSecondary })
}

// lastTransfer is the incoming configuration's checked_time, or its
// modified_time if Cloudflare has not checked the primaries yet.
func lastTransfer(in Incoming) time.Time {
	if !in.CheckedTime.IsZero() {
		return in.CheckedTime
	}
	return in.ModifiedTime
}

// readiness maps Cloudflare zone statuses to the neutral readiness: active
// is ready; initializing and pending are pending; moved and deactivated
// are failed (Cloudflare no longer serves the zone without a change); an
// empty or other status is unknown.
var readiness = map[string]facade.Readiness{
	StatusActive:       facade.ReadinessReady,
	StatusInitializing: facade.ReadinessPending,
	StatusPending:      facade.ReadinessPending,
	StatusMoved:        facade.ReadinessFailed,
	"deactivated":      facade.ReadinessFailed,
}

// toFacadeZone builds the provider-neutral zone from its parts. in may be
// the zero Incoming (no configuration yet); tsigName resolves a TSIG ID to
// its key name.
func toFacadeZone(z Zone, in Incoming, peers peerIndex, tsigName func(id string) string) facade.Zone {
	out := facade.Zone{
		Provider:     facade.ProviderCloudflare,
		ID:           z.ID,
		Name:         z.Name,
		State:        z.Status,
		Nameservers:  append([]string(nil), z.NameServers...),
		Serial:       in.SOASerial,
		LastTransfer: lastTransfer(in),
		Readiness:    neutral.Readiness(z.Status, readiness),
	}
	for _, id := range in.Peers {
		p, ok := peers[id]
		if !ok || !p.IP.IsValid() {
			continue // a deleted peer: nothing to transfer from
		}
		out.Primaries = append(out.Primaries, p.Primary().Effective())
		if out.TSIGKey == "" && p.TSIGID != "" && tsigName != nil {
			out.TSIGKey = tsigName(p.TSIGID)
		}
	}
	return out
}

// ListZones iterates over the account's secondary zones (zones of other
// types are skipped). Zones are listed page by page; for each secondary
// zone its incoming configuration is read (one request per zone), while the
// account's peers, and TSIG keys if any peer uses one, are listed once per
// iteration. A secondary zone without incoming configuration is returned
// without primaries.
func (c *Client) ListZones(ctx context.Context) iter.Seq2[facade.Zone, error] {
	const op = "ListZones"
	return neutral.List(c.listZones(ctx, op, ZoneListOptions{Type: ZoneTypeSecondary}), func() func(Zone) (facade.Zone, bool, error) {
		var (
			peers peerIndex         // listed once per iteration
			tsigs map[string]string // listed once per iteration, if a peer uses a key
		)
		tsigName := func(id string) string { return tsigs[id] }
		return func(z Zone) (facade.Zone, bool, error) {
			in, err := c.getIncoming(ctx, op, z.ID)
			if err != nil && !errors.Is(err, facade.ErrNotFound) {
				return facade.Zone{}, false, err
			}
			if peers == nil {
				if peers, err = c.peerIndex(ctx, op); err != nil {
					return facade.Zone{}, false, err
				}
			}
			if tsigs == nil && usesTSIG(in, peers) {
				if tsigs, err = c.tsigNames(ctx, op); err != nil {
					return facade.Zone{}, false, err
				}
			}
			return toFacadeZone(z, in, peers, tsigName), true, nil
		}
	})
}

func usesTSIG(in Incoming, peers peerIndex) bool {
	for _, id := range in.Peers {
		if peers[id].TSIGID != "" {
			return true
		}
	}
	return false
}

// tsigNames maps the account's TSIG key IDs to their names.
func (c *Client) tsigNames(ctx context.Context, op string) (map[string]string, error) {
	names := map[string]string{}
	for k, err := range c.tsigs.List(ctx, op) {
		if err != nil {
			return nil, err
		}
		names[k.ID] = k.Name
	}
	return names, nil
}

// read looks up the secondary zone called name and reads its incoming
// configuration (the zero Incoming if it has none, unless needIncoming:
// then that is the ErrNotFound error) and the account's peers.
func (c *Client) read(ctx context.Context, op, name string, needIncoming bool) (Zone, Incoming, peerIndex, error) {
	z, err := c.lookupSecondary(ctx, op, name)
	if err != nil {
		return Zone{}, Incoming{}, nil, err
	}
	in, err := c.getIncoming(ctx, op, z.ID)
	if err != nil && (needIncoming || !errors.Is(err, facade.ErrNotFound)) {
		return Zone{}, Incoming{}, nil, err
	}
	peers, err := c.peerIndex(ctx, op)
	return z, in, peers, err
}

// assemble builds the facade zone, reading the TSIG key's name if a peer
// uses one.
func (c *Client) assemble(ctx context.Context, op string, z Zone, in Incoming, peers peerIndex) (facade.Zone, error) {
	var names map[string]string
	if usesTSIG(in, peers) {
		var err error
		if names, err = c.tsigNames(ctx, op); err != nil {
			return facade.Zone{}, err
		}
	}
	return toFacadeZone(z, in, peers, func(id string) string { return names[id] }), nil
}

// GetZone returns the secondary zone called name, with its primaries (from
// the incoming configuration and the account's peers), SOA serial, last
// check time and TSIG key name. A missing zone, or one that is not of type
// secondary, yields [facade.ErrNotFound]. Zone.State is Cloudflare's zone
// status; Zone.Readiness reads it as: active ready, initializing and
// pending pending, moved and deactivated failed, anything else (or none)
// unknown.
func (c *Client) GetZone(ctx context.Context, name string) (facade.Zone, error) {
	const op = "GetZone"
	z, in, peers, err := c.read(ctx, op, name, false)
	if err != nil {
		return facade.Zone{}, err
	}
	return c.assemble(ctx, op, z, in, peers)
}

// prepared is a validated CreateZone/SetPrimaries request.
type prepared struct {
	name      string
	primaries []facade.Primary
	tsig      *TSIGKey
}

func (c *Client) prepare(op, name string, primaries []facade.Primary, tsig *facade.TSIG) (prepared, error) {
	n, err := checkZoneName(name)
	if err != nil {
		return prepared{}, c.invalid(op, err)
	}
	ps, err := c.core.ValidatePrimaries(op, primaries)
	if err != nil {
		return prepared{}, err
	}
	out := prepared{name: n, primaries: ps}
	if tsig != nil {
		if err := tsig.Validate(); err != nil {
			return prepared{}, c.invalid(op, err)
		}
		k := TSIGKey{Name: tsig.Name, Algorithm: tsig.Algorithm, Secret: tsig.Secret}
		if _, err := k.body(); err != nil {
			return prepared{}, c.invalid(op, err)
		}
		out.tsig = &k
	}
	return out, nil
}

// undo collects the clean-up steps of a multi-request operation.
type undo struct {
	first []func(ctx context.Context)
	steps []func(ctx context.Context)
}

func (u *undo) add(f func(ctx context.Context)) { u.steps = append(u.steps, f) }

// addFirst registers a step that runs before all others: deleting the zone
// (which also removes an incoming configuration that may exist even though
// its creation reported a failure) frees its peers for deletion.
func (u *undo) addFirst(f func(ctx context.Context)) { u.first = append(u.first, f) }

// run performs the addFirst steps, then the others in reverse order (peers
// before the TSIG key they use), on a context that survives the caller's
// cancellation, bounded as core.CleanupContext says.
func (u *undo) run(ctx context.Context) {
	ctx, cancel := core.CleanupContext(ctx)
	defer cancel()
	for _, f := range u.first {
		f(ctx)
	}
	for i := len(u.steps) - 1; i >= 0; i-- {
		u.steps[i](ctx)
	}
}

// neutralState is the client's neutral-layer state: the caches of the
// account's peers and TSIG keys (see [neutral.Objects]).
type neutralState struct {
	once  sync.Once
	peers *neutral.Objects[Peer]
	tsigs *neutral.Objects[TSIGKey]
}

// objects returns the client's caches of account objects.
func (c *Client) objects() *neutralState {
	c.ns.once.Do(func() {
		c.ns.peers = neutral.NewObjects(func(p Peer) string { return p.ID }, func(a, b Peer) bool { return a.ID < b.ID })
		c.ns.tsigs = neutral.NewObjects(func(k TSIGKey) string { return k.ID }, func(a, b TSIGKey) bool { return a.ID < b.ID })
	})
	return &c.ns
}

// held collects the account objects a call uses, pinned until release.
type held struct {
	peers  []neutral.Handle[Peer]
	tsigs  []neutral.Handle[TSIGKey]
	cached bool // some came from the cache and may be stale
}

// release unpins the objects of h.
func (c *Client) release(h *held) {
	c.objects().peers.Release(h.peers...)
	c.objects().tsigs.Release(h.tsigs...)
}

// listPeersFor and listTSIGsFor are the caches' listings.
func (c *Client) listPeersFor(op string) neutral.Lister[Peer] {
	return func(ctx context.Context) iter.Seq2[Peer, error] { return c.peers.List(ctx, op) }
}

func (c *Client) listTSIGsFor(op string) neutral.Lister[TSIGKey] {
	return func(ctx context.Context) iter.Seq2[TSIGKey, error] { return c.tsigs.List(ctx, op) }
}

// settle ends the claim on v (id) after its deletion: settled if it was
// deleted, cached again if Cloudflare refused (a peer or key still in use
// is not deleted) or the answer was lost.
func settle[T any](o *neutral.Objects[T], v T, id string, err error) {
	if err != nil {
		o.Unclaim(v)
		return
	}
	o.Settle(id)
}

// hold records hd, with the given id, among the handles hs a call uses
// (cached notes that it came from the cache) and, if the call created it,
// registers its rollback in u: claimed unless another call uses it, then
// deleted with del.
func hold[T any](o *neutral.Objects[T], hs *[]neutral.Handle[T], cached *bool, u *undo, hd neutral.Handle[T], id string, del func(context.Context, string) error) {
	*hs = append(*hs, hd)
	*cached = *cached || hd.Cached
	if hd.Created {
		u.add(func(ctx context.Context) {
			if o.Claim(id, neutral.Pins(o, *hs, id)) {
				settle(o, hd.Obj, id, del(ctx, id))
			}
		})
	}
}

// resolveTSIG returns the ID of an account key with k's name, algorithm
// and secret (from the cache), or creates one (registering its deletion in
// u).
func (c *Client) resolveTSIG(ctx context.Context, op string, k TSIGKey, u *undo, h *held) (string, error) {
	want, _ := k.body()
	same := func(have TSIGKey) bool {
		alg, aerr := normalizeAlgorithm(have.Algorithm)
		return aerr == nil && normalizeTSIGName(have.Name) == want.Name && alg == want.Algo && have.Secret.Reveal() == want.Secret
	}
	tsigs := c.objects().tsigs
	hd, err := tsigs.Ensure(ctx, c.core, op, c.listTSIGsFor(op), same, func(ctx context.Context) (TSIGKey, error) {
		created, err := c.tsigs.Create(ctx, op, k)
		if facade.OutcomeUnknown(err) {
			// The key may exist although its creation reported a failure:
			// delete a matching key the cache does not know.
			u.add(func(ctx context.Context) {
				_ = tsigs.Exclusively(ctx, c.core, op, c.listTSIGsFor(op), func(known map[string]bool) {
					for have, err := range c.tsigs.List(ctx, op) {
						if err == nil && !known[have.ID] && same(have) && tsigs.Claim(have.ID, 0) {
							settle(tsigs, have, have.ID, c.tsigs.Delete(ctx, op, have.ID))
						}
					}
				})
			})
		}
		if err == nil && created.Secret.IsZero() {
			created.Secret = k.Secret // for the cache's comparisons
		}
		return created, err
	})
	if err != nil {
		return "", err
	}
	hold(tsigs, &h.tsigs, &h.cached, u, hd, hd.Obj.ID, func(ctx context.Context, id string) error { return c.tsigs.Delete(ctx, op, id) })
	return hd.Obj.ID, nil
}

// resolvePeers returns one peer ID per primary, reusing account peers with
// the same address, effective port and TSIG key (from the cache), and
// creating the missing ones (registering their deletion in u), with the
// index of the peers used.
func (c *Client) resolvePeers(ctx context.Context, op string, primaries []facade.Primary, tsigID string, u *undo, h *held) ([]string, peerIndex, error) {
	peers := c.objects().peers
	ids := make([]string, 0, len(primaries))
	idx := make(peerIndex, len(primaries))
	for _, p := range primaries {
		hd, err := peers.Ensure(ctx, c.core, op, c.listPeersFor(op), func(peer Peer) bool { return servesPrimary(peer, p, tsigID) },
			func(ctx context.Context) (Peer, error) {
				created, err := c.peers.Create(ctx, op, Peer{Name: peerName(p), IP: p.Addr, Port: p.PortOrDefault(), TSIGID: tsigID})
				if facade.OutcomeUnknown(err) {
					u.add(c.deleteNewPeers(op, p, tsigID))
				}
				return created, err
			})
		if err != nil {
			return nil, nil, err
		}
		hold(peers, &h.peers, &h.cached, u, hd, hd.Obj.ID, func(ctx context.Context, id string) error { return c.peers.Delete(ctx, op, id) })
		idx[hd.Obj.ID] = hd.Obj
		ids = append(ids, hd.Obj.ID)
	}
	return ids, idx, nil
}

// configure resolves the account objects (resolve) and applies the zone's
// incoming configuration naming them (apply). If the provider refuses
// (404, or 400 as for an unknown peer or key) while some object came from
// the cache, the caches may be stale (an object deleted by someone else):
// they are emptied, the objects resolved again from a fresh listing and
// apply tried once more.
func (c *Client) configure(h *held, resolve func() ([]string, peerIndex, error), apply func(ids []string) (Incoming, error)) (Incoming, peerIndex, error) {
	for attempt := 0; ; attempt++ {
		ids, idx, err := resolve()
		var in Incoming
		if err == nil {
			in, err = apply(ids)
		}
		if err == nil {
			return in, idx, nil
		}
		refused := !facade.OutcomeUnknown(err) && (errors.Is(err, facade.ErrNotFound) || errors.Is(err, facade.ErrInvalidInput))
		if attempt > 0 || !h.cached || !refused {
			return Incoming{}, nil, err
		}
		c.objects().peers.Invalidate()
		c.objects().tsigs.Invalidate()
	}
}

// deleteNewPeers returns an undo step for a peer creation whose outcome is
// unknown: it deletes the peers serving p with key tsigID, named as this
// package names peers, that the cache does not know.
func (c *Client) deleteNewPeers(op string, p facade.Primary, tsigID string) func(context.Context) {
	return func(ctx context.Context) {
		_ = c.objects().peers.Exclusively(ctx, c.core, op, c.listPeersFor(op), func(known map[string]bool) {
			now, err := c.peerIndex(ctx, op)
			if err != nil {
				return
			}
			for id, peer := range now {
				if !known[id] && peer.Name == peerName(p) && servesPrimary(peer, p, tsigID) && c.objects().peers.Claim(id, 0) {
					settle(c.objects().peers, peer, id, c.peers.Delete(ctx, op, id))
				}
			}
		})
	}
}

// servesPrimary reports whether peer serves p with TSIG key tsigID.
func servesPrimary(peer Peer, p facade.Primary, tsigID string) bool {
	return netip.AddrPortFrom(peer.IP.Unmap(), peer.Primary().PortOrDefault()) == netip.AddrPortFrom(p.Addr.Unmap(), p.PortOrDefault()) &&
		peer.TSIGID == tsigID
}

// peerName is the name given to peers this package creates.
func peerName(p facade.Primary) string {
	return "secondarydns " + netip.AddrPortFrom(p.Addr, p.PortOrDefault()).String()
}

// CreateZone creates a secondary zone transferring from primaries.
//
// Everything is validated before the first request: the zone name, the
// primaries and, with [facade.WithTSIG], the key (Cloudflare supports
// hmac-md5, hmac-sha1, hmac-sha256 and hmac-sha512). Then CreateZone
//
//  1. creates the zone (type secondary) in the account; an existing zone of
//     that name yields [facade.ErrConflict] before anything else is created;
//  2. with a TSIG key, reuses an account key with the same name, algorithm
//     and secret, or creates one;
//  3. reuses account peers with the same address, port and TSIG key, and
//     creates peers for the other primaries;
//  4. creates the zone's incoming configuration naming the peers, with an
//     auto-refresh of [DefaultAutoRefresh].
//
// If a step fails, what this call created (peers, TSIG key, zone) is
// deleted again, even if ctx is done, and the original error is returned.
//
// The account's peers and TSIG keys are listed once per Client and cached,
// kept up to date by the Client's own creations and deletions, so a
// CreateZone whose peers exist sends two requests (the zone and its
// incoming configuration). If Cloudflare refuses a configuration naming a
// cached peer or key (deleted by someone else since), the caches are
// refreshed and the step retried once. Concurrent calls on one Client run
// in parallel; only creating a missing peer or key is serialised, so that
// calls needing the same new peer create it once, and a call rolling back
// never deletes a peer or key another call of the Client is using. Clients
// in other processes may still race.
//
// With [facade.WithWaitUntilAvailable], CreateZone then polls the zone
// until its status is "active"; a failed wait returns the zone as last
// read with the error (the zone is kept). [facade.WithDescription] is
// ignored: Cloudflare zones have no description.
func (c *Client) CreateZone(ctx context.Context, name string, primaries []facade.Primary, opts ...facade.CreateOption) (facade.Zone, error) {
	const op = "CreateZone"
	o := core.ApplyCreateOptions(opts...)
	req, err := c.prepare(op, name, primaries, o.TSIG)
	if err != nil {
		return facade.Zone{}, err
	}

	fz, err := c.createSecondaryUndone(ctx, op, req)
	if err != nil {
		return facade.Zone{}, err
	}
	if o.WaitAvailable {
		if err := c.waitActive(ctx, op, &fz); err != nil {
			return fz, err
		}
	}
	return fz, nil
}

// createSecondaryUndone runs createSecondary and rolls back on failure.
func (c *Client) createSecondaryUndone(ctx context.Context, op string, req prepared) (facade.Zone, error) {
	var (
		u undo
		h held
	)
	defer c.release(&h) // after the undo: its objects stay pinned meanwhile
	fz, err := c.createSecondary(ctx, op, req, &u, &h)
	if err != nil {
		u.run(ctx)
		return facade.Zone{}, err
	}
	return fz, nil
}

func (c *Client) createSecondary(ctx context.Context, op string, req prepared, u *undo, h *held) (facade.Zone, error) {
	z, err := c.createZone(ctx, op, req.name, ZoneTypeSecondary)
	if err != nil {
		if facade.OutcomeUnknown(err) {
			// The zone may exist although its creation reported a failure
			// (a conflict would have said so): find it and delete it.
			u.addFirst(func(ctx context.Context) {
				if z, err := c.lookupSecondary(ctx, op, req.name); err == nil {
					_ = c.deleteZoneByID(ctx, op, z.ID)
				}
			})
		}
		return facade.Zone{}, err
	}
	u.addFirst(func(ctx context.Context) { _ = c.deleteZoneByID(ctx, op, z.ID) })

	tsigName := ""
	if req.tsig != nil {
		tsigName = normalizeTSIGName(req.tsig.Name)
	}
	in, idx, err := c.configure(h, func() ([]string, peerIndex, error) {
		tsigID := ""
		if req.tsig != nil {
			var err error
			if tsigID, err = c.resolveTSIG(ctx, op, *req.tsig, u, h); err != nil {
				return nil, nil, err
			}
		}
		return c.resolvePeers(ctx, op, req.primaries, tsigID, u, h)
	}, func(ids []string) (Incoming, error) {
		return c.createIncoming(ctx, op, z.ID, IncomingInput{Name: req.name, Peers: ids})
	})
	if err != nil {
		return facade.Zone{}, err
	}
	return toFacadeZone(z, in, idx, func(string) string { return tsigName }), nil
}

// waitActive polls the zone until its status is "active" or ctx ends,
// updating fz's State with every read. A zone whose status is not
// reported counts as active.
func (c *Client) waitActive(ctx context.Context, op string, fz *facade.Zone) error {
	return c.core.Poll(ctx, op, func(ctx context.Context) (bool, error) {
		z, err := c.getZoneByID(ctx, op, fz.ID)
		if err != nil {
			return false, err
		}
		fz.State, fz.Readiness = z.Status, neutral.Readiness(z.Status, readiness)
		return z.Status == "" || z.Status == StatusActive, nil
	})
}

// SetPrimaries replaces the zone's primaries: it reuses or creates peers
// (keeping the TSIG key the zone's current peers use, if any) and updates
// the incoming configuration (creating it if the zone has none). Peers
// created by a call that then fails are deleted again. Peers no longer
// used are kept: peers are account-wide and may serve other zones. The
// zone and its configuration are read fresh; peers come from the cache
// [Client.CreateZone] uses (refreshed if the zone names a peer it does not
// hold).
func (c *Client) SetPrimaries(ctx context.Context, name string, primaries []facade.Primary) (facade.Zone, error) {
	const op = "SetPrimaries"
	req, err := c.prepare(op, name, primaries, nil)
	if err != nil {
		return facade.Zone{}, err
	}
	z, err := c.lookupSecondary(ctx, op, req.name)
	if err != nil {
		return facade.Zone{}, err
	}
	cur, err := c.getIncoming(ctx, op, z.ID)
	exists := err == nil
	if err != nil && !errors.Is(err, facade.ErrNotFound) {
		return facade.Zone{}, err
	}
	tsigID, err := c.tsigOf(ctx, op, cur.Peers)
	if err != nil {
		return facade.Zone{}, err
	}
	var (
		u undo
		h held
	)
	defer c.release(&h)
	updated, idx, err := c.configure(&h, func() ([]string, peerIndex, error) {
		return c.resolvePeers(ctx, op, req.primaries, tsigID, &u, &h)
	}, func(ids []string) (Incoming, error) {
		in := IncomingInput{Name: req.name, Peers: ids, AutoRefresh: cur.AutoRefresh}
		if exists {
			return c.updateIncoming(ctx, op, z.ID, in)
		}
		return c.createIncoming(ctx, op, z.ID, in)
	})
	if err != nil {
		u.run(ctx)
		return facade.Zone{}, err
	}
	return c.assemble(ctx, op, z, updated, idx)
}

// tsigOf returns the TSIG key ID the first of the peers ids using one
// uses, from the peer cache (listed afresh if it lacks one of them).
func (c *Client) tsigOf(ctx context.Context, op string, ids []string) (string, error) {
	if len(ids) == 0 {
		return "", nil
	}
	peers := c.objects().peers
	for attempt := 0; ; attempt++ {
		all, err := peers.Snapshot(ctx, c.core, op, c.listPeersFor(op))
		if err != nil {
			return "", err
		}
		idx := make(peerIndex, len(all))
		for _, p := range all {
			idx[p.ID] = p
		}
		missing := false
		for _, id := range ids {
			p, ok := idx[id]
			if ok && p.TSIGID != "" {
				return p.TSIGID, nil
			}
			missing = missing || !ok
		}
		if !missing || attempt > 0 {
			return "", nil
		}
		peers.Invalidate()
	}
}

// DeleteZone deletes the secondary zone called name with a single DELETE
// /zones/{id}: Cloudflare removes a zone's secondary configuration with the
// zone, so DeleteIncoming is not called first (which would leave a zone
// without configuration behind if the zone deletion then failed). The
// account's peers and TSIG keys are kept, as other zones may use them. A
// missing zone, or one not of type secondary, yields [facade.ErrNotFound].
func (c *Client) DeleteZone(ctx context.Context, name string) error {
	const op = "DeleteZone"
	return c.byName(ctx, op, name, func(ctx context.Context, z Zone) error { return c.deleteZoneByID(ctx, op, z.ID) })
}

// Transfer asks Cloudflare to transfer the zone from its primaries now
// (ForceAXFR). It returns once the request is accepted.
func (c *Client) Transfer(ctx context.Context, name string) error {
	const op = "Transfer"
	return c.byName(ctx, op, name, func(ctx context.Context, z Zone) error { return c.forceAXFR(ctx, op, z.ID) })
}

// byName runs act on the secondary zone called name, looked up afresh (see
// [neutral.ByName]).
func (c *Client) byName(ctx context.Context, op, name string, act func(ctx context.Context, z Zone) error) error {
	return neutral.ByName(ctx, c.core, op, name, nil, func(ctx context.Context, n string) (Zone, error) {
		return c.lookupSecondary(ctx, op, n)
	}, func(ctx context.Context, _ string, z Zone) error { return act(ctx, z) })
}

// TransferStatus reports the zone's SOA serial and last check time (from
// the incoming configuration's soa_serial and checked_time) and its
// primaries (from the peers). Cloudflare reports no per-primary status, so
// PrimaryStatus.Status and Error are empty.
func (c *Client) TransferStatus(ctx context.Context, name string) (facade.TransferStatus, error) {
	z, in, idx, err := c.read(ctx, "TransferStatus", name, true)
	if err != nil {
		return facade.TransferStatus{}, err
	}
	st := facade.TransferStatus{Zone: z.Name, LastTransfer: lastTransfer(in), Serial: in.SOASerial}
	for _, id := range in.Peers {
		if p, ok := idx[id]; ok && p.IP.IsValid() {
			st.Primaries = append(st.Primaries, facade.PrimaryStatus{Primary: p.Primary().Effective()})
		}
	}
	return st, nil
}
