package ionos_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/netip"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/secondarydns/secondarydns-go/facade"
	"github.com/secondarydns/secondarydns-go/facade/internal/errtest"
	"github.com/secondarydns/secondarydns-go/facade/ionos"
	"github.com/secondarydns/secondarydns-go/test/fakes"
)

var (
	ip1 = netip.MustParseAddr("192.0.2.1")
	ip2 = netip.MustParseAddr("2001:db8::1")
	ip3 = netip.MustParseAddr("192.0.2.3")
	bad = netip.MustParseAddr("198.51.100.7") // unreachable for the fakes
)

// start returns a fake IONOS and a client for it. The fake fails the test
// at cleanup on any invalid request or response; the explicit assertion
// documents it.
func start(t *testing.T, opts ...fakes.Option) (*fakes.IONOS, *ionos.Client) {
	t.Helper()
	f := fakes.StartIONOS(t, opts...)
	t.Cleanup(func() { assert.Empty(t, f.InvalidRequests(), "invalid requests") })
	return f, client(t, f, f.Token())
}

func client(t *testing.T, f *fakes.IONOS, token string) *ionos.Client {
	t.Helper()
	c, err := ionos.New(token, facade.WithBaseURL(f.URL()),
		facade.WithRetryPolicy(facade.RetryPolicy{MaxAttempts: 1}))
	require.NoError(t, err)
	return c
}

// requireKind asserts err is a *facade.Error of kind with Operation op.
func requireKind(t *testing.T, err error, kind error, op string) *facade.Error {
	t.Helper()
	return errtest.RequireKind(t, err, kind, facade.ProviderIONOS, op)
}

func TestNew(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		token string
		opts  []facade.Option
		ok    bool
	}{
		{"default", "tok", nil, true},
		{"all options", "tok", []facade.Option{
			facade.WithBaseURL("http://127.0.0.1:1/"), facade.WithUserAgent("x/1"),
			facade.WithMaxBodyBytes(1 << 10), facade.WithLogger(nil),
			facade.WithRetryPolicy(facade.DefaultRetryPolicy()),
		}, true},
		{"empty token", "", nil, false},
		{"token with space", "a b", nil, false},
		{"bad base URL", "tok", []facade.Option{facade.WithBaseURL("ftp://x")}, false},
		{"nil http client", "tok", []facade.Option{facade.WithHTTPClient(nil)}, false},
		{"bad body cap", "tok", []facade.Option{facade.WithMaxBodyBytes(0)}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c, err := ionos.New(tt.token, tt.opts...)
			if tt.ok {
				require.NoError(t, err)
				assert.Equal(t, facade.ProviderIONOS, c.Provider())
				assert.NotContains(t, fmt.Sprint(c), tt.token+"\x00")
				return
			}
			assert.Nil(t, c)
			require.ErrorIs(t, err, facade.ErrInvalidInput)
			var fe *facade.Error
			require.ErrorAs(t, err, &fe)
			assert.Equal(t, "New", fe.Operation)
		})
	}
	c, err := ionos.New("secret-token")
	require.NoError(t, err)
	assert.Contains(t, c.String(), ionos.DefaultBaseURL)
	assert.NotContains(t, fmt.Sprintf("%v %+v %#v", c, c, c), "secret-token")
}

