package fleet_test

import (
	"context"
	"fmt"
	"net/http"
	"net/netip"
	"slices"
	"sort"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/secondarydns/secondarydns-go/facade"
	"github.com/secondarydns/secondarydns-go/facade/cloudflare"
	"github.com/secondarydns/secondarydns-go/facade/dnsimple"
	"github.com/secondarydns/secondarydns-go/facade/fleet"
	"github.com/secondarydns/secondarydns-go/facade/ionos"
	"github.com/secondarydns/secondarydns-go/test/fakes"
)

// env is three fakes and fleet targets talking to them.
type env struct {
	io      *fakes.IONOS
	ds      *fakes.DNSimple
	cf      *fakes.Cloudflare
	targets []fleet.Target
}

// fastRetries keeps the clients' own retries quick.
var fastRetries = facade.RetryPolicy{MaxAttempts: 4, BaseDelay: time.Millisecond, MaxDelay: 5 * time.Millisecond, MaxRetryAfter: 30 * time.Second}

// envOptions configure newEnv.
type envOptions struct {
	owned     bool
	fakeOpts  []fakes.Option
	transport func(provider string) http.RoundTripper // nil: default
	noCheck   bool                                    // do not fail on invalid traffic (faults)
	limits    map[string]fakes.RateLimit              // per provider type
	clock     fleet.Clock                             // the fakes' clock, if set
	private   bool                                    // loopback primaries allowed (fakes transfer from them)
	onRequest func(*http.Request)                     // called with every request each fake receives
}

func newEnv(t *testing.T, o envOptions) *env {
	t.Helper()
	e := &env{}
	fo := func(p string) []fakes.Option {
		opts := slices.Clone(o.fakeOpts)
		if rl, ok := o.limits[p]; ok {
			opts = append(opts, fakes.WithRateLimit(rl))
		}
		if o.clock != nil {
			opts = append(opts, fakes.WithClock(o.clock.Now))
		}
		if o.private {
			opts = append(opts, fakes.WithPrivatePrimaries())
		}
		return opts
	}
	if o.noCheck {
		e.io = fakes.NewIONOS(fo("ionos")...)
		e.ds = fakes.NewDNSimple(fo("dnsimple")...)
		e.cf = fakes.NewCloudflare(fo("cloudflare")...)
		t.Cleanup(func() { e.io.Close(); e.ds.Close(); e.cf.Close() })
	} else {
		e.io = fakes.StartIONOS(t, fo("ionos")...)
		e.ds = fakes.StartDNSimple(t, fo("dnsimple")...)
		e.cf = fakes.StartCloudflare(t, fo("cloudflare")...)
	}
	if o.onRequest != nil {
		for _, s := range []*fakes.Server{e.io.Server, e.ds.Server, e.cf.Server} {
			s.SetHook(func(_ int, r *http.Request, handle, _ func()) { o.onRequest(r); handle() })
		}
	}
	opts := func(p, url string) []facade.Option {
		hc := &http.Client{Timeout: 30 * time.Second}
		if o.transport != nil {
			hc.Transport = o.transport(p)
		}
		fo := []facade.Option{facade.WithBaseURL(url), facade.WithRetryPolicy(fastRetries), facade.WithHTTPClient(hc)}
		if o.private {
			fo = append(fo, facade.WithPrivatePrimaries())
		}
		return fo
	}
	ic, err := ionos.New(e.io.Token(), opts("ionos", e.io.URL())...)
	require.NoError(t, err)
	dc, err := dnsimple.New(e.ds.Token(), int64(e.ds.AccountID()), opts("dnsimple", e.ds.URL())...)
	require.NoError(t, err)
	cc, err := cloudflare.New(e.cf.Token(), e.cf.AccountID(), opts("cloudflare", e.cf.URL())...)
	require.NoError(t, err)
	e.targets = []fleet.Target{
		{Name: "cf", Type: "cloudflare", Client: cc, Owned: o.owned},
		{Name: "ds", Type: "dnsimple", Client: dc, Owned: o.owned},
		{Name: "io", Type: "ionos", Client: ic, Owned: o.owned},
	}
	return e
}

