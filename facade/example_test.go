package facade_test

import (
	"errors"
	"fmt"
	"net/http"

	"github.com/secondarydns/secondarydns-go/facade"
)

// Telling errors apart: errors.Is with the sentinels for the class,
// errors.As for the details.
func ExampleError() {
	header := http.Header{"X-Request-Id": {"9c19a2"}}
	err := error(facade.DecodeErrorBody(facade.ProviderDNSimple, http.StatusNotFound, header,
		[]byte("{\"message\":\"Zone `example.com` not found\"}")))

	switch {
	case errors.Is(err, facade.ErrNotFound):
		fmt.Println("not found")
	case errors.Is(err, facade.ErrRateLimited):
		fmt.Println("slow down")
	}
	var fe *facade.Error
	if errors.As(err, &fe) {
		fmt.Println(fe.StatusCode, fe.RequestID, fe.Messages[0])
	}
	fmt.Println(err)

	// A Cloudflare "already exists" on a 400 is a conflict (and still
	// invalid input).
	err = facade.DecodeErrorBody(facade.ProviderCloudflare, http.StatusBadRequest, nil,
		[]byte(`{"success":false,"errors":[{"code":1061,"message":"example.com already exists"}],"messages":[],"result":null}`))
	fmt.Println(errors.Is(err, facade.ErrConflict), errors.Is(err, facade.ErrInvalidInput))
	fmt.Println(err)

	// An HTML page from a proxy keeps its status and classification.
	err = facade.DecodeErrorBody(facade.ProviderIONOS, http.StatusBadGateway, nil,
		[]byte("<html><head><title>502 Bad Gateway</title></head></html>"))
	fmt.Println(errors.Is(err, facade.ErrServer), err)
	// Output:
	// not found
	// 404 9c19a2 Zone `example.com` not found
	// dnsimple: 404 not found: Zone `example.com` not found (request 9c19a2)
	// true true
	// cloudflare: 400 conflict: example.com already exists [1061]
	// true ionos: 502 server error: 502 Bad Gateway
}

func ExampleNormalizeZoneName() {
	for _, in := range []string{"Example.COM.", "bücher.example", "bad..example", "_acme.example.com"} {
		name, err := facade.NormalizeZoneName(in)
		if err != nil {
			fmt.Println("error:", errors.Is(err, facade.ErrInvalidInput))
			continue
		}
		fmt.Println(name)
	}
	// Output:
	// example.com
	// xn--bcher-kva.example
	// error: true
	// error: true
}

func ExampleParsePrimary() {
	for _, in := range []string{"192.0.2.1", "192.0.2.1:5353", "[2001:db8::1]:53"} {
		p, err := facade.ParsePrimary(in)
		if err != nil {
			fmt.Println(err)
			continue
		}
		fmt.Println(p.Addr, p.PortOrDefault(), p)
	}
	// Output:
	// 192.0.2.1 53 192.0.2.1
	// 192.0.2.1 5353 192.0.2.1:5353
	// 2001:db8::1 53 [2001:db8::1]:53
}
