package verify_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"net/netip"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/secondarydns/secondarydns-go/facade"
	"github.com/secondarydns/secondarydns-go/facade/verify"
)

// answer is what mapQuerier answers for one server and zone; hang makes it
// wait for the query's context to end.
type answer struct {
	serial uint32
	err    error
	hang   bool
	// together makes the answer wait until this many queries are in
	// flight at once (or the query's context ends).
	together int64
}

// mapQuerier answers SOA queries from a map keyed "addr zone". It checks
// the comparison and reporting logic; dns_test.go checks the same cases over
// real DNS on loopback.
type mapQuerier struct {
	mu      sync.Mutex
	answers map[string]answer
	signed  map[string]bool // by zone, at any server
	// signedErr fails the signed check.
	signedErr error
	// inflight and peak count concurrent queries.
	inflight, peak atomic.Int64
}

func (q *mapQuerier) QuerySOA(ctx context.Context, server netip.AddrPort, zone string) (uint32, error) {
	n := q.inflight.Add(1)
	defer q.inflight.Add(-1)
	for {
		p := q.peak.Load()
		if n <= p || q.peak.CompareAndSwap(p, n) {
			break
		}
	}
	q.mu.Lock()
	a, ok := q.answers[server.String()+" "+zone]
	q.mu.Unlock()
	if !ok {
		return 0, fmt.Errorf("no answer configured for %s %s: %w", server, zone, verify.ErrRefused)
	}
	if a.hang {
		<-ctx.Done()
		return 0, ctx.Err()
	}
	for q.peak.Load() < a.together {
		select {
		case <-ctx.Done():
			return 0, ctx.Err()
		case <-time.After(time.Millisecond):
		}
	}
	return a.serial, a.err
}

func (q *mapQuerier) Signed(_ context.Context, _ netip.AddrPort, zone string) (bool, error) {
	q.mu.Lock()
	defer q.mu.Unlock()
	return q.signed[zone], q.signedErr
}

var (
	primary = addrPort("127.0.0.1:5300")
	ns1     = addrPort("127.0.0.2:5300")
	ns2     = addrPort("127.0.0.3:5300")
)

// world is one primary, two providers with two nameservers each.
type world struct {
	q        *mapQuerier
	a, b     *memProvider
	resolver verify.StaticResolver
}

func newWorld(zone string, serial uint32) *world {
	w := &world{
		q: &mapQuerier{answers: map[string]answer{}, signed: map[string]bool{}},
		a: newMemProvider(facade.ProviderIONOS), b: newMemProvider(facade.ProviderDNSimple),
		resolver: verify.StaticResolver{"ns1.a.test": {ns1}, "ns2.a.test": {ns2}, "ns1.b.test": {ns1}, "ns2.b.test.": {ns2}},
	}
	w.a.add(facade.Zone{Name: zone, State: "available", Nameservers: []string{"ns1.a.test", "ns2.a.test"}}, facade.TransferStatus{})
	w.b.add(facade.Zone{Name: zone, State: "active", Nameservers: []string{"ns1.b.test", "NS2.b.test"}}, facade.TransferStatus{})
	for _, s := range []netip.AddrPort{primary, ns1, ns2} {
		w.q.answers[s.String()+" "+zone] = answer{serial: serial}
	}
	return w
}

func (w *world) set(server netip.AddrPort, zone string, a answer) {
	w.q.answers[server.String()+" "+zone] = a
}

func (w *world) verify(t *testing.T, zones []string, opts ...verify.Option) *verify.Report {
	t.Helper()
	// The registry's hints are tested on their own (TestVerifyPrimaryHint).
	opts = append([]verify.Option{verify.WithQuerier(w.q), verify.WithResolver(w.resolver), verify.WithQueryTimeout(100 * time.Millisecond), verify.WithoutRegistry()}, opts...)
	v, err := verify.New(primary, []facade.SecondaryDNS{w.a, w.b}, opts...)
	require.NoError(t, err)
	rep, err := v.Verify(context.Background(), zones)
	require.NoError(t, err)
	return rep
}

// statuses lists "provider server status" for every nameserver result.
func statuses(z verify.ZoneReport) []string {
	var out []string
	for _, p := range z.Providers {
		for _, ns := range p.Nameservers {
			out = append(out, fmt.Sprintf("%s %s %s/%d", p.Provider, ns.Name, ns.Status, ns.Behind))
		}
	}
	return out
}

