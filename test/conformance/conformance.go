package conformance

import (
	"context"
	"errors"
	"fmt"
	"net/netip"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/secondarydns/secondarydns-go/facade"
)

// Provider is an implementation under test.
type Provider struct {
	// Client is the implementation, configured to talk to Backend's server.
	// It should retry quickly (see [facade.WithRetryPolicy]) with at least 4
	// attempts and a MaxRetryAfter of at least 30s.
	Client facade.SecondaryDNS
	// Capabilities says which optional features the provider has.
	Capabilities
	// Backend holds optional hooks into the server the client talks to.
	Backend Backend
	// PageSize is the most zones one page of the client's ListZones
	// listing holds (0: at most 50). The Pagination check lists more than
	// two pages' worth (seeded through Backend where it can).
	PageSize int
}

// Capabilities are the optional features of a provider.
type Capabilities struct {
	// SupportsPorts: primaries may use ports other than 53.
	SupportsPorts bool
	// SupportsTSIG: [facade.WithTSIG] is supported.
	SupportsTSIG bool
	// SupportsTransfer: Transfer triggers a transfer (else it fails with
	// errors.ErrUnsupported without a request).
	SupportsTransfer bool
}

// Backend holds hooks into the server a Provider's client talks to (usually
// a fake). Every hook is optional; checks needing a missing one are skipped
// or weakened.
type Backend struct {
	// Stats returns the server's counters.
	Stats func() Stats
	// ZoneNames returns the names of all zones the server holds, secondary
	// or not, with duplicates if it holds any.
	ZoneNames func() []string
	// SeedSecondaryZones creates secondary zones directly in the server,
	// bypassing the client; they may have no primaries.
	SeedSecondaryZones func(t testing.TB, names []string)
	// SeedPrimaryZone creates a primary (non-secondary) zone directly in the
	// server, for providers that hold both kinds.
	SeedPrimaryZone func(t testing.TB, name string)
	// Resources counts the server's auxiliary objects a CreateZone may
	// create besides the zone (primary servers, peers, TSIG keys), so that
	// the suite can tell that a failed CreateZone left none behind.
	Resources func() int
	// SetFaults replaces the server's fault injection; the zero Faults
	// turns it off.
	SetFaults func(Faults)
	// Intercept installs f for the requests the server receives from then
	// on (nil removes it): f runs with the request's number n (from 1,
	// counted since Intercept) and must call exactly one of handle (the
	// server processes and answers the request) or drop (it closes the
	// connection unanswered and changes nothing). f may block. The suite
	// uses it to act at a precise request of a multi-request operation,
	// waiting for events instead of timing windows.
	Intercept func(f func(n int, handle, drop func()))
}

// Stats are a server's counters.
type Stats struct {
	// Requests counts every request received.
	Requests int
	// Faulted counts requests answered with an injected fault.
	Faulted int
}

// Faults configures a server's fault injection, counted over requests
// since the last SetFaults.
type Faults struct {
	// RateLimitEvery answers every n-th request 429 with Retry-After
	// (0 disables).
	RateLimitEvery int
	// RetryAfter is sent with the 429s, in whole seconds (0 sends "0").
	RetryAfter time.Duration
	// UnavailableEvery answers every n-th request, and the
	// UnavailableBurst-1 following ones, with 503 (0 disables).
	UnavailableEvery, UnavailableBurst int
	// Latency delays every request, honouring the request's context.
	Latency time.Duration
	// DropAfterEvery processes every n-th request (state changes happen)
	// and then closes the connection without a response (0 disables).
	DropAfterEvery int
	// DropAfterNth does the same to the n-th request only.
	DropAfterNth int
}

// Run runs every check against Providers from newProvider, each check in a
// parallel subtest with its own Provider. newProvider must register its
// clean-up with t.Cleanup.
func Run(t *testing.T, newProvider func(t *testing.T) Provider) {
	checks := []struct {
		name string
		fn   func(t *testing.T, p Provider)
	}{
		{"Lifecycle", testLifecycle},
		{"Capabilities", testCapabilities},
		{"Names", testNames},
		{"InvalidNames", testInvalidNames},
		{"Primaries", testPrimaries},
		{"Ports", testPorts},
		{"TSIG", testTSIG},
		{"Conflict", testConflict},
		{"NotFound", testNotFound},
		{"PrimaryZoneIsAbsent", testPrimaryZoneIsAbsent},
		{"ErrorMetadata", testErrorMetadata},
		{"Pagination", testPagination},
		{"Cancellation", testCancellation},
		{"Faults", testFaults},
		{"PersistentFailure", testPersistentFailure},
		{"CancelPartWay", testCancelPartWay},
		{"LostResponse", testLostResponse},
		{"CreateOptions", testCreateOptions},
		{"ConcurrentDistinct", testConcurrentDistinct},
		{"ConcurrentSame", testConcurrentSame},
	}
	for _, c := range checks {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			c.fn(t, newProvider(t))
		})
	}
}

// testCapabilities checks that what the client says it supports matches what
// the suite was told the provider supports, so that every other check that
// branches on Supports* also checks Capabilities.
func testCapabilities(t *testing.T, p Provider) {
	caps := p.Client.Capabilities()
	assert.Equal(t, p.SupportsPorts, caps.PrimaryPorts, "Capabilities().PrimaryPorts")
	assert.Equal(t, p.SupportsTSIG, caps.TSIG, "Capabilities().TSIG")
	assert.Equal(t, p.SupportsTransfer, caps.Transfer, "Capabilities().Transfer")

	// What Capabilities says false fails with ErrUnsupported (a kind of its
	// own, not ErrInvalidInput) before any request.
	c, ctx := p.Client, t.Context()
	const name = "caps.example"
	key := facade.TSIG{Name: "k.example.", Algorithm: "hmac-sha256", Secret: "c2VjcmV0"}
	port := []facade.Primary{{Addr: netip.MustParseAddr("192.0.2.1"), Port: 5353}}
	checks := []struct {
		op        string
		supported bool
		call      func() error
	}{
		{"Transfer", caps.Transfer, func() error { return c.Transfer(ctx, name) }},
		{"CreateZone", caps.TSIG, func() error { _, err := c.CreateZone(ctx, name, primariesA, facade.WithTSIG(key)); return err }},
		{"CreateZone", caps.PrimaryPorts, func() error { _, err := c.CreateZone(ctx, name, port); return err }},
		{"SetPrimaries", caps.PrimaryPorts, func() error { _, err := c.SetPrimaries(ctx, name, port); return err }},
	}
	for _, ch := range checks {
		if ch.supported {
			continue
		}
		p.noRequests(t, "unsupported "+ch.op, func() {
			err := ch.call()
			requireOpErr(t, c, err, facade.ErrUnsupported, ch.op)
			assert.ErrorIs(t, err, errors.ErrUnsupported, ch.op)
			assert.NotErrorIs(t, err, facade.ErrInvalidInput, ch.op)
		})
	}
}

