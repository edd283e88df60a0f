// Package dnsimple is the DNSimple adapter of the secondarydns-go SDK.
//
// It offers two layers over the generated client in gen/dnsimpleapi:
//
//   - a typed method for every generated operation: primary servers
//     (ListPrimaryServers, CreatePrimaryServer, GetPrimaryServer,
//     DeletePrimaryServer, LinkPrimaryServer, UnlinkPrimaryServer),
//     secondary zones (CreateSecondaryZone), zones (ListAccountZones,
//     GetAccountZone — named so because ListZones and GetZone belong to the
//     neutral interface) and domains (ListDomains, CreateDomain, GetDomain,
//     DeleteDomain), working with this package's own types;
//   - the provider-neutral [facade.SecondaryDNS] interface. DNSimple models
//     a secondary zone as a zone with secondary set, plus primary servers
//     linked to it: CreateZone reuses primary servers with the same address
//     and port, creates missing ones, creates the zone and links them,
//     rolling back what it created if a step fails. Zones are deleted
//     through the domains API.
//
// DNSimple offers no TSIG for secondary zones and no way to trigger a
// transfer: [facade.WithTSIG] and [Client.Transfer] fail with
// [facade.ErrUnsupported] (also errors.ErrUnsupported), without any
// request.
//
// In the neutral model, Zone.Readiness is ready for an active zone and
// pending otherwise. A Client lists the account's primary servers once and
// caches them for CreateZone (a server deleted behind its back is noticed
// by the link's 404, re-listed and created again); concurrent CreateZones
// on one Client run in parallel, only creating a missing server is
// serialised.
//
// Every error is a *[facade.Error]; classify it with errors.Is and the
// facade sentinels.
//
// # Usage
//
//	c, err := dnsimple.New(os.Getenv("DNSIMPLE_TOKEN"), 1010, dnsimple.WithSandbox())
//	if err != nil {
//		return err
//	}
//	zone, err := c.CreateZone(ctx, "example.com", []facade.Primary{
//		{Addr: netip.MustParseAddr("192.0.2.1")},
//		{Addr: netip.MustParseAddr("2001:db8::1"), Port: 5353},
//	})
//	if errors.Is(err, facade.ErrConflict) {
//		// the zone already exists
//	}
//	for ps, err := range c.ListPrimaryServers(ctx, dnsimple.ListOptions{}) {
//		if err != nil {
//			return err
//		}
//		fmt.Println(ps.Name, ps.IP, ps.Port, ps.LinkedSecondaryZones)
//	}
package dnsimple
