package core_test

import (
	"errors"
	"fmt"
	"net/http"

	"github.com/secondarydns/secondarydns-go/facade"
	"github.com/secondarydns/secondarydns-go/facade/internal/core"
)

// Decoding error answers with what each adapter tells the core about its
// provider.
func ExampleProvider_DecodeErrorBody() {
	dnsimple := core.Provider{Name: facade.ProviderDNSimple, RequestIDHeaders: []string{"X-Request-Id"}}
	cloudflare := core.Provider{Name: facade.ProviderCloudflare, RequestIDHeaders: []string{"Cf-Ray"}, ConflictCodes: []string{"1061"}}
	ionos := core.Provider{Name: facade.ProviderIONOS, RequestIDHeaders: []string{"X-Request-Id", "X-Correlation-Id"}}
	header := http.Header{"X-Request-Id": {"9c19a2"}}
	err := error(dnsimple.DecodeErrorBody(http.StatusNotFound, header,
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
	err = cloudflare.DecodeErrorBody(http.StatusBadRequest, nil,
		[]byte(`{"success":false,"errors":[{"code":1061,"message":"example.com already exists"}],"messages":[],"result":null}`))
	fmt.Println(errors.Is(err, facade.ErrConflict), errors.Is(err, facade.ErrInvalidInput))
	fmt.Println(err)

	// An HTML page from a proxy keeps its status and classification.
	err = ionos.DecodeErrorBody(http.StatusBadGateway, nil,
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