func kinds(z verify.ZoneReport) []string {
	out := []string{}
	for _, f := range z.Findings {
		out = append(out, "zone "+f.Kind)
	}
	for _, p := range z.Providers {
		for _, f := range p.Findings {
			out = append(out, p.Provider+" "+f.Kind)
		}
	}
	return out
}

func TestVerifyLogic(t *testing.T) {
	t.Parallel()
	const zone = "example.com"
	tests := []struct {
		name    string
		setup   func(w *world)
		primary verify.Status
		want    []string // statuses()
		kinds   []string
		sev     verify.Severity
	}{
		{
			name:    "all in sync",
			setup:   func(*world) {},
			primary: verify.StatusAnswered,
			want:    []string{"ionos ns1.a.test in-sync/0", "ionos ns2.a.test in-sync/0", "dnsimple ns1.b.test in-sync/0", "dnsimple NS2.b.test in-sync/0"},
			kinds:   []string{}, sev: verify.OK,
		},
		{
			name:    "one nameserver behind",
			setup:   func(w *world) { w.set(ns2, zone, answer{serial: 2024010100 - 7}) },
			primary: verify.StatusAnswered,
			want:    []string{"ionos ns1.a.test in-sync/0", "ionos ns2.a.test behind/7", "dnsimple ns1.b.test in-sync/0", "dnsimple NS2.b.test behind/7"},
			kinds:   []string{}, sev: verify.Behind,
		},
		{
			name: "primary wrapped past 2^32: the old serial is behind, not ahead",
			setup: func(w *world) {
				w.set(primary, zone, answer{serial: 2})
				w.set(ns1, zone, answer{serial: math.MaxUint32 - 2})
				w.set(ns2, zone, answer{serial: 2})
			},
			primary: verify.StatusAnswered,
			want:    []string{"ionos ns1.a.test behind/5", "ionos ns2.a.test in-sync/0", "dnsimple ns1.b.test behind/5", "dnsimple NS2.b.test in-sync/0"},
			kinds:   []string{}, sev: verify.Behind,
		},
		{
			name:    "nameserver ahead of the primary",
			setup:   func(w *world) { w.set(ns1, zone, answer{serial: 2024010100 + 3}) },
			primary: verify.StatusAnswered,
			want:    []string{"ionos ns1.a.test ahead/3", "ionos ns2.a.test in-sync/0", "dnsimple ns1.b.test ahead/3", "dnsimple NS2.b.test in-sync/0"},
			kinds:   []string{}, sev: verify.Broken,
		},
		{
			name:    "2^31 apart is incomparable",
			setup:   func(w *world) { w.set(ns1, zone, answer{serial: 2024010100 + 1<<31}) },
			primary: verify.StatusAnswered,
			want:    []string{"ionos ns1.a.test incomparable/2147483648", "ionos ns2.a.test in-sync/0", "dnsimple ns1.b.test incomparable/2147483648", "dnsimple NS2.b.test in-sync/0"},
			kinds:   []string{}, sev: verify.Broken,
		},
		{
			name: "failures are classified per server",
			setup: func(w *world) {
				w.set(ns1, zone, answer{err: fmt.Errorf("rcode REFUSED: %w", verify.ErrRefused)})
				w.set(ns2, zone, answer{hang: true})
			},
			primary: verify.StatusAnswered,
			want:    []string{"ionos ns1.a.test refused/0", "ionos ns2.a.test timeout/0", "dnsimple ns1.b.test refused/0", "dnsimple NS2.b.test timeout/0"},
			kinds:   []string{}, sev: verify.Broken,
		},
		{
			name: "not serving and wrong zone",
			setup: func(w *world) {
				w.set(ns1, zone, answer{err: fmt.Errorf("rcode NOTAUTH: %w", verify.ErrNotServing)})
				w.set(ns2, zone, answer{err: fmt.Errorf("SOA owner example.net.: %w", verify.ErrWrongZone)})
			},
			primary: verify.StatusAnswered,
			want:    []string{"ionos ns1.a.test not-serving/0", "ionos ns2.a.test wrong-zone/0", "dnsimple ns1.b.test not-serving/0", "dnsimple NS2.b.test wrong-zone/0"},
			kinds:   []string{}, sev: verify.Broken,
		},
		{
			name:    "unreachable primary: nameservers still reported",
			setup:   func(w *world) { w.set(primary, zone, answer{hang: true}) },
			primary: verify.StatusTimeout,
			want:    []string{"ionos ns1.a.test answered/0", "ionos ns2.a.test answered/0", "dnsimple ns1.b.test answered/0", "dnsimple NS2.b.test answered/0"},
			kinds:   []string{}, sev: verify.Broken,
		},
		{
			name:    "zone missing at one provider",
			setup:   func(w *world) { w.a.fail[zone] = fmt.Errorf("GetZone: %w", facade.ErrNotFound) },
			primary: verify.StatusAnswered,
			want:    []string{"dnsimple ns1.b.test in-sync/0", "dnsimple NS2.b.test in-sync/0"},
			kinds:   []string{"ionos zone-missing"}, sev: verify.Broken,
		},
		{
			name:    "API failure, nameservers configured: DNS still checked",
			setup:   func(w *world) { w.b.fail[zone] = fmt.Errorf("GetZone: %w", facade.ErrServer) },
			primary: verify.StatusAnswered,
			want:    []string{"ionos ns1.a.test in-sync/0", "ionos ns2.a.test in-sync/0", "dnsimple ns9.b.test unresolved/0"},
			kinds:   []string{"dnsimple api-error"}, sev: verify.Broken,
		},
		{
			name: "API disagrees with DNS, failed primary reported",
			setup: func(w *world) {
				w.a.add(facade.Zone{Name: zone, Serial: 2024010099, LastTransfer: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), Nameservers: []string{"ns1.a.test"}},
					facade.TransferStatus{Primaries: []facade.PrimaryStatus{{Primary: facade.Primary{Addr: primary.Addr(), Port: primary.Port()}, Status: "failed", Error: "connection refused"}}})
			},
			primary: verify.StatusAnswered,
			want:    []string{"ionos ns1.a.test in-sync/0", "dnsimple ns1.b.test in-sync/0", "dnsimple NS2.b.test in-sync/0"},
			kinds:   []string{"ionos transfer-failed", "ionos api-dns-disagree"}, sev: verify.Warning,
		},
		{
			name:    "signed zone flagged at DNSimple only",
			setup:   func(w *world) { w.q.signed[zone] = true },
			primary: verify.StatusAnswered,
			want:    []string{"ionos ns1.a.test in-sync/0", "ionos ns2.a.test in-sync/0", "dnsimple ns1.b.test in-sync/0", "dnsimple NS2.b.test in-sync/0"},
			kinds:   []string{"dnsimple dnssec-dropped"}, sev: verify.Warning,
		},
		{
			name:    "signed check failed: a warning",
			setup:   func(w *world) { w.q.signedErr = fmt.Errorf("axfr: %w", verify.ErrRefused) },
			primary: verify.StatusAnswered,
			want:    []string{"ionos ns1.a.test in-sync/0", "ionos ns2.a.test in-sync/0", "dnsimple ns1.b.test in-sync/0", "dnsimple NS2.b.test in-sync/0"},
			kinds:   []string{"zone dnssec-unknown"}, sev: verify.Warning,
		},
		{
			name:    "no nameservers anywhere",
			setup:   func(w *world) { w.a.add(facade.Zone{Name: zone}, facade.TransferStatus{}) },
			primary: verify.StatusAnswered,
			want:    []string{"dnsimple ns1.b.test in-sync/0", "dnsimple NS2.b.test in-sync/0"},
			kinds:   []string{"ionos no-nameservers"}, sev: verify.Broken,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			w := newWorld(zone, 2024010100)
			tt.setup(w)
			rep := w.verify(t, []string{"Example.COM."}, verify.WithNameservers(facade.ProviderDNSimple, "ns9.b.test"))
			require.Len(t, rep.Zones, 1)
			z := rep.Zones[0]
			assert.Equal(t, zone, z.Zone)
			assert.Equal(t, tt.primary, z.Primary.Status, "primary: %s", z.Primary.Error)
			assert.Equal(t, tt.want, statuses(z))
			assert.ElementsMatch(t, tt.kinds, kinds(z))
			assert.Equal(t, tt.sev, z.Severity)
			assert.Equal(t, tt.sev, rep.Severity)
		})
	}
}

