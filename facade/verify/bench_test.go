package verify_test

import (
	"context"
	"flag"
	"fmt"
	"net/netip"
	"runtime"
	"runtime/metrics"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/secondarydns/secondarydns-go/facade"
	"github.com/secondarydns/secondarydns-go/facade/verify"
	"github.com/secondarydns/secondarydns-go/internal/dnswire"
	primarydns "github.com/secondarydns/secondarydns-go/internal/primary"
)

// The benchmark's scale; make bench-verify sets them (VERIFY_ZONES, ...).
var (
	benchZones       = flag.Int("verify.zones", 10000, "zones in BenchmarkVerifyVsBareLoop")
	benchProviders   = flag.Int("verify.providers", 3, "providers in BenchmarkVerifyVsBareLoop")
	benchNameservers = flag.Int("verify.nameservers", 4, "nameservers per provider in BenchmarkVerifyVsBareLoop")
	benchConcurrency = flag.Int("verify.concurrency", verify.DefaultConcurrency, "concurrency of both contenders in BenchmarkVerifyVsBareLoop")
)

// benchSetup is a primary and providers×nameservers DNS servers on loopback,
// each serving every zone, and in-memory providers listing them.
type benchSetup struct {
	zones     []string
	primary   netip.AddrPort
	servers   []netip.AddrPort // every nameserver address, primary excluded
	providers []facade.SecondaryDNS
	resolver  verify.StaticResolver
}

func newBenchSetup(b *testing.B) *benchSetup {
	b.Helper()
	s := &benchSetup{resolver: verify.StaticResolver{}}
	zones := make([]*dnswire.Zone, *benchZones)
	for i := range zones {
		name := fmt.Sprintf("zone%05d.bench.example", i)
		z, err := dnswire.ParseZone(name, primarydns.ExampleZone(name, uint32(2024120100+i)))
		require.NoError(b, err)
		zones[i] = z
		s.zones = append(s.zones, name)
	}
	serve := func() netip.AddrPort {
		srv, err := dnswire.Listen(context.Background())
		require.NoError(b, err)
		b.Cleanup(func() { _ = srv.Close() })
		for _, z := range zones {
			srv.SetZone(z)
		}
		return netip.MustParseAddrPort(srv.Addr())
	}
	s.primary = serve()
	for p := range *benchProviders {
		// Neutral names: no provider-specific check (DNSSEC) adds queries
		// the bare loop would not send.
		mp := newMemProvider(fmt.Sprintf("bench%d", p))
		var names []string
		for n := range *benchNameservers {
			name := fmt.Sprintf("ns%d.p%d.bench.test", n, p)
			addr := serve()
			s.resolver[name] = []netip.AddrPort{addr}
			s.servers = append(s.servers, addr)
			names = append(names, name)
		}
		for i, z := range s.zones {
			mp.add(facade.Zone{Name: z, State: "active", Serial: uint32(2024120100 + i), Nameservers: names}, facade.TransferStatus{})
		}
		s.providers = append(s.providers, mp)
	}
	return s
}

// bareLoop sends the same SOA queries as verify (the primary and every
// nameserver, for every zone) with the same client and concurrency, and
// nothing else.
func (s *benchSetup) bareLoop(ctx context.Context, concurrency int, timeout time.Duration) (queries, failures int64) {
	type job struct {
		server string
		zone   string
	}
	jobs := make([]job, 0, len(s.zones)*(1+len(s.servers)))
	for _, z := range s.zones {
		jobs = append(jobs, job{s.primary.String(), z})
		for _, a := range s.servers {
			jobs = append(jobs, job{a.String(), z})
		}
	}
	var next, bad atomic.Int64
	var wg sync.WaitGroup
	for range concurrency {
		wg.Go(func() {
			for i := next.Add(1) - 1; i < int64(len(jobs)); i = next.Add(1) - 1 {
				qctx, cancel := context.WithTimeout(ctx, timeout)
				_, err := dnswire.QuerySOA(qctx, jobs[i].server, jobs[i].zone)
				cancel()
				if err != nil {
					bad.Add(1)
				}
			}
		})
	}
	wg.Wait()
	return int64(len(jobs)), bad.Load()
}