// Methods are the SecondaryDNS methods by name, as Operation reports them.
var methods = []string{"ListZones", "GetZone", "CreateZone", "SetPrimaries", "DeleteZone", "Transfer", "TransferStatus"}

var (
	primariesA = []facade.Primary{
		{Addr: netip.MustParseAddr("192.0.2.1")},
		{Addr: netip.MustParseAddr("2001:db8::53")},
	}
	primariesB = []facade.Primary{
		{Addr: netip.MustParseAddr("192.0.2.10")},
		{Addr: netip.MustParseAddr("192.0.2.11"), Port: 53},
	}
)

// Call invokes the [facade.SecondaryDNS] method called op (as
// [facade.Error.Operation] names it) on c for zone name, with primaries ps
// where the method takes some, and returns its error. ListZones returns
// its first error, if any.
func Call(ctx context.Context, c facade.SecondaryDNS, op, name string, ps []facade.Primary) error {
	var err error
	switch op {
	case "ListZones":
		for _, e := range c.ListZones(ctx) {
			if e != nil {
				return e
			}
		}
	case "GetZone":
		_, err = c.GetZone(ctx, name)
	case "CreateZone":
		_, err = c.CreateZone(ctx, name, ps)
	case "SetPrimaries":
		_, err = c.SetPrimaries(ctx, name, ps)
	case "DeleteZone":
		err = c.DeleteZone(ctx, name)
	case "Transfer":
		err = c.Transfer(ctx, name)
	case "TransferStatus":
		_, err = c.TransferStatus(ctx, name)
	default:
		panic("unknown method " + op)
	}
	return err
}

// requireOpErr asserts that err matches kind and is a *facade.Error naming
// c's provider and operation op.
func requireOpErr(t testing.TB, c facade.SecondaryDNS, err error, kind error, op string) *facade.Error {
	t.Helper()
	require.Error(t, err, "%s: want an error matching %v", op, kind)
	require.ErrorIs(t, err, kind, "%s: %v", op, err)
	var fe *facade.Error
	require.True(t, errors.As(err, &fe), "%s: %T is not a *facade.Error: %v", op, err, err)
	assert.Equal(t, c.Provider(), fe.Provider, "%s: Error.Provider: %v", op, err)
	assert.Equal(t, op, fe.Operation, "%s: Error.Operation: %v", op, err)
	return fe
}

// requests returns the backend's request count, or -1 without a hook.
func (p Provider) requests() int {
	if p.Backend.Stats == nil {
		return -1
	}
	return p.Backend.Stats().Requests
}

// resources returns the backend's auxiliary object count, or -1.
func (p Provider) resources() int {
	if p.Backend.Resources == nil {
		return -1
	}
	return p.Backend.Resources()
}

// noRequests runs f and asserts the backend received no request meanwhile
// (if it can tell).
func (p Provider) noRequests(t testing.TB, what string, f func()) {
	t.Helper()
	before := p.requests()
	f()
	if before >= 0 {
		assert.Equal(t, before, p.requests(), "%s: requests were sent", what)
	}
}

// key is a primary as the contract compares it.
func key(pr facade.Primary) string {
	return netip.AddrPortFrom(pr.Addr.Unmap(), pr.PortOrDefault()).String()
}

// primarySet returns the sorted keys of ps.
func primarySet(ps []facade.Primary) []string {
	out := make([]string, 0, len(ps))
	for _, pr := range ps {
		out = append(out, key(pr))
	}
	slices.Sort(out)
	return out
}

// checkZone asserts z is the zone name with primaries ps as c reports it.
func checkZone(t testing.TB, c facade.SecondaryDNS, what string, z facade.Zone, name string, ps []facade.Primary) {
	t.Helper()
	assert.Equal(t, c.Provider(), z.Provider, "%s: Zone.Provider", what)
	assert.NotEmpty(t, z.ID, "%s: Zone.ID", what)
	assert.Equal(t, name, z.Name, "%s: Zone.Name", what)
	assert.Equal(t, primarySet(ps), primarySet(z.Primaries), "%s: Zone.Primaries (address:effective port)", what)
	for _, pr := range z.Primaries {
		assert.Equal(t, pr.Effective(), pr, "%s: Zone.Primaries in effective form (port set, address unmapped)", what)
	}
	assert.Contains(t, []facade.Readiness{facade.ReadinessUnknown, facade.ReadinessPending, facade.ReadinessReady, facade.ReadinessFailed},
		z.Readiness, "%s: Zone.Readiness", what)
}

// Projection is the provider-independent part of a zone: what the same
// zone created with the same primaries must read back as on every
// provider. Primaries are in effective form ([facade.Primary.Effective])
// and sorted.
type Projection struct {
	Name      string
	Primaries []facade.Primary
	Readiness facade.Readiness
	TSIGKey   string
}

// Project returns z's [Projection].
func Project(z facade.Zone) Projection {
	ps := make([]facade.Primary, len(z.Primaries))
	for i, p := range z.Primaries {
		ps[i] = p.Effective()
	}
	slices.SortFunc(ps, func(a, b facade.Primary) int {
		if c := a.Addr.Compare(b.Addr); c != 0 {
			return c
		}
		return int(a.Port) - int(b.Port)
	})
	return Projection{Name: z.Name, Primaries: ps, Readiness: z.Readiness, TSIGKey: z.TSIGKey}
}

