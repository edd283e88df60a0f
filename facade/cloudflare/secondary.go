package cloudflare

import (
	"context"
	"errors"
	"iter"
	"maps"
	"net/netip"
	"time"

	"github.com/secondarydns/secondarydns-go/facade"
	"github.com/secondarydns/secondarydns-go/facade/internal/core"
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
		return core.LabelSeq(c.core, op, c.ListAccountZones(ctx, ZoneListOptions{Name: n}))
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
	}
	for _, id := range in.Peers {
		p, ok := peers[id]
		if !ok || !p.IP.IsValid() {
			continue // a deleted peer: nothing to transfer from
		}
		out.Primaries = append(out.Primaries, p.Primary())
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
	return func(yield func(facade.Zone, error) bool) {
		var (
			peers peerIndex
			tsigs map[string]string
		)
		tsigName := func(id string) string { return tsigs[id] }
		for z, err := range core.LabelSeq(c.core, op, c.ListAccountZones(ctx, ZoneListOptions{Type: ZoneTypeSecondary})) {
			if err != nil {
				yield(facade.Zone{}, err)
				return
			}
			in, err := core.Label[Incoming](c.core, op)(c.GetIncoming(ctx, z.ID))
			if err != nil && !errors.Is(err, facade.ErrNotFound) {
				yield(facade.Zone{}, err)
				return
			}
			if peers == nil {
				if peers, err = c.peerIndex(ctx, op); err != nil {
					yield(facade.Zone{}, err)
					return
				}
			}
			if tsigs == nil && usesTSIG(in, peers) {
				if tsigs, err = c.tsigNames(ctx, op); err != nil {
					yield(facade.Zone{}, err)
					return
				}
			}
			if !yield(toFacadeZone(z, in, peers, tsigName), nil) {
				return
			}
		}
	}
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

// describe reads a zone's incoming configuration, peers and TSIG key name.
func (c *Client) describe(ctx context.Context, op string, z Zone) (facade.Zone, error) {
	in, err := core.Label[Incoming](c.core, op)(c.GetIncoming(ctx, z.ID))
	if err != nil && !errors.Is(err, facade.ErrNotFound) {
		return facade.Zone{}, err
	}
	peers, err := c.peerIndex(ctx, op)
	if err != nil {
		return facade.Zone{}, err
	}
	return c.assemble(ctx, op, z, in, peers)
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
// secondary, yields [facade.ErrNotFound].
func (c *Client) GetZone(ctx context.Context, name string) (facade.Zone, error) {
	const op = "GetZone"
	z, err := c.lookupSecondary(ctx, op, name)
	if err != nil {
		return facade.Zone{}, err
	}
	return c.describe(ctx, op, z)
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

// resolveTSIG returns the ID of an existing key with k's name, algorithm
// and secret, or creates one (registering its deletion in u).
func (c *Client) resolveTSIG(ctx context.Context, op string, k TSIGKey, u *undo) (string, error) {
	want, _ := k.body()
	same := func(have TSIGKey) bool {
		alg, aerr := normalizeAlgorithm(have.Algorithm)
		return aerr == nil && normalizeTSIGName(have.Name) == want.Name && alg == want.Algo && have.Secret.Reveal() == want.Secret
	}
	before := map[string]bool{}
	for have, err := range c.tsigs.List(ctx, op) {
		if err != nil {
			return "", err
		}
		if same(have) {
			return have.ID, nil
		}
		before[have.ID] = true
	}
	created, err := c.tsigs.Create(ctx, op, k)
	if err != nil {
		if facade.OutcomeUnknown(err) {
			// The key may exist although its creation reported a failure.
			u.add(func(ctx context.Context) {
				for have, err := range c.tsigs.List(ctx, op) {
					if err == nil && !before[have.ID] && same(have) {
						_ = c.tsigs.Delete(ctx, op, have.ID)
					}
				}
			})
		}
		return "", err
	}
	u.add(func(ctx context.Context) { _ = c.tsigs.Delete(ctx, op, created.ID) })
	return created.ID, nil
}

// resolvePeers returns one peer ID per primary, reusing account peers with
// the same address, effective port and TSIG key, and creating the missing
// ones (registering their deletion in u). idx is updated with created peers.
func (c *Client) resolvePeers(ctx context.Context, op string, primaries []facade.Primary, tsigID string, idx peerIndex, u *undo) ([]string, error) {
	ids := make([]string, 0, len(primaries))
	for _, p := range primaries {
		id := findPeer(idx, p, tsigID)
		if id == "" {
			created, err := c.peers.Create(ctx, op, Peer{
				Name:   peerName(p),
				IP:     p.Addr,
				Port:   p.PortOrDefault(),
				TSIGID: tsigID,
			})
			if err != nil {
				if facade.OutcomeUnknown(err) {
					u.add(c.deleteNewPeers(op, p, tsigID, maps.Clone(idx)))
				}
				return nil, err
			}
			u.add(func(ctx context.Context) { _ = c.peers.Delete(ctx, op, created.ID) })
			idx[created.ID] = created
			id = created.ID
		}
		ids = append(ids, id)
	}
	return ids, nil
}

// deleteNewPeers returns an undo step for a peer creation whose outcome is
// unknown: it deletes the peers serving p with key tsigID, named as this
// package names peers, that were not in known before the attempt.
func (c *Client) deleteNewPeers(op string, p facade.Primary, tsigID string, known peerIndex) func(context.Context) {
	return func(ctx context.Context) {
		now, err := c.peerIndex(ctx, op)
		if err != nil {
			return
		}
		for id, peer := range now {
			if _, old := known[id]; !old && peer.Name == peerName(p) && findPeer(peerIndex{id: peer}, p, tsigID) == id {
				_ = c.peers.Delete(ctx, op, id)
			}
		}
	}
}

// findPeer returns the ID of the first peer (in ID order, for determinism)
// serving p with TSIG key tsigID, or "".
func findPeer(idx peerIndex, p facade.Primary, tsigID string) string {
	best := ""
	want := netip.AddrPortFrom(p.Addr.Unmap(), p.PortOrDefault())
	for id, peer := range idx {
		if netip.AddrPortFrom(peer.IP.Unmap(), peer.Primary().PortOrDefault()) == want && peer.TSIGID == tsigID {
			if best == "" || id < best {
				best = id
			}
		}
	}
	return best
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
// Calls to CreateZone and SetPrimaries on one Client are serialised so that
// they share peers; clients in other processes may still race.
//
// With [facade.WithWaitUntilAvailable], CreateZone then polls the zone
// until its status is "active" (or ctx ends; the zone is kept).
// [facade.WithDescription] is ignored: Cloudflare zones have no description.
func (c *Client) CreateZone(ctx context.Context, name string, primaries []facade.Primary, opts ...facade.CreateOption) (facade.Zone, error) {
	const op = "CreateZone"
	o := core.ApplyCreateOptions(opts...)
	req, err := c.prepare(op, name, primaries, o.TSIG)
	if err != nil {
		return facade.Zone{}, err
	}

	fz, err := c.createSecondaryLocked(ctx, op, req)
	if err != nil {
		return facade.Zone{}, err
	}
	if o.WaitAvailable {
		if err := c.waitActive(ctx, op, fz.ID); err != nil {
			return facade.Zone{}, err
		}
		fz.State = StatusActive
	}
	return fz, nil
}

// createSecondaryLocked runs createSecondary under provisionMu and rolls
// back on failure.
func (c *Client) createSecondaryLocked(ctx context.Context, op string, req prepared) (facade.Zone, error) {
	if err := c.provision.Lock(ctx, c.core, op); err != nil {
		return facade.Zone{}, err
	}
	defer c.provision.Unlock()
	var u undo
	fz, err := c.createSecondary(ctx, op, req, &u)
	if err != nil {
		u.run(ctx)
		return facade.Zone{}, err
	}
	return fz, nil
}

func (c *Client) createSecondary(ctx context.Context, op string, req prepared, u *undo) (facade.Zone, error) {
	z, err := core.Label[Zone](c.core, op)(c.CreateAccountZone(ctx, req.name, ZoneTypeSecondary))
	if err != nil {
		if facade.OutcomeUnknown(err) {
			// The zone may exist although its creation reported a failure
			// (a conflict would have said so): find it and delete it.
			u.addFirst(func(ctx context.Context) {
				if z, err := c.lookupSecondary(ctx, op, req.name); err == nil {
					_ = c.DeleteZoneByID(ctx, z.ID)
				}
			})
		}
		return facade.Zone{}, err
	}
	u.addFirst(func(ctx context.Context) { _ = c.DeleteZoneByID(ctx, z.ID) })

	tsigID, tsigName := "", ""
	if req.tsig != nil {
		if tsigID, err = c.resolveTSIG(ctx, op, *req.tsig, u); err != nil {
			return facade.Zone{}, err
		}
		tsigName = normalizeTSIGName(req.tsig.Name)
	}
	idx, err := c.peerIndex(ctx, op)
	if err != nil {
		return facade.Zone{}, err
	}
	ids, err := c.resolvePeers(ctx, op, req.primaries, tsigID, idx, u)
	if err != nil {
		return facade.Zone{}, err
	}
	in, err := core.Label[Incoming](c.core, op)(c.CreateIncoming(ctx, z.ID, IncomingInput{Name: req.name, Peers: ids}))
	if err != nil {
		return facade.Zone{}, err
	}
	return toFacadeZone(z, in, idx, func(string) string { return tsigName }), nil
}

// waitActive polls the zone until its status is "active" or ctx ends. A
// zone whose status is not reported counts as active.
func (c *Client) waitActive(ctx context.Context, op, id string) error {
	return c.core.Poll(ctx, op, func(ctx context.Context) (bool, error) {
		z, err := core.Label[Zone](c.core, op)(c.GetZoneByID(ctx, id))
		if err != nil {
			return false, err
		}
		return z.Status == "" || z.Status == StatusActive, nil
	})
}

// SetPrimaries replaces the zone's primaries: it reuses or creates peers
// (keeping the TSIG key the zone's current peers use, if any) and updates
// the incoming configuration (creating it if the zone has none). Peers
// created by a call that then fails are deleted again. Peers no longer
// used are kept: peers are account-wide and may serve other zones.
func (c *Client) SetPrimaries(ctx context.Context, name string, primaries []facade.Primary) (facade.Zone, error) {
	const op = "SetPrimaries"
	req, err := c.prepare(op, name, primaries, nil)
	if err != nil {
		return facade.Zone{}, err
	}
	if err := c.provision.Lock(ctx, c.core, op); err != nil {
		return facade.Zone{}, err
	}
	defer c.provision.Unlock()

	z, err := c.lookupSecondary(ctx, op, req.name)
	if err != nil {
		return facade.Zone{}, err
	}
	cur, err := core.Label[Incoming](c.core, op)(c.GetIncoming(ctx, z.ID))
	exists := err == nil
	if err != nil && !errors.Is(err, facade.ErrNotFound) {
		return facade.Zone{}, err
	}
	idx, err := c.peerIndex(ctx, op)
	if err != nil {
		return facade.Zone{}, err
	}
	tsigID := ""
	for _, id := range cur.Peers {
		if t := idx[id].TSIGID; t != "" {
			tsigID = t
			break
		}
	}
	var u undo
	ids, err := c.resolvePeers(ctx, op, req.primaries, tsigID, idx, &u)
	if err != nil {
		u.run(ctx)
		return facade.Zone{}, err
	}
	in := IncomingInput{Name: req.name, Peers: ids, AutoRefresh: cur.AutoRefresh}
	var updated Incoming
	if exists {
		updated, err = core.Label[Incoming](c.core, op)(c.UpdateIncoming(ctx, z.ID, in))
	} else {
		updated, err = core.Label[Incoming](c.core, op)(c.CreateIncoming(ctx, z.ID, in))
	}
	if err != nil {
		u.run(ctx)
		return facade.Zone{}, err
	}
	return c.assemble(ctx, op, z, updated, idx)
}

// DeleteZone deletes the secondary zone called name with a single DELETE
// /zones/{id}: Cloudflare removes a zone's secondary configuration with the
// zone, so DeleteIncoming is not called first (which would leave a zone
// without configuration behind if the zone deletion then failed). The
// account's peers and TSIG keys are kept, as other zones may use them. A
// missing zone, or one not of type secondary, yields [facade.ErrNotFound].
func (c *Client) DeleteZone(ctx context.Context, name string) error {
	const op = "DeleteZone"
	z, err := c.lookupSecondary(ctx, op, name)
	if err != nil {
		return err
	}
	return c.core.Wrap(op, c.DeleteZoneByID(ctx, z.ID))
}

// Transfer asks Cloudflare to transfer the zone from its primaries now
// (ForceAXFR). It returns once the request is accepted.
func (c *Client) Transfer(ctx context.Context, name string) error {
	const op = "Transfer"
	z, err := c.lookupSecondary(ctx, op, name)
	if err != nil {
		return err
	}
	return c.core.Wrap(op, c.ForceAXFR(ctx, z.ID))
}

// TransferStatus reports the zone's SOA serial and last check time (from
// the incoming configuration's soa_serial and checked_time) and its
// primaries (from the peers). Cloudflare reports no per-primary status, so
// PrimaryStatus.Status and Error are empty.
func (c *Client) TransferStatus(ctx context.Context, name string) (facade.TransferStatus, error) {
	const op = "TransferStatus"
	z, err := c.lookupSecondary(ctx, op, name)
	if err != nil {
		return facade.TransferStatus{}, err
	}
	in, err := core.Label[Incoming](c.core, op)(c.GetIncoming(ctx, z.ID))
	if err != nil {
		return facade.TransferStatus{}, err
	}
	idx, err := c.peerIndex(ctx, op)
	if err != nil {
		return facade.TransferStatus{}, err
	}
	st := facade.TransferStatus{Zone: z.Name, LastTransfer: lastTransfer(in), Serial: in.SOASerial}
	for _, id := range in.Peers {
		if p, ok := idx[id]; ok && p.IP.IsValid() {
			st.Primaries = append(st.Primaries, facade.PrimaryStatus{Primary: p.Primary()})
		}
	}
	return st, nil
}
