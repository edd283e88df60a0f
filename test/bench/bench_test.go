package bench

import (
	"context"
	"fmt"
	"runtime"
	"syscall"
	"testing"
	"time"
)

// Benchmark names are Benchmark<Call>/<case>/<impl>; the table printer
// (cmd/benchtable) divides every impl's figures by those of "raw" in the
// same <Call>/<case>.

type namedImpl struct {
	name string
	make func(base string) impl
}

// baseURL returns the base URL for a listing of total zones.
func baseURL(tb testing.TB, p, total string) string {
	switch p {
	case "ionos":
		return serverURL(tb) + "/ionos/" + total
	case "dnsimple":
		return serverURL(tb) + "/dnsimple/" + total
	case "cloudflare":
		return serverURL(tb) + "/cloudflare/" + total + "/client/v4"
	}
	panic(p)
}

var impls = map[string][]namedImpl{
	"ionos":      {{"raw", rawIONOS}, {"facade", facadeIONOS}, {"gen", genIONOS}, {"sdk", sdkIONOS}},
	"dnsimple":   {{"raw", rawDNSimple}, {"facade", facadeDNSimple}, {"gen", genDNSimple}, {"sdk", sdkDNSimple}},
	"cloudflare": {{"raw", rawCloudflare}, {"facade", facadeCloudflare}, {"gen", genCloudflare}, {"sdk", sdkCloudflare}},
}

var providers = []string{"ionos", "dnsimple", "cloudflare"}

// listCases are the paged listings of 1,000 zones, paged as each provider
// pages.
var listCases = []struct {
	name, provider string
	pageSize       int
}{
	{"ionos-limit100", "ionos", 100},
	{"ionos-limit1000", "ionos", 1000},
	{"dnsimple-per100", "dnsimple", 100},
	{"cloudflare-per50", "cloudflare", 50},
}

// cpuNanos is the CPU time (user + system, all threads, GC included) this
// process has used. The canned server is another process, so this is the
// client's cost only.
func cpuNanos() int64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return ru.Utime.Nano() + ru.Stime.Nano()
}

// run times op b.N times and reports cpu-ns/op besides the usual figures.
func run(b *testing.B, op func(context.Context) error) {
	ctx := context.Background()
	if err := op(ctx); err != nil { // warm up: connection, server cache
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.ResetTimer()
	c0 := cpuNanos()
	for i := 0; i < b.N; i++ {
		if err := op(ctx); err != nil {
			b.Fatal(err)
		}
	}
	c1 := cpuNanos()
	b.StopTimer()
	b.ReportMetric(float64(c1-c0)/float64(b.N), "cpu-ns/op")
}

func BenchmarkGet(b *testing.B) {
	for _, p := range providers {
		for _, im := range impls[p] {
			b.Run(p+"/"+im.name, func(b *testing.B) {
				c := im.make(baseURL(b, p, "1"))
				run(b, c.get)
			})
		}
	}
}

func BenchmarkList1000(b *testing.B) {
	const total = 1000
	for _, lc := range listCases {
		for _, im := range impls[lc.provider] {
			b.Run(lc.name+"/"+im.name, func(b *testing.B) {
				c := im.make(baseURL(b, lc.provider, fmt.Sprint(total)))
				run(b, func(ctx context.Context) error {
					n, err := c.list(ctx, lc.pageSize)
					if err == nil && n != total {
						err = fmt.Errorf("listed %d zones, want %d", n, total)
					}
					return err
				})
			})
		}
	}
}

// BenchmarkStream10000 iterates over a 10,000-zone listing through the
// facade and reports the peak live heap during the iteration (peak-live-B,
// sampled after a forced GC every sampleEvery zones, minus the live heap
// before the listing), next to the live heap of one decoded page held the
// way the raw baseline holds it (page-live-B) and of the whole listing
// collected into a slice (all-live-B). Bounded memory means peak-live-B
// stays near page-live-B and far below all-live-B.
func BenchmarkStream10000(b *testing.B) {
	const total, sampleEvery = 10000, 25
	for _, lc := range []struct {
		provider string
		pageSize int
	}{{"ionos", 100}, {"dnsimple", 100}, {"cloudflare", 50}} {
		b.Run(lc.provider+"/facade", func(b *testing.B) {
			ctx := context.Background()
			base := baseURL(b, lc.provider, fmt.Sprint(total))
			var seq func(func(error) bool)
			switch lc.provider {
			case "ionos":
				c := facadeIONOSClient(base)
				seq = func(yield func(error) bool) {
					for _, err := range c.ListSecondaryZones(ctx, ionosListOptions(lc.pageSize)) {
						if !yield(err) {
							return
						}
					}
				}
			case "dnsimple":
				c := facadeDNSimpleClient(base)
				seq = func(yield func(error) bool) {
					for _, err := range c.ListAccountZones(ctx, dnsimpleListOptions(lc.pageSize)) {
						if !yield(err) {
							return
						}
					}
				}
			case "cloudflare":
				c := facadeCloudflareClient(base)
				seq = func(yield func(error) bool) {
					for _, err := range c.ListAccountZones(ctx, cloudflareListOptions(lc.pageSize)) {
						if !yield(err) {
							return
						}
					}
				}
			}
			var peak uint64
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				runtime.GC()
				base := liveHeap()
				n := 0
				for err := range seq {
					if err != nil {
						b.Fatal(err)
					}
					n++
					if n%sampleEvery == sampleEvery/2 {
						runtime.GC()
						if h := liveHeap(); h > base && h-base > peak {
							peak = h - base
						}
					}
				}
				if n != total {
					b.Fatalf("listed %d zones, want %d", n, total)
				}
			}
			b.StopTimer()
			b.ReportMetric(float64(peak), "peak-live-B")
			b.ReportMetric(float64(pageLive(b, lc.provider, lc.pageSize)), "page-live-B")
			b.ReportMetric(float64(allLive(b, lc.provider, lc.pageSize, base)), "all-live-B")
		})
	}
}

