package soak

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"math/rand/v2"
	"net/netip"
	"os"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"text/tabwriter"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/secondarydns/secondarydns-go/facade"
	"github.com/secondarydns/secondarydns-go/facade/cloudflare"
	"github.com/secondarydns/secondarydns-go/facade/dnsimple"
	"github.com/secondarydns/secondarydns-go/facade/ionos"
	"github.com/secondarydns/secondarydns-go/test/fakes"
)

var (
	soakDuration = flag.Duration("soak.duration", 5*time.Second, "how long each provider's workers keep starting zone lifecycles")
	soakWorkers  = flag.Int("soak.workers", 16, "concurrent workers per provider")
	soakSeed     = flag.Uint64("soak.seed", 1, "seed of the fault injection and of the workers' choices")
)

// retryPolicy retries quickly, and honours every Retry-After the fakes send
// (0 or 1 s, see faults).
var retryPolicy = facade.RetryPolicy{
	MaxAttempts:   5,
	BaseDelay:     2 * time.Millisecond,
	MaxDelay:      40 * time.Millisecond,
	MaxRetryAfter: time.Second,
}

// faults is the fault mix of every fake. retryAfter alternates between 0 s
// (a negative value makes the fake send "0") and 1 s during the run.
func faults(seed uint64, retryAfter time.Duration) fakes.Faults {
	return fakes.Faults{
		Seed:          seed,
		LatencyJitter: 3 * time.Millisecond,
		DropBefore:    fakes.Trigger{Probability: 0.02},
		RateLimit:     fakes.Trigger{Probability: 0.04},
		RetryAfter:    retryAfter,
		BadGateway:    fakes.Trigger{Probability: 0.02},
		Unavailable:   fakes.Trigger{Probability: 0.01, Burst: 3},
		DropAfter:     fakes.Trigger{Probability: 0.02},
	}
}

// fake is what the soak needs of a provider's fake: its counters, fault
// control and validation record (from fakes.Server) and a snapshot of its
// secondary zones.
type fake interface {
	Stats() fakes.Stats
	SetFaults(fakes.Faults)
	InvalidRequests() []error
	Close()
}

// zoneState is one secondary zone as a fake holds it.
type zoneState struct {
	// Primaries are "addr:port" (port 53 when defaulted), sorted.
	Primaries []string
}

// provider ties an adapter to its fake.
type provider struct {
	name string
	// ports reports whether the provider accepts primaries on ports other
	// than 53 (IONOS does not).
	ports bool
	// start starts the fake and returns a client talking to it, the
	// client's counters and a snapshot function: zone name → every zone of
	// that name.
	start func(t *testing.T) (fake, facade.SecondaryDNS, func() facade.Stats, func() map[string][]zoneState)
}

