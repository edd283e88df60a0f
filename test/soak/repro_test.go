package soak

import (
	"context"
	"net/http"
	"net/netip"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/secondarydns/secondarydns-go/facade"
	"github.com/secondarydns/secondarydns-go/facade/dnsimple"
	"github.com/secondarydns/secondarydns-go/test/fakes"
)

// roundTripFunc adapts a function to http.RoundTripper.
type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

// TestDNSimpleRollbackKeepsSharedPrimaryServer is the deterministic
// regression test of a bug the soak found in facade/dnsimple: the rollback
// of a failed CreateZone deleted the primary server it had created even when
// another caller had meanwhile reused that server for its own zone, so that
// a zone whose creation was reported successful silently lost its primaries.
// The rollback now deletes only servers no zone links to.
//
// A and B create the same zone with the same new primary. A creates the
// primary server; before A's zone POST arrives, B runs completely: it finds
// A's server, reuses it, creates the zone and links it. A's zone POST then
// fails ("has already been taken", ErrConflict) and A's rollback deletes
// the server, which unlinks B's zone.
//
// The same happens with different zones (A's zone POST failing for any
// reason while B reuses A's server), and through the "serversUnknown"
// rollback, which deleted every primary server created by anyone since A
// started.
func TestDNSimpleRollbackKeepsSharedPrimaryServer(t *testing.T) {
	t.Parallel()
	f := fakes.NewDNSimple()
	defer f.Close()
	ctx := context.Background()
	primary := []facade.Primary{{Addr: netip.MustParseAddr("192.0.2.1")}}

	b, err := dnsimple.New(f.Token(), int64(f.AccountID()), facade.WithBaseURL(f.URL()))
	require.NoError(t, err)
	var bErr error
	hook := roundTripFunc(func(r *http.Request) (*http.Response, error) {
		if r.Method == http.MethodPost && strings.HasSuffix(r.URL.Path, "/secondary_dns/zones") {
			_, bErr = b.CreateZone(ctx, "example.com", primary) // B, between A's steps
		}
		return http.DefaultTransport.RoundTrip(r)
	})
	a, err := dnsimple.New(f.Token(), int64(f.AccountID()), facade.WithBaseURL(f.URL()),
		facade.WithHTTPClient(&http.Client{Transport: hook}))
	require.NoError(t, err)

	_, aErr := a.CreateZone(ctx, "example.com", primary)
	require.NoError(t, bErr, "B was told its zone was created")
	require.ErrorIs(t, aErr, facade.ErrConflict, "A lost the race")

	got, err := b.GetZone(ctx, "example.com")
	require.NoError(t, err)
	assert.Len(t, got.Primaries, 1, "B's zone must keep the primary B was told it has")
	var linked []string
	for _, s := range f.PrimaryServers() {
		linked = append(linked, s.LinkedSecondaryZones...)
	}
	assert.Equal(t, []string{"example.com"}, linked, "the fake must still link the zone to its primary server")
}

// TestFakeDNSimpleLinkRace is the minimal reproducer of the data race the
// soak found in test/fakes (run it with -race): the DNSimple fake puts a
// primary server's LinkedSecondaryZones slice itself into the response
// (primaryJSON, "linked_secondary_zones"), and the response is encoded
// after the fake's mutex is released (Server.finish), while a concurrent
// link or unlink appends to or deletes from that slice in place
// (DNSimple.handle). Cloning the slice in primaryJSON fixes it.
func TestFakeDNSimpleLinkRace(t *testing.T) {
	t.Parallel()
	f := fakes.NewDNSimple()
	defer f.Close()
	ctx := context.Background()
	c, err := dnsimple.New(f.Token(), int64(f.AccountID()), facade.WithBaseURL(f.URL()))
	require.NoError(t, err)
	ps, err := c.CreatePrimaryServer(ctx, dnsimple.PrimaryServerInput{Name: "p", IP: netip.MustParseAddr("192.0.2.1")})
	require.NoError(t, err)
	for _, z := range []string{"a.example", "b.example"} {
		_, err := f.AddZone(z, true)
		require.NoError(t, err)
	}
	var wg sync.WaitGroup
	for _, z := range []string{"a.example", "b.example"} {
		wg.Go(func() {
			for range 200 {
				_, err := c.LinkPrimaryServer(ctx, ps.ID, z)
				assert.NoError(t, err)
				_, err = c.UnlinkPrimaryServer(ctx, ps.ID, z)
				assert.NoError(t, err)
			}
		})
	}
	wg.Wait()
}
