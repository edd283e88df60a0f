// Package ionos is the IONOS Cloud DNS adapter of the secondarydns-go SDK.
//
// It offers two layers over the generated client in gen/ionosapi:
//
//   - a typed method for every SecondaryZones operation of the IONOS Cloud
//     DNS API (ListSecondaryZones, CreateSecondaryZone, GetSecondaryZone,
//     UpdateSecondaryZone, DeleteSecondaryZone, GetZoneTransferStatus,
//     StartZoneTransfer) plus WaitUntilAvailable, working with this
//     package's own types ([SecondaryZone], [PrimaryTransferStatus]);
//   - the provider-neutral [facade.SecondaryDNS] interface, where a zone is
//     addressed by name and the IONOS zone UUID is looked up for you.
//
// IONOS secondary zones transfer from port 53 only and know no TSIG: a
// [facade.Primary] with another port, or [facade.WithTSIG], is rejected with
// [facade.ErrUnsupported] (and errors.Is(err, errors.ErrUnsupported))
// before any request is sent.
//
// In the neutral model, primaries carry Port 53 and Zone.Readiness reads
// the IONOS state: AVAILABLE ready, PROVISIONING pending, FAILED and
// DESTROYING failed. The client remembers each zone's UUID from ListZones,
// CreateZone and GetZone, so DeleteZone, Transfer and TransferStatus of a
// known zone send one request (a 404 for a remembered UUID falls back to a
// fresh lookup); ListZones pages by [MaxPageSize].
//
// Every error is a *[facade.Error]; classify it with errors.Is and the
// facade sentinels.
//
// # Usage
//
//	c, err := ionos.New(os.Getenv("IONOS_TOKEN"))
//	if err != nil {
//		return err
//	}
//	zone, err := c.CreateZone(ctx, "example.com",
//		[]facade.Primary{{Addr: netip.MustParseAddr("192.0.2.1")}},
//		facade.WithWaitUntilAvailable())
//	if errors.Is(err, facade.ErrConflict) {
//		// the zone already exists
//	}
//	for z, err := range c.ListSecondaryZones(ctx, ionos.ListOptions{State: ionos.StateAvailable}) {
//		if err != nil {
//			return err
//		}
//		fmt.Println(z.Name, z.PrimaryIPs)
//	}
package ionos