var providers = []provider{
	{
		name: facade.ProviderIONOS,
		start: func(t *testing.T) (fake, facade.SecondaryDNS, func() facade.Stats, func() map[string][]zoneState) {
			f := fakes.NewIONOS(fakes.WithSeed(*soakSeed))
			c, err := ionos.New(f.Token(), facade.WithBaseURL(f.URL()), facade.WithRetryPolicy(retryPolicy))
			require.NoError(t, err)
			return f, c, c.Stats, func() map[string][]zoneState {
				out := map[string][]zoneState{}
				for _, z := range f.Zones() {
					var ps []string
					for _, ip := range z.PrimaryIPs {
						ps = append(ps, hostPort(ip, 53))
					}
					out[z.ZoneName] = append(out[z.ZoneName], zoneState{Primaries: sorted(ps)})
				}
				return out
			}
		},
	},
	{
		name:  facade.ProviderDNSimple,
		ports: true,
		start: func(t *testing.T) (fake, facade.SecondaryDNS, func() facade.Stats, func() map[string][]zoneState) {
			f := fakes.NewDNSimple(fakes.WithSeed(*soakSeed))
			c, err := dnsimple.New(f.Token(), int64(f.AccountID()), facade.WithBaseURL(f.URL()), facade.WithRetryPolicy(retryPolicy))
			require.NoError(t, err)
			return f, c, c.Stats, func() map[string][]zoneState {
				linked := map[string][]string{}
				for _, s := range f.PrimaryServers() {
					for _, z := range s.LinkedSecondaryZones {
						linked[z] = append(linked[z], hostPort(s.IP, s.Port))
					}
				}
				out := map[string][]zoneState{}
				for _, z := range f.Zones() {
					if z.Secondary {
						out[z.Name] = append(out[z.Name], zoneState{Primaries: sorted(dedup(linked[z.Name]))})
					}
				}
				return out
			}
		},
	},
	{
		name:  facade.ProviderCloudflare,
		ports: true,
		start: func(t *testing.T) (fake, facade.SecondaryDNS, func() facade.Stats, func() map[string][]zoneState) {
			f := fakes.NewCloudflare(fakes.WithSeed(*soakSeed))
			c, err := cloudflare.New(f.Token(), f.AccountID(), facade.WithBaseURL(f.URL()), facade.WithRetryPolicy(retryPolicy))
			require.NoError(t, err)
			return f, c, c.Stats, func() map[string][]zoneState {
				peers := map[string]string{}
				for _, p := range f.Peers() {
					peers[p.ID] = hostPort(p.IP, p.Port)
				}
				out := map[string][]zoneState{}
				for _, z := range f.Zones() {
					if z.Type != "secondary" {
						continue
					}
					var ps []string
					if in, ok := f.Incoming(z.ID); ok {
						for _, id := range in.Peers {
							ps = append(ps, peers[id])
						}
					}
					out[z.Name] = append(out[z.Name], zoneState{Primaries: sorted(ps)})
				}
				return out
			}
		},
	},
}

// hostPort formats a fake's primary address like primaryKey does.
func hostPort(ip string, port int) string {
	a, err := netip.ParseAddr(ip)
	if err != nil {
		return ip + ":" + strconv.Itoa(port)
	}
	if port == 0 {
		port = 53
	}
	return netip.AddrPortFrom(a.Unmap(), uint16(port)).String()
}

func primaryKey(p facade.Primary) string {
	return netip.AddrPortFrom(p.Addr.Unmap(), p.PortOrDefault()).String()
}

func primaryKeys(ps []facade.Primary) []string {
	var out []string
	for _, p := range ps {
		out = append(out, primaryKey(p))
	}
	return sorted(out)
}

func sorted(s []string) []string {
	s = slices.Clone(s)
	slices.Sort(s)
	return s
}

func dedup(s []string) []string {
	s = sorted(s)
	return slices.Compact(s)
}

// pool is the primaries the workers draw from. It is small on purpose, so
// that concurrent calls share primaries (DNSimple primary servers and
// Cloudflare peers are account-wide and reused).
var pool = []string{"192.0.2.1", "192.0.2.2", "192.0.2.3", "2001:db8::1", "2001:db8::2", "203.0.113.7"}

func pickPrimaries(r *rand.Rand, ports bool) []facade.Primary {
	n := 1 + r.IntN(2)
	var out []facade.Primary
	for _, i := range r.Perm(len(pool))[:n] {
		p := facade.Primary{Addr: netip.MustParseAddr(pool[i])}
		if ports && r.IntN(3) == 0 {
			p.Port = 5353
		}
		out = append(out, p)
	}
	return out
}

// Outcomes of a call.
const (
	outOK          = "ok"
	outAmbiguous   = "ambiguous" // may have taken effect
	outUnsupported = "unsupported"
	// outGoneAfterRetry is a 404 to a request retried after an attempt
	// whose outcome is unknown: most likely that attempt's effect.
	outGoneAfterRetry = "not found after a lost attempt"
)

// classify names the outcome of a call: ok, ambiguous (a transport error,
// a 5xx or an unusable response: the request may have taken effect),
// unsupported, or the kind of a definite failure.
func classify(err error) string {
	var fe *facade.Error
	switch {
	case err == nil:
		return outOK
	case errors.Is(err, errors.ErrUnsupported):
		return outUnsupported
	case !errors.As(err, &fe):
		return "non-facade error"
	case errors.Is(err, facade.ErrNotFound) && facade.OutcomeUnknown(err):
		return outGoneAfterRetry
	case errors.Is(err, facade.ErrTransport), errors.Is(err, facade.ErrServer), errors.Is(err, facade.ErrUnexpectedResponse):
		return outAmbiguous
	default:
		return fe.Kind().Error()
	}
}