// RunEqual checks the neutral model across providers: the same zone,
// created on each of them with the same primaries (and
// [facade.WithWaitUntilAvailable]), reads back equal everywhere, as
// CreateZone returns it, as GetZone and ListZones read it, and again after
// SetPrimaries: the same [Projection] (name, primaries with their
// effective ports, readiness ready, no TSIG key), primaries equal to those
// given by [facade.EqualPrimaries], and no Primary differing from its
// effective form. providers must hold at least two.
func RunEqual(t *testing.T, providers []Provider) {
	t.Helper()
	require.GreaterOrEqual(t, len(providers), 2, "RunEqual compares providers")
	ctx := t.Context()
	const name = "equal.example"
	given := []facade.Primary{
		{Addr: netip.MustParseAddr("192.0.2.1")},
		{Addr: netip.MustParseAddr("::ffff:192.0.2.2"), Port: 53},
		{Addr: netip.MustParseAddr("2001:db8::53")},
	}
	repointed := []facade.Primary{{Addr: netip.MustParseAddr("192.0.2.7"), Port: 53}}
	want := func(ps []facade.Primary) Projection {
		return Project(facade.Zone{Name: name, Primaries: ps, Readiness: facade.ReadinessReady})
	}
	views := func(p Provider, step string, first facade.Zone, ps []facade.Primary) map[string]facade.Zone {
		got, err := p.Client.GetZone(ctx, name)
		require.NoError(t, err, "%s: %s: GetZone", p.Client.Provider(), step)
		n, l := countName(listed(t, ctx, p.Client), name)
		require.Equal(t, 1, n, "%s: %s: ListZones", p.Client.Provider(), step)
		return map[string]facade.Zone{step: first, step + ", GetZone": got, step + ", ListZones": l}
	}
	for _, step := range []struct {
		name string
		ps   []facade.Primary
		do   func(c facade.SecondaryDNS) (facade.Zone, error)
	}{
		{"CreateZone", given, func(c facade.SecondaryDNS) (facade.Zone, error) {
			return c.CreateZone(ctx, name, given, facade.WithWaitUntilAvailable())
		}},
		{"SetPrimaries", repointed, func(c facade.SecondaryDNS) (facade.Zone, error) {
			if _, err := c.SetPrimaries(ctx, name, repointed); err != nil {
				return facade.Zone{}, err
			}
			// SetPrimaries may send the zone back to provisioning (IONOS):
			// read it once it is served again.
			var z facade.Zone
			err := facade.Poll(ctx, time.Millisecond, 50*time.Millisecond, func(ctx context.Context) (bool, error) {
				var err error
				z, err = c.GetZone(ctx, name)
				return err == nil && z.Readiness == facade.ReadinessReady, err
			})
			return z, err
		}},
	} {
		byProvider := map[string]Projection{}
		for _, p := range providers {
			prov := p.Client.Provider()
			z, err := step.do(p.Client)
			require.NoError(t, err, "%s: %s", prov, step.name)
			for what, v := range views(p, step.name, z, step.ps) {
				assert.True(t, facade.EqualPrimaries(step.ps, v.Primaries), "%s: %s: primaries %v, given %v", prov, what, v.Primaries, step.ps)
				assert.Equal(t, want(step.ps), Project(v), "%s: %s: neutral projection", prov, what)
				for _, pr := range v.Primaries {
					assert.Equal(t, pr.Effective(), pr, "%s: %s: primary in effective form", prov, what)
				}
				byProvider[prov+": "+what] = Project(v)
			}
		}
		var first string
		for k, v := range byProvider {
			if first == "" {
				first = k
				continue
			}
			assert.Equal(t, byProvider[first], v, "%s: %s reads back unlike %s", step.name, k, first)
		}
	}
}

// listed collects ListZones, failing on an error.
func listed(t testing.TB, ctx context.Context, c facade.SecondaryDNS) []facade.Zone {
	t.Helper()
	zs, err := facade.Collect(c.ListZones(ctx))
	require.NoError(t, err, "ListZones")
	return zs
}

// countName returns how many zones are called name.
func countName(zs []facade.Zone, name string) (int, facade.Zone) {
	n, last := 0, facade.Zone{}
	for _, z := range zs {
		if z.Name == name {
			n++
			last = z
		}
	}
	return n, last
}

// backendCount returns how many zones the backend holds called name, or -1.
func (p Provider) backendCount(name string) int {
	if p.Backend.ZoneNames == nil {
		return -1
	}
	n := 0
	for _, z := range p.Backend.ZoneNames() {
		if z == name {
			n++
		}
	}
	return n
}

func testLifecycle(t *testing.T, p Provider) {
	c, ctx := p.Client, t.Context()
	const name = "lifecycle.example"

	z, err := c.CreateZone(ctx, "Lifecycle.Example.", primariesA)
	require.NoError(t, err, "CreateZone")
	checkZone(t, c, "CreateZone", z, name, primariesA)

	got, err := c.GetZone(ctx, name)
	require.NoError(t, err, "GetZone")
	checkZone(t, c, "GetZone", got, name, primariesA)
	assert.Equal(t, z.ID, got.ID, "GetZone: ID differs from CreateZone's")

	n, lz := countName(listed(t, ctx, c), name)
	require.Equal(t, 1, n, "ListZones: occurrences of %s", name)
	checkZone(t, c, "ListZones", lz, name, primariesA)
	assert.Equal(t, z.ID, lz.ID, "ListZones: ID differs from CreateZone's")

	want := primariesB
	if p.SupportsPorts {
		want = append(slices.Clone(primariesB), facade.Primary{Addr: netip.MustParseAddr("2001:db8::54"), Port: 5353})
	}
	upd, err := c.SetPrimaries(ctx, name, want)
	require.NoError(t, err, "SetPrimaries")
	checkZone(t, c, "SetPrimaries", upd, name, want)
	assert.Equal(t, z.ID, upd.ID, "SetPrimaries: ID changed")

	got, err = c.GetZone(ctx, "LIFECYCLE.example")
	require.NoError(t, err, "GetZone after SetPrimaries")
	checkZone(t, c, "GetZone after SetPrimaries", got, name, want)

	if p.SupportsTransfer {
		require.NoError(t, c.Transfer(ctx, name), "Transfer")
	} else {
		p.noRequests(t, "unsupported Transfer", func() {
			err := c.Transfer(ctx, name)
			requireOpErr(t, c, err, facade.ErrUnsupported, "Transfer")
		})
	}

	ts, err := c.TransferStatus(ctx, name)
	require.NoError(t, err, "TransferStatus")
	assert.Equal(t, name, ts.Zone, "TransferStatus.Zone")
	if len(ts.Primaries) > 0 {
		ps := make([]facade.Primary, 0, len(ts.Primaries))
		for _, s := range ts.Primaries {
			ps = append(ps, s.Primary)
		}
		assert.Equal(t, primarySet(want), primarySet(ps), "TransferStatus.Primaries are not the zone's current primaries")
	}

	require.NoError(t, c.DeleteZone(ctx, "lifecycle.EXAMPLE."), "DeleteZone")
	_, err = c.GetZone(ctx, name)
	requireOpErr(t, c, err, facade.ErrNotFound, "GetZone")
	n, _ = countName(listed(t, ctx, c), name)
	assert.Zero(t, n, "ListZones still lists %s after DeleteZone", name)
	err = c.DeleteZone(ctx, name)
	requireOpErr(t, c, err, facade.ErrNotFound, "DeleteZone")
	if bc := p.backendCount(name); bc >= 0 {
		assert.Zero(t, bc, "backend still holds %s", name)
	}
}

func testNames(t *testing.T, p Provider) {
	c, ctx := p.Client, t.Context()

	z, err := c.CreateZone(ctx, "Example.COM.", primariesA)
	require.NoError(t, err, "CreateZone Example.COM.")
	checkZone(t, c, "CreateZone Example.COM.", z, "example.com", primariesA)
	for _, spelling := range []string{"example.com", "EXAMPLE.com", "example.com."} {
		got, err := c.GetZone(ctx, spelling)
		require.NoError(t, err, "GetZone %q", spelling)
		checkZone(t, c, "GetZone "+spelling, got, "example.com", primariesA)
		assert.Equal(t, z.ID, got.ID, "GetZone %q", spelling)
	}
	_, err = c.CreateZone(ctx, "example.com", primariesB)
	requireOpErr(t, c, err, facade.ErrConflict, "CreateZone")

	const alabel = "xn--bcher-kva.example"
	z, err = c.CreateZone(ctx, "Bücher.Example.", primariesA)
	require.NoError(t, err, "CreateZone IDN")
	checkZone(t, c, "CreateZone IDN", z, alabel, primariesA)
	for _, spelling := range []string{"bücher.example", alabel, "XN--BCHER-KVA.example."} {
		got, err := c.GetZone(ctx, spelling)
		require.NoError(t, err, "GetZone %q", spelling)
		checkZone(t, c, "GetZone "+spelling, got, alabel, primariesA)
	}
	zs := listed(t, ctx, c)
	n, _ := countName(zs, alabel)
	assert.Equal(t, 1, n, "ListZones: occurrences of %s", alabel)
	n, _ = countName(zs, "example.com")
	assert.Equal(t, 1, n, "ListZones: occurrences of example.com")
	ts, err := c.TransferStatus(ctx, "bücher.example")
	require.NoError(t, err, "TransferStatus IDN")
	assert.Equal(t, alabel, ts.Zone, "TransferStatus.Zone")

	require.NoError(t, c.DeleteZone(ctx, "bücher.example."), "DeleteZone IDN")
	require.NoError(t, c.DeleteZone(ctx, "EXAMPLE.COM"), "DeleteZone EXAMPLE.COM")
	assert.Empty(t, listed(t, ctx, c), "ListZones after deleting everything")
}