func TestTypedLifecycle(t *testing.T) {
	t.Parallel()
	f, c := start(t)
	ctx := context.Background()

	z, err := c.CreateSecondaryZone(ctx, ionos.SecondaryZoneInput{
		Name: "Example.COM.", Description: "test zone", PrimaryIPs: []netip.Addr{ip1, ip2},
	})
	require.NoError(t, err)
	assert.Equal(t, "example.com", z.Name)
	assert.Equal(t, "test zone", z.Description)
	assert.Equal(t, ionos.StateProvisioning, z.State)
	assert.Equal(t, []netip.Addr{ip1, ip2}, z.PrimaryIPs)
	assert.Len(t, z.Nameservers, 4)
	assert.False(t, z.CreatedAt.IsZero())
	require.Len(t, z.ID, 36)

	g, err := c.GetSecondaryZone(ctx, z.ID)
	require.NoError(t, err)
	assert.Equal(t, z.ID, g.ID)
	assert.Equal(t, z.Name, g.Name)

	w, err := c.WaitUntilAvailable(ctx, z.ID)
	require.NoError(t, err)
	assert.Equal(t, ionos.StateAvailable, w.State)

	u, err := c.UpdateSecondaryZone(ctx, z.ID, ionos.SecondaryZoneInput{
		Name: "example.com", PrimaryIPs: []netip.Addr{ip3, bad},
	})
	require.NoError(t, err)
	assert.Equal(t, []netip.Addr{ip3, bad}, u.PrimaryIPs)
	assert.Empty(t, u.Description)
	snap, ok := f.Zone(z.ID)
	require.True(t, ok)
	assert.Equal(t, []string{"192.0.2.3", "198.51.100.7"}, snap.PrimaryIPs)

	require.NoError(t, c.StartZoneTransfer(ctx, z.ID))
	st, err := c.GetZoneTransferStatus(ctx, z.ID)
	require.NoError(t, err)
	require.Len(t, st, 2)
	assert.Equal(t, ionos.PrimaryTransferStatus{IP: ip3, Status: fakes.IONOSTransferOK}, st[0])
	assert.Equal(t, bad, st[1].IP)
	assert.Equal(t, fakes.IONOSTransferFailed, st[1].Status)
	assert.Equal(t, fakes.IONOSUnreachableMessage, st[1].Error)

	require.NoError(t, c.DeleteSecondaryZone(ctx, z.ID))
	_, err = c.GetSecondaryZone(ctx, z.ID)
	requireKind(t, err, facade.ErrNotFound, "GetSecondaryZone")
}

func TestTypedErrors(t *testing.T) {
	t.Parallel()
	f, c := start(t)
	ctx := context.Background()
	existing, err := f.AddZone(fakes.IONOSZone{ZoneName: "taken.example", PrimaryIPs: []string{"192.0.2.1"}})
	require.NoError(t, err)
	const unknown = "6f1c2b8e-3f0a-4c55-9a7e-2d9c1b0e4a11"
	unauth := client(t, f, "wrong-token")
	in := ionos.SecondaryZoneInput{Name: "taken.example", PrimaryIPs: []netip.Addr{ip1}}

	tests := []struct {
		op   string
		kind error
		call func() error
	}{
		{"CreateSecondaryZone", facade.ErrConflict, func() error { _, err := c.CreateSecondaryZone(ctx, in); return err }},
		{"GetSecondaryZone", facade.ErrNotFound, func() error { _, err := c.GetSecondaryZone(ctx, unknown); return err }},
		{"DeleteSecondaryZone", facade.ErrNotFound, func() error { return c.DeleteSecondaryZone(ctx, unknown) }},
		{"GetZoneTransferStatus", facade.ErrNotFound, func() error { _, err := c.GetZoneTransferStatus(ctx, unknown); return err }},
		{"StartZoneTransfer", facade.ErrNotFound, func() error { return c.StartZoneTransfer(ctx, unknown) }},
		{"WaitUntilAvailable", facade.ErrNotFound, func() error { _, err := c.WaitUntilAvailable(ctx, unknown); return err }},
		{"ListSecondaryZones", facade.ErrUnauthorized, func() error {
			_, err := facade.Collect(unauth.ListSecondaryZones(ctx, ionos.ListOptions{}))
			return err
		}},
		{"GetSecondaryZone", facade.ErrUnauthorized, func() error { _, err := unauth.GetSecondaryZone(ctx, existing.ID); return err }},
		{"UpdateSecondaryZone", facade.ErrUnauthorized, func() error { _, err := unauth.UpdateSecondaryZone(ctx, existing.ID, in); return err }},
		{"GetZone", facade.ErrUnauthorized, func() error { _, err := unauth.GetZone(ctx, "taken.example"); return err }},
		{"CreateZone", facade.ErrConflict, func() error {
			_, err := c.CreateZone(ctx, "taken.example", []facade.Primary{{Addr: ip1}})
			return err
		}},
	}
	for _, tt := range tests {
		t.Run(tt.op, func(t *testing.T) {
			err := tt.call()
			requireKind(t, err, tt.kind, tt.op)
		})
	}
	// The existing zone is untouched.
	snap, ok := f.Zone(existing.ID)
	require.True(t, ok)
	assert.Equal(t, []string{"192.0.2.1"}, snap.PrimaryIPs)
}

