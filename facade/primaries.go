package facade

import (
	"fmt"
	"net/netip"

	"github.com/secondarydns/secondarydns-go/facade/internal/config"
)

// Address ranges no hosted secondary DNS service can transfer from, beyond
// what the netip.Addr predicates name. Documentation ranges (192.0.2.0/24,
// 198.51.100.0/24, 203.0.113.0/24, 2001:db8::/32) are deliberately absent:
// the providers accept them, and examples and tests use them as stand-ins
// for public addresses.
var (
	// thisNetwork is 0.0.0.0/8 ("this host on this network", RFC 1122).
	thisNetwork = netip.MustParsePrefix("0.0.0.0/8")
	// reservedV4 is 240.0.0.0/4 (reserved, RFC 1112), which holds the
	// limited broadcast address 255.255.255.255.
	reservedV4 = netip.MustParsePrefix("240.0.0.0/4")
	// sharedV4 is 100.64.0.0/10, carrier-grade NAT space (RFC 6598), used by
	// VPN overlays: private in practice.
	sharedV4 = netip.MustParsePrefix("100.64.0.0/10")
)

// CheckPrimaryAddr reports whether a hosted secondary DNS service can
// transfer a zone from a primary at a, the rule the adapters apply to every
// primary before any request:
//
//   - never allowed: the unspecified addresses, 0.0.0.0/8, multicast,
//     240.0.0.0/4 (which holds the broadcast address 255.255.255.255),
//     link-local unicast (169.254.0.0/16, fe80::/10) and IPv6 zones;
//   - allowed only when allowPrivate is true (see [WithPrivatePrimaries]):
//     loopback (127.0.0.0/8, ::1), private ranges (10.0.0.0/8,
//     172.16.0.0/12, 192.168.0.0/16, fc00::/7) and shared address space
//     (100.64.0.0/10, used by carrier-grade NAT and VPN overlays);
//   - allowed otherwise, documentation ranges (192.0.2.0/24,
//     198.51.100.0/24, 203.0.113.0/24, 2001:db8::/32) included.
//
// IPv4-mapped IPv6 addresses are judged as their IPv4 address. The error is
// an [*Error] of kind [ErrInvalidInput] naming the address and the reason.
func CheckPrimaryAddr(a netip.Addr, allowPrivate bool) error {
	if !a.IsValid() {
		return invalidf("IP address: missing")
	}
	if a.Zone() != "" {
		return invalidf(fmt.Sprintf("IP address %q: zones are not allowed", a))
	}
	a = a.Unmap()
	never := ""
	switch {
	case a.IsUnspecified():
		never = "unspecified address"
	case a.Is4() && thisNetwork.Contains(a):
		never = "address in 0.0.0.0/8 (this network)"
	case a.IsMulticast():
		never = "multicast address"
	case a.Is4() && reservedV4.Contains(a):
		never = "reserved or broadcast address"
	case a.IsLinkLocalUnicast():
		never = "link-local address"
	}
	if never != "" {
		return invalidf(fmt.Sprintf("primary %s: %s: no secondary DNS service can transfer from it", a, never))
	}
	if allowPrivate {
		return nil
	}
	private := ""
	switch {
	case a.IsLoopback():
		private = "loopback address"
	case a.IsPrivate():
		private = "private address"
	case a.Is4() && sharedV4.Contains(a):
		private = "shared (carrier-grade NAT) address"
	}
	if private != "" {
		return invalidf(fmt.Sprintf("primary %s: %s: a hosted secondary DNS service cannot reach it (use facade.WithPrivatePrimaries for a primary reachable over a private network)", a, private))
	}
	return nil
}

// WithPrivatePrimaries lets the client accept loopback, private-range and
// shared-address-space primaries (127.0.0.0/8, ::1, 10.0.0.0/8,
// 172.16.0.0/12, 192.168.0.0/16, fc00::/7, 100.64.0.0/10), which
// [CheckPrimaryAddr] refuses by default: for local testing against a fake
// or an emulator, and for private deployments whose provider reaches the
// primary over a VPN. Unspecified, multicast, broadcast, reserved and
// link-local addresses stay refused.
func WithPrivatePrimaries() Option {
	return func(c *config.Config) error {
		c.PrivatePrimaries = true
		return nil
	}
}