// invalidNames are rejected by [facade.NormalizeZoneName], among them
// names that IDNA mapping would silently turn into another zone's name
// (zero-width space, soft hyphen, width and dot mapping).
var invalidNames = []string{"", "a..b", strings.Repeat("a", 64) + ".example", ".example.com", "exa mple.com", "_acme.example.com", "example", "-bad.example",
	"ex\u200bample.com", "exa\u00admple.com", "ex\u200dample.com", "e\ufe00xample.com", "\uff45xample.com", "example\u3002com", "example\uff0ecom"}

func testInvalidNames(t *testing.T, p Provider) {
	c, ctx := p.Client, t.Context()
	// The zone the mapped names would silently address.
	victim, err := c.CreateZone(ctx, "example.com", primariesA)
	require.NoError(t, err, "CreateZone example.com")
	for _, name := range invalidNames {
		for _, op := range methods {
			if op == "ListZones" {
				continue
			}
			p.noRequests(t, fmt.Sprintf("%s(%q)", op, name), func() {
				err := Call(ctx, c, op, name, primariesA)
				requireOpErr(t, c, err, facade.ErrInvalidInput, op)
			})
		}
	}
	got, err := c.GetZone(ctx, "example.com")
	require.NoError(t, err, "GetZone example.com after the refused calls")
	checkZone(t, c, "GetZone example.com after the refused calls", got, "example.com", primariesA)
	assert.Equal(t, victim.ID, got.ID, "example.com was replaced")
}

// invalidPrimaries are rejected by [facade.ValidatePrimaries].
var invalidPrimaries = map[string][]facade.Primary{
	"nil":              nil,
	"empty":            {},
	"zero address":     {{}},
	"unspecified IPv4": {{Addr: netip.MustParseAddr("0.0.0.0")}},
	"unspecified IPv6": {{Addr: netip.MustParseAddr("::")}},
	"IPv6 zone":        {{Addr: netip.MustParseAddr("fe80::1%eth0")}},
	"duplicate":        {{Addr: netip.MustParseAddr("192.0.2.1")}, {Addr: netip.MustParseAddr("192.0.2.1")}},
	"duplicate port 53": {
		{Addr: netip.MustParseAddr("192.0.2.1")}, {Addr: netip.MustParseAddr("192.0.2.1"), Port: 53},
	},
	"duplicate IPv4-mapped": {
		{Addr: netip.MustParseAddr("192.0.2.1")}, {Addr: netip.MustParseAddr("::ffff:192.0.2.1")},
	},
	// Addresses no hosted provider can transfer from ([facade.CheckPrimaryAddr]).
	"broadcast":            {{Addr: netip.MustParseAddr("255.255.255.255")}},
	"reserved":             {{Addr: netip.MustParseAddr("240.0.0.1")}},
	"this network":         {{Addr: netip.MustParseAddr("0.1.2.3")}},
	"multicast IPv4":       {{Addr: netip.MustParseAddr("224.0.0.251")}},
	"multicast IPv6":       {{Addr: netip.MustParseAddr("ff02::fb")}},
	"link-local IPv4":      {{Addr: netip.MustParseAddr("169.254.1.1")}},
	"link-local IPv6":      {{Addr: netip.MustParseAddr("fe80::1")}},
	"loopback IPv4":        {{Addr: netip.MustParseAddr("127.0.0.1")}},
	"loopback IPv6":        {{Addr: netip.MustParseAddr("::1")}},
	"loopback IPv4-mapped": {{Addr: netip.MustParseAddr("::ffff:127.0.0.1")}},
	"private 10/8":         {{Addr: netip.MustParseAddr("10.1.2.3")}},
	"private 172.16/12":    {{Addr: netip.MustParseAddr("172.16.0.1")}},
	"private 192.168/16":   {{Addr: netip.MustParseAddr("192.168.1.1")}},
	"private fc00::/7":     {{Addr: netip.MustParseAddr("fd00::53")}},
	"shared 100.64/10":     {{Addr: netip.MustParseAddr("100.64.0.1")}},
	"one bad among good":   {{Addr: netip.MustParseAddr("192.0.2.1")}, {Addr: netip.MustParseAddr("10.0.0.1")}},
}

func testPrimaries(t *testing.T, p Provider) {
	c, ctx := p.Client, t.Context()
	const name = "primaries.example"
	for what, ps := range invalidPrimaries {
		p.noRequests(t, "CreateZone with "+what+" primaries", func() {
			_, err := c.CreateZone(ctx, name, ps)
			requireOpErr(t, c, err, facade.ErrInvalidInput, "CreateZone")
		})
	}
	// Nothing was created.
	_, err := c.GetZone(ctx, name)
	requireOpErr(t, c, err, facade.ErrNotFound, "GetZone")

	// Port 53 may be given explicitly everywhere; IPv4-mapped addresses
	// are unmapped.
	explicit := []facade.Primary{
		{Addr: netip.MustParseAddr("192.0.2.1"), Port: 53},
		{Addr: netip.MustParseAddr("::ffff:192.0.2.2")},
	}
	z, err := c.CreateZone(ctx, name, explicit)
	require.NoError(t, err, "CreateZone with explicit port 53")
	checkZone(t, c, "CreateZone with explicit port 53", z, name, explicit)
	for _, pr := range z.Primaries {
		assert.True(t, pr.Addr.Is4() || !pr.Addr.Is4In6(), "CreateZone returned an IPv4-mapped address %s", pr.Addr)
	}

	for what, ps := range invalidPrimaries {
		p.noRequests(t, "SetPrimaries with "+what+" primaries", func() {
			_, err := c.SetPrimaries(ctx, name, ps)
			requireOpErr(t, c, err, facade.ErrInvalidInput, "SetPrimaries")
		})
	}
	got, err := c.GetZone(ctx, name)
	require.NoError(t, err, "GetZone")
	checkZone(t, c, "GetZone after rejected SetPrimaries", got, name, explicit)
}

