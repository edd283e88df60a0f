package dnswire_test

import (
	"context"
	"errors"
	"fmt"

	"github.com/secondarydns/secondarydns-go/internal/dnswire"
)

// A server on a free loopback port serves a zone; a client asks for its SOA,
// transfers it, and sees REFUSED for a zone the server does not have.
func Example() {
	ctx := context.Background()
	srv, err := dnswire.Listen(ctx)
	if err != nil {
		fmt.Println(err)
		return
	}
	defer srv.Close()
	zone, err := dnswire.ParseZone("example.com", `
@	300	SOA	ns1 hostmaster 2026120101 3600 600 86400 300
@	300	NS	ns1
ns1	300	A	192.0.2.53
`)
	if err != nil {
		fmt.Println(err)
		return
	}
	srv.SetZone(zone)

	soa, err := dnswire.QuerySOA(ctx, srv.Addr(), "example.com")
	fmt.Println(soa.Serial, soa.Authoritative, err)

	got, err := dnswire.Transfer(ctx, srv.Addr(), "example.com")
	fmt.Println(got.Len(), got.Records()[2], err)

	_, err = dnswire.QuerySOA(ctx, srv.Addr(), "example.org")
	fmt.Println(errors.Is(err, dnswire.ErrRefused))
	// Output:
	// 2026120101 true <nil>
	// 3 ns1.example.com.	300	IN	A	192.0.2.53 <nil>
	// true
}