func TestValidationSendsNothing(t *testing.T) {
	t.Parallel()
	f, c := start(t)
	ctx := context.Background()
	okIn := ionos.SecondaryZoneInput{Name: "example.com", PrimaryIPs: []netip.Addr{ip1}}
	const id = "6f1c2b8e-3f0a-4c55-9a7e-2d9c1b0e4a11"
	tsig := facade.TSIG{Name: "k.", Algorithm: "hmac-sha256", Secret: "c2VjcmV0"}

	tests := []struct {
		name        string
		op          string
		unsupported bool
		call        func() error
	}{
		{"create bad name", "CreateSecondaryZone", false, func() error {
			_, err := c.CreateSecondaryZone(ctx, ionos.SecondaryZoneInput{Name: "bad..name", PrimaryIPs: []netip.Addr{ip1}})
			return err
		}},
		{"create no primaries", "CreateSecondaryZone", false, func() error {
			_, err := c.CreateSecondaryZone(ctx, ionos.SecondaryZoneInput{Name: "example.com"})
			return err
		}},
		{"create invalid IP", "CreateSecondaryZone", false, func() error {
			_, err := c.CreateSecondaryZone(ctx, ionos.SecondaryZoneInput{Name: "example.com", PrimaryIPs: []netip.Addr{{}}})
			return err
		}},
		{"create unspecified IP", "CreateSecondaryZone", false, func() error {
			_, err := c.CreateSecondaryZone(ctx, ionos.SecondaryZoneInput{Name: "example.com", PrimaryIPs: []netip.Addr{netip.IPv4Unspecified()}})
			return err
		}},
		{"create duplicate IP", "CreateSecondaryZone", false, func() error {
			_, err := c.CreateSecondaryZone(ctx, ionos.SecondaryZoneInput{Name: "example.com", PrimaryIPs: []netip.Addr{ip1, ip1}})
			return err
		}},
		{"get bad id", "GetSecondaryZone", false, func() error { _, err := c.GetSecondaryZone(ctx, "not-a-uuid"); return err }},
		{"get path id", "GetSecondaryZone", false, func() error { _, err := c.GetSecondaryZone(ctx, "../x"); return err }},
		{"get empty id", "GetSecondaryZone", false, func() error { _, err := c.GetSecondaryZone(ctx, ""); return err }},
		{"update bad id", "UpdateSecondaryZone", false, func() error { _, err := c.UpdateSecondaryZone(ctx, "x", okIn); return err }},
		{"update bad input", "UpdateSecondaryZone", false, func() error {
			_, err := c.UpdateSecondaryZone(ctx, id, ionos.SecondaryZoneInput{Name: "example.com"})
			return err
		}},
		{"delete bad id", "DeleteSecondaryZone", false, func() error { return c.DeleteSecondaryZone(ctx, "{"+id+"}") }},
		{"axfr status bad id", "GetZoneTransferStatus", false, func() error { _, err := c.GetZoneTransferStatus(ctx, "1"); return err }},
		{"axfr bad id", "StartZoneTransfer", false, func() error { return c.StartZoneTransfer(ctx, "1") }},
		{"wait bad id", "WaitUntilAvailable", false, func() error { _, err := c.WaitUntilAvailable(ctx, "1"); return err }},
		{"list bad page size", "ListSecondaryZones", false, func() error {
			_, err := facade.Collect(c.ListSecondaryZones(ctx, ionos.ListOptions{PageSize: 1001}))
			return err
		}},
		{"list negative page size", "ListSecondaryZones", false, func() error {
			_, err := facade.Collect(c.ListSecondaryZones(ctx, ionos.ListOptions{PageSize: -1}))
			return err
		}},
		{"list bad state", "ListSecondaryZones", false, func() error {
			_, err := facade.Collect(c.ListSecondaryZones(ctx, ionos.ListOptions{State: "READY"}))
			return err
		}},
		{"list bad filter", "ListSecondaryZones", false, func() error {
			_, err := facade.Collect(c.ListSecondaryZones(ctx, ionos.ListOptions{ZoneName: "a b"}))
			return err
		}},
		{"GetZone bad name", "GetZone", false, func() error { _, err := c.GetZone(ctx, ""); return err }},
		{"CreateZone bad name", "CreateZone", false, func() error {
			_, err := c.CreateZone(ctx, "-x.example", []facade.Primary{{Addr: ip1}})
			return err
		}},
		{"CreateZone no primaries", "CreateZone", false, func() error { _, err := c.CreateZone(ctx, "example.com", nil); return err }},
		{"CreateZone port", "CreateZone", true, func() error {
			_, err := c.CreateZone(ctx, "example.com", []facade.Primary{{Addr: ip1, Port: 5353}})
			return err
		}},
		{"CreateZone TSIG", "CreateZone", true, func() error {
			_, err := c.CreateZone(ctx, "example.com", []facade.Primary{{Addr: ip1}}, facade.WithTSIG(tsig))
			return err
		}},
		{"SetPrimaries port", "SetPrimaries", true, func() error {
			_, err := c.SetPrimaries(ctx, "example.com", []facade.Primary{{Addr: ip1, Port: 54}})
			return err
		}},
		{"SetPrimaries empty", "SetPrimaries", false, func() error { _, err := c.SetPrimaries(ctx, "example.com", nil); return err }},
		{"DeleteZone bad name", "DeleteZone", false, func() error { return c.DeleteZone(ctx, "a_b.example") }},
		{"Transfer bad name", "Transfer", false, func() error { return c.Transfer(ctx, "x") }},
		{"TransferStatus bad name", "TransferStatus", false, func() error { _, err := c.TransferStatus(ctx, " x.example"); return err }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.call()
			kind := facade.ErrInvalidInput
			if tt.unsupported {
				kind = facade.ErrUnsupported
			}
			requireKind(t, err, kind, tt.op)
			assert.Equal(t, tt.unsupported, errors.Is(err, errors.ErrUnsupported))
			assert.Equal(t, !tt.unsupported, errors.Is(err, facade.ErrInvalidInput))
		})
	}
	assert.Zero(t, f.Stats().Requests, "validation failures must not send requests")
	assert.Zero(t, c.Stats().Attempts)
}