func testPorts(t *testing.T, p Provider) {
	c, ctx := p.Client, t.Context()
	const name = "ports.example"
	withPort := []facade.Primary{
		{Addr: netip.MustParseAddr("192.0.2.1"), Port: 5353},
		{Addr: netip.MustParseAddr("2001:db8::53")},
	}
	if !p.SupportsPorts {
		p.noRequests(t, "CreateZone with port 5353", func() {
			_, err := c.CreateZone(ctx, name, withPort)
			requireOpErr(t, c, err, facade.ErrUnsupported, "CreateZone")
			require.ErrorIs(t, err, errors.ErrUnsupported, "CreateZone with port 5353")
		})
		_, err := c.CreateZone(ctx, name, primariesA)
		require.NoError(t, err, "CreateZone")
		p.noRequests(t, "SetPrimaries with port 5353", func() {
			_, err := c.SetPrimaries(ctx, name, withPort)
			requireOpErr(t, c, err, facade.ErrUnsupported, "SetPrimaries")
			require.ErrorIs(t, err, errors.ErrUnsupported, "SetPrimaries with port 5353")
		})
		got, err := c.GetZone(ctx, name)
		require.NoError(t, err, "GetZone")
		checkZone(t, c, "GetZone after rejected SetPrimaries", got, name, primariesA)
		return
	}
	z, err := c.CreateZone(ctx, name, withPort)
	require.NoError(t, err, "CreateZone with port 5353")
	checkZone(t, c, "CreateZone with port 5353", z, name, withPort)
	got, err := c.GetZone(ctx, name)
	require.NoError(t, err, "GetZone")
	checkZone(t, c, "GetZone", got, name, withPort)

	// The same address on two ports is two primaries.
	twoPorts := []facade.Primary{
		{Addr: netip.MustParseAddr("192.0.2.1")},
		{Addr: netip.MustParseAddr("192.0.2.1"), Port: 5353},
	}
	upd, err := c.SetPrimaries(ctx, name, twoPorts)
	require.NoError(t, err, "SetPrimaries with one address on two ports")
	checkZone(t, c, "SetPrimaries", upd, name, twoPorts)
	got, err = c.GetZone(ctx, name)
	require.NoError(t, err, "GetZone")
	checkZone(t, c, "GetZone after SetPrimaries", got, name, twoPorts)
}

func testTSIG(t *testing.T, p Provider) {
	c, ctx := p.Client, t.Context()
	const name = "tsig.example"
	key := facade.TSIG{Name: "transfer-key.example.", Algorithm: "hmac-sha256", Secret: "c2VjcmV0LXNlY3JldC1zZWNyZXQ="}
	if !p.SupportsTSIG {
		p.noRequests(t, "CreateZone WithTSIG", func() {
			_, err := c.CreateZone(ctx, name, primariesA, facade.WithTSIG(key))
			requireOpErr(t, c, err, facade.ErrUnsupported, "CreateZone")
			require.ErrorIs(t, err, errors.ErrUnsupported, "CreateZone WithTSIG")
		})
		_, err := c.GetZone(ctx, name)
		requireOpErr(t, c, err, facade.ErrNotFound, "GetZone")
		return
	}
	// An invalid key is rejected before any request.
	p.noRequests(t, "CreateZone with an invalid TSIG key", func() {
		bad := key
		bad.Secret = "not base64!"
		_, err := c.CreateZone(ctx, name, primariesA, facade.WithTSIG(bad))
		requireOpErr(t, c, err, facade.ErrInvalidInput, "CreateZone")
	})
	z, err := c.CreateZone(ctx, name, primariesA, facade.WithTSIG(key))
	require.NoError(t, err, "CreateZone WithTSIG")
	checkZone(t, c, "CreateZone WithTSIG", z, name, primariesA)
	assert.NotEmpty(t, z.TSIGKey, "CreateZone WithTSIG: Zone.TSIGKey")
	got, err := c.GetZone(ctx, name)
	require.NoError(t, err, "GetZone")
	assert.Equal(t, z.TSIGKey, got.TSIGKey, "GetZone: Zone.TSIGKey")
}

func testConflict(t *testing.T, p Provider) {
	c, ctx := p.Client, t.Context()
	const name = "conflict.example"
	first, err := c.CreateZone(ctx, name, primariesA)
	require.NoError(t, err, "CreateZone")
	for _, spelling := range []string{name, "Conflict.Example."} {
		_, err = c.CreateZone(ctx, spelling, primariesB)
		requireOpErr(t, c, err, facade.ErrConflict, "CreateZone")
	}
	got, err := c.GetZone(ctx, name)
	require.NoError(t, err, "GetZone")
	checkZone(t, c, "GetZone after conflicting CreateZone", got, name, primariesA)
	assert.Equal(t, first.ID, got.ID, "the first zone was replaced")
	n, _ := countName(listed(t, ctx, c), name)
	assert.Equal(t, 1, n, "ListZones: occurrences of %s", name)
	if bc := p.backendCount(name); bc >= 0 {
		assert.Equal(t, 1, bc, "backend zones called %s", name)
	}
}

func testNotFound(t *testing.T, p Provider) {
	c, ctx := p.Client, t.Context()
	// A zone whose name contains the absent ones, so that a lookup by a
	// "contains" filter finds something that is not an exact match.
	_, err := c.CreateZone(ctx, "present.example", primariesA)
	require.NoError(t, err, "CreateZone")
	for _, name := range []string{"absent.example", "resent.example", "present.exampl", "sub.present.example"} {
		for _, op := range methods {
			if op == "ListZones" || op == "CreateZone" || (op == "Transfer" && !p.SupportsTransfer) {
				continue
			}
			err := Call(ctx, c, op, name, primariesB)
			requireOpErr(t, c, err, facade.ErrNotFound, op)
		}
	}
	got, err := c.GetZone(ctx, "present.example")
	require.NoError(t, err, "GetZone present.example")
	checkZone(t, c, "GetZone present.example", got, "present.example", primariesA)
}

func testPrimaryZoneIsAbsent(t *testing.T, p Provider) {
	if p.Backend.SeedPrimaryZone == nil {
		t.Skip("the backend holds no primary zones (no SeedPrimaryZone hook)")
	}
	c, ctx := p.Client, t.Context()
	const name = "primary.example"
	p.Backend.SeedPrimaryZone(t, name)
	for _, op := range methods {
		if op == "ListZones" || op == "CreateZone" || (op == "Transfer" && !p.SupportsTransfer) {
			continue
		}
		err := Call(ctx, c, op, name, primariesB)
		requireOpErr(t, c, err, facade.ErrNotFound, op)
	}
	n, _ := countName(listed(t, ctx, c), name)
	assert.Zero(t, n, "ListZones lists the primary zone %s", name)
	_, err := c.CreateZone(ctx, name, primariesA)
	requireOpErr(t, c, err, facade.ErrConflict, "CreateZone")
	if bc := p.backendCount(name); bc >= 0 {
		assert.Equal(t, 1, bc, "the primary zone %s was deleted or duplicated", name)
	}
}