// Expected final states of a zone.
const (
	wantPresent = iota // reported created, not reported deleted
	wantAbsent         // reported deleted (or "not found" on delete)
	wantUnknown        // the last state-changing call failed
)

// expectation is what the callers were told about one zone name.
type expectation struct {
	state int
	// primaries are the primaries last reported, nil if unknown.
	primaries []string
	// why describes the last state-changing outcome, for the report.
	why string
}

// report collects one provider's figures.
type report struct {
	provider string
	mu       sync.Mutex
	ops      map[string]map[string]int // operation → outcome → count
	expect   map[string]*expectation
	errs     []string // sample of unexpected errors

	duration   time.Duration
	fake       fakes.Stats
	client     facade.Stats
	zones      int // secondary zones left in the fake
	leftovers  map[string]int
	violations []string
}

func (r *report) record(op, outcome string, err error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.ops[op] == nil {
		r.ops[op] = map[string]int{}
	}
	r.ops[op][outcome]++
	if outcome != outOK && outcome != outAmbiguous && outcome != outUnsupported && outcome != outGoneAfterRetry &&
		outcome != facade.ErrRateLimited.Error() && len(r.errs) < 20 {
		r.errs = append(r.errs, op+": "+err.Error())
	}
}

func (r *report) set(name string, e expectation) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.expect[name] = &e
}

// TestSoak runs the fault soak on all three providers in parallel; see the
// package documentation.
func TestSoak(t *testing.T) {
	if testing.Short() {
		t.Skip("fault soak skipped with -short")
	}
	reports := make([]*report, len(providers))
	start := time.Now()
	// The providers run concurrently, in goroutines rather than with
	// t.Parallel, so that -parallel (GOMAXPROCS by default) cannot
	// serialise them.
	var wg sync.WaitGroup
	for i, p := range providers {
		wg.Go(func() {
			t.Run(p.name, func(t *testing.T) {
				reports[i] = soak(t, p, *soakSeed+uint64(i)*1000)
			})
		})
	}
	wg.Wait()
	total := time.Since(start)
	table := formatTable(reports, total)
	for _, line := range strings.Split(strings.TrimRight(table, "\n"), "\n") {
		t.Log(line)
	}
	if testing.Verbose() {
		fmt.Fprint(os.Stdout, "\n"+table)
	}
}

// soak runs one provider's workers for soakDuration, then checks the fake's
// state against what the workers were told.
func soak(t *testing.T, p provider, seed uint64) *report {
	f, c, clientStats, snapshot := p.start(t)
	defer f.Close()
	r := &report{provider: p.name, ops: map[string]map[string]int{}, expect: map[string]*expectation{}}

	f.SetFaults(faults(seed, -1))
	begin := time.Now()
	deadline := begin.Add(*soakDuration)

	// Alternate the Retry-After of 429s between 0 s and 1 s.
	stop := make(chan struct{})
	var flipper sync.WaitGroup
	flipper.Go(func() {
		tick := time.NewTicker(700 * time.Millisecond)
		defer tick.Stop()
		for n := uint64(1); ; n++ {
			select {
			case <-stop:
				return
			case <-tick.C:
				ra := time.Duration(-1)
				if n%2 == 1 {
					ra = time.Second
				}
				f.SetFaults(faults(seed+n, ra))
			}
		}
	})

	var wg sync.WaitGroup
	for w := range *soakWorkers {
		wg.Go(func() {
			rng := rand.New(rand.NewPCG(seed, uint64(w)))
			for i := 0; time.Now().Before(deadline); i++ {
				name := fmt.Sprintf("w%02d-%05d.soak-%s.example", w, i, p.name)
				lifecycle(t, r, c, p, rng, name, i%3 != 0)
			}
		})
	}
	wg.Wait()
	close(stop)
	flipper.Wait()
	f.SetFaults(fakes.Faults{})
	r.duration = time.Since(begin)
	r.fake = f.Stats()
	r.client = clientStats()

	check(t, r, snapshot())
	for _, err := range f.InvalidRequests() {
		r.violations = append(r.violations, "invalid request: "+err.Error())
	}
	for _, v := range r.violations {
		t.Error(v)
	}
	for _, e := range r.errs {
		t.Logf("definite failure: %s", e)
	}
	return r
}