func TestVerifyLastTransferAge(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 12, 1, 12, 0, 0, 0, time.UTC)
	w := newWorld("example.com", 7)
	w.a.add(facade.Zone{Name: "example.com", LastTransfer: now.Add(-90 * time.Minute), Nameservers: []string{"ns1.a.test"}}, facade.TransferStatus{LastTransfer: now.Add(-30 * time.Minute)})
	rep := w.verify(t, []string{"example.com"}, verify.WithClock(func() time.Time { return now }))
	api := rep.Zones[0].Providers[0].API
	assert.Equal(t, now.Add(-30*time.Minute), api.LastTransfer, "the later of the two API views")
	assert.Equal(t, 30*time.Minute, api.SinceLastTransfer)
	var sb strings.Builder
	require.NoError(t, rep.WriteTable(&sb, false))
	assert.Contains(t, sb.String(), "last transfer 30m0s ago")
}

func TestVerifyBackwardsAgainstPreviousRun(t *testing.T) {
	t.Parallel()
	w := newWorld("example.com", 100)
	first := w.verify(t, []string{"example.com"})
	require.Equal(t, verify.OK, first.Severity)
	// Through JSON, as a cron job would keep it.
	b, err := json.Marshal(first)
	require.NoError(t, err)
	var prev verify.Report
	require.NoError(t, json.Unmarshal(b, &prev))
	require.Equal(t, first.Zones[0].Providers[0].Nameservers[0].Addr, prev.Zones[0].Providers[0].Nameservers[0].Addr)

	// The primary went back to 90; ns1 serves 95 (behind its own 100, ahead
	// of the primary); ns2 follows the primary.
	w.set(primary, "example.com", answer{serial: 90})
	w.set(ns1, "example.com", answer{serial: 95})
	w.set(ns2, "example.com", answer{serial: 90})
	rep := w.verify(t, []string{"example.com"}, verify.WithPrevious(&prev))
	z := rep.Zones[0]
	assert.Equal(t, verify.StatusBackwards, z.Primary.Status)
	assert.Equal(t, uint32(10), z.Primary.Behind)
	assert.Equal(t, []string{"ionos ns1.a.test backwards/5", "ionos ns2.a.test in-sync/0", "dnsimple ns1.b.test backwards/5", "dnsimple NS2.b.test in-sync/0"}, statuses(z))
	assert.Equal(t, verify.Broken, rep.Severity)
}

