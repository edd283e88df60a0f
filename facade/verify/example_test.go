package verify_test

import (
	"context"
	"fmt"
	"net/netip"
	"os"

	"github.com/secondarydns/secondarydns-go/facade"
	"github.com/secondarydns/secondarydns-go/facade/verify"
	"github.com/secondarydns/secondarydns-go/internal/dnswire"
	primarydns "github.com/secondarydns/secondarydns-go/internal/primary"
)

// exampleServer serves zone with serial on a free loopback port.
func exampleServer(zone string, serial uint32) (*dnswire.Server, netip.AddrPort) {
	s, err := dnswire.Listen(context.Background())
	if err != nil {
		panic(err)
	}
	z, err := dnswire.ParseZone(zone, primarydns.ExampleZone(zone, serial))
	if err != nil {
		panic(err)
	}
	s.SetZone(z)
	return s, netip.MustParseAddrPort(s.Addr())
}

// A primary with serial 2024120102 and a provider whose two nameservers
// serve 2024120102 and 2024120101. In a real program the provider is a
// facade client (ionos.New, dnsimple.New, cloudflare.New) and the names are
// resolved by the system resolver.
func Example() {
	primary, primaryAddr := exampleServer("example.com", 2024120102)
	defer primary.Close()
	ns1, ns1Addr := exampleServer("example.com", 2024120102)
	defer ns1.Close()
	ns2, ns2Addr := exampleServer("example.com", 2024120101)
	defer ns2.Close()

	provider := newMemProvider(facade.ProviderCloudflare)
	provider.add(facade.Zone{Name: "example.com", State: "active", Nameservers: []string{"ada.ns.example", "bob.ns.example"}}, facade.TransferStatus{})

	v, err := verify.New(primaryAddr, []facade.SecondaryDNS{provider},
		verify.WithResolver(verify.StaticResolver{"ada.ns.example": {ns1Addr}, "bob.ns.example": {ns2Addr}}))
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return
	}
	rep, err := v.Verify(context.Background(), []string{"example.com"})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return
	}
	for _, z := range rep.Zones {
		fmt.Printf("%s: primary serial %d\n", z.Zone, z.Primary.Serial)
		for _, p := range z.Providers {
			for _, ns := range p.Nameservers {
				fmt.Printf("  %s %s: %s %d (behind by %d)\n", p.Provider, ns.Name, ns.Status, ns.Serial, ns.Behind)
			}
		}
	}
	fmt.Println("severity:", rep.Severity, "exit code:", rep.ExitCode(false))
	// Output:
	// example.com: primary serial 2024120102
	//   cloudflare ada.ns.example: in-sync 2024120102 (behind by 0)
	//   cloudflare bob.ns.example: behind 2024120101 (behind by 1)
	// severity: behind exit code: 1
}

// Serials compare by RFC 1982 arithmetic: after 4294967295 comes 0.
func ExampleCompareSerial() {
	fmt.Println(verify.CompareSerial(3, 4294967294))
	fmt.Println(verify.CompareSerial(2024120101, 2024120102))
	// Output:
	// newer 5
	// older 1
}
