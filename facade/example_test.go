package facade_test

import (
	"errors"
	"fmt"
	"net/http"

	"github.com/secondarydns/secondarydns-go/facade"
)

// Telling errors apart: errors.Is with the sentinels for the class,
// errors.As for the details. (The provider clients build their errors from
// the answers they get; NewError builds one here to show them.)
func ExampleError() {
	fe := facade.NewError(facade.ErrNotFound, nil)
	fe.Provider, fe.Operation, fe.StatusCode = facade.ProviderDNSimple, "GetZone", http.StatusNotFound
	fe.RequestID, fe.Messages = "9c19a2", []string{"Zone `example.com` not found"}
	err := fmt.Errorf("sync: %w", fe)

	switch {
	case errors.Is(err, facade.ErrNotFound):
		fmt.Println("not found")
	case errors.Is(err, facade.ErrRateLimited):
		fmt.Println("slow down")
	}
	var got *facade.Error
	if errors.As(err, &got) {
		fmt.Println(got.StatusCode, got.RequestID, got.Messages[0], facade.OutcomeUnknown(err))
	}
	fmt.Println(err)

	// DNSimple answers a duplicate with 400 "has already been taken": a
	// conflict, and still invalid input.
	dup := facade.NewError(facade.ErrConflict, nil)
	dup.Provider, dup.StatusCode, dup.Fields = facade.ProviderDNSimple, http.StatusBadRequest, map[string][]string{"name": {"has already been taken"}}
	fmt.Println(errors.Is(dup, facade.ErrConflict), errors.Is(dup, facade.ErrInvalidInput))
	fmt.Println(dup)
	// Output:
	// not found
	// 404 9c19a2 Zone `example.com` not found false
	// sync: dnsimple: GetZone: 404 not found: Zone `example.com` not found (request 9c19a2)
	// true true
	// dnsimple: 400 conflict: name has already been taken
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