func testErrorMetadata(t *testing.T, p Provider) {
	c, ctx := p.Client, t.Context()
	// Errors raised before any request.
	for _, op := range methods {
		if op == "ListZones" {
			continue
		}
		err := Call(ctx, c, op, "bad..name", primariesA)
		requireOpErr(t, c, err, facade.ErrInvalidInput, op)
	}
	// Errors raised from a response (or from a lookup of one).
	for _, op := range methods {
		if op == "ListZones" || op == "CreateZone" || (op == "Transfer" && !p.SupportsTransfer) {
			continue
		}
		err := Call(ctx, c, op, "absent.example", primariesA)
		requireOpErr(t, c, err, facade.ErrNotFound, op)
	}
	_, err := c.CreateZone(ctx, "meta.example", primariesA)
	require.NoError(t, err)
	_, err = c.CreateZone(ctx, "meta.example", primariesA)
	requireOpErr(t, c, err, facade.ErrConflict, "CreateZone")
	// Errors from the context.
	cctx, cancel := context.WithCancel(ctx)
	cancel()
	for _, op := range methods {
		if op == "Transfer" && !p.SupportsTransfer {
			continue
		}
		err := Call(cctx, c, op, "meta.example", primariesB)
		requireOpErr(t, c, err, context.Canceled, op)
	}
}

func testPagination(t *testing.T, p Provider) {
	c, ctx := p.Client, t.Context()
	total := max(120, 2*p.PageSize+20) // more than two pages
	names := make([]string, total)
	for i := range names {
		names[i] = fmt.Sprintf("page-%04d.example", i)
	}
	if p.Backend.SeedSecondaryZones != nil {
		p.Backend.SeedSecondaryZones(t, names[1:])
	} else {
		createAll(t, c, names[1:])
	}
	// One zone through the client, with primaries.
	_, err := c.CreateZone(ctx, names[0], primariesA)
	require.NoError(t, err, "CreateZone")

	seq := c.ListZones(ctx)
	fullCost := -1
	for round := range 2 { // a sequence may be ranged over again
		seen := map[string]int{}
		before := p.requests()
		for z, err := range seq {
			require.NoError(t, err, "ListZones round %d", round)
			seen[z.Name]++
			if z.Name == names[0] {
				checkZone(t, c, "ListZones", z, names[0], primariesA)
			}
		}
		if before >= 0 && round == 0 {
			fullCost = p.requests() - before
			t.Logf("%d requests for %d zones", fullCost, total)
		}
		assert.Len(t, seen, total, "ListZones round %d: distinct zones", round)
		for _, n := range names {
			assert.Equal(t, 1, seen[n], "ListZones round %d: occurrences of %s", round, n)
		}
	}

	if fullCost < 0 {
		return
	}
	before := p.requests()
	for range seq {
		break
	}
	afterBreak := p.requests()
	time.Sleep(20 * time.Millisecond)
	assert.Equal(t, afterBreak, p.requests(), "requests continued after the loop was left")
	assert.Less(t, afterBreak-before, fullCost, "leaving after the first zone cost as many requests as a full listing")
}

// createAll creates zones through the client, a few at a time.
func createAll(t testing.TB, c facade.SecondaryDNS, names []string) {
	t.Helper()
	var wg sync.WaitGroup
	errs := make([]error, len(names))
	sem := make(chan struct{}, 4)
	for i, n := range names {
		wg.Go(func() {
			sem <- struct{}{}
			defer func() { <-sem }()
			_, errs[i] = c.CreateZone(t.Context(), n, primariesA)
		})
	}
	wg.Wait()
	require.NoError(t, errors.Join(errs...), "creating zones")
}

func testCancellation(t *testing.T, p Provider) {
	c, ctx := p.Client, t.Context()
	const name = "cancel.example"
	_, err := c.CreateZone(ctx, name, primariesA)
	require.NoError(t, err, "CreateZone")

	ops := slices.DeleteFunc(slices.Clone(methods), func(op string) bool {
		return op == "Transfer" && !p.SupportsTransfer
	})
	target := func(op string) string {
		if op == "CreateZone" {
			return "cancel-new.example"
		}
		return name
	}
	// prompt separates "returned because the context ended" from "hung":
	// the fake's latency below is a minute, a Retry-After 30 s and the
	// clean-up budget 30 s, so a client ignoring ctx takes 30 s or more.
	const prompt = 15 * time.Second

	// Cancelled before the call.
	cctx, cancel := context.WithCancel(ctx)
	cancel()
	for _, op := range ops {
		start := time.Now()
		err := Call(cctx, c, op, target(op), primariesB)
		requireOpErr(t, c, err, context.Canceled, op)
		assert.Less(t, time.Since(start), prompt, "%s with a cancelled context", op)
	}

	if p.Backend.SetFaults == nil {
		return
	}
	// Cancelled while a request is in flight: the server holds the
	// method's first request until the context is cancelled and then drops
	// it (later requests, e.g. a clean-up's, are answered at once).
	if p.Backend.Intercept != nil {
		for _, op := range ops {
			cctx, cancel := context.WithCancel(ctx)
			p.Backend.Intercept(func(n int, handle, drop func()) {
				if n == 1 {
					cancel()
					drop()
					return
				}
				handle()
			})
			start := time.Now()
			err := Call(cctx, c, op, target(op), primariesB)
			p.Backend.Intercept(nil)
			cancel()
			requireOpErr(t, c, err, context.Canceled, op)
			assert.Less(t, time.Since(start), prompt, "%s cancelled in flight", op)
		}
	}
	// A deadline while a request is in flight.
	p.Backend.SetFaults(Faults{Latency: time.Minute})
	dctx, dcancel := context.WithTimeout(ctx, 20*time.Millisecond)
	start := time.Now()
	_, err = c.GetZone(dctx, name)
	dcancel()
	requireOpErr(t, c, err, context.DeadlineExceeded, "GetZone")
	assert.Less(t, time.Since(start), prompt, "GetZone past its deadline")

	// Cancelled while waiting to retry a 429 that asked for 30s: the
	// server answers the method's first request 429 and the context is
	// cancelled as that answer leaves. Later requests (a clean-up's, if
	// the client could not tell the answer arrived) are served without the
	// fault.
	if p.Backend.Intercept != nil {
		for _, op := range ops {
			cctx, cancel := context.WithCancel(ctx)
			p.Backend.SetFaults(Faults{RateLimitEvery: 1, RetryAfter: 30 * time.Second})
			p.Backend.Intercept(func(n int, handle, drop func()) {
				if n == 1 {
					handle()
					cancel()
					return
				}
				if n == 2 {
					p.Backend.SetFaults(Faults{})
				}
				handle()
			})
			start := time.Now()
			err := Call(cctx, c, op, target(op), primariesB)
			p.Backend.Intercept(nil)
			cancel()
			require.Error(t, err, "%s", op)
			// A client whose MaxRetryAfter is below 30s gives up with
			// ErrRateLimited at once, which is also prompt.
			if !errors.Is(err, facade.ErrRateLimited) || errors.Is(err, context.Canceled) {
				requireOpErr(t, c, err, context.Canceled, op)
			}
			assert.Less(t, time.Since(start), prompt, "%s cancelled during a retry wait", op)
		}
	}
	p.Backend.SetFaults(Faults{})

	// The zone is intact and the client still works.
	got, err := c.GetZone(ctx, name)
	require.NoError(t, err, "GetZone after the cancellations")
	assert.Equal(t, name, got.Name)
}