func (e *env) requests() int {
	return e.io.Stats().Requests + e.ds.Stats().Requests + e.cf.Stats().Requests
}

// desired builds a desired state of n zones zNNN.example at every
// provider from primaries.
func desired(n int, primaries ...string) fleet.Desired {
	d := fleet.Desired{Keys: map[string]string{}}
	for i := range n {
		d.Zones = append(d.Zones, zone(fmt.Sprintf("z%03d.example", i), primaries, "cf", "ds", "io"))
	}
	return d
}

func zone(name string, primaries []string, providers ...string) fleet.ZoneConfig {
	z := fleet.ZoneConfig{Name: name, Providers: providers}
	for _, p := range primaries {
		pr, err := facade.ParsePrimary(p)
		if err != nil {
			panic(err)
		}
		z.Primaries = append(z.Primaries, pr)
	}
	return z
}

// state is what the fakes hold, read from their snapshots: per provider,
// zone name -> sorted primaries ("" entries for a zone without any).
type state map[string]map[string]string

// snapshot reads the fakes directly and fails on duplicates.
func (e *env) snapshot(t *testing.T) state {
	t.Helper()
	s := state{"io": {}, "ds": {}, "cf": {}}
	add := func(p, name string, ps []string) {
		_, dup := s[p][name]
		assert.False(t, dup, "%s: zone %s exists twice", p, name)
		sort.Strings(ps)
		s[p][name] = fmt.Sprint(ps)
	}
	for _, z := range e.io.Zones() {
		add("io", z.ZoneName, slices.Clone(z.PrimaryIPs))
	}
	servers := e.ds.PrimaryServers()
	for _, z := range e.ds.Zones() {
		if !z.Secondary {
			continue
		}
		var ps []string
		for _, sv := range servers {
			if slices.Contains(sv.LinkedSecondaryZones, z.Name) {
				ps = append(ps, primaryString(sv.IP, sv.Port))
			}
		}
		add("ds", z.Name, ps)
	}
	peers := map[string]fakes.CloudflarePeer{}
	for _, p := range e.cf.Peers() {
		peers[p.ID] = p
	}
	for _, z := range e.cf.Zones() {
		if z.Type != "secondary" {
			continue
		}
		var ps []string
		if in, ok := e.cf.Incoming(z.ID); ok {
			for _, id := range in.Peers {
				ps = append(ps, primaryString(peers[id].IP, peers[id].Port))
			}
		}
		add("cf", z.Name, ps)
	}
	return s
}

func primaryString(ip string, port int) string {
	if port == 0 || port == 53 {
		return ip
	}
	return ip + ":" + strconv.Itoa(port)
}

// want is the state d describes.
func want(d fleet.Desired, extra state) state {
	s := state{"io": {}, "ds": {}, "cf": {}}
	for _, z := range d.Zones {
		var ps []string
		for _, p := range z.Primaries {
			ps = append(ps, p.String())
		}
		sort.Strings(ps)
		for _, p := range z.Providers {
			s[p][z.Name] = fmt.Sprint(ps)
		}
	}
	for p, zs := range extra {
		for n, v := range zs {
			s[p][n] = v
		}
	}
	return s
}

// converge plans and applies until the plan is empty, at most rounds
// times, and returns the number of rounds that applied something.
func converge(t *testing.T, ctx context.Context, e *env, d fleet.Desired, o fleet.ApplyOptions, rounds int) int {
	t.Helper()
	for i := range rounds {
		plan, err := fleet.MakePlan(ctx, d, e.targets)
		if err != nil {
			continue // a listing hit a fault: plan again
		}
		if plan.Empty() {
			return i
		}
		_ = fleet.Apply(ctx, plan, e.targets, o)
	}
	t.Fatalf("no convergence after %d rounds", rounds)
	return rounds
}

func itoa(i int) string { return strconv.Itoa(i) }

func mustAddr(s string) netip.Addr { return netip.MustParseAddr(s) }
