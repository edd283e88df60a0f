// Package cloudflare is the Cloudflare adapter of the secondarydns-go
// facade: a typed client for Cloudflare's secondary DNS API (zones,
// incoming zone transfer configuration, forced AXFR, peers, TSIG keys and
// ACLs) that also implements [facade.SecondaryDNS].
//
// On Cloudflare a secondary zone is a zone of type "secondary", plus
// account-wide peers (one per primary name server, optionally bound to a
// TSIG key), plus the zone's incoming configuration naming those peers.
// [Client.CreateZone] creates all of it, reusing peers and TSIG keys the
// account already has, and rolls back what it created if a step fails. A
// Client lists the account's peers and TSIG keys once and caches them (a
// configuration refused for a peer or key deleted behind its back re-lists
// and retries once), so creating a zone whose peers exist sends two
// requests; concurrent CreateZones on one Client run in parallel. In the
// neutral model, Zone.Readiness reads the zone status: active ready,
// initializing and pending pending, moved and deactivated failed.
//
// Usage:
//
//	c, err := cloudflare.New(token, accountID)
//	if err != nil {
//		return err
//	}
//	z, err := c.CreateZone(ctx, "example.com", []facade.Primary{
//		{Addr: netip.MustParseAddr("192.0.2.1")},
//		{Addr: netip.MustParseAddr("2001:db8::1"), Port: 5353},
//	})
//	if errors.Is(err, facade.ErrConflict) {
//		// the zone exists already
//	}
//
// The typed methods use Cloudflare's identifiers and types (netip.Addr,
// uint16 ports, time.Time, [facade.Secret] for TSIG secrets). Because
// [facade.SecondaryDNS] already defines ListZones, GetZone, CreateZone and
// DeleteZone by zone name, the typed zone operations are called
// [Client.ListAccountZones], [Client.CreateAccountZone],
// [Client.GetZoneByID] and [Client.DeleteZoneByID].
//
// All inputs are validated before any request is sent; every error is a
// [*facade.Error] whose Operation is the method name.
package cloudflare