// retryOnServerError calls f until it succeeds or fails with anything but
// ErrServer (a 503 on a request the client must not repeat), at most 10
// times. check runs after each ErrServer and may assert that the failure
// left no trace.
func retryOnServerError(t testing.TB, what string, f func() error, check func()) {
	t.Helper()
	var err error
	for attempt := range 10 {
		if err = f(); err == nil || !errors.Is(err, facade.ErrServer) {
			break
		}
		t.Logf("%s: attempt %d: %v", what, attempt+1, err)
		if check != nil {
			check()
		}
	}
	require.NoError(t, err, "%s", what)
}

func testFaults(t *testing.T, p Provider) {
	if p.Backend.SetFaults == nil {
		t.Skip("no SetFaults hook")
	}
	c, ctx := p.Client, t.Context()
	p.Backend.SetFaults(Faults{RateLimitEvery: 4, UnavailableEvery: 7, UnavailableBurst: 2})

	names := []string{"faults-0.example", "faults-1.example", "faults-2.example", "faults-3.example"}
	for _, name := range names {
		resources := p.resources()
		retryOnServerError(t, "CreateZone "+name, func() error {
			_, err := c.CreateZone(ctx, name, primariesA)
			return err
		}, func() {
			// A failed CreateZone leaves nothing behind.
			_, err := c.GetZone(ctx, name)
			assert.ErrorIs(t, err, facade.ErrNotFound, "GetZone after a failed CreateZone of %s", name)
			assert.Equal(t, resources, p.resources(), "a failed CreateZone of %s left auxiliary objects behind", name)
		})
	}
	name := names[0]
	got, err := c.GetZone(ctx, name)
	require.NoError(t, err, "GetZone")
	checkZone(t, c, "GetZone", got, name, primariesA)
	retryOnServerError(t, "SetPrimaries", func() error {
		_, err := c.SetPrimaries(ctx, name, primariesB)
		return err
	}, nil)
	got, err = c.GetZone(ctx, name)
	require.NoError(t, err, "GetZone")
	checkZone(t, c, "GetZone after SetPrimaries", got, name, primariesB)
	if p.SupportsTransfer {
		retryOnServerError(t, "Transfer", func() error { return c.Transfer(ctx, name) }, nil)
	}
	ts, err := c.TransferStatus(ctx, name)
	require.NoError(t, err, "TransferStatus")
	assert.Equal(t, name, ts.Zone)

	zs := listed(t, ctx, c)
	for _, n := range names {
		cnt, _ := countName(zs, n)
		assert.Equal(t, 1, cnt, "ListZones: occurrences of %s", n)
		if bc := p.backendCount(n); bc >= 0 {
			assert.Equal(t, 1, bc, "backend zones called %s", n)
		}
	}
	for _, n := range names {
		retryOnServerError(t, "DeleteZone "+n, func() error { return c.DeleteZone(ctx, n) }, nil)
	}
	assert.Empty(t, listed(t, ctx, c), "ListZones after deleting everything")
	if p.Backend.Stats != nil {
		st := p.Backend.Stats()
		t.Logf("%d requests, %d faulted", st.Requests, st.Faulted)
		assert.Positive(t, st.Faulted, "no fault was injected")
	}
	p.Backend.SetFaults(Faults{})
	if p.Backend.ZoneNames != nil {
		assert.Empty(t, p.Backend.ZoneNames(), "backend zones left over")
	}
}

const parallelism = 8

func testConcurrentDistinct(t *testing.T, p Provider) {
	c, ctx := p.Client, t.Context()
	names := make([]string, parallelism)
	for i := range names {
		names[i] = fmt.Sprintf("distinct-%d.example", i)
	}
	var wg sync.WaitGroup
	errs := make([]error, len(names))
	start := make(chan struct{})
	for i, n := range names {
		wg.Go(func() {
			<-start
			_, errs[i] = c.CreateZone(ctx, n, primariesA)
		})
	}
	close(start)
	wg.Wait()
	for i, err := range errs {
		assert.NoError(t, err, "CreateZone %s", names[i])
	}
	zs := listed(t, ctx, c)
	for _, n := range names {
		cnt, z := countName(zs, n)
		assert.Equal(t, 1, cnt, "ListZones: occurrences of %s", n)
		checkZone(t, c, "ListZones "+n, z, n, primariesA)
		got, err := c.GetZone(ctx, n)
		if assert.NoError(t, err, "GetZone %s", n) {
			checkZone(t, c, "GetZone "+n, got, n, primariesA)
		}
	}

	// Deleting them in parallel, while SetPrimaries runs on another zone
	// sharing the primaries, leaves that zone intact.
	keep := names[0]
	errs = make([]error, len(names))
	for i, n := range names[1:] {
		wg.Go(func() { errs[i] = c.DeleteZone(ctx, n) })
	}
	wg.Go(func() {
		_, errs[len(errs)-1] = c.SetPrimaries(ctx, keep, append(slices.Clone(primariesA), primariesB...))
	})
	wg.Wait()
	require.NoError(t, errors.Join(errs...))
	got, err := c.GetZone(ctx, keep)
	require.NoError(t, err, "GetZone")
	checkZone(t, c, "GetZone "+keep, got, keep, append(slices.Clone(primariesA), primariesB...))
}

func testConcurrentSame(t *testing.T, p Provider) {
	c, ctx := p.Client, t.Context()
	const name = "same.example"
	var wg sync.WaitGroup
	errs := make([]error, parallelism)
	start := make(chan struct{})
	for i := range errs {
		wg.Go(func() {
			<-start
			_, errs[i] = c.CreateZone(ctx, name, primariesA)
		})
	}
	close(start)
	wg.Wait()
	ok := 0
	for i, err := range errs {
		if err == nil {
			ok++
			continue
		}
		assert.ErrorIs(t, err, facade.ErrConflict, "CreateZone #%d", i)
	}
	assert.Equal(t, 1, ok, "successful concurrent CreateZone calls of one zone")

	got, err := c.GetZone(ctx, name)
	require.NoError(t, err, "GetZone")
	checkZone(t, c, "GetZone after the race (the losers' rollback must not touch the winner)", got, name, primariesA)
	n, _ := countName(listed(t, ctx, c), name)
	assert.Equal(t, 1, n, "ListZones: occurrences of %s", name)
	if bc := p.backendCount(name); bc >= 0 {
		assert.Equal(t, 1, bc, "backend zones called %s", name)
	}
}