func liveHeap() uint64 {
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return ms.HeapAlloc
}

// pageLive is the live heap of one page decoded by the raw baseline.
func pageLive(b *testing.B, provider string, pageSize int) uint64 {
	ctx := context.Background()
	hc := newHTTPClient()
	base := baseURL(b, provider, "10000")
	var url string
	var page any
	switch provider {
	case "ionos":
		url, page = fmt.Sprintf("%s/secondaryzones?offset=0&limit=%d", base, pageSize), new(rawIONOSList)
	case "dnsimple":
		url, page = fmt.Sprintf("%s/v2/%d/zones?page=1&per_page=%d", base, dnsimpleAcct, pageSize), new(struct {
			Data []rawDNSimpleZone `json:"data"`
		})
	case "cloudflare":
		url, page = fmt.Sprintf("%s/zones?account.id=%s&page=1&per_page=%d", base, cloudflareAcc, pageSize), new(rawCloudflareList)
	}
	runtime.GC()
	before := liveHeap()
	if err := rawGet(ctx, hc, url, page); err != nil {
		b.Fatal(err)
	}
	runtime.GC()
	after := liveHeap()
	runtime.KeepAlive(page)
	if after < before {
		return 0
	}
	return after - before
}

// allLive is the live heap of the whole listing collected by the facade.
func allLive(b *testing.B, provider string, pageSize int, base string) uint64 {
	ctx := context.Background()
	runtime.GC()
	before := liveHeap()
	var keep any
	var err error
	switch provider {
	case "ionos":
		keep, err = collect(facadeIONOSClient(base).ListSecondaryZones(ctx, ionosListOptions(pageSize)))
	case "dnsimple":
		keep, err = collect(facadeDNSimpleClient(base).ListAccountZones(ctx, dnsimpleListOptions(pageSize)))
	case "cloudflare":
		keep, err = collect(facadeCloudflareClient(base).ListAccountZones(ctx, cloudflareListOptions(pageSize)))
	}
	if err != nil {
		b.Fatal(err)
	}
	runtime.GC()
	after := liveHeap()
	runtime.KeepAlive(keep)
	if after < before {
		return 0
	}
	return after - before
}

// TestCannedServer checks, quickly, that every client decodes the canned
// bodies: one get and one small listing each.
func TestCannedServer(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	sizes := map[string]int{"ionos": 20, "dnsimple": 20, "cloudflare": 10}
	for _, p := range providers {
		for _, im := range impls[p] {
			t.Run(p+"/"+im.name, func(t *testing.T) {
				c := im.make(baseURL(t, p, "45"))
				if err := c.get(ctx); err != nil {
					t.Fatalf("get: %v", err)
				}
				n, err := c.list(ctx, sizes[p])
				if err != nil || n != 45 {
					t.Fatalf("list: %d zones, %v; want 45", n, err)
				}
			})
		}
	}
}