func TestVerifyOneFailureDoesNotStopOthers(t *testing.T) {
	t.Parallel()
	w := newWorld("a.example", 1)
	for _, z := range []string{"b.example", "c.example"} {
		for _, s := range []netip.AddrPort{primary, ns1, ns2} {
			w.set(s, z, answer{serial: 1})
		}
		w.a.add(facade.Zone{Name: z, Nameservers: []string{"ns1.a.test"}}, facade.TransferStatus{})
		w.b.add(facade.Zone{Name: z, Nameservers: []string{"ns2.b.test"}}, facade.TransferStatus{})
	}
	w.set(primary, "b.example", answer{err: errors.New("boom")})
	w.b.fail["c.example"] = fmt.Errorf("%w", facade.ErrRateLimited)
	rep := w.verify(t, []string{"a.example", "b.example", "c.example"})
	require.Len(t, rep.Zones, 3)
	assert.Equal(t, []verify.Severity{verify.OK, verify.Broken, verify.Broken}, []verify.Severity{rep.Zones[0].Severity, rep.Zones[1].Severity, rep.Zones[2].Severity})
	assert.Equal(t, verify.StatusError, rep.Zones[1].Primary.Status)
	assert.Equal(t, verify.Summary{Zones: 3, OK: 1, Broken: 2, Queries: rep.Summary.Queries}, rep.Summary)
	assert.Positive(t, rep.Summary.Queries)
}

