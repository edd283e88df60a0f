package fakes_test

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/netip"

	"github.com/secondarydns/secondarydns-go/facade"
	"github.com/secondarydns/secondarydns-go/facade/ionos"
	"github.com/secondarydns/secondarydns-go/test/fakes"
)

// A program (no *testing.T needed) runs a fake like this: start it, point the
// facade client at its URL with its token, use it, and close it. The same
// works for NewDNSimple and NewCloudflare, whose clients also take the fake's
// AccountID.
func Example_program() {
	f := fakes.NewIONOS()
	defer f.Close()

	c, err := ionos.New(f.Token(), facade.WithBaseURL(f.URL()))
	if err != nil {
		panic(err)
	}
	ctx := context.Background()
	primary := facade.Primary{Addr: netip.MustParseAddr("192.0.2.1")}
	z, err := c.CreateZone(ctx, "example.com", []facade.Primary{primary})
	if err != nil {
		panic(err)
	}
	fmt.Println("created", z.Name, "transferring from", z.Primaries[0].Addr)

	z, err = c.GetZone(ctx, "example.com")
	if err != nil {
		panic(err)
	}
	fmt.Println("read back", z.Name)

	if err := c.DeleteZone(ctx, "example.com"); err != nil {
		panic(err)
	}
	_, err = c.GetZone(ctx, "example.com")
	fmt.Println("after delete, not found:", errors.Is(err, facade.ErrNotFound))
	fmt.Println("zones:", len(f.Zones()), "invalid requests:", len(f.InvalidRequests()))
	// Output:
	// created example.com transferring from 192.0.2.1
	// read back example.com
	// after delete, not found: true
	// zones: 0 invalid requests: 0
}

// WithListener runs a fake on an address of the program's choosing (here a
// free loopback port; `secdns fake serve` uses fixed ones). Its URL follows
// the listener's address.
func ExampleWithListener() {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		panic(err)
	}
	f := fakes.NewDNSimple(fakes.WithListener(l))
	defer f.Close() // also closes l

	fmt.Println(f.URL() == "http://"+l.Addr().String()+"/v2", f.Addr() == l.Addr().String())
	// Output:
	// true true
}
