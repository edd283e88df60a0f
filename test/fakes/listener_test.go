package fakes_test

import (
	"context"
	"net"
	"net/http"
	"runtime"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/secondarydns/secondarydns-go/test/fakes"
)

// TestWithListener runs each fake on a listener the caller made, on IPv4
// and IPv6 loopback, and checks that it answers there and that Close (twice
// is fine) releases the listener.
func TestWithListener(t *testing.T) {
	t.Parallel()
	type fake interface {
		URL() string
		Addr() string
		Token() string
		Close()
	}
	tests := []struct {
		name     string
		network  string
		addr     string
		start    func(...fakes.Option) fake
		listPath string // a GET that lists, below URL()
	}{
		{name: "ionos v4", network: "tcp", addr: "127.0.0.1:0", start: func(o ...fakes.Option) fake { return fakes.NewIONOS(o...) }, listPath: "/secondaryzones"},
		{name: "dnsimple v6", network: "tcp6", addr: "[::1]:0", start: func(o ...fakes.Option) fake { return fakes.NewDNSimple(o...) }, listPath: "/1010/zones"},
		{name: "cloudflare v4", network: "tcp", addr: "127.0.0.1:0", start: func(o ...fakes.Option) fake { return fakes.NewCloudflare(o...) }, listPath: "/zones"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			l, err := net.Listen(tt.network, tt.addr)
			if err != nil && tt.network == "tcp6" {
				t.Skipf("no IPv6 loopback: %v", err)
			}
			require.NoError(t, err)
			f := tt.start(fakes.WithListener(l))
			assert.Equal(t, l.Addr().String(), f.Addr())
			assert.Contains(t, f.URL(), "http://"+l.Addr().String())

			req, err := http.NewRequestWithContext(t.Context(), http.MethodGet, f.URL()+tt.listPath, nil)
			require.NoError(t, err)
			req.Header.Set("Authorization", "Bearer "+f.Token())
			tr := &http.Transport{}
			defer tr.CloseIdleConnections()
			rsp, err := tr.RoundTrip(req)
			require.NoError(t, err)
			require.NoError(t, rsp.Body.Close())
			assert.Equal(t, http.StatusOK, rsp.StatusCode)

			f.Close()
			f.Close()
			_, err = l.Accept()
			require.ErrorIs(t, err, net.ErrClosed, "Close closes the caller's listener")
			_, err = net.Dial("tcp", f.Addr())
			assert.Error(t, err, "nothing listens after Close")
		})
	}
}

// TestCloseWaitsForHandlers checks that Close returns only once the requests
// being handled have finished, as httptest.Server.Close did: the hook holds a
// request until Close has cut its connection (its context ends), then until
// the test releases it; Close must not have returned meanwhile.
func TestCloseWaitsForHandlers(t *testing.T) {
	t.Parallel()
	f := fakes.NewIONOS()
	entered, cut, release := make(chan struct{}), make(chan struct{}), make(chan struct{})
	f.SetHook(func(_ int, r *http.Request, handle, _ func()) {
		close(entered)
		<-r.Context().Done()
		close(cut)
		<-release
		handle()
	})
	c := ionosClient(t, f, f.Token())
	go func() { _, _ = c.ListSecondaryZonesWithResponse(context.Background(), nil) }()
	<-entered

	closed := make(chan struct{})
	go func() { f.Close(); close(closed) }()
	<-cut
	for range 100 {
		runtime.Gosched() // give a Close that does not wait every chance to return
	}
	select {
	case <-closed:
		t.Fatal("Close returned while a request was still being handled")
	default:
	}
	close(release)
	select {
	case <-closed:
	case <-time.After(30 * time.Second): // a hang detector, not a speed assertion
		t.Fatal("Close did not return after the handler finished")
	}
}