func testPersistentFailure(t *testing.T, p Provider) {
	if p.Backend.SetFaults == nil {
		t.Skip("no SetFaults hook")
	}
	c, ctx := p.Client, t.Context()
	const name = "down.example"
	_, err := c.CreateZone(ctx, name, primariesA)
	require.NoError(t, err, "CreateZone")
	p.Backend.SetFaults(Faults{UnavailableEvery: 1})

	// ListZones yields the error once, last, with a zero Zone.
	n := 0
	for z, err := range c.ListZones(ctx) {
		n++
		require.Equal(t, 1, n, "ListZones went on after an error")
		assert.Zero(t, z, "ListZones: Zone yielded with the error")
		fe := requireOpErr(t, c, err, facade.ErrServer, "ListZones")
		assert.Equal(t, 503, fe.StatusCode, "ListZones: Error.StatusCode")
	}
	require.Equal(t, 1, n, "ListZones yielded no error")

	for _, op := range methods[1:] {
		if op == "Transfer" && !p.SupportsTransfer {
			continue
		}
		target := name
		if op == "CreateZone" {
			target = "down-new.example"
		}
		err := Call(ctx, c, op, target, primariesB)
		fe := requireOpErr(t, c, err, facade.ErrServer, op)
		assert.Equal(t, 503, fe.StatusCode, "%s: Error.StatusCode", op)
	}
	p.Backend.SetFaults(Faults{})
	got, err := c.GetZone(ctx, name)
	require.NoError(t, err, "GetZone once the backend is back")
	checkZone(t, c, "GetZone once the backend is back", got, name, primariesA)
	_, err = c.GetZone(ctx, "down-new.example")
	requireOpErr(t, c, err, facade.ErrNotFound, "GetZone")
}

// testCancelPartWay cancels CreateZone while its k-th request is at the
// server, for k = 1, 2, ... until a CreateZone completes first, in two
// variants: the server drops the request unprocessed, or processes it (its
// answer then goes to a caller that has stopped listening). Nothing may be
// left behind. It is driven by events, not timing: the server's intercept
// cancels the caller's context while it holds request k, and holds every
// later request (the clean-up's) until request k has taken effect or been
// dropped.
func testCancelPartWay(t *testing.T, p Provider) {
	if p.Backend.Intercept == nil {
		t.Skip("needs the Intercept hook")
	}
	c, ctx := p.Client, t.Context()
	const name = "partway.example"
	for _, process := range []bool{false, true} {
		for k := 1; k <= 16; k++ {
			resources := p.resources()
			cctx, cancel := context.WithCancel(ctx)
			reachedK := make(chan struct{})
			p.Backend.Intercept(func(n int, handle, drop func()) {
				switch {
				case n < k:
					handle()
				case n == k:
					cancel()
					if process {
						handle()
					} else {
						drop()
					}
					close(reachedK)
				default:
					<-reachedK
					handle()
				}
			})
			_, err := c.CreateZone(cctx, name, primariesA)
			p.Backend.Intercept(nil)
			cancel()
			reached := false
			select {
			case <-reachedK:
				reached = true
			default:
			}
			if err == nil {
				// Done before request k, or request k's answer reached the
				// caller before it noticed the cancellation: complete.
				got, gerr := c.GetZone(ctx, name)
				require.NoError(t, gerr, "k=%d: GetZone after a successful CreateZone", k)
				checkZone(t, c, fmt.Sprintf("k=%d: GetZone", k), got, name, primariesA)
				require.NoError(t, c.DeleteZone(ctx, name), "DeleteZone")
				if !reached {
					t.Logf("CreateZone needs fewer than %d requests", k)
					break
				}
				continue
			}
			requireOpErr(t, c, err, context.Canceled, "CreateZone")
			_, err = c.GetZone(ctx, name)
			requireOpErr(t, c, err, facade.ErrNotFound, "GetZone")
			if bc := p.backendCount(name); bc >= 0 {
				require.Zero(t, bc, "CreateZone cancelled during request %d (processed: %v) left the zone behind", k, process)
			}
			require.Equal(t, resources, p.resources(), "CreateZone cancelled during request %d (processed: %v) left auxiliary objects behind", k, process)
		}
	}
}

func testCreateOptions(t *testing.T, p Provider) {
	c, ctx := p.Client, t.Context()
	const name = "options.example"
	z, err := c.CreateZone(ctx, name, primariesA,
		facade.WithWaitUntilAvailable(), facade.WithDescription("conformance"), nil)
	require.NoError(t, err, "CreateZone with options")
	checkZone(t, c, "CreateZone with options", z, name, primariesA)
	got, err := c.GetZone(ctx, name)
	require.NoError(t, err, "GetZone")
	checkZone(t, c, "GetZone", got, name, primariesA)
	assert.Equal(t, z.ID, got.ID)
}

// testLostResponse makes the backend process the k-th request of a
// CreateZone but drop the connection instead of answering, for k = 1, ...,
// 10, and then, for k = 2, ..., 10, every k-th request (so that retries and
// the clean-up lose answers too). A CreateZone
// that then fails must not leave the zone half-created: either nothing is
// left (no zone and, where the backend can count them, no new auxiliary
// objects), or the zone exists complete with the requested primaries.
func testLostResponse(t *testing.T, p Provider) {
	if p.Backend.SetFaults == nil {
		t.Skip("needs the SetFaults hook")
	}
	c, ctx := p.Client, t.Context()
	const name = "lost.example"
	// Every k-th from k = 2 on: k = 1 would lose every answer, the
	// clean-up's own included, and a client of an API that addresses zones
	// by ID could then never learn what to delete.
	type lost struct{ only, every int }
	var cases []lost
	for k := 1; k <= 10; k++ {
		cases = append(cases, lost{only: k})
	}
	for k := 2; k <= 10; k++ {
		cases = append(cases, lost{every: k})
	}
	for _, lc := range cases {
		k := max(lc.only, lc.every)
		resources := p.resources()
		p.Backend.SetFaults(Faults{DropAfterNth: lc.only, DropAfterEvery: lc.every})
		_, err := c.CreateZone(ctx, name, primariesA)
		p.Backend.SetFaults(Faults{})
		if err == nil { // the lost responses were to retried requests, or none
			require.NoError(t, c.DeleteZone(ctx, name), "DeleteZone")
			continue
		}
		t.Logf("k=%d: CreateZone: %v", k, err)
		got, gerr := c.GetZone(ctx, name)
		switch {
		case errors.Is(gerr, facade.ErrNotFound):
			if bc := p.backendCount(name); bc >= 0 {
				assert.Zero(t, bc, "k=%d: the backend holds a zone %s that GetZone does not report", k, name)
			}
			assert.Equal(t, resources, p.resources(), "k=%d: a failed CreateZone (response to request %d lost) left auxiliary objects behind", k, k)
		case gerr == nil:
			t.Logf("k=%d: the failed CreateZone left a complete zone behind (a retry gets ErrConflict)", k)
			assert.Equal(t, primarySet(primariesA), primarySet(got.Primaries),
				"k=%d: a failed CreateZone (response to request %d lost) left the zone half-created", k, k)
			require.NoError(t, c.DeleteZone(ctx, name), "DeleteZone")
		default:
			require.NoError(t, gerr, "GetZone")
		}
	}
}