func TestVerifyConcurrencyBound(t *testing.T) {
	t.Parallel()
	w := newWorld("z0.example", 1)
	zones := []string{"z0.example"}
	for i := 1; i < 40; i++ {
		z := fmt.Sprintf("z%d.example", i)
		zones = append(zones, z)
		for _, s := range []netip.AddrPort{primary, ns1, ns2} {
			w.set(s, z, answer{serial: 1})
		}
		w.a.add(facade.Zone{Name: z, Nameservers: []string{"ns1.a.test", "ns2.a.test"}}, facade.TransferStatus{})
		w.b.add(facade.Zone{Name: z, Nameservers: []string{"ns1.b.test", "ns2.b.test"}}, facade.TransferStatus{})
	}
	rep := w.verify(t, zones, verify.WithConcurrency(3))
	assert.Equal(t, 40, rep.Summary.OK)
	assert.LessOrEqual(t, w.q.peak.Load(), int64(3))
	assert.Equal(t, int64(40*6), rep.Summary.Queries, "per zone: the primary SOA and DNSKEY (a DNSimple provider is involved), four nameservers")
}

func TestVerifyOneZoneFansOut(t *testing.T) {
	t.Parallel()
	// Four nameserver queries of one zone that each answer only once all
	// four are in flight: they time out unless they run in parallel.
	w := newWorld("example.com", 1)
	w.set(ns1, "example.com", answer{serial: 1, together: 4})
	w.set(ns2, "example.com", answer{serial: 1, together: 4})
	rep := w.verify(t, []string{"example.com"}, verify.WithConcurrency(8), verify.WithQueryTimeout(10*time.Second))
	assert.Equal(t, verify.OK, rep.Severity, "%v", statuses(rep.Zones[0]))
	assert.LessOrEqual(t, w.q.peak.Load(), int64(8))
}

func TestVerifyContextEnds(t *testing.T) {
	t.Parallel()
	w := newWorld("example.com", 1)
	w.set(primary, "example.com", answer{hang: true})
	v, err := verify.New(primary, []facade.SecondaryDNS{w.a, w.b}, verify.WithQuerier(w.q), verify.WithResolver(w.resolver), verify.WithQueryTimeout(time.Hour))
	require.NoError(t, err)
	ctx, cancel := context.WithCancel(context.Background())
	go func() {
		for w.q.inflight.Load() == 0 {
			time.Sleep(time.Millisecond)
		}
		cancel()
	}()
	rep, err := v.Verify(ctx, []string{"example.com"})
	require.ErrorIs(t, err, context.Canceled)
	require.NotNil(t, rep)
	assert.Equal(t, verify.StatusError, rep.Zones[0].Primary.Status)
}

func TestNewAndVerifyRejectBadInput(t *testing.T) {
	t.Parallel()
	p := []facade.SecondaryDNS{newMemProvider("ionos")}
	q := verify.WithQuerier(&mapQuerier{})
	tests := []struct {
		name      string
		primary   netip.AddrPort
		providers []facade.SecondaryDNS
		opts      []verify.Option
		zones     []string
		msg       string
	}{
		{"no primary", netip.AddrPort{}, p, []verify.Option{q}, nil, "primary"},
		{"unspecified primary", addrPort("0.0.0.0:53"), p, []verify.Option{q}, nil, "primary"},
		{"no providers", primary, nil, []verify.Option{q}, nil, "provider"},
		{"nil provider", primary, []facade.SecondaryDNS{nil}, []verify.Option{q}, nil, "nil"},
		{"zero concurrency", primary, p, []verify.Option{q, verify.WithConcurrency(0)}, nil, "concurrency"},
		{"negative timeout", primary, p, []verify.Option{q, verify.WithQueryTimeout(-time.Second)}, nil, "timeout"},
		{"nil querier", primary, p, []verify.Option{verify.WithQuerier(nil)}, nil, "querier"},
		{"nil resolver", primary, p, []verify.Option{q, verify.WithResolver(nil)}, nil, "resolver"},
		{"nil previous", primary, p, []verify.Option{q, verify.WithPrevious(nil)}, nil, "previous"},
		{"empty nameserver list", primary, p, []verify.Option{q, verify.WithNameservers("dnsimple")}, nil, "at least one"},
		{"blank nameserver", primary, p, []verify.Option{q, verify.WithNameservers("dnsimple", " ")}, nil, "invalid name"},
		{"no zones", primary, p, []verify.Option{q}, []string{}, "at least one zone"},
		{"bad zone", primary, p, []verify.Option{q}, []string{"exa mple.com"}, "exa mple.com"},
		{"duplicate zone", primary, p, []verify.Option{q}, []string{"example.com", "EXAMPLE.com."}, "twice"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			v, err := verify.New(tt.primary, tt.providers, tt.opts...)
			if err == nil {
				_, err = v.Verify(context.Background(), tt.zones)
			}
			require.ErrorIs(t, err, facade.ErrInvalidInput)
			assert.Contains(t, err.Error(), tt.msg)
		})
	}
}