// lifecycle creates a zone, reads it, replaces its primaries, triggers and
// reads its transfer, and deletes it if del. Every outcome is recorded, and
// so is what it tells about the zone's final state.
func lifecycle(t *testing.T, r *report, c facade.SecondaryDNS, p provider, rng *rand.Rand, name string, del bool) {
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()

	prim := pickPrimaries(rng, p.ports)
	z, err := c.CreateZone(ctx, name, prim)
	out := classify(err)
	r.record("create", out, err)
	if err != nil {
		r.set(name, expectation{state: wantUnknown, why: "create " + out})
		return
	}
	want := primaryKeys(prim)
	if got := primaryKeys(z.Primaries); !slices.Equal(got, want) || z.Name != name {
		r.mu.Lock()
		r.violations = append(r.violations, fmt.Sprintf("%s: CreateZone returned %s %v, want %s %v", name, z.Name, got, name, want))
		r.mu.Unlock()
	}
	r.set(name, expectation{state: wantPresent, primaries: want, why: "created"})

	g, err := c.GetZone(ctx, name)
	r.record("get", classify(err), err)
	if err == nil && g.Name != name {
		r.mu.Lock()
		r.violations = append(r.violations, fmt.Sprintf("%s: GetZone returned %q", name, g.Name))
		r.mu.Unlock()
	}

	prim = pickPrimaries(rng, p.ports)
	z, err = c.SetPrimaries(ctx, name, prim)
	out = classify(err)
	r.record("set-primaries", out, err)
	if err == nil {
		want = primaryKeys(prim)
		if got := primaryKeys(z.Primaries); !slices.Equal(got, want) {
			r.mu.Lock()
			r.violations = append(r.violations, fmt.Sprintf("%s: SetPrimaries returned %v, want %v", name, got, want))
			r.mu.Unlock()
		}
		r.set(name, expectation{state: wantPresent, primaries: want, why: "primaries set"})
	} else {
		// Not atomic for every provider: the primaries are unknown now.
		r.set(name, expectation{state: wantPresent, why: "set-primaries " + out})
	}

	err = c.Transfer(ctx, name)
	r.record("transfer", classify(err), err)
	_, err = c.TransferStatus(ctx, name)
	r.record("transfer-status", classify(err), err)

	if !del {
		return
	}
	err = c.DeleteZone(ctx, name)
	out = classify(err)
	r.record("delete", out, err)
	r.mu.Lock()
	defer r.mu.Unlock()
	e := r.expect[name]
	switch {
	case err == nil:
		*e = expectation{state: wantAbsent, why: "deleted"}
	case out == outGoneAfterRetry:
		// A DELETE whose response was lost, retried: gone, and the error
		// says an earlier attempt may have deleted it. A plain not-found
		// would be wrong: the zone was created and not deleted since.
		*e = expectation{state: wantAbsent, why: "delete not-found after a lost attempt"}
	case out == outAmbiguous:
		*e = expectation{state: wantUnknown, why: "delete ambiguous"}
	default:
		e.why = "delete " + out // definitely not deleted
	}
}

// check compares the fake's zones with the expectations.
func check(t *testing.T, r *report, zones map[string][]zoneState) {
	t.Helper()
	r.leftovers = map[string]int{}
	for name, zs := range zones {
		r.zones += len(zs)
		if len(zs) > 1 {
			r.violations = append(r.violations, fmt.Sprintf("%s: %d zones of that name (duplicated)", name, len(zs)))
		}
		if _, ok := r.expect[name]; !ok {
			r.violations = append(r.violations, fmt.Sprintf("%s: zone nobody created", name))
		}
	}
	for name, e := range r.expect {
		zs := zones[name]
		switch e.state {
		case wantPresent:
			if len(zs) != 1 {
				r.violations = append(r.violations, fmt.Sprintf("%s: %s, but %d zones of that name exist", name, e.why, len(zs)))
				continue
			}
			if e.primaries != nil && !slices.Equal(zs[0].Primaries, e.primaries) {
				r.violations = append(r.violations, fmt.Sprintf("%s: %s with primaries %v, but the zone has %v", name, e.why, e.primaries, zs[0].Primaries))
			}
		case wantAbsent:
			if len(zs) != 0 {
				r.violations = append(r.violations, fmt.Sprintf("%s: %s, but %d zones of that name exist", name, e.why, len(zs)))
			}
		case wantUnknown:
			if len(zs) == 1 {
				r.leftovers[e.why]++
			}
		}
	}
	assert.Empty(t, r.violations, "%s: the fake's state disagrees with what callers were told", r.provider)
}

// formatTable renders the reports as one table.
func formatTable(reports []*report, total time.Duration) string {
	var b strings.Builder
	w := tabwriter.NewWriter(&b, 0, 0, 2, ' ', tabwriter.AlignRight)
	row := func(label string, f func(r *report) string) {
		fmt.Fprint(w, label+"\t")
		for _, r := range reports {
			if r == nil {
				fmt.Fprint(w, "-\t")
				continue
			}
			fmt.Fprint(w, f(r)+"\t")
		}
		fmt.Fprintln(w)
	}
	fmt.Fprintf(w, "fault soak: %d workers per provider, -soak.duration=%v, seed %d, total %v\t", *soakWorkers, *soakDuration, *soakSeed, total.Round(time.Millisecond))
	fmt.Fprintln(w)
	row("", func(r *report) string { return r.provider })
	row("duration", func(r *report) string { return r.duration.Round(time.Millisecond).String() })

	// Operations by kind and outcome, in a stable order.
	kinds := []string{"create", "get", "set-primaries", "transfer", "transfer-status", "delete"}
	outcomes := map[string]bool{}
	for _, r := range reports {
		if r == nil {
			continue
		}
		for _, m := range r.ops {
			for o := range m {
				outcomes[o] = true
			}
		}
	}
	outs := make([]string, 0, len(outcomes))
	for o := range outcomes {
		outs = append(outs, o)
	}
	rank := func(o string) int {
		switch o {
		case outOK:
			return 0
		case outAmbiguous:
			return 1
		case outUnsupported:
			return 3
		}
		return 2
	}
	sort.Slice(outs, func(i, j int) bool {
		if rank(outs[i]) != rank(outs[j]) {
			return rank(outs[i]) < rank(outs[j])
		}
		return outs[i] < outs[j]
	})
	for _, k := range kinds {
		for _, o := range outs {
			has := false
			for _, r := range reports {
				if r != nil && r.ops[k][o] > 0 {
					has = true
				}
			}
			if has {
				row(k+" "+o, func(r *report) string { return strconv.Itoa(r.ops[k][o]) })
			}
		}
	}
	row("requests (fake)", func(r *report) string { return strconv.Itoa(r.fake.Requests) })
	row("fault 429 rate limited", func(r *report) string { return strconv.Itoa(r.fake.RateLimited) })
	row("fault 503 unavailable", func(r *report) string { return strconv.Itoa(r.fake.Unavailable) })
	row("fault 502 bad gateway", func(r *report) string { return strconv.Itoa(r.fake.BadGateway) })
	row("fault dropped before", func(r *report) string { return strconv.Itoa(r.fake.DroppedBefore) })
	row("fault dropped after", func(r *report) string { return strconv.Itoa(r.fake.DroppedAfter) })
	row("fault delayed (jitter)", func(r *report) string { return strconv.Itoa(r.fake.Delayed) })
	row("attempts (client)", func(r *report) string { return strconv.FormatInt(r.client.Attempts, 10) })
	row("retries (client)", func(r *report) string { return strconv.FormatInt(r.client.Retries, 10) })
	row("zones left in fake", func(r *report) string { return strconv.Itoa(r.zones) })
	row("left after failed call", func(r *report) string {
		n := 0
		for _, v := range r.leftovers {
			n += v
		}
		return strconv.Itoa(n)
	})
	row("violations", func(r *report) string { return strconv.Itoa(len(r.violations)) })
	w.Flush()
	return b.String()
}