func TestListPagination(t *testing.T) {
	t.Parallel()
	f, c := start(t)
	ctx := context.Background()
	for i := range 250 {
		state := ionos.StateAvailable
		if i%10 == 0 {
			state = ionos.StateFailed
		}
		_, err := f.AddZone(fakes.IONOSZone{ZoneName: fmt.Sprintf("zone%03d.example", i), PrimaryIPs: []string{"192.0.2.1"}, State: state})
		require.NoError(t, err)
	}
	tests := []struct {
		name     string
		opts     ionos.ListOptions
		want     int
		requests int
	}{
		{"default page size", ionos.ListOptions{}, 250, 3},
		{"page size 100", ionos.ListOptions{PageSize: 100}, 250, 3},
		{"page size 50 exact", ionos.ListOptions{PageSize: 50}, 250, 5},
		{"page size 1000", ionos.ListOptions{PageSize: 1000}, 250, 1},
		{"zone name filter", ionos.ListOptions{ZoneName: "zone24", PageSize: 3}, 10, 4},
		{"state filter", ionos.ListOptions{State: "failed", PageSize: 10}, 25, 3},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := f.Stats().Requests
			zones, err := facade.Collect(c.ListSecondaryZones(ctx, tt.opts))
			require.NoError(t, err)
			assert.Len(t, zones, tt.want)
			seen := map[string]bool{}
			for _, z := range zones {
				assert.False(t, seen[z.ID], "zone %s listed twice", z.Name)
				seen[z.ID] = true
			}
			// Subtests run sequentially, so the count is this listing's.
			assert.Equal(t, tt.requests, f.Stats().Requests-before, "requests")
		})
	}

	t.Run("break stops fetching", func(t *testing.T) {
		before := f.Stats().Requests
		n := 0
		for _, err := range c.ListSecondaryZones(ctx, ionos.ListOptions{PageSize: 10}) {
			require.NoError(t, err)
			if n++; n == 15 {
				break
			}
		}
		assert.Equal(t, 2, f.Stats().Requests-before)
	})

	t.Run("neutral ListZones", func(t *testing.T) {
		zones, err := facade.Collect(c.ListZones(ctx))
		require.NoError(t, err)
		require.Len(t, zones, 250)
		assert.Equal(t, "zone000.example", zones[0].Name)
		assert.Equal(t, facade.ProviderIONOS, zones[0].Provider)
		assert.Equal(t, []facade.Primary{{Addr: ip1, Port: 53}}, zones[0].Primaries, "effective ports")
	})

	t.Run("cancelled context", func(t *testing.T) {
		cctx, cancel := context.WithCancel(ctx)
		cancel()
		_, err := facade.Collect(c.ListZones(cctx))
		requireKind(t, err, context.Canceled, "ListZones")
	})
}