func TestExitCodeFor(t *testing.T) {
	t.Parallel()
	tests := []struct {
		sev    verify.Severity
		strict bool
		want   int
	}{
		{verify.OK, false, 0}, {verify.OK, true, 0},
		{verify.Warning, false, 0}, {verify.Warning, true, 1},
		{verify.Behind, false, 1}, {verify.Behind, true, 1},
		{verify.Broken, false, 2}, {verify.Broken, true, 2},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, verify.ExitCodeFor(tt.sev, tt.strict), "%s strict=%v", tt.sev, tt.strict)
	}
}

func TestSeverityText(t *testing.T) {
	t.Parallel()
	for _, s := range []verify.Severity{verify.OK, verify.Warning, verify.Behind, verify.Broken} {
		b, err := s.MarshalText()
		require.NoError(t, err)
		var back verify.Severity
		require.NoError(t, back.UnmarshalText(b))
		assert.Equal(t, s, back)
	}
	var s verify.Severity
	assert.Error(t, s.UnmarshalText([]byte("fine")))
}

// TestVerifyPrimaryHint: a provider whose nameservers lag, or whose API
// reports a failed transfer, comes with what the primary must allow and
// notify for it (from the registry), flagged when the registry is stale;
// a provider in sync gets no hint.
func TestVerifyPrimaryHint(t *testing.T) {
	t.Parallel()
	const zone = "example.com"
	day := func(s string) func() time.Time {
		return func() time.Time { tm, _ := time.Parse(time.DateOnly, s); return tm }
	}
	tests := []struct {
		name     string
		setup    func(*world)
		clock    func() time.Time
		want     map[string][]string // provider -> substrings of its one hint; absent: no hint
		notStale bool
	}{
		{name: "in sync: no hint", setup: func(*world) {}, clock: day("2026-12-01"), want: map[string][]string{}},
		{
			name:  "lagging nameservers",
			setup: func(w *world) { w.set(ns2, zone, answer{serial: 2024010100 - 1}) },
			clock: day("2026-12-01"),
			want: map[string][]string{
				facade.ProviderIONOS:    {"are not documented", "212.227.123.25"},
				facade.ProviderDNSimple: {"must allow zone transfers from 3.12.234.2"},
			},
			notStale: true,
		},
		{
			name: "failed transfer reported by the API, registry stale",
			setup: func(w *world) {
				w.a.add(facade.Zone{Name: zone, State: "available", Nameservers: []string{"ns1.a.test", "ns2.a.test"}},
					facade.TransferStatus{Primaries: []facade.PrimaryStatus{{Primary: facade.Primary{Addr: netip.MustParseAddr("192.0.2.1")}, Status: "failed", Error: "refused"}}})
			},
			clock: day("2028-01-01"),
			want:  map[string][]string{facade.ProviderIONOS: {"are not documented", "re-check them"}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			w := newWorld(zone, 2024010100)
			tt.setup(w)
			v, err := verify.New(primary, []facade.SecondaryDNS{w.a, w.b}, verify.WithQuerier(w.q), verify.WithResolver(w.resolver), verify.WithClock(tt.clock))
			require.NoError(t, err)
			rep, err := v.Verify(context.Background(), []string{zone})
			require.NoError(t, err)
			for _, p := range rep.Zones[0].Providers {
				var hints []string
				for _, f := range p.Findings {
					if f.Kind == verify.KindPrimaryACL {
						hints = append(hints, f.Message)
					}
				}
				subs, ok := tt.want[p.Provider]
				if !ok {
					assert.Empty(t, hints, p.Provider)
					continue
				}
				require.Len(t, hints, 1, p.Provider)
				for _, sub := range subs {
					assert.Contains(t, hints[0], sub, p.Provider)
				}
				if tt.notStale {
					assert.NotContains(t, hints[0], "re-check", p.Provider)
				}
			}
		})
	}
}