// peakHeap samples the live heap until stop is closed and returns the
// highest value seen.
func peakHeap(stop <-chan struct{}) <-chan uint64 {
	out := make(chan uint64, 1)
	go func() {
		sample := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
		var peak uint64
		tick := time.NewTicker(5 * time.Millisecond)
		defer tick.Stop()
		for {
			metrics.Read(sample)
			peak = max(peak, sample[0].Value.Uint64())
			select {
			case <-stop:
				out <- peak
				return
			case <-tick.C:
			}
		}
	}()
	return out
}

// cpuTime is the process's user and system CPU time so far.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// measure runs f with the heap sampled and returns its wall time, the
// process's CPU time (the in-process DNS servers' included) and the peak
// live heap.
func measure(f func()) (wall, cpu time.Duration, peak uint64) {
	runtime.GC()
	stop := make(chan struct{})
	peakc := peakHeap(stop)
	start, cpu0 := time.Now(), cpuTime()
	f()
	wall, cpu = time.Since(start), cpuTime()-cpu0
	close(stop)
	return wall, cpu, <-peakc
}

// BenchmarkVerifyVsBareLoop compares a whole verify run with a bare loop of
// the same SOA queries (same DNS client, same concurrency), alternating
// which goes first. Run it with make bench-verify.
func BenchmarkVerifyVsBareLoop(b *testing.B) {
	s := newBenchSetup(b)
	const timeout = 5 * time.Second
	v, err := verify.New(s.primary, s.providers, verify.WithResolver(s.resolver),
		verify.WithConcurrency(*benchConcurrency), verify.WithQueryTimeout(timeout))
	require.NoError(b, err)
	ctx := context.Background()
	var bareTime, verifyTime, bareCPU, verifyCPU time.Duration
	var barePeak, verifyPeak uint64
	queries := int64(len(s.zones) * (1 + len(s.servers)))
	// Warm up both (sockets, goroutine stacks, the servers' caches) so that
	// the first contender measured does not pay for it.
	warm := *s
	warm.zones = s.zones[:min(len(s.zones), 200)]
	warm.bareLoop(ctx, *benchConcurrency, timeout)
	_, err = v.Verify(ctx, warm.zones)
	require.NoError(b, err)
	b.ResetTimer()
	for i := range b.N {
		runBare := func() {
			d, cpu, peak := measure(func() {
				n, bad := s.bareLoop(ctx, *benchConcurrency, timeout)
				require.Zero(b, bad, "bare loop: failed queries")
				require.Equal(b, queries, n)
			})
			bareTime += d
			bareCPU += cpu
			barePeak = max(barePeak, peak)
		}
		runVerify := func() {
			d, cpu, peak := measure(func() {
				rep, err := v.Verify(ctx, s.zones)
				require.NoError(b, err)
				require.Equal(b, len(s.zones), rep.Summary.OK, "every zone in sync")
				require.Equal(b, queries, rep.Summary.Queries, "verify and the bare loop send the same queries")
			})
			verifyTime += d
			verifyCPU += cpu
			verifyPeak = max(verifyPeak, peak)
		}
		if i%2 == 0 {
			runBare()
			runVerify()
		} else {
			runVerify()
			runBare()
		}
	}
	b.StopTimer()
	total := float64(queries) * float64(b.N)
	b.ReportMetric(total/bareTime.Seconds(), "bare-q/s")
	b.ReportMetric(total/verifyTime.Seconds(), "verify-q/s")
	b.ReportMetric(verifyTime.Seconds()/bareTime.Seconds(), "ratio")
	b.ReportMetric(verifyCPU.Seconds()/bareCPU.Seconds(), "cpu-ratio")
	b.ReportMetric(float64(barePeak)/(1<<20), "bare-peak-heap-MiB")
	b.ReportMetric(float64(verifyPeak)/(1<<20), "verify-peak-heap-MiB")
	b.ReportMetric(float64(queries), "queries/run")
	b.ReportMetric(0, "ns/op")
}