func TestSecondaryDNSLifecycle(t *testing.T) {
	t.Parallel()
	f, c := start(t)
	ctx := context.Background()
	// Names containing the zone's name, which filter.zoneName also returns.
	for _, n := range []string{"myexample.com", "example.com.au", "sub.example.com"} {
		_, err := f.AddZone(fakes.IONOSZone{ZoneName: n, PrimaryIPs: []string{"192.0.2.9"}})
		require.NoError(t, err)
	}

	z, err := c.CreateZone(ctx, "EXAMPLE.com.", []facade.Primary{{Addr: ip1}, {Addr: ip2, Port: 53}},
		facade.WithDescription("made by test"), facade.WithWaitUntilAvailable())
	require.NoError(t, err)
	assert.Equal(t, "example.com", z.Name)
	assert.Equal(t, "available", z.State)
	assert.Equal(t, facade.ProviderIONOS, z.Provider)
	assert.Equal(t, []facade.Primary{{Addr: ip1, Port: 53}, {Addr: ip2, Port: 53}}, z.Primaries, "effective ports")
	snap, ok := f.Zone(z.ID)
	require.True(t, ok)
	assert.Equal(t, "made by test", snap.Description)

	g, err := c.GetZone(ctx, "example.com")
	require.NoError(t, err)
	assert.Equal(t, z.ID, g.ID)
	assert.Equal(t, z.Primaries, g.Primaries)

	s, err := c.SetPrimaries(ctx, "example.com", []facade.Primary{{Addr: ip3}, {Addr: bad}})
	require.NoError(t, err)
	assert.Equal(t, []facade.Primary{{Addr: ip3, Port: 53}, {Addr: bad, Port: 53}}, s.Primaries, "effective ports")
	snap, _ = f.Zone(z.ID)
	assert.Equal(t, "made by test", snap.Description, "SetPrimaries keeps the description")
	assert.Equal(t, "example.com", snap.ZoneName)

	require.NoError(t, c.Transfer(ctx, "example.com"))
	ts, err := c.TransferStatus(ctx, "example.com")
	require.NoError(t, err)
	assert.Equal(t, "example.com", ts.Zone)
	assert.True(t, ts.LastTransfer.IsZero())
	assert.Zero(t, ts.Serial)
	assert.Equal(t, []facade.PrimaryStatus{
		{Primary: facade.Primary{Addr: ip3, Port: 53}, Status: "ok"},
		{Primary: facade.Primary{Addr: bad, Port: 53}, Status: "failed", Error: fakes.IONOSUnreachableMessage},
	}, ts.Primaries)

	zones, err := facade.Collect(c.ListZones(ctx))
	require.NoError(t, err)
	assert.Len(t, zones, 4)

	require.NoError(t, c.DeleteZone(ctx, "example.com"))
	_, ok = f.Zone(z.ID)
	assert.False(t, ok)

	for _, tt := range []struct {
		op   string
		call func() error
	}{
		{"GetZone", func() error { _, err := c.GetZone(ctx, "example.com"); return err }},
		{"SetPrimaries", func() error { _, err := c.SetPrimaries(ctx, "example.com", []facade.Primary{{Addr: ip1}}); return err }},
		{"DeleteZone", func() error { return c.DeleteZone(ctx, "example.com") }},
		{"Transfer", func() error { return c.Transfer(ctx, "example.com") }},
		{"TransferStatus", func() error { _, err := c.TransferStatus(ctx, "example.com"); return err }},
	} {
		requireKind(t, tt.call(), facade.ErrNotFound, tt.op)
	}
	// The look-alikes are untouched.
	assert.Len(t, f.Zones(), 3)
}

func TestWaitUntilAvailable(t *testing.T) {
	t.Parallel()
	ctx := context.Background()

	t.Run("failed", func(t *testing.T) {
		t.Parallel()
		f, c := start(t)
		z, err := f.AddZone(fakes.IONOSZone{ZoneName: "failed.example", PrimaryIPs: []string{"192.0.2.1"}, State: ionos.StateFailed})
		require.NoError(t, err)
		got, err := c.WaitUntilAvailable(ctx, z.ID)
		requireKind(t, err, facade.ErrServer, "WaitUntilAvailable")
		assert.Equal(t, ionos.StateFailed, got.State)
	})

	t.Run("polls until available", func(t *testing.T) {
		t.Parallel()
		f, c := start(t, fakes.WithProvisioningReads(2))
		z, err := c.CreateSecondaryZone(ctx, ionos.SecondaryZoneInput{Name: "slow.example", PrimaryIPs: []netip.Addr{ip1}})
		require.NoError(t, err)
		before := f.Stats().Requests
		got, err := c.WaitUntilAvailable(ctx, z.ID)
		require.NoError(t, err)
		assert.Equal(t, ionos.StateAvailable, got.State)
		assert.Equal(t, 3, f.Stats().Requests-before)
	})

	t.Run("context deadline", func(t *testing.T) {
		t.Parallel()
		f := fakes.StartIONOS(t, fakes.WithProvisioningReads(1_000_000))
		t.Cleanup(func() { assert.Empty(t, f.InvalidRequests(), "invalid requests") })
		// The deadline is an event, not a duration: it passes when the
		// second poll is about to be sent, so exactly one poll has been
		// answered (PROVISIONING) however loaded the machine is.
		dctx := newDeadlineAt(ctx)
		tr := &gateTransport{next: http.DefaultTransport, onGet: func(n int) {
			if n == 2 {
				dctx.expire()
			}
		}}
		c, err := ionos.New(f.Token(), facade.WithBaseURL(f.URL()),
			facade.WithRetryPolicy(facade.RetryPolicy{MaxAttempts: 1}),
			facade.WithHTTPClient(&http.Client{Transport: tr}))
		require.NoError(t, err)
		z, err := c.CreateSecondaryZone(ctx, ionos.SecondaryZoneInput{Name: "never.example", PrimaryIPs: []netip.Addr{ip1}})
		require.NoError(t, err)
		// The zone never becomes available: only the deadline ends the
		// polling (a loop ignoring it would run until the test times out).
		got, err := c.WaitUntilAvailable(dctx, z.ID)
		requireKind(t, err, context.DeadlineExceeded, "WaitUntilAvailable")
		assert.ErrorIs(t, err, facade.ErrTransport)
		assert.Equal(t, ionos.StateProvisioning, got.State)

		// Through CreateZone, the error carries the neutral name.
		dctx2 := newDeadlineAt(ctx)
		tr.reset(func(n int) {
			if n == 2 {
				dctx2.expire()
			}
		})
		cz, err := c.CreateZone(dctx2, "never2.example", []facade.Primary{{Addr: ip1}}, facade.WithWaitUntilAvailable())
		requireKind(t, err, context.DeadlineExceeded, "CreateZone")
		assert.Equal(t, "never2.example", cz.Name)
	})
}

