package dnsimple_test

import (
	"net/http"
	"sync/atomic"

	"github.com/secondarydns/secondarydns-go/test/fakes"
)

// cancelAfter returns an HTTP client for f that calls cancel once the n-th
// request has been answered, as a caller giving up mid-operation would.
func cancelAfter(_ *fakes.DNSimple, n int64, cancel func()) *http.Client {
	var count atomic.Int64
	return &http.Client{Transport: roundTripFunc(func(r *http.Request) (*http.Response, error) {
		rsp, err := http.DefaultTransport.RoundTrip(r)
		if count.Add(1) == n {
			cancel()
		}
		return rsp, err
	})}
}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }
