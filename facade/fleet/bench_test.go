package fleet_test

import (
	"context"
	"flag"
	"fmt"
	"math"
	"net/http"
	"os"
	"runtime"
	"runtime/metrics"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"text/tabwriter"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/secondarydns/secondarydns-go/facade"
	"github.com/secondarydns/secondarydns-go/facade/cloudflare"
	"github.com/secondarydns/secondarydns-go/facade/dnsimple"
	"github.com/secondarydns/secondarydns-go/facade/fleet"
	"github.com/secondarydns/secondarydns-go/facade/ionos"
	"github.com/secondarydns/secondarydns-go/test/fakes"
)

var (
	benchZones = flag.Int("fleet.bench.zones", 0, "run the fleet benchmark with this many zones per provider (0: skip); make bench-fleet")
	benchPace  = flag.Float64("fleet.bench.pace", 150, "the scaled request rate (requests per real second) each provider's clock is sped up to")
	benchConc  = flag.Int("fleet.bench.concurrency", 0, "cap on changes in flight per provider (0: derived from each pacer's pace and observed latency)")
)

// benchProvider is one rate-limited fake with its paced client.
type benchProvider struct {
	name   string
	rate   fleet.Rate
	clock  fleet.Clock
	pacer  *fleet.Pacer
	server *fakes.Server
	target fleet.Target
	// min returns the requests the provider's API needs at least for a
	// plan and apply of (zones present before, creates, repoints).
	min func(before, creates, repoints int) int
}

func newBenchProvider(t *testing.T, name string) *benchProvider {
	rate := fleet.DefaultRate(name)
	scale := *benchPace / (float64(rate.Requests) / rate.Per.Seconds())
	clock := fleet.ScaledClock(scale)
	pacer, err := fleet.NewPacer(rate, fleet.WithClock(clock))
	require.NoError(t, err)
	hc := &http.Client{Timeout: time.Minute, Transport: pacer.Transport(&http.Transport{MaxIdleConnsPerHost: 64})}
	opts := func(url string) []facade.Option {
		return []facade.Option{facade.WithBaseURL(url), facade.WithHTTPClient(hc)}
	}
	fo := []fakes.Option{fakes.WithClock(clock.Now)}
	p := &benchProvider{name: name, rate: rate, clock: clock, pacer: pacer}
	pages := func(n, per int) int { return max(1, (n+per-1)/per) }
	var client facade.SecondaryDNS
	switch name {
	case facade.ProviderIONOS:
		f := fakes.NewIONOS(append(fo, fakes.WithRateLimit(fakes.IONOSRateLimit(rate.Requests, rate.Per)))...)
		t.Cleanup(f.Close)
		p.server = f.Server
		client, err = ionos.New(f.Token(), opts(f.URL())...)
		// List 1,000 per page; POST per creation; PUT per re-pointing
		// (the ID is known from the listing).
		p.min = func(before, c, r int) int { return pages(before, 1000) + c + r }
	case facade.ProviderDNSimple:
		f := fakes.NewDNSimple(append(fo, fakes.WithRateLimit(fakes.DNSimpleRateLimit()))...)
		t.Cleanup(f.Close)
		p.server = f.Server
		client, err = dnsimple.New(f.Token(), int64(f.AccountID()), opts(f.URL())...)
		// List zones and primary servers 100 per page; per creation one
		// POST and one link per primary (2); per re-pointing of two
		// primaries to one new: create the server once, link it, unlink
		// the two old ones.
		p.min = func(before, c, r int) int {
			n := pages(before, 100) + 1 + c*3 + r*3
			if before == 0 {
				n += 2 // the two primary servers, created once
			} else if r > 0 {
				n++ // the new primary server, created once
			}
			return n
		}
	case facade.ProviderCloudflare:
		f := fakes.NewCloudflare(append(fo, fakes.WithRateLimit(fakes.CloudflareRateLimit()))...)
		t.Cleanup(f.Close)
		p.server = f.Server
		client, err = cloudflare.New(f.Token(), f.AccountID(), opts(f.URL())...)
		// List zones 50 per page, one incoming configuration per zone and
		// the peers; per creation the zone and its incoming configuration;
		// per re-pointing one PUT of the incoming configuration (+ the new
		// peer once).
		p.min = func(before, c, r int) int {
			n := pages(before, 50) + before + 1 + c*2 + r
			if before == 0 {
				n += 2 // the two peers, created once
			} else if r > 0 {
				n++
			}
			return n
		}
	}
	require.NoError(t, err)
	p.target = fleet.Target{Name: name, Type: name, Client: client, Owned: true, Pacer: pacer}
	return p
}

// memPeak samples the heap until stopped: the live heap as the last
// garbage collection found it (runtime/metrics /gc/heap/live:bytes; what
// the program holds, without the garbage the collector lets pile up
// between cycles), and the heap in use (with that garbage).
type memPeak struct {
	base     uint64 // live heap at the start, after a collection
	peakLive atomic.Uint64
	peakUsed atomic.Uint64
	stop     chan struct{}
	done     sync.WaitGroup
}

// liveHeap is the live heap found by the last garbage collection.
func liveHeap() uint64 {
	s := []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
	metrics.Read(s)
	if s[0].Value.Kind() != metrics.KindUint64 {
		return 0
	}
	return s[0].Value.Uint64()
}

// startMemPeak collects garbage, records the live heap as the baseline,
// then samples until stopped.
func startMemPeak() *memPeak {
	runtime.GC()
	m := &memPeak{stop: make(chan struct{}), base: liveHeap()}
	m.done.Go(func() {
		tk := time.NewTicker(50 * time.Millisecond)
		defer tk.Stop()
		var ms runtime.MemStats
		for {
			runtime.ReadMemStats(&ms)
			m.peakUsed.Store(max(m.peakUsed.Load(), ms.HeapInuse))
			m.peakLive.Store(max(m.peakLive.Load(), liveHeap()))
			select {
			case <-m.stop:
				return
			case <-tk.C:
			}
		}
	})
	return m
}

func (m *memPeak) end() { close(m.stop); m.done.Wait() }

type benchRow struct {
	scenario, provider       string
	changes, sent, min, r429 int
	burst                    int
	share                    float64
	scaled, real             time.Duration
	atLimit, minAtLimit      time.Duration
	base, peakLive, peakUsed uint64
}

// shareString formats the share of the allowed rate used: "n/a" when
// every request fitted in the pacer's burst (the rate did not bound the
// work).
func (r benchRow) shareString() string {
	if r.sent <= r.burst {
		return "n/a"
	}
	return fmt.Sprintf("%.0f%%", math.Min(r.share, 9.99)*100)
}