// deadlineAt is a context whose deadline passes when expire is called: a
// deadline tied to an event of the test rather than to the wall clock.
type deadlineAt struct {
	context.Context
	done chan struct{}
	once sync.Once
}

func newDeadlineAt(parent context.Context) *deadlineAt {
	return &deadlineAt{Context: parent, done: make(chan struct{})}
}

func (c *deadlineAt) expire()                     { c.once.Do(func() { close(c.done) }) }
func (c *deadlineAt) Done() <-chan struct{}       { return c.done }
func (c *deadlineAt) Deadline() (time.Time, bool) { return time.Time{}, false }
func (c *deadlineAt) Value(key any) any           { return c.Context.Value(key) }
func (c *deadlineAt) Err() error {
	select {
	case <-c.done:
		return context.DeadlineExceeded
	default:
		return nil
	}
}

// gateTransport counts GET requests and calls onGet with the count before
// sending each one.
type gateTransport struct {
	next  http.RoundTripper
	mu    sync.Mutex
	gets  int
	onGet func(n int)
}

func (g *gateTransport) reset(onGet func(n int)) {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.gets, g.onGet = 0, onGet
}

func (g *gateTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	if req.Method == http.MethodGet {
		g.mu.Lock()
		g.gets++
		n, f := g.gets, g.onGet
		g.mu.Unlock()
		f(n)
		if err := req.Context().Err(); err != nil {
			return nil, err
		}
	}
	return g.next.RoundTrip(req)
}

func TestConcurrentGetZone(t *testing.T) {
	t.Parallel()
	f, c := start(t)
	ctx := context.Background()
	names := []string{"a.example", "b.example", "c.example", "d.example"}
	for _, n := range names {
		_, err := f.AddZone(fakes.IONOSZone{ZoneName: n, PrimaryIPs: []string{"192.0.2.1"}})
		require.NoError(t, err)
	}
	var wg sync.WaitGroup
	errs := make(chan error, 64)
	for i := range 32 {
		wg.Go(func() {
			n := names[i%len(names)]
			z, err := c.GetZone(ctx, n)
			if err == nil && z.Name != n {
				err = fmt.Errorf("got %s, want %s", z.Name, n)
			}
			errs <- err
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		assert.NoError(t, err)
	}
}

func TestTransientFaultsAreRetried(t *testing.T) {
	t.Parallel()
	f := fakes.StartIONOS(t, fakes.WithFaults(fakes.Faults{
		Unavailable: fakes.Trigger{Every: 2}, RateLimit: fakes.Trigger{Every: 3}, RetryAfter: -1,
	}))
	c, err := ionos.New(f.Token(), facade.WithBaseURL(f.URL()), facade.WithRetryPolicy(facade.RetryPolicy{
		MaxAttempts: 4, BaseDelay: time.Millisecond, MaxDelay: 5 * time.Millisecond, MaxRetryAfter: time.Second,
	}))
	require.NoError(t, err)
	ctx := context.Background()
	_, err = f.AddZone(fakes.IONOSZone{ZoneName: "example.com", PrimaryIPs: []string{"192.0.2.1"}})
	require.NoError(t, err)
	for range 5 {
		z, err := c.GetZone(ctx, "example.com")
		require.NoError(t, err)
		assert.Equal(t, "example.com", z.Name)
	}
	assert.Positive(t, c.Stats().Retries)
	assert.Empty(t, f.InvalidRequests())
}
