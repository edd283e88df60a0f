package fakes

import "net/netip"

// WithPrivatePrimaries makes the fake accept loopback, private-range and
// shared-address-space primaries (127.0.0.0/8, ::1, 10.0.0.0/8,
// 172.16.0.0/12, 192.168.0.0/16, fc00::/7, 100.64.0.0/10), which every fake
// refuses by default, as the strictest real provider does: for a test whose
// primary really runs on the loopback interface. Unspecified, multicast,
// broadcast, reserved and link-local primaries stay refused.
func WithPrivatePrimaries() Option { return func(c *config) { c.privatePrimaries = true } }

// Ranges the fakes refuse as primaries: never (unspecified, multicast,
// reserved, link-local) or unless WithPrivatePrimaries (loopback, private,
// shared). Written independently of the facade's own rule, so that the
// conformance suite compares two implementations.
var (
	fakeNever = []netip.Prefix{
		netip.MustParsePrefix("0.0.0.0/8"),
		netip.MustParsePrefix("224.0.0.0/3"), // multicast 224/4 and reserved 240/4, broadcast included
		netip.MustParsePrefix("169.254.0.0/16"),
		netip.MustParsePrefix("::/128"),
		netip.MustParsePrefix("ff00::/8"),
		netip.MustParsePrefix("fe80::/10"),
	}
	fakePrivate = []netip.Prefix{
		netip.MustParsePrefix("127.0.0.0/8"),
		netip.MustParsePrefix("10.0.0.0/8"),
		netip.MustParsePrefix("172.16.0.0/12"),
		netip.MustParsePrefix("192.168.0.0/16"),
		netip.MustParsePrefix("100.64.0.0/10"),
		netip.MustParsePrefix("::1/128"),
		netip.MustParsePrefix("fc00::/7"),
	}
)

// refusedPrimary returns why the fake refuses ip as a primary, or "".
func (c *config) refusedPrimary(ip string) string {
	a, err := netip.ParseAddr(ip)
	if err != nil || a.Zone() != "" {
		return "is not a valid IP address"
	}
	a = a.Unmap()
	for _, p := range fakeNever {
		if p.Contains(a) {
			return "is not a public unicast address"
		}
	}
	if !c.privatePrimaries {
		for _, p := range fakePrivate {
			if p.Contains(a) {
				return "is not a public address"
			}
		}
	}
	return ""
}