// TestFleetBench plans and applies a fleet of zones at three fakes that
// enforce their providers' published rate limits on sped-up clocks: from
// empty, after a 1% change and in sync. It reports requests sent against
// the API minimum, 429s, the share of the allowed rate used while work
// remained, peak heap, and what the same work costs at the published
// limits. Run with make bench-fleet.
func TestFleetBench(t *testing.T) {
	if *benchZones <= 0 {
		t.Skip("benchmark: run with -fleet.bench.zones=N (make bench-fleet)")
	}
	n := *benchZones
	provs := []*benchProvider{
		newBenchProvider(t, facade.ProviderCloudflare),
		newBenchProvider(t, facade.ProviderDNSimple),
		newBenchProvider(t, facade.ProviderIONOS),
	}
	var targets []fleet.Target
	for _, p := range provs {
		targets = append(targets, p.target)
	}
	all := []string{"cloudflare", "dnsimple", "ionos"}
	mk := func(primaries []string, changed int) fleet.Desired {
		d := fleet.Desired{Keys: map[string]string{}}
		for i := range n {
			ps := primaries
			if i < changed {
				ps = p2
			}
			d.Zones = append(d.Zones, zone(fmt.Sprintf("zone%05d.example", i), ps, all...))
		}
		return d
	}
	var rows []benchRow
	scenario := func(name string, d fleet.Desired, before int) {
		ctx := context.Background()
		type mark struct {
			req, rej int
			at       time.Time
		}
		marks := map[string]mark{}
		for _, p := range provs {
			marks[p.name] = mark{p.server.Stats().Requests, p.server.RateLimitStats().Rejected, p.clock.Now()}
		}
		mem := startMemPeak()
		start := time.Now()
		t.Logf("%s: %s", start.Format(time.TimeOnly), name)
		plan, err := fleet.Reconcile(ctx, d, targets, fleet.ApplyOptions{Force: true, Concurrency: *benchConc, MaxAttempts: 6})
		require.NoError(t, err)
		real := time.Since(start)
		mem.end()
		for _, p := range provs {
			m := marks[p.name]
			var pp fleet.ProviderPlan
			for _, x := range plan.Providers {
				if x.Provider == p.name {
					pp = x
				}
			}
			creates, repoints := pp.Count(fleet.Create), pp.Count(fleet.Repoint)
			sent := p.server.Stats().Requests - m.req
			last := p.server.RateLimitStats().Last
			scaled := last.Sub(m.at)
			perSec := float64(p.rate.Requests) / p.rate.Per.Seconds()
			// The limit lets through the pacer's burst at once, then
			// perSec: the share is of what it allowed from the start until
			// the last request (work remained until then).
			share := float64(sent) / (float64(p.pacer.Burst()) + scaled.Seconds()*perSec)
			minReq := p.min(before, creates, repoints)
			rows = append(rows, benchRow{
				scenario: name, provider: p.name, changes: len(pp.Changes), sent: sent, min: minReq, burst: p.pacer.Burst(),
				r429: p.server.RateLimitStats().Rejected - m.rej, share: share, scaled: scaled, real: real,
				atLimit:    time.Duration(float64(sent) / perSec * float64(time.Second)),
				minAtLimit: time.Duration(float64(minReq) / perSec * float64(time.Second)),
				base:       mem.base, peakLive: mem.peakLive.Load(), peakUsed: mem.peakUsed.Load(),
			})
		}
		again, err := fleet.MakePlan(ctx, d, targets)
		require.NoError(t, err)
		require.True(t, again.Empty(), "converged after %s", name)
	}
	scenario("from empty", mk(p1, 0), 0)
	scenario("1% re-pointed", mk(p1, n/100), n)
	scenario("in sync", mk(p1, n/100), n)

	var b strings.Builder
	tw := tabwriter.NewWriter(&b, 0, 4, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintf(tw, "scenario\tprovider\tchanges\tsent\tAPI min\tsent/min\t429s\trate used\tscaled time\tat published limit\t(min)\twall\tlive heap before\tpeak live\tpeak in use\t\n")
	for _, r := range rows {
		fmt.Fprintf(tw, "%s\t%s\t%d\t%d\t%d\t%.2f\t%d\t%s\t%s\t%s\t%s\t%s\t%d MiB\t%d MiB\t%d MiB\t\n", r.scenario, r.provider, r.changes, r.sent, r.min,
			float64(r.sent)/float64(r.min), r.r429, r.shareString(), r.scaled.Round(time.Second), r.atLimit.Round(time.Second),
			r.minAtLimit.Round(time.Second), r.real.Round(time.Millisecond), r.base>>20, r.peakLive>>20, r.peakUsed>>20)
	}
	_ = tw.Flush()
	conc := "derived from pace x latency"
	if *benchConc > 0 {
		conc = fmt.Sprintf("at most %d", *benchConc)
	}
	fmt.Fprintf(os.Stdout, "\nfleet benchmark: %d zones per provider, clocks sped up to %.0f requests/s each, concurrency %s, %s/%s, GOMAXPROCS %d\n\n%s",
		n, *benchPace, conc, runtime.GOOS, runtime.GOARCH, runtime.GOMAXPROCS(0), b.String())
	for _, p := range provs {
		st := p.pacer.Stats()
		fmt.Fprintf(os.Stdout, "pacer %s: sent %d, throttled %d, re-sent %d, latency %s (scaled), concurrency now %d, most requests in flight %d\n",
			p.name, st.Sent, st.Throttled, st.Retried, p.pacer.Latency().Round(time.Millisecond), p.pacer.Concurrency(), st.MaxInFlight)
	}
}
